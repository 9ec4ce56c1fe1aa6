/* Distinguished names: storage, building (attribute rules, string types, RFC 5280 bounds)
 * and accessors. Strict DER parsing and DER encoding live in subject_der.c, the text forms
 * (RFC 4514, /slash) in subject_text.c.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "der.h"
#include "oid.h"
#include "subject_int.h"

#define NAME_MAX_ATVS 4096      /* a bound on members per name */

static int is_alpha(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

int csr_name_resolve_attr(char oid[DER_OID_TEXT], const char *attr, csr_err *err)
{
    const char *o = csr_oid_from_name(CSR_OID_ATTR, attr);
    uint8_t tmp[64];
    if (o != NULL) {
        strcpy(oid, o);
        return CSR_OK;
    }
    if (csr_oid_is_dotted(attr, 1) && strlen(attr) < DER_OID_TEXT &&
        der_oid_from_text(tmp, sizeof tmp, attr) > 0) {
        csr_der_oid_canon(oid, attr);
        return CSR_OK;
    }
    return csr_err_set(err, CSR_E_BAD_NAME, "unknown attribute '%.64s'", attr);
}

/* Canonical dotted text (re-read through the DER encoding: drops leading zeros). */
void csr_der_oid_canon(char out[DER_OID_TEXT], const char *dotted)
{
    uint8_t tmp[64];
    size_t n = der_oid_from_text(tmp, sizeof tmp, dotted);
    der_tlv t;
    csr_err e;
    memset(&t, 0, sizeof t);
    t.tag = DER_OID;
    t.v = tmp;
    t.len = n;
    if (n == 0 || der_get_oid(&t, out, "OID", &e) != CSR_OK) {
        strncpy(out, dotted, DER_OID_TEXT - 1);
        out[DER_OID_TEXT - 1] = '\0';
    }
}

static const char *attr_label(const char *oid)
{
    const char *s = csr_oid_name(CSR_OID_ATTR, oid);
    return s != NULL ? s : oid;
}

/* ---- storage ---- */

void csr_name_atv_clear(name_atv *a)
{
    csr_free(a->der);
    csr_free(a->conv);
    memset(a, 0, sizeof *a);
}

int csr_name_new(csr_name **out, csr_err *err)
{
    csr_name *n = (csr_name *)csr_calloc(1, sizeof *n);
    if (n == NULL)
        return csr_err_set(err, CSR_E_NOMEM, "out of memory");
    *out = n;
    return CSR_OK;
}

void csr_name_free(csr_name *n)
{
    size_t i;
    if (n == NULL)
        return;
    for (i = 0; i < n->na; i++)
        csr_name_atv_clear(&n->a[i]);
    csr_free(n->a);
    csr_free(n->r);
    csr_free(n->raw);
    csr_free(n);
}

static int grow(void **p, size_t *cap, size_t need, size_t elsz)
{
    size_t nc;
    void *q;
    if (need <= *cap)
        return CSR_OK;
    nc = *cap ? *cap * 2 : 4;
    while (nc < need)
        nc *= 2;
    q = csr_malloc(nc * elsz);
    if (q == NULL)
        return CSR_E_NOMEM;
    if (*p != NULL && *cap)
        memcpy(q, *p, *cap * elsz);
    csr_free(*p);
    *p = q;
    *cap = nc;
    return CSR_OK;
}

/* X.690 11.6 order of two encodings (shorter padded with zero octets). */
static int enc_cmp(const name_atv *x, const name_atv *y)
{
    return der_set_order(x->der, x->der_len, y->der, y->der_len);
}

/* see subject_int.h */
int csr_name_push(csr_name *n, name_atv *a, int new_rdn, int built, csr_err *err)
{
    name_rdn *rd;
    size_t j;
    if (n->na >= NAME_MAX_ATVS) {
        csr_name_atv_clear(a);
        return csr_err_set(err, CSR_E_TOO_LARGE, "more than %d attributes in a name",
                           NAME_MAX_ATVS);
    }
    if (grow((void **)&n->a, &n->capa, n->na + 1, sizeof *n->a) != CSR_OK ||
        (new_rdn && grow((void **)&n->r, &n->capr, n->nr + 1, sizeof *n->r) != CSR_OK)) {
        csr_name_atv_clear(a);
        return csr_err_set(err, CSR_E_NOMEM, "out of memory");
    }
    n->a[n->na++] = *a;
    memset(a, 0, sizeof *a);
    if (new_rdn) {
        rd = &n->r[n->nr++];
        rd->first = n->na - 1;
        rd->count = 1;
        rd->built = built;
        return CSR_OK;
    }
    rd = &n->r[n->nr - 1];
    rd->count++;
    if (built) {                        /* keep members in DER SET order */
        rd->built = 1;
        for (j = n->na - 1; j > rd->first && enc_cmp(&n->a[j - 1], &n->a[j]) > 0; j--) {
            name_atv tmp = n->a[j];
            n->a[j] = n->a[j - 1];
            n->a[j - 1] = tmp;
        }
    }
    return CSR_OK;
}

static void drop_raw(csr_name *n)
{
    csr_free(n->raw);
    n->raw = NULL;
    n->raw_len = 0;
}

/* Builds SEQUENCE { oid, tag value } and stores it as a new member; hexin marks it (before a
 * multi-valued RDN's sort moves it) as given in #hex. */
static int add_atv(csr_name *n, const char *oid, int tag, const uint8_t *val, size_t len,
                   int new_rdn, int hexin, csr_err *err)
{
    csr_buf b;
    size_t m;
    der_rd r;
    der_tlv t;
    name_atv a;
    int rc;

    if (!new_rdn && n->nr == 0)
        new_rdn = 1;
    csr_buf_init(&b, 0);
    m = der_open(&b, DER_SEQUENCE);
    if (der_put_oid_text(&b, oid) != CSR_OK) {
        csr_buf_free(&b);
        return csr_err_set(err, CSR_E_BAD_NAME, "invalid OID '%.64s'", oid);
    }
    der_put_tlv(&b, (unsigned)tag, val, len);
    der_close(&b, m);
    if (b.err) {
        rc = b.err;
        csr_buf_free(&b);
        return csr_err_set(err, rc, rc == CSR_E_NOMEM ? "out of memory" : "value too large");
    }
    der_rd_init(&r, b.p, b.len, 0);
    rc = der_next(&r, &t, err);
    if (rc == CSR_OK)
        rc = csr_name_atv_parse(&a, &t, err);
    csr_buf_free(&b);
    if (rc == CSR_E_BAD_DER) {          /* our own bytes: only a bad value can fail */
        if (err != NULL)
            err->code = CSR_E_BAD_NAME;
        return CSR_E_BAD_NAME;
    }
    if (rc != CSR_OK)
        return rc;
    a.hexin = hexin;
    rc = csr_name_push(n, &a, new_rdn, 1, err);
    if (rc == CSR_OK)
        drop_raw(n);
    return rc;
}

int csr_name_add_tlv(csr_name *n, const char *oid, int tag, const uint8_t *val, size_t len,
                     int new_rdn, csr_err *err)
{
    return add_atv(n, oid, tag, val, len, new_rdn, 0, err);
}

/* Adds a member from a whole value TLV (the #hex form): one string-type TLV. */
int csr_name_add_value_tlv(csr_name *n, const char *oid, const uint8_t *tlv, size_t len,
                           int new_rdn, csr_err *err)
{
    der_rd r;
    der_tlv t;
    int rc;
    der_rd_init(&r, tlv, len, 0);
    rc = der_next(&r, &t, err);
    if (rc == CSR_OK)
        rc = der_finish(&r, "hex value", err);
    if (rc == CSR_OK && !csr_name_is_string_tag(t.tag))
        rc = csr_err_set(err, CSR_E_BAD_NAME, "hex value of %s is not a string type (tag 0x%02x)",
                         attr_label(oid), t.tag);
    if (rc == CSR_OK)
        rc = der_check_string(&t, "hex value", err);
    if (rc == CSR_OK && t.len == 0)
        rc = csr_err_set(err, CSR_E_BAD_NAME, "empty value for %s", attr_label(oid));
    if (rc != CSR_OK) {
        if (err != NULL && err->code == CSR_E_BAD_DER)
            err->code = CSR_E_BAD_NAME;
        return err != NULL ? err->code : CSR_E_BAD_NAME;
    }
    /* A #hex value is kept exactly, and so printed back as #hex: its string type or contents
     * may be ones the attribute rules would not produce from text (C=#0c03616263). */
    return add_atv(n, oid, (int)t.tag, t.v, t.len, new_rdn, 1, err);
}

/* see csr.h */
int csr_name_add(csr_name *n, const char *attr, const uint8_t *val, size_t len, int new_rdn,
                 csr_err *err)
{
    char oid[DER_OID_TEXT];
    const csr_attr_info *ru;
    const char *label;
    size_t cps, i;
    int rc, tag = DER_UTF8STRING;

    if (attr == NULL || (val == NULL && len > 0))
        return csr_err_set(err, CSR_E_INVALID, "missing attribute or value");
    if ((rc = csr_name_resolve_attr(oid, attr, err)) != CSR_OK)
        return rc;
    label = attr_label(oid);
    if (len == 0)
        return csr_err_set(err, CSR_E_BAD_NAME, "empty value for %s", label);
    if (len > CSR_MAX_INPUT)
        return csr_err_set(err, CSR_E_TOO_LARGE, "value for %s too large", label);
    if (!csr_utf8_valid(val, len))
        return csr_err_set(err, CSR_E_BAD_UTF8, "value for %s is not valid UTF-8", label);
    if (memchr(val, 0, len) != NULL)
        return csr_err_set(err, CSR_E_BAD_NAME, "value for %s contains a NUL byte", label);
    ru = csr_attr_find(oid);
    switch (ru->stype) {
    case CSR_ATTR_COUNTRY:
        if (len != 2 || !is_alpha(val[0]) || !is_alpha(val[1]))
            return csr_err_set(err, CSR_E_BAD_NAME,
                               "%s must be a two-letter country code (ISO 3166)", label);
        tag = DER_PRINTABLE;
        break;
    case CSR_ATTR_PRINTABLE_PREF:
        tag = der_is_printable(val, len) ? DER_PRINTABLE : DER_UTF8STRING;
        break;
    case CSR_ATTR_IA5:
        for (i = 0; i < len; i++)
            if (val[i] > 0x7f)
                return csr_err_set(err, CSR_E_BAD_NAME,
                                   "value for %s must be IA5String (ASCII only)", label);
        tag = DER_IA5STRING;
        break;
    default:
        tag = DER_UTF8STRING;
    }
    cps = csr_utf8_len(val, len);
    if (cps > ru->max)
        return csr_err_set(err, CSR_E_BAD_NAME,
                           "value for %s is longer than %lu characters (%s)", label,
                           (unsigned long)ru->max, ru->bound);
    return csr_name_add_tlv(n, oid, tag, val, len, new_rdn, err);
}

/* see csr.h */
int csr_name_dup(csr_name **out, const csr_name *n, csr_err *err)
{
    csr_name *d = NULL;
    size_t i;
    int rc;
    if ((rc = csr_name_new(&d, err)) != CSR_OK)
        return rc;
    if (n->na) {
        d->a = (name_atv *)csr_calloc(n->na, sizeof *d->a);
        d->r = (name_rdn *)csr_calloc(n->nr, sizeof *d->r);
        if (d->a == NULL || d->r == NULL)
            goto nomem;
        d->capa = n->na;
        d->capr = n->nr;
        for (i = 0; i < n->na; i++) {
            name_atv *s = &n->a[i], *t = &d->a[i];
            *t = *s;
            t->der = NULL;
            t->conv = NULL;
            t->der = (uint8_t *)csr_malloc(s->der_len);
            if (t->der == NULL)
                goto nomem;
            memcpy(t->der, s->der, s->der_len);
            d->na = i + 1;
            if (s->conv != NULL) {
                t->conv = (uint8_t *)csr_malloc(s->conv_len + 1);
                if (t->conv == NULL)
                    goto nomem;
                memcpy(t->conv, s->conv, s->conv_len);
            }
        }
        memcpy(d->r, n->r, n->nr * sizeof *d->r);
        d->nr = n->nr;
    }
    if (n->raw != NULL) {
        d->raw = (uint8_t *)csr_malloc(n->raw_len);
        if (d->raw == NULL)
            goto nomem;
        memcpy(d->raw, n->raw, n->raw_len);
        d->raw_len = n->raw_len;
    }
    *out = d;
    return CSR_OK;
nomem:
    csr_name_free(d);
    return csr_err_set(err, CSR_E_NOMEM, "out of memory");
}

size_t csr_name_rdn_count(const csr_name *n)
{
    return n->nr;
}

size_t csr_name_rdn_size(const csr_name *n, size_t rdn)
{
    return rdn < n->nr ? n->r[rdn].count : 0;
}

static const name_atv *member(const csr_name *n, size_t rdn, size_t j)
{
    if (rdn >= n->nr || j >= n->r[rdn].count)
        return NULL;
    return &n->a[n->r[rdn].first + j];
}

/* see csr.h */
int csr_name_get(const csr_name *n, size_t rdn, size_t j, const char **attr,
                 const uint8_t **val, size_t *len, int *tag)
{
    const name_atv *a = member(n, rdn, j);
    if (a == NULL)
        return -1;
    if (attr != NULL)
        *attr = a->attr != NULL ? a->attr : a->oid;
    if (tag != NULL)
        *tag = a->tag;
    if (a->conv != NULL) {
        if (val != NULL)
            *val = a->conv;
        if (len != NULL)
            *len = a->conv_len;
    } else if (a->text) {
        if (val != NULL)
            *val = a->der + a->v_off;
        if (len != NULL)
            *len = a->v_len;
    } else {
        if (val != NULL)
            *val = a->der + a->vtlv_off;
        if (len != NULL)
            *len = a->vtlv_len;
    }
    return a->text;
}

int csr_name_get_tlv(const csr_name *n, size_t rdn, size_t j, const uint8_t **tlv,
                     size_t *len)
{
    const name_atv *a = member(n, rdn, j);
    if (a == NULL)
        return -1;
    *tlv = a->der + a->vtlv_off;
    *len = a->vtlv_len;
    return 0;
}

const char *csr_name_get_oid(const csr_name *n, size_t rdn, size_t j)
{
    const name_atv *a = member(n, rdn, j);
    return a != NULL ? a->oid : NULL;
}

/* Appends a copy of member j of RDN i of src to dst (used by the text parser to reverse). */
int csr_name_copy_member(csr_name *dst, const csr_name *src, size_t rdn, size_t j,
                         int new_rdn, csr_err *err)
{
    const name_atv *s = member(src, rdn, j);
    der_rd r;
    der_tlv t;
    name_atv a;
    int rc;
    if (s == NULL)
        return csr_err_set(err, CSR_E_INVALID, "no such member");
    der_rd_init(&r, s->der, s->der_len, 0);
    if ((rc = der_next(&r, &t, err)) != CSR_OK)
        return rc;
    if ((rc = csr_name_atv_parse(&a, &t, err)) != CSR_OK)
        return rc;
    if (!new_rdn && dst->nr == 0)
        new_rdn = 1;
    a.hexin = s->hexin;
    rc = csr_name_push(dst, &a, new_rdn, 1, err);
    if (rc == CSR_OK)
        drop_raw(dst);
    return rc;
}

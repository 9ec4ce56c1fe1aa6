/* DER encoders for the extensions a request asks for (RFC 5280 4.2.1, RFC 7633):
 * subjectAltName, keyUsage, extendedKeyUsage, basicConstraints, TLS feature and raw ones.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "der.h"
#include "ext_enc.h"
#include "oid.h"

#define TLS_STATUS_REQUEST 5          /* RFC 6066 extension type status_request */
#define MAX_SHOWN 64                  /* longest value quoted in an error message */

/* The OIDs written so far, for duplicate detection (content bytes). */
typedef struct {
    uint8_t oid[DER_OID_TEXT];
    size_t len;
} oid_slot;

typedef struct {
    oid_slot *slots;
    size_t n, cap;
} oid_set;

static int oid_seen(oid_set *s, const uint8_t *oid, size_t len)
{
    size_t i;
    for (i = 0; i < s->n; i++)
        if (s->slots[i].len == len && memcmp(s->slots[i].oid, oid, len) == 0)
            return 1;
    if (s->n < s->cap && len <= sizeof s->slots[0].oid) {
        memcpy(s->slots[s->n].oid, oid, len);
        s->slots[s->n].len = len;
        s->n++;
    }
    return 0;
}

/* 1 if every byte is printable 7-bit ASCII (0x20..0x7e); space allowed when space_ok. */
static int visible(const char *s, size_t n, int space_ok)
{
    size_t i;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c > 0x7e || (c == ' ' && !space_ok))
            return 0;
    }
    return 1;
}

/* A value safe to quote in a message: itself when short and visible, else "". */
static const char *shown(const char *s, size_t n, int *w)
{
    if (s != NULL && n <= MAX_SHOWN && visible(s, n, 1)) {
        *w = (int)n;
        return s;
    }
    *w = 0;
    return "";
}

static const char *san_kind(int type)
{
    switch (type) {
    case CSR_SAN_DNS: return "DNS name";
    case CSR_SAN_IP: return "IP address";
    case CSR_SAN_EMAIL: return "email address";
    case CSR_SAN_URI: return "URI";
    default: return "entry";
    }
}

static int encode_san(csr_buf *v, const csr_san_in *san, size_t nsan, csr_err *err)
{
    size_t i, mark = der_open(v, DER_SEQUENCE);
    for (i = 0; i < nsan; i++) {
        const csr_san_in *s = &san[i];
        const char *q;
        int w;
        if (s->val == NULL || s->len == 0)
            return csr_err_set(err, CSR_E_INVALID, "subjectAltName: %s %lu is empty",
                               san_kind(s->type), (unsigned long)(i + 1));
        q = shown(s->val, s->len, &w);
        switch (s->type) {
        case CSR_SAN_DNS:
        case CSR_SAN_EMAIL:
        case CSR_SAN_URI:
            /* IA5String; control characters (and spaces in DNS names) are never valid */
            if (!visible(s->val, s->len, s->type != CSR_SAN_DNS))
                return csr_err_set(err, CSR_E_INVALID,
                                   "subjectAltName: %s %lu has characters outside IA5String"
                                   " (non-ASCII, control or space)",
                                   san_kind(s->type), (unsigned long)(i + 1));
            der_put_tlv(v, (unsigned)DER_CTX(s->type), s->val, s->len);
            break;
        case CSR_SAN_IP: {
            uint8_t ip[16];
            int n = csr_ip_parse(ip, s->val, s->len);
            if (n != 4 && n != 16)
                return csr_err_set(err, CSR_E_BAD_IP,
                                   "subjectAltName: IP address %lu '%.*s' does not parse",
                                   (unsigned long)(i + 1), w, q);
            der_put_tlv(v, DER_CTX(CSR_SAN_IP), ip, (size_t)n);
            break;
        }
        default:
            return csr_err_set(err, CSR_E_INVALID, "subjectAltName: entry %lu has type %d,"
                               " which cannot be built", (unsigned long)(i + 1), s->type);
        }
    }
    der_close(v, mark);
    return CSR_OK;
}

static int encode_eku(csr_buf *v, const char *const *eku, size_t neku, csr_err *err)
{
    size_t i, j, mark = der_open(v, DER_SEQUENCE);
    oid_slot *seen = (oid_slot *)csr_calloc(neku, sizeof *seen);
    if (seen == NULL)
        return csr_err_set(err, CSR_E_NOMEM, "out of memory");
    for (i = 0; i < neku; i++) {
        const char *oid = eku[i] != NULL ? csr_oid_from_name(CSR_OID_EKU, eku[i]) : NULL;
        int w;
        const char *q = shown(eku[i], eku[i] != NULL ? strlen(eku[i]) : 0, &w);
        if (oid == NULL)
            oid = eku[i];
        seen[i].len = oid != NULL ? der_oid_from_text(seen[i].oid, sizeof seen[i].oid, oid) : 0;
        if (seen[i].len == 0) {
            csr_free(seen);
            return csr_err_set(err, CSR_E_INVALID, "extendedKeyUsage: '%.*s' is neither a"
                               " known purpose nor a dotted OID", w, q);
        }
        for (j = 0; j < i; j++) {
            if (seen[j].len == seen[i].len && memcmp(seen[j].oid, seen[i].oid, seen[i].len) == 0) {
                csr_free(seen);
                return csr_err_set(err, CSR_E_DUPLICATE,
                                   "extendedKeyUsage: '%.*s' given twice", w, q);
            }
        }
        der_put_tlv(v, DER_OID, seen[i].oid, seen[i].len);
    }
    csr_free(seen);
    der_close(v, mark);
    return CSR_OK;
}

static int encode_bc(csr_buf *v, int ca, int pathlen, csr_err *err)
{
    size_t mark;
    if (pathlen < -1)
        return csr_err_set(err, CSR_E_INVALID, "basicConstraints: pathLenConstraint must be >= 0");
    if (pathlen >= 0 && !ca)
        return csr_err_set(err, CSR_E_INVALID, "basicConstraints: pathLenConstraint needs cA TRUE");
    mark = der_open(v, DER_SEQUENCE);
    if (ca)
        der_put_bool(v, 1);             /* cA BOOLEAN DEFAULT FALSE: FALSE is never written */
    if (pathlen >= 0)
        der_put_uint(v, (unsigned long)pathlen);
    der_close(v, mark);
    return CSR_OK;
}

/* Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING } */
static int put_ext(csr_buf *out, oid_set *seen, const char *oid_text, int critical,
                   const uint8_t *val, size_t vlen, csr_err *err)
{
    uint8_t oid[DER_OID_TEXT];
    size_t olen = der_oid_from_text(oid, sizeof oid, oid_text), mark;
    int w;
    const char *q = shown(oid_text, strlen(oid_text), &w);
    if (olen == 0)
        return csr_err_set(err, CSR_E_INVALID, "extension OID '%.*s' is not a dotted OID", w, q);
    if (oid_seen(seen, oid, olen))
        return csr_err_set(err, CSR_E_DUPLICATE, "extension %.*s given twice", w, q);
    mark = der_open(out, DER_SEQUENCE);
    der_put_tlv(out, DER_OID, oid, olen);
    if (critical)
        der_put_bool(out, 1);
    der_put_tlv(out, DER_OCTET_STRING, val, vlen);
    der_close(out, mark);
    return CSR_OK;
}

/* A value buffer that hit its limit or ran out of memory must not become an extension. */
static int vstat(int rc, const csr_buf *v, csr_err *err)
{
    if (rc != CSR_OK || v->err == 0)
        return rc;
    return csr_err_set(err, v->err, v->err == CSR_E_NOMEM ? "out of memory"
                                                           : "extension value too large");
}

static int encode_ku(csr_buf *v, unsigned ku, csr_err *err)
{
    if (ku == 0 || (ku & ~0x1ffu) != 0)
        return csr_err_set(err, CSR_E_INVALID, ku == 0
                           ? "keyUsage: at least one usage is needed"
                           : "keyUsage: unknown bits 0x%x", ku & ~0x1ffu);
    der_put_named_bits(v, ku);
    return CSR_OK;
}

/* TLS feature (RFC 7633): Features ::= SEQUENCE OF INTEGER, here status_request alone */
static int encode_must_staple(csr_buf *v)
{
    size_t mark = der_open(v, DER_SEQUENCE);
    der_put_uint(v, TLS_STATUS_REQUEST);
    der_close(v, mark);
    return CSR_OK;
}

/* The typed extensions a spec can ask for, in the order they are written: whether it does
 * (with the criticality given, -1 for the default), the default, and the value. */
enum { EXT_SAN, EXT_KU, EXT_EKU, EXT_BC, EXT_TLS_FEATURE, EXT_TYPED };
static const struct { const char *oid; int dflt; } typed[EXT_TYPED] = {
    {OID_SAN, -1 /* critical when the subject is empty (RFC 5280 4.2.1.6) */},
    {OID_KU, 1}, {OID_EKU, 0}, {OID_BC, 1}, {OID_TLS_FEATURE, 0}
};

static int typed_wanted(const csr_req_spec *s, int which, int *critical)
{
    switch (which) {
    case EXT_SAN: *critical = s->san_critical; return s->nsan > 0;
    case EXT_KU: *critical = s->ku_critical; return s->ku_set;
    case EXT_EKU: *critical = s->eku_critical; return s->neku > 0;
    case EXT_BC: *critical = s->bc_critical; return s->bc_set;
    default: *critical = s->ms_critical; return s->must_staple;
    }
}

static int typed_value(csr_buf *v, const csr_req_spec *s, int which, csr_err *err)
{
    switch (which) {
    case EXT_SAN: return encode_san(v, s->san, s->nsan, err);
    case EXT_KU: return encode_ku(v, s->key_usage, err);
    case EXT_EKU: return encode_eku(v, s->eku, s->neku, err);
    case EXT_BC: return encode_bc(v, s->bc_ca, s->bc_pathlen, err);
    default: return encode_must_staple(v);
    }
}

/* One raw extension given as {oid, critical, DER}: the value must be one DER TLV. */
static int put_raw(csr_buf *all, oid_set *seen, const csr_ext_in *e, size_t i, csr_err *err)
{
    int w;
    const char *q;
    if (e->oid == NULL)
        return csr_err_set(err, CSR_E_INVALID, "extension %lu has no OID", (unsigned long)i + 1);
    q = shown(e->oid, strlen(e->oid), &w);
    if (e->der == NULL || e->len == 0)
        return csr_err_set(err, CSR_E_INVALID, "extension %.*s: empty value", w, q);
    if (der_check_tree(e->der, e->len, 0, "value", err) != CSR_OK) {
        err->code = CSR_E_BAD_DER;
        return csr_err_prefix(err, "extension %.*s: value must be one DER TLV", w, q);
    }
    return put_ext(all, seen, e->oid, e->critical < 0 ? 0 : e->critical != 0, e->der, e->len,
                   err);
}

int csr_ext_encode(csr_buf *out, const csr_req_spec *spec, int subject_empty, size_t *count,
                   csr_err *err)
{
    csr_buf all, v;
    oid_set seen;
    size_t i, n = 0;
    int rc = CSR_OK, which, critical;

    *count = 0;
    if (spec->empty_list != NULL)    /* asked for, with nothing in it: never silently dropped */
        return csr_err_set(err, CSR_E_INVALID, "%s is an empty list", spec->empty_list);
    seen.n = 0;
    seen.cap = EXT_TYPED + spec->next;
    seen.slots = (oid_slot *)csr_calloc(seen.cap, sizeof *seen.slots);
    if (seen.slots == NULL)
        return csr_err_set(err, CSR_E_NOMEM, "out of memory");
    csr_buf_init(&all, 0);
    csr_buf_init(&v, 0);
    for (which = 0; rc == CSR_OK && which < EXT_TYPED; which++) {
        if (!typed_wanted(spec, which, &critical))
            continue;
        if (critical < 0)
            critical = typed[which].dflt < 0 ? subject_empty : typed[which].dflt;
        rc = vstat(typed_value(&v, spec, which, err), &v, err);
        if (rc == CSR_OK)
            rc = put_ext(&all, &seen, typed[which].oid, critical != 0, v.p, v.len, err);
        n++;
        csr_buf_free(&v);
    }
    for (i = 0; rc == CSR_OK && i < spec->next; i++, n++)
        rc = put_raw(&all, &seen, &spec->ext[i], i, err);
    if (rc == CSR_OK && all.err)
        rc = csr_err_set(err, all.err, all.err == CSR_E_NOMEM ? "out of memory"
                                                             : "extensions too large");
    if (rc == CSR_OK && n > 0) {
        der_put_tlv(out, DER_SEQUENCE, all.p, all.len);
        if (out->err)
            rc = csr_err_set(err, out->err, out->err == CSR_E_NOMEM ? "out of memory"
                                                                   : "extensions too large");
    }
    if (rc == CSR_OK)
        *count = n;
    csr_buf_free(&v);
    csr_buf_free(&all);
    csr_free(seen.slots);
    return rc;
}

/* The strict DER reader: one TLV at a time within bounds, value decoders, framing walks;
 * then reader steps in the spirit of Go's cryptobyte (a whole input that is one TLV, a TLV
 * entered as a reader over its contents, an OPTIONAL field, an OBJECT IDENTIFIER as text, a
 * counted SEQUENCE OF walk), so that decoders read like their ASN.1 modules.
 * SPDX-License-Identifier: MIT */
#include <string.h>
#include <limits.h>
#include <stdio.h>

#include "der.h"

/* ---- reader ---- */

void der_rd_init(der_rd *r, const uint8_t *p, size_t n, size_t base)
{
    r->p = p;
    r->start = p;
    r->end = n ? p + n : p;                 /* NULL + 0 is undefined behaviour */
    r->base = base;
}

void der_rd_enter(der_rd *r, const der_tlv *t)
{
    der_rd_init(r, t->v, t->len, t->voff);
}

int der_rd_more(const der_rd *r)
{
    return r->p < r->end;
}

size_t der_rd_off(const der_rd *r)
{
    return r->base + (size_t)(r->p - r->start);
}

unsigned der_peek(const der_rd *r)
{
    return r->p < r->end ? r->p[0] : 0;
}

int der_next(der_rd *r, der_tlv *t, csr_err *e)
{
    size_t off = der_rd_off(r), avail = (size_t)(r->end - r->p), n, k, i, hdr;
    const uint8_t *p = r->p;

    if (avail < 2)
        return csr_err_at(e, CSR_E_BAD_DER, off, avail ? "truncated header"
                                                  : "unexpected end of data");
    if ((p[0] & 0x1f) == 0x1f)
        return csr_err_at(e, CSR_E_BAD_DER, off, "high tag number");
    if (p[1] < 0x80) {
        n = p[1];
        hdr = 2;
    } else if (p[1] == 0x80) {
        return csr_err_at(e, CSR_E_BAD_DER, off, "indefinite length");
    } else {
        k = p[1] & 0x7f;
        if (k > 4)
            return csr_err_at(e, CSR_E_BAD_DER, off, "length too large");
        if (avail < 2 + k)
            return csr_err_at(e, CSR_E_BAD_DER, off, "truncated length");
        if (p[2] == 0)
            return csr_err_at(e, CSR_E_BAD_DER, off, "non-minimal length");
        n = 0;
        for (i = 0; i < k; i++)
            n = (n << 8) | p[2 + i];
        if (n < 0x80)
            return csr_err_at(e, CSR_E_BAD_DER, off, "non-minimal length");
        hdr = 2 + k;
    }
    if (n > avail - hdr)
        return csr_err_at(e, CSR_E_BAD_DER, off, "length runs past the end");
    t->tag = p[0];
    t->tlv = p;
    t->tlv_len = hdr + n;
    t->v = p + hdr;
    t->len = n;
    t->off = off;
    t->voff = off + hdr;
    r->p = p + hdr + n;
    return CSR_OK;
}

int der_expect(der_rd *r, unsigned tag, der_tlv *t, const char *what, csr_err *e)
{
    size_t off = der_rd_off(r);
    int rc;
    if (!der_rd_more(r))
        return csr_err_at(e, CSR_E_BAD_DER, off, "%s missing", what);
    rc = der_next(r, t, e);
    if (rc != CSR_OK)
        return rc;
    if (t->tag != tag)
        return csr_err_at(e, CSR_E_BAD_DER, off, "%s: expected tag 0x%02x, got 0x%02x",
                           what, tag, t->tag);
    return CSR_OK;
}

int der_finish(const der_rd *r, const char *what, csr_err *e)
{
    if (der_rd_more(r))
        return csr_err_at(e, CSR_E_BAD_DER, der_rd_off(r), "%s: trailing bytes", what);
    return CSR_OK;
}

int der_get_bool(const der_tlv *t, int *v, const char *what, csr_err *e)
{
    if (t->tag != DER_BOOLEAN || t->len != 1 || (t->v[0] != 0 && t->v[0] != 0xff))
        return csr_err_at(e, CSR_E_BAD_DER, t->off, "%s: invalid BOOLEAN", what);
    *v = t->v[0] ? 1 : 0;
    return CSR_OK;
}

int der_get_null(const der_tlv *t, const char *what, csr_err *e)
{
    if (t->tag != DER_NULL || t->len != 0)
        return csr_err_at(e, CSR_E_BAD_DER, t->off, "%s: invalid NULL", what);
    return CSR_OK;
}

static int check_int(const der_tlv *t, const char *what, csr_err *e)
{
    if (t->tag != DER_INTEGER || t->len == 0)
        return csr_err_at(e, CSR_E_BAD_DER, t->off, "%s: invalid INTEGER", what);
    if (t->len > 1 && ((t->v[0] == 0 && !(t->v[1] & 0x80)) ||
                       (t->v[0] == 0xff && (t->v[1] & 0x80))))
        return csr_err_at(e, CSR_E_BAD_DER, t->off, "%s: non-minimal INTEGER", what);
    return CSR_OK;
}

int der_get_uint_bytes(const der_tlv *t, const uint8_t **be, size_t *n, const char *what,
                       csr_err *e)
{
    int rc = check_int(t, what, e);
    if (rc != CSR_OK)
        return rc;
    if (t->v[0] & 0x80)
        return csr_err_at(e, CSR_E_BAD_DER, t->off, "%s: negative INTEGER", what);
    *be = t->v;
    *n = t->len;
    if (t->len > 1 && t->v[0] == 0) {
        (*be)++;
        (*n)--;
    }
    return CSR_OK;
}

int der_get_uint(const der_tlv *t, long *v, const char *what, csr_err *e)
{
    const uint8_t *be;
    unsigned long x = 0;
    size_t n, i;
    int rc = der_get_uint_bytes(t, &be, &n, what, e);
    if (rc != CSR_OK)
        return rc;
    for (i = 0; i < n && n <= sizeof(long); i++)
        x = (x << 8) | be[i];
    if (n > sizeof(long) || x > (unsigned long)LONG_MAX)
        return csr_err_at(e, CSR_E_BAD_DER, t->off, "%s: INTEGER too large", what);
    *v = (long)x;
    return CSR_OK;
}

/* Appends [sep] and v in decimal at out[*pos], NUL-terminated; -1 when it does not fit. */
static int put_dec_arc(char *out, size_t *pos, char sep, uint64_t v)
{
    char d[20];
    size_t n = 0;

    do {
        d[n++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v != 0);
    if (*pos + n + (sep != 0) >= DER_OID_TEXT)
        return -1;
    if (sep != 0)
        out[(*pos)++] = sep;
    while (n > 0)
        out[(*pos)++] = d[--n];
    out[*pos] = '\0';
    return 0;
}

int der_get_oid(const der_tlv *t, char out[DER_OID_TEXT], const char *what, csr_err *e)
{
    size_t i, pos = 0;
    uint64_t v = 0;
    int first = 1, fresh = 1, w;

    if (t->tag != DER_OID || t->len == 0 || t->len > 64)
        return csr_err_at(e, CSR_E_BAD_DER, t->off, "%s: invalid OBJECT IDENTIFIER", what);
    for (i = 0; i < t->len; i++) {
        uint8_t c = t->v[i];
        if (fresh && c == 0x80)
            return csr_err_at(e, CSR_E_BAD_DER, (t->voff + i),
                               "%s: non-minimal OID subidentifier", what);
        fresh = 0;
        if (v > (UINT64_MAX >> 7))
            return csr_err_at(e, CSR_E_BAD_DER, (t->voff + i), "%s: OID arc too large", what);
        v = (v << 7) | (c & 0x7f);
        if (c & 0x80)
            continue;
        if (first) {
            unsigned a = v < 40 ? 0 : v < 80 ? 1 : 2;
            w = put_dec_arc(out, &pos, 0, a);
            if (w == 0)
                w = put_dec_arc(out, &pos, '.', v - 40u * a);
            first = 0;
        } else {
            w = put_dec_arc(out, &pos, '.', v);
        }
        if (w != 0)
            return csr_err_at(e, CSR_E_BAD_DER, t->off, "%s: OID too long", what);
        v = 0;
        fresh = 1;
    }
    if (!fresh)
        return csr_err_at(e, CSR_E_BAD_DER, t->off, "%s: truncated OID", what);
    return CSR_OK;
}

int der_get_bit_string(const der_tlv *t, const uint8_t **v, size_t *n, int *unused,
                       const char *what, csr_err *e)
{
    if (t->tag != DER_BIT_STRING || t->len == 0 || t->v[0] > 7 ||
        (t->len == 1 && t->v[0] != 0))
        return csr_err_at(e, CSR_E_BAD_DER, t->off, "%s: invalid BIT STRING", what);
    if (t->len > 1 && (t->v[t->len - 1] & ((1u << t->v[0]) - 1)))
        return csr_err_at(e, CSR_E_BAD_DER, t->off, "%s: BIT STRING unused bits not zero",
                           what);
    *v = t->v + 1;
    *n = t->len - 1;
    *unused = t->v[0];
    return CSR_OK;
}

int der_get_named_bits(const der_tlv *t, unsigned *bits, const char *what, csr_err *e)
{
    const uint8_t *v;
    size_t n, i;
    int unused, rc = der_get_bit_string(t, &v, &n, &unused, what, e);
    unsigned x = 0;
    if (rc != CSR_OK)
        return rc;
    for (i = 0; i < n; i++) {
        int k;
        for (k = 0; k < 8; k++) {
            if (!(v[i] & (0x80 >> k)))
                continue;
            if (i * 8 + (size_t)k >= 32)
                return csr_err_at(e, CSR_E_BAD_DER, t->off, "%s: too many bits", what);
            x |= 1u << (i * 8 + (size_t)k);
        }
    }
    *bits = x;
    return CSR_OK;
}

int der_is_printable(const uint8_t *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        uint8_t c = s[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            continue;
        if (c && strchr(" '()+,-./:=?", c))
            continue;
        return 0;
    }
    return 1;
}

int der_is_ia5(const uint8_t *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (s[i] & 0x80)
            return 0;
    return 1;
}

int der_check_string(const der_tlv *t, const char *what, csr_err *e)
{
    size_t i;
    int ok = 1;
    switch (t->tag) {
    case DER_UTF8STRING:
        if (!csr_utf8_valid(t->v, t->len))
            return csr_err_at(e, CSR_E_BAD_UTF8, t->off, "%s: invalid UTF-8", what);
        return CSR_OK;
    case DER_PRINTABLE:
        ok = der_is_printable(t->v, t->len);
        break;
    case DER_IA5STRING:
        ok = der_is_ia5(t->v, t->len);
        break;
    case 0x12:                          /* NumericString */
        for (i = 0; i < t->len; i++)
            if (!((t->v[i] >= '0' && t->v[i] <= '9') || t->v[i] == ' '))
                ok = 0;
        break;
    case DER_VISIBLE:
        for (i = 0; i < t->len; i++)
            if (t->v[i] < 0x20 || t->v[i] > 0x7e)
                ok = 0;
        break;
    case DER_T61STRING:
        break;
    case DER_BMPSTRING:
        ok = (t->len % 2) == 0;
        break;
    case DER_UNIVERSAL:
        ok = (t->len % 4) == 0;
        break;
    default:
        return csr_err_at(e, CSR_E_BAD_DER, t->off, "%s: not a string type (tag 0x%02x)",
                           what, t->tag);
    }
    if (!ok)
        return csr_err_at(e, CSR_E_BAD_DER, t->off, "%s: invalid characters for tag 0x%02x",
                           what, t->tag);
    return CSR_OK;
}

static int check_tree(der_rd *r, int depth, const char *what, csr_err *e)
{
    der_tlv t;
    der_rd sub;
    int rc;
    while (der_rd_more(r)) {
        rc = der_next(r, &t, e);
        if (rc != CSR_OK)
            return rc;
        if (t.tag & 0x20) {
            if (depth >= DER_MAX_DEPTH)
                return csr_err_at(e, CSR_E_BAD_DER, t.off, "%s: nested too deeply", what);
            der_rd_enter(&sub, &t);
            rc = check_tree(&sub, depth + 1, what, e);
            if (rc != CSR_OK)
                return rc;
        }
    }
    return CSR_OK;
}

int der_check_tree(const uint8_t *p, size_t n, size_t base, const char *what, csr_err *e)
{
    der_rd r, sub;
    der_tlv t;
    int rc;
    der_rd_init(&r, p, n, base);
    rc = der_next(&r, &t, e);
    if (rc != CSR_OK)
        return rc;
    rc = der_finish(&r, what, e);
    if (rc != CSR_OK)
        return rc;
    if (t.tag & 0x20) {
        der_rd_enter(&sub, &t);
        return check_tree(&sub, 1, what, e);
    }
    return CSR_OK;
}

/* ---- reader steps ---- */

int der_read_one(const uint8_t *p, size_t n, size_t base, unsigned tag, der_tlv *t,
                 const char *what, csr_err *e)
{
    der_rd r;
    int rc;
    der_rd_init(&r, p, n, base);
    if ((rc = der_expect(&r, tag, t, what, e)) != CSR_OK)
        return rc;
    return der_finish(&r, what, e);
}

int der_enter(der_rd *r, unsigned tag, der_rd *in, const char *what, csr_err *e)
{
    der_tlv t;
    int rc = der_expect(r, tag, &t, what, e);
    if (rc == CSR_OK)
        der_rd_enter(in, &t);
    return rc;
}

int der_optional(der_rd *r, unsigned tag, der_tlv *t, int *present, csr_err *e)
{
    *present = der_rd_more(r) && der_peek(r) == tag;
    return *present ? der_next(r, t, e) : CSR_OK;
}

int der_read_oid(der_rd *r, char out[DER_OID_TEXT], const char *what, csr_err *e)
{
    der_tlv t;
    int rc = der_expect(r, DER_OID, &t, what, e);
    return rc != CSR_OK ? rc : der_get_oid(&t, out, what, e);
}

int der_count(const der_tlv *t, size_t *n, csr_err *e)
{
    der_rd in;
    der_tlv x;
    int rc;
    *n = 0;
    der_rd_enter(&in, t);
    while (der_rd_more(&in)) {
        if ((rc = der_next(&in, &x, e)) != CSR_OK)
            return rc;
        (*n)++;
    }
    return CSR_OK;
}

int der_read_first(const der_tlv *t, der_tlv *first, csr_err *e)
{
    der_rd in;
    der_rd_enter(&in, t);
    return der_next(&in, first, e);
}

int der_read_spki(const uint8_t *spki, size_t len, der_tlv *alg, der_tlv *bits, csr_err *e)
{
    der_rd r, c;
    der_tlv t;
    int rc;
    der_rd_init(&r, spki, len, 0);
    if ((rc = der_expect(&r, DER_SEQUENCE, &t, "SubjectPublicKeyInfo", e)) != CSR_OK ||
        (rc = der_finish(&r, "SubjectPublicKeyInfo", e)) != CSR_OK)
        return rc;
    der_rd_enter(&c, &t);
    if ((rc = der_expect(&c, DER_SEQUENCE, alg, "public key algorithm", e)) != CSR_OK ||
        (rc = der_expect(&c, DER_BIT_STRING, bits, "public key", e)) != CSR_OK)
        return rc;
    return der_finish(&c, "SubjectPublicKeyInfo", e);
}

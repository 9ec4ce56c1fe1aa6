/* Strict DER writer and bounded reader (see der.h).
 * SPDX-License-Identifier: MIT */
#include <string.h>
#include <limits.h>
#include <stdio.h>

#include "der.h"

/* ---- writer ---- */

static size_t len_octets(size_t n)
{
    size_t k = 0;
    if (n < 0x80)
        return 1;
    while (n) {
        k++;
        n >>= 8;
    }
    return 1 + k;
}

static void put_len(csr_buf *b, size_t n)
{
    uint8_t tmp[9];
    size_t k = len_octets(n), i;
    if (k == 1) {
        tmp[0] = (uint8_t)n;
    } else {
        tmp[0] = (uint8_t)(0x80 | (k - 1));
        for (i = k - 1; i >= 1; i--) {
            tmp[i] = (uint8_t)(n & 0xff);
            n >>= 8;
        }
    }
    csr_buf_put(b, tmp, k);
}

void der_put_tlv(csr_buf *b, unsigned tag, const void *v, size_t n)
{
    uint8_t t = (uint8_t)tag;
    csr_buf_put(b, &t, 1);
    put_len(b, n);
    if (n)
        csr_buf_put(b, v, n);
}

void der_put_raw(csr_buf *b, const void *v, size_t n)
{
    csr_buf_put(b, v, n);
}

size_t der_open(csr_buf *b, unsigned tag)
{
    uint8_t hdr[2];
    hdr[0] = (uint8_t)tag;
    hdr[1] = 0;
    csr_buf_put(b, hdr, 2);
    return b->err ? 0 : b->len - 1;     /* offset of the length placeholder */
}

void der_close(csr_buf *b, size_t mark)
{
    size_t n, k;
    if (b->err)
        return;
    n = b->len - (mark + 1);
    k = len_octets(n);
    if (k > 1) {
        size_t i, v = n;
        if (csr_buf_reserve(b, k - 1) != CSR_OK)
            return;
        memmove(b->p + mark + k, b->p + mark + 1, n);
        b->len += k - 1;
        b->p[mark] = (uint8_t)(0x80 | (k - 1));
        for (i = k - 1; i >= 1; i--) {
            b->p[mark + i] = (uint8_t)(v & 0xff);
            v >>= 8;
        }
    } else {
        b->p[mark] = (uint8_t)n;
    }
}

typedef struct { const uint8_t *p; size_t n; } span;

/* X.690 11.6: compare as octet strings, the shorter padded with trailing zero octets. */
static int span_cmp(const span *a, const span *b)
{
    size_t m = a->n < b->n ? a->n : b->n, i;
    int c = memcmp(a->p, b->p, m);
    if (c)
        return c;
    for (i = m; i < a->n; i++)
        if (a->p[i])
            return 1;
    for (i = m; i < b->n; i++)
        if (b->p[i])
            return -1;
    return 0;
}

void der_close_set(csr_buf *b, size_t mark)
{
    der_rd r;
    der_tlv t;
    span *el = NULL;
    uint8_t *tmp = NULL;
    size_t count = 0, i, j, start, n, pos;
    csr_err e;

    if (b->err)
        return;
    start = mark + 1;
    n = b->len - start;
    der_rd_init(&r, b->p + start, n, 0);
    while (der_rd_more(&r)) {           /* our own output: well formed */
        if (der_next(&r, &t, &e) != CSR_OK) {
            b->err = CSR_E_INVALID;
            return;
        }
        count++;
    }
    if (count > 1) {
        el = (span *)csr_calloc(count, sizeof *el);
        tmp = (uint8_t *)csr_malloc(n);
        if (el == NULL || tmp == NULL) {
            csr_free(el);
            csr_free(tmp);
            b->err = CSR_E_NOMEM;
            return;
        }
        der_rd_init(&r, b->p + start, n, 0);
        for (i = 0; i < count; i++) {
            if (der_next(&r, &t, &e) != CSR_OK)
                break;
            el[i].p = t.tlv;
            el[i].n = t.tlv_len;
        }
        for (i = 1; i < count; i++) {       /* insertion sort: sets are small */
            span s = el[i];
            for (j = i; j > 0 && span_cmp(&el[j - 1], &s) > 0; j--)
                el[j] = el[j - 1];
            el[j] = s;
        }
        for (i = 0, pos = 0; i < count; i++) {
            memcpy(tmp + pos, el[i].p, el[i].n);
            pos += el[i].n;
        }
        memcpy(b->p + start, tmp, n);
        if (b->secret)
            csr_wipe(tmp, n);
        csr_free(tmp);
        csr_free(el);
    }
    der_close(b, mark);
}

void der_put_uint_bytes(csr_buf *b, const uint8_t *be, size_t n)
{
    size_t mark;
    uint8_t z = 0;
    while (n > 0 && be[0] == 0) {
        be++;
        n--;
    }
    mark = der_open(b, DER_INTEGER);
    if (n == 0 || (be[0] & 0x80))
        csr_buf_put(b, &z, 1);
    if (n)
        csr_buf_put(b, be, n);
    der_close(b, mark);
}

void der_put_uint(csr_buf *b, unsigned long v)
{
    uint8_t be[sizeof v];
    size_t i;
    for (i = 0; i < sizeof v; i++)
        be[sizeof v - 1 - i] = (uint8_t)(v >> (8 * i));
    der_put_uint_bytes(b, be, sizeof v);
}

void der_put_bool(csr_buf *b, int v)
{
    uint8_t x = v ? 0xff : 0x00;
    der_put_tlv(b, DER_BOOLEAN, &x, 1);
}

void der_put_null(csr_buf *b)
{
    der_put_tlv(b, DER_NULL, NULL, 0);
}

static size_t put_arc(uint8_t *out, size_t outsz, size_t pos, uint64_t v)
{
    uint8_t tmp[10];
    size_t k = 0, i;
    do {
        tmp[k++] = (uint8_t)(v & 0x7f);
        v >>= 7;
    } while (v);
    if (pos + k > outsz)
        return 0;
    for (i = 0; i < k; i++)
        out[pos + i] = (uint8_t)(tmp[k - 1 - i] | (i + 1 < k ? 0x80 : 0));
    return pos + k;
}

size_t der_oid_from_text(uint8_t *out, size_t outsz, const char *s)
{
    uint64_t arcs[2] = {0, 0}, v;
    size_t narc = 0, pos = 0;
    const char *c = s;

    if (s == NULL || *s == '\0')
        return 0;
    for (;;) {
        const char *d = c;
        v = 0;
        if (*c < '0' || *c > '9')
            return 0;
        if (*c == '0' && c[1] >= '0' && c[1] <= '9')
            return 0;                   /* no leading zeros */
        while (*c >= '0' && *c <= '9') {
            if (v > (UINT64_MAX - 9) / 10)
                return 0;
            v = v * 10 + (uint64_t)(*c - '0');
            c++;
        }
        if (c == d)
            return 0;
        if (narc < 2) {
            arcs[narc] = v;
        }
        narc++;
        if (narc == 2) {
            if (arcs[0] > 2 || (arcs[0] < 2 && arcs[1] > 39) || arcs[1] > UINT64_MAX - 80)
                return 0;
            pos = put_arc(out, outsz, 0, arcs[0] * 40 + arcs[1]);
            if (pos == 0)
                return 0;
        } else if (narc > 2) {
            pos = put_arc(out, outsz, pos, v);
            if (pos == 0)
                return 0;
        }
        if (*c == '\0')
            break;
        if (*c != '.')
            return 0;
        c++;
    }
    return narc >= 2 ? pos : 0;
}

int der_put_oid_text(csr_buf *b, const char *dotted)
{
    uint8_t tmp[DER_OID_TEXT];
    size_t n = der_oid_from_text(tmp, sizeof tmp, dotted);
    if (n == 0)
        return CSR_E_INVALID;
    der_put_tlv(b, DER_OID, tmp, n);
    return CSR_OK;
}

void der_put_named_bits(csr_buf *b, unsigned bits)
{
    uint8_t v[5];
    int hi = -1, i, nbytes;
    for (i = 0; i < 32; i++)
        if (bits & (1u << i))
            hi = i;
    if (hi < 0) {
        v[0] = 0;
        der_put_tlv(b, DER_BIT_STRING, v, 1);
        return;
    }
    nbytes = hi / 8 + 1;
    memset(v, 0, sizeof v);
    for (i = 0; i <= hi; i++)
        if (bits & (1u << i))
            v[1 + i / 8] |= (uint8_t)(0x80 >> (i % 8));
    v[0] = (uint8_t)(7 - (hi % 8));
    der_put_tlv(b, DER_BIT_STRING, v, (size_t)nbytes + 1);
}

void der_put_bit_string(csr_buf *b, const uint8_t *v, size_t n)
{
    size_t mark = der_open(b, DER_BIT_STRING);
    uint8_t z = 0;
    csr_buf_put(b, &z, 1);
    if (n)
        csr_buf_put(b, v, n);
    der_close(b, mark);
}

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
        return csr_err_set(e, CSR_E_BAD_DER, avail ? "truncated header at byte %lu"
                                                  : "unexpected end of data at byte %lu",
                           (unsigned long)off);
    if ((p[0] & 0x1f) == 0x1f)
        return csr_err_set(e, CSR_E_BAD_DER, "high tag number at byte %lu", (unsigned long)off);
    if (p[1] < 0x80) {
        n = p[1];
        hdr = 2;
    } else if (p[1] == 0x80) {
        return csr_err_set(e, CSR_E_BAD_DER, "indefinite length at byte %lu",
                           (unsigned long)off);
    } else {
        k = p[1] & 0x7f;
        if (k > 4)
            return csr_err_set(e, CSR_E_BAD_DER, "length too large at byte %lu",
                               (unsigned long)off);
        if (avail < 2 + k)
            return csr_err_set(e, CSR_E_BAD_DER, "truncated length at byte %lu",
                               (unsigned long)off);
        if (p[2] == 0)
            return csr_err_set(e, CSR_E_BAD_DER, "non-minimal length at byte %lu",
                               (unsigned long)off);
        n = 0;
        for (i = 0; i < k; i++)
            n = (n << 8) | p[2 + i];
        if (n < 0x80)
            return csr_err_set(e, CSR_E_BAD_DER, "non-minimal length at byte %lu",
                               (unsigned long)off);
        hdr = 2 + k;
    }
    if (n > avail - hdr)
        return csr_err_set(e, CSR_E_BAD_DER, "length runs past the end at byte %lu",
                           (unsigned long)off);
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
        return csr_err_set(e, CSR_E_BAD_DER, "%s missing at byte %lu", what, (unsigned long)off);
    rc = der_next(r, t, e);
    if (rc != CSR_OK)
        return rc;
    if (t->tag != tag)
        return csr_err_set(e, CSR_E_BAD_DER, "%s: expected tag 0x%02x, got 0x%02x at byte %lu",
                           what, tag, t->tag, (unsigned long)off);
    return CSR_OK;
}

int der_finish(const der_rd *r, const char *what, csr_err *e)
{
    if (der_rd_more(r))
        return csr_err_set(e, CSR_E_BAD_DER, "%s: trailing bytes at byte %lu", what,
                           (unsigned long)der_rd_off(r));
    return CSR_OK;
}

int der_get_bool(const der_tlv *t, int *v, const char *what, csr_err *e)
{
    if (t->tag != DER_BOOLEAN || t->len != 1 || (t->v[0] != 0 && t->v[0] != 0xff))
        return csr_err_set(e, CSR_E_BAD_DER, "%s: invalid BOOLEAN at byte %lu", what,
                           (unsigned long)t->off);
    *v = t->v[0] ? 1 : 0;
    return CSR_OK;
}

int der_get_null(const der_tlv *t, const char *what, csr_err *e)
{
    if (t->tag != DER_NULL || t->len != 0)
        return csr_err_set(e, CSR_E_BAD_DER, "%s: invalid NULL at byte %lu", what,
                           (unsigned long)t->off);
    return CSR_OK;
}

static int check_int(const der_tlv *t, const char *what, csr_err *e)
{
    if (t->tag != DER_INTEGER || t->len == 0)
        return csr_err_set(e, CSR_E_BAD_DER, "%s: invalid INTEGER at byte %lu", what,
                           (unsigned long)t->off);
    if (t->len > 1 && ((t->v[0] == 0 && !(t->v[1] & 0x80)) ||
                       (t->v[0] == 0xff && (t->v[1] & 0x80))))
        return csr_err_set(e, CSR_E_BAD_DER, "%s: non-minimal INTEGER at byte %lu", what,
                           (unsigned long)t->off);
    return CSR_OK;
}

int der_get_uint_bytes(const der_tlv *t, const uint8_t **be, size_t *n, const char *what,
                       csr_err *e)
{
    int rc = check_int(t, what, e);
    if (rc != CSR_OK)
        return rc;
    if (t->v[0] & 0x80)
        return csr_err_set(e, CSR_E_BAD_DER, "%s: negative INTEGER at byte %lu", what,
                           (unsigned long)t->off);
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
        return csr_err_set(e, CSR_E_BAD_DER, "%s: INTEGER too large at byte %lu", what,
                           (unsigned long)t->off);
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
        return csr_err_set(e, CSR_E_BAD_DER, "%s: invalid OBJECT IDENTIFIER at byte %lu", what,
                           (unsigned long)t->off);
    for (i = 0; i < t->len; i++) {
        uint8_t c = t->v[i];
        if (fresh && c == 0x80)
            return csr_err_set(e, CSR_E_BAD_DER,
                               "%s: non-minimal OID subidentifier at byte %lu", what,
                               (unsigned long)(t->voff + i));
        fresh = 0;
        if (v > (UINT64_MAX >> 7))
            return csr_err_set(e, CSR_E_BAD_DER, "%s: OID arc too large at byte %lu", what,
                               (unsigned long)(t->voff + i));
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
            return csr_err_set(e, CSR_E_BAD_DER, "%s: OID too long at byte %lu", what,
                               (unsigned long)t->off);
        v = 0;
        fresh = 1;
    }
    if (!fresh)
        return csr_err_set(e, CSR_E_BAD_DER, "%s: truncated OID at byte %lu", what,
                           (unsigned long)t->off);
    return CSR_OK;
}

int der_get_bit_string(const der_tlv *t, const uint8_t **v, size_t *n, int *unused,
                       const char *what, csr_err *e)
{
    if (t->tag != DER_BIT_STRING || t->len == 0 || t->v[0] > 7 ||
        (t->len == 1 && t->v[0] != 0))
        return csr_err_set(e, CSR_E_BAD_DER, "%s: invalid BIT STRING at byte %lu", what,
                           (unsigned long)t->off);
    if (t->len > 1 && (t->v[t->len - 1] & ((1u << t->v[0]) - 1)))
        return csr_err_set(e, CSR_E_BAD_DER, "%s: BIT STRING unused bits not zero at byte %lu",
                           what, (unsigned long)t->off);
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
                return csr_err_set(e, CSR_E_BAD_DER, "%s: too many bits at byte %lu", what,
                                   (unsigned long)t->off);
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
            return csr_err_set(e, CSR_E_BAD_UTF8, "%s: invalid UTF-8 at byte %lu", what,
                               (unsigned long)t->off);
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
        return csr_err_set(e, CSR_E_BAD_DER, "%s: not a string type (tag 0x%02x) at byte %lu",
                           what, t->tag, (unsigned long)t->off);
    }
    if (!ok)
        return csr_err_set(e, CSR_E_BAD_DER, "%s: invalid characters for tag 0x%02x at byte %lu",
                           what, t->tag, (unsigned long)t->off);
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
                return csr_err_set(e, CSR_E_BAD_DER, "%s: nested too deeply at byte %lu", what,
                                   (unsigned long)t.off);
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

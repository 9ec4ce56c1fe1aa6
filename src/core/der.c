/* The strict DER writer (see der.h); the bounded reader is in der_read.c.
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

/* see der.h */
int der_set_order(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
    size_t m = an < bn ? an : bn, i;
    int c = memcmp(a, b, m);
    if (c)
        return c;
    for (i = m; i < an; i++)
        if (a[i])
            return 1;
    for (i = m; i < bn; i++)
        if (b[i])
            return -1;
    return 0;
}

static int span_cmp(const span *a, const span *b)
{
    return der_set_order(a->p, a->n, b->p, b->n);
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

/* PEM armour and strict base64 (RFC 7468 "strict" text, any line length, CRLF).
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "core_int.h"

static const char b64chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64url_chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* base64 value + 1 of each byte (0: not a base64 character; bytes >= 128, left out, are 0) */
static const uint8_t b64tab[256] = {
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0, 63,  0,  0,  0, 64,
    53, 54, 55, 56, 57, 58, 59, 60, 61, 62,  0,  0,  0,  0,  0,  0,
     0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15,
    16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,  0,  0,  0,  0,  0,
     0, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41,
    42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52,  0,  0,  0,  0,  0,
};

static int b64val(uint8_t c)
{
    return (int)b64tab[c] - 1;
}

/* One encoder for both alphabets: url = 1 writes RFC 4648 section 5 without padding. */
static int b64_encode(csr_buf *out, const uint8_t *in, size_t len, int wrap64, int url)
{
    const char *abc = url ? b64url_chars : b64chars;
    size_t i, col = 0;
    uint8_t *o;
    /* 4 chars per 3 bytes, a newline per 64 chars (at most len / 48 + 1): reserved up front,
     * then stored directly */
    if (csr_buf_reserve(out, (len + 2) / 3 * 4 + len / 48 + 2) != CSR_OK)
        return out->err;
    o = out->p + out->len;
    for (i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        size_t rem = len - i;
        if (rem > 1) v |= (uint32_t)in[i + 1] << 8;
        if (rem > 2) v |= in[i + 2];
        o[0] = (uint8_t)abc[(v >> 18) & 63];
        o[1] = (uint8_t)abc[(v >> 12) & 63];
        o[2] = (uint8_t)(rem > 1 ? abc[(v >> 6) & 63] : '=');
        o[3] = (uint8_t)(rem > 2 ? abc[v & 63] : '=');
        o += url ? (rem > 2 ? 4 : rem + 1) : 4;
        col += 4;
        if (wrap64 && col == 64 && i + 3 < len) {
            *o++ = '\n';
            col = 0;
        }
    }
    if (wrap64 && len > 0)
        *o++ = '\n';
    out->len = (size_t)(o - out->p);
    return CSR_OK;
}

int csr_b64_encode(csr_buf *out, const uint8_t *in, size_t len, int wrap64)
{
    return b64_encode(out, in, len, wrap64, 0);
}

int csr_b64url_encode(csr_buf *out, const uint8_t *in, size_t len)
{
    return b64_encode(out, in, len, 0, 1);
}

static int b64url_val(uint8_t c)
{
    if (c == '-') return 62;
    if (c == '_') return 63;
    return c == '+' || c == '/' ? -1 : b64val(c);
}

int csr_b64url_decode(csr_buf *out, const uint8_t *in, size_t len, csr_err *err)
{
    size_t i;
    uint32_t acc = 0;
    int bits = 0;

    if (len % 4 == 1)
        return csr_err_set(err, CSR_E_BAD_PEM, "base64url length %lu is impossible",
                           (unsigned long)len);
    if (csr_buf_reserve(out, len / 4 * 3 + 2) != CSR_OK)
        return csr_err_set(err, out->err, "out of memory");
    for (i = 0; i < len; i++) {
        int v = b64url_val(in[i]);
        if (v < 0)
            return csr_err_set(err, CSR_E_BAD_PEM, "not base64url at character %lu",
                               (unsigned long)i + 1);
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out->p[out->len++] = (uint8_t)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    if (acc != 0)      /* the unused low bits of the last character must be zero */
        return csr_err_set(err, CSR_E_BAD_PEM, "base64url has non-zero unused bits at the end");
    return CSR_OK;
}

int csr_pem_encode(csr_buf *out, const char *label, const uint8_t *der, size_t len)
{
    csr_buf_put(out, "-----BEGIN ", 11);
    csr_buf_put(out, label, strlen(label));
    csr_buf_put(out, "-----\n", 6);
    csr_b64_encode(out, der, len, 1);
    csr_buf_put(out, "-----END ", 9);
    csr_buf_put(out, label, strlen(label));
    csr_buf_put(out, "-----\n", 6);
    return out->err;
}

static const uint8_t *find(const uint8_t *p, const uint8_t *end, const char *s)
{
    size_t n = strlen(s);
    while ((size_t)(end - p) >= n) {
        const uint8_t *q = (const uint8_t *)memchr(p, s[0], (size_t)(end - p) - n + 1);
        if (q == NULL)
            return NULL;
        if (memcmp(q, s, n) == 0)
            return q;
        p = q + 1;
    }
    return NULL;
}

int csr_pem_detect(const uint8_t *in, size_t len)
{
    return find(in, in + len, "-----BEGIN ") != NULL;
}

/* Stores the 3 bytes of a 24-bit quantum (room reserved by b64_decode). */
static void put3(csr_buf *der, uint32_t q)
{
    der->p[der->len++] = (uint8_t)(q >> 16);
    der->p[der->len++] = (uint8_t)(q >> 8);
    der->p[der->len++] = (uint8_t)q;
}

/* The fast path: the whole quanta of four base64 characters from s on (a PEM line is 16 of
 * them), stored straight into the room b64_decode reserved. Returns where it stopped. */
static const uint8_t *whole_quanta(csr_buf *der, const uint8_t *s, const uint8_t *end)
{
    uint8_t *o = der->p + der->len;
    while (end - s >= 4) {
        int a = b64val(s[0]), b = b64val(s[1]), d = b64val(s[2]), f = b64val(s[3]);
        uint32_t q;
        if ((a | b | d | f) < 0)
            break;
        q = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)d << 6 | (uint32_t)f;
        o[0] = (uint8_t)(q >> 16);
        o[1] = (uint8_t)(q >> 8);
        o[2] = (uint8_t)q;
        o += 3;
        s += 4;
    }
    der->len = (size_t)(o - der->p);
    return s;
}

/* Spaces and tabs only at line ends: 1 when the next non-blank from s is a line break or
 * the end. */
static int blanks_end_line(const uint8_t *s, const uint8_t *end)
{
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    return s == end || *s == '\r' || *s == '\n';
}

/* After the last character: the count checked and the padded last quantum stored. */
static int b64_tail(csr_buf *der, size_t nchars, size_t pad, uint32_t acc, csr_err *err)
{
    if (nchars == 0)
        return csr_err_set(err, CSR_E_BAD_PEM, "empty PEM body");
    if (nchars % 4 != 0)
        return csr_err_set(err, CSR_E_BAD_PEM, "base64 length is not a multiple of 4");
    if (pad) {
        /* the last quantum: chars were shifted in without the pad positions */
        uint32_t v = acc << (6 * pad);
        uint8_t o[2];
        o[0] = (uint8_t)(v >> 16);
        o[1] = (uint8_t)(v >> 8);
        if ((pad == 1 && (v & 0xff)) || (pad == 2 && (v & 0xffff)))
            return csr_err_set(err, CSR_E_BAD_PEM, "non-canonical base64 padding bits");
        csr_buf_put(der, o, 3 - pad);
    }
    if (der->err)
        return csr_err_set(err, der->err, "out of memory decoding PEM");
    return CSR_OK;
}

/* Decodes the base64 body between p and end (line breaks and trailing blanks allowed). */
static int b64_decode(csr_buf *der, const uint8_t *p, const uint8_t *end, size_t base,
                      csr_err *err)
{
    uint32_t acc = 0;
    size_t nchars = 0, pad = 0;
    const uint8_t *s;

    /* at most 3 bytes per 4 characters: one allocation, then direct stores */
    if (csr_buf_reserve(der, (size_t)(end - p) / 4 * 3 + 3) != CSR_OK)
        return csr_err_set(err, der->err, der->err == CSR_E_NOMEM ? "out of memory decoding PEM"
                                                                  : "PEM too large");
    for (s = p; s < end; s++) {
        int v;
        uint8_t c;
        size_t off;
        if (nchars % 4 == 0 && pad == 0) {
            const uint8_t *t = whole_quanta(der, s, end);
            nchars += (size_t)(t - s);
            if ((s = t) == end)
                break;
        }
        c = *s;
        off = base + (size_t)(s - p);
        if (c == '\r' || c == '\n' || c == ' ' || c == '\t') {
            if ((c == ' ' || c == '\t') && !blanks_end_line(s, end))
                return csr_err_at(err, CSR_E_BAD_PEM, off, "space inside base64");
            continue;
        }
        if (c == '=') {
            if (++pad > 2)
                return csr_err_at(err, CSR_E_BAD_PEM, off, "too much base64 padding");
            nchars++;
            continue;
        }
        if ((v = b64val(c)) < 0)
            return csr_err_at(err, CSR_E_BAD_PEM, off, "invalid base64 character");
        if (pad)
            return csr_err_at(err, CSR_E_BAD_PEM, off, "base64 data after '='");
        acc = (acc << 6) | (uint32_t)v;
        if (++nchars % 4 == 0) {
            put3(der, acc);
            acc = 0;
        }
    }
    return b64_tail(der, nchars, pad, acc, err);
}

int csr_pem_decode(csr_buf *der, int *which, const uint8_t *in, size_t len,
                   const char *const *labels, csr_err *err)
{
    size_t end;
    return csr_pem_decode_next(der, which, in, len, labels, &end, err);
}

int csr_pem_decode_next(csr_buf *der, int *which, const uint8_t *in, size_t len,
                        const char *const *labels, size_t *next, csr_err *err)
{
    const uint8_t *end = in + len, *p = in;

    if (len > CSR_MAX_INPUT)
        return csr_err_set(err, CSR_E_TOO_LARGE, "input larger than %lu bytes",
                           (unsigned long)CSR_MAX_INPUT);
    for (;;) {
        const uint8_t *b = find(p, end, "-----BEGIN "), *lab, *le, *body, *e2, *eend;
        size_t ll;
        int i;
        if (b == NULL)
            return csr_err_set(err, CSR_E_BAD_PEM, "no PEM block with an expected label");
        lab = b + 11;
        le = find(lab, end, "-----");
        if (le == NULL)
            return csr_err_at(err, CSR_E_BAD_PEM, (b - in), "unterminated BEGIN line");
        ll = (size_t)(le - lab);
        for (i = 0; labels[i] != NULL; i++)
            if (strlen(labels[i]) == ll && memcmp(labels[i], lab, ll) == 0)
                break;
        if (labels[i] == NULL || memchr(lab, '\n', ll) != NULL) {
            p = lab;
            continue;
        }
        body = le + 5;
        while (body < end && (*body == ' ' || *body == '\t' || *body == '\r'))
            body++;
        if (body >= end || *body != '\n')
            return csr_err_at(err, CSR_E_BAD_PEM, (body - in), "text after BEGIN line");
        body++;
        e2 = find(body, end, "-----END ");
        if (e2 == NULL)
            return csr_err_set(err, CSR_E_BAD_PEM, "missing END line");
        eend = e2 + 9;
        if ((size_t)(end - eend) < ll + 5 || memcmp(eend, labels[i], ll) != 0 ||
            memcmp(eend + ll, "-----", 5) != 0)
            return csr_err_at(err, CSR_E_BAD_PEM, (e2 - in), "END label does not match BEGIN");
        if (e2 > body && e2[-1] != '\n')
            return csr_err_at(err, CSR_E_BAD_PEM, (e2 - in), "END line does not start a line");
        *which = i;
        *next = (size_t)(eend + ll + 5 - in);
        return b64_decode(der, body, e2, (size_t)(body - in), err);
    }
}

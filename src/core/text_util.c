/* Text plumbing without wolfSSL: UCS-2/UCS-4 to UTF-8, UTF-8 validation, IP address text
 * (RFC 4291 section 2.2 on input, RFC 5952 on output).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "csr.h"
#include "core_int.h"

/* ---- UTF-8 ---- */

int csr_ucs_to_utf8(uint8_t *out, size_t *olen, const uint8_t *v, size_t n, size_t unit)
{
    size_t i, k, o = 0;
    for (i = 0; i + unit <= n; i += unit) {
        unsigned long c = 0;
        for (k = 0; k < unit; k++)
            c = (c << 8) | v[i + k];
        if ((c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
            return 0;
        if (c < 0x80) {
            out[o++] = (uint8_t)c;
        } else if (c < 0x800) {
            out[o++] = (uint8_t)(0xc0 | (c >> 6));
            out[o++] = (uint8_t)(0x80 | (c & 0x3f));
        } else if (c < 0x10000) {
            out[o++] = (uint8_t)(0xe0 | (c >> 12));
            out[o++] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
            out[o++] = (uint8_t)(0x80 | (c & 0x3f));
        } else {
            out[o++] = (uint8_t)(0xf0 | (c >> 18));
            out[o++] = (uint8_t)(0x80 | ((c >> 12) & 0x3f));
            out[o++] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
            out[o++] = (uint8_t)(0x80 | (c & 0x3f));
        }
    }
    *olen = o;
    return 1;
}

int csr_utf8_valid(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        size_t k, j;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            k = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            k = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            k = 3;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (n - i <= k)
            return 0;
        for (j = 1; j <= k; j++) {
            if ((s[i + j] & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + j] & 0x3f);
        }
        if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        i += k + 1;
    }
    return 1;
}

size_t csr_utf8_len(const uint8_t *s, size_t n)
{
    size_t i, count = 0;
    for (i = 0; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            count++;
    return count;
}

/* ---- IP addresses ---- */

static int parse_v4(uint8_t out[4], const char *s, size_t n)
{
    size_t i = 0;
    int part;
    for (part = 0; part < 4; part++) {
        unsigned v = 0, digits = 0;
        if (part > 0) {
            if (i >= n || s[i] != '.')
                return 0;
            i++;
        }
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            if (digits > 0 && v == 0)
                return 0;               /* no leading zeros (ambiguous octal) */
            v = v * 10 + (unsigned)(s[i] - '0');
            if (v > 255)
                return 0;
            digits++;
            i++;
        }
        if (digits == 0)
            return 0;
        out[part] = (uint8_t)v;
    }
    return i == n ? 4 : 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int parse_v6(uint8_t out[16], const char *s, size_t n)
{
    uint8_t tmp[16];
    size_t i = 0, pos = 0;
    int gap = -1;

    if (n >= 2 && s[0] == ':' && s[1] == ':') {
        gap = 0;
        i = 2;
    } else if (n >= 1 && s[0] == ':') {
        return 0;
    }
    while (i < n) {
        size_t j = i;
        unsigned v = 0;
        int digits = 0;
        while (j < n && hexval(s[j]) >= 0 && digits < 5) {
            v = (v << 4) | (unsigned)hexval(s[j]);
            j++;
            digits++;
        }
        if (j < n && s[j] == '.') {     /* embedded IPv4 tail */
            if (pos > 12 || parse_v4(tmp + pos, s + i, n - i) != 4)
                return 0;
            pos += 4;
            i = n;
            break;
        }
        if (digits == 0 || digits > 4 || pos > 14)
            return 0;
        tmp[pos++] = (uint8_t)(v >> 8);
        tmp[pos++] = (uint8_t)v;
        i = j;
        if (i == n)
            break;
        if (s[i] != ':')
            return 0;
        i++;
        if (i < n && s[i] == ':') {
            if (gap >= 0)
                return 0;
            gap = (int)pos;
            i++;
        } else if (i == n) {
            return 0;                   /* trailing single ':' */
        }
    }
    if (gap >= 0) {
        size_t tail = pos - (size_t)gap;
        if (pos >= 16)
            return 0;
        memset(out, 0, 16);
        memcpy(out, tmp, (size_t)gap);
        memcpy(out + 16 - tail, tmp + gap, tail);
    } else {
        if (pos != 16)
            return 0;
        memcpy(out, tmp, 16);
    }
    return 16;
}

int csr_ip_parse(uint8_t out[16], const char *s, size_t n)
{
    if (n == 0 || n > 45)
        return 0;
    if (memchr(s, ':', n) != NULL)
        return parse_v6(out, s, n);
    return parse_v4(out, s, n);
}

/* Appends v in decimal (v < 1000) or lower-case hex (v < 0x10000) at t[*pos]. */
static void put_num(char *t, size_t *pos, unsigned v, unsigned base)
{
    static const char digits[] = "0123456789abcdef";
    char d[5];
    size_t k = 0;
    do {
        d[k++] = digits[v % base];
        v /= base;
    } while (v != 0);
    while (k > 0)
        t[(*pos)++] = d[--k];
}

/* The longest run of two or more zero groups (the first of equal runs), RFC 5952 4.2;
 * *len 0 when none. */
static int zero_run(const unsigned g[8], int *len)
{
    int i, best = -1, bestlen = 0, cur = 0;
    for (i = 0; i < 8; i++) {
        cur = g[i] == 0 ? cur + 1 : 0;
        if (cur > bestlen) {
            bestlen = cur;
            best = i - cur + 1;
        }
    }
    *len = bestlen >= 2 ? bestlen : 0;        /* never compress one group */
    return bestlen >= 2 ? best : -1;
}

/* Formatted by hand, not snprintf: reading a request's SANs calls this for every IP entry. */
int csr_ip_format(char *out, size_t outsz, const uint8_t *ip, size_t n)
{
    char t[46];
    size_t pos = 0;
    int i;

    if (n == 4) {
        for (i = 0; i < 4; i++) {
            if (i > 0)
                t[pos++] = '.';
            put_num(t, &pos, ip[i], 10);
        }
    } else if (n == 16) {
        unsigned g[8];
        int len, best;
        for (i = 0; i < 8; i++)
            g[i] = ((unsigned)ip[2 * i] << 8) | ip[2 * i + 1];
        best = zero_run(g, &len);
        for (i = 0; i < 8; i++) {
            if (i == best) {
                t[pos++] = ':';
                t[pos++] = ':';
                i += len - 1;
                continue;
            }
            if (i > 0 && i != best + len)
                t[pos++] = ':';
            put_num(t, &pos, g[i], 16);
        }
    } else {
        return CSR_E_INVALID;
    }
    if (pos >= outsz)
        return CSR_E_INVALID;
    memcpy(out, t, pos);
    out[pos] = '\0';
    return CSR_OK;
}

/* Small byte helpers shared across the core: hex in and out, copies, SHA-256 in hex.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "core_int.h"

void csr_hex(char *out, const uint8_t *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    size_t i;
    for (i = 0; i < n; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    out[2 * n] = '\0';
}

int csr_hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void *csr_memdup(const void *p, size_t n)
{
    void *c = csr_malloc(n ? n : 1);
    if (c != NULL && n)
        memcpy(c, p, n);
    return c;
}

int csr_sha256_hex(char hex[65], const uint8_t *in, size_t len)
{
    uint8_t h[32];
    int rc = csr_md_hash(CSR_MD_SHA256, in, len, h);
    if (rc != CSR_OK)
        memset(h, 0, sizeof h);
    csr_hex(hex, h, sizeof h);
    return rc;
}

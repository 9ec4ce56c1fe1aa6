/* Shared bits of the libFuzzer harnesses: one-time core init and property checks.
 * A failed property calls abort() so libFuzzer keeps the input as a crash artifact.
 * SPDX-License-Identifier: MIT */
#ifndef CSR_FUZZ_H
#define CSR_FUZZ_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_int.h"           /* the harnesses reach the internal plumbing too */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    csr_err e;
    (void)argc;
    (void)argv;
    if (csr_core_init(&e) != CSR_OK) {
        fprintf(stderr, "csr_core_init: %s\n", e.msg);
        abort();
    }
    return 0;
}

#define FUZZ_CHECK(cond, what)                                                        \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "property failed: %s (%s:%d)\n", what, __FILE__, __LINE__); \
            abort();                                                                  \
        }                                                                             \
    } while (0)

static void fuzz_err_reset(csr_err *e)
{
    e->code = -777;
    memset(e->msg, 0, sizeof e->msg);
}

/* A failing core call must say why: the code it returned, and a message. */
static void fuzz_err_ok(int rc, const csr_err *e)
{
    if (rc == CSR_OK)
        return;
    FUZZ_CHECK(rc > 0 && rc <= CSR_E_BAD_VERSION, "error code in range");
    FUZZ_CHECK(e->code == rc, "err->code equals the returned code");
    FUZZ_CHECK(e->msg[0] != '\0', "error message is set");
    FUZZ_CHECK(memchr(e->msg, '\0', sizeof e->msg) != NULL, "message NUL-terminated");
}

/* A copy of the input in its own heap block so ASan sees reads past the end exactly. */
static uint8_t *fuzz_dup(const uint8_t *data, size_t size)
{
    uint8_t *p = (uint8_t *)malloc(size ? size : 1);
    if (p == NULL)
        abort();
    if (size)
        memcpy(p, data, size);
    return p;
}

static volatile size_t sink;    /* keeps the reads of every output byte */

static inline void touch(const void *p, size_t n)
{
    const uint8_t *b = (const uint8_t *)p;
    size_t i, s = 0;
    if (p == NULL)
        return;
    for (i = 0; i < n; i++)
        s += b[i];
    sink += s;
}

static inline void touch_str(const char *s)
{
    if (s != NULL)
        touch(s, strlen(s));
}

static inline void check_name(const csr_name *n)
{
    csr_buf b;
    size_t i, j;
    if (n == NULL)
        return;
    csr_buf_init(&b, 0);
    FUZZ_CHECK(csr_name_to_der(&b, n) == CSR_OK, "subject to_der");
    touch(b.p, b.len);
    csr_buf_free(&b);
    csr_buf_init(&b, 0);
    FUZZ_CHECK(csr_name_to_text(&b, n) == CSR_OK, "subject to_text");
    touch(b.p, b.len);
    csr_buf_free(&b);
    for (i = 0; i < csr_name_rdn_count(n); i++) {
        size_t m = csr_name_rdn_size(n, i);
        FUZZ_CHECK(m > 0, "no empty RDN");
        for (j = 0; j < m; j++) {
            const char *attr = NULL;
            const uint8_t *val = NULL, *tlv = NULL;
            size_t len = 0, tlen = 0;
            int tag = 0;
            FUZZ_CHECK(csr_name_get(n, i, j, &attr, &val, &len, &tag) >= 0, "name_get");
            touch_str(attr);
            touch(val, len);
            FUZZ_CHECK(csr_name_get_tlv(n, i, j, &tlv, &tlen) == 0, "name_get_tlv");
            touch(tlv, tlen);
            touch_str(csr_name_get_oid(n, i, j));
        }
    }
    FUZZ_CHECK(csr_name_equal(n, n) == 1, "name equals itself");
}

/* Every accessor of a request-shaped view (requests, and certificates through
 * csr_cert_view) within its own count. */
static inline void fuzz_check_view(const csr_req *r)
{
    size_t i, n;
    unsigned bits;
    int ca = 0, pathlen = 0;

    n = csr_req_san_count(r);
    for (i = 0; i < n; i++) {
        int type = -1;
        const uint8_t *val = NULL;
        const char *oid = NULL;
        size_t vlen = 0;
        FUZZ_CHECK(csr_req_san_get(r, i, &type, &val, &vlen, &oid) == CSR_OK, "san_get");
        touch(val, vlen);
        touch_str(oid);
        if (type == CSR_SAN_IP)
            FUZZ_CHECK(vlen == 4 || vlen == 16 || vlen == 8 || vlen == 32, "IP length");
    }
    if (csr_req_key_usage(r, &bits) == 1)
        FUZZ_CHECK(bits < 0x200, "key usage bits");
    n = csr_req_eku_count(r);
    (void)csr_req_has_eku(r);
    for (i = 0; i < n; i++) {
        FUZZ_CHECK(csr_req_eku_get(r, i) != NULL, "eku_get in range");
        touch_str(csr_req_eku_get(r, i));
    }
    (void)csr_req_basic_constraints(r, &ca, &pathlen);
    (void)csr_req_must_staple(r);
    n = csr_req_ext_count(r);
    for (i = 0; i < n; i++) {
        const csr_ext_view *e = csr_req_ext_get(r, i);
        FUZZ_CHECK(e != NULL && e->oid != NULL, "ext_get in range");
        touch_str(e->oid);
        touch_str(e->name);
        touch(e->value, e->len);
    }
    FUZZ_CHECK(csr_req_ext_get(r, csr_req_ext_count(r)) == NULL, "ext_get past the end");
}

#endif

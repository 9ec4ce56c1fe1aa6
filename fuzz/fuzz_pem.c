/* libFuzzer: csr_pem_decode / csr_pem_detect, with a round-trip property:
 * decode(encode(label, der)) gives the same bytes and label back.
 * SPDX-License-Identifier: MIT */
#include "fuzz.h"

static const char *const labels[] = {
    "CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST", "PRIVATE KEY",
    "ENCRYPTED PRIVATE KEY", "PUBLIC KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY", NULL
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    csr_buf der, pem, der2;
    csr_err err;
    int which = -1, which2 = -1, rc;
    uint8_t *in = fuzz_dup(data, size);

    (void)csr_pem_detect(in, size);
    csr_buf_init(&der, 0);
    fuzz_err_reset(&err);
    rc = csr_pem_decode(&der, &which, in, size, labels, &err);
    fuzz_err_ok(rc, &err);
    if (rc == CSR_OK) {
        FUZZ_CHECK(which >= 0 && which < 7, "label index in range");
        FUZZ_CHECK(der.len > 0 && der.p != NULL, "non-empty body");
        FUZZ_CHECK(der.len <= size, "output not longer than input");
        FUZZ_CHECK(csr_pem_detect(in, size), "decoded input is detected as PEM");
        csr_buf_init(&pem, 0);
        FUZZ_CHECK(csr_pem_encode(&pem, labels[which], der.p, der.len) == CSR_OK, "encode");
        csr_buf_init(&der2, 0);
        fuzz_err_reset(&err);
        rc = csr_pem_decode(&der2, &which2, pem.p, pem.len, labels, &err);
        if (rc != CSR_OK)
            fprintf(stderr, "re-decode: %s\n", err.msg);
        FUZZ_CHECK(rc == CSR_OK, "our own PEM decodes");
        FUZZ_CHECK(which2 == which, "same label");
        FUZZ_CHECK(der2.len == der.len && memcmp(der2.p, der.p, der.len) == 0, "same bytes");
        csr_buf_free(&der2);
        csr_buf_free(&pem);
    }
    csr_buf_free(&der);
    free(in);
    return 0;
}

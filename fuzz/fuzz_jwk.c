/* libFuzzer: csr_key_from_jwk and csr_b64url_decode. The input is lines "name=value" (the
 * JWK members). Properties: strict base64url is canonical (encode(decode(v)) = v); a JWK that
 * loads gives back every member it was given, byte for byte (to_jwk, with the private
 * members when it has d), and has a 43-character thumbprint; a failure says why.
 * SPDX-License-Identifier: MIT */
#include "fuzz.h"

#define MAX_MEMBERS 16

static void check_b64url(const char *v, size_t n)
{
    csr_buf dec, enc;
    csr_err err;
    int rc;

    csr_buf_init(&dec, 0);
    fuzz_err_reset(&err);
    rc = csr_b64url_decode(&dec, (const uint8_t *)v, n, &err);
    fuzz_err_ok(rc, &err);
    if (rc == CSR_OK) {
        csr_buf_init(&enc, 0);
        FUZZ_CHECK(csr_b64url_encode(&enc, dec.p, dec.len) == CSR_OK, "encode");
        FUZZ_CHECK(enc.len == n && (n == 0 || memcmp(enc.p, v, n) == 0),
                   "strict base64url is canonical");
        csr_buf_free(&enc);
    }
    csr_buf_free(&dec);
}

/* Every member the key gives back that the input named has the input's value. */
static void check_round_trip(const csr_key *k, const csr_jwk_member *m, size_t n)
{
    csr_jwk j;
    csr_buf vals;
    csr_err err;
    char tp[44];
    size_t i, a, given = 0;
    int priv = csr_key_is_private(k);

    csr_buf_init(&vals, 1);
    fuzz_err_reset(&err);
    FUZZ_CHECK(csr_key_to_jwk(&j, &vals, k, priv, &err) == CSR_OK, "to_jwk of a loaded key");
    for (i = 0; i < j.n; i++) {
        for (a = 0; a < n; a++) {
            if (strcmp(m[a].name, j.m[i].name) != 0)
                continue;              /* the first of a repeated name is the one used */
            FUZZ_CHECK(m[a].len == j.m[i].len && memcmp(m[a].val, j.m[i].val, m[a].len) == 0,
                       "a member comes back byte for byte");
            given++;
            break;
        }
    }
    FUZZ_CHECK(given == j.n, "every member given back was in the input");
    csr_buf_free(&vals);
    fuzz_err_reset(&err);
    FUZZ_CHECK(csr_key_thumbprint(tp, k, &err) == CSR_OK && strlen(tp) == 43, "thumbprint");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = (char *)malloc(size + 1), *p = in, *end = in + size;    /* + 1: the last NUL */
    csr_jwk_member m[MAX_MEMBERS];
    size_t n = 0;
    csr_key *k = NULL;
    csr_err err;
    int rc;

    (void)fuzz_dup;                    /* fuzz.h's copier gives no room for that NUL */
    if (in == NULL)
        abort();
    memcpy(in, data, size);
    while (p < end && n < MAX_MEMBERS) {
        char *nl = memchr(p, '\n', (size_t)(end - p)), *eq;
        if (nl == NULL)
            nl = end;
        *nl = '\0';                    /* names are C strings; values are counted */
        eq = memchr(p, '=', (size_t)(nl - p));
        if (eq != NULL) {
            *eq = '\0';
            m[n].name = p;
            m[n].val = eq + 1;
            m[n].len = (size_t)(nl - eq - 1);
            check_b64url(m[n].val, m[n].len);
            n++;
        }
        p = nl + 1;
    }
    fuzz_err_reset(&err);
    rc = csr_key_from_jwk(&k, m, n, &err);
    fuzz_err_ok(rc, &err);
    if (rc == CSR_OK) {
        check_round_trip(k, m, n);
        csr_key_free(k);
    } else {
        FUZZ_CHECK(k == NULL, "no key on failure");
    }
    free(in);
    return 0;
}

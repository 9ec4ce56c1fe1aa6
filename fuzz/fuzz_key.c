/* libFuzzer: csr_key_parse without and with a passphrase ("secret", the fixtures' one), then
 * every accessor, export and re-import, and a sign/verify with the parsed key.
 * Properties: whatever parses re-exports (SPKI, PKCS#8, encrypted PKCS#8) to something that
 * parses back to the same public key; the public half and the SPKI agree.
 *
 * PBKDF2 cost: the core accepts up to CSR_PBES2_MAX_ITERATIONS (key_int.h) iterations, which
 * costs seconds per parse. This harness links its own wc_PBKDF2_ex in front of wolfSSL's
 * (the executable's symbol wins over the shared library's) and clamps the iteration count to
 * FUZZ_PBKDF2_MAX, the same way on export and import, so round trips still decrypt while one
 * run stays in milliseconds. FUZZ_KEY_LOG=1 in the environment prints clamped counts.
 * SPDX-License-Identifier: MIT */
#define _GNU_SOURCE 1
#include <dlfcn.h>

#include "fuzz.h"

#define FUZZ_PBKDF2_MAX 64

typedef int (*pbkdf2_fn)(unsigned char *, const unsigned char *, int, const unsigned char *,
                         int, int, int, int, void *, int);

int wc_PBKDF2_ex(unsigned char *output, const unsigned char *passwd, int pLen,
                 const unsigned char *salt, int sLen, int iterations, int kLen, int typeH,
                 void *heap, int devId);

int wc_PBKDF2_ex(unsigned char *output, const unsigned char *passwd, int pLen,
                 const unsigned char *salt, int sLen, int iterations, int kLen, int typeH,
                 void *heap, int devId)
{
    static pbkdf2_fn real;
    if (real == NULL) {
        *(void **)&real = dlsym(RTLD_NEXT, "wc_PBKDF2_ex");
        if (real == NULL)
            abort();
    }
    if (iterations > FUZZ_PBKDF2_MAX) {
        if (getenv("FUZZ_KEY_LOG") != NULL)
            fprintf(stderr, "fuzz_key: PBKDF2 %d iterations clamped to %d\n", iterations,
                    FUZZ_PBKDF2_MAX);
        iterations = FUZZ_PBKDF2_MAX;
    }
    return real(output, passwd, pLen, salt, sLen, iterations, kLen, typeH, heap, devId);
}

static void reimport(const csr_key *k, const uint8_t *p, size_t n, const char *pass,
                     int want_private, const char *what)
{
    csr_key *k2 = NULL;
    csr_err err;
    int rc;
    fuzz_err_reset(&err);
    rc = csr_key_parse(&k2, p, n, pass, pass ? strlen(pass) : 0, &err);
    if (rc != CSR_OK)
        fprintf(stderr, "%s: %s\n", what, err.msg);
    FUZZ_CHECK(rc == CSR_OK, what);
    FUZZ_CHECK(csr_key_same_public(k, k2) == 1, "re-imported key has the same public half");
    FUZZ_CHECK(csr_key_is_private(k2) == want_private, "re-imported key privacy");
    FUZZ_CHECK(csr_key_type(k2) == csr_key_type(k), "re-imported key type");
    csr_key_free(k2);
}

static void exercise(const csr_key *k)
{
    csr_key *pub = NULL, *k3 = NULL;
    csr_err err;
    csr_buf b;
    const uint8_t *spki;
    size_t slen = 0;
    char fp[65];
    int rc, priv = csr_key_is_private(k), type = csr_key_type(k);

    FUZZ_CHECK(type >= CSR_KEY_RSA && type <= CSR_KEY_ED448, "key type");
    FUZZ_CHECK(priv == 0 || priv == 1, "is_private");
    (void)csr_key_bits(k);
    FUZZ_CHECK((csr_key_curve(k) != CSR_CURVE_NONE) == (type == CSR_KEY_EC), "curve iff EC");
    csr_key_fingerprint(k, fp);
    FUZZ_CHECK(strlen(fp) == 64, "fingerprint");

    spki = csr_key_spki(k, &slen);
    FUZZ_CHECK(spki != NULL && slen > 0, "spki");
    fuzz_err_reset(&err);
    rc = csr_key_from_spki(&k3, spki, slen, &err);
    fuzz_err_ok(rc, &err);
    FUZZ_CHECK(rc == CSR_OK, "own SPKI loads");
    FUZZ_CHECK(csr_key_same_public(k, k3) == 1, "SPKI key has the same public half");
    csr_key_free(k3);

    fuzz_err_reset(&err);
    rc = csr_key_public(&pub, k, &err);
    FUZZ_CHECK(rc == CSR_OK && pub != NULL, "public half");
    FUZZ_CHECK(csr_key_is_private(pub) == 0, "public half is public");

    csr_buf_init(&b, 1);
    FUZZ_CHECK(csr_key_export(&b, k, 1, 0, NULL, 0, &err) == CSR_OK, "export SPKI DER");
    FUZZ_CHECK(b.len == slen && memcmp(b.p, spki, slen) == 0, "exported SPKI = spki()");
    reimport(k, b.p, b.len, NULL, 0, "SPKI DER re-import");
    csr_buf_free(&b);
    csr_buf_init(&b, 1);
    FUZZ_CHECK(csr_key_export(&b, k, 1, 1, NULL, 0, &err) == CSR_OK, "export SPKI PEM");
    reimport(k, b.p, b.len, NULL, 0, "SPKI PEM re-import");
    csr_buf_free(&b);

    if (priv) {
        csr_sig sig;
        const char msg[] = "lua-csr fuzz message";
        csr_buf_init(&b, 1);
        fuzz_err_reset(&err);
        rc = csr_key_export(&b, k, 0, 0, NULL, 0, &err);
        fuzz_err_ok(rc, &err);
        FUZZ_CHECK(rc == CSR_OK, "export PKCS#8 DER");
        reimport(k, b.p, b.len, NULL, 1, "PKCS#8 DER re-import");
        csr_buf_free(&b);
        csr_buf_init(&b, 1);
        fuzz_err_reset(&err);
        rc = csr_key_export(&b, k, 0, 1, "pw", 2, &err);
        fuzz_err_ok(rc, &err);
        FUZZ_CHECK(rc == CSR_OK, "export encrypted PKCS#8 PEM");
        reimport(k, b.p, b.len, "pw", 1, "encrypted PKCS#8 re-import");
        csr_buf_free(&b);

        /* sign + verify; RSA above 2048 bits is left out (tens of ms per signature) */
        if (type != CSR_KEY_RSA || csr_key_bits(k) <= 2048) {
            memset(&sig, 0, sizeof sig);
            sig.salt_len = -1;
            fuzz_err_reset(&err);
            rc = csr_sig_resolve(&sig, k, &err);
            fuzz_err_ok(rc, &err);
            FUZZ_CHECK(rc == CSR_OK, "default signature parameters resolve");
            csr_buf_init(&b, 0);
            fuzz_err_reset(&err);
            rc = csr_key_sign(&b, k, &sig, (const uint8_t *)msg, sizeof msg - 1, &err);
            fuzz_err_ok(rc, &err);
            if (rc == CSR_OK) {
                fuzz_err_reset(&err);
                rc = csr_key_verify(pub, &sig, (const uint8_t *)msg, sizeof msg - 1, b.p, b.len,
                                    &err);
                fuzz_err_ok(rc, &err);
                /* a private key whose halves disagree (mutated CRT values, a SEC1 public
                 * point that is not d*G) signs something its public half rejects: the parse
                 * accepted an inconsistent key */
                if (rc != CSR_OK)
                    fprintf(stderr, "note: parsed key signs, its public half rejects: %s\n",
                            err.msg);
#ifdef FUZZ_STRICT_KEYS
                FUZZ_CHECK(rc == CSR_OK, "a parsed private key's signature verifies");
#endif
            }
            csr_buf_free(&b);
        }
    }
    csr_key_free(pub);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const passes[] = {NULL, "secret"};
    csr_key *k;
    csr_err err;
    size_t i;
    int rc;
    uint8_t *in = fuzz_dup(data, size);

    for (i = 0; i < 2; i++) {
        k = NULL;
        fuzz_err_reset(&err);
        rc = csr_key_parse(&k, in, size, passes[i], passes[i] ? strlen(passes[i]) : 0, &err);
        fuzz_err_ok(rc, &err);
        if (rc == CSR_OK) {
            FUZZ_CHECK(k != NULL, "key on success");
            exercise(k);
            csr_key_free(k);
        } else {
            FUZZ_CHECK(k == NULL, "no key on failure");
        }
    }
    free(in);
    return 0;
}

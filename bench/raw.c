/* The raw wolfCrypt cost of the operations lua-csr performs, for `make bench`'s ratios.
 * Prints "<name> <microseconds per op>" lines. Usage: raw <rsa2048-pkcs8.der> [seconds]
 * Each op does what the library must do at minimum: RNG init/free per operation included,
 * because the library creates a fresh RNG per operation by design.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../src/core/wolf.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);   /* CPU time, as bench.lua uses */
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double budget = 0.5;
static byte msg[400];

#define BENCH(name, body)                                                   \
    do {                                                                    \
        double t0 = now(), t;                                               \
        long n = 0;                                                         \
        do {                                                                \
            body;                                                           \
            n++;                                                            \
            t = now() - t0;                                                 \
        } while (t < budget);                                               \
        printf("%s %.2f\n", name, t * 1e6 / (double)n);                     \
    } while (0)

static void bench_ecc(int curve, const char *tag, int md, int hlen)
{
    WC_RNG rng;
    ecc_key k;
    byte hash[64], sig[160];
    word32 siglen = sizeof sig;
    int res = 0;
    char name[64];
    enum wc_HashType ht = (enum wc_HashType)md;
    int sz = wc_ecc_get_curve_size_from_id(curve);

    snprintf(name, sizeof name, "%s_keygen", tag);
    BENCH(name, {
        wc_InitRng(&rng);
        wc_ecc_init(&k);
        wc_ecc_make_key_ex(&rng, sz, &k, curve);
        wc_ecc_free(&k);
        wc_FreeRng(&rng);
    });
    wc_InitRng(&rng);
    wc_ecc_init(&k);
    wc_ecc_make_key_ex(&rng, sz, &k, curve);
    wc_FreeRng(&rng);
    snprintf(name, sizeof name, "%s_sign", tag);
    BENCH(name, {
        wc_InitRng(&rng);
        wc_Hash(ht, msg, sizeof msg, hash, (word32)hlen);
        siglen = sizeof sig;
        wc_ecc_sign_hash(hash, (word32)hlen, sig, &siglen, &rng, &k);
        wc_FreeRng(&rng);
    });
    snprintf(name, sizeof name, "%s_verify", tag);
    BENCH(name, {
        wc_Hash(ht, msg, sizeof msg, hash, (word32)hlen);
        wc_ecc_verify_hash(sig, siglen, hash, (word32)hlen, &res, &k);
    });
    if (res != 1)
        fprintf(stderr, "%s verify failed\n", tag);
    wc_ecc_free(&k);
}

static void bench_ed25519(void)
{
    WC_RNG rng;
    ed25519_key k;
    byte sig[64];
    word32 siglen = sizeof sig;
    int res = 0;
    BENCH("ed25519_keygen", {
        wc_InitRng(&rng);
        wc_ed25519_init(&k);
        wc_ed25519_make_key(&rng, ED25519_KEY_SIZE, &k);
        wc_ed25519_free(&k);
        wc_FreeRng(&rng);
    });
    wc_InitRng(&rng);
    wc_ed25519_init(&k);
    wc_ed25519_make_key(&rng, ED25519_KEY_SIZE, &k);
    wc_FreeRng(&rng);
    BENCH("ed25519_sign", {
        siglen = sizeof sig;
        wc_ed25519_sign_msg(msg, sizeof msg, sig, &siglen, &k);
    });
    BENCH("ed25519_verify", { wc_ed25519_verify_msg(sig, siglen, msg, sizeof msg, &res, &k); });
    if (res != 1)
        fprintf(stderr, "ed25519 verify failed\n");
    wc_ed25519_free(&k);
}

static void bench_rsa(const char *path)
{
    FILE *f = fopen(path, "rb");
    byte der[4096], sig[512], out[512], hash[32];
    long n;
    word32 idx = 0;
    RsaKey k;
    WC_RNG rng;
    int siglen = 0;

    if (f == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        return;
    }
    n = (long)fread(der, 1, sizeof der, f);
    fclose(f);
    wc_InitRsaKey(&k, NULL);
    if (wc_RsaPrivateKeyDecode(der, &idx, &k, (word32)n) != 0) {
        fprintf(stderr, "cannot decode %s\n", path);
        return;
    }
    /* PKCS#1 v1.5 over a DigestInfo-sized input: the cost is the private-key operation */
    BENCH("rsa2048_sign", {
        wc_InitRng(&rng);
        wc_RsaSetRNG(&k, &rng);
        wc_Sha256Hash(msg, sizeof msg, hash);
        siglen = wc_RsaSSL_Sign(hash, sizeof hash, sig, sizeof sig, &k, &rng);
        wc_FreeRng(&rng);
    });
    BENCH("rsa2048_verify", {
        wc_Sha256Hash(msg, sizeof msg, hash);
        wc_RsaSSL_Verify(sig, (word32)siglen, out, sizeof out, &k);
    });
    wc_FreeRsaKey(&k);
}

int main(int argc, char **argv)
{
    if (argc > 2)
        budget = atof(argv[2]);
    memset(msg, 0x5a, sizeof msg);
    wolfCrypt_Init();
    bench_ecc(ECC_SECP256R1, "p256", WC_HASH_TYPE_SHA256, 32);
    bench_ecc(ECC_SECP384R1, "p384", WC_HASH_TYPE_SHA384, 48);
    bench_ed25519();
    if (argc > 1)
        bench_rsa(argv[1]);
    wolfCrypt_Cleanup();
    return 0;
}

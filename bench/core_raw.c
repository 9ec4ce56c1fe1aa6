/* core-c's raw wolfCrypt column: the public-key operation alone, as cheap as wolfCrypt allows
 * (one WC_RNG kept, keys already decoded), to set beside the same case through libcsrcore.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

static WC_RNG *rng(void)
{
    static WC_RNG r;
    static int ready;
    if (!ready && wc_InitRng(&r) != 0)
        die("wc_InitRng", NULL);
    ready = 1;
    return &r;
}

static void check(int rc, const char *what)
{
    if (rc < 0) {
        fprintf(stderr, "core: raw %s failed (wolfSSL %d)\n", what, rc);
        exit(1);
    }
}

/* key generation with wolfCrypt's own structs */
static void gen_once(const kind_info *ki)
{
    RsaKey rk;
    ecc_key ek;
    ed25519_key e1;
    ed448_key e4;

    switch (ki->type) {
    case CSR_KEY_RSA:
        check(wc_InitRsaKey(&rk, NULL), "rsa init");
        check(wc_MakeRsaKey(&rk, ki->param, WC_RSA_EXPONENT, rng()), "rsa keygen");
        wc_FreeRsaKey(&rk);
        break;
    case CSR_KEY_EC:
        check(wc_ecc_init(&ek), "ecc init");
        check(wc_ecc_make_key_ex(rng(), ki->param == CSR_CURVE_P256 ? 32 : 48, &ek,
                                 ki->param == CSR_CURVE_P256 ? ECC_SECP256R1 : ECC_SECP384R1),
              "ecc keygen");
        wc_ecc_free(&ek);
        break;
    case CSR_KEY_ED25519:
        check(wc_ed25519_init(&e1), "ed25519 init");
        check(wc_ed25519_make_key(rng(), ED25519_KEY_SIZE, &e1), "ed25519 keygen");
        wc_ed25519_free(&e1);
        break;
    default:
        check(wc_ed448_init(&e4), "ed448 init");
        check(wc_ed448_make_key(rng(), ED448_KEY_SIZE, &e4), "ed448 keygen");
        wc_ed448_free(&e4);
        break;
    }
}

double raw_keygen(const kind_info *ki, double budget)
{
    double us;
    TIMED(us, budget, gen_once(ki));
    return us;
}

/* One signature over a CertificationRequestInfo-sized message (hash included). */
static void sign_once(const csr_key *k, int pss, const uint8_t *msg, size_t len)
{
    uint8_t dig[64], out[1024];
    word32 olen = sizeof out;
    int md = csr_key_default_md(k), hl = csr_md_size(md);

    if (k->type == CSR_KEY_ED25519) {
        check(wc_ed25519_sign_msg(msg, (word32)len, out, &olen, k->u.ed25519), "ed25519 sign");
        return;
    }
    if (k->type == CSR_KEY_ED448) {
        check(wc_ed448_sign_msg(msg, (word32)len, out, &olen, k->u.ed448, NULL, 0), "ed448 sign");
        return;
    }
    if (csr_md_hash(md, msg, len, dig) != CSR_OK)
        die("hash", NULL);
    if (k->type == CSR_KEY_EC)
        check(wc_ecc_sign_hash(dig, (word32)hl, out, &olen, rng(), k->u.ec), "ecdsa sign");
    else if (pss)
        check(wc_RsaPSS_Sign_ex(dig, (word32)hl, out, olen, WC_HASH_TYPE_SHA256, WC_MGF1SHA256,
                                hl, k->u.rsa, rng()), "pss sign");
    else     /* a DigestInfo's length: the cost is the private-key operation */
        check(wc_RsaSSL_Sign(msg, 19 + (word32)hl, out, olen, k->u.rsa, rng()), "rsa sign");
}

double raw_sign(const csr_key *k, int pss, double budget)
{
    uint8_t msg[320];
    double us;
    memset(msg, 0x5a, sizeof msg);
    TIMED(us, budget, sign_once(k, pss, msg, sizeof msg));
    return us;
}

/* Verify request i's signature over its CRI with its key decoded beforehand. */
static void verify_once(csr_req *const *r, csr_key *const *k, size_t i)
{
    uint8_t dig[64], out[1024];
    int res = 0, md = csr_key_default_md(k[i]), rc;

    switch (k[i]->type) {
    case CSR_KEY_ED25519:
        rc = wc_ed25519_verify_msg(r[i]->sig, (word32)r[i]->sig_len, r[i]->cri,
                                   (word32)r[i]->cri_len, &res, k[i]->u.ed25519);
        break;
    case CSR_KEY_EC:
        if (csr_md_hash(md, r[i]->cri, r[i]->cri_len, dig) != CSR_OK)
            die("hash", NULL);
        rc = wc_ecc_verify_hash(r[i]->sig, (word32)r[i]->sig_len, dig,
                                (word32)csr_md_size(md), &res, k[i]->u.ec);
        break;
    default:
        if (csr_md_hash(md, r[i]->cri, r[i]->cri_len, dig) != CSR_OK)
            die("hash", NULL);
        rc = wc_RsaSSL_Verify(r[i]->sig, (word32)r[i]->sig_len, out, sizeof out, k[i]->u.rsa);
        res = rc >= 32 && memcmp(out + rc - 32, dig, 32) == 0;
        break;
    }
    check(rc, "verify");
    if (res != 1)
        die("raw verify: bad signature", NULL);
}

double raw_verify(const pool *p, double budget)
{
    csr_req *r[POOL_MAX];
    csr_key *k[POOL_MAX];
    csr_err e;
    size_t i = 0, j;
    double us;

    for (j = 0; j < p->n; j++)
        if (csr_req_parse(&r[j], p->pem[j], p->len[j], &e) != CSR_OK ||
            csr_req_public_key(&k[j], r[j], &e) != CSR_OK)
            die("raw verify setup", &e);
    for (j = 0; j < WARM_PASSES * p->n; j++)      /* warm-up: the pool thrice */
        verify_once(r, k, j % p->n);
    TIMED(us, budget, (verify_once(r, k, i), i = (i + 1) % p->n));
    for (j = 0; j < p->n; j++) {
        csr_key_free(k[j]);
        csr_req_free(r[j]);
    }
    return us;
}

/* Keys: signature parameters (defaults, checks), sign and verify over raw messages for RSA
 * PKCS#1 v1.5 / PSS, ECDSA (DER or raw r||s), Ed25519 and Ed448, and the key-pair self-test.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "key_int.h"
#include "der.h"

/* ---- signature parameters ---- */

static const char *type_name(int type)
{
    switch (type) {
    case CSR_KEY_RSA: return "rsa";
    case CSR_KEY_EC: return "ec";
    case CSR_KEY_ED25519: return "ed25519";
    case CSR_KEY_ED448: return "ed448";
    default: return "unknown";
    }
}

int csr_key_default_md(const csr_key *k)
{
    switch (k->type) {
    case CSR_KEY_RSA: return CSR_MD_SHA256;
    case CSR_KEY_EC:
        if (k->curve == CSR_CURVE_P384) return CSR_MD_SHA384;
        if (k->curve == CSR_CURVE_P521) return CSR_MD_SHA512;
        return CSR_MD_SHA256;
    default: return CSR_MD_NONE;
    }
}

int csr_sig_resolve(csr_sig *p, const csr_key *k, csr_err *err)
{
    int ed = k->type == CSR_KEY_ED25519 || k->type == CSR_KEY_ED448;

    if (ed && p->md != CSR_MD_NONE)
        return csr_err_set(err, CSR_E_INVALID, "digest not allowed with %s",
                           type_name(k->type));
    if (p->padding == CSR_PAD_PSS && k->type != CSR_KEY_RSA)
        return csr_err_set(err, CSR_E_INVALID, "pss padding needs an RSA key, not %s",
                           type_name(k->type));
    if (p->padding == CSR_PAD_DEFAULT)
        p->padding = k->pss.padding == CSR_PAD_PSS ? CSR_PAD_PSS : CSR_PAD_PKCS1;
    if (p->padding != CSR_PAD_PSS && p->padding != CSR_PAD_PKCS1)
        return csr_err_set(err, CSR_E_INVALID, "unknown padding %d", p->padding);
    if (p->raw && k->type != CSR_KEY_EC)
        return csr_err_set(err, CSR_E_INVALID, "raw signature format needs an EC key, not %s",
                           type_name(k->type));
    if (!ed && p->md == CSR_MD_NONE)
        p->md = k->pss.md != CSR_MD_NONE ? k->pss.md : csr_key_default_md(k);
    if (!ed && csr_md_size(p->md) == 0)
        return csr_err_set(err, CSR_E_INVALID, "unknown digest %d", p->md);
    if (p->padding == CSR_PAD_PSS) {
        if (p->mgf_md == CSR_MD_NONE)
            p->mgf_md = k->pss.mgf_md != CSR_MD_NONE ? k->pss.mgf_md : p->md;
        if (csr_md_size(p->mgf_md) == 0)
            return csr_err_set(err, CSR_E_INVALID, "unknown MGF1 digest %d", p->mgf_md);
        if (p->salt_len == -1)
            p->salt_len = csr_md_size(p->md) > k->pss.salt_len ? csr_md_size(p->md)
                                                                 : k->pss.salt_len;
        if (p->salt_len < 0 && p->salt_len != CSR_SALT_ANY)
            return csr_err_set(err, CSR_E_INVALID, "negative PSS salt length %d", p->salt_len);
    }
    return CSR_OK;
}

/* Whether the key allows resolved parameters p: an id-RSASSA-PSS key signs with PSS only, and
 * a restricted one only with its hash and MGF1 hash and at least its salt (RFC 4055 3.1).
 * If not: code (INVALID when signing, BAD_SIGNATURE when verifying) with the reason, which
 * starts "the RSASSA-PSS key" (req_verify.c passes it on). */
static int pss_key_allows(const csr_key *k, const csr_sig *p, int code, csr_err *err)
{
    if (k->pss.padding != CSR_PAD_PSS)
        return CSR_OK;
    if (p->padding != CSR_PAD_PSS)
        return csr_err_set(err, code,
                           "the RSASSA-PSS key signs with PSS only, not PKCS#1 v1.5");
    if (k->pss.md != CSR_MD_NONE && p->md != k->pss.md)
        return csr_err_set(err, code, "the RSASSA-PSS key allows %s only, not %s",
                           csr_md_name(k->pss.md), csr_md_name(p->md));
    if (k->pss.mgf_md != CSR_MD_NONE && p->mgf_md != k->pss.mgf_md)
        return csr_err_set(err, code,
                           "the RSASSA-PSS key allows MGF1 with %s only, not with %s",
                           csr_md_name(k->pss.mgf_md), csr_md_name(p->mgf_md));
    if (p->salt_len != CSR_SALT_ANY && p->salt_len < k->pss.salt_len)
        return csr_err_set(err, code, "the RSASSA-PSS key needs a salt of at least %d "
                           "bytes, not %d", k->pss.salt_len, p->salt_len);
    return CSR_OK;
}

/* ---- sign / verify ---- */

static int md_mgf(int md)
{
    switch (md) {
    case CSR_MD_SHA1: return WC_MGF1SHA1;
    case CSR_MD_SHA224: return WC_MGF1SHA224;
    case CSR_MD_SHA256: return WC_MGF1SHA256;
    case CSR_MD_SHA384: return WC_MGF1SHA384;
    case CSR_MD_SHA512: return WC_MGF1SHA512;
    default: return WC_MGF1NONE;
    }
}

/* PKCS#1 v1.5 DigestInfo; with_null = 0 gives the variant without NULL parameters. */
static void digest_info(csr_buf *b, int md, const uint8_t *dig, int with_null)
{
    size_t m = der_open(b, DER_SEQUENCE), a = der_open(b, DER_SEQUENCE);
    (void)der_put_oid_text(b, csr_md_oid(md));
    if (with_null)
        der_put_null(b);
    der_close(b, a);
    der_put_tlv(b, DER_OCTET_STRING, dig, (size_t)csr_md_size(md));
    der_close(b, m);
}

/* Copies p and fills the defaults (verify may get unresolved parameters). */
static int sig_params(csr_sig *q, const csr_sig *p, const csr_key *k, csr_err *err)
{
    *q = *p;
    return csr_sig_resolve(q, k, err);
}

/* see csr.h */
int csr_key_allows(const csr_key *k, const csr_sig *p, csr_err *err)
{
    csr_sig q;
    int rc = sig_params(&q, p, k, err);
    if (rc == CSR_E_INVALID) {                /* keep the message: only the code changes */
        if (err != NULL)
            err->code = CSR_E_UNSUPPORTED;
        return CSR_E_UNSUPPORTED;
    }
    if (rc != CSR_OK)
        return rc;
    return pss_key_allows(k, &q, CSR_E_BAD_SIGNATURE, err);
}

/* Largest PSS salt for this key and digest (RFC 8017 9.1.1: emLen - hLen - 2). */
static int pss_max_salt(const csr_key *k, int md)
{
    int emlen = (k->bits - 1 + 7) / 8;
    return emlen - csr_md_size(md) - 2;
}

static int verify_rsa(const csr_key *k, const csr_sig *p, const uint8_t *dig,
                      const uint8_t *sig, size_t siglen, csr_err *err);

static int sign_rsa(csr_buf *sig, const csr_key *k, const csr_sig *p, const uint8_t *dig,
                    WC_RNG *rng, csr_err *err)
{
    int n = wc_RsaEncryptSize(k->u.rsa), rc, vrc;
    csr_buf di;

    if (n <= 0)
        return csr_err_wolf(err, n, "RSA key size unavailable");
    if (csr_buf_reserve(sig, (size_t)n) != CSR_OK)
        return csr_err_set(err, sig->err, "out of memory");
    if (p->padding == CSR_PAD_PSS) {
        if (p->salt_len < 0)
            return csr_err_set(err, CSR_E_INVALID, "signing needs a PSS salt length");
        if (p->salt_len > pss_max_salt(k, p->md))
            return csr_err_set(err, CSR_E_INVALID,
                               "PSS salt length %d too long for a %d-bit key (at most %d)",
                               p->salt_len, k->bits, pss_max_salt(k, p->md));
        rc = wc_RsaPSS_Sign_ex(dig, (word32)csr_md_size(p->md), sig->p + sig->len, (word32)n,
                               csr_md_wc(p->md), md_mgf(p->mgf_md), p->salt_len, k->u.rsa, rng);
    } else {
        csr_buf_init(&di, 0);
        digest_info(&di, p->md, dig, 1);
        if (di.err) {
            csr_buf_free(&di);
            return csr_err_set(err, CSR_E_NOMEM, "out of memory");
        }
        rc = wc_RsaSSL_Sign(di.p, (word32)di.len, sig->p + sig->len, (word32)n, k->u.rsa, rng);
        csr_buf_free(&di);
    }
    if (rc < 0)
        return csr_err_wolf(err, rc, "RSA signing failed");
    /* A faulty CRT signature leaks the factors: check it before anyone sees it. */
    if ((vrc = verify_rsa(k, p, dig, sig->p + sig->len, (size_t)rc, err)) != CSR_OK) {
        csr_wipe(sig->p + sig->len, (size_t)rc);
        if (vrc == CSR_E_NOMEM)
            return vrc;
        return csr_err_set(err, CSR_E_CRYPTO, "RSA signature failed its self-check");
    }
    sig->len += (size_t)rc;
    return CSR_OK;
}

static int sign_ec(csr_buf *sig, const csr_key *k, const csr_sig *p, const uint8_t *dig,
                   WC_RNG *rng, csr_err *err)
{
    uint8_t der[160], r[66], s[66];
    word32 dlen = sizeof der, rlen = sizeof r, slen = sizeof s;
    int cb = csr_curve_bytes(k->curve), rc;

    rc = wc_ecc_sign_hash(dig, (word32)csr_md_size(p->md), der, &dlen, rng, k->u.ec);
    if (rc == MP_READ_E)                /* our own key and digest: only a failed allocation */
        rc = MEMORY_E;
    if (rc != 0)
        return csr_err_wolf(err, rc, "ECDSA signing failed");
    if (!p->raw)
        return csr_buf_put(sig, der, dlen) == CSR_OK ? CSR_OK
               : csr_err_set(err, sig->err, "out of memory");
    rc = wc_ecc_sig_to_rs(der, dlen, r, &rlen, s, &slen);
    if (rc != 0 || rlen > (word32)cb || slen > (word32)cb)
        return csr_err_wolf(err, rc, "ECDSA signature conversion failed");
    if (csr_buf_reserve(sig, (size_t)cb * 2) != CSR_OK)
        return csr_err_set(err, sig->err, "out of memory");
    memset(sig->p + sig->len, 0, (size_t)cb * 2);
    memcpy(sig->p + sig->len + (cb - (int)rlen), r, rlen);
    memcpy(sig->p + sig->len + cb + (cb - (int)slen), s, slen);
    sig->len += (size_t)cb * 2;
    return CSR_OK;
}

int csr_key_sign(csr_buf *sig, const csr_key *k, const csr_sig *p, const uint8_t *msg,
                 size_t len, csr_err *err)
{
    uint8_t dig[64], out[ED448_SIG_SIZE];
    word32 olen = sizeof out;
    csr_sig q;
    WC_RNG *rng;
    int rc;

    if (!k->priv)
        return csr_err_set(err, CSR_E_INVALID, "signing needs a private key");
    if (len > CSR_MAX_INPUT * 16)
        return csr_err_set(err, CSR_E_TOO_LARGE, "message too large");
    if ((rc = sig_params(&q, p, k, err)) != CSR_OK ||
        (rc = pss_key_allows(k, &q, CSR_E_INVALID, err)) != CSR_OK)
        return rc;
    if (k->type == CSR_KEY_ED25519) {
        rc = wc_ed25519_sign_msg(msg, (word32)len, out, &olen, k->u.ed25519);
        if (rc != 0)
            return csr_err_wolf(err, rc, "Ed25519 signing failed");
        return csr_buf_put(sig, out, olen) == CSR_OK ? CSR_OK
               : csr_err_set(err, sig->err, "out of memory");
    }
    if (k->type == CSR_KEY_ED448) {
        rc = wc_ed448_sign_msg(msg, (word32)len, out, &olen, k->u.ed448, NULL, 0);
        if (rc != 0)
            return csr_err_wolf(err, rc, "Ed448 signing failed");
        return csr_buf_put(sig, out, olen) == CSR_OK ? CSR_OK
               : csr_err_set(err, sig->err, "out of memory");
    }
    if (csr_md_hash(q.md, msg, len, dig) != CSR_OK)
        return csr_err_set(err, CSR_E_CRYPTO, "hashing failed");
    if ((rc = csr_rng(&rng, err)) != CSR_OK)
        return rc;
    if (k->type == CSR_KEY_RSA)
        return sign_rsa(sig, k, &q, dig, rng, err);
    return sign_ec(sig, k, &q, dig, rng, err);
}

static int bad_sig(csr_err *err, int wolf_rc, const char *what)
{
    if (csr_wolf_nomem(wolf_rc))
        return csr_err_set(err, CSR_E_NOMEM, "out of memory");
    return csr_err_set(err, CSR_E_BAD_SIGNATURE, "%s", what);
}

static int verify_rsa(const csr_key *k, const csr_sig *p, const uint8_t *dig,
                      const uint8_t *sig, size_t siglen, csr_err *err)
{
    int n = wc_RsaEncryptSize(k->u.rsa), rc, ok = 0, v;
    uint8_t *in, *out;
    csr_buf di;
    csr_sig q = *p;

    if (n <= 0)
        return csr_err_wolf(err, n, "RSA key size unavailable");
    if (siglen != (size_t)n)
        return csr_err_set(err, CSR_E_BAD_SIGNATURE,
                           "signature is %lu bytes, the key needs %d",
                           (unsigned long)siglen, n);
    in = (uint8_t *)csr_malloc((size_t)n * 2);
    if (in == NULL)
        return csr_err_set(err, CSR_E_NOMEM, "out of memory");
    out = in + n;
    memcpy(in, sig, (size_t)n);
    if (p->padding == CSR_PAD_PSS) {
        if (q.salt_len == CSR_SALT_ANY &&                 /* found, then checked as given */
            ((rc = csr_pss_find_salt(k, &q, in, out, (size_t)n, err)) != CSR_OK ||
             (rc = pss_key_allows(k, &q, CSR_E_BAD_SIGNATURE, err)) != CSR_OK)) {
            csr_free(in);
            return rc;
        }
        if (q.salt_len > pss_max_salt(k, p->md)) {
            csr_free(in);
            return csr_err_set(err, CSR_E_BAD_SIGNATURE,
                               "PSS salt length %d impossible for a %d-bit key",
                               q.salt_len, k->bits);
        }
        rc = wc_RsaPSS_Verify_ex(in, (word32)n, out, (word32)n, csr_md_wc(p->md),
                                 md_mgf(p->mgf_md), q.salt_len, k->u.rsa);
        if (rc >= 0)
            ok = wc_RsaPSS_CheckPadding_ex(dig, (word32)csr_md_size(p->md), out, (word32)rc,
                                           csr_md_wc(p->md), q.salt_len, k->bits) == 0;
    } else {
        rc = wc_RsaSSL_Verify(in, (word32)n, out, (word32)n, k->u.rsa);
        for (v = 1; rc >= 0 && v >= 0 && !ok; v--) {
            csr_buf_init(&di, 0);
            digest_info(&di, p->md, dig, v);
            ok = !di.err && di.len == (size_t)rc && memcmp(di.p, out, di.len) == 0;
            csr_buf_free(&di);
        }
    }
    csr_free(in);
    if (!ok)
        return bad_sig(err, rc, "RSA signature does not verify");
    return CSR_OK;
}

/* Strict DER ECDSA-Sig-Value: SEQUENCE { INTEGER r, INTEGER s }, both positive. */
static int ecdsa_der_ok(const uint8_t *sig, size_t siglen, int cb)
{
    der_rd r, c;
    der_tlv t, a, b;
    const uint8_t *v;
    size_t n;
    csr_err e;

    der_rd_init(&r, sig, siglen, 0);
    if (der_expect(&r, DER_SEQUENCE, &t, "signature", &e) != CSR_OK ||
        der_finish(&r, "signature", &e) != CSR_OK)
        return 0;
    der_rd_enter(&c, &t);
    if (der_expect(&c, DER_INTEGER, &a, "r", &e) != CSR_OK ||
        der_expect(&c, DER_INTEGER, &b, "s", &e) != CSR_OK ||
        der_finish(&c, "signature", &e) != CSR_OK)
        return 0;
    if (der_get_uint_bytes(&a, &v, &n, "r", &e) != CSR_OK || n == 0 || n > (size_t)cb)
        return 0;
    if (der_get_uint_bytes(&b, &v, &n, "s", &e) != CSR_OK || n == 0 || n > (size_t)cb)
        return 0;
    return 1;
}

static int verify_ec(const csr_key *k, const csr_sig *p, const uint8_t *dig,
                     const uint8_t *sig, size_t siglen, csr_err *err)
{
    uint8_t der[160];
    word32 dlen = sizeof der;
    int cb = csr_curve_bytes(k->curve), rc, res = 0;

    if (p->raw) {
        if (siglen != (size_t)cb * 2)
            return csr_err_set(err, CSR_E_BAD_SIGNATURE,
                               "raw ECDSA signature is %lu bytes, the curve needs %d",
                               (unsigned long)siglen, cb * 2);
        rc = wc_ecc_rs_raw_to_sig(sig, (word32)cb, sig + cb, (word32)cb, der, &dlen);
        if (rc != 0)
            return bad_sig(err, rc, "ECDSA signature does not verify");
        sig = der;
        siglen = dlen;
    }
    if (!ecdsa_der_ok(sig, siglen, cb))
        return csr_err_set(err, CSR_E_BAD_SIGNATURE, "ECDSA signature is not valid DER");
    rc = wc_ecc_verify_hash(sig, (word32)siglen, dig, (word32)csr_md_size(p->md), &res,
                            k->u.ec);
    /* r and s were checked against the curve size above, so reading them into mp_ints can
     * only fail when an allocation does */
    if (rc == MP_READ_E)
        rc = MEMORY_E;
    if (rc != 0 || res != 1)
        return bad_sig(err, rc, "ECDSA signature does not verify");
    return CSR_OK;
}

int csr_key_verify(const csr_key *k, const csr_sig *p, const uint8_t *msg, size_t len,
                   const uint8_t *sig, size_t siglen, csr_err *err)
{
    uint8_t dig[64];
    csr_sig q;
    int rc, res = 0;

    if (len > CSR_MAX_INPUT * 16 || siglen > 4096)
        return csr_err_set(err, CSR_E_BAD_SIGNATURE, "signature or message too large");
    if ((rc = csr_key_allows(k, p, err)) != CSR_OK)
        return rc;
    (void)sig_params(&q, p, k, err);
    if (k->type == CSR_KEY_ED25519) {
        if (siglen != ED25519_SIG_SIZE)
            return csr_err_set(err, CSR_E_BAD_SIGNATURE, "Ed25519 signature must be %d bytes",
                               ED25519_SIG_SIZE);
        rc = wc_ed25519_verify_msg(sig, (word32)siglen, msg, (word32)len, &res, k->u.ed25519);
        if (rc != 0 || res != 1)
            return bad_sig(err, rc, "Ed25519 signature does not verify");
        return CSR_OK;
    }
    if (k->type == CSR_KEY_ED448) {
        if (siglen != ED448_SIG_SIZE)
            return csr_err_set(err, CSR_E_BAD_SIGNATURE, "Ed448 signature must be %d bytes",
                               ED448_SIG_SIZE);
        rc = wc_ed448_verify_msg(sig, (word32)siglen, msg, (word32)len, &res, k->u.ed448,
                                 NULL, 0);
        if (rc != 0 || res != 1)
            return bad_sig(err, rc, "Ed448 signature does not verify");
        return CSR_OK;
    }
    if (csr_md_hash(q.md, msg, len, dig) != CSR_OK)
        return csr_err_set(err, CSR_E_CRYPTO, "hashing failed");
    if (k->type == CSR_KEY_RSA)
        return verify_rsa(k, &q, dig, sig, siglen, err);
    return verify_ec(k, &q, dig, sig, siglen, err);
}

int csr_key_check_pair(const csr_key *k, csr_err *err)
{
    static const uint8_t msg[] = "lua-csr key pair check";
    csr_sig p;
    csr_buf sig;
    int rc;

    memset(&p, 0, sizeof p);
    p.salt_len = -1;
    if ((rc = csr_sig_resolve(&p, k, err)) != CSR_OK)
        return rc;
    csr_buf_init(&sig, 0);
    if (k->type == CSR_KEY_RSA) {
        /* sign_rsa verifies its own output */
        uint8_t dig[64];
        WC_RNG *rng;
        if (csr_md_hash(p.md, msg, sizeof msg, dig) != CSR_OK)
            return csr_err_set(err, CSR_E_CRYPTO, "hashing failed");
        if ((rc = csr_rng(&rng, err)) != CSR_OK)
            return rc;
        rc = sign_rsa(&sig, k, &p, dig, rng, err);
    } else {
        rc = csr_key_sign(&sig, k, &p, msg, sizeof msg, err);
        if (rc == CSR_OK)
            rc = csr_key_verify(k, &p, msg, sizeof msg, sig.p, sig.len, err);
    }
    csr_buf_free(&sig);
    if (rc == CSR_E_NOMEM)
        return rc;
    if (rc != CSR_OK)
        return csr_err_set(err, CSR_E_BAD_DER, "the private key is inconsistent "
                           "(its parts do not belong together)");
    return CSR_OK;
}

/* JSON Web Signatures (RFC 7515 flattened JSON serialisation, RFC 7518 RS256, PS256/384/512
 * for RSA-PSS keys, ES256/384/512, RFC 8037 EdDSA), HMAC and random bytes for ACME clients.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "key_int.h"

/* The JWS algorithm for k and its signature parameters (RFC 7518 3.1). An RSA-PSS key takes
 * the PS* of its hash (3.5: MGF1 with that hash, salt = the hash length) if its restrictions
 * allow that, and never RS256: it must not sign with PKCS#1 v1.5. */
static int jws_params(csr_sig *p, const char **alg, const csr_key *k, csr_err *err)
{
    static const char *const ps[] = {"PS256", "PS384", "PS512"};

    memset(p, 0, sizeof *p);
    p->salt_len = -1;
    if (k->type == CSR_KEY_EC) {
        p->raw = 1;            /* JWS ECDSA: r || s, each the curve size (RFC 7518 3.4) */
        *alg = k->curve == CSR_CURVE_P256 ? "ES256" : k->curve == CSR_CURVE_P384 ? "ES384"
                                                                                : "ES512";
        return CSR_OK;
    }
    if (k->type != CSR_KEY_RSA) {
        *alg = "EdDSA";
        return CSR_OK;
    }
    p->md = k->pss.md != CSR_MD_NONE ? k->pss.md : CSR_MD_SHA256;
    p->padding = k->pss.padding == CSR_PAD_PSS ? CSR_PAD_PSS : CSR_PAD_PKCS1;
    if (p->padding == CSR_PAD_PKCS1) {
        *alg = "RS256";
        return CSR_OK;
    }
    if (p->md < CSR_MD_SHA256)
        return csr_err_set(err, CSR_E_UNSUPPORTED, "the RSASSA-PSS key allows %s only, JWS "
                           "has PS256, PS384 and PS512", csr_md_name(p->md));
    *alg = ps[p->md - CSR_MD_SHA256];
    p->mgf_md = p->md;
    p->salt_len = csr_md_size(p->md);
    if (k->pss.mgf_md != CSR_MD_NONE && k->pss.mgf_md != p->md)
        return csr_err_set(err, CSR_E_UNSUPPORTED, "the RSASSA-PSS key allows MGF1 with %s "
                           "only, %s uses MGF1 with %s", csr_md_name(k->pss.mgf_md), *alg,
                           csr_md_name(p->md));
    if (k->pss.salt_len > p->salt_len)
        return csr_err_set(err, CSR_E_UNSUPPORTED, "the RSASSA-PSS key needs a salt of at "
                           "least %d bytes, %s uses %d", k->pss.salt_len, *alg, p->salt_len);
    return CSR_OK;
}

/* see csr.h */
const char *csr_jws_alg(const csr_key *k, csr_err *err)
{
    csr_sig p;
    const char *alg = NULL;
    return jws_params(&p, &alg, k, err) == CSR_OK ? alg : NULL;
}

static void put_field(csr_buf *out, const char *pre, const uint8_t *v, size_t n)
{
    csr_buf_put(out, pre, strlen(pre));
    csr_b64url_encode(out, v, n);
    csr_buf_put(out, "\"", 1);
}

/* see csr.h */
int csr_jws_sign(csr_buf *out, const csr_key *k, const uint8_t *prot, size_t plen,
                 const uint8_t *payload, size_t len, csr_err *err)
{
    csr_buf input, sig;
    csr_sig p;
    const char *alg;
    size_t dot;
    int rc;

    if (!k->priv)
        return csr_err_set(err, CSR_E_INVALID, "signing needs a private key");
    if ((rc = jws_params(&p, &alg, k, err)) != CSR_OK ||
        (rc = csr_sig_resolve(&p, k, err)) != CSR_OK)
        return rc;
    csr_buf_init(&input, 0);
    csr_buf_init(&sig, 0);
    csr_b64url_encode(&input, prot, plen);       /* signing input: b64(protected).b64(payload) */
    dot = input.len;
    csr_buf_put(&input, ".", 1);
    csr_b64url_encode(&input, payload, len);
    if (input.err != 0)
        rc = csr_err_set(err, input.err, "out of memory");
    else
        rc = csr_key_sign(&sig, k, &p, input.p, input.len, err);
    if (rc == CSR_OK) {
        csr_buf_put(out, "{\"protected\":\"", 14);
        csr_buf_put(out, input.p, dot);
        csr_buf_put(out, "\",\"payload\":\"", 13);
        csr_buf_put(out, input.p + dot + 1, input.len - dot - 1);
        put_field(out, "\",\"signature\":\"", sig.p, sig.len);
        csr_buf_put(out, "}", 1);
        if (out->err != 0)
            rc = csr_err_set(err, out->err, "out of memory");
    }
    csr_buf_free(&input);
    csr_buf_free(&sig);
    return rc;
}

/* see csr.h */
int csr_hmac(uint8_t *out, int md, const uint8_t *key, size_t klen, const uint8_t *data,
             size_t len, csr_err *err)
{
    static const uint8_t none[1] = {0};
    Hmac h;
    int rc;

    if (csr_md_wc(md) == WC_HASH_TYPE_NONE)
        return csr_err_set(err, CSR_E_INVALID, "unknown digest");
    if (klen > 0xffffffffu || len > 0xffffffffu)
        return csr_err_set(err, CSR_E_TOO_LARGE, "input too large");
    if ((rc = wc_HmacInit(&h, NULL, INVALID_DEVID)) != 0)
        return csr_err_wolf(err, rc, "HMAC initialisation failed");
    rc = wc_HmacSetKey(&h, (int)csr_md_wc(md), klen > 0 ? key : none, (word32)klen);
    if (rc == 0)
        rc = wc_HmacUpdate(&h, len > 0 ? data : none, (word32)len);
    if (rc == 0)
        rc = wc_HmacFinal(&h, out);
    wc_HmacFree(&h);
    csr_wipe(&h, sizeof h);
    return rc == 0 ? CSR_OK : csr_err_wolf(err, rc, "HMAC failed");
}

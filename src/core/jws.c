/* JSON Web Signatures (RFC 7515 flattened JSON serialisation, RFC 7518 RS256/ES256/ES384/
 * ES512, RFC 8037 EdDSA), HMAC and random bytes for ACME clients.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "key_int.h"

/* see csr.h */
const char *csr_jws_alg(const csr_key *k)
{
    switch (k->type) {
    case CSR_KEY_RSA: return "RS256";
    case CSR_KEY_EC:
        return k->curve == CSR_CURVE_P256 ? "ES256" : k->curve == CSR_CURVE_P384 ? "ES384"
                                                                                : "ES512";
    default: return "EdDSA";
    }
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
    size_t dot;
    int rc;

    if (!k->priv)
        return csr_err_set(err, CSR_E_INVALID, "signing needs a private key");
    memset(&p, 0, sizeof p);
    p.salt_len = -1;
    p.raw = k->type == CSR_KEY_EC;  /* JWS ECDSA: r || s, each the curve size (RFC 7518 3.4) */
    if (k->type == CSR_KEY_RSA)
        p.md = CSR_MD_SHA256;
    if ((rc = csr_sig_resolve(&p, k, err)) != CSR_OK)
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

/* Proof of possession: the request's self-signature checked with its own public key.
 * The signature maths only; key sizes, SHA-1 and criticality are policy, not ours.
 * SPDX-License-Identifier: MIT */
#include <string.h>
#include <stdio.h>

#include "req.h"
#include "oid.h"

static const char *key_type_name(int t)
{
    switch (t) {
    case CSR_KEY_RSA: return "RSA";
    case CSR_KEY_EC: return "EC";
    case CSR_KEY_ED25519: return "Ed25519";
    case CSR_KEY_ED448: return "Ed448";
    default: return "unknown";
    }
}

static const char *key_alg_name(const char *oid)
{
    const char *s = csr_oid_name(CSR_OID_KEYALG, oid);
    return s != NULL ? s : oid;
}

int req_spki_key(csr_key **out, const uint8_t *spki, size_t len, const char *key_alg,
                 csr_err *err)
{
    int rc;

    *out = NULL;
    rc = csr_key_from_spki(out, spki, len, err);
    if (rc == CSR_OK || rc == CSR_E_NOMEM)
        return rc;
    *out = NULL;
    err->code = CSR_E_UNSUPPORTED;
    return csr_err_prefix(err, "unsupported public key %s", key_alg_name(key_alg));
}

int req_key(const csr_key **out, const csr_req *r, csr_err *err)
{
    csr_key *k = NULL;
    int rc;
    *out = r->key;
    if (r->key != NULL)
        return CSR_OK;
    rc = req_spki_key(&k, r->spki, r->spki_len, r->key_alg, err);
    csr_key_free(k);                            /* only when the parse-time view missed it */
    return rc != CSR_OK ? rc : csr_err_set(err, CSR_E_UNSUPPORTED, "unsupported public key %s",
                                           r->key_alg);
}

/* req_check_signature once the algorithm is decoded: key type kt, parameters sp, name */
static int check_decoded(const csr_key *k, int kt, const csr_sig *sp, const char *name,
                         const uint8_t *msg, size_t mlen, const uint8_t *sig, size_t slen,
                         csr_err *err)
{
    int rc;

    if (csr_key_type(k) != kt)
        return csr_err_set(err, CSR_E_BAD_SIGNATURE,
                           "signature algorithm %s does not match the %s public key", name,
                           key_type_name(csr_key_type(k)));
    /* parameters an RSASSA-PSS key forbids: the key's reason; the maths failed: one message */
    rc = csr_key_allows(k, sp, err);
    if (rc == CSR_OK) {
        rc = csr_key_verify(k, sp, msg, mlen, sig, slen, err);
        if (rc == CSR_E_BAD_SIGNATURE)
            csr_err_set(err, rc, "signature does not verify");
    }
    if (rc == CSR_E_UNSUPPORTED)
        return csr_err_prefix(err, "unsupported signature parameters for %s", name);
    return rc;
}

int req_check_signature(const csr_key *k, const uint8_t *algid, size_t alen, size_t aoff,
                        const uint8_t *msg, size_t mlen, const uint8_t *sig, size_t slen,
                        csr_err *err)
{
    csr_sig sp;
    char name[64];
    int kt, rc;

    rc = csr_sigalg_decode(algid, alen, aoff, &kt, &sp, name, err);
    if (rc != CSR_OK)
        return rc;
    if (kt == 0)
        return csr_err_set(err, CSR_E_UNSUPPORTED, "unsupported signature algorithm %s", name);
    return check_decoded(k, kt, &sp, name, msg, mlen, sig, slen, err);
}

int csr_req_verify(const csr_req *r, csr_err *err)
{
    const csr_key *k = NULL;
    int rc;

    if (!r->is_signed)
        return csr_err_set(err, CSR_E_NOT_SIGNED, "the request is not signed");
    /* decoded when parsed; an unsupported algorithm is reported before an unsupported key */
    if (r->sig_kt == 0)
        return csr_err_set(err, CSR_E_UNSUPPORTED, "unsupported signature algorithm %s",
                           r->sigalg);
    if ((rc = req_key(&k, r, err)) != CSR_OK)
        return rc;
    return check_decoded(k, r->sig_kt, &r->sig_p, r->sigalg, r->cri, r->cri_len, r->sig,
                         r->sig_len, err);
}

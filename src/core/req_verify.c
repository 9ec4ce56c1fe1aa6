/* Proof of possession: the request's self-signature checked with its own public key.
 * The signature maths only; key sizes, SHA-1 and criticality are policy, not ours.
 * SPDX-License-Identifier: MIT */
#include <string.h>
#include <stdio.h>

#include "req.h"

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

static const struct { const char *oid, *name; } key_algs[] = {
    {"1.2.840.113549.1.1.1", "rsaEncryption"},
    {"1.2.840.113549.1.1.10", "rsassaPss"},
    {"1.2.840.10045.2.1", "id-ecPublicKey"},
    {"1.2.840.10040.4.1", "dsaEncryption"},
    {"1.3.101.112", "ed25519"},
    {"1.3.101.113", "ed448"},
    {"1.3.101.110", "x25519"},
    {"1.3.101.111", "x448"},
    {"2.16.840.1.101.3.4.3.17", "ML-DSA-44"},
    {"2.16.840.1.101.3.4.3.18", "ML-DSA-65"},
    {"2.16.840.1.101.3.4.3.19", "ML-DSA-87"},
    {"2.16.840.1.101.3.4.4.1", "ML-KEM-512"},
    {"2.16.840.1.101.3.4.4.2", "ML-KEM-768"},
    {"2.16.840.1.101.3.4.4.3", "ML-KEM-1024"},
    {NULL, NULL}
};

static const char *key_alg_name(const char *oid)
{
    int i;
    for (i = 0; key_algs[i].oid != NULL; i++)
        if (strcmp(key_algs[i].oid, oid) == 0)
            return key_algs[i].name;
    return oid;
}

int req_spki_key(csr_key **out, const uint8_t *spki, size_t len, const char *key_alg,
                 csr_err *err)
{
    char m[sizeof err->msg];
    int rc;

    *out = NULL;
    memset(err, 0, sizeof *err);
    rc = csr_key_from_spki(out, spki, len, err);
    if (rc == CSR_OK || rc == CSR_E_NOMEM)
        return rc;
    *out = NULL;
    snprintf(m, sizeof m, "%s", err->msg);
    if (m[0] == '\0')
        return csr_err_set(err, CSR_E_UNSUPPORTED, "unsupported public key %s",
                           key_alg_name(key_alg));
    return csr_err_set(err, CSR_E_UNSUPPORTED, "unsupported public key %s (%.160s)",
                       key_alg_name(key_alg), m);
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
    if (csr_key_type(k) != kt)
        return csr_err_set(err, CSR_E_BAD_SIGNATURE,
                           "signature algorithm %s does not match the %s public key", name,
                           key_type_name(csr_key_type(k)));
    memset(err, 0, sizeof *err);
    rc = csr_key_verify(k, &sp, msg, mlen, sig, slen, err);
    if (rc == CSR_OK)
        return CSR_OK;
    /* the maths failed: one message; parameters an RSASSA-PSS key forbids: the key's reason */
    if (rc == CSR_E_BAD_SIGNATURE && strncmp(err->msg, "the RSASSA-PSS key", 18) != 0)
        return csr_err_set(err, CSR_E_BAD_SIGNATURE, "signature does not verify");
    if (rc == CSR_E_UNSUPPORTED && strncmp(err->msg, "unsupported", 11) != 0) {
        char m[sizeof err->msg];
        snprintf(m, sizeof m, "%s", err->msg);
        return csr_err_set(err, rc, "unsupported signature parameters for %s%s%.160s", name,
                           m[0] ? ": " : "", m);
    }
    if (err->msg[0] == '\0')
        return csr_err_set(err, rc, "signature check failed");
    return rc;
}

int csr_req_verify(const csr_req *r, csr_err *err)
{
    csr_sig sp;
    char name[64];
    int kt, rc;
    csr_key *owned = NULL;
    const csr_key *k = r->key;         /* validated when parsed; NULL when unsupported */

    if (!r->is_signed)
        return csr_err_set(err, CSR_E_NOT_SIGNED, "the request is not signed");
    /* an unsupported algorithm is reported before an unsupported key */
    rc = csr_sigalg_decode(r->algid, r->algid_len, r->algid_off, &kt, &sp, name, err);
    if (rc != CSR_OK)
        return rc;
    if (kt == 0)
        return csr_err_set(err, CSR_E_UNSUPPORTED, "unsupported signature algorithm %s", name);
    if (k == NULL) {
        if ((rc = req_spki_key(&owned, r->spki, r->spki_len, r->key_alg, err)) != CSR_OK)
            return rc;
        k = owned;
    }
    rc = req_check_signature(k, r->algid, r->algid_len, r->algid_off, r->cri, r->cri_len,
                             r->sig, r->sig_len, err);
    csr_key_free(owned);
    return rc;
}

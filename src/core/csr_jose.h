/* lua-csr C core, JOSE part of the API (included by csr.h): base64url, JWK, JWS, HMAC.
 * SPDX-License-Identifier: MIT */
#ifndef CSR_JOSE_H
#define CSR_JOSE_H

#include "csr.h"

/* ---- base64url (pem.c) ---- */
/* base64url (RFC 4648 section 5) without padding. */
int csr_b64url_encode(csr_buf *out, const uint8_t *in, size_t len);
/* Strict base64url: URL alphabet only (no '=', no whitespace), a length that is not 1 mod 4,
 * the unused bits of the last character zero; else CSR_E_BAD_PEM. Appends to out. */
int csr_b64url_decode(csr_buf *out, const uint8_t *in, size_t len, csr_err *err) CSR_NODISCARD;

/* ---- JOSE: JWK (jwk.c), JWS and HMAC (jws.c) ---- */
/* One JWK member: name and text value ("kty", "crv" plain; the others base64url). */
typedef struct csr_jwk_member {
    const char *name;
    const char *val;
    size_t len;
} csr_jwk_member;
#define CSR_JWK_MAX 10
typedef struct csr_jwk {
    size_t n;
    csr_jwk_member m[CSR_JWK_MAX];   /* values point into the caller's buffer */
} csr_jwk;
/* The key as JWK members (RFC 7517/7518/8037): kty, crv (EC, OKP), n e | x y | x, and with
 * priv d (RSA: p q dp dq qi too). Integers minimal, EC coordinates and d padded to the field
 * size. An id-RSASSA-PSS key is kty RSA with alg = its csr_jws_alg (JWK has no PSS key type:
 * alg keeps the restriction), or fails as csr_jws_alg does. The values are NUL-terminated
 * text kept in buf (secret when priv); j points into it. priv on a public key: INVALID. */
int csr_key_to_jwk(csr_jwk *j, csr_buf *buf, const csr_key *k, int priv,
                   csr_err *err) CSR_NODISCARD;
/* A key from JWK members (unknown names ignored; the first of a repeated name counts).
 * Refused: missing or empty members (CSR_E_INVALID), non-base64url text (CSR_E_BAD_PEM),
 * coordinates or keys of the wrong length, integers with leading zero octets, an EC point
 * off the curve, an RSA modulus under 2048 bits, private parts that do not belong together
 * (CSR_E_INVALID), kty/crv this module does not do and multi-prime RSA (CSR_E_UNSUPPORTED). */
int csr_key_from_jwk(csr_key **out, const csr_jwk_member *m, size_t n,
                     csr_err *err) CSR_NODISCARD;
/* RFC 7638 thumbprint: base64url(SHA-256(canonical public JWK JSON of the required members:
 * never alg)), 43 chars + NUL. */
int csr_key_thumbprint(char out[44], const csr_key *k, csr_err *err) CSR_NODISCARD;
/* "RS256", "ES256", "ES384", "ES512" (by curve) or "EdDSA"; an id-RSASSA-PSS key "PS256",
 * "PS384" or "PS512" by its hash (RFC 7518 3.5: MGF1 with that hash, salt = its length; no
 * restriction: PS256), or NULL and CSR_E_UNSUPPORTED when its restrictions rule out every PS*
 * (another MGF1 hash, a longer minimum salt, a hash under SHA-256). */
const char *csr_jws_alg(const csr_key *k, csr_err *err);
/* Flattened JWS JSON {"protected":…,"payload":…,"signature":…} over the protected header
 * text and the payload (both base64url-encoded here), signed as csr_jws_alg(k) names (and
 * failing as it does). ECDSA signatures are r||s. */
int csr_jws_sign(csr_buf *out, const csr_key *k, const uint8_t *prot, size_t plen,
                 const uint8_t *payload, size_t len, csr_err *err) CSR_NODISCARD;
/* HMAC with md (CSR_MD_SHA256/384/512) into out (csr_md_size(md) bytes). */
int csr_hmac(uint8_t *out, int md, const uint8_t *key, size_t klen, const uint8_t *data,
             size_t len, csr_err *err) CSR_NODISCARD;

#endif

/* Internal to key.c, key_io.c, key_ec.c, key_export.c, key_pss.c and pbes2.c: the key struct and shared
 * helpers.
 * SPDX-License-Identifier: MIT */
#ifndef CSR_KEY_INT_H
#define CSR_KEY_INT_H

#include "csr.h"
#include "wolf.h"
#include "oid.h"
#include "der.h"

struct csr_key {
    int type;                   /* CSR_KEY_* */
    int curve;                  /* CSR_CURVE_* (EC) */
    int bits;
    int priv;                   /* 1: holds the private half */
    int ec_comp;                /* EC: the point came compressed; SPKI and export keep that */
    union {
        RsaKey *rsa;
        ecc_key *ec;
        ed25519_key *ed25519;
        ed448_key *ed448;
        void *any;
    } u;
    uint8_t *spki;              /* SubjectPublicKeyInfo DER (original bytes when parsed) */
    size_t spki_len;
    uint8_t *algid;             /* RSA-PSS: the original AlgorithmIdentifier TLV, else NULL */
    size_t algid_len;
    /* What an id-RSASSA-PSS key allows: padding CSR_PAD_PSS (else 0: any); when its parameters
     * restrict it, md and mgf_md (else CSR_MD_NONE) and salt_len the smallest salt. */
    csr_sig pss;
};

/* key.c */
/* A new key object with the wolfCrypt struct of type allocated and initialised. */
int csr_key_alloc(csr_key **out, int type, csr_err *err);
/* Sign/verify self-test of a freshly loaded private key (catches corrupt RSA CRT values and
 * EC public points that do not belong to the private scalar). CSR_E_BAD_DER on mismatch. */
int csr_key_check_pair(const csr_key *k, csr_err *err);
/* Computes k->spki from the wolfCrypt key (or from k->algid for RSA-PSS keys). */
int csr_key_make_spki(csr_key *k, csr_err *err);
int csr_curve_wc(int curve);                 /* CSR_CURVE_* → ECC_SECP*R1 */
int csr_curve_bytes(int curve);              /* 32/48/66 */
const char *csr_curve_oid(int curve);        /* registry lookups */
int csr_curve_from_oid(const char *oid);     /* CSR_CURVE_NONE if unknown */

/* key_io.c: shared with the private-key import in key_parse.c */
/* RSA modulus and exponent INTEGERs from c (then the end of c when last names the structure);
 * checked; *bits = modulus bits. */
int key_read_rsa_ne(der_rd *c, const char *last, const uint8_t **nb, size_t *nl,
                    const uint8_t **eb, size_t *el, int *bits, csr_err *err);
/* An id-RSASSA-PSS key keeps its AlgorithmIdentifier a and the restrictions of its params. */
int key_keep_pss(csr_key *k, const der_tlv *a, const der_tlv *params, int has, csr_err *err);
/* AlgorithmIdentifier: SEQUENCE { OID, params OPTIONAL } (params raw, may be absent). */
int key_read_algid(const der_tlv *t, char oid[DER_OID_TEXT], der_tlv *params, int *has,
                   csr_err *err);
/* Key type (and curve) from a key AlgorithmIdentifier (SPKI or PKCS#8). */
int key_decode_keyalg(const char *oid, const der_tlv *params, int has, int *type, int *curve,
                      csr_err *err);

/* key_pss.c */
/* Sets p->salt_len to the salt length of PSS signature sig (n bytes, the modulus size) made
 * with p->md and p->mgf_md, unmasking it in em (n bytes of scratch). CSR_E_BAD_SIGNATURE when
 * sig is no such encoding. Only finds the length: the caller still verifies sig with it. */
int csr_pss_find_salt(const csr_key *k, csr_sig *p, const uint8_t *sig, uint8_t *em, size_t n,
                      csr_err *err);

/* key_ec.c */
/* Checks the form of an encoded EC point (SEC 1 2.3.3) for curve: uncompressed 04|x|y or
 * compressed 02/03|x (RFC 5480 allows both; wolfCrypt decompresses, HAVE_COMP_KEY), each
 * coordinate given below the field prime; *comp = 1 when compressed. CSR_E_BAD_DER (at byte
 * off) otherwise. Whether the point is on the curve is checked on import. */
int csr_ec_point_form(const uint8_t *v, size_t n, int curve, size_t off, int *comp,
                      csr_err *err);
/* Imports the point v (n bytes) into k (curve set), form-checked and on the curve; sets
 * k->ec_comp. */
int csr_ec_point_load(csr_key *k, const uint8_t *v, size_t n, size_t off, csr_err *err);

/* pbes2.c: EncryptedPrivateKeyInfo <-> PrivateKeyInfo */
#define CSR_PBES2_ITERATIONS 100000
/* Hostile input must not buy seconds of CPU: 1,000,000 PBKDF2-HMAC iterations cost about
 * 0.5 s here; openssl writes 2048, we write 100,000, password managers use up to 600,000. */
#define CSR_PBES2_MAX_ITERATIONS 1000000L
int csr_pbes2_encrypt(csr_buf *out, const uint8_t *pkcs8, size_t len, const char *pass,
                      size_t passlen, csr_err *err) CSR_NODISCARD;
/* in = the EncryptedPrivateKeyInfo TLV; plain gets the decrypted PrivateKeyInfo (secret).
 * Wrong passphrase → CSR_E_PASSPHRASE; unknown schemes → CSR_E_UNSUPPORTED. */
int csr_pbes2_decrypt(csr_buf *plain, const uint8_t *in, size_t len, const char *pass,
                      size_t passlen, csr_err *err) CSR_NODISCARD;

#endif

/* Encrypted PKCS#8 (RFC 5958 EncryptedPrivateKeyInfo) with PBES2 (RFC 8018):
 * PBKDF2 (HMAC-SHA1/224/256/384/512) + AES-128/192/256-CBC, always PKCS#7 padded.
 * Our own because wolfSSL 5.5.4's encryptor drops the final padding block when the
 * plaintext is a multiple of 16 bytes (openssl then fails with "bad decrypt").
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "key_int.h"
#include "der.h"

#define OID_PBES2  "1.2.840.113549.1.5.13"
#define OID_PBKDF2 "1.2.840.113549.1.5.12"
#define OID_HMAC_SHA1   "1.2.840.113549.2.7"
#define OID_HMAC_SHA224 "1.2.840.113549.2.8"
#define OID_HMAC_SHA256 "1.2.840.113549.2.9"
#define OID_HMAC_SHA384 "1.2.840.113549.2.10"
#define OID_HMAC_SHA512 "1.2.840.113549.2.11"
#define OID_AES128_CBC "2.16.840.1.101.3.4.1.2"
#define OID_AES192_CBC "2.16.840.1.101.3.4.1.22"
#define OID_AES256_CBC "2.16.840.1.101.3.4.1.42"

#define SALT_LEN 16
#define MAX_SALT 1024

static int aes_cbc(uint8_t *out, const uint8_t *in, size_t n, const uint8_t *key, int klen,
                   const uint8_t iv[16], int enc, csr_err *err)
{
    Aes *aes = (Aes *)csr_calloc(1, sizeof(Aes));
    int rc;

    if (aes == NULL)
        return csr_err_set(err, CSR_E_NOMEM, "out of memory");
    rc = wc_AesInit(aes, NULL, INVALID_DEVID);
    if (rc == 0) {
        rc = wc_AesSetKey(aes, key, (word32)klen, iv, enc ? AES_ENCRYPTION : AES_DECRYPTION);
        if (rc == 0)
            rc = enc ? wc_AesCbcEncrypt(aes, out, in, (word32)n)
                     : wc_AesCbcDecrypt(aes, out, in, (word32)n);
        wc_AesFree(aes);
    }
    csr_free_wiped(aes, sizeof(Aes));
    if (rc != 0)
        return csr_err_wolf(err, rc, "AES-CBC failed");
    return CSR_OK;
}

static int pbkdf2(uint8_t *key, int klen, const char *pass, size_t passlen, const uint8_t *salt,
                  size_t saltlen, long iter, int hash, csr_err *err)
{
    int rc;
    if (passlen > 0x7fffffff)
        return csr_err_set(err, CSR_E_INVALID, "passphrase too long");
    rc = wc_PBKDF2_ex(key, (const byte *)pass, (int)passlen, salt, (int)saltlen, (int)iter, klen,
                      hash, NULL, INVALID_DEVID);
    if (rc != 0)
        return csr_err_wolf(err, rc, "PBKDF2 failed");
    return CSR_OK;
}

int csr_pbes2_encrypt(csr_buf *out, const uint8_t *pkcs8, size_t len, const char *pass,
                      size_t passlen, csr_err *err)
{
    uint8_t salt[SALT_LEN], iv[16], key[32];
    uint8_t *ct;
    size_t ctlen = (len / 16 + 1) * 16, m, s1, s2, s3, s4, s5;
    int rc;

    if (len > CSR_MAX_INPUT)
        return csr_err_set(err, CSR_E_TOO_LARGE, "key too large");
    if ((rc = csr_random(salt, sizeof salt, err)) != CSR_OK ||
        (rc = csr_random(iv, sizeof iv, err)) != CSR_OK)
        return rc;
    ct = (uint8_t *)csr_malloc(ctlen);
    if (ct == NULL)
        return csr_err_set(err, CSR_E_NOMEM, "out of memory");
    memcpy(ct, pkcs8, len);
    memset(ct + len, (int)(ctlen - len), ctlen - len);     /* PKCS#7: 1..16, always */
    rc = pbkdf2(key, 32, pass, passlen, salt, sizeof salt, CSR_PBES2_ITERATIONS, WC_SHA256, err);
    if (rc == CSR_OK)
        rc = aes_cbc(ct, ct, ctlen, key, 32, iv, 1, err);
    csr_wipe(key, sizeof key);
    if (rc != CSR_OK) {
        csr_free_wiped(ct, ctlen);
        return rc;
    }
    m = der_open(out, DER_SEQUENCE);
    s1 = der_open(out, DER_SEQUENCE);               /* encryptionAlgorithm */
    (void)der_put_oid_text(out, OID_PBES2);
    s2 = der_open(out, DER_SEQUENCE);               /* PBES2-params */
    s3 = der_open(out, DER_SEQUENCE);               /* keyDerivationFunc */
    (void)der_put_oid_text(out, OID_PBKDF2);
    s4 = der_open(out, DER_SEQUENCE);               /* PBKDF2-params */
    der_put_tlv(out, DER_OCTET_STRING, salt, sizeof salt);
    der_put_uint(out, CSR_PBES2_ITERATIONS);
    s5 = der_open(out, DER_SEQUENCE);               /* prf */
    (void)der_put_oid_text(out, OID_HMAC_SHA256);
    der_put_null(out);
    der_close(out, s5);
    der_close(out, s4);
    der_close(out, s3);
    s3 = der_open(out, DER_SEQUENCE);               /* encryptionScheme */
    (void)der_put_oid_text(out, OID_AES256_CBC);
    der_put_tlv(out, DER_OCTET_STRING, iv, sizeof iv);
    der_close(out, s3);
    der_close(out, s2);
    der_close(out, s1);
    der_put_tlv(out, DER_OCTET_STRING, ct, ctlen);
    der_close(out, m);
    csr_free(ct);
    if (out->err)
        return csr_err_set(err, out->err, "out of memory");
    return CSR_OK;
}

static int prf_hash(const char *oid)
{
    if (strcmp(oid, OID_HMAC_SHA1) == 0) return WC_SHA;
    if (strcmp(oid, OID_HMAC_SHA224) == 0) return WC_SHA224;
    if (strcmp(oid, OID_HMAC_SHA256) == 0) return WC_SHA256;
    if (strcmp(oid, OID_HMAC_SHA384) == 0) return WC_SHA384;
    if (strcmp(oid, OID_HMAC_SHA512) == 0) return WC_SHA512;
    return -1;
}

static int cipher_keylen(const char *oid)
{
    if (strcmp(oid, OID_AES128_CBC) == 0) return 16;
    if (strcmp(oid, OID_AES192_CBC) == 0) return 24;
    if (strcmp(oid, OID_AES256_CBC) == 0) return 32;
    return 0;
}

/* What an EncryptedPrivateKeyInfo with PBES2 gives once read. */
typedef struct pbes2_params {
    der_tlv salt, iv, ct;
    long iterations, keylen;    /* keylen -1: absent */
    int hash;                   /* the PRF's WC_SHA* */
    int klen;                   /* AES key bytes */
} pbes2_params;

/* prf AlgorithmIdentifier {{PBKDF2-PRFs}}: hmacWithSHA*, parameters NULL or absent */
static int read_prf(der_rd *kp, int *hash, csr_err *err)
{
    der_rd prf;
    der_tlv nul;
    char oid[DER_OID_TEXT];
    int rc;
    if ((rc = der_enter(kp, DER_SEQUENCE, &prf, "PBKDF2 prf", err)) != CSR_OK ||
        (rc = der_read_oid(&prf, oid, "PBKDF2 prf", err)) != CSR_OK)
        return rc;
    if (der_rd_more(&prf) && ((rc = der_next(&prf, &nul, err)) != CSR_OK ||
                              (rc = der_get_null(&nul, "PBKDF2 prf parameters", err)) != CSR_OK))
        return rc;
    if ((rc = der_finish(&prf, "PBKDF2 prf", err)) != CSR_OK)
        return rc;
    if ((*hash = prf_hash(oid)) < 0)
        return csr_err_set(err, CSR_E_UNSUPPORTED, "PBKDF2 prf %s is not supported", oid);
    return CSR_OK;
}

/* keyDerivationFunc: id-PBKDF2, PBKDF2-params ::= SEQUENCE { salt OCTET STRING,
 *   iterationCount INTEGER, keyLength INTEGER OPTIONAL, prf DEFAULT hmacWithSHA1 } */
static int read_pbkdf2(der_rd *kdf, pbes2_params *pp, csr_err *err)
{
    der_rd kp;
    der_tlv x;
    char oid[DER_OID_TEXT];
    int has, rc;
    if ((rc = der_read_oid(kdf, oid, "key derivation", err)) != CSR_OK)
        return rc;
    if (strcmp(oid, OID_PBKDF2) != 0)
        return csr_err_set(err, CSR_E_UNSUPPORTED, "key derivation %s is not supported", oid);
    if ((rc = der_enter(kdf, DER_SEQUENCE, &kp, "PBKDF2 parameters", err)) != CSR_OK ||
        (rc = der_finish(kdf, "key derivation", err)) != CSR_OK ||
        (rc = der_expect(&kp, DER_OCTET_STRING, &pp->salt, "PBKDF2 salt", err)) != CSR_OK ||
        (rc = der_expect(&kp, DER_INTEGER, &x, "PBKDF2 iterations", err)) != CSR_OK ||
        (rc = der_get_uint(&x, &pp->iterations, "PBKDF2 iterations", err)) != CSR_OK)
        return rc;
    if (pp->salt.len == 0 || pp->salt.len > MAX_SALT)
        return csr_err_at(err, CSR_E_BAD_DER, pp->salt.off, "PBKDF2 salt length %lu",
                          (unsigned long)pp->salt.len);
    if (pp->iterations < 1 || pp->iterations > CSR_PBES2_MAX_ITERATIONS)
        return csr_err_set(err, CSR_E_UNSUPPORTED, "PBKDF2 iteration count %ld outside 1..%ld",
                           pp->iterations, CSR_PBES2_MAX_ITERATIONS);
    if ((rc = der_optional(&kp, DER_INTEGER, &x, &has, err)) != CSR_OK ||
        (has && (rc = der_get_uint(&x, &pp->keylen, "PBKDF2 key length", err)) != CSR_OK))
        return rc;
    if (der_rd_more(&kp) && (rc = read_prf(&kp, &pp->hash, err)) != CSR_OK)
        return rc;
    return der_finish(&kp, "PBKDF2 parameters", err);
}

/* encryptionScheme: aes{128,192,256}-CBC-PAD, parameters the IV OCTET STRING (16) */
static int read_cipher(der_rd *es, pbes2_params *pp, csr_err *err)
{
    char oid[DER_OID_TEXT];
    int rc;
    if ((rc = der_read_oid(es, oid, "encryption scheme", err)) != CSR_OK)
        return rc;
    if ((pp->klen = cipher_keylen(oid)) == 0)
        return csr_err_set(err, CSR_E_UNSUPPORTED, "key cipher %s is not supported", oid);
    if ((rc = der_expect(es, DER_OCTET_STRING, &pp->iv, "cipher IV", err)) != CSR_OK ||
        (rc = der_finish(es, "encryption scheme", err)) != CSR_OK)
        return rc;
    if (pp->iv.len != 16)
        return csr_err_at(err, CSR_E_BAD_DER, pp->iv.off, "AES-CBC IV must be 16 bytes");
    return CSR_OK;
}

/* EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm AlgorithmIdentifier (id-PBES2,
 *   PBES2-params ::= SEQUENCE { keyDerivationFunc, encryptionScheme }), encryptedData } */
static int read_epki(const uint8_t *in, size_t len, pbes2_params *pp, csr_err *err)
{
    der_rd c, a, p, kdf, es;
    der_tlv t;
    char oid[DER_OID_TEXT];
    int rc;
    if ((rc = der_read_one(in, len, 0, DER_SEQUENCE, &t, "EncryptedPrivateKeyInfo", err)) != 0)
        return rc;
    der_rd_enter(&c, &t);
    if ((rc = der_enter(&c, DER_SEQUENCE, &a, "encryption algorithm", err)) != CSR_OK ||
        (rc = der_expect(&c, DER_OCTET_STRING, &pp->ct, "encrypted data", err)) != CSR_OK ||
        (rc = der_finish(&c, "EncryptedPrivateKeyInfo", err)) != CSR_OK ||
        (rc = der_read_oid(&a, oid, "encryption algorithm", err)) != CSR_OK)
        return rc;
    if (strcmp(oid, OID_PBES2) != 0)
        return csr_err_set(err, CSR_E_UNSUPPORTED,
                           "key encryption %s is not supported (only PBES2)", oid);
    if ((rc = der_enter(&a, DER_SEQUENCE, &p, "PBES2 parameters", err)) != CSR_OK ||
        (rc = der_finish(&a, "encryption algorithm", err)) != CSR_OK ||
        (rc = der_enter(&p, DER_SEQUENCE, &kdf, "key derivation", err)) != CSR_OK ||
        (rc = der_enter(&p, DER_SEQUENCE, &es, "encryption scheme", err)) != CSR_OK ||
        (rc = der_finish(&p, "PBES2 parameters", err)) != CSR_OK ||
        (rc = read_pbkdf2(&kdf, pp, err)) != CSR_OK ||
        (rc = read_cipher(&es, pp, err)) != CSR_OK)
        return rc;
    if (pp->keylen != -1 && pp->keylen != pp->klen)
        return csr_err_set(err, CSR_E_BAD_DER, "PBKDF2 key length %ld does not fit the cipher",
                           pp->keylen);
    if (pp->ct.len == 0 || pp->ct.len % 16 != 0)
        return csr_err_set(err, CSR_E_BAD_DER, "encrypted key length %lu is not a multiple of 16",
                           (unsigned long)pp->ct.len);
    return CSR_OK;
}

int csr_pbes2_decrypt(csr_buf *plain, const uint8_t *in, size_t len, const char *pass,
                      size_t passlen, csr_err *err)
{
    pbes2_params pp;
    uint8_t key[32], *buf;
    size_t i, n;
    int rc, pad;

    memset(&pp, 0, sizeof pp);
    pp.keylen = -1;
    pp.hash = WC_SHA;                                   /* the prf DEFAULT */
    if ((rc = read_epki(in, len, &pp, err)) != CSR_OK)
        return rc;
    rc = pbkdf2(key, pp.klen, pass, passlen, pp.salt.v, pp.salt.len, pp.iterations, pp.hash,
                err);
    if (rc != CSR_OK)
        return rc;
    n = pp.ct.len;
    if ((rc = csr_buf_reserve(plain, n)) != CSR_OK) {
        csr_wipe(key, sizeof key);
        return csr_err_set(err, rc, "out of memory");
    }
    buf = plain->p;
    rc = aes_cbc(buf, pp.ct.v, n, key, pp.klen, pp.iv.v, 0, err);
    csr_wipe(key, sizeof key);
    if (rc != CSR_OK)
        return rc;
    pad = buf[n - 1];                                   /* PKCS#7: 1..16 bytes of pad */
    rc = pad >= 1 && pad <= 16;
    for (i = 0; rc && i < (size_t)pad; i++)
        rc = buf[n - 1 - i] == pad;
    if (!rc) {
        csr_wipe(buf, n);
        return csr_err_set(err, CSR_E_PASSPHRASE, "wrong passphrase");
    }
    plain->len = n - (size_t)pad;
    return CSR_OK;
}

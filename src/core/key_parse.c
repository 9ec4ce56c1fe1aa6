/* Key import (csr_key_parse): PEM/DER detection, PKCS#8, encrypted PKCS#8, PKCS#1, SEC1.
 * Structure is read with der.h; wolfCrypt only loads the validated key material.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "key_int.h"
#include "der.h"

/* ---- private keys ---- */

/* A wolfCrypt failure loading a private key: out of memory, else CSR_E_BAD_DER "<what>
 * rejected". */
static int rejected(csr_err *err, int rc, const char *what)
{
    if (csr_wolf_nomem(rc))
        return csr_err_wolf(err, rc, "out of memory");
    return csr_err_set(err, CSR_E_BAD_DER, "%s rejected (wolfSSL %d)", what, rc);
}

/* RSAPrivateKey (PKCS#1) TLV at t. */
static int load_rsa_priv(csr_key *k, const der_tlv *t, csr_err *err)
{
    der_rd c;
    der_tlv ver;
    const uint8_t *nb, *eb;
    size_t nl, el;
    long version;
    word32 idx = 0;
    int rc, i;

    der_rd_enter(&c, t);
    if ((rc = der_expect(&c, DER_INTEGER, &ver, "RSA key version", err)) != CSR_OK ||
        (rc = der_get_uint(&ver, &version, "RSA key version", err)) != CSR_OK)
        return rc;
    if (version != 0)
        return csr_err_set(err, CSR_E_UNSUPPORTED, "multi-prime RSA keys are not supported");
    if ((rc = key_read_rsa_ne(&c, NULL, &nb, &nl, &eb, &el, &k->bits, err)) != CSR_OK)
        return rc;
    for (i = 0; i < 6; i++) {           /* d, p, q, dp, dq, qinv */
        der_tlv x;
        const uint8_t *xb;
        size_t xl;
        if ((rc = der_expect(&c, DER_INTEGER, &x, "RSA private key", err)) != CSR_OK ||
            (rc = der_get_uint_bytes(&x, &xb, &xl, "RSA private key", err)) != CSR_OK)
            return rc;
    }
    if ((rc = der_finish(&c, "RSA private key", err)) != CSR_OK)
        return rc;
    rc = wc_RsaPrivateKeyDecode(t->tlv, &idx, k->u.rsa, (word32)t->tlv_len);
    if (rc != 0 || idx != t->tlv_len)
        return rejected(err, rc, "RSA private key");
    k->priv = 1;
    return CSR_OK;
}

/* ECPrivateKey parameters [0] ECParameters OPTIONAL, when present: a namedCurve that must
 * agree with *curve (the PKCS#8 algorithm's, or CSR_CURVE_NONE), into *curve. */
static int ec_priv_curve(der_rd *c, int *curve, csr_err *err)
{
    der_rd e;
    char oid[DER_OID_TEXT];
    int rc, cv;
    if (der_peek(c) != DER_CTXC(0))
        return CSR_OK;
    if ((rc = der_enter(c, DER_CTXC(0), &e, "curve", err)) != CSR_OK)
        return rc;
    if (der_peek(&e) != DER_OID)
        return csr_err_set(err, CSR_E_UNSUPPORTED,
                           "EC keys need a named curve (no explicit parameters)");
    if ((rc = der_read_oid(&e, oid, "curve", err)) != CSR_OK ||
        (rc = der_finish(&e, "curve", err)) != CSR_OK)
        return rc;
    cv = csr_curve_from_oid(oid);
    if (cv == CSR_CURVE_NONE)
        return csr_err_set(err, CSR_E_UNSUPPORTED, "unsupported curve %s", oid);
    if (*curve != CSR_CURVE_NONE && cv != *curve)
        return csr_err_set(err, CSR_E_BAD_DER, "EC key curve disagrees with its algorithm");
    *curve = cv;
    return CSR_OK;
}

/* ECPrivateKey publicKey [1] BIT STRING OPTIONAL: its bits (NULL when absent) and y, its TLV. */
static int ec_priv_pub(der_rd *c, const uint8_t **pub, size_t *publen, der_tlv *y,
                       csr_err *err)
{
    der_rd e;
    int rc, unused;
    if (der_peek(c) != DER_CTXC(1))
        return CSR_OK;
    if ((rc = der_enter(c, DER_CTXC(1), &e, "EC public key", err)) != CSR_OK ||
        (rc = der_expect(&e, DER_BIT_STRING, y, "EC public key", err)) != CSR_OK ||
        (rc = der_finish(&e, "EC public key", err)) != CSR_OK)
        return rc;
    return der_get_bit_string(y, pub, publen, &unused, "EC public key", err);
}


/* The private scalar d (at most the curve size: checked by the caller; left-padded to the curve size) and the public point pub (NULL: made
 * from d) into k's ecc_key, checked as a pair. */
static int ec_priv_import(csr_key *k, const der_tlv *d, const uint8_t *pub, size_t publen,
                          csr_err *err)
{
    uint8_t dpad[66];
    int cb = csr_curve_bytes(k->curve), rc;
    memset(dpad, 0, sizeof dpad);
    memcpy(dpad + (cb - (int)d->len), d->v, d->len);
    rc = wc_ecc_import_private_key_ex(dpad, (word32)cb, pub, (word32)publen, k->u.ec,
                                      csr_curve_wc(k->curve));
    csr_wipe(dpad, sizeof dpad);
    if (rc == 0 && pub == NULL)
        rc = wc_ecc_make_pub(k->u.ec, NULL);
    if (rc != 0)
        return rejected(err, rc, "EC private key");
    if ((rc = wc_ecc_check_key(k->u.ec)) != 0)
        return csr_wolf_nomem(rc) ? csr_err_wolf(err, rc, "out of memory")
                                  : csr_err_set(err, CSR_E_BAD_DER, "EC key pair is not consistent");
    return CSR_OK;
}

/* ECPrivateKey ::= SEQUENCE { version INTEGER { ecPrivkeyVer1(1) }, privateKey OCTET STRING,
 *   parameters [0] ECParameters OPTIONAL, publicKey [1] BIT STRING OPTIONAL } (SEC1 C.4)
 * TLV at t; curve from the PKCS#8 algorithm or CSR_CURVE_NONE. */
static int load_ec_priv(csr_key *k, const der_tlv *t, int curve, csr_err *err)
{
    der_rd c;
    der_tlv ver, d, y;
    const uint8_t *pub = NULL;
    size_t publen = 0;
    long version;
    int rc;

    der_rd_enter(&c, t);
    if ((rc = der_expect(&c, DER_INTEGER, &ver, "EC key version", err)) != CSR_OK ||
        (rc = der_get_uint(&ver, &version, "EC key version", err)) != CSR_OK)
        return rc;
    if (version != 1)
        return csr_err_at(err, CSR_E_BAD_DER, ver.off, "EC key version must be 1");
    if ((rc = der_expect(&c, DER_OCTET_STRING, &d, "EC private key", err)) != CSR_OK ||
        (rc = ec_priv_curve(&c, &curve, err)) != CSR_OK ||
        (rc = ec_priv_pub(&c, &pub, &publen, &y, err)) != CSR_OK ||
        (rc = der_finish(&c, "EC private key", err)) != CSR_OK)
        return rc;
    if (curve == CSR_CURVE_NONE)
        return csr_err_set(err, CSR_E_BAD_DER, "EC private key names no curve");
    k->curve = curve;
    k->bits = curve == CSR_CURVE_P521 ? 521 : csr_curve_bytes(curve) * 8;
    if (d.len == 0 || d.len > (size_t)csr_curve_bytes(curve))
        return csr_err_at(err, CSR_E_BAD_DER, d.off, "EC private key has the wrong length");
    if (pub != NULL &&
        (rc = csr_ec_point_form(pub, publen, curve, y.off, &k->ec_comp, err)) != CSR_OK)
        return rc;
    if ((rc = ec_priv_import(k, &d, pub, publen, err)) != CSR_OK)
        return rc;
    k->priv = 1;
    return CSR_OK;
}

/* CurvePrivateKey (RFC 8410): OCTET STRING of 32 / 57 bytes, inside the PKCS#8 OCTET STRING. */
static int load_ed_priv(csr_key *k, const der_tlv *outer, const uint8_t *pub, size_t publen,
                        csr_err *err)
{
    der_rd c;
    der_tlv t;
    uint8_t calc[ED448_PUB_KEY_SIZE];
    size_t need = k->type == CSR_KEY_ED25519 ? ED25519_KEY_SIZE : ED448_KEY_SIZE;
    int rc;

    der_rd_enter(&c, outer);
    if ((rc = der_expect(&c, DER_OCTET_STRING, &t, "EdDSA private key", err)) != CSR_OK ||
        (rc = der_finish(&c, "EdDSA private key", err)) != CSR_OK)
        return rc;
    if (t.len != need)
        return csr_err_at(err, CSR_E_BAD_DER, t.off, "EdDSA private key must be %lu bytes",
                           (unsigned long)need);
    if (k->type == CSR_KEY_ED25519) {
        k->bits = 256;
        rc = wc_ed25519_import_private_only(t.v, (word32)t.len, k->u.ed25519);
        if (rc == 0)      /* sets pubKeySet: imported keys cannot sign without it */
            rc = wc_ed25519_make_public(k->u.ed25519, k->u.ed25519->p, ED25519_PUB_KEY_SIZE);
        if (rc == 0)
            k->u.ed25519->pubKeySet = 1;
        memcpy(calc, k->u.ed25519->p, ED25519_PUB_KEY_SIZE);
    } else {
        k->bits = 456;
        rc = wc_ed448_import_private_only(t.v, (word32)t.len, k->u.ed448);
        if (rc == 0)
            rc = wc_ed448_make_public(k->u.ed448, k->u.ed448->p, ED448_PUB_KEY_SIZE);
        if (rc == 0)
            k->u.ed448->pubKeySet = 1;
        memcpy(calc, k->u.ed448->p, ED448_PUB_KEY_SIZE);
    }
    if (rc != 0)
        return csr_err_wolf(err, rc, "EdDSA private key rejected");
    if (pub != NULL && (publen != (k->type == CSR_KEY_ED25519 ? 32u : 57u) ||
                        memcmp(pub, calc, publen) != 0))
        return csr_err_set(err, CSR_E_BAD_DER, "EdDSA public key does not match the private key");
    k->priv = 1;
    return CSR_OK;
}

/* After privateKey: attributes [0] (ignored) and, in a v2 OneAsymmetricKey (RFC 5958),
 * publicKey [1] BIT STRING (*pub: its bits after the unused-bits octet, or left NULL). */
static int pkcs8_tail(der_rd *c, long version, const uint8_t **pub, size_t *publen,
                      csr_err *err)
{
    der_tlv x;
    int rc;
    if (der_peek(c) == DER_CTXC(0) && (rc = der_next(c, &x, err)) != CSR_OK)
        return rc;
    if (der_peek(c) == DER_CTX(1) || der_peek(c) == DER_CTXC(1)) {
        if ((rc = der_next(c, &x, err)) != CSR_OK)
            return rc;
        if (version != 1 || x.len == 0 || x.v[0] != 0)
            return csr_err_at(err, CSR_E_BAD_DER, x.off, "PKCS#8 public key is not valid");
        *pub = x.v + 1;
        *publen = x.len - 1;
    }
    return der_finish(c, "PKCS#8", err);
}

/* An RSA or EC privateKey: the OCTET STRING pk holds one RSAPrivateKey / ECPrivateKey. */
static int load_seq_priv(csr_key *k, const der_tlv *pk, int curve, csr_err *err)
{
    der_tlv inner;
    int rc = der_read_one(pk->v, pk->len, pk->voff, DER_SEQUENCE, &inner, "private key", err);
    if (rc != CSR_OK)
        return rc;
    return k->type == CSR_KEY_RSA ? load_rsa_priv(k, &inner, err)
                                  : load_ec_priv(k, &inner, curve, err);
}

/* PrivateKeyInfo / OneAsymmetricKey TLV at t. */
static int load_pkcs8(csr_key **out, const der_tlv *t, csr_err *err)
{
    der_rd c;
    der_tlv ver, a, pk, params;
    char oid[DER_OID_TEXT];
    const uint8_t *pub = NULL;
    size_t publen = 0;
    long version;
    int rc, has, type, curve;
    csr_key *k = NULL;

    der_rd_enter(&c, t);
    if ((rc = der_expect(&c, DER_INTEGER, &ver, "PKCS#8 version", err)) != CSR_OK ||
        (rc = der_get_uint(&ver, &version, "PKCS#8 version", err)) != CSR_OK)
        return rc;
    if (version != 0 && version != 1)
        return csr_err_at(err, CSR_E_BAD_DER, ver.off, "PKCS#8 version %ld", version);
    if ((rc = der_expect(&c, DER_SEQUENCE, &a, "private key algorithm", err)) != CSR_OK ||
        (rc = key_read_algid(&a, oid, &params, &has, err)) != CSR_OK ||
        (rc = der_expect(&c, DER_OCTET_STRING, &pk, "private key", err)) != CSR_OK)
        return rc;
    if ((rc = pkcs8_tail(&c, version, &pub, &publen, err)) != CSR_OK ||
        (rc = key_decode_keyalg(oid, &params, has, &type, &curve, err)) != CSR_OK ||
        (rc = csr_key_alloc(&k, type, err)) != CSR_OK)
        return rc;
    if (type == CSR_KEY_RSA || type == CSR_KEY_EC) {
        rc = load_seq_priv(k, &pk, curve, err);
        if (rc == CSR_OK && strcmp(oid, OID_RSA_PSS) == 0)
            rc = key_keep_pss(k, &a, &params, has, err);
    } else {
        rc = load_ed_priv(k, &pk, pub, publen, err);
    }
    if (rc == CSR_OK)
        rc = csr_key_make_spki(k, err);
    if (rc == CSR_OK && (type == CSR_KEY_RSA || type == CSR_KEY_EC))
        rc = csr_key_check_pair(k, err);
    if (rc != CSR_OK) {
        csr_key_free(k);
        return rc;
    }
    *out = k;
    return CSR_OK;
}

static int load_traditional(csr_key **out, const der_tlv *t, int type, csr_err *err)
{
    csr_key *k = NULL;
    int rc = csr_key_alloc(&k, type, err);

    if (rc != CSR_OK)
        return rc;
    rc = type == CSR_KEY_RSA ? load_rsa_priv(k, t, err) : load_ec_priv(k, t, CSR_CURVE_NONE, err);
    if (rc == CSR_OK)
        rc = csr_key_make_spki(k, err);
    if (rc == CSR_OK)
        rc = csr_key_check_pair(k, err);
    if (rc != CSR_OK) {
        csr_key_free(k);
        return rc;
    }
    *out = k;
    return CSR_OK;
}

/* RSAPublicKey (PKCS#1) → a key with an rsaEncryption SPKI around it. */
static int load_rsa_public(csr_key **out, const der_tlv *t, csr_err *err)
{
    csr_buf b;
    size_t m, a;
    int rc;

    csr_buf_init(&b, 0);
    m = der_open(&b, DER_SEQUENCE);
    a = der_open(&b, DER_SEQUENCE);
    (void)der_put_oid_text(&b, OID_RSA);
    der_put_null(&b);
    der_close(&b, a);
    der_put_bit_string(&b, t->tlv, t->tlv_len);
    der_close(&b, m);
    if (b.err) {
        csr_buf_free(&b);
        return csr_err_set(err, CSR_E_NOMEM, "out of memory");
    }
    rc = csr_key_from_spki(out, b.p, b.len, err);
    csr_buf_free(&b);
    return rc;
}

static int parse_der(csr_key **out, const uint8_t *in, size_t len, const char *pass,
                     size_t passlen, int depth, csr_err *err)
{
    der_rd r, c;
    der_tlv t, first, second;
    int rc, count = 0;

    der_rd_init(&r, in, len, 0);
    if ((rc = der_expect(&r, DER_SEQUENCE, &t, "key", err)) != CSR_OK ||
        (rc = der_finish(&r, "key", err)) != CSR_OK)
        return rc;
    der_rd_enter(&c, &t);
    if ((rc = der_next(&c, &first, err)) != CSR_OK)
        return rc;
    if (!der_rd_more(&c))
        return csr_err_at(err, CSR_E_BAD_DER, first.off, "not a key: one element");
    if ((rc = der_next(&c, &second, err)) != CSR_OK)
        return rc;
    if (first.tag == DER_INTEGER) {
        if (second.tag == DER_SEQUENCE)
            return load_pkcs8(out, &t, err);
        if (second.tag == DER_OCTET_STRING)
            return load_traditional(out, &t, CSR_KEY_EC, err);
        if (second.tag == DER_INTEGER) {
            while (der_rd_more(&c)) {
                der_tlv x;
                if ((rc = der_next(&c, &x, err)) != CSR_OK)
                    return rc;
                count++;
            }
            if (count == 0)
                return load_rsa_public(out, &t, err);
            return load_traditional(out, &t, CSR_KEY_RSA, err);
        }
    } else if (first.tag == DER_SEQUENCE) {
        if (second.tag == DER_BIT_STRING)
            return csr_key_from_spki(out, t.tlv, t.tlv_len, err);
        if (second.tag == DER_OCTET_STRING) {
            csr_buf plain;
            if (depth > 0)
                return csr_err_set(err, CSR_E_BAD_DER, "nested encryption");
            if (pass == NULL)
                return csr_err_set(err, CSR_E_PASSPHRASE,
                                   "the key is encrypted: a passphrase is needed");
            csr_buf_init(&plain, 1);
            rc = csr_pbes2_decrypt(&plain, t.tlv, t.tlv_len, pass, passlen, err);
            if (rc == CSR_OK) {
                rc = parse_der(out, plain.p, plain.len, NULL, 0, depth + 1, err);
                if (rc == CSR_E_BAD_DER)   /* padding matched by chance: still the wrong pass */
                    rc = csr_err_set(err, CSR_E_PASSPHRASE, "wrong passphrase");
            }
            csr_buf_free(&plain);
            return rc;
        }
    }
    return csr_err_at(err, CSR_E_BAD_DER, first.off, "not a key structure I know");
}

static const char *const key_labels[] = {
    "PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY",
    "PUBLIC KEY", "RSA PUBLIC KEY", NULL
};

static int contains(const uint8_t *in, size_t len, const char *s)
{
    size_t n = strlen(s), i;
    for (i = 0; i + n <= len; i++)
        if (memcmp(in + i, s, n) == 0)
            return 1;
    return 0;
}

int csr_key_parse(csr_key **out, const uint8_t *in, size_t len, const char *pass,
                  size_t passlen, csr_err *err)
{
    csr_buf der;
    int rc, which = 0;

    if (len > CSR_MAX_INPUT)
        return csr_err_set(err, CSR_E_TOO_LARGE, "input larger than %lu bytes",
                           (unsigned long)CSR_MAX_INPUT);
    if (len == 0)
        return csr_err_set(err, CSR_E_BAD_DER, "empty input");
    if (!csr_pem_detect(in, len))
        return parse_der(out, in, len, pass, passlen, 0, err);
    if (contains(in, len, "Proc-Type: 4,ENCRYPTED"))
        return csr_err_set(err, CSR_E_UNSUPPORTED,
                           "legacy PEM encryption is not supported (use PKCS#8)");
    csr_buf_init(&der, 1);
    rc = csr_pem_decode(&der, &which, in, len, key_labels, err);
    if (rc == CSR_OK)
        rc = parse_der(out, der.p, der.len, pass, passlen, 0, err);
    csr_buf_free(&der);
    return rc;
}

/* Key import (PEM/DER detection, PKCS#8, encrypted PKCS#8, PKCS#1, SEC1, SPKI).
 * Export is in key_export.c.
 * Structure is read with der.h; wolfCrypt only loads the validated key material.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "key_int.h"
#include "der.h"

/* The short word for a key algorithm in messages ("DSA", "X25519"), else the dotted OID. */
static const char *alg_name(const char *oid)
{
    const csr_oid_info *o = csr_oid_find(CSR_OID_KEYALG, oid);
    return o != NULL ? o->label : oid;
}

static size_t uint_bits(const uint8_t *be, size_t n)
{
    size_t bits;
    uint8_t c;
    while (n > 0 && be[0] == 0) {
        be++;
        n--;
    }
    if (n == 0)
        return 0;
    bits = (n - 1) * 8;
    for (c = be[0]; c != 0; c >>= 1)
        bits++;
    return bits;
}

/* Checks an RSA modulus and exponent; *bits = modulus bits. */
static int rsa_check(const uint8_t *n, size_t nn, const uint8_t *e, size_t en, int *bits,
                     size_t off, csr_err *err)
{
    size_t nb = uint_bits(n, nn), eb = uint_bits(e, en);
    if (nb > CSR_RSA_MAX_BITS)
        return csr_err_set(err, CSR_E_UNSUPPORTED,
                           "RSA keys over %d bits are not supported (this key has %lu)",
                           CSR_RSA_MAX_BITS, (unsigned long)nb);
    if (nb < 512)
        return csr_err_at(err, CSR_E_BAD_DER, off, "RSA modulus is not valid");
    /* well-formed but unusable: a request carrying one still parses (req:check says weak_key) */
    if ((n[nn - 1] & 1) == 0)
        return csr_err_at(err, CSR_E_UNSUPPORTED, off, "RSA modulus is even");
    if ((e[en - 1] & 1) == 0 || eb < 2 || eb > 64 || eb >= nb)
        return csr_err_at(err, CSR_E_BAD_DER, off, "RSA public exponent is not valid");
    *bits = (int)nb;
    return CSR_OK;
}

/* RSA modulus and exponent INTEGERs from c (then the end of c when last is not NULL: the
 * structure's name), checked; *bits = modulus bits. */
static int read_rsa_ne(der_rd *c, const char *last, const uint8_t **nb, size_t *nl,
                       const uint8_t **eb, size_t *el, int *bits, csr_err *err)
{
    der_tlv tn, te;
    int rc;

    if ((rc = der_expect(c, DER_INTEGER, &tn, "RSA modulus", err)) != CSR_OK ||
        (rc = der_expect(c, DER_INTEGER, &te, "RSA exponent", err)) != CSR_OK ||
        (last != NULL && (rc = der_finish(c, last, err)) != CSR_OK) ||
        (rc = der_get_uint_bytes(&tn, nb, nl, "RSA modulus", err)) != CSR_OK ||
        (rc = der_get_uint_bytes(&te, eb, el, "RSA exponent", err)) != CSR_OK)
        return rc;
    if (*nl == 0 || *el == 0)
        return csr_err_at(err, CSR_E_BAD_DER, tn.off, "RSA key is zero");
    return rsa_check(*nb, *nl, *eb, *el, bits, tn.off, err);
}

static int copy_bytes(uint8_t **dst, size_t *dlen, const uint8_t *p, size_t n, csr_err *err)
{
    *dst = (uint8_t *)csr_malloc(n);
    if (*dst == NULL)
        return csr_err_set(err, CSR_E_NOMEM, "out of memory");
    memcpy(*dst, p, n);
    *dlen = n;
    return CSR_OK;
}

/* An id-RSASSA-PSS key: its AlgorithmIdentifier a is kept (the SPKI says what it is) and its
 * RSASSA-PSS-params, when present, restrict its signatures (RFC 4055 3.1, key_int.h). */
static int keep_pss(csr_key *k, const der_tlv *a, const der_tlv *params, int has, csr_err *err)
{
    int rc;

    memset(&k->pss, 0, sizeof k->pss);
    if (has && (rc = csr_pss_params_decode(params->tlv, params->tlv_len, params->off, &k->pss,
                                           err)) != CSR_OK)
        return rc;
    k->pss.padding = CSR_PAD_PSS;
    return copy_bytes(&k->algid, &k->algid_len, a->tlv, a->tlv_len, err);
}

/* AlgorithmIdentifier: SEQUENCE { OID, params OPTIONAL } (params returned raw, may be absent). */
static int read_algid(const der_tlv *t, char oid[DER_OID_TEXT], der_tlv *params, int *has,
                      csr_err *err)
{
    der_rd r;
    der_tlv o;
    int rc;

    der_rd_enter(&r, t);
    if ((rc = der_expect(&r, DER_OID, &o, "algorithm", err)) != CSR_OK ||
        (rc = der_get_oid(&o, oid, "algorithm", err)) != CSR_OK)
        return rc;
    *has = 0;
    if (der_rd_more(&r)) {
        if ((rc = der_next(&r, params, err)) != CSR_OK)
            return rc;
        *has = 1;
    }
    return der_finish(&r, "algorithm", err);
}

/* Key type (and curve) from a key AlgorithmIdentifier (SPKI or PKCS#8): RSA, RSA-PSS, EC with
 * a named curve, Ed25519/Ed448; checks the parameters each allows. */
static int decode_keyalg(const char *oid, const der_tlv *params, int has, int *type, int *curve,
                         csr_err *err)
{
    char poid[DER_OID_TEXT];
    int rc;

    *curve = CSR_CURVE_NONE;
    if (strcmp(oid, OID_RSA) == 0) {
        *type = CSR_KEY_RSA;
        if (has && (rc = der_get_null(params, "rsaEncryption parameters", err)) != CSR_OK)
            return rc;
    } else if (strcmp(oid, OID_RSA_PSS) == 0) {
        *type = CSR_KEY_RSA;
        if (has && (params->tag != DER_SEQUENCE ||
                    der_check_tree(params->tlv, params->tlv_len, params->off,
                                   "RSASSA-PSS parameters", err) != CSR_OK))
            return csr_err_at(err, CSR_E_BAD_DER, params->off,
                               "RSASSA-PSS parameters are not valid");
    } else if (strcmp(oid, OID_EC) == 0) {
        *type = CSR_KEY_EC;
        if (!has || params->tag != DER_OID)
            return csr_err_set(err, CSR_E_UNSUPPORTED,
                               "EC keys need a named curve (no explicit parameters)");
        if ((rc = der_get_oid(params, poid, "curve", err)) != CSR_OK)
            return rc;
        *curve = csr_curve_from_oid(poid);
        if (*curve == CSR_CURVE_NONE)
            return csr_err_set(err, CSR_E_UNSUPPORTED, "unsupported curve %s", poid);
    } else if (strcmp(oid, OID_ED25519) == 0 || strcmp(oid, OID_ED448) == 0) {
        *type = strcmp(oid, OID_ED25519) == 0 ? CSR_KEY_ED25519 : CSR_KEY_ED448;
        if (has)
            return csr_err_at(err, CSR_E_BAD_DER, params->off, "EdDSA key algorithm has parameters");
    } else {
        return csr_err_set(err, CSR_E_UNSUPPORTED, "unsupported key algorithm %s",
                           alg_name(oid));
    }
    return CSR_OK;
}

/* ---- public keys ---- */

static int spki_rsa(csr_key *k, const uint8_t *v, size_t n, size_t base, csr_err *err)
{
    der_rd r, c;
    der_tlv t;
    const uint8_t *nb, *eb;
    size_t nl, el;
    int rc;

    der_rd_init(&r, v, n, base);
    if ((rc = der_expect(&r, DER_SEQUENCE, &t, "RSAPublicKey", err)) != CSR_OK ||
        (rc = der_finish(&r, "RSAPublicKey", err)) != CSR_OK)
        return rc;
    der_rd_enter(&c, &t);
    if ((rc = read_rsa_ne(&c, "RSAPublicKey", &nb, &nl, &eb, &el, &k->bits, err)) != CSR_OK)
        return rc;
    rc = wc_RsaPublicKeyDecodeRaw(nb, (word32)nl, eb, (word32)el, k->u.rsa);
    if (rc != 0)
        return csr_err_wolf(err, rc, "RSA public key rejected");
    return CSR_OK;
}

int csr_key_from_spki(csr_key **out, const uint8_t *spki, size_t len, csr_err *err)
{
    der_rd r, c;
    der_tlv t, a, bs, params;
    char oid[DER_OID_TEXT];
    const uint8_t *v;
    size_t n;
    int unused, has, rc, type, curve;
    csr_key *k = NULL;

    if (len > CSR_MAX_INPUT)
        return csr_err_set(err, CSR_E_TOO_LARGE, "public key too large");
    der_rd_init(&r, spki, len, 0);
    if ((rc = der_expect(&r, DER_SEQUENCE, &t, "SubjectPublicKeyInfo", err)) != CSR_OK ||
        (rc = der_finish(&r, "SubjectPublicKeyInfo", err)) != CSR_OK)
        return rc;
    der_rd_enter(&c, &t);
    if ((rc = der_expect(&c, DER_SEQUENCE, &a, "public key algorithm", err)) != CSR_OK ||
        (rc = der_expect(&c, DER_BIT_STRING, &bs, "public key", err)) != CSR_OK ||
        (rc = der_finish(&c, "SubjectPublicKeyInfo", err)) != CSR_OK ||
        (rc = read_algid(&a, oid, &params, &has, err)) != CSR_OK ||
        (rc = der_get_bit_string(&bs, &v, &n, &unused, "public key", err)) != CSR_OK)
        return rc;
    if (unused != 0)
        return csr_err_at(err, CSR_E_BAD_DER, bs.off, "public key has unused bits");
    if ((rc = decode_keyalg(oid, &params, has, &type, &curve, err)) != CSR_OK)
        return rc;
    if ((rc = csr_key_alloc(&k, type, err)) != CSR_OK)
        return rc;
    k->curve = curve;
    switch (type) {
    case CSR_KEY_RSA:
        rc = spki_rsa(k, v, n, bs.voff + 1, err);
        if (rc == CSR_OK && strcmp(oid, OID_RSA_PSS) == 0)
            rc = keep_pss(k, &a, &params, has, err);
        break;
    case CSR_KEY_EC:
        k->bits = curve == CSR_CURVE_P521 ? 521 : csr_curve_bytes(curve) * 8;
        rc = csr_ec_point_load(k, v, n, bs.voff + 1, err);
        break;
    case CSR_KEY_ED25519:
        k->bits = 256;
        if (n != ED25519_PUB_KEY_SIZE)
            rc = csr_err_set(err, CSR_E_BAD_DER, "Ed25519 public key must be 32 bytes, not %lu",
                             (unsigned long)n);
        else if (wc_ed25519_import_public(v, (word32)n, k->u.ed25519) != 0)
            rc = csr_err_set(err, CSR_E_BAD_DER, "Ed25519 public key is not valid");
        break;
    default:
        k->bits = 456;
        if (n != ED448_PUB_KEY_SIZE)
            rc = csr_err_set(err, CSR_E_BAD_DER, "Ed448 public key must be 57 bytes, not %lu",
                             (unsigned long)n);
        else if (wc_ed448_import_public(v, (word32)n, k->u.ed448) != 0)
            rc = csr_err_set(err, CSR_E_BAD_DER, "Ed448 public key is not valid");
        break;
    }
    if (rc == CSR_OK)
        rc = copy_bytes(&k->spki, &k->spki_len, t.tlv, t.tlv_len, err);
    if (rc != CSR_OK) {
        csr_key_free(k);
        return rc;
    }
    *out = k;
    return CSR_OK;
}

/* ---- private keys ---- */

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
    if ((rc = read_rsa_ne(&c, NULL, &nb, &nl, &eb, &el, &k->bits, err)) != CSR_OK)
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
        return csr_wolf_nomem(rc) ? csr_err_wolf(err, rc, "out of memory")
                                  : csr_err_set(err, CSR_E_BAD_DER, "RSA private key rejected (wolfSSL %d)", rc);
    k->priv = 1;
    return CSR_OK;
}

/* ECPrivateKey (SEC1) TLV at t; curve from the PKCS#8 algorithm or CSR_CURVE_NONE. */
static int load_ec_priv(csr_key *k, const der_tlv *t, int curve, csr_err *err)
{
    der_rd c, e;
    der_tlv ver, d, x, y;
    const uint8_t *pub = NULL;
    uint8_t dpad[66];
    size_t publen = 0;
    long version;
    char oid[DER_OID_TEXT];
    int rc, cb, unused;

    der_rd_enter(&c, t);
    if ((rc = der_expect(&c, DER_INTEGER, &ver, "EC key version", err)) != CSR_OK ||
        (rc = der_get_uint(&ver, &version, "EC key version", err)) != CSR_OK)
        return rc;
    if (version != 1)
        return csr_err_at(err, CSR_E_BAD_DER, ver.off, "EC key version must be 1");
    if ((rc = der_expect(&c, DER_OCTET_STRING, &d, "EC private key", err)) != CSR_OK)
        return rc;
    if (der_peek(&c) == DER_CTXC(0)) {
        int cv;
        if ((rc = der_next(&c, &x, err)) != CSR_OK)
            return rc;
        der_rd_enter(&e, &x);
        if (der_peek(&e) != DER_OID)
            return csr_err_set(err, CSR_E_UNSUPPORTED,
                               "EC keys need a named curve (no explicit parameters)");
        if ((rc = der_expect(&e, DER_OID, &y, "curve", err)) != CSR_OK ||
            (rc = der_get_oid(&y, oid, "curve", err)) != CSR_OK ||
            (rc = der_finish(&e, "curve", err)) != CSR_OK)
            return rc;
        cv = csr_curve_from_oid(oid);
        if (cv == CSR_CURVE_NONE)
            return csr_err_set(err, CSR_E_UNSUPPORTED, "unsupported curve %s", oid);
        if (curve != CSR_CURVE_NONE && cv != curve)
            return csr_err_set(err, CSR_E_BAD_DER, "EC key curve disagrees with its algorithm");
        curve = cv;
    }
    if (der_peek(&c) == DER_CTXC(1)) {
        if ((rc = der_next(&c, &x, err)) != CSR_OK)
            return rc;
        der_rd_enter(&e, &x);
        if ((rc = der_expect(&e, DER_BIT_STRING, &y, "EC public key", err)) != CSR_OK ||
            (rc = der_finish(&e, "EC public key", err)) != CSR_OK ||
            (rc = der_get_bit_string(&y, &pub, &publen, &unused, "EC public key", err)) != CSR_OK)
            return rc;
    }
    if ((rc = der_finish(&c, "EC private key", err)) != CSR_OK)
        return rc;
    if (curve == CSR_CURVE_NONE)
        return csr_err_set(err, CSR_E_BAD_DER, "EC private key names no curve");
    k->curve = curve;
    k->bits = curve == CSR_CURVE_P521 ? 521 : csr_curve_bytes(curve) * 8;
    cb = csr_curve_bytes(curve);
    if (d.len == 0 || d.len > (size_t)cb)
        return csr_err_at(err, CSR_E_BAD_DER, d.off, "EC private key has the wrong length");
    if (pub != NULL &&
        (rc = csr_ec_point_form(pub, publen, curve, y.off, &k->ec_comp, err)) != CSR_OK)
        return rc;
    memset(dpad, 0, sizeof dpad);
    memcpy(dpad + (cb - (int)d.len), d.v, d.len);
    rc = wc_ecc_import_private_key_ex(dpad, (word32)cb, pub, (word32)publen, k->u.ec,
                                      csr_curve_wc(curve));
    csr_wipe(dpad, sizeof dpad);
    if (rc == 0 && pub == NULL)
        rc = wc_ecc_make_pub(k->u.ec, NULL);
    if (rc != 0)
        return csr_wolf_nomem(rc) ? csr_err_wolf(err, rc, "out of memory")
                                  : csr_err_set(err, CSR_E_BAD_DER, "EC private key rejected (wolfSSL %d)", rc);
    if ((rc = wc_ecc_check_key(k->u.ec)) != 0)
        return csr_wolf_nomem(rc) ? csr_err_wolf(err, rc, "out of memory")
                                  : csr_err_set(err, CSR_E_BAD_DER, "EC key pair is not consistent");
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

/* PrivateKeyInfo / OneAsymmetricKey TLV at t. */
static int load_pkcs8(csr_key **out, const der_tlv *t, csr_err *err)
{
    der_rd c, pr;
    der_tlv ver, a, pk, params, x, inner;
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
        (rc = read_algid(&a, oid, &params, &has, err)) != CSR_OK ||
        (rc = der_expect(&c, DER_OCTET_STRING, &pk, "private key", err)) != CSR_OK)
        return rc;
    if (der_peek(&c) == DER_CTXC(0) && (rc = der_next(&c, &x, err)) != CSR_OK)
        return rc;                      /* attributes: ignored */
    if (der_peek(&c) == DER_CTX(1) || der_peek(&c) == DER_CTXC(1)) {
        if ((rc = der_next(&c, &x, err)) != CSR_OK)
            return rc;
        if (version != 1 || x.len == 0 || x.v[0] != 0)
            return csr_err_at(err, CSR_E_BAD_DER, x.off, "PKCS#8 public key is not valid");
        pub = x.v + 1;
        publen = x.len - 1;
    }
    if ((rc = der_finish(&c, "PKCS#8", err)) != CSR_OK)
        return rc;

    if ((rc = decode_keyalg(oid, &params, has, &type, &curve, err)) != CSR_OK)
        return rc;

    if ((rc = csr_key_alloc(&k, type, err)) != CSR_OK)
        return rc;
    if (type == CSR_KEY_RSA || type == CSR_KEY_EC) {
        der_rd_init(&pr, pk.v, pk.len, pk.voff);
        rc = der_expect(&pr, DER_SEQUENCE, &inner, "private key", err);
        if (rc == CSR_OK)
            rc = der_finish(&pr, "private key", err);
        if (rc == CSR_OK && type == CSR_KEY_RSA)
            rc = load_rsa_priv(k, &inner, err);
        else if (rc == CSR_OK)
            rc = load_ec_priv(k, &inner, curve, err);
        if (rc == CSR_OK && strcmp(oid, OID_RSA_PSS) == 0)
            rc = keep_pss(k, &a, &params, has, err);
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

/* Public keys from a SubjectPublicKeyInfo, and the pieces the private-key import in
 * key_parse.c shares (AlgorithmIdentifier, RSA numbers, RSA-PSS parameters). Export is in
 * key_export.c.
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
int key_read_rsa_ne(der_rd *c, const char *last, const uint8_t **nb, size_t *nl,
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
int key_keep_pss(csr_key *k, const der_tlv *a, const der_tlv *params, int has, csr_err *err)
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
int key_read_algid(const der_tlv *t, char oid[DER_OID_TEXT], der_tlv *params, int *has,
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
int key_decode_keyalg(const char *oid, const der_tlv *params, int has, int *type, int *curve,
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
            return csr_err_at(err, CSR_E_BAD_DER, params->off,
                              "EdDSA key algorithm has parameters");
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
    if ((rc = key_read_rsa_ne(&c, "RSAPublicKey", &nb, &nl, &eb, &el, &k->bits, err)) != CSR_OK)
        return rc;
    rc = wc_RsaPublicKeyDecodeRaw(nb, (word32)nl, eb, (word32)el, k->u.rsa);
    if (rc != 0)
        return csr_err_wolf(err, rc, "RSA public key rejected");
    return CSR_OK;
}

/* An Ed25519 or Ed448 public key: the raw point, its length fixed by the curve. */
static int spki_eddsa(csr_key *k, const uint8_t *v, size_t n, csr_err *err)
{
    int ed448 = k->type == CSR_KEY_ED448, rc;
    size_t want = ed448 ? ED448_PUB_KEY_SIZE : ED25519_PUB_KEY_SIZE;
    const char *nm = ed448 ? "Ed448" : "Ed25519";

    k->bits = ed448 ? 456 : 256;
    if (n != want)
        return csr_err_set(err, CSR_E_BAD_DER, "%s public key must be %lu bytes, not %lu", nm,
                           (unsigned long)want, (unsigned long)n);
    rc = ed448 ? wc_ed448_import_public(v, (word32)n, k->u.ed448)
               : wc_ed25519_import_public(v, (word32)n, k->u.ed25519);
    if (rc != 0)
        return csr_err_set(err, CSR_E_BAD_DER, "%s public key is not valid", nm);
    return CSR_OK;
}

/* The subjectPublicKey bits v[0..n) (at offset base) into k, of the algorithm oid with the
 * AlgorithmIdentifier a and its parameters. */
static int spki_load(csr_key *k, const char *oid, const der_tlv *a, const der_tlv *params,
                     int has, const uint8_t *v, size_t n, size_t base, csr_err *err)
{
    int rc;
    switch (k->type) {
    case CSR_KEY_RSA:
        rc = spki_rsa(k, v, n, base, err);
        if (rc == CSR_OK && strcmp(oid, OID_RSA_PSS) == 0)
            rc = key_keep_pss(k, a, params, has, err);
        return rc;
    case CSR_KEY_EC:
        k->bits = k->curve == CSR_CURVE_P521 ? 521 : csr_curve_bytes(k->curve) * 8;
        return csr_ec_point_load(k, v, n, base, err);
    default:
        return spki_eddsa(k, v, n, err);
    }
}

int csr_key_from_spki(csr_key **out, const uint8_t *spki, size_t len, csr_err *err)
{
    der_tlv a, bs, params;
    char oid[DER_OID_TEXT];
    const uint8_t *v;
    size_t n;
    int unused, has, rc, type, curve;
    csr_key *k = NULL;

    if (len > CSR_MAX_INPUT)
        return csr_err_set(err, CSR_E_TOO_LARGE, "public key too large");
    if ((rc = der_read_spki(spki, len, &a, &bs, err)) != CSR_OK ||
        (rc = key_read_algid(&a, oid, &params, &has, err)) != CSR_OK ||
        (rc = der_get_bit_string(&bs, &v, &n, &unused, "public key", err)) != CSR_OK)
        return rc;
    if (unused != 0)
        return csr_err_at(err, CSR_E_BAD_DER, bs.off, "public key has unused bits");
    if ((rc = key_decode_keyalg(oid, &params, has, &type, &curve, err)) != CSR_OK ||
        (rc = csr_key_alloc(&k, type, err)) != CSR_OK)
        return rc;
    k->curve = curve;
    rc = spki_load(k, oid, &a, &params, has, v, n, bs.voff + 1, err);
    if (rc == CSR_OK)
        rc = copy_bytes(&k->spki, &k->spki_len, spki, len, err);
    if (rc != CSR_OK) {
        csr_key_free(k);
        return rc;
    }
    *out = k;
    return CSR_OK;
}

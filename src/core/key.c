/* Keys: curves, generate, free, accessors, SPKI and fingerprint. Signature parameters and
 * sign/verify live in key_sign.c, import in key_io.c, export in key_export.c, PBES2 in pbes2.c.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "key_int.h"
#include "der.h"

/* ---- curves ---- */

int csr_curve_wc(int curve)
{
    switch (curve) {
    case CSR_CURVE_P256: return ECC_SECP256R1;
    case CSR_CURVE_P384: return ECC_SECP384R1;
    case CSR_CURVE_P521: return ECC_SECP521R1;
    default: return ECC_CURVE_INVALID;
    }
}

int csr_curve_bytes(int curve)
{
    switch (curve) {
    case CSR_CURVE_P256: return 32;
    case CSR_CURVE_P384: return 48;
    case CSR_CURVE_P521: return 66;
    default: return 0;
    }
}

const char *csr_curve_oid(int curve)
{
    const csr_oid_info *o = csr_oid_find_id(CSR_OID_CURVE, curve);
    return o != NULL ? o->oid : NULL;
}

int csr_curve_from_oid(const char *oid)
{
    const csr_oid_info *o = csr_oid_find(CSR_OID_CURVE, oid);
    return o != NULL ? o->id : CSR_CURVE_NONE;
}

static int curve_bits(int curve)
{
    return curve == CSR_CURVE_P521 ? 521 : csr_curve_bytes(curve) * 8;
}

/* ---- allocation ---- */

/* The size of the wolfCrypt key struct of a CSR_KEY_* type; 0 for an unknown type. */
static size_t key_struct_size(int type)
{
    switch (type) {
    case CSR_KEY_RSA: return sizeof(RsaKey);
    case CSR_KEY_EC: return sizeof(ecc_key);
    case CSR_KEY_ED25519: return sizeof(ed25519_key);
    case CSR_KEY_ED448: return sizeof(ed448_key);
    default: return 0;
    }
}

/* wolfCrypt's init of k's struct (each *_init memsets it): 0 or a wolfCrypt code. */
static int key_struct_init(csr_key *k)
{
    switch (k->type) {
    case CSR_KEY_RSA: return wc_InitRsaKey(k->u.rsa, NULL);
    case CSR_KEY_EC: return wc_ecc_init(k->u.ec);
    case CSR_KEY_ED25519: return wc_ed25519_init(k->u.ed25519);
    default: return wc_ed448_init(k->u.ed448);
    }
}

/* wolfCrypt's free of k's struct (it zeroes the private parts). */
static void key_struct_free(csr_key *k)
{
    switch (k->type) {
    case CSR_KEY_RSA: wc_FreeRsaKey(k->u.rsa); break;
    case CSR_KEY_EC: wc_ecc_free(k->u.ec); break;
    case CSR_KEY_ED25519: wc_ed25519_free(k->u.ed25519); break;
    case CSR_KEY_ED448: wc_ed448_free(k->u.ed448); break;
    default: break;
    }
}

int csr_key_alloc(csr_key **out, int type, csr_err *err)
{
    size_t size = key_struct_size(type);
    csr_key *k;
    int rc;

    if (size == 0)
        return csr_err_set(err, CSR_E_INVALID, "unknown key type %d", type);
    if ((k = (csr_key *)csr_calloc(1, sizeof *k)) == NULL)
        return csr_err_set(err, CSR_E_NOMEM, "out of memory");
    k->type = type;
    if ((k->u.any = csr_malloc(size)) == NULL) {
        csr_free(k);
        return csr_err_set(err, CSR_E_NOMEM, "out of memory");
    }
    if ((rc = key_struct_init(k)) != 0) {
        csr_free(k->u.any);
        csr_free(k);
        return csr_err_wolf(err, rc, "key initialisation failed");
    }
    *out = k;
    return CSR_OK;
}

/* wolfCrypt's free functions zero the private parts; a private key's whole struct is wiped
 * as well (a public key holds nothing secret: its kilobytes are not worth wiping). */
void csr_key_free(csr_key *k)
{
    if (k == NULL)
        return;
    if (k->u.any != NULL) {
        key_struct_free(k);
        if (k->priv)
            csr_wipe(k->u.any, key_struct_size(k->type));
        csr_free(k->u.any);
    }
    csr_free(k->spki);
    csr_free(k->algid);
    csr_free_wiped(k, sizeof *k);
}

/* ---- SPKI ---- */

int csr_key_make_spki(csr_key *k, csr_err *err)
{
    uint8_t tmp[1200];
    int n = 0;
    csr_buf b;

    switch (k->type) {
    case CSR_KEY_RSA:
        if (k->algid != NULL) {
            /* RSA-PSS: keep the original AlgorithmIdentifier, key as RSAPublicKey */
            size_t m;
            n = wc_RsaKeyToPublicDer_ex(k->u.rsa, tmp, sizeof tmp, 0);
            if (n <= 0)
                return csr_err_wolf(err, n, "RSA public key export failed");
            csr_buf_init(&b, 0);
            m = der_open(&b, DER_SEQUENCE);
            der_put_raw(&b, k->algid, k->algid_len);
            der_put_bit_string(&b, tmp, (size_t)n);
            der_close(&b, m);
            if (b.err) {
                csr_buf_free(&b);
                return csr_err_set(err, CSR_E_NOMEM, "out of memory");
            }
            csr_free(k->spki);
            k->spki = b.p;          /* hand the buffer over */
            k->spki_len = b.len;
            return CSR_OK;
        }
        n = wc_RsaKeyToPublicDer(k->u.rsa, tmp, sizeof tmp);
        break;
    case CSR_KEY_EC:
        n = wc_EccPublicKeyToDer_ex(k->u.ec, tmp, sizeof tmp, 1, k->ec_comp);
        break;
    case CSR_KEY_ED25519:
        n = wc_Ed25519PublicKeyToDer(k->u.ed25519, tmp, sizeof tmp, 1);
        break;
    case CSR_KEY_ED448:
        n = wc_Ed448PublicKeyToDer(k->u.ed448, tmp, sizeof tmp, 1);
        break;
    default:
        return csr_err_set(err, CSR_E_INVALID, "unknown key type");
    }
    if (n <= 0)
        return csr_err_wolf(err, n, "public key export failed");
    csr_free(k->spki);
    k->spki = (uint8_t *)csr_malloc((size_t)n);
    if (k->spki == NULL)
        return csr_err_set(err, CSR_E_NOMEM, "out of memory");
    memcpy(k->spki, tmp, (size_t)n);
    k->spki_len = (size_t)n;
    return CSR_OK;
}

const uint8_t *csr_key_spki(const csr_key *k, size_t *len)
{
    *len = k->spki_len;
    return k->spki;
}

/* The subjectPublicKey BIT STRING contents of an SPKI (key material without algorithm). */
static int spki_key_bits(const csr_key *k, const uint8_t **v, size_t *n)
{
    der_rd r, c;
    der_tlv t, a, bs;
    int unused;
    csr_err e;

    der_rd_init(&r, k->spki, k->spki_len, 0);
    if (der_expect(&r, DER_SEQUENCE, &t, "spki", &e) != CSR_OK)
        return 0;
    der_rd_enter(&c, &t);
    if (der_expect(&c, DER_SEQUENCE, &a, "algorithm", &e) != CSR_OK ||
        der_expect(&c, DER_BIT_STRING, &bs, "key", &e) != CSR_OK ||
        der_get_bit_string(&bs, v, n, &unused, "key", &e) != CSR_OK)
        return 0;
    return 1;
}

/* Two EC keys hold the same point, whichever form their SPKIs use. */
static int same_ec_point(const csr_key *a, const csr_key *b)
{
    uint8_t pa[1 + 2 * 66], pb[1 + 2 * 66];
    word32 na = sizeof pa, nb = sizeof pb;

    if (a->curve != b->curve || wc_ecc_export_x963(a->u.ec, pa, &na) != 0 ||
        wc_ecc_export_x963(b->u.ec, pb, &nb) != 0)
        return 0;
    return na == nb && memcmp(pa, pb, na) == 0;
}

int csr_key_same_public(const csr_key *a, const csr_key *b)
{
    const uint8_t *va, *vb;
    size_t na, nb;

    if (a == NULL || b == NULL || a->type != b->type)
        return 0;
    if (a->type == CSR_KEY_EC)
        return same_ec_point(a, b);
    if (!spki_key_bits(a, &va, &na) || !spki_key_bits(b, &vb, &nb))
        return 0;
    return na == nb && memcmp(va, vb, na) == 0;
}

void csr_key_fingerprint(const csr_key *k, char hex[65])
{
    (void)csr_sha256_hex(hex, k->spki, k->spki_len);
}

/* ---- accessors ---- */

int csr_key_type(const csr_key *k) { return k->type; }
int csr_key_bits(const csr_key *k) { return k->bits; }
int csr_key_curve(const csr_key *k) { return k->curve; }
int csr_key_is_private(const csr_key *k) { return k->priv; }

int csr_key_public(csr_key **out, const csr_key *k, csr_err *err)
{
    return csr_key_from_spki(out, k->spki, k->spki_len, err);
}

/* ---- generate ---- */

int csr_key_generate(csr_key **out, int type, int param, csr_err *err)
{
    csr_key *k = NULL;
    WC_RNG *rng;
    int rc;

    if (type == CSR_KEY_RSA && (param < CSR_RSA_MIN_BITS || param > CSR_RSA_MAX_BITS))
        return csr_err_set(err, CSR_E_INVALID, "RSA key size must be %d..%d bits, got %d",
                           CSR_RSA_MIN_BITS, CSR_RSA_MAX_BITS, param);
    if (type == CSR_KEY_EC && csr_curve_wc(param) == ECC_CURVE_INVALID)
        return csr_err_set(err, CSR_E_INVALID, "unknown curve %d", param);
    if ((rc = csr_rng(&rng, err)) != CSR_OK)
        return rc;
    rc = csr_key_alloc(&k, type, err);
    if (rc != CSR_OK)
        return rc;
    switch (type) {
    case CSR_KEY_RSA:
        rc = wc_MakeRsaKey(k->u.rsa, param, WC_RSA_EXPONENT, rng);
        k->bits = param;
        break;
    case CSR_KEY_EC:
        rc = wc_ecc_make_key_ex(rng, csr_curve_bytes(param), k->u.ec, csr_curve_wc(param));
        k->curve = param;
        k->bits = curve_bits(param);
        break;
    case CSR_KEY_ED25519:
        rc = wc_ed25519_make_key(rng, ED25519_KEY_SIZE, k->u.ed25519);
        k->bits = 256;
        break;
    default:
        rc = wc_ed448_make_key(rng, ED448_KEY_SIZE, k->u.ed448);
        k->bits = 456;
        break;
    }
    if (rc == MP_READ_E)                /* built-in curve parameters: only a failed allocation */
        rc = MEMORY_E;
    if (rc != 0) {
        csr_key_free(k);
        return csr_err_wolf(err, rc, "key generation failed");
    }
    k->priv = 1;
    rc = csr_key_make_spki(k, err);
    if (rc != CSR_OK) {
        csr_key_free(k);
        return rc;
    }
    *out = k;
    return CSR_OK;
}

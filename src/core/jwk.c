/* JSON Web Keys (RFC 7517, RFC 7518 section 6, RFC 8037) to and from keys, and the RFC 7638
 * thumbprint. Import turns the members into the DER the key parser already checks strictly
 * (SubjectPublicKeyInfo, PKCS#1, SEC1, PKCS#8) and words its complaints for a JWK; export
 * reads the wolfCrypt key.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "key_int.h"
#include "der.h"

/* ---- export ---- */

typedef struct jwk_out {
    csr_jwk *j;
    csr_buf *buf;
    size_t off[CSR_JWK_MAX];
} jwk_out;

static void out_text(jwk_out *o, const char *name, const char *text)
{
    o->j->m[o->j->n].name = name;
    o->off[o->j->n++] = o->buf->len;
    csr_buf_put(o->buf, text, strlen(text) + 1);
}

static void out_b64(jwk_out *o, const char *name, const uint8_t *v, size_t n)
{
    o->j->m[o->j->n].name = name;
    o->off[o->j->n++] = o->buf->len;
    csr_b64url_encode(o->buf, v, n);
    csr_buf_put(o->buf, "", 1);
}

/* An RSA integer, minimal big-endian (zero as one zero octet, RFC 7518 section 2). */
static int out_mp(jwk_out *o, const char *name, mp_int *a)
{
    uint8_t b[CSR_RSA_MAX_BITS / 8];
    int n = mp_unsigned_bin_size(a);
    if (n < 0 || n > (int)sizeof b)
        return CSR_E_CRYPTO;
    if (n == 0) {
        b[0] = 0;
        n = 1;
    } else if (mp_to_unsigned_bin(a, b) != MP_OKAY) {
        return CSR_E_CRYPTO;
    }
    out_b64(o, name, b, (size_t)n);
    csr_wipe(b, sizeof b);
    return CSR_OK;
}

static int export_rsa(jwk_out *o, RsaKey *r, int priv)
{
    static const char *const names[] = {"n", "e", "d", "p", "q", "dp", "dq", "qi"};
    mp_int *v[8];
    int i, rc;

    v[0] = &r->n; v[1] = &r->e; v[2] = &r->d; v[3] = &r->p;
    v[4] = &r->q; v[5] = &r->dP; v[6] = &r->dQ; v[7] = &r->u;
    out_text(o, "kty", "RSA");
    for (i = 0; i < (priv ? 8 : 2); i++)
        if ((rc = out_mp(o, names[i], v[i])) != CSR_OK)
            return rc;
    return CSR_OK;
}

/* The private scalar/seed d after its export returned rc; wipes the scratch. */
static int out_d(jwk_out *o, int rc, uint8_t *d, word32 dl, size_t size)
{
    if (rc == 0)
        out_b64(o, "d", d, dl);
    csr_wipe(d, size);
    return rc == 0 ? CSR_OK : CSR_E_CRYPTO;
}

static int export_ec(jwk_out *o, const csr_key *k, int priv)
{
    uint8_t x[66], y[66], d[66];
    word32 xl = sizeof x, yl = sizeof y, dl = sizeof d;
    int rc;

    out_text(o, "kty", "EC");
    out_text(o, "crv", csr_curve_name(k->curve));      /* RFC 7518 6.2.1.1 names */
    if (wc_ecc_export_public_raw(k->u.ec, x, &xl, y, &yl) != 0)
        return CSR_E_CRYPTO;
    out_b64(o, "x", x, xl);
    out_b64(o, "y", y, yl);
    if (!priv)
        return CSR_OK;
    rc = wc_ecc_export_private_only(k->u.ec, d, &dl);
    return out_d(o, rc, d, dl, sizeof d);
}

static int export_okp(jwk_out *o, const csr_key *k, int priv)
{
    uint8_t x[ED448_PUB_KEY_SIZE], d[ED448_KEY_SIZE];
    word32 xl = sizeof x, dl = sizeof d;
    int ed25519 = k->type == CSR_KEY_ED25519, rc;

    out_text(o, "kty", "OKP");
    out_text(o, "crv", ed25519 ? "Ed25519" : "Ed448");
    rc = ed25519 ? wc_ed25519_export_public(k->u.ed25519, x, &xl)
                 : wc_ed448_export_public(k->u.ed448, x, &xl);
    if (rc != 0)
        return CSR_E_CRYPTO;
    out_b64(o, "x", x, xl);
    if (!priv)
        return CSR_OK;
    rc = ed25519 ? wc_ed25519_export_private_only(k->u.ed25519, d, &dl)
                 : wc_ed448_export_private_only(k->u.ed448, d, &dl);
    return out_d(o, rc, d, dl, sizeof d);
}

/* The members of k (the private ones with priv); with_alg adds alg for an RSA-PSS key, whose
 * restriction a JWK can only state that way, or fails if no JWS algorithm fits the key. */
static int jwk_members(csr_jwk *j, csr_buf *buf, const csr_key *k, int priv, int with_alg,
                       csr_err *err)
{
    const char *alg = NULL;
    jwk_out o;
    size_t i;
    int rc;

    if (priv && !k->priv)
        return csr_err_set(err, CSR_E_INVALID, "the key is public: it has no private members");
    if (with_alg && k->pss.padding == CSR_PAD_PSS && (alg = csr_jws_alg(k, err)) == NULL)
        return err != NULL ? err->code : CSR_E_UNSUPPORTED;
    memset(j, 0, sizeof *j);
    o.j = j;
    o.buf = buf;
    switch (k->type) {
    case CSR_KEY_RSA: rc = export_rsa(&o, k->u.rsa, priv); break;
    case CSR_KEY_EC: rc = export_ec(&o, k, priv); break;
    default: rc = export_okp(&o, k, priv); break;
    }
    if (rc == CSR_OK && alg != NULL)
        out_text(&o, "alg", alg);
    if (rc == CSR_OK && buf->err != 0)
        rc = buf->err;
    if (rc != CSR_OK)
        return csr_err_set(err, rc, rc == CSR_E_CRYPTO ? "reading the key failed"
                                                       : "out of memory");
    for (i = 0; i < j->n; i++) {
        j->m[i].val = (const char *)buf->p + o.off[i];
        j->m[i].len = strlen(j->m[i].val);
    }
    return CSR_OK;
}

/* see csr.h */
int csr_key_to_jwk(csr_jwk *j, csr_buf *buf, const csr_key *k, int priv, csr_err *err)
{
    return jwk_members(j, buf, k, priv, 1, err);
}

/* see csr.h */
int csr_key_thumbprint(char out[44], const csr_key *k, csr_err *err)
{
    csr_jwk j;
    csr_buf vals, json, b64;
    const csr_jwk_member *sorted[CSR_JWK_MAX];
    uint8_t dig[32];
    size_t i, a;
    int rc;

    csr_buf_init(&vals, 0);
    csr_buf_init(&json, 0);
    csr_buf_init(&b64, 0);
    rc = jwk_members(&j, &vals, k, 0, 0, err);     /* RFC 7638: the required members, */
    for (i = 0; rc == CSR_OK && i < j.n; i++) {     /* in name order */
        for (a = i; a > 0 && strcmp(sorted[a - 1]->name, j.m[i].name) > 0; a--)
            sorted[a] = sorted[a - 1];
        sorted[a] = &j.m[i];
    }
    for (i = 0; rc == CSR_OK && i < j.n; i++) {
        csr_buf_put(&json, i == 0 ? "{\"" : ",\"", 2);
        csr_buf_put(&json, sorted[i]->name, strlen(sorted[i]->name));
        csr_buf_put(&json, "\":\"", 3);
        csr_buf_put(&json, sorted[i]->val, sorted[i]->len);
        csr_buf_put(&json, "\"", 1);
    }
    if (rc == CSR_OK && csr_buf_put(&json, "}", 1) != CSR_OK)
        rc = csr_err_set(err, json.err, "out of memory");
    if (rc == CSR_OK && csr_md_hash(CSR_MD_SHA256, json.p, json.len, dig) != CSR_OK)
        rc = csr_err_set(err, CSR_E_CRYPTO, "hashing failed");
    if (rc == CSR_OK && csr_b64url_encode(&b64, dig, sizeof dig) != CSR_OK)
        rc = csr_err_set(err, b64.err, "out of memory");
    if (rc == CSR_OK) {
        memcpy(out, b64.p, 43);
        out[43] = '\0';
    }
    csr_buf_free(&vals);
    csr_buf_free(&json);
    csr_buf_free(&b64);
    return rc;
}

/* ---- import ---- */

static const csr_jwk_member *find(const csr_jwk_member *m, size_t n, const char *name)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strcmp(m[i].name, name) == 0)
            return &m[i];
    return NULL;
}

/* Decodes member name into out (secret, emptied first). want > 0: the exact byte length;
 * want == 0: a minimal unsigned integer (no leading zero octet); want < 0: any. */
static int member(csr_buf *out, const csr_jwk_member *m, size_t n, const char *name, int want,
                  csr_err *err)
{
    const csr_jwk_member *v = find(m, n, name);
    int rc;

    out->len = 0;
    if (v == NULL)
        return csr_err_set(err, CSR_E_INVALID, "member '%s' is missing", name);
    if (v->len > 4 * CSR_RSA_MAX_BITS / 8)
        return csr_err_set(err, CSR_E_INVALID, "member '%s' is too long", name);
    if ((rc = csr_b64url_decode(out, (const uint8_t *)v->val, v->len, err)) != CSR_OK)
        return rc == CSR_E_NOMEM ? rc : csr_err_prefix(err, "member '%s'", name);
    if (out->len == 0)
        return csr_err_set(err, CSR_E_INVALID, "member '%s' is empty", name);
    if (want > 0 && out->len != (size_t)want)
        return csr_err_set(err, CSR_E_INVALID, "member '%s' must be %d bytes, not %lu", name,
                           want, (unsigned long)out->len);
    if (want == 0 && out->len > 1 && out->p[0] == 0)
        return csr_err_set(err, CSR_E_INVALID, "member '%s' has a leading zero octet", name);
    return CSR_OK;
}

/* The key parser's complaint about DER we built, in JWK words: no byte offsets. */
static int relabel(csr_err *err, int rc)
{
    err->offset = CSR_NO_OFFSET;
    if (rc == CSR_E_BAD_DER)
        err->code = rc = CSR_E_INVALID;
    return rc;
}

static int parse_built(csr_key **out, csr_buf *der, int spki, csr_err *err)
{
    int rc;
    if (der->err != 0)
        return csr_err_set(err, der->err, "out of memory");
    rc = spki ? csr_key_from_spki(out, der->p, der->len, err)
              : csr_key_parse(out, der->p, der->len, NULL, 0, err);
    return rc == CSR_OK ? rc : relabel(err, rc);
}

/* SubjectPublicKeyInfo ::= SEQUENCE { algorithm SEQUENCE { OID, params }, BIT STRING } */
static void put_spki(csr_buf *b, const char *alg, const char *curve, const uint8_t *key,
                     size_t keylen)
{
    size_t s = der_open(b, DER_SEQUENCE), a = der_open(b, DER_SEQUENCE), bs;
    (void)der_put_oid_text(b, alg);
    if (curve != NULL)
        (void)der_put_oid_text(b, curve);
    else if (strcmp(alg, OID_RSA) == 0)
        der_put_null(b);
    der_close(b, a);
    bs = der_open(b, DER_BIT_STRING);
    csr_buf_put(b, "", 1);                     /* no unused bits */
    csr_buf_put(b, key, keylen);
    der_close(b, bs);
    der_close(b, s);
}

/* Bit length of a minimal big-endian integer. */
static int be_bits(const csr_buf *v)
{
    int bits = (int)(v->len - 1) * 8;
    uint8_t c;
    for (c = v->p[0]; c != 0; c >>= 1)
        bits++;
    return bits;
}

/* d must agree with the CRT exponents: d mod (p-1) = dp and d mod (q-1) = dq. The CRT parts
 * themselves are proven by the key parser's sign-and-verify check, which never uses d. */
static int rsa_d_agrees(const csr_buf *v, csr_err *err)
{
    mp_int d, p, q, dp, dq, t;
    int rc, same = 0;

    if ((rc = mp_init_multi(&d, &p, &q, &dp, &dq, &t)) != MP_OKAY)
        return csr_err_wolf(err, rc, "out of memory");
    rc = mp_read_unsigned_bin(&d, v[2].p, (word32)v[2].len);
    if (rc == MP_OKAY) rc = mp_read_unsigned_bin(&p, v[3].p, (word32)v[3].len);
    if (rc == MP_OKAY) rc = mp_read_unsigned_bin(&q, v[4].p, (word32)v[4].len);
    if (rc == MP_OKAY) rc = mp_read_unsigned_bin(&dp, v[5].p, (word32)v[5].len);
    if (rc == MP_OKAY) rc = mp_read_unsigned_bin(&dq, v[6].p, (word32)v[6].len);
    if (rc == MP_OKAY) rc = mp_sub_d(&p, 1, &p);
    if (rc == MP_OKAY) rc = mp_mod(&d, &p, &t);
    if (rc == MP_OKAY && mp_cmp(&t, &dp) == MP_EQ) {
        rc = mp_sub_d(&q, 1, &q);
        if (rc == MP_OKAY) rc = mp_mod(&d, &q, &t);
        same = rc == MP_OKAY && mp_cmp(&t, &dq) == MP_EQ;
    }
    mp_forcezero(&d);
    mp_forcezero(&p);
    mp_forcezero(&q);
    mp_forcezero(&dp);
    mp_forcezero(&dq);
    mp_forcezero(&t);
    if (rc != MP_OKAY)
        return csr_err_wolf(err, rc == MP_VAL ? MEMORY_E : rc, "checking the RSA private key");
    if (!same)
        return csr_err_set(err, CSR_E_INVALID, "the private key is inconsistent (d does not "
                           "agree with dp and dq)");
    return CSR_OK;
}

static const char *const rsa_names[] = {"n", "e", "d", "p", "q", "dp", "dq", "qi"};

static int rsa_build(csr_buf *der, csr_buf *v, int priv)
{
    size_t s, i;
    if (!priv) {
        csr_buf inner;
        csr_buf_init(&inner, 0);
        s = der_open(&inner, DER_SEQUENCE);
        der_put_uint_bytes(&inner, v[0].p, v[0].len);
        der_put_uint_bytes(&inner, v[1].p, v[1].len);
        der_close(&inner, s);
        if (inner.err == 0)
            put_spki(der, OID_RSA, NULL, inner.p, inner.len);
        else
            der->err = inner.err;
        csr_buf_free(&inner);
        return 1;
    }
    s = der_open(der, DER_SEQUENCE);            /* RSAPrivateKey, RFC 8017 A.1.2 */
    der_put_uint(der, 0);
    for (i = 0; i < 8; i++)
        der_put_uint_bytes(der, v[i].p, v[i].len);
    der_close(der, s);
    return 0;
}

static int from_rsa(csr_key **out, const csr_jwk_member *m, size_t n, csr_buf *v, csr_buf *der,
                    csr_err *err)
{
    int rc, i, priv = find(m, n, "d") != NULL, bits;

    if (find(m, n, "oth") != NULL)
        return csr_err_set(err, CSR_E_UNSUPPORTED, "multi-prime RSA keys are not supported");
    for (i = 0; i < (priv ? 8 : 2); i++) {
        if (i == 3 && priv && find(m, n, "p") == NULL && find(m, n, "q") == NULL &&
            find(m, n, "dp") == NULL && find(m, n, "dq") == NULL && find(m, n, "qi") == NULL)
            return csr_err_set(err, CSR_E_UNSUPPORTED, "RSA private keys need p, q, dp, dq "
                               "and qi (d alone is not supported)");
        if ((rc = member(&v[i], m, n, rsa_names[i], 0, err)) != CSR_OK)
            return rc;
    }
    if ((bits = be_bits(&v[0])) < CSR_RSA_MIN_BITS)
        return csr_err_set(err, CSR_E_INVALID, "RSA modulus of %d bits is under %d", bits,
                           CSR_RSA_MIN_BITS);
    if (priv && (rc = rsa_d_agrees(v, err)) != CSR_OK)
        return rc;
    return parse_built(out, der, rsa_build(der, v, priv), err);
}

static int from_ec(csr_key **out, const csr_jwk_member *m, size_t n, const char *crv,
                   csr_buf *v, csr_buf *der, csr_err *err)
{
    int curve = csr_curve_from_name(crv), cb, rc;
    uint8_t pt[1 + 2 * 66];
    size_t s, t;

    if (curve == CSR_CURVE_NONE)
        return csr_err_set(err, CSR_E_UNSUPPORTED, "unsupported curve '%s'", crv);
    cb = csr_curve_bytes(curve);
    if ((rc = member(&v[0], m, n, "x", cb, err)) != CSR_OK ||
        (rc = member(&v[1], m, n, "y", cb, err)) != CSR_OK)
        return rc;
    pt[0] = 4;
    memcpy(pt + 1, v[0].p, (size_t)cb);
    memcpy(pt + 1 + cb, v[1].p, (size_t)cb);
    put_spki(der, OID_EC, csr_curve_oid(curve), pt, (size_t)cb * 2 + 1);
    if (find(m, n, "d") == NULL)
        return parse_built(out, der, 1, err);
    if ((rc = member(&v[2], m, n, "d", cb, err)) != CSR_OK)
        return rc;
    {   /* the point first, so that one off the curve is named as such */
        csr_key *pub = NULL;
        if ((rc = parse_built(&pub, der, 1, err)) != CSR_OK)
            return rc;
        csr_key_free(pub);
        der->len = 0;
    }
    s = der_open(der, DER_SEQUENCE);            /* ECPrivateKey, RFC 5915 */
    der_put_uint(der, 1);
    der_put_tlv(der, DER_OCTET_STRING, v[2].p, v[2].len);
    t = der_open(der, DER_CTXC(0));
    (void)der_put_oid_text(der, csr_curve_oid(curve));
    der_close(der, t);
    t = der_open(der, DER_CTXC(1));
    der_put_bit_string(der, pt, (size_t)cb * 2 + 1);
    der_close(der, t);
    der_close(der, s);
    return parse_built(out, der, 0, err);
}

static int from_okp(csr_key **out, const csr_jwk_member *m, size_t n, const char *crv,
                    csr_buf *v, csr_buf *der, csr_err *err)
{
    int ed25519 = strcmp(crv, "Ed25519") == 0, len, rc;
    const char *oid = ed25519 ? OID_ED25519 : OID_ED448;
    size_t s, t;

    if (!ed25519 && strcmp(crv, "Ed448") != 0)
        return csr_err_set(err, CSR_E_UNSUPPORTED, "unsupported curve '%s'", crv);
    len = ed25519 ? ED25519_PUB_KEY_SIZE : ED448_PUB_KEY_SIZE;
    if ((rc = member(&v[0], m, n, "x", len, err)) != CSR_OK)
        return rc;
    if (find(m, n, "d") == NULL) {
        put_spki(der, oid, NULL, v[0].p, v[0].len);
        return parse_built(out, der, 1, err);
    }
    if ((rc = member(&v[1], m, n, "d", len, err)) != CSR_OK)
        return rc;
    s = der_open(der, DER_SEQUENCE);            /* OneAsymmetricKey v2, RFC 5958 / 8410 */
    der_put_uint(der, 1);
    t = der_open(der, DER_SEQUENCE);
    (void)der_put_oid_text(der, oid);
    der_close(der, t);
    t = der_open(der, DER_OCTET_STRING);
    der_put_tlv(der, DER_OCTET_STRING, v[1].p, v[1].len);
    der_close(der, t);
    t = der_open(der, DER_CTX(1));              /* publicKey [1] IMPLICIT BIT STRING */
    csr_buf_put(der, "", 1);
    csr_buf_put(der, v[0].p, v[0].len);
    der_close(der, t);
    der_close(der, s);
    return parse_built(out, der, 0, err);
}

static const char *text_member(const csr_jwk_member *m, size_t n, const char *name,
                               char *buf, size_t size)
{
    const csr_jwk_member *v = find(m, n, name);
    if (v == NULL || v->len == 0 || v->len >= size || memchr(v->val, 0, v->len) != NULL)
        return NULL;
    memcpy(buf, v->val, v->len);
    buf[v->len] = '\0';
    return buf;
}

/* see csr.h */
int csr_key_from_jwk(csr_key **out, const csr_jwk_member *m, size_t n, csr_err *err)
{
    char kty[16], crv[16];
    csr_buf v[8], der;
    int rc, i;

    if (text_member(m, n, "kty", kty, sizeof kty) == NULL)
        return csr_err_set(err, find(m, n, "kty") == NULL ? CSR_E_INVALID : CSR_E_UNSUPPORTED,
                           find(m, n, "kty") == NULL ? "member 'kty' is missing"
                                                     : "unsupported key type");
    if (strcmp(kty, "RSA") != 0 && strcmp(kty, "EC") != 0 && strcmp(kty, "OKP") != 0)
        return csr_err_set(err, CSR_E_UNSUPPORTED, "unsupported key type '%s'", kty);
    if (strcmp(kty, "RSA") != 0 && text_member(m, n, "crv", crv, sizeof crv) == NULL)
        return csr_err_set(err, find(m, n, "crv") == NULL ? CSR_E_INVALID : CSR_E_UNSUPPORTED,
                           find(m, n, "crv") == NULL ? "member 'crv' is missing"
                                                     : "unsupported curve");
    for (i = 0; i < 8; i++)
        csr_buf_init(&v[i], 1);
    csr_buf_init(&der, 1);
    if (strcmp(kty, "RSA") == 0)
        rc = from_rsa(out, m, n, v, &der, err);
    else if (strcmp(kty, "EC") == 0)
        rc = from_ec(out, m, n, crv, v, &der, err);
    else
        rc = from_okp(out, m, n, crv, v, &der, err);
    for (i = 0; i < 8; i++)
        csr_buf_free(&v[i]);
    csr_buf_free(&der);
    return rc;
}

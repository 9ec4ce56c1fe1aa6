/* EC public points: the form check (uncompressed or compressed, coordinates below the field
 * prime) and the import of an SPKI point, checked on the curve. Used by key_io.c.
 * SPDX-License-Identifier: MIT */
#include <pthread.h>
#include <string.h>

#include "key_int.h"

/* The field prime and the a and b of y^2 = x^3 + ax + b for P-256, P-384 and P-521, read
 * once from wolfSSL's hex text: wc_ecc_point_is_on_curve reads all three again on every call,
 * a third of the check's cost. Written once under the once-guard (run from csr_core_init
 * before any thread), read-only afterwards. */
typedef struct {
    mp_int prime, a, b;
    int ok;
} curve_consts;
static curve_consts consts[3];
static pthread_once_t consts_once = PTHREAD_ONCE_INIT;

static void consts_load(void)
{
    int c;
    for (c = CSR_CURVE_P256; c <= CSR_CURVE_P521; c++) {
        curve_consts *cc = &consts[c - CSR_CURVE_P256];
        const ecc_set_type *s = wc_ecc_get_curve_params(wc_ecc_get_curve_idx(csr_curve_wc(c)));
        cc->ok = s != NULL && s->prime != NULL && s->Af != NULL && s->Bf != NULL &&
                 mp_init_multi(&cc->prime, &cc->a, &cc->b, NULL, NULL, NULL) == MP_OKAY &&
                 mp_read_radix(&cc->prime, s->prime, MP_RADIX_HEX) == MP_OKAY &&
                 mp_read_radix(&cc->a, s->Af, MP_RADIX_HEX) == MP_OKAY &&
                 mp_read_radix(&cc->b, s->Bf, MP_RADIX_HEX) == MP_OKAY;
    }
}

void csr_ec_setup(void)
{
    (void)pthread_once(&consts_once, consts_load);
}

/* y^2 = x^3 + ax + b for the imported point (its coordinates are below p: the form check;
 * z is 1 after an import): 0, IS_POINT_E, or an error of the maths */
static int on_curve(ecc_key *key, int curve)
{
    curve_consts *cc;
    csr_ec_setup();
    cc = curve >= CSR_CURVE_P256 && curve <= CSR_CURVE_P521 ? &consts[curve - CSR_CURVE_P256]
                                                            : NULL;
    if (cc == NULL || !cc->ok)
        return wc_ecc_point_is_on_curve(&key->pubkey, key->idx);
    return wc_ecc_is_point(&key->pubkey, &cc->a, &cc->b, &cc->prime);
}

static int hexnib(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                          : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 0;
}

/* The cb-byte big-endian coordinate c is below the curve's field prime (compared nibble by
 * nibble with wolfSSL's hex text of it: most coordinates differ in the first byte). */
static int coord_below_prime(const uint8_t *c, size_t cb, int curve)
{
    const ecc_set_type *set = wc_ecc_get_curve_params(wc_ecc_get_curve_idx(csr_curve_wc(curve)));
    size_t hl, lead, i;
    if (set == NULL || set->prime == NULL)
        return 0;
    hl = strlen(set->prime);
    if (hl > 2 * cb)
        return 0;
    lead = 2 * cb - hl;                       /* the prime's leading zero nibbles */
    for (i = 0; i < 2 * cb; i++) {
        int pn = i < lead ? 0 : hexnib(set->prime[i - lead]);
        int cn = i % 2 ? c[i / 2] & 15 : c[i / 2] >> 4;
        if (cn != pn)
            return cn < pn;
    }
    return 0;                                 /* equal to p */
}

int csr_ec_point_form(const uint8_t *v, size_t n, int curve, size_t off, int *comp,
                      csr_err *err)
{
    size_t cb = (size_t)csr_curve_bytes(curve);

    *comp = n == cb + 1 && (v[0] == 2 || v[0] == 3);
    if (!*comp && (n != cb * 2 + 1 || v[0] != 4))
        return csr_err_at(err, CSR_E_BAD_DER, off, "EC point has the wrong form or length");
    if (!coord_below_prime(v + 1, cb, curve) ||
        (!*comp && !coord_below_prime(v + 1 + cb, cb, curve)))
        return csr_err_at(err, CSR_E_BAD_DER, off, "EC point coordinate out of range");
    return CSR_OK;
}

int csr_ec_point_load(csr_key *k, const uint8_t *v, size_t n, size_t off, csr_err *err)
{
    int rc;

    if ((rc = csr_ec_point_form(v, n, k->curve, off, &k->ec_comp, err)) != CSR_OK)
        return rc;
    rc = wc_ecc_import_x963_ex(v, (word32)n, k->u.ec, csr_curve_wc(k->curve));
    if (csr_wolf_nomem(rc))
        return csr_err_wolf(err, rc, "out of memory importing an EC point");
    if (rc != 0)          /* compressed: x^3 + ax + b has no square root */
        return csr_err_at(err, CSR_E_BAD_DER, off, "EC point is not valid");
    /* P-256/384/521 have cofactor 1, so a point on the curve (coordinates < p) is in the
     * prime-order group: the order multiplication of wc_ecc_check_key adds nothing, and it
     * costs a fixed-point table build (~6 ms) per fresh key with this wolfSSL (FP_ECC). */
    rc = on_curve(k->u.ec, k->curve);
    if (rc != 0 && rc != IS_POINT_E)    /* the coordinates are in range: the maths failed */
        return csr_err_wolf(err, rc == MP_READ_E ? MEMORY_E : rc, "checking an EC point");
    if (rc != 0)
        return csr_err_at(err, CSR_E_BAD_DER, off, "EC point is not on the curve");
    return CSR_OK;
}

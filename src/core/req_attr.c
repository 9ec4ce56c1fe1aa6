/* The attributes of a CertificationRequestInfo (RFC 2986 4.1, RFC 2985 5.4):
 * challengePassword, unstructuredName and the extensionRequest (decoded by ext_dec.c); every
 * other attribute kept with its values' DER framing checked.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "req.h"
#include "oid.h"

/* DirectoryString (and IA5String for PKCS9String) */
static int dir_string(const der_tlv *t, int ia5_ok, const char *what, csr_err *err)
{
    switch (t->tag) {
    case DER_UTF8STRING: case DER_PRINTABLE: case DER_T61STRING: case DER_BMPSTRING:
    case DER_UNIVERSAL:
        return der_check_string(t, what, err);
    case DER_IA5STRING:
        if (ia5_ok)
            return der_check_string(t, what, err);
        break;
    default:
        break;
    }
    return csr_err_at(err, CSR_E_BAD_DER, t->off, "%s: not a DirectoryString (tag 0x%02x)",
                       what, t->tag);
}

/* The value of a DirectoryString as UTF-8: BMPString (UCS-2) and UniversalString (UCS-4)
 * are converted into r->conv[slot]; other types are returned as stored. */
static int string_utf8(csr_req *r, int slot, const der_tlv *t, const uint8_t **out,
                       size_t *olen, const char *what, csr_err *err)
{
    size_t unit, o;
    uint8_t *u;
    if (t->tag != DER_BMPSTRING && t->tag != DER_UNIVERSAL) {
        *out = t->v;
        *olen = t->len;
        return CSR_OK;
    }
    unit = t->tag == DER_BMPSTRING ? 2 : 4;
    if ((u = (uint8_t *)csr_malloc(t->len / unit * 4 + 1)) == NULL)
        return csr_err_set(err, CSR_E_NOMEM, "out of memory");
    if (!csr_ucs_to_utf8(u, &o, t->v, t->len, unit)) {
        csr_free(u);
        return csr_err_at(err, CSR_E_BAD_DER, t->off, "%s: invalid character", what);
    }
    csr_free(r->conv[slot]);
    r->conv[slot] = u;
    *out = u;
    *olen = o;
    return CSR_OK;
}

/* Attribute ::= SEQUENCE { type OID, values SET SIZE(1..MAX) OF ANY }: the header into x */
static int read_attr(der_rd *in, req_attr *x, der_tlv *set, csr_err *err)
{
    der_tlv a;
    der_rd ain;
    int rc;
    if ((rc = der_expect(in, DER_SEQUENCE, &a, "attribute", err)) != CSR_OK)
        return rc;
    x->off = a.off;
    der_rd_enter(&ain, &a);
    if ((rc = der_read_oid(&ain, x->oid, "attribute type", err)) != CSR_OK ||
        (rc = der_expect(&ain, DER_SET, set, "attribute values", err)) != CSR_OK ||
        (rc = der_finish(&ain, "attribute", err)) != CSR_OK)
        return rc;
    x->v.oid = x->oid;
    x->v.name = csr_oid_name(CSR_OID_REQATTR, x->oid);
    x->v.values = set->v;
    x->v.values_len = set->len;
    return CSR_OK;
}

/* Every value one framed TLV; *nv = their number. */
static int check_values(const der_tlv *set, const char *what, size_t *nv, csr_err *err)
{
    der_rd vin;
    der_tlv v;
    int rc;
    *nv = 0;
    der_rd_enter(&vin, set);
    while (der_rd_more(&vin)) {
        if ((rc = der_next(&vin, &v, err)) != CSR_OK ||
            (rc = der_check_tree(v.tlv, v.tlv_len, v.off, what, err)) != CSR_OK)
            return rc;
        (*nv)++;
    }
    return CSR_OK;
}

/* challengePassword: one DirectoryString (RFC 2985 5.4.1) */
static int dec_challenge(csr_req *r, const der_tlv *set, size_t nv, csr_err *err)
{
    der_tlv v;
    int rc;
    if (nv != 1)
        return csr_err_at(err, CSR_E_BAD_DER, set->off, "challengePassword: more than one value");
    if ((rc = der_read_first(set, &v, err)) != CSR_OK ||
        (rc = dir_string(&v, 0, "challengePassword", err)) != CSR_OK ||
        (rc = string_utf8(r, 0, &v, &r->challenge, &r->challenge_len, "challengePassword",
                          err)) != CSR_OK)
        return rc;
    r->challenge_tag = (int)v.tag;
    return CSR_OK;
}

/* unstructuredName: SET OF PKCS9String (RFC 2985 5.4.2); the first value is the one shown */
static int dec_unstructured(csr_req *r, const der_tlv *set, csr_err *err)
{
    der_rd vin;
    der_tlv v;
    int rc, first = 1;
    der_rd_enter(&vin, set);
    while (der_rd_more(&vin)) {
        if ((rc = der_next(&vin, &v, err)) != CSR_OK ||
            (rc = dir_string(&v, 1, "unstructuredName", err)) != CSR_OK)
            return rc;
        if (first && (rc = string_utf8(r, 1, &v, &r->unstructured, &r->unstructured_len,
                                       "unstructuredName", err)) != CSR_OK)
            return rc;
        if (first)
            r->unstructured_tag = (int)v.tag;
        first = 0;
    }
    return CSR_OK;
}

/* attributes [0] IMPLICIT SET OF Attribute. An unsorted SET (not DER) is tolerated, for
 * attributes and their values. */
int req_decode_attributes(csr_req *r, const der_tlv *attrs, csr_err *err)
{
    der_tlv set, v;
    der_rd in;
    size_t n, i, j, nv;
    int rc, have_extreq = 0;

    if ((rc = der_count(attrs, &n, err)) != CSR_OK || n == 0)
        return rc;
    if ((r->attrs = (req_attr *)csr_calloc(n, sizeof *r->attrs)) == NULL)
        return csr_err_set(err, CSR_E_NOMEM, "out of memory");
    der_rd_enter(&in, attrs);
    for (i = 0; der_rd_more(&in); i++) {
        req_attr *x = &r->attrs[i];
        const char *what;
        if ((rc = read_attr(&in, x, &set, err)) != CSR_OK)
            return rc;
        what = x->v.name != NULL ? x->v.name : x->oid;
        for (j = 0; j < i; j++)
            if (strcmp(r->attrs[j].oid, x->oid) == 0)
                return csr_err_at(err, CSR_E_DUPLICATE, x->off, "duplicate attribute %s", what);
        r->nattrs = i + 1;
        if ((rc = check_values(&set, what, &nv, err)) != CSR_OK)
            return rc;
        /* Policy: an extensionRequest with an empty value SET (SIZE(1..MAX) says it must not
         * be) is read as "no extensions", as openssl and pyca read it; every other attribute
         * with an empty value SET is refused. */
        if (nv == 0 && strcmp(x->oid, OID_EXT_REQUEST) == 0)
            continue;
        if (nv == 0)
            return csr_err_at(err, CSR_E_BAD_DER, set.off, "%s: empty value set", what);
        if (strcmp(x->oid, OID_CHALLENGE) == 0)
            rc = dec_challenge(r, &set, nv, err);
        else if (strcmp(x->oid, OID_UNSTRUCTURED) == 0)
            rc = dec_unstructured(r, &set, err);
        else if (strcmp(x->oid, OID_EXT_REQUEST) == 0 ||
                 strcmp(x->oid, OID_MS_EXT_REQUEST) == 0) {
            if (nv != 1)
                return csr_err_at(err, CSR_E_BAD_DER, set.off, "%s: more than one value", what);
            if (have_extreq++)
                return csr_err_at(err, CSR_E_DUPLICATE, x->off, "second extension request");
            if ((rc = der_read_first(&set, &v, err)) == CSR_OK)
                rc = req_decode_extensions(r, &v, err);
        }
        if (rc != CSR_OK)
            return rc;
    }
    return CSR_OK;
}

int csr_attr_value(const csr_attr_view *a, size_t i, const uint8_t **tlv, size_t *len)
{
    der_rd in;
    der_tlv t;
    csr_err e;
    size_t k = 0;
    der_rd_init(&in, a->values, a->values_len, 0);
    while (der_rd_more(&in)) {
        if (der_next(&in, &t, &e) != CSR_OK)
            return 0;
        if (k++ == i) {
            *tlv = t.tlv;
            *len = t.tlv_len;
            return 1;
        }
    }
    return 0;
}

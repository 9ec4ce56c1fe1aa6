/* Decoding and validation of Extensions (RFC 5280 4.2), for an extensionRequest and for a
 * certificate: every known structure checked at parse time, unknown ones kept raw with their
 * DER framing checked. The request's attributes are in req_attr.c.
 * SPDX-License-Identifier: MIT */
#include <string.h>
#include <limits.h>

#include "req.h"
#include "oid.h"

void req_free_view(csr_req *r)
{
    csr_free(r->attrs);
    csr_free(r->exts);
    csr_free(r->san);
    csr_free(r->eku);
    csr_free(r->conv[0]);
    csr_free(r->conv[1]);
    r->conv[0] = r->conv[1] = NULL;
    r->attrs = NULL;
    r->exts = NULL;
    r->san = NULL;
    r->eku = NULL;
    r->nattrs = r->nexts = r->nsan = r->neku = 0;
}

static int nomem(csr_err *err)
{
    return csr_err_set(err, CSR_E_NOMEM, "out of memory");
}

/* A reader over an extnValue: contents of the OCTET STRING, holding exactly one TLV. */
static int value_tlv(const der_tlv *oct, unsigned tag, der_tlv *t, const char *what,
                     csr_err *err)
{
    der_rd in;
    int rc;
    der_rd_enter(&in, oct);
    if ((rc = der_expect(&in, tag, t, what, err)) != CSR_OK)
        return rc;
    return der_finish(&in, what, err);
}

static int bad(csr_err *err, const char *what, const char *why, size_t off)
{
    return csr_err_at(err, CSR_E_BAD_DER, off, "%s: %s", what, why);
}

/* ---- subjectAltName ---- */
static int ia5_name(const der_tlv *t, const char *what, csr_err *err)
{
    if (t->len == 0)
        return bad(err, what, "empty name", t->off);
    if (!der_is_ia5(t->v, t->len))
        return bad(err, what, "not an IA5String", t->off);
    return CSR_OK;
}

static int dec_general_name(csr_req *r, req_san *s, const der_tlv *t, csr_err *err)
{
    der_rd in, sub;
    der_tlv a, b;
    csr_name *nm = NULL;
    int rc;

    s->off = t->off;
    s->val = t->v;
    s->len = t->len;
    s->oid[0] = '\0';
    switch (t->tag) {
    case DER_CTXC(0):                   /* otherName: type-id OID, [0] EXPLICIT value */
        s->type = CSR_SAN_OTHER;
        der_rd_enter(&in, t);
        if ((rc = der_expect(&in, DER_OID, &a, "SAN otherName", err)) != CSR_OK ||
            (rc = der_get_oid(&a, s->oid, "SAN otherName", err)) != CSR_OK ||
            (rc = der_expect(&in, DER_CTXC(0), &b, "SAN otherName value", err)) != CSR_OK ||
            (rc = der_finish(&in, "SAN otherName", err)) != CSR_OK)
            return rc;
        if ((rc = der_check_tree(b.v, b.len, b.voff, "SAN otherName value", err)) != CSR_OK)
            return rc;
        s->val = b.v;
        s->len = b.len;
        return CSR_OK;
    case DER_CTX(1):
        s->type = CSR_SAN_EMAIL;
        return ia5_name(t, "SAN rfc822Name", err);
    case DER_CTX(2):
        s->type = CSR_SAN_DNS;
        return ia5_name(t, "SAN dNSName", err);
    case DER_CTX(6):
        s->type = CSR_SAN_URI;
        return ia5_name(t, "SAN URI", err);
    case DER_CTX(7):
        s->type = CSR_SAN_IP;
        if (t->len != 4 && t->len != 16)
            return bad(err, "SAN iPAddress", "length must be 4 or 16", t->off);
        return CSR_OK;
    case DER_CTX(8):
        s->type = CSR_SAN_RID;
        a = *t;
        a.tag = DER_OID;
        if ((rc = der_get_oid(&a, s->oid, "SAN registeredID", err)) != CSR_OK)
            return rc;
        s->val = NULL;
        s->len = 0;
        return CSR_OK;
    case DER_CTXC(4):                   /* directoryName: [4] EXPLICIT Name */
        s->type = CSR_SAN_DIR;
        der_rd_enter(&sub, t);
        if ((rc = der_expect(&sub, DER_SEQUENCE, &a, "SAN directoryName", err)) != CSR_OK ||
            (rc = der_finish(&sub, "SAN directoryName", err)) != CSR_OK)
            return rc;
        memset(err, 0, sizeof *err);
        rc = csr_name_from_der(&nm, a.tlv, a.tlv_len, a.off, err);
        if (rc != CSR_OK) {
            if (err->code != rc)              /* the callee left no record */
                return bad(err, "SAN directoryName", "cannot decode", a.off);
            return rc;
        }
        csr_name_free(nm);
        s->val = a.tlv;
        s->len = a.tlv_len;
        return CSR_OK;
    default:
        (void)r;
        return csr_err_set(err, CSR_E_BAD_DER, "SAN: unsupported GeneralName tag 0x%02x at "
                           "byte %lu", t->tag, (unsigned long)t->off);
    }
}

static int dec_san(csr_req *r, const der_tlv *oct, csr_err *err)
{
    der_tlv seq, t;
    der_rd in;
    size_t n, i = 0;
    int rc;

    if ((rc = value_tlv(oct, DER_SEQUENCE, &seq, "subjectAltName", err)) != CSR_OK ||
        (rc = der_count(&seq, &n, err)) != CSR_OK)
        return rc;
    if (n == 0)
        return bad(err, "subjectAltName", "empty GeneralNames", seq.off);
    if ((r->san = (req_san *)csr_calloc(n, sizeof *r->san)) == NULL)
        return nomem(err);
    der_rd_enter(&in, &seq);
    while (der_rd_more(&in)) {
        if ((rc = der_next(&in, &t, err)) != CSR_OK ||
            (rc = dec_general_name(r, &r->san[i], &t, err)) != CSR_OK)
            return rc;
        r->nsan = ++i;
    }
    return CSR_OK;
}

/* ---- keyUsage, extendedKeyUsage, basicConstraints, TLS feature, SKI ---- */
static int dec_ku(csr_req *r, const der_tlv *oct, csr_err *err)
{
    der_tlv t;
    unsigned bits;
    int rc;
    if ((rc = value_tlv(oct, DER_BIT_STRING, &t, "keyUsage", err)) != CSR_OK ||
        (rc = der_get_named_bits(&t, &bits, "keyUsage", err)) != CSR_OK)
        return rc;
    if (bits & ~0x1ffu)
        return bad(err, "keyUsage", "undefined bits set", t.off);
    r->ku_set = 1;
    r->ku = bits;
    return CSR_OK;
}

static int dec_eku(csr_req *r, const der_tlv *oct, csr_err *err)
{
    der_tlv seq, t;
    der_rd in;
    size_t n, i = 0;
    int rc;
    if ((rc = value_tlv(oct, DER_SEQUENCE, &seq, "extendedKeyUsage", err)) != CSR_OK ||
        (rc = der_count(&seq, &n, err)) != CSR_OK)
        return rc;
    if (n == 0)
        return bad(err, "extendedKeyUsage", "empty list", seq.off);
    if ((r->eku = (req_eku *)csr_calloc(n, sizeof *r->eku)) == NULL)
        return nomem(err);
    der_rd_enter(&in, &seq);
    while (der_rd_more(&in)) {
        if ((rc = der_expect(&in, DER_OID, &t, "extendedKeyUsage", err)) != CSR_OK ||
            (rc = der_get_oid(&t, r->eku[i].oid, "extendedKeyUsage", err)) != CSR_OK)
            return rc;
        r->eku[i].name = csr_oid_name(CSR_OID_EKU, r->eku[i].oid);
        r->neku = ++i;
    }
    r->eku_set = 1;
    return CSR_OK;
}

static int dec_bc(csr_req *r, const der_tlv *oct, csr_err *err)
{
    der_tlv seq, t;
    der_rd in;
    int rc, ca = 0;
    long pl = -1;
    if ((rc = value_tlv(oct, DER_SEQUENCE, &seq, "basicConstraints", err)) != CSR_OK)
        return rc;
    der_rd_enter(&in, &seq);
    if (der_peek(&in) == DER_BOOLEAN) {
        /* an explicit cA FALSE (DEFAULT) is tolerated, as for critical */
        if ((rc = der_next(&in, &t, err)) != CSR_OK ||
            (rc = der_get_bool(&t, &ca, "basicConstraints cA", err)) != CSR_OK)
            return rc;
    }
    if (der_rd_more(&in)) {
        if ((rc = der_expect(&in, DER_INTEGER, &t, "basicConstraints pathLen", err)) != CSR_OK ||
            (rc = der_get_uint(&t, &pl, "basicConstraints pathLen", err)) != CSR_OK)
            return rc;
        if (pl > INT_MAX)
            return bad(err, "basicConstraints pathLen", "too large", t.off);
    }
    if ((rc = der_finish(&in, "basicConstraints", err)) != CSR_OK)
        return rc;
    r->bc_set = 1;
    r->bc_ca = ca;
    r->bc_pathlen = (int)pl;
    return CSR_OK;
}

static int dec_tlsfeature(csr_req *r, const der_tlv *oct, csr_err *err)
{
    der_tlv seq, t;
    der_rd in;
    int rc;
    long v;
    if ((rc = value_tlv(oct, DER_SEQUENCE, &seq, "tlsfeature", err)) != CSR_OK)
        return rc;
    der_rd_enter(&in, &seq);
    while (der_rd_more(&in)) {
        if ((rc = der_expect(&in, DER_INTEGER, &t, "tlsfeature", err)) != CSR_OK ||
            (rc = der_get_uint(&t, &v, "tlsfeature", err)) != CSR_OK)
            return rc;
        if (v == 5)
            r->must_staple = 1;
    }
    return CSR_OK;
}

static int dec_ski(const der_tlv *oct, csr_err *err)
{
    der_tlv t;
    return value_tlv(oct, DER_OCTET_STRING, &t, "subjectKeyIdentifier", err);
}

/* Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension
 * Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
 * An explicit critical FALSE (not DER) is tolerated: openssl and pyca accept it. */
int req_decode_extensions(csr_req *r, const der_tlv *val, csr_err *err)
{
    der_tlv seq, e, t, oct;
    der_rd in, ein;
    size_t n, i = 0, j;
    int rc;

    if (val->tag != DER_SEQUENCE)
        return bad(err, "extensions", "expected a SEQUENCE", val->off);
    seq = *val;
    if ((rc = der_count(&seq, &n, err)) != CSR_OK)
        return rc;
    if (n == 0)
        return bad(err, "extensions", "empty list of extensions", seq.off);
    if ((r->exts = (req_ext *)csr_calloc(n, sizeof *r->exts)) == NULL)
        return nomem(err);
    der_rd_enter(&in, &seq);
    while (der_rd_more(&in)) {
        req_ext *x = &r->exts[i];
        int crit = 0;
        if ((rc = der_expect(&in, DER_SEQUENCE, &e, "extension", err)) != CSR_OK)
            return rc;
        x->off = e.off;
        der_rd_enter(&ein, &e);
        if ((rc = der_expect(&ein, DER_OID, &t, "extension id", err)) != CSR_OK ||
            (rc = der_get_oid(&t, x->oid, "extension id", err)) != CSR_OK)
            return rc;
        if (der_peek(&ein) == DER_BOOLEAN) {
            if ((rc = der_next(&ein, &t, err)) != CSR_OK ||
                (rc = der_get_bool(&t, &crit, "extension critical", err)) != CSR_OK)
                return rc;
        }
        if ((rc = der_expect(&ein, DER_OCTET_STRING, &oct, "extension value", err)) !=
            CSR_OK || (rc = der_finish(&ein, "extension", err)) != CSR_OK)
            return rc;
        for (j = 0; j < i; j++)
            if (strcmp(r->exts[j].oid, x->oid) == 0) {
                const char *nm = csr_oid_name(CSR_OID_EXT, x->oid);
                return csr_err_at(err, CSR_E_DUPLICATE, e.off, "duplicate extension %s",
                                   nm != NULL ? nm : x->oid);
            }
        x->v.oid = x->oid;
        x->v.name = csr_oid_name(CSR_OID_EXT, x->oid);
        x->v.critical = crit;
        x->v.value = oct.v;
        x->v.len = oct.len;
        r->nexts = ++i;
        if (strcmp(x->oid, OID_SAN) == 0)
            rc = dec_san(r, &oct, err);
        else if (strcmp(x->oid, OID_KU) == 0)
            rc = dec_ku(r, &oct, err);
        else if (strcmp(x->oid, OID_EKU) == 0)
            rc = dec_eku(r, &oct, err);
        else if (strcmp(x->oid, OID_BC) == 0)
            rc = dec_bc(r, &oct, err);
        else if (strcmp(x->oid, OID_TLS_FEATURE) == 0)
            rc = dec_tlsfeature(r, &oct, err);
        else if (strcmp(x->oid, OID_SKI) == 0)
            rc = dec_ski(&oct, err);
        else
            rc = der_check_tree(oct.v, oct.len, oct.voff, "extension value", err);
        if (rc != CSR_OK)
            return rc;
    }
    return CSR_OK;
}

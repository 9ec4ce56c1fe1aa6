/* Decoding and validation of Extensions (RFC 5280 4.2), for an extensionRequest and for a
 * certificate: every extension with a decoder in the registry (ext.c) checked at parse time,
 * the others kept raw with their DER framing checked. The request's attributes are in
 * req_attr.c.
 * SPDX-License-Identifier: MIT */
#include <string.h>
#include <limits.h>

#include "ext.h"
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

/* An extnValue: contents of the OCTET STRING, holding exactly one TLV. */
static int value_tlv(const der_tlv *oct, unsigned tag, der_tlv *t, const char *what,
                     csr_err *err)
{
    return der_read_one(oct->v, oct->len, oct->voff, tag, t, what, err);
}

static int bad(csr_err *err, const char *what, const char *why, size_t off)
{
    return csr_err_at(err, CSR_E_BAD_DER, off, "%s: %s", what, why);
}

/* One element of a SEQUENCE OF, read from in into arr[i] (the i before it decoded). */
typedef int elem_fn(void *arr, size_t i, der_rd *in, csr_req *r, csr_err *err);

/* SEQUENCE SIZE (1..MAX) OF, counted, allocated and walked: a zeroed array of elements of
 * size into *arr (the caller owns it, also on failure), *n counting those decoded; empty
 * names the refusal of an empty list. */
static int seq_of(const der_tlv *seq, const char *what, const char *empty, size_t size,
                  elem_fn *fn, csr_req *r, void **arr, size_t *n, csr_err *err)
{
    der_rd in;
    size_t count;
    int rc;
    if ((rc = der_count(seq, &count, err)) != CSR_OK)
        return rc;
    if (count == 0)
        return bad(err, what, empty, seq->off);
    if ((*arr = csr_calloc(count, size)) == NULL)
        return nomem(err);
    der_rd_enter(&in, seq);
    while (der_rd_more(&in)) {
        if ((rc = fn(*arr, *n, &in, r, err)) != CSR_OK)
            return rc;
        (*n)++;
    }
    return CSR_OK;
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

/* otherName: [0] IMPLICIT SEQUENCE { type-id OID, value [0] EXPLICIT ANY } */
static int dec_other_name(req_san *s, const der_tlv *t, csr_err *err)
{
    der_rd in;
    der_tlv b;
    int rc;
    der_rd_enter(&in, t);
    if ((rc = der_read_oid(&in, s->oid, "SAN otherName", err)) != CSR_OK ||
        (rc = der_expect(&in, DER_CTXC(0), &b, "SAN otherName value", err)) != CSR_OK ||
        (rc = der_finish(&in, "SAN otherName", err)) != CSR_OK)
        return rc;
    if ((rc = der_check_tree(b.v, b.len, b.voff, "SAN otherName value", err)) != CSR_OK)
        return rc;
    s->val = b.v;
    s->len = b.len;
    return CSR_OK;
}

/* directoryName: [4] EXPLICIT Name, strictly decoded (and dropped: the view keeps the DER) */
static int dec_dir_name(req_san *s, const der_tlv *t, csr_err *err)
{
    der_tlv a;
    csr_name *nm = NULL;
    int rc;
    if ((rc = der_read_one(t->v, t->len, t->voff, DER_SEQUENCE, &a, "SAN directoryName",
                           err)) != CSR_OK)
        return rc;
    if ((rc = req_read_name(&nm, &a, "SAN directoryName", err)) != CSR_OK)
        return rc;
    csr_name_free(nm);
    s->val = a.tlv;
    s->len = a.tlv_len;
    return CSR_OK;
}

/* registeredID: [8] IMPLICIT OBJECT IDENTIFIER */
static int dec_registered_id(req_san *s, const der_tlv *t, csr_err *err)
{
    der_tlv a = *t;
    a.tag = DER_OID;
    s->val = NULL;
    s->len = 0;
    return der_get_oid(&a, s->oid, "SAN registeredID", err);
}

static int dec_general_name(req_san *s, const der_tlv *t, csr_err *err)
{
    s->off = t->off;
    s->val = t->v;
    s->len = t->len;
    s->oid[0] = '\0';
    switch (t->tag) {
    case DER_CTXC(0):
        s->type = CSR_SAN_OTHER;
        return dec_other_name(s, t, err);
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
        return dec_registered_id(s, t, err);
    case DER_CTXC(4):
        s->type = CSR_SAN_DIR;
        return dec_dir_name(s, t, err);
    default:
        return csr_err_set(err, CSR_E_BAD_DER, "SAN: unsupported GeneralName tag 0x%02x at "
                           "byte %lu", t->tag, (unsigned long)t->off);
    }
}

static int san_elem(void *arr, size_t i, der_rd *in, csr_req *r, csr_err *err)
{
    der_tlv t;
    int rc = der_next(in, &t, err);
    (void)r;
    return rc != CSR_OK ? rc : dec_general_name((req_san *)arr + i, &t, err);
}

int ext_dec_san(csr_req *r, const der_tlv *oct, csr_err *err)
{
    der_tlv seq;
    void *arr = NULL;
    int rc = value_tlv(oct, DER_SEQUENCE, &seq, "subjectAltName", err);
    if (rc == CSR_OK)
        rc = seq_of(&seq, "subjectAltName", "empty GeneralNames", sizeof *r->san, san_elem, r,
                    &arr, &r->nsan, err);
    r->san = (req_san *)arr;
    return rc;
}

/* ---- keyUsage, extendedKeyUsage, basicConstraints, TLS feature, SKI ---- */
int ext_dec_ku(csr_req *r, const der_tlv *oct, csr_err *err)
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

static int eku_elem(void *arr, size_t i, der_rd *in, csr_req *r, csr_err *err)
{
    req_eku *e = (req_eku *)arr + i;
    int rc = der_read_oid(in, e->oid, "extendedKeyUsage", err);
    (void)r;
    e->name = csr_oid_name(CSR_OID_EKU, e->oid);
    return rc;
}

int ext_dec_eku(csr_req *r, const der_tlv *oct, csr_err *err)
{
    der_tlv seq;
    void *arr = NULL;
    int rc = value_tlv(oct, DER_SEQUENCE, &seq, "extendedKeyUsage", err);
    if (rc == CSR_OK)
        rc = seq_of(&seq, "extendedKeyUsage", "empty list", sizeof *r->eku, eku_elem, r, &arr,
                    &r->neku, err);
    r->eku = (req_eku *)arr;
    r->eku_set = rc == CSR_OK;
    return rc;
}

int ext_dec_bc(csr_req *r, const der_tlv *oct, csr_err *err)
{
    der_tlv seq, t;
    der_rd in;
    int rc, ca = 0, present;
    long pl = -1;
    if ((rc = value_tlv(oct, DER_SEQUENCE, &seq, "basicConstraints", err)) != CSR_OK)
        return rc;
    der_rd_enter(&in, &seq);
    /* an explicit cA FALSE (DEFAULT) is tolerated, as for critical */
    if ((rc = der_optional(&in, DER_BOOLEAN, &t, &present, err)) != CSR_OK ||
        (present && (rc = der_get_bool(&t, &ca, "basicConstraints cA", err)) != CSR_OK))
        return rc;
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

int ext_dec_tls_feature(csr_req *r, const der_tlv *oct, csr_err *err)
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

int ext_dec_ski(csr_req *r, const der_tlv *oct, csr_err *err)
{
    der_tlv t;
    (void)r;
    return value_tlv(oct, DER_OCTET_STRING, &t, "subjectKeyIdentifier", err);
}

/* Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
 * into x (its view pointing into the input) and oct (the extnValue). An explicit critical
 * FALSE (not DER) is tolerated: openssl and pyca accept it. */
static int read_ext(der_rd *in, req_ext *x, der_tlv *oct, csr_err *err)
{
    der_tlv e, t;
    der_rd ein;
    int rc, crit = 0, present;
    if ((rc = der_expect(in, DER_SEQUENCE, &e, "extension", err)) != CSR_OK)
        return rc;
    x->off = e.off;
    der_rd_enter(&ein, &e);
    if ((rc = der_read_oid(&ein, x->oid, "extension id", err)) != CSR_OK ||
        (rc = der_optional(&ein, DER_BOOLEAN, &t, &present, err)) != CSR_OK ||
        (present && (rc = der_get_bool(&t, &crit, "extension critical", err)) != CSR_OK))
        return rc;
    if ((rc = der_expect(&ein, DER_OCTET_STRING, oct, "extension value", err)) != CSR_OK ||
        (rc = der_finish(&ein, "extension", err)) != CSR_OK)
        return rc;
    x->v.oid = x->oid;
    x->v.name = csr_oid_name(CSR_OID_EXT, x->oid);
    x->v.critical = crit;
    x->v.value = oct->v;
    x->v.len = oct->len;
    return CSR_OK;
}

/* One Extension into exts[i]: read, refused when its extnID came before, then decoded by
 * its row in the registry (else only its DER framing checked). */
static int ext_elem(void *arr, size_t i, der_rd *in, csr_req *r, csr_err *err)
{
    req_ext *exts = (req_ext *)arr, *x = &exts[i];
    const ext_row *row;
    der_tlv oct;
    size_t j;
    int rc;
    if ((rc = read_ext(in, x, &oct, err)) != CSR_OK)
        return rc;
    for (j = 0; j < i; j++)
        if (strcmp(exts[j].oid, x->oid) == 0)
            return csr_err_at(err, CSR_E_DUPLICATE, x->off, "duplicate extension %s",
                              x->v.name != NULL ? x->v.name : x->oid);
    row = ext_find(x->oid);
    if (row != NULL && row->decode != NULL)
        return row->decode(r, &oct, err);
    return der_check_tree(oct.v, oct.len, oct.voff, "extension value", err);
}

/* Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension, each extnID at most once */
int req_decode_extensions(csr_req *r, const der_tlv *val, csr_err *err)
{
    void *arr = NULL;
    int rc;
    if (val->tag != DER_SEQUENCE)
        return bad(err, "extensions", "expected a SEQUENCE", val->off);
    rc = seq_of(val, "extensions", "empty list of extensions", sizeof *r->exts, ext_elem, r,
                &arr, &r->nexts, err);
    r->exts = (req_ext *)arr;
    return rc;
}

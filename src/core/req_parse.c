/* PKCS#10 (RFC 2986) parsing: CertificationRequest and CertificationRequestInfo read
 * strictly into struct csr_req (req.h); the object itself lives in req.c.
 * SPDX-License-Identifier: MIT */
#include <string.h>
#include <stdio.h>

#include "req.h"

static const char *const req_labels[] = {"CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST", NULL};

/* 1 if k's SubjectPublicKeyInfo is byte for byte the TLV t */
static int spki_is(const csr_key *k, const der_tlv *t)
{
    size_t n = 0;
    const uint8_t *p = csr_key_spki(k, &n);
    return p != NULL && n == t->tlv_len && memcmp(p, t->tlv, n) == 0;
}

/* SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier, BIT STRING }: framing checked
 * here; the key itself validated by csr_key_from_spki (unsupported keys are kept), unless
 * *adopt (when not NULL) is a public key already parsed from the same bytes: then r takes it
 * over and *adopt becomes NULL. */
static int parse_spki(csr_req *r, const der_tlv *t, csr_key **adopt, csr_err *err)
{
    der_rd in, ain;
    der_tlv alg, oid, par, bits;
    const uint8_t *v;
    size_t n;
    int unused, rc;
    csr_key *k = NULL;

    der_rd_enter(&in, t);
    if ((rc = der_expect(&in, DER_SEQUENCE, &alg, "public key algorithm", err)) != CSR_OK)
        return rc;
    der_rd_enter(&ain, &alg);
    if ((rc = der_expect(&ain, DER_OID, &oid, "public key algorithm", err)) != CSR_OK ||
        (rc = der_get_oid(&oid, r->key_alg, "public key algorithm", err)) != CSR_OK)
        return rc;
    if (der_rd_more(&ain)) {
        if ((rc = der_next(&ain, &par, err)) != CSR_OK ||
            (rc = der_check_tree(par.tlv, par.tlv_len, par.off, "public key parameters",
                                 err)) != CSR_OK)
            return rc;
    }
    if ((rc = der_finish(&ain, "public key algorithm", err)) != CSR_OK)
        return rc;
    if ((rc = der_expect(&in, DER_BIT_STRING, &bits, "public key", err)) != CSR_OK ||
        (rc = der_get_bit_string(&bits, &v, &n, &unused, "public key", err)) != CSR_OK)
        return rc;
    if ((rc = der_finish(&in, "subject public key info", err)) != CSR_OK)
        return rc;
    r->spki = t->tlv;
    r->spki_len = t->tlv_len;
    r->spki_off = t->off;
    if (adopt != NULL && *adopt != NULL && spki_is(*adopt, t)) {
        csr_key_free(r->key);
        r->key = *adopt;
        *adopt = NULL;
        r->key_supported = 1;
        return CSR_OK;
    }
    rc = csr_key_from_spki(&k, t->tlv, t->tlv_len, err);
    if (rc == CSR_OK) {
        csr_key_free(r->key);
        r->key = k;
        r->key_supported = 1;
        return CSR_OK;
    }
    if (rc == CSR_E_UNSUPPORTED || rc == CSR_E_TOO_LARGE) {
        r->key_supported = 0;                  /* kept: verify answers "unsupported" */
        return CSR_OK;
    }
    if (rc == CSR_E_NOMEM)
        return rc;
    if (err->offset == CSR_NO_OFFSET) {
        csr_err_prefix(err, "public key");
        err->offset = t->off;
    }
    return rc;
}

int req_parse_spki(csr_req *r, const der_tlv *t, csr_err *err)
{
    return parse_spki(r, t, NULL, err);
}

/* CertificationRequestInfo ::= SEQUENCE { version INTEGER (v1 = 0), subject Name,
 *   subjectPKInfo SubjectPublicKeyInfo, attributes [0] IMPLICIT SET OF Attribute } */
static int parse_cri(csr_req *r, const der_tlv *cri, csr_key **adopt, csr_err *err)
{
    der_rd in;
    der_tlv t;
    long ver;
    int rc;

    r->cri = cri->tlv;
    r->cri_len = cri->tlv_len;
    der_rd_enter(&in, cri);
    if ((rc = der_expect(&in, DER_INTEGER, &t, "version", err)) != CSR_OK)
        return rc;
    if (der_get_uint(&t, &ver, "version", err) != CSR_OK || ver != 0)
        return csr_err_at(err, CSR_E_BAD_VERSION, t.off, "version must be v1 (0)");
    r->version = 0;
    if ((rc = der_expect(&in, DER_SEQUENCE, &t, "subject", err)) != CSR_OK)
        return rc;
    r->subject_off = t.off;
    if ((rc = req_read_name(&r->subject, &t, "subject", err)) != CSR_OK)
        return rc;
    if ((rc = der_expect(&in, DER_SEQUENCE, &t, "subject public key info", err)) != CSR_OK ||
        (rc = parse_spki(r, &t, adopt, err)) != CSR_OK)
        return rc;
    if ((rc = der_expect(&in, DER_CTXC(0), &t, "attributes", err)) != CSR_OK ||
        (rc = req_decode_attributes(r, &t, err)) != CSR_OK)
        return rc;
    return der_finish(&in, "certification request info", err);
}

int req_read_envelope(req_envelope *e, const uint8_t *der, size_t len, csr_err *err)
{
    der_rd top, in;
    der_tlv seq, sig;
    int unused, rc;

    der_rd_init(&top, der, len, 0);
    if ((rc = der_expect(&top, DER_SEQUENCE, &seq, "certification request", err)) != CSR_OK ||
        (rc = der_finish(&top, "certification request", err)) != CSR_OK)
        return rc;
    der_rd_enter(&in, &seq);
    if ((rc = der_expect(&in, DER_SEQUENCE, &e->cri, "certification request info", err)) !=
        CSR_OK)
        return rc;
    if ((rc = der_expect(&in, DER_SEQUENCE, &e->alg, "signature algorithm", err)) != CSR_OK)
        return rc;
    if ((rc = der_expect(&in, DER_BIT_STRING, &sig, "signature", err)) != CSR_OK ||
        (rc = der_get_bit_string(&sig, &e->sig, &e->sig_len, &unused, "signature", err)) !=
            CSR_OK)
        return rc;
    if (unused != 0)
        return csr_err_at(err, CSR_E_BAD_DER, sig.off, "signature: unused bits");
    if ((rc = der_finish(&in, "certification request", err)) != CSR_OK)
        return rc;
    return csr_sigalg_decode(e->alg.tlv, e->alg.tlv_len, e->alg.off, &e->kt, &e->sp, e->name,
                             err);
}

void req_set_signature(csr_req *r, const req_envelope *e)
{
    memcpy(r->sigalg, e->name, sizeof r->sigalg);
    r->sig_kt = e->kt;
    r->sig_p = e->sp;
    r->algid = e->alg.tlv;
    r->algid_len = e->alg.tlv_len;
    r->algid_off = e->alg.off;
    r->sig = e->sig;
    r->sig_len = e->sig_len;
    r->is_signed = 1;
}

/* CertificationRequest over r->bytes: the envelope, then the CRI */
static int parse_signed(csr_req *r, csr_key **adopt, csr_err *err)
{
    req_envelope e;
    int rc = req_read_envelope(&e, r->bytes, r->len, err);
    if (rc != CSR_OK)
        return rc;
    req_set_signature(r, &e);
    r->cri_off = e.cri.off;
    return parse_cri(r, &e.cri, adopt, err);
}

/* A new request taking ownership of bytes (freed on failure too); see req.h for adopt. */
int req_from_bytes(csr_req **out, uint8_t *bytes, size_t len, int is_signed, csr_key **adopt,
                   csr_err *err)
{
    csr_req *r = (csr_req *)csr_calloc(1, sizeof *r);
    csr_key *given = adopt != NULL ? *adopt : NULL;
    int rc;

    if (r == NULL) {
        csr_wipe(bytes, len);
        csr_free(bytes);
        return csr_err_set(err, CSR_E_NOMEM, "out of memory");
    }
    r->bytes = bytes;
    r->len = len;
    r->bc_pathlen = -1;
    if (is_signed) {
        rc = parse_signed(r, adopt, err);
    } else {
        der_rd top;
        der_tlv cri;
        der_rd_init(&top, bytes, len, 0);
        rc = der_expect(&top, DER_SEQUENCE, &cri, "certification request info", err);
        if (rc == CSR_OK)
            rc = der_finish(&top, "certification request info", err);
        if (rc == CSR_OK)
            rc = parse_cri(r, &cri, adopt, err);
    }
    if (rc != CSR_OK) {
        if (given != NULL && r->key == given) {     /* a failed parse gives it back */
            r->key = NULL;
            *adopt = given;
        }
        csr_req_free(r);
        return rc;
    }
    *out = r;
    return CSR_OK;
}

int csr_req_parse(csr_req **out, const uint8_t *in, size_t len, csr_err *err)
{
    uint8_t *bytes;
    size_t n;

    *out = NULL;
    if (len > CSR_MAX_INPUT)
        return csr_err_set(err, CSR_E_TOO_LARGE, "input too large (%lu bytes)",
                           (unsigned long)len);
    if (len == 0)
        return csr_err_at(err, CSR_E_BAD_DER, 0, "empty input");
    if (csr_pem_detect(in, len)) {
        csr_buf der;
        int which, rc;
        csr_buf_init(&der, 0);
        rc = csr_pem_decode(&der, &which, in, len, req_labels, err);
        if (rc != CSR_OK) {
            csr_buf_free(&der);
            return rc;
        }
        bytes = csr_memdup(der.p, der.len);
        n = der.len;
        csr_buf_free(&der);
    } else {
        bytes = csr_memdup(in, len);
        n = len;
    }
    if (bytes == NULL)
        return csr_err_set(err, CSR_E_NOMEM, "out of memory");
    return req_from_bytes(out, bytes, n, 1, NULL, err);
}

int csr_req_from_cri(csr_req **out, const uint8_t *cri, size_t len, csr_err *err)
{
    uint8_t *bytes;

    *out = NULL;
    if (len > CSR_MAX_INPUT)
        return csr_err_set(err, CSR_E_TOO_LARGE, "request too large (%lu bytes)",
                           (unsigned long)len);
    if ((bytes = csr_memdup(cri, len)) == NULL)
        return csr_err_set(err, CSR_E_NOMEM, "out of memory");
    return req_from_bytes(out, bytes, len, 0, NULL, err);
}

/* PKCS#10 (RFC 2986) request object: strict parse, the CRI for the builder, signature
 * attachment, encodings and the parsed-view accessors. Owns struct csr_req (req.h).
 * SPDX-License-Identifier: MIT */
#include <string.h>
#include <stdio.h>

#include "req.h"

static const char *const req_labels[] = {"CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST", NULL};

/* Clears everything parsed out of r->bytes (keeps the bytes). */
static void clear_parsed(csr_req *r)
{
    req_free_view(r);
    csr_name_free(r->subject);
    r->subject = NULL;
    csr_key_free(r->key);
    r->key = NULL;
}

void csr_req_free(csr_req *r)
{
    if (r == NULL)
        return;
    clear_parsed(r);
    if (r->bytes != NULL) {
        csr_wipe(r->bytes, r->len);
        csr_free(r->bytes);
    }
    csr_wipe(r, sizeof *r);
    csr_free(r);
}

/* SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier, BIT STRING }: framing checked
 * here; the key itself validated by csr_key_from_spki (unsupported keys are kept). */
int req_parse_spki(csr_req *r, const der_tlv *t, csr_err *err)
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
    if (r->key != NULL) {              /* handed over with these very SPKI bytes (re-signing) */
        const uint8_t *ks = csr_key_spki(r->key, &n);
        if (n == t->tlv_len && memcmp(ks, t->tlv, n) == 0) {
            r->key_supported = 1;
            return CSR_OK;
        }
        csr_key_free(r->key);
        r->key = NULL;
    }
    rc = csr_key_from_spki(&k, t->tlv, t->tlv_len, err);
    if (rc == CSR_OK) {
        csr_key_free(r->key);
        r->key = k;                            /* verify uses it: no second import */
        r->key_supported = 1;
        return CSR_OK;
    }
    if (rc == CSR_E_UNSUPPORTED || rc == CSR_E_TOO_LARGE) {
        r->key_supported = 0;                  /* kept: verify answers "unsupported" */
        return CSR_OK;
    }
    if (rc == CSR_E_NOMEM)
        return rc;
    if (strstr(err->msg, " at byte ") == NULL) {
        char m[sizeof err->msg];
        snprintf(m, sizeof m, "%s", err->msg);
        return csr_err_set(err, rc, "public key: %.180s at byte %lu", m,
                           (unsigned long)t->off);
    }
    return rc;
}

/* CertificationRequestInfo ::= SEQUENCE { version INTEGER (v1 = 0), subject Name,
 *   subjectPKInfo SubjectPublicKeyInfo, attributes [0] IMPLICIT SET OF Attribute } */
static int parse_cri(csr_req *r, const der_tlv *cri, csr_err *err)
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
        return csr_err_set(err, CSR_E_BAD_VERSION, "version must be v1 (0) at byte %lu",
                           (unsigned long)t.off);
    r->version = 0;
    if ((rc = der_expect(&in, DER_SEQUENCE, &t, "subject", err)) != CSR_OK)
        return rc;
    r->subject_off = t.off;
    memset(err, 0, sizeof *err);
    rc = csr_name_from_der(&r->subject, t.tlv, t.tlv_len, t.off, err);
    if (rc != CSR_OK) {
        r->subject = NULL;
        if (err->msg[0] == '\0')
            csr_err_set(err, rc, "subject: cannot decode at byte %lu", (unsigned long)t.off);
        return rc;
    }
    if ((rc = der_expect(&in, DER_SEQUENCE, &t, "subject public key info", err)) != CSR_OK ||
        (rc = req_parse_spki(r, &t, err)) != CSR_OK)
        return rc;
    if ((rc = der_expect(&in, DER_CTXC(0), &t, "attributes", err)) != CSR_OK ||
        (rc = req_decode_attributes(r, &t, err)) != CSR_OK)
        return rc;
    return der_finish(&in, "certification request info", err);
}

/* CertificationRequest ::= SEQUENCE { CRI, AlgorithmIdentifier, BIT STRING } over r->bytes */
static int parse_signed(csr_req *r, csr_err *err)
{
    der_rd top, in;
    der_tlv seq, cri, alg, sig;
    const uint8_t *v;
    size_t n;
    int unused, rc, kt;
    csr_sig sp;

    der_rd_init(&top, r->bytes, r->len, 0);
    if ((rc = der_expect(&top, DER_SEQUENCE, &seq, "certification request", err)) != CSR_OK ||
        (rc = der_finish(&top, "certification request", err)) != CSR_OK)
        return rc;
    der_rd_enter(&in, &seq);
    if ((rc = der_expect(&in, DER_SEQUENCE, &cri, "certification request info", err)) !=
        CSR_OK)
        return rc;
    if ((rc = der_expect(&in, DER_SEQUENCE, &alg, "signature algorithm", err)) != CSR_OK)
        return rc;
    if ((rc = der_expect(&in, DER_BIT_STRING, &sig, "signature", err)) != CSR_OK ||
        (rc = der_get_bit_string(&sig, &v, &n, &unused, "signature", err)) != CSR_OK)
        return rc;
    if (unused != 0)
        return csr_err_set(err, CSR_E_BAD_DER, "signature: unused bits at byte %lu",
                           (unsigned long)sig.off);
    if ((rc = der_finish(&in, "certification request", err)) != CSR_OK)
        return rc;
    if ((rc = csr_sigalg_decode(alg.tlv, alg.tlv_len, alg.off, &kt, &sp, r->sigalg, err)) !=
        CSR_OK)
        return rc;
    r->algid = alg.tlv;
    r->algid_len = alg.tlv_len;
    r->algid_off = alg.off;
    r->sig = v;
    r->sig_len = n;
    r->is_signed = 1;
    return parse_cri(r, &cri, err);
}

/* A new request taking ownership of bytes (freed on failure too) and of key, the public key
 * already decoded from the same SPKI bytes, or NULL. */
static int req_from_bytes(csr_req **out, uint8_t *bytes, size_t len, int is_signed,
                          csr_key *key, csr_err *err)
{
    csr_req *r = (csr_req *)csr_calloc(1, sizeof *r);
    int rc;

    if (r == NULL) {
        csr_wipe(bytes, len);
        csr_free(bytes);
        csr_key_free(key);
        return csr_err_set(err, CSR_E_NOMEM, "out of memory");
    }
    r->key = key;
    r->bytes = bytes;
    r->len = len;
    r->bc_pathlen = -1;
    if (is_signed) {
        rc = parse_signed(r, err);
    } else {
        der_rd top;
        der_tlv cri;
        der_rd_init(&top, bytes, len, 0);
        rc = der_expect(&top, DER_SEQUENCE, &cri, "certification request info", err);
        if (rc == CSR_OK)
            rc = der_finish(&top, "certification request info", err);
        if (rc == CSR_OK)
            rc = parse_cri(r, &cri, err);
    }
    if (rc != CSR_OK) {
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
        return csr_err_set(err, CSR_E_BAD_DER, "empty input at byte 0");
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

int csr_req_attach_signature(csr_req *r, const uint8_t *algid, size_t alen, const uint8_t *sig,
                             size_t slen, csr_err *err)
{
    csr_buf b;
    size_t m;
    csr_req *nr = NULL;
    csr_key *key;
    uint8_t *bytes;
    int rc;

    csr_buf_init(&b, 0);
    m = der_open(&b, DER_SEQUENCE);
    der_put_raw(&b, r->cri, r->cri_len);
    der_put_raw(&b, algid, alen);
    der_put_bit_string(&b, sig, slen);
    der_close(&b, m);
    if (b.err) {
        rc = b.err;
        csr_buf_free(&b);
        return csr_err_set(err, rc, rc == CSR_E_NOMEM ? "out of memory" : "request too large");
    }
    bytes = csr_memdup(b.p, b.len);
    m = b.len;
    csr_buf_free(&b);
    if (bytes == NULL)
        return csr_err_set(err, CSR_E_NOMEM, "out of memory");
    key = r->key;                      /* the CRI is unchanged: its key needs no second import */
    r->key = NULL;
    if ((rc = req_from_bytes(&nr, bytes, m, 1, key, err)) != CSR_OK)
        return rc;                     /* r keeps working: verify imports its key again */
    /* swap the new contents into r, free the old ones */
    {
        csr_req tmp = *r;
        *r = *nr;
        *nr = tmp;
    }
    csr_req_free(nr);
    return CSR_OK;
}

const uint8_t *csr_req_cri(const csr_req *r, size_t *len)
{
    *len = r->cri_len;
    return r->cri;
}

int csr_req_is_signed(const csr_req *r)
{
    return r->is_signed;
}

const uint8_t *csr_req_der(const csr_req *r, size_t *len)
{
    if (!r->is_signed) {
        *len = 0;
        return NULL;
    }
    *len = r->len;
    return r->bytes;
}

int csr_req_pem(csr_buf *out, const csr_req *r, csr_err *err)
{
    int rc;
    if (!r->is_signed)
        return csr_err_set(err, CSR_E_NOT_SIGNED, "the request is not signed");
    rc = csr_pem_encode(out, "CERTIFICATE REQUEST", r->bytes, r->len);
    if (rc != CSR_OK)
        return csr_err_set(err, rc, "out of memory");
    return CSR_OK;
}

/* ---- view accessors ---- */
int csr_req_version(const csr_req *r)
{
    return r->version;
}

const csr_name *csr_req_subject(const csr_req *r)
{
    return r->subject;
}

int csr_req_public_key(csr_key **out, const csr_req *r, csr_err *err)
{
    int rc;
    *out = NULL;
    memset(err, 0, sizeof *err);
    rc = csr_key_from_spki(out, r->spki, r->spki_len, err);
    if (rc != CSR_OK) {
        *out = NULL;
        if (err->msg[0] == '\0')
            csr_err_set(err, rc, "unsupported public key %s", r->key_alg);
    }
    return rc;
}

const uint8_t *csr_req_spki(const csr_req *r, size_t *len)
{
    *len = r->spki_len;
    return r->spki;
}

const char *csr_req_sigalg_name(const csr_req *r)
{
    return r->is_signed ? r->sigalg : NULL;
}

int csr_req_matches(const csr_req *r, const csr_key *k)
{
    csr_key *rk = NULL;
    csr_err e;
    size_t n = 0;
    const uint8_t *kspki;
    int same = 0;

    memset(&e, 0, sizeof e);
    if (csr_key_from_spki(&rk, r->spki, r->spki_len, &e) == CSR_OK && rk != NULL) {
        same = csr_key_same_public(rk, k) == 1;
        csr_key_free(rk);
        return same;
    }
    kspki = csr_key_spki(k, &n);
    return kspki != NULL && n == r->spki_len && memcmp(kspki, r->spki, n) == 0;
}

size_t csr_req_san_count(const csr_req *r)
{
    return r->nsan;
}

int csr_req_san_get(const csr_req *r, size_t i, int *type, const uint8_t **val, size_t *len,
                    const char **oid)
{
    const req_san *s;
    if (i >= r->nsan)
        return CSR_E_INVALID;
    s = &r->san[i];
    *type = s->type;
    *val = s->val;
    *len = s->len;
    *oid = (s->type == CSR_SAN_OTHER || s->type == CSR_SAN_RID) ? s->oid : NULL;
    return CSR_OK;
}

int csr_req_key_usage(const csr_req *r, unsigned *bits)
{
    *bits = r->ku_set ? r->ku : 0;
    return r->ku_set;
}

size_t csr_req_eku_count(const csr_req *r)
{
    return r->neku;
}

int csr_req_has_eku(const csr_req *r)
{
    return r->eku_set;
}

const char *csr_req_eku_get(const csr_req *r, size_t i)
{
    if (i >= r->neku)
        return NULL;
    return r->eku[i].name != NULL ? r->eku[i].name : r->eku[i].oid;
}

int csr_req_basic_constraints(const csr_req *r, int *ca, int *pathlen)
{
    *ca = r->bc_set ? r->bc_ca : 0;
    *pathlen = r->bc_set ? r->bc_pathlen : -1;
    return r->bc_set;
}

int csr_req_must_staple(const csr_req *r)
{
    return r->must_staple;
}

const uint8_t *csr_req_challenge(const csr_req *r, size_t *len)
{
    *len = r->challenge_len;
    return r->challenge;
}

const uint8_t *csr_req_unstructured(const csr_req *r, size_t *len)
{
    *len = r->unstructured_len;
    return r->unstructured;
}

size_t csr_req_attr_count(const csr_req *r)
{
    return r->nattrs;
}

const csr_attr_view *csr_req_attr_get(const csr_req *r, size_t i)
{
    return i < r->nattrs ? &r->attrs[i].v : NULL;
}

size_t csr_req_ext_count(const csr_req *r)
{
    return r->nexts;
}

const csr_ext_view *csr_req_ext_get(const csr_req *r, size_t i)
{
    return i < r->nexts ? &r->exts[i].v : NULL;
}

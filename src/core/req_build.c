/* Building and signing PKCS#10 requests (RFC 2986): the CertificationRequestInfo is written
 * here with der_*, the signature attached; the request object itself is in req.c.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "der.h"
#include "ext_enc.h"
#include "oid.h"
#include "req.h"

#define ATTR_MAX_CHARS   255            /* PKCS#9 ub-challenge-password / ub-unstructured */

/* Attribute ::= SEQUENCE { type OID, values SET OF value } with one DirectoryString value:
 * PrintableString when every character allows it (what openssl writes), else UTF8String. */
static int put_string_attr(csr_buf *b, const char *oid, const char *what, const uint8_t *s,
                           size_t n, csr_err *err)
{
    size_t m, m2;
    if (n == 0)
        return csr_err_set(err, CSR_E_INVALID, "%s must not be empty", what);
    if (!csr_utf8_valid(s, n))
        return csr_err_set(err, CSR_E_BAD_UTF8, "%s is not valid UTF-8", what);
    if (csr_utf8_len(s, n) > ATTR_MAX_CHARS)
        return csr_err_set(err, CSR_E_INVALID, "%s is longer than %d characters", what,
                           ATTR_MAX_CHARS);
    if (memchr(s, 0, n) != NULL)
        return csr_err_set(err, CSR_E_INVALID, "%s contains a NUL character", what);
    m = der_open(b, DER_SEQUENCE);
    (void)der_put_oid_text(b, oid);
    m2 = der_open(b, DER_SET);
    der_put_tlv(b, der_is_printable(s, n) ? DER_PRINTABLE : DER_UTF8STRING, s, n);
    der_close(b, m2);
    der_close(b, m);
    return CSR_OK;
}

static int buf_status(const csr_buf *b, csr_err *err)
{
    if (b->err == 0)
        return CSR_OK;
    return csr_err_set(err, b->err, b->err == CSR_E_NOMEM ? "out of memory"
                                                          : "request too large");
}

/* The attributes [0] IMPLICIT SET OF Attribute: challengePassword, unstructuredName and the
 * extensionRequest holding exts (when next > 0), in DER SET order. */
static int put_attributes(csr_buf *cri, const csr_req_spec *spec, const csr_buf *exts,
                          size_t next, csr_err *err)
{
    size_t attrs = der_open(cri, DER_CTXC(0)), a, s;
    int rc;

    if (spec->challenge != NULL &&
        (rc = put_string_attr(cri, OID_CHALLENGE, "challenge_password", spec->challenge,
                              spec->challenge_len, err)) != CSR_OK)
        return rc;
    if (spec->unstructured != NULL &&
        (rc = put_string_attr(cri, OID_UNSTRUCTURED, "unstructured_name", spec->unstructured,
                              spec->unstructured_len, err)) != CSR_OK)
        return rc;
    if (next > 0) {
        a = der_open(cri, DER_SEQUENCE);
        (void)der_put_oid_text(cri, OID_EXT_REQUEST);
        s = der_open(cri, DER_SET);
        der_put_raw(cri, exts->p, exts->len);
        der_close(cri, s);
        der_close(cri, a);
    }
    der_close_set(cri, attrs);                      /* DER order; empty: A0 00 */
    return CSR_OK;
}

/* CertificationRequestInfo ::= SEQUENCE { version, subject, SPKI, attributes } into cri */
static int put_cri(csr_buf *cri, const csr_req_spec *spec, const uint8_t *spki, size_t spki_len,
                   const csr_buf *exts, size_t next, csr_err *err)
{
    size_t m = der_open(cri, DER_SEQUENCE);
    int rc;

    der_put_uint(cri, 0);                           /* version v1(0), always */
    if (spec->subject == NULL) {
        der_put_tlv(cri, DER_SEQUENCE, NULL, 0);    /* empty Name */
    } else if ((rc = csr_name_to_der(cri, spec->subject)) != CSR_OK) {
        if (rc != CSR_E_NOMEM && cri->err != CSR_E_NOMEM)
            return csr_err_set(err, rc, "the subject cannot be encoded");
        return csr_err_set(err, CSR_E_NOMEM, "out of memory");
    }
    der_put_raw(cri, spki, spki_len);
    if ((rc = put_attributes(cri, spec, exts, next, err)) != CSR_OK)
        return rc;
    der_close(cri, m);
    return buf_status(cri, err);
}

int csr_req_build(csr_req **out, const csr_req_spec *spec, csr_err *err)
{
    csr_buf cri, exts;
    const uint8_t *spki;
    size_t spki_len = 0, next = 0;
    int rc, subject_empty;

    *out = NULL;
    if (spec == NULL || spec->key == NULL)
        return csr_err_set(err, CSR_E_INVALID, "a key is required");
    spki = csr_key_spki(spec->key, &spki_len);
    if (spki == NULL || spki_len == 0)
        return csr_err_set(err, CSR_E_INVALID, "the key has no public key info");
    subject_empty = spec->subject == NULL || csr_name_rdn_count(spec->subject) == 0;

    csr_buf_init(&exts, 0);
    csr_buf_init(&cri, 0);
    rc = csr_ext_encode(&exts, spec, subject_empty, &next, err);
    if (rc == CSR_OK)
        rc = put_cri(&cri, spec, spki, spki_len, &exts, next, err);
    /* parsed back like any request's CRI: the view, and the public key parsed once (signing
     * hands it on to the signed request) */
    if (rc == CSR_OK)
        rc = csr_req_from_cri(out, cri.p, cri.len, err);
    if (rc != CSR_OK)
        *out = NULL;
    csr_buf_free(&cri);
    csr_buf_free(&exts);
    return rc;
}

/* 1 if k holds the public key of the request. */
static int same_key(const csr_req *r, const csr_key *k)
{
    const uint8_t *a, *b;
    size_t alen = 0, blen = 0;
    csr_key *pub = NULL;
    csr_err e;
    int same;

    a = csr_req_spki(r, &alen);
    b = csr_key_spki(k, &blen);
    if (a == NULL || b == NULL)
        return 0;
    if (alen == blen && memcmp(a, b, alen) == 0)
        return 1;
    /* the same key can be spelt differently (e.g. an id-RSASSA-PSS SPKI): compare keys */
    if (csr_key_from_spki(&pub, a, alen, &e) != CSR_OK || pub == NULL)
        return 0;
    same = csr_key_same_public(pub, k) == 1;
    csr_key_free(pub);
    return same;
}

int csr_req_sign(csr_req *r, const csr_key *k, const csr_sig *p, csr_err *err)
{
    csr_sig sp;
    csr_buf alg, sig;
    const uint8_t *cri;
    size_t cri_len = 0;
    int rc;

    if (r == NULL || k == NULL)
        return csr_err_set(err, CSR_E_INVALID, "a request and a key are required");
    if (p != NULL) {
        sp = *p;
    } else {
        memset(&sp, 0, sizeof sp);
        sp.salt_len = -1;
    }
    sp.raw = 0;                                     /* X.509 signatures are DER */
    if (csr_key_is_private(k) != 1)
        return csr_err_set(err, CSR_E_INVALID, "the signing key is a public key");
    if ((rc = csr_sig_resolve(&sp, k, err)) != CSR_OK)
        return rc;
    if (!same_key(r, k))
        return csr_err_set(err, CSR_E_KEY_MISMATCH,
                           "the key does not match the request's public key");
    cri = csr_req_cri(r, &cri_len);
    if (cri == NULL || cri_len == 0)
        return csr_err_set(err, CSR_E_INVALID, "the request has no CertificationRequestInfo");

    csr_buf_init(&alg, 0);
    csr_buf_init(&sig, 0);
    rc = csr_sigalg_encode(&alg, csr_key_type(k), &sp, err);
    if (rc == CSR_OK && (rc = buf_status(&alg, err)) == CSR_OK &&
        (rc = csr_key_sign(&sig, k, &sp, cri, cri_len, err)) == CSR_OK &&
        (rc = buf_status(&sig, err)) == CSR_OK)
        rc = csr_req_attach_signature(r, alg.p, alg.len, sig.p, sig.len, err);
    csr_buf_free(&alg);
    csr_buf_free(&sig);
    return rc;
}

/* Offsets in r's view counted from a DER whose CRI started at `from` now count from one
 * whose CRI starts at `to`. */
static void shift_offsets(csr_req *r, size_t from, size_t to)
{
    size_t i;
#define REQ_SHIFT(x) ((x) = (x) - from + to)
    REQ_SHIFT(r->subject_off);
    REQ_SHIFT(r->spki_off);
    for (i = 0; i < r->nsan; i++)
        REQ_SHIFT(r->san[i].off);
    for (i = 0; i < r->nexts; i++)
        REQ_SHIFT(r->exts[i].off);
    for (i = 0; i < r->nattrs; i++)
        REQ_SHIFT(r->attrs[i].off);
#undef REQ_SHIFT
}

int csr_req_attach_signature(csr_req *r, const uint8_t *algid, size_t alen, const uint8_t *sig,
                             size_t slen, csr_err *err)
{
    csr_buf b;
    size_t m;
    req_envelope e;
    int rc;

    csr_buf_init(&b, 0);
    /* one allocation: the parts plus the three headers (SEQUENCE, BIT STRING: at most 6
     * octets each for lengths under 2^32, and the unused-bits octet) */
    (void)csr_buf_reserve(&b, r->cri_len + alen + slen + 16);
    m = der_open(&b, DER_SEQUENCE);
    der_put_raw(&b, r->cri, r->cri_len);
    der_put_raw(&b, algid, alen);
    der_put_bit_string(&b, sig, slen);
    der_close(&b, m);
    if ((rc = buf_status(&b, err)) != CSR_OK) {
        csr_buf_free(&b);
        return rc;
    }
    /* Only the envelope is read: its CRI is r's, copied verbatim, so the view (subject, key,
     * attributes, extensions) stays on the bytes it was parsed from, kept as view_bytes. */
    if ((rc = req_read_envelope(&e, b.p, b.len, err)) != CSR_OK) {
        csr_buf_free(&b);
        return rc;
    }
    if (r->view_bytes == NULL) {
        r->view_bytes = r->bytes;
        r->view_len = r->len;
    } else {
        csr_free_wiped(r->bytes, r->len);   /* an earlier signature's DER: nothing in it */
    }
    r->bytes = b.p;
    r->len = b.len;
    shift_offsets(r, r->cri_off, e.cri.off);
    r->cri_off = e.cri.off;
    req_set_signature(r, &e);
    return CSR_OK;
}

/* see csr.h */
int csr_req_generate(csr_buf *pem, const csr_req_spec *spec, const csr_sig *p, csr_err *err)
{
    csr_req *r = NULL;
    int rc = csr_req_build(&r, spec, err);
    if (rc == CSR_OK)
        rc = csr_req_sign(r, spec->key, p, err);
    if (rc == CSR_OK)
        rc = csr_req_pem(pem, r, err);
    csr_req_free(r);
    return rc;
}

/* X.509 certificates (RFC 5280): strict parse into struct csr_cert (cert.h), PEM bundles,
 * encodings and the accessors. Subject, key and extensions are decoded by the request code
 * into the certificate's view.
 * SPDX-License-Identifier: MIT */
#include <string.h>
#include <stdio.h>

#include "cert.h"
#include "oid.h"

#define CERT_KEY_ID_MAX 127             /* longest key identifier we accept (octets) */

static const char *const cert_labels[] = {"CERTIFICATE", NULL};

void csr_cert_free(csr_cert *c)
{
    if (c == NULL)
        return;
    csr_req_free(c->view);
    csr_name_free(c->issuer);
    csr_free_wiped(c->der, c->len);
    csr_free_wiped(c, sizeof *c);
}

static int bad(csr_err *err, const char *what, const char *why, size_t off)
{
    return csr_err_at(err, CSR_E_BAD_DER, off, "%s: %s", what, why);
}

/* version [0] EXPLICIT INTEGER DEFAULT v1: absent = v1; v3 (2) written; v1 written
 * explicitly is not DER; v2 is refused (no v2 features are read). */
static int get_version(csr_cert *c, der_rd *in, csr_err *err)
{
    der_tlv t, v;
    der_rd sub;
    long ver = -1;
    int rc;

    c->version = 1;
    if (der_peek(in) != DER_CTXC(0))
        return CSR_OK;
    if ((rc = der_next(in, &t, err)) != CSR_OK)
        return rc;
    der_rd_enter(&sub, &t);
    if ((rc = der_expect(&sub, DER_INTEGER, &v, "version", err)) != CSR_OK ||
        (rc = der_finish(&sub, "version", err)) != CSR_OK)
        return rc;
    if (der_get_uint(&v, &ver, "version", err) != CSR_OK || ver != 2) {
        if (ver == 0)
            return bad(err, "version", "v1 written explicitly (DER omits the default)", v.off);
        return csr_err_set(err, CSR_E_BAD_VERSION, "version must be v3 (2) or absent (v1) at "
                           "byte %lu", (unsigned long)v.off);
    }
    c->version = 3;
    return CSR_OK;
}

/* Validity ::= SEQUENCE { notBefore Time, notAfter Time } */
static int get_validity(csr_cert *c, const der_tlv *seq, csr_err *err)
{
    der_rd in;
    der_tlv t;
    int rc;
    der_rd_enter(&in, seq);
    if ((rc = der_next(&in, &t, err)) != CSR_OK ||
        (rc = der_get_time(&t, &c->not_before, "notBefore", err)) != CSR_OK ||
        (rc = der_next(&in, &t, err)) != CSR_OK ||
        (rc = der_get_time(&t, &c->not_after, "notAfter", err)) != CSR_OK)
        return rc;
    return der_finish(&in, "validity", err);
}

/* AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] OCTET STRING OPTIONAL,
 *   authorityCertIssuer [1] GeneralNames OPTIONAL, authorityCertSerialNumber [2] INTEGER
 *   OPTIONAL } (IMPLICIT tags; [1] and [2] together or not at all) */
static int get_aki(csr_cert *c, const csr_ext_view *x, size_t voff, csr_err *err)
{
    der_rd rd, in;
    der_tlv seq, t;
    int rc, seen = 0;

    der_rd_init(&rd, x->value, x->len, voff);
    if ((rc = der_expect(&rd, DER_SEQUENCE, &seq, "authorityKeyIdentifier", err)) != CSR_OK ||
        (rc = der_finish(&rd, "authorityKeyIdentifier", err)) != CSR_OK)
        return rc;
    der_rd_enter(&in, &seq);
    while (der_rd_more(&in)) {
        if ((rc = der_next(&in, &t, err)) != CSR_OK)
            return rc;
        if (t.tag == DER_CTX(0) && seen == 0) {
            if (t.len > CERT_KEY_ID_MAX)
                return bad(err, "authorityKeyIdentifier", "key identifier too long", t.off);
            c->aki = t.v;
            c->aki_len = t.len;
            seen = 1;
        } else if (t.tag == DER_CTXC(1) && seen < 2) {
            if ((rc = der_check_tree(t.v, t.len, t.voff, "authorityCertIssuer", err)) != CSR_OK)
                return rc;
            seen = 2;
        } else if (t.tag == DER_CTX(2) && seen == 2) {
            der_tlv i = t;
            const uint8_t *be;
            size_t n;
            i.tag = DER_INTEGER;
            if ((rc = der_get_uint_bytes(&i, &be, &n, "authorityCertSerialNumber", err)) !=
                CSR_OK)
                return rc;
            seen = 3;
        } else {
            return bad(err, "authorityKeyIdentifier", "unexpected field", t.off);
        }
    }
    if (seen == 2)
        return bad(err, "authorityKeyIdentifier", "authorityCertIssuer without serial",
                   seq.off);
    return CSR_OK;
}

/* subjectKeyIdentifier and authorityKeyIdentifier out of the decoded extensions. */
static int get_key_ids(csr_cert *c, csr_err *err)
{
    size_t i, n = csr_req_ext_count(c->view);
    int rc;
    for (i = 0; i < n; i++) {
        const csr_ext_view *x = csr_req_ext_get(c->view, i);
        size_t voff = (size_t)(x->value - c->der);
        if (strcmp(x->oid, OID_SKI) == 0 && x->len >= 2) {
            c->ski = x->value + 2;          /* checked by the decoder: one short OCTET STRING */
            c->ski_len = x->len - 2;
            if (x->value[1] & 0x80)         /* over CERT_KEY_ID_MAX */
                return bad(err, "subjectKeyIdentifier", "key identifier too long", voff);
        } else if (strcmp(x->oid, OID_AKI) == 0) {
            if ((rc = get_aki(c, x, voff, err)) != CSR_OK)
                return rc;
        }
    }
    return CSR_OK;
}

/* After the key: issuerUniqueID [1], subjectUniqueID [2] (v2+ only, kept unread) and
 * extensions [3] EXPLICIT Extensions (v3 only). */
static int get_tail(csr_cert *c, der_rd *in, csr_err *err)
{
    der_tlv t, seq;
    der_rd sub;
    const uint8_t *v;
    size_t n;
    int rc, unused;
    unsigned last = 0;

    while (der_rd_more(in)) {
        if ((rc = der_next(in, &t, err)) != CSR_OK)
            return rc;
        if (c->version != 3 || t.tag <= last ||
            (t.tag != DER_CTX(1) && t.tag != DER_CTX(2) && t.tag != DER_CTXC(3)))
            return bad(err, "certificate", c->version != 3 ? "field not allowed in a v1 "
                       "certificate" : "unexpected field", t.off);
        last = t.tag;
        if (t.tag != DER_CTXC(3)) {
            der_tlv b = t;
            b.tag = DER_BIT_STRING;
            if ((rc = der_get_bit_string(&b, &v, &n, &unused, "unique identifier", err)) !=
                CSR_OK)
                return rc;
            continue;
        }
        der_rd_enter(&sub, &t);
        if ((rc = der_expect(&sub, DER_SEQUENCE, &seq, "extensions", err)) != CSR_OK ||
            (rc = der_finish(&sub, "extensions", err)) != CSR_OK ||
            (rc = req_decode_extensions(c->view, &seq, err)) != CSR_OK)
            return rc;
    }
    return get_key_ids(c, err);
}

/* TBSCertificate ::= SEQUENCE { version, serialNumber, signature, issuer, validity,
 *   subject, subjectPublicKeyInfo, issuerUniqueID, subjectUniqueID, extensions } */
static int parse_tbs(csr_cert *c, const der_tlv *tbs, const der_tlv *outer, csr_err *err)
{
    der_rd in;
    der_tlv t;
    int rc;

    der_rd_enter(&in, tbs);
    if ((rc = get_version(c, &in, err)) != CSR_OK)
        return rc;
    if ((rc = der_expect(&in, DER_INTEGER, &t, "serial number", err)) != CSR_OK ||
        (rc = der_get_uint_bytes(&t, &c->serial, &c->serial_len, "serial number", err)) !=
        CSR_OK)
        return rc;
    if (c->serial_len > CSR_SERIAL_MAX_PARSE)
        return bad(err, "serial number", "longer than 64 octets", t.off);
    if ((rc = der_expect(&in, DER_SEQUENCE, &t, "signature", err)) != CSR_OK)
        return rc;
    if (t.tlv_len != outer->tlv_len || memcmp(t.tlv, outer->tlv, t.tlv_len) != 0)
        return bad(err, "signature", "differs from the outer signatureAlgorithm", t.off);
    if ((rc = der_expect(&in, DER_SEQUENCE, &t, "issuer", err)) != CSR_OK ||
        (rc = req_read_name(&c->issuer, &t, "issuer", err)) != CSR_OK)
        return rc;
    c->issuer_der = t.tlv;
    c->issuer_len = t.tlv_len;
    if ((rc = der_expect(&in, DER_SEQUENCE, &t, "validity", err)) != CSR_OK ||
        (rc = get_validity(c, &t, err)) != CSR_OK)
        return rc;
    if ((rc = der_expect(&in, DER_SEQUENCE, &t, "subject", err)) != CSR_OK ||
        (rc = req_read_name(&c->view->subject, &t, "subject", err)) != CSR_OK)
        return rc;
    c->subject_der = t.tlv;
    c->subject_len = t.tlv_len;
    c->view->subject_off = t.off;
    if ((rc = der_expect(&in, DER_SEQUENCE, &t, "subject public key info", err)) != CSR_OK ||
        (rc = req_parse_spki(c->view, &t, err)) != CSR_OK)
        return rc;
    return get_tail(c, &in, err);
}

/* Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue } */
static int parse_cert(csr_cert *c, csr_err *err)
{
    der_rd top, in;
    der_tlv seq, tbs, alg, sig;
    int unused, rc, kt;
    csr_sig sp;

    der_rd_init(&top, c->der, c->len, 0);
    if ((rc = der_expect(&top, DER_SEQUENCE, &seq, "certificate", err)) != CSR_OK ||
        (rc = der_finish(&top, "certificate", err)) != CSR_OK)
        return rc;
    der_rd_enter(&in, &seq);
    if ((rc = der_expect(&in, DER_SEQUENCE, &tbs, "tbsCertificate", err)) != CSR_OK ||
        (rc = der_expect(&in, DER_SEQUENCE, &alg, "signature algorithm", err)) != CSR_OK ||
        (rc = der_expect(&in, DER_BIT_STRING, &sig, "signature", err)) != CSR_OK ||
        (rc = der_get_bit_string(&sig, &c->sig, &c->sig_len, &unused, "signature", err)) !=
        CSR_OK)
        return rc;
    if (unused != 0)
        return bad(err, "signature", "unused bits", sig.off);
    if ((rc = der_finish(&in, "certificate", err)) != CSR_OK ||
        (rc = csr_sigalg_decode(alg.tlv, alg.tlv_len, alg.off, &kt, &sp, c->sigalg, err)) !=
        CSR_OK)
        return rc;
    c->tbs = tbs.tlv;
    c->tbs_len = tbs.tlv_len;
    c->algid = alg.tlv;
    c->algid_len = alg.tlv_len;
    c->algid_off = alg.off;
    return parse_tbs(c, &tbs, &alg, err);
}

int cert_from_der(csr_cert **out, uint8_t *der, size_t len, csr_err *err)
{
    csr_cert *c = (csr_cert *)csr_calloc(1, sizeof *c);
    int rc;

    *out = NULL;
    if (c == NULL || (c->view = (csr_req *)csr_calloc(1, sizeof *c->view)) == NULL) {
        csr_free(c);
        csr_free_wiped(der, len);
        return csr_err_set(err, CSR_E_NOMEM, "out of memory");
    }
    c->der = der;
    c->len = len;
    c->view->bc_pathlen = -1;
    if (len == 0)
        rc = csr_err_at(err, CSR_E_BAD_DER, 0, "empty input");
    else
        rc = parse_cert(c, err);
    if (rc != CSR_OK) {
        csr_cert_free(c);
        return rc;
    }
    *out = c;
    return CSR_OK;
}

/* DER from a csr_buf into a new certificate (the buffer freed). */
static int from_buf(csr_cert **out, csr_buf *der, csr_err *err)
{
    uint8_t *bytes = csr_memdup(der->p, der->len);
    size_t n = der->len;
    csr_buf_free(der);
    if (bytes == NULL)
        return csr_err_set(err, CSR_E_NOMEM, "out of memory");
    return cert_from_der(out, bytes, n, err);
}

/* 1 if p holds a "-----BEGIN CERTIFICATE-----" line opener. */
static int has_begin(const uint8_t *p, size_t n)
{
    static const char begin[] = "-----BEGIN CERTIFICATE-----";
    const size_t bl = sizeof begin - 1;
    const uint8_t *end = p + n;
    while ((size_t)(end - p) >= bl) {
        const uint8_t *d = (const uint8_t *)memchr(p, '-', (size_t)(end - p) - bl + 1);
        if (d == NULL)
            return 0;
        if (memcmp(d, begin, bl) == 0)
            return 1;
        p = d + 1;
    }
    return 0;
}

int csr_cert_parse_next(csr_cert **out, const uint8_t *in, size_t len, size_t *pos,
                        csr_err *err)
{
    csr_buf der;
    size_t next = 0;
    int which, rc;

    *out = NULL;
    if (len > CSR_MAX_INPUT)
        return csr_err_set(err, CSR_E_TOO_LARGE, "input too large (%lu bytes)",
                           (unsigned long)len);
    if (*pos >= len || (*pos > 0 && !csr_pem_detect(in + *pos, len - *pos)))
        return CSR_OK;                  /* nothing (more) */
    if (!csr_pem_detect(in, len)) {
        uint8_t *bytes = csr_memdup(in, len);
        *pos = len;
        if (bytes == NULL)
            return csr_err_set(err, CSR_E_NOMEM, "out of memory");
        return cert_from_der(out, bytes, len, err);
    }
    if (*pos > 0 && !has_begin(in + *pos, len - *pos))
        return CSR_OK;                  /* only other blocks or text after the last one */
    csr_buf_init(&der, 0);
    rc = csr_pem_decode_next(&der, &which, in + *pos, len - *pos, cert_labels, &next, err);
    if (rc != CSR_OK) {
        csr_buf_free(&der);
        return rc;
    }
    *pos += next;
    return from_buf(out, &der, err);
}

int csr_cert_parse(csr_cert **out, const uint8_t *in, size_t len, csr_err *err)
{
    size_t pos = 0;
    int rc;
    *out = NULL;
    if (len == 0)
        return csr_err_at(err, CSR_E_BAD_DER, 0, "empty input");
    rc = csr_cert_parse_next(out, in, len, &pos, err);
    if (rc == CSR_OK && *out == NULL)
        return csr_err_set(err, CSR_E_BAD_PEM, "no certificate in the input");
    return rc;
}

/* ---- encodings and accessors ---- */
const uint8_t *csr_cert_der(const csr_cert *c, size_t *len)
{
    *len = c->len;
    return c->der;
}

int csr_cert_pem(csr_buf *out, const csr_cert *c, csr_err *err)
{
    if (csr_pem_encode(out, "CERTIFICATE", c->der, c->len) != CSR_OK)
        return csr_err_set(err, CSR_E_NOMEM, "out of memory");
    return CSR_OK;
}

int csr_cert_version(const csr_cert *c) { return c->version; }
int64_t csr_cert_not_before(const csr_cert *c) { return c->not_before; }
int64_t csr_cert_not_after(const csr_cert *c) { return c->not_after; }
const csr_name *csr_cert_issuer(const csr_cert *c) { return c->issuer; }
const csr_req *csr_cert_view(const csr_cert *c) { return c->view; }
const char *csr_cert_sigalg_name(const csr_cert *c) { return c->sigalg; }

void csr_cert_serial_hex(const csr_cert *c, char hex[2 * CSR_SERIAL_MAX_PARSE + 1])
{
    const uint8_t *p = c->serial;
    size_t n = c->serial_len;
    csr_hex(hex, p, n);
    if (n > 0 && hex[0] == '0' && hex[1] != '\0')
        memmove(hex, hex + 1, 2 * n);   /* no leading zero digit */
}

const uint8_t *csr_cert_ski(const csr_cert *c, size_t *len)
{
    *len = c->ski_len;
    return c->ski;
}

const uint8_t *csr_cert_aki(const csr_cert *c, size_t *len)
{
    *len = c->aki_len;
    return c->aki;
}

void csr_cert_fingerprint(const csr_cert *c, char hex[65])
{
    (void)csr_sha256_hex(hex, c->der, c->len);
}

int csr_cert_verify_key(const csr_cert *c, const csr_key *k, csr_err *err)
{
    return req_check_signature(k, c->algid, c->algid_len, c->algid_off, c->tbs, c->tbs_len,
                               c->sig, c->sig_len, err);
}

int csr_cert_verify(const csr_cert *c, const csr_cert *issuer, csr_err *err)
{
    const csr_key *k = NULL;
    int rc = req_key(&k, issuer->view, err);
    return rc != CSR_OK ? rc : csr_cert_verify_key(c, k, err);
}

int cert_key_id(uint8_t id[20], const uint8_t *spki, size_t len, csr_err *err)
{
    der_tlv alg, bits;
    const uint8_t *v;
    size_t n;
    int unused, rc;

    if ((rc = der_read_spki(spki, len, &alg, &bits, err)) != CSR_OK ||
        (rc = der_get_bit_string(&bits, &v, &n, &unused, "public key", err)) != CSR_OK)
        return rc;
    if (csr_md_hash(CSR_MD_SHA1, v, n, id) != CSR_OK)
        return csr_err_set(err, CSR_E_CRYPTO, "SHA-1 failed");
    return CSR_OK;
}

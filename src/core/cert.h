/* Internal: the certificate object (owned by cert_parse.c), shared with cert_build.c and
 * cert_text.c. Subject, public key and extensions live in a request-shaped view (req.h)
 * so that one set of decoders, accessors and printers serves requests and certificates.
 * SPDX-License-Identifier: MIT */
#ifndef CSR_CERT_H
#define CSR_CERT_H

#include "req.h"

struct csr_cert {
    uint8_t *der;               /* the whole Certificate DER (owned) */
    size_t len;
    const uint8_t *tbs;         /* TBSCertificate TLV (what is signed) */
    size_t tbs_len;
    const uint8_t *algid;       /* outer signatureAlgorithm TLV */
    size_t algid_len, algid_off;
    const uint8_t *sig;         /* signatureValue BIT STRING contents */
    size_t sig_len;
    char sigalg[REQ_NAME_MAX];  /* name or dotted OID */
    int version;                /* 1 or 3 */
    const uint8_t *serial;      /* magnitude, big-endian, no leading zero (but "0") */
    size_t serial_len;
    const uint8_t *issuer_der;  /* issuer Name TLV */
    size_t issuer_len;
    const uint8_t *subject_der; /* subject Name TLV */
    size_t subject_len;
    csr_name *issuer;
    int64_t not_before, not_after;
    csr_req *view;              /* subject, spki, extensions (pointers into der) */
    const uint8_t *ski;         /* subjectKeyIdentifier bytes or NULL */
    size_t ski_len;
    const uint8_t *aki;         /* authorityKeyIdentifier keyIdentifier bytes or NULL */
    size_t aki_len;
};

/* cert_parse.c: a certificate from DER, taking ownership of der (freed on failure too). */
int cert_from_der(csr_cert **out, uint8_t *der, size_t len, csr_err *err) CSR_NODISCARD;
/* SHA-1 of the subjectPublicKey BIT STRING contents of an SPKI TLV (RFC 5280 4.2.1.2
 * method 1) into id[20]. */
int cert_key_id(uint8_t id[20], const uint8_t *spki, size_t len, csr_err *err) CSR_NODISCARD;

#endif

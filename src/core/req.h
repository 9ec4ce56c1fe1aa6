/* Internal: the request object (owned by req_parse.c) and the decoders shared by
 * req_parse.c, ext_dec.c, req_verify.c and text.c. The builder uses only req_int.h.
 * SPDX-License-Identifier: MIT */
#ifndef CSR_REQ_H
#define CSR_REQ_H

#include "der.h"
#include "req_int.h"

#define REQ_NAME_MAX 64

typedef struct req_san {
    int type;                   /* CSR_SAN_* */
    const uint8_t *val;         /* into r->bytes; NULL for RID */
    size_t len;
    size_t off;                 /* offset of the GeneralName in r->bytes */
    char oid[DER_OID_TEXT];     /* otherName type-id / registeredID */
} req_san;

typedef struct req_ext {
    csr_ext_view v;             /* v.oid = oid, pointers into r->bytes */
    char oid[DER_OID_TEXT];
    size_t off;                 /* offset of the Extension */
} req_ext;

typedef struct req_attr {
    csr_attr_view v;
    char oid[DER_OID_TEXT];
    size_t off;
} req_attr;

typedef struct req_eku {
    char oid[DER_OID_TEXT];
    const char *name;           /* static name or NULL */
} req_eku;

struct csr_req {
    uint8_t *bytes;             /* signed: the whole request DER; unsigned: the CRI TLV */
    size_t len;
    int is_signed;
    const uint8_t *cri;         /* CertificationRequestInfo TLV */
    size_t cri_len;
    const uint8_t *algid;       /* signatureAlgorithm TLV (signed only) */
    size_t algid_len, algid_off;
    const uint8_t *sig;         /* signature BIT STRING contents after the unused-bits octet */
    size_t sig_len;
    char sigalg[REQ_NAME_MAX];  /* name or dotted OID; "" when unsigned */

    int version;
    csr_name *subject;
    size_t subject_off;
    const uint8_t *spki;        /* SubjectPublicKeyInfo TLV */
    size_t spki_len, spki_off;
    int key_supported;          /* csr_key_from_spki accepted it */
    csr_key *key;               /* that key, kept for verify (NULL when unsupported) */
    char key_alg[DER_OID_TEXT]; /* SPKI algorithm OID (dotted) */

    req_attr *attrs;  size_t nattrs;
    req_ext *exts;    size_t nexts;
    req_san *san;     size_t nsan;
    int ku_set;       unsigned ku;
    int eku_set;      req_eku *eku; size_t neku;
    int bc_set, bc_ca, bc_pathlen;
    int must_staple;
    const uint8_t *challenge;    size_t challenge_len;    int challenge_tag;
    const uint8_t *unstructured; size_t unstructured_len; int unstructured_tag;
    uint8_t *conv[2];           /* UTF-8 converted from BMPString/UniversalString values */
};

/* ext_dec.c: decodes the attributes [0] TLV's contents into r (attributes, extensions and
 * the typed views); every known structure validated. base offsets come from t. */
int req_decode_attributes(csr_req *r, const der_tlv *attrs, csr_err *err) CSR_NODISCARD;
/* ext_dec.c: Extensions (SEQUENCE OF Extension, the TLV val) into r's extension list and
 * typed views; shared by requests (extensionRequest) and certificates ([3] extensions). */
int req_decode_extensions(csr_req *r, const der_tlv *val, csr_err *err) CSR_NODISCARD;
/* req_parse.c: SubjectPublicKeyInfo TLV t into r->spki, key_alg, key_supported. */
int req_parse_spki(csr_req *r, const der_tlv *t, csr_err *err) CSR_NODISCARD;
/* req_verify.c: the public key of an SPKI for verifying (CSR_E_UNSUPPORTED named with the
 * algorithm key_alg when this build cannot load it). */
int req_spki_key(csr_key **out, const uint8_t *spki, size_t len, const char *key_alg,
                 csr_err *err) CSR_NODISCARD;
/* req_verify.c: checks sig over msg with k under the signature AlgorithmIdentifier algid
 * (aoff: its offset in the input): CSR_OK, CSR_E_BAD_SIGNATURE (also a key of the wrong
 * type), CSR_E_UNSUPPORTED. */
int req_check_signature(const csr_key *k, const uint8_t *algid, size_t alen, size_t aoff,
                        const uint8_t *msg, size_t mlen, const uint8_t *sig, size_t slen,
                        csr_err *err) CSR_NODISCARD;
void req_free_view(csr_req *r);          /* frees attrs/exts/san/eku arrays */
const char *req_ext_name(const char *oid);
const char *req_attr_name(const char *oid);
const char *req_eku_name(const char *oid);
const char *req_ku_name(int bit);        /* bit 0..8 */
/* Offset of p (a pointer into r->bytes) */
#define REQ_OFF(r, ptr) ((size_t)((const uint8_t *)(ptr) - (r)->bytes))

#endif

/* Internal to src/core/: the request object (struct csr_req; lifecycle and accessors in
 * req.c, parsing in req_parse.c, building and signing in req_build.c) and the decoders shared
 * by ext_dec.c, req_verify.c, text.c and the certificate code.
 * SPDX-License-Identifier: MIT */
#ifndef CSR_REQ_H
#define CSR_REQ_H

#include "der.h"
#include "csr.h"

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
    /* A request signed here keeps the view it had: view_bytes (NULL otherwise) holds the
     * bytes its pointers (cri, subject, spki, attributes, extensions) point into, the same
     * CRI as in bytes; offsets always count from bytes, whose CRI starts at cri_off. */
    uint8_t *view_bytes;
    size_t view_len, cri_off;
    int is_signed;
    const uint8_t *cri;         /* CertificationRequestInfo TLV */
    size_t cri_len;
    const uint8_t *algid;       /* signatureAlgorithm TLV (signed only) */
    size_t algid_len, algid_off;
    const uint8_t *sig;         /* signature BIT STRING contents after the unused-bits octet */
    size_t sig_len;
    char sigalg[REQ_NAME_MAX];  /* name or dotted OID; "" when unsigned */
    int sig_kt;                 /* signed: the algorithm decoded at parse time: its key type */
    csr_sig sig_p;              /* (0: unsupported) and parameters */

    int version;
    csr_name *subject;
    size_t subject_off;
    const uint8_t *spki;        /* SubjectPublicKeyInfo TLV */
    size_t spki_len, spki_off;
    int key_supported;          /* csr_key_from_spki accepted it */
    csr_key *key;               /* the public key, parsed once; NULL when unsupported */
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

/* ---- building (req_build.c) and parsing (req_parse.c) ---- */
/* An unsigned request from a CertificationRequestInfo TLV: parsed and validated exactly as
 * csr_req_parse validates a CRI, the view filled. The bytes are copied. */
int csr_req_from_cri(csr_req **out, const uint8_t *cri, size_t len, csr_err *err) CSR_NODISCARD;
/* Sets the signature: builds SEQUENCE { CRI, algid, BIT STRING sig } as the request's DER,
 * re-pointing the view into the new bytes. algid is an AlgorithmIdentifier TLV. */
int csr_req_attach_signature(csr_req *r, const uint8_t *algid, size_t alen, const uint8_t *sig,
                             size_t slen, csr_err *err) CSR_NODISCARD;
/* The CertificationRequestInfo TLV (what is signed). */
const uint8_t *csr_req_cri(const csr_req *r, size_t *len);

/* A request object over bytes (taken over, freed on failure): parsed and validated as a
 * signed CertificationRequest (is_signed) or a CertificationRequestInfo. adopt: NULL, or a
 * public key parsed before from the same SubjectPublicKeyInfo (a request being re-encoded):
 * if the SPKI bytes match, the new request takes *adopt over (set to NULL) instead of
 * parsing the key again; on failure *adopt is left to the caller. */
int req_from_bytes(csr_req **out, uint8_t *bytes, size_t len, int is_signed, csr_key **adopt,
                   csr_err *err) CSR_NODISCARD;

/* CertificationRequest ::= SEQUENCE { CRI, AlgorithmIdentifier, BIT STRING }: the frame
 * read strictly and the algorithm decoded (req_parse.c); the CRI itself is not read. */
typedef struct req_envelope {
    der_tlv cri;
    der_tlv alg;
    const uint8_t *sig;         /* after the unused-bits octet */
    size_t sig_len;
    int kt;                     /* key type of the algorithm, 0: unsupported */
    csr_sig sp;
    char name[REQ_NAME_MAX];
} req_envelope;
int req_read_envelope(req_envelope *e, const uint8_t *der, size_t len,
                      csr_err *err) CSR_NODISCARD;
/* r's signature fields from e (over r->bytes) */
void req_set_signature(csr_req *r, const req_envelope *e);

/* req_attr.c: decodes the attributes [0] TLV's contents into r (attributes, extensions and
 * the typed views); every known structure validated. base offsets come from t. */
int req_decode_attributes(csr_req *r, const der_tlv *attrs, csr_err *err) CSR_NODISCARD;
/* ext_dec.c: Extensions (SEQUENCE OF Extension, the TLV val) into r's extension list and
 * typed views; shared by requests (extensionRequest) and certificates ([3] extensions). */
int req_decode_extensions(csr_req *r, const der_tlv *val, csr_err *err) CSR_NODISCARD;
/* subject_der.c: the Name TLV t strictly decoded into *out (NULL on failure); when the
 * decoder left no record, CSR_E_BAD_DER "<what>: cannot decode" at t's offset. */
int req_read_name(csr_name **out, const der_tlv *t, const char *what, csr_err *err) CSR_NODISCARD;
/* req_parse.c: SubjectPublicKeyInfo TLV t into r->spki, key_alg, key_supported and the key
 * (parsed once here). */
int req_parse_spki(csr_req *r, const der_tlv *t, csr_err *err) CSR_NODISCARD;
/* req_verify.c: the public key of an SPKI for verifying (CSR_E_UNSUPPORTED named with the
 * algorithm key_alg when this build cannot load it). */
int req_spki_key(csr_key **out, const uint8_t *spki, size_t len, const char *key_alg,
                 csr_err *err) CSR_NODISCARD;
/* req_verify.c: the request's public key as parsed once (owned by r), or CSR_E_UNSUPPORTED
 * worded as req_spki_key words it when this build cannot load it. */
int req_key(const csr_key **out, const csr_req *r, csr_err *err) CSR_NODISCARD;
/* req_verify.c: checks sig over msg with k under the signature AlgorithmIdentifier algid
 * (aoff: its offset in the input): CSR_OK, CSR_E_BAD_SIGNATURE (also a key of the wrong
 * type), CSR_E_UNSUPPORTED. */
int req_check_signature(const csr_key *k, const uint8_t *algid, size_t alen, size_t aoff,
                        const uint8_t *msg, size_t mlen, const uint8_t *sig, size_t slen,
                        csr_err *err) CSR_NODISCARD;
void req_free_view(csr_req *r);          /* frees attrs/exts/san/eku arrays */

#endif

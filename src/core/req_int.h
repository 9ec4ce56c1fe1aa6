/* Internal request interface between the builder (req_build.c) and the parser/view
 * (req_parse.c, which owns struct csr_req). Not part of the public core API.
 * SPDX-License-Identifier: MIT */
#ifndef CSR_REQ_INT_H
#define CSR_REQ_INT_H

#include "csr.h"

/* An unsigned request from a CertificationRequestInfo TLV: parsed and validated exactly as
 * csr_req_parse validates a CRI, the view filled. The bytes are copied. */
int csr_req_from_cri(csr_req **out, const uint8_t *cri, size_t len, csr_err *err) CSR_NODISCARD;
/* Sets the signature: builds SEQUENCE { CRI, algid, BIT STRING sig } as the request's DER,
 * re-pointing the view into the new bytes. algid is an AlgorithmIdentifier TLV. */
int csr_req_attach_signature(csr_req *r, const uint8_t *algid, size_t alen, const uint8_t *sig,
                             size_t slen, csr_err *err) CSR_NODISCARD;
/* The CertificationRequestInfo TLV (what is signed). */
const uint8_t *csr_req_cri(const csr_req *r, size_t *len);

#endif

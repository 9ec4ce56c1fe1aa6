/* Extension encoders for the request builder (ext_enc.c). Internal to src/core/.
 * SPDX-License-Identifier: MIT */
#ifndef CSR_EXT_ENC_H
#define CSR_EXT_ENC_H

#include "csr.h"

/* Appends the Extensions TLV (SEQUENCE OF Extension) for every extension spec asks for, in the
 * order SAN, keyUsage, extendedKeyUsage, basicConstraints, TLS feature, then the raw ones as
 * given. subject_empty selects SAN's default criticality (RFC 5280 4.2.1.6). *count = number
 * of extensions written; with 0 nothing is appended. Values are validated: CSR_E_INVALID,
 * CSR_E_BAD_IP, CSR_E_DUPLICATE, CSR_E_BAD_DER (raw value), CSR_E_NOMEM. */
int csr_ext_encode(csr_buf *out, const csr_req_spec *spec, int subject_empty, size_t *count,
                   csr_err *err) CSR_NODISCARD;

#endif

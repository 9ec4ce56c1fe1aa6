/* Internal interface between subject.c and subject_text.c. Not part of the public core API.
 * SPDX-License-Identifier: MIT */
#ifndef CSR_SUBJECT_INT_H
#define CSR_SUBJECT_INT_H

#include "der.h"

/* Attribute name (short/long, case-insensitive) or dotted OID → canonical dotted OID;
 * CSR_E_BAD_NAME "unknown attribute '…'". */
int csr_name_resolve_attr(char oid[DER_OID_TEXT], const char *attr, csr_err *err);
void csr_der_oid_canon(char out[DER_OID_TEXT], const char *dotted);
/* Adds a member with the given string tag and contents (no attribute rules applied). */
int csr_name_add_tlv(csr_name *n, const char *oid, int tag, const uint8_t *val, size_t len,
                     int new_rdn, csr_err *err);
/* Adds a member from a whole value TLV (#hex input): one string-type TLV, non-empty. */
int csr_name_add_value_tlv(csr_name *n, const char *oid, const uint8_t *tlv, size_t len,
                           int new_rdn, csr_err *err);
/* Appends a copy of member j of RDN rdn of src to dst. */
int csr_name_copy_member(csr_name *dst, const csr_name *src, size_t rdn, size_t j,
                         int new_rdn, csr_err *err);

#endif

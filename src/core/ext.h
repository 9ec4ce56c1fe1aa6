/* Internal: the extensions the core knows by structure (RFC 5280 4.2, RFC 7633), one row
 * each (ext.c), read by the encoder (ext_enc.c), the decoder (ext_dec.c) and the text dump
 * (text_ext.c) alike, for requests and certificates. Names and -text labels are the OID
 * registry's (oid.c). Internal to src/core/.
 * SPDX-License-Identifier: MIT */
#ifndef CSR_EXT_H
#define CSR_EXT_H

#include "req.h"

/* What a spec asks for: nonzero when it wants the extension, *critical set (-1: default). */
typedef int ext_want_fn(const csr_req_spec *s, int *critical);
/* The extnValue's contents for spec s into v. */
typedef int ext_enc_fn(csr_buf *v, const csr_req_spec *s, csr_err *err);
/* Validates the extnValue contents oct and fills r's typed view. */
typedef int ext_dec_fn(csr_req *r, const der_tlv *oct, csr_err *err);
/* The decoded value of x at indent ind: CSR_OK, EXT_TXT_RAW (shown in hex instead, what
 * was written is dropped), or an error code. */
typedef int ext_txt_fn(csr_buf *b, const csr_req *r, const req_ext *x, int ind);
#define EXT_TXT_RAW 1

typedef struct ext_row {
    const char *oid;            /* dotted, as in oid.c */
    int critical;               /* default when building; -1: critical iff the subject is
                                 * empty (subjectAltName, RFC 5280 4.2.1.6) */
    ext_want_fn *wanted;        /* NULL: built only as a raw extension */
    ext_enc_fn *encode;
    ext_dec_fn *decode;         /* NULL: only the DER framing is checked, kept raw */
    ext_txt_fn *text;           /* NULL: hex dump */
} ext_row;

/* The rows, in the order a request's typed extensions are written; *n set to their count. */
const ext_row *ext_rows(size_t *n);
/* The row for a dotted OID, or NULL. */
const ext_row *ext_find(const char *dotted);

/* ext_enc.c */
ext_want_fn ext_want_san, ext_want_ku, ext_want_eku, ext_want_bc, ext_want_tls_feature;
ext_enc_fn ext_enc_san, ext_enc_ku, ext_enc_eku, ext_enc_bc, ext_enc_tls_feature;
/* ext_dec.c */
ext_dec_fn ext_dec_san, ext_dec_ku, ext_dec_eku, ext_dec_bc, ext_dec_tls_feature, ext_dec_ski;
/* text_ext.c */
ext_txt_fn ext_txt_san, ext_txt_ku, ext_txt_eku, ext_txt_bc, ext_txt_tls_feature, ext_txt_ski,
    ext_txt_aki, ext_txt_aia, ext_txt_crldp, ext_txt_policies;

#endif

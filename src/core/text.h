/* Internal: the text-dump building blocks of text.c, shared by the request and certificate
 * dumps (csr_req_text, csr_cert_text). Output goes to a csr_buf (sticky errors).
 * SPDX-License-Identifier: MIT */
#ifndef CSR_TEXT_H
#define CSR_TEXT_H

#include "req.h"

void txt_puts(csr_buf *b, const char *s);
void txt_indent(csr_buf *b, int n);
void txt_line(csr_buf *b, int ind, const char *s);               /* indent, s, newline */
void txt_text(csr_buf *b, const uint8_t *s, size_t n);           /* control bytes as \xNN */
void txt_hexdump(csr_buf *b, int ind, const uint8_t *p, size_t n);   /* aa:bb, 15 a line */
void txt_hexinline(csr_buf *b, const uint8_t *p, size_t n);      /* AA:BB */
int txt_name(csr_buf *b, const csr_name *n);                     /* RFC 4514, escaped */
void txt_pubkey(csr_buf *b, const csr_req *r);                   /* "Subject Public Key Info" */
/* The trailing "Signature Algorithm:" and "Signature Value:" lines. */
void txt_signature(csr_buf *b, const char *alg, const uint8_t *sig, size_t n);
/* One extension of r's view: its label at ind, the decoded value at ind + 4. */
int txt_ext(csr_buf *b, const csr_req *r, const req_ext *x, int ind);

#endif

/* Internal plumbing of src/core/ (not the C API, which is csr.h): allocation, buffer growth,
 * PEM and base64, digests, signature AlgorithmIdentifiers, UTF-8 and IP helpers. Every core
 * file gets it through der.h or directly; the binding never includes it.
 * SPDX-License-Identifier: MIT */
#ifndef CSR_CORE_INT_H
#define CSR_CORE_INT_H

#include "csr.h"

/* ---- errors, randomness (util.c, rng.c) ---- */
/* csr_err_set with the byte offset of the problem in the input. */
int csr_err_at(csr_err *e, int code, size_t offset, const char *fmt, ...) CSR_PRINTF(4, 5);
void csr_rng_thread_free(void);              /* rng.c; csr_thread_cleanup calls it */

/* ---- memory (util.c) ---- */
void *csr_malloc(size_t n);                  /* via wolfSSL's allocator */
void *csr_calloc(size_t n, size_t size);
void csr_free(void *p);
/* csr_wipe(p, n), then csr_free(p); NULL ok. */
void csr_free_wiped(void *p, size_t n);
/* A csr_malloc'd copy of p[0..n) (at least one byte allocated), or NULL. */
void *csr_memdup(const void *p, size_t n);

/* ---- PEM / base64 (pem.c) ---- */
/* Finds the first BEGIN/END block whose label is in labels (NULL-terminated), requires
 * the matching END label, strict base64 (CRLF/LF and spaces at line ends allowed, no stray
 * characters, '=' only at the end, length a multiple of 4, non-empty). *which = index of
 * the label. Returns CSR_E_BAD_PEM when there is no such block. */
int csr_pem_decode(csr_buf *der, int *which, const uint8_t *in, size_t len,
                   const char *const *labels, csr_err *err) CSR_NODISCARD;
/* csr_pem_decode that also gives the offset just past the block's END line (*next). */
int csr_pem_decode_next(csr_buf *der, int *which, const uint8_t *in, size_t len,
                        const char *const *labels, size_t *next, csr_err *err) CSR_NODISCARD;
/* 1 if in looks like PEM (contains "-----BEGIN "). */
int csr_pem_detect(const uint8_t *in, size_t len);
/* Appends "-----BEGIN label-----\n", base64 in 64-column lines, "-----END label-----\n". */
int csr_pem_encode(csr_buf *out, const char *label, const uint8_t *der, size_t len);
int csr_b64_encode(csr_buf *out, const uint8_t *in, size_t len, int wrap64);

/* ---- names, digests (oid.c, util.c) ---- */
/* The name of a dotted OID of that kind (subject attributes: the README's short name), or
 * NULL when the OID is not in the registry. */
const char *csr_oid_name(int kind, const char *dotted);
const char *csr_md_name(int md);             /* "sha256", … or NULL */
const char *csr_md_oid(int md);              /* the hash OID text or NULL */
/* Lower-case hex SHA-256 of in (all zeros if hashing failed, then not CSR_OK). */
int csr_sha256_hex(char hex[65], const uint8_t *in, size_t len);

/* ---- signatures (key_sign.c, sigalg.c) ---- */
/* CSR_OK if k can check a signature made with p; CSR_E_BAD_SIGNATURE (the key's reason) for
 * parameters an id-RSASSA-PSS key forbids; CSR_E_UNSUPPORTED for parameters this build cannot
 * check. csr_key_verify starts with it. */
int csr_key_allows(const csr_key *k, const csr_sig *p, csr_err *err) CSR_NODISCARD;
/* Appends the AlgorithmIdentifier for key type + resolved params. */
int csr_sigalg_encode(csr_buf *out, int key_type, const csr_sig *p, csr_err *err) CSR_NODISCARD;
/* RSASSA-PSS-params (RFC 4055) SEQUENCE TLV into p (md, mgf_md, salt_len, padding PSS); absent
 * fields take the RFC defaults. A mask other than MGF1, an unknown hash or a trailer other than
 * 1 is CSR_E_UNSUPPORTED. */
int csr_pss_params_decode(const uint8_t *tlv, size_t len, size_t base, csr_sig *p,
                          csr_err *err) CSR_NODISCARD;
/* Decodes an AlgorithmIdentifier TLV. *key_type = CSR_KEY_* it needs, or 0 if the algorithm
 * is not supported (then name holds the dotted OID or a known name and CSR_OK is returned:
 * unsupported is a verify answer, not a parse error). base = offset of tlv in the input. */
int csr_sigalg_decode(const uint8_t *tlv, size_t len, size_t base, int *key_type, csr_sig *p,
                      char name[64], csr_err *err) CSR_NODISCARD;

/* ---- text helpers (util.c) ---- */
/* 1 if s[0..n) is valid UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF). */
int csr_utf8_valid(const uint8_t *s, size_t n);
/* UCS-2 (unit 2, BMPString) or UCS-4 (unit 4, UniversalString) big-endian → UTF-8 into
 * out (room for n / unit * 4 bytes), *olen = bytes written; a trailing partial unit is
 * ignored. 0 on a surrogate or a code point over U+10FFFF, else 1. */
int csr_ucs_to_utf8(uint8_t *out, size_t *olen, const uint8_t *v, size_t n, size_t unit);
/* Number of code points (assumes valid UTF-8). */
size_t csr_utf8_len(const uint8_t *s, size_t n);
/* IP text → 4 or 16 bytes; returns the byte count or 0 if it does not parse. */
int csr_ip_parse(uint8_t out[16], const char *s, size_t n);

#endif

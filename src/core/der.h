/* Strict DER: the writer (into csr_buf) and the bounded reader. Internal to src/core/.
 * Every other core file makes and reads ASN.1 bytes only through this API.
 * SPDX-License-Identifier: MIT */
#ifndef CSR_DER_H
#define CSR_DER_H

#include "core_int.h"

/* Universal tags (single-byte identifiers; we never need high tag numbers). */
#define DER_BOOLEAN     0x01
#define DER_INTEGER     0x02
#define DER_BIT_STRING  0x03
#define DER_OCTET_STRING 0x04
#define DER_NULL        0x05
#define DER_OID         0x06
#define DER_UTF8STRING  0x0c
#define DER_PRINTABLE   0x13
#define DER_T61STRING   0x14
#define DER_IA5STRING   0x16
#define DER_UTCTIME     0x17
#define DER_GENTIME     0x18
#define DER_VISIBLE     0x1a
#define DER_UNIVERSAL   0x1c
#define DER_BMPSTRING   0x1e
#define DER_SEQUENCE    0x30
#define DER_SET         0x31
#define DER_CTX(n)      (0x80 | (n))    /* [n] IMPLICIT primitive */
#define DER_CTXC(n)     (0xa0 | (n))    /* [n] constructed */

#define DER_MAX_DEPTH   32              /* nesting bound for generic walks */
#define DER_OID_TEXT    128             /* dotted OID buffer size */

/* ---- writer: writes append to b; errors are sticky in b->err ---- */
void der_put_tlv(csr_buf *b, unsigned tag, const void *v, size_t n);
void der_put_raw(csr_buf *b, const void *v, size_t n);       /* an already-encoded TLV */
/* Opens a constructed TLV; returns the mark to pass to der_close. */
size_t der_open(csr_buf *b, unsigned tag);
void der_close(csr_buf *b, size_t mark);
/* DER SET OF order of two encodings (X.690 11.6): octet strings compared with the shorter
 * padded with zero octets; <0, 0 or >0. */
int der_set_order(const uint8_t *a, size_t an, const uint8_t *b, size_t bn);
/* Like der_close, but first sorts the member TLVs by their encodings (DER SET OF). */
void der_close_set(csr_buf *b, size_t mark);
void der_put_uint(csr_buf *b, unsigned long v);              /* INTEGER, non-negative */
void der_put_uint_bytes(csr_buf *b, const uint8_t *be, size_t n); /* INTEGER from unsigned big-endian */
void der_put_bool(csr_buf *b, int v);
void der_put_null(csr_buf *b);
/* OID from dotted text; returns CSR_OK or CSR_E_INVALID (b untouched when invalid). */
int der_put_oid_text(csr_buf *b, const char *dotted);
/* OID content bytes (without tag/length) from dotted text; returns length or 0 if invalid. */
size_t der_oid_from_text(uint8_t *out, size_t outsz, const char *dotted);
/* BIT STRING of named bits (bit 0 = first bit): minimal, trailing zero bits dropped. */
void der_put_named_bits(csr_buf *b, unsigned bits);
void der_put_bit_string(csr_buf *b, const uint8_t *v, size_t n);  /* 0 unused bits */

/* ---- reader ---- */
typedef struct der_rd {
    const uint8_t *p;           /* next byte */
    const uint8_t *end;
    size_t base;                /* offset of p[0] in the whole input at creation */
    const uint8_t *start;       /* p at creation (offsets = base + (p - start)) */
} der_rd;

typedef struct der_tlv {
    unsigned tag;
    const uint8_t *v;           /* contents */
    size_t len;                 /* contents length */
    const uint8_t *tlv;         /* identifier octet */
    size_t tlv_len;             /* whole TLV */
    size_t off;                 /* offset of the identifier in the whole input */
    size_t voff;                /* offset of the contents */
} der_tlv;

void der_rd_init(der_rd *r, const uint8_t *p, size_t n, size_t base);
void der_rd_enter(der_rd *r, const der_tlv *t);       /* reader over t's contents */
int der_rd_more(const der_rd *r);
size_t der_rd_off(const der_rd *r);
/* Reads one TLV: single-byte tag (high tag numbers refused), definite minimal length,
 * contents within the reader's bounds. */
int der_next(der_rd *r, der_tlv *t, csr_err *e) CSR_NODISCARD;
/* der_next and require the tag; what names the field in the message. */
int der_expect(der_rd *r, unsigned tag, der_tlv *t, const char *what, csr_err *e) CSR_NODISCARD;
/* Peek the next tag without consuming (0 at end). */
unsigned der_peek(const der_rd *r);
/* Error if bytes remain: "<what>: trailing bytes at byte N". */
int der_finish(const der_rd *r, const char *what, csr_err *e) CSR_NODISCARD;

/* ---- reader steps (der_read.c) ---- */
/* The whole of p[0..n) is exactly one TLV of tag (init, expect, finish). */
int der_read_one(const uint8_t *p, size_t n, size_t base, unsigned tag, der_tlv *t,
                 const char *what, csr_err *e) CSR_NODISCARD;
/* Reads one TLV of tag and gives a reader over its contents (cryptobyte ReadASN1). */
int der_enter(der_rd *r, unsigned tag, der_rd *in, const char *what, csr_err *e) CSR_NODISCARD;
/* OPTIONAL/DEFAULT field: reads it when the next tag is tag (*present = 1), else leaves r
 * and sets *present = 0 (cryptobyte ReadOptionalASN1). */
int der_optional(der_rd *r, unsigned tag, der_tlv *t, int *present, csr_err *e) CSR_NODISCARD;
/* Reads an OBJECT IDENTIFIER as dotted text. */
int der_read_oid(der_rd *r, char out[DER_OID_TEXT], const char *what,
                 csr_err *e) CSR_NODISCARD;
/* SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey
 * BIT STRING }: the whole of spki[0..len) is one, split into its two TLVs (RFC 5280 4.1). */
int der_read_spki(const uint8_t *spki, size_t len, der_tlv *alg, der_tlv *bits,
                  csr_err *e) CSR_NODISCARD;
/* Number of TLVs in t's contents (SEQUENCE OF / SET OF), each one framed correctly: the
 * count to allocate before walking them. */
int der_count(const der_tlv *t, size_t *n, csr_err *e) CSR_NODISCARD;
/* The first TLV inside t's contents (the one value of a SET OF with one member). */
int der_read_first(const der_tlv *t, der_tlv *first, csr_err *e) CSR_NODISCARD;

/* Value decoders: validate the encoding, message "<what> … at byte N". */
int der_get_bool(const der_tlv *t, int *v, const char *what, csr_err *e) CSR_NODISCARD;
int der_get_null(const der_tlv *t, const char *what, csr_err *e) CSR_NODISCARD;
/* INTEGER 0 ≤ v ≤ LONG_MAX, minimal encoding. */
int der_get_uint(const der_tlv *t, long *v, const char *what, csr_err *e) CSR_NODISCARD;
/* INTEGER minimal, positive; be, n = big-endian magnitude without the sign byte. */
int der_get_uint_bytes(const der_tlv *t, const uint8_t **be, size_t *n, const char *what,
                       csr_err *e) CSR_NODISCARD;
/* OID: non-empty, minimal subidentifiers, last octet terminates; dotted text out. */
int der_get_oid(const der_tlv *t, char out[DER_OID_TEXT], const char *what,
                csr_err *e) CSR_NODISCARD;
/* BIT STRING: unused ≤ 7, 0 when empty, unused bits zero (DER). */
int der_get_bit_string(const der_tlv *t, const uint8_t **v, size_t *n, int *unused,
                       const char *what, csr_err *e) CSR_NODISCARD;
/* Named-bit BIT STRING to bits (bit 0 = first); trailing zero bits tolerated. */
int der_get_named_bits(const der_tlv *t, unsigned *bits, const char *what,
                       csr_err *e) CSR_NODISCARD;
/* Validates a string value of the given tag (UTF8String UTF-8, PrintableString alphabet,
 * IA5String 7-bit, BMPString/UniversalString/T61 accepted as is, non-string tag refused). */
int der_check_string(const der_tlv *t, const char *what, csr_err *e) CSR_NODISCARD;
/* 1 if every byte of s is in the PrintableString alphabet. */
int der_is_printable(const uint8_t *s, size_t n);
int der_is_ia5(const uint8_t *s, size_t n);
/* Time (der_time.c): UTCTime "YYMMDDHHMMSSZ" (YY < 50 is 20YY) or GeneralizedTime
 * "YYYYMMDDHHMMSSZ" to seconds since the epoch; other forms refused. */
int der_get_time(const der_tlv *t, int64_t *out, const char *what, csr_err *e) CSR_NODISCARD;
/* Appends UTCTime for 1950..2049, else GeneralizedTime (RFC 5280 4.1.2.5). CSR_E_INVALID
 * (b untouched) outside years 0000..9999. */
#define DER_TIME_MIN CSR_TIME_MIN
#define DER_TIME_MAX CSR_TIME_MAX
int der_put_time(csr_buf *b, int64_t t) CSR_NODISCARD;
/* "Jan  2 03:04:05 2025 GMT" (as openssl prints dates); t within DER_TIME_MIN..MAX. */
void der_time_text(char out[40], int64_t t);
/* Walks a whole TLV tree checking DER framing to depth DER_MAX_DEPTH (for raw values
 * we keep but do not interpret: one TLV exactly, nothing after it). */
int der_check_tree(const uint8_t *p, size_t n, size_t base, const char *what,
                   csr_err *e) CSR_NODISCARD;

#endif

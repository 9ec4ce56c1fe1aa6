/* Internal interface between subject.c, subject_der.c and subject_text.c (the name struct and
 * shared helpers). Not part of the public core API.
 * SPDX-License-Identifier: MIT */
#ifndef CSR_SUBJECT_INT_H
#define CSR_SUBJECT_INT_H

#include "der.h"

typedef struct name_atv {
    uint8_t *der;               /* the AttributeTypeAndValue SEQUENCE TLV (owned) */
    size_t der_len;
    size_t vtlv_off, vtlv_len;  /* value TLV inside der */
    size_t v_off, v_len;        /* value contents inside der */
    int tag;
    int text;                   /* 1: value is UTF-8 text (see csr_name_get) */
    uint8_t *conv;              /* UTF-8 converted from BMPString/UniversalString, or NULL */
    size_t conv_len;
    char oid[DER_OID_TEXT];
    const char *attr;           /* static short name, or NULL (then oid) */
    int hexin;                  /* 1: given as RFC 4514 #hex: printed back as #hex */
} name_atv;

typedef struct name_rdn {
    size_t first, count;        /* range in the atv array */
    int built;                  /* 1: members kept in DER SET order by us */
} name_rdn;

struct csr_name {
    name_atv *a;
    size_t na, capa;
    name_rdn *r;
    size_t nr, capr;
    uint8_t *raw;               /* exact input DER of a parsed, unmodified name, or NULL */
    size_t raw_len;
};

/* Frees a member's buffers and zeroes it. */
void csr_name_atv_clear(name_atv *a);
/* Appends *a as a member (a new RDN when new_rdn; built: keep the RDN in DER SET order);
 * takes ownership of *a (cleared on return either way). */
int csr_name_push(csr_name *n, name_atv *a, int new_rdn, int built, csr_err *err);
/* Parses one AttributeTypeAndValue TLV (t) strictly and stores a copy in *a. */
int csr_name_atv_parse(name_atv *a, const der_tlv *t, csr_err *err);
/* 1 for the string tags of attribute values (checked as strings, not as a DER tree). */
int csr_name_is_string_tag(unsigned tag);

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

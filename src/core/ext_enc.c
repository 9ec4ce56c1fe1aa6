/* DER encoders for the extensions a request asks for (RFC 5280 4.2.1, RFC 7633):
 * subjectAltName, keyUsage, extendedKeyUsage, basicConstraints, TLS feature and raw ones.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "der.h"
#include "ext.h"
#include "ext_enc.h"
#include "oid.h"

#define TLS_STATUS_REQUEST 5          /* RFC 6066 extension type status_request */
#define MAX_SHOWN 64                  /* longest value quoted in an error message */

/* The OIDs written so far, for duplicate detection (content bytes). */
typedef struct {
    uint8_t oid[DER_OID_TEXT];
    size_t len;
} oid_slot;

typedef struct {
    oid_slot *slots;
    size_t n, cap;
} oid_set;

static int oid_seen(oid_set *s, const uint8_t *oid, size_t len)
{
    size_t i;
    for (i = 0; i < s->n; i++)
        if (s->slots[i].len == len && memcmp(s->slots[i].oid, oid, len) == 0)
            return 1;
    if (s->n < s->cap && len <= sizeof s->slots[0].oid) {
        memcpy(s->slots[s->n].oid, oid, len);
        s->slots[s->n].len = len;
        s->n++;
    }
    return 0;
}

/* 1 if every byte is printable 7-bit ASCII (0x20..0x7e); space allowed when space_ok. */
static int visible(const char *s, size_t n, int space_ok)
{
    size_t i;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c > 0x7e || (c == ' ' && !space_ok))
            return 0;
    }
    return 1;
}

/* A value safe to quote in a message: itself when short and visible, else "". */
static const char *shown(const char *s, size_t n, int *w)
{
    if (s != NULL && n <= MAX_SHOWN && visible(s, n, 1)) {
        *w = (int)n;
        return s;
    }
    *w = 0;
    return "";
}

static const char *san_kind(int type)
{
    switch (type) {
    case CSR_SAN_DNS: return "DNS name";
    case CSR_SAN_IP: return "IP address";
    case CSR_SAN_EMAIL: return "email address";
    case CSR_SAN_URI: return "URI";
    default: return "entry";
    }
}

int ext_enc_san(csr_buf *v, const csr_req_spec *spec, csr_err *err)
{
    size_t i, mark = der_open(v, DER_SEQUENCE);
    for (i = 0; i < spec->nsan; i++) {
        const csr_san_in *s = &spec->san[i];
        const char *q;
        int w;
        if (s->val == NULL || s->len == 0)
            return csr_err_set(err, CSR_E_INVALID, "subjectAltName: %s %lu is empty",
                               san_kind(s->type), (unsigned long)(i + 1));
        q = shown(s->val, s->len, &w);
        switch (s->type) {
        case CSR_SAN_DNS:
        case CSR_SAN_EMAIL:
        case CSR_SAN_URI:
            /* IA5String; control characters (and spaces in DNS names) are never valid */
            if (!visible(s->val, s->len, s->type != CSR_SAN_DNS))
                return csr_err_set(err, CSR_E_INVALID,
                                   "subjectAltName: %s %lu has characters outside IA5String"
                                   " (non-ASCII, control or space)",
                                   san_kind(s->type), (unsigned long)(i + 1));
            der_put_tlv(v, (unsigned)DER_CTX(s->type), s->val, s->len);
            break;
        case CSR_SAN_IP: {
            uint8_t ip[16];
            int n = csr_ip_parse(ip, s->val, s->len);
            if (n != 4 && n != 16)
                return csr_err_set(err, CSR_E_BAD_IP,
                                   "subjectAltName: IP address %lu '%.*s' does not parse",
                                   (unsigned long)(i + 1), w, q);
            der_put_tlv(v, DER_CTX(CSR_SAN_IP), ip, (size_t)n);
            break;
        }
        default:
            return csr_err_set(err, CSR_E_INVALID, "subjectAltName: entry %lu has type %d,"
                               " which cannot be built", (unsigned long)(i + 1), s->type);
        }
    }
    der_close(v, mark);
    return CSR_OK;
}

int ext_enc_eku(csr_buf *v, const csr_req_spec *spec, csr_err *err)
{
    const char *const *eku = spec->eku;
    size_t neku = spec->neku;
    size_t i, j, mark = der_open(v, DER_SEQUENCE);
    oid_slot *seen = (oid_slot *)csr_calloc(neku, sizeof *seen);
    if (seen == NULL)
        return csr_err_set(err, CSR_E_NOMEM, "out of memory");
    for (i = 0; i < neku; i++) {
        const char *oid = eku[i] != NULL ? csr_oid_from_name(CSR_OID_EKU, eku[i]) : NULL;
        int w;
        const char *q = shown(eku[i], eku[i] != NULL ? strlen(eku[i]) : 0, &w);
        if (oid == NULL)
            oid = eku[i];
        seen[i].len = oid != NULL ? der_oid_from_text(seen[i].oid, sizeof seen[i].oid, oid) : 0;
        if (seen[i].len == 0) {
            csr_free(seen);
            return csr_err_set(err, CSR_E_INVALID, "extendedKeyUsage: '%.*s' is neither a"
                               " known purpose nor a dotted OID", w, q);
        }
        for (j = 0; j < i; j++) {
            if (seen[j].len == seen[i].len && memcmp(seen[j].oid, seen[i].oid, seen[i].len) == 0) {
                csr_free(seen);
                return csr_err_set(err, CSR_E_DUPLICATE,
                                   "extendedKeyUsage: '%.*s' given twice", w, q);
            }
        }
        der_put_tlv(v, DER_OID, seen[i].oid, seen[i].len);
    }
    csr_free(seen);
    der_close(v, mark);
    return CSR_OK;
}

int ext_enc_bc(csr_buf *v, const csr_req_spec *spec, csr_err *err)
{
    int ca = spec->bc_ca, pathlen = spec->bc_pathlen;
    size_t mark;
    if (pathlen < -1)
        return csr_err_set(err, CSR_E_INVALID, "basicConstraints: pathLenConstraint must be >= 0");
    if (pathlen >= 0 && !ca)
        return csr_err_set(err, CSR_E_INVALID, "basicConstraints: pathLenConstraint needs cA TRUE");
    mark = der_open(v, DER_SEQUENCE);
    if (ca)
        der_put_bool(v, 1);             /* cA BOOLEAN DEFAULT FALSE: FALSE is never written */
    if (pathlen >= 0)
        der_put_uint(v, (unsigned long)pathlen);
    der_close(v, mark);
    return CSR_OK;
}

/* Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING } */
static int put_ext(csr_buf *out, oid_set *seen, const char *oid_text, int critical,
                   const uint8_t *val, size_t vlen, csr_err *err)
{
    uint8_t oid[DER_OID_TEXT];
    size_t olen = der_oid_from_text(oid, sizeof oid, oid_text), mark;
    int w;
    const char *q = shown(oid_text, strlen(oid_text), &w);
    if (olen == 0)
        return csr_err_set(err, CSR_E_INVALID, "extension OID '%.*s' is not a dotted OID", w, q);
    if (oid_seen(seen, oid, olen))
        return csr_err_set(err, CSR_E_DUPLICATE, "extension %.*s given twice", w, q);
    mark = der_open(out, DER_SEQUENCE);
    der_put_tlv(out, DER_OID, oid, olen);
    if (critical)
        der_put_bool(out, 1);
    der_put_tlv(out, DER_OCTET_STRING, val, vlen);
    der_close(out, mark);
    return CSR_OK;
}

/* A buffer that hit its limit or ran out of memory: its code with "out of memory" or
 * "<what> too large". */
static int buf_status(const csr_buf *b, const char *what, csr_err *err)
{
    if (b->err == 0)
        return CSR_OK;
    if (b->err == CSR_E_NOMEM)
        return csr_err_set(err, CSR_E_NOMEM, "out of memory");
    return csr_err_set(err, b->err, "%s too large", what);
}

int ext_enc_ku(csr_buf *v, const csr_req_spec *spec, csr_err *err)
{
    unsigned ku = spec->key_usage;
    if (ku == 0 || (ku & ~0x1ffu) != 0)
        return csr_err_set(err, CSR_E_INVALID, ku == 0
                           ? "keyUsage: at least one usage is needed"
                           : "keyUsage: unknown bits 0x%x", ku & ~0x1ffu);
    der_put_named_bits(v, ku);
    return CSR_OK;
}

/* TLS feature (RFC 7633): Features ::= SEQUENCE OF INTEGER, here status_request alone */
int ext_enc_tls_feature(csr_buf *v, const csr_req_spec *spec, csr_err *err)
{
    (void)spec;
    (void)err;
    size_t mark = der_open(v, DER_SEQUENCE);
    der_put_uint(v, TLS_STATUS_REQUEST);
    der_close(v, mark);
    return CSR_OK;
}

/* Whether the spec asks for each typed extension, and with which criticality (-1: the
 * registry's default). */
int ext_want_san(const csr_req_spec *s, int *critical)
{
    *critical = s->san_critical;
    return s->nsan > 0;
}

int ext_want_ku(const csr_req_spec *s, int *critical)
{
    *critical = s->ku_critical;
    return s->ku_set;
}

int ext_want_eku(const csr_req_spec *s, int *critical)
{
    *critical = s->eku_critical;
    return s->neku > 0;
}

int ext_want_bc(const csr_req_spec *s, int *critical)
{
    *critical = s->bc_critical;
    return s->bc_set;
}

int ext_want_tls_feature(const csr_req_spec *s, int *critical)
{
    *critical = s->ms_critical;
    return s->must_staple;
}

/* One raw extension given as {oid, critical, DER}: the value must be one DER TLV. */
static int put_raw(csr_buf *all, oid_set *seen, const csr_ext_in *e, size_t i, csr_err *err)
{
    int w;
    const char *q;
    if (e->oid == NULL)
        return csr_err_set(err, CSR_E_INVALID, "extension %lu has no OID", (unsigned long)i + 1);
    q = shown(e->oid, strlen(e->oid), &w);
    if (e->der == NULL || e->len == 0)
        return csr_err_set(err, CSR_E_INVALID, "extension %.*s: empty value", w, q);
    if (der_check_tree(e->der, e->len, 0, "value", err) != CSR_OK) {
        err->code = CSR_E_BAD_DER;
        return csr_err_prefix(err, "extension %.*s: value must be one DER TLV", w, q);
    }
    return put_ext(all, seen, e->oid, e->critical < 0 ? 0 : e->critical != 0, e->der, e->len,
                   err);
}

/* The typed extensions spec asks for, in the registry's order; *n counts them. */
static int put_typed(csr_buf *all, oid_set *seen, const csr_req_spec *spec, int subject_empty,
                     size_t *n, csr_err *err)
{
    size_t i, nrows;
    const ext_row *rows = ext_rows(&nrows);
    csr_buf v;
    int rc = CSR_OK, critical;

    csr_buf_init(&v, 0);
    for (i = 0; rc == CSR_OK && i < nrows; i++) {
        const ext_row *x = &rows[i];
        if (x->wanted == NULL || !x->wanted(spec, &critical))
            continue;
        if (critical < 0)
            critical = x->critical < 0 ? subject_empty : x->critical;
        rc = x->encode(&v, spec, err);
        if (rc == CSR_OK)
            rc = buf_status(&v, "extension value", err);
        if (rc == CSR_OK)
            rc = put_ext(all, seen, x->oid, critical != 0, v.p, v.len, err);
        (*n)++;
        csr_buf_free(&v);
    }
    csr_buf_free(&v);
    return rc;
}

int csr_ext_encode(csr_buf *out, const csr_req_spec *spec, int subject_empty, size_t *count,
                   csr_err *err)
{
    csr_buf all;
    oid_set seen;
    size_t i, n = 0;
    int rc;

    *count = 0;
    seen.n = 0;
    (void)ext_rows(&seen.cap);
    seen.cap += spec->next;
    seen.slots = (oid_slot *)csr_calloc(seen.cap, sizeof *seen.slots);
    if (seen.slots == NULL)
        return csr_err_set(err, CSR_E_NOMEM, "out of memory");
    csr_buf_init(&all, 0);
    rc = put_typed(&all, &seen, spec, subject_empty, &n, err);
    for (i = 0; rc == CSR_OK && i < spec->next; i++, n++)
        rc = put_raw(&all, &seen, &spec->ext[i], i, err);
    if (rc == CSR_OK)
        rc = buf_status(&all, "extensions", err);
    if (rc == CSR_OK && n > 0) {
        der_put_tlv(out, DER_SEQUENCE, all.p, all.len);
        rc = buf_status(out, "extensions", err);
    }
    if (rc == CSR_OK)
        *count = n;
    csr_buf_free(&all);
    csr_free(seen.slots);
    return rc;
}

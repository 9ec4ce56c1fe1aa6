/* Distinguished names: strict DER parsing (AttributeTypeAndValue, Name) and DER encoding.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "req.h"
#include "subject_int.h"

/*
 * Name ::= CHOICE { rdnSequence RDNSequence }                  -- RFC 5280, 4.1.2.4
 * RDNSequence ::= SEQUENCE OF RelativeDistinguishedName
 * RelativeDistinguishedName ::= SET SIZE (1..MAX) OF AttributeTypeAndValue
 * AttributeTypeAndValue ::= SEQUENCE { type OBJECT IDENTIFIER, value ANY DEFINED BY type }
 */

/* BMPString (UCS-2 BE) / UniversalString (UCS-4 BE) → UTF-8; 0 when not convertible. */
static int to_utf8(name_atv *a, const uint8_t *v, size_t n, int tag)
{
    size_t unit = tag == DER_BMPSTRING ? 2 : 4, o;
    uint8_t *out;
    if (n % unit)
        return 0;
    out = (uint8_t *)csr_malloc(n / unit * 4 + 1);
    if (out == NULL)
        return -1;
    if (!csr_ucs_to_utf8(out, &o, v, n, unit)) {
        csr_free(out);
        return 0;
    }
    a->conv = out;
    a->conv_len = o;
    return 1;
}

int csr_name_is_string_tag(unsigned tag)
{
    switch (tag) {
    case DER_UTF8STRING: case DER_PRINTABLE: case DER_T61STRING: case DER_IA5STRING:
    case 0x12: case DER_VISIBLE: case DER_UNIVERSAL: case DER_BMPSTRING:
        return 1;
    default:
        return 0;
    }
}

/* see subject_int.h */
int csr_name_atv_parse(name_atv *a, const der_tlv *t, csr_err *err)
{
    der_rd r;
    der_tlv o, v;
    int rc;

    memset(a, 0, sizeof *a);
    if (t->tag != DER_SEQUENCE)
        return csr_err_at(err, CSR_E_BAD_DER, t->off,
                           "AttributeTypeAndValue: expected tag 0x30, got 0x%02x",
                           t->tag);
    der_rd_enter(&r, t);
    if ((rc = der_expect(&r, DER_OID, &o, "attribute type", err)) != CSR_OK)
        return rc;
    if ((rc = der_get_oid(&o, a->oid, "attribute type", err)) != CSR_OK)
        return rc;
    if (!der_rd_more(&r))
        return csr_err_at(err, CSR_E_BAD_DER, der_rd_off(&r), "attribute value missing");
    if ((rc = der_next(&r, &v, err)) != CSR_OK)
        return rc;
    if ((rc = der_finish(&r, "AttributeTypeAndValue", err)) != CSR_OK)
        return rc;
    if (csr_name_is_string_tag(v.tag)) {
        if ((rc = der_check_string(&v, "attribute value", err)) != CSR_OK)
            return rc;
    } else if ((rc = der_check_tree(v.tlv, v.tlv_len, v.off, "attribute value", err))
               != CSR_OK) {
        return rc;
    }
    a->der = (uint8_t *)csr_malloc(t->tlv_len);
    if (a->der == NULL)
        return csr_err_set(err, CSR_E_NOMEM, "out of memory");
    memcpy(a->der, t->tlv, t->tlv_len);
    a->der_len = t->tlv_len;
    a->vtlv_off = (size_t)(v.tlv - t->tlv);
    a->vtlv_len = v.tlv_len;
    a->v_off = (size_t)(v.v - t->tlv);
    a->v_len = v.len;
    a->tag = (int)v.tag;
    a->attr = csr_oid_name(CSR_OID_ATTR, a->oid);
    switch (v.tag) {
    case DER_UTF8STRING: case DER_PRINTABLE: case DER_IA5STRING: case 0x12: case DER_VISIBLE:
        a->text = 1;
        break;
    case DER_BMPSTRING: case DER_UNIVERSAL:
        rc = to_utf8(a, v.v, v.len, (int)v.tag);
        if (rc < 0) {
            csr_name_atv_clear(a);
            return csr_err_set(err, CSR_E_NOMEM, "out of memory");
        }
        a->text = rc;
        break;
    default:
        a->text = 0;
    }
    return CSR_OK;
}

/* see csr.h */
int csr_name_from_der(csr_name **out, const uint8_t *der, size_t len, size_t base,
                      csr_err *err)
{
    csr_name *n = NULL;
    der_rd top, seq, set;
    der_tlv name, rdn, atv;
    name_atv a;
    int rc, first;

    der_rd_init(&top, der, len, base);
    if ((rc = der_expect(&top, DER_SEQUENCE, &name, "Name", err)) != CSR_OK)
        return rc;
    if ((rc = der_finish(&top, "Name", err)) != CSR_OK)
        return rc;
    if ((rc = csr_name_new(&n, err)) != CSR_OK)
        return rc;
    der_rd_enter(&seq, &name);
    while (der_rd_more(&seq)) {
        if ((rc = der_expect(&seq, DER_SET, &rdn, "RelativeDistinguishedName", err)) != CSR_OK)
            goto fail;
        if (rdn.len == 0) {
            rc = csr_err_at(err, CSR_E_BAD_DER, rdn.off, "empty RelativeDistinguishedName");
            goto fail;
        }
        der_rd_enter(&set, &rdn);
        first = 1;
        while (der_rd_more(&set)) {
            if ((rc = der_next(&set, &atv, err)) != CSR_OK)
                goto fail;
            if ((rc = csr_name_atv_parse(&a, &atv, err)) != CSR_OK)
                goto fail;
            if ((rc = csr_name_push(n, &a, first, 0, err)) != CSR_OK)
                goto fail;
            first = 0;
        }
    }
    n->raw = (uint8_t *)csr_malloc(name.tlv_len);
    if (n->raw == NULL) {
        rc = csr_err_set(err, CSR_E_NOMEM, "out of memory");
        goto fail;
    }
    memcpy(n->raw, name.tlv, name.tlv_len);
    n->raw_len = name.tlv_len;
    *out = n;
    return CSR_OK;
fail:
    csr_name_free(n);
    return rc;
}

/* see csr.h */
int csr_name_to_der(csr_buf *out, const csr_name *n)
{
    size_t m, s, i, j;
    if (n->raw != NULL) {
        der_put_raw(out, n->raw, n->raw_len);
        return out->err ? out->err : CSR_OK;
    }
    m = der_open(out, DER_SEQUENCE);
    for (i = 0; i < n->nr; i++) {
        const name_rdn *rd = &n->r[i];
        s = der_open(out, DER_SET);
        for (j = 0; j < rd->count; j++)
            der_put_raw(out, n->a[rd->first + j].der, n->a[rd->first + j].der_len);
        if (rd->built)
            der_close_set(out, s);
        else
            der_close(out, s);
    }
    der_close(out, m);
    return out->err ? out->err : CSR_OK;
}

/* see csr.h */
int csr_name_equal(const csr_name *a, const csr_name *b)
{
    csr_buf x, y;
    int eq;
    csr_buf_init(&x, 0);
    csr_buf_init(&y, 0);
    eq = csr_name_to_der(&x, a) == CSR_OK && csr_name_to_der(&y, b) == CSR_OK &&
         x.len == y.len && (x.len == 0 || memcmp(x.p, y.p, x.len) == 0);
    csr_buf_free(&x);
    csr_buf_free(&y);
    return eq;
}

/* see req.h */
int req_read_name(csr_name **out, const der_tlv *t, const char *what, csr_err *err)
{
    int rc;
    memset(err, 0, sizeof *err);
    rc = csr_name_from_der(out, t->tlv, t->tlv_len, t->off, err);
    if (rc != CSR_OK) {
        *out = NULL;
        if (err->code != rc)              /* the callee left no record */
            return csr_err_at(err, CSR_E_BAD_DER, t->off, "%s: cannot decode", what);
    }
    return rc;
}

/* DER reader steps in the spirit of Go's cryptobyte: a whole input that is one TLV, a TLV
 * entered as a reader over its contents, an OPTIONAL field, an OBJECT IDENTIFIER as text, a
 * counted SEQUENCE OF walk. Decoders built from them read like their ASN.1 modules.
 * SPDX-License-Identifier: MIT */
#include "der.h"

int der_read_one(const uint8_t *p, size_t n, size_t base, unsigned tag, der_tlv *t,
                 const char *what, csr_err *e)
{
    der_rd r;
    int rc;
    der_rd_init(&r, p, n, base);
    if ((rc = der_expect(&r, tag, t, what, e)) != CSR_OK)
        return rc;
    return der_finish(&r, what, e);
}

int der_enter(der_rd *r, unsigned tag, der_rd *in, const char *what, csr_err *e)
{
    der_tlv t;
    int rc = der_expect(r, tag, &t, what, e);
    if (rc == CSR_OK)
        der_rd_enter(in, &t);
    return rc;
}

int der_optional(der_rd *r, unsigned tag, der_tlv *t, int *present, csr_err *e)
{
    *present = der_rd_more(r) && der_peek(r) == tag;
    return *present ? der_next(r, t, e) : CSR_OK;
}

int der_read_oid(der_rd *r, char out[DER_OID_TEXT], const char *what, csr_err *e)
{
    der_tlv t;
    int rc = der_expect(r, DER_OID, &t, what, e);
    return rc != CSR_OK ? rc : der_get_oid(&t, out, what, e);
}

int der_count(const der_tlv *t, size_t *n, csr_err *e)
{
    der_rd in;
    der_tlv x;
    int rc;
    *n = 0;
    der_rd_enter(&in, t);
    while (der_rd_more(&in)) {
        if ((rc = der_next(&in, &x, e)) != CSR_OK)
            return rc;
        (*n)++;
    }
    return CSR_OK;
}

int der_read_first(const der_tlv *t, der_tlv *first, csr_err *e)
{
    der_rd in;
    der_rd_enter(&in, t);
    return der_next(&in, first, e);
}

/* Text of the extensions public CAs put in certificates: authorityInfoAccess, CRL
 * distribution points and certificate policies, laid out as `openssl x509 -text` does.
 * Display only: each returns 0 (having written part of a value, maybe) when it cannot
 * follow the value, and the caller falls back to hex.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "text.h"

/* A GeneralName that is a URI (the common case in AIA and CRL DP), else its tag. */
static void general_name(csr_buf *b, const der_tlv *g)
{
    char tmp[40];
    if (g->tag == DER_CTX(6)) {
        txt_puts(b, "URI:");
        txt_text(b, g->v, g->len);
    } else {
        snprintf(tmp, sizeof tmp, "<GeneralName [%u]>", g->tag & 0x1f);
        txt_puts(b, tmp);
    }
}

/* AuthorityInfoAccessSyntax ::= SEQUENCE OF { accessMethod OID, accessLocation GeneralName } */
int txt_aia(csr_buf *b, const csr_ext_view *x, int ind)
{
    der_rd rd, in, ad;
    der_tlv seq, d, oid, loc;
    char o[DER_OID_TEXT];
    csr_err e;
    der_rd_init(&rd, x->value, x->len, 0);
    if (der_expect(&rd, DER_SEQUENCE, &seq, "aia", &e) != CSR_OK)
        return 0;
    der_rd_enter(&in, &seq);
    while (der_rd_more(&in)) {
        if (der_expect(&in, DER_SEQUENCE, &d, "aia", &e) != CSR_OK)
            return 0;
        der_rd_enter(&ad, &d);
        if (der_expect(&ad, DER_OID, &oid, "aia", &e) != CSR_OK ||
            der_get_oid(&oid, o, "aia", &e) != CSR_OK || der_next(&ad, &loc, &e) != CSR_OK)
            return 0;
        txt_indent(b, ind);
        txt_puts(b, strcmp(o, "1.3.6.1.5.5.7.48.1") == 0 ? "OCSP" :
                    strcmp(o, "1.3.6.1.5.5.7.48.2") == 0 ? "CA Issuers" : o);
        txt_puts(b, " - ");
        general_name(b, &loc);
        txt_puts(b, "\n");
    }
    return 1;
}

/* CRLDistributionPoints ::= SEQUENCE OF DistributionPoint; the fullName URIs are shown. */
int txt_crldp(csr_buf *b, const csr_ext_view *x, int ind)
{
    der_rd rd, in, dp, n1, n2;
    der_tlv seq, d, name, full, g;
    csr_err e;
    der_rd_init(&rd, x->value, x->len, 0);
    if (der_expect(&rd, DER_SEQUENCE, &seq, "crldp", &e) != CSR_OK)
        return 0;
    der_rd_enter(&in, &seq);
    while (der_rd_more(&in)) {
        if (der_expect(&in, DER_SEQUENCE, &d, "crldp", &e) != CSR_OK)
            return 0;
        der_rd_enter(&dp, &d);
        if (der_expect(&dp, DER_CTXC(0), &name, "crldp", &e) != CSR_OK)
            return 0;
        der_rd_enter(&n1, &name);
        if (der_expect(&n1, DER_CTXC(0), &full, "crldp", &e) != CSR_OK)
            return 0;
        txt_line(b, ind, "Full Name:");
        der_rd_enter(&n2, &full);
        while (der_rd_more(&n2) && der_next(&n2, &g, &e) == CSR_OK) {
            txt_indent(b, ind + 2);
            general_name(b, &g);
            txt_puts(b, "\n");
        }
    }
    return 1;
}

/* certificatePolicies ::= SEQUENCE OF { policyIdentifier, qualifiers (CPS URIs shown) } */
int txt_policies(csr_buf *b, const csr_ext_view *x, int ind)
{
    der_rd rd, in, pi, qs, q;
    der_tlv seq, p, oid, quals, qi, qid, v;
    char o[DER_OID_TEXT];
    csr_err e;
    der_rd_init(&rd, x->value, x->len, 0);
    if (der_expect(&rd, DER_SEQUENCE, &seq, "policies", &e) != CSR_OK)
        return 0;
    der_rd_enter(&in, &seq);
    while (der_rd_more(&in)) {
        if (der_expect(&in, DER_SEQUENCE, &p, "policies", &e) != CSR_OK)
            return 0;
        der_rd_enter(&pi, &p);
        if (der_expect(&pi, DER_OID, &oid, "policies", &e) != CSR_OK ||
            der_get_oid(&oid, o, "policies", &e) != CSR_OK)
            return 0;
        txt_indent(b, ind);
        txt_puts(b, "Policy: ");
        txt_puts(b, o);
        txt_puts(b, "\n");
        if (!der_rd_more(&pi) || der_expect(&pi, DER_SEQUENCE, &quals, "q", &e) != CSR_OK)
            continue;
        der_rd_enter(&qs, &quals);
        while (der_rd_more(&qs) && der_expect(&qs, DER_SEQUENCE, &qi, "q", &e) == CSR_OK) {
            der_rd_enter(&q, &qi);
            if (der_expect(&q, DER_OID, &qid, "q", &e) == CSR_OK &&
                der_get_oid(&qid, o, "q", &e) == CSR_OK &&
                strcmp(o, "1.3.6.1.5.5.7.2.1") == 0 &&
                der_expect(&q, DER_IA5STRING, &v, "q", &e) == CSR_OK) {
                txt_indent(b, ind + 2);
                txt_puts(b, "CPS: ");
                txt_text(b, v.v, v.len);
                txt_puts(b, "\n");
            }
        }
    }
    return 1;
}

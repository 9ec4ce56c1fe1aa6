/* The extension printers of the registry (ext.c), laid out as `openssl req -text` and
 * `openssl x509 -text` do: the typed extensions from the decoded view, the key identifiers,
 * authorityInfoAccess, CRL distribution points and certificate policies from the value.
 * A printer returns EXT_TXT_RAW (having written part of a value, maybe) when it cannot follow
 * the value, and txt_ext falls back to hex.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "text.h"
#include "ext.h"
#include "oid.h"

#define TLS_STATUS_REQUEST    5         /* RFC 6066 */
#define TLS_STATUS_REQUEST_V2 17        /* RFC 6961 */

/* A reader over the contents of the SEQUENCE that x's value is; 0 when it is not one. */
static int value_seq(const req_ext *x, der_rd *in)
{
    der_rd rd;
    csr_err e;
    der_rd_init(&rd, x->v.value, x->v.len, 0);
    return der_enter(&rd, DER_SEQUENCE, in, "value", &e) == CSR_OK;
}

/* The next element of in, a SEQUENCE, entered into el; 0 when it is not one. */
static int next_seq(der_rd *in, der_rd *el)
{
    csr_err e;
    return der_enter(in, DER_SEQUENCE, el, "element", &e) == CSR_OK;
}

/* The next element of in, SEQUENCE { OID, ... }, entered into el with the OID read into o. */
static int next_oid_seq(der_rd *in, der_rd *el, char o[DER_OID_TEXT])
{
    csr_err e;
    return next_seq(in, el) && der_read_oid(el, o, "element", &e) == CSR_OK;
}

/* ---- the typed extensions, from r's decoded view ---- */
static int san_dir_name(csr_buf *b, const req_san *s)
{
    csr_name *nm = NULL;
    csr_err e;
    int rc;
    memset(&e, 0, sizeof e);
    txt_puts(b, "DirName:");
    if ((rc = csr_name_from_der(&nm, s->val, s->len, 0, &e)) != CSR_OK)
        return csr_err_set(NULL, rc, "dirName");
    rc = txt_name(b, nm);
    csr_name_free(nm);
    return rc;
}

static int san_entry(csr_buf *b, const req_san *s)
{
    char ip[64];
    switch (s->type) {
    case CSR_SAN_DNS: txt_puts(b, "DNS:"); txt_text(b, s->val, s->len); break;
    case CSR_SAN_EMAIL: txt_puts(b, "email:"); txt_text(b, s->val, s->len); break;
    case CSR_SAN_URI: txt_puts(b, "URI:"); txt_text(b, s->val, s->len); break;
    case CSR_SAN_IP:
        if (csr_ip_format(ip, sizeof ip, s->val, s->len) != CSR_OK)
            snprintf(ip, sizeof ip, "<invalid>");
        txt_puts(b, "IP Address:");
        txt_puts(b, ip);
        break;
    case CSR_SAN_RID: txt_puts(b, "Registered ID:"); txt_puts(b, s->oid); break;
    case CSR_SAN_OTHER:
        txt_puts(b, "othername:");
        txt_puts(b, s->oid);
        txt_puts(b, "::");
        txt_hexinline(b, s->val, s->len);
        break;
    case CSR_SAN_DIR: return san_dir_name(b, s);
    default: break;
    }
    return CSR_OK;
}

int ext_txt_san(csr_buf *b, const csr_req *r, const req_ext *x, int ind)
{
    size_t i;
    int rc;
    (void)x;
    txt_indent(b, ind);
    for (i = 0; i < r->nsan; i++) {
        if (i > 0)
            txt_puts(b, ", ");
        if ((rc = san_entry(b, &r->san[i])) != CSR_OK)
            return rc;
    }
    txt_puts(b, "\n");
    return CSR_OK;
}

int ext_txt_ku(csr_buf *b, const csr_req *r, const req_ext *x, int ind)
{
    int j, first = 1;
    (void)x;
    txt_indent(b, ind);
    for (j = 0; j < 9; j++)
        if (r->ku & (1u << j)) {
            txt_puts(b, first ? "" : ", ");
            txt_puts(b, csr_ku_label(j));
            first = 0;
        }
    txt_puts(b, "\n");
    return CSR_OK;
}

int ext_txt_eku(csr_buf *b, const csr_req *r, const req_ext *x, int ind)
{
    size_t i;
    (void)x;
    txt_indent(b, ind);
    for (i = 0; i < r->neku; i++) {
        const csr_oid_info *e = csr_oid_find(CSR_OID_EKU, r->eku[i].oid);
        txt_puts(b, i ? ", " : "");
        txt_puts(b, e != NULL ? e->label : r->eku[i].oid);
    }
    txt_puts(b, "\n");
    return CSR_OK;
}

int ext_txt_bc(csr_buf *b, const csr_req *r, const req_ext *x, int ind)
{
    char tmp[64];
    (void)x;
    if (r->bc_pathlen >= 0)
        snprintf(tmp, sizeof tmp, "CA:%s, pathlen:%d", r->bc_ca ? "TRUE" : "FALSE",
                 r->bc_pathlen);
    else
        snprintf(tmp, sizeof tmp, "CA:%s", r->bc_ca ? "TRUE" : "FALSE");
    txt_line(b, ind, tmp);
    return CSR_OK;
}

/* Features ::= SEQUENCE OF INTEGER (RFC 7633), the TLS extension numbers by name */
int ext_txt_tls_feature(csr_buf *b, const csr_req *r, const req_ext *x, int ind)
{
    der_rd in;
    der_tlv t;
    csr_err e;
    char tmp[48];
    long v;
    int first = 1;
    (void)r;
    txt_indent(b, ind);
    if (value_seq(x, &in)) {
        while (der_rd_more(&in) && der_next(&in, &t, &e) == CSR_OK &&
               der_get_uint(&t, &v, "f", &e) == CSR_OK) {
            const char *sep = first ? "" : ", ";
            if (v == TLS_STATUS_REQUEST)
                snprintf(tmp, sizeof tmp, "%sstatus_request", sep);
            else if (v == TLS_STATUS_REQUEST_V2)
                snprintf(tmp, sizeof tmp, "%sstatus_request_v2", sep);
            else
                snprintf(tmp, sizeof tmp, "%s%ld", sep, v);
            txt_puts(b, tmp);
            first = 0;
        }
    }
    txt_puts(b, "\n");
    return CSR_OK;
}

/* ---- key identifiers ---- */
/* SubjectKeyIdentifier ::= OCTET STRING (short: the decoder checked it), inline hex */
int ext_txt_ski(csr_buf *b, const csr_req *r, const req_ext *x, int ind)
{
    (void)r;
    if (x->v.len < 2)
        return EXT_TXT_RAW;
    txt_indent(b, ind);
    txt_hexinline(b, x->v.value + 2, x->v.len - 2);
    txt_puts(b, "\n");
    return CSR_OK;
}

/* AuthorityKeyIdentifier: the keyIdentifier [0] in hex, else the raw value. */
int ext_txt_aki(csr_buf *b, const csr_req *r, const req_ext *x, int ind)
{
    der_rd in;
    der_tlv t;
    csr_err e;
    (void)r;
    if (!value_seq(x, &in) || der_next(&in, &t, &e) != CSR_OK || t.tag != DER_CTX(0))
        return EXT_TXT_RAW;
    txt_indent(b, ind);
    txt_hexinline(b, t.v, t.len);
    txt_puts(b, "\n");
    return CSR_OK;
}

/* ---- what public CAs put in certificates ---- */
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
int ext_txt_aia(csr_buf *b, const csr_req *r, const req_ext *x, int ind)
{
    der_rd in, ad;
    der_tlv loc;
    char o[DER_OID_TEXT];
    csr_err e;
    (void)r;
    if (!value_seq(x, &in))
        return EXT_TXT_RAW;
    while (der_rd_more(&in)) {
        if (!next_oid_seq(&in, &ad, o) || der_next(&ad, &loc, &e) != CSR_OK)
            return EXT_TXT_RAW;
        txt_indent(b, ind);
        txt_puts(b, strcmp(o, OID_AD_OCSP) == 0 ? "OCSP" :
                    strcmp(o, OID_AD_CA_ISSUERS) == 0 ? "CA Issuers" : o);
        txt_puts(b, " - ");
        general_name(b, &loc);
        txt_puts(b, "\n");
    }
    return CSR_OK;
}

/* CRLDistributionPoints ::= SEQUENCE OF DistributionPoint; the fullName URIs are shown. */
int ext_txt_crldp(csr_buf *b, const csr_req *r, const req_ext *x, int ind)
{
    der_rd in, dp, name, full;
    der_tlv g;
    csr_err e;
    (void)r;
    if (!value_seq(x, &in))
        return EXT_TXT_RAW;
    while (der_rd_more(&in)) {
        if (!next_seq(&in, &dp) || der_enter(&dp, DER_CTXC(0), &name, "crldp", &e) != CSR_OK ||
            der_enter(&name, DER_CTXC(0), &full, "crldp", &e) != CSR_OK)
            return EXT_TXT_RAW;
        txt_line(b, ind, "Full Name:");
        while (der_rd_more(&full) && der_next(&full, &g, &e) == CSR_OK) {
            txt_indent(b, ind + 2);
            general_name(b, &g);
            txt_puts(b, "\n");
        }
    }
    return CSR_OK;
}

/* PolicyQualifierInfo ::= SEQUENCE { policyQualifierId, qualifier }: a CPS URI is shown. */
static void policy_qualifiers(csr_buf *b, der_rd *pi, int ind)
{
    der_rd qs, q;
    der_tlv v;
    char o[DER_OID_TEXT];
    csr_err e;
    if (!der_rd_more(pi) || der_enter(pi, DER_SEQUENCE, &qs, "q", &e) != CSR_OK)
        return;
    while (der_rd_more(&qs) && next_seq(&qs, &q)) {
        if (der_read_oid(&q, o, "q", &e) == CSR_OK && strcmp(o, OID_QT_CPS) == 0 &&
            der_expect(&q, DER_IA5STRING, &v, "q", &e) == CSR_OK) {
            txt_indent(b, ind);
            txt_puts(b, "CPS: ");
            txt_text(b, v.v, v.len);
            txt_puts(b, "\n");
        }
    }
}

/* certificatePolicies ::= SEQUENCE OF { policyIdentifier, policyQualifiers OPTIONAL } */
int ext_txt_policies(csr_buf *b, const csr_req *r, const req_ext *x, int ind)
{
    der_rd in, pi;
    char o[DER_OID_TEXT];
    (void)r;
    if (!value_seq(x, &in))
        return EXT_TXT_RAW;
    while (der_rd_more(&in)) {
        if (!next_oid_seq(&in, &pi, o))
            return EXT_TXT_RAW;
        txt_indent(b, ind);
        txt_puts(b, "Policy: ");
        txt_puts(b, o);
        txt_puts(b, "\n");
        policy_qualifiers(b, &pi, ind + 2);
    }
    return CSR_OK;
}

/* csr_req_text: a human-readable dump in the spirit of `openssl req -text -noout`.
 * Text values are shown as UTF-8; control bytes are escaped as \xNN.
 * SPDX-License-Identifier: MIT */
#include <string.h>
#include <stdio.h>

#include "text.h"
#include "ext.h"
#include "oid.h"

void txt_puts(csr_buf *b, const char *s)
{
    csr_buf_put(b, s, strlen(s));
}

void txt_indent(csr_buf *b, int n)
{
    static const char sp[] = "                                        ";
    csr_buf_put(b, sp, (size_t)(n < 40 ? n : 40));
}

void txt_line(csr_buf *b, int ind, const char *s)
{
    txt_indent(b, ind);
    txt_puts(b, s);
    txt_puts(b, "\n");
}

/* Text with control bytes (and DEL) escaped; UTF-8 kept. */
void txt_text(csr_buf *b, const uint8_t *s, size_t n)
{
    size_t i;
    char esc[5];
    for (i = 0; i < n; i++) {
        if (s[i] < 0x20 || s[i] == 0x7f) {
            snprintf(esc, sizeof esc, "\\x%02x", s[i]);
            txt_puts(b, esc);
        } else {
            csr_buf_put(b, &s[i], 1);
        }
    }
}

/* Colon-separated hex, 15 bytes a line (openssl style). */
void txt_hexdump(csr_buf *b, int ind, const uint8_t *p, size_t n)
{
    size_t i;
    char h[4];
    for (i = 0; i < n; i++) {
        if (i % 15 == 0)
            txt_indent(b, ind);
        snprintf(h, sizeof h, "%02x%s", p[i], i + 1 < n ? ":" : "");
        txt_puts(b, h);
        if (i % 15 == 14 || i + 1 == n)
            txt_puts(b, "\n");
    }
}

void txt_hexinline(csr_buf *b, const uint8_t *p, size_t n)
{
    size_t i;
    char h[4];
    for (i = 0; i < n; i++) {
        snprintf(h, sizeof h, "%02X%s", p[i], i + 1 < n ? ":" : "");
        txt_puts(b, h);
    }
}

int txt_name(csr_buf *b, const csr_name *n)
{
    csr_buf t;
    int rc;
    csr_buf_init(&t, 0);
    rc = n != NULL ? csr_name_to_text(&t, n) : CSR_OK;
    if (rc == CSR_OK)
        txt_text(b, t.p, t.len);
    csr_buf_free(&t);
    return rc;
}

/* RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }, as openssl lays
 * it out; nothing when it does not read. */
static void rsa_text(csr_buf *b, const uint8_t *v, size_t n)
{
    der_rd kr, ki;
    der_tlv ks, mod, ex;
    csr_err e;
    char tmp[80];
    long exv;
    der_rd_init(&kr, v, n, 0);
    if (der_next(&kr, &ks, &e) != CSR_OK)
        return;
    der_rd_enter(&ki, &ks);
    if (der_next(&ki, &mod, &e) != CSR_OK || der_next(&ki, &ex, &e) != CSR_OK)
        return;
    txt_line(b, 16, "Modulus:");
    txt_hexdump(b, 20, mod.v, mod.len);
    if (der_get_uint(&ex, &exv, "e", &e) == CSR_OK) {
        snprintf(tmp, sizeof tmp, "Exponent: %ld (0x%lx)", exv, (unsigned long)exv);
        txt_line(b, 16, tmp);
    }
}

/* A key this build loaded: algorithm, size, the key bits v (NULL: unreadable), the curve. */
static void key_text(csr_buf *b, const csr_key *k, const uint8_t *v, size_t n)
{
    int t = csr_key_type(k);
    const char *kalg = csr_oid_find_id(CSR_OID_KEYALG, t)->label;
    const csr_oid_info *curve = csr_oid_find_id(CSR_OID_CURVE, csr_key_curve(k));
    char tmp[200];

    snprintf(tmp, sizeof tmp, "Public Key Algorithm: %s", kalg);
    txt_line(b, 12, tmp);
    if (t == CSR_KEY_ED25519 || t == CSR_KEY_ED448)
        snprintf(tmp, sizeof tmp, "%s Public-Key:", kalg);
    else
        snprintf(tmp, sizeof tmp, "Public-Key: (%d bit)", csr_key_bits(k));
    txt_line(b, 16, tmp);
    if (t == CSR_KEY_RSA && v != NULL) {
        rsa_text(b, v, n);
    } else if (v != NULL) {
        txt_line(b, 16, "pub:");
        txt_hexdump(b, 20, v, n);
    }
    if (t == CSR_KEY_EC && curve != NULL) {
        snprintf(tmp, sizeof tmp, "ASN1 OID: %s", curve->label);
        txt_line(b, 16, tmp);
        snprintf(tmp, sizeof tmp, "NIST CURVE: %s", curve->name);
        txt_line(b, 16, tmp);
    }
}

void txt_pubkey(csr_buf *b, const csr_req *r)
{
    der_tlv alg, bits;
    const uint8_t *v = NULL;
    size_t n = 0;
    int unused;
    csr_err e;
    char tmp[200];

    if (der_read_spki(r->spki, r->spki_len, &alg, &bits, &e) != CSR_OK ||
        der_get_bit_string(&bits, &v, &n, &unused, "key", &e) != CSR_OK)
        v = NULL;
    txt_line(b, 8, "Subject Public Key Info:");
    if (r->key != NULL) {
        key_text(b, r->key, v, n);
        return;
    }
    snprintf(tmp, sizeof tmp, "Public Key Algorithm: %s (not supported)", r->key_alg);
    txt_line(b, 12, tmp);
    if (v != NULL) {
        txt_line(b, 16, "Unable to load Public Key; raw key bits:");
        txt_hexdump(b, 20, v, n);
    }
}

/* One extension: its label at ind, then the value by the registry's printer at ind + 4
 * (hex when there is none, or it cannot follow the value). */
int txt_ext(csr_buf *b, const csr_req *r, const req_ext *x, int ind)
{
    const csr_oid_info *known = csr_oid_find(CSR_OID_EXT, x->oid);
    const char *label = known != NULL && known->label != NULL ? known->label :
                        x->v.name != NULL ? x->v.name : x->oid;
    const ext_row *row = ext_find(x->oid);
    size_t mark;
    char tmp[160];
    int rc;

    snprintf(tmp, sizeof tmp, "%s:%s", label, x->v.critical ? " critical" : "");
    txt_line(b, ind, tmp);
    mark = b->len;
    rc = row != NULL && row->text != NULL ? row->text(b, r, x, ind + 4) : EXT_TXT_RAW;
    if (rc != EXT_TXT_RAW)
        return rc;
    if (b->err == 0) {
        b->len = mark;                  /* what could not be followed, in hex */
        txt_hexdump(b, ind + 4, x->v.value, x->v.len);
    }
    return CSR_OK;
}

void txt_signature(csr_buf *b, const char *alg, const uint8_t *sig, size_t n)
{
    txt_indent(b, 4);
    txt_puts(b, "Signature Algorithm: ");
    txt_puts(b, alg);
    txt_puts(b, "\n");
    txt_line(b, 4, "Signature Value:");
    txt_hexdump(b, 8, sig, n);
}

/* "<name padded to 24> :<text value>" at indent 12 (challengePassword, unstructuredName). */
static void text_attr(csr_buf *b, const char *nm, const uint8_t *v, size_t len)
{
    char tmp[160];
    snprintf(tmp, sizeof tmp, "%-24s :", nm);
    txt_indent(b, 12);
    txt_puts(b, tmp);
    txt_text(b, v, len);
    txt_puts(b, "\n");
}

static int attrs_text(csr_buf *b, const csr_req *r)
{
    size_t i, k;
    int rc;
    char tmp[160];
    txt_line(b, 8, "Attributes:");
    if (r->nattrs == 0)
        txt_line(b, 12, "(none)");
    for (i = 0; i < r->nattrs; i++) {
        const req_attr *a = &r->attrs[i];
        const char *nm = a->v.name != NULL ? a->v.name : a->oid;
        if (strcmp(a->oid, OID_EXT_REQUEST) == 0 || strcmp(a->oid, OID_MS_EXT_REQUEST) == 0) {
            txt_line(b, 12, "Requested Extensions:");
            for (k = 0; k < r->nexts; k++)
                if ((rc = txt_ext(b, r, &r->exts[k], 16)) != CSR_OK)
                    return rc;
        } else if (strcmp(a->oid, OID_CHALLENGE) == 0 && r->challenge != NULL &&
                   r->challenge_tag != DER_T61STRING) {
            text_attr(b, nm, r->challenge, r->challenge_len);
        } else if (strcmp(a->oid, OID_UNSTRUCTURED) == 0 && r->unstructured != NULL &&
                   r->unstructured_tag != DER_T61STRING) {
            text_attr(b, nm, r->unstructured, r->unstructured_len);
        } else {
            const uint8_t *v;
            size_t vl, j = 0;
            snprintf(tmp, sizeof tmp, "%s:", nm);
            txt_line(b, 12, tmp);
            while (csr_attr_value(&a->v, j++, &v, &vl))
                txt_hexdump(b, 16, v, vl);
        }
    }
    return CSR_OK;
}

int csr_req_text(csr_buf *out, const csr_req *r, csr_err *err)
{
    int rc;
    txt_line(out, 0, "Certificate Request:");
    txt_line(out, 4, "Data:");
    txt_line(out, 8, "Version: 1 (0x0)");
    txt_indent(out, 8);
    txt_puts(out, "Subject: ");
    if ((rc = txt_name(out, r->subject)) != CSR_OK)
        return csr_err_set(err, rc, "cannot format the subject");
    txt_puts(out, "\n");
    txt_pubkey(out, r);
    if ((rc = attrs_text(out, r)) != CSR_OK)
        return csr_err_set(err, rc, "cannot format an attribute");
    if (r->is_signed) {
        txt_signature(out, r->sigalg, r->sig, r->sig_len);
    } else {
        txt_line(out, 4, "(not signed)");
    }
    if (out->err)
        return csr_err_set(err, out->err, "out of memory");
    return CSR_OK;
}

/* csr_cert_text: a human-readable dump in the spirit of `openssl x509 -text -noout`, built
 * from the request printers (text.c) for names, keys and extensions.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "cert.h"
#include "text.h"

/* "Serial Number: 4660 (0x1234)" for serials that fit a long, else a hex dump. */
static void serial_text(csr_buf *b, const csr_cert *c)
{
    char tmp[80];
    unsigned long v = 0;
    size_t i;
    if (c->serial_len < sizeof(long)) {
        for (i = 0; i < c->serial_len; i++)
            v = (v << 8) | c->serial[i];
        snprintf(tmp, sizeof tmp, "Serial Number: %lu (0x%lx)", v, v);
        txt_line(b, 8, tmp);
        return;
    }
    txt_line(b, 8, "Serial Number:");
    txt_indent(b, 12);                  /* one line, as openssl prints it */
    for (i = 0; i < c->serial_len; i++) {
        snprintf(tmp, sizeof tmp, "%02x%s", c->serial[i], i + 1 < c->serial_len ? ":" : "\n");
        txt_puts(b, tmp);
    }
}

static void date_line(csr_buf *b, const char *label, int64_t t)
{
    char d[40], tmp[80];
    der_time_text(d, t);
    snprintf(tmp, sizeof tmp, "%s: %s", label, d);
    txt_line(b, 12, tmp);
}

static int name_line(csr_buf *b, const char *label, const csr_name *n)
{
    txt_indent(b, 8);
    txt_puts(b, label);
    if (txt_name(b, n) != CSR_OK)
        return CSR_E_BAD_NAME;
    txt_puts(b, "\n");
    return CSR_OK;
}

int csr_cert_text(csr_buf *out, const csr_cert *c, csr_err *err)
{
    const csr_req *v = c->view;
    size_t i;
    int rc;

    txt_line(out, 0, "Certificate:");
    txt_line(out, 4, "Data:");
    txt_line(out, 8, c->version == 3 ? "Version: 3 (0x2)" : "Version: 1 (0x0)");
    serial_text(out, c);
    txt_indent(out, 8);
    txt_puts(out, "Signature Algorithm: ");
    txt_puts(out, c->sigalg);
    txt_puts(out, "\n");
    if (name_line(out, "Issuer: ", c->issuer) != CSR_OK)
        return csr_err_set(err, CSR_E_BAD_NAME, "cannot format the issuer");
    txt_line(out, 8, "Validity");
    date_line(out, "Not Before", c->not_before);
    date_line(out, "Not After ", c->not_after);
    if (name_line(out, "Subject: ", v->subject) != CSR_OK)
        return csr_err_set(err, CSR_E_BAD_NAME, "cannot format the subject");
    txt_pubkey(out, v);
    if (v->nexts > 0)
        txt_line(out, 8, "X509v3 extensions:");
    for (i = 0; i < v->nexts; i++)
        if ((rc = txt_ext(out, v, &v->exts[i], 12)) != CSR_OK)
            return csr_err_set(err, rc, "cannot format an extension");
    txt_signature(out, c->sigalg, c->sig, c->sig_len);
    if (out->err)
        return csr_err_set(err, out->err, "out of memory");
    return CSR_OK;
}

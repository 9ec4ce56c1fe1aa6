/* Policy checks a CA runs on a request before issuing: every problem is reported, each with
 * a stable code, the field it concerns and a message. This file: the problem list, the
 * signature, version, digest, subject, CN and extension checks; SAN entries are in
 * policy_name.c, key checks in policy_key.c.
 * SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "policy_int.h"

void csr_policy_default(csr_policy *p)
{
    memset(p, 0, sizeof *p);
    p->min_rsa_bits = 2048;
    p->max_rsa_bits = 4096;
    p->curves = (1u << CSR_CURVE_P256) | (1u << CSR_CURVE_P384) | (1u << CSR_CURVE_P521);
    p->eddsa = 1;
    p->rsa_exponents[0] = 65537;
    p->nexponents = 1;
    p->digests = (1u << CSR_MD_SHA256) | (1u << CSR_MD_SHA384) | (1u << CSR_MD_SHA512);
    p->allow_ca = 0;
    p->require_san = 1;
    p->public_ip_only = 0;
    p->max_sans = 100;
    p->wildcards = 1;
}

void csr_problems_free(csr_problems *ps)
{
    csr_free(ps->v);
    ps->v = NULL;
    ps->n = ps->cap = 0;
}

void pol_add(pol_ctx *c, const char *code, const char *field, const char *fmt, ...)
{
    csr_problems *ps = c->ps;
    csr_problem *x;
    va_list ap;

    if (c->err)
        return;
    if (ps->n == ps->cap) {
        size_t cap = ps->cap ? ps->cap * 2 : 8;
        csr_problem *v = (csr_problem *)csr_calloc(cap, sizeof *v);
        if (v == NULL) {
            c->err = CSR_E_NOMEM;
            return;
        }
        if (ps->n)
            memcpy(v, ps->v, ps->n * sizeof *v);
        csr_free(ps->v);
        ps->v = v;
        ps->cap = cap;
    }
    x = &ps->v[ps->n++];
    x->code = code;
    snprintf(x->field, sizeof x->field, "%s", field);
    va_start(ap, fmt);
    vsnprintf(x->msg, sizeof x->msg, fmt, ap);
    va_end(ap);
}

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if none starts there. */
static size_t utf8_seq(const uint8_t *s, size_t n)
{
    size_t k = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
    return s[0] >= 0xc2 && s[0] <= 0xf4 && k <= n && csr_utf8_valid(s, k) ? k : 0;
}

void pol_quote(char *out, size_t outsz, const uint8_t *v, size_t n)
{
    size_t i = 0, o = 0, lim = n > 64 ? 64 : n;

    if (outsz < 300)
        return;
    out[o++] = '"';
    while (i < lim) {
        size_t k = v[i] >= 0x80 ? utf8_seq(v + i, n - i) : 1;
        int c1 = k == 2 && v[i] == 0xc2 && v[i + 1] < 0xa0;     /* U+0080..U+009F */
        if (k > 1 && !c1) {
            memcpy(out + o, v + i, k);
            o += k;
            i += k;
        } else if (v[i] < 0x20 || v[i] == 0x7f || v[i] >= 0x80 || v[i] == '"' || v[i] == '\\') {
            o += (size_t)snprintf(out + o, 5, v[i] == '"' || v[i] == '\\' ? "\\%c" : "\\x%02x",
                                  v[i]);
            i++;
        } else
            out[o++] = (char)v[i++];
    }
    if (lim < n) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o++] = '"';
    out[o] = '\0';
}

int pol_has_control(const uint8_t *v, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (v[i] < 0x20 || v[i] == 0x7f || (v[i] == 0xc2 && i + 1 < n && v[i + 1] >= 0x80 &&
                                            v[i + 1] < 0xa0))
            return 1;
    return 0;
}

int pol_ieq(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
    size_t i;
    if (an != bn)
        return 0;
    for (i = 0; i < an; i++) {
        uint8_t x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = (uint8_t)(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = (uint8_t)(y + 32);
        if (x != y)
            return 0;
    }
    return 1;
}

/* bad_signature and weak_digest */
static void check_signature(pol_ctx *c)
{
    csr_err e;
    csr_sig sp;
    char name[64];
    int kt, rc;

    memset(&e, 0, sizeof e);
    rc = csr_req_verify(c->r, &e);
    if (rc == CSR_E_NOMEM) {
        c->err = rc;
        return;
    }
    if (rc != CSR_OK)
        pol_add(c, "bad_signature", "signature", "%s", e.msg);
    if (!c->r->is_signed ||
        csr_sigalg_decode(c->r->algid, c->r->algid_len, c->r->algid_off, &kt, &sp, name, &e))
        return;
    if (kt == 0) {
        if (strncmp(name, "md", 2) == 0 || strstr(name, "SHA1") != NULL)
            pol_add(c, "weak_digest", "signature_algorithm", "%s is not allowed", name);
    } else if (sp.md == CSR_MD_SHA1 && !(c->p->digests & (1u << sp.md)))
        pol_add(c, "weak_digest", "signature_algorithm", "SHA-1 signatures (%s) are not allowed",
                name);
    else if (sp.md != CSR_MD_NONE && !(c->p->digests & (1u << sp.md)))
        pol_add(c, "weak_digest", "signature_algorithm", "%s: the digest %s is not allowed", name,
                csr_md_name(sp.md));
}

/* A CN that looks like a host name: a dot and nothing but letters, digits, '-', '.', '_', '*' */
static int hostlike(const uint8_t *v, size_t n)
{
    size_t i;
    if (memchr(v, '.', n) == NULL)
        return 0;
    for (i = 0; i < n; i++)
        if (!((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z') ||
              (v[i] >= '0' && v[i] <= '9') || strchr("-._*", v[i]) != NULL))
            return 0;
    return 1;
}

static int in_dns_sans(const csr_req *r, const uint8_t *v, size_t n)
{
    size_t i;
    for (i = 0; i < r->nsan; i++)
        if (r->san[i].type == CSR_SAN_DNS && pol_ieq(r->san[i].val, r->san[i].len, v, n))
            return 1;
    return 0;
}

static void check_cn(pol_ctx *c, const uint8_t *v, size_t n)
{
    char q[300];
    uint8_t ip[16];

    pol_quote(q, sizeof q, v, n);
    if (n > 0 && n <= 45 && memchr(v, '\0', n) == NULL && csr_ip_parse(ip, (const char *)v, n))
        pol_add(c, "cn_is_ip", "subject.CN", "the CN %s is an IP address (put it in the SAN only)",
                q);
    else if (hostlike(v, n) && !in_dns_sans(c->r, v, n))
        pol_add(c, "cn_not_in_san", "subject.CN", c->r->nsan == 0 ?
                "the CN %s is a host name and the request has no SAN" :
                "the CN %s is not among the DNS SANs", q);
}

/* empty_subject, no_san, control characters in the subject, the CN checks */
static void check_subject(pol_ctx *c)
{
    const csr_name *s = c->r->subject;
    size_t i, j, nr = s != NULL ? csr_name_rdn_count(s) : 0;

    if (nr == 0 && c->r->nsan == 0)
        pol_add(c, "empty_subject", "subject", "the subject is empty and there is no SAN");
    if (c->p->require_san && c->r->nsan == 0)
        pol_add(c, "no_san", "san", "the request has no subjectAltName");
    for (i = 0; i < nr; i++)
        for (j = 0; j < csr_name_rdn_size(s, i); j++) {
            const char *attr;
            const uint8_t *v;
            size_t n;
            int tag;
            char field[32], q[300];
            if (csr_name_get(s, i, j, &attr, &v, &n, &tag) != 1)
                continue;
            snprintf(field, sizeof field, "subject.%s", attr);
            if (pol_has_control(v, n)) {
                pol_quote(q, sizeof q, v, n);
                pol_add(c, "control_character", field, "%s holds a control character", q);
            } else if (strcmp(attr, "CN") == 0)
                check_cn(c, v, n);
        }
}

/* Extensions a CA understands in a request: the ones the parser decodes (by their names). */
static int known_ext(const char *name)
{
    static const char *const known[] = {"subjectAltName", "keyUsage", "extendedKeyUsage",
                                        "basicConstraints", "tlsfeature",
                                        "subjectKeyIdentifier", NULL};
    int i;
    for (i = 0; name != NULL && known[i] != NULL; i++)
        if (strcmp(known[i], name) == 0)
            return 1;
    return 0;
}

static void check_extensions(pol_ctx *c)
{
    size_t i;
    for (i = 0; i < c->r->nexts; i++) {
        const csr_ext_view *x = &c->r->exts[i].v;
        if (x->critical && !known_ext(x->name))
            pol_add(c, "unknown_critical_extension", "extensions",
                    "critical extension %s is not understood", x->name ? x->name : x->oid);
    }
    if (c->r->bc_set && c->r->bc_ca && !c->p->allow_ca)
        pol_add(c, "ca_requested", "basic_constraints",
                "basicConstraints asks for CA:TRUE and the policy does not allow CAs");
}

int csr_req_check(csr_problems *out, const csr_req *r, const csr_policy *p, csr_err *err)
{
    pol_ctx c;

    c.ps = out;
    c.p = p;
    c.r = r;
    c.err = 0;
    check_signature(&c);
    if (r->version != 0)
        pol_add(&c, "bad_version", "version", "version is %d, PKCS#10 has only v1 (0)",
                r->version);
    pol_check_key(&c);
    check_subject(&c);
    pol_check_sans(&c);
    check_extensions(&c);
    if (c.err)
        return csr_err_set(err, c.err, c.err == CSR_E_NOMEM ? "out of memory"
                                                            : "RSA key arithmetic failed");
    return CSR_OK;
}

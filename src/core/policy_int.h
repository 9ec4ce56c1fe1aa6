/* Internal to the policy checks (policy.c, policy_name.c, policy_key.c).
 * SPDX-License-Identifier: MIT */
#ifndef CSR_POLICY_INT_H
#define CSR_POLICY_INT_H

#include "req.h"

typedef struct pol_ctx {
    csr_problems *ps;
    const csr_policy *p;
    const csr_req *r;
    int err;                    /* sticky: CSR_E_NOMEM once an append failed */
} pol_ctx;

/* Appends {code, field, message}; a failed allocation sets c->err. */
void pol_add(pol_ctx *c, const char *code, const char *field, const char *fmt, ...)
    CSR_PRINTF(4, 5);
/* v for a message, in double quotes: bytes under 0x20, 0x7f and invalid UTF-8 as \xNN,
 * cut after 64 bytes with "...". out must hold at least 300 bytes. */
void pol_quote(char *out, size_t outsz, const uint8_t *v, size_t n);
/* 1 if v holds a C0 control character (NUL included), DEL or a C1 control (U+0080..U+009F). */
int pol_has_control(const uint8_t *v, size_t n);
/* ASCII case-insensitive equality of two byte strings. */
int pol_ieq(const uint8_t *a, size_t an, const uint8_t *b, size_t bn);

/* policy_name.c: every SAN entry (DNS, IP, email, URI; duplicates, count, control chars) */
void pol_check_sans(pol_ctx *c);
/* NULL when s[0..n) is a valid host name (no wildcard), else why not (static text). */
const char *pol_dns_problem(const char *s, size_t n);

/* policy_key.c: key size, exponent and factoring checks, curves, EdDSA */
void pol_check_key(pol_ctx *c);

#endif

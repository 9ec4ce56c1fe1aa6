/* Policy checks of subjectAltName entries: host names (RFC 1034/1123 LDH labels, IDNA A-labels
 * through libidn2, opened on the first such label), wildcards, IP ranges, email addresses, URIs, control characters,
 * duplicates and the count.
 * SPDX-License-Identifier: MIT */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <idn2.h>

#include "policy_int.h"

static int is_alpha(int ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'); }
static int is_digit(int ch) { return ch >= '0' && ch <= '9'; }

/* libidn2 is opened when the first xn-- label is checked, not when the module loads: linked in,
 * it and libunistring add 570 symbol bindings to every process that loads the module (Lua
 * opens C modules with RTLD_NOW), most of which never check a name. idn2.h still gives the
 * prototypes; the sizeof below compares them with ours without referring to the library (a
 * mismatch is a "distinct pointer types" warning). */
#ifndef CSR_IDN2_SONAME
#ifdef __APPLE__
#define CSR_IDN2_SONAME "libidn2.0.dylib"
#else
#define CSR_IDN2_SONAME "libidn2.so.0"
#endif
#endif

typedef int (*idn2_to_unicode_fn)(const char *, char **, int);
typedef int (*idn2_lookup_fn)(const uint8_t *, uint8_t **, int);
typedef void (*idn2_free_fn)(void *);
enum {
    IDN2_PROTOTYPES_MATCH = sizeof(idn2_to_unicode_8z8z == (idn2_to_unicode_fn)0) +
                            sizeof(idn2_lookup_u8 == (idn2_lookup_fn)0) +
                            sizeof(idn2_free == (idn2_free_fn)0)
};

static struct {
    idn2_to_unicode_fn to_unicode;
    idn2_lookup_fn lookup;
    idn2_free_fn free;
} idn2;
static pthread_once_t idn2_once = PTHREAD_ONCE_INIT;

/* dlsym's object pointer into a function pointer (memcpy: ISO C has no cast between them) */
static int idn2_sym(void *lib, const char *name, void *fn, size_t size)
{
    void *p = dlsym(lib, name);
    if (p == NULL || size != sizeof p)
        return 0;
    memcpy(fn, &p, size);
    return 1;
}

/* Once per process; the library stays open. All three functions or none. */
static void idn2_open(void)
{
    void *lib = dlopen(CSR_IDN2_SONAME, RTLD_LAZY | RTLD_LOCAL);
    if (lib == NULL)
        return;
    if (!idn2_sym(lib, "idn2_to_unicode_8z8z", &idn2.to_unicode, sizeof idn2.to_unicode) ||
        !idn2_sym(lib, "idn2_lookup_u8", &idn2.lookup, sizeof idn2.lookup) ||
        !idn2_sym(lib, "idn2_free", &idn2.free, sizeof idn2.free)) {
        idn2.to_unicode = NULL;
        (void)dlclose(lib);
    }
}

/* An "xn--" label: valid punycode, decoding to a U-label IDNA2008 allows, and the canonical
 * (lower-case) encoding of that U-label. */
static const char *alabel_problem(const char *s, size_t n)
{
    char lab[64];
    char *u = NULL, *back = NULL;
    const char *why = NULL;
    size_t i;

    for (i = 0; i < n; i++)
        lab[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    lab[n] = '\0';
    (void)pthread_once(&idn2_once, idn2_open);
    if (idn2.to_unicode == NULL)
        return "an xn-- label cannot be checked: libidn2 (" CSR_IDN2_SONAME ") cannot be loaded";
    if (idn2.to_unicode(lab, &u, 0) != IDN2_OK)
        why = "an xn-- label is not valid punycode";
    else if (idn2.lookup((const uint8_t *)u, (uint8_t **)&back,
                         IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL) != IDN2_OK)
        why = "an xn-- label decodes to characters IDNA2008 does not allow";
    else if (strcmp(back, lab) != 0)
        why = "an xn-- label is not the canonical encoding of its Unicode form";
    idn2.free(u);
    idn2.free(back);
    return why;
}

static const char *label_problem(const char *s, size_t n)
{
    size_t i;
    if (n == 0)
        return "empty label";
    if (n > 63)
        return "a label is longer than 63 octets";
    for (i = 0; i < n; i++) {
        if (s[i] == '_')
            return "underscore in a label";
        if (!is_alpha(s[i]) && !is_digit(s[i]) && s[i] != '-')
            return "a character other than letters, digits, '-' and '.'";
    }
    if (s[0] == '-' || s[n - 1] == '-')
        return "a label starts or ends with a hyphen";
    if (n >= 4 && s[2] == '-' && s[3] == '-') {
        if ((s[0] == 'x' || s[0] == 'X') && (s[1] == 'n' || s[1] == 'N'))
            return alabel_problem(s, n);
        return "a label has '--' in the third and fourth position but is not an xn-- label";
    }
    return NULL;
}

const char *pol_dns_problem(const char *s, size_t n)
{
    size_t i = 0, start = 0, last = 0;
    const char *why;

    if (n == 0)
        return "empty name";
    if (n > 253)
        return "longer than 253 octets";
    if (s[n - 1] == '.')
        return "ends with a dot";
    if (memchr(s, '.', n) == NULL)
        return "a single label (a public host name has a dot)";
    for (i = 0; i <= n; i++)
        if (i == n || s[i] == '.') {
            if ((why = label_problem(s + start, i - start)) != NULL)
                return why;
            last = start;
            start = i + 1;
        }
    for (i = last; i < n && is_digit(s[i]); i++)
        ;
    return i == n ? "the last label is all numeric" : NULL;
}

/* bad_wildcard / bad_dns_name for one dNSName (no control characters in it) */
static void check_dns(pol_ctx *c, const char *s, size_t n, const char *q)
{
    const char *why;

    if (memchr(s, '*', n) != NULL) {
        if (!c->p->wildcards) {
            pol_add(c, "bad_wildcard", "san.dns", "%s: wildcards are not allowed", q);
            return;
        }
        if (n < 2 || s[0] != '*' || s[1] != '.' || memchr(s + 1, '*', n - 1) != NULL) {
            pol_add(c, "bad_wildcard", "san.dns",
                    "%s: a wildcard must be the whole left-most label", q);
            return;
        }
        if (memchr(s + 2, '.', n - 2) == NULL) {
            pol_add(c, "bad_wildcard", "san.dns",
                    "%s: a wildcard must cover at least two labels", q);
            return;
        }
        s += 2;
        n -= 2;
    }
    if ((why = pol_dns_problem(s, n)) != NULL)
        pol_add(c, "bad_dns_name", "san.dns", "%s is not a valid host name: %s", q, why);
}

/* Special-purpose ranges (IANA IPv4/IPv6 special-purpose address registries) refused when
 * public_ip_only is set. */
static const struct {
    uint8_t len;                /* 4 or 16 */
    uint8_t prefix;             /* bits */
    uint8_t net[16];
    const char *what;
} reserved[] = {
    {4, 8, {0}, "\"this network\" (0.0.0.0/8)"},
    {4, 8, {10}, "private (10.0.0.0/8)"},
    {4, 10, {100, 64}, "shared address space (100.64.0.0/10)"},
    {4, 8, {127}, "loopback (127.0.0.0/8)"},
    {4, 16, {169, 254}, "link-local (169.254.0.0/16)"},
    {4, 12, {172, 16}, "private (172.16.0.0/12)"},
    {4, 24, {192, 0, 0}, "IETF protocol assignments (192.0.0.0/24)"},
    {4, 24, {192, 0, 2}, "documentation (192.0.2.0/24)"},
    {4, 24, {192, 88, 99}, "6to4 relay anycast (192.88.99.0/24)"},
    {4, 16, {192, 168}, "private (192.168.0.0/16)"},
    {4, 15, {198, 18}, "benchmarking (198.18.0.0/15)"},
    {4, 24, {198, 51, 100}, "documentation (198.51.100.0/24)"},
    {4, 24, {203, 0, 113}, "documentation (203.0.113.0/24)"},
    {4, 4, {224}, "multicast (224.0.0.0/4)"},
    {4, 4, {240}, "reserved (240.0.0.0/4)"},
    {16, 128, {0}, "unspecified (::)"},
    {16, 128, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, "loopback (::1)"},
    {16, 96, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}, "IPv4-mapped (::ffff:0:0/96)"},
    {16, 48, {0, 0x64, 0xff, 0x9b, 0, 1}, "local-use IPv4/IPv6 translation (64:ff9b:1::/48)"},
    {16, 64, {0x01, 0}, "discard-only (100::/64)"},
    {16, 23, {0x20, 0x01}, "IETF protocol assignments (2001::/23)"},
    {16, 32, {0x20, 0x01, 0x0d, 0xb8}, "documentation (2001:db8::/32)"},
    {16, 16, {0x20, 0x02}, "6to4 (2002::/16)"},
    {16, 7, {0xfc}, "unique local (fc00::/7)"},
    {16, 10, {0xfe, 0x80}, "link-local (fe80::/10)"},
    {16, 8, {0xff}, "multicast (ff00::/8)"},
};

static const char *ip_reserved(const uint8_t *ip, size_t n)
{
    size_t i;
    for (i = 0; i < sizeof reserved / sizeof reserved[0]; i++) {
        unsigned bits = reserved[i].prefix, full = bits / 8, rest = bits % 8;
        if (reserved[i].len != n || memcmp(ip, reserved[i].net, full) != 0)
            continue;
        if (rest == 0 || ((ip[full] ^ reserved[i].net[full]) & (0xff00 >> rest)) == 0)
            return reserved[i].what;
    }
    return NULL;
}

static void check_email(pol_ctx *c, const char *s, size_t n, const char *q)
{
    const char *at = NULL, *why;
    size_t i;

    for (i = 0; i < n; i++)
        if (s[i] == '@')
            at = s + i;
    if (at == NULL || at == s || at == s + n - 1) {
        pol_add(c, "bad_email", "san.email", "%s is not of the form local@domain", q);
        return;
    }
    for (i = 0; s + i < at; i++)
        if (s[i] == ' ') {
            pol_add(c, "bad_email", "san.email", "%s: the local part holds a space", q);
            return;
        }
    if ((why = pol_dns_problem(at + 1, n - (size_t)(at + 1 - s))) != NULL)
        pol_add(c, "bad_email", "san.email", "%s: the domain is not a valid host name: %s", q,
                why);
}

/* RFC 3986: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" ; no spaces anywhere */
static void check_uri(pol_ctx *c, const char *s, size_t n, const char *q)
{
    size_t i = 0;

    if (n > 0 && is_alpha(s[0]))
        for (i = 1; i < n && (is_alpha(s[i]) || is_digit(s[i]) || strchr("+-.", s[i])); i++)
            ;
    if (i == 0 || i >= n || s[i] != ':')
        pol_add(c, "bad_uri", "san.uri", "%s has no scheme (as in https:)", q);
    else if (memchr(s, ' ', n) != NULL)
        pol_add(c, "bad_uri", "san.uri", "%s holds a space", q);
}

static const char *san_field(int type)
{
    switch (type) {
    case CSR_SAN_DNS: return "san.dns";
    case CSR_SAN_IP: return "san.ip";
    case CSR_SAN_EMAIL: return "san.email";
    case CSR_SAN_URI: return "san.uri";
    case CSR_SAN_OTHER: return "san.other_name";
    case CSR_SAN_DIR: return "san.dir_name";
    default: return "san.rid";
    }
}

static int same_san(const req_san *a, const req_san *b)
{
    if (a->type != b->type || strcmp(a->oid, b->oid) != 0)
        return 0;
    if (a->type == CSR_SAN_DNS)
        return pol_ieq(a->val, a->len, b->val, b->len);
    return a->len == b->len && (a->len == 0 || memcmp(a->val, b->val, a->len) == 0);
}

/* The text of entry s for messages (IP addresses formatted, others quoted). */
static void san_text(char *q, size_t qsz, const req_san *s)
{
    if (s->type == CSR_SAN_IP)
        csr_ip_format(q, qsz, s->val, s->len);
    else if (s->type == CSR_SAN_RID || s->type == CSR_SAN_OTHER)
        snprintf(q, qsz, "%s", s->oid);
    else if (s->type == CSR_SAN_DIR)
        snprintf(q, qsz, "a directory name");
    else
        pol_quote(q, qsz, s->val, s->len);
}

static void check_one(pol_ctx *c, const req_san *s, const char *q)
{
    const char *why;
    if (s->type == CSR_SAN_IP) {
        if (c->p->public_ip_only && (why = ip_reserved(s->val, s->len)) != NULL)
            pol_add(c, "bad_ip", "san.ip", "%s is not a public address: %s", q, why);
        return;
    }
    if (s->type != CSR_SAN_DNS && s->type != CSR_SAN_EMAIL && s->type != CSR_SAN_URI)
        return;
    if (pol_has_control(s->val, s->len))
        pol_add(c, "control_character", san_field(s->type), "%s holds a control character", q);
    else if (s->type == CSR_SAN_DNS)
        check_dns(c, (const char *)s->val, s->len, q);
    else if (s->type == CSR_SAN_EMAIL)
        check_email(c, (const char *)s->val, s->len, q);
    else
        check_uri(c, (const char *)s->val, s->len, q);
}

void pol_check_sans(pol_ctx *c)
{
    const csr_req *r = c->r;
    size_t i, j;
    char q[300];

    if (r->nsan > c->p->max_sans)
        pol_add(c, "too_many_sans", "san", "%lu SAN entries, the policy allows %lu",
                (unsigned long)r->nsan, (unsigned long)c->p->max_sans);
    for (i = 0; i < r->nsan; i++) {
        san_text(q, sizeof q, &r->san[i]);
        check_one(c, &r->san[i], q);
        for (j = 0; j < i; j++)
            if (same_san(&r->san[j], &r->san[i])) {
                pol_add(c, "duplicate_san", san_field(r->san[i].type),
                        "%s appears more than once", q);
                break;
            }
    }
}

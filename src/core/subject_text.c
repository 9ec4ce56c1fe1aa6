/* Distinguished names as text: RFC 4514 strings (most specific RDN first) and the openssl
 * "/C=US/O=x/CN=y" slash form (DER order), parsing and RFC 4514 printing.
 * Input policy (strict RFC 4514): no spaces around ',', '+' or '='; unescaped '"', ';',
 * '<', '>' refused; leading ' '/'#' and a trailing ' ' must be escaped; "\XX" pairs must
 * decode to valid UTF-8; "#hex" values are one DER TLV of a string type, kept as is
 * (RFC 4514 form only: in the slash form '#' is a literal, as openssl reads it).
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "subject_int.h"

static int is_alnum(int c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Reads an attribute type up to '=' into type (NUL-terminated); *pos moves past '='. */
static int read_type(char type[DER_OID_TEXT], const char *s, size_t len, size_t *pos,
                     csr_err *err)
{
    size_t i = *pos, k = 0;
    while (i < len && s[i] != '=') {
        if (!(is_alnum((unsigned char)s[i]) || s[i] == '-' || s[i] == '.'))
            return csr_err_at(err, CSR_E_BAD_NAME, i,
                               "invalid character in attribute type");
        if (k + 1 >= DER_OID_TEXT)
            return csr_err_at(err, CSR_E_BAD_NAME, *pos, "attribute type too long");
        type[k++] = s[i++];
    }
    type[k] = '\0';
    if (k == 0)
        return csr_err_at(err, CSR_E_BAD_NAME, *pos, "missing attribute type");
    if (i >= len)
        return csr_err_set(err, CSR_E_BAD_NAME, "missing '=' after '%s'", type);
    *pos = i + 1;
    if ((type[0] == 'o' || type[0] == 'O') && (type[1] == 'i' || type[1] == 'I') &&
        (type[2] == 'd' || type[2] == 'D') && type[3] == '.')
        memmove(type, type + 4, k - 3);          /* "OID.1.2.3" (RFC 2253 style) */
    return CSR_OK;
}

/* "#hex" value: *pos at '#'; reads hex digits up to a separator, adds the TLV. */
static int read_hex(csr_name *n, const char *type, const char *s, size_t len, size_t *pos,
                    const char *stops, int new_rdn, csr_err *err)
{
    char oid[DER_OID_TEXT];
    csr_buf b;
    size_t i = *pos + 1, start = i;
    int rc;
    uint8_t byte;

    if ((rc = csr_name_resolve_attr(oid, type, err)) != CSR_OK)
        return rc;
    csr_buf_init(&b, 0);
    while (i < len && strchr(stops, s[i]) == NULL) {
        int h = csr_hexval((unsigned char)s[i]);
        int l = i + 1 < len ? csr_hexval((unsigned char)s[i + 1]) : -1;
        if (h < 0 || l < 0) {
            csr_buf_free(&b);
            return csr_err_at(err, CSR_E_BAD_NAME, i, "invalid hex value");
        }
        byte = (uint8_t)(h * 16 + l);
        csr_buf_put(&b, &byte, 1);
        i += 2;
    }
    if (i == start) {
        csr_buf_free(&b);
        return csr_err_at(err, CSR_E_BAD_NAME, start, "empty hex value");
    }
    if (b.err) {
        rc = b.err;
        csr_buf_free(&b);
        return csr_err_set(err, rc, "out of memory");
    }
    rc = csr_name_add_value_tlv(n, oid, b.p, b.len, new_rdn, err);
    csr_buf_free(&b);
    *pos = i;
    return rc;
}

/* RFC 4514 string value: *pos at the first value byte; stops at unescaped ',' / '+' / end. */
static int read_4514_value(csr_buf *v, const char *s, size_t len, size_t *pos, csr_err *err)
{
    size_t i = *pos;
    int last_space = 0;
    while (i < len && s[i] != ',' && s[i] != '+') {
        unsigned char c = (unsigned char)s[i];
        last_space = 0;
        if (c == '\\') {
            if (i + 1 >= len)
                return csr_err_at(err, CSR_E_BAD_NAME, i, "dangling '\\'");
            if (strchr(" \"#+,;<=>\\", s[i + 1]) != NULL && s[i + 1] != '\0') {
                csr_buf_put(v, s + i + 1, 1);
                i += 2;
            } else {
                int h = csr_hexval((unsigned char)s[i + 1]);
                int l = i + 2 < len ? csr_hexval((unsigned char)s[i + 2]) : -1;
                uint8_t byte;
                if (h < 0 || l < 0)
                    return csr_err_at(err, CSR_E_BAD_NAME, i, "invalid escape");
                byte = (uint8_t)(h * 16 + l);
                csr_buf_put(v, &byte, 1);
                i += 3;
            }
            continue;
        }
        if (c == '"' || c == ';' || c == '<' || c == '>' || c == '\0')
            return csr_err_at(err, CSR_E_BAD_NAME, i, "unescaped '%c'",
                               c ? c : '0');
        if (c == ' ') {
            if (i == *pos)
                return csr_err_at(err, CSR_E_BAD_NAME, i,
                                   "unescaped leading space");
            last_space = 1;
        }
        csr_buf_put(v, s + i, 1);
        i++;
    }
    if (last_space)
        return csr_err_at(err, CSR_E_BAD_NAME, (i - 1), "unescaped trailing space");
    *pos = i;
    return v->err ? csr_err_set(err, v->err, "out of memory") : CSR_OK;
}

static int add_value(csr_name *n, const char *type, csr_buf *v, int new_rdn, csr_err *err)
{
    return csr_name_add(n, type, v->p != NULL ? v->p : (const uint8_t *)"", v->len, new_rdn,
                        err);
}

/* openssl slash-form value: *pos at the first value byte; stops at unescaped '/' / '+' /
 * end; '\' escapes any next byte; '#' is literal here, as in openssl. */
static int read_slash_value(csr_buf *v, const char *s, size_t len, size_t *pos, csr_err *err)
{
    size_t i = *pos;
    while (i < len && s[i] != '/' && s[i] != '+') {
        if (s[i] == '\\') {
            if (i + 1 >= len)
                return csr_err_at(err, CSR_E_BAD_NAME, i, "dangling '\\'");
            i++;
        }
        csr_buf_put(v, s + i, 1);
        i++;
    }
    *pos = i;
    return v->err ? csr_err_set(err, v->err, "out of memory") : CSR_OK;
}

/* The RDN sequence from *pos: "type=value" members joined by '+' within an RDN and by sep
 * between RDNs (',' : RFC 4514 values, '#hex' allowed; '/': the openssl slash form). */
static int parse_rdns(csr_name *n, const char *s, size_t len, size_t pos, char sep,
                      csr_err *err)
{
    char type[DER_OID_TEXT];
    csr_buf v;
    int rc, new_rdn = 1;

    csr_buf_init(&v, 0);
    for (;;) {
        if ((rc = read_type(type, s, len, &pos, err)) != CSR_OK)
            break;
        if (sep == ',' && pos < len && s[pos] == '#') {
            rc = read_hex(n, type, s, len, &pos, ",+", new_rdn, err);
        } else {
            v.len = 0;
            rc = sep == ',' ? read_4514_value(&v, s, len, &pos, err)
                            : read_slash_value(&v, s, len, &pos, err);
            if (rc == CSR_OK)
                rc = add_value(n, type, &v, new_rdn, err);
        }
        if (rc != CSR_OK || pos >= len)
            break;
        new_rdn = s[pos] == sep;
        pos++;
        if (pos >= len) {
            rc = csr_err_set(err, CSR_E_BAD_NAME, "name ends with '%c'", s[pos - 1]);
            break;
        }
    }
    csr_buf_free(&v);
    return rc;
}

/* see csr.h */
int csr_name_parse_text(csr_name **out, const char *s, size_t len, csr_err *err)
{
    csr_name *tmp = NULL, *n = NULL;
    size_t i, j, nr;
    int rc;

    if (len > CSR_MAX_INPUT)
        return csr_err_set(err, CSR_E_TOO_LARGE, "name text too large");
    if ((rc = csr_name_new(&tmp, err)) != CSR_OK)
        return rc;
    if (len == 0) {
        *out = tmp;
        return CSR_OK;
    }
    if (s[0] == '/') {                           /* "/" alone: the empty name */
        rc = len == 1 ? CSR_OK : parse_rdns(tmp, s, len, 1, '/', err);
        if (rc != CSR_OK) {
            csr_name_free(tmp);
            return rc;
        }
        *out = tmp;
        return CSR_OK;
    }
    rc = parse_rdns(tmp, s, len, 0, ',', err);
    if (rc == CSR_OK)
        rc = csr_name_new(&n, err);
    if (rc == CSR_OK) {                          /* RFC 4514 lists RDNs reversed */
        nr = csr_name_rdn_count(tmp);
        for (i = nr; rc == CSR_OK && i-- > 0;)
            for (j = 0; rc == CSR_OK && j < csr_name_rdn_size(tmp, i); j++)
                rc = csr_name_copy_member(n, tmp, i, j, j == 0, err);
    }
    csr_name_free(tmp);
    if (rc != CSR_OK) {
        csr_name_free(n);
        return rc;
    }
    *out = n;
    return CSR_OK;
}

static void put_hex(csr_buf *out, const uint8_t *p, size_t n)
{
    static const char hx[] = "0123456789abcdef";
    size_t i;
    char two[2];
    for (i = 0; i < n; i++) {
        two[0] = hx[p[i] >> 4];
        two[1] = hx[p[i] & 15];
        csr_buf_put(out, two, 2);
    }
}

/* RFC 4514 2.4 escaping of a UTF-8 value. */
static void put_escaped(csr_buf *out, const uint8_t *v, size_t n)
{
    size_t i;
    char esc[3];
    for (i = 0; i < n; i++) {
        uint8_t c = v[i];
        if (c == ',' || c == '+' || c == '"' || c == '\\' || c == '<' || c == '>' ||
            c == ';' || (i == 0 && (c == '#' || c == ' ')) || (i == n - 1 && c == ' ')) {
            esc[0] = '\\';
            esc[1] = (char)c;
            csr_buf_put(out, esc, 2);
        } else if (c < 0x20 || c == 0x7f) {
            csr_buf_put(out, "\\", 1);
            put_hex(out, &c, 1);
        } else {
            csr_buf_put(out, &c, 1);
        }
    }
}

/* see csr.h */
int csr_name_to_text(csr_buf *out, const csr_name *n)
{
    size_t i, j, nr = csr_name_rdn_count(n), len;
    const char *attr;
    const uint8_t *val;
    int tag, text;

    for (i = nr; i-- > 0;) {
        for (j = 0; j < csr_name_rdn_size(n, i); j++) {
            if (j > 0)
                csr_buf_put(out, "+", 1);
            else if (i + 1 < nr)
                csr_buf_put(out, ",", 1);
            text = csr_name_get(n, i, j, &attr, &val, &len, &tag);
            csr_buf_put(out, attr, strlen(attr));
            csr_buf_put(out, "=", 1);
            if (text == 1 && !n->a[n->r[i].first + j].hexin &&
                (tag == DER_UTF8STRING || tag == DER_PRINTABLE || tag == DER_IA5STRING)) {
                put_escaped(out, val, len);
            } else if (csr_name_get_tlv(n, i, j, &val, &len) == 0) {
                csr_buf_put(out, "#", 1);
                put_hex(out, val, len);
            }
        }
    }
    return out->err ? out->err : CSR_OK;
}

/* libFuzzer: distinguished names from text (csr_name_parse_text: RFC 4514 and /slash) and
 * from DER (csr_name_from_der); every input is tried both ways.
 * Properties (abort when broken):
 *  - text: for a name that parses, parse_text(to_text(n)) parses and gives the same DER;
 *  - DER: to_der(from_der(d)) is d, byte for byte (parsed names keep their exact encoding);
 *    and if to_text of it parses as text, that name obeys the text property;
 *  - dup and equal agree; accessors stay in range.
 * SPDX-License-Identifier: MIT */
#include "fuzz.h"

static void dump(const char *what, const uint8_t *p, size_t n)
{
    size_t i;
    fprintf(stderr, "%s (%lu bytes): ", what, (unsigned long)n);
    for (i = 0; i < n && i < 400; i++)
        fprintf(stderr, (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\') ? "%c" : "\\x%02x", p[i]);
    fprintf(stderr, "\n");
}

static void accessors(const csr_name *n)
{
    size_t i, j, m, count = csr_name_rdn_count(n);
    csr_name *d = NULL;
    csr_err err;
    for (i = 0; i < count; i++) {
        m = csr_name_rdn_size(n, i);
        FUZZ_CHECK(m > 0, "RDNs are not empty");
        for (j = 0; j < m; j++) {
            const char *attr = NULL;
            const uint8_t *val = NULL, *tlv = NULL;
            size_t len = 0, tlen = 0;
            int tag = 0, rc = csr_name_get(n, i, j, &attr, &val, &len, &tag);
            FUZZ_CHECK(rc == 0 || rc == 1, "name_get in range");
            FUZZ_CHECK(attr != NULL && (val != NULL || len == 0), "name_get outputs");
            if (rc == 1)
                FUZZ_CHECK(csr_utf8_valid(val, len), "text values are UTF-8");
            FUZZ_CHECK(csr_name_get_tlv(n, i, j, &tlv, &tlen) == 0 && tlen >= 2, "get_tlv");
            FUZZ_CHECK(csr_name_get_oid(n, i, j) != NULL, "get_oid");
        }
        FUZZ_CHECK(csr_name_get_oid(n, i, m) == NULL, "get_oid past the RDN");
    }
    FUZZ_CHECK(csr_name_rdn_size(n, count) == 0, "rdn_size past the end");
    FUZZ_CHECK(csr_name_get_oid(n, count, 0) == NULL, "get_oid past the end");
    FUZZ_CHECK(csr_name_equal(n, n) == 1, "equal to itself");
    fuzz_err_reset(&err);
    FUZZ_CHECK(csr_name_dup(&d, n, &err) == CSR_OK, "dup");
    FUZZ_CHECK(csr_name_equal(n, d) == 1, "dup is equal");
    csr_name_free(d);
}

/* n came from text: text out and back must give the same DER. */
static void text_roundtrip(const csr_name *n)
{
    csr_buf der1, txt, der2;
    csr_name *n2 = NULL;
    csr_err err;
    int rc;

    csr_buf_init(&der1, 0);
    csr_buf_init(&txt, 0);
    csr_buf_init(&der2, 0);
    FUZZ_CHECK(csr_name_to_der(&der1, n) == CSR_OK, "to_der");
    FUZZ_CHECK(csr_name_to_text(&txt, n) == CSR_OK, "to_text");
    fuzz_err_reset(&err);
    rc = csr_name_parse_text(&n2, txt.p ? (const char *)txt.p : "", txt.len, &err);
    if (rc != CSR_OK) {
        dump("to_text", txt.p, txt.len);
        fprintf(stderr, "re-parse: %s\n", err.msg);
    }
    FUZZ_CHECK(rc == CSR_OK, "to_text of a name parses back");
    FUZZ_CHECK(csr_name_to_der(&der2, n2) == CSR_OK, "to_der again");
    if (der1.len != der2.len || memcmp(der1.p, der2.p, der1.len) != 0) {
        dump("to_text", txt.p, txt.len);
        dump("der before", der1.p, der1.len);
        dump("der after", der2.p, der2.len);
    }
    FUZZ_CHECK(der1.len == der2.len && memcmp(der1.p, der2.p, der1.len) == 0,
               "parse_text(to_text(n)) has the DER of n");
    FUZZ_CHECK(csr_name_equal(n, n2) == 1, "and is equal to n");
    csr_name_free(n2);
    csr_buf_free(&der1);
    csr_buf_free(&txt);
    csr_buf_free(&der2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    csr_name *n = NULL;
    csr_err err;
    csr_buf b;
    int rc;
    uint8_t *in = fuzz_dup(data, size);

    /* as text */
    fuzz_err_reset(&err);
    rc = csr_name_parse_text(&n, (const char *)in, size, &err);
    fuzz_err_ok(rc, &err);
    if (rc == CSR_OK) {
        accessors(n);
        text_roundtrip(n);
        csr_name_free(n);
    } else {
        FUZZ_CHECK(n == NULL, "no name on failure");
    }

    /* as DER */
    n = NULL;
    fuzz_err_reset(&err);
    rc = csr_name_from_der(&n, in, size, 0, &err);
    fuzz_err_ok(rc, &err);
    if (rc == CSR_OK) {
        csr_name *n2 = NULL;
        accessors(n);
        csr_buf_init(&b, 0);
        FUZZ_CHECK(csr_name_to_der(&b, n) == CSR_OK, "to_der of a parsed name");
        if (b.len != size || memcmp(b.p, in, size) != 0)
            dump("re-encoded", b.p, b.len);
        FUZZ_CHECK(b.len == size && memcmp(b.p, in, size) == 0, "parsed DER kept byte-exact");
        csr_buf_free(&b);
        csr_buf_init(&b, 0);
        FUZZ_CHECK(csr_name_to_text(&b, n) == CSR_OK, "to_text of a parsed name");
        if (csr_name_parse_text(&n2, b.p ? (const char *)b.p : "", b.len, &err) == CSR_OK) {
            text_roundtrip(n2);
            csr_name_free(n2);
        }
        csr_buf_free(&b);
        csr_name_free(n);
    } else {
        FUZZ_CHECK(n == NULL, "no name on failure");
    }
    free(in);
    return 0;
}

/* C-level unit tests of the core plumbing: DER writer/reader, PEM/base64, UTF-8, IP text,
 * signature AlgorithmIdentifiers, X.509 times, certificates from a zeroed spec, the view of a
 * request signed here against a parse of its DER. Built and run by spec/core_spec.lua (make core-test).
 * Prints "N passed, N failed" and exits non-zero on any failure.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "../../src/core/der.h"
#include "../../src/core/req.h"

static int passed, failed;

#define CHECK(cond) check((cond), #cond, __LINE__)

static void check(int ok, const char *what, int line)
{
    if (ok) {
        passed++;
    } else {
        failed++;
        printf("FAIL line %d: %s\n", line, what);
    }
}

static int hexeq(const csr_buf *b, const char *hex)
{
    char tmp[4096];
    size_t i;
    if (b->len * 2 + 1 > sizeof tmp)
        return 0;
    for (i = 0; i < b->len; i++)
        sprintf(tmp + 2 * i, "%02x", b->p[i]);
    tmp[2 * b->len] = '\0';
    if (strcmp(tmp, hex) != 0) {
        printf("  got %s\n  want %s\n", tmp, hex);
        return 0;
    }
    return 1;
}

static void test_writer(void)
{
    csr_buf b;
    size_t m, i;
    uint8_t big[70000];
    der_rd r;
    der_tlv t;
    csr_err e;
    size_t sizes[] = {0, 1, 127, 128, 255, 256, 65535, 65536};

    csr_buf_init(&b, 0);
    der_put_uint(&b, 0);
    der_put_uint(&b, 127);
    der_put_uint(&b, 128);
    der_put_uint(&b, 65537);
    CHECK(hexeq(&b, "020100" "02017f" "02020080" "0203010001"));
    csr_buf_free(&b);

    CHECK(der_put_oid_text(&b, "1.2.840.113549.1.1.11") == CSR_OK);
    CHECK(hexeq(&b, "06092a864886f70d01010b"));
    csr_buf_free(&b);
    CHECK(der_put_oid_text(&b, "2.999.3") == CSR_OK);
    CHECK(hexeq(&b, "0603883703"));
    csr_buf_free(&b);
    CHECK(der_put_oid_text(&b, "1.40") == CSR_E_INVALID);
    CHECK(der_put_oid_text(&b, "3.1") == CSR_E_INVALID);
    CHECK(der_put_oid_text(&b, "1") == CSR_E_INVALID);
    CHECK(der_put_oid_text(&b, "1.2.") == CSR_E_INVALID);
    CHECK(der_put_oid_text(&b, "1.02") == CSR_E_INVALID);
    CHECK(der_put_oid_text(&b, "") == CSR_E_INVALID);
    CHECK(b.len == 0);

    /* named bits: digitalSignature + keyEncipherment = bits 0, 2 -> 03 02 05 a0 */
    der_put_named_bits(&b, CSR_KU_DIGITAL_SIGNATURE | CSR_KU_KEY_ENCIPHERMENT);
    CHECK(hexeq(&b, "030205a0"));
    csr_buf_free(&b);
    der_put_named_bits(&b, CSR_KU_DECIPHER_ONLY);
    CHECK(hexeq(&b, "0303070080"));
    csr_buf_free(&b);

    /* SET OF sorting (X.690 11.6) */
    m = der_open(&b, DER_SET);
    der_put_uint(&b, 5);
    der_put_tlv(&b, DER_UTF8STRING, "b", 1);
    der_put_uint(&b, 1);
    der_put_tlv(&b, DER_UTF8STRING, "a", 1);
    der_close_set(&b, m);
    CHECK(hexeq(&b, "310c" "020101" "020105" "0c0161" "0c0162"));
    csr_buf_free(&b);

    /* lengths across the short/long boundaries round-trip through the reader */
    memset(big, 0x41, sizeof big);
    for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        m = der_open(&b, DER_SEQUENCE);
        der_put_tlv(&b, DER_OCTET_STRING, big, sizes[i]);
        der_close(&b, m);
        CHECK(b.err == 0);
        der_rd_init(&r, b.p, b.len, 0);
        CHECK(der_next(&r, &t, &e) == CSR_OK && t.tag == DER_SEQUENCE && !der_rd_more(&r));
        der_rd_enter(&r, &t);
        CHECK(der_next(&r, &t, &e) == CSR_OK && t.len == sizes[i] && !der_rd_more(&r));
        csr_buf_free(&b);
    }
}

static int rd_one(const char *hex, der_tlv *t, csr_err *e)
{
    uint8_t bin[64];
    static uint8_t keep[64];
    size_t n = strlen(hex) / 2, i;
    der_rd r;
    unsigned v;
    for (i = 0; i < n; i++) {
        sscanf(hex + 2 * i, "%2x", &v);
        bin[i] = (uint8_t)v;
    }
    memcpy(keep, bin, n);
    der_rd_init(&r, keep, n, 10);
    return der_next(&r, t, e);
}

static void test_reader(void)
{
    der_tlv t;
    csr_err e;
    long v;
    char oid[DER_OID_TEXT];
    unsigned bits;
    int b;

    CHECK(rd_one("3080", &t, &e) == CSR_E_BAD_DER && strstr(e.msg, "indefinite") &&
          e.offset == 10);
    CHECK(rd_one("04817f", &t, &e) == CSR_E_BAD_DER && strstr(e.msg, "non-minimal"));
    CHECK(rd_one("0482007f", &t, &e) == CSR_E_BAD_DER && strstr(e.msg, "non-minimal"));
    CHECK(rd_one("0484ffffffff00", &t, &e) == CSR_E_BAD_DER && strstr(e.msg, "past the end"));
    CHECK(rd_one("048500000000010000", &t, &e) == CSR_E_BAD_DER);
    CHECK(rd_one("1f0100", &t, &e) == CSR_E_BAD_DER && strstr(e.msg, "high tag"));
    CHECK(rd_one("0403aabb", &t, &e) == CSR_E_BAD_DER);
    CHECK(rd_one("04", &t, &e) == CSR_E_BAD_DER);

    CHECK(rd_one("020100", &t, &e) == CSR_OK && der_get_uint(&t, &v, "x", &e) == CSR_OK && v == 0);
    CHECK(rd_one("02020080", &t, &e) == CSR_OK && der_get_uint(&t, &v, "x", &e) == CSR_OK &&
          v == 128);
    CHECK(rd_one("0202007f", &t, &e) == CSR_OK && der_get_uint(&t, &v, "x", &e) == CSR_E_BAD_DER);
    CHECK(rd_one("0201ff", &t, &e) == CSR_OK && der_get_uint(&t, &v, "x", &e) == CSR_E_BAD_DER);
    CHECK(rd_one("0200", &t, &e) == CSR_OK && der_get_uint(&t, &v, "x", &e) == CSR_E_BAD_DER);
    CHECK(rd_one("0101ff", &t, &e) == CSR_OK && der_get_bool(&t, &b, "x", &e) == CSR_OK && b == 1);
    CHECK(rd_one("010101", &t, &e) == CSR_OK && der_get_bool(&t, &b, "x", &e) == CSR_E_BAD_DER);
    CHECK(rd_one("06092a864886f70d01010b", &t, &e) == CSR_OK &&
          der_get_oid(&t, oid, "x", &e) == CSR_OK && strcmp(oid, "1.2.840.113549.1.1.11") == 0);
    CHECK(rd_one("0603883703", &t, &e) == CSR_OK && der_get_oid(&t, oid, "x", &e) == CSR_OK &&
          strcmp(oid, "2.999.3") == 0);
    CHECK(rd_one("06022a80", &t, &e) == CSR_OK && der_get_oid(&t, oid, "x", &e) == CSR_E_BAD_DER);
    CHECK(rd_one("0603800101", &t, &e) == CSR_OK && der_get_oid(&t, oid, "x", &e) == CSR_E_BAD_DER);
    CHECK(rd_one("0600", &t, &e) == CSR_OK && der_get_oid(&t, oid, "x", &e) == CSR_E_BAD_DER);
    CHECK(rd_one("030205a0", &t, &e) == CSR_OK && der_get_named_bits(&t, &bits, "x", &e) == CSR_OK
          && bits == (CSR_KU_DIGITAL_SIGNATURE | CSR_KU_KEY_ENCIPHERMENT));
    CHECK(rd_one("030208a0", &t, &e) == CSR_OK &&
          der_get_named_bits(&t, &bits, "x", &e) == CSR_E_BAD_DER);
    CHECK(rd_one("030101", &t, &e) == CSR_OK &&
          der_get_named_bits(&t, &bits, "x", &e) == CSR_E_BAD_DER);
    CHECK(rd_one("0c02c3a4", &t, &e) == CSR_OK && der_check_string(&t, "x", &e) == CSR_OK);
    CHECK(rd_one("0c02c0a4", &t, &e) == CSR_OK && der_check_string(&t, "x", &e) == CSR_E_BAD_UTF8);
    CHECK(rd_one("130161", &t, &e) == CSR_OK && der_check_string(&t, "x", &e) == CSR_OK);
    CHECK(rd_one("130140", &t, &e) == CSR_OK && der_check_string(&t, "x", &e) == CSR_E_BAD_DER);
    CHECK(rd_one("020100", &t, &e) == CSR_OK && der_check_string(&t, "x", &e) == CSR_E_BAD_DER);
}

static void test_tree(void)
{
    static uint8_t deep[40 * 2 + 2];
    size_t i;
    csr_err e;
    for (i = 0; i < 40; i++) {
        deep[2 * i] = 0x30;
        deep[2 * i + 1] = (uint8_t)(2 * (39 - i));
    }
    CHECK(der_check_tree(deep, 80, 0, "x", &e) == CSR_E_BAD_DER && strstr(e.msg, "deeply"));
    CHECK(der_check_tree(deep + 2 * 20, 40, 0, "x", &e) == CSR_OK);
    CHECK(der_check_tree((const uint8_t *)"\x30\x00\x00", 3, 0, "x", &e) == CSR_E_BAD_DER &&
          strstr(e.msg, "trailing"));
}

static void test_pem(void)
{
    static const char *const labels[] = {"CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST", NULL};
    const char *ok = "junk\r\n-----BEGIN NEW CERTIFICATE REQUEST-----\r\nMAA=\r\n"
                     "-----END NEW CERTIFICATE REQUEST-----\r\nmore";
    csr_buf b, out;
    csr_err e;
    int which = -1;
    csr_buf_init(&b, 0);
    CHECK(csr_pem_decode(&b, &which, (const uint8_t *)ok, strlen(ok), labels, &e) == CSR_OK &&
          which == 1 && hexeq(&b, "3000"));
    csr_buf_free(&b);
#define BAD(s) (csr_pem_decode(&b, &which, (const uint8_t *)(s), strlen(s), labels, &e) == \
                CSR_E_BAD_PEM)
    {   /* quanta split across lines, and a bad byte after whole quanta (the fast path stops
         * there, the careful path refuses it): a high byte, '*', '=' inside */
        static const char *const split = "-----BEGIN CERTIFICATE REQUEST-----\nMDA\nwMD\r\nAw\n"
                                         "MDAw\n-----END CERTIFICATE REQUEST-----\n";
        CHECK(csr_pem_decode(&b, &which, (const uint8_t *)split, strlen(split), labels, &e) ==
                  CSR_OK && hexeq(&b, "303030303030303030"));
        csr_buf_free(&b);
        CHECK(BAD("-----BEGIN CERTIFICATE REQUEST-----\nMDAwMDAwMDAw\xc3" "DAw\n"
                  "-----END CERTIFICATE REQUEST-----\n"));
        csr_buf_free(&b);
        CHECK(BAD("-----BEGIN CERTIFICATE REQUEST-----\nMDAwMDAw*DAw\n"
                  "-----END CERTIFICATE REQUEST-----\n"));
        csr_buf_free(&b);
        CHECK(BAD("-----BEGIN CERTIFICATE REQUEST-----\nMDAwMD=wMDAw\n"
                  "-----END CERTIFICATE REQUEST-----\n"));
        csr_buf_free(&b);
    }
    CHECK(BAD("-----BEGIN CERTIFICATE REQUEST-----\nMA=A\n-----END CERTIFICATE REQUEST-----\n"));
    csr_buf_free(&b);
    CHECK(BAD("-----BEGIN CERTIFICATE REQUEST-----\nMAA\n-----END CERTIFICATE REQUEST-----\n"));
    csr_buf_free(&b);
    CHECK(BAD("-----BEGIN CERTIFICATE REQUEST-----\nMA*A\n-----END CERTIFICATE REQUEST-----\n"));
    csr_buf_free(&b);
    CHECK(BAD("-----BEGIN CERTIFICATE REQUEST-----\n\n-----END CERTIFICATE REQUEST-----\n"));
    csr_buf_free(&b);
    CHECK(BAD("-----BEGIN CERTIFICATE REQUEST-----\nMAA=\n-----END NEW CERTIFICATE REQUEST-----"));
    csr_buf_free(&b);
    CHECK(BAD("-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n"));
    csr_buf_free(&b);
    CHECK(BAD("-----BEGIN CERTIFICATE REQUEST-----\nMAB=\n-----END CERTIFICATE REQUEST-----\n"));
    csr_buf_free(&b);
    CHECK(BAD("-----BEGIN CERTIFICATE REQUEST-----\nMA A=\n-----END CERTIFICATE REQUEST-----\n"));
    csr_buf_free(&b);

    csr_buf_init(&out, 0);
    CHECK(csr_pem_encode(&out, "CERTIFICATE REQUEST", (const uint8_t *)"\x30\x00", 2) == 0);
    CHECK(out.len == strlen("-----BEGIN CERTIFICATE REQUEST-----\nMAA=\n"
                            "-----END CERTIFICATE REQUEST-----\n") &&
          memcmp(out.p, "-----BEGIN CERTIFICATE REQUEST-----\nMAA=\n", 41) == 0);
    csr_buf_free(&out);
}

/* Every length 0..200 (every remainder mod 3 and 48, several lines): PEM and base64url
 * encodings decode back to the bytes; PEM lines are 64 characters but the last. */
static void test_b64_roundtrip(void)
{
    static const char *const labels[] = {"X", NULL};
    uint8_t in[200];
    size_t n, i;
    for (i = 0; i < sizeof in; i++)
        in[i] = (uint8_t)(i * 37 + 11);
    for (n = 0; n <= sizeof in; n++) {
        csr_buf pem, back, url, uback;
        csr_err e;
        int which = -1, lines_ok = 1;
        const uint8_t *p, *body, *end;
        csr_buf_init(&pem, 0);
        csr_buf_init(&back, 0);
        csr_buf_init(&url, 0);
        csr_buf_init(&uback, 0);
        CHECK(csr_pem_encode(&pem, "X", in, n) == CSR_OK);
        body = pem.p + strlen("-----BEGIN X-----\n");
        end = pem.p + pem.len - strlen("-----END X-----\n");
        for (p = body; p < end;) {                     /* each line: 64 chars, or the last */
            const uint8_t *nl = (const uint8_t *)memchr(p, '\n', (size_t)(end - p));
            if (nl == NULL || (nl - p != 64 && nl + 1 != end) || nl == p)
                lines_ok = 0;
            p = nl == NULL ? end : nl + 1;
        }
        CHECK(lines_ok);
        if (n > 0)
            CHECK(csr_pem_decode(&back, &which, pem.p, pem.len, labels, &e) == CSR_OK &&
                  which == 0 && back.len == n && memcmp(back.p, in, n) == 0);
        CHECK(csr_b64url_encode(&url, in, n) == CSR_OK && url.len == (4 * n + 2) / 3);
        CHECK(csr_b64url_decode(&uback, url.p, url.len, &e) == CSR_OK && uback.len == n &&
              (n == 0 || memcmp(uback.p, in, n) == 0));
        csr_buf_free(&pem);
        csr_buf_free(&back);
        csr_buf_free(&url);
        csr_buf_free(&uback);
    }
}

static void test_text(void)
{
    uint8_t ip[16];
    char txt[64];
    CHECK(csr_utf8_valid((const uint8_t *)"M\xc3\xbcnchen", 8));
    CHECK(!csr_utf8_valid((const uint8_t *)"\xc0\xaf", 2));          /* overlong */
    CHECK(!csr_utf8_valid((const uint8_t *)"\xed\xa0\x80", 3));      /* surrogate */
    CHECK(!csr_utf8_valid((const uint8_t *)"\xf4\x90\x80\x80", 4));  /* > U+10FFFF */
    CHECK(!csr_utf8_valid((const uint8_t *)"\xe6\x9d", 2));          /* truncated */
    CHECK(csr_utf8_len((const uint8_t *)"\xe6\x9d\xb1x", 4) == 2);

    CHECK(csr_ip_parse(ip, "192.0.2.1", 9) == 4 && ip[0] == 192 && ip[3] == 1);
    CHECK(csr_ip_parse(ip, "192.0.2.256", 11) == 0);
    CHECK(csr_ip_parse(ip, "192.0.2", 7) == 0);
    CHECK(csr_ip_parse(ip, "01.0.0.1", 8) == 0);
    CHECK(csr_ip_parse(ip, "2001:db8::1", 11) == 16 && ip[0] == 0x20 && ip[15] == 1);
    CHECK(csr_ip_parse(ip, "::", 2) == 16);
    CHECK(csr_ip_parse(ip, "::ffff:192.0.2.1", 16) == 16 && ip[10] == 0xff && ip[12] == 192);
    CHECK(csr_ip_parse(ip, "1:2:3:4:5:6:7:8", 15) == 16 && ip[15] == 8);
    CHECK(csr_ip_parse(ip, "1:2:3:4:5:6:7:8:9", 17) == 0);
    CHECK(csr_ip_parse(ip, "1::2::3", 7) == 0);
    CHECK(csr_ip_parse(ip, "12345::", 7) == 0);
    CHECK(csr_ip_parse(ip, "1:", 2) == 0);
    CHECK(csr_ip_parse(ip, ":1", 2) == 0);
    CHECK(csr_ip_parse(ip, "g::1", 4) == 0);
    csr_ip_parse(ip, "2001:db8::1", 11);
    CHECK(csr_ip_format(txt, sizeof txt, ip, 16) == 0 && strcmp(txt, "2001:db8::1") == 0);
    csr_ip_parse(ip, "2001:db8:0:1:0:0:0:1", 20);
    CHECK(csr_ip_format(txt, sizeof txt, ip, 16) == 0 && strcmp(txt, "2001:db8:0:1::1") == 0);
    csr_ip_parse(ip, "2001:db8:0:1:1:1:1:1", 20);
    CHECK(csr_ip_format(txt, sizeof txt, ip, 16) == 0 && strcmp(txt, "2001:db8:0:1:1:1:1:1") == 0);
    csr_ip_parse(ip, "::", 2);
    CHECK(csr_ip_format(txt, sizeof txt, ip, 16) == 0 && strcmp(txt, "::") == 0);
    csr_ip_parse(ip, "1::", 3);
    CHECK(csr_ip_format(txt, sizeof txt, ip, 16) == 0 && strcmp(txt, "1::") == 0);
    {   /* the longest zero run, the first of equal ones; hex in lower case; IPv4 bounds */
        static const struct { const char *in, *want; } f[] = {
            {"1:0:0:2:0:0:0:3", "1:0:0:2::3"}, {"1:0:0:1:0:0:1:1", "1::1:0:0:1:1"},
            {"0:0:1:0:0:0:0:0", "0:0:1::"}, {"FFFF:ABCD::", "ffff:abcd::"},
            {"0.0.0.0", "0.0.0.0"}, {"255.255.255.255", "255.255.255.255"},
            {"192.0.2.10", "192.0.2.10"},
        };
        size_t k;
        for (k = 0; k < sizeof f / sizeof f[0]; k++) {
            int n = csr_ip_parse(ip, f[k].in, strlen(f[k].in));
            CHECK(csr_ip_format(txt, sizeof txt, ip, (size_t)n) == 0 &&
                  strcmp(txt, f[k].want) == 0);
        }
        csr_ip_parse(ip, "255.255.255.255", 15);   /* 15 characters: 16 bytes needed */
        CHECK(csr_ip_format(txt, 15, ip, 4) != 0 && csr_ip_format(txt, 16, ip, 4) == 0);
        CHECK(csr_ip_format(txt, sizeof txt, ip, 5) != 0);
    }
}

static void test_sigalg(void)
{
    csr_buf b;
    csr_sig p, q;
    csr_err e;
    char name[64];
    int kt;

    memset(&p, 0, sizeof p);
    csr_buf_init(&b, 0);
    p.md = CSR_MD_SHA256;
    CHECK(csr_sigalg_encode(&b, CSR_KEY_RSA, &p, &e) == CSR_OK &&
          hexeq(&b, "300d06092a864886f70d01010b0500"));
    CHECK(csr_sigalg_decode(b.p, b.len, 0, &kt, &q, name, &e) == CSR_OK && kt == CSR_KEY_RSA &&
          q.md == CSR_MD_SHA256 && strcmp(name, "sha256WithRSAEncryption") == 0);
    csr_buf_free(&b);
    CHECK(csr_sigalg_encode(&b, CSR_KEY_EC, &p, &e) == CSR_OK &&
          hexeq(&b, "300a06082a8648ce3d040302"));
    csr_buf_free(&b);
    p.md = CSR_MD_NONE;
    CHECK(csr_sigalg_encode(&b, CSR_KEY_ED25519, &p, &e) == CSR_OK && hexeq(&b, "300506032b6570"));
    csr_buf_free(&b);
    /* PSS SHA-256, MGF1-SHA-256, salt 32 (as openssl writes it) */
    p.md = CSR_MD_SHA256;
    p.padding = CSR_PAD_PSS;
    p.mgf_md = CSR_MD_SHA256;
    p.salt_len = 32;
    CHECK(csr_sigalg_encode(&b, CSR_KEY_RSA, &p, &e) == CSR_OK &&
          hexeq(&b, "304106092a864886f70d01010a3034a00f300d06096086480165030402010500"
                    "a11c301a06092a864886f70d010108300d06096086480165030402010500"
                    "a203020120"));
    CHECK(csr_sigalg_decode(b.p, b.len, 0, &kt, &q, name, &e) == CSR_OK && kt == CSR_KEY_RSA &&
          q.padding == CSR_PAD_PSS && q.md == CSR_MD_SHA256 && q.mgf_md == CSR_MD_SHA256 &&
          q.salt_len == 32 && strcmp(name, "rsassaPss") == 0);
    csr_buf_free(&b);
    /* PSS with all defaults: SHA-1, MGF1-SHA-1, salt 20 -> empty params */
    CHECK(csr_sigalg_decode((const uint8_t *)"\x30\x0d\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01"
                            "\x0a\x30\x00", 15, 0, &kt, &q, name, &e) == CSR_OK &&
          kt == CSR_KEY_RSA && q.md == CSR_MD_SHA1 && q.mgf_md == CSR_MD_SHA1 && q.salt_len == 20);
    /* md4WithRSA: parses, unsupported (key_type 0), named */
    CHECK(csr_sigalg_decode((const uint8_t *)"\x30\x0d\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01"
                            "\x03\x05\x00", 15, 0, &kt, &q, name, &e) == CSR_OK && kt == 0 &&
          strcmp(name, "md4WithRSAEncryption") == 0);
    /* ECDSA with parameters present is malformed */
    CHECK(csr_sigalg_decode((const uint8_t *)"\x30\x0c\x06\x08\x2a\x86\x48\xce\x3d\x04\x03\x02"
                            "\x05\x00", 14, 0, &kt, &q, name, &e) == CSR_E_BAD_DER);
}

/* Time: UTCTime through 2049, GeneralizedTime from 2050, both read back. */
static void test_time(void)
{
    static const struct { int64_t t; const char *hex; } v[] = {
        {0, "170d3730303130313030303030305a"},                        /* 700101000000Z */
        {2524607999LL, "170d3439313233313233353935395a"},              /* 491231235959Z */
        {2524608000LL, "180f32303530303130313030303030305a"},          /* 20500101000000Z */
        {-631152000LL, "170d3530303130313030303030305a"},              /* 500101000000Z */
        {-631152001LL, "180f31393439313233313233353935395a"},          /* 19491231235959Z */
        {951782400LL, "170d3030303232393030303030305a"},               /* 000229000000Z */
        {CSR_TIME_MAX, "180f39393939313233313233353935395a"},
        {CSR_TIME_MIN, "180f30303030303130313030303030305a"},
    };
    size_t i;
    for (i = 0; i < sizeof v / sizeof v[0]; i++) {
        csr_buf b;
        der_rd r;
        der_tlv t;
        csr_err e;
        int64_t back = -1;
        csr_buf_init(&b, 0);
        CHECK(der_put_time(&b, v[i].t) == CSR_OK && hexeq(&b, v[i].hex));
        der_rd_init(&r, b.p, b.len, 0);
        CHECK(der_next(&r, &t, &e) == CSR_OK && der_get_time(&t, &back, "t", &e) == CSR_OK &&
              back == v[i].t);
        csr_buf_free(&b);
    }
    {
        csr_buf b;
        csr_buf_init(&b, 0);
        CHECK(der_put_time(&b, CSR_TIME_MAX + 1) == CSR_E_INVALID && b.len == 0);
        CHECK(der_put_time(&b, CSR_TIME_MIN - 1) == CSR_E_INVALID && b.len == 0);
        csr_buf_free(&b);
    }
}

/* A C caller's zeroed csr_cert_spec: CA defaults critical, dates out of order refused. */
static void test_cert_defaults(void)
{
    csr_cert_spec cs;
    csr_cert *c = NULL;
    csr_key *k = NULL;
    csr_err e;
    size_t i, n;
    int crit = 0;

    CHECK(csr_key_generate(&k, CSR_KEY_ED25519, 0, &e) == CSR_OK);
    memset(&cs, 0, sizeof cs);
    cs.issuer_key = k;
    cs.not_before = 1;
    cs.not_after = 0;
    CHECK(csr_cert_issue(&c, &cs, &e) == CSR_E_INVALID && c == NULL);
    cs.not_after = 86400;
    cs.ca = 1;
    CHECK(csr_cert_issue(&c, &cs, &e) == CSR_OK && c != NULL);
    n = c != NULL ? csr_req_ext_count(csr_cert_view(c)) : 0;
    for (i = 0; i < n; i++) {
        const csr_ext_view *x = csr_req_ext_get(csr_cert_view(c), i);
        if (strcmp(x->oid, "2.5.29.19") == 0 || strcmp(x->oid, "2.5.29.15") == 0)
            crit += x->critical;
    }
    CHECK(n == 4 && crit == 2);
    CHECK(c != NULL && csr_cert_version(c) == 3 && csr_cert_verify_key(c, k, &e) == CSR_OK);
    csr_cert_free(c);
    csr_key_free(k);
}

/* 1 if the views of a (signed here) and b (parsed from a's DER) agree: every offset (they
 * word errors) and every pointer's bytes */
static int same_view(const csr_req *a, const csr_req *b)
{
    size_t i, na = 0, nb = 0;
    const uint8_t *da = csr_req_der(a, &na), *db = csr_req_der(b, &nb);
    int ok = da != NULL && na == nb && memcmp(da, db, na) == 0 && a->cri_off == b->cri_off &&
             a->cri_len == b->cri_len && memcmp(a->cri, b->cri, a->cri_len) == 0 &&
             a->subject_off == b->subject_off && a->spki_off == b->spki_off &&
             a->algid_off == b->algid_off && a->algid_len == b->algid_len &&
             memcmp(a->algid, b->algid, a->algid_len) == 0 && a->sig_len == b->sig_len &&
             memcmp(a->sig, b->sig, a->sig_len) == 0 && strcmp(a->sigalg, b->sigalg) == 0 &&
             a->sig_kt == b->sig_kt && a->spki_len == b->spki_len &&
             memcmp(a->spki, b->spki, a->spki_len) == 0 && a->nsan == b->nsan &&
             a->nexts == b->nexts && a->nattrs == b->nattrs;
    for (i = 0; ok && i < a->nsan; i++)
        ok = a->san[i].off == b->san[i].off && a->san[i].len == b->san[i].len &&
             memcmp(a->san[i].val, b->san[i].val, a->san[i].len) == 0;
    for (i = 0; ok && i < a->nexts; i++)
        ok = a->exts[i].off == b->exts[i].off && a->exts[i].v.len == b->exts[i].v.len &&
             memcmp(a->exts[i].v.value, b->exts[i].v.value, a->exts[i].v.len) == 0;
    for (i = 0; ok && i < a->nattrs; i++)
        ok = a->attrs[i].off == b->attrs[i].off;
    return ok && csr_req_verify(a, NULL) == CSR_OK;
}

/* signing keeps the built view (no second parse): it must match a parse of the result,
 * after one signature and after a second one */
static void test_signed_view(void)
{
    static const csr_san_in san[] = {
        {CSR_SAN_DNS, "www.example.com", 15}, {CSR_SAN_IP, "192.0.2.1", 9},
        {CSR_SAN_EMAIL, "a@example.com", 13}
    };
    static const char pad[] = "0123456789012345678901234567890123456789012345678901234567890123";
    csr_req_spec spec;
    csr_req *r = NULL, *p = NULL;
    csr_key *k = NULL;
    csr_name *n = NULL;
    csr_err e;
    size_t len = 0;
    const uint8_t *der;
    int round;

    CHECK(csr_key_generate(&k, CSR_KEY_ED25519, 0, &e) == CSR_OK);
    CHECK(csr_name_new(&n, &e) == CSR_OK &&
          csr_name_add(n, "CN", (const uint8_t *)pad, 64, 1, &e) == CSR_OK &&
          csr_name_add(n, "O", (const uint8_t *)pad, 50, 1, &e) == CSR_OK);
    memset(&spec, 0, sizeof spec);
    spec.subject = n;
    spec.key = k;
    spec.san = san;
    spec.nsan = 3;
    spec.ku_set = 1;
    spec.key_usage = 1;
    spec.challenge = (const uint8_t *)"secret";
    spec.challenge_len = 6;
    CHECK(csr_req_build(&r, &spec, &e) == CSR_OK && r != NULL);
    for (round = 0; r != NULL && round < 2; round++) {   /* signed, then signed again */
        CHECK(csr_req_sign(r, k, NULL, &e) == CSR_OK);
        der = csr_req_der(r, &len);
        CHECK(der != NULL && csr_req_parse(&p, der, len, &e) == CSR_OK);
        CHECK(p != NULL && same_view(r, p));
        csr_req_free(p);
        p = NULL;
    }
    if (r != NULL) {    /* a parsed request re-signed keeps its view too */
        der = csr_req_der(r, &len);
        CHECK(csr_req_parse(&p, der, len, &e) == CSR_OK && csr_req_sign(p, k, NULL, &e) == CSR_OK);
        csr_req_free(r);
        r = NULL;
        der = p != NULL ? csr_req_der(p, &len) : NULL;
        CHECK(der != NULL && csr_req_parse(&r, der, len, &e) == CSR_OK && same_view(p, r));
    }
    csr_req_free(p);
    csr_req_free(r);
    csr_name_free(n);
    csr_key_free(k);
}

/* every curve's on-curve check (constants read once at init): its own point loads, the same
 * point with y changed in its last bit does not */
static void test_on_curve(void)
{
    int c;
    for (c = CSR_CURVE_P256; c <= CSR_CURVE_P521; c++) {
        csr_key *k = NULL, *p = NULL;
        csr_err e;
        uint8_t spki[200];
        size_t n = 0;
        const uint8_t *s;
        CHECK(csr_key_generate(&k, CSR_KEY_EC, c, &e) == CSR_OK);
        s = k != NULL ? csr_key_spki(k, &n) : NULL;
        CHECK(s != NULL && n <= sizeof spki);
        if (s == NULL || n > sizeof spki) {
            csr_key_free(k);
            continue;
        }
        memcpy(spki, s, n);
        CHECK(csr_key_from_spki(&p, spki, n, &e) == CSR_OK && p != NULL);
        csr_key_free(p);
        p = NULL;
        spki[n - 1] ^= 1;
        CHECK(csr_key_from_spki(&p, spki, n, &e) == CSR_E_BAD_DER && p == NULL &&
              strstr(e.msg, "not on the curve") != NULL);
        csr_key_free(k);
    }
}

/* A #hex member of a multi-valued RDN prints back as #hex after the SET's sort has moved it
 * (fuzz_subject found a name printed as "C=abc+O=#0c11…" for
 * O=omxxxxxxxxxxxxxxx+2.5.4.6=#0c03616263): text out and back gives the same DER */
static void test_hex_member_sorted(void)
{
    static const char *const in[] = {"O=omxxxxxxxxxxxxxxx+2.5.4.6=#0c03616263",
                                     "O=om+2.5.4.6=#0c03616263", "CN=a+C=#0c025553,O=x"};
    size_t k;
    for (k = 0; k < sizeof in / sizeof in[0]; k++) {
        csr_name *n = NULL, *m = NULL;
        csr_buf t, d1, d2;
        csr_err e;
        csr_buf_init(&t, 0);
        csr_buf_init(&d1, 0);
        csr_buf_init(&d2, 0);
        CHECK(csr_name_parse_text(&n, in[k], strlen(in[k]), &e) == CSR_OK && n != NULL);
        CHECK(n != NULL && csr_name_to_text(&t, n) == CSR_OK && csr_name_to_der(&d1, n) == CSR_OK);
        CHECK(t.p != NULL && csr_name_parse_text(&m, (const char *)t.p, t.len, &e) == CSR_OK &&
              csr_name_to_der(&d2, m) == CSR_OK && d1.len == d2.len &&
              memcmp(d1.p, d2.p, d1.len) == 0);
        csr_name_free(n);
        csr_name_free(m);
        csr_buf_free(&t);
        csr_buf_free(&d1);
        csr_buf_free(&d2);
    }
}

int main(void)
{
    csr_err e;
    if (csr_core_init(&e) != CSR_OK) {
        printf("init failed: %s\n", e.msg);
        return 1;
    }
    test_writer();
    test_reader();
    test_tree();
    test_pem();
    test_b64_roundtrip();
    test_text();
    test_sigalg();
    test_time();
    test_cert_defaults();
    test_signed_view();
    test_on_curve();
    test_hex_member_sorted();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

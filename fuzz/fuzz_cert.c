/* libFuzzer: csr_cert_parse_next over the input (PEM bundle or DER), then for each
 * certificate everything a relying party or CA would do: every accessor, csr_cert_text,
 * verify against itself and against a fixed issuer, and a certificate issued under its
 * subject name. Properties: DER input kept byte-exact and PEM out and back gives the same
 * DER; serial hex is minimal lower case; dates lie in the years we can write; a v1
 * certificate has no extensions; a fixed issuer never verifies a foreign certificate.
 * SPDX-License-Identifier: MIT */
#include "fuzz.h"

static csr_key *issuer_key;             /* made once: P-256 */
static csr_cert *issuer;                /* self-signed with issuer_key */

static void make_issuer(void)
{
    csr_cert_spec cs;
    csr_err err;
    if (issuer != NULL)
        return;
    FUZZ_CHECK(csr_key_generate(&issuer_key, CSR_KEY_EC, CSR_CURVE_P256, &err) == CSR_OK,
               "issuer key");
    memset(&cs, 0, sizeof cs);
    cs.issuer_key = issuer_key;
    cs.not_before = 0;
    cs.not_after = 86400;
    cs.ca = 1;
    cs.ext.san_critical = cs.ext.ku_critical = cs.ext.eku_critical = -1;
    cs.ext.bc_critical = cs.ext.ms_critical = cs.ext.bc_pathlen = -1;
    FUZZ_CHECK(csr_cert_issue(&issuer, &cs, &err) == CSR_OK, "issuer certificate");
}

static void check_answer(int rc, const csr_err *err, int may_verify)
{
    fuzz_err_ok(rc, err);
    FUZZ_CHECK((rc == CSR_OK && may_verify) || rc == CSR_E_BAD_SIGNATURE ||
               rc == CSR_E_UNSUPPORTED, "verify answers valid / invalid / unsupported");
}

/* A self-signed certificate under c's subject name parses back with that name. */
static void reissue(const csr_cert *c)
{
    csr_cert_spec cs;
    csr_cert *out = NULL;
    csr_err err;
    int rc;

    memset(&cs, 0, sizeof cs);
    cs.issuer_key = issuer_key;
    cs.not_before = csr_cert_not_before(c);
    cs.not_after = csr_cert_not_after(c);
    cs.ext.subject = csr_req_subject(csr_cert_view(c));
    cs.ext.san_critical = cs.ext.ku_critical = cs.ext.eku_critical = -1;
    cs.ext.bc_critical = cs.ext.ms_critical = cs.ext.bc_pathlen = -1;
    fuzz_err_reset(&err);
    rc = csr_cert_issue(&out, &cs, &err);
    fuzz_err_ok(rc, &err);
    if (cs.not_after < cs.not_before) {
        FUZZ_CHECK(rc == CSR_E_INVALID && out == NULL, "dates out of order refused");
        return;
    }
    FUZZ_CHECK(rc == CSR_OK, "self-signed under a parsed subject");
    FUZZ_CHECK(csr_name_equal(csr_req_subject(csr_cert_view(out)), cs.ext.subject) == 1,
               "the subject survives");
    FUZZ_CHECK(csr_cert_not_before(out) == cs.not_before &&
               csr_cert_not_after(out) == cs.not_after, "the dates survive");
    fuzz_err_reset(&err);
    FUZZ_CHECK(csr_cert_verify(out, out, &err) == CSR_OK, "our certificate verifies");
    csr_cert_free(out);
}

static void check_cert(const csr_cert *c, const uint8_t *in, size_t size)
{
    char hex[2 * CSR_SERIAL_MAX_PARSE + 1], fp[65];
    const uint8_t *p, *der;
    size_t len = 0, dlen = 0;
    csr_buf b;
    csr_cert *c2 = NULL;
    csr_err err;
    int rc;

    FUZZ_CHECK(csr_cert_version(c) == 1 || csr_cert_version(c) == 3, "version 1 or 3");
    if (csr_cert_version(c) == 1)
        FUZZ_CHECK(csr_req_ext_count(csr_cert_view(c)) == 0, "v1 has no extensions");
    csr_cert_serial_hex(c, hex);
    FUZZ_CHECK(hex[0] != '\0' && (hex[0] != '0' || hex[1] == '\0'), "serial minimal");
    FUZZ_CHECK(strspn(hex, "0123456789abcdef") == strlen(hex), "serial lower-case hex");
    FUZZ_CHECK(csr_cert_not_before(c) >= CSR_TIME_MIN && csr_cert_not_after(c) <= CSR_TIME_MAX,
               "dates in range");
    check_name(csr_cert_issuer(c));
    check_name(csr_req_subject(csr_cert_view(c)));
    fuzz_check_view(csr_cert_view(c));
    p = csr_cert_ski(c, &len);
    touch(p, p ? len : 0);
    p = csr_cert_aki(c, &len);
    touch(p, p ? len : 0);
    touch_str(csr_cert_sigalg_name(c));
    csr_cert_fingerprint(c, fp);
    FUZZ_CHECK(strlen(fp) == 64, "fingerprint");

    csr_buf_init(&b, 0);
    fuzz_err_reset(&err);
    FUZZ_CHECK(csr_cert_text(&b, c, &err) == CSR_OK, "text of a parsed certificate");
    touch(b.p, b.len);
    csr_buf_free(&b);

    fuzz_err_reset(&err);
    check_answer(csr_cert_verify(c, c, &err), &err, 1);
    fuzz_err_reset(&err);
    check_answer(csr_cert_verify(c, issuer, &err), &err, 0);
    fuzz_err_reset(&err);
    check_answer(csr_cert_verify_key(c, issuer_key, &err), &err, 0);

    csr_buf_init(&b, 0);
    FUZZ_CHECK(csr_cert_pem(&b, c, &err) == CSR_OK, "to PEM");
    fuzz_err_reset(&err);
    rc = csr_cert_parse(&c2, b.p, b.len, &err);
    FUZZ_CHECK(rc == CSR_OK, "our PEM of a parsed certificate parses");
    der = csr_cert_der(c, &dlen);
    p = csr_cert_der(c2, &len);
    FUZZ_CHECK(len == dlen && memcmp(p, der, len) == 0, "PEM round trip keeps the DER");
    if (!csr_pem_detect(in, size))
        FUZZ_CHECK(dlen == size && memcmp(der, in, size) == 0, "DER input kept byte-exact");
    csr_cert_free(c2);
    csr_buf_free(&b);
    reissue(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *in = fuzz_dup(data, size);
    size_t pos = 0, n = 0;
    csr_err err;

    make_issuer();
    for (;;) {
        csr_cert *c = NULL;
        size_t before = pos;
        int rc;
        fuzz_err_reset(&err);
        rc = csr_cert_parse_next(&c, in, size, &pos, &err);
        fuzz_err_ok(rc, &err);
        if (rc != CSR_OK || c == NULL) {
            FUZZ_CHECK(c == NULL, "no object on failure or at the end");
            break;
        }
        FUZZ_CHECK(pos > before && pos <= size, "parse_next moves forward");
        check_cert(c, in, size);
        csr_cert_free(c);
        FUZZ_CHECK(++n < 100000, "bundle ends");
    }
    free(in);
    return 0;
}

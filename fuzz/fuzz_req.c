/* libFuzzer: csr_req_parse (PEM or DER), then everything a CA would do with the result:
 * verify, every accessor, the public key, the subject round trip, csr_req_text and the policy
 * checks (csr_req_check: every problem has a code, a field and a message free of control
 * characters).
 * Properties: a parsed request re-encodes to the exact input DER (to PEM and back); its
 * public key matches it; every accessor stays within its own count.
 * SPDX-License-Identifier: MIT */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    csr_req *r = NULL, *r2 = NULL;
    csr_key *pk = NULL;
    csr_err err;
    csr_buf b;
    const uint8_t *p;
    size_t i, n, len = 0;
    int rc;
    uint8_t *in = fuzz_dup(data, size);

    fuzz_err_reset(&err);
    rc = csr_req_parse(&r, in, size, &err);
    fuzz_err_ok(rc, &err);
    if (rc != CSR_OK) {
        FUZZ_CHECK(r == NULL, "no object on failure");
        free(in);
        return 0;
    }
    FUZZ_CHECK(r != NULL, "object on success");
    FUZZ_CHECK(csr_req_is_signed(r) == 1, "a parsed request is signed");

    fuzz_err_reset(&err);
    rc = csr_req_verify(r, &err);
    fuzz_err_ok(rc, &err);
    FUZZ_CHECK(rc == CSR_OK || rc == CSR_E_BAD_SIGNATURE || rc == CSR_E_UNSUPPORTED,
               "verify answers valid / invalid / unsupported");

    FUZZ_CHECK(csr_req_version(r) == 0, "parsed version is v1");
    check_name(csr_req_subject(r));
    p = csr_req_spki(r, &len);
    FUZZ_CHECK(p != NULL && len > 0, "spki present");
    touch(p, len);
    touch_str(csr_req_sigalg_name(r));
    FUZZ_CHECK(csr_req_sigalg_name(r) != NULL, "sigalg name");

    fuzz_err_reset(&err);
    rc = csr_req_public_key(&pk, r, &err);
    fuzz_err_ok(rc, &err);
    if (rc == CSR_OK) {
        const uint8_t *kp;
        size_t klen = 0;
        char fp[65];
        FUZZ_CHECK(csr_req_matches(r, pk) == 1, "request matches its own public key");
        FUZZ_CHECK(csr_key_is_private(pk) == 0, "public key is public");
        kp = csr_key_spki(pk, &klen);
        FUZZ_CHECK(kp != NULL && klen == len && memcmp(kp, p, len) == 0,
                   "key SPKI is the request's SPKI bytes");
        csr_key_fingerprint(pk, fp);
        FUZZ_CHECK(strlen(fp) == 64, "fingerprint is 64 hex digits");
        (void)csr_key_type(pk);
        (void)csr_key_bits(pk);
        (void)csr_key_curve(pk);
        csr_key_free(pk);
    } else {
        FUZZ_CHECK(pk == NULL, "no key on failure");
    }

    fuzz_check_view(r);
    p = csr_req_challenge(r, &len);
    touch(p, p ? len : 0);
    p = csr_req_unstructured(r, &len);
    touch(p, p ? len : 0);
    n = csr_req_attr_count(r);
    for (i = 0; i < n; i++) {
        const csr_attr_view *a = csr_req_attr_get(r, i);
        const uint8_t *tlv;
        size_t tl, j;
        FUZZ_CHECK(a != NULL && a->oid != NULL, "attr_get in range");
        touch_str(a->oid);
        touch_str(a->name);
        touch(a->values, a->values_len);
        for (j = 0; csr_attr_value(a, j, &tlv, &tl) == 1; j++) {
            touch(tlv, tl);
            FUZZ_CHECK(j < 100000, "attribute values end");
        }
    }
    FUZZ_CHECK(csr_req_attr_get(r, csr_req_attr_count(r)) == NULL, "attr_get past the end");

    csr_buf_init(&b, 0);
    fuzz_err_reset(&err);
    rc = csr_req_text(&b, r, &err);
    fuzz_err_ok(rc, &err);
    FUZZ_CHECK(rc == CSR_OK, "text of a parsed request");
    touch(b.p, b.len);
    csr_buf_free(&b);

    {
        csr_policy pol;
        csr_problems ps;
        size_t j, k;
        csr_policy_default(&pol);
        pol.public_ip_only = 1;
        memset(&ps, 0, sizeof ps);
        fuzz_err_reset(&err);
        rc = csr_req_check(&ps, r, &pol, &err);
        fuzz_err_ok(rc, &err);
        FUZZ_CHECK(rc == CSR_OK || rc == CSR_E_NOMEM, "check answers");
        for (j = 0; rc == CSR_OK && j < ps.n; j++) {
            FUZZ_CHECK(ps.v[j].code != NULL && ps.v[j].field[0] && ps.v[j].msg[0],
                       "problem has code, field, message");
            for (k = 0; ps.v[j].msg[k]; k++)
                FUZZ_CHECK((unsigned char)ps.v[j].msg[k] >= 0x20 && ps.v[j].msg[k] != 0x7f,
                           "messages carry no control characters");
        }
        csr_problems_free(&ps);
    }

    /* PEM out and back: the same DER */
    csr_buf_init(&b, 0);
    fuzz_err_reset(&err);
    rc = csr_req_pem(&b, r, &err);
    FUZZ_CHECK(rc == CSR_OK, "to PEM");
    fuzz_err_reset(&err);
    rc = csr_req_parse(&r2, b.p, b.len, &err);
    if (rc != CSR_OK)
        fprintf(stderr, "re-parse: %s\n", err.msg);
    FUZZ_CHECK(rc == CSR_OK, "our PEM of a parsed request parses");
    {
        size_t l1 = 0, l2 = 0;
        const uint8_t *d1 = csr_req_der(r, &l1), *d2 = csr_req_der(r2, &l2);
        FUZZ_CHECK(d1 != NULL && d2 != NULL && l1 == l2 && memcmp(d1, d2, l1) == 0,
                   "PEM round trip keeps the DER");
        if (!csr_pem_detect(in, size))
            FUZZ_CHECK(l1 == size && memcmp(d1, in, size) == 0, "DER input kept byte-exact");
    }
    csr_req_free(r2);
    csr_buf_free(&b);
    csr_req_free(r);
    free(in);
    return 0;
}

/* Issuing and self-signing X.509 v3 certificates (RFC 5280): the TBSCertificate is written
 * here with der_*, the extensions by the request encoder (ext_enc.c), the signature by
 * key_sign.c; the result is parsed back into a csr_cert.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "cert.h"
#include "ext_enc.h"
#include "oid.h"
#include "wolf.h"

#define SERIAL_RANDOM  16
#define MAX_ADDED      7                /* copied (5) + SKI + AKI */

/* The extensions of one certificate: the caller's spec plus copies and key ids. */
typedef struct {
    csr_req_spec spec;
    csr_ext_in *ext;            /* the caller's raw extensions, then the added ones */
    csr_buf ski, aki;           /* extnValues of the key identifiers */
} cert_exts;

static int buf_status(const csr_buf *b, csr_err *err)
{
    if (b->err == 0)
        return CSR_OK;
    return csr_err_set(err, b->err, b->err == CSR_E_NOMEM ? "out of memory"
                                                          : "certificate too large");
}

static int has_raw(const cert_exts *x, const char *oid)
{
    size_t i;
    for (i = 0; i < x->spec.next; i++)
        if (x->ext[i].oid != NULL && strcmp(x->ext[i].oid, oid) == 0)
            return 1;
    return 0;
}

static void add_raw(cert_exts *x, const char *oid, int critical, const uint8_t *der, size_t n)
{
    csr_ext_in *e = &x->ext[x->spec.next++];
    e->oid = oid;
    e->critical = critical;
    e->der = der;
    e->len = n;
}

/* Copies the request's extension oid (as it is, criticality included) unless overridden. */
static void copy_ext(cert_exts *x, const csr_req *r, const char *oid, int wanted, int given)
{
    size_t i, n = csr_req_ext_count(r);
    if (!wanted || given || has_raw(x, oid))
        return;
    for (i = 0; i < n; i++) {
        const csr_ext_view *e = csr_req_ext_get(r, i);
        if (strcmp(e->oid, oid) == 0)
            add_raw(x, oid, e->critical, e->value, e->len);
    }
}

/* keyIdentifier ([0] of AuthorityKeyIdentifier) of the issuer: its subjectKeyIdentifier,
 * or computed from its key when it has none. */
static int put_key_ids(cert_exts *x, const csr_cert_spec *cs, const uint8_t *spki,
                       size_t spki_len, csr_err *err)
{
    uint8_t id[20], aid[20];
    const uint8_t *ak = aid;
    size_t aklen = sizeof aid, m;
    int rc;

    if ((rc = cert_key_id(id, spki, spki_len, err)) != CSR_OK)
        return rc;
    memcpy(aid, id, sizeof id);
    if (cs->issuer_cert != NULL) {
        ak = csr_cert_ski(cs->issuer_cert, &aklen);
        if (ak == NULL) {
            const csr_req *v = csr_cert_view(cs->issuer_cert);
            if ((rc = cert_key_id(aid, v->spki, v->spki_len, err)) != CSR_OK)
                return rc;
            ak = aid;
            aklen = sizeof aid;
        }
    }
    der_put_tlv(&x->ski, DER_OCTET_STRING, id, sizeof id);
    m = der_open(&x->aki, DER_SEQUENCE);
    der_put_tlv(&x->aki, DER_CTX(0), ak, aklen);
    der_close(&x->aki, m);
    if ((rc = buf_status(&x->ski, err)) != CSR_OK || (rc = buf_status(&x->aki, err)) != CSR_OK)
        return rc;
    if (!has_raw(x, OID_SKI))
        add_raw(x, OID_SKI, 0, x->ski.p, x->ski.len);
    if (!has_raw(x, OID_AKI))
        add_raw(x, OID_AKI, 0, x->aki.p, x->aki.len);
    return CSR_OK;
}

/* Fills x from cs: CA defaults, copies from the request, basicConstraints CA:FALSE by
 * default, key identifiers. x->ext is allocated (free it). */
static int plan_exts(cert_exts *x, const csr_cert_spec *cs, const uint8_t *spki,
                     size_t spki_len, csr_err *err)
{
    const csr_req *r = cs->request;
    unsigned cp = r != NULL ? cs->copy : 0;
    int bc_copied;

    x->spec = cs->ext;
    x->ext = (csr_ext_in *)csr_calloc(cs->ext.next + MAX_ADDED, sizeof *x->ext);
    if (x->ext == NULL)
        return csr_err_set(err, CSR_E_NOMEM, "out of memory");
    if (cs->ext.next > 0)
        memcpy(x->ext, cs->ext.ext, cs->ext.next * sizeof *x->ext);
    x->spec.ext = x->ext;
    if (cs->ca && !x->spec.bc_set) {
        x->spec.bc_set = 1;
        x->spec.bc_ca = 1;
        x->spec.bc_pathlen = -1;
        x->spec.bc_critical = -1;       /* the default: critical */
    }
    if (cs->ca && !x->spec.ku_set) {
        x->spec.ku_set = 1;
        x->spec.key_usage = CSR_KU_KEY_CERT_SIGN | CSR_KU_CRL_SIGN;
        x->spec.ku_critical = -1;
    }
    if (r != NULL) {
        copy_ext(x, r, OID_SAN, cp & CSR_COPY_SAN, x->spec.nsan > 0);
        copy_ext(x, r, OID_KU, cp & CSR_COPY_KU, x->spec.ku_set);
        copy_ext(x, r, OID_EKU, cp & CSR_COPY_EKU, x->spec.neku > 0);
        copy_ext(x, r, OID_TLS_FEATURE, cp & CSR_COPY_MUST_STAPLE, x->spec.must_staple);
        copy_ext(x, r, OID_BC, cp & CSR_COPY_BC, x->spec.bc_set);
    }
    bc_copied = has_raw(x, OID_BC);
    if (!x->spec.bc_set && !bc_copied) {
        x->spec.bc_set = 1;             /* CA:FALSE, critical */
        x->spec.bc_ca = 0;
        x->spec.bc_pathlen = -1;
        x->spec.bc_critical = -1;
    }
    return put_key_ids(x, cs, spki, spki_len, err);
}

static int random_serial(uint8_t s[SERIAL_RANDOM], csr_err *err)
{
    int rc, i, zero = 1;

    while (zero) {                     /* this thread's DRBG (rng.c), re-seeded after fork() */
        if ((rc = csr_random(s, SERIAL_RANDOM, err)) != CSR_OK)
            return rc;
        for (i = 0; i < SERIAL_RANDOM; i++)
            zero &= s[i] == 0;
    }
    return CSR_OK;
}

/* The serial's magnitude: the caller's (leading zeros dropped, 1..20 octets, non-zero)
 * or SERIAL_RANDOM random bytes into buf. */
static int pick_serial(const csr_cert_spec *cs, uint8_t buf[SERIAL_RANDOM],
                       const uint8_t **p, size_t *n, csr_err *err)
{
    if (cs->serial == NULL) {
        *p = buf;
        *n = SERIAL_RANDOM;
        return random_serial(buf, err);
    }
    *p = cs->serial;
    *n = cs->serial_len;
    while (*n > 0 && **p == 0) {
        (*p)++;
        (*n)--;
    }
    if (*n == 0)
        return csr_err_set(err, CSR_E_INVALID, "serial must not be zero");
    if (*n > CSR_SERIAL_MAX)
        return csr_err_set(err, CSR_E_INVALID, "serial is longer than %d octets",
                           CSR_SERIAL_MAX);
    return CSR_OK;
}

/* The checks before anything is built: keys, request signature, dates. */
static int check_spec(const csr_cert_spec *cs, csr_err *err)
{
    csr_err e;
    int rc;

    if (cs->issuer_key == NULL || csr_key_is_private(cs->issuer_key) != 1)
        return csr_err_set(err, CSR_E_INVALID, "the issuer key must be a private key");
    if (cs->request == NULL && cs->issuer_cert != NULL)
        return csr_err_set(err, CSR_E_INVALID, "a request is needed to issue");
    if (cs->request != NULL && (rc = csr_req_verify(cs->request, &e)) != CSR_OK) {
        if (rc == CSR_E_NOMEM)
            return csr_err_set(err, rc, "out of memory");
        *err = e;
        err->code = CSR_E_BAD_SIGNATURE;
        return csr_err_prefix(err, "the request's signature does not verify");
    }
    if (cs->issuer_cert != NULL) {
        const csr_key *ik = NULL;
        if ((rc = req_key(&ik, csr_cert_view(cs->issuer_cert), err)) != CSR_OK)
            return rc;
        if (csr_key_same_public(ik, cs->issuer_key) != 1)
            return csr_err_set(err, CSR_E_KEY_MISMATCH, "the issuer key is not the issuer "
                               "certificate's key");
    }
    if (cs->not_after < cs->not_before)
        return csr_err_set(err, CSR_E_INVALID, "not_after is before not_before");
    if (cs->not_before < CSR_TIME_MIN || cs->not_after > CSR_TIME_MAX)
        return csr_err_set(err, CSR_E_INVALID, "dates must lie in the years 0000 to 9999");
    return CSR_OK;
}

/* The Name TLV of the subject: the spec's, else the request's, else empty. */
static int put_subject(csr_buf *b, const csr_cert_spec *cs, csr_err *err)
{
    const csr_name *n = cs->ext.subject;
    if (n == NULL && cs->request != NULL)
        n = csr_req_subject(cs->request);
    if (n == NULL) {
        der_put_tlv(b, DER_SEQUENCE, NULL, 0);
        return CSR_OK;
    }
    if (csr_name_to_der(b, n) != CSR_OK && b->err == 0)
        return csr_err_set(err, CSR_E_BAD_NAME, "the subject cannot be encoded");
    return buf_status(b, err);
}

/* TBSCertificate (see cert_parse.c) into tbs. */
static int put_tbs(csr_buf *tbs, const csr_cert_spec *cs, const csr_sig *sp,
                   const uint8_t *spki, size_t spki_len, const csr_buf *exts, csr_err *err)
{
    uint8_t rnd[SERIAL_RANDOM];
    const uint8_t *serial;
    size_t n, m, v;
    int rc;

    if ((rc = pick_serial(cs, rnd, &serial, &n, err)) != CSR_OK)
        return rc;
    m = der_open(tbs, DER_SEQUENCE);
    v = der_open(tbs, DER_CTXC(0));
    der_put_uint(tbs, 2);                           /* v3 */
    der_close(tbs, v);
    der_put_uint_bytes(tbs, serial, n);
    if ((rc = csr_sigalg_encode(tbs, csr_key_type(cs->issuer_key), sp, err)) != CSR_OK)
        return rc;
    if (cs->issuer_cert != NULL)                    /* self-signed: the subject */
        der_put_raw(tbs, cs->issuer_cert->subject_der, cs->issuer_cert->subject_len);
    else if ((rc = put_subject(tbs, cs, err)) != CSR_OK)
        return rc;
    v = der_open(tbs, DER_SEQUENCE);
    if (der_put_time(tbs, cs->not_before) != CSR_OK || der_put_time(tbs, cs->not_after) != CSR_OK)
        return csr_err_set(err, CSR_E_INVALID, "dates must lie in the years 0000 to 9999");
    der_close(tbs, v);
    if ((rc = put_subject(tbs, cs, err)) != CSR_OK)
        return rc;
    der_put_raw(tbs, spki, spki_len);
    v = der_open(tbs, DER_CTXC(3));
    der_put_raw(tbs, exts->p, exts->len);
    der_close(tbs, v);
    der_close(tbs, m);
    return buf_status(tbs, err);
}

/* Certificate ::= SEQUENCE { tbs, algid, BIT STRING signature }, parsed into *out. */
static int sign_tbs(csr_cert **out, const csr_cert_spec *cs, const csr_sig *sp,
                    const csr_buf *tbs, csr_err *err)
{
    csr_buf alg, sig, all;
    uint8_t *der;
    size_t m, n;
    int rc;

    csr_buf_init(&alg, 0);
    csr_buf_init(&sig, 0);
    csr_buf_init(&all, 0);
    rc = csr_sigalg_encode(&alg, csr_key_type(cs->issuer_key), sp, err);
    if (rc == CSR_OK && (rc = buf_status(&alg, err)) == CSR_OK &&
        (rc = csr_key_sign(&sig, cs->issuer_key, sp, tbs->p, tbs->len, err)) == CSR_OK &&
        (rc = buf_status(&sig, err)) == CSR_OK) {
        m = der_open(&all, DER_SEQUENCE);
        der_put_raw(&all, tbs->p, tbs->len);
        der_put_raw(&all, alg.p, alg.len);
        der_put_bit_string(&all, sig.p, sig.len);
        der_close(&all, m);
        rc = buf_status(&all, err);
    }
    if (rc == CSR_OK) {
        n = all.len;
        if ((der = (uint8_t *)csr_memdup(all.p, n)) == NULL)
            rc = csr_err_set(err, CSR_E_NOMEM, "out of memory");
        else
            rc = cert_from_der(out, der, n, err);
    }
    csr_buf_free(&alg);
    csr_buf_free(&sig);
    csr_buf_free(&all);
    return rc;
}

int csr_cert_issue(csr_cert **out, const csr_cert_spec *cs, csr_err *err)
{
    cert_exts x;
    csr_buf exts, tbs;
    csr_sig sp;
    const uint8_t *spki;
    size_t spki_len = 0, count = 0;
    int rc, subject_empty;
    const csr_name *subject;

    *out = NULL;
    if ((rc = check_spec(cs, err)) != CSR_OK)
        return rc;
    sp = cs->sig;
    sp.raw = 0;                                     /* X.509 signatures are DER */
    if ((rc = csr_sig_resolve(&sp, cs->issuer_key, err)) != CSR_OK)
        return rc;
    spki = cs->request != NULL ? csr_req_spki(cs->request, &spki_len)
                               : csr_key_spki(cs->issuer_key, &spki_len);
    subject = cs->ext.subject != NULL ? cs->ext.subject
              : cs->request != NULL ? csr_req_subject(cs->request) : NULL;
    subject_empty = subject == NULL || csr_name_rdn_count(subject) == 0;
    memset(&x, 0, sizeof x);
    csr_buf_init(&x.ski, 0);
    csr_buf_init(&x.aki, 0);
    csr_buf_init(&exts, 0);
    csr_buf_init(&tbs, 0);
    if ((rc = plan_exts(&x, cs, spki, spki_len, err)) == CSR_OK &&
        (rc = csr_ext_encode(&exts, &x.spec, subject_empty, &count, err)) == CSR_OK &&
        (rc = put_tbs(&tbs, cs, &sp, spki, spki_len, &exts, err)) == CSR_OK)
        rc = sign_tbs(out, cs, &sp, &tbs, err);
    csr_free(x.ext);
    csr_buf_free(&x.ski);
    csr_buf_free(&x.aki);
    csr_buf_free(&exts);
    csr_buf_free(&tbs);
    return rc;
}

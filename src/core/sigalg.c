/* Signature AlgorithmIdentifiers: encode for signing, decode (with RSASSA-PSS params) for
 * verifying. RFC 3279, RFC 4055, RFC 5758, RFC 8410.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "der.h"
#include "oid.h"

/* AlgorithmIdentifier for a hash with NULL parameters, as RFC 4055's sha256Identifier
 * (and openssl) write it; both forms are accepted when reading. */
static void put_hash_algid(csr_buf *b, int md)
{
    size_t m = der_open(b, DER_SEQUENCE);
    (void)der_put_oid_text(b, csr_md_oid(md));
    der_put_null(b);
    der_close(b, m);
}

int csr_sigalg_encode(csr_buf *out, int key_type, const csr_sig *p, csr_err *err)
{
    size_t m, m2, m3;
    const csr_oid_info *a;

    if (key_type == CSR_KEY_RSA && p->padding == CSR_PAD_PSS) {
        int mgf = p->mgf_md ? p->mgf_md : p->md;
        int salt = p->salt_len < 0 ? csr_md_size(p->md) : p->salt_len;
        if (csr_md_oid(p->md) == NULL || csr_md_oid(mgf) == NULL)
            return csr_err_set(err, CSR_E_INVALID, "unsupported PSS digest");
        /* RSASSA-PSS-params ::= SEQUENCE { [0] hash, [1] maskGen, [2] saltLength, [3] trailer } */
        m = der_open(out, DER_SEQUENCE);
        (void)der_put_oid_text(out, OID_RSA_PSS);
        m2 = der_open(out, DER_SEQUENCE);
        if (p->md != CSR_MD_SHA1) {
            m3 = der_open(out, DER_CTXC(0));
            put_hash_algid(out, p->md);
            der_close(out, m3);
        }
        if (mgf != CSR_MD_SHA1) {
            size_t m4;
            m3 = der_open(out, DER_CTXC(1));
            m4 = der_open(out, DER_SEQUENCE);
            (void)der_put_oid_text(out, OID_MGF1);
            put_hash_algid(out, mgf);
            der_close(out, m4);
            der_close(out, m3);
        }
        if (salt != 20) {
            m3 = der_open(out, DER_CTXC(2));
            der_put_uint(out, (unsigned long)salt);
            der_close(out, m3);
        }
        der_close(out, m2);
        der_close(out, m);
        return out->err ? csr_err_set(err, out->err, "out of memory") : CSR_OK;
    }
    if ((a = csr_oid_sigalg(key_type, p->md)) != NULL) {
        m = der_open(out, DER_SEQUENCE);
        (void)der_put_oid_text(out, a->oid);
        if (key_type == CSR_KEY_RSA)        /* PKCS#1 v1.5: NULL parameters (RFC 4055 5) */
            der_put_null(out);
        der_close(out, m);
        return out->err ? csr_err_set(err, out->err, "out of memory") : CSR_OK;
    }
    return csr_err_set(err, CSR_E_INVALID, "no signature algorithm for this key and digest");
}

/* HashAlgorithm ::= AlgorithmIdentifier, parameters absent or NULL */
static int get_hash_algid(der_rd *r, int *md, const char *what, csr_err *err)
{
    der_tlv seq, oid, par;
    der_rd in;
    char txt[DER_OID_TEXT];
    const csr_oid_info *h;
    int rc = der_expect(r, DER_SEQUENCE, &seq, what, err);
    if (rc != CSR_OK)
        return rc;
    der_rd_enter(&in, &seq);
    if ((rc = der_expect(&in, DER_OID, &oid, what, err)) != CSR_OK ||
        (rc = der_get_oid(&oid, txt, what, err)) != CSR_OK)
        return rc;
    if (der_rd_more(&in)) {
        if ((rc = der_next(&in, &par, err)) != CSR_OK || (rc = der_get_null(&par, what, err)))
            return rc;
    }
    if ((rc = der_finish(&in, what, err)) != CSR_OK)
        return rc;
    h = csr_oid_find(CSR_OID_HASH, txt);
    *md = h != NULL ? h->id : CSR_MD_NONE;  /* unknown hash: unsupported, not malformed */
    return CSR_OK;
}

static int decode_pss(der_rd *r, csr_sig *p, int *ok, csr_err *err)
{
    der_tlv params, t;
    der_rd in, sub;
    int rc, md = CSR_MD_SHA1, mgf = CSR_MD_SHA1;
    long salt = 20, trailer = 1;
    unsigned last = 0;

    *ok = 1;
    if ((rc = der_expect(r, DER_SEQUENCE, &params, "RSASSA-PSS parameters", err)) != CSR_OK)
        return rc;
    der_rd_enter(&in, &params);
    while (der_rd_more(&in)) {
        if ((rc = der_next(&in, &t, err)) != CSR_OK)
            return rc;
        if (t.tag < DER_CTXC(0) || t.tag > DER_CTXC(3) || t.tag <= last)
            return csr_err_set(err, CSR_E_BAD_DER, "RSASSA-PSS parameters: unexpected field at "
                               "byte %lu", (unsigned long)t.off);
        last = t.tag;
        der_rd_enter(&sub, &t);
        if (t.tag == DER_CTXC(0)) {
            rc = get_hash_algid(&sub, &md, "PSS hash algorithm", err);
        } else if (t.tag == DER_CTXC(1)) {
            der_tlv mseq, moid;
            der_rd min;
            char txt[DER_OID_TEXT];
            rc = der_expect(&sub, DER_SEQUENCE, &mseq, "PSS mask generation", err);
            if (rc == CSR_OK) {
                der_rd_enter(&min, &mseq);
                rc = der_expect(&min, DER_OID, &moid, "PSS mask generation", err);
                if (rc == CSR_OK)
                    rc = der_get_oid(&moid, txt, "PSS mask generation", err);
                if (rc == CSR_OK && strcmp(txt, OID_MGF1) != 0)
                    *ok = 0;
                if (rc == CSR_OK && *ok)
                    rc = get_hash_algid(&min, &mgf, "MGF1 hash", err);
                else if (rc == CSR_OK)
                    min.p = min.end;
                if (rc == CSR_OK)
                    rc = der_finish(&min, "PSS mask generation", err);
            }
        } else {
            der_tlv it;
            rc = der_expect(&sub, DER_INTEGER, &it, "PSS integer", err);
            if (rc == CSR_OK)
                rc = der_get_uint(&it, t.tag == DER_CTXC(2) ? &salt : &trailer, "PSS integer",
                                  err);
        }
        if (rc == CSR_OK)
            rc = der_finish(&sub, "RSASSA-PSS parameters", err);
        if (rc != CSR_OK)
            return rc;
    }
    if (md == CSR_MD_NONE || mgf == CSR_MD_NONE || trailer != 1 || salt > 1024)
        *ok = 0;
    p->md = md;
    p->mgf_md = mgf;
    p->salt_len = (int)salt;
    p->padding = CSR_PAD_PSS;
    return CSR_OK;
}

int csr_pss_params_decode(const uint8_t *tlv, size_t len, size_t base, csr_sig *p,
                          csr_err *err)
{
    der_rd r;
    int ok, rc;

    memset(p, 0, sizeof *p);
    der_rd_init(&r, tlv, len, base);
    if ((rc = decode_pss(&r, p, &ok, err)) != CSR_OK ||
        (rc = der_finish(&r, "RSASSA-PSS parameters", err)) != CSR_OK)
        return rc;
    if (!ok)
        return csr_err_set(err, CSR_E_UNSUPPORTED, "unsupported RSASSA-PSS parameters (mask, "
                           "hash or trailer field)");
    return CSR_OK;
}

/* name = s, cut to 63 bytes (no snprintf: every parsed request and certificate comes here) */
static void set_name(char name[64], const char *s)
{
    size_t n = strlen(s);
    if (n > 63)
        n = 63;
    memcpy(name, s, n);
    name[n] = '\0';
}

int csr_sigalg_decode(const uint8_t *tlv, size_t len, size_t base, int *key_type, csr_sig *p,
                      char name[64], csr_err *err)
{
    der_rd r, in;
    der_tlv seq, oid, par;
    char txt[DER_OID_TEXT];
    const csr_oid_info *a;
    int rc;

    memset(p, 0, sizeof *p);
    p->salt_len = -1;
    *key_type = 0;
    der_rd_init(&r, tlv, len, base);
    if ((rc = der_expect(&r, DER_SEQUENCE, &seq, "signature algorithm", err)) != CSR_OK)
        return rc;
    if ((rc = der_finish(&r, "signature algorithm", err)) != CSR_OK)
        return rc;
    der_rd_enter(&in, &seq);
    if ((rc = der_expect(&in, DER_OID, &oid, "signature algorithm", err)) != CSR_OK ||
        (rc = der_get_oid(&oid, txt, "signature algorithm", err)) != CSR_OK)
        return rc;
    set_name(name, txt);
    if (strcmp(txt, OID_RSA_PSS) == 0) {
        int ok;
        set_name(name, "rsassaPss");
        if ((rc = decode_pss(&in, p, &ok, err)) != CSR_OK)
            return rc;
        if ((rc = der_finish(&in, "signature algorithm", err)) != CSR_OK)
            return rc;
        *key_type = ok ? CSR_KEY_RSA : 0;
        return CSR_OK;
    }
    a = csr_oid_find(CSR_OID_SIGALG, txt);
    if (a != NULL)
        set_name(name, a->name);
    if (a != NULL && a->id != 0) {
        if (der_rd_more(&in)) {
            if ((rc = der_next(&in, &par, err)) != CSR_OK)
                return rc;
            /* RSA: NULL (or absent); ECDSA and EdDSA: parameters must be absent */
            if (a->id != CSR_KEY_RSA)
                return csr_err_at(err, CSR_E_BAD_DER, par.off,
                                   "signature algorithm: unexpected parameters");
            if ((rc = der_get_null(&par, "signature algorithm", err)) != CSR_OK)
                return rc;
        }
        if ((rc = der_finish(&in, "signature algorithm", err)) != CSR_OK)
            return rc;
        *key_type = a->id;
        p->md = a->md;
        p->padding = CSR_PAD_PKCS1;
        return CSR_OK;
    }
    /* unsupported algorithm: parameters kept opaque but framing checked */
    while (der_rd_more(&in))
        if ((rc = der_next(&in, &par, err)) != CSR_OK)
            return rc;
    return CSR_OK;
}

/* Key export: PKCS#8 / SPKI as DER or PEM, optionally PBES2-encrypted, and writing a key file.
 * SPDX-License-Identifier: MIT */
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "key_int.h"
#include "der.h"

/* PrivateKeyInfo of an EC key (RFC 5915 inside RFC 5208, the layout openssl writes): the
 * public point in the form the key came in (compressed or not), so that re-reading the
 * export gives the same SPKI and fingerprint. wolfCrypt's writer knows only uncompressed. */
static int ec_pkcs8(csr_buf *out, const csr_key *k)
{
    uint8_t d[66], pt[1 + 2 * 66];
    word32 dl = sizeof d, pl = sizeof pt;
    size_t m, a, o, e, p;
    int rc;

    rc = wc_ecc_export_private_only(k->u.ec, d, &dl);     /* padded to the curve size */
    if (rc == 0)
        rc = wc_ecc_export_x963_ex(k->u.ec, pt, &pl, k->ec_comp);
    if (rc == 0) {
        m = der_open(out, DER_SEQUENCE);
        der_put_uint(out, 0);
        a = der_open(out, DER_SEQUENCE);
        (void)der_put_oid_text(out, OID_EC);
        (void)der_put_oid_text(out, csr_curve_oid(k->curve));
        der_close(out, a);
        o = der_open(out, DER_OCTET_STRING);
        e = der_open(out, DER_SEQUENCE);
        der_put_uint(out, 1);
        der_put_tlv(out, DER_OCTET_STRING, d, dl);
        p = der_open(out, DER_CTXC(1));
        der_put_bit_string(out, pt, pl);
        der_close(out, p);
        der_close(out, e);
        der_close(out, o);
        der_close(out, m);
    }
    csr_wipe(d, sizeof d);
    return rc == 0 ? 1 : rc;
}

static int pkcs8_der(csr_buf *out, const csr_key *k, csr_err *err)
{
    uint8_t *tmp;
    size_t cap = 5000, m, a;
    int n = 0;

    tmp = (uint8_t *)csr_malloc(cap);
    if (tmp == NULL)
        return csr_err_set(err, CSR_E_NOMEM, "out of memory");
    switch (k->type) {
    case CSR_KEY_RSA:
        n = wc_RsaKeyToDer(k->u.rsa, tmp, (word32)cap);
        if (n > 0) {
            m = der_open(out, DER_SEQUENCE);
            der_put_uint(out, 0);
            if (k->algid != NULL) {
                der_put_raw(out, k->algid, k->algid_len);
            } else {
                a = der_open(out, DER_SEQUENCE);
                (void)der_put_oid_text(out, OID_RSA);
                der_put_null(out);
                der_close(out, a);
            }
            der_put_tlv(out, DER_OCTET_STRING, tmp, (size_t)n);
            der_close(out, m);
        }
        break;
    case CSR_KEY_EC:
        n = ec_pkcs8(out, k);
        break;
    case CSR_KEY_ED25519:
        n = wc_Ed25519PrivateKeyToDer(k->u.ed25519, tmp, (word32)cap);
        if (n > 0)
            csr_buf_put(out, tmp, (size_t)n);
        break;
    default:
        n = wc_Ed448PrivateKeyToDer(k->u.ed448, tmp, (word32)cap);
        if (n > 0)
            csr_buf_put(out, tmp, (size_t)n);
        break;
    }
    csr_free_wiped(tmp, cap);
    if (n <= 0)
        return csr_err_wolf(err, n, "private key export failed");
    if (out->err)
        return csr_err_set(err, out->err, "out of memory");
    return CSR_OK;
}

int csr_key_export(csr_buf *out, const csr_key *k, int public_only, int pem,
                   const char *pass, size_t passlen, csr_err *err)
{
    csr_buf der, enc;
    const char *label;
    int rc;

    if (public_only || !k->priv) {
        if (pass != NULL)
            return csr_err_set(err, CSR_E_INVALID, "a passphrase needs a private key export");
        if (!pem)
            return csr_buf_put(out, k->spki, k->spki_len) == CSR_OK ? CSR_OK
                   : csr_err_set(err, out->err, "out of memory");
        rc = csr_pem_encode(out, "PUBLIC KEY", k->spki, k->spki_len);
        return rc == CSR_OK ? CSR_OK : csr_err_set(err, rc, "out of memory");
    }
    csr_buf_init(&der, 1);
    rc = pkcs8_der(&der, k, err);
    if (rc != CSR_OK) {
        csr_buf_free(&der);
        return rc;
    }
    label = "PRIVATE KEY";
    if (pass != NULL) {
        csr_buf_init(&enc, 1);
        rc = csr_pbes2_encrypt(&enc, der.p, der.len, pass, passlen, err);
        csr_buf_free(&der);
        if (rc != CSR_OK) {
            csr_buf_free(&enc);
            return rc;
        }
        der = enc;
        label = "ENCRYPTED PRIVATE KEY";
    }
    if (pem)
        rc = csr_pem_encode(out, label, der.p, der.len);
    else
        rc = csr_buf_put(out, der.p, der.len);
    csr_buf_free(&der);
    return rc == CSR_OK ? CSR_OK : csr_err_set(err, rc, "out of memory");
}

int csr_key_write(const csr_key *k, const char *path, int public_only,
                  const char *pass, size_t passlen, csr_err *err)
{
    csr_buf pem;
    size_t done = 0;
    int fd, rc, e;

    csr_buf_init(&pem, 1);
    rc = csr_key_export(&pem, k, public_only, 1, pass, passlen, err);
    if (rc != CSR_OK) {
        csr_buf_free(&pem);
        return rc;
    }
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        e = errno;
        csr_buf_free(&pem);
        return csr_err_set(err, CSR_E_IO, "cannot create %s: %s", path, strerror(e));
    }
    while (done < pem.len) {
        ssize_t w = write(fd, pem.p + done, pem.len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            e = errno;
            close(fd);
            unlink(path);
            csr_buf_free(&pem);
            return csr_err_set(err, CSR_E_IO, "cannot write %s: %s", path, strerror(e));
        }
        done += (size_t)w;
    }
    csr_buf_free(&pem);
    if (close(fd) != 0) {
        e = errno;
        unlink(path);
        return csr_err_set(err, CSR_E_IO, "cannot write %s: %s", path, strerror(e));
    }
    return CSR_OK;
}

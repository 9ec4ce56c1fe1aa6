/* The salt length of an RSASSA-PSS signature, found where RFC 8017 9.1.2 steps 5-10 find the
 * salt: what openssl's rsa_pss_saltlen:auto verifies with. It only picks the length; wolfCrypt
 * then checks the signature with it (Debian's wolfSSL is built without
 * WOLFSSL_PSS_SALT_LEN_DISCOVER, so wc_RsaPSS_Verify_ex cannot be asked to find it).
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "key_int.h"

/* XORs MGF1(seed) over mgf_md into db (len bytes), RFC 8017 B.2.1. */
static int mgf1_xor(uint8_t *db, size_t len, const uint8_t *seed, size_t slen, int mgf_md)
{
    uint8_t in[64 + 4], mask[64];
    size_t hlen = (size_t)csr_md_size(mgf_md), off, i;
    uint32_t c;

    if (hlen == 0 || slen > 64)
        return CSR_E_CRYPTO;
    memcpy(in, seed, slen);
    for (c = 0, off = 0; off < len; c++, off += hlen) {
        in[slen] = (uint8_t)(c >> 24);
        in[slen + 1] = (uint8_t)(c >> 16);
        in[slen + 2] = (uint8_t)(c >> 8);
        in[slen + 3] = (uint8_t)c;
        if (csr_md_hash(mgf_md, in, slen + 4, mask) != CSR_OK)
            return CSR_E_CRYPTO;
        for (i = 0; i < hlen && off + i < len; i++)
            db[off + i] ^= mask[i];
    }
    return CSR_OK;
}

/* see key_int.h */
int csr_pss_find_salt(const csr_key *k, csr_sig *p, const uint8_t *sig, uint8_t *em, size_t n,
                      csr_err *err)
{
    word32 len = (word32)n;
    size_t hlen = (size_t)csr_md_size(p->md), embits = (size_t)k->bits - 1, i;
    size_t emlen = (embits + 7) / 8, masklen, top = 8 * emlen - embits;
    int rc;

    if (emlen < hlen + 2 || n < emlen || n > emlen + 1)
        return csr_err_set(err, CSR_E_BAD_SIGNATURE, "RSA signature does not verify");
    rc = wc_RsaFunction(sig, (word32)n, em, &len, RSA_PUBLIC_DECRYPT, k->u.rsa, NULL);
    if (rc != 0 && csr_wolf_nomem(rc))
        return csr_err_set(err, CSR_E_NOMEM, "out of memory");
    if (rc != 0 || len != (word32)n || (n > emlen && em[0] != 0))
        return csr_err_set(err, CSR_E_BAD_SIGNATURE, "RSA signature does not verify");
    em += n - emlen;                                  /* EM: maskedDB || H || 0xbc */
    masklen = emlen - hlen - 1;
    if (em[emlen - 1] != 0xbc || (em[0] & (0xff00 >> top) & 0xff) != 0 ||
        mgf1_xor(em, masklen, em + masklen, hlen, p->mgf_md) != CSR_OK)
        return csr_err_set(err, CSR_E_BAD_SIGNATURE, "RSA signature does not verify");
    em[0] &= (uint8_t)(0xff >> top);
    for (i = 0; i < masklen && em[i] == 0; i++)       /* DB: zeros || 0x01 || salt */
        ;
    if (i == masklen || em[i] != 1)
        return csr_err_set(err, CSR_E_BAD_SIGNATURE, "RSA signature does not verify");
    p->salt_len = (int)(masklen - i - 1);
    return CSR_OK;
}

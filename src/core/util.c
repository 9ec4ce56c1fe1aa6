/* Core plumbing: errors, memory, buffers, one-time init, digests (UTF-8 and IP text are in
 * text_util.c).
 * SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <pthread.h>

#include "csr.h"
#include "wolf.h"

const csr_errname csr_error_names[] = {
    {"NOMEM", CSR_E_NOMEM},           {"INVALID", CSR_E_INVALID},
    {"BAD_PEM", CSR_E_BAD_PEM},       {"BAD_DER", CSR_E_BAD_DER},
    {"UNSUPPORTED", CSR_E_UNSUPPORTED}, {"PASSPHRASE", CSR_E_PASSPHRASE},
    {"KEY_MISMATCH", CSR_E_KEY_MISMATCH}, {"BAD_SIGNATURE", CSR_E_BAD_SIGNATURE},
    {"NOT_SIGNED", CSR_E_NOT_SIGNED}, {"CRYPTO", CSR_E_CRYPTO},
    {"IO", CSR_E_IO},                 {"TOO_LARGE", CSR_E_TOO_LARGE},
    {"BAD_NAME", CSR_E_BAD_NAME},     {"BAD_UTF8", CSR_E_BAD_UTF8},
    {"BAD_IP", CSR_E_BAD_IP},         {"DUPLICATE", CSR_E_DUPLICATE},
    {"BAD_VERSION", CSR_E_BAD_VERSION},
    {NULL, 0}
};

static int err_vset(csr_err *e, int code, size_t offset, const char *fmt, va_list ap)
{
    if (e != NULL) {
        e->code = code;
        e->offset = offset;
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    }
    return code;
}

int csr_err_set(csr_err *e, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    code = err_vset(e, code, CSR_NO_OFFSET, fmt, ap);
    va_end(ap);
    return code;
}

int csr_err_at(csr_err *e, int code, size_t offset, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    code = err_vset(e, code, offset, fmt, ap);
    va_end(ap);
    return code;
}

int csr_err_prefix(csr_err *e, const char *fmt, ...)
{
    char head[sizeof e->msg], whole[2 * sizeof e->msg + 2];
    va_list ap;
    if (e == NULL)
        return CSR_E_INVALID;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    snprintf(whole, sizeof whole, "%s: %s", head, e->msg);
    memcpy(e->msg, whole, sizeof e->msg - 1);
    e->msg[sizeof e->msg - 1] = '\0';
    return e->code;
}

int csr_wolf_nomem(int rc)
{
    return rc == MEMORY_E || rc == MP_MEM || rc == MP_INIT_E;
}

int csr_err_wolf(csr_err *e, int rc, const char *what)
{
    int code = CSR_E_CRYPTO;
    if (csr_wolf_nomem(rc))
        code = CSR_E_NOMEM;
    else if (rc == ASN_PARSE_E || rc == ASN_GETINT_E || rc == ASN_OBJECT_ID_E ||
             rc == ASN_EXPECT_0_E || rc == ASN_BITSTR_E || rc == BUFFER_E)
        code = CSR_E_BAD_DER;
    else if (rc == NOT_COMPILED_IN || rc == ECC_CURVE_OID_E || rc == ASN_UNKNOWN_OID_E)
        code = CSR_E_UNSUPPORTED;
    return csr_err_set(e, code, "%s (wolfSSL %d)", what, rc);
}

/* ---- memory ---- */

void *csr_malloc(size_t n)
{
    return n ? CSR_XMALLOC(n) : NULL;
}

void *csr_calloc(size_t n, size_t size)
{
    void *p;
    if (n == 0 || size == 0 || n > ((size_t)-1) / size)
        return NULL;
    p = CSR_XMALLOC(n * size);
    if (p != NULL)
        memset(p, 0, n * size);
    return p;
}

void csr_free(void *p)
{
    if (p != NULL)
        CSR_XFREE(p);
}

void csr_wipe(void *p, size_t n)
{
    if (p == NULL || n == 0)
        return;
#if defined(__GNUC__) || defined(__clang__)
    /* memset at full speed (key structs are kilobytes), then a barrier that makes the compiler
     * assume the zeroes are read: the stores cannot be dropped as dead */
    memset(p, 0, n);
    __asm__ __volatile__("" : : "r"(p) : "memory");
#else
    {
        volatile uint8_t *v = (volatile uint8_t *)p;
        while (n--)
            *v++ = 0;
    }
#endif
}

void csr_free_wiped(void *p, size_t n)
{
    csr_wipe(p, n);
    csr_free(p);
}

void csr_buf_init(csr_buf *b, int secret)
{
    b->p = NULL;
    b->len = b->cap = 0;
    b->secret = secret;
    b->err = 0;
}

int csr_buf_reserve(csr_buf *b, size_t extra)
{
    size_t need, cap;
    uint8_t *np;
    if (b->err)
        return b->err;
    if (extra > CSR_MAX_INPUT * 4 || b->len + extra > CSR_MAX_INPUT * 4) {
        b->err = CSR_E_TOO_LARGE;
        return b->err;
    }
    need = b->len + extra;
    if (need <= b->cap)
        return CSR_OK;
    cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    np = (uint8_t *)csr_malloc(cap);
    if (np == NULL) {
        b->err = CSR_E_NOMEM;
        return b->err;
    }
    if (b->len)
        memcpy(np, b->p, b->len);
    if (b->p != NULL) {
        if (b->secret)
            csr_wipe(b->p, b->cap);
        csr_free(b->p);
    }
    b->p = np;
    b->cap = cap;
    return CSR_OK;
}

int csr_buf_put(csr_buf *b, const void *p, size_t n)
{
    if (n == 0)
        return b->err;
    if (csr_buf_reserve(b, n) != CSR_OK)
        return b->err;
    memcpy(b->p + b->len, p, n);
    b->len += n;
    return CSR_OK;
}

void csr_buf_free(csr_buf *b)
{
    if (b->p != NULL) {
        if (b->secret)
            csr_wipe(b->p, b->cap);
        csr_free(b->p);
    }
    b->p = NULL;
    b->len = b->cap = 0;
    b->err = 0;
}

/* ---- init ---- */

/* Functions wolfSSL compiles only with an option: referenced weakly, so a library without one
 * makes the module refuse to load with the option's name instead of an unresolved symbol. */
#if defined(__GNUC__) && defined(__ELF__)
#pragma weak wc_ecc_point_is_on_curve
#pragma weak sp_sqr
#define CSR_WEAK_CHECK 1
#endif

static const char *missing_feature(void)
{
#ifdef CSR_WEAK_CHECK
    if (&wc_ecc_point_is_on_curve == NULL)
        return "wc_ecc_point_is_on_curve (configure wolfSSL with --enable-compkey or "
               "CPPFLAGS=-DUSE_ECC_B_PARAM)";
    if (&sp_sqr == NULL)               /* the RSA key checks' big-number maths (policy_key.c) */
        return "sp_sqr (configure wolfSSL with CPPFLAGS=-DWOLFSSL_PUBLIC_MP)";
#endif
    return NULL;
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_rc;               /* written once under init_once, then read-only */

/* wolfSSL built with its x86-64 assembly (USE_INTEL_SPEEDUP) picks its SHA-2, AES and curve25519
 * code on first use, writing unguarded statics (CPU flags): do that once here, under the
 * once-guard, so later first uses in threads only read them. Harmless without the assembly. */
static void warm_up(void)
{
    static const byte zero[32];
    byte d[WC_SHA512_DIGEST_SIZE];
    ed25519_key ek;
    Aes aes;

    (void)wc_Sha256Hash(zero, sizeof zero, d);
    (void)wc_Sha384Hash(zero, sizeof zero, d);
    (void)wc_Sha512Hash(zero, sizeof zero, d);
    if (wc_ed25519_init(&ek) == 0)
        wc_ed25519_free(&ek);
    if (wc_AesInit(&aes, NULL, INVALID_DEVID) == 0) {
        (void)wc_AesSetKey(&aes, zero, sizeof zero, NULL, AES_ENCRYPTION);
        wc_AesFree(&aes);
    }
    csr_wipe(d, sizeof d);
}

static void init_run(void)
{
    int rc = wolfCrypt_Init();
    csr_rng_setup();
    csr_ec_setup();
    if (rc == 0)
        warm_up();
    if (rc != 0) {
        init_rc = rc;
        return;
    }
    /* The headers we compiled against must describe the library we run with: a mismatch
     * (HAVE___UINT128_T, which options.h omits) would make key structs differ in size. */
    if (wolfSSL_lib_version_hex() != (word32)LIBWOLFSSL_VERSION_HEX)
        init_rc = -1;
    else if (missing_feature() != NULL)
        init_rc = -2;
    else
        init_rc = 0;
}

int csr_core_init(csr_err *err)
{
    pthread_once(&init_once, init_run);
    if (init_rc == -1)
        return csr_err_set(err, CSR_E_UNSUPPORTED,
                           "wolfSSL library version %s does not match the headers (%s)",
                           wolfSSL_lib_version(), LIBWOLFSSL_VERSION_STRING);
    if (init_rc == -2)
        return csr_err_set(err, CSR_E_UNSUPPORTED, "wolfSSL library %s lacks %s",
                           wolfSSL_lib_version(), missing_feature());
    if (init_rc != 0)
        return csr_err_wolf(err, init_rc, "wolfCrypt_Init failed");
    return CSR_OK;
}

const char *csr_wolfssl_version(void)
{
    return wolfSSL_lib_version();
}

void csr_thread_cleanup(void)
{
    csr_rng_thread_free();
#ifdef FP_ECC
    wc_ecc_fp_free();
#endif
}

/* ---- digests ---- */

int csr_md_size(int md)
{
    switch (md) {
    case CSR_MD_SHA1: return 20;
    case CSR_MD_SHA224: return 28;
    case CSR_MD_SHA256: return 32;
    case CSR_MD_SHA384: return 48;
    case CSR_MD_SHA512: return 64;
    default: return 0;
    }
}

enum wc_HashType csr_md_wc(int md)
{
    switch (md) {
    case CSR_MD_SHA1: return WC_HASH_TYPE_SHA;
    case CSR_MD_SHA224: return WC_HASH_TYPE_SHA224;
    case CSR_MD_SHA256: return WC_HASH_TYPE_SHA256;
    case CSR_MD_SHA384: return WC_HASH_TYPE_SHA384;
    case CSR_MD_SHA512: return WC_HASH_TYPE_SHA512;
    default: return WC_HASH_TYPE_NONE;
    }
}

int csr_md_hash(int md, const uint8_t *in, size_t len, uint8_t *out)
{
    enum wc_HashType h = csr_md_wc(md);
    if (h == WC_HASH_TYPE_NONE || len > 0xffffffffu)
        return CSR_E_INVALID;
    if (wc_Hash(h, in, (word32)len, out, (word32)csr_md_size(md)) != 0)
        return CSR_E_CRYPTO;
    return CSR_OK;
}

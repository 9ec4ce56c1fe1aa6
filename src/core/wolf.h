/* The only header that includes wolfSSL: options first, then feature checks.
 * SPDX-License-Identifier: MIT */
#ifndef CSR_WOLF_H
#define CSR_WOLF_H

#ifdef WOLFSSL_USER_SETTINGS
#include <wolfssl/wolfcrypt/settings.h>
#else
#include <wolfssl/options.h>
#endif
#include <wolfssl/version.h>
#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/wolfcrypt/types.h>
#include <wolfssl/wolfcrypt/memory.h>
#include <wolfssl/wolfcrypt/error-crypt.h>
#include <wolfssl/wolfcrypt/wc_port.h>
#include <wolfssl/wolfcrypt/random.h>
#include <wolfssl/wolfcrypt/hash.h>
#include <wolfssl/wolfcrypt/sha256.h>
#include <wolfssl/wolfcrypt/sha512.h>
#include <wolfssl/wolfcrypt/rsa.h>
#include <wolfssl/wolfcrypt/ecc.h>
#include <wolfssl/wolfcrypt/ed25519.h>
#include <wolfssl/wolfcrypt/ed448.h>
#include <wolfssl/wolfcrypt/asn_public.h>
#include <wolfssl/wolfcrypt/signature.h>
#include <wolfssl/wolfcrypt/pwdbased.h>
#include <wolfssl/wolfcrypt/aes.h>
#include <wolfssl/wolfcrypt/coding.h>
#include <wolfssl/wolfcrypt/hmac.h>

#if !defined(WOLFSSL_KEY_GEN) || !defined(HAVE_ECC) || !defined(HAVE_ED25519) || \
    !defined(HAVE_ED448) || !defined(WC_RSA_PSS) || !defined(HAVE_AES_CBC) || \
    !defined(WOLFSSL_SHA384) || !defined(WOLFSSL_SHA512)
#error "csr: build wolfSSL with --enable-keygen --enable-ecc --enable-ed25519 --enable-ed448 --enable-rsapss --enable-aescbc --enable-sha384 --enable-sha512"
#endif

#include "core_int.h"
/* EC public keys are checked with wc_ecc_point_is_on_curve, which wolfSSL compiles only with
 * USE_ECC_B_PARAM (ecc.h turns it on with HAVE_COMP_KEY). util.c also checks the library at
 * load time, for headers that do not describe the library. */
#ifndef USE_ECC_B_PARAM
#error "csr: this wolfSSL lacks wc_ecc_point_is_on_curve: configure it with --enable-compkey (or CPPFLAGS=-DUSE_ECC_B_PARAM)"
#endif

/* declared in wolfssl/ssl.h, which we do not include (no compat layer) */
WOLFSSL_API const char *wolfSSL_lib_version(void);
WOLFSSL_API word32 wolfSSL_lib_version_hex(void);

/* 1 when a wolfCrypt return code means an allocation failed: MEMORY_E, and the maths
 * library's MP_MEM / MP_INIT_E (an mp_int that could not be allocated). */
int csr_wolf_nomem(int rc);
/* Maps a wolfSSL return code to our code, message "<what> (wolfSSL <n>)". Returns the code. */
int csr_err_wolf(csr_err *e, int wolf_rc, const char *what);

/* LIBWOLFSSL_VERSION_HEX encodes 5.5.4 as 0x05005004 */
#define CSR_WOLFSSL_GEQ(ma, mi, pa) \
    (LIBWOLFSSL_VERSION_HEX >= (((ma) << 24) | ((mi) << 12) | (pa)))

/* Core allocations go through wolfSSL's allocator so one hook (wolfSSL_SetAllocators)
 * covers both: the fault-injection tests rely on it. */
#define CSR_XMALLOC(n) XMALLOC((n), NULL, DYNAMIC_TYPE_TMP_BUFFER)
#define CSR_XFREE(p)   XFREE((p), NULL, DYNAMIC_TYPE_TMP_BUFFER)

/* This thread's DRBG (rng.c): created on first use, re-seeded after fork(), never shared
 * between threads. Freed by csr_thread_cleanup() or at thread exit; never free it yourself. */
int csr_rng(WC_RNG **out, struct csr_err *err);
void csr_rng_setup(void);      /* the thread-local slot and fork handler, once (init_run) */
void csr_ec_setup(void);       /* key_ec.c: the on-curve check's curve constants, once */

/* CSR_MD_* → wolfCrypt hash type, WC_HASH_TYPE_NONE for CSR_MD_NONE/unknown (util.c) */
enum wc_HashType csr_md_wc(int md);

#endif

/* One DRBG (WC_RNG) per thread: created on first use, kept for the thread's life, freed by
 * csr_thread_cleanup() or at thread exit, and re-seeded in a child after fork().
 *
 * A fresh WC_RNG per operation costs a seed from the OS and a DRBG instantiation (18 us, as
 * much as a P-256 signature on SP maths). Keeping one is safe only if no two processes or
 * threads ever share its state: the thread-local slot keeps threads apart, and before each use
 * the owner's pid and a generation counter (bumped by a pthread_atfork child handler) are
 * compared with the current ones. The counter catches fork() even when a pid is reused; the
 * pid catches children made without the atfork handlers (a raw clone or vfork).
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <pthread.h>
#include <sys/types.h>
#include <unistd.h>

#include "csr.h"
#include "wolf.h"

typedef struct {
    WC_RNG rng;
    pid_t pid;                  /* process that seeded it */
    unsigned long gen;          /* fork generation it was seeded in */
} thread_rng;

static pthread_once_t rng_once = PTHREAD_ONCE_INIT;
static pthread_key_t rng_key;
static int rng_key_ok;
/* Bumped only in a child, by the atfork handler, while the child has a single thread. */
static unsigned long fork_gen;

static void rng_once_run(void);

static void rng_destroy(void *p)
{
    thread_rng *t = (thread_rng *)p;
    if (t != NULL) {
        wc_FreeRng(&t->rng);
        csr_wipe(t, sizeof *t);
        csr_free(t);
    }
}

static void rng_atfork_child(void)
{
    fork_gen++;
}

/* Run once (under csr_core_init's once-guard too, so a module loaded before threads start has
 * the key made before any of them: helgrind does not model pthread_once). */
void csr_rng_setup(void)
{
    pthread_once(&rng_once, rng_once_run);
}

static void rng_once_run(void)
{
    if (pthread_key_create(&rng_key, rng_destroy) == 0)
        rng_key_ok = 1;
    (void)pthread_atfork(NULL, NULL, rng_atfork_child);
}

/* (Re)seed t for this process and generation: a new DRBG instance from the OS's entropy.
 * On failure t is freed and the slot emptied. */
static int rng_seed(thread_rng *t, int had_rng, csr_err *err)
{
    int rc;
    if (had_rng)
        wc_FreeRng(&t->rng);
    if ((rc = wc_InitRng(&t->rng)) != 0) {
        csr_wipe(t, sizeof *t);
        csr_free(t);
        (void)pthread_setspecific(rng_key, NULL);
        return csr_err_wolf(err, rc, "random generator initialisation failed");
    }
    t->pid = getpid();
    t->gen = fork_gen;
    return CSR_OK;
}

int csr_rng(WC_RNG **out, csr_err *err)
{
    thread_rng *t;
    int rc;

    csr_rng_setup();
    if (!rng_key_ok)
        return csr_err_set(err, CSR_E_CRYPTO, "no thread-local slot for the random generator");
    t = (thread_rng *)pthread_getspecific(rng_key);
    if (t == NULL) {
        t = (thread_rng *)csr_calloc(1, sizeof *t);
        if (t == NULL)
            return csr_err_set(err, CSR_E_NOMEM, "out of memory");
        if (pthread_setspecific(rng_key, t) != 0) {
            csr_free(t);
            return csr_err_set(err, CSR_E_NOMEM, "out of memory");
        }
        rc = rng_seed(t, 0, err);
    } else if (t->gen != fork_gen || t->pid != getpid()) {
        rc = rng_seed(t, 1, err);
    } else {
        rc = CSR_OK;
    }
    if (rc == CSR_OK)
        *out = &t->rng;
    return rc;
}

int csr_random(uint8_t *out, size_t n, csr_err *err)
{
    WC_RNG *rng;
    int rc;

    if ((rc = csr_rng(&rng, err)) != CSR_OK)
        return rc;
    while (n > 0) {                    /* wolfCrypt gives at most RNG_MAX_BLOCK_LEN at once */
        word32 chunk = n > RNG_MAX_BLOCK_LEN ? RNG_MAX_BLOCK_LEN : (word32)n;
        if ((rc = wc_RNG_GenerateBlock(rng, out, chunk)) != 0)
            return csr_err_wolf(err, rc, "random generation failed");
        out += chunk;
        n -= chunk;
    }
    return CSR_OK;
}

void csr_rng_thread_free(void)
{
    thread_rng *t;
    if (!rng_key_ok)
        return;
    t = (thread_rng *)pthread_getspecific(rng_key);
    if (t != NULL) {
        (void)pthread_setspecific(rng_key, NULL);
        rng_destroy(t);
    }
}

#if defined(__GNUC__) || defined(__clang__)
/* When the module is unloaded (dlclose at lua_close), the key's destructor would point into
 * unmapped code: free this thread's generator and delete the key first. */
__attribute__((destructor)) static void rng_unload(void)
{
    if (rng_key_ok) {
        csr_rng_thread_free();
        (void)pthread_key_delete(rng_key);
        rng_key_ok = 0;
    }
}
#endif

/* Allocation-failure injection (make fault), the way SQLite and BearSSL test error paths.
 *
 * One counter numbers every allocation that could fail: wolfSSL's (wolfSSL_SetAllocators:
 * wolfCrypt and the core, which allocates through XMALLOC) and this host's lua_State (a
 * lua_Alloc; growth only, Lua assumes shrinking never fails). For N = 1, 2, 3, … a fresh
 * lua_State runs fault.lua (require "csr", generate P-256 and Ed25519 keys, csr.request.new,
 * sign, to_pem, parse, verify, the accessors, key export/import, csr.generate) under
 * lua_pcall with allocation N failing, until a run sees no injected failure. Two sweeps:
 * transient (only allocation N fails: Lua absorbs most of these with an emergency GC and a
 * retry, wolfSSL and the core must fail cleanly) and persistent (N and every later
 * allocation fail, so Lua's own errors and every cleanup path run). Each run must:
 *   - end cleanly: a Lua error (memory error or a message), or the script's own report of a
 *     nil, msg, code failure (msg starting "csr.", an integer code), or success when the
 *     failure was absorbed (Lua retries after an emergency GC) - never a crash, never a wrong
 *     answer ("wrong" from the script: e.g. verify false without an error);
 *   - leave nothing behind: after lua_close and csr_thread_cleanup the wolfSSL allocations
 *     outstanding equal those before the run, and the Lua allocator's bytes are back to 0.
 * Usage: fault-host [--quick] [--from N] [--to N] [--step S] [--verbose] [--strict-codes]
 *                   [script.lua]
 *   --quick: every S-th failure point (S = 37) plus the first 200, for runs under valgrind.
 *   --strict-codes: a run with an injected failure that answers nil, msg, code with a code
 *     other than NOMEM counts as unclean (out of memory reported as bad data); counted always.
 *   Reproduce one point: fault-host --from N --to N --verbose
 * Exit status 0 when every run passed; prints the number of failure points exercised.
 * SPDX-License-Identifier: MIT */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/wolfcrypt/memory.h>

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "csr.h"

int luaopen_csr(lua_State *L);

/* ---- the failing allocators ---- */

static unsigned long alloc_no;        /* allocations counted since the run was armed */
static unsigned long fail_at;         /* 0 = never fail */
static int armed;
static int injected;                  /* the run had an allocation fail */
static long wolf_live;                /* wolfSSL blocks outstanding */
static long lua_bytes;                /* bytes the Lua allocator holds */
static volatile sig_atomic_t cur_n;   /* for the crash message */

static int persistent;                /* 1: allocation N and every later one fail */

static int should_fail(void)
{
    if (!armed)
        return 0;
    alloc_no++;
    if (fail_at != 0 && (alloc_no == fail_at || (persistent && alloc_no > fail_at))) {
        injected = 1;
        return 1;
    }
    return 0;
}

static void *w_malloc(size_t n)
{
    void *p;
    if (should_fail())
        return NULL;
    p = malloc(n);
    if (p != NULL)
        wolf_live++;
    return p;
}

static void w_free(void *p)
{
    if (p != NULL) {
        wolf_live--;
        free(p);
    }
}

static void *w_realloc(void *p, size_t n)
{
    void *q;
    if (p == NULL)
        return w_malloc(n);
    if (n == 0) {
        w_free(p);
        return NULL;
    }
    if (should_fail())
        return NULL;
    q = realloc(p, n);
    return q;
}

static void *l_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    void *q;
    size_t old = ptr != NULL ? osize : 0;
    (void)ud;
    if (nsize == 0) {
        lua_bytes -= (long)old;
        free(ptr);
        return NULL;
    }
    if (nsize > old && should_fail())
        return NULL;
    q = realloc(ptr, nsize);
    if (q != NULL)
        lua_bytes += (long)nsize - (long)old;
    return q;
}

static int l_panic(lua_State *L)
{
    fprintf(stderr, "fault-host: PANIC at N=%lu: %s\n", fail_at,
            lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(no message)");
    abort();
    return 0;
}

static void on_crash(int sig)
{
    char msg[96];
    int n = snprintf(msg, sizeof msg, "fault-host: signal %d during run N=%ld\n", sig,
                     (long)cur_n);
    if (n > 0)
        (void)!write(2, msg, (size_t)n);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* ---- one run ---- */

enum { FR_OK, FR_LUAERR, FR_MEMERR, FR_FAIL, FR_BAD };

typedef struct {
    unsigned long runs, injected, absorbed, luaerr, memerr, fail, bad, leaks, misreported;
    unsigned long total_allocs;        /* allocations of the failure-free run */
} stats;

static int verbose;
static int strict_codes;              /* --strict-codes: OOM must not look like bad data */

static int run_once(const char *script, unsigned long n, stats *st, unsigned long *allocs)
{
    lua_State *L;
    long wolf_before = wolf_live;
    int status, outcome = FR_BAD;
    char what[320];

    what[0] = '\0';
    fail_at = n;
    cur_n = (sig_atomic_t)n;
    injected = 0;
    alloc_no = 0;
    armed = 0;
    L = lua_newstate(l_alloc, NULL);
    if (L == NULL) {
        fprintf(stderr, "fault-host: lua_newstate failed\n");
        exit(2);
    }
    lua_atpanic(L, l_panic);
    luaL_openlibs(L);
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
    lua_pushcfunction(L, luaopen_csr);
    lua_setfield(L, -2, "csr");
    lua_pop(L, 1);
    if (luaL_loadfile(L, script) != LUA_OK) {
        fprintf(stderr, "fault-host: %s\n", lua_tostring(L, -1));
        exit(2);
    }
    armed = 1;
    status = lua_pcall(L, 0, 3, 0);
    armed = 0;
    *allocs = alloc_no;
    if (status == LUA_ERRMEM) {
        outcome = FR_MEMERR;
    } else if (status != LUA_OK) {
        if (lua_type(L, -1) == LUA_TSTRING) {
            outcome = FR_LUAERR;
            snprintf(what, sizeof what, "%s", lua_tostring(L, -1));
        } else {
            snprintf(what, sizeof what, "error object of type %s", luaL_typename(L, -1));
        }
    } else {
        const char *tag = lua_tostring(L, -3);
        if (tag != NULL && strcmp(tag, "ok") == 0) {
            outcome = FR_OK;
        } else if (tag != NULL && strcmp(tag, "fail") == 0) {
            const char *msg = lua_tostring(L, -2);
            int isnum = 0;
            lua_Integer code = lua_tointegerx(L, -1, &isnum);
            snprintf(what, sizeof what, "%s (code %ld)", msg ? msg : "(nil)", (long)code);
            if (msg != NULL && strncmp(msg, "csr.", 4) == 0 && isnum && code > 0)
                outcome = FR_FAIL;
            /* an allocation failure reported as a property of the data (bad DER, bad
             * signature, crypto failure) instead of CSR_E_NOMEM / "csr: out of memory" */
            if (outcome == FR_FAIL && injected && code != CSR_E_NOMEM) {
                st->misreported++;
                if (strict_codes)
                    outcome = FR_BAD;
            }
        } else {
            snprintf(what, sizeof what, "script answered %s: %s", tag ? tag : "(nil)",
                     lua_tostring(L, -2) ? lua_tostring(L, -2) : "");
        }
    }
    lua_close(L);
    csr_thread_cleanup();
    st->runs++;
    if (injected)
        st->injected++;
    if (verbose)
        fprintf(stderr, "%c N=%lu injected=%d outcome=%d %s\n", persistent ? 'P' : 'T', n,
                injected, outcome, what);
    if (!injected && outcome != FR_OK) {
        fprintf(stderr, "fault-host: run without an injected failure did not succeed: %s\n",
                what);
        st->bad++;
    } else if (outcome == FR_BAD) {
        fprintf(stderr, "fault-host: N=%lu: unclean result: %s\n", n, what);
        st->bad++;
    }
    switch (outcome) {
    case FR_OK: if (injected) st->absorbed++; break;
    case FR_LUAERR: st->luaerr++; break;
    case FR_MEMERR: st->memerr++; break;
    case FR_FAIL: st->fail++; break;
    default: break;
    }
    if (wolf_live != wolf_before || lua_bytes != 0) {
        fprintf(stderr, "fault-host: N=%lu: leak: %ld wolfSSL blocks, %ld Lua bytes (%s)\n", n,
                wolf_live - wolf_before, lua_bytes, what[0] ? what : "no message");
        st->leaks++;
        wolf_live = wolf_before;
        lua_bytes = 0;
    }
    return injected;
}

int main(int argc, char **argv)
{
    const char *script = NULL;
    unsigned long from = 1, to = 0, step = 1, n, allocs = 0, first_all = 200;
    int quick = 0, i, bad = 0;
    stats st;
    csr_err err;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0)
            quick = 1;
        else if (strcmp(argv[i], "--verbose") == 0)
            verbose = 1;
        else if (strcmp(argv[i], "--strict-codes") == 0)
            strict_codes = 1;
        else if (strcmp(argv[i], "--from") == 0 && i + 1 < argc)
            from = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--to") == 0 && i + 1 < argc)
            to = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--step") == 0 && i + 1 < argc)
            step = strtoul(argv[++i], NULL, 10);
        else
            script = argv[i];
    }
    if (script == NULL)
        script = "test/fault/fault.lua";
    if (quick && step == 1)
        step = 37;
    if (step == 0)
        step = 1;
    signal(SIGSEGV, on_crash);
    signal(SIGBUS, on_crash);
    signal(SIGABRT, on_crash);
    if (wolfSSL_SetAllocators(w_malloc, w_free, w_realloc) != 0) {
        fprintf(stderr, "fault-host: wolfSSL_SetAllocators failed\n");
        return 2;
    }
    if (csr_core_init(&err) != CSR_OK) {
        fprintf(stderr, "fault-host: csr_core_init: %s\n", err.msg);
        return 2;
    }
    memset(&st, 0, sizeof st);
    /* the failure-free run first: how many allocations there are to fail */
    if (run_once(script, 0, &st, &allocs) || st.bad) {
        fprintf(stderr, "fault-host: the script fails without injected failures\n");
        return 1;
    }
    st.total_allocs = allocs;
    for (persistent = 0; persistent <= 1; persistent++) {
        memset(&st, 0, sizeof st);
        st.total_allocs = allocs;
        for (n = from;; n += (quick && n < first_all) ? 1 : step) {
            if (to != 0 && n > to)
                break;
            if (!run_once(script, n, &st, &allocs))
                break;                 /* no injected failure: past the last point */
        }
        printf("fault-host: %s: %lu runs, %lu failure points exercised (of %lu allocations"
               " per run%s): %lu Lua memory errors, %lu Lua errors, %lu nil/msg/code failures,"
               " %lu absorbed; %lu unclean, %lu leaking; %lu out-of-memory failures reported"
               " as another error code\n",
               persistent ? "persistent" : "transient", st.runs, st.injected, st.total_allocs,
               quick || step > 1 ? ", sampled" : "", st.memerr, st.luaerr, st.fail,
               st.absorbed, st.bad, st.leaks, st.misreported);
        fflush(stdout);
        if (st.bad || st.leaks)
            bad = 1;
    }
    return bad;
}

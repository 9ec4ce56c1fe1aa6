/* core-c: peak heap of one CSR round trip through wolfSSL's allocator (which the core uses
 * too), and the per-run CPU cost of a whole process (`csr new`-like Lua one-liner against
 * `openssl req -new -newkey`).
 * SPDX-License-Identifier: MIT */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core.h"

static long live, peak, allocs;

static void *c_malloc(size_t n)
{
    void *p = malloc(n);
    if (p != NULL) {
        live += (long)malloc_usable_size(p);
        allocs++;
        if (live > peak)
            peak = live;
    }
    return p;
}

static void c_free(void *p)
{
    if (p != NULL) {
        live -= (long)malloc_usable_size(p);
        free(p);
    }
}

static void *c_realloc(void *p, size_t n)
{
    long old = p != NULL ? (long)malloc_usable_size(p) : 0;
    void *q = realloc(p, n);
    if (q != NULL || n == 0) {
        live += (q != NULL ? (long)malloc_usable_size(q) : 0) - old;
        allocs++;
        if (live > peak)
            peak = live;
    }
    return q;
}

/* build + sign + PEM, then parse + verify that PEM, with a prepared key */
static void round_trip(const csr_key *k)
{
    csr_req *r = NULL, *back = NULL;
    csr_sig sp;
    csr_buf pem;
    csr_err e;
    csr_req_spec spec;
    csr_name *n = NULL;

    memset(&spec, 0, sizeof spec);
    if (csr_name_new(&n, &e) != CSR_OK ||
        csr_name_add(n, "CN", (const uint8_t *)"www.example.com", 15, 1, &e) != CSR_OK)
        die("name", &e);
    spec.subject = n;
    spec.key = k;
    spec.san_critical = spec.ku_critical = spec.eku_critical = -1;
    spec.bc_critical = spec.ms_critical = spec.bc_pathlen = -1;
    memset(&sp, 0, sizeof sp);
    sp.salt_len = -1;
    csr_buf_init(&pem, 0);
    if (csr_req_build(&r, &spec, &e) != CSR_OK || csr_sig_resolve(&sp, k, &e) != CSR_OK ||
        csr_req_sign(r, k, &sp, &e) != CSR_OK || csr_req_pem(&pem, r, &e) != CSR_OK ||
        csr_req_parse(&back, pem.p, pem.len, &e) != CSR_OK || csr_req_verify(back, &e) != CSR_OK)
        die("round trip", &e);
    csr_req_free(back);
    csr_buf_free(&pem);
    csr_req_free(r);
    csr_name_free(n);
}

int heap_case(const char *dir)
{
    static const char *const which[] = {"p256", "rsa2048"};
    csr_err e;
    size_t i;

    if (wolfSSL_SetAllocators(c_malloc, c_free, c_realloc) != 0)
        die("wolfSSL_SetAllocators", NULL);
    if (csr_core_init(&e) != CSR_OK)
        die("init", &e);
    for (i = 0; i < sizeof which / sizeof which[0]; i++) {
        csr_key *k = load_key(dir, which[i]);
        long base, a0;
        round_trip(k);                     /* first use: RNG, curve tables */
        base = live;
        peak = live;
        a0 = allocs;
        round_trip(k);
        printf("heap case=roundtrip-%s peak_bytes=%ld allocs=%ld\n", which[i], peak - base,
               allocs - a0);
        csr_key_free(k);
    }
    csr_thread_cleanup();
    return 0;
}

static double child_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* quiet: the child's stderr to /dev/null too (openssl req draws its progress there) */
static void run_child(char **argv, int quiet)
{
    int status;
    pid_t p = fork();
    if (p == 0) {
        if (freopen("/dev/null", "w", stdout) == NULL ||
            (quiet && freopen("/dev/null", "w", stderr) == NULL))
            _exit(127);
        execvp(argv[0], argv);
        _exit(127);
    }
    if (p < 0 || waitpid(p, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "core: %s failed\n", argv[0]);
        exit(1);
    }
}

int spawn_case(double budget, char **argv)
{
    double t0, t;
    long n = 0;

    if (argv[0] == NULL)
        return 2;
    run_child(argv, 0);                    /* warm the page cache; its errors shown */
    t0 = child_cpu();
    do {
        run_child(argv, 1);
        n++;
        t = child_cpu() - t0;
    } while (t < budget);
    printf("us=%.3f runs=%ld\n", t * 1e6 / (double)n, n);
    return 0;
}

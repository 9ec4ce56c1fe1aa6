/* Shared by bench/core.c, core_raw.c and core_mem.c (the core-c benchmark program).
 * SPDX-License-Identifier: MIT */
#ifndef BENCH_CORE_H
#define BENCH_CORE_H

#include <stdio.h>

#include "../src/core/csr.h"
#include "../src/core/wolf.h"
#include "../src/core/key_int.h"
#include "../src/core/req.h"

#define POOL_MAX 256
#define WARM_PASSES 3          /* pool cases warm up over the whole pool this often */

typedef struct {
    const char *kind;           /* "rsa2048", "p256", ... */
    int type, param;
} kind_info;

typedef struct {
    uint8_t *text;
    const uint8_t *pem[POOL_MAX];
    size_t len[POOL_MAX];
    size_t n;
} pool;

/* The CPU clock is read once per batch, not once per operation: on a virtual machine a read
 * is a system call of about 2 µs, as much as a whole cheap operation. The batch doubles while
 * it takes under a fiftieth of the budget. bench/bench.lua's time_lua does the same. */
#define TIMED(us, budget, body)                                              \
    do {                                                                     \
        double t0_, t_;                                                      \
        long n_ = 0, k_ = 1, j_;                                             \
        body;                          /* warm-up: first-use tables */       \
        t0_ = cpu_now();                                                     \
        do {                                                                 \
            for (j_ = 0; j_ < k_; j_++) {                                    \
                body;                                                        \
            }                                                                \
            n_ += k_;                                                        \
            t_ = cpu_now() - t0_;                                            \
            if (t_ < (budget) / 50)                                          \
                k_ *= 2;                                                     \
        } while (t_ < (budget));                                             \
        (us) = t_ * 1e6 / (double)n_;                                        \
    } while (0)

double cpu_now(void);
void die(const char *what, const csr_err *e);
uint8_t *slurp(const char *dir, const char *name, size_t *len);
extern const kind_info kinds[];
const kind_info *kind_of(const char *name);
csr_key *load_key(const char *dir, const char *kind);
void load_pool(pool *p, const char *dir, const char *kind);
void make_csr(const csr_key *k, int pss, FILE *out);
csr_key *keygen(const kind_info *ki);

/* core_raw.c: raw wolfCrypt, kept WC_RNG, µs per op */
double raw_keygen(const kind_info *ki, double budget);
double raw_sign(const csr_key *k, int pss, double budget);
double raw_verify(const pool *p, double budget);

/* core_mem.c */
int heap_case(const char *dir);
int spawn_case(double budget, char **argv);

#endif

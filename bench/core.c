/* core-c for `make bench`: the cases bench/bench.lua runs, done in C over libcsrcore.a (no Lua),
 * so the cost of the binding shows; and, for the public-key operation alone, raw wolfCrypt
 * with a kept WC_RNG and keys decoded beforehand, so the cost of our DER/PEM/allocation work
 * shows too. bench.lua calls it once per case and round (interleaved with the Lua peers).
 *   core run <case> <seconds> <datadir>  -> "us=<µs per op> raw=<µs per op | ->"
 *   core heap <datadir>                  -> "heap case=<name> peak_bytes=<n> allocs=<n>" lines
 *   core spawn <seconds> <cmd> [args]    -> "us=<child CPU µs per run> runs=<n>"
 *   core new                             -> a P-256 key and CSR as PEM (as `csr new`)
 *   core build                           -> "sp" when the wolfSSL headers built against have the
 *                                           SP maths for ECC and RSA, else "default"
 * Times are CPU time (this process; children for spawn). Case names: see bench.lua.
 * SPDX-License-Identifier: MIT */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core.h"


double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void die(const char *what, const csr_err *e)
{
    fprintf(stderr, "core: %s: %s\n", what, e != NULL ? e->msg : "failed");
    exit(1);
}

uint8_t *slurp(const char *dir, const char *name, size_t *len)
{
    char path[1024];
    FILE *f;
    uint8_t *p;
    long n;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    if ((f = fopen(path, "rb")) == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0) {
        fprintf(stderr, "core: cannot read %s\n", path);
        exit(1);
    }
    rewind(f);
    p = (uint8_t *)malloc((size_t)n + 1);
    if (p == NULL || fread(p, 1, (size_t)n, f) != (size_t)n)
        exit(1);
    fclose(f);
    p[n] = 0;
    *len = (size_t)n;
    return p;
}

/* ---- inputs: keys by kind, CSR pools (concatenated PEM) ---- */

const kind_info kinds[] = {
    {"rsa2048", CSR_KEY_RSA, 2048}, {"p256", CSR_KEY_EC, CSR_CURVE_P256},
    {"p384", CSR_KEY_EC, CSR_CURVE_P384}, {"ed25519", CSR_KEY_ED25519, 0},
    {"ed448", CSR_KEY_ED448, 0}, {NULL, 0, 0}
};

const kind_info *kind_of(const char *name)
{
    const kind_info *k;
    for (k = kinds; k->kind != NULL; k++)
        if (strcmp(k->kind, name) == 0)
            return k;
    fprintf(stderr, "core: unknown key kind %s\n", name);
    exit(2);
}

csr_key *load_key(const char *dir, const char *kind)
{
    char name[64];
    size_t len;
    uint8_t *pem;
    csr_key *k = NULL;
    csr_err e;

    snprintf(name, sizeof name, "key-%s.pem", kind);
    pem = slurp(dir, name, &len);
    if (csr_key_parse(&k, pem, len, NULL, 0, &e) != CSR_OK)
        die(name, &e);
    free(pem);
    return k;
}

void load_pool(pool *p, const char *dir, const char *kind)
{
    static const char end[] = "-----END CERTIFICATE REQUEST-----\n";
    char name[64];
    size_t len;
    uint8_t *s, *q;

    snprintf(name, sizeof name, "pool-%s.pem", kind);
    p->text = s = slurp(dir, name, &len);
    p->n = 0;
    while (p->n < POOL_MAX && (q = (uint8_t *)strstr((char *)s, end)) != NULL) {
        p->pem[p->n] = s;
        p->len[p->n] = (size_t)(q - s) + sizeof end - 1;
        p->n++;
        s = q + sizeof end - 1;
    }
    if (p->n == 0) {
        fprintf(stderr, "core: empty pool %s\n", name);
        exit(1);
    }
}

/* ---- the operations, as bench.lua does them through the binding ---- */

static csr_name *subject(void)
{
    csr_name *n = NULL;
    csr_err e;
    if (csr_name_new(&n, &e) != CSR_OK || csr_name_add(n, "C", (const uint8_t *)"US", 2, 1, &e) ||
        csr_name_add(n, "O", (const uint8_t *)"Example Inc", 11, 1, &e) ||
        csr_name_add(n, "CN", (const uint8_t *)"www.example.com", 15, 1, &e))
        die("subject", &e);
    return n;
}

/* build + sign + PEM: the same request bench.lua builds; PEM to out when not NULL */
void make_csr(const csr_key *k, int pss, FILE *out)
{
    static const csr_san_in san[] = {
        {CSR_SAN_DNS, "www.example.com", 15}, {CSR_SAN_DNS, "example.com", 11},
        {CSR_SAN_IP, "192.0.2.1", 9}
    };
    static const char *const eku[] = {"serverAuth"};
    csr_req_spec spec;
    csr_req *r = NULL;
    csr_sig sp;
    csr_buf pem;
    csr_err e;
    csr_name *n = subject();

    memset(&spec, 0, sizeof spec);
    spec.subject = n;
    spec.key = k;
    spec.san = san;
    spec.nsan = 3;
    spec.san_critical = spec.ku_critical = spec.eku_critical = -1;
    spec.bc_critical = spec.ms_critical = -1;
    spec.bc_pathlen = -1;
    spec.ku_set = 1;
    spec.key_usage = CSR_KU_DIGITAL_SIGNATURE;
    spec.eku = eku;
    spec.neku = 1;
    memset(&sp, 0, sizeof sp);
    sp.salt_len = -1;
    sp.padding = pss ? CSR_PAD_PSS : CSR_PAD_PKCS1;
    csr_buf_init(&pem, 0);
    if (csr_req_build(&r, &spec, &e) != CSR_OK || csr_sig_resolve(&sp, k, &e) != CSR_OK ||
        csr_req_sign(r, k, &sp, &e) != CSR_OK || csr_req_pem(&pem, r, &e) != CSR_OK)
        die("csr", &e);
    if (out != NULL)
        fwrite(pem.p, 1, pem.len, out);
    csr_buf_free(&pem);
    csr_req_free(r);
    csr_name_free(n);
}

csr_key *keygen(const kind_info *ki)
{
    csr_key *k = NULL;
    csr_err e;
    if (csr_key_generate(&k, ki->type, ki->param, &e) != CSR_OK)
        die("keygen", &e);
    return k;
}

static void parse_fields(const uint8_t *pem, size_t len)
{
    csr_req *r = NULL;
    csr_err e;
    const csr_name *n;
    const char *attr, *oid;
    const uint8_t *val;
    size_t i, j, vl, count = 0;
    int tag, type;

    if (csr_req_parse(&r, pem, len, &e) != CSR_OK)
        die("parse", &e);
    n = csr_req_subject(r);
    for (i = 0; i < csr_name_rdn_count(n); i++)
        for (j = 0; j < csr_name_rdn_size(n, i); j++)
            if (csr_name_get(n, i, j, &attr, &val, &vl, &tag) == 0)
                count += vl;
    for (i = 0; i < csr_req_san_count(r); i++) {
        char ip[64];                       /* IPs as text, as the binding gives them */
        if (csr_req_san_get(r, i, &type, &val, &vl, &oid) != 0)
            continue;
        if (type == CSR_SAN_IP && csr_ip_format(ip, sizeof ip, val, vl) == CSR_OK)
            vl = strlen(ip);
        count += vl;
    }
    if (count == 0)
        die("parse: no fields", NULL);
    csr_req_free(r);
}

static void parse_verify(const uint8_t *pem, size_t len)
{
    csr_req *r = NULL;
    csr_err e;
    if (csr_req_parse(&r, pem, len, &e) != CSR_OK || csr_req_verify(r, &e) != CSR_OK)
        die("parse+verify", &e);
    csr_req_free(r);
}

/* ---- timing ---- */

static int run_case(const char *c, double budget, const char *dir)
{
    double us = 0, raw = -1;
    size_t i = 0;
    pool p;
    csr_key *k;

    if (strncmp(c, "keygen-", 7) == 0) {
        const kind_info *ki = kind_of(c + 7);
        TIMED(us, budget, csr_key_free(keygen(ki)));
        raw = raw_keygen(ki, budget);
    } else if (strncmp(c, "csr-", 4) == 0) {
        int pss = strstr(c, "-pss") != NULL;
        char kind[32];
        snprintf(kind, sizeof kind, "%.*s", (int)strcspn(c + 4, "-"), c + 4);
        k = load_key(dir, kind);
        TIMED(us, budget, make_csr(k, pss, NULL));
        raw = raw_sign(k, pss, budget);
        csr_key_free(k);
    } else if (strcmp(c, "parse-fields") == 0) {
        load_pool(&p, dir, "p256");
        for (i = 0; i < WARM_PASSES * p.n; i++)   /* warm-up as bench.lua: the pool thrice */
            parse_fields(p.pem[i % p.n], p.len[i % p.n]);
        i = 0;
        TIMED(us, budget, (parse_fields(p.pem[i], p.len[i]), i = (i + 1) % p.n));
        free(p.text);
    } else if (strncmp(c, "verify-", 7) == 0) {
        load_pool(&p, dir, c + 7);
        for (i = 0; i < WARM_PASSES * p.n; i++)   /* (Debian's FP_ECC builds per-key tables */
            parse_verify(p.pem[i % p.n], p.len[i % p.n]);   /* on a key's second use) */
        i = 0;
        TIMED(us, budget, (parse_verify(p.pem[i], p.len[i]), i = (i + 1) % p.n));
        raw = raw_verify(&p, budget);
        free(p.text);
    } else if (strcmp(c, "pipeline-p256") == 0) {
        const kind_info *ki = kind_of("p256");
        TIMED(us, budget, (k = keygen(ki), make_csr(k, 0, NULL), csr_key_free(k)));
    } else {
        fprintf(stderr, "core: unknown case %s\n", c);
        return 2;
    }
    if (raw >= 0)
        printf("us=%.3f raw=%.3f\n", us, raw);
    else
        printf("us=%.3f raw=-\n", us);
    return 0;
}

/* one process: key + CSR, both PEM to stdout */
static int new_case(void)
{
    csr_err e;
    csr_buf kp;
    csr_key *k;

    if (csr_core_init(&e) != CSR_OK)
        die("init", &e);
    k = keygen(kind_of("p256"));
    csr_buf_init(&kp, 1);
    if (csr_key_export(&kp, k, 0, 1, NULL, 0, &e) != CSR_OK)
        die("export", &e);
    fwrite(kp.p, 1, kp.len, stdout);
    csr_buf_free(&kp);
    make_csr(k, 0, stdout);
    csr_key_free(k);
    return 0;
}

int main(int argc, char **argv)
{
    csr_err e;

    if (argc >= 3 && strcmp(argv[1], "spawn") == 0)
        return spawn_case(atof(argv[2]), argv + 3);
    if (argc == 3 && strcmp(argv[1], "heap") == 0)
        return heap_case(argv[2]);
    if (argc == 2 && strcmp(argv[1], "new") == 0)
        return new_case();
    if (argc == 2 && strcmp(argv[1], "build") == 0) {
#if defined(WOLFSSL_HAVE_SP_ECC) && defined(WOLFSSL_HAVE_SP_RSA)
        puts("sp");
#else
        puts("default");
#endif
        return 0;
    }
    if (argc != 5 || strcmp(argv[1], "run") != 0) {
        fprintf(stderr, "usage: core run <case> <seconds> <datadir> | heap <datadir> | "
                        "spawn <seconds> <cmd> [args] | new | build\n");
        return 2;
    }
    if (csr_core_init(&e) != CSR_OK)
        die("init", &e);
    return run_case(argv[2], atof(argv[3]), argv[4]);
}

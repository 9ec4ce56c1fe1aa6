/* Shared bits of the libFuzzer harnesses: one-time core init and property checks.
 * A failed property calls abort() so libFuzzer keeps the input as a crash artifact.
 * SPDX-License-Identifier: MIT */
#ifndef CSR_FUZZ_H
#define CSR_FUZZ_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csr.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    csr_err e;
    (void)argc;
    (void)argv;
    if (csr_core_init(&e) != CSR_OK) {
        fprintf(stderr, "csr_core_init: %s\n", e.msg);
        abort();
    }
    return 0;
}

#define FUZZ_CHECK(cond, what)                                                        \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "property failed: %s (%s:%d)\n", what, __FILE__, __LINE__); \
            abort();                                                                  \
        }                                                                             \
    } while (0)

static void fuzz_err_reset(csr_err *e)
{
    e->code = -777;
    memset(e->msg, 0, sizeof e->msg);
}

/* A failing core call must say why: the code it returned, and a message. */
static void fuzz_err_ok(int rc, const csr_err *e)
{
    if (rc == CSR_OK)
        return;
    FUZZ_CHECK(rc > 0 && rc <= CSR_E_BAD_VERSION, "error code in range");
    FUZZ_CHECK(e->code == rc, "err->code equals the returned code");
    FUZZ_CHECK(e->msg[0] != '\0', "error message is set");
    FUZZ_CHECK(memchr(e->msg, '\0', sizeof e->msg) != NULL, "message NUL-terminated");
}

/* A copy of the input in its own heap block so ASan sees reads past the end exactly. */
static uint8_t *fuzz_dup(const uint8_t *data, size_t size)
{
    uint8_t *p = (uint8_t *)malloc(size ? size : 1);
    if (p == NULL)
        abort();
    if (size)
        memcpy(p, data, size);
    return p;
}

#endif

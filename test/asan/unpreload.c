/* Preloaded after libasan by `make asan`. The ASan runtime has to be the first library of
 * the lua5.4 process running busted, but the programs the specs start (make, gcc, openssl,
 * python, valgrind) must not inherit it: make itself trips ASan, and valgrind cannot run an
 * ASan process. This constructor removes LD_PRELOAD from the environment of the process once
 * it is loaded; CSR_ASAN_PRELOAD (set by the make rule) keeps the runtime's path for a spec
 * that starts a host loading the ASan csr.so and wants full ASan in it.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>

void csr_asan_unpreload(void) __attribute__((constructor));

void csr_asan_unpreload(void)
{
    unsetenv("LD_PRELOAD");
}

/* Preloaded by spec/policy_idn2_spec.lua: a process where libidn2 cannot be opened. dlopen of
 * libidn2 fails as it would on a system without the library; every other dlopen (Lua opening
 * csr.so) goes through.
 * SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <string.h>

void *dlopen(const char *file, int mode)
{
    static void *(*real)(const char *, int);
    void *p;

    if (file != NULL && strstr(file, "libidn2") != NULL)
        return NULL;
    if (real == NULL) {
        p = dlsym(RTLD_NEXT, "dlopen");
        memcpy(&real, &p, sizeof p);
    }
    return real(file, mode);
}

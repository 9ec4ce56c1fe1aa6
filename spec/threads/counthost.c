/* Allocation-counting host for spec/lifecycle_spec.lua: every block allocated through wolfSSL's
 * allocator (wolfCrypt and the module's C core, which allocates with XMALLOC) is counted, via
 * wolfSSL_SetAllocators, before the module is loaded from package.cpath.
 *   counthost <package.cpath> <script.lua>
 * The script runs in a fresh lua_State with a global wolf_live(): the number of such blocks
 * allocated and not yet freed. Exit status 0 when the script ran to its end.
 * Builds against Lua 5.1, 5.3, 5.4 and LuaJIT (spec/port.lua build_host).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>

#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/wolfcrypt/memory.h>

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

static long live;                       /* blocks outstanding since the allocators were set */

static void *count_malloc(size_t n)
{
    void *p = malloc(n);
    if (p != NULL)
        live++;
    return p;
}

static void count_free(void *p)
{
    if (p != NULL) {
        live--;
        free(p);
    }
}

static void *count_realloc(void *p, size_t n)
{
    if (p == NULL)
        return count_malloc(n);
    if (n == 0) {
        count_free(p);
        return NULL;
    }
    return realloc(p, n);
}

static int l_wolf_live(lua_State *L)
{
    lua_pushnumber(L, (lua_Number)live);
    return 1;
}

int main(int argc, char **argv)
{
    lua_State *L;
    int rc;

    if (argc != 3) {
        fprintf(stderr, "usage: counthost <package.cpath> <script.lua>\n");
        return 2;
    }
    if (wolfSSL_SetAllocators(count_malloc, count_free, count_realloc) != 0) {
        fprintf(stderr, "counthost: wolfSSL_SetAllocators failed\n");
        return 2;
    }
    L = luaL_newstate();
    if (L == NULL) {
        fprintf(stderr, "counthost: luaL_newstate failed\n");
        return 2;
    }
    luaL_openlibs(L);
    lua_register(L, "wolf_live", l_wolf_live);
    lua_getglobal(L, "package");
    lua_pushstring(L, argv[1]);
    lua_setfield(L, -2, "cpath");
    lua_pop(L, 1);
    rc = luaL_dofile(L, argv[2]);
    if (rc != 0)
        fprintf(stderr, "counthost: %s\n", lua_tostring(L, -1));
    lua_close(L);
    return rc != 0;
}

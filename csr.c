/* Module entry: require "csr". Initialises the core once and assembles the module table.
 * SPDX-License-Identifier: MIT */
#include "src/lua/lcsr.h"

/* Lua: csr.thread_cleanup() -> nothing; frees this thread's wolfSSL caches */
static int l_thread_cleanup(lua_State *L)
{
    (void)L;
    csr_thread_cleanup();
    return 0;
}

/* Lua: csr.type(v) -> "key" | "subject" | "request" | "certificate" | nil */
static int l_type(lua_State *L)
{
    if (luaL_testudata(L, 1, LCSR_KEY_MT))
        lua_pushliteral(L, "key");
    else if (luaL_testudata(L, 1, LCSR_SUBJECT_MT))
        lua_pushliteral(L, "subject");
    else if (luaL_testudata(L, 1, LCSR_REQ_MT))
        lua_pushliteral(L, "request");
    else if (luaL_testudata(L, 1, LCSR_CERT_MT))
        lua_pushliteral(L, "certificate");
    else
        lua_pushnil(L);
    return 1;
}

LCSR_EXPORT int luaopen_csr(lua_State *L);

int luaopen_csr(lua_State *L)
{
    csr_err err;
    int i;

    if (csr_core_init(&err) != CSR_OK)
        return luaL_error(L, "csr: %s", err.msg);
    lua_newtable(L);                                   /* csr */
    lua_pushliteral(L, CSR_VERSION);
    lua_setfield(L, -2, "_VERSION");
    lua_pushstring(L, csr_wolfssl_version());
    lua_setfield(L, -2, "wolfssl_version");
    lua_newtable(L);                                   /* csr errors */
    for (i = 0; csr_error_names[i].name != NULL; i++) {
        lua_pushinteger(L, csr_error_names[i].code);
        lua_setfield(L, -2, csr_error_names[i].name);
    }
    lua_setfield(L, -2, "errors");
    lua_newtable(L);                                   /* csr features */
    lua_pushboolean(L, 1); lua_setfield(L, -2, "rsa");
    lua_pushboolean(L, 1); lua_setfield(L, -2, "rsa_pss");
    lua_pushboolean(L, 1); lua_setfield(L, -2, "ec");
    lua_pushboolean(L, 1); lua_setfield(L, -2, "ed25519");
    lua_pushboolean(L, 1); lua_setfield(L, -2, "ed448");
    lua_setfield(L, -2, "features");
    lcsr_key_open(L);
    lcsr_jose_open(L);
    lua_setfield(L, -2, "key");
    lcsr_util_open(L);
    lua_setfield(L, -2, "util");
    lcsr_subject_open(L);
    lua_setfield(L, -2, "subject");
    lcsr_req_open(L);
    lua_setfield(L, -2, "request");
    lcsr_certificate_open(L);
    lua_setfield(L, -2, "certificate");
    lua_pushcfunction(L, lcsr_req_generate);
    lua_setfield(L, -2, "generate");
    lua_pushcfunction(L, l_thread_cleanup);
    lua_setfield(L, -2, "thread_cleanup");
    lua_pushcfunction(L, l_type);
    lua_setfield(L, -2, "type");
    return 1;
}

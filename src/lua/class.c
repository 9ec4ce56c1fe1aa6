/* Class registration, the fail convention, GC-owned buffers and option helpers.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "lcsr.h"

void lcsr_newclass(lua_State *L, const char *tname, const luaL_Reg *meta,
                   const luaL_Reg *methods)
{
    luaL_newmetatable(L, tname);               /* mt */
    luaL_setfuncs(L, meta, 0);
    lua_pushstring(L, tname);
    lua_setfield(L, -2, "__name");             /* 5.1 does not set it */
    lua_newtable(L);                           /* mt methods */
    luaL_setfuncs(L, methods, 0);
    lua_setfield(L, -2, "__index");            /* mt */
    lua_pop(L, 1);
}

void lcsr_addmethods(lua_State *L, const char *tname, const luaL_Reg *methods)
{
    luaL_getmetatable(L, tname);               /* mt */
    lua_getfield(L, -1, "__index");            /* mt methods */
    luaL_setfuncs(L, methods, 0);
    lua_pop(L, 2);
}

void lcsr_check_nomem(lua_State *L, const csr_err *err)
{
    if (err->code == CSR_E_NOMEM)
        luaL_error(L, "csr: out of memory");
}

int lcsr_fail(lua_State *L, const char *where, const csr_err *err)
{
    lcsr_check_nomem(L, err);
    luaL_pushfail(L);
    lua_pushfstring(L, "%s: %s", where, err->msg);
    lua_pushinteger(L, err->code);
    return 3;
}

int lcsr_false(lua_State *L, const char *where, const csr_err *err)
{
    lcsr_check_nomem(L, err);
    lua_pushboolean(L, 0);
    lua_pushfstring(L, "%s: %s", where, err->msg);
    lua_pushinteger(L, err->code);
    return 3;
}

static int buf_gc(lua_State *L)
{
    csr_buf *b = (csr_buf *)luaL_checkudata(L, 1, LCSR_BUF_MT);
    csr_buf_free(b);
    return 0;
}

csr_buf *lcsr_newbuf(lua_State *L, int secret)
{
    csr_buf *b = (csr_buf *)lua_newuserdatauv(L, sizeof *b, 0);
    csr_buf_init(b, secret);
    if (luaL_newmetatable(L, LCSR_BUF_MT)) {
        lua_pushcfunction(L, buf_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    return b;
}

void lcsr_pushbuf(lua_State *L, csr_buf *b)
{
    lua_pushlstring(L, b->p != NULL ? (const char *)b->p : "", b->len);  /* ud str */
    csr_buf_free(b);
    lua_remove(L, -2);                                                    /* str */
}

void lcsr_check_opts(lua_State *L, int idx, const char *const *allowed)
{
    idx = lua_absindex(L, idx);
    if (lua_isnoneornil(L, idx))
        return;
    luaL_checktype(L, idx, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        int i, ok = 0;
        lua_pop(L, 1);                         /* key */
        if (lua_type(L, -1) == LUA_TSTRING) {
            const char *k = lua_tostring(L, -1);
            for (i = 0; allowed[i] != NULL; i++)
                if (strcmp(k, allowed[i]) == 0)
                    ok = 1;
            if (!ok)
                luaL_argerror(L, idx, lua_pushfstring(L, "unknown option '%s'", k));
        } else {
            luaL_argerror(L, idx, "option keys must be strings");
        }
    }
}

const char *lcsr_opt_string(lua_State *L, int idx, const char *field, size_t *len)
{
    const char *s = NULL;
    if (lua_type(L, idx) != LUA_TTABLE)
        return NULL;
    lua_getfield(L, idx, field);
    if (!lua_isnil(L, -1)) {
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_argerror(L, idx, lua_pushfstring(L, "option '%s' must be a string", field));
        s = lua_tolstring(L, -1, len);         /* kept alive by the options table */
    }
    lua_pop(L, 1);
    return s;
}

int lcsr_opt_bool(lua_State *L, int idx, const char *field)
{
    int v = -1;
    if (lua_type(L, idx) != LUA_TTABLE)
        return -1;
    lua_getfield(L, idx, field);
    if (!lua_isnil(L, -1)) {
        if (lua_type(L, -1) != LUA_TBOOLEAN)
            luaL_argerror(L, idx, lua_pushfstring(L, "option '%s' must be a boolean", field));
        v = lua_toboolean(L, -1);
    }
    lua_pop(L, 1);
    return v;
}

int lcsr_opt_md(lua_State *L, int idx, const char *field)
{
    static const char *const names[] = {"sha256", "sha384", "sha512", NULL};
    static const int mds[] = {CSR_MD_SHA256, CSR_MD_SHA384, CSR_MD_SHA512};
    const char *s = lcsr_opt_string(L, idx, field, NULL);
    int i;
    if (s == NULL)
        return CSR_MD_NONE;
    for (i = 0; names[i] != NULL; i++)
        if (strcmp(s, names[i]) == 0)
            return mds[i];
    return luaL_argerror(L, idx, lua_pushfstring(L, "unknown digest '%s'", s));
}

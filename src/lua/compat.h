/* Code is written against the Lua 5.4 C API; this maps it down to 5.3, 5.2, 5.1 and
 * LuaJIT 2.1. Everything is static and renamed, so nothing clashes with LuaJIT's exports.
 * SPDX-License-Identifier: MIT */
#ifndef LCSR_COMPAT_H
#define LCSR_COMPAT_H

#include <lua.h>
#include <lauxlib.h>

#if LUA_VERSION_NUM < 504
#define lua_newuserdatauv(L, sz, nuv) lua_newuserdata((L), (sz))
#define luaL_pushfail(L) lua_pushnil(L)
#endif

#if LUA_VERSION_NUM == 501                 /* PUC 5.1 and LuaJIT 2.x */
static inline void lcsr_compat_setfuncs(lua_State *L, const luaL_Reg *l, int nup)
{
    int i;
    luaL_checkstack(L, nup, "too many upvalues");
    for (; l->name != NULL; l++) {
        for (i = 0; i < nup; i++)
            lua_pushvalue(L, -nup);
        lua_pushcclosure(L, l->func, nup);
        lua_setfield(L, -(nup + 2), l->name);
    }
    lua_pop(L, nup);
}

static inline void *lcsr_compat_testudata(lua_State *L, int i, const char *tname)
{
    void *p = lua_touserdata(L, i);
    if (p == NULL || !lua_getmetatable(L, i))
        return NULL;
    luaL_getmetatable(L, tname);
    if (!lua_rawequal(L, -1, -2))
        p = NULL;
    lua_pop(L, 2);
    return p;
}

#undef luaL_newlib
#define luaL_setfuncs lcsr_compat_setfuncs
#define luaL_testudata lcsr_compat_testudata
#define luaL_setmetatable(L, tn) (luaL_getmetatable((L), (tn)), lua_setmetatable((L), -2))
#define luaL_newlib(L, l) (lua_newtable(L), luaL_setfuncs((L), (l), 0))
#define lua_absindex(L, i) \
    (((i) > 0 || (i) <= LUA_REGISTRYINDEX) ? (i) : lua_gettop(L) + (i) + 1)
#define lua_rawlen lua_objlen
#endif

#if LUA_VERSION_NUM == 502
#define lua_rawlen lua_rawlen
#endif

#endif

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

/* ---- boxes: a userdata whose only member is the object pointer it owns ---- */

void *lcsr_newbox(lua_State *L, size_t size, const char *tname)
{
    void *b = lua_newuserdatauv(L, size, 0);
    memset(b, 0, size);                        /* closed until filled */
    luaL_setmetatable(L, tname);               /* __gc armed from here on */
    return b;
}

/* The pointer is copied out rather than read through a void ** (the box's member has its
 * own pointer type). */
void *lcsr_checkbox(lua_State *L, int idx, const char *tname)
{
    void *p;
    memcpy(&p, luaL_checkudata(L, idx, tname), sizeof p);
    if (p == NULL)
        luaL_argerror(L, idx, lua_pushfstring(L, "attempt to use a closed %s", tname));
    return p;
}

void *lcsr_takebox(lua_State *L, int idx, const char *tname)
{
    void *b = luaL_checkudata(L, idx, tname), *p;
    memcpy(&p, b, sizeof p);
    memset(b, 0, sizeof p);
    return p;
}

void lcsr_check_nomem(lua_State *L, const csr_err *err)
{
    if (err->code == CSR_E_NOMEM)
        luaL_error(L, "csr: out of memory");
}

/* "where: msg[ at byte N]", the one place an offset is worded */
static void push_err(lua_State *L, const char *where, const csr_err *err)
{
    if (err->offset == CSR_NO_OFFSET)
        lua_pushfstring(L, "%s: %s", where, err->msg);
    else
        lua_pushfstring(L, "%s: %s at byte %d", where, err->msg, (int)err->offset);
    lua_pushinteger(L, err->code);
}

int lcsr_fail(lua_State *L, const char *where, const csr_err *err)
{
    lcsr_check_nomem(L, err);
    luaL_pushfail(L);
    push_err(L, where, err);
    return 3;
}

int lcsr_false(lua_State *L, const char *where, const csr_err *err)
{
    lcsr_check_nomem(L, err);
    lua_pushboolean(L, 0);
    push_err(L, where, err);
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

int lcsr_buf_result(lua_State *L, csr_buf *b, int rc, const char *where, const csr_err *err)
{
    if (rc != CSR_OK)
        return lcsr_fail(L, where, err);
    lcsr_pushbuf(L, b);
    return 1;
}

/* Pushes the set {name = true} of the NULL-terminated list allowed, made once per Lua state
 * and kept in the registry under the list's address: a key is then checked by one table
 * lookup instead of a strcmp against every allowed name. */
static void push_name_set(lua_State *L, const char *const *allowed)
{
    int i;
    lua_pushlightuserdata(L, (void *)(uintptr_t)allowed);  /* (no rawgetp in 5.1) */
    lua_rawget(L, LUA_REGISTRYINDEX);
    if (lua_type(L, -1) == LUA_TTABLE)
        return;
    lua_pop(L, 1);
    lua_newtable(L);                           /* set */
    for (i = 0; allowed[i] != NULL; i++) {
        lua_pushboolean(L, 1);
        lua_setfield(L, -2, allowed[i]);
    }
    lua_pushlightuserdata(L, (void *)(uintptr_t)allowed);
    lua_pushvalue(L, -2);                      /* set p set */
    lua_rawset(L, LUA_REGISTRYINDEX);          /* set */
}

void lcsr_check_fields(lua_State *L, int tidx, int argn, const char *what,
                       const char *const *allowed)
{
    int set;
    tidx = lua_absindex(L, tidx);
    push_name_set(L, allowed);                 /* set */
    set = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, tidx) != 0) {
        lua_pop(L, 1);                         /* set key */
        if (lua_type(L, -1) == LUA_TSTRING) {
            const char *k;
            lua_pushvalue(L, -1);
            lua_rawget(L, set);                /* set key known? */
            if (!lua_isnil(L, -1)) {
                lua_pop(L, 1);
                continue;
            }
            k = lcsr_tocstring(L, -2, argn, "an option name");
            luaL_argerror(L, argn, what == NULL
                          ? lua_pushfstring(L, "unknown option '%s'", k)
                          : lua_pushfstring(L, "unknown option '%s' in '%s'", k, what));
        } else {
            luaL_argerror(L, argn, what == NULL ? "option keys must be strings"
                          : lua_pushfstring(L, "option '%s' has a key that is not a string",
                                            what));
        }
    }
    lua_pop(L, 1);
}

void lcsr_check_opts(lua_State *L, int idx, const char *const *allowed)
{
    idx = lua_absindex(L, idx);
    if (lua_isnoneornil(L, idx))
        return;
    luaL_checktype(L, idx, LUA_TTABLE);
    lcsr_check_fields(L, idx, idx, NULL, allowed);
}

int lcsr_name_index(const char *const *names, const char *s)
{
    int i;
    for (i = 0; names[i] != NULL; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

const char *lcsr_tocstring(lua_State *L, int idx, int argn, const char *what)
{
    size_t len;
    const char *s = lua_tolstring(L, idx, &len);
    if (s != NULL && strlen(s) != len)
        luaL_argerror(L, argn, lua_pushfstring(L, "%s has a NUL byte", what));
    return s;
}

const char *lcsr_checkcstring(lua_State *L, int arg, const char *what)
{
    luaL_checkstring(L, arg);
    return lcsr_tocstring(L, arg, arg, what);
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

const char *lcsr_opt_cstring(lua_State *L, int idx, const char *field, size_t *len)
{
    size_t n;
    const char *s = lcsr_opt_string(L, idx, field, &n);
    if (s != NULL && strlen(s) != n)
        luaL_argerror(L, idx, lua_pushfstring(L, "option '%s' has a NUL byte", field));
    if (len != NULL)
        *len = n;
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

int lcsr_opt_enum(lua_State *L, int idx, const char *field, const char *const *names, int dflt)
{
    const char *s = lcsr_opt_cstring(L, idx, field, NULL);
    int i;
    if (s == NULL)
        return dflt;
    i = lcsr_name_index(names, s);
    if (i < 0)
        return luaL_argerror(L, idx, lua_pushfstring(L, "unknown %s '%s'", field, s));
    return i;
}

void lcsr_read_sig(lua_State *L, int idx, csr_sig *sig, int verify)
{
    static const char *const pads[] = {"pkcs1", "pss", NULL};
    static const char *const fmts[] = {"der", "raw", NULL};
    const char *md = lcsr_opt_cstring(L, idx, "digest", NULL);
    int i;

    memset(sig, 0, sizeof *sig);
    sig->salt_len = verify ? CSR_SALT_ANY : -1;    /* verify: any salt unless salt_len says */
    sig->md = md != NULL ? csr_md_from_name(md) : CSR_MD_NONE;
    /* signing accepts the digests from sha256 on, verifying all of them */
    if (md != NULL && (sig->md == CSR_MD_NONE || (!verify && sig->md < CSR_MD_SHA256)))
        luaL_argerror(L, idx, lua_pushfstring(L, "unknown digest '%s'", md));
    i = lcsr_opt_enum(L, idx, "padding", pads, -1);         /* absent: the key's default */
    sig->padding = i < 0 ? CSR_PAD_DEFAULT : i == 1 ? CSR_PAD_PSS : CSR_PAD_PKCS1;
    sig->raw = lcsr_opt_enum(L, idx, "format", fmts, 0) == 1;
    if (lua_type(L, idx) == LUA_TTABLE) {
        lua_getfield(L, idx, "salt_len");
        if (!lua_isnil(L, -1)) {
            lua_Number n;
            if (lua_type(L, -1) != LUA_TNUMBER)
                luaL_argerror(L, idx, "option 'salt_len' must be a number");
            n = lua_tonumber(L, -1);
            if (n != (lua_Number)(long)n || n < 0 || n > 1024)
                luaL_argerror(L, idx, "option 'salt_len' must be an integer 0..1024");
            if (sig->padding != CSR_PAD_PSS)
                luaL_argerror(L, idx, "option 'salt_len' needs padding = \"pss\"");
            sig->salt_len = (int)n;
        }
        lua_pop(L, 1);
    }
}

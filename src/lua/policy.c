/* req:check(policy): the policy table in, the list of problems out.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "lcsr.h"

static const char *const policy_keys[] = {
    "min_rsa_bits", "max_rsa_bits", "curves", "eddsa", "rsa_exponents", "digests", "allow_ca",
    "require_san", "public_ip_only", "max_sans", "wildcards", NULL
};

/* 1 if the value at idx is a number holding an integer in lo..hi (stored in *out). */
static int int_in(lua_State *L, int idx, lua_Number lo, lua_Number hi, lua_Number *out)
{
    lua_Number v = 0;
    if (lua_type(L, idx) != LUA_TNUMBER)
        return 0;
    v = lua_tonumber(L, idx);
    *out = v;
    return v >= lo && v <= hi && v == (lua_Number)(long long)v;
}

/* An optional non-negative integer option (kept as is when absent). */
static void opt_count(lua_State *L, int t, const char *field, lua_Integer max, size_t *out)
{
    lua_Number v = 0;

    lua_getfield(L, t, field);
    if (!lua_isnil(L, -1)) {
        if (!int_in(L, -1, 0, (lua_Number)max, &v))
            luaL_argerror(L, 2, lua_pushfstring(L, "option '%s' must be an integer from 0 to %d",
                                                field, (int)max));
        *out = (size_t)v;
    }
    lua_pop(L, 1);
}

static void opt_bits(lua_State *L, int t, const char *field, int *out)
{
    size_t v = (size_t)*out;
    opt_count(L, t, field, 65536, &v);
    *out = (int)v;
}

/* A list of names (curves, digests) into a bit set; kept when absent. */
/* A list of names (curves, digests) as a bit set of their codes; code_of gives 0 (NONE) for
 * a name it does not know. */
static void opt_names(lua_State *L, int t, const char *field, int (*code_of)(const char *),
                      unsigned *out)
{
    lua_Integer i, n;

    lua_getfield(L, t, field);
    if (!lua_isnil(L, -1)) {
        if (!lua_istable(L, -1))
            luaL_argerror(L, 2, lua_pushfstring(L, "option '%s' must be a list", field));
        *out = 0;
        n = (lua_Integer)lua_rawlen(L, -1);
        for (i = 1; i <= n; i++) {
            int k;
            lua_rawgeti(L, -1, i);
            k = lua_type(L, -1) == LUA_TSTRING ? code_of(lua_tostring(L, -1)) : 0;
            if (k == 0)
                luaL_argerror(L, 2, lua_pushfstring(L, "unknown value in '%s': %s", field,
                                                    lua_type(L, -1) == LUA_TSTRING ?
                                                    lua_tostring(L, -1) : luaL_typename(L, -1)));
            *out |= 1u << k;
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
}

static void opt_exponents(lua_State *L, int t, csr_policy *p)
{
    lua_Integer i, n = 0;

    lua_getfield(L, t, "rsa_exponents");
    if (!lua_isnil(L, -1)) {
        if (!lua_istable(L, -1) || (n = (lua_Integer)lua_rawlen(L, -1)) > CSR_POLICY_MAX_EXPONENTS)
            luaL_argerror(L, 2, lua_pushfstring(L, "option 'rsa_exponents' must be a list of at "
                                                "most %d integers", CSR_POLICY_MAX_EXPONENTS));
        p->nexponents = 0;
        for (i = 1; i <= n; i++) {
            lua_Number e = 0;
            lua_rawgeti(L, -1, i);
            if (!int_in(L, -1, 3, 9007199254740991.0, &e) || (long long)e % 2 == 0)
                luaL_argerror(L, 2, "option 'rsa_exponents' holds a value that is not an odd "
                                    "integer of at least 3");
            p->rsa_exponents[p->nexponents++] = (uint64_t)e;
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
}

static void opt_flag(lua_State *L, int t, const char *field, int *out)
{
    int v = lcsr_opt_bool(L, t, field);
    if (v >= 0)
        *out = v;
}

static void read_policy(lua_State *L, int t, csr_policy *p)
{
    csr_policy_default(p);
    lcsr_check_opts(L, t, policy_keys);
    if (lua_isnoneornil(L, t))
        return;
    opt_bits(L, t, "min_rsa_bits", &p->min_rsa_bits);
    opt_bits(L, t, "max_rsa_bits", &p->max_rsa_bits);
    opt_names(L, t, "curves", csr_curve_from_name, &p->curves);
    opt_names(L, t, "digests", csr_md_from_name, &p->digests);
    opt_exponents(L, t, p);
    opt_count(L, t, "max_sans", 1000000, &p->max_sans);
    opt_flag(L, t, "eddsa", &p->eddsa);
    opt_flag(L, t, "allow_ca", &p->allow_ca);
    opt_flag(L, t, "require_san", &p->require_san);
    opt_flag(L, t, "public_ip_only", &p->public_ip_only);
    opt_flag(L, t, "wildcards", &p->wildcards);
}

/* The problem list lives in a GC'd userdata while the Lua table is built (a raise in
 * lua_newtable cannot leak it). */
static int problems_gc(lua_State *L)
{
    csr_problems_free((csr_problems *)lua_touserdata(L, 1));
    return 0;
}

static csr_problems *new_problems(lua_State *L)
{
    csr_problems *ps = (csr_problems *)lua_newuserdatauv(L, sizeof *ps, 0);
    memset(ps, 0, sizeof *ps);
    if (luaL_newmetatable(L, "csr.problems")) {
        lua_pushcfunction(L, problems_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    return ps;
}

/* Lua: req:check(policy) -> true | false, { {code =, field =, message =}, … } */
static int lcsr_req_check(lua_State *L)
{
    csr_req *r = lcsr_checkreq(L, 1);
    csr_policy p;
    csr_problems *ps;
    csr_err err;
    size_t i;

    read_policy(L, 2, &p);
    ps = new_problems(L);
    memset(&err, 0, sizeof err);
    if (csr_req_check(ps, r, &p, &err) != CSR_OK) {
        lcsr_check_nomem(L, &err);
        return lcsr_fail(L, "csr.request:check", &err);
    }
    lua_pushboolean(L, ps->n == 0);
    if (ps->n == 0)
        return 1;
    lua_createtable(L, (int)ps->n, 0);
    for (i = 0; i < ps->n; i++) {
        lua_createtable(L, 0, 3);
        lua_pushstring(L, ps->v[i].code);
        lua_setfield(L, -2, "code");
        lua_pushstring(L, ps->v[i].field);
        lua_setfield(L, -2, "field");
        lua_pushstring(L, ps->v[i].msg);
        lua_setfield(L, -2, "message");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    csr_problems_free(ps);
    return 2;
}

const luaL_Reg lcsr_policy_methods[] = {
    {"check", lcsr_req_check},
    {NULL, NULL}
};

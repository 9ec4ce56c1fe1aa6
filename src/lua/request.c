/* csr.request: building and signing requests (csr.request.new, req:sign, to_pem/to_der) and
 * the csr.generate one-shot. The accessors and verify live in reqview.c.
 * SPDX-License-Identifier: MIT */

#include "lcsr.h"

#define ARG_OPTS 1

/* ---- the box ---- */

lcsr_req_box *lcsr_req_newbox(lua_State *L)
{
    lcsr_req_box *b = (lcsr_req_box *)lua_newuserdatauv(L, sizeof *b, 0);
    b->r = NULL;                               /* closed until filled */
    luaL_setmetatable(L, LCSR_REQ_MT);
    return b;
}

csr_req *lcsr_checkreq(lua_State *L, int idx)
{
    lcsr_req_box *b = (lcsr_req_box *)luaL_checkudata(L, idx, LCSR_REQ_MT);
    if (b->r == NULL)
        luaL_argerror(L, idx, "attempt to use a closed csr.request");
    return b->r;
}

static const char *const new_keys[] = {
    "subject", "key", "san", "key_usage", "extended_key_usage", "basic_constraints",
    "must_staple", "challenge_password", "unstructured_name", "extensions", NULL
};

static const char *const gen_keys[] = {
    "subject", "key", "san", "key_usage", "extended_key_usage", "basic_constraints",
    "must_staple", "challenge_password", "unstructured_name", "extensions", "digest",
    "padding", NULL
};

/* Lua: csr.request.new{subject=, key=, san=, …} -> request | fail, msg, code */
static int lcsr_request_new(lua_State *L)
{
    csr_req_spec spec;
    lcsr_req_box *b;
    csr_err err;
    int nret;

    luaL_checktype(L, ARG_OPTS, LUA_TTABLE);
    lcsr_check_opts(L, ARG_OPTS, new_keys);
    lcsr_read_req_spec(L, ARG_OPTS, &spec);
    spec.key = lcsr_opt_reqkey(L, ARG_OPTS, 1);
    if ((nret = lcsr_opt_reqsubject(L, ARG_OPTS, "csr.request.new", &spec)) != 0)
        return nret;
    b = lcsr_req_newbox(L);
    if (csr_req_build(&b->r, &spec, &err) != CSR_OK)
        return lcsr_fail(L, "csr.request.new", &err);
    return 1;
}

/* Lua: req:sign(key, {digest = "sha384", padding = "pss"}) -> true | fail, msg, code */
static int lcsr_request_sign(lua_State *L)
{
    static const char *const keys[] = {"digest", "padding", NULL};
    csr_req *r = lcsr_checkreq(L, 1);
    const csr_key *k = lcsr_checkkey(L, 2);
    csr_sig sig;
    csr_err err;

    lcsr_check_opts(L, 3, keys);
    lcsr_read_sig(L, 3, &sig, 0);
    if (csr_req_sign(r, k, &sig, &err) != CSR_OK)
        return lcsr_fail(L, "csr.request:sign", &err);
    lua_pushboolean(L, 1);
    return 1;
}

/* Lua: req:to_pem() -> string | fail, msg, code (NOT_SIGNED) */
static int lcsr_request_to_pem(lua_State *L)
{
    csr_req *r = lcsr_checkreq(L, 1);
    csr_buf *b = lcsr_newbuf(L, 0);
    csr_err err;
    if (csr_req_pem(b, r, &err) != CSR_OK)
        return lcsr_fail(L, "csr.request:to_pem", &err);
    lcsr_pushbuf(L, b);
    return 1;
}

/* Lua: req:to_der() -> string | fail, msg, code (NOT_SIGNED) */
static int lcsr_request_to_der(lua_State *L)
{
    csr_req *r = lcsr_checkreq(L, 1);
    size_t len = 0;
    const uint8_t *der = csr_req_der(r, &len);
    csr_err err;
    if (der == NULL) {
        csr_err_set(&err, CSR_E_NOT_SIGNED, "the request is not signed (call req:sign first)");
        return lcsr_fail(L, "csr.request:to_der", &err);
    }
    lua_pushlstring(L, (const char *)der, len);
    return 1;
}

/* Lua: req:is_signed() -> boolean */
static int lcsr_request_is_signed(lua_State *L)
{
    lua_pushboolean(L, csr_req_is_signed(lcsr_checkreq(L, 1)) == 1);
    return 1;
}

/* __gc, __close and req:close() */
static int lcsr_request_close(lua_State *L)
{
    lcsr_req_box *b = (lcsr_req_box *)luaL_checkudata(L, 1, LCSR_REQ_MT);
    if (b->r != NULL) {
        csr_req_free(b->r);
        b->r = NULL;
    }
    return 0;
}

/* "csr.request (CN=www.example.com, signed)" */
static int lcsr_request_tostring(lua_State *L)
{
    lcsr_req_box *b = (lcsr_req_box *)luaL_checkudata(L, 1, LCSR_REQ_MT);
    const csr_name *n;
    csr_buf *t;
    if (b->r == NULL) {
        lua_pushliteral(L, "csr.request (closed)");
        return 1;
    }
    n = csr_req_subject(b->r);
    t = lcsr_newbuf(L, 0);
    if (n == NULL || csr_name_to_text(t, n) != CSR_OK || t->err)
        csr_buf_free(t);
    if (t->len == 0)
        csr_buf_put(t, "empty subject", 13);
    lua_pushliteral(L, "csr.request (");
    lua_pushlstring(L, t->p != NULL ? (const char *)t->p : "", t->len);
    lua_pushstring(L, csr_req_is_signed(b->r) == 1 ? ", signed)" : ", unsigned)");
    lua_concat(L, 3);
    return 1;
}

/* ---- csr.generate ---- */


/* Lua: csr.generate{key=, subject=, san=, digest=, padding=, …} -> pem, key | fail, msg, code */
int lcsr_generate(lua_State *L)
{
    csr_req_spec spec;
    csr_sig sig;
    lcsr_keygen g = {CSR_KEY_EC, CSR_CURVE_P256};
    const csr_key *key;
    lcsr_key_box *kb = NULL;
    csr_buf *pem;
    csr_err err;
    int nret, kidx;

    luaL_checktype(L, ARG_OPTS, LUA_TTABLE);
    lcsr_check_opts(L, ARG_OPTS, gen_keys);
    lcsr_read_req_spec(L, ARG_OPTS, &spec);
    lcsr_read_sig(L, ARG_OPTS, &sig, 0);
    lua_getfield(L, ARG_OPTS, "key");
    if (lua_type(L, -1) == LUA_TTABLE || lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lcsr_read_keygen(L, ARG_OPTS, &g);
        key = NULL;
    } else {
        lua_pop(L, 1);
        key = lcsr_opt_reqkey(L, ARG_OPTS, 1);
    }
    if ((nret = lcsr_opt_reqsubject(L, ARG_OPTS, "csr.generate", &spec)) != 0)
        return nret;
    if (key == NULL) {
        kb = lcsr_key_newbox(L);
        if (csr_key_generate(&kb->k, g.type, g.param, &err) != CSR_OK)
            return lcsr_fail(L, "csr.generate", &err);
        key = kb->k;
        kidx = lua_gettop(L);
    } else {
        lua_getfield(L, ARG_OPTS, "key");
        kidx = lua_gettop(L);
    }
    spec.key = key;
    pem = lcsr_newbuf(L, 0);
    if (csr_req_generate(pem, &spec, &sig, &err) != CSR_OK)
        return lcsr_fail(L, "csr.generate", &err);
    lcsr_pushbuf(L, pem);                      /* pem */
    lua_pushvalue(L, kidx);                    /* pem key */
    return 2;
}

/* ---- class ---- */

static const luaL_Reg req_meta[] = {
    {"__gc", lcsr_request_close}, {"__close", lcsr_request_close},
    {"__tostring", lcsr_request_tostring}, {NULL, NULL}
};

static const luaL_Reg req_methods[] = {
    {"sign", lcsr_request_sign}, {"to_pem", lcsr_request_to_pem},
    {"to_der", lcsr_request_to_der}, {"is_signed", lcsr_request_is_signed},
    {"close", lcsr_request_close}, {NULL, NULL}
};

static const luaL_Reg req_funcs[] = {
    {"new", lcsr_request_new}, {"parse", lcsr_req_parse}, {NULL, NULL}
};

void lcsr_request_open(lua_State *L)
{
    lcsr_newclass(L, LCSR_REQ_MT, req_meta, req_methods);
    lcsr_addmethods(L, LCSR_REQ_MT, lcsr_reqview_methods);
    lcsr_addmethods(L, LCSR_REQ_MT, lcsr_view_methods);
    lcsr_addmethods(L, LCSR_REQ_MT, lcsr_policy_methods);
    luaL_newlib(L, req_funcs);
}

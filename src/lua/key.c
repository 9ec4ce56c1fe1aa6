/* csr.key: generate / parse and the key methods.
 * SPDX-License-Identifier: MIT */

#include "lcsr.h"

const char *const lcsr_key_type_names[] = {"rsa", "ec", "ed25519", "ed448", NULL};
const int lcsr_key_type_codes[] = {CSR_KEY_RSA, CSR_KEY_EC, CSR_KEY_ED25519, CSR_KEY_ED448};

static const char *key_type_name(int t)
{
    int i;
    for (i = 0; lcsr_key_type_names[i] != NULL; i++)
        if (lcsr_key_type_codes[i] == t)
            return lcsr_key_type_names[i];
    return "unknown";
}

lcsr_key_box *lcsr_key_newbox(lua_State *L)
{
    return (lcsr_key_box *)lcsr_newbox(L, sizeof(lcsr_key_box), LCSR_KEY_MT);
}

csr_key *lcsr_checkkey(lua_State *L, int idx)
{
    return (csr_key *)lcsr_checkbox(L, idx, LCSR_KEY_MT);
}

/* Raises (argument argn) "option 'bits' <msg>" (what NULL) or "option 'key': bits <msg>". */
static void param_error(lua_State *L, int argn, const char *what, const char *field,
                        const char *msg)
{
    luaL_argerror(L, argn, what == NULL ? lua_pushfstring(L, "option '%s' %s", field, msg)
                  : lua_pushfstring(L, "option '%s': %s %s", what, field, msg));
}

int lcsr_read_keyparams(lua_State *L, int tidx, int argn, const char *what, int type)
{
    static const char *const allowed[] = {"bits", "curve", NULL};
    int param = type == CSR_KEY_RSA ? 2048 : type == CSR_KEY_EC ? CSR_CURVE_P256 : 0;

    if (lua_isnoneornil(L, tidx))
        return param;
    lcsr_check_fields(L, tidx, argn, what, allowed);
    lua_getfield(L, tidx, "bits");
    if (!lua_isnil(L, -1)) {
        lua_Number n;
        if (lua_type(L, -1) != LUA_TNUMBER)
            param_error(L, argn, what, "bits", "must be a number");
        if (type != CSR_KEY_RSA)
            param_error(L, argn, what, "bits", "is for rsa keys");
        n = lua_tonumber(L, -1);
        if (n != (lua_Number)(long)n)
            param_error(L, argn, what, "bits", "must be an integer");
        /* out-of-range sizes are bad data: the core answers nil, msg, code */
        param = n < 0 ? -1 : n > 1e6 ? 1000000 : (int)n;
    }
    lua_pop(L, 1);
    lua_getfield(L, tidx, "curve");
    if (!lua_isnil(L, -1)) {
        if (type != CSR_KEY_EC)
            param_error(L, argn, what, "curve", "is for ec keys");
        if (lua_type(L, -1) != LUA_TSTRING)
            param_error(L, argn, what, "curve", "must be a string");
        param = csr_curve_from_name(lcsr_tocstring(L, -1, argn, "curve"));
        if (param == CSR_CURVE_NONE)
            luaL_argerror(L, argn, lua_pushfstring(L, "unknown curve '%s'", lua_tostring(L, -1)));
    }
    lua_pop(L, 1);
    return param;
}

/* Lua: csr.key.generate([type [, {bits =, curve =}]]) -> key | fail, msg, code */
static int lcsr_key_generate(lua_State *L)
{
    int type = CSR_KEY_EC, param, rc;
    lcsr_key_box *b;
    csr_err err;

    if (!lua_isnoneornil(L, 1)) {
        (void)lcsr_checkcstring(L, 1, "key type");
        type = lcsr_key_type_codes[luaL_checkoption(L, 1, NULL, lcsr_key_type_names)];
    }
    if (!lua_isnoneornil(L, 2))
        luaL_checktype(L, 2, LUA_TTABLE);
    param = lcsr_read_keyparams(L, 2, 2, NULL, type);
    b = lcsr_key_newbox(L);
    rc = csr_key_generate(&b->k, type, param, &err);
    if (rc != CSR_OK)
        return lcsr_fail(L, "csr.key.generate", &err);
    return 1;
}

/* Lua: csr.key.parse(pem_or_der [, {passphrase =}]) -> key | fail, msg, code */
static int lcsr_key_parse(lua_State *L)
{
    static const char *const allowed[] = {"passphrase", NULL};
    size_t len, plen = 0;
    const char *data = luaL_checklstring(L, 1, &len), *pass;
    lcsr_key_box *b;
    csr_err err;

    lcsr_check_opts(L, 2, allowed);
    pass = lcsr_opt_cstring(L, 2, "passphrase", &plen);
    b = lcsr_key_newbox(L);
    if (csr_key_parse(&b->k, (const uint8_t *)data, len, pass, plen, &err) != CSR_OK)
        return lcsr_fail(L, "csr.key.parse", &err);
    return 1;
}

static int lcsr_key_close(lua_State *L)
{
    csr_key_free((csr_key *)lcsr_takebox(L, 1, LCSR_KEY_MT));
    return 0;
}

static int lcsr_key_tostring(lua_State *L)
{
    lcsr_key_box *b = (lcsr_key_box *)luaL_checkudata(L, 1, LCSR_KEY_MT);
    const csr_key *k = b->k;
    const char *vis;
    if (k == NULL) {
        lua_pushliteral(L, "csr.key (closed)");
        return 1;
    }
    vis = csr_key_is_private(k) ? "private" : "public";
    switch (csr_key_type(k)) {
    case CSR_KEY_RSA:
        lua_pushfstring(L, "csr.key (rsa %d, %s)", csr_key_bits(k), vis);
        break;
    case CSR_KEY_EC:
        lua_pushfstring(L, "csr.key (ec %s, %s)", csr_curve_name(csr_key_curve(k)), vis);
        break;
    default:
        lua_pushfstring(L, "csr.key (%s, %s)", key_type_name(csr_key_type(k)), vis);
        break;
    }
    return 1;
}

static int lcsr_key_type(lua_State *L)
{
    lua_pushstring(L, key_type_name(csr_key_type(lcsr_checkkey(L, 1))));
    return 1;
}

static int lcsr_key_bits(lua_State *L)
{
    lua_pushinteger(L, csr_key_bits(lcsr_checkkey(L, 1)));
    return 1;
}

static int lcsr_key_curve(lua_State *L)
{
    const char *c = csr_curve_name(csr_key_curve(lcsr_checkkey(L, 1)));
    if (c == NULL)
        lua_pushnil(L);
    else
        lua_pushstring(L, c);
    return 1;
}

static int lcsr_key_is_private(lua_State *L)
{
    lua_pushboolean(L, csr_key_is_private(lcsr_checkkey(L, 1)));
    return 1;
}

static int lcsr_key_public(lua_State *L)
{
    csr_key *k = lcsr_checkkey(L, 1);
    lcsr_key_box *b = lcsr_key_newbox(L);
    csr_err err;
    if (csr_key_public(&b->k, k, &err) != CSR_OK)
        return lcsr_fail(L, "csr.key:public", &err);
    return 1;
}

static int lcsr_key_fingerprint(lua_State *L)
{
    char hex[65];
    csr_key_fingerprint(lcsr_checkkey(L, 1), hex);
    lua_pushstring(L, hex);
    return 1;
}

/* The export options {public =, passphrase =} at idx: *pub, and the passphrase or NULL. */
static const char *export_opts(lua_State *L, int idx, const csr_key *k, int *pub, size_t *plen)
{
    static const char *const allowed[] = {"public", "passphrase", NULL};
    const char *pass;

    lcsr_check_opts(L, idx, allowed);
    *pub = lcsr_opt_bool(L, idx, "public") == 1;
    pass = lcsr_opt_cstring(L, idx, "passphrase", plen);
    if (pass != NULL && (*pub || !csr_key_is_private(k)))
        luaL_argerror(L, idx, "a passphrase needs a private key export");
    return pass;
}

static int key_export(lua_State *L, int pem, const char *where)
{
    csr_key *k = lcsr_checkkey(L, 1);
    const char *pass;
    size_t plen = 0;
    int pub;
    csr_buf *b;
    csr_err err;

    pass = export_opts(L, 2, k, &pub, &plen);
    b = lcsr_newbuf(L, 1);
    if (csr_key_export(b, k, pub, pem, pass, plen, &err) != CSR_OK)
        return lcsr_fail(L, where, &err);
    lcsr_pushbuf(L, b);
    return 1;
}

static int lcsr_key_to_pem(lua_State *L) { return key_export(L, 1, "csr.key:to_pem"); }
static int lcsr_key_to_der(lua_State *L) { return key_export(L, 0, "csr.key:to_der"); }

/* Lua: key:write(path [, {public =, passphrase =}]) -> true | fail, msg, code */
static int lcsr_key_write(lua_State *L)
{
    csr_key *k = lcsr_checkkey(L, 1);
    const char *path = lcsr_checkcstring(L, 2, "path"), *pass;
    size_t plen = 0;
    int pub;
    csr_err err;

    pass = export_opts(L, 3, k, &pub, &plen);
    if (csr_key_write(k, path, pub, pass, plen, &err) != CSR_OK)
        return lcsr_fail(L, "csr.key:write", &err);
    lua_pushboolean(L, 1);
    return 1;
}

static const char *const sign_opts[] = {"digest", "padding", "format", "salt_len", NULL};

/* Lua: key:sign(data [, {digest =, padding =, format =, salt_len =}]) -> sig | fail, msg, code */
static int lcsr_key_sign(lua_State *L)
{
    csr_key *k = lcsr_checkkey(L, 1);
    size_t len;
    const char *msg = luaL_checklstring(L, 2, &len);
    csr_sig p;
    csr_buf *b;
    csr_err err;

    lcsr_check_opts(L, 3, sign_opts);
    lcsr_read_sig(L, 3, &p, 0);
    if (csr_sig_resolve(&p, k, &err) != CSR_OK)
        return lcsr_fail(L, "csr.key:sign", &err);
    b = lcsr_newbuf(L, 0);
    if (csr_key_sign(b, k, &p, (const uint8_t *)msg, len, &err) != CSR_OK)
        return lcsr_fail(L, "csr.key:sign", &err);
    lcsr_pushbuf(L, b);
    return 1;
}

/* Lua: key:verify(data, sig [, opts]) -> true | false, msg, code */
static int lcsr_key_verify(lua_State *L)
{
    csr_key *k = lcsr_checkkey(L, 1);
    size_t len, slen;
    const char *msg = luaL_checklstring(L, 2, &len);
    const char *sig = luaL_checklstring(L, 3, &slen);
    csr_sig p;
    csr_err err;

    lcsr_check_opts(L, 4, sign_opts);
    lcsr_read_sig(L, 4, &p, 1);
    if (csr_sig_resolve(&p, k, &err) != CSR_OK)
        return lcsr_false(L, "csr.key:verify", &err);
    if (csr_key_verify(k, &p, (const uint8_t *)msg, len, (const uint8_t *)sig, slen, &err)
        != CSR_OK)
        return lcsr_false(L, "csr.key:verify", &err);
    lua_pushboolean(L, 1);
    return 1;
}

static const luaL_Reg key_meta[] = {
    {"__gc", lcsr_key_close}, {"__close", lcsr_key_close},
    {"__tostring", lcsr_key_tostring}, {NULL, NULL}
};

static const luaL_Reg key_methods[] = {
    {"type", lcsr_key_type}, {"bits", lcsr_key_bits}, {"curve", lcsr_key_curve},
    {"is_private", lcsr_key_is_private}, {"public", lcsr_key_public},
    {"to_pem", lcsr_key_to_pem}, {"to_der", lcsr_key_to_der}, {"write", lcsr_key_write},
    {"fingerprint", lcsr_key_fingerprint}, {"sign", lcsr_key_sign},
    {"verify", lcsr_key_verify}, {"close", lcsr_key_close}, {NULL, NULL}
};

static const luaL_Reg key_funcs[] = {
    {"generate", lcsr_key_generate}, {"parse", lcsr_key_parse}, {NULL, NULL}
};

void lcsr_key_open(lua_State *L)
{
    lcsr_newclass(L, LCSR_KEY_MT, key_meta, key_methods);
    luaL_newlib(L, key_funcs);
}

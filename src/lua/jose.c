/* JOSE methods of csr.key (to_jwk, thumbprint, jws_alg, jws), csr.key.from_jwk, and the
 * csr.util table (base64url, digest, hmac, random). No wc_* here.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "lcsr.h"

/* Lua: key:to_jwk([{private = true}]) -> {kty =, crv =, x =, …} | fail, msg, code */
static int lcsr_key_to_jwk(lua_State *L)
{
    static const char *const allowed[] = {"private", NULL};
    csr_key *k = lcsr_checkkey(L, 1);
    csr_jwk j;
    csr_buf *b;
    csr_err err;
    size_t i;
    int priv;

    lcsr_check_opts(L, 2, allowed);
    priv = lcsr_opt_bool(L, 2, "private") == 1;
    b = lcsr_newbuf(L, priv);                              /* buf: wiped by its __gc */
    if (csr_key_to_jwk(&j, b, k, priv, &err) != CSR_OK)
        return lcsr_fail(L, "csr.key:to_jwk", &err);
    lua_createtable(L, 0, (int)j.n);                       /* buf t */
    for (i = 0; i < j.n; i++) {
        lua_pushlstring(L, j.m[i].val, j.m[i].len);
        lua_setfield(L, -2, j.m[i].name);
    }
    csr_buf_free(b);                                       /* wipe the private members now */
    return 1;
}

/* Lua: csr.key.from_jwk(t) -> key | fail, msg, code */
static int lcsr_key_from_jwk(lua_State *L)
{
    static const char *const names[] = {"kty", "crv", "n", "e", "d", "p", "q", "dp", "dq",
                                        "qi", "x", "y", "oth", NULL};
    csr_jwk_member m[13];
    size_t n = 0, i;
    lcsr_key_box *b;
    csr_err err;

    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    for (i = 0; names[i] != NULL; i++) {
        lua_getfield(L, 1, names[i]);                      /* t … v (kept: anchors the text) */
        if (lua_isnil(L, -1))
            continue;
        if (strcmp(names[i], "oth") != 0 && lua_type(L, -1) != LUA_TSTRING) {
            csr_err_set(&err, CSR_E_INVALID, "member '%s' must be a string, not %s", names[i],
                        luaL_typename(L, -1));
            return lcsr_fail(L, "csr.key.from_jwk", &err);
        }
        m[n].name = names[i];
        m[n].val = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &m[n].len) : "";
        if (lua_type(L, -1) != LUA_TSTRING)
            m[n].len = 0;
        n++;
    }
    b = lcsr_key_newbox(L);
    if (csr_key_from_jwk(&b->k, m, n, &err) != CSR_OK)
        return lcsr_fail(L, "csr.key.from_jwk", &err);
    return 1;
}

/* Lua: key:thumbprint() -> RFC 7638 thumbprint (base64url) */
static int lcsr_key_thumbprint(lua_State *L)
{
    char t[44];
    csr_err err;
    if (csr_key_thumbprint(t, lcsr_checkkey(L, 1), &err) != CSR_OK)
        return lcsr_fail(L, "csr.key:thumbprint", &err);
    lua_pushstring(L, t);
    return 1;
}

/* Lua: key:jws_alg() -> "RS256" | "PS256" | "PS384" | "PS512" | "ES256" | "ES384" | "ES512" |
 * "EdDSA" | fail, msg, code (an RSA-PSS key no PS* fits) */
static int lcsr_key_jws_alg(lua_State *L)
{
    csr_err err;
    const char *alg = csr_jws_alg(lcsr_checkkey(L, 1), &err);
    if (alg == NULL)
        return lcsr_fail(L, "csr.key:jws_alg", &err);
    lua_pushstring(L, alg);
    return 1;
}

/* Lua: key:jws(protected_json, payload) -> flattened JWS JSON | fail, msg, code */
static int lcsr_key_jws(lua_State *L)
{
    csr_key *k = lcsr_checkkey(L, 1);
    size_t plen, len;
    const char *prot = luaL_checklstring(L, 2, &plen);
    const char *payload = luaL_checklstring(L, 3, &len);
    csr_buf *b;
    csr_err err;

    b = lcsr_newbuf(L, 0);
    if (csr_jws_sign(b, k, (const uint8_t *)prot, plen, (const uint8_t *)payload, len, &err)
        != CSR_OK)
        return lcsr_fail(L, "csr.key:jws", &err);
    lcsr_pushbuf(L, b);
    return 1;
}

static const luaL_Reg jose_methods[] = {
    {"to_jwk", lcsr_key_to_jwk}, {"thumbprint", lcsr_key_thumbprint},
    {"jws_alg", lcsr_key_jws_alg}, {"jws", lcsr_key_jws}, {NULL, NULL}
};

void lcsr_jose_open(lua_State *L)
{
    lcsr_addmethods(L, LCSR_KEY_MT, jose_methods);
    lua_pushcfunction(L, lcsr_key_from_jwk);               /* key from_jwk */
    lua_setfield(L, -2, "from_jwk");
}

/* ---- csr.util ---- */

/* Lua: csr.util.base64url_encode(s) -> text without padding */
static int lcsr_util_b64url_encode(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    csr_buf *b = lcsr_newbuf(L, 0);
    if (csr_b64url_encode(b, (const uint8_t *)s, len) != CSR_OK)
        luaL_error(L, "csr: out of memory");
    lcsr_pushbuf(L, b);
    return 1;
}

/* Lua: csr.util.base64url_decode(s) -> bytes | fail, msg, code (strict) */
static int lcsr_util_b64url_decode(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    csr_buf *b = lcsr_newbuf(L, 0);
    csr_err err;
    if (csr_b64url_decode(b, (const uint8_t *)s, len, &err) != CSR_OK)
        return lcsr_fail(L, "csr.util.base64url_decode", &err);
    lcsr_pushbuf(L, b);
    return 1;
}

/* digest() also takes sha1 and sha224 (fingerprints, key identifiers); hmac() the first three */
static const char *const md_names[] = {"sha256", "sha384", "sha512", "sha1", "sha224", NULL};
static const char *const hmac_names[] = {"sha256", "sha384", "sha512", NULL};
static const int md_codes[] = {CSR_MD_SHA256, CSR_MD_SHA384, CSR_MD_SHA512, CSR_MD_SHA1,
                               CSR_MD_SHA224};

/* Lua: csr.util.digest(name, data) -> raw digest */
static int lcsr_util_digest(lua_State *L)
{
    int md = md_codes[luaL_checkoption(L, 1, NULL, md_names)];
    size_t len;
    const char *data = luaL_checklstring(L, 2, &len);
    uint8_t out[64];
    if (csr_md_hash(md, (const uint8_t *)data, len, out) != CSR_OK)
        return luaL_error(L, "csr: hashing failed");
    lua_pushlstring(L, (const char *)out, (size_t)csr_md_size(md));
    return 1;
}

/* Lua: csr.util.hmac(name, key, data) -> raw MAC */
static int lcsr_util_hmac(lua_State *L)
{
    int md = md_codes[luaL_checkoption(L, 1, NULL, hmac_names)];
    size_t klen, len;
    const char *key = luaL_checklstring(L, 2, &klen);
    const char *data = luaL_checklstring(L, 3, &len);
    uint8_t out[64];
    csr_err err;
    if (csr_hmac(out, md, (const uint8_t *)key, klen, (const uint8_t *)data, len, &err) != CSR_OK)
        return lcsr_fail(L, "csr.util.hmac", &err);
    lua_pushlstring(L, (const char *)out, (size_t)csr_md_size(md));
    csr_wipe(out, sizeof out);
    return 1;
}

#define LCSR_RANDOM_MAX (1 << 20)

/* Lua: csr.util.random(n) -> n random bytes (0 <= n <= 1 MiB) */
static int lcsr_util_random(lua_State *L)
{
    lua_Integer n = luaL_checkinteger(L, 1);
    csr_buf *b;
    csr_err err;

    luaL_argcheck(L, n >= 0 && n <= LCSR_RANDOM_MAX, 1, "must be 0 .. 1048576");
    b = lcsr_newbuf(L, 1);
    if (csr_buf_reserve(b, (size_t)n + 1) != CSR_OK)
        return luaL_error(L, "csr: out of memory");
    if (csr_random(b->p, (size_t)n, &err) != CSR_OK)
        return lcsr_fail(L, "csr.util.random", &err);
    b->len = (size_t)n;
    lcsr_pushbuf(L, b);
    return 1;
}

static const luaL_Reg util_funcs[] = {
    {"base64url_encode", lcsr_util_b64url_encode}, {"base64url_decode", lcsr_util_b64url_decode},
    {"digest", lcsr_util_digest}, {"hmac", lcsr_util_hmac}, {"random", lcsr_util_random},
    {NULL, NULL}
};

void lcsr_util_open(lua_State *L)
{
    luaL_newlib(L, util_funcs);
}

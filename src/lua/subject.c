/* csr.subject: distinguished names (new from RFC 4514 / slash text / table, entries, get,
 * add, to_der, count, tostring, ==).
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "lcsr.h"

lcsr_subject_box *lcsr_subject_newbox(lua_State *L)
{
    return (lcsr_subject_box *)lcsr_newbox(L, sizeof(lcsr_subject_box), LCSR_SUBJECT_MT);
}

csr_name *lcsr_checksubject(lua_State *L, int idx)
{
    return (csr_name *)lcsr_checkbox(L, idx, LCSR_SUBJECT_MT);
}

/* Checks one {attr, value} pair at t[-1]; raises on wrong types. */
static void check_pair(lua_State *L, int arg, int i, int j)
{
    int k;
    if (lua_type(L, -1) != LUA_TTABLE)
        luaL_argerror(L, arg, lua_pushfstring(L, "entry %d%s must be an {attr, value} pair", i,
                                              j ? lua_pushfstring(L, ".%d", j) : ""));
    for (k = 1; k <= 2; k++) {
        lua_rawgeti(L, -1, k);
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_argerror(L, arg, lua_pushfstring(L, "entry %d%s: %s must be a string", i,
                                                  j ? lua_pushfstring(L, ".%d", j) : "",
                                                  k == 1 ? "attribute" : "value"));
        if (k == 1)
            (void)lcsr_tocstring(L, -1, arg, "attribute name");
        lua_pop(L, 1);
    }
}

/* Validates the table's shape (types only) before anything is allocated. */
static void check_table(lua_State *L, int idx)
{
    size_t i, j, n = lua_rawlen(L, idx), m;
    for (i = 1; i <= n; i++) {
        lua_rawgeti(L, idx, (int)i);                        /* e */
        if (lua_type(L, -1) != LUA_TTABLE)
            luaL_argerror(L, idx, lua_pushfstring(L, "entry %d must be a table", (int)i));
        lua_rawgeti(L, -1, 1);                              /* e e[1] */
        if (lua_type(L, -1) == LUA_TTABLE) {                /* multi-valued RDN */
            lua_pop(L, 1);
            m = lua_rawlen(L, -1);
            if (m == 0)
                luaL_argerror(L, idx, lua_pushfstring(L, "entry %d is empty", (int)i));
            for (j = 1; j <= m; j++) {
                lua_rawgeti(L, -1, (int)j);                 /* e pair */
                check_pair(L, idx, (int)i, (int)j);
                lua_pop(L, 1);
            }
        } else {
            lua_pop(L, 1);
            check_pair(L, idx, (int)i, 0);
        }
        lua_pop(L, 1);
    }
}

static int add_pair(lua_State *L, csr_name *n, int new_rdn, csr_err *err)
{
    const char *attr, *val;
    size_t vlen;
    int rc;
    lua_rawgeti(L, -1, 1);
    lua_rawgeti(L, -2, 2);                     /* pair attr val */
    attr = lua_tostring(L, -2);
    val = lua_tolstring(L, -1, &vlen);
    rc = csr_name_add(n, attr, (const uint8_t *)val, vlen, new_rdn, err);
    lua_pop(L, 2);
    return rc;
}

static int build_table(lua_State *L, int idx, csr_name *n, csr_err *err)
{
    size_t i, j, cnt = lua_rawlen(L, idx), m;
    int rc = CSR_OK;
    for (i = 1; rc == CSR_OK && i <= cnt; i++) {
        lua_rawgeti(L, idx, (int)i);                        /* e */
        lua_rawgeti(L, -1, 1);
        if (lua_type(L, -1) == LUA_TTABLE) {
            lua_pop(L, 1);
            m = lua_rawlen(L, -1);
            for (j = 1; rc == CSR_OK && j <= m; j++) {
                lua_rawgeti(L, -1, (int)j);                 /* e pair */
                rc = add_pair(L, n, j == 1, err);
                lua_pop(L, 1);
            }
        } else {
            lua_pop(L, 1);
            rc = add_pair(L, n, 1, err);
        }
        lua_pop(L, 1);
    }
    return rc;
}

/* see lcsr.h */
csr_name *lcsr_tosubject(lua_State *L, int idx, const char *where, int *nret)
{
    lcsr_subject_box *b;
    csr_name *src = NULL;
    csr_err err;
    int rc, t;

    idx = lua_absindex(L, idx);
    t = lua_type(L, idx);
    if (t == LUA_TUSERDATA)
        src = lcsr_checksubject(L, idx);
    else if (t == LUA_TTABLE)
        check_table(L, idx);
    else if (t != LUA_TSTRING)
        luaL_argerror(L, idx, lua_pushfstring(L, "csr.subject, string or table expected, got %s",
                                              luaL_typename(L, idx)));
    *nret = 0;
    b = lcsr_subject_newbox(L);                /* box before alloc: a raise must not leak */
    memset(&err, 0, sizeof err);
    if (src != NULL) {
        rc = csr_name_dup(&b->n, src, &err);
    } else if (t == LUA_TSTRING) {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        rc = csr_name_parse_text(&b->n, s, len, &err);
    } else {
        rc = csr_name_new(&b->n, &err);
        if (rc == CSR_OK)
            rc = build_table(L, idx, b->n, &err);
    }
    if (rc != CSR_OK) {
        csr_name_free(b->n);
        b->n = NULL;
        lua_pop(L, 1);
        *nret = lcsr_fail(L, where, &err);
        return NULL;
    }
    return b->n;
}

/* Lua: csr.subject.new(spec) -> subject | fail, msg, code */
static int lsub_new(lua_State *L)
{
    int nret;
    lua_settop(L, 1);
    if (lcsr_tosubject(L, 1, "csr.subject.new", &nret) == NULL)
        return nret;
    return 1;
}

/* Lua: csr.subject.parse_der(der) -> subject | fail, msg, code */
static int lsub_parse_der(lua_State *L)
{
    size_t len;
    const char *der = luaL_checklstring(L, 1, &len);
    lcsr_subject_box *b = lcsr_subject_newbox(L);
    csr_err err;
    if (csr_name_from_der(&b->n, (const uint8_t *)der, len, 0, &err) != CSR_OK)
        return lcsr_fail(L, "csr.subject.parse_der", &err);
    return 1;
}

static int lsub_close(lua_State *L)
{
    csr_name_free((csr_name *)lcsr_takebox(L, 1, LCSR_SUBJECT_MT));
    return 0;
}

static void push_hex_tlv(lua_State *L, const csr_name *n, size_t i, size_t j)
{
    static const char hx[] = "0123456789abcdef";
    const uint8_t *tlv;
    size_t len, k;
    luaL_Buffer B;
    (void)csr_name_get_tlv(n, i, j, &tlv, &len);
    luaL_buffinit(L, &B);
    luaL_addchar(&B, '#');
    for (k = 0; k < len; k++) {
        luaL_addchar(&B, hx[tlv[k] >> 4]);
        luaL_addchar(&B, hx[tlv[k] & 15]);
    }
    luaL_pushresult(&B);
}

/* Pushes {attr, value} for member j of RDN i; non-text values as "#hex" of the TLV. */
static void push_pair(lua_State *L, const csr_name *n, size_t i, size_t j)
{
    const char *attr;
    const uint8_t *val;
    size_t len;
    int tag;
    int text = csr_name_get(n, i, j, &attr, &val, &len, &tag);
    lua_createtable(L, 2, 0);                  /* pair */
    lua_pushstring(L, attr);
    lua_rawseti(L, -2, 1);
    if (text == 1)
        lua_pushlstring(L, (const char *)val, len);
    else
        push_hex_tlv(L, n, i, j);
    lua_rawseti(L, -2, 2);
}

/* Lua: s:entries() -> { {attr, value} | { {attr, value}, … }, … } in DER order */
static int lsub_entries(lua_State *L)
{
    csr_name *n = lcsr_checksubject(L, 1);
    size_t i, j, nr = csr_name_rdn_count(n), m;
    lua_createtable(L, (int)nr, 0);            /* t */
    for (i = 0; i < nr; i++) {
        m = csr_name_rdn_size(n, i);
        if (m == 1) {
            push_pair(L, n, i, 0);             /* t pair */
        } else {
            lua_createtable(L, (int)m, 0);     /* t rdn */
            for (j = 0; j < m; j++) {
                push_pair(L, n, i, j);         /* t rdn pair */
                lua_rawseti(L, -2, (int)j + 1);
            }
        }
        lua_rawseti(L, -2, (int)i + 1);        /* t */
    }
    return 1;
}

/* Lua: s:get(attr) -> first value | nil (attr: name or dotted OID; unknown name raises) */
static int lsub_get(lua_State *L)
{
    csr_name *n = lcsr_checksubject(L, 1);
    const char *attr = lcsr_checkcstring(L, 2, "attribute name");
    const char *want = csr_oid_from_name(CSR_OID_ATTR, attr);
    size_t i, j, nr = csr_name_rdn_count(n);
    if (want == NULL) {
        size_t k;
        int ok = attr[0] >= '0' && attr[0] <= '9';
        for (k = 0; attr[k]; k++)
            if (!((attr[k] >= '0' && attr[k] <= '9') || attr[k] == '.'))
                ok = 0;
        if (!ok)
            return luaL_argerror(L, 2, lua_pushfstring(L, "unknown attribute '%s'", attr));
        want = attr;
    }
    for (i = 0; i < nr; i++)
        for (j = 0; j < csr_name_rdn_size(n, i); j++) {
            const char *oid = csr_name_get_oid(n, i, j);
            if (oid != NULL && strcmp(oid, want) == 0) {
                push_pair(L, n, i, j);
                lua_rawgeti(L, -1, 2);
                return 1;
            }
        }
    lua_pushnil(L);
    return 1;
}

/* Lua: s:add(attr, value) -> s | fail, msg, code (a new RDN at the end) */
static int lsub_add(lua_State *L)
{
    csr_name *n = lcsr_checksubject(L, 1);
    const char *attr = lcsr_checkcstring(L, 2, "attribute name");
    size_t len;
    const char *val;
    csr_err err;
    luaL_checktype(L, 3, LUA_TSTRING);
    val = lua_tolstring(L, 3, &len);
    if (csr_name_add(n, attr, (const uint8_t *)val, len, 1, &err) != CSR_OK)
        return lcsr_fail(L, "csr.subject:add", &err);
    lua_settop(L, 1);
    return 1;
}

/* Lua: s:to_der() -> Name DER */
static int lsub_to_der(lua_State *L)
{
    csr_name *n = lcsr_checksubject(L, 1);
    csr_buf *b = lcsr_newbuf(L, 0);
    if (csr_name_to_der(b, n) != CSR_OK)
        return luaL_error(L, "csr: out of memory");
    lcsr_pushbuf(L, b);
    return 1;
}

/* Lua: s:count() -> number of RDNs */
static int lsub_count(lua_State *L)
{
    csr_name *n = lcsr_checksubject(L, 1);
    lua_pushinteger(L, (lua_Integer)csr_name_rdn_count(n));
    return 1;
}

/* Lua: tostring(s) -> RFC 4514 text */
static int lsub_tostring(lua_State *L)
{
    lcsr_subject_box *bx = (lcsr_subject_box *)luaL_checkudata(L, 1, LCSR_SUBJECT_MT);
    csr_buf *b;
    if (bx->n == NULL) {
        lua_pushliteral(L, "csr.subject (closed)");
        return 1;
    }
    b = lcsr_newbuf(L, 0);
    if (csr_name_to_text(b, bx->n) != CSR_OK)
        return luaL_error(L, "csr: out of memory");
    lcsr_pushbuf(L, b);
    return 1;
}

/* see lcsr.h */
void lcsr_push_name_text(lua_State *L, const csr_name *n)
{
    csr_buf *t = lcsr_newbuf(L, 0);            /* buf */
    if (n == NULL || csr_name_to_text(t, n) != CSR_OK || t->err)
        csr_buf_free(t);
    if (t->len == 0)
        csr_buf_put(t, "empty subject", 13);
    lcsr_pushbuf(L, t);                        /* text */
}

/* Lua: s1 == s2 -> same DER; false against anything that is not a csr.subject (Lua 5.1 and
 * LuaJIT call __eq for any two userdata with the same __eq) */
static int lsub_eq(lua_State *L)
{
    lcsr_subject_box *a = (lcsr_subject_box *)luaL_testudata(L, 1, LCSR_SUBJECT_MT);
    lcsr_subject_box *b = (lcsr_subject_box *)luaL_testudata(L, 2, LCSR_SUBJECT_MT);
    if (a == NULL || b == NULL) {
        lua_pushboolean(L, 0);
        return 1;
    }
    lua_pushboolean(L, csr_name_equal(lcsr_checksubject(L, 1), lcsr_checksubject(L, 2)));
    return 1;
}

static int lsub_len(lua_State *L)
{
    return lsub_count(L);
}

static const luaL_Reg sub_meta[] = {
    {"__gc", lsub_close}, {"__close", lsub_close}, {"__tostring", lsub_tostring},
    {"__eq", lsub_eq}, {"__len", lsub_len}, {NULL, NULL}
};
static const luaL_Reg sub_methods[] = {
    {"entries", lsub_entries}, {"get", lsub_get}, {"add", lsub_add}, {"to_der", lsub_to_der},
    {"count", lsub_count}, {"close", lsub_close}, {NULL, NULL}
};
static const luaL_Reg sub_funcs[] = {
    {"new", lsub_new}, {"parse_der", lsub_parse_der}, {NULL, NULL}
};

void lcsr_subject_open(lua_State *L)
{
    lcsr_newclass(L, LCSR_SUBJECT_MT, sub_meta, sub_methods);
    luaL_newlib(L, sub_funcs);
}

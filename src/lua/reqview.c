/* csr.request.parse and the receiving-side methods of csr.request: verify, matches and
 * every accessor (README "Receiving requests"). Registered by request.c; the accessors of
 * lcsr_view_methods also serve csr.certificate (cert.c), through the request-shaped view.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "lcsr.h"

/* Lua: csr.request.parse(pem_or_der) -> request | fail, msg, code */
int lcsr_req_parse(lua_State *L)
{
    size_t len;
    const char *in = luaL_checklstring(L, 1, &len);
    lcsr_req_box *box;
    csr_err err;
    csr_req *r = NULL;

    box = lcsr_req_newbox(L);
    memset(&err, 0, sizeof err);
    if (csr_req_parse(&r, (const uint8_t *)in, len, &err) != CSR_OK)
        return lcsr_fail(L, "csr.request.parse", &err);
    box->r = r;
    return 1;
}

/* The message prefix for a shared accessor: the request's or the certificate's. */
static const char *where(lua_State *L, const char *req, const char *cert)
{
    return luaL_testudata(L, 1, LCSR_CERT_MT) != NULL ? cert : req;
}

/* Lua: req:verify() -> true | false, msg, code (BAD_SIGNATURE, UNSUPPORTED, NOT_SIGNED) */
static int m_verify(lua_State *L)
{
    csr_req *r = lcsr_checkreq(L, 1);
    csr_err err;
    memset(&err, 0, sizeof err);
    if (csr_req_verify(r, &err) != CSR_OK)
        return lcsr_false(L, "csr.request:verify", &err);
    lua_pushboolean(L, 1);
    return 1;
}

/* Lua: req:matches(key) -> boolean */
static int m_matches(lua_State *L)
{
    const csr_req *r = lcsr_checkview(L, 1);
    csr_key *k = lcsr_checkkey(L, 2);
    lua_pushboolean(L, csr_req_matches(r, k) == 1);
    return 1;
}

int lcsr_push_name_copy(lua_State *L, const csr_name *n, const char *what)
{
    lcsr_subject_box *b = lcsr_subject_newbox(L);
    csr_err err;
    memset(&err, 0, sizeof err);
    if (n == NULL)
        return luaL_error(L, "%s: request has no subject", what);
    if (csr_name_dup(&b->n, n, &err) != CSR_OK) {
        b->n = NULL;
        return lcsr_fail(L, what, &err);
    }
    return 1;
}

/* Lua: req:subject() -> csr.subject (a copy) */
static int m_subject(lua_State *L)
{
    const csr_req *r = lcsr_checkview(L, 1);
    return lcsr_push_name_copy(L, csr_req_subject(r),
                               where(L, "csr.request:subject", "csr.certificate:subject"));
}

/* Lua: req:public_key() -> csr.key (public) | fail, msg, code (UNSUPPORTED) */
static int m_public_key(lua_State *L)
{
    const csr_req *r = lcsr_checkview(L, 1);
    lcsr_key_box *b = lcsr_key_newbox(L);
    csr_err err;
    memset(&err, 0, sizeof err);
    if (csr_req_public_key(&b->k, r, &err) != CSR_OK) {
        b->k = NULL;
        return lcsr_fail(L, where(L, "csr.request:public_key", "csr.certificate:public_key"), &err);
    }
    return 1;
}

/* Lua: req:version() -> 0 */
static int m_version(lua_State *L)
{
    lua_pushinteger(L, csr_req_version(lcsr_checkreq(L, 1)));
    return 1;
}

/* Lua: req:signature_algorithm() -> "ecdsa-with-SHA256" | … | dotted OID | nil (unsigned) */
static int m_signature_algorithm(lua_State *L)
{
    const char *s = csr_req_sigalg_name(lcsr_checkreq(L, 1));
    if (s == NULL)
        lua_pushnil(L);
    else
        lua_pushstring(L, s);
    return 1;
}

/* t[key] (a list at the top-relative index), creating it; appends the value on top. */
static void append_to(lua_State *L, int t, const char *key)
{
    int n;
    lua_getfield(L, t, key);                       /* v list? */
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, t, key);                   /* v list */
    }
    n = (int)lua_rawlen(L, -1);
    lua_pushvalue(L, -2);                          /* v list v */
    lua_rawseti(L, -2, n + 1);                     /* v list */
    lua_pop(L, 2);
}

/* Lua: req:san() -> {dns=, ip=, email=, uri=, other_name={{oid=, value=}}, rid=, dir_name=}
 * (only the lists that have entries; {} without a SAN extension) */
static int m_san(lua_State *L)
{
    const csr_req *r = lcsr_checkview(L, 1);
    size_t i, n = csr_req_san_count(r);
    int t;

    lua_newtable(L);
    t = lua_gettop(L);
    for (i = 0; i < n; i++) {
        int type;
        const uint8_t *val;
        size_t len;
        const char *oid;
        if (csr_req_san_get(r, i, &type, &val, &len, &oid) != CSR_OK)
            continue;
        switch (type) {
        case CSR_SAN_DNS:
            lua_pushlstring(L, (const char *)val, len);
            append_to(L, t, "dns");
            break;
        case CSR_SAN_EMAIL:
            lua_pushlstring(L, (const char *)val, len);
            append_to(L, t, "email");
            break;
        case CSR_SAN_URI:
            lua_pushlstring(L, (const char *)val, len);
            append_to(L, t, "uri");
            break;
        case CSR_SAN_IP: {
            char ip[64];
            if (csr_ip_format(ip, sizeof ip, val, len) != CSR_OK)
                lua_pushlstring(L, (const char *)val, len);
            else
                lua_pushstring(L, ip);
            append_to(L, t, "ip");
            break;
        }
        case CSR_SAN_RID:
            lua_pushstring(L, oid);
            append_to(L, t, "rid");
            break;
        case CSR_SAN_OTHER:
            lua_createtable(L, 0, 2);
            lua_pushstring(L, oid);
            lua_setfield(L, -2, "oid");
            lua_pushlstring(L, (const char *)val, len);
            lua_setfield(L, -2, "value");
            append_to(L, t, "other_name");
            break;
        case CSR_SAN_DIR: {
            lcsr_subject_box *b = lcsr_subject_newbox(L);
            csr_err err;
            memset(&err, 0, sizeof err);
            if (csr_name_from_der(&b->n, val, len, 0, &err) != CSR_OK) {
                b->n = NULL;
                return lcsr_fail(L, where(L, "csr.request:san", "csr.certificate:san"), &err);
            }
            append_to(L, t, "dir_name");
            break;
        }
        default:
            break;
        }
    }
    return 1;
}

/* Lua: req:key_usage() -> {"digitalSignature", …} | nil */
static int m_key_usage(lua_State *L)
{
    const csr_req *r = lcsr_checkview(L, 1);
    unsigned bits;
    int i, n = 0;
    if (!csr_req_key_usage(r, &bits)) {
        lua_pushnil(L);
        return 1;
    }
    lua_newtable(L);
    for (i = 0; i < 9; i++)
        if (bits & (1u << i)) {
            lua_pushstring(L, csr_ku_name(i));
            lua_rawseti(L, -2, ++n);
        }
    return 1;
}

/* Lua: req:extended_key_usage() -> {"serverAuth", "1.2.3.4", …} | nil */
static int m_extended_key_usage(lua_State *L)
{
    const csr_req *r = lcsr_checkview(L, 1);
    size_t i, n = csr_req_eku_count(r);
    if (!csr_req_has_eku(r)) {
        lua_pushnil(L);
        return 1;
    }
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        lua_pushstring(L, csr_req_eku_get(r, i));
        lua_rawseti(L, -2, (int)i + 1);
    }
    return 1;
}

/* Lua: req:basic_constraints() -> {ca = bool [, pathlen = n]} | nil */
static int m_basic_constraints(lua_State *L)
{
    const csr_req *r = lcsr_checkview(L, 1);
    int ca, pathlen;
    if (!csr_req_basic_constraints(r, &ca, &pathlen)) {
        lua_pushnil(L);
        return 1;
    }
    lua_createtable(L, 0, 2);
    lua_pushboolean(L, ca);
    lua_setfield(L, -2, "ca");
    if (pathlen >= 0) {
        lua_pushinteger(L, pathlen);
        lua_setfield(L, -2, "pathlen");
    }
    return 1;
}

/* Lua: req:must_staple() -> boolean */
static int m_must_staple(lua_State *L)
{
    lua_pushboolean(L, csr_req_must_staple(lcsr_checkview(L, 1)) == 1);
    return 1;
}

static int push_opt_bytes(lua_State *L, const uint8_t *p, size_t len)
{
    if (p == NULL)
        lua_pushnil(L);
    else
        lua_pushlstring(L, (const char *)p, len);
    return 1;
}

/* Lua: req:challenge_password() -> string | nil */
static int m_challenge_password(lua_State *L)
{
    size_t len;
    const uint8_t *p = csr_req_challenge(lcsr_checkreq(L, 1), &len);
    return push_opt_bytes(L, p, len);
}

/* Lua: req:unstructured_name() -> string | nil */
static int m_unstructured_name(lua_State *L)
{
    size_t len;
    const uint8_t *p = csr_req_unstructured(lcsr_checkreq(L, 1), &len);
    return push_opt_bytes(L, p, len);
}

/* Lua: req:attributes() -> {{oid =, name = (known ones), values = {der, …}}, …} */
static int m_attributes(lua_State *L)
{
    csr_req *r = lcsr_checkreq(L, 1);
    size_t i, n = csr_req_attr_count(r);
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        const csr_attr_view *a = csr_req_attr_get(r, i);
        const uint8_t *v;
        size_t vlen, j = 0;
        lua_createtable(L, 0, 3);
        lua_pushstring(L, a->oid);
        lua_setfield(L, -2, "oid");
        if (a->name != NULL) {
            lua_pushstring(L, a->name);
            lua_setfield(L, -2, "name");
        }
        lua_newtable(L);
        while (csr_attr_value(a, j, &v, &vlen)) {
            lua_pushlstring(L, (const char *)v, vlen);
            lua_rawseti(L, -2, (int)++j);
        }
        lua_setfield(L, -2, "values");
        lua_rawseti(L, -2, (int)i + 1);
    }
    return 1;
}

/* Lua: req:extensions() -> {{oid =, name =, critical =, value = der}, …} */
static int m_extensions(lua_State *L)
{
    const csr_req *r = lcsr_checkview(L, 1);
    size_t i, n = csr_req_ext_count(r);
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        const csr_ext_view *e = csr_req_ext_get(r, i);
        lua_createtable(L, 0, 4);
        lua_pushstring(L, e->oid);
        lua_setfield(L, -2, "oid");
        if (e->name != NULL) {
            lua_pushstring(L, e->name);
            lua_setfield(L, -2, "name");
        }
        lua_pushboolean(L, e->critical);
        lua_setfield(L, -2, "critical");
        lua_pushlstring(L, (const char *)e->value, e->len);
        lua_setfield(L, -2, "value");
        lua_rawseti(L, -2, (int)i + 1);
    }
    return 1;
}

/* Lua: req:text() -> string (like `openssl req -text -noout`) */
static int m_text(lua_State *L)
{
    csr_req *r = lcsr_checkreq(L, 1);
    csr_buf *b = lcsr_newbuf(L, 0);
    csr_err err;
    memset(&err, 0, sizeof err);
    if (csr_req_text(b, r, &err) != CSR_OK)
        return lcsr_fail(L, "csr.request:text", &err);
    lcsr_pushbuf(L, b);
    return 1;
}

const luaL_Reg lcsr_reqview_methods[] = {
    {"verify", m_verify},
    {"version", m_version},
    {"signature_algorithm", m_signature_algorithm},
    {"challenge_password", m_challenge_password},
    {"unstructured_name", m_unstructured_name},
    {"attributes", m_attributes},
    {"text", m_text},
    {NULL, NULL}
};

const luaL_Reg lcsr_view_methods[] = {
    {"matches", m_matches},
    {"subject", m_subject},
    {"public_key", m_public_key},
    {"san", m_san},
    {"key_usage", m_key_usage},
    {"extended_key_usage", m_extended_key_usage},
    {"basic_constraints", m_basic_constraints},
    {"must_staple", m_must_staple},
    {"extensions", m_extensions},
    {NULL, NULL}
};

/* csr.request: the object (box, close, tostring), its constructors csr.request.new and
 * csr.request.parse, req:sign, the encodings, req:verify and every accessor (README
 * "Receiving requests"). Its option tables (csr.request.new, and the csr.generate one-shot)
 * are in reqopts.c. The accessors of lcsr_req_view_methods also serve csr.certificate
 * (cert.c), through the request-shaped view.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "lcsr.h"

#define ARG_OPTS 1

/* ---- the box ---- */

lcsr_req_box *lcsr_req_newbox(lua_State *L)
{
    return (lcsr_req_box *)lcsr_newbox(L, sizeof(lcsr_req_box), LCSR_REQ_MT);
}

csr_req *lcsr_checkreq(lua_State *L, int idx)
{
    return (csr_req *)lcsr_checkbox(L, idx, LCSR_REQ_MT);
}

static const char *const new_keys[] = {
    "subject", "key", "san", "key_usage", "extended_key_usage", "basic_constraints",
    "must_staple", "challenge_password", "unstructured_name", "extensions", NULL
};

/* Lua: csr.request.new{subject=, key=, san=, …} -> request | fail, msg, code */
static int lcsr_req_new(lua_State *L)
{
    csr_req_spec spec;
    lcsr_req_box *b;
    csr_err err;
    const char *empty;
    int nret;

    luaL_checktype(L, ARG_OPTS, LUA_TTABLE);
    lcsr_check_opts(L, ARG_OPTS, new_keys);
    empty = lcsr_req_read_spec(L, ARG_OPTS, &spec);
    spec.key = lcsr_req_opt_key(L, ARG_OPTS, 1);
    if ((nret = lcsr_req_opt_subject(L, ARG_OPTS, "csr.request.new", &spec)) != 0 ||
        (nret = lcsr_req_check_empty(L, empty, "csr.request.new")) != 0)
        return nret;
    b = lcsr_req_newbox(L);
    if (csr_req_build(&b->r, &spec, &err) != CSR_OK)
        return lcsr_fail(L, "csr.request.new", &err);
    return 1;
}

/* Lua: csr.request.parse(pem_or_der) -> request | fail, msg, code */
static int lcsr_req_parse(lua_State *L)
{
    size_t len;
    const char *in = luaL_checklstring(L, 1, &len);
    lcsr_req_box *box = lcsr_req_newbox(L);
    csr_err err;
    memset(&err, 0, sizeof err);
    if (csr_req_parse(&box->r, (const uint8_t *)in, len, &err) != CSR_OK)
        return lcsr_fail(L, "csr.request.parse", &err);
    return 1;
}

/* Lua: req:sign(key, {digest = "sha384", padding = "pss"}) -> true | fail, msg, code */
static int lcsr_req_sign(lua_State *L)
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
static int lcsr_req_to_pem(lua_State *L)
{
    csr_req *r = lcsr_checkreq(L, 1);
    csr_buf *b = lcsr_newbuf(L, 0);
    csr_err err;
    return lcsr_buf_result(L, b, csr_req_pem(b, r, &err), "csr.request:to_pem", &err);
}

/* Lua: req:to_der() -> string | fail, msg, code (NOT_SIGNED) */
static int lcsr_req_to_der(lua_State *L)
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
static int lcsr_req_is_signed(lua_State *L)
{
    lua_pushboolean(L, csr_req_is_signed(lcsr_checkreq(L, 1)) == 1);
    return 1;
}

/* __gc, __close and req:close() */
static int lcsr_req_close(lua_State *L)
{
    csr_req_free((csr_req *)lcsr_takebox(L, 1, LCSR_REQ_MT));
    return 0;
}

/* "csr.request (CN=www.example.com, signed)" */
static int lcsr_req_tostring(lua_State *L)
{
    lcsr_req_box *b = (lcsr_req_box *)luaL_checkudata(L, 1, LCSR_REQ_MT);
    if (b->r == NULL) {
        lua_pushliteral(L, "csr.request (closed)");
        return 1;
    }
    lua_pushliteral(L, "csr.request (");
    lcsr_push_name_text(L, csr_req_subject(b->r));
    lua_pushstring(L, csr_req_is_signed(b->r) == 1 ? ", signed)" : ", unsigned)");
    lua_concat(L, 3);
    return 1;
}

/* ---- receiving: verify and the accessors ---- */

/* The message prefix for a shared accessor: the request's or the certificate's. */
static const char *where(lua_State *L, const char *req, const char *cert)
{
    return luaL_testudata(L, 1, LCSR_CERT_MT) != NULL ? cert : req;
}

/* Lua: req:verify() -> true | false, msg, code (BAD_SIGNATURE, UNSUPPORTED, NOT_SIGNED) */
static int lcsr_req_verify(lua_State *L)
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
static int lcsr_req_matches(lua_State *L)
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
static int lcsr_req_subject(lua_State *L)
{
    const csr_req *r = lcsr_checkview(L, 1);
    return lcsr_push_name_copy(L, csr_req_subject(r),
                               where(L, "csr.request:subject", "csr.certificate:subject"));
}

/* Lua: req:public_key() -> csr.key (public) | fail, msg, code (UNSUPPORTED) */
static int lcsr_req_public_key(lua_State *L)
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
static int lcsr_req_version(lua_State *L)
{
    lua_pushinteger(L, csr_req_version(lcsr_checkreq(L, 1)));
    return 1;
}

/* Lua: req:signature_algorithm() -> "ecdsa-with-SHA256" | … | dotted OID | nil (unsigned) */
static int lcsr_req_signature_algorithm(lua_State *L)
{
    const char *s = csr_req_sigalg_name(lcsr_checkreq(L, 1));
    if (s == NULL)
        lua_pushnil(L);
    else
        lua_pushstring(L, s);
    return 1;
}

/* req:san()'s list name for each CSR_SAN_* type (0..8); NULL: a type it does not give */
static const char *const san_lists[] = {
    "other_name", "email", "dns", NULL, "dir_name", NULL, "uri", "ip", "rid"
};
#define SAN_TYPES ((int)(sizeof san_lists / sizeof san_lists[0]))

/* Pushes SAN entry i as req:san() gives it; returns 0, or the fail values pushed. */
static int push_san(lua_State *L, int type, const uint8_t *val, size_t len, const char *oid)
{
    char ip[64];
    lcsr_subject_box *b;
    csr_err err;
    switch (type) {
    case CSR_SAN_IP:                           /* text; the raw bytes when not 4 or 16 */
        if (csr_ip_format(ip, sizeof ip, val, len) != CSR_OK)
            lua_pushlstring(L, (const char *)val, len);
        else
            lua_pushstring(L, ip);
        return 0;
    case CSR_SAN_RID:
        lua_pushstring(L, oid);
        return 0;
    case CSR_SAN_OTHER:
        lua_createtable(L, 0, 2);
        lua_pushstring(L, oid);
        lua_setfield(L, -2, "oid");
        lua_pushlstring(L, (const char *)val, len);
        lua_setfield(L, -2, "value");
        return 0;
    case CSR_SAN_DIR:
        b = lcsr_subject_newbox(L);
        memset(&err, 0, sizeof err);
        if (csr_name_from_der(&b->n, val, len, 0, &err) == CSR_OK)
            return 0;
        b->n = NULL;
        return lcsr_fail(L, where(L, "csr.request:san", "csr.certificate:san"), &err);
    default:                                   /* dns, email, uri */
        lua_pushlstring(L, (const char *)val, len);
        return 0;
    }
}

/* Lua: req:san() -> {dns=, ip=, email=, uri=, other_name={{oid=, value=}}, rid=, dir_name=}
 * (only the lists that have entries; {} without a SAN extension) */
static int lcsr_req_san(lua_State *L)
{
    const csr_req *r = lcsr_checkview(L, 1);
    size_t i, n = csr_req_san_count(r);
    int count[SAN_TYPES] = {0}, slot[SAN_TYPES] = {0}, type, t, k, nret, lists = 0;
    const uint8_t *val;
    const char *oid;
    size_t len;

    for (i = 0; i < n; i++)                    /* count first: each list made once, sized */
        if (csr_req_san_get(r, i, &type, &val, &len, &oid) == CSR_OK && type >= 0 &&
            type < SAN_TYPES && san_lists[type] != NULL)
            lists += count[type]++ == 0;
    lua_createtable(L, 0, lists);              /* t, sized: no rehash per list */
    t = lua_gettop(L);
    for (k = 0; k < SAN_TYPES; k++)
        if (count[k] > 0) {
            lua_createtable(L, count[k], 0);   /* t list… (one per type given) */
            slot[k] = lua_gettop(L);
            lua_pushvalue(L, -1);
            lua_setfield(L, t, san_lists[k]);
            count[k] = 0;                      /* now the fill count */
        }
    for (i = 0; i < n; i++) {
        if (csr_req_san_get(r, i, &type, &val, &len, &oid) != CSR_OK || type < 0 ||
            type >= SAN_TYPES || slot[type] == 0)
            continue;
        if ((nret = push_san(L, type, val, len, oid)) != 0)
            return nret;
        lua_rawseti(L, slot[type], ++count[type]);
    }
    lua_settop(L, t);
    return 1;
}

/* Lua: req:key_usage() -> {"digitalSignature", …} | nil */
static int lcsr_req_key_usage(lua_State *L)
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
static int lcsr_req_extended_key_usage(lua_State *L)
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
static int lcsr_req_basic_constraints(lua_State *L)
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
static int lcsr_req_must_staple(lua_State *L)
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
static int lcsr_req_challenge_password(lua_State *L)
{
    size_t len;
    const uint8_t *p = csr_req_challenge(lcsr_checkreq(L, 1), &len);
    return push_opt_bytes(L, p, len);
}

/* Lua: req:unstructured_name() -> string | nil */
static int lcsr_req_unstructured_name(lua_State *L)
{
    size_t len;
    const uint8_t *p = csr_req_unstructured(lcsr_checkreq(L, 1), &len);
    return push_opt_bytes(L, p, len);
}

/* Sets oid = and (a known one) name = in the table on top. */
static void set_oid_name(lua_State *L, const char *oid, const char *name)
{
    lua_pushstring(L, oid);
    lua_setfield(L, -2, "oid");
    if (name != NULL) {
        lua_pushstring(L, name);
        lua_setfield(L, -2, "name");
    }
}

/* Lua: req:attributes() -> {{oid =, name = (known ones), values = {der, …}}, …} */
static int lcsr_req_attributes(lua_State *L)
{
    csr_req *r = lcsr_checkreq(L, 1);
    size_t i, n = csr_req_attr_count(r);
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        const csr_attr_view *a = csr_req_attr_get(r, i);
        const uint8_t *v;
        size_t vlen, j = 0;
        lua_createtable(L, 0, 3);
        set_oid_name(L, a->oid, a->name);
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
static int lcsr_req_extensions(lua_State *L)
{
    const csr_req *r = lcsr_checkview(L, 1);
    size_t i, n = csr_req_ext_count(r);
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        const csr_ext_view *e = csr_req_ext_get(r, i);
        lua_createtable(L, 0, 4);
        set_oid_name(L, e->oid, e->name);
        lua_pushboolean(L, e->critical);
        lua_setfield(L, -2, "critical");
        lua_pushlstring(L, (const char *)e->value, e->len);
        lua_setfield(L, -2, "value");
        lua_rawseti(L, -2, (int)i + 1);
    }
    return 1;
}

/* Lua: req:text() -> string (like `openssl req -text -noout`) */
static int lcsr_req_text(lua_State *L)
{
    csr_req *r = lcsr_checkreq(L, 1);
    csr_buf *b = lcsr_newbuf(L, 0);
    csr_err err;
    memset(&err, 0, sizeof err);
    return lcsr_buf_result(L, b, csr_req_text(b, r, &err), "csr.request:text", &err);
}

/* ---- class ---- */

static const luaL_Reg req_meta[] = {
    {"__gc", lcsr_req_close}, {"__close", lcsr_req_close},
    {"__tostring", lcsr_req_tostring}, {NULL, NULL}
};

/* the methods only a request has (the shared ones are in lcsr_req_view_methods) */
static const luaL_Reg req_methods[] = {
    {"sign", lcsr_req_sign}, {"to_pem", lcsr_req_to_pem}, {"to_der", lcsr_req_to_der},
    {"is_signed", lcsr_req_is_signed}, {"verify", lcsr_req_verify},
    {"version", lcsr_req_version}, {"signature_algorithm", lcsr_req_signature_algorithm},
    {"challenge_password", lcsr_req_challenge_password},
    {"unstructured_name", lcsr_req_unstructured_name}, {"attributes", lcsr_req_attributes},
    {"text", lcsr_req_text}, {"close", lcsr_req_close}, {NULL, NULL}
};

const luaL_Reg lcsr_req_view_methods[] = {
    {"matches", lcsr_req_matches}, {"subject", lcsr_req_subject},
    {"public_key", lcsr_req_public_key}, {"san", lcsr_req_san},
    {"key_usage", lcsr_req_key_usage}, {"extended_key_usage", lcsr_req_extended_key_usage},
    {"basic_constraints", lcsr_req_basic_constraints}, {"must_staple", lcsr_req_must_staple},
    {"extensions", lcsr_req_extensions}, {NULL, NULL}
};

static const luaL_Reg req_funcs[] = {
    {"new", lcsr_req_new}, {"parse", lcsr_req_parse}, {NULL, NULL}
};

void lcsr_req_open(lua_State *L)
{
    lcsr_newclass(L, LCSR_REQ_MT, req_meta, req_methods);
    lcsr_addmethods(L, LCSR_REQ_MT, lcsr_req_view_methods);
    lcsr_addmethods(L, LCSR_REQ_MT, lcsr_policy_methods);
    luaL_newlib(L, req_funcs);
}

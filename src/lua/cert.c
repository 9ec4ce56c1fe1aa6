/* csr.certificate: parse / parse_all, the accessors of an X.509 certificate, verify,
 * encodings. Subject, key and extension accessors are the request's (request.c); issue and
 * self_signed live in certissue.c.
 * SPDX-License-Identifier: MIT */
#include <string.h>
#include <stdio.h>

#include "lcsr.h"

lcsr_cert_box *lcsr_cert_newbox(lua_State *L)
{
    return (lcsr_cert_box *)lcsr_newbox(L, sizeof(lcsr_cert_box), LCSR_CERT_MT);
}

csr_cert *lcsr_checkcert(lua_State *L, int idx)
{
    return (csr_cert *)lcsr_checkbox(L, idx, LCSR_CERT_MT);
}

const csr_req *lcsr_checkview(lua_State *L, int idx)
{
    lcsr_req_box *rb = (lcsr_req_box *)luaL_testudata(L, idx, LCSR_REQ_MT);
    lcsr_cert_box *b;
    if (rb != NULL && rb->r != NULL)           /* the common case first: one lookup */
        return rb->r;
    b = (lcsr_cert_box *)luaL_testudata(L, idx, LCSR_CERT_MT);
    if (b == NULL)
        return lcsr_checkreq(L, idx);
    if (b->c == NULL)
        luaL_argerror(L, idx, "attempt to use a closed csr.certificate");
    return csr_cert_view(b->c);
}

/* Lua: csr.certificate.parse(pem_or_der) -> certificate | fail, msg, code */
static int l_parse(lua_State *L)
{
    size_t len;
    const char *in = luaL_checklstring(L, 1, &len);
    lcsr_cert_box *box = lcsr_cert_newbox(L);
    csr_err err;
    csr_cert *c = NULL;

    memset(&err, 0, sizeof err);
    if (csr_cert_parse(&c, (const uint8_t *)in, len, &err) != CSR_OK)
        return lcsr_fail(L, "csr.certificate.parse", &err);
    box->c = c;
    return 1;
}

/* Lua: csr.certificate.parse_all(pem) -> {certificate, …} | fail, msg, code */
static int l_parse_all(lua_State *L)
{
    size_t len, pos = 0;
    const char *in = luaL_checklstring(L, 1, &len);
    csr_err err;
    int n = 0;

    lua_newtable(L);                           /* list */
    for (;;) {
        lcsr_cert_box *box = lcsr_cert_newbox(L);   /* list box */
        memset(&err, 0, sizeof err);
        if (csr_cert_parse_next(&box->c, (const uint8_t *)in, len, &pos, &err) != CSR_OK) {
            box->c = NULL;
            csr_err_prefix(&err, "certificate %d", n + 1);
            return lcsr_fail(L, "csr.certificate.parse_all", &err);
        }
        if (box->c == NULL)
            break;
        lua_rawseti(L, -2, ++n);               /* list */
    }
    lua_pop(L, 1);
    if (n == 0) {
        csr_err_set(&err, len == 0 ? CSR_E_BAD_DER : CSR_E_BAD_PEM, "no certificate in the "
                    "input");
        return lcsr_fail(L, "csr.certificate.parse_all", &err);
    }
    return 1;
}

/* Lua: c:issuer() -> csr.subject (a copy) */
static int m_issuer(lua_State *L)
{
    return lcsr_push_name_copy(L, csr_cert_issuer(lcsr_checkcert(L, 1)),
                               "csr.certificate:issuer");
}

/* Lua: c:serial() -> lower-case hex, no leading zeros */
static int m_serial(lua_State *L)
{
    char hex[2 * CSR_SERIAL_MAX_PARSE + 1];
    csr_cert_serial_hex(lcsr_checkcert(L, 1), hex);
    lua_pushstring(L, hex);
    return 1;
}

/* Lua: c:not_before() / c:not_after() -> integer seconds since the epoch */
static int m_not_before(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)csr_cert_not_before(lcsr_checkcert(L, 1)));
    return 1;
}

static int m_not_after(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)csr_cert_not_after(lcsr_checkcert(L, 1)));
    return 1;
}

/* Lua: c:version() -> 3 | 1 */
static int m_version(lua_State *L)
{
    lua_pushinteger(L, csr_cert_version(lcsr_checkcert(L, 1)));
    return 1;
}

static int push_hex_or_nil(lua_State *L, const uint8_t *p, size_t n)
{
    char hex[2 * 127 + 1];
    if (p == NULL || n > 127) {
        lua_pushnil(L);
        return 1;
    }
    csr_hex(hex, p, n);
    lua_pushstring(L, hex);
    return 1;
}

/* Lua: c:subject_key_id() / c:authority_key_id() -> lower-case hex | nil */
static int m_subject_key_id(lua_State *L)
{
    size_t n = 0;
    const uint8_t *p = csr_cert_ski(lcsr_checkcert(L, 1), &n);
    return push_hex_or_nil(L, p, n);
}

static int m_authority_key_id(lua_State *L)
{
    size_t n = 0;
    const uint8_t *p = csr_cert_aki(lcsr_checkcert(L, 1), &n);
    return push_hex_or_nil(L, p, n);
}

/* Lua: c:signature_algorithm() -> "sha256WithRSAEncryption" | … | dotted OID */
static int m_signature_algorithm(lua_State *L)
{
    lua_pushstring(L, csr_cert_sigalg_name(lcsr_checkcert(L, 1)));
    return 1;
}

/* Lua: c:fingerprint() -> hex SHA-256 of the DER */
static int m_fingerprint(lua_State *L)
{
    char hex[65];
    csr_cert_fingerprint(lcsr_checkcert(L, 1), hex);
    lua_pushstring(L, hex);
    return 1;
}

/* Lua: c:text() -> string (like `openssl x509 -text -noout`) */
static int m_text(lua_State *L)
{
    csr_cert *c = lcsr_checkcert(L, 1);
    csr_buf *b = lcsr_newbuf(L, 0);
    csr_err err;
    memset(&err, 0, sizeof err);
    return lcsr_buf_result(L, b, csr_cert_text(b, c, &err), "csr.certificate:text", &err);
}

/* Lua: c:to_pem() -> string (its one failure, out of memory, raises) */
static int m_to_pem(lua_State *L)
{
    csr_cert *c = lcsr_checkcert(L, 1);
    csr_buf *b = lcsr_newbuf(L, 0);
    csr_err err;
    return lcsr_buf_result(L, b, csr_cert_pem(b, c, &err), "csr.certificate:to_pem", &err);
}

/* Lua: c:to_der() -> string */
static int m_to_der(lua_State *L)
{
    size_t len = 0;
    const uint8_t *der = csr_cert_der(lcsr_checkcert(L, 1), &len);
    lua_pushlstring(L, (const char *)der, len);
    return 1;
}

/* Lua: c:verify(issuer) -> true | false, msg, code; issuer: csr.certificate or csr.key */
static int m_verify(lua_State *L)
{
    csr_cert *c = lcsr_checkcert(L, 1);
    lcsr_cert_box *ib = (lcsr_cert_box *)luaL_testudata(L, 2, LCSR_CERT_MT);
    csr_err err;
    int rc;

    memset(&err, 0, sizeof err);
    if (ib != NULL) {
        rc = csr_cert_verify(c, lcsr_checkcert(L, 2), &err);
    } else {
        if (luaL_testudata(L, 2, LCSR_KEY_MT) == NULL)
            return luaL_argerror(L, 2, "csr.certificate or csr.key expected");
        rc = csr_cert_verify_key(c, lcsr_checkkey(L, 2), &err);
    }
    if (rc != CSR_OK) {
        lcsr_check_nomem(L, &err);
        return lcsr_false(L, "csr.certificate:verify", &err);
    }
    lua_pushboolean(L, 1);
    return 1;
}

/* __gc, __close and c:close() */
static int m_close(lua_State *L)
{
    csr_cert_free((csr_cert *)lcsr_takebox(L, 1, LCSR_CERT_MT));
    return 0;
}

/* "csr.certificate (CN=www.example.com)" */
static int m_tostring(lua_State *L)
{
    lcsr_cert_box *b = (lcsr_cert_box *)luaL_checkudata(L, 1, LCSR_CERT_MT);
    if (b->c == NULL) {
        lua_pushliteral(L, "csr.certificate (closed)");
        return 1;
    }
    lua_pushliteral(L, "csr.certificate (");
    lcsr_push_name_text(L, csr_req_subject(csr_cert_view(b->c)));
    lua_pushliteral(L, ")");
    lua_concat(L, 3);
    return 1;
}

static const luaL_Reg cert_meta[] = {
    {"__gc", m_close}, {"__close", m_close}, {"__tostring", m_tostring}, {NULL, NULL}
};

static const luaL_Reg cert_methods[] = {
    {"issuer", m_issuer}, {"serial", m_serial}, {"not_before", m_not_before},
    {"not_after", m_not_after}, {"version", m_version}, {"subject_key_id", m_subject_key_id},
    {"authority_key_id", m_authority_key_id}, {"signature_algorithm", m_signature_algorithm},
    {"fingerprint", m_fingerprint}, {"text", m_text}, {"to_pem", m_to_pem},
    {"to_der", m_to_der}, {"verify", m_verify}, {"close", m_close}, {NULL, NULL}
};

static const luaL_Reg cert_funcs[] = {
    {"parse", l_parse}, {"parse_all", l_parse_all}, {"issue", lcsr_cert_issue},
    {"self_signed", lcsr_cert_self_signed}, {NULL, NULL}
};

void lcsr_certificate_open(lua_State *L)
{
    lcsr_newclass(L, LCSR_CERT_MT, cert_meta, cert_methods);
    lcsr_addmethods(L, LCSR_CERT_MT, lcsr_req_view_methods);
    luaL_newlib(L, cert_funcs);
}

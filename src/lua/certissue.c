/* csr.certificate.issue{…} and csr.certificate.self_signed{…}: the option tables read into
 * a csr_cert_spec (extension options exactly as csr.request.new reads them).
 * SPDX-License-Identifier: MIT */
#include <string.h>
#include <time.h>

#include "lcsr.h"

#define ARG_OPTS 1
#define SECS_PER_DAY 86400
#define MAX_DAYS 3660000                /* ten thousand years */
#define DAYS_ISSUE 90
#define DAYS_SELF 365

static const char *const issue_keys[] = {
    "request", "issuer_key", "issuer_cert", "days", "not_before", "not_after", "serial",
    "digest", "padding", "copy", "subject", "san", "key_usage", "extended_key_usage",
    "basic_constraints", "must_staple", "extensions", NULL
};

static const char *const self_keys[] = {
    "key", "subject", "days", "not_before", "not_after", "serial", "digest", "padding", "ca",
    "san", "key_usage", "extended_key_usage", "basic_constraints", "must_staple", "extensions",
    NULL
};

static const char *const copy_names[] = {
    "san", "key_usage", "extended_key_usage", "must_staple", "basic_constraints", NULL
};
static const unsigned copy_flags[] = {
    CSR_COPY_SAN, CSR_COPY_KU, CSR_COPY_EKU, CSR_COPY_MUST_STAPLE, CSR_COPY_BC
};

static int argfail(lua_State *L, const char *msg, const char *what)
{
    return luaL_argerror(L, ARG_OPTS, lua_pushfstring(L, msg, what));
}

/* Optional integer field: 1 and *v when present; raises unless an integer. */
static int opt_int(lua_State *L, int o, const char *field, lua_Integer *v)
{
    lua_Number x;
    lua_getfield(L, o, field);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return 0;
    }
    x = lua_tonumber(L, -1);
    if (lua_type(L, -1) != LUA_TNUMBER || x != (lua_Number)(lua_Integer)x)
        argfail(L, "option '%s' must be an integer", field);
    *v = (lua_Integer)x;
    lua_pop(L, 1);
    return 1;
}

/* The userdata of class mt in field (NULL when absent and optional); raises otherwise. */
static void *opt_udata(lua_State *L, int o, const char *field, const char *mt, int required)
{
    void *p;
    lua_getfield(L, o, field);
    if (lua_isnil(L, -1) && !required) {
        lua_pop(L, 1);
        return NULL;
    }
    p = luaL_testudata(L, -1, mt);
    if (p == NULL)
        luaL_argerror(L, ARG_OPTS, lua_pushfstring(L, "option '%s' must be a %s", field, mt));
    if (*(void **)p == NULL)
        luaL_argerror(L, ARG_OPTS, lua_pushfstring(L, "option '%s': attempt to use a closed "
                                                   "%s", field, mt));
    lua_pop(L, 1);                             /* anchored by the option table */
    return *(void **)p;
}

/* days | not_before, not_after (not_before defaults to now, the period to dflt days) */
static void read_dates(lua_State *L, int o, csr_cert_spec *cs, lua_Integer dflt)
{
    lua_Integer days = dflt, nb = (lua_Integer)time(NULL), na = 0;
    int has_days = opt_int(L, o, "days", &days), has_na;

    (void)opt_int(L, o, "not_before", &nb);
    has_na = opt_int(L, o, "not_after", &na);
    if (has_days && has_na)
        argfail(L, "give %s or not_after, not both", "days");
    if (days < 0 || days > MAX_DAYS)
        argfail(L, "option '%s' must be 0 .. 3660000", "days");
    if (nb < CSR_TIME_MIN || nb > CSR_TIME_MAX || (has_na && (na < CSR_TIME_MIN ||
                                                              na > CSR_TIME_MAX)))
        argfail(L, "option '%s' must be a time in the years 0000 .. 9999", "not_before/after");
    cs->not_before = (int64_t)nb;
    cs->not_after = has_na ? (int64_t)na : (int64_t)nb + (int64_t)days * SECS_PER_DAY;
}

/* serial = "hex" into buf (big-endian); 0 on success, else fills err (bad data). */
static int read_serial(lua_State *L, int o, csr_cert_spec *cs, uint8_t *buf, size_t cap,
                       csr_err *err)
{
    size_t len, i, n;
    const char *s = lcsr_opt_string(L, o, "serial", &len);
    if (s == NULL)
        return 0;
    while (len > 1 && s[0] == '0') {           /* leading zero digits */
        s++;
        len--;
    }
    n = (len + 1) / 2;
    if (len == 0 || n > cap)
        return csr_err_set(err, CSR_E_INVALID, len == 0 ? "serial is empty"
                           : "serial is longer than %d octets", CSR_SERIAL_MAX);
    memset(buf, 0, n);
    for (i = 0; i < len; i++) {
        int v = csr_hexval(s[len - 1 - i]);
        if (v < 0)
            return csr_err_set(err, CSR_E_INVALID, "serial must be hexadecimal digits");
        buf[n - 1 - i / 2] |= (uint8_t)(v << (i % 2 ? 4 : 0));
    }
    cs->serial = buf;
    cs->serial_len = n;
    return 0;
}

/* copy = {"san", …} (absent: the default list) */
static unsigned read_copy(lua_State *L, int o)
{
    unsigned flags = 0;
    size_t i, n;
    lua_getfield(L, o, "copy");
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return CSR_COPY_DEFAULT;
    }
    if (lua_type(L, -1) != LUA_TTABLE)
        argfail(L, "option '%s' must be a list of names", "copy");
    n = (size_t)lua_rawlen(L, -1);
    for (i = 1; i <= n; i++) {
        int k;
        lua_rawgeti(L, -1, (lua_Integer)i);
        k = lua_type(L, -1) == LUA_TSTRING ? lcsr_name_index(copy_names, lua_tostring(L, -1))
                                           : -1;
        if (k < 0)
            argfail(L, "option '%s': unknown name (san, key_usage, extended_key_usage, "
                    "must_staple, basic_constraints)", "copy");
        flags |= copy_flags[k];
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return flags;
}

/* Everything both calls share; returns 0, or the number of fail values pushed. */
static int read_common(lua_State *L, csr_cert_spec *cs, lua_Integer days, uint8_t *sbuf,
                       const char *where)
{
    csr_err err;
    const char *empty;
    int nret;
    memset(&err, 0, sizeof err);
    empty = lcsr_req_read_spec(L, ARG_OPTS, &cs->ext);
    lcsr_read_sig(L, ARG_OPTS, &cs->sig, 0);
    read_dates(L, ARG_OPTS, cs, days);
    if (read_serial(L, ARG_OPTS, cs, sbuf, CSR_SERIAL_MAX, &err) != 0)
        return lcsr_fail(L, where, &err);
    if ((nret = lcsr_req_opt_subject(L, ARG_OPTS, where, &cs->ext)) != 0)
        return nret;
    return lcsr_req_check_empty(L, empty, where);
}

static int finish(lua_State *L, const csr_cert_spec *cs, const char *where)
{
    lcsr_cert_box *b = lcsr_cert_newbox(L);
    csr_err err;
    memset(&err, 0, sizeof err);
    if (csr_cert_issue(&b->c, cs, &err) != CSR_OK) {
        b->c = NULL;
        lcsr_check_nomem(L, &err);
        return lcsr_fail(L, where, &err);
    }
    return 1;
}

/* The shared shape of issue and self_signed: check the option names, read the fields only
 * one of them has (own), then the common ones, then issue. */
static int issue_with(lua_State *L, const char *where, const char *const *keys,
                      lua_Integer days, void (*own)(lua_State *L, csr_cert_spec *cs))
{
    csr_cert_spec cs;
    uint8_t serial[CSR_SERIAL_MAX];
    int nret;

    luaL_checktype(L, ARG_OPTS, LUA_TTABLE);
    lcsr_check_opts(L, ARG_OPTS, keys);
    memset(&cs, 0, sizeof cs);
    own(L, &cs);
    if ((nret = read_common(L, &cs, days, serial, where)) != 0)
        return nret;
    return finish(L, &cs, where);
}

static void issue_fields(lua_State *L, csr_cert_spec *cs)
{
    cs->request = (const csr_req *)opt_udata(L, ARG_OPTS, "request", LCSR_REQ_MT, 1);
    cs->issuer_key = (const csr_key *)opt_udata(L, ARG_OPTS, "issuer_key", LCSR_KEY_MT, 1);
    cs->issuer_cert = (const csr_cert *)opt_udata(L, ARG_OPTS, "issuer_cert", LCSR_CERT_MT, 1);
    cs->copy = read_copy(L, ARG_OPTS);
}

static void self_fields(lua_State *L, csr_cert_spec *cs)
{
    cs->issuer_key = lcsr_req_opt_key(L, ARG_OPTS, 1);
    cs->ca = lcsr_opt_bool(L, ARG_OPTS, "ca") == 1;
}

/* Lua: csr.certificate.issue{request=, issuer_key=, issuer_cert=, days=, …}
 *      -> certificate | fail, msg, code */
int lcsr_cert_issue(lua_State *L)
{
    return issue_with(L, "csr.certificate.issue", issue_keys, DAYS_ISSUE, issue_fields);
}

/* Lua: csr.certificate.self_signed{key=, subject=, days=, ca=, …}
 *      -> certificate | fail, msg, code */
int lcsr_cert_self_signed(lua_State *L)
{
    return issue_with(L, "csr.certificate.self_signed", self_keys, DAYS_SELF, self_fields);
}

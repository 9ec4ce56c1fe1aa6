/* csr.request's option tables: csr.request.new / csr.generate (and the request part of
 * csr.certificate.issue) into a csr_req_spec, csr.generate's key = {type, params}, and the
 * csr.generate one-shot over them. The readers check and may raise; they allocate nothing
 * in C.
 * SPDX-License-Identifier: MIT */
#include <string.h>
#include <limits.h>

#include "lcsr.h"

#define ARG_OPTS 1

/* ---- checking the option table (everything here may raise; nothing is allocated in C) ---- */

static int argfail(lua_State *L, const char *fmt, const char *what)
{
    return luaL_argerror(L, ARG_OPTS, lua_pushfstring(L, fmt, what));
}

/* The table at idx must be a list (keys 1..n), plus "critical" when allow_critical; its
 * entries strings without NUL bytes. Returns n. */
static size_t check_list(lua_State *L, int idx, const char *what, int allow_critical)
{
    size_t n, i;
    if (lua_type(L, idx) != LUA_TTABLE)
        argfail(L, "option '%s' must be a table (a list of strings)", what);
    n = (size_t)lua_rawlen(L, idx);
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TNUMBER) {
            lua_Number x = lua_tonumber(L, -1);
            lua_Integer k = lua_tointeger(L, -1);
            if ((lua_Number)k == x && k >= 1 && (size_t)k <= n)
                continue;
        } else if (allow_critical && lua_type(L, -1) == LUA_TSTRING &&
                   strcmp(lcsr_tocstring(L, -1, ARG_OPTS, "an option name"), "critical") == 0) {
            continue;
        }
        argfail(L, allow_critical ? "option '%s' must be a list of strings (and critical)"
                                  : "option '%s' must be a list of strings", what);
    }
    for (i = 1; i <= n; i++) {
        size_t len;
        const char *s;
        lua_rawgeti(L, idx, (lua_Integer)i);
        if (lua_type(L, -1) != LUA_TSTRING)
            argfail(L, "option '%s' must contain only strings", what);
        s = lua_tolstring(L, -1, &len);
        if (strlen(s) != len)                  /* the message is made only then */
            argfail(L, "a string in option '%s' has a NUL byte", what);
        lua_pop(L, 1);
    }
    if (allow_critical) {
        lua_getfield(L, idx, "critical");
        if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TBOOLEAN)
            argfail(L, "option '%s': critical must be a boolean", what);
        lua_pop(L, 1);
    }
    return n;
}

/* Pushes option name of the table at o and returns its index; 0 (nothing pushed) when it is
 * absent; raises "must be <must>" unless a table. */
static int opt_table(lua_State *L, int o, const char *name, const char *must)
{
    int f;
    lua_getfield(L, o, name);
    f = lua_gettop(L);
    if (lua_isnil(L, f)) {
        lua_pop(L, 1);
        return 0;
    }
    if (lua_type(L, f) != LUA_TTABLE)
        luaL_argerror(L, ARG_OPTS, lua_pushfstring(L, "option '%s' must be %s", name, must));
    return f;
}

/* critical = bool of the table at idx: -1 absent. */
static int field_critical(lua_State *L, int idx, const char *what)
{
    int v = -1;
    lua_getfield(L, idx, "critical");
    if (lua_type(L, -1) == LUA_TBOOLEAN)
        v = lua_toboolean(L, -1);
    else if (!lua_isnil(L, -1))
        argfail(L, "option '%s': critical must be a boolean", what);
    lua_pop(L, 1);
    return v;
}

/* String entry i of the list at idx (anchored by that table). */
static const char *list_str(lua_State *L, int idx, size_t i, size_t *len)
{
    const char *s;
    lua_rawgeti(L, idx, (lua_Integer)i);
    s = lua_tolstring(L, -1, len);
    lua_pop(L, 1);
    return s;
}

static const char *const san_keys[] = {"dns", "ip", "email", "uri", "critical", NULL};
static const char *const san_lists[] = {"san.dns", "san.ip", "san.email", "san.uri"};
static const int san_types[] = {CSR_SAN_DNS, CSR_SAN_IP, CSR_SAN_EMAIL, CSR_SAN_URI};

/* An extension asked for with an empty list is bad data, never silently left out: the first
 * one's option name is kept for lcsr_req_check_empty. */
static void set_empty(const char **empty, const char *name)
{
    if (*empty == NULL)
        *empty = name;
}

int lcsr_req_check_empty(lua_State *L, const char *empty, const char *where)
{
    csr_err err;
    if (empty == NULL)
        return 0;
    csr_err_set(&err, CSR_E_INVALID, "%s is an empty list", empty);
    return lcsr_fail(L, where, &err);
}

static void read_san(lua_State *L, int o, csr_req_spec *spec, const char **empty)
{
    int f, i, base, given = 0;
    size_t total = 0, k = 0, j, n;
    csr_san_in *san;

    if ((f = opt_table(L, o, "san", "a table")) == 0)
        return;
    lcsr_check_fields(L, f, ARG_OPTS, "san", san_keys);
    spec->san_critical = field_critical(L, f, "san");
    base = lua_gettop(L);
    for (i = 0; i < 4; i++) {                  /* the four lists at base+1 .. base+4 */
        lua_getfield(L, f, san_keys[i]);
        if (!lua_isnil(L, -1)) {
            n = check_list(L, lua_gettop(L), san_keys[i], 0);
            if (n == 0)
                set_empty(empty, san_lists[i]);
            total += n;
            given++;
        }
    }
    if (given == 0)
        set_empty(empty, "san");
    san = (csr_san_in *)lua_newuserdatauv(L, total ? total * sizeof *san : 1, 0);
    for (i = 0; i < 4; i++) {
        if (lua_isnil(L, base + 1 + i))
            continue;
        n = (size_t)lua_rawlen(L, base + 1 + i);
        for (j = 1; j <= n; j++) {
            san[k].type = san_types[i];
            san[k].val = list_str(L, base + 1 + i, j, &san[k].len);
            k++;
        }
    }
    spec->san = san;
    spec->nsan = total;
    lua_replace(L, f);                         /* keep only the scratch array */
    lua_settop(L, f);
}

static void read_key_usage(lua_State *L, int o, csr_req_spec *spec, const char **empty)
{
    size_t n, i;
    int f;
    lua_getfield(L, o, "key_usage");
    f = lua_gettop(L);
    if (!lua_isnil(L, f)) {
        n = check_list(L, f, "key_usage", 1);
        if (n == 0)
            set_empty(empty, "key_usage");
        spec->ku_set = 1;
        spec->ku_critical = field_critical(L, f, "key_usage");
        for (i = 1; i <= n; i++) {
            const char *s = list_str(L, f, i, NULL);
            unsigned bit = csr_ku_from_name(s);
            if (bit == 0)
                luaL_argerror(L, ARG_OPTS,
                              lua_pushfstring(L, "unknown key_usage '%s'", s));
            spec->key_usage |= bit;
        }
    }
    lua_pop(L, 1);
}

static void read_eku(lua_State *L, int o, csr_req_spec *spec, const char **empty)
{
    size_t n, i;
    int f;
    const char **eku;
    lua_getfield(L, o, "extended_key_usage");
    f = lua_gettop(L);
    if (lua_isnil(L, f)) {
        lua_pop(L, 1);
        return;
    }
    n = check_list(L, f, "extended_key_usage", 1);
    spec->eku_critical = field_critical(L, f, "extended_key_usage");
    eku = (const char **)lua_newuserdatauv(L, n ? n * sizeof *eku : 1, 0);
    for (i = 1; i <= n; i++) {
        const char *s = list_str(L, f, i, NULL);
        if (csr_oid_from_name(CSR_OID_EKU, s) == NULL && !csr_oid_is_dotted(s, 0))
            luaL_argerror(L, ARG_OPTS, lua_pushfstring(L, "unknown extended_key_usage '%s'"
                                                       " (a name or a dotted OID)", s));
        eku[i - 1] = s;
    }
    if (n == 0)
        set_empty(empty, "extended_key_usage");
    spec->eku = eku;
    spec->neku = n;
    lua_replace(L, f);
}

static void read_bc(lua_State *L, int o, csr_req_spec *spec)
{
    static const char *const keys[] = {"ca", "pathlen", "critical", NULL};
    int f;
    if ((f = opt_table(L, o, "basic_constraints", "a table")) == 0)
        return;
    lcsr_check_fields(L, f, ARG_OPTS, "basic_constraints", keys);
    spec->bc_set = 1;
    spec->bc_critical = field_critical(L, f, "basic_constraints");
    lua_getfield(L, f, "ca");
    if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TBOOLEAN)
        argfail(L, "option '%s': ca must be a boolean", "basic_constraints");
    spec->bc_ca = lua_toboolean(L, -1);
    lua_pop(L, 1);
    lua_getfield(L, f, "pathlen");
    if (!lua_isnil(L, -1)) {
        lua_Number x = lua_tonumber(L, -1);
        lua_Integer k = lua_tointeger(L, -1);
        if (lua_type(L, -1) != LUA_TNUMBER || (lua_Number)k != x)
            argfail(L, "option '%s': pathlen must be an integer", "basic_constraints");
        if (k > INT_MAX)
            argfail(L, "option '%s': pathlen is too large", "basic_constraints");
        /* negative values are bad data: the core answers nil, msg, code */
        spec->bc_pathlen = k < 0 ? -2 : (int)k;
    }
    lua_pop(L, 2);
}

static void read_must_staple(lua_State *L, int o, csr_req_spec *spec)
{
    static const char *const keys[] = {"critical", NULL};
    lua_getfield(L, o, "must_staple");
    if (lua_type(L, -1) == LUA_TBOOLEAN) {
        spec->must_staple = lua_toboolean(L, -1);
    } else if (lua_type(L, -1) == LUA_TTABLE) {
        lcsr_check_fields(L, lua_gettop(L), ARG_OPTS, "must_staple", keys);
        spec->must_staple = 1;
        spec->ms_critical = field_critical(L, lua_gettop(L), "must_staple");
    } else if (!lua_isnil(L, -1)) {
        argfail(L, "option '%s' must be a boolean or a table", "must_staple");
    }
    lua_pop(L, 1);
}

static void read_extensions(lua_State *L, int o, csr_req_spec *spec)
{
    static const char *const keys[] = {"oid", "critical", "value", NULL};
    size_t n, i;
    int f, e;
    csr_ext_in *ext;
    if ((f = opt_table(L, o, "extensions", "a list of tables")) == 0)
        return;
    n = (size_t)lua_rawlen(L, f);
    ext = (csr_ext_in *)lua_newuserdatauv(L, n ? n * sizeof *ext : 1, 0);
    lua_pushnil(L);
    while (lua_next(L, f) != 0) {              /* keys must be 1..n */
        lua_Integer k = lua_tointeger(L, -2);
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TNUMBER || (lua_Number)k != lua_tonumber(L, -1) || k < 1 ||
            (size_t)k > n)
            argfail(L, "option '%s' must be a list of tables", "extensions");
    }
    for (i = 1; i <= n; i++) {
        lua_rawgeti(L, f, (lua_Integer)i);
        e = lua_gettop(L);
        if (lua_type(L, e) != LUA_TTABLE)
            argfail(L, "option '%s' must be a list of tables", "extensions");
        lcsr_check_fields(L, e, ARG_OPTS, "extensions", keys);
        lua_getfield(L, e, "oid");
        if (lua_type(L, -1) != LUA_TSTRING)
            argfail(L, "option '%s': every entry needs oid = \"<dotted OID>\"", "extensions");
        ext[i - 1].oid = lcsr_tocstring(L, -1, ARG_OPTS, "option 'extensions': oid");
        lua_pop(L, 1);
        lua_getfield(L, e, "value");
        if (lua_type(L, -1) != LUA_TSTRING)
            argfail(L, "option '%s': every entry needs value = <DER string>", "extensions");
        ext[i - 1].der = (const uint8_t *)lua_tolstring(L, -1, &ext[i - 1].len);
        lua_pop(L, 1);
        ext[i - 1].critical = field_critical(L, e, "extensions");
        if (ext[i - 1].critical < 0)
            ext[i - 1].critical = 0;
        lua_pop(L, 1);
    }
    spec->ext = ext;
    spec->next = n;
    lua_replace(L, f);
}

/* Reads every option but subject and key into spec; scratch arrays are left on the stack
 * (their strings are anchored by the option table at o). Raises on misuse. Returns the option
 * name of the first typed extension list given empty, else NULL (lcsr_req_check_empty). */
const char *lcsr_req_read_spec(lua_State *L, int o, csr_req_spec *spec)
{
    const char *empty = NULL;
    luaL_checkstack(L, 24, "csr: option table too deep");
    memset(spec, 0, sizeof *spec);
    spec->san_critical = spec->ku_critical = spec->eku_critical = -1;
    spec->bc_critical = spec->ms_critical = -1;
    spec->bc_pathlen = -1;
    read_san(L, o, spec, &empty);
    read_key_usage(L, o, spec, &empty);
    read_eku(L, o, spec, &empty);
    read_bc(L, o, spec);
    read_must_staple(L, o, spec);
    spec->challenge = (const uint8_t *)lcsr_opt_string(L, o, "challenge_password",
                                                       &spec->challenge_len);
    spec->unstructured = (const uint8_t *)lcsr_opt_string(L, o, "unstructured_name",
                                                          &spec->unstructured_len);
    read_extensions(L, o, spec);
    lua_getfield(L, o, "subject");
    if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TSTRING && lua_type(L, -1) != LUA_TTABLE &&
        luaL_testudata(L, -1, LCSR_SUBJECT_MT) == NULL)
        argfail(L, "option '%s' must be a csr.subject, a string or a table", "subject");
    lua_pop(L, 1);
    return empty;
}

/* The csr.key in option field "key" of the table at o (raises when missing or closed);
 * NULL when absent and optional. */
const csr_key *lcsr_req_opt_key(lua_State *L, int o, int required)
{
    lcsr_key_box *b;
    lua_getfield(L, o, "key");
    if (lua_isnil(L, -1) && !required) {
        lua_pop(L, 1);
        return NULL;
    }
    b = (lcsr_key_box *)luaL_testudata(L, -1, LCSR_KEY_MT);
    if (b == NULL)
        argfail(L, "option '%s' must be a csr.key", "key");
    if (b->k == NULL)
        argfail(L, "option '%s': attempt to use a closed csr.key", "key");
    lua_pop(L, 1);                             /* anchored by the option table */
    return b->k;
}

/* Converts the subject option; returns 0 on success (spec->subject set, a box pushed when
 * present), else the number of fail values pushed. */
int lcsr_req_opt_subject(lua_State *L, int o, const char *where, csr_req_spec *spec)
{
    int nret = 0;
    csr_name *n;
    lua_getfield(L, o, "subject");
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        spec->subject = NULL;
        return 0;
    }
    /* lcsr_tosubject raises naming its stack slot: put the subject in the option table's
     * slot (o, argument #1) meanwhile, the table kept alive on top (it anchors spec's
     * strings). */
    lua_pushvalue(L, o);                       /* subj opts */
    lua_insert(L, -2);                         /* opts subj */
    lua_replace(L, o);                         /* slot o = subj; top = opts */
    n = lcsr_tosubject(L, o, where, &nret);    /* opts box | opts fail msg code */
    if (n == NULL)
        return nret > 0 ? nret : 3;
    lua_pushvalue(L, -2);
    lua_replace(L, o);                         /* the option table back in slot o */
    lua_remove(L, -2);                         /* the box stays on the stack */
    spec->subject = n;
    return 0;
}

/* key = nil | {"ec", {curve=}} | {"rsa", {bits=}} | {"ed25519"} | {"ed448"} */
void lcsr_req_read_keygen(lua_State *L, int o, lcsr_req_keygen *g)
{
    int f, i, p;
    const char *s;

    g->type = CSR_KEY_EC;
    g->param = CSR_CURVE_P256;
    lua_getfield(L, o, "key");
    f = lua_gettop(L);
    if (lua_type(L, f) != LUA_TTABLE) {
        lua_pop(L, 1);
        return;
    }
    lua_rawgeti(L, f, 1);
    if (lua_type(L, -1) != LUA_TSTRING)
        argfail(L, "option '%s' must be a csr.key or {type, params}", "key");
    s = lcsr_tocstring(L, -1, ARG_OPTS, "option 'key': the key type");
    i = lcsr_name_index(lcsr_key_type_names, s);
    if (i < 0)
        luaL_argerror(L, ARG_OPTS, lua_pushfstring(L, "unknown key type '%s'", s));
    g->type = lcsr_key_type_codes[i];
    lua_pop(L, 1);
    lua_pushnil(L);
    while (lua_next(L, f) != 0) {
        lua_Integer k = lua_tointeger(L, -2);
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TNUMBER || (k != 1 && k != 2) ||
            (lua_Number)k != lua_tonumber(L, -1))
            argfail(L, "option '%s' must be a csr.key or {type, params}", "key");
    }
    lua_rawgeti(L, f, 2);
    p = lua_gettop(L);
    if (!lua_isnil(L, p) && lua_type(L, p) != LUA_TTABLE)
        argfail(L, "option '%s': key parameters must be a table", "key");
    g->param = lcsr_read_keyparams(L, p, ARG_OPTS, "key", g->type);
    lua_settop(L, f - 1);
}

/* ---- csr.generate ---- */

static const char *const gen_keys[] = {
    "subject", "key", "san", "key_usage", "extended_key_usage", "basic_constraints",
    "must_staple", "challenge_password", "unstructured_name", "extensions", "digest",
    "padding", NULL
};

/* Lua: csr.generate{key=, subject=, san=, digest=, padding=, …} -> pem, key | fail, msg, code */
int lcsr_req_generate(lua_State *L)
{
    csr_req_spec spec;
    csr_sig sig;
    lcsr_req_keygen g = {CSR_KEY_EC, CSR_CURVE_P256};
    const csr_key *key;
    lcsr_key_box *kb = NULL;
    csr_buf *pem;
    csr_err err;
    const char *empty;
    int nret, kidx;

    luaL_checktype(L, ARG_OPTS, LUA_TTABLE);
    lcsr_check_opts(L, ARG_OPTS, gen_keys);
    empty = lcsr_req_read_spec(L, ARG_OPTS, &spec);
    lcsr_read_sig(L, ARG_OPTS, &sig, 0);
    lua_getfield(L, ARG_OPTS, "key");
    if (lua_type(L, -1) == LUA_TTABLE || lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lcsr_req_read_keygen(L, ARG_OPTS, &g);
        key = NULL;
    } else {
        lua_pop(L, 1);
        key = lcsr_req_opt_key(L, ARG_OPTS, 1);
    }
    if ((nret = lcsr_req_opt_subject(L, ARG_OPTS, "csr.generate", &spec)) != 0 ||
        (nret = lcsr_req_check_empty(L, empty, "csr.generate")) != 0)
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

/* Binding layer shared declarations: metatable names, boxes, helpers. No wc_* here.
 * SPDX-License-Identifier: MIT */
#ifndef LCSR_H
#define LCSR_H

#include "compat.h"
#include "../core/csr.h"

#if defined(_WIN32)
#define LCSR_EXPORT __declspec(dllexport)
#else
#define LCSR_EXPORT __attribute__((visibility("default")))
#endif

#define LCSR_KEY_MT     "csr.key"
#define LCSR_SUBJECT_MT "csr.subject"
#define LCSR_REQ_MT     "csr.request"
#define LCSR_BUF_MT     "csr.buf"
#define LCSR_CERT_MT    "csr.certificate"

typedef struct { csr_key *k; } lcsr_key_box;
typedef struct { csr_name *n; } lcsr_subject_box;
typedef struct { csr_req *r; } lcsr_req_box;
typedef struct { csr_cert *c; } lcsr_cert_box;

/* class.c */
/* Creates metatable tname with meta (incl. __gc) and methods in __index, sets __name;
 * pops it. */
void lcsr_newclass(lua_State *L, const char *tname, const luaL_Reg *meta,
                   const luaL_Reg *methods);
/* Adds more methods to an existing class's __index table. */
void lcsr_addmethods(lua_State *L, const char *tname, const luaL_Reg *methods);
/* Boxes (lcsr_*_box: a struct whose only member is the pointer it owns). lcsr_newbox pushes
 * a closed one (NULL) of class tname, its metatable set; lcsr_checkbox returns the pointer
 * of the box at idx, raising on another type or "attempt to use a closed <tname>";
 * lcsr_takebox returns it (NULL when closed) and leaves the box closed: __gc, __close and
 * close() free what it returns, so each object is freed once. */
void *lcsr_newbox(lua_State *L, size_t size, const char *tname);
void *lcsr_checkbox(lua_State *L, int idx, const char *tname);
void *lcsr_takebox(lua_State *L, int idx, const char *tname);
/* Pushes fail, "<where>: <err->msg>", err->code; returns 3. */
int lcsr_fail(lua_State *L, const char *where, const csr_err *err);
/* Pushes false, "<where>: <msg>", code; returns 3 (verify answers). */
int lcsr_false(lua_State *L, const char *where, const csr_err *err);
/* A csr_buf owned by a GC'd userdata pushed on the stack (freed/wiped by __gc): use for
 * core outputs so a raise in lua_pushlstring cannot leak. */
csr_buf *lcsr_newbuf(lua_State *L, int secret);
/* b must be the buffer of the userdata at the top of the stack: replaces that userdata by
 * a string of the bytes and frees (wipes) the buffer. */
void lcsr_pushbuf(lua_State *L, csr_buf *b);
/* The result of a core call rc that wrote into b (lcsr_newbuf's, on top): b's bytes as a
 * string (returns 1), or the fail triple for where (returns 3). */
int lcsr_buf_result(lua_State *L, csr_buf *b, int rc, const char *where, const csr_err *err);
/* Raises "csr: out of memory" for CSR_E_NOMEM, else returns. */
void lcsr_check_nomem(lua_State *L, const csr_err *err);
/* Raises (argument argn) unless every key of the table at tidx is a string in allowed;
 * what: NULL for an argument's own option table, else the option it is nested in (named
 * in the message: "unknown option 'x' in 'san'"). */
void lcsr_check_fields(lua_State *L, int tidx, int argn, const char *what,
                       const char *const *allowed);
/* Option tables: raises on an unknown key (every key in opts must be in allowed); accepts
 * none/nil, raises unless a table. */
void lcsr_check_opts(lua_State *L, int idx, const char *const *allowed);
/* Index of s in the NULL-terminated names, or -1. */
int lcsr_name_index(const char *const *names, const char *s);
/* Strings handed on as C strings (paths, passphrases, names, OIDs, option names and values)
 * must hold no NUL byte: C would read them only up to it ("/tmp/a\0b" opens /tmp/a). */
/* The string at idx (the caller checked it is a string) as a C string; raises at argument
 * argn, "<what> has a NUL byte", when it holds one. */
const char *lcsr_tocstring(lua_State *L, int idx, int argn, const char *what);
/* luaL_checkstring for an argument handed on as a C string: raises on a NUL byte. */
const char *lcsr_checkcstring(lua_State *L, int arg, const char *what);
/* Reads optional string field (a value: may hold NUL bytes, len says how long); NULL when
 * absent; raises when not a string. */
const char *lcsr_opt_string(lua_State *L, int idx, const char *field, size_t *len);
/* lcsr_opt_string for a field handed on as a C string (a passphrase, a name): raises on a
 * NUL byte. */
const char *lcsr_opt_cstring(lua_State *L, int idx, const char *field, size_t *len);
/* Reads an optional boolean field: -1 absent, 0/1; raises when not a boolean. */
int lcsr_opt_bool(lua_State *L, int idx, const char *field);
/* An optional string option that must be one of names: its index, or dflt when absent;
 * raises "unknown <field> '<value>'" otherwise. */
int lcsr_opt_enum(lua_State *L, int idx, const char *field, const char *const *names, int dflt);
/* Signing options digest= / padding= / format= / salt_len= of the table at idx (none/nil: all
 * defaults) into sig, defaults resolved later by the core; verify also accepts sha1 and
 * sha224. Checks values only: the caller checks which keys are allowed. */
void lcsr_read_sig(lua_State *L, int idx, csr_sig *sig, int verify);

/* key.c */
void lcsr_key_open(lua_State *L);                 /* pushes the csr.key table */
csr_key *lcsr_checkkey(lua_State *L, int idx);     /* raises on closed / wrong type */
lcsr_key_box *lcsr_key_newbox(lua_State *L);       /* pushes a closed key box */
extern const char *const lcsr_key_type_names[];   /* "rsa", "ec", "ed25519", "ed448", NULL */
extern const int lcsr_key_type_codes[];           /* the CSR_KEY_* of each name */
/* The key parameters {bits =, curve =} at tidx (none/nil: the defaults) for a key of type:
 * the param of csr_key_generate (bits for rsa, CSR_CURVE_* for ec, else 0). Raises at
 * argument argn; what as for lcsr_check_fields (NULL, or the option holding the table). */
int lcsr_read_keyparams(lua_State *L, int tidx, int argn, const char *what, int type);
/* jose.c */
void lcsr_jose_open(lua_State *L);   /* adds the JOSE methods; from_jwk into the table on top */
void lcsr_util_open(lua_State *L);   /* pushes the csr.util table */
/* subject.c */
void lcsr_subject_open(lua_State *L);             /* pushes the csr.subject table */
csr_name *lcsr_checksubject(lua_State *L, int idx);
lcsr_subject_box *lcsr_subject_newbox(lua_State *L);
/* Converts a subject argument (csr.subject, string or table) to a new csr_name owned by a
 * box pushed on the stack. Returns NULL and pushes fail triple (3 values) on bad data:
 * then the caller returns 3. */
csr_name *lcsr_tosubject(lua_State *L, int idx, const char *where, int *nret);
/* Pushes n's RFC 4514 text for __tostring: "empty subject" when n is NULL or empty. */
void lcsr_push_name_text(lua_State *L, const csr_name *n);
/* Pushes a new csr.subject holding a copy of n; returns 1, or 3 (fail triple). */
int lcsr_push_name_copy(lua_State *L, const csr_name *n, const char *what);
/* request.c: csr.request (the object, parse, verify, the accessors) and csr.generate */
void lcsr_req_open(lua_State *L);                 /* pushes the csr.request table */
csr_req *lcsr_checkreq(lua_State *L, int idx);
lcsr_req_box *lcsr_req_newbox(lua_State *L);
/* Accessors shared by csr.request and csr.certificate: subject, public_key, matches, san,
 * key_usage, extended_key_usage, basic_constraints, must_staple, extensions. */
extern const luaL_Reg lcsr_req_view_methods[];
extern const luaL_Reg lcsr_policy_methods[];      /* check (policy.c) */
int lcsr_req_generate(lua_State *L);              /* csr.generate */
/* cert.c / certissue.c */
void lcsr_certificate_open(lua_State *L);         /* pushes the csr.certificate table */
csr_cert *lcsr_checkcert(lua_State *L, int idx);
lcsr_cert_box *lcsr_cert_newbox(lua_State *L);
/* The request-shaped view of a csr.request or csr.certificate at idx (raises otherwise). */
const csr_req *lcsr_checkview(lua_State *L, int idx);
int lcsr_cert_issue(lua_State *L);                /* csr.certificate.issue */
int lcsr_cert_self_signed(lua_State *L);          /* csr.certificate.self_signed */
/* reqopts.c: the option table at o (argument #1) into spec (strings stay anchored by the
 * table; scratch arrays are Lua userdata left on the stack). Raises on misuse. */
const char *lcsr_req_read_spec(lua_State *L, int o, csr_req_spec *spec);
/* With a name from lcsr_req_read_spec: pushes fail, "<where>: <name> is an empty list", INVALID
 * and returns 3; with NULL returns 0. */
int lcsr_req_check_empty(lua_State *L, const char *empty, const char *where);
/* The csr.key in field "key" of o; NULL when absent and not required. */
const csr_key *lcsr_req_opt_key(lua_State *L, int o, int required);
/* The subject field of o into spec->subject (a box pushed when present); returns 0, or the
 * number of fail values pushed (bad data). */
int lcsr_req_opt_subject(lua_State *L, int o, const char *where, csr_req_spec *spec);
/* csr.generate's key = nil | {"ec", {curve=}} | {"rsa", {bits=}} | {"ed25519"} | {"ed448"} */
typedef struct { int type, param; } lcsr_req_keygen;
void lcsr_req_read_keygen(lua_State *L, int o, lcsr_req_keygen *g);

#endif

#pragma GCC diagnostic ignored "-Wunused-parameter"
/* TEMPORARY weak stubs so the module links while the pieces are written. Delete when done. */
#include "csr.h"

__attribute__((weak)) int csr_key_generate(csr_key **out, int type, int param, csr_err *err)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) int csr_key_parse(csr_key **out, const uint8_t *in, size_t len, const char *pass, size_t passlen, csr_err *err)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) int csr_key_from_spki(csr_key **out, const uint8_t *spki, size_t len, csr_err *err)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) void csr_key_free(csr_key *k)
{}
__attribute__((weak)) int csr_key_type(const csr_key *k)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) int csr_key_bits(const csr_key *k)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) int csr_key_curve(const csr_key *k)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) int csr_key_is_private(const csr_key *k)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) int csr_key_public(csr_key **out, const csr_key *k, csr_err *err)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) const uint8_t *csr_key_spki(const csr_key *k, size_t *len)
{ return NULL; }
__attribute__((weak)) int csr_key_same_public(const csr_key *a, const csr_key *b)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) int csr_key_export(csr_buf *out, const csr_key *k, int public_only, int pem, const char *pass, size_t passlen, csr_err *err)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) int csr_key_write(const csr_key *k, const char *path, int public_only, const char *pass, size_t passlen, csr_err *err)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) void csr_key_fingerprint(const csr_key *k, char hex[65])
{}
__attribute__((weak)) int csr_key_default_md(const csr_key *k)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) int csr_key_sign(csr_buf *sig, const csr_key *k, const csr_sig *p, const uint8_t *msg, size_t len, csr_err *err)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) int csr_key_verify(const csr_key *k, const csr_sig *p, const uint8_t *msg, size_t len, const uint8_t *sig, size_t siglen, csr_err *err)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) int csr_name_new(csr_name **out, csr_err *err)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) void csr_name_free(csr_name *n)
{}
__attribute__((weak)) int csr_name_dup(csr_name **out, const csr_name *n, csr_err *err)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) int csr_name_add(csr_name *n, const char *attr, const uint8_t *val, size_t len, int new_rdn, csr_err *err)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) int csr_name_parse_text(csr_name **out, const char *s, size_t len, csr_err *err)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) int csr_name_from_der(csr_name **out, const uint8_t *der, size_t len, size_t base, csr_err *err)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) int csr_name_to_der(csr_buf *out, const csr_name *n)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) int csr_name_to_text(csr_buf *out, const csr_name *n)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) int csr_name_equal(const csr_name *a, const csr_name *b)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) size_t csr_name_rdn_count(const csr_name *n)
{ return 0; }
__attribute__((weak)) size_t csr_name_rdn_size(const csr_name *n, size_t rdn)
{ return 0; }
__attribute__((weak)) int csr_name_get(const csr_name *n, size_t rdn, size_t j, const char **attr, const uint8_t **val, size_t *len, int *tag)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) int csr_req_build(csr_req **out, const csr_req_spec *spec, csr_err *err)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) int csr_req_sign(csr_req *r, const csr_key *k, const csr_sig *p, csr_err *err)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) int csr_req_parse(csr_req **out, const uint8_t *in, size_t len, csr_err *err)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) void csr_req_free(csr_req *r)
{}
__attribute__((weak)) int csr_req_is_signed(const csr_req *r)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) const uint8_t *csr_req_der(const csr_req *r, size_t *len)
{ return NULL; }
__attribute__((weak)) int csr_req_pem(csr_buf *out, const csr_req *r, csr_err *err)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) int csr_req_verify(const csr_req *r, csr_err *err)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) int csr_req_version(const csr_req *r)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) const csr_name *csr_req_subject(const csr_req *r)
{ return NULL; }
__attribute__((weak)) int csr_req_public_key(csr_key **out, const csr_req *r, csr_err *err)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) const uint8_t *csr_req_spki(const csr_req *r, size_t *len)
{ return NULL; }
__attribute__((weak)) const char *csr_req_sigalg_name(const csr_req *r)
{ return NULL; }
__attribute__((weak)) int csr_req_matches(const csr_req *r, const csr_key *k)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) size_t csr_req_san_count(const csr_req *r)
{ return 0; }
__attribute__((weak)) int csr_req_san_get(const csr_req *r, size_t i, int *type, const uint8_t **val, size_t *len, const char **oid)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) int csr_req_key_usage(const csr_req *r, unsigned *bits)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) size_t csr_req_eku_count(const csr_req *r)
{ return 0; }
__attribute__((weak)) int csr_req_has_eku(const csr_req *r)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) const char *csr_req_eku_get(const csr_req *r, size_t i)
{ return NULL; }
__attribute__((weak)) int csr_req_basic_constraints(const csr_req *r, int *ca, int *pathlen)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) int csr_req_must_staple(const csr_req *r)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) const uint8_t *csr_req_challenge(const csr_req *r, size_t *len)
{ return NULL; }
__attribute__((weak)) const uint8_t *csr_req_unstructured(const csr_req *r, size_t *len)
{ return NULL; }
__attribute__((weak)) size_t csr_req_attr_count(const csr_req *r)
{ return 0; }
__attribute__((weak)) const csr_attr_view *csr_req_attr_get(const csr_req *r, size_t i)
{ return NULL; }
__attribute__((weak)) size_t csr_req_ext_count(const csr_req *r)
{ return 0; }
__attribute__((weak)) const csr_ext_view *csr_req_ext_get(const csr_req *r, size_t i)
{ return NULL; }
__attribute__((weak)) int csr_req_text(csr_buf *out, const csr_req *r, csr_err *err)
{ return CSR_E_UNSUPPORTED; }
__attribute__((weak)) int csr_sig_resolve(csr_sig *p, const csr_key *k, csr_err *err)
{ return CSR_E_UNSUPPORTED; }
#include "req_int.h"
__attribute__((weak)) int csr_req_from_cri(csr_req **out, const uint8_t *cri, size_t len, csr_err *err)
{ return csr_err_set(err, CSR_E_UNSUPPORTED, "not yet"); }
__attribute__((weak)) int csr_req_attach_signature(csr_req *r, const uint8_t *algid, size_t alen, const uint8_t *sig, size_t slen, csr_err *err)
{ return csr_err_set(err, CSR_E_UNSUPPORTED, "not yet"); }
__attribute__((weak)) const uint8_t *csr_req_cri(const csr_req *r, size_t *len) { return NULL; }

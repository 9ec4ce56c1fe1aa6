/* The PKCS#10 request object (struct csr_req in req.h): lifecycle, encodings and the
 * accessors of its parsed view. Parsing is in req_parse.c, building in req_build.c.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "req.h"

/* Clears everything parsed out of r->bytes (keeps the bytes). */
static void clear_parsed(csr_req *r)
{
    req_free_view(r);
    csr_name_free(r->subject);
    r->subject = NULL;
}

void csr_req_free(csr_req *r)
{
    if (r == NULL)
        return;
    clear_parsed(r);
    csr_key_free(r->key);
    csr_free_wiped(r->bytes, r->len);
    csr_free_wiped(r->view_bytes, r->view_len);
    csr_free_wiped(r, sizeof *r);
}

const uint8_t *csr_req_cri(const csr_req *r, size_t *len)
{
    *len = r->cri_len;
    return r->cri;
}

int csr_req_is_signed(const csr_req *r)
{
    return r->is_signed;
}

const uint8_t *csr_req_der(const csr_req *r, size_t *len)
{
    if (!r->is_signed) {
        *len = 0;
        return NULL;
    }
    *len = r->len;
    return r->bytes;
}

int csr_req_pem(csr_buf *out, const csr_req *r, csr_err *err)
{
    int rc;
    if (!r->is_signed)
        return csr_err_set(err, CSR_E_NOT_SIGNED, "the request is not signed");
    rc = csr_pem_encode(out, "CERTIFICATE REQUEST", r->bytes, r->len);
    if (rc != CSR_OK)
        return csr_err_set(err, rc, "out of memory");
    return CSR_OK;
}

/* ---- view accessors ---- */
int csr_req_version(const csr_req *r)
{
    return r->version;
}

const csr_name *csr_req_subject(const csr_req *r)
{
    return r->subject;
}

int csr_req_public_key(csr_key **out, const csr_req *r, csr_err *err)
{
    int rc;
    *out = NULL;
    if (r->key != NULL)
        return csr_key_public(out, r->key, err);
    memset(err, 0, sizeof *err);
    rc = csr_key_from_spki(out, r->spki, r->spki_len, err);
    if (rc != CSR_OK) {
        *out = NULL;
        if (err->code != rc)              /* the callee left no record */
            csr_err_set(err, rc, "unsupported public key %s", r->key_alg);
    }
    return rc;
}

const uint8_t *csr_req_spki(const csr_req *r, size_t *len)
{
    *len = r->spki_len;
    return r->spki;
}

const char *csr_req_sigalg_name(const csr_req *r)
{
    return r->is_signed ? r->sigalg : NULL;
}

int csr_req_matches(const csr_req *r, const csr_key *k)
{
    size_t n = 0;
    const uint8_t *kspki;

    if (r->key != NULL)
        return csr_key_same_public(r->key, k) == 1;
    kspki = csr_key_spki(k, &n);
    return kspki != NULL && n == r->spki_len && memcmp(kspki, r->spki, n) == 0;
}

size_t csr_req_san_count(const csr_req *r)
{
    return r->nsan;
}

int csr_req_san_get(const csr_req *r, size_t i, int *type, const uint8_t **val, size_t *len,
                    const char **oid)
{
    const req_san *s;
    if (i >= r->nsan)
        return CSR_E_INVALID;
    s = &r->san[i];
    *type = s->type;
    *val = s->val;
    *len = s->len;
    *oid = (s->type == CSR_SAN_OTHER || s->type == CSR_SAN_RID) ? s->oid : NULL;
    return CSR_OK;
}

int csr_req_key_usage(const csr_req *r, unsigned *bits)
{
    *bits = r->ku_set ? r->ku : 0;
    return r->ku_set;
}

size_t csr_req_eku_count(const csr_req *r)
{
    return r->neku;
}

int csr_req_has_eku(const csr_req *r)
{
    return r->eku_set;
}

const char *csr_req_eku_get(const csr_req *r, size_t i)
{
    if (i >= r->neku)
        return NULL;
    return r->eku[i].name != NULL ? r->eku[i].name : r->eku[i].oid;
}

int csr_req_basic_constraints(const csr_req *r, int *ca, int *pathlen)
{
    *ca = r->bc_set ? r->bc_ca : 0;
    *pathlen = r->bc_set ? r->bc_pathlen : -1;
    return r->bc_set;
}

int csr_req_must_staple(const csr_req *r)
{
    return r->must_staple;
}

const uint8_t *csr_req_challenge(const csr_req *r, size_t *len)
{
    *len = r->challenge_len;
    return r->challenge;
}

const uint8_t *csr_req_unstructured(const csr_req *r, size_t *len)
{
    *len = r->unstructured_len;
    return r->unstructured;
}

size_t csr_req_attr_count(const csr_req *r)
{
    return r->nattrs;
}

const csr_attr_view *csr_req_attr_get(const csr_req *r, size_t i)
{
    return i < r->nattrs ? &r->attrs[i].v : NULL;
}

size_t csr_req_ext_count(const csr_req *r)
{
    return r->nexts;
}

const csr_ext_view *csr_req_ext_get(const csr_req *r, size_t i)
{
    return i < r->nexts ? &r->exts[i].v : NULL;
}

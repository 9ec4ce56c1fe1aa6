/* The extension registry: one row per extension the core knows by structure, giving its
 * encoder, decoder, default criticality and text printer (see ext.h).
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "ext.h"
#include "oid.h"

/* Typed ones first, in the order a request writes them. */
static const ext_row rows[] = {
    {OID_SAN, -1, ext_want_san, ext_enc_san, ext_dec_san, ext_txt_san},
    {OID_KU, 1, ext_want_ku, ext_enc_ku, ext_dec_ku, ext_txt_ku},
    {OID_EKU, 0, ext_want_eku, ext_enc_eku, ext_dec_eku, ext_txt_eku},
    {OID_BC, 1, ext_want_bc, ext_enc_bc, ext_dec_bc, ext_txt_bc},
    {OID_TLS_FEATURE, 0, ext_want_tls_feature, ext_enc_tls_feature, ext_dec_tls_feature,
     ext_txt_tls_feature},
    {OID_SKI, 0, NULL, NULL, ext_dec_ski, ext_txt_ski},
    {OID_AKI, 0, NULL, NULL, NULL, ext_txt_aki},
    {OID_AIA, 0, NULL, NULL, NULL, ext_txt_aia},
    {OID_CRLDP, 0, NULL, NULL, NULL, ext_txt_crldp},
    {OID_CERT_POLICIES, 0, NULL, NULL, NULL, ext_txt_policies},
};
#define NROWS (sizeof rows / sizeof rows[0])

const ext_row *ext_rows(size_t *n)
{
    *n = NROWS;
    return rows;
}

const ext_row *ext_find(const char *dotted)
{
    size_t i;
    for (i = 0; i < NROWS; i++)
        if (strcmp(rows[i].oid, dotted) == 0)
            return &rows[i];
    return NULL;
}

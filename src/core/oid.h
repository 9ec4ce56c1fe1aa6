/* The OID registry's rows and the OIDs the core writes by name (oid.c). Internal to src/core/.
 * SPDX-License-Identifier: MIT */
#ifndef CSR_OID_H
#define CSR_OID_H

#include <stddef.h>

#include "core_int.h"

/* request attributes (PKCS#9, RFC 2985) */
#define OID_CHALLENGE     "1.2.840.113549.1.9.7"
#define OID_UNSTRUCTURED  "1.2.840.113549.1.9.2"
#define OID_EXT_REQUEST   "1.2.840.113549.1.9.14"
#define OID_MS_EXT_REQUEST "1.3.6.1.4.1.311.2.1.14"
/* extensions (RFC 5280 4.2, RFC 7633) */
#define OID_SAN           "2.5.29.17"
#define OID_KU            "2.5.29.15"
#define OID_EKU           "2.5.29.37"
#define OID_BC            "2.5.29.19"
#define OID_SKI           "2.5.29.14"
#define OID_TLS_FEATURE   "1.3.6.1.5.5.7.1.24"
#define OID_AKI           "2.5.29.35"
#define OID_CRLDP         "2.5.29.31"
#define OID_CERT_POLICIES "2.5.29.32"
#define OID_AIA           "1.3.6.1.5.5.7.1.1"
#define OID_AD_OCSP       "1.3.6.1.5.5.7.48.1"   /* AIA accessMethods */
#define OID_AD_CA_ISSUERS "1.3.6.1.5.5.7.48.2"
#define OID_QT_CPS        "1.3.6.1.5.5.7.2.1"    /* policy qualifier: CPS URI */
/* key and signature algorithms (RFC 3279, RFC 4055, RFC 5480, RFC 8410) */
#define OID_RSA           "1.2.840.113549.1.1.1"
#define OID_RSA_PSS       "1.2.840.113549.1.1.10"
#define OID_MGF1          "1.2.840.113549.1.1.8"
#define OID_EC            "1.2.840.10045.2.1"
#define OID_ED25519       "1.3.101.112"
#define OID_ED448         "1.3.101.113"

/* One row: an OID of one kind (CSR_OID_*) with its name and what the kind needs. */
typedef struct csr_oid_info {
    int kind;
    const char *oid;            /* dotted */
    const char *name;           /* the name we print and accept (RFC / openssl short name) */
    const char *label;          /* the `openssl -text` wording, or NULL (then name) */
    int id;                     /* SIGALG, KEYALG: CSR_KEY_* (0: known, not supported);
                                 * CURVE: CSR_CURVE_*; HASH: CSR_MD_*; else 0 */
    int md;                     /* SIGALG: CSR_MD_* */
} csr_oid_info;

/* The row of that kind for a dotted OID, or NULL. */
const csr_oid_info *csr_oid_find(int kind, const char *dotted);
/* The first row of that kind with that id (CSR_KEY_*, CSR_CURVE_*, CSR_MD_*), or NULL. */
const csr_oid_info *csr_oid_find_id(int kind, int id);
/* The PKCS#1 v1.5 / ECDSA / EdDSA signature algorithm for a key type and digest, or NULL. */
const csr_oid_info *csr_oid_sigalg(int key_type, int md);

/* How a subject attribute's value is typed (RFC 5280 Appendix A, X.520). */
#define CSR_ATTR_UTF8            0   /* DirectoryString: UTF8String */
#define CSR_ATTR_COUNTRY         1   /* two letters, PrintableString */
#define CSR_ATTR_PRINTABLE_PREF  2   /* PrintableString when it fits, else UTF8String */
#define CSR_ATTR_IA5             3   /* IA5String (ASCII) */

/* A subject attribute: names and the RFC 5280 upper bound of its value. */
typedef struct csr_attr_info {
    const char *oid;            /* dotted; NULL in the default row */
    const char *name;           /* short name, printed on output */
    const char *alias[3];       /* accepted on input too, NULL-terminated */
    const char *bound;          /* the bound's ASN.1 name, for messages */
    size_t max;                 /* in code points */
    int stype;                  /* CSR_ATTR_* */
} csr_attr_info;

/* The attribute row for a dotted OID; for an OID not in the table, a default row (name NULL,
 * ub-name, UTF8String). Never NULL. */
const csr_attr_info *csr_attr_find(const char *dotted);
/* The `openssl -text` wording of keyUsage bit 0..8, or NULL. */
const char *csr_ku_label(int bit);

#endif

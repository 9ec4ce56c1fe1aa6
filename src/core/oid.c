/* The OID registry: every OID the core knows, with its name and kind (subject attributes with
 * their bounds, request attributes, extensions, key usages, extended key usages, signature and
 * key algorithms, curves, hashes). Encoders, decoders, the text dump and the binding read it.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "oid.h"

#define UB_NAME 32768           /* ub-name: generic bound for everything else */

static const csr_attr_info attrs[] = {
    {"2.5.4.6", "C", {"countryName", NULL, NULL}, "ub-country-name-alpha-length", 2,
     CSR_ATTR_COUNTRY},
    {"2.5.4.8", "ST", {"stateOrProvinceName", "S", NULL}, "ub-state-name", 128, CSR_ATTR_UTF8},
    {"2.5.4.7", "L", {"localityName", NULL, NULL}, "ub-locality-name", 128, CSR_ATTR_UTF8},
    {"2.5.4.10", "O", {"organizationName", NULL, NULL}, "ub-organization-name", 64,
     CSR_ATTR_UTF8},
    {"2.5.4.11", "OU", {"organizationalUnitName", NULL, NULL}, "ub-organizational-unit-name",
     64, CSR_ATTR_UTF8},
    {"2.5.4.3", "CN", {"commonName", NULL, NULL}, "ub-common-name", 64, CSR_ATTR_UTF8},
    {"1.2.840.113549.1.9.1", "emailAddress", {"email", "E", NULL}, "ub-emailaddress-length",
     255, CSR_ATTR_IA5},
    {"2.5.4.5", "serialNumber", {NULL, NULL, NULL}, "ub-serial-number", 64,
     CSR_ATTR_PRINTABLE_PREF},
    {"0.9.2342.19200300.100.1.1", "UID", {"userId", NULL, NULL}, "ub-user-identifier", 256,
     CSR_ATTR_UTF8},
    {"0.9.2342.19200300.100.1.25", "DC", {"domainComponent", NULL, NULL}, "ub-name", UB_NAME,
     CSR_ATTR_IA5},
    {"2.5.4.12", "title", {NULL, NULL, NULL}, "ub-title", 64, CSR_ATTR_UTF8},
    {"2.5.4.42", "GN", {"givenName", NULL, NULL}, "ub-name", UB_NAME, CSR_ATTR_UTF8},
    {"2.5.4.4", "SN", {"surname", NULL, NULL}, "ub-name", UB_NAME, CSR_ATTR_UTF8},
    {"2.5.4.43", "initials", {NULL, NULL, NULL}, "ub-name", UB_NAME, CSR_ATTR_UTF8},
    {"2.5.4.65", "pseudonym", {NULL, NULL, NULL}, "ub-pseudonym", 128, CSR_ATTR_UTF8},
    {"2.5.4.46", "dnQualifier", {NULL, NULL, NULL}, "ub-name", UB_NAME,
     CSR_ATTR_PRINTABLE_PREF},
    {"2.5.4.17", "postalCode", {NULL, NULL, NULL}, "ub-postal-code", 40, CSR_ATTR_UTF8},
    {"2.5.4.9", "street", {"streetAddress", NULL, NULL}, "ub-street-address", 128,
     CSR_ATTR_UTF8},
    {"2.5.4.15", "businessCategory", {NULL, NULL, NULL}, "ub-business-category", 128,
     CSR_ATTR_UTF8},
    {"1.3.6.1.4.1.311.60.2.1.3", "jurisdictionC", {"jurisdictionCountryName", NULL, NULL},
     "ub-country-name-alpha-length", 2, CSR_ATTR_COUNTRY},
    {"1.3.6.1.4.1.311.60.2.1.2", "jurisdictionST",
     {"jurisdictionStateOrProvinceName", NULL, NULL}, "ub-state-name", 128, CSR_ATTR_UTF8},
    {"1.3.6.1.4.1.311.60.2.1.1", "jurisdictionL", {"jurisdictionLocalityName", NULL, NULL},
     "ub-locality-name", 128, CSR_ATTR_UTF8},
    {"2.5.4.97", "organizationIdentifier", {NULL, NULL, NULL}, "ub-name", UB_NAME,
     CSR_ATTR_UTF8},
    {NULL, NULL, {NULL, NULL, NULL}, "ub-name", UB_NAME, CSR_ATTR_UTF8}   /* any other OID */
};

#define R(kind, oid, name, label, id, md) {CSR_OID_##kind, oid, name, label, id, md}

static const csr_oid_info rows[] = {
    /* request attributes (PKCS#9, Microsoft) */
    R(REQATTR, OID_CHALLENGE, "challengePassword", NULL, 0, 0),
    R(REQATTR, OID_UNSTRUCTURED, "unstructuredName", NULL, 0, 0),
    R(REQATTR, OID_EXT_REQUEST, "extensionRequest", NULL, 0, 0),
    R(REQATTR, OID_MS_EXT_REQUEST, "msExtReq", NULL, 0, 0),
    R(REQATTR, "1.2.840.113549.1.9.8", "unstructuredAddress", NULL, 0, 0),
    R(REQATTR, "1.2.840.113549.1.9.1", "emailAddress", NULL, 0, 0),
    R(REQATTR, "1.3.6.1.4.1.311.13.2.3", "msOSVersion", NULL, 0, 0),
    R(REQATTR, "1.3.6.1.4.1.311.13.2.2", "msEnrollmentCSP", NULL, 0, 0),
    R(REQATTR, "1.3.6.1.4.1.311.21.20", "msRequestClientInfo", NULL, 0, 0),
    /* extensions */
    R(EXT, OID_SAN, "subjectAltName", "X509v3 Subject Alternative Name", 0, 0),
    R(EXT, OID_KU, "keyUsage", "X509v3 Key Usage", 0, 0),
    R(EXT, OID_EKU, "extendedKeyUsage", "X509v3 Extended Key Usage", 0, 0),
    R(EXT, OID_BC, "basicConstraints", "X509v3 Basic Constraints", 0, 0),
    R(EXT, OID_SKI, "subjectKeyIdentifier", "X509v3 Subject Key Identifier", 0, 0),
    R(EXT, OID_TLS_FEATURE, "tlsfeature", "TLS Feature", 0, 0),
    R(EXT, OID_AKI, "authorityKeyIdentifier", "X509v3 Authority Key Identifier", 0, 0),
    R(EXT, "2.5.29.18", "issuerAltName", NULL, 0, 0),
    R(EXT, "2.5.29.9", "subjectDirectoryAttributes", NULL, 0, 0),
    R(EXT, "2.5.29.30", "nameConstraints", NULL, 0, 0),
    R(EXT, OID_CRLDP, "crlDistributionPoints", "X509v3 CRL Distribution Points", 0, 0),
    R(EXT, OID_CERT_POLICIES, "certificatePolicies", "X509v3 Certificate Policies", 0, 0),
    R(EXT, "2.5.29.36", "policyConstraints", NULL, 0, 0),
    R(EXT, "2.5.29.54", "inhibitAnyPolicy", NULL, 0, 0),
    R(EXT, OID_AIA, "authorityInfoAccess", "Authority Information Access", 0, 0),
    R(EXT, "1.3.6.1.5.5.7.48.1.5", "noCheck", NULL, 0, 0),
    R(EXT, "1.3.6.1.4.1.11129.2.4.2", "ct_precert_scts", "CT Precertificate SCTs", 0, 0),
    R(EXT, "2.16.840.1.113730.1.13", "nsComment", NULL, 0, 0),
    /* extended key usages (RFC 5280 4.2.1.12) */
    R(EKU, "1.3.6.1.5.5.7.3.1", "serverAuth", "TLS Web Server Authentication", 0, 0),
    R(EKU, "1.3.6.1.5.5.7.3.2", "clientAuth", "TLS Web Client Authentication", 0, 0),
    R(EKU, "1.3.6.1.5.5.7.3.3", "codeSigning", "Code Signing", 0, 0),
    R(EKU, "1.3.6.1.5.5.7.3.4", "emailProtection", "E-mail Protection", 0, 0),
    R(EKU, "1.3.6.1.5.5.7.3.8", "timeStamping", "Time Stamping", 0, 0),
    R(EKU, "1.3.6.1.5.5.7.3.9", "OCSPSigning", "OCSP Signing", 0, 0),
    /* signature algorithms; id 0: known by name, not supported */
    R(SIGALG, "1.2.840.113549.1.1.5", "sha1WithRSAEncryption", NULL, CSR_KEY_RSA, CSR_MD_SHA1),
    R(SIGALG, "1.2.840.113549.1.1.14", "sha224WithRSAEncryption", NULL, CSR_KEY_RSA,
      CSR_MD_SHA224),
    R(SIGALG, "1.2.840.113549.1.1.11", "sha256WithRSAEncryption", NULL, CSR_KEY_RSA,
      CSR_MD_SHA256),
    R(SIGALG, "1.2.840.113549.1.1.12", "sha384WithRSAEncryption", NULL, CSR_KEY_RSA,
      CSR_MD_SHA384),
    R(SIGALG, "1.2.840.113549.1.1.13", "sha512WithRSAEncryption", NULL, CSR_KEY_RSA,
      CSR_MD_SHA512),
    R(SIGALG, "1.2.840.10045.4.1", "ecdsa-with-SHA1", NULL, CSR_KEY_EC, CSR_MD_SHA1),
    R(SIGALG, "1.2.840.10045.4.3.1", "ecdsa-with-SHA224", NULL, CSR_KEY_EC, CSR_MD_SHA224),
    R(SIGALG, "1.2.840.10045.4.3.2", "ecdsa-with-SHA256", NULL, CSR_KEY_EC, CSR_MD_SHA256),
    R(SIGALG, "1.2.840.10045.4.3.3", "ecdsa-with-SHA384", NULL, CSR_KEY_EC, CSR_MD_SHA384),
    R(SIGALG, "1.2.840.10045.4.3.4", "ecdsa-with-SHA512", NULL, CSR_KEY_EC, CSR_MD_SHA512),
    R(SIGALG, OID_ED25519, "ed25519", NULL, CSR_KEY_ED25519, CSR_MD_NONE),
    R(SIGALG, OID_ED448, "ed448", NULL, CSR_KEY_ED448, CSR_MD_NONE),
    R(SIGALG, OID_RSA_PSS, "rsassaPss", NULL, CSR_KEY_RSA, CSR_MD_NONE),
    R(SIGALG, "1.2.840.113549.1.1.4", "md5WithRSAEncryption", NULL, 0, 0),
    R(SIGALG, "1.2.840.113549.1.1.3", "md4WithRSAEncryption", NULL, 0, 0),
    R(SIGALG, "1.2.840.113549.1.1.2", "md2WithRSAEncryption", NULL, 0, 0),
    R(SIGALG, "1.2.840.10040.4.3", "dsa-with-SHA1", NULL, 0, 0),
    R(SIGALG, "2.16.840.1.101.3.4.3.1", "dsa-with-SHA224", NULL, 0, 0),
    R(SIGALG, "2.16.840.1.101.3.4.3.2", "dsa-with-SHA256", NULL, 0, 0),
    R(SIGALG, "2.16.840.1.101.3.4.3.17", "ML-DSA-44", NULL, 0, 0),
    R(SIGALG, "2.16.840.1.101.3.4.3.18", "ML-DSA-65", NULL, 0, 0),
    R(SIGALG, "2.16.840.1.101.3.4.3.19", "ML-DSA-87", NULL, 0, 0),
    R(SIGALG, "1.2.840.113549.1.1.15", "sha512-224WithRSAEncryption", NULL, 0, 0),
    R(SIGALG, "1.2.840.113549.1.1.16", "sha512-256WithRSAEncryption", NULL, 0, 0),
    R(SIGALG, "2.16.840.1.101.3.4.3.14", "RSA-SHA3-256", NULL, 0, 0),
    /* SubjectPublicKeyInfo algorithms; the label is the short word for messages and -text */
    R(KEYALG, OID_RSA, "rsaEncryption", "rsaEncryption", CSR_KEY_RSA, 0),
    R(KEYALG, OID_RSA_PSS, "rsassaPss", "rsassaPss", CSR_KEY_RSA, 0),
    R(KEYALG, OID_EC, "id-ecPublicKey", "id-ecPublicKey", CSR_KEY_EC, 0),
    R(KEYALG, OID_ED25519, "ed25519", "ED25519", CSR_KEY_ED25519, 0),
    R(KEYALG, OID_ED448, "ed448", "ED448", CSR_KEY_ED448, 0),
    R(KEYALG, "1.2.840.10040.4.1", "dsaEncryption", "DSA", 0, 0),
    R(KEYALG, "1.3.101.110", "x25519", "X25519", 0, 0),
    R(KEYALG, "1.3.101.111", "x448", "X448", 0, 0),
    R(KEYALG, "1.2.840.113549.1.3.1", "dhKeyAgreement", "DH", 0, 0),
    R(KEYALG, "2.16.840.1.101.3.4.3.17", "ML-DSA-44", "ML-DSA-44", 0, 0),
    R(KEYALG, "2.16.840.1.101.3.4.3.18", "ML-DSA-65", "ML-DSA-65", 0, 0),
    R(KEYALG, "2.16.840.1.101.3.4.3.19", "ML-DSA-87", "ML-DSA-87", 0, 0),
    R(KEYALG, "2.16.840.1.101.3.4.4.1", "ML-KEM-512", "ML-KEM-512", 0, 0),
    R(KEYALG, "2.16.840.1.101.3.4.4.2", "ML-KEM-768", "ML-KEM-768", 0, 0),
    R(KEYALG, "2.16.840.1.101.3.4.4.3", "ML-KEM-1024", "ML-KEM-1024", 0, 0),
    /* named curves (RFC 5480); the label is the ASN.1 name */
    R(CURVE, "1.2.840.10045.3.1.7", "P-256", "prime256v1", CSR_CURVE_P256, 0),
    R(CURVE, "1.3.132.0.34", "P-384", "secp384r1", CSR_CURVE_P384, 0),
    R(CURVE, "1.3.132.0.35", "P-521", "secp521r1", CSR_CURVE_P521, 0),
    /* hashes (RFC 3279, RFC 5758) */
    R(HASH, "1.3.14.3.2.26", "sha1", NULL, CSR_MD_SHA1, 0),
    R(HASH, "2.16.840.1.101.3.4.2.4", "sha224", NULL, CSR_MD_SHA224, 0),
    R(HASH, "2.16.840.1.101.3.4.2.1", "sha256", NULL, CSR_MD_SHA256, 0),
    R(HASH, "2.16.840.1.101.3.4.2.2", "sha384", NULL, CSR_MD_SHA384, 0),
    R(HASH, "2.16.840.1.101.3.4.2.3", "sha512", NULL, CSR_MD_SHA512, 0),
    {0, NULL, NULL, NULL, 0, 0}
};

/* keyUsage bits (RFC 5280 4.2.1.3), bit i = name i; the -text wording beside it */
static const struct { const char *name, *label; } ku[] = {
    {"digitalSignature", "Digital Signature"}, {"nonRepudiation", "Non Repudiation"},
    {"keyEncipherment", "Key Encipherment"}, {"dataEncipherment", "Data Encipherment"},
    {"keyAgreement", "Key Agreement"}, {"keyCertSign", "Certificate Sign"},
    {"cRLSign", "CRL Sign"}, {"encipherOnly", "Encipher Only"},
    {"decipherOnly", "Decipher Only"}
};
#define KU_BITS (sizeof ku / sizeof ku[0])

static int ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y + 32);
        if (x != y)
            return 0;
    }
    return *a == *b;
}

const csr_attr_info *csr_attr_find(const char *dotted)
{
    size_t i;
    for (i = 0; attrs[i].oid != NULL; i++)
        if (dotted != NULL && strcmp(attrs[i].oid, dotted) == 0)
            return &attrs[i];
    return &attrs[i];
}

const csr_oid_info *csr_oid_find(int kind, const char *dotted)
{
    size_t i;
    if (dotted == NULL)
        return NULL;
    for (i = 0; rows[i].oid != NULL; i++)
        if (rows[i].kind == kind && strcmp(rows[i].oid, dotted) == 0)
            return &rows[i];
    return NULL;
}

const csr_oid_info *csr_oid_find_id(int kind, int id)
{
    size_t i;
    for (i = 0; rows[i].oid != NULL; i++)
        if (rows[i].kind == kind && rows[i].id == id && id != 0)
            return &rows[i];
    return NULL;
}

const csr_oid_info *csr_oid_sigalg(int key_type, int md)
{
    size_t i;
    for (i = 0; rows[i].oid != NULL; i++)
        if (rows[i].kind == CSR_OID_SIGALG && rows[i].id == key_type && rows[i].md == md &&
            key_type != 0 && strcmp(rows[i].oid, OID_RSA_PSS) != 0)
            return &rows[i];
    return NULL;
}

/* see csr.h */
const char *csr_oid_name(int kind, const char *dotted)
{
    const csr_oid_info *o;
    if (kind == CSR_OID_ATTR)
        return csr_attr_find(dotted)->name;
    o = csr_oid_find(kind, dotted);
    return o != NULL ? o->name : NULL;
}

/* see csr.h */
const char *csr_oid_from_name(int kind, const char *name)
{
    size_t i, j;
    if (name == NULL)
        return NULL;
    if (kind == CSR_OID_ATTR) {
        for (i = 0; attrs[i].oid != NULL; i++) {
            if (ieq(attrs[i].name, name))
                return attrs[i].oid;
            for (j = 0; j < 3 && attrs[i].alias[j] != NULL; j++)
                if (ieq(attrs[i].alias[j], name))
                    return attrs[i].oid;
        }
        return NULL;
    }
    for (i = 0; rows[i].oid != NULL; i++)
        if (rows[i].kind == kind && strcmp(rows[i].name, name) == 0)
            return rows[i].oid;
    return NULL;
}

/* see csr.h */
int csr_oid_is_dotted(const char *s, int strict)
{
    size_t i;
    int dots = 0;
    if (s == NULL || s[0] < '0' || s[0] > '9')
        return 0;
    for (i = 0; s[i]; i++) {
        if (s[i] == '.') {
            if (strict && (s[i + 1] < '0' || s[i + 1] > '9'))
                return 0;
            dots++;
        } else if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
    }
    return !strict || dots >= 1;
}

/* see csr.h */
const char *csr_ku_name(int bit)
{
    return bit >= 0 && (size_t)bit < KU_BITS ? ku[bit].name : NULL;
}

const char *csr_ku_label(int bit)
{
    return bit >= 0 && (size_t)bit < KU_BITS ? ku[bit].label : NULL;
}

/* see csr.h */
unsigned csr_ku_from_name(const char *name)
{
    size_t i;
    if (name == NULL)
        return 0;
    if (strcmp(name, "contentCommitment") == 0)     /* X.509 (2008) name of bit 1 */
        return CSR_KU_NON_REPUDIATION;
    for (i = 0; i < KU_BITS; i++)
        if (strcmp(name, ku[i].name) == 0)
            return 1u << i;
    return 0;
}

static const char *name_by_id(int kind, int id)
{
    const csr_oid_info *o = csr_oid_find_id(kind, id);
    return o != NULL ? o->name : NULL;
}

static int id_by_name(int kind, const char *name)
{
    const char *oid = csr_oid_from_name(kind, name);
    return oid != NULL ? csr_oid_find(kind, oid)->id : 0;     /* CSR_CURVE_NONE, CSR_MD_NONE */
}

/* see csr.h */
const char *csr_curve_name(int curve) { return name_by_id(CSR_OID_CURVE, curve); }
int csr_curve_from_name(const char *name) { return id_by_name(CSR_OID_CURVE, name); }
const char *csr_md_name(int md) { return name_by_id(CSR_OID_HASH, md); }
int csr_md_from_name(const char *name) { return id_by_name(CSR_OID_HASH, name); }

/* see csr.h */
const char *csr_md_oid(int md)
{
    const csr_oid_info *o = csr_oid_find_id(CSR_OID_HASH, md);
    return o != NULL ? o->oid : NULL;
}

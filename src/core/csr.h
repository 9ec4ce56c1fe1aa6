/* lua-csr C core: keys, distinguished names, PKCS#10 requests and certificates over
 * wolfCrypt. The C API of libcsrcore.a (its JOSE part in csr_jose.h, included at the end);
 * internal plumbing is in core_int.h. No Lua here.
 * Return convention, everywhere:
 *  - a function with a csr_err *err parameter returns CSR_OK (0) or a CSR_E_* code, and on
 *    failure has filled *err (code, message, and the byte offset when the input is at fault);
 *  - a function without one that can fail returns CSR_OK or a CSR_E_* code (nothing to add);
 *  - is_/has_/matches and "present" getters return 1 or 0, counts a size_t, and the few
 *    documented exceptions (csr_name_get: 1, 0 or -1) say so beside them.
 * Outputs first; on failure out-params are left untouched (NULL for objects).
 * SPDX-License-Identifier: MIT */
#ifndef CSR_CORE_H
#define CSR_CORE_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define CSR_NODISCARD __attribute__((warn_unused_result))
#define CSR_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CSR_NODISCARD
#define CSR_PRINTF(a, b)
#endif

#define CSR_VERSION "0.1.0"

/* ---- errors: stable numbers, exported to Lua as csr.errors.<NAME> ---- */
#define CSR_OK              0
#define CSR_E_NOMEM         1   /* out of memory */
#define CSR_E_INVALID       2   /* a value the caller gave is out of range or malformed */
#define CSR_E_BAD_PEM       3   /* PEM armour or base64 is wrong */
#define CSR_E_BAD_DER       4   /* DER structure is wrong (offset in the message) */
#define CSR_E_UNSUPPORTED   5   /* algorithm, curve, key size or format this build cannot do */
#define CSR_E_PASSPHRASE    6   /* missing or wrong passphrase for an encrypted key */
#define CSR_E_KEY_MISMATCH  7   /* signing key does not match the request's public key */
#define CSR_E_BAD_SIGNATURE 8   /* signature does not verify */
#define CSR_E_NOT_SIGNED    9   /* the request has no signature yet */
#define CSR_E_CRYPTO        10  /* wolfCrypt failed unexpectedly */
#define CSR_E_IO            11  /* file could not be written */
#define CSR_E_TOO_LARGE     12  /* input or output exceeds a limit */
#define CSR_E_BAD_NAME      13  /* distinguished name / attribute problem */
#define CSR_E_BAD_UTF8      14  /* a string is not valid UTF-8 */
#define CSR_E_BAD_IP        15  /* an IP address does not parse */
#define CSR_E_DUPLICATE     16  /* an extension or attribute given twice */
#define CSR_E_BAD_VERSION   17  /* CSR version is not v1 (0) */

#define CSR_NO_OFFSET ((size_t)-1)
typedef struct csr_err {
    int code;
    size_t offset;              /* byte of the input the problem is at, or CSR_NO_OFFSET */
    char msg[240];              /* what is wrong: no "where: " prefix, no offset */
} csr_err;

typedef struct csr_errname {
    const char *name;
    int code;
} csr_errname;
extern const csr_errname csr_error_names[];   /* {NULL, 0}-terminated */

/* Sets e->code and e->msg (printf format), no offset; returns code. e may be NULL. */
int csr_err_set(csr_err *e, int code, const char *fmt, ...) CSR_PRINTF(3, 4);
/* Puts "<printf text>: " before e->msg (the operation or the structure it happened in); code
 * and offset kept. Returns e->code. */
int csr_err_prefix(csr_err *e, const char *fmt, ...) CSR_PRINTF(2, 3);

/* ---- library init ---- */
/* One-time wolfCrypt_Init behind a once-guard plus a struct-size self-check. Thread-safe. */
int csr_core_init(csr_err *err) CSR_NODISCARD;
const char *csr_wolfssl_version(void);      /* "5.5.4" */
/* Frees this thread's DRBG and wolfSSL caches (FP_ECC): call in a thread before it exits
 * (where pthread keys allow, the DRBG is also freed at thread exit). */
void csr_thread_cleanup(void);
/* n random bytes from this thread's DRBG (rng.c), re-seeded after fork(). */
int csr_random(uint8_t *out, size_t n, csr_err *err) CSR_NODISCARD;

/* ---- output buffers ---- */
void csr_wipe(void *p, size_t n);            /* volatile memset 0 (for secrets) */
/* A growable byte buffer. secret != 0: wiped when freed or grown. err is sticky: after a
 * failed reserve every write is a no-op and err stays set (check it once at the end). */
typedef struct csr_buf {
    uint8_t *p;
    size_t len, cap;
    int secret;
    int err;                    /* 0 or CSR_E_NOMEM / CSR_E_TOO_LARGE */
} csr_buf;
void csr_buf_init(csr_buf *b, int secret);
int csr_buf_reserve(csr_buf *b, size_t extra);   /* room for extra more bytes */
int csr_buf_put(csr_buf *b, const void *p, size_t n);
void csr_buf_free(csr_buf *b);                   /* wipes if secret; safe twice */
#define CSR_MAX_INPUT ((size_t)1 << 24)          /* 16 MiB: larger inputs are refused */

/* ---- digests and signature parameters ---- */
#define CSR_MD_NONE   0
#define CSR_MD_SHA1   1
#define CSR_MD_SHA224 2
#define CSR_MD_SHA256 3
#define CSR_MD_SHA384 4
#define CSR_MD_SHA512 5
int csr_md_from_name(const char *name);      /* CSR_MD_* or CSR_MD_NONE */
int csr_md_size(int md);                     /* digest bytes or 0 */
int csr_md_hash(int md, const uint8_t *in, size_t len, uint8_t *out);   /* out: 64 bytes */

#define CSR_PAD_DEFAULT 0                /* the key's: PSS for id-RSASSA-PSS keys, else PKCS#1 */
#define CSR_PAD_PKCS1   1
#define CSR_PAD_PSS     2
#define CSR_SALT_ANY    (-2)             /* verify PSS with the salt length the signature has */
typedef struct csr_sig {
    int md;                     /* CSR_MD_*; CSR_MD_NONE = key default / EdDSA */
    int padding;                /* CSR_PAD_* (PSS: RSA only) */
    int mgf_md;                 /* PSS: MGF1 digest (default = md, or the key's) */
    int salt_len;               /* PSS: salt length; -1 = digest length (at least the key's);
                                 * CSR_SALT_ANY (verify only): any, at least the key's */
    int raw;                    /* ECDSA: 1 = r||s fixed width instead of DER */
} csr_sig;

/* ---- keys (key.c) ---- */
#define CSR_KEY_RSA     1
#define CSR_KEY_EC      2
#define CSR_KEY_ED25519 3
#define CSR_KEY_ED448   4
#define CSR_CURVE_NONE  0
#define CSR_CURVE_P256  1
#define CSR_CURVE_P384  2
#define CSR_CURVE_P521  3
#define CSR_RSA_MIN_BITS 2048
#define CSR_RSA_MAX_BITS 4096

typedef struct csr_key csr_key;   /* opaque; owns wolfCrypt key + SPKI DER copy */

/* type CSR_KEY_*; param = bits for RSA (2048..4096), CSR_CURVE_* for EC, ignored otherwise.
 * Uses this thread's DRBG (csr_random). */
int csr_key_generate(csr_key **out, int type, int param, csr_err *err) CSR_NODISCARD;
/* PEM or DER, detected: PKCS#8, encrypted PKCS#8 (PBES2), PKCS#1 RSA (private/public),
 * SEC1 EC, SubjectPublicKeyInfo (incl. id-RSASSA-PSS). pass may be NULL. */
int csr_key_parse(csr_key **out, const uint8_t *in, size_t len,
                  const char *pass, size_t passlen, csr_err *err) CSR_NODISCARD;
/* A public key from a SubjectPublicKeyInfo DER TLV, strictly validated, its bytes kept as
 * given; keys wolfSSL cannot use (RSA > 4096, DSA, unknown curves): CSR_E_UNSUPPORTED. */
int csr_key_from_spki(csr_key **out, const uint8_t *spki, size_t len, csr_err *err) CSR_NODISCARD;
void csr_key_free(csr_key *k);                       /* wipes; NULL ok */
int csr_key_type(const csr_key *k);
int csr_key_bits(const csr_key *k);                  /* 2048.. | 256/384/521 | 256 | 456 */
int csr_key_curve(const csr_key *k);                 /* CSR_CURVE_* */
int csr_key_is_private(const csr_key *k);
int csr_key_public(csr_key **out, const csr_key *k, csr_err *err) CSR_NODISCARD;
/* SPKI DER (the original bytes for a parsed public key). Never fails. */
const uint8_t *csr_key_spki(const csr_key *k, size_t *len);
/* 1 if both keys have the same public half (same algorithm and key material). */
int csr_key_same_public(const csr_key *a, const csr_key *b);
/* Export. public_only: SPKI; else PKCS#8 (pass != NULL: PBES2/PBKDF2-SHA256/AES-256-CBC).
 * pem: PEM armour ("PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "PUBLIC KEY"). out is secret. */
int csr_key_export(csr_buf *out, const csr_key *k, int public_only, int pem,
                   const char *pass, size_t passlen, csr_err *err) CSR_NODISCARD;
/* Writes export(pem) to a new file (O_CREAT|O_EXCL, mode 0600). */
int csr_key_write(const csr_key *k, const char *path, int public_only,
                  const char *pass, size_t passlen, csr_err *err) CSR_NODISCARD;
/* Lower-case hex SHA-256 of the SPKI DER, NUL-terminated. */
void csr_key_fingerprint(const csr_key *k, char hex[65]);
int csr_key_default_md(const csr_key *k);            /* RSA sha256, EC by curve, Ed NONE */
/* Completes *p with k's defaults and checks it (digest with EdDSA, PSS on non-RSA: INVALID); an
 * id-RSASSA-PSS key defaults to PSS, a restricted one to its hash, MGF1 hash and salt length
 * (RFC 4055 3.1). Whether k allows p: csr_key_sign (INVALID), csr_key_verify (BAD_SIGNATURE). */
int csr_sig_resolve(csr_sig *p, const csr_key *k, csr_err *err) CSR_NODISCARD;
/* Signs msg (hashing inside; EdDSA pure). p must be resolved. Fresh RNG inside. */
int csr_key_sign(csr_buf *sig, const csr_key *k, const csr_sig *p,
                 const uint8_t *msg, size_t len, csr_err *err) CSR_NODISCARD;
/* CSR_OK, CSR_E_BAD_SIGNATURE (also for parameters an id-RSASSA-PSS key forbids) or
 * CSR_E_UNSUPPORTED (this build cannot check p). PSS: p->mgf_md, p->salt_len exactly (or
 * CSR_SALT_ANY: the salt length the signature was made with, as openssl's "auto"). */
int csr_key_verify(const csr_key *k, const csr_sig *p, const uint8_t *msg, size_t len,
                   const uint8_t *sig, size_t siglen, csr_err *err) CSR_NODISCARD;

/* ---- distinguished names (subject.c) ---- */
typedef struct csr_name csr_name;  /* opaque: ordered RDNs of (OID, string tag, value) */

int csr_name_new(csr_name **out, csr_err *err) CSR_NODISCARD;
void csr_name_free(csr_name *n);
int csr_name_dup(csr_name **out, const csr_name *n, csr_err *err) CSR_NODISCARD;
/* Appends an attribute. attr: short name, long name or dotted OID (case-insensitive names).
 * new_rdn = 1 starts a new RDN; 0 adds a member to the last RDN (multi-valued).
 * Value is UTF-8; string type chosen per the README table; validated (UTF-8, C two letters,
 * RFC 5280 upper bounds, IA5 alphabet for emailAddress/DC). */
int csr_name_add(csr_name *n, const char *attr, const uint8_t *val, size_t len, int new_rdn,
                 csr_err *err) CSR_NODISCARD;
/* RFC 4514 text (most specific first) or openssl "/C=US/O=x/CN=y" (DER order, '+' for
 * multi-valued); detected by a leading '/'. Empty string = empty name. */
int csr_name_parse_text(csr_name **out, const char *s, size_t len, csr_err *err) CSR_NODISCARD;
/* From a Name TLV (SEQUENCE OF RDN), strictly validated. base = offset for messages. */
int csr_name_from_der(csr_name **out, const uint8_t *der, size_t len, size_t base,
                      csr_err *err) CSR_NODISCARD;
int csr_name_to_der(csr_buf *out, const csr_name *n);            /* Name TLV */
int csr_name_to_text(csr_buf *out, const csr_name *n);           /* RFC 4514, no NUL */
int csr_name_equal(const csr_name *a, const csr_name *b);        /* same DER */
size_t csr_name_rdn_count(const csr_name *n);
size_t csr_name_rdn_size(const csr_name *n, size_t rdn);         /* members in RDN */
/* Member j of RDN i: attr = short name (README table) or dotted OID; tag = ASN.1 string tag.
 * 1: val is UTF-8 text (UTF8String, PrintableString, IA5String, NumericString, VisibleString;
 * BMPString/UniversalString converted); 0: val is the whole value TLV (any other type, kept
 * raw); -1: (rdn, j) out of range (outputs untouched). */
int csr_name_get(const csr_name *n, size_t rdn, size_t j, const char **attr,
                 const uint8_t **val, size_t *len, int *tag);
/* The whole value TLV of member j of RDN i (for #hex output); 0 on success, -1 out of range. */
int csr_name_get_tlv(const csr_name *n, size_t rdn, size_t j, const uint8_t **tlv,
                     size_t *len);
/* Dotted OID of member j of RDN i, or NULL when out of range. */
const char *csr_name_get_oid(const csr_name *n, size_t rdn, size_t j);

/* ---- the OID registry (oid.c): what the core knows, by kind ---- */
#define CSR_OID_ATTR    1   /* subject attribute (X.520, PKCS#9 emailAddress, ...) */
#define CSR_OID_REQATTR 2   /* request attribute (PKCS#9: challengePassword, ...) */
#define CSR_OID_EXT     3   /* extension (RFC 5280 4.2) */
#define CSR_OID_EKU     4   /* extended key usage purpose (RFC 5280 4.2.1.12) */
#define CSR_OID_SIGALG  5   /* signature algorithm */
#define CSR_OID_KEYALG  6   /* SubjectPublicKeyInfo algorithm */
#define CSR_OID_CURVE   7   /* named curve (RFC 5480): "P-256", ... */
#define CSR_OID_HASH    8   /* hash algorithm: "sha256", ... */
/* The dotted OID of a name of that kind, or NULL when unknown. Subject attributes: short or
 * long name, case-insensitive ("CN", "commonName"); other kinds: the exact name. */
const char *csr_oid_from_name(int kind, const char *name);
/* 1 if s has the shape of a dotted OID: digits and dots, starting with a digit; strict: also
 * no empty arc and two arcs at least. Whether DER can hold it is checked when encoding. */
int csr_oid_is_dotted(const char *s, int strict);
/* keyUsage (RFC 5280 4.2.1.3): the name of bit 0..8 ("digitalSignature", ...) or NULL; the
 * CSR_KU_* bit of a name ("contentCommitment" too), 0 when unknown. */
const char *csr_ku_name(int bit);
unsigned csr_ku_from_name(const char *name);
const char *csr_curve_name(int curve);       /* "P-256", "P-384", "P-521" or NULL */
int csr_curve_from_name(const char *name);   /* CSR_CURVE_* or CSR_CURVE_NONE */

/* ---- requests (ext.c, req_build.c, req_parse.c) ---- */
#define CSR_SAN_OTHER 0   /* otherName [0]   */
#define CSR_SAN_EMAIL 1   /* rfc822Name [1]  */
#define CSR_SAN_DNS   2   /* dNSName [2]     */
#define CSR_SAN_DIR   4   /* directoryName [4] */
#define CSR_SAN_URI   6   /* URI [6]         */
#define CSR_SAN_IP    7   /* iPAddress [7]   */
#define CSR_SAN_RID   8   /* registeredID [8] */

/* keyUsage bits: bit i = RFC 5280 KeyUsage bit i (digitalSignature = 0 … decipherOnly = 8) */
#define CSR_KU_DIGITAL_SIGNATURE 0x001
#define CSR_KU_NON_REPUDIATION   0x002
#define CSR_KU_KEY_ENCIPHERMENT  0x004
#define CSR_KU_DATA_ENCIPHERMENT 0x008
#define CSR_KU_KEY_AGREEMENT     0x010
#define CSR_KU_KEY_CERT_SIGN     0x020
#define CSR_KU_CRL_SIGN          0x040
#define CSR_KU_ENCIPHER_ONLY     0x080
#define CSR_KU_DECIPHER_ONLY     0x100

typedef struct csr_san_in {
    int type;                   /* CSR_SAN_DNS, _IP (text), _EMAIL, _URI */
    const char *val;
    size_t len;
} csr_san_in;

typedef struct csr_ext_in {
    const char *oid;            /* dotted */
    int critical;
    const uint8_t *der;         /* extnValue contents (must be one DER TLV) */
    size_t len;
} csr_ext_in;

/* What a CertificationRequestInfo is built from: subject, key, the PKCS#9 attributes and the
 * extensionRequest's extensions (typed ones first, then raw ones). Zero it, set bc_pathlen to
 * -1, then fill what you need. Criticality fields: -1 = the RFC 5280 default, 0 or 1. */
typedef struct csr_req_spec {
    const csr_name *subject;    /* NULL = empty */
    const csr_key *key;         /* its public half goes in (required) */
    const csr_san_in *san;      size_t nsan;      int san_critical;
    int ku_set;                 unsigned key_usage; int ku_critical;
    const char *const *eku;     size_t neku;      int eku_critical;   /* names or dotted OIDs */
    /* basicConstraints: bc_pathlen -1 = no pathLenConstraint; below -1 = refused (INVALID) */
    int bc_set;                 int bc_ca; int bc_pathlen; int bc_critical;
    int must_staple;            int ms_critical;
    const uint8_t *challenge;   size_t challenge_len;     /* NULL = absent */
    const uint8_t *unstructured; size_t unstructured_len; /* NULL = absent */
    const csr_ext_in *ext;      size_t next;
} csr_req_spec;

typedef struct csr_req csr_req;   /* opaque: CRI DER (+ signature) and the parsed view */

/* Builds and validates the CertificationRequestInfo (unsigned request). */
int csr_req_build(csr_req **out, const csr_req_spec *spec, csr_err *err) CSR_NODISCARD;
/* Signs (replacing any earlier signature). CSR_E_KEY_MISMATCH if k is not the request's key. */
int csr_req_sign(csr_req *r, const csr_key *k, const csr_sig *p, csr_err *err) CSR_NODISCARD;
/* PEM (either CSR label) or DER; strict; the whole input must be consumed. */
int csr_req_parse(csr_req **out, const uint8_t *in, size_t len, csr_err *err) CSR_NODISCARD;
void csr_req_free(csr_req *r);
int csr_req_is_signed(const csr_req *r);
/* Signed DER of the whole request (byte-exact input for parsed ones). NULL if unsigned. */
const uint8_t *csr_req_der(const csr_req *r, size_t *len);
int csr_req_pem(csr_buf *out, const csr_req *r, csr_err *err) CSR_NODISCARD;
/* One shot: builds from spec, signs with spec->key (a private key) under p, and appends the
 * PEM of the signed request to pem. */
int csr_req_generate(csr_buf *pem, const csr_req_spec *spec, const csr_sig *p,
                     csr_err *err) CSR_NODISCARD;
/* CSR_OK, CSR_E_BAD_SIGNATURE, CSR_E_UNSUPPORTED ("unsupported …"), CSR_E_NOT_SIGNED. */
int csr_req_verify(const csr_req *r, csr_err *err) CSR_NODISCARD;

/* ---- parsed view accessors (valid for built and parsed requests) ---- */
int csr_req_version(const csr_req *r);
const csr_name *csr_req_subject(const csr_req *r);
/* The request's public key (a new object); CSR_E_UNSUPPORTED if this build cannot load it. */
int csr_req_public_key(csr_key **out, const csr_req *r, csr_err *err) CSR_NODISCARD;
const uint8_t *csr_req_spki(const csr_req *r, size_t *len);
/* "sha256WithRSAEncryption", "rsassaPss", "ecdsa-with-SHA256", "ed25519", …, or dotted OID. */
const char *csr_req_sigalg_name(const csr_req *r);
int csr_req_matches(const csr_req *r, const csr_key *k);

/* SAN entries in DER order. val/len: DNS/email/URI text; IP raw 4/16 bytes; dirName the Name
 * TLV; otherName the value's DER (inside [0]) with oid set; RID oid set (val = NULL). */
size_t csr_req_san_count(const csr_req *r);
int csr_req_san_get(const csr_req *r, size_t i, int *type, const uint8_t **val, size_t *len,
                    const char **oid);
int csr_req_key_usage(const csr_req *r, unsigned *bits);          /* 1 present, 0 absent */
size_t csr_req_eku_count(const csr_req *r);                       /* 0 also when absent */
int csr_req_has_eku(const csr_req *r);
const char *csr_req_eku_get(const csr_req *r, size_t i);           /* name or dotted OID */
int csr_req_basic_constraints(const csr_req *r, int *ca, int *pathlen); /* 1 present; -1 none */
int csr_req_must_staple(const csr_req *r);
/* challengePassword / unstructuredName value (first value), NULL when absent: the string bytes
 * as stored, BMPString/UniversalString converted to UTF-8. */
const uint8_t *csr_req_challenge(const csr_req *r, size_t *len);
const uint8_t *csr_req_unstructured(const csr_req *r, size_t *len);

typedef struct csr_attr_view {
    const char *oid;            /* dotted */
    const char *name;           /* "challengePassword", "extensionRequest", … or NULL */
    const uint8_t *values;      /* contents of the SET OF values (concatenated DER TLVs) */
    size_t values_len;
} csr_attr_view;
size_t csr_req_attr_count(const csr_req *r);
const csr_attr_view *csr_req_attr_get(const csr_req *r, size_t i);
/* Value i (0-based) of an attribute: one DER TLV. 1 if present, 0 past the end. */
int csr_attr_value(const csr_attr_view *a, size_t i, const uint8_t **tlv, size_t *len);

typedef struct csr_ext_view {
    const char *oid;            /* dotted */
    const char *name;           /* "subjectAltName", "keyUsage", … or NULL */
    int critical;
    const uint8_t *value;       /* extnValue OCTET STRING contents */
    size_t len;
} csr_ext_view;
size_t csr_req_ext_count(const csr_req *r);
const csr_ext_view *csr_req_ext_get(const csr_req *r, size_t i);

/* Human-readable dump like `openssl req -text -noout`, UTF-8 shown as UTF-8. */
int csr_req_text(csr_buf *out, const csr_req *r, csr_err *err) CSR_NODISCARD;

/* ---- certificates: X.509 v3 (RFC 5280) (cert_parse.c, cert_build.c, cert_text.c) ---- */
typedef struct csr_cert csr_cert;  /* opaque: the DER and its parsed view */
#define CSR_SERIAL_MAX 20            /* serial octets we write (RFC 5280 4.1.2.2) */
#define CSR_SERIAL_MAX_PARSE 64      /* serial octets we read */
#define CSR_TIME_MIN (-62167219200LL)  /* 0000-01-01T00:00:00Z: the dates we write */
#define CSR_TIME_MAX 253402300799LL    /* 9999-12-31T23:59:59Z */

/* One certificate: PEM ("CERTIFICATE") or DER; strict (as csr_req_parse). */
int csr_cert_parse(csr_cert **out, const uint8_t *in, size_t len, csr_err *err) CSR_NODISCARD;
/* PEM bundles: the next CERTIFICATE block at or after *pos (start with 0), *pos moved past
 * it. CSR_OK with *out == NULL when no block is left. DER input: one certificate. */
int csr_cert_parse_next(csr_cert **out, const uint8_t *in, size_t len, size_t *pos,
                        csr_err *err) CSR_NODISCARD;
void csr_cert_free(csr_cert *c);
const uint8_t *csr_cert_der(const csr_cert *c, size_t *len);
int csr_cert_pem(csr_buf *out, const csr_cert *c, csr_err *err) CSR_NODISCARD;
int csr_cert_version(const csr_cert *c);                 /* 1 or 3 */
/* Serial number: lower-case hex of the magnitude, no leading zeros ("0" for zero). */
void csr_cert_serial_hex(const csr_cert *c, char hex[2 * CSR_SERIAL_MAX_PARSE + 1]);
int64_t csr_cert_not_before(const csr_cert *c);          /* seconds since the epoch */
int64_t csr_cert_not_after(const csr_cert *c);
const csr_name *csr_cert_issuer(const csr_cert *c);
/* Subject, public key, extensions and their typed views, as a request-shaped view: use the
 * csr_req_ accessors on it (subject, spki, public_key, matches, san, key_usage, eku,
 * basic_constraints, must_staple, ext). Valid while c lives. */
const csr_req *csr_cert_view(const csr_cert *c);
/* subjectKeyIdentifier / authorityKeyIdentifier keyIdentifier bytes; NULL when absent. */
const uint8_t *csr_cert_ski(const csr_cert *c, size_t *len);
const uint8_t *csr_cert_aki(const csr_cert *c, size_t *len);
const char *csr_cert_sigalg_name(const csr_cert *c);    /* as csr_req_sigalg_name */
void csr_cert_fingerprint(const csr_cert *c, char hex[65]);  /* SHA-256 of the DER */
/* The signature maths only, with the issuer certificate's key or a key: CSR_OK,
 * CSR_E_BAD_SIGNATURE, CSR_E_UNSUPPORTED. */
int csr_cert_verify(const csr_cert *c, const csr_cert *issuer, csr_err *err) CSR_NODISCARD;
int csr_cert_verify_key(const csr_cert *c, const csr_key *k, csr_err *err) CSR_NODISCARD;
/* Human-readable dump like `openssl x509 -text -noout`. */
int csr_cert_text(csr_buf *out, const csr_cert *c, csr_err *err) CSR_NODISCARD;

/* What csr_cert_issue copies from the request when the spec does not override it. */
#define CSR_COPY_SAN         0x01
#define CSR_COPY_KU          0x02
#define CSR_COPY_EKU         0x04
#define CSR_COPY_MUST_STAPLE 0x08
#define CSR_COPY_BC          0x10
#define CSR_COPY_DEFAULT (CSR_COPY_SAN | CSR_COPY_KU | CSR_COPY_EKU | CSR_COPY_MUST_STAPLE)

typedef struct csr_cert_spec {
    const csr_req *request;     /* issue: the request (its signature must verify); NULL for
                                   self-signed */
    const csr_key *issuer_key;  /* signs; self-signed: also the subject key */
    const csr_cert *issuer_cert;    /* NULL = self-signed */
    int64_t not_before, not_after;  /* seconds since the epoch */
    const uint8_t *serial;      /* big-endian, positive, non-zero; NULL = 16 random bytes */
    size_t serial_len;
    csr_sig sig;                /* digest / padding, as csr_req_sign */
    unsigned copy;              /* CSR_COPY_* (issue only) */
    int ca;                     /* 1: CA:TRUE and keyUsage keyCertSign, cRLSign by default */
    csr_req_spec ext;           /* subject (NULL: the request's) and extension overrides,
                                   as for csr_req_build (key, challenge, unstructured unused) */
} csr_cert_spec;

/* Issues (request != NULL) or self-signs a certificate, adding subjectKeyIdentifier (SHA-1 of
 * the key bits), authorityKeyIdentifier and, unless given or copied, basicConstraints CA:FALSE
 * critical. Errors: CSR_E_BAD_SIGNATURE (request), CSR_E_KEY_MISMATCH (issuer key vs issuer
 * certificate), CSR_E_INVALID (dates, serial, options), those of csr_req_build/_key_sign. */
int csr_cert_issue(csr_cert **out, const csr_cert_spec *spec, csr_err *err) CSR_NODISCARD;

/* ---- policy: what a CA checks before issuing (policy.c, policy_name.c, policy_key.c) ---- */
#define CSR_POLICY_MAX_EXPONENTS 8
typedef struct csr_policy {
    int min_rsa_bits, max_rsa_bits;
    unsigned curves;            /* bit (1u << CSR_CURVE_*) for each allowed curve */
    int eddsa;                  /* Ed25519/Ed448 keys allowed */
    uint64_t rsa_exponents[CSR_POLICY_MAX_EXPONENTS];
    size_t nexponents;
    unsigned digests;           /* bit (1u << CSR_MD_*) for each allowed signature digest */
    int allow_ca, require_san, public_ip_only, wildcards;
    size_t max_sans;
} csr_policy;
/* The defaults: a public TLS CA's (2048..4096-bit RSA, e = 65537, P-256/384/521, EdDSA,
 * SHA-256/384/512, no CA, a SAN required, any IP, 100 SANs, wildcards allowed). */
void csr_policy_default(csr_policy *p);

typedef struct csr_problem {
    const char *code;           /* stable string: "weak_key", "bad_dns_name", … */
    char field[32];             /* what it concerns: "public_key", "san.dns", "subject.CN", … */
    char msg[224];              /* values quoted, control characters escaped */
} csr_problem;
typedef struct csr_problems {
    csr_problem *v;
    size_t n, cap;
} csr_problems;
void csr_problems_free(csr_problems *ps);          /* safe twice */
/* Runs every check of p on r and appends one problem per finding to out (which starts
 * zeroed). CSR_OK (even when problems were found) or CSR_E_NOMEM. */
int csr_req_check(csr_problems *out, const csr_req *r, const csr_policy *p,
                  csr_err *err) CSR_NODISCARD;

/* ---- small shared helpers (util.c) ---- */
/* Lower-case hex of p[0..n) into out (2n + 1 bytes, NUL-terminated). */
void csr_hex(char *out, const uint8_t *p, size_t n);
/* Value of a hex digit (either case), or -1. */
int csr_hexval(int c);
/* 4/16 bytes → text (IPv6 RFC 5952 compressed). out ≥ 46 bytes. */
int csr_ip_format(char *out, size_t outsz, const uint8_t *ip, size_t n);

#include "csr_jose.h"   /* JOSE and base64url: part of this API, kept apart for size */

#endif

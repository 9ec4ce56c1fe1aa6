/* Subject attribute names <-> OIDs (the README's attribute table; long names on input).
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "csr.h"

typedef struct attr_name {
    const char *oid;
    const char *name;           /* short name, printed on output */
    const char *alias[3];       /* accepted on input too, NULL-terminated */
} attr_name;

static const attr_name attrs[] = {
    {"2.5.4.6", "C", {"countryName", NULL, NULL}},
    {"2.5.4.8", "ST", {"stateOrProvinceName", "S", NULL}},
    {"2.5.4.7", "L", {"localityName", NULL, NULL}},
    {"2.5.4.10", "O", {"organizationName", NULL, NULL}},
    {"2.5.4.11", "OU", {"organizationalUnitName", NULL, NULL}},
    {"2.5.4.3", "CN", {"commonName", NULL, NULL}},
    {"1.2.840.113549.1.9.1", "emailAddress", {"email", "E", NULL}},
    {"2.5.4.5", "serialNumber", {NULL, NULL, NULL}},
    {"0.9.2342.19200300.100.1.1", "UID", {"userId", NULL, NULL}},
    {"0.9.2342.19200300.100.1.25", "DC", {"domainComponent", NULL, NULL}},
    {"2.5.4.12", "title", {NULL, NULL, NULL}},
    {"2.5.4.42", "GN", {"givenName", NULL, NULL}},
    {"2.5.4.4", "SN", {"surname", NULL, NULL}},
    {"2.5.4.43", "initials", {NULL, NULL, NULL}},
    {"2.5.4.65", "pseudonym", {NULL, NULL, NULL}},
    {"2.5.4.46", "dnQualifier", {NULL, NULL, NULL}},
    {"2.5.4.17", "postalCode", {NULL, NULL, NULL}},
    {"2.5.4.9", "street", {"streetAddress", NULL, NULL}},
    {"2.5.4.15", "businessCategory", {NULL, NULL, NULL}},
    {"1.3.6.1.4.1.311.60.2.1.3", "jurisdictionC", {"jurisdictionCountryName", NULL, NULL}},
    {"1.3.6.1.4.1.311.60.2.1.2", "jurisdictionST",
     {"jurisdictionStateOrProvinceName", NULL, NULL}},
    {"1.3.6.1.4.1.311.60.2.1.1", "jurisdictionL", {"jurisdictionLocalityName", NULL, NULL}},
    {"2.5.4.97", "organizationIdentifier", {NULL, NULL, NULL}},
    {NULL, NULL, {NULL, NULL, NULL}}
};

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

/* see csr.h */
const char *csr_oid_attr_name(const char *dotted)
{
    size_t i;
    if (dotted == NULL)
        return NULL;
    for (i = 0; attrs[i].oid != NULL; i++)
        if (strcmp(attrs[i].oid, dotted) == 0)
            return attrs[i].name;
    return NULL;
}

/* see csr.h */
const char *csr_oid_from_attr(const char *name)
{
    size_t i, j;
    if (name == NULL)
        return NULL;
    for (i = 0; attrs[i].oid != NULL; i++) {
        if (ieq(attrs[i].name, name))
            return attrs[i].oid;
        for (j = 0; j < 3 && attrs[i].alias[j] != NULL; j++)
            if (ieq(attrs[i].alias[j], name))
                return attrs[i].oid;
    }
    return NULL;
}

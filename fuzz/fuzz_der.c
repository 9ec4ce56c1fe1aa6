/* libFuzzer property harness over the DER layer (src/core/der.c), two ways per input:
 *  A. the reader over the input: every TLV at every depth, every value decoder; whatever
 *     decodes must re-encode to the same bytes with the writer (minimal lengths, INTEGERs,
 *     OIDs via dotted text, BOOLEAN), named bits must read back the same.
 *  B. the input as a program for the writer (primitive TLVs with lengths 0/1/127/128/255/256/
 *     65535/65536, nested SEQUENCE and SET, INTEGERs, OIDs, named bits); the output must read
 *     back with the reader: framing valid, nothing left over, every SET's members in DER
 *     order (X.690 11.6), the same multiset of primitive TLVs as written.
 * SPDX-License-Identifier: MIT */
#include "fuzz.h"
#include "der.h"

/* ---- A: reader ---- */

static void reencode_same(const der_tlv *t, const csr_buf *b, const char *what)
{
    if (b->err == 0 && (b->len != t->tlv_len || memcmp(b->p, t->tlv, b->len) != 0)) {
        fprintf(stderr, "%s: TLV at byte %lu re-encodes differently\n", what,
                (unsigned long)t->off);
        abort();
    }
}

static void decode_value(const der_tlv *t)
{
    csr_err e;
    csr_buf b;
    int v, unused;
    long l;
    const uint8_t *p;
    size_t n;
    unsigned bits, bits2;
    char oid[DER_OID_TEXT];

    /* the header is minimal: the writer makes the same TLV */
    csr_buf_init(&b, 0);
    der_put_tlv(&b, t->tag, t->v, t->len);
    reencode_same(t, &b, "der_put_tlv");
    csr_buf_free(&b);
    FUZZ_CHECK(t->v == t->tlv + (t->voff - t->off), "offsets agree with pointers");

    switch (t->tag) {
    case DER_BOOLEAN:
        if (der_get_bool(t, &v, "b", &e) == CSR_OK) {
            csr_buf_init(&b, 0);
            der_put_bool(&b, v);
            reencode_same(t, &b, "der_put_bool");
            csr_buf_free(&b);
        }
        break;
    case DER_NULL:
        (void)der_get_null(t, "n", &e);
        break;
    case DER_INTEGER:
        if (der_get_uint(t, &l, "i", &e) == CSR_OK) {
            FUZZ_CHECK(l >= 0, "uint non-negative");
            csr_buf_init(&b, 0);
            der_put_uint(&b, (unsigned long)l);
            reencode_same(t, &b, "der_put_uint");
            csr_buf_free(&b);
        }
        if (der_get_uint_bytes(t, &p, &n, "i", &e) == CSR_OK) {
            FUZZ_CHECK(n > 0 && p >= t->v && p + n == t->v + t->len, "uint_bytes in range");
            csr_buf_init(&b, 0);
            der_put_uint_bytes(&b, p, n);
            reencode_same(t, &b, "der_put_uint_bytes");
            csr_buf_free(&b);
        }
        break;
    case DER_OID:
        if (der_get_oid(t, oid, "o", &e) == CSR_OK) {
            uint8_t raw[DER_OID_TEXT];
            size_t rn;
            FUZZ_CHECK(memchr(oid, '\0', sizeof oid) != NULL, "OID text terminated");
            rn = der_oid_from_text(raw, sizeof raw, oid);
            if (rn != t->len || memcmp(raw, t->v, rn) != 0) {
                fprintf(stderr, "OID %s: from_text gives %lu bytes, DER had %lu\n", oid,
                        (unsigned long)rn, (unsigned long)t->len);
                abort();
            }
            csr_buf_init(&b, 0);
            FUZZ_CHECK(der_put_oid_text(&b, oid) == CSR_OK, "der_put_oid_text");
            reencode_same(t, &b, "der_put_oid_text");
            csr_buf_free(&b);
        }
        break;
    case DER_BIT_STRING:
        if (der_get_bit_string(t, &p, &n, &unused, "s", &e) == CSR_OK) {
            FUZZ_CHECK(unused >= 0 && unused <= 7 && n + 1 == t->len, "bit string");
            if (unused == 0) {
                csr_buf_init(&b, 0);
                der_put_bit_string(&b, p, n);
                reencode_same(t, &b, "der_put_bit_string");
                csr_buf_free(&b);
            }
        }
        if (der_get_named_bits(t, &bits, "k", &e) == CSR_OK) {
            der_rd r;
            der_tlv t2;
            csr_buf_init(&b, 0);
            der_put_named_bits(&b, bits);
            FUZZ_CHECK(b.err == 0, "named bits written");
            der_rd_init(&r, b.p, b.len, 0);
            FUZZ_CHECK(der_next(&r, &t2, &e) == CSR_OK && !der_rd_more(&r), "named bits TLV");
            FUZZ_CHECK(der_get_named_bits(&t2, &bits2, "k", &e) == CSR_OK && bits2 == bits,
                       "named bits read back");
            FUZZ_CHECK(b.len <= t->tlv_len, "named bits: ours is minimal");
            csr_buf_free(&b);
        }
        break;
    default:
        (void)der_check_string(t, "str", &e);
        break;
    }
}

static void walk(der_rd *r, int depth)
{
    der_tlv t;
    der_rd sub;
    csr_err e;
    size_t before;
    while (der_rd_more(r)) {
        before = der_rd_off(r);
        fuzz_err_reset(&e);
        if (der_next(r, &t, &e) != CSR_OK) {
            fuzz_err_ok(CSR_E_BAD_DER, &e);
            return;
        }
        FUZZ_CHECK(t.off == before && der_rd_off(r) == before + t.tlv_len, "reader advances");
        FUZZ_CHECK(t.tlv_len == (size_t)(t.v - t.tlv) + t.len, "tlv_len");
        decode_value(&t);
        if ((t.tag & 0x20) && depth < DER_MAX_DEPTH) {
            der_rd_enter(&sub, &t);
            FUZZ_CHECK(der_rd_off(&sub) == t.voff, "enter keeps offsets");
            walk(&sub, depth + 1);
        }
    }
    fuzz_err_reset(&e);
    FUZZ_CHECK(der_finish(r, "w", &e) == CSR_OK, "finish at the end");
}

/* ---- B: writer program ---- */

typedef struct {
    const uint8_t *p, *end;
} prog;

static unsigned next(prog *g)
{
    return g->p < g->end ? *g->p++ : 0;
}

static uint64_t leaf_hash(unsigned tag, const uint8_t *v, size_t n)
{
    uint64_t h = 1469598103934665603ull ^ tag;
    size_t i;
    for (i = 0; i < n; i++)
        h = (h ^ v[i]) * 1099511628211ull;
    h ^= (uint64_t)n * 0x9e3779b97f4a7c15ull;
    return h * 0xff51afd7ed558ccdull;
}

static int x690_cmp(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
    size_t m = an < bn ? an : bn, i;
    int c = memcmp(a, b, m);
    if (c)
        return c;
    for (i = m; i < an; i++)
        if (a[i])
            return 1;
    for (i = m; i < bn; i++)
        if (b[i])
            return -1;
    return 0;
}

static uint64_t check_written(der_rd *r, int depth, unsigned parent)
{
    der_tlv t, prev;
    der_rd sub;
    csr_err e;
    uint64_t sum = 0;
    int have_prev = 0;
    while (der_rd_more(r)) {
        fuzz_err_reset(&e);
        if (der_next(r, &t, &e) != CSR_OK) {
            fprintf(stderr, "written DER does not read back: %s\n", e.msg);
            abort();
        }
        if (parent == DER_SET && have_prev &&
            x690_cmp(prev.tlv, prev.tlv_len, t.tlv, t.tlv_len) > 0) {
            fprintf(stderr, "SET members out of order at byte %lu\n", (unsigned long)t.off);
            abort();
        }
        prev = t;
        have_prev = 1;
        if (t.tag == DER_SEQUENCE || t.tag == DER_SET) {
            FUZZ_CHECK(depth < 64, "depth");
            der_rd_enter(&sub, &t);
            sum += check_written(&sub, depth + 1, t.tag);
        } else {
            sum += leaf_hash(t.tag, t.v, t.len);
        }
    }
    return sum;
}

static const size_t lens[] = {0, 1, 127, 128, 255, 256, 65535, 65536};

static void run_program(const uint8_t *data, size_t size)
{
    prog g;
    csr_buf b;
    size_t marks[16];
    unsigned kinds[16];
    int depth = 0, ops = 0;
    size_t big = 0;
    uint64_t sum = 0, got;
    static uint8_t *fill;
    der_rd r;
    csr_err e;

    g.p = data;
    g.end = data + size;
    csr_buf_init(&b, 0);
    if (fill == NULL && (fill = (uint8_t *)malloc(65536)) == NULL)
        abort();
    while (g.p < g.end && ops++ < 256) {
        unsigned op = next(&g) % 8;
        switch (op) {
        case 0: {                       /* primitive TLV */
            unsigned tag = next(&g) & 0xdf, sel = next(&g);
            size_t n = (sel & 8) ? (size_t)next(&g) : lens[sel & 7];
            if ((tag & 0x1f) == 0x1f)
                tag ^= 1;
            if (n > 256 && (big += n) > (1u << 17))
                n = 3;
            memset(fill, (int)next(&g), n);
            if (n > 2)
                fill[n / 2] ^= 0x5a;
            der_put_tlv(&b, tag, fill, n);
            sum += leaf_hash(tag, fill, n);
            break;
        }
        case 1:
        case 2:
            if (depth < 16) {
                kinds[depth] = op == 1 ? DER_SEQUENCE : DER_SET;
                marks[depth] = der_open(&b, kinds[depth]);
                depth++;
            }
            break;
        case 3:
            if (depth > 0) {
                depth--;
                if (kinds[depth] == DER_SET)
                    der_close_set(&b, marks[depth]);
                else
                    der_close(&b, marks[depth]);
            }
            break;
        case 4: {
            unsigned long v = 0;
            int i, k = (int)(next(&g) % 9);
            uint8_t be[8];
            size_t bn;
            for (i = 0; i < k; i++)
                v = (v << 8) | next(&g);
            for (i = 0; i < 8; i++)
                be[7 - i] = (uint8_t)(v >> (8 * i));
            der_put_uint(&b, v);
            for (bn = 0; bn < 7 && be[bn] == 0; bn++)
                ;
            /* the same INTEGER as der_put_uint_bytes would write it */
            {
                csr_buf t;
                csr_buf_init(&t, 0);
                der_put_uint_bytes(&t, be + bn, 8 - bn);
                if (t.err == 0)
                    sum += leaf_hash(DER_INTEGER, t.p + 2, t.len - 2);
                csr_buf_free(&t);
            }
            break;
        }
        case 5: {                       /* OID from generated dotted text */
            char txt[96];
            size_t pos = 0;
            int i, arcs = 2 + (int)(next(&g) % 6);
            for (i = 0; i < arcs && pos < sizeof txt - 24; i++) {
                unsigned long a = next(&g);
                if (i == 0)
                    a %= 3;
                else if (i == 1)
                    a %= 40;
                else if (a & 0x80)
                    a = (a << 24) | ((unsigned long)next(&g) << 16) | next(&g);
                pos += (size_t)snprintf(txt + pos, sizeof txt - pos, i ? ".%lu" : "%lu", a);
            }
            {
                uint8_t raw[DER_OID_TEXT];
                size_t rn = der_oid_from_text(raw, sizeof raw, txt);
                int rc = der_put_oid_text(&b, txt);
                FUZZ_CHECK((rc == CSR_OK) == (rn > 0), "put_oid_text agrees with from_text");
                if (rc == CSR_OK)
                    sum += leaf_hash(DER_OID, raw, rn);
            }
            break;
        }
        case 6: {
            unsigned bits = next(&g) | (next(&g) << 8);
            csr_buf t;
            der_put_named_bits(&b, bits);
            csr_buf_init(&t, 0);
            der_put_named_bits(&t, bits);
            if (t.err == 0)
                sum += leaf_hash(DER_BIT_STRING, t.p + 2, t.len - 2);
            csr_buf_free(&t);
            break;
        }
        default: {
            uint8_t x;
            int v = (int)(next(&g) & 1);
            der_put_bool(&b, v);
            x = v ? 0xff : 0;
            sum += leaf_hash(DER_BOOLEAN, &x, 1);
            break;
        }
        }
    }
    while (depth > 0) {
        depth--;
        if (kinds[depth] == DER_SET)
            der_close_set(&b, marks[depth]);
        else
            der_close(&b, marks[depth]);
    }
    FUZZ_CHECK(b.err == 0, "writer had no error");
    if (b.p == NULL)                    /* nothing written (der_rd_init(NULL, 0): see report) */
        return;
    der_rd_init(&r, b.p, b.len, 0);
    got = check_written(&r, 0, 0);
    FUZZ_CHECK(got == sum, "same primitive TLVs read back as written");
    if (b.len > 0) {
        /* every top-level TLV passes der_check_tree when alone */
        der_tlv t;
        der_rd_init(&r, b.p, b.len, 0);
        while (der_rd_more(&r)) {
            FUZZ_CHECK(der_next(&r, &t, &e) == CSR_OK, "top-level TLV");
            fuzz_err_reset(&e);
            if (der_check_tree(t.tlv, t.tlv_len, 0, "t", &e) != CSR_OK &&
                strstr(e.msg, "nested too deeply") == NULL) {
                fprintf(stderr, "der_check_tree: %s\n", e.msg);
                abort();
            }
        }
    }
    csr_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    der_rd r;
    csr_err e;
    uint8_t *in = fuzz_dup(data, size);

    der_rd_init(&r, in, size, 0);
    walk(&r, 0);
    fuzz_err_reset(&e);
    fuzz_err_ok(der_check_tree(in, size, 0, "tree", &e) == CSR_OK ? CSR_OK : e.code, &e);
    run_program(in, size);
    free(in);
    return 0;
}

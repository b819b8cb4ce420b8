/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * store.c - what is stored with each document.
 *
 * The record (Xapian document data), version 3:
 *   byte   'L'                magic
 *   byte   3                  format version
 *   byte   date source        (lsx_date_source)
 *   field  id, title, date, lang, source   (varint length + bytes each)
 * The bytes after the first three are XORed with a fixed pseudo-random
 * keystream (whiten()).  Xapian deflates every document data it can shrink,
 * with no way to turn that off, and then inflates it for each hit read: on
 * short English records that was most of the cost of reading a results page
 * of 1,000.  Whitened bytes do not shrink, so they are stored as they are,
 * and undoing the XOR costs next to nothing.
 * Version 2 had a sixth field, the entity list, and no whitening; version 3
 * keeps that list in value slot LSX_SLOT_ENTITY_NAMES, so the record a
 * results page reads for every hit stays small.  Both versions are read.
 *
 * The body (value slot LSX_SLOT_BODY): varint raw length, then the body
 * compressed with zlib (deflate stream with zlib header).
 *
 * A results page reads the record of every hit, and only the hits that get
 * a snippet read their body; keeping the large body out of the record keeps
 * page assembly (and top-1000 retrieval) cheap.
 */
#include "private.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define RECORD_MAGIC 'L'
#define RECORD_VERSION 3
#define RECORD_VERSION_ENTITIES 2   /* older: the entity list was the sixth field */
/* zlib level: 6 is the usual size/speed balance; bodies are short. */
#define BODY_ZLEVEL 6

static void put_varint(lsx_buf *b, uint64_t v)
{
    unsigned char tmp[10];
    size_t n = 0;
    do {
        unsigned char c = v & 0x7f;
        v >>= 7;
        tmp[n++] = c | (v ? 0x80 : 0);
    } while (v);
    lsx_buf_append(b, tmp, n);
}

/* XOR n bytes with the keystream of xorshift64 from a fixed seed, eight
 * bytes per step: its own inverse. */
static void whiten(unsigned char *p, size_t n)
{
    uint64_t x = 0x9e3779b97f4a7c15u;
    for (size_t i = 0; i < n; i += 8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        if (i + 8 <= n) {   /* byte j of a little-endian word is x >> 8j: the same stream */
            uint64_t w;
            memcpy(&w, p + i, 8);
            w ^= x;
            memcpy(p + i, &w, 8);
            continue;
        }
#endif
        for (size_t j = 0; j < 8 && i + j < n; j++)
            p[i + j] ^= (unsigned char)(x >> (8 * j));
    }
}

static void put_field(lsx_buf *b, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    put_varint(b, n);
    lsx_buf_append(b, s, n);
}

int lsx_record_encode(const lsx_record *rec, char **out, size_t *out_len, char *err)
{
    lsx_buf b = {0};
    unsigned char head[3] = {RECORD_MAGIC, RECORD_VERSION, (unsigned char)rec->date_source};
    lsx_buf_append(&b, head, sizeof head);
    put_field(&b, rec->id);
    put_field(&b, rec->title);
    put_field(&b, rec->date);
    put_field(&b, rec->lang);
    put_field(&b, rec->source);
    if (b.oom) {
        lsx_buf_free(&b);
        return lsx__seterr(err, LSX_ENOMEM, "out of memory encoding record");
    }
    whiten((unsigned char *)b.data + sizeof head, b.len - sizeof head);
    *out_len = b.len;
    *out = b.data;
    return LSX_OK;
}

int lsx_body_encode(const char *body, size_t len, char **out, size_t *out_len, char *err)
{
    lsx_buf b = {0};
    put_varint(&b, len);
    size_t at = b.len;
    uLongf zlen = compressBound((uLong)len);
    char *p = b.oom ? NULL : realloc(b.data, at + zlen + 1);
    if (!p) {
        lsx_buf_free(&b);
        return lsx__seterr(err, LSX_ENOMEM, "out of memory compressing a body");
    }
    int zr = compress2((Bytef *)p + at, &zlen, (const Bytef *)body, (uLong)len, BODY_ZLEVEL);
    if (zr != Z_OK) {
        free(p);
        return lsx__seterr(err, zr == Z_MEM_ERROR ? LSX_ENOMEM : LSX_ERROR, "zlib compression failed (%d)", zr);
    }
    *out = p;
    *out_len = at + zlen;
    return LSX_OK;
}

typedef struct cursor {
    const unsigned char *p, *end;
    bool bad;
} cursor;

static uint64_t get_varint(cursor *c)
{
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (c->p >= c->end) {
            c->bad = true;
            return 0;
        }
        unsigned char x = *c->p++;
        v |= (uint64_t)(x & 0x7f) << shift;
        if (!(x & 0x80))
            return v;
    }
    c->bad = true;
    return 0;
}

/* Skip over one length-prefixed field, returning where it starts. */
static const unsigned char *skip_field(cursor *c, size_t *len)
{
    uint64_t n = get_varint(c);
    if (c->bad || n > (uint64_t)(c->end - c->p)) {
        c->bad = true;
        *len = 0;
        return NULL;
    }
    const unsigned char *at = c->p;
    c->p += n;
    *len = (size_t)n;
    return at;
}

int lsx_record_decode(const char *blob, size_t len, lsx_record *rec, char *err)
{
    memset(rec, 0, sizeof *rec);
    cursor c = {(const unsigned char *)blob, (const unsigned char *)blob + len, false};
    if (len < 3 || c.p[0] != RECORD_MAGIC)
        return lsx__seterr(err, LSX_ECORRUPT, "stored record is not a libsearch record");
    const unsigned char version = c.p[1];
    if (version != RECORD_VERSION && version != RECORD_VERSION_ENTITIES)
        return lsx__seterr(err, LSX_EVERSION, "stored record has format version %d (expected %d or %d)",
                           version, RECORD_VERSION_ENTITIES, RECORD_VERSION);
    const int nfields = version == RECORD_VERSION ? 5 : 6;
    rec->date_source = (lsx_date_source)c.p[2];
    c.p += 3;
    /* Version 3: unwhiten a copy (on the stack for the usual short record). */
    unsigned char small[512], *plain = NULL;
    if (version == RECORD_VERSION) {
        size_t n = (size_t)(c.end - c.p);
        plain = n <= sizeof small ? small : malloc(n);
        if (!plain)
            return lsx__seterr(err, LSX_ENOMEM, "out of memory decoding record");
        if (n)
            memcpy(plain, c.p, n);
        whiten(plain, n);
        c.p = plain;
        c.end = plain + n;
    }
    /* Locate the fields, then copy them, NUL-terminated, into one block: a
     * results page decodes many records. */
    enum { NFIELDS = 6 };
    const unsigned char *at[NFIELDS];
    size_t flen[NFIELDS], total = 0;
    for (int i = 0; i < nfields; i++) {
        at[i] = skip_field(&c, &flen[i]);
        total += flen[i] + 1;
    }
    char *mem = c.bad || c.p != c.end ? NULL : malloc(total);
    if (!mem) {
        if (plain != small)
            free(plain);
        if (c.bad || c.p != c.end)
            return lsx__seterr(err, LSX_ECORRUPT, "stored record is truncated or corrupt");
        return lsx__seterr(err, LSX_ENOMEM, "out of memory decoding record");
    }
    rec->mem = mem;
    char **dst[NFIELDS] = {&rec->id, &rec->title, &rec->date, &rec->lang, &rec->source, &rec->entities};
    for (int i = 0; i < nfields; i++) {
        if (flen[i])
            memcpy(mem, at[i], flen[i]);
        mem[flen[i]] = '\0';
        *dst[i] = mem;
        mem += flen[i] + 1;
    }
    if (plain != small)
        free(plain);
    return LSX_OK;
}

int lsx_record_set_entities(lsx_record *rec, const char *stored, size_t len, char *err)
{
    char *copy = lsx_strndup(stored ? stored : "", stored ? len : 0);
    if (!copy)
        return lsx__seterr(err, LSX_ENOMEM, "out of memory reading an entity list");
    free(rec->ents_mem);
    rec->ents_mem = copy;
    rec->entities = copy;
    return LSX_OK;
}

int lsx_record_set_body(lsx_record *rec, const char *stored, size_t len, char *err)
{
    free(rec->body);
    rec->body = NULL;
    rec->body_len = 0;
    cursor c = {(const unsigned char *)stored, (const unsigned char *)stored + len, false};
    uint64_t raw = get_varint(&c);
    /* A body cannot be more than ~1032x its deflate stream; a larger claim is corruption. */
    if (c.bad || raw > (uint64_t)(c.end - c.p) * 1040u + 64u)
        return lsx__seterr(err, LSX_ECORRUPT, "stored body of '%s' is truncated or corrupt",
                           rec->id ? rec->id : "?");
    char *body = malloc((size_t)raw + 1);
    if (!body)
        return lsx__seterr(err, LSX_ENOMEM, "out of memory decompressing body");
    uLongf n = (uLongf)raw;
    int zr = uncompress((Bytef *)body, &n, c.p, (uLong)(c.end - c.p));
    if (zr != Z_OK || n != raw) {
        free(body);
        return lsx__seterr(err, LSX_ECORRUPT, "stored body of '%s' is corrupt (zlib %d)",
                           rec->id ? rec->id : "?", zr);
    }
    body[n] = '\0';
    rec->body = body;
    rec->body_len = n;
    return LSX_OK;
}

void lsx_record_clear(lsx_record *rec)
{
    free(rec->mem);
    free(rec->ents_mem);
    free(rec->body);
    memset(rec, 0, sizeof *rec);
}

/*
 * store.c - the stored record of a document (Xapian document data).
 *
 * Layout, version 1:
 *   byte   'L'                magic
 *   byte   1                  format version
 *   byte   date source        (lsx_date_source)
 *   field  id, title, date, lang, source, entities   (varint length + bytes each)
 *   varint raw body length
 *   rest   body, zlib-compressed (deflate stream with zlib header)
 *
 * The body is the largest field and is only needed for snippets of the page
 * shown and for `get`, so it stays compressed until lsx_record_body().
 */
#include "private.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define RECORD_MAGIC 'L'
#define RECORD_VERSION 1
/* zlib level: 6 is the usual size/speed balance; bodies are short. */
#define RECORD_ZLEVEL 6

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

static void put_field(lsx_buf *b, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    put_varint(b, n);
    lsx_buf_append(b, s, n);
}

int lsx_record_encode(const lsx_record *rec, const char *body, size_t body_len,
                      char **out, size_t *out_len, char *err)
{
    lsx_buf b = {0};
    unsigned char head[3] = {RECORD_MAGIC, RECORD_VERSION, (unsigned char)rec->date_source};
    lsx_buf_append(&b, head, sizeof head);
    put_field(&b, rec->id);
    put_field(&b, rec->title);
    put_field(&b, rec->date);
    put_field(&b, rec->lang);
    put_field(&b, rec->source);
    put_field(&b, rec->entities);
    put_varint(&b, body_len);

    uLongf zlen = compressBound((uLong)body_len);
    size_t at = b.len;
    /* Reserve room for the compressed body, then shrink to the real size. */
    lsx_buf_append(&b, NULL, 0);
    if (!b.oom && b.cap < at + zlen + 1) {
        char *p = realloc(b.data, at + zlen + 1);
        if (!p)
            b.oom = true;
        else {
            b.data = p;
            b.cap = at + zlen + 1;
        }
    }
    if (b.oom) {
        lsx_buf_free(&b);
        return lsx__seterr(err, LSX_ENOMEM, "out of memory encoding record");
    }
    int zr = compress2((Bytef *)b.data + at, &zlen, (const Bytef *)body, (uLong)body_len, RECORD_ZLEVEL);
    if (zr != Z_OK) {
        lsx_buf_free(&b);
        return lsx__seterr(err, zr == Z_MEM_ERROR ? LSX_ENOMEM : LSX_ERROR,
                           "zlib compression failed (%d)", zr);
    }
    *out_len = at + zlen;
    *out = b.data;
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
    if (c.p[1] != RECORD_VERSION)
        return lsx__seterr(err, LSX_EVERSION, "stored record has format version %d (expected %d)",
                           c.p[1], RECORD_VERSION);
    rec->date_source = (lsx_date_source)c.p[2];
    c.p += 3;
    /* Locate the fields, then copy them (NUL-terminated) and the compressed
     * body into one block: a results page decodes many records. */
    enum { NFIELDS = 6 };
    const unsigned char *at[NFIELDS];
    size_t flen[NFIELDS], total = 0;
    for (int i = 0; i < NFIELDS; i++) {
        at[i] = skip_field(&c, &flen[i]);
        total += flen[i] + 1;
    }
    uint64_t raw = get_varint(&c);
    if (c.bad)
        return lsx__seterr(err, LSX_ECORRUPT, "stored record is truncated or corrupt");
    rec->body_raw_len = (size_t)raw;
    rec->zbody_len = (size_t)(c.end - c.p);
    char *mem = malloc(total + rec->zbody_len + 1);
    if (!mem)
        return lsx__seterr(err, LSX_ENOMEM, "out of memory decoding record");
    rec->mem = mem;
    char **dst[NFIELDS] = {&rec->id, &rec->title, &rec->date, &rec->lang, &rec->source, &rec->entities};
    for (int i = 0; i < NFIELDS; i++) {
        memcpy(mem, at[i], flen[i]);
        mem[flen[i]] = '\0';
        *dst[i] = mem;
        mem += flen[i] + 1;
    }
    memcpy(mem, c.p, rec->zbody_len);
    rec->zbody = (unsigned char *)mem;
    return LSX_OK;
}

int lsx_record_body(lsx_record *rec, char *err)
{
    if (rec->body)
        return LSX_OK;
    char *body = malloc(rec->body_raw_len + 1);
    if (!body)
        return lsx__seterr(err, LSX_ENOMEM, "out of memory decompressing body");
    uLongf n = (uLongf)rec->body_raw_len;
    int zr = uncompress((Bytef *)body, &n, rec->zbody, (uLong)rec->zbody_len);
    if (zr != Z_OK || n != rec->body_raw_len) {
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
    free(rec->body);
    memset(rec, 0, sizeof *rec);
}

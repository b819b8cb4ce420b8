/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * util.c - status strings, error messages, byte buffers, small string helpers.
 */
#include "private.h"

#include <jansson.h>
#include <utf8proc.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *lsx_version(void)
{
    return LSX_VERSION_STRING;
}

const char *lsx_xapian_version(void)
{
    return xs_xapian_version();
}

const char *lsx_status_str(int status)
{
    switch (status) {
    case LSX_OK:           return "success";
    case LSX_DONE:         return "no more items";
    case LSX_ERROR:        return "error";
    case LSX_ENOMEM:       return "out of memory";
    case LSX_EINVAL:       return "invalid argument";
    case LSX_ENOTFOUND:    return "not found";
    case LSX_ELOCKED:      return "database is locked";
    case LSX_EMODIFIED:    return "database was modified; reopen it";
    case LSX_ECORRUPT:     return "database or record is corrupt";
    case LSX_EIO:          return "input/output error";
    case LSX_EQUERY:       return "query syntax error";
    case LSX_EPARSE:       return "malformed input record";
    case LSX_EREADONLY:    return "database is read-only";
    case LSX_EVERSION:     return "incompatible database version";
    case LSX_EUNSUPPORTED: return "not supported";
    default:               return "unknown status";
    }
}

const char *lsx_date_source_str(lsx_date_source src)
{
    switch (src) {
    case LSX_DATE_HEADER:   return "header";
    case LSX_DATE_TEXT:     return "text";
    case LSX_DATE_INFERRED: return "inferred";
    case LSX_DATE_UNREADABLE: return "unreadable-header";
    case LSX_DATE_NONE:
    default:                return "none";
    }
}

const char *lsx_entity_type_str(lsx_entity_type type)
{
    switch (type) {
    case LSX_ENTITY_PERSON: return "person";
    case LSX_ENTITY_ORG:    return "org";
    case LSX_ENTITY_PLACE:  return "place";
    case LSX_ENTITY_OTHER:
    default:                return "other";
    }
}

int lsx__read_versioned(void *dst, const void *src, const size_t *ends, unsigned nversions,
                        const char *what, char *err)
{
    unsigned version;
    memcpy(&version, src, sizeof version);
    if (version == 0 || version > nversions)
        return lsx__seterr(err, LSX_EINVAL, "%s version %u is not supported (this library knows 1 to %u)",
                           what, version, nversions);
    memcpy(dst, src, ends[version - 1]);
    memcpy(dst, &nversions, sizeof nversions);
    return LSX_OK;
}

int lsx__init_versioned(void *dst, const void *defaults, const size_t *ends, unsigned nversions,
                        unsigned version)
{
    if (!dst || version == 0 || version > nversions)
        return LSX_EINVAL;
    memcpy(dst, defaults, ends[version - 1]);
    memcpy(dst, &version, sizeof version);
    return LSX_OK;
}

int lsx__seterr(char *buf, int status, const char *fmt, ...)
{
    if (buf) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(buf, LSX_ERRLEN, fmt, ap);
        va_end(ap);
    }
    return status;
}

/* ---- string map ---------------------------------------------------------- */

static bool strmap_rehash(lsx_strmap *m, size_t nslots)
{
    uint32_t *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return false;
    free(m->slots);
    m->slots = slots;
    m->nslots = nslots;
    for (size_t e = 0; e < m->n; e++) {
        size_t i = m->ents[e].hash & (nslots - 1);
        while (slots[i])
            i = (i + 1) & (nslots - 1);
        slots[i] = (uint32_t)e + 1;
    }
    return true;
}

long lsx__strmap_put(lsx_strmap *m, const char *k, size_t n, uint32_t h, uint32_t val, bool *added)
{
    *added = false;
    long f = lsx__strmap_find(m, k, n, h);
    if (f >= 0)
        return f;
    if (m->n >= UINT32_MAX / 2 || n > UINT32_MAX / 2)
        return -1;
    if ((m->n + 1) * 2 > m->nslots && !strmap_rehash(m, m->nslots ? m->nslots * 2 : 64))
        return -1;
    lsx_strmap_ent *e = lsx__grow(m->ents, m->n, &m->cap, sizeof *e, 32);
    if (!e)
        return -1;
    m->ents = e;
    size_t off = m->keys.len;
    lsx_buf_append(&m->keys, k, n);
    lsx_buf_putc(&m->keys, '\0');
    if (m->keys.oom || off > UINT32_MAX / 2) {
        m->keys.len = off;
        m->keys.oom = false;
        return -1;
    }
    m->ents[m->n] = (lsx_strmap_ent){ h, (uint32_t)off, (uint32_t)n, val };
    size_t i = h & (m->nslots - 1);
    while (m->slots[i])
        i = (i + 1) & (m->nslots - 1);
    m->slots[i] = (uint32_t)m->n + 1;
    *added = true;
    return (long)m->n++;
}

size_t lsx__strmap_get(const lsx_strmap *m, const char *s, size_t n)
{
    long i = lsx__strmap_find(m, s, n, lsx__hash(s, n));
    return i < 0 ? SIZE_MAX : m->ents[i].val;
}

bool lsx__strmap_add(lsx_strmap *m, const char *s, size_t n, size_t val)
{
    bool added;
    return val <= UINT32_MAX && lsx__strmap_put(m, s, n, lsx__hash(s, n), (uint32_t)val, &added) >= 0;
}

void lsx__strmap_clear(lsx_strmap *m)
{
    if (m->nslots > 65536) {     /* do not keep a huge table after a huge input */
        free(m->slots);
        m->slots = NULL;
        m->nslots = 0;
    } else if (m->slots) {
        memset(m->slots, 0, m->nslots * sizeof *m->slots);
    }
    m->n = 0;
    m->keys.len = 0;
    m->keys.oom = false;
}

void lsx__strmap_free(lsx_strmap *m)
{
    free(m->ents);
    free(m->slots);
    lsx_buf_free(&m->keys);
    memset(m, 0, sizeof *m);
}

void *lsx__grow(void *arr, size_t n, size_t *cap, size_t size, size_t first)
{
    if (n < *cap)
        return arr;
    size_t c = *cap ? *cap * 2 : first;
    if (c <= *cap || c > SIZE_MAX / size)
        return NULL;
    void *p = realloc(arr, c * size);
    if (p)
        *cap = c;
    return p;
}

static bool buf_reserve(lsx_buf *b, size_t extra)
{
    if (b->oom)
        return false;
    if (b->len + extra + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->oom = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

void lsx_buf_append(lsx_buf *b, const void *p, size_t n)
{
    if (!buf_reserve(b, n))
        return;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void lsx_buf_puts(lsx_buf *b, const char *s)
{
    lsx_buf_append(b, s, strlen(s));
}

void lsx_buf_putc(lsx_buf *b, char c)
{
    lsx_buf_append(b, &c, 1);
}

void lsx_buf_printf(lsx_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !buf_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void lsx_buf_free(lsx_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->oom = false;
}

char *lsx_buf_detach(lsx_buf *b)
{
    char *p = NULL;
    if (!b->oom) {
        if (!b->data)
            lsx_buf_append(b, "", 0);
        p = b->oom ? NULL : b->data;
        if (p)
            b->data = NULL;
    }
    lsx_buf_free(b);
    return p;
}

char *lsx_strndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *lsx_strdup(const char *s)
{
    return s ? lsx_strndup(s, strlen(s)) : NULL;
}

/* Append n bytes of s to b as valid UTF-8: a byte that does not start a
 * valid sequence becomes U+FFFD. */
static void append_valid_utf8(lsx_buf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *e = p + n;
    while (p < e) {
        int32_t cp;
        size_t k = lsx__utf8_decode(p, (size_t)(e - p), &cp);
        if (k > 0) {
            lsx_buf_append(b, p, k);
            p += k;
        } else {
            lsx_buf_append(b, "\xEF\xBF\xBD", 3);
            p++;
        }
    }
}

static int dump_to_buf(const char *chunk, size_t n, void *payload)
{
    lsx_buf_append(payload, chunk, n);
    return 0;
}

void lsx__json_str(lsx_buf *b, const char *s)
{
    lsx_buf v = {0};
    append_valid_utf8(&v, s ? s : "", s ? strlen(s) : 0);
    json_t *j = v.oom ? NULL : json_stringn(v.data ? v.data : "", v.len);
    if (!j || json_dump_callback(j, dump_to_buf, b, JSON_ENCODE_ANY) != 0)
        b->oom = true;
    json_decref(j);
    lsx_buf_free(&v);
}

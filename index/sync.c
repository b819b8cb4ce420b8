/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sync.c - the per-file state of search-index (see sync.h).
 */
#include "sync.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_n(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static int cmp_path(const void *a, const void *b)
{
    return strcmp(((const sync_file *)a)->path, ((const sync_file *)b)->path);
}

void sync_sort(sync_state *s)
{
    if (s->n > 1)
        qsort(s->files, s->n, sizeof *s->files, cmp_path);
}

bool sync_add(sync_state *s, const char *path, uint64_t hash, uint64_t size, int64_t mtime,
              const char *ids)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        sync_file *f = realloc(s->files, cap * sizeof *f);
        if (!f)
            return false;
        s->files = f;
        s->cap = cap;
    }
    sync_file *f = &s->files[s->n];
    f->path = dup_n(path, strlen(path));
    f->ids = dup_n(ids ? ids : "", ids ? strlen(ids) : 0);
    if (!f->path || !f->ids) {
        free(f->path);
        free(f->ids);
        return false;
    }
    f->hash = hash;
    f->size = size;
    f->mtime = mtime;
    f->seen = false;
    f->listed = false;
    s->n++;
    return true;
}

static char *unescape(const char *s, size_t n)
{
    char *out = malloc(n + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n) {
            char hex[3] = { s[i + 1], s[i + 2], 0 };
            char *end;
            long v = strtol(hex, &end, 16);
            if (*end == '\0') {
                *o++ = (char)v;
                i += 2;
                continue;
            }
        }
        *o++ = s[i];
    }
    *o = '\0';
    return out;
}

bool sync_load(sync_state *s, const char *text, size_t len)
{
    memset(s, 0, sizeof *s);
    if (!text || !len)
        return true;
    const char *p = text, *end = text + len;
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl || strncmp(p, "search-index files 1", (size_t)(nl - p)) != 0)
        return false;
    p = nl + 1;
    while (p < end) {
        nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl || p[0] != 'F' || p[1] != ' ')
            goto bad;
        uint64_t hash, size;
        int64_t mtime;
        int used = 0;
        char line[128];
        size_t ln = (size_t)(nl - p) < sizeof line - 1 ? (size_t)(nl - p) : sizeof line - 1;
        memcpy(line, p, ln);
        line[ln] = '\0';
        if (sscanf(line, "F %16" SCNx64 " %" SCNu64 " %" SCNd64 " %n", &hash, &size, &mtime, &used) != 3 ||
            used <= 0)
            goto bad;
        char *path = unescape(p + used, (size_t)(nl - p) - (size_t)used);
        const char *q = nl + 1;
        const char *nl2 = q < end ? memchr(q, '\n', (size_t)(end - q)) : NULL;
        if (!path || !nl2 || q[0] != 'I') {
            free(path);
            goto bad;
        }
        const char *ids = q + 1;
        if (ids < nl2 && *ids == ' ')
            ids++;
        char *idcopy = dup_n(ids, (size_t)(nl2 - ids));
        bool ok = idcopy && sync_add(s, path, hash, size, mtime, idcopy);
        free(path);
        free(idcopy);
        if (!ok)
            goto bad;
        p = nl2 + 1;
    }
    sync_sort(s);
    return true;
bad:
    sync_free(s);
    return false;
}

sync_file *sync_find(sync_state *s, const char *path)
{
    sync_file key = { .path = (char *)path };
    return s->n ? bsearch(&key, s->files, s->n, sizeof *s->files, cmp_path) : NULL;
}

char *sync_save(const sync_state *s, size_t *len)
{
    size_t cap = 64;
    for (size_t i = 0; i < s->n; i++)
        if (s->files[i].seen)
            cap += 3 * strlen(s->files[i].path) + strlen(s->files[i].ids) + 80;
    char *out = malloc(cap), *o = out;
    if (!out)
        return NULL;
    o += sprintf(o, "search-index files 1\n");
    for (size_t i = 0; i < s->n; i++) {
        const sync_file *f = &s->files[i];
        if (!f->seen)
            continue;
        o += sprintf(o, "F %016" PRIx64 " %" PRIu64 " %" PRId64 " ", f->hash, f->size, f->mtime);
        for (const char *c = f->path; *c; c++) {
            if (*c == '%' || *c == '\n')
                o += sprintf(o, "%%%02X", (unsigned char)*c);
            else
                *o++ = *c;
        }
        o += sprintf(o, "\nI %s\n", f->ids);
    }
    *len = (size_t)(o - out);
    return out;
}

void sync_free(sync_state *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->files[i].path);
        free(s->files[i].ids);
    }
    free(s->files);
    memset(s, 0, sizeof *s);
}

bool sync_under(const char *path, const char *root)
{
    size_t n = strlen(root);
    if (n == 1 && root[0] == '/')
        return path[0] == '/';
    return strncmp(path, root, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

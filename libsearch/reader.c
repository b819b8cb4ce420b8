/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * reader.c - article readers: the handle, the list of input files, format
 * detection and buffered lines over zlib (which reads plain and gzip files
 * alike).  The formats themselves are in reader-text.c, reader-trec.c and
 * reader-jsonl.c.
 */
#include "reader.h"

#include <dirent.h>
#include <fnmatch.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* Overridable at build time: the fuzz targets use small buffers, which
 * exercise their growth and run far faster under AddressSanitizer. */
#ifndef LINE_BUF_SIZE
#  define LINE_BUF_SIZE ((size_t)256 << 10)  /* our line buffer, grows for long lines */
#endif
#ifndef GZ_BUF_SIZE
#  define GZ_BUF_SIZE   (128u << 10)         /* zlib's own input buffer */
#endif
#ifndef BYTES_CHUNK
#  define BYTES_CHUNK   SIZE_MAX             /* most lsx__bytes_next returns at once */
#endif
#define SNIFF_BYTES   4096                 /* looked at to recognise a file */
#define MAX_DEPTH     128                  /* directory nesting we descend into */

/* ---- small helpers ------------------------------------------------------ */

void lsx__trim(const char **s, size_t *n)
{
    const char *p = *s;
    size_t len = *n;
    while (len && lsx__is_space((unsigned char)*p)) {
        ++p;
        --len;
    }
    while (len && lsx__is_space((unsigned char)p[len - 1]))
        --len;
    *s = p;
    *n = len;
}

void lsx__reader_warn(lsx_reader *r, const char *fmt, ...)
{
    size_t used = strlen(r->warn);
    if (used + 3 >= sizeof r->warn)
        return;
    if (used) {
        memcpy(r->warn + used, "; ", 3);
        used += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->warn + used, sizeof r->warn - used, fmt, ap);
    va_end(ap);
}

int lsx__reader_skip_file(lsx_reader *r, lsx_skip_kind kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err, sizeof r->err, fmt, ap);
    va_end(ap);
    r->skip_kind = kind;
    r->in_failed = true;          /* the file is closed: nothing more in it */
    return LSX_EPARSE;
}

void lsx__reader_set_when(lsx_reader *r, lsx_article *out, const lsx_when *w)
{
    char canon[LSX_DATE_MAX];
    size_t n = lsx__when_format(w, canon);
    lsx__buf_reset(&r->date);
    lsx_buf_append(&r->date, canon, n);
    out->date = lsx__buf_str(&r->date);
    out->date_source = LSX_DATE_HEADER;
}

void lsx__reader_set_date(lsx_reader *r, lsx_article *out, const char *field, uint64_t line,
                          const char *s, size_t n)
{
    lsx_when w;
    lsx__trim(&s, &n);
    if (n == 0)
        return;                   /* an empty field: no date given */
    if (lsx__parse_when(s, n, &w)) {
        lsx__reader_set_when(r, out, &w);
        return;
    }
    out->date = NULL;
    out->date_source = LSX_DATE_UNREADABLE;
    char shown[64];
    size_t k = 0;
    for (size_t i = 0; i < n && k < 40; i++)      /* printable ASCII only in the message */
        shown[k++] = (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7F ? s[i] : '?';
    shown[k] = '\0';
    if (line)
        lsx__reader_warn(r, "%s:%llu: field %s: cannot read the date '%s%s'; the date is looked for "
                         "in the text", lsx__reader_file(r), (unsigned long long)line, field, shown,
                         n > 40 ? "..." : "");
    else
        lsx__reader_warn(r, "%s: field %s: cannot read the date '%s%s'; the date is looked for "
                         "in the text", lsx__reader_file(r), field, shown, n > 40 ? "..." : "");
}

/* Is [s, s+n) valid UTF-8?  A sequence cut off at the end counts as valid
 * when `cut` is set (the text goes on beyond what we looked at). */
static bool valid_utf8(const unsigned char *s, size_t n, bool cut)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t k;
        unsigned lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF)
            k = 1;
        else if (c >= 0xE0 && c <= 0xEF) {
            k = 2;
            if (c == 0xE0) lo = 0xA0;         /* overlong */
            if (c == 0xED) hi = 0x9F;         /* surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            k = 3;
            if (c == 0xF0) lo = 0x90;
            if (c == 0xF4) hi = 0x8F;
        } else
            return false;
        for (size_t j = 1; j <= k; j++) {
            if (i + j >= n)
                return cut;
            unsigned char t = s[i + j];
            if (t < (j == 1 ? lo : 0x80) || t > (j == 1 ? hi : 0xBF))
                return false;
        }
        i += k + 1;
    }
    return true;
}

bool lsx__valid_utf8(const char *s, size_t n)
{
    return valid_utf8((const unsigned char *)s, n, false);
}

/* ---- buffered lines ------------------------------------------------------ */

static int read_error(lsx_reader *r)
{
    int errnum = Z_OK;
    const char *msg = gzerror(r->in.gz, &errnum);
    r->in_failed = true;
    size_t pl = strlen(lsx__reader_file(r));
    if (msg && strncmp(msg, lsx__reader_file(r), pl) == 0 && strncmp(msg + pl, ": ", 2) == 0)
        msg += pl + 2;               /* zlib puts the path first; we do too */
    if (errnum == Z_MEM_ERROR)
        return lsx__seterr(r->err, LSX_ENOMEM, "%s: out of memory while reading", lsx__reader_file(r));
    return lsx__seterr(r->err, LSX_EIO, "%s: read error after line %llu: %s", lsx__reader_file(r),
                       (unsigned long long)r->in.line,
                       errnum == Z_ERRNO ? strerror(errno) : (msg && *msg ? msg : "unknown error"));
}

/* Read more of the file into [end, cap).  0 or a negative status. */
static int fill(lsx_reader *r)
{
    lsx_lines *in = &r->in;
    size_t room = in->cap - in->end;
    if (room > INT_MAX)
        room = INT_MAX;
    int n = gzread(in->gz, in->buf + in->end, (unsigned)room);
    if (n < 0)
        return read_error(r);
    if (n == 0) {
        int errnum = Z_OK;
        gzerror(in->gz, &errnum);
        if (errnum != Z_OK)          /* e.g. a truncated gzip stream */
            return read_error(r);
        in->eof = true;
    }
    in->end += (size_t)n;
    z_off_t off = gzoffset(in->gz);
    if (off >= 0)
        in->raw_offset = (uint64_t)off;
    return 0;
}

void lsx__field_add(lsx_reader *r, lsx_buf *b, const char *p, size_t n)
{
    bool title = b == &r->title;
    bool *cut = title ? &r->title_cut : b == &r->body ? &r->body_cut : &r->other_cut;
    size_t cap = title ? LSX_MAX_TITLE_BYTES : LSX_MAX_ARTICLE_BYTES;
    if (*cut)
        return;
    size_t room = b->len < cap ? cap - b->len : 0;
    if (n > room) {
        n = room;
        while (n > 0 && ((unsigned char)p[n] & 0xC0) == 0x80)
            n--;                     /* p[n] continues a character: leave it all out */
        *cut = r->field_cut = true;
    }
    if (n)
        lsx_buf_append(b, p, n);
}

int lsx__lines_next(lsx_reader *r, const char **line, size_t *len)
{
    lsx_lines *in = &r->in;
    while (in->skipping) {           /* the rest of a line that was cut */
        char *nl = memchr(in->buf + in->pos, '\n', in->end - in->pos);
        if (nl) {
            in->pos = (size_t)(nl - in->buf) + 1;
            in->skipping = false;
            break;
        }
        in->pos = in->end = 0;
        if (in->eof) {
            in->skipping = false;
            return 0;
        }
        int rc = fill(r);
        if (rc < 0)
            return rc;
    }
    size_t scan = in->pos;
    size_t n;
    for (;;) {
        char *start = in->buf + in->pos;
        char *nl = memchr(in->buf + scan, '\n', in->end - scan);
        if (nl) {
            n = (size_t)(nl - start);
            in->pos += n + 1;
        } else if (in->eof) {
            if (in->pos == in->end)
                return 0;
            n = in->end - in->pos;
            in->pos = in->end;
        } else {
            size_t have = in->end - in->pos;
            if (in->pos > 0) {
                memmove(in->buf, start, have);
                in->pos = 0;
                in->end = have;
            }
            scan = in->end;
            if (in->end == in->cap) {
                if (in->cap >= LSX_READER_MAX_RECORD) {
                    /* Too long: this much is the line; the rest is dropped. */
                    n = in->end;
                    in->pos = in->end;
                    in->skipping = true;
                    r->line_cut = true;
                    break;
                }
                char *p = realloc(in->buf, in->cap * 2);
                if (!p)
                    return lsx__seterr(r->err, LSX_ENOMEM, "out of memory (line buffer)");
                in->buf = p;
                in->cap *= 2;
            }
            int rc = fill(r);
            if (rc < 0)
                return rc;
            continue;
        }
        if (n && start[n - 1] == '\r')
            --n;
        in->line++;
        *line = start;
        *len = n;
        return 1;
    }
    /* A line cut at the cap (the loop's only break). */
    in->line++;
    *line = in->buf;
    *len = n;
    return 1;
}

int lsx__bytes_next(lsx_reader *r, const char **p, size_t *n)
{
    lsx_lines *in = &r->in;
    while (in->pos == in->end) {
        if (in->eof)
            return 0;
        in->pos = in->end = 0;
        int rc = fill(r);
        if (rc < 0)
            return rc;
    }
    *p = in->buf + in->pos;
    *n = in->end - in->pos < BYTES_CHUNK ? in->end - in->pos : BYTES_CHUNK;
    in->pos += *n;
    return 1;
}

/* ---- the list of files ----------------------------------------------------- */

/* Length of the id part of `name` once its extensions are gone: a compression
 * suffix (.gz), then one format extension (letters and digits after a dot,
 * starting with a letter, at most 6 long). */
static size_t id_length(const char *name, size_t n)
{
    const char *base = name;
    for (size_t i = 0; i < n; i++)
        if (name[i] == '/')
            base = name + i + 1;
    size_t b = (size_t)(base - name);
    if (n - b > 3 && strncasecmp(name + n - 3, ".gz", 3) == 0)
        n -= 3;
    for (size_t i = n; i > b + 1; i--) {
        char c = name[i - 1];
        if (c == '.') {
            char f = name[i];
            size_t el = n - i;
            if (el >= 1 && el <= 6 && ((f >= 'a' && f <= 'z') || (f >= 'A' && f <= 'Z')))
                return i - 1;
            break;
        }
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            break;
    }
    return n;
}

char *lsx__file_id(const char *root, const char *real)
{
    size_t rl = root ? strlen(root) : 0;
    const char *rel = real;
    if (rl == 1 && root[0] == '/')
        rel = real + 1;
    else if (rl && strncmp(real, root, rl) == 0 && real[rl] == '/')
        rel = real + rl + 1;
    size_t n = id_length(rel, strlen(rel));
    lsx_buf b = { 0 };
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)rel[i];
        if (c <= ' ' || c == 0x7F || c == '%')
            lsx_buf_printf(&b, "%%%02X", c);
        else
            lsx_buf_putc(&b, (char)c);
    }
    if (b.oom) {
        lsx_buf_free(&b);
        return NULL;
    }
    return b.data ? b.data : lsx_strdup("");
}

static int add_entry(lsx_reader *r, char *path, size_t rel, const struct stat *st, int err)
{
    if (!path)
        return LSX_ENOMEM;
    char *real = err ? NULL : realpath(path, NULL);
    if (real) {
        size_t at = lsx__strmap_get(&r->seen, real, strlen(real));
        if (at != SIZE_MAX) {          /* the same file under another path: read once */
            free(real);
            free(path);
            return LSX_OK;
        }
    }
    lsx_reader_entry *e = lsx__grow(r->ents, r->nents, &r->cap_ents, sizeof *e, 16);
    char *id = real ? lsx__file_id(r->root, real) : lsx__file_id(r->root, path);
    if (!e || !id) {
        free(path);
        free(real);
        free(id);
        return LSX_ENOMEM;
    }
    r->ents = e;
    uint64_t size = st && !err ? (uint64_t)st->st_size : 0;
    int64_t mt = st && !err ? (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec : 0;
    r->ents[r->nents] = (lsx_reader_entry){ path, rel, size, err, real, id, mt, false };
    if (real && !lsx__strmap_add(&r->seen, real, strlen(real), r->nents))
        return LSX_ENOMEM;            /* the entry is owned by the list already */
    r->nents++;
    r->bytes_total += size;
    return LSX_OK;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join(const char *dir, const char *name)
{
    size_t dl = strlen(dir), nl = strlen(name);
    bool slash = dl && dir[dl - 1] != '/';
    char *p = malloc(dl + slash + nl + 1);
    if (p) {
        memcpy(p, dir, dl);
        if (slash)
            p[dl] = '/';
        memcpy(p + dl + slash, name, nl + 1);
    }
    return p;
}

/* A README (README, README.md, readme.txt, ...) documents a directory of
 * articles; it is not one of them. */
static bool is_readme(const char *name)
{
    return strncasecmp(name, "README", 6) == 0 && (name[6] == '\0' || name[6] == '.');
}

/* Excluded by a glob: one without "/" matches the name, one with "/" the
 * path below the PATH given. */
static bool excluded(const lsx_reader *r, const char *name, const char *relpath)
{
    for (size_t i = 0; i < r->nexcludes; i++) {
        const char *g = r->excludes[i];
        if (strchr(g, '/') ? fnmatch(g, relpath, FNM_PATHNAME) == 0 : fnmatch(g, name, 0) == 0)
            return true;
    }
    return false;
}

/* A directory never read: one given to lsx_reader_skip_dir, or a Xapian
 * database (it holds "iamglass"). */
static bool skipped_dir(const lsx_reader *r, const char *path, const struct stat *st)
{
    for (size_t i = 0; i < r->nskips; i++)
        if (r->skips[i].dev == (uint64_t)st->st_dev && r->skips[i].ino == (uint64_t)st->st_ino)
            return true;
    char *marker = join(path, "iamglass");
    struct stat ms;
    bool db = marker && stat(marker, &ms) == 0;
    free(marker);
    return db;
}

/* The directories being walked, to refuse symlink loops. */
typedef struct walk_stack {
    const struct walk_stack *up;
    uint64_t dev, ino;
} walk_stack;

static bool on_stack(const walk_stack *s, const struct stat *st)
{
    for (; s; s = s->up)
        if (s->dev == (uint64_t)st->st_dev && s->ino == (uint64_t)st->st_ino)
            return true;
    return false;
}

/* Add the files under `dir`, in byte order of names, skipping hidden entries,
 * READMEs, excluded names and databases; symlinks are followed (to files and
 * to directories; a link back to a directory being walked is reported as a
 * loop).  Problems with a subdirectory become entries reported (as LSX_EIO)
 * when the reader reaches them. */
static int walk(lsx_reader *r, const char *dir, size_t rel, const walk_stack *up, int depth)
{
    if (depth > MAX_DEPTH)
        return add_entry(r, lsx_strdup(dir), rel, NULL, ELOOP);
    DIR *d = opendir(dir);
    if (!d)
        return add_entry(r, lsx_strdup(dir), rel, NULL, errno);
    struct stat dst;
    walk_stack here = { up, 0, 0 };
    if (fstat(dirfd(d), &dst) == 0) {
        here.dev = (uint64_t)dst.st_dev;
        here.ino = (uint64_t)dst.st_ino;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = LSX_OK;
    struct dirent *de;
    errno = 0;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || is_readme(de->d_name))
            continue;
        char **p = lsx__grow(names, n, &cap, sizeof *p, 32);
        if (!p) {
            rc = LSX_ENOMEM;
            break;
        }
        names = p;
        if (!(names[n] = lsx_strdup(de->d_name))) {
            rc = LSX_ENOMEM;
            break;
        }
        n++;
    }
    int read_errno = errno;
    closedir(d);
    if (rc == LSX_OK && read_errno)
        rc = add_entry(r, lsx_strdup(dir), rel, NULL, read_errno);
    if (n)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n && rc == LSX_OK; i++) {
        char *path = join(dir, names[i]);
        struct stat st;
        if (!path) {
            rc = LSX_ENOMEM;
        } else if (excluded(r, names[i], path + rel)) {
            free(path);
        } else if (stat(path, &st) != 0) {
            int e = errno;
            struct stat lst;
            if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode) && e == ENOENT)
                rc = add_entry(r, path, rel, NULL, e);      /* a dangling link: reported */
            else
                rc = add_entry(r, path, rel, NULL, e);
        } else if (S_ISDIR(st.st_mode)) {
            if (on_stack(&here, &st))
                rc = add_entry(r, path, rel, NULL, ELOOP);  /* a link back up: reported */
            else if (skipped_dir(r, path, &st))
                free(path);
            else {
                rc = walk(r, path, rel, &here, depth + 1);
                free(path);
            }
        } else if (S_ISREG(st.st_mode)) {
            rc = add_entry(r, path, rel, &st, 0);
        } else {
            free(path);              /* fifos, sockets, devices */
        }
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

/* ---- handle ------------------------------------------------------------------ */

int lsx_reader_add(lsx_reader *r, const char *path)
{
    if (!r)
        return LSX_EINVAL;
    if (r->next_ent > 0 || r->cur)
        return lsx__seterr(r->err, LSX_EINVAL, "lsx_reader_add: reading has started");
    struct stat st;
    int rc;
    if (!path || !*path) {
        rc = lsx__seterr(r->err, LSX_EINVAL, "lsx_reader_add: no path given");
    } else if (stat(path, &st) != 0) {
        int e = errno;
        rc = lsx__seterr(r->err, e == ENOENT || e == ENOTDIR ? LSX_ENOTFOUND : LSX_EIO,
                         "%s: %s", path, strerror(e));
    } else if (S_ISDIR(st.st_mode)) {
        size_t len = strlen(path);
        size_t rel = len + (path[len - 1] != '/');
        DIR *d = opendir(path);     /* the top directory itself must be readable */
        if (!d) {
            int e = errno;
            rc = lsx__seterr(r->err, LSX_EIO, "%s: cannot read directory: %s", path, strerror(e));
        } else {
            closedir(d);
            size_t before = r->nents;
            rc = skipped_dir(r, path, &st) ? lsx__seterr(r->err, LSX_EINVAL, "%s: is a database, "
                                                          "not articles", path)
                                           : walk(r, path, rel, NULL, 0);
            if (rc == LSX_OK && r->nents == before && r->format == LSX_FORMAT_AUTO)
                r->empty_dirs++;
        }
    } else {
        const char *slash = strrchr(path, '/');
        size_t rel = slash ? (size_t)(slash - path) + 1 : 0;
        rc = add_entry(r, lsx_strdup(path), rel, S_ISREG(st.st_mode) ? &st : NULL, 0);
    }
    return rc;
}

int lsx_reader_open(lsx_reader **out, const char *path, lsx_format format)
{
    if (!out)
        return LSX_EINVAL;
    lsx_reader *r = calloc(1, sizeof *r);
    *out = r;
    if (!r)
        return LSX_ENOMEM;
    r->format = format;
    int rc = LSX_OK;
    char *cwd = realpath(".", NULL);
    r->root = cwd ? cwd : lsx_strdup("");
    if (!r->root)
        rc = LSX_ENOMEM;
    else if (format < LSX_FORMAT_AUTO || format > LSX_FORMAT_HTML)
        rc = lsx__seterr(r->err, LSX_EINVAL, "lsx_reader_open: unknown format %d", (int)format);
    else if (path) {
        /* the id root: the folder opened, or the folder of the file opened */
        struct stat st;
        char *real = realpath(path, NULL);
        if (real && stat(real, &st) == 0 && !S_ISDIR(st.st_mode)) {
            char *slash = strrchr(real, '/');
            if (slash && slash != real)
                *slash = '\0';
            else if (slash)
                slash[1] = '\0';
        }
        if (real) {
            free(r->root);
            r->root = real;
        }
        rc = lsx_reader_add(r, path);
    }
    if (rc == LSX_ENOMEM) {
        lsx_reader_free(r);
        *out = NULL;
    }
    return rc;
}

int lsx_reader_set_id_root(lsx_reader *r, const char *dir)
{
    if (!r)
        return LSX_EINVAL;
    char *real = dir ? realpath(dir, NULL) : lsx_strdup("");
    if (!real)
        return lsx__seterr(r->err, dir && errno != ENOMEM ? LSX_ENOTFOUND : LSX_ENOMEM,
                           "%s: %s", dir ? dir : "", strerror(errno));
    free(r->root);
    r->root = real;
    for (size_t i = 0; i < r->nents; i++) {
        lsx_reader_entry *e = &r->ents[i];
        char *id = lsx__file_id(r->root, e->real ? e->real : e->path);
        if (!id)
            return LSX_ENOMEM;
        free(e->id);
        e->id = id;
    }
    return LSX_OK;
}

int lsx_reader_exclude(lsx_reader *r, const char *glob)
{
    if (!r || !glob || !*glob)
        return LSX_EINVAL;
    char **p = lsx__grow(r->excludes, r->nexcludes, &r->cap_excludes, sizeof *p, 4);
    if (!p)
        return LSX_ENOMEM;
    r->excludes = p;
    if (!(p[r->nexcludes] = lsx_strdup(glob)))
        return LSX_ENOMEM;
    r->nexcludes++;
    return LSX_OK;
}

int lsx_reader_skip_dir(lsx_reader *r, const char *dir)
{
    struct stat st;
    if (!r || !dir)
        return LSX_EINVAL;
    if (stat(dir, &st) != 0)
        return LSX_OK;                /* not there (yet): nothing to skip */
    void *p = lsx__grow(r->skips, r->nskips, &r->cap_skips, sizeof *r->skips, 4);
    if (!p)
        return LSX_ENOMEM;
    r->skips = p;
    r->skips[r->nskips].dev = (uint64_t)st.st_dev;
    r->skips[r->nskips].ino = (uint64_t)st.st_ino;
    r->nskips++;
    return LSX_OK;
}

size_t lsx_reader_file_count(const lsx_reader *r)
{
    return r ? r->nents : 0;
}

static const lsx_reader_entry *entry(const lsx_reader *r, size_t i)
{
    return r && i < r->nents ? &r->ents[i] : NULL;
}

const char *lsx_reader_file_path(const lsx_reader *r, size_t i)
{
    const lsx_reader_entry *e = entry(r, i);
    return e ? e->path : NULL;
}

const char *lsx_reader_file_real(const lsx_reader *r, size_t i)
{
    const lsx_reader_entry *e = entry(r, i);
    return e ? (e->real ? e->real : e->path) : NULL;
}

const char *lsx_reader_file_id(const lsx_reader *r, size_t i)
{
    const lsx_reader_entry *e = entry(r, i);
    return e ? e->id : NULL;
}

uint64_t lsx_reader_file_size(const lsx_reader *r, size_t i)
{
    const lsx_reader_entry *e = entry(r, i);
    return e ? e->size : 0;
}

int64_t lsx_reader_file_mtime(const lsx_reader *r, size_t i)
{
    const lsx_reader_entry *e = entry(r, i);
    return e ? e->mtime_ns : 0;
}

int lsx_reader_file_hash(lsx_reader *r, size_t i, uint64_t *out)
{
    const lsx_reader_entry *e = entry(r, i);
    if (!e || !out)
        return LSX_EINVAL;
    FILE *f = fopen(e->path, "rb");
    if (!f)
        return lsx__seterr(r->err, LSX_EIO, "%s: cannot open: %s", e->path, strerror(errno));
    uLong crc = crc32(0L, Z_NULL, 0), ad = adler32(0L, Z_NULL, 0);
    unsigned char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        crc = crc32(crc, buf, (uInt)n);
        ad = adler32(ad, buf, (uInt)n);
    }
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return lsx__seterr(r->err, LSX_EIO, "%s: read error", e->path);
    *out = ((uint64_t)(crc & 0xFFFFFFFFu) << 32) | (uint64_t)(ad & 0xFFFFFFFFu);
    return LSX_OK;
}

int lsx_reader_file_skip(lsx_reader *r, size_t i)
{
    if (!r || i >= r->nents)
        return LSX_EINVAL;
    if (!r->ents[i].skip) {
        r->ents[i].skip = true;
        r->bytes_total -= r->ents[i].size;
    }
    return LSX_OK;
}

size_t lsx_reader_file_current(const lsx_reader *r)
{
    return r && r->next_ent > 0 ? r->cur_ent : SIZE_MAX;
}

size_t lsx_reader_empty_dirs(const lsx_reader *r)
{
    return r ? r->empty_dirs : 0;
}

static void close_file(lsx_reader *r)
{
    if (!r->cur)
        return;
    if (r->in.gz)
        gzclose(r->in.gz);
    r->in.gz = NULL;
    r->bytes_before += r->cur->size;
    r->cur = NULL;
    r->in_failed = false;
    json_decref(r->json);
    r->json = NULL;
    json_decref(r->jdoc);
    r->jdoc = NULL;
    r->jarr = NULL;
}

void lsx_reader_free(lsx_reader *r)
{
    if (!r)
        return;
    close_file(r);
    for (size_t i = 0; i < r->nents; i++) {
        free(r->ents[i].path);
        free(r->ents[i].real);
        free(r->ents[i].id);
    }
    free(r->ents);
    lsx__strmap_free(&r->seen);
    free(r->root);
    for (size_t i = 0; i < r->nexcludes; i++)
        free(r->excludes[i]);
    free(r->excludes);
    free(r->skips);
    free(r->in.buf);
    lsx_buf_free(&r->id);
    lsx_buf_free(&r->title);
    lsx_buf_free(&r->date);
    lsx_buf_free(&r->body);
    lsx_buf_free(&r->source);
    lsx_buf_free(&r->lang);
    free(r);
}

const char *lsx_reader_errmsg(const lsx_reader *r)
{
    return r ? r->err : "out of memory";
}

const char *lsx_reader_warning(const lsx_reader *r)
{
    return r ? r->warn : "";
}

lsx_skip_kind lsx_reader_skip_kind(const lsx_reader *r)
{
    return r ? r->skip_kind : LSX_SKIP_MALFORMED;
}

uint64_t lsx_reader_bytes_done(const lsx_reader *r)
{
    if (!r)
        return 0;
    uint64_t cur = 0;
    if (r->cur)
        cur = r->in.raw_offset < r->cur->size ? r->in.raw_offset : r->cur->size;
    return r->bytes_before + cur;
}

uint64_t lsx_reader_bytes_total(const lsx_reader *r)
{
    return r ? r->bytes_total : 0;
}

/* The format named by a file's extension (".gz" stripped), or AUTO. */
static lsx_format format_by_name(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 3 && strcasecmp(base + n - 3, ".gz") == 0)
        n -= 3;
    static const struct { const char *ext; lsx_format f; } exts[] = {
        { "txt", LSX_FORMAT_TEXT },   { "text", LSX_FORMAT_TEXT },
        { "trec", LSX_FORMAT_TREC },  { "sgml", LSX_FORMAT_TREC },  { "sgm", LSX_FORMAT_TREC },
        { "jsonl", LSX_FORMAT_JSONL }, { "json", LSX_FORMAT_JSONL }, { "ndjson", LSX_FORMAT_JSONL },
        { "html", LSX_FORMAT_HTML },  { "htm", LSX_FORMAT_HTML },  { "xhtml", LSX_FORMAT_HTML },
    };
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        size_t el = strlen(exts[i].ext);
        if (n > el + 1 && base[n - el - 1] == '.' && strncasecmp(base + n - el, exts[i].ext, el) == 0)
            return exts[i].f;
    }
    return LSX_FORMAT_AUTO;
}

/* An HTML page: "<!DOCTYPE html" or "<html" (any case), perhaps after
 * an XML declaration or comments. */
static bool looks_html(const unsigned char *p, size_t n)
{
    char head[512];
    size_t k = 0;
    for (size_t i = 0; i < n && k < sizeof head - 1; i++)
        head[k++] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] | 0x20 : p[i]);
    head[k] = '\0';
    return strncmp(head, "<!doctype html", 14) == 0 || strncmp(head, "<html", 5) == 0 ||
           ((strncmp(head, "<?xml", 5) == 0 || strncmp(head, "<!--", 4) == 0) &&
            (strstr(head, "<html") || strstr(head, "<!doctype html")));
}

/* Open the next file of the list and decide its format.  On failure the
 * file is closed again and the status returned (the caller goes on). */
static int open_next(lsx_reader *r)
{
    r->cur_ent = r->next_ent;
    const lsx_reader_entry *e = &r->ents[r->next_ent++];
    lsx_lines *in = &r->in;
    r->cur = e;
    r->in_failed = false;
    in->pos = in->end = 0;
    in->eof = false;
    in->line = 0;
    in->raw_offset = 0;
    r->text_done = false;
    r->html_done = false;
    r->nrecords = 0;
    r->jnext = 0;
    memset(&r->trec, 0, sizeof r->trec);
    int rc = LSX_OK;
    if (e->err) {
        rc = lsx__seterr(r->err, LSX_EIO, "%s: cannot open: %s", e->path, strerror(e->err));
        goto fail;
    }
    if (!in->buf) {
        if (!(in->buf = malloc(LINE_BUF_SIZE))) {
            rc = lsx__seterr(r->err, LSX_ENOMEM, "out of memory (line buffer)");
            goto fail;
        }
        in->cap = LINE_BUF_SIZE;
    }
    errno = 0;
    if (!(in->gz = gzopen(e->path, "rb"))) {
        int err = errno;
        if (!err)
            rc = lsx__seterr(r->err, LSX_ENOMEM, "%s: out of memory opening it", e->path);
        else
            rc = lsx__seterr(r->err, LSX_EIO, "%s: cannot open: %s", e->path, strerror(err));
        goto fail;
    }
    gzbuffer(in->gz, GZ_BUF_SIZE);
    while (!in->eof && in->end < SNIFF_BYTES)
        if ((rc = fill(r)) < 0)
            goto fail;

    const unsigned char *p = (const unsigned char *)in->buf;
    size_t n = in->end;
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        in->pos = 3;                 /* a UTF-8 byte order mark */
    size_t look = n - in->pos < SNIFF_BYTES ? n - in->pos : SNIFF_BYTES;
    p += in->pos;
    if (memchr(p, '\0', look)) {
        rc = lsx__seterr(r->err, LSX_EPARSE, "%s: not a text file (NUL bytes); skipped", e->path);
        goto fail;
    }
    size_t sp = 0;
    while (sp < look && lsx__is_space(p[sp]))
        sp++;
    if (sp == look && in->eof && look == n - in->pos) {
        rc = lsx__reader_skip_file(r, LSX_SKIP_EMPTY, "%s: %s file; skipped", e->path,
                                   look ? "blank" : "empty");
        goto fail;
    }
    r->cur_format = r->format;
    if (r->cur_format == LSX_FORMAT_AUTO)
        r->cur_format = format_by_name(e->path);
    if (r->cur_format == LSX_FORMAT_AUTO) {
        size_t i = sp;
        if (look - i >= 4 && memcmp(p + i, "<DOC", 4) == 0 && (look - i == 4 || p[i + 4] != 'T'))
            r->cur_format = LSX_FORMAT_TREC;
        else if (looks_html(p + i, look - i))
            r->cur_format = LSX_FORMAT_HTML;
        else if (i < look && (p[i] == '{' || p[i] == '['))
            r->cur_format = LSX_FORMAT_JSONL;
        else if (valid_utf8(p, look, look < n - in->pos || !in->eof))
            r->cur_format = LSX_FORMAT_TEXT;
        else {
            rc = lsx__seterr(r->err, LSX_EPARSE, "%s: not a text file (not UTF-8); skipped", e->path);
            goto fail;
        }
    }
    return LSX_OK;
fail:
    close_file(r);
    return rc;
}

/* A record's own id with white space or control bytes is percent-encoded
 * (as file ids are), so it can be written in a TREC run. */
static void fix_id(lsx_reader *r, lsx_article *out)
{
    const unsigned char *p = (const unsigned char *)out->id;
    size_t i = 0;
    if (!p)
        return;
    while (p[i] && p[i] > ' ' && p[i] != 0x7F)
        i++;
    if (!p[i])
        return;
    lsx_buf enc = { 0 };
    for (i = 0; p[i]; i++) {
        if (p[i] <= ' ' || p[i] == 0x7F || p[i] == '%')
            lsx_buf_printf(&enc, "%%%02X", p[i]);
        else
            lsx_buf_putc(&enc, (char)p[i]);
    }
    lsx__reader_warn(r, "%s: field id has white space or control bytes: indexed as '%.80s'",
                     out->source ? out->source : lsx__reader_file(r), lsx__buf_str(&enc));
    lsx__buf_reset(&r->id);
    lsx_buf_append(&r->id, enc.data ? enc.data : "", enc.len);
    lsx_buf_free(&enc);
    out->id = lsx__buf_str(&r->id);
}

static int reader_next(lsx_reader *r, lsx_article *out)
{
    if (!r)
        return LSX_EINVAL;
    if (!out)
        return lsx__seterr(r->err, LSX_EINVAL, "lsx_reader_next: no article to fill");
    if (r->fatal)
        return r->fatal;
    *out = (lsx_article)LSX_ARTICLE_INIT;
    r->err[0] = '\0';
    r->warn[0] = '\0';
    r->skip_kind = LSX_SKIP_MALFORMED;
    for (;;) {
        r->field_cut = r->line_cut = r->title_cut = r->body_cut = r->other_cut = false;
        int rc;
        if (!r->cur) {
            while (r->next_ent < r->nents && r->ents[r->next_ent].skip)
                r->next_ent++;
            if (r->next_ent >= r->nents)
                return LSX_DONE;
            rc = open_next(r);
            if (rc != LSX_OK) {
                if (rc == LSX_ENOMEM)
                    r->fatal = rc;
                return rc;
            }
        }
        switch (r->cur_format) {
        case LSX_FORMAT_TREC:  rc = lsx__read_trec(r, out); break;
        case LSX_FORMAT_JSONL: rc = lsx__read_jsonl(r, out); break;
        case LSX_FORMAT_HTML:  rc = lsx__read_html(r, out); break;
        default:               rc = lsx__read_text(r, out); break;
        }
        if (rc == LSX_OK) {
            r->nrecords++;
            fix_id(r, out);
            if (r->id.oom || r->title.oom || r->date.oom || r->body.oom || r->source.oom ||
                r->lang.oom)
                rc = lsx__seterr(r->err, LSX_ENOMEM, "out of memory reading %s", lsx__reader_file(r));
            else {
                if (r->field_cut || r->line_cut)
                    lsx__reader_warn(r, "%s: article '%.200s': %s %zu KiB; cut there", lsx__reader_file(r),
                                out->id ? out->id : "",
                                r->body_cut ? "body longer than" : r->title_cut ? "title longer than"
                                : r->field_cut ? "field longer than" : "has a line longer than",
                                (r->title_cut && !r->body_cut ? LSX_MAX_TITLE_BYTES
                                 : r->field_cut ? LSX_MAX_ARTICLE_BYTES : LSX_MAX_LINE_BYTES) >> 10);
                return LSX_OK;
            }
        }
        if (rc == LSX_DONE) {
            close_file(r);
            continue;
        }
        if (rc == LSX_ENOMEM) {
            if (!r->err[0])
                lsx__seterr(r->err, rc, "out of memory reading %s", lsx__reader_file(r));
            r->fatal = rc;
        }
        if (r->in_failed || rc == LSX_ENOMEM)
            close_file(r);
        *out = (lsx_article)LSX_ARTICLE_INIT;
        return rc;
    }
}

/* The caller's lsx_article may be of an older layout than this library's
 * (it need not even be initialised): write only version 1's fields, and
 * version 1.  Fields added by later versions will be read from the reader
 * with accessors of their own. */
int lsx_reader_next(lsx_reader *r, lsx_article *out)
{
    if (r && !out)
        return lsx__seterr(r->err, LSX_EINVAL, "lsx_reader_next: no article to fill");
    lsx_article a;
    int rc = reader_next(r, &a);
    if (out) {
        a.version = 1;
        memcpy(out, &a, LSX__END(lsx_article, source));
    }
    return rc;
}

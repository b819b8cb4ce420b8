/*
 * reader.c - article readers: the handle, the list of input files, format
 * detection and buffered lines over zlib (which reads plain and gzip files
 * alike).  The formats themselves are in reader-text.c, reader-trec.c and
 * reader-jsonl.c.
 */
#include "reader.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
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

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

bool lsx__reader_date(const char *s, size_t n, bool compact_ok, char out[11])
{
    int y, m, d;
    if (n == 10 && s[4] == '-' && s[7] == '-' && all_digits(s, 4) && all_digits(s + 5, 2)
        && all_digits(s + 8, 2)) {
        y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
    } else if (compact_ok && n == 8 && all_digits(s, 8)) {
        y = num(s, 4), m = num(s + 4, 2), d = num(s + 6, 2);
    } else {
        return false;
    }
    static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return false;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return false;
    int parts[3] = { y, m, d }, widths[3] = { 4, 2, 2 };
    char *o = out;
    for (int i = 0; i < 3; i++) {
        for (int k = widths[i] - 1, v = parts[i]; k >= 0; k--, v /= 10)
            o[k] = (char)('0' + v % 10);
        o += widths[i];
        if (i < 2)
            *o++ = '-';
    }
    *o = '\0';
    return true;
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

/* ---- the list of files ----------------------------------------------------- */

static int add_entry(lsx_reader *r, char *path, size_t rel, uint64_t size, int err)
{
    if (!path)
        return LSX_ENOMEM;
    lsx_reader_entry *e = lsx__grow(r->ents, r->nents, &r->cap_ents, sizeof *e, 16);
    if (!e) {
        free(path);
        return LSX_ENOMEM;
    }
    r->ents = e;
    r->ents[r->nents++] = (lsx_reader_entry){ path, rel, size, err };
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

/* Add the files under `dir`, in byte order of names, skipping hidden entries
 * and READMEs, and not following symlinks to directories.  Problems with a subdirectory
 * become entries reported (as LSX_EIO) when the reader reaches them. */
static int walk(lsx_reader *r, const char *dir, size_t rel, int depth)
{
    if (depth > MAX_DEPTH)
        return add_entry(r, lsx_strdup(dir), rel, 0, ELOOP);
    DIR *d = opendir(dir);
    if (!d)
        return add_entry(r, lsx_strdup(dir), rel, 0, errno);
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
        rc = add_entry(r, lsx_strdup(dir), rel, 0, read_errno);
    if (n)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n && rc == LSX_OK; i++) {
        char *path = join(dir, names[i]);
        struct stat st;
        if (!path) {
            rc = LSX_ENOMEM;
        } else if (lstat(path, &st) != 0) {
            rc = add_entry(r, path, rel, 0, errno);
        } else if (S_ISDIR(st.st_mode)) {
            rc = walk(r, path, rel, depth + 1);
            free(path);
        } else if (S_ISLNK(st.st_mode)) {
            /* follow links to files only: no directory loops are possible */
            if (stat(path, &st) != 0)
                rc = add_entry(r, path, rel, 0, errno);
            else if (S_ISREG(st.st_mode))
                rc = add_entry(r, path, rel, (uint64_t)st.st_size, 0);
            else
                free(path);
        } else if (S_ISREG(st.st_mode)) {
            rc = add_entry(r, path, rel, (uint64_t)st.st_size, 0);
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

int lsx_reader_open(lsx_reader **out, const char *path, lsx_format format)
{
    if (!out)
        return LSX_EINVAL;
    lsx_reader *r = calloc(1, sizeof *r);
    *out = r;
    if (!r)
        return LSX_ENOMEM;
    r->format = format;
    int rc;
    struct stat st;
    if (!path || !*path) {
        rc = lsx__seterr(r->err, LSX_EINVAL, "lsx_reader_open: no path given");
    } else if (format < LSX_FORMAT_AUTO || format > LSX_FORMAT_JSONL) {
        rc = lsx__seterr(r->err, LSX_EINVAL, "lsx_reader_open: unknown format %d", (int)format);
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
            rc = walk(r, path, rel, 0);
        }
    } else {
        const char *slash = strrchr(path, '/');
        size_t rel = slash ? (size_t)(slash - path) + 1 : 0;
        rc = add_entry(r, lsx_strdup(path), rel, S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0, 0);
    }
    if (rc == LSX_ENOMEM) {
        lsx_reader_free(r);
        *out = NULL;
    }
    return rc;
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
}

void lsx_reader_free(lsx_reader *r)
{
    if (!r)
        return;
    close_file(r);
    for (size_t i = 0; i < r->nents; i++)
        free(r->ents[i].path);
    free(r->ents);
    free(r->in.buf);
    lsx_buf_free(&r->id);
    lsx_buf_free(&r->title);
    lsx_buf_free(&r->date);
    lsx_buf_free(&r->body);
    lsx_buf_free(&r->source);
    free(r);
}

const char *lsx_reader_errmsg(const lsx_reader *r)
{
    return r ? r->err : "out of memory";
}

const char *lsx_reader_warning(const lsx_reader *r)
{
    return r && r->warning[0] ? r->warning : NULL;
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
    };
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        size_t el = strlen(exts[i].ext);
        if (n > el + 1 && base[n - el - 1] == '.' && strncasecmp(base + n - el, exts[i].ext, el) == 0)
            return exts[i].f;
    }
    return LSX_FORMAT_AUTO;
}

/* Open the next file of the list and decide its format.  On failure the
 * file is closed again and the status returned (the caller goes on). */
static int open_next(lsx_reader *r)
{
    const lsx_reader_entry *e = &r->ents[r->next_ent++];
    lsx_lines *in = &r->in;
    r->cur = e;
    r->in_failed = false;
    in->pos = in->end = 0;
    in->eof = false;
    in->line = 0;
    in->raw_offset = 0;
    r->text_done = false;
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
    r->cur_format = r->format;
    if (r->cur_format == LSX_FORMAT_AUTO)
        r->cur_format = format_by_name(e->path);
    if (r->cur_format == LSX_FORMAT_AUTO) {
        size_t i = 0;
        while (i < look && lsx__is_space(p[i]))
            i++;
        if (look - i >= 4 && memcmp(p + i, "<DOC", 4) == 0)
            r->cur_format = LSX_FORMAT_TREC;
        else if (i < look && p[i] == '{')
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
    r->warning[0] = '\0';
    for (;;) {
        r->field_cut = r->line_cut = r->title_cut = r->body_cut = r->other_cut = false;
        int rc;
        if (!r->cur) {
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
        default:               rc = lsx__read_text(r, out); break;
        }
        if (rc == LSX_OK) {
            if (r->id.oom || r->title.oom || r->date.oom || r->body.oom || r->source.oom)
                rc = lsx__seterr(r->err, LSX_ENOMEM, "out of memory reading %s", lsx__reader_file(r));
            else {
                if (r->field_cut || r->line_cut)
                    lsx__seterr(r->warning, LSX_OK, "%s: article '%.200s': %s %zu KiB; cut there", lsx__reader_file(r),
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

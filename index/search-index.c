/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * search-index.c - the `search-index` program: read article files into a database.
 *
 * Every PATH is listed by one lsx_reader (a file reached through several
 * paths is read once; the database itself is never read).  Each file's id
 * comes from its resolved path below the database's id root (fixed when the
 * database is first written, see sync.h and search-index(1)), so it does
 * not depend on how the path was typed.  Files whose size and mtime (or
 * checksum) are unchanged since the last run are not read again; the
 * documents of files that changed are replaced, and with --prune those of
 * files gone from under the PATHs are removed.  Each article is handed to
 * an lsx_indexer (worker threads), which reports its outcome, in input
 * order, to on_result below.  Malformed records, unreadable files and
 * articles the index refuses are reported and skipped; only a failing
 * database stops the run, and the summary counts what was committed.
 */
#include "../cli/common.h"
#include "../cli/term.h"
#include "sync.h"

#include <limits.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PROG "search-index"
#define MAX_BATCH 10000000u
#define MAX_MEMORY_MB (1u << 22)   /* 4 TB */
#define MAX_SHARDS 256

/* The progress line on stderr (only when it is a terminal). */
struct progress {
    bool on;
    bool drawn;                 /* a line is on screen: clear it before printing */
    double start, last;         /* seconds, monotonic clock */
    uint64_t total_bytes;       /* input size of the files to read (0 if unknown) */
    uint64_t total_docs;        /* documents to index when known (one per file), else 0 */
    int width;                  /* terminal columns */
};

/* What happened to the input. */
struct tally {
    uint64_t added, replaced;
    uint64_t malformed;         /* records the reader skipped */
    uint64_t empty;             /* empty or blank files */
    uint64_t no_record;         /* files with no record of the format read */
    uint64_t empty_dirs;        /* folders given that hold no file */
    uint64_t unreadable;        /* files that could not be read */
    uint64_t rejected;          /* records the database refused (e.g. id too long) */
    uint64_t warnings;          /* articles indexed without an optional field */
    /* files, against the state of the last run */
    uint64_t f_new, f_changed, f_unchanged, f_removed, f_gone;
    uint64_t deleted;           /* documents removed (changed and pruned files) */
};

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void progress_clear(struct progress *p)
{
    if (p->drawn) {
        fputs("\r\033[K", stderr);
        p->drawn = false;
    }
}

static int terminal_width(void)
{
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    const char *c = getenv("COLUMNS");
    int n = c ? atoi(c) : 0;
    return n > 0 ? n : 80;
}

/* Redraw the progress line, at most ten times a second unless `force`:
 * documents against the total when it is known, else bytes; cut to the
 * terminal's width so it never wraps. */
static void progress_draw(struct progress *p, const lsx_reader *r, uint64_t docs, bool force)
{
    if (!p->on)
        return;
    double t = now_seconds();
    if (!force && t - p->last < 0.1)
        return;
    p->last = t;
    double elapsed = t - p->start > 1e-3 ? t - p->start : 1e-3;
    uint64_t bytes = r ? lsx_reader_bytes_done(r) : 0;
    double frac = -1;
    if (p->total_docs)
        frac = (double)docs / (double)p->total_docs;
    else if (p->total_bytes)
        frac = (double)bytes / (double)p->total_bytes;
    if (frac > 1)
        frac = 1;
    char line[256], tail[96] = "";
    int n;
    if (p->total_docs)
        n = snprintf(line, sizeof line, "%llu/%llu docs %.0f/s", (unsigned long long)docs,
                     (unsigned long long)p->total_docs, docs / elapsed);
    else
        n = snprintf(line, sizeof line, "%llu docs %.0f/s %.1f MB/s", (unsigned long long)docs,
                     docs / elapsed, bytes / 1e6 / elapsed);
    if (frac >= 0) {
        double done = p->total_docs ? (double)docs : (double)bytes;
        double rate = done / elapsed;
        double left = p->total_docs ? (double)(p->total_docs - docs) : (double)(p->total_bytes - bytes);
        if (frac < 1 && rate > 0) {
            unsigned long eta = (unsigned long)(left / rate);
            snprintf(tail, sizeof tail, " %3.0f%% ETA %lu:%02lu", frac * 100, eta / 60, eta % 60);
        } else {
            snprintf(tail, sizeof tail, " %3.0f%%", frac * 100);
        }
    }
    /* a bar fills what is left of the width (at most 30 columns) */
    int width = p->width - 1;
    int used = n + (int)strlen(tail);
    int bar = frac >= 0 ? width - used - 3 : 0;
    if (bar > 30)
        bar = 30;
    if (bar >= 5 && n > 0 && (size_t)n + 4 + (size_t)bar < sizeof line) {
        int full = (int)(frac * bar);
        line[n++] = ' ';
        line[n++] = '[';
        for (int i = 0; i < bar; i++)
            line[n++] = i < full ? '#' : '.';
        line[n++] = ']';
        line[n] = '\0';
    }
    size_t tl = strlen(tail);
    if (n > 0 && (size_t)n + tl < sizeof line)
        memcpy(line + n, tail, tl + 1);
    if ((int)strlen(line) > width && width > 0)
        line[width] = '\0';
    fprintf(stderr, "\r\033[K%s", line);
    p->drawn = true;
}

/* "search-index: warning: ..." on stderr, clearing the progress line first. */
static void warn(struct progress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(struct progress *p, const char *fmt, ...)
{
    va_list ap;
    progress_clear(p);
    fflush(stdout);
    fputs(PROG ": warning: ", stderr);
    va_start(ap, fmt);
    term_vprintf(stderr, fmt, ap);      /* quotes ids, dates, file names: sanitised */
    va_end(ap);
    fputc('\n', stderr);
}

static void usage(FILE *out)
{
    fputs("Usage: search-index [OPTION]... PATH...\n"
          "Index the articles in each PATH (a file, or a directory read recursively)\n"
          "into a database, creating it if needed.  An article whose id is already in\n"
          "the database replaces it.  Files unchanged since the last run are not read\n"
          "again; the documents of changed files are replaced.\n"
          "\n"
          "Options:\n"
          "  --db DIR        the database (default: $SEARCH_DB, else ./search.db)\n"
          "  --shards N      make a new database of N shards: DIR holds shard-0 ...\n"
          "                  and the stub file DIR/XAPIANDB that search --db DIR reads;\n"
          "                  each id is written to one shard (see search(1) for\n"
          "                  serving shards from other machines)\n"
          "  --changesets N  make DIR the master of read replicas: every commit also\n"
          "                  writes a changeset (Xapian keeps the last N), which\n"
          "                  xapian-replicate applies instead of copying the whole\n"
          "                  database; remembered by DIR for later runs and 'search\n"
          "                  delete'\n"
          "  --prune         remove the documents of files gone from under the PATHs\n"
          "  --force         read every file, changed or not\n"
          "  --exclude GLOB  leave out files and folders matching GLOB (a name, or a\n"
          "                  path below PATH if GLOB has a '/'); may be repeated\n"
          "  --batch N       commit every N documents (default 1000)\n"
          "  --threads N     worker threads (default: one per CPU)\n"
          "  --memory MB     memory budget in MB (default 256; at least 24 + 8 per thread)\n"
          "  --format FMT    input format: auto (default: by extension, then content),\n"
          "                  text, trec, json (JSON Lines or arrays; also jsonl) or\n"
          "                  html; gzip is always detected\n"
          "  --quiet         no progress line and no summary (warnings still shown)\n"
          "  -h, --help      show this help and exit\n"
          "  --version       show the versions of search-index, libsearch and Xapian and exit\n"
          "\n"
          "Ids: a record's own id (TREC DOCNO, JSON id) is kept; otherwise a file's\n"
          "id is its resolved path below the database's id root (the folder of the\n"
          "PATHs of its first run), without extensions, so the same file has one id\n"
          "however its path is typed.  Hidden files and folders, README files\n"
          "and databases are never read.\n"
          "\n"
          "A progress line is drawn on stderr when it is a terminal.  The summary goes\n"
          "to stdout.  Malformed records, empty and unreadable files are reported as\n"
          "warnings and skipped; an article whose date or other optional field cannot\n"
          "be read is indexed without it, with a warning.\n"
          "\n"
          "Environment:\n"
          "  SEARCH_DB  the database to use when --db is not given\n"
          "  LSX_GAZETTEER  the gazetteer file, instead of the installed one\n"
          "\n"
          "Exit status: 0 if everything was indexed, 2 for a usage error, a missing\n"
          "PATH (nothing is done) or if some input was skipped (the rest is indexed),\n"
          "3 if the database could not be opened, locked or written.\n",
          out);
}

static bool parse_format(const char *arg, lsx_format *out)
{
    static const struct { const char *name; lsx_format format; } formats[] = {
        { "auto", LSX_FORMAT_AUTO }, { "text", LSX_FORMAT_TEXT },
        { "trec", LSX_FORMAT_TREC }, { "jsonl", LSX_FORMAT_JSONL },
        { "json", LSX_FORMAT_JSONL }, { "html", LSX_FORMAT_HTML },
    };
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        if (strcmp(arg, formats[i].name) == 0) {
            *out = formats[i].format;
            return true;
        }
    }
    cli_error(PROG, "--format: unknown format '%s' (use auto, text, trec, json or html)", arg);
    return false;
}

static bool parse_batch(const char *arg, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long v = isdigit((unsigned char)arg[0]) ? strtoul(arg, &end, 10) : 0;
    if (!isdigit((unsigned char)arg[0]) || errno || *end || v < 1 || v > MAX_BATCH) {
        cli_error(PROG, "--batch: '%s' is not a whole number from 1 to %u", arg, MAX_BATCH);
        return false;
    }
    *out = (unsigned)v;
    return true;
}

/* A whole number from `min` to `max` for option `name`. */
static bool parse_uint(const char *name, const char *arg, unsigned min, unsigned max, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long v = isdigit((unsigned char)arg[0]) ? strtoul(arg, &end, 10) : 0;
    if (!isdigit((unsigned char)arg[0]) || errno || *end || v < min || v > max) {
        cli_error(PROG, "%s: '%s' is not a whole number from %u to %u", name, arg, min, max);
        return false;
    }
    *out = (unsigned)v;
    return true;
}

/* Where an article came from, for messages. */
static const char *where(const char *source, const char *id)
{
    if (source && *source)
        return source;
    return id && *id ? id : "(an article without id)";
}

static const char *article_where(const lsx_article *a)
{
    return where(a->source, a->id);
}

/* One file of the run. */
enum { FILE_READ, FILE_UNCHANGED };
struct file_log {
    int what;                   /* FILE_READ or FILE_UNCHANGED */
    bool failed;                /* something in it was skipped: read again next time */
    uint64_t hash;
    const char *kept;           /* unchanged: its ids from the last run */
    char *ids;                  /* the ids read from it, space-separated */
    size_t ids_len, ids_cap;
};

/* What on_result needs. */
struct run {
    struct tally *t;
    struct progress *p;
    const lsx_reader *r;        /* the reader (for the progress line) */
    struct file_log *files;     /* per file of the reader */
};

/* The outcome of one article, in input order (called by the indexer in this thread). */
static void on_result(void *payload, const lsx_index_result *res)
{
    struct run *run = payload;
    if (res->status != LSX_OK) {
        warn(run->p, "%s: skipped: %s", where(res->source, res->id), res->message);
        run->t->rejected++;
        return;
    }
    if (res->replaced)
        run->t->replaced++;
    else
        run->t->added++;
    progress_draw(run->p, run->r, run->t->added + run->t->replaced, false);
}

static bool log_id(struct file_log *f, const char *id)
{
    size_t n = strlen(id);
    if (f->ids_len + n + 2 > f->ids_cap) {
        size_t cap = (f->ids_cap ? f->ids_cap * 2 : 64) + n;
        char *p = realloc(f->ids, cap);
        if (!p)
            return false;
        f->ids = p;
        f->ids_cap = cap;
    }
    if (f->ids_len)
        f->ids[f->ids_len++] = ' ';
    memcpy(f->ids + f->ids_len, id, n + 1);
    f->ids_len += n;
    return true;
}

/*
 * Hand every article of reader `r` to the indexer.  Returns false if the
 * database failed (already reported), true otherwise, skipped input included.
 */
static bool index_reader(lsx_indexer *ix, lsx_reader *r, struct run *run)
{
    struct tally *t = run->t;
    struct progress *p = run->p;
    run->r = r;
    for (;;) {
        lsx_article a = LSX_ARTICLE_INIT;
        int rc = lsx_reader_next(r, &a);
        if (rc == LSX_DONE)
            return true;
        size_t cur = lsx_reader_file_current(r);
        struct file_log *f = cur < lsx_reader_file_count(r) ? &run->files[cur] : NULL;
        if (rc == LSX_EPARSE || rc == LSX_EIO) {       /* skipped; the reader goes on */
            warn(p, "%s", lsx_reader_errmsg(r));
            if (f)
                f->failed = true;
            if (rc == LSX_EIO)
                t->unreadable++;
            else if (lsx_reader_skip_kind(r) == LSX_SKIP_EMPTY)
                t->empty++;
            else if (lsx_reader_skip_kind(r) == LSX_SKIP_NO_RECORD)
                t->no_record++;
            else
                t->malformed++;
            continue;
        }
        if (rc != LSX_OK) {                             /* the reader cannot go on */
            warn(p, "%s", lsx_reader_errmsg(r));
            t->unreadable++;
            if (f)
                f->failed = true;
            return true;
        }
        if (*lsx_reader_warning(r)) {
            warn(p, "%s", lsx_reader_warning(r));
            t->warnings++;
        }
        if (f && !log_id(f, a.id)) {
            progress_clear(p);
            cli_error(PROG, "out of memory");
            return false;
        }
        rc = lsx_indexer_add(ix, &a);
        if (rc != LSX_OK) {
            progress_clear(p);
            cli_error(PROG, "cannot index %s: %s", article_where(&a), lsx_indexer_errmsg(ix));
            return false;
        }
    }
}

/* Append ", N thing(s)" to the skip reasons when n > 0. */
static void reason(uint64_t n, const char *one, const char *many, bool *first)
{
    if (n == 0)
        return;
    printf("%s%llu %s", *first ? "" : ", ", (unsigned long long)n, n == 1 ? one : many);
    *first = false;
}

static uint64_t skipped_count(const struct tally *t)
{
    return t->malformed + t->empty + t->no_record + t->empty_dirs + t->unreadable + t->rejected;
}

static void print_summary(const struct tally *t, lsx_db *db, const char *path, bool committed,
                          uint64_t docs_before)
{
    uint64_t indexed = t->added + t->replaced;
    uint64_t skipped = skipped_count(t);
    lsx_db_stats st = LSX_DB_STATS_INIT;
    bool have_stats = db && lsx_db_stats_get(db, &st) == LSX_OK;
    if (!committed) {
        /* only what reached the database counts */
        uint64_t now = have_stats ? st.documents : docs_before;
        uint64_t kept = now > docs_before ? now - docs_before : 0;
        printf("indexed %llu document%s before the failure (%llu read were not committed), "
               "%llu skipped\n", (unsigned long long)kept, kept == 1 ? "" : "s",
               (unsigned long long)(indexed > kept ? indexed - kept : 0), (unsigned long long)skipped);
    } else {
        printf("indexed %llu document%s (%llu added, %llu replaced), %llu skipped\n",
               (unsigned long long)indexed, indexed == 1 ? "" : "s", (unsigned long long)t->added,
               (unsigned long long)t->replaced, (unsigned long long)skipped);
    }
    if (committed) {
        printf("files: %llu added, %llu updated, %llu unchanged, %llu removed",
               (unsigned long long)t->f_new, (unsigned long long)t->f_changed,
               (unsigned long long)t->f_unchanged, (unsigned long long)t->f_removed);
        if (t->f_gone)
            printf(", %llu gone (their documents kept; --prune removes them)", (unsigned long long)t->f_gone);
        putchar('\n');
    } else {
        puts("files: none recorded as read (they are read again by the next run)");
    }
    if (skipped > 0) {
        bool first = true;
        fputs("skipped: ", stdout);
        reason(t->malformed, "malformed record", "malformed records", &first);
        reason(t->rejected, "record refused by the index", "records refused by the index",
               &first);
        reason(t->empty, "empty file", "empty files", &first);
        reason(t->no_record, "file with no record of its format", "files with no record of their format",
               &first);
        reason(t->empty_dirs, "folder with no file", "folders with no file", &first);
        reason(t->unreadable, "unreadable file", "unreadable files", &first);
        putchar('\n');
    }
    if (have_stats)
        printf("%s now holds %llu document%s\n", path, (unsigned long long)st.documents,
               st.documents == 1 ? "" : "s");
}

/* The folder of a resolved path given on the command line (itself if a folder). */
static char *path_folder(const char *path)
{
    char *real = realpath(path, NULL);
    struct stat st;
    if (real && stat(real, &st) == 0 && !S_ISDIR(st.st_mode)) {
        char *slash = strrchr(real, '/');
        if (slash && slash != real)
            *slash = '\0';
        else if (slash)
            slash[1] = '\0';
    }
    return real;
}

/* The longest common folder of two resolved folders (in place in a). */
static void common_folder(char *a, const char *b)
{
    size_t i = 0, last = 0;
    while (a[i] && a[i] == b[i]) {
        if (a[i] == '/')
            last = i;
        i++;
    }
    if ((a[i] == '\0' || a[i] == '/') && (b[i] == '\0' || b[i] == '/'))
        last = i;                  /* one is the other or above it */
    a[last ? last : 1] = '\0';     /* "/" at least */
}

/* Read the state of the last run; false (reported) if the database fails. */
static bool load_state(lsx_db *db, sync_state *st, struct progress *p)
{
    char *text = NULL;
    size_t len = 0;
    if (lsx_db_get_metadata(db, SYNC_KEY_FILES, &text, &len) != LSX_OK) {
        cli_error(PROG, "%s", lsx_db_errmsg(db));
        return false;
    }
    if (!sync_load(st, text, len))
        warn(p, "the record of files read before is damaged: every file is read again");
    free(text);
    return true;
}

/* Ids of documents that may have to go: the old ids of changed files and,
 * with --prune, of files gone from under the roots. */
struct dels {
    const char **lists;         /* space-separated id lists (owned by the state) */
    size_t n, cap;
};

static bool dels_add(struct dels *d, const char *ids)
{
    if (!*ids)
        return true;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 64;
        const char **l = realloc(d->lists, cap * sizeof *l);
        if (!l)
            return false;
        d->lists = l;
        d->cap = cap;
    }
    d->lists[d->n++] = ids;
    return true;
}

/*
 * Compare the files listed with the last run's state: unchanged ones are
 * not read; changed ones, and with `prune` the files gone from under the
 * roots, have their old ids put in `d`.  false when out of memory.
 */
static bool plan(lsx_reader *r, sync_state *st, struct file_log *files, char **roots, int nroots,
                 bool prune, bool force, struct tally *t, struct dels *d)
{
    size_t n = lsx_reader_file_count(r);
    for (size_t i = 0; i < n; i++) {
        const char *real = lsx_reader_file_real(r, i);
        sync_file *f = sync_find(st, real);
        uint64_t size = lsx_reader_file_size(r, i);
        int64_t mtime = lsx_reader_file_mtime(r, i);
        files[i].what = FILE_READ;
        if (f)
            f->listed = true;
        /* size and mtime as stored: unchanged without reading a byte */
        bool same = f && !force && f->size == size && f->mtime == mtime;
        if (same) {
            files[i].hash = f->hash;
        } else {
            /* the checksum: for the state of a file read, or to see that a
             * touched file's bytes are the same */
            if (lsx_reader_file_hash(r, i, &files[i].hash) != LSX_OK)
                files[i].hash = 0;     /* unreadable: the reader reports it */
            same = f && !force && f->size == size && files[i].hash && f->hash == files[i].hash;
        }
        if (!f) {
            t->f_new++;
            continue;
        }
        if (same) {
            files[i].what = FILE_UNCHANGED;
            f->seen = true;
            f->mtime = mtime;
            lsx_reader_file_skip(r, i);
            t->f_unchanged++;
            continue;
        }
        t->f_changed++;
        if (!dels_add(d, f->ids))
            return false;
    }
    /* files of the last run that are gone from under the roots */
    for (size_t k = 0; k < st->n; k++) {
        sync_file *f = &st->files[k];
        if (f->listed)
            continue;                  /* read or unchanged: handled above */
        bool ours = false;
        for (int j = 0; j < nroots && !ours; j++)
            ours = sync_under(f->path, roots[j]);
        if (!ours || !prune) {
            f->seen = true;            /* kept as it is */
            t->f_gone += ours;
            continue;
        }
        t->f_removed++;
        if (!dels_add(d, f->ids))
            return false;
    }
    return true;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Append the ids of a space-separated list (copied into `pool`) to `ids`. */
static bool split_ids(const char *list, char ***ids, size_t *n, size_t *cap, char **pool)
{
    char *copy = strdup(list), *save = NULL;
    if (!copy)
        return false;
    *pool = copy;
    for (char *id = strtok_r(copy, " ", &save); id; id = strtok_r(NULL, " ", &save)) {
        if (*n == *cap) {
            size_t c = *cap ? *cap * 2 : 256;
            char **p = realloc(*ids, c * sizeof *p);
            if (!p)
                return false;
            *ids = p;
            *cap = c;
        }
        (*ids)[(*n)++] = id;
    }
    return true;
}

/*
 * After the files were read and committed: delete the old ids that no file
 * gives any more (an id read again in this run, or held by an unchanged
 * file, stays).  Returns false if the database failed (reported).
 */
static bool delete_stale(lsx_db *db, const struct dels *d, const sync_state *st,
                         const struct file_log *files, size_t nfiles, struct tally *t)
{
    if (d->n == 0)
        return true;
    char **keep = NULL, **pools = calloc(nfiles + st->n + d->n + 1, sizeof *pools);
    size_t nkeep = 0, capkeep = 0, npools = 0;
    bool ok = pools != NULL;
    for (size_t i = 0; ok && i < nfiles; i++)
        if (files[i].ids)
            ok = split_ids(files[i].ids, &keep, &nkeep, &capkeep, &pools[npools++]);
    for (size_t k = 0; ok && k < st->n; k++)
        if (st->files[k].seen && !st->files[k].listed)
            ok = split_ids(st->files[k].ids, &keep, &nkeep, &capkeep, &pools[npools++]);
    for (size_t i = 0; ok && i < nfiles; i++)
        if (files[i].what == FILE_UNCHANGED && files[i].kept)
            ok = split_ids(files[i].kept, &keep, &nkeep, &capkeep, &pools[npools++]);
    if (ok && nkeep > 1)
        qsort(keep, nkeep, sizeof *keep, cmp_str);
    uint64_t n = 0;
    for (size_t k = 0; ok && k < d->n; k++) {
        char *copy = strdup(d->lists[k]), *save = NULL;
        if (!copy) {
            ok = false;
            break;
        }
        for (char *id = strtok_r(copy, " ", &save); id && ok; id = strtok_r(NULL, " ", &save)) {
            if (nkeep && bsearch(&id, keep, nkeep, sizeof *keep, cmp_str))
                continue;
            int rc = lsx_db_delete(db, id);
            if (rc == LSX_OK)
                n++;
            else if (rc != LSX_ENOTFOUND) {
                cli_error(PROG, "cannot remove %s: %s", id, lsx_db_errmsg(db));
                ok = false;
            }
        }
        free(copy);
    }
    if (!pools || (npools && !ok && !keep))
        cli_error(PROG, "out of memory");
    for (size_t i = 0; pools && i < npools; i++)
        free(pools[i]);
    free(pools);
    free(keep);
    if (ok && n && lsx_db_commit(db) != LSX_OK) {
        cli_error(PROG, "%s", lsx_db_errmsg(db));
        ok = false;
    }
    if (ok)
        t->deleted = n;
    return ok;
}

/* --shards N: a new database of N shards is the directory PATH holding the
 * shards shard-0 ... shard-(N-1) and a Xapian stub file XAPIANDB listing
 * them ("auto shard-0" ...), which lsx_db_open reads; the library
 * creates the shards themselves and routes each id to one of them.  An
 * existing directory is left as it is (its shard count is checked after
 * opening).  Returns LSX_OK or a status, with the message printed. */
static int make_shards(const char *path, unsigned n)
{
    struct stat st;
    if (stat(path, &st) == 0)
        return LSX_OK;
    if (mkdir(path, 0777) != 0) {
        cli_error(PROG, "cannot create %s: %s", path, strerror(errno));
        return LSX_EIO;
    }
    size_t len = strlen(path) + 16;
    char *stub = malloc(len), *tmp = malloc(len + 4);
    FILE *f = NULL;
    if (stub && tmp) {
        snprintf(stub, len, "%s/XAPIANDB", path);
        snprintf(tmp, len + 4, "%s.tmp", stub);
        f = fopen(tmp, "w");
    }
    bool ok = f != NULL;
    if (ok) {
        fprintf(f, "# %u shards written by search-index; each id goes to one shard (FNV-1a of Q<id> mod %u):\n"
                   "# keep the order and the number of lines\n", n, n);
        for (unsigned i = 0; i < n; i++)
            fprintf(f, "auto shard-%u\n", i);
        ok = fflush(f) == 0 && fsync(fileno(f)) == 0;
        ok = fclose(f) == 0 && ok;
        ok = ok && rename(tmp, stub) == 0;
    }
    if (!ok)
        cli_error(PROG, "cannot write %s: %s", stub ? stub : path, strerror(errno));
    free(stub);
    free(tmp);
    return ok ? LSX_OK : LSX_EIO;
}

/* The program; `excludes` has room for argc patterns (main owns it). */
static int run_index(int argc, char **argv, const char **excludes)
{
    enum { OPT_DB = 1, OPT_BATCH, OPT_THREADS, OPT_MEMORY, OPT_FORMAT, OPT_QUIET, OPT_HELP, OPT_VERSION,
           OPT_PRUNE, OPT_EXCLUDE, OPT_FORCE, OPT_SHARDS, OPT_CHANGESETS };
    static const struct option longopts[] = {
        { "changesets", required_argument, NULL, OPT_CHANGESETS },
        { "db", required_argument, NULL, OPT_DB },
        { "shards", required_argument, NULL, OPT_SHARDS },
        { "prune", no_argument, NULL, OPT_PRUNE },
        { "force", no_argument, NULL, OPT_FORCE },
        { "exclude", required_argument, NULL, OPT_EXCLUDE },
        { "batch", required_argument, NULL, OPT_BATCH },
        { "threads", required_argument, NULL, OPT_THREADS },
        { "memory", required_argument, NULL, OPT_MEMORY },
        { "format", required_argument, NULL, OPT_FORMAT },
        { "quiet", no_argument, NULL, OPT_QUIET },
        { "help", no_argument, NULL, OPT_HELP },
        { "version", no_argument, NULL, OPT_VERSION },
        { NULL, 0, NULL, 0 }
    };
    char prog[] = PROG;
    const char *db_opt = NULL;
    lsx_db_options dbo = LSX_DB_OPTIONS_INIT;
    lsx_indexer_options ixo = LSX_INDEXER_OPTIONS_INIT;
    bool memory_given = false;
    lsx_format format = LSX_FORMAT_AUTO;
    bool quiet = false, prune = false, force = false;
    unsigned nshards = 0, changesets = 0;
    int nexcludes = 0;
    int opt;

    argv[0] = prog;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_DB: db_opt = optarg; break;
        case OPT_BATCH:
            if (!parse_batch(optarg, &dbo.batch_size))
                return CLI_EXIT_USAGE;
            break;
        case OPT_THREADS:
            if (!parse_uint("--threads", optarg, 1, LSX_MAX_THREADS, &ixo.threads))
                return CLI_EXIT_USAGE;
            break;
        case OPT_MEMORY:
            if (!parse_uint("--memory", optarg, 1, MAX_MEMORY_MB, &ixo.memory_mb))
                return CLI_EXIT_USAGE;
            memory_given = true;
            break;
        case OPT_FORMAT:
            if (!parse_format(optarg, &format))
                return CLI_EXIT_USAGE;
            break;
        case OPT_CHANGESETS:
            if (!parse_uint("--changesets", optarg, 1, 100000, &changesets))
                return CLI_EXIT_USAGE;
            break;
        case OPT_SHARDS:
            if (!parse_uint("--shards", optarg, 1, MAX_SHARDS, &nshards))
                return CLI_EXIT_USAGE;
            break;
        case OPT_QUIET: quiet = true; break;
        case OPT_PRUNE: prune = true; break;
        case OPT_FORCE: force = true; break;
        case OPT_EXCLUDE:
            if (!*optarg) {
                cli_error(PROG, "--exclude: an empty pattern");
                return CLI_EXIT_USAGE;
            }
            excludes[nexcludes++] = optarg;
            break;
        case 'h':
        case OPT_HELP:
            usage(stdout);
            return CLI_EXIT_OK;
        case OPT_VERSION:
            cli_print_version(PROG);
            return CLI_EXIT_OK;
        default:
            fputs("Try '" PROG " --help' for more information.\n", stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        cli_error(PROG, "no PATH to index given");
        fputs("Try '" PROG " --help' for more information.\n", stderr);
        return CLI_EXIT_USAGE;
    }

    /* The threads and memory must fit together before anything is created. */
    if (ixo.threads == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        ixo.threads = n < 1 ? 1 : n > LSX_MAX_THREADS ? LSX_MAX_THREADS : (unsigned)n;
    }
    unsigned min_mb = LSX_MIN_MEMORY_MB + LSX_MEMORY_MB_PER_THREAD * ixo.threads;
    if (ixo.memory_mb < min_mb) {
        if (memory_given) {
            cli_error(PROG, "--memory: %u MB is too little for %u thread%s (at least %u MB: %d + %d per thread)",
                      ixo.memory_mb, ixo.threads, ixo.threads == 1 ? "" : "s", min_mb,
                      LSX_MIN_MEMORY_MB, LSX_MEMORY_MB_PER_THREAD);
            return CLI_EXIT_USAGE;
        }
        ixo.memory_mb = min_mb;    /* many CPUs: the default grows with them */
    }

    const char *path = cli_db_path(db_opt);
    int npaths = argc - optind;
    struct progress p = { .on = !quiet && isatty(STDERR_FILENO) };
    p.width = p.on ? terminal_width() : 80;
    struct tally t = { 0 };

    /* Every PATH must exist before the database is created or changed. */
    int missing = 0;
    for (int i = 0; i < npaths; i++) {
        struct stat st;
        if (stat(argv[optind + i], &st) != 0) {
            cli_error(PROG, "%s: %s", argv[optind + i], strerror(errno));
            missing++;
        }
    }
    if (missing) {
        cli_error(PROG, "nothing indexed: %d PATH%s not found (the database was not touched)", missing,
                  missing == 1 ? "" : "s");
        return CLI_EXIT_USAGE;
    }

    /* List the files: one reader for every PATH, the database never read. */
    lsx_reader *r = NULL;
    int rc = lsx_reader_open(&r, NULL, format);
    if (rc != LSX_OK) {
        cli_error(PROG, "%s", r ? lsx_reader_errmsg(r) : lsx_status_str(rc));
        lsx_reader_free(r);
        return CLI_EXIT_INDEX;
    }
    lsx_reader_skip_dir(r, path);
    for (int i = 0; i < nexcludes; i++)
        lsx_reader_exclude(r, excludes[i]);
    char **roots = calloc((size_t)npaths, sizeof *roots);
    int nroots = 0;
    char *id_root = NULL;
    for (int i = 0; i < npaths && roots; i++) {
        size_t before = lsx_reader_file_count(r);
        rc = lsx_reader_add(r, argv[optind + i]);
        if (rc == LSX_ENOMEM)
            break;
        if (rc != LSX_OK) {
            warn(&p, "%s", lsx_reader_errmsg(r));
            t.unreadable++;
            continue;
        }
        char *real = realpath(argv[optind + i], NULL);
        if (real)
            roots[nroots++] = real;
        char *folder = path_folder(argv[optind + i]);
        if (folder && !id_root)
            id_root = folder;
        else if (folder) {
            common_folder(id_root, folder);
            free(folder);
        }
        if (lsx_reader_file_count(r) == before) {
            struct stat st;
            if (stat(argv[optind + i], &st) == 0 && S_ISDIR(st.st_mode)) {
                warn(&p, "%s: no file to read in this folder (hidden files, READMEs, excluded names "
                     "and databases are left out)", argv[optind + i]);
                t.empty_dirs++;
            }
        }
    }
    if (!roots || rc == LSX_ENOMEM) {
        cli_error(PROG, "out of memory");
        lsx_reader_free(r);
        free(roots);
        free(id_root);
        return CLI_EXIT_INDEX;
    }

    lsx_db *db = NULL;
    rc = nshards ? make_shards(path, nshards) : LSX_OK;
    changesets = cli_changesets_env(path, changesets);
    if (rc == LSX_OK)
        rc = lsx_db_open(&db, path, LSX_DB_WRITABLE | LSX_DB_CREATE, &dbo);
    else
        lsx_db_open(&db, "", LSX_DB_INMEMORY, NULL);   /* only to reach the clean-up below */
    if (rc == LSX_OK && nshards && lsx_db_shard_count(db) != nshards) {
        cli_error(PROG, "%s has %zu shard%s, not %u (an index keeps the number it was made with)", path,
                  lsx_db_shard_count(db), lsx_db_shard_count(db) == 1 ? "" : "s", nshards);
        rc = LSX_EINVAL;
        lsx_db_free(db);
        db = NULL;
    }
    if (rc != LSX_OK) {
        if (db)
            cli_error(PROG, "%s", lsx_db_errmsg(db));     /* names the path */
        else
            cli_error(PROG, "cannot open the database at %s: %s", path, lsx_status_str(rc));
        lsx_db_free(db);
        lsx_reader_free(r);
        for (int i = 0; i < nroots; i++)
            free(roots[i]);
        free(roots);
        free(id_root);
        return CLI_EXIT_INDEX;
    }
    uint64_t removed = 0, removed_bytes = 0;
    (void)lsx_db_leftovers(db, NULL, NULL, &removed, &removed_bytes);
    if (removed)
        fprintf(stderr, "%s: removed %llu leftover%s (%llu bytes) of an interrupted run from %s\n", PROG,
                (unsigned long long)removed, removed == 1 ? "" : "s", (unsigned long long)removed_bytes, path);

    /* The database's id root: kept from its first run, else the PATHs' common folder. */
    char *stored_root = NULL;
    size_t srl = 0;
    bool db_ok = lsx_db_get_metadata(db, SYNC_KEY_ROOT, &stored_root, &srl) == LSX_OK;
    /* --changesets N is recorded with the files read, after indexing: no
     * write may be pending while the indexer installs a first index. */
    char changesets_text[16];
    snprintf(changesets_text, sizeof changesets_text, "%u", changesets);
    if (stored_root) {
        free(id_root);
        id_root = stored_root;
    }
    if (db_ok && id_root && lsx_reader_set_id_root(r, id_root) != LSX_OK)
        warn(&p, "%s", lsx_reader_errmsg(r));

    sync_state st = { 0 };
    size_t nfiles = lsx_reader_file_count(r);
    struct file_log *files = calloc(nfiles + 1, sizeof *files);
    if (!files) {
        cli_error(PROG, "out of memory");
        db_ok = false;
    }
    lsx_db_stats before = LSX_DB_STATS_INIT;
    uint64_t docs_before = lsx_db_stats_get(db, &before) == LSX_OK ? before.documents : 0;
    struct dels dels = { 0 };
    if (db_ok && !(db_ok = load_state(db, &st, &p)))
        ;
    else if (db_ok && !(db_ok = plan(r, &st, files, roots, nroots, prune, force, &t, &dels)))
        cli_error(PROG, "out of memory");
    for (size_t i = 0; db_ok && i < nfiles; i++) {
        sync_file *f = files[i].what == FILE_UNCHANGED ? sync_find(&st, lsx_reader_file_real(r, i)) : NULL;
        files[i].kept = f ? f->ids : NULL;
    }

    /* documents to come, when every file to read holds one article */
    bool one_each = true;
    uint64_t to_read = 0;
    for (size_t i = 0; i < nfiles && db_ok; i++) {
        if (files[i].what != FILE_READ)
            continue;
        to_read++;
        const char *name = lsx_reader_file_path(r, i);
        size_t n = strlen(name);
        if (n > 3 && strcmp(name + n - 3, ".gz") == 0)
            n -= 3;
        static const char *const single[] = { ".txt", ".text", ".html", ".htm", ".xhtml", ".md", NULL };
        bool one = false;
        for (const char *const *e = single; *e && !one; e++) {
            size_t el = strlen(*e);
            one = n > el && strncasecmp(name + n - el, *e, el) == 0;
        }
        if (!one || format == LSX_FORMAT_TREC || format == LSX_FORMAT_JSONL)
            one_each = false;
    }
    p.total_docs = one_each ? to_read : 0;
    p.total_bytes = lsx_reader_bytes_total(r);

    struct run run = { .t = &t, .p = &p, .files = files };
    ixo.on_result = on_result;
    ixo.payload = &run;
    p.start = now_seconds();
    p.last = p.start - 1;      /* draw at the first document */
    lsx_indexer *ix = NULL;
    rc = LSX_OK;
    if (db_ok) {
        rc = lsx_indexer_new(&ix, db, &ixo);
        if (rc != LSX_OK) {
            cli_error(PROG, "cannot index into %s: %s", path,
                      ix ? lsx_indexer_errmsg(ix) : lsx_status_str(rc));
            db_ok = false;
        }
    }
    bool committed = true;
    if (db_ok)
        db_ok = index_reader(ix, r, &run);
    run.r = NULL;
    /* Wait for the workers and commit (or merge) what was indexed, even after a failure. */
    if (ix && rc == LSX_OK && lsx_indexer_finish(ix) != LSX_OK) {
        progress_clear(&p);
        cli_error(PROG, "cannot commit to %s: %s", path, lsx_indexer_errmsg(ix));
        db_ok = false;
        committed = false;
    }
    lsx_indexer_free(ix);
    progress_clear(&p);
    if (!db_ok)
        committed = false;

    /* Old documents no file gives any more go, then what was read is remembered. */
    if (committed && db_ok && !delete_stale(db, &dels, &st, files, nfiles, &t))
        db_ok = false;
    free(dels.lists);
    if (committed && files) {
        size_t n0 = st.n;              /* entries of the last run, sorted */
        for (size_t i = 0; i < nfiles; i++) {
            if (files[i].what != FILE_READ || files[i].failed)
                continue;
            sync_state old = st;
            old.n = n0;
            sync_file *f = sync_find(&old, lsx_reader_file_real(r, i));
            if (f) {            /* changed: the entry takes what was read now */
                f->seen = true;
                f->hash = files[i].hash;
                f->size = lsx_reader_file_size(r, i);
                f->mtime = lsx_reader_file_mtime(r, i);
                free(f->ids);
                f->ids = strdup(files[i].ids ? files[i].ids : "");
                if (!f->ids)
                    db_ok = committed = false;
            } else if (!sync_add(&st, lsx_reader_file_real(r, i), files[i].hash, lsx_reader_file_size(r, i),
                                 lsx_reader_file_mtime(r, i), files[i].ids)) {
                db_ok = committed = false;
            } else {
                st.files[st.n - 1].seen = true;
            }
        }
        sync_sort(&st);
        size_t len = 0;
        char *text = committed ? sync_save(&st, &len) : NULL;
        if (!text ||
            (!stored_root && id_root && lsx_db_set_metadata(db, SYNC_KEY_ROOT, id_root, strlen(id_root)) != LSX_OK) ||
            (changesets &&
             lsx_db_set_metadata(db, CLI_CHANGESETS_KEY, changesets_text, strlen(changesets_text)) != LSX_OK) ||
            lsx_db_set_metadata(db, SYNC_KEY_FILES, text, len) != LSX_OK || lsx_db_commit(db) != LSX_OK) {
            cli_error(PROG, "cannot record the files read in %s: %s (they are read again next time)", path,
                      text ? lsx_db_errmsg(db) : "out of memory");
            db_ok = false;
        }
        free(text);
    }
    if (!committed)
        lsx_db_reopen(db);
    if (!quiet)
        print_summary(&t, db, path, committed, docs_before);

    for (size_t i = 0; files && i < nfiles; i++)
        free(files[i].ids);
    free(files);
    sync_free(&st);
    lsx_reader_free(r);
    for (int i = 0; i < nroots; i++)
        free(roots[i]);
    free(roots);
    free(id_root);
    lsx_db_free(db);
    if (!db_ok)
        return CLI_EXIT_INDEX;
    return skipped_count(&t) > 0 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
}

int main(int argc, char **argv)
{
    const char **excludes = calloc((size_t)argc + 1, sizeof *excludes);
    if (!excludes) {
        cli_error(PROG, "out of memory");
        return CLI_EXIT_INDEX;
    }
    int rc = run_index(argc, argv, excludes);
    free(excludes);
    return rc;
}

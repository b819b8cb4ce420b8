/*
 * search-index.c - the `search-index` program: read article files into a database.
 *
 * Every PATH is read with an lsx_reader and each article is handed to an
 * lsx_indexer (worker threads; a new database is built as shards that are
 * merged and compacted at the end).  The indexer reports each article's
 * outcome, in input order, to on_result below.  Malformed records,
 * unreadable files, missing paths and articles the index refuses are
 * reported and skipped; only a failing database stops the run, and what was
 * indexed before is still committed.
 */
#include "../cli/common.h"
#include "../cli/term.h"

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

/* The progress line on stderr (only when it is a terminal). */
struct progress {
    bool on;
    bool drawn;                 /* a line is on screen: clear it before printing */
    double start, last;         /* seconds, monotonic clock */
    uint64_t total_bytes;       /* input size of all PATHs (0 if unknown) */
    uint64_t done_bytes;        /* input size of the PATHs already finished */
};

/* What happened to the input. */
struct tally {
    uint64_t added, replaced;
    uint64_t malformed;         /* records the reader skipped */
    uint64_t unreadable;        /* files that could not be read */
    uint64_t missing;           /* PATHs that do not exist */
    uint64_t rejected;          /* records the database refused (e.g. id too long) */
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

/* Redraw the progress line, at most ten times a second unless `force`. */
static void progress_draw(struct progress *p, const lsx_reader *r, uint64_t docs, bool force)
{
    if (!p->on)
        return;
    double t = now_seconds();
    if (!force && t - p->last < 0.1)
        return;
    p->last = t;
    double elapsed = t - p->start > 1e-3 ? t - p->start : 1e-3;
    uint64_t bytes = p->done_bytes + (r ? lsx_reader_bytes_done(r) : 0);
    fprintf(stderr, "\r\033[K%llu docs  %.0f docs/s  %.1f MB/s", (unsigned long long)docs,
            docs / elapsed, bytes / 1e6 / elapsed);
    if (p->total_bytes > 0) {
        double frac = (double)bytes / p->total_bytes;
        if (frac > 1)
            frac = 1;
        char bar[21];
        int full = (int)(frac * 20);
        memset(bar, '#', (size_t)full);
        memset(bar + full, '.', (size_t)(20 - full));
        bar[20] = '\0';
        fprintf(stderr, "  [%s] %3.0f%%", bar, frac * 100);
        if (bytes > 0 && frac < 1) {
            unsigned long eta = (unsigned long)((p->total_bytes - bytes) / (bytes / elapsed));
            fprintf(stderr, "  ETA %lu:%02lu", eta / 60, eta % 60);
        }
    }
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
          "the database replaces it.\n"
          "\n"
          "Options:\n"
          "  --db DIR        the database (default: $SEARCH_DB, else ./search.db)\n"
          "  --batch N       commit every N documents (default 1000)\n"
          "  --threads N     worker threads (default: one per CPU)\n"
          "  --memory MB     memory budget in MB (default 256; at least 24 + 8 per thread)\n"
          "  --format FMT    input format: auto (default: by extension, then content),\n"
          "                  text, trec or jsonl; gzip is always detected\n"
          "  --quiet         no progress line and no summary (warnings still shown)\n"
          "  -h, --help      show this help and exit\n"
          "  --version       show the versions of search-index, libsearch and Xapian and exit\n"
          "\n"
          "A progress line is drawn on stderr when it is a terminal.  The summary goes\n"
          "to stdout.  Malformed records and unreadable files are reported as warnings\n"
          "and skipped.\n"
          "\n"
          "Environment:\n"
          "  SEARCH_DB  the database to use when --db is not given\n"
          "  LSX_GAZETTEER  the gazetteer file, instead of the installed one\n"
          "\n"
          "Exit status: 0 if everything was indexed, 2 for a usage error or if some\n"
          "input was skipped (the rest is indexed), 3 if the database could not be\n"
          "opened, locked or written.\n",
          out);
}

static bool parse_format(const char *arg, lsx_format *out)
{
    static const struct { const char *name; lsx_format format; } formats[] = {
        { "auto", LSX_FORMAT_AUTO }, { "text", LSX_FORMAT_TEXT },
        { "trec", LSX_FORMAT_TREC }, { "jsonl", LSX_FORMAT_JSONL },
    };
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        if (strcmp(arg, formats[i].name) == 0) {
            *out = formats[i].format;
            return true;
        }
    }
    cli_error(PROG, "--format: unknown format '%s' (use auto, text, trec or jsonl)", arg);
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

/* What on_result needs. */
struct run {
    struct tally *t;
    struct progress *p;
    const lsx_reader *r;        /* the reader being read (for the progress line) */
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
        if (rc == LSX_EPARSE || rc == LSX_EIO) {       /* skipped; the reader goes on */
            warn(p, "%s", lsx_reader_errmsg(r));
            if (rc == LSX_EPARSE)
                t->malformed++;
            else
                t->unreadable++;
            continue;
        }
        if (rc != LSX_OK) {                             /* the reader cannot go on */
            warn(p, "%s", lsx_reader_errmsg(r));
            t->unreadable++;
            return true;
        }
        if (lsx_reader_warning(r))
            warn(p, "%s", lsx_reader_warning(r));
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

static void print_summary(const struct tally *t, lsx_db *db, const char *path)
{
    uint64_t indexed = t->added + t->replaced;
    uint64_t skipped = t->malformed + t->unreadable + t->missing + t->rejected;
    printf("indexed %llu document%s (%llu added, %llu replaced), %llu skipped\n",
           (unsigned long long)indexed, indexed == 1 ? "" : "s", (unsigned long long)t->added,
           (unsigned long long)t->replaced, (unsigned long long)skipped);
    if (skipped > 0) {
        bool first = true;
        fputs("skipped: ", stdout);
        reason(t->malformed, "malformed record", "malformed records", &first);
        reason(t->rejected, "record refused by the index", "records refused by the index",
               &first);
        reason(t->unreadable, "unreadable file", "unreadable files", &first);
        reason(t->missing, "missing path", "missing paths", &first);
        putchar('\n');
    }
    lsx_db_stats st = LSX_DB_STATS_INIT;
    if (db && lsx_db_stats_get(db, &st) == LSX_OK)
        printf("%s now holds %llu document%s\n", path, (unsigned long long)st.documents,
               st.documents == 1 ? "" : "s");
}

int main(int argc, char **argv)
{
    enum { OPT_DB = 1, OPT_BATCH, OPT_THREADS, OPT_MEMORY, OPT_FORMAT, OPT_QUIET, OPT_HELP, OPT_VERSION };
    static const struct option longopts[] = {
        { "db", required_argument, NULL, OPT_DB },
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
    bool quiet = false;
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
        case OPT_QUIET: quiet = true; break;
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
    lsx_db *db = NULL;
    int rc = lsx_db_open(&db, path, LSX_DB_WRITABLE | LSX_DB_CREATE, &dbo);
    if (rc != LSX_OK) {
        if (db)
            cli_error(PROG, "%s", lsx_db_errmsg(db));     /* names the path */
        else
            cli_error(PROG, "cannot open the database at %s: %s", path, lsx_status_str(rc));
        lsx_db_free(db);
        return CLI_EXIT_INDEX;
    }
    uint64_t removed = 0, removed_bytes = 0;
    (void)lsx_db_leftovers(db, NULL, NULL, &removed, &removed_bytes);
    if (removed)
        fprintf(stderr, "%s: removed %llu leftover%s (%llu bytes) of an interrupted run from %s\n", PROG,
                (unsigned long long)removed, removed == 1 ? "" : "s", (unsigned long long)removed_bytes, path);

    struct progress p = { .on = !quiet && isatty(STDERR_FILENO) };
    struct tally t = { 0 };
    struct run run = { .t = &t, .p = &p };
    ixo.on_result = on_result;
    ixo.payload = &run;
    int npaths = argc - optind;
    lsx_reader **readers = calloc((size_t)npaths, sizeof *readers);
    if (!readers) {
        cli_error(PROG, "out of memory");
        lsx_db_free(db);
        return CLI_EXIT_INDEX;
    }
    /* Open every PATH first: missing ones are reported at once and the total size is known. */
    for (int i = 0; i < npaths; i++) {
        rc = lsx_reader_open(&readers[i], argv[optind + i], format);
        if (rc == LSX_OK) {
            p.total_bytes += lsx_reader_bytes_total(readers[i]);
            continue;
        }
        if (readers[i])
            warn(&p, "%s", lsx_reader_errmsg(readers[i]));
        else
            warn(&p, "%s: %s", argv[optind + i], lsx_status_str(rc));
        if (rc == LSX_ENOTFOUND)
            t.missing++;
        else
            t.unreadable++;
        lsx_reader_free(readers[i]);
        readers[i] = NULL;
    }

    bool db_ok = true;
    p.start = now_seconds();
    p.last = p.start - 1;      /* draw at the first document */
    lsx_indexer *ix = NULL;
    rc = lsx_indexer_new(&ix, db, &ixo);
    if (rc != LSX_OK) {
        cli_error(PROG, "cannot index into %s: %s", path,
                  ix ? lsx_indexer_errmsg(ix) : lsx_status_str(rc));
        db_ok = false;
    }
    for (int i = 0; i < npaths && db_ok; i++) {
        if (!readers[i])
            continue;
        db_ok = index_reader(ix, readers[i], &run);
        p.done_bytes += lsx_reader_bytes_total(readers[i]);
        run.r = NULL;
    }
    /* Wait for the workers and commit (or merge) what was indexed, even after a failure. */
    if (rc == LSX_OK && lsx_indexer_finish(ix) != LSX_OK && db_ok) {
        progress_clear(&p);
        cli_error(PROG, "cannot commit to %s: %s", path, lsx_indexer_errmsg(ix));
        db_ok = false;
    }
    lsx_indexer_free(ix);
    progress_clear(&p);
    if (!quiet)
        print_summary(&t, db, path);

    for (int i = 0; i < npaths; i++)
        lsx_reader_free(readers[i]);
    free(readers);
    lsx_db_free(db);
    if (!db_ok)
        return CLI_EXIT_INDEX;
    return t.malformed + t.unreadable + t.missing + t.rejected > 0 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lsx-bench - the libsearch side of the benchmark, written against the
 * public API (libsearch.h) only, as an application would use it.
 *
 *   lsx-bench index DB INPUT [--threads N] [--memory MB] [--batch N] [--serial]
 *       reads INPUT (a file or directory of articles; TREC, text or JSON
 *       Lines, by extension and content) with lsx_reader and indexes every
 *       article with an lsx_indexer (N threads, default one per CPU; memory
 *       budget MB, default the library's), as search-index does; with
 *       --serial, with lsx_db_add on one handle instead (committing every
 *       --batch documents, default the library's 1000).  Then compacts into
 *       DB.compact.  Prints "key value" lines: docs, input_bytes,
 *       index_seconds, compact_seconds, db_bytes, compact_bytes, skipped,
 *       threads.
 *   lsx-bench query DB QUERYFILE K [--facets] [--snippets] [--ids-only]
 *       for each "qid<TAB>text" line of QUERYFILE: lsx_query_parse, then
 *       lsx_search for the top K (without snippets unless --snippets; with
 *       the facets "entity:10" and "date:month" if --facets; hits with only
 *       ids and scores, LSX_SEARCH_IDS_ONLY, if --ids-only), reading each
 *       hit's id.  Prints qid<TAB>microseconds<TAB>hits<TAB>first ten ids.
 *       The time covers parsing, searching, reading the page and freeing it.
 */
#define _XOPEN_SOURCE 700
#include "libsearch.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long long walked_bytes;

static int add_size(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)path, (void)ftw;
    if (type == FTW_F)
        walked_bytes += (unsigned long long)st->st_size;
    return 0;
}

/* Total size of the regular files under `dir`. */
static unsigned long long dir_bytes(const char *dir)
{
    walked_bytes = 0;
    nftw(dir, add_size, 16, FTW_PHYS);
    return walked_bytes;
}

/* Counts the indexer's outcomes (called in the thread that calls lsx_indexer_*). */
struct tally {
    unsigned long long docs, skipped;
};

static void on_result(void *payload, const lsx_index_result *r)
{
    struct tally *t = payload;
    if (r->status == LSX_OK) {
        t->docs++;
    } else {
        t->skipped++;
        if (t->skipped <= 5)
            fprintf(stderr, "lsx-bench: skipped: %s\n", r->message);
    }
}

static int do_index(const char *dbpath, const char *input, unsigned batch, int serial,
                    unsigned threads, unsigned memory_mb)
{
    lsx_db_options opts = LSX_DB_OPTIONS_INIT;
    if (batch)
        opts.batch_size = batch;
    double t0 = now_seconds();
    lsx_reader *r;
    int rc = lsx_reader_open(&r, input, LSX_FORMAT_AUTO);
    if (rc != LSX_OK) {
        fprintf(stderr, "lsx-bench: %s\n", r ? lsx_reader_errmsg(r) : lsx_status_str(rc));
        lsx_reader_free(r);
        return 1;
    }
    lsx_db *db;
    rc = lsx_db_open(&db, dbpath, LSX_DB_WRITABLE | LSX_DB_CREATE, &opts);
    if (rc != LSX_OK) {
        fprintf(stderr, "lsx-bench: %s: %s\n", dbpath, db ? lsx_db_errmsg(db) : lsx_status_str(rc));
        lsx_db_free(db);
        lsx_reader_free(r);
        return 1;
    }

    struct tally t = { 0, 0 };
    lsx_indexer *ix = NULL;
    if (!serial) {
        lsx_indexer_options io = LSX_INDEXER_OPTIONS_INIT;
        io.threads = threads;
        if (memory_mb)
            io.memory_mb = memory_mb;
        io.on_result = on_result;
        io.payload = &t;
        if (lsx_indexer_new(&ix, db, &io) != LSX_OK) {
            fprintf(stderr, "lsx-bench: %s\n", ix ? lsx_indexer_errmsg(ix) : lsx_db_errmsg(db));
            return 1;
        }
        threads = lsx_indexer_threads(ix);
    }
    lsx_article a = LSX_ARTICLE_INIT;
    while ((rc = lsx_reader_next(r, &a)) != LSX_DONE) {
        if (rc == LSX_EPARSE || rc == LSX_EIO) {  /* skipped input; the reader goes on */
            fprintf(stderr, "lsx-bench: %s\n", lsx_reader_errmsg(r));
            t.skipped++;
            continue;
        }
        if (rc != LSX_OK) {
            fprintf(stderr, "lsx-bench: %s\n", lsx_reader_errmsg(r));
            break;
        }
        if (ix) {
            if (lsx_indexer_add(ix, &a) != LSX_OK) {
                fprintf(stderr, "lsx-bench: %s\n", lsx_indexer_errmsg(ix));
                return 1;
            }
            continue;
        }
        rc = lsx_db_add(db, &a, NULL);
        if (rc == LSX_EINVAL) {
            t.skipped++;
            continue;
        }
        if (rc != LSX_OK) {
            fprintf(stderr, "lsx-bench: adding %s: %s\n", a.id, lsx_db_errmsg(db));
            return 1;
        }
        t.docs++;
    }
    if (ix) {
        if (lsx_indexer_finish(ix) != LSX_OK) {
            fprintf(stderr, "lsx-bench: %s\n", lsx_indexer_errmsg(ix));
            return 1;
        }
        lsx_indexer_free(ix);
    } else if (lsx_db_commit(db) != LSX_OK) {
        fprintf(stderr, "lsx-bench: commit: %s\n", lsx_db_errmsg(db));
        return 1;
    }
    double t1 = now_seconds();

    char compact[4096];
    snprintf(compact, sizeof compact, "%s.compact", dbpath);
    if (lsx_db_compact(db, compact) != LSX_OK) {
        fprintf(stderr, "lsx-bench: compact: %s\n", lsx_db_errmsg(db));
        return 1;
    }
    double t2 = now_seconds();

    printf("docs %llu\ninput_bytes %llu\nindex_seconds %.3f\ncompact_seconds %.3f\n"
           "db_bytes %llu\ncompact_bytes %llu\nskipped %llu\nthreads %u\n",
           t.docs, (unsigned long long)lsx_reader_bytes_total(r), t1 - t0, t2 - t1,
           dir_bytes(dbpath), dir_bytes(compact), t.skipped, serial ? 1 : threads);
    lsx_db_free(db);
    lsx_reader_free(r);
    return 0;
}

/* --newest: results by date, newest first (LSX_SORT_NEWEST). */
static int sort_newest;
/* --suggest: did you mean (LSX_SEARCH_SUGGEST). */
static int suggest;
/* --recency DAYS: the recency boost's half-life (0: none). */
static double recency;

static int do_query(const char *dbpath, const char *queryfile, unsigned k, int facets,
                    int snippets, int ids_only)
{
    static const char *const facet_specs[] = { "entity:10", "date:month" };
    FILE *in = fopen(queryfile, "r");
    if (!in) {
        perror(queryfile);
        return 1;
    }
    lsx_db *db;
    int rc = lsx_db_open(&db, dbpath, LSX_DB_READONLY, NULL);
    if (rc != LSX_OK) {
        fprintf(stderr, "lsx-bench: %s: %s\n", dbpath, db ? lsx_db_errmsg(db) : lsx_status_str(rc));
        lsx_db_free(db);
        fclose(in);
        return 1;
    }
    lsx_search_options opts = LSX_SEARCH_OPTIONS_INIT;
    opts.limit = k;
    if (sort_newest)
        opts.sort = LSX_SORT_NEWEST;
    if (suggest)
        opts.flags |= LSX_SEARCH_SUGGEST;
    opts.recency_half_life = recency;
    if (!snippets)
        opts.flags |= LSX_SEARCH_NO_SNIPPETS;
    if (ids_only)
        opts.flags |= LSX_SEARCH_IDS_ONLY;
    if (facets) {
        opts.facets = facet_specs;
        opts.nfacets = 2;
    }

    char *line = NULL, ids[4096];
    size_t cap = 0;
    ssize_t n;
    unsigned long errors = 0;
    while ((n = getline(&line, &cap, in)) > 0) {
        if (line[n - 1] == '\n')
            line[--n] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = '\0';
        size_t hits = 0, used = 0;
        ids[0] = '\0';

        double t0 = now_seconds();
        lsx_query *q = NULL;
        lsx_results *res = NULL;
        rc = lsx_query_parse(&q, tab + 1);
        if (rc == LSX_OK)
            rc = lsx_search(db, q, &opts, &res);
        if (rc == LSX_OK) {
            hits = lsx_results_count(res);
            for (size_t i = 0; i < hits; i++) {
                const lsx_hit *h = lsx_results_hit(res, i);
                if (i < 10 && used + strlen(h->id) + 2 < sizeof ids)
                    used += (size_t)sprintf(ids + used, "%s%s", i ? "," : "", h->id);
            }
        } else if (errors++ < 5) {
            fprintf(stderr, "lsx-bench: query %s (%s): %s\n", line, tab + 1,
                    q && rc == LSX_EQUERY ? lsx_query_errmsg(q) : lsx_db_errmsg(db));
        }
        lsx_results_free(res);
        lsx_query_free(q);
        double us = (now_seconds() - t0) * 1e6;

        printf("%s\t%.1f\t%zu\t%s\n", line, us, hits, ids);
    }
    if (errors)
        fprintf(stderr, "lsx-bench: %lu queries failed\n", errors);
    free(line);
    fclose(in);
    lsx_db_free(db);
    return 0;
}

static void usage(void)
{
    fputs("usage: lsx-bench index DB INPUT [--threads N] [--memory MB] [--batch N] [--serial]\n"
          "       lsx-bench query DB QUERYFILE K [--facets] [--snippets] [--ids-only] [--newest] [--suggest] [--recency DAYS]\n", stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "index") == 0) {
        unsigned batch = 0, threads = 0, memory = 0;
        int serial = 0;
        for (int i = 4; i < argc; i++) {
            if (strcmp(argv[i], "--batch") == 0 && i + 1 < argc)
                batch = (unsigned)strtoul(argv[++i], NULL, 10);
            else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
                threads = (unsigned)strtoul(argv[++i], NULL, 10);
            else if (strcmp(argv[i], "--memory") == 0 && i + 1 < argc)
                memory = (unsigned)strtoul(argv[++i], NULL, 10);
            else if (strcmp(argv[i], "--serial") == 0)
                serial = 1;
            else
                usage();
        }
        return do_index(argv[2], argv[3], batch, serial, threads, memory);
    }
    if (argc >= 5 && strcmp(argv[1], "query") == 0) {
        int facets = 0, snippets = 0, ids_only = 0;
        for (int i = 5; i < argc; i++) {
            if (strcmp(argv[i], "--newest") == 0)
                sort_newest = 1;
            else if (strcmp(argv[i], "--suggest") == 0)
                suggest = 1;
            else if (strcmp(argv[i], "--recency") == 0 && i + 1 < argc)
                recency = strtod(argv[++i], NULL);
            else if (strcmp(argv[i], "--facets") == 0)
                facets = 1;
            else if (strcmp(argv[i], "--snippets") == 0)
                snippets = 1;
            else if (strcmp(argv[i], "--ids-only") == 0)
                ids_only = 1;
            else
                usage();
        }
        return do_query(argv[2], argv[3], (unsigned)strtoul(argv[4], NULL, 10), facets,
                        snippets, ids_only);
    }
    usage();
    return 2;
}

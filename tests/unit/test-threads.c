/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-threads.c - one process, one writer thread and four reader threads
 * on the same database directory, each thread with its own handle.  Every
 * search, stats and reopen succeeds; a search never finds fewer than the
 * documents committed before the readers started; the writer never waits
 * for ever on readers of its own process (the readers' lock, DIR/.lsx-read,
 * is taken by them like by any other reader).  .ci/run also runs it under
 * ThreadSanitizer. */
#include "libsearch.h"
#include "tap.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SEEDED 40
#define ADDED 160
#define READERS 4
#define MIN_ROUNDS 25

static char tmpdir[] = "/tmp/lsx-test-threads.XXXXXX";
static char dbpath[600];
static atomic_bool writing_done;

static const char *const words[] = {"ferry", "tariff", "monsoon", "council", "bridge", "drought"};

static int add_article(lsx_db *db, int i)
{
    char id[32], title[96], body[400];
    snprintf(id, sizeof id, "t%04d", i);
    snprintf(title, sizeof title, "Harbour note %d on the %s", i, words[i % 6]);
    snprintf(body, sizeof body,
             "The harbour board met on day %d to discuss the %s. Members asked about the %s and the %s, "
             "and the harbour master answered every question before the vote.",
             i, words[i % 6], words[(i + 1) % 6], words[(i + 2) % 6]);
    lsx_article a = LSX_ARTICLE_INIT;
    a.id = id;
    a.title = title;
    a.body = body;
    a.date = "2024-05-01";
    a.lang = "en";
    return lsx_db_add(db, &a, NULL);
}

struct writer_result {
    lsx_db *db;
    int failures;
    char first_error[256];
};

static void *writer_main(void *arg)
{
    struct writer_result *w = arg;
    for (int i = SEEDED; i < SEEDED + ADDED; i++) {
        int rc = add_article(w->db, i);
        if (rc == LSX_OK && (i + 1) % 5 == 0)
            rc = lsx_db_commit(w->db);
        if (rc != LSX_OK && w->failures++ == 0)
            snprintf(w->first_error, sizeof w->first_error, "%s", lsx_db_errmsg(w->db));
    }
    if (lsx_db_commit(w->db) != LSX_OK && w->failures++ == 0)
        snprintf(w->first_error, sizeof w->first_error, "%s", lsx_db_errmsg(w->db));
    atomic_store(&writing_done, true);
    return NULL;
}

struct reader_result {
    int rounds, failures, short_reads;
    unsigned long long fewest, most;
    char first_error[256];
};

static void reader_fail(struct reader_result *r, const char *what, const char *msg)
{
    if (r->failures++ == 0)
        snprintf(r->first_error, sizeof r->first_error, "%s: %s", what, msg ? msg : "?");
}

static void *reader_main(void *arg)
{
    struct reader_result *r = arg;
    r->fewest = (unsigned long long)-1;
    lsx_db *db = NULL;
    if (lsx_db_open(&db, dbpath, LSX_DB_READONLY, NULL) != LSX_OK) {
        reader_fail(r, "open", db ? lsx_db_errmsg(db) : "no handle");
        lsx_db_free(db);
        return NULL;
    }
    lsx_query *q = NULL;
    if (lsx_query_parse(&q, "harbour") != LSX_OK) {
        reader_fail(r, "parse", q ? lsx_query_errmsg(q) : "no query");
        lsx_query_free(q);
        lsx_db_free(db);
        return NULL;
    }
    while (r->rounds < MIN_ROUNDS || !atomic_load(&writing_done)) {
        lsx_results *res = NULL;
        if (lsx_search(db, q, NULL, &res) != LSX_OK) {
            reader_fail(r, "search", lsx_db_errmsg(db));
        } else {
            unsigned long long total = lsx_results_total(res);
            if (total < SEEDED)
                r->short_reads++;
            if (total < r->fewest)
                r->fewest = total;
            if (total > r->most)
                r->most = total;
        }
        lsx_results_free(res);
        if (r->rounds % 3 == 0) {
            lsx_db_stats st = LSX_DB_STATS_INIT;
            if (lsx_db_stats_get(db, &st) != LSX_OK)
                reader_fail(r, "stats", lsx_db_errmsg(db));
            else if (st.documents < SEEDED)
                r->short_reads++;
        }
        if (r->rounds % 2 == 0 && lsx_db_reopen(db) != LSX_OK)
            reader_fail(r, "reopen", lsx_db_errmsg(db));
        r->rounds++;
    }
    lsx_query_free(q);
    lsx_db_free(db);
    return NULL;
}

int main(void)
{
    if (!mkdtemp(tmpdir))
        skip_all("no temporary directory");
    snprintf(dbpath, sizeof dbpath, "%s/db", tmpdir);

    lsx_db *w = NULL;
    lsx_db_options o;
    lsx_db_options_init(&o, LSX_DB_OPTIONS_VERSION);
    o.batch_size = 1000;    /* the writer thread commits every 5 itself */
    is_int(lsx_db_open(&w, dbpath, LSX_DB_WRITABLE | LSX_DB_CREATE, &o), LSX_OK, "a writer");
    int rc = LSX_OK;
    for (int i = 0; i < SEEDED && rc == LSX_OK; i++)
        rc = add_article(w, i);
    is_int(rc, LSX_OK, "seeded %d articles", SEEDED);
    is_int(lsx_db_commit(w), LSX_OK, "... committed");

    struct writer_result wr = {w, 0, ""};
    struct reader_result rr[READERS];
    memset(rr, 0, sizeof rr);
    pthread_t wt, rt[READERS];
    int started = pthread_create(&wt, NULL, writer_main, &wr) == 0;
    for (int i = 0; i < READERS; i++)
        started += pthread_create(&rt[i], NULL, reader_main, &rr[i]) == 0;
    is_int(started, READERS + 1, "the writer and %d readers started", READERS);
    if (started != READERS + 1)
        return done_testing();
    pthread_join(wt, NULL);
    for (int i = 0; i < READERS; i++)
        pthread_join(rt[i], NULL);

    is_int(wr.failures, 0, "the writer added %d articles, committing every 5 (%s)", ADDED,
           wr.first_error[0] ? wr.first_error : "no error");
    for (int i = 0; i < READERS; i++) {
        is_int(rr[i].failures, 0, "reader %d: %d rounds of search, stats and reopen, none failed (%s)", i,
               rr[i].rounds, rr[i].first_error[0] ? rr[i].first_error : "no error");
        is_int(rr[i].short_reads, 0, "reader %d: never fewer than the %d seeded (found %llu to %llu)", i, SEEDED,
               rr[i].fewest, rr[i].most);
    }

    lsx_db_stats st = LSX_DB_STATS_INIT;
    is_int(lsx_db_stats_get(w, &st), LSX_OK, "stats at the end");
    is_int(st.documents, SEEDED + ADDED, "every article is there");
    lsx_db_free(w);

    lsx_db *r = NULL;
    lsx_query *q = NULL;
    lsx_results *res = NULL;
    rc = lsx_db_open(&r, dbpath, LSX_DB_READONLY, NULL);
    if (rc == LSX_OK)
        rc = lsx_query_parse(&q, "harbour");
    if (rc == LSX_OK)
        rc = lsx_search(r, q, NULL, &res);
    is_int(rc, LSX_OK, "a reader after the writer closed");
    is_int(res ? lsx_results_total(res) : 0, SEEDED + ADDED, "... finds all of them");
    lsx_results_free(res);
    lsx_query_free(q);
    lsx_db_free(r);

    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "# could not remove %s\n", tmpdir);
    return done_testing();
}

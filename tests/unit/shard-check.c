/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * shard-check.c - the same queries against two databases holding the same
 * articles (one database, and its shards: local, remote or both) must give
 * the same answers.  Run by tests/cli/shards.sh.
 *
 *   shard-check LABEL DB-A DB-B QUERY...
 *
 * DB-A and DB-B are opened with lsx_db_open (a database or a stub).  For
 * every QUERY ("*" for no query), in relevance order and in both date
 * orders, with the facets entity:50, person:20, place:20, date:month and
 * date:day:
 *
 *   - the totals are equal and exact;
 *   - the top 100 have the same scores, position by position, to 1e-9
 *     (and in date order the same dates);
 *   - the same ids: hits whose order key (date and score) ties may come
 *     in another order (Xapian breaks ties by document number, which
 *     sharding changes), so ids are compared as sets within each run of
 *     equal keys; a run cut by the end of the page must be among the
 *     other side's hits with that key (from a longer page);
 *   - every facet value, count and label is equal.
 *
 *   shard-check --fault PGID NAME TIMEOUT-MS DB-REMOTE DB-OTHERS QUERY
 *
 * A shard killed while readers are connected: DB-REMOTE is opened twice
 * (with and without LSX_DB_PARTIAL, timeouts TIMEOUT-MS) and searched
 * once; then the process group PGID (the server of shard NAME and the
 * children serving the connections) is killed.  The search without
 * partial must fail with LSX_EIO naming NAME within the timeout; the one
 * with partial must answer, name NAME as missing and find what DB-OTHERS
 * (the other shards) finds.
 *
 *   shard-check --follow REPLICA COMMITS SCRIPT
 *
 * A reader follows a replica: REPLICA is opened once; then COMMITS times
 * SCRIPT is run with the commit's number (it commits to the master,
 * replicates, and prints the master's document count), lsx_db_reopen is
 * called and the reader must see the master's count.
 * Speaks TAP (plan at the end).
 */
#include "libsearch.h"

#include <math.h>
#include <signal.h>
#include <time.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOP 100
#define LONG_PAGE 2000

static int n_tests, n_failed;

static void result(int good, const char *label, const char *query, const char *order, const char *what)
{
    n_tests++;
    if (!good)
        n_failed++;
    printf("%s %d - %s: %s [%s] %s", good ? "ok" : "not ok", n_tests, label, query, order, what);
    putchar('\n');
}

static lsx_results *run(lsx_db *db, const char *text, int sort, unsigned limit, int facets)
{
    static const char *const specs[] = {"entity:50", "person:20", "place:20", "date:month", "date:day"};
    lsx_query *q = NULL;
    if (strcmp(text, "*") != 0 && lsx_query_parse(&q, text) != LSX_OK) {
        printf("# cannot parse '%s'\n", text);
        lsx_query_free(q);
        return NULL;
    }
    lsx_search_options o;
    lsx_search_options_init(&o, LSX_SEARCH_OPTIONS_VERSION);
    o.limit = limit;
    o.sort = sort;
    o.flags |= LSX_SEARCH_NO_SNIPPETS | LSX_SEARCH_EXACT_TOTAL;
    if (facets) {
        o.facets = specs;
        o.nfacets = sizeof specs / sizeof specs[0];
    }
    lsx_results *r = NULL;
    if (lsx_search(db, q, &o, &r) != LSX_OK) {
        printf("# search '%s' failed: %s\n", text, lsx_db_errmsg(db));
        r = NULL;
    }
    lsx_query_free(q);
    return r;
}

static int same_key(const lsx_hit *a, const lsx_hit *b, int sort)
{
    if (fabs(a->score - b->score) > 1e-9)
        return 0;
    return sort == LSX_SORT_RELEVANCE || strcmp(a->date, b->date) == 0;
}

/* Whether hit `h` of A appears among B's hits with the same key. */
static int found_with_key(const lsx_hit *h, const lsx_results *b, int sort)
{
    for (size_t j = 0; j < lsx_results_count(b); j++) {
        const lsx_hit *g = lsx_results_hit(b, j);
        if (same_key(h, g, sort) && strcmp(h->id, g->id) == 0)
            return 1;
    }
    return 0;
}

/* Ids of A's page against B's, run by run of equal keys (see the top). */
static int same_ids(const lsx_results *a, const lsx_results *b, const lsx_results *b_long, int sort, char *why,
                    size_t cap)
{
    size_t n = lsx_results_count(a);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && same_key(lsx_results_hit(a, i), lsx_results_hit(a, j), sort))
            j++;
        int cut = j == n && n == TOP;   /* the run may go on past the page */
        for (size_t k = i; k < j; k++) {
            const lsx_hit *h = lsx_results_hit(a, k);
            int in = 0;
            if (cut) {
                in = found_with_key(h, b_long, sort);
            } else {
                for (size_t m = i; m < j && !in; m++)
                    in = strcmp(h->id, lsx_results_hit(b, m)->id) == 0;
            }
            if (!in) {
                snprintf(why, cap, "rank %zu: %s (score %.12g, %s) not in the other's run of ranks %zu-%zu", k + 1,
                         h->id, h->score, h->date, i + 1, j);
                return 0;
            }
        }
        i = j;
    }
    return 1;
}

static void compare(const char *label, lsx_db *da, lsx_db *db, const char *text, int sort)
{
    static const char *const orders[] = {"auto", "relevance", "newest", "oldest"};
    const char *order = orders[sort];
    lsx_results *a = run(da, text, sort, TOP, 1), *b = run(db, text, sort, TOP, 1);
    lsx_results *b_long = run(db, text, sort, LONG_PAGE, 0);
    if (!a || !b || !b_long) {
        result(0, label, text, order, "both searches succeed");
        goto out;
    }
    result(lsx_results_total(a) == lsx_results_total(b) && lsx_results_total_exact(a) && lsx_results_total_exact(b),
           label, text, order, "same exact total");
    if (lsx_results_total(a) != lsx_results_total(b))
        printf("# totals %llu and %llu\n", (unsigned long long)lsx_results_total(a),
               (unsigned long long)lsx_results_total(b));
    int good = lsx_results_count(a) == lsx_results_count(b);
    for (size_t i = 0; good && i < lsx_results_count(a); i++) {
        const lsx_hit *x = lsx_results_hit(a, i), *y = lsx_results_hit(b, i);
        if (fabs(x->score - y->score) > 1e-9 || (sort != LSX_SORT_RELEVANCE && strcmp(x->date, y->date) != 0)) {
            printf("# rank %zu: %.12g %s and %.12g %s\n", i + 1, x->score, x->date, y->score, y->date);
            good = 0;
        }
    }
    result(good, label, text, order,
           sort == LSX_SORT_RELEVANCE ? "same scores, rank by rank (1e-9)" : "same dates and scores, rank by rank (1e-9)");
    char why[512] = "";
    good = same_ids(a, b, b_long, sort, why, sizeof why);
    if (!good)
        printf("# %s\n", why);
    result(good, label, text, order, "same ids (ties as sets)");
    good = lsx_results_facet_count(a) == lsx_results_facet_count(b);
    for (size_t f = 0; good && f < lsx_results_facet_count(a); f++) {
        const lsx_facet *fa = lsx_results_facet(a, f), *fb = lsx_results_facet(b, f);
        if (fa->nvalues != fb->nvalues || strcmp(fa->name, fb->name) != 0) {
            printf("# facet %s: %zu and %zu values\n", fa->name, fa->nvalues, fb->nvalues);
            good = 0;
        }
        for (size_t v = 0; good && v < fa->nvalues; v++) {
            const lsx_facet_value *x = lsx_facet_value_at(fa, v), *y = lsx_facet_value_at(fb, v);
            if (strcmp(x->value, y->value) != 0 || x->count != y->count || strcmp(x->label, y->label) != 0) {
                printf("# facet %s value %zu: %s (%s) %llu and %s (%s) %llu\n", fa->name, v, x->value, x->label,
                       (unsigned long long)x->count, y->value, y->label, (unsigned long long)y->count);
                good = 0;
            }
        }
    }
    result(good, label, text, order, "same facets (entity, person, place, month, day)");
out:
    lsx_results_free(a);
    lsx_results_free(b);
    lsx_results_free(b_long);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void check(int good, const char *what)
{
    n_tests++;
    if (!good)
        n_failed++;
    printf("%s %d - %s\n", good ? "ok" : "not ok", n_tests, what);
}

static int fault(char **argv)
{
    long pgid = strtol(argv[2], NULL, 10);
    const char *name = argv[3], *text = argv[7];
    unsigned timeout = (unsigned)strtoul(argv[4], NULL, 10);
    lsx_db_options o;
    lsx_db_options_init(&o, LSX_DB_OPTIONS_VERSION);
    o.timeout_ms = o.connect_timeout_ms = timeout;
    lsx_db *strict = NULL, *partial = NULL, *others = NULL;
    int rc = lsx_db_open(&strict, argv[5], LSX_DB_READONLY, &o);
    if (rc == LSX_OK)
        rc = lsx_db_open(&partial, argv[5], LSX_DB_READONLY | LSX_DB_PARTIAL, &o);
    if (rc == LSX_OK)
        rc = lsx_db_open(&others, argv[6], LSX_DB_READONLY, NULL);
    check(rc == LSX_OK, "the shards open, with and without LSX_DB_PARTIAL");
    if (rc != LSX_OK) {
        printf("# %s %s %s\n", lsx_db_errmsg(strict), lsx_db_errmsg(partial), lsx_db_errmsg(others));
        goto out;
    }
    lsx_results *r = run(strict, text, LSX_SORT_RELEVANCE, 10, 1), *p = run(partial, text, LSX_SORT_RELEVANCE, 10, 1);
    check(r && p && lsx_results_missing_count(p) == 0, "both answer while every shard is up");
    lsx_results_free(r);
    lsx_results_free(p);

    check(kill((pid_t)-pgid, SIGKILL) == 0, "the shard's server and its children are killed");
    double t0 = now();
    r = run(strict, text, LSX_SORT_RELEVANCE, 10, 1);
    double took = now() - t0;
    check(r == NULL, "a search without partial fails");
    check(strstr(lsx_db_errmsg(strict), name) != NULL, "... naming the shard that died");
    printf("# %s (%.3f s)\n", lsx_db_errmsg(strict), took);
    check(took < timeout / 1000.0 + 1, "... within its timeout");
    lsx_results_free(r);

    t0 = now();
    p = run(partial, text, LSX_SORT_RELEVANCE, 10, 1);
    took = now() - t0;
    check(p != NULL, "with LSX_DB_PARTIAL the other shards answer");
    check(p && lsx_results_missing_count(p) == 1 && strstr(lsx_results_missing(p, 0), name) != NULL,
          "... and the results name the missing shard");
    if (p && lsx_results_missing_count(p))
        printf("# missing: %s (%.3f s)\n", lsx_results_missing(p, 0), took);
    lsx_results *w = run(others, text, LSX_SORT_RELEVANCE, 10, 1);
    int same = p && w && lsx_results_total(p) == lsx_results_total(w) && lsx_results_count(p) == lsx_results_count(w);
    for (size_t i = 0; same && i < lsx_results_count(p); i++)
        same = strcmp(lsx_results_hit(p, i)->id, lsx_results_hit(w, i)->id) == 0 &&
               fabs(lsx_results_hit(p, i)->score - lsx_results_hit(w, i)->score) < 1e-9;
    check(same, "... finding what the other shards alone find (total, ids, scores)");
    lsx_results_free(w);
    lsx_results_free(p);
    p = run(partial, text, LSX_SORT_RELEVANCE, 10, 1);
    check(p && lsx_results_missing_count(p) == 1, "a later search leaves the shard out again, and says so");
    lsx_results_free(p);
out:
    lsx_db_free(strict);
    lsx_db_free(partial);
    lsx_db_free(others);
    printf("1..%d\n", n_tests);
    return n_failed ? 1 : 0;
}

static uint64_t doc_count(lsx_db *db)
{
    lsx_db_stats st = LSX_DB_STATS_INIT;
    return lsx_db_stats_get(db, &st) == LSX_OK ? st.documents : (uint64_t)-1;
}

static int follow(char **argv)
{
    lsx_db *db = NULL;
    int commits = atoi(argv[3]);
    check(lsx_db_open(&db, argv[2], LSX_DB_READONLY, NULL) == LSX_OK, "the replica opens");
    for (int i = 1; i <= commits && db; i++) {
        char cmd[4096];
        snprintf(cmd, sizeof cmd, "%s %d", argv[4], i);
        FILE *p = popen(cmd, "r");
        unsigned long long want = 0;
        int got = p && fscanf(p, "%llu", &want) == 1;
        if (p)
            pclose(p);
        uint64_t before = doc_count(db);
        char old[600];
        snprintf(old, sizeof old, "%s", lsx_db_errmsg(db));
        int rc = lsx_db_reopen(db);
        uint64_t after = doc_count(db);
        if (before == (uint64_t)-1)
            printf("# commit %d: master %llu documents; the reader's old view: %s; after reopening %llu\n", i, want,
                   old, (unsigned long long)after);
        else
            printf("# commit %d: master %llu documents; the reader saw %llu, after reopening %llu\n", i, want,
                   (unsigned long long)before, (unsigned long long)after);
        check(got && rc == LSX_OK && after == want, "after a commit and a replication, the reopened reader "
                                                    "sees the master's documents");
    }
    lsx_db_free(db);
    printf("1..%d\n", n_tests);
    return n_failed ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "--follow") == 0)
        return follow(argv);
    if (argc == 8 && strcmp(argv[1], "--fault") == 0)
        return fault(argv);
    if (argc < 5) {
        fprintf(stderr, "usage: shard-check LABEL DB-A DB-B QUERY...\n");
        return 2;
    }
    lsx_db *da = NULL, *db = NULL;
    if (lsx_db_open(&da, argv[2], LSX_DB_READONLY, NULL) != LSX_OK ||
        lsx_db_open(&db, argv[3], LSX_DB_READONLY, NULL) != LSX_OK) {
        printf("Bail out! cannot open %s or %s: %s %s\n", argv[2], argv[3], lsx_db_errmsg(da), lsx_db_errmsg(db));
        return 1;
    }
    for (int i = 4; i < argc; i++) {
        compare(argv[1], da, db, argv[i], LSX_SORT_RELEVANCE);
        compare(argv[1], da, db, argv[i], LSX_SORT_NEWEST);
        compare(argv[1], da, db, argv[i], LSX_SORT_OLDEST);
    }
    lsx_db_free(da);
    lsx_db_free(db);
    printf("1..%d\n", n_tests);
    return n_failed ? 1 : 0;
}

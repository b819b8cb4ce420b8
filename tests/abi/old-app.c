/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * old-app.c - an application built against an older libsearch.h (the
 * include path chooses which), run with the current library.  It uses every
 * struct the caller allocates, at the layout of that header, and checks
 * that the library reads and writes them as that header laid them out:
 * nothing is written past the caller's lsx_db_stats, and options of the
 * older version give the results the current defaults give.
 *
 *   old-app DIR   (a scratch directory; exits 0 if every check passed)
 */
#include <libsearch.h>

#include <stdio.h>
#include <string.h>

static int failures;

static void check(int cond, const char *what)
{
    printf("%s - %s\n", cond ? "ok" : "not ok", what);
    failures += !cond;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: old-app DIR\n");
        return 2;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/old-app.db", argv[1]);
    printf("# built against libsearch.h %s, running with libsearch %s\n", LSX_VERSION_STRING, lsx_version());

    lsx_db_options dbo = LSX_DB_OPTIONS_INIT;
    dbo.batch_size = 1;
    lsx_db *db = NULL;
    int rc = lsx_db_open(&db, path, LSX_DB_WRITABLE | LSX_DB_CREATE, &dbo);
    check(rc == LSX_OK, "lsx_db_open with this header's lsx_db_options");
    if (rc != LSX_OK) {
        printf("# %s\n", lsx_db_errmsg(db));
        lsx_db_free(db);
        return 1;
    }

    lsx_indexer_options io = LSX_INDEXER_OPTIONS_INIT;
    io.threads = 1;
    lsx_indexer *ix = NULL;
    rc = lsx_indexer_new(&ix, db, &io);
    check(rc == LSX_OK, "lsx_indexer_new with this header's lsx_indexer_options");
    static const char *const bodies[][4] = {
        {"a1", "Floods close roads in central Vietnam", "2023-10-14", "Heavy rain in Đà Nẵng flooded roads."},
        {"a2", "ASEAN ministers meet in Jakarta", "2023-09-05", "Ministers of ASEAN met in Jakarta on trade."},
        {"a3", "Mưa lớn ở Đà Nẵng", "2023-10-15", "Mưa lớn khiến nhiều tuyến đường ở Đà Nẵng bị ngập."},
    };
    for (size_t i = 0; rc == LSX_OK && i < 3; i++) {
        lsx_article a = LSX_ARTICLE_INIT;
        a.id = bodies[i][0];
        a.title = bodies[i][1];
        a.date = bodies[i][2];
        a.body = bodies[i][3];
        rc = lsx_indexer_add(ix, &a);
    }
    if (rc == LSX_OK)
        rc = lsx_indexer_finish(ix);
    check(rc == LSX_OK, "three articles of this header's lsx_article indexed");
    lsx_indexer_free(ix);

    /* Stats: guard bytes after the caller's struct stay untouched. */
    union {
        lsx_db_stats st;
        unsigned char bytes[sizeof(lsx_db_stats) + 64];
    } g;
    memset(&g, 0x5A, sizeof g);
    lsx_db_stats init = LSX_DB_STATS_INIT;
    memcpy(&g.st, &init, sizeof init);
    rc = lsx_db_stats_get(db, &g.st);
    size_t touched = 0;
    for (size_t i = sizeof(lsx_db_stats); i < sizeof g.bytes; i++)
        touched += g.bytes[i] != 0x5A;
    check(rc == LSX_OK && g.st.documents == 3 && g.st.size == sizeof(lsx_db_stats), "lsx_db_stats_get fills this header's struct");
    check(touched == 0, "nothing written past this header's lsx_db_stats");
    check(strcmp(g.st.first_date, "2023-09-05") == 0 && strcmp(g.st.last_date, "2023-10-15") == 0,
          "its dates are where this header has them");

    /* Search options of this header's version: the library's defaults apply
     * to everything the version does not have. */
    lsx_query *q = NULL;
    rc = lsx_query_parse(&q, "da nang");
    lsx_search_options so = LSX_SEARCH_OPTIONS_INIT;
    const char *facets[] = {"date:month"};
    so.facets = facets;
    so.nfacets = 1;
    lsx_results *res = NULL, *res2 = NULL;
    if (rc == LSX_OK)
        rc = lsx_search(db, q, &so, &res);
    check(rc == LSX_OK && lsx_results_count(res) == 2, "lsx_search with this header's options finds both Đà Nẵng articles");
    lsx_search_options so2;
    lsx_search_options_init(&so2, LSX_SEARCH_OPTIONS_VERSION);
    so2.facets = facets;
    so2.nfacets = 1;
    if (rc == LSX_OK)
        rc = lsx_search(db, q, &so2, &res2);
    check(rc == LSX_OK && res && res2 && lsx_results_count(res) == lsx_results_count(res2) &&
          lsx_results_count(res) > 0 && lsx_results_hit(res, 0)->score == lsx_results_hit(res2, 0)->score &&
          strcmp(lsx_results_hit(res, 0)->id, lsx_results_hit(res2, 0)->id) == 0,
          "the same ranking as the library's own defaults");
    const lsx_facet *f = res ? lsx_results_facet(res, 0) : NULL;
    const lsx_facet_value *v = f ? lsx_facet_value_at(f, 0) : NULL;
    check(f && f->nvalues == 1 && v && strcmp(v->value, "2023-10") == 0 && v->count == 2,
          "facet values through lsx_facet_value_at");
    lsx_results_free(res);
    lsx_results_free(res2);
    lsx_query_free(q);

    /* Evaluation options of this header's version. */
    lsx_qrels *qr = NULL;
    lsx_run *run = NULL;
    lsx_eval *ev = NULL;
    lsx_compare *cmp = NULL;
    rc = lsx_qrels_new(&qr);
    if (rc == LSX_OK)
        rc = lsx_qrels_add(qr, "1", "a1", 1);
    if (rc == LSX_OK)
        rc = lsx_run_new(&run, "old");
    if (rc == LSX_OK)
        rc = lsx_run_add(run, "1", "a1", 2.0);
    lsx_eval_options eo = LSX_EVAL_OPTIONS_INIT;
    const char *m[] = {"map"};
    eo.measures = m;
    eo.nmeasures = 1;
    double map = -1;
    if (rc == LSX_OK)
        rc = lsx_evaluate(qr, run, &eo, &ev);
    if (rc == LSX_OK)
        rc = lsx_eval_value(ev, "map", NULL, &map);
    check(rc == LSX_OK && map == 1.0, "lsx_evaluate with this header's lsx_eval_options");
    lsx_compare_options co = LSX_COMPARE_OPTIONS_INIT;
    if (rc == LSX_OK)
        rc = lsx_eval_compare(ev, ev, &co, &cmp);
    check(rc == LSX_OK && lsx_compare_count(cmp) == 1, "lsx_eval_compare with this header's lsx_compare_options");
    lsx_compare_free(cmp);
    lsx_eval_free(ev);
    lsx_run_free(run);
    lsx_qrels_free(qr);
    lsx_db_free(db);
    printf("# %d failure%s\n", failures, failures == 1 ? "" : "s");
    return failures ? 1 : 0;
}

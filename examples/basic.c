/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * basic.c - create an index, add two articles, search it.
 *
 *   cc basic.c $(pkg-config --cflags --libs libsearch) -o basic
 *   ./basic /tmp/example.db
 */
#include <libsearch.h>

#include <stdio.h>

static int fail(const char *what, const char *msg)
{
    fprintf(stderr, "basic: %s: %s\n", what, msg);
    return 1;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "example.db";

    lsx_db *db;
    if (lsx_db_open(&db, path, LSX_DB_WRITABLE | LSX_DB_CREATE, NULL) != LSX_OK) {
        int rc = fail(path, lsx_db_errmsg(db));
        lsx_db_free(db);
        return rc;
    }

    lsx_article a = LSX_ARTICLE_INIT;
    a.id = "floods-2023";
    a.title = "Floods close roads in central Vietnam";
    a.date = "2023-10-14";
    a.body = "Heavy rain in Đà Nẵng and Huế flooded roads on Saturday.";
    lsx_article b = LSX_ARTICLE_INIT;
    b.id = "lu-lut-2023";
    b.title = "Mưa lớn gây ngập ở Đà Nẵng";
    b.date = "2023-10-14";
    b.body = "Mưa lớn kéo dài khiến nhiều tuyến đường ở Đà Nẵng bị ngập.";
    if (lsx_db_add(db, &a, NULL) != LSX_OK || lsx_db_add(db, &b, NULL) != LSX_OK ||
        lsx_db_commit(db) != LSX_OK) {
        int rc = fail("indexing", lsx_db_errmsg(db));
        lsx_db_free(db);
        return rc;
    }

    /* Diacritics are optional in queries: "da nang" finds "Đà Nẵng". */
    lsx_query *q;
    if (lsx_query_parse(&q, "da nang") != LSX_OK) {
        int rc = fail("query", lsx_query_errmsg(q));
        lsx_query_free(q);
        lsx_db_free(db);
        return rc;
    }
    lsx_search_options opts = LSX_SEARCH_OPTIONS_INIT;
    opts.hl_start = "[";
    opts.hl_end = "]";
    lsx_results *res;
    if (lsx_search(db, q, &opts, &res) != LSX_OK) {
        int rc = fail("search", lsx_db_errmsg(db));
        lsx_query_free(q);
        lsx_db_free(db);
        return rc;
    }
    for (size_t i = 0; i < lsx_results_count(res); i++) {
        const lsx_hit *h = lsx_results_hit(res, i);
        printf("%zu. %s (%s, %s) %.3f\n   %s\n", h->rank, h->title, h->id, h->lang, h->score, h->snippet);
    }
    int found = lsx_results_count(res) > 0;
    lsx_results_free(res);
    lsx_query_free(q);
    lsx_db_free(db);
    return found ? 0 : 1;
}

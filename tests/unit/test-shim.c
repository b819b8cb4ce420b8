/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-shim.c - the Xapian C shim: databases, documents, queries, ranking,
 * facets, relevance feedback, and that errors come back as status codes.
 */
#include "libsearch.h"
#include "xapian/shim.h"
#include "tap.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ERRLEN 512

/* Check a status; on a mismatch show the shim's message. */
#define is_rc(got, want, err, ...) \
    do { if (!is_int((got), (want), __VA_ARGS__)) printf("#   message: %s\n", (err)); } while (0)

/* ---- corpus helpers ------------------------------------------------------ */

/* Add (or replace) a document: space-separated words at positions 1.., the
 * id term "Q<id>", optional boolean terms (space-separated), value slots 0
 * and 1, and data "data:<id>". */
static int put_doc(xs_db *db, const char *id, const char *text, const char *booleans,
                   const char *v0, const char *v1, int *existed, char *err)
{
    xs_doc *doc = NULL;
    int rc = xs_doc_new(&doc, err, ERRLEN);
    if (rc)
        return rc;
    char buf[1024];
    unsigned pos = 1;
    snprintf(buf, sizeof buf, "%s", text);
    for (char *save = NULL, *w = strtok_r(buf, " ", &save); w && !rc; w = strtok_r(NULL, " ", &save))
        rc = xs_doc_add_posting(doc, w, strlen(w), pos++, 1, err, ERRLEN);
    if (booleans && !rc) {
        snprintf(buf, sizeof buf, "%s", booleans);
        for (char *save = NULL, *w = strtok_r(buf, " ", &save); w && !rc; w = strtok_r(NULL, " ", &save))
            rc = xs_doc_add_boolean(doc, w, strlen(w), err, ERRLEN);
    }
    if (v0 && !rc)
        rc = xs_doc_set_value(doc, 0, v0, strlen(v0), err, ERRLEN);
    if (v1 && !rc)
        rc = xs_doc_set_value(doc, 1, v1, strlen(v1), err, ERRLEN);
    char idterm[256], data[256];
    snprintf(idterm, sizeof idterm, "Q%s", id);
    snprintf(data, sizeof data, "data:%s", id);
    if (!rc)
        rc = xs_doc_set_data(doc, data, strlen(data), err, ERRLEN);
    /* The id term is deliberately not added here: xs_db_replace adds it. */
    if (!rc)
        rc = xs_db_replace(db, idterm, strlen(idterm), doc, existed, err, ERRLEN);
    xs_doc_free(doc);
    return rc;
}

static xs_db *mem_db(char *err)
{
    xs_db *db = NULL;
    int rc = xs_db_open(&db, NULL, XS_OPEN_INMEMORY, err, ERRLEN);
    if (rc)
        printf("# in-memory open failed: %s\n", err);
    return db;
}

static xs_query *term(const char *t)
{
    return xs_query_term(t, strlen(t), 1);
}

static xs_query *combine2(xs_op op, xs_query *a, xs_query *b, unsigned window)
{
    xs_query *subs[2] = { a, b };
    xs_query *q = xs_query_combine(op, subs, 2, window);
    xs_query_free(a);
    xs_query_free(b);
    return q;
}

static xs_search_params params(unsigned maxitems, unsigned checkatleast)
{
    xs_search_params p = { 0, maxitems, checkatleast, 1.2, 0.75, NULL, 0, 0, NULL, 0, 0 };
    return p;
}

/* Run q and return the number of hits on the page (or -1 on error); the
 * mset is returned through *out when out is not NULL. */
static long run(xs_db *db, const xs_query *q, const xs_search_params *p, xs_mset **out, char *err)
{
    xs_mset *m = NULL;
    int rc = xs_search(db, q, p, &m, err, ERRLEN);
    if (rc) {
        printf("# search failed (%d): %s\n", rc, err);
        return -1;
    }
    long n = (long)xs_mset_size(m);
    if (out)
        *out = m;
    else
        xs_mset_free(m);
    return n;
}

/* The id ("data:<id>" minus the prefix) of hit i, in buf. */
static const char *hit_id(xs_mset *m, size_t i, char *buf, size_t cap, double *weight)
{
    char *data = NULL;
    size_t dlen = 0;
    uint32_t did = 0;
    char err[ERRLEN];
    buf[0] = '\0';
    if (xs_mset_hit(m, i, &did, weight, &data, &dlen, err, ERRLEN) == LSX_OK && data) {
        snprintf(buf, cap, "%s", strncmp(data, "data:", 5) == 0 ? data + 5 : data);
        free(data);
    }
    return buf;
}

/* ---- temporary directory ------------------------------------------------- */

/* Remove a directory tree (Xapian databases are flat, but be general). */
static void rm_tree(const char *path)
{
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char sub[4096];
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            struct stat st;
            if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
                rm_tree(sub);
            else
                unlink(sub);
        }
        closedir(d);
    }
    rmdir(path);
}

/* ---- tests --------------------------------------------------------------- */

static void test_open_errors(const char *dir)
{
    char err[ERRLEN], path[4096];
    xs_db *db = (xs_db *)&db;   /* must be reset to NULL on failure */
    snprintf(path, sizeof path, "%s/missing", dir);
    int rc = xs_db_open(&db, path, XS_OPEN_READ, err, ERRLEN);
    is_int(rc, LSX_ENOTFOUND, "read-only open of a missing path: ENOTFOUND");
    ok(db == NULL, "no handle on failure");
    ok(strstr(err, "no database at") && strstr(err, path), "message names the path: %s", err);

    rc = xs_db_open(&db, path, XS_OPEN_WRITE, err, ERRLEN);
    is_int(rc, LSX_ENOTFOUND, "writable open without CREATE of a missing path: ENOTFOUND");

    /* An existing directory with no database in it. */
    rc = xs_db_open(&db, dir, XS_OPEN_READ, err, ERRLEN);
    is_int(rc, LSX_ENOTFOUND, "directory without a database: ENOTFOUND (%s)", err);

    rc = xs_db_open(&db, "", XS_OPEN_READ, err, ERRLEN);
    is_int(rc, LSX_EINVAL, "empty path: EINVAL");

    /* Creating under a path that can't exist is an I/O error, not a crash. */
    snprintf(path, sizeof path, "%s/no/such/parent/db", dir);
    rc = xs_db_open(&db, path, XS_OPEN_WRITE | XS_OPEN_CREATE, err, ERRLEN);
    ok(rc < 0 && db == NULL, "create under a missing parent fails (%d: %s)", rc, err);

    /* A tiny error buffer is truncated, still NUL-terminated; NULL is fine. */
    char small[8];
    memset(small, 'x', sizeof small);
    snprintf(path, sizeof path, "%s/missing", dir);
    rc = xs_db_open(&db, path, XS_OPEN_READ, small, sizeof small);
    ok(rc == LSX_ENOTFOUND && memchr(small, '\0', sizeof small) && strlen(small) == 7,
       "message truncated to the buffer: '%s'", small);
    rc = xs_db_open(&db, path, XS_OPEN_READ, NULL, 0);
    is_int(rc, LSX_ENOTFOUND, "NULL error buffer is accepted");
}

static void test_disk(const char *dir)
{
    char err[ERRLEN], path[4096], cpath[4096];
    snprintf(path, sizeof path, "%s/db", dir);
    snprintf(cpath, sizeof cpath, "%s/compact", dir);

    xs_db *w = NULL;
    int rc = xs_db_open(&w, path, XS_OPEN_WRITE | XS_OPEN_CREATE, err, ERRLEN);
    is_rc(rc, LSX_OK, err, "create an on-disk database");
    if (rc)
        return;
    ok(xs_db_is_writable(w), "writer is writable");

    /* Xapian's lock is per open, so a second writer in this process is refused. */
    xs_db *w2 = NULL;
    rc = xs_db_open(&w2, path, XS_OPEN_WRITE, err, ERRLEN);
    is_rc(rc, LSX_ELOCKED, err, "second writer: ELOCKED");
    ok(strstr(err, "DatabaseLockError") != NULL, "lock message from Xapian: %s", err);
    ok(w2 == NULL, "no second writer handle");

    int existed = -1;
    rc = put_doc(w, "a", "alpha beta gamma", "Len", NULL, NULL, &existed, err);
    is_rc(rc, LSX_OK, err, "add document a");
    is_int(existed, 0, "a did not exist");
    rc = put_doc(w, "b", "beta delta", "Len", NULL, NULL, &existed, err);
    is_rc(rc, LSX_OK, err, "add document b");
    rc = put_doc(w, "a", "alpha epsilon", "Lvi", NULL, NULL, &existed, err);
    is_rc(rc, LSX_OK, err, "replace document a");
    is_int(existed, 1, "a existed");

    uint64_t n = 0, tf = 0;
    xs_db_doccount(w, &n, err, ERRLEN);
    is_int(n, 2, "replace did not add a document");
    xs_db_termfreq(w, "gamma", 5, &tf, err, ERRLEN);
    is_int(tf, 0, "the old version's terms are gone");
    xs_db_termfreq(w, "epsilon", 7, &tf, err, ERRLEN);
    is_int(tf, 1, "the new version's terms are there");

    char *data = NULL;
    size_t dlen = 0;
    rc = xs_db_get_data(w, "Qa", 2, &data, &dlen, err, ERRLEN);
    is_rc(rc, LSX_OK, err, "get_data by id term");
    is_str(data, "data:a", "stored data");
    is_int(dlen, 6, "data length");
    free(data);
    rc = xs_db_get_data(w, "Qzz", 3, &data, &dlen, err, ERRLEN);
    is_int(rc, LSX_ENOTFOUND, "get_data of a missing id: ENOTFOUND");
    ok(data == NULL, "no data for a missing id");

    rc = xs_db_delete(w, "Qb", 2, err, ERRLEN);
    is_rc(rc, LSX_OK, err, "delete b");
    rc = xs_db_delete(w, "Qb", 2, err, ERRLEN);
    is_int(rc, LSX_ENOTFOUND, "deleting b again: ENOTFOUND");
    ok(strstr(err, "Qb") != NULL, "message names the id term: %s", err);

    rc = xs_db_set_metadata(w, "libsearch.schema", "1", 1, err, ERRLEN);
    is_rc(rc, LSX_OK, err, "set metadata");
    rc = xs_db_commit(w, err, ERRLEN);
    is_rc(rc, LSX_OK, err, "commit");

    /* A reader sees the last commit, and later ones only after reopen. */
    xs_db *r = NULL;
    rc = xs_db_open(&r, path, XS_OPEN_READ, err, ERRLEN);
    is_rc(rc, LSX_OK, err, "open a reader beside the writer");
    if (rc) {
        xs_db_free(w);
        return;
    }
    ok(!xs_db_is_writable(r), "reader is not writable");
    xs_db_doccount(r, &n, err, ERRLEN);
    is_int(n, 1, "reader sees the committed document");

    char *meta = NULL;
    size_t mlen = 0;
    rc = xs_db_get_metadata(r, "libsearch.schema", &meta, &mlen, err, ERRLEN);
    is_rc(rc, LSX_OK, err, "get metadata");
    is_str(meta, "1", "metadata value persisted");
    is_int(mlen, 1, "metadata length");
    free(meta);
    rc = xs_db_get_metadata(r, "no.such.key", &meta, &mlen, err, ERRLEN);
    ok(rc == LSX_OK && meta == NULL && mlen == 0, "missing metadata key gives NULL");

    /* Transactions: cancel drops, commit keeps. */
    rc = xs_db_begin(w, err, ERRLEN);
    is_rc(rc, LSX_OK, err, "begin transaction");
    is_int(xs_db_begin(w, err, ERRLEN), LSX_EINVAL, "nested begin: EINVAL");
    is_int(xs_db_commit(w, err, ERRLEN), LSX_EINVAL, "plain commit inside a transaction: EINVAL");
    put_doc(w, "t1", "cancelled words", NULL, NULL, NULL, NULL, err);
    rc = xs_db_cancel_transaction(w, err, ERRLEN);
    is_rc(rc, LSX_OK, err, "cancel transaction");
    xs_db_termfreq(w, "Qt1", 3, &tf, err, ERRLEN);
    is_int(tf, 0, "cancelled document is gone");
    is_int(xs_db_cancel_transaction(w, err, ERRLEN), LSX_EINVAL, "cancel without a transaction: EINVAL");
    is_int(xs_db_commit_transaction(w, err, ERRLEN), LSX_EINVAL, "commit without a transaction: EINVAL");

    xs_db_begin(w, err, ERRLEN);
    put_doc(w, "t2", "committed words", NULL, NULL, NULL, NULL, err);
    rc = xs_db_commit_transaction(w, err, ERRLEN);
    is_rc(rc, LSX_OK, err, "commit transaction");
    xs_db_doccount(r, &n, err, ERRLEN);
    is_int(n, 1, "reader still sees its snapshot");
    rc = xs_db_reopen(r, err, ERRLEN);
    is_rc(rc, LSX_OK, err, "reopen reader");
    xs_db_doccount(r, &n, err, ERRLEN);
    is_int(n, 2, "reopened reader sees the transaction");

    /* Closing the writer commits both an open transaction and plain pending writes. */
    put_doc(w, "t3", "pending outside", NULL, NULL, NULL, NULL, err);
    xs_db_begin(w, err, ERRLEN);
    put_doc(w, "t4", "pending inside", NULL, NULL, NULL, NULL, err);
    xs_db_free(w);
    w = NULL;
    xs_db_reopen(r, err, ERRLEN);
    xs_db_termfreq(r, "Qt3", 3, &tf, err, ERRLEN);
    is_int(tf, 1, "free committed pending writes");
    xs_db_termfreq(r, "Qt4", 3, &tf, err, ERRLEN);
    is_int(tf, 1, "free committed the open transaction");

    /* The lock went with the writer. */
    rc = xs_db_open(&w, path, XS_OPEN_WRITE | XS_OPEN_WAIT_LOCK, err, ERRLEN);
    is_rc(rc, LSX_OK, err, "a new writer gets the lock after free");
    xs_db_free(w);

    /* Writes on a reader are refused with a status, never an abort. */
    xs_doc *doc = NULL;
    xs_doc_new(&doc, err, ERRLEN);
    xs_doc_add_term(doc, "x", 1, 1, err, ERRLEN);
    is_int(xs_db_replace(r, "Qx", 2, doc, NULL, err, ERRLEN), LSX_EREADONLY, "replace on a reader: EREADONLY");
    is_int(xs_db_delete(r, "Qa", 2, err, ERRLEN), LSX_EREADONLY, "delete on a reader: EREADONLY");
    is_int(xs_db_set_metadata(r, "k", "v", 1, err, ERRLEN), LSX_EREADONLY, "set_metadata on a reader: EREADONLY");
    is_int(xs_db_commit(r, err, ERRLEN), LSX_EREADONLY, "commit on a reader: EREADONLY");
    is_int(xs_db_begin(r, err, ERRLEN), LSX_EREADONLY, "begin on a reader: EREADONLY");
    xs_doc_free(doc);

    /* Compact: the copy opens and holds the same documents. */
    uint64_t before = 0, after = 0;
    xs_db_doccount(r, &before, err, ERRLEN);
    rc = xs_db_compact(r, cpath, err, ERRLEN);
    is_rc(rc, LSX_OK, err, "compact");
    xs_db *c = NULL;
    rc = xs_db_open(&c, cpath, XS_OPEN_READ, err, ERRLEN);
    is_rc(rc, LSX_OK, err, "compacted copy opens");
    if (c) {
        xs_db_doccount(c, &after, err, ERRLEN);
        is_int(after, before, "compacted copy has the same doccount (%llu)", (unsigned long long)before);
        rc = xs_db_get_data(c, "Qt2", 3, &data, &dlen, err, ERRLEN);
        ok(rc == LSX_OK && data && !strcmp(data, "data:t2"), "compacted copy has the data");
        free(data);
        xs_db_free(c);
    }
    xs_db_free(r);
}

static void test_memory_basics(void)
{
    char err[ERRLEN];
    xs_db *db = mem_db(err);
    ok(db != NULL, "open an in-memory database");
    if (!db)
        return;
    ok(xs_db_is_writable(db), "in-memory database is writable");
    int existed = -1;
    is_rc(put_doc(db, "m1", "one two", NULL, NULL, NULL, &existed, err), LSX_OK, err, "add in memory");
    is_int(existed, 0, "new in memory");
    is_rc(put_doc(db, "m1", "three", NULL, NULL, NULL, &existed, err), LSX_OK, err, "replace in memory");
    is_int(existed, 1, "existed in memory");

    /* No transactions in this backend: begin/commit are accepted, cancel says so. */
    is_rc(xs_db_begin(db, err, ERRLEN), LSX_OK, err, "in-memory begin");
    put_doc(db, "m2", "four", NULL, NULL, NULL, NULL, err);
    is_rc(xs_db_commit_transaction(db, err, ERRLEN), LSX_OK, err, "in-memory commit_transaction");
    xs_db_begin(db, err, ERRLEN);
    is_int(xs_db_cancel_transaction(db, err, ERRLEN), LSX_EUNSUPPORTED, "in-memory cancel: EUNSUPPORTED");
    is_rc(xs_db_commit(db, err, ERRLEN), LSX_OK, err, "in-memory commit");
    uint64_t n = 0;
    xs_db_doccount(db, &n, err, ERRLEN);
    is_int(n, 2, "two documents in memory");
    is_int(xs_db_compact(db, "/tmp/never-made", err, ERRLEN), LSX_EUNSUPPORTED, "compact in memory: EUNSUPPORTED");

    /* Metadata in memory. */
    char *meta = NULL;
    size_t mlen = 0;
    xs_db_set_metadata(db, "k", "v\0w", 3, err, ERRLEN);
    xs_db_get_metadata(db, "k", &meta, &mlen, err, ERRLEN);
    ok(meta && mlen == 3 && !memcmp(meta, "v\0w", 3), "metadata keeps embedded NULs");
    free(meta);
    is_int(xs_db_set_metadata(db, "", "v", 1, err, ERRLEN), LSX_EINVAL, "empty metadata key: EINVAL (%s)", err);

    /* Bad terms come back as EINVAL with Xapian's message. */
    xs_doc *doc = NULL;
    xs_doc_new(&doc, err, ERRLEN);
    is_int(xs_doc_add_term(doc, "", 0, 1, err, ERRLEN), LSX_EINVAL, "empty term: EINVAL");
    ok(strstr(err, "InvalidArgumentError") != NULL, "message has Xapian's type: %s", err);
    xs_doc_free(doc);
    is_int(xs_db_replace(db, "", 0, NULL, NULL, err, ERRLEN), LSX_EINVAL, "replace without a document: EINVAL");
    xs_db_free(db);
}

static void test_null_safety(void)
{
    char err[ERRLEN];
    uint64_t n;
    is_int(xs_db_doccount(NULL, &n, err, ERRLEN), LSX_EINVAL, "NULL db: EINVAL");
    is_int(xs_db_commit(NULL, err, ERRLEN), LSX_EINVAL, "commit NULL db: EINVAL");
    xs_search_params p = params(10, 0);
    xs_mset *m = (xs_mset *)&m;
    is_int(xs_search(NULL, NULL, &p, &m, err, ERRLEN), LSX_EINVAL, "search without db/query: EINVAL");
    ok(m == NULL, "no mset on error");
    is_int(xs_mset_size(NULL), 0, "size of NULL mset");
    ok(xs_mset_facet_value(NULL, 0, 0, NULL, NULL, NULL) == LSX_EINVAL, "facet of NULL mset: EINVAL");
    xs_db_free(NULL);
    xs_doc_free(NULL);
    xs_query_free(NULL);
    xs_mset_free(NULL);
    xs_terms_free(NULL, NULL, 0);
    ok(xs_query_scale(NULL, 1.0) == NULL, "scale of NULL query is NULL");
    ok(1, "freeing NULL handles is harmless");
}

/* 40 documents with known terms, dates, languages and entities. */
#define NDOCS 40
static int build_corpus(xs_db *db, char *err)
{
    for (int i = 0; i < NDOCS; i++) {
        char id[16], text[128], bools[64], date[16], ents[64];
        snprintf(id, sizeof id, "d%02d", i);
        snprintf(text, sizeof text, "common %s%s", i % 2 == 0 ? "even" : "odd", i % 5 == 0 ? " five" : "");
        snprintf(bools, sizeof bools, "%s", i % 3 == 0 ? "Lvi" : "Len");
        snprintf(date, sizeof date, "2022010%d", i % 3 + 1);
        /* Odd documents list pAlice twice: it must still count once. */
        snprintf(ents, sizeof ents, "%s%s", i % 2 == 0 ? "pAlice\nlHanoi\n" : "pAlice\npAlice\n",
                 i % 4 == 0 ? "oUN\n" : "");
        int rc = put_doc(db, id, text, bools, date, ents, NULL, err);
        if (rc)
            return rc;
    }
    return LSX_OK;
}

static int facet_is(xs_mset *m, size_t k, size_t j, const char *want, uint64_t count)
{
    const char *v = NULL;
    size_t len = 0;
    uint64_t c = 0;
    if (xs_mset_facet_value(m, k, j, &v, &len, &c) != LSX_OK)
        return 0;
    return len == strlen(want) && !memcmp(v, want, len) && c == count;
}

static void test_facets_and_ranges(void)
{
    char err[ERRLEN];
    xs_db *db = mem_db(err);
    if (!db)
        return;
    is_rc(build_corpus(db, err), LSX_OK, err, "build 40-document corpus");
    uint64_t n = 0, tf = 0;
    xs_db_doccount(db, &n, err, ERRLEN);
    is_int(n, NDOCS, "doccount");
    xs_db_termfreq(db, "even", 4, &tf, err, ERRLEN);
    is_int(tf, 20, "termfreq");
    double avg = 0;
    xs_db_avglength(db, &avg, err, ERRLEN);
    ok(avg > 2.0 && avg < 3.0, "average length %g in (2, 3)", avg);

    /* Vocabulary walks. */
    is_rc(xs_db_count_terms(db, "L", 1, &n, err, ERRLEN), LSX_OK, err, "count_terms L");
    is_int(n, 2, "two language terms");
    xs_db_count_terms(db, "Q", 1, &n, err, ERRLEN);
    is_int(n, NDOCS, "one id term per document");
    xs_db_count_terms(db, NULL, 0, &n, err, ERRLEN);
    is_int(n, 4 + 2 + NDOCS, "whole vocabulary: 4 words, 2 languages, %d ids", NDOCS);
    char first[16], last[16];
    int found = -1;
    is_rc(xs_db_term_range(db, "Q", 1, first, last, sizeof first, &found, err, ERRLEN), LSX_OK, err, "term_range Q");
    ok(found == 1 && !strcmp(first, "Qd00") && !strcmp(last, "Qd39"), "range Qd00..Qd39 (%s..%s)", first, last);
    xs_db_term_range(db, "Z", 1, first, last, sizeof first, &found, err, ERRLEN);
    ok(found == 0 && first[0] == '\0' && last[0] == '\0', "no Z terms");
    char tiny[3];
    xs_db_term_range(db, "Q", 1, tiny, last, sizeof tiny, &found, err, ERRLEN);
    is_str(tiny, "Qd", "term truncated to cap-1 bytes");

    /* Facets over a match set (20 docs) bigger than the page (5). */
    xs_facet_spec specs[2] = { { .slot = 0, .multi = 0 }, { .slot = 1, .multi = 1 } };
    xs_search_params p = params(5, NDOCS);
    p.facets = specs;
    p.nfacets = 2;
    xs_query *q = term("even");
    xs_mset *m = NULL;
    is_int(run(db, q, &p, &m, err), 5, "page of 5");
    if (m) {
        ok(xs_mset_matches_lower(m) == 20 && xs_mset_matches_upper(m) == 20 &&
           xs_mset_matches_estimated(m) == 20, "exact match count 20");
        is_int(xs_mset_facet_size(m, 0), 3, "three dates");
        ok(facet_is(m, 0, 0, "20220101", 7) && facet_is(m, 0, 1, "20220102", 6) &&
           facet_is(m, 0, 2, "20220103", 7), "date counts 7/6/7 in byte order");
        is_int(xs_mset_facet_size(m, 1), 3, "three entities");
        ok(facet_is(m, 1, 0, "lHanoi", 20) && facet_is(m, 1, 1, "oUN", 10) && facet_is(m, 1, 2, "pAlice", 20),
           "entity counts lHanoi 20, oUN 10, pAlice 20");
        is_int(xs_mset_facet_size(m, 2), 0, "no third facet");
        ok(xs_mset_facet_value(m, 1, 3, NULL, NULL, NULL) == LSX_EINVAL, "facet value out of range: EINVAL");
        xs_mset_free(m);
    }
    xs_query_free(q);

    q = term("odd");
    p.maxitems = 3;
    m = NULL;
    run(db, q, &p, &m, err);
    if (m) {
        is_int(xs_mset_facet_size(m, 1), 1, "odd documents have only pAlice");
        ok(facet_is(m, 1, 0, "pAlice", 20), "listed twice per document, counted once: 20");
        xs_mset_free(m);
    }
    xs_query_free(q);

    /* Value ranges, closed and open. */
    p = params(NDOCS, NDOCS);
    q = xs_query_value_range(0, "20220102", "20220103");
    is_int(run(db, q, &p, NULL, err), 26, "value range [0102, 0103]: 26");
    xs_query_free(q);
    q = xs_query_value_range(0, "20220102", "");
    is_int(run(db, q, &p, NULL, err), 26, "open upper end: 26");
    xs_query_free(q);
    q = xs_query_value_range(0, NULL, "20220101");
    is_int(run(db, q, &p, NULL, err), 14, "open lower end: 14");
    xs_query_free(q);
    q = xs_query_value_range(0, "20220102", "20220102");
    is_int(run(db, q, &p, NULL, err), 13, "single day: 13");
    xs_query_free(q);
    q = xs_query_value_range(0, NULL, NULL);
    is_int(run(db, q, &p, NULL, err), NDOCS, "no ends: everything");
    xs_query_free(q);

    /* A boolean filter narrows the set without changing any score. */
    xs_query *plain = combine2(XS_OP_OR, term("common"), term("five"), 0);
    xs_query *filtered = combine2(XS_OP_FILTER, combine2(XS_OP_OR, term("common"), term("five"), 0),
                                  term("Lvi"), 0);
    xs_mset *mp = NULL, *mf = NULL;
    run(db, plain, &p, &mp, err);
    is_int(run(db, filtered, &p, &mf, err), 14, "filter keeps the 14 vi documents");
    int same = mp && mf && xs_mset_size(mf) > 0;
    for (size_t i = 0; same && i < xs_mset_size(mf); i++) {
        uint32_t did, did2;
        double wf, wp;
        xs_mset_hit(mf, i, &did, &wf, NULL, NULL, err, ERRLEN);
        int seen = 0;
        for (size_t j = 0; j < xs_mset_size(mp); j++) {
            xs_mset_hit(mp, j, &did2, &wp, NULL, NULL, err, ERRLEN);
            if (did2 == did) {
                seen = 1;
                same = fabs(wp - wf) < 1e-12;
            }
        }
        same = same && seen;
    }
    ok(same, "filtered scores equal unfiltered scores");
    xs_mset_free(mp);
    xs_mset_free(mf);
    xs_query_free(plain);
    xs_query_free(filtered);

    /* Scaling multiplies the weight; AND_NOT removes. */
    p = params(1, NDOCS);
    q = term("five");
    xs_query *q2 = xs_query_scale(q, 2.0);
    double w1 = 0, w2 = 0;
    char id[32];
    run(db, q, &p, &m, err);
    hit_id(m, 0, id, sizeof id, &w1);
    xs_mset_free(m);
    run(db, q2, &p, &m, err);
    hit_id(m, 0, id, sizeof id, &w2);
    xs_mset_free(m);
    ok(w1 > 0 && fabs(w2 - 2 * w1) < 1e-9, "scale 2 doubles the weight (%g -> %g)", w1, w2);
    xs_query_free(q2);
    ok(xs_query_scale(q, -1.0) == NULL, "negative scale factor: NULL");
    p = params(NDOCS, NDOCS);
    q2 = combine2(XS_OP_AND_NOT, term("common"), q, 0);
    is_int(run(db, q2, &p, NULL, err), NDOCS - 8, "AND_NOT five leaves 32");
    xs_query_free(q2);

    xs_db_free(db);
}

/* ---- facet counts against a brute-force count ------------------------------
 *
 * A table holds what each document "f<i>" was given; the brute force runs
 * the query for every match (no facets), maps each hit back to its table
 * entry and counts there.  xs_search with facets must give the same counts
 * (for the cached path on a reader and the match-spy path on a writer),
 * the exact total, and the same page as without facets. */

#define FMAX 100
typedef struct fdoc {
    int present;
    char text[128];
    char date[16];    /* "" for none */
    char ents[256];   /* '\n'-separated items; repeats and empty items on purpose; "" for none */
} fdoc;

/* Generation 0 or 1 (a replacement) of document i. */
static void fdoc_make(fdoc *d, int i, int gen)
{
    d->present = 1;
    snprintf(d->text, sizeof d->text, "common %s%s w%d%s", i % 2 ? "odd" : "even", i % 3 == 0 ? " three" : "",
             i % 10, gen ? " newer" : "");
    if (i % 7 == 3)
        d->date[0] = '\0';
    else
        snprintf(d->date, sizeof d->date, "%04d%02d%02d", 2021 + gen, 1 + i % 3, 1 + i % 5);
    if (i % 11 == 5)
        d->ents[0] = '\0';
    else
        snprintf(d->ents, sizeof d->ents, "%s%s%s\n\nu%03d%s%s", i % 2 == 0 ? "pAlice\n" : "",
                 i % 3 == 0 ? "lHanoi\n" : "", i % 4 == 0 ? "oUN\noUN\n" : "", i, gen ? "\npCarol" : "",
                 i % 5 == 0 ? "\n" : i % 6 == 0 ? "\nlAlice" : "");
}

static int fdoc_put(xs_db *db, fdoc *docs, int i, int gen, char *err)
{
    char id[16];
    fdoc_make(&docs[i], i, gen);
    snprintf(id, sizeof id, "f%03d", i);
    return put_doc(db, id, docs[i].text, NULL, docs[i].date[0] ? docs[i].date : NULL,
                   docs[i].ents[0] ? docs[i].ents : NULL, NULL, err);
}

typedef struct fcount {
    char v[256];
    uint64_t c;
} fcount;

static int fcount_cmp(const void *a, const void *b)
{
    return strcmp(((const fcount *)a)->v, ((const fcount *)b)->v);
}

static size_t fcount_add(fcount *t, size_t n, const char *v, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(t[i].v) == len && !memcmp(t[i].v, v, len)) {
            t[i].c++;
            return n;
        }
    snprintf(t[n].v, sizeof t[n].v, "%.*s", (int)len, v);
    t[n].c = 1;
    return n + 1;
}

/* The expected counts of one facet over q's matches in db: mode 0 the
 * dates, 2 the whole entity values (the items: brute_keyed).  *total gets
 * the number of matches. */
/* The documents of `docs` that q matches in db (all of them, any order);
 * returns how many. */
static size_t matching_fdocs(xs_db *db, const xs_query *q, const fdoc *docs, const fdoc **out, char *err)
{
    xs_search_params p = params(FMAX, FMAX);
    xs_mset *m = NULL;
    if (run(db, q, &p, &m, err) < 0)
        return 0;
    size_t n = 0;
    for (size_t h = 0; h < xs_mset_size(m); h++) {
        char id[32];
        hit_id(m, h, id, sizeof id, NULL);
        int i = atoi(id + 1);
        if (id[0] != 'f' || i < 0 || i >= FMAX || !docs[i].present)
            printf("# unexpected hit '%s'\n", id);
        else
            out[n++] = &docs[i];
    }
    xs_mset_free(m);
    return n;
}

static size_t brute_force(xs_db *db, const xs_query *q, const fdoc *docs, int mode, fcount *out,
                          uint64_t *total, char *err)
{
    const fdoc *match[FMAX];
    size_t nmatch = matching_fdocs(db, q, docs, match, err);
    *total = nmatch;
    size_t n = 0;
    for (size_t h = 0; h < nmatch; h++) {
        const fdoc *d = match[h];
        if (mode == 0) {
            if (d->date[0])
                n = fcount_add(out, n, d->date, strlen(d->date));
        } else if (mode == 2) {
            if (d->ents[0])
                n = fcount_add(out, n, d->ents, strlen(d->ents));
        }
    }
    qsort(out, n, sizeof *out, fcount_cmp);
    return n;
}

static int fcount_rank_cmp(const void *a, const void *b)
{
    const fcount *x = a, *y = b;
    if (x->c != y->c)
        return x->c < y->c ? 1 : -1;
    return strcmp(x->v, y->v);
}

/* The expected counts of a keyed facet spec (by_key, tag, limit) over q's
 * matches: each item of the tag (any tag if 0), as its key (without the
 * tag byte) if by_key, once per document; top `limit` by count, else byte
 * order. */
static size_t brute_keyed(xs_db *db, const xs_query *q, const fdoc *docs, const xs_facet_spec *spec,
                          fcount *out, char *err)
{
    const fdoc *match[FMAX];
    size_t nmatch = matching_fdocs(db, q, docs, match, err);
    size_t n = 0;
    for (size_t h = 0; h < nmatch; h++) {
        fcount mine[16];
        size_t nm = 0;
        for (const char *it = match[h]->ents; *it;) {
            const char *nl = strchr(it, '\n');
            size_t len = nl ? (size_t)(nl - it) : strlen(it);
            if (len > 0 && (!spec->tag || it[0] == spec->tag) && (!spec->by_key || len > 1)) {
                const char *v = spec->by_key ? it + 1 : it;
                size_t vl = spec->by_key ? len - 1 : len;
                size_t before = nm;
                nm = fcount_add(mine, nm, v, vl);
                if (nm > before)
                    n = fcount_add(out, n, v, vl);
            }
            if (!nl)
                break;
            it = nl + 1;
        }
    }
    if (spec->limit) {
        qsort(out, n, sizeof *out, fcount_rank_cmp);
        if (n > spec->limit)
            n = spec->limit;
    } else {
        qsort(out, n, sizeof *out, fcount_cmp);
    }
    return n;
}

static int facet_equals(xs_mset *m, size_t k, const fcount *want, size_t n)
{
    if (xs_mset_facet_size(m, k) != n) {
        printf("#   facet %zu: %zu values, expected %zu\n", k, xs_mset_facet_size(m, k), n);
        return 0;
    }
    for (size_t j = 0; j < n; j++)
        if (!facet_is(m, k, j, want[j].v, want[j].c)) {
            printf("#   facet %zu value %zu: expected '%s' x %llu\n", k, j, want[j].v,
                   (unsigned long long)want[j].c);
            return 0;
        }
    return 1;
}

/* Facets of q on db (page of 3) against the brute force over `docs`. */
static void check_facets(xs_db *db, const xs_query *q, const fdoc *docs, const char *what)
{
    char err[ERRLEN];
    static fcount dates[FMAX], items[FMAX * 4], whole[FMAX];
    uint64_t total = 0, t2 = 0;
    size_t nd = brute_force(db, q, docs, 0, dates, &total, err);
    const xs_facet_spec each_item = { .slot = 1, .multi = 1 };
    size_t ni = brute_keyed(db, q, docs, &each_item, items, err);
    size_t nw = brute_force(db, q, docs, 2, whole, &t2, err);

    xs_facet_spec specs[3] = { { .slot = 0, .multi = 0 }, { .slot = 1, .multi = 1 }, { .slot = 1, .multi = 0 } };
    xs_search_params p = params(3, FMAX);
    p.facets = specs;
    p.nfacets = 3;
    xs_mset *m = NULL, *m0 = NULL;
    run(db, q, &p, &m, err);
    if (!m) {
        ok(0, "%s: search with facets", what);
        return;
    }
    ok(total > 3 && total == t2, "%s: %llu matches, more than the page", what,
       (unsigned long long)total);
    ok(xs_mset_matches_estimated(m) == total && xs_mset_matches_lower(m) == total &&
       xs_mset_matches_upper(m) == total, "%s: exact total %llu (estimate %llu, bounds %llu..%llu)", what,
       (unsigned long long)total, (unsigned long long)xs_mset_matches_estimated(m),
       (unsigned long long)xs_mset_matches_lower(m), (unsigned long long)xs_mset_matches_upper(m));
    ok(facet_equals(m, 0, dates, nd), "%s: single-valued counts equal the brute force (%zu values)", what, nd);
    ok(facet_equals(m, 1, items, ni), "%s: multi-valued counts equal the brute force (%zu items)", what, ni);
    ok(facet_equals(m, 2, whole, nw), "%s: same slot read as single-valued (%zu values)", what, nw);

    /* The page and its scores are those of the same search without facets. */
    xs_search_params p0 = params(3, 0);
    run(db, q, &p0, &m0, err);
    int same = m0 && xs_mset_size(m) == 3 && xs_mset_size(m0) == 3;
    for (size_t i = 0; same && i < 3; i++) {
        uint32_t d1 = 0, d0 = 0;
        double w1 = -1, w0 = -2;
        xs_mset_hit(m, i, &d1, &w1, NULL, NULL, err, ERRLEN);
        xs_mset_hit(m0, i, &d0, &w0, NULL, NULL, err, ERRLEN);
        same = d1 == d0 && w1 == w0;
    }
    ok(same, "%s: page and scores identical with and without facets", what);
    xs_mset_free(m);
    xs_mset_free(m0);

    /* Keyed specs: ids counted once per document whatever their tags, one
     * tag only, the top N. */
    xs_facet_spec keyed[5] = {
        { .slot = 1, .multi = 1, .by_key = 1 },
        { .slot = 1, .multi = 1, .by_key = 1, .tag = 'p' },
        { .slot = 1, .multi = 1, .by_key = 1, .limit = 2 },
        { .slot = 1, .multi = 1, .tag = 'o' },
        { .slot = 1, .multi = 1, .by_key = 1, .tag = 'l', .limit = 1 },
    };
    xs_search_params pk = params(3, FMAX);
    pk.facets = keyed;
    pk.nfacets = 5;
    m = NULL;
    run(db, q, &pk, &m, err);
    int all = m != NULL;
    for (size_t k = 0; all && k < 5; k++) {
        static fcount want[FMAX * 4];
        size_t nk = brute_keyed(db, q, docs, &keyed[k], want, err);
        if (!facet_equals(m, k, want, nk)) {
            printf("#   keyed spec %zu differs\n", k);
            all = 0;
        }
    }
    ok(all, "%s: keyed counts (by id, by tag, top N) equal the brute force", what);
    xs_mset_free(m);
}

/* The queries every database state is checked with: posting-list unions
 * (term, OR, SYNONYM, AND_MAYBE, MatchAll, a rare term) and others that
 * go through the matcher (AND, FILTER, PHRASE, a value range). */
static void check_all_facets(xs_db *db, const fdoc *docs, const char *state)
{
    struct {
        const char *name;
        xs_query *q;
    } qs[] = {
        { "term", term("common") },
        { "OR", combine2(XS_OP_OR, term("even"), term("three"), 0) },
        { "SYNONYM", combine2(XS_OP_SYNONYM, term("w1"), term("w2"), 0) },
        { "AND_MAYBE", combine2(XS_OP_AND_MAYBE, term("odd"), term("three"), 0) },
        { "MatchAll", xs_query_match_all() },
        { "rare term", term("w3") },
        { "AND", combine2(XS_OP_AND, term("even"), term("three"), 0) },
        { "FILTER", combine2(XS_OP_FILTER, term("common"), term("odd"), 0) },
        { "PHRASE", combine2(XS_OP_PHRASE, term("common"), term("odd"), 2) },
        { "value range", xs_query_value_range(0, "20210201", "20220301") },
    };
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        char what[128];
        snprintf(what, sizeof what, "%s, %s", state, qs[i].name);
        if (qs[i].q)
            check_facets(db, qs[i].q, docs, what);
        else
            ok(0, "%s: query built", what);
        xs_query_free(qs[i].q);
    }
}

/* Hit values served from the whole-slot table (hit_slot_plus1) are those
 * read document by document, for every hit and both value slots, and the
 * documents' own: slot 0 is fdoc.date. */
static void check_hit_values(xs_db *db, const fdoc *docs, const char *state)
{
    char err[ERRLEN];
    xs_query *q = term("common");
    int same = 1, checked = 0, dates_right = 1;
    for (unsigned slot = 0; slot < 2; slot++) {
        xs_search_params plain = params(FMAX, 0), table = params(FMAX, 0);
        table.hit_slot_plus1 = slot + 1;
        xs_mset *a = NULL, *b = NULL;
        if (run(db, q, &plain, &a, err) < 0 || run(db, q, &table, &b, err) < 0) {
            same = 0;
        } else {
            same &= xs_mset_size(a) == xs_mset_size(b);
            for (size_t i = 0; same && i < xs_mset_size(a); i++) {
                char *va = NULL, *vb = NULL, *data = NULL;
                size_t la = 0, lb = 0, dl = 0;
                uint32_t did = 0;
                same &= xs_mset_hit_value(a, i, slot, &va, &la, err, ERRLEN) == LSX_OK &&
                        xs_mset_hit_value(b, i, slot, &vb, &lb, err, ERRLEN) == LSX_OK && la == lb &&
                        memcmp(va, vb, la) == 0;
                if (slot == 0 && xs_mset_hit(b, i, &did, NULL, &data, &dl, err, ERRLEN) == LSX_OK) {
                    int k = -1;   /* the data is "data:f<index>" */
                    if (sscanf(data, "data:f%d", &k) != 1 || k < 0 || k >= FMAX || !docs[k].present)
                        dates_right = 0;
                    else
                        dates_right &= strlen(docs[k].date) == lb && memcmp(docs[k].date, vb, lb) == 0;
                } else if (slot == 0) {
                    dates_right = 0;
                }
                free(data);
                free(va);
                free(vb);
                checked++;
            }
        }
        xs_mset_free(a);
        xs_mset_free(b);
    }
    xs_query_free(q);
    ok(same && checked > 0, "%s: %d hit values from the slot table equal those read per document", state, checked);
    ok(dates_right, "%s: ... and are the documents' own", state);
}

/* Top-N entity keys on a reader (the cache: keys taken by document count
 * against a bitmap of the match set, or counted per document when that
 * would cost more) equal those of a writer (match spies), for match sets
 * of every size and limits that end the scan early, on ties, or not. */
static void test_top_keys(const char *dir)
{
    char err[ERRLEN], path[4096];
    snprintf(path, sizeof path, "%s/topkeys", dir);
    xs_db *w = NULL, *r = NULL;
    int rc = xs_db_open(&w, path, XS_OPEN_WRITE | XS_OPEN_CREATE, err, ERRLEN);
    for (int i = 0; i < 300 && !rc; i++) {
        char id[16], text[64], ents[1024];
        size_t n = 0;
        snprintf(id, sizeof id, "t%03d", i);
        snprintf(text, sizeof text, "all %s x%d", i % 2 ? "odd" : "even", i % 10);
        /* Big in every document, Mid in a third, Pair in two, 20 of their own. */
        n += (size_t)snprintf(ents + n, sizeof ents - n, "pBig\n%s%s", i % 3 == 0 ? "oMid\n" : "",
                              i / 2 == 7 ? "lPair\n" : "");
        for (int j = 0; j < 20; j++)
            n += (size_t)snprintf(ents + n, sizeof ents - n, "l%d-%d\n", i, j);
        rc = put_doc(w, id, text, NULL, NULL, ents, NULL, err);
    }
    if (!rc)
        rc = xs_db_commit(w, err, ERRLEN);
    if (!rc)
        rc = xs_db_open(&r, path, XS_OPEN_READ, err, ERRLEN);
    is_rc(rc, LSX_OK, err, "top keys: 300 documents, a reader and a writer");
    const char *words[] = {"all", "odd", "x3", "x7"};
    const unsigned limits[] = {1, 2, 3, 4, 5, 25};
    int same = !rc, compared = 0;
    for (size_t qi = 0; same && qi < sizeof words / sizeof *words; qi++) {
        for (size_t li = 0; same && li < sizeof limits / sizeof *limits; li++) {
            xs_facet_spec spec = { .slot = 1, .multi = 1, .by_key = 1, .limit = limits[li] };
            xs_search_params p = params(3, 0);
            p.facets = &spec;
            p.nfacets = 1;
            xs_query *q = term(words[qi]);
            xs_mset *a = NULL, *b = NULL;
            same = run(r, q, &p, &a, err) >= 0 && run(w, q, &p, &b, err) >= 0 &&
                   xs_mset_facet_size(a, 0) == xs_mset_facet_size(b, 0) &&
                   xs_mset_facet_size(a, 0) == limits[li];
            for (size_t j = 0; same && j < xs_mset_facet_size(a, 0); j++) {
                const char *va = NULL, *vb = NULL;
                size_t la = 0, lb = 0;
                uint64_t ca = 0, cb = 0;
                same = xs_mset_facet_value(a, 0, j, &va, &la, &ca) == LSX_OK &&
                       xs_mset_facet_value(b, 0, j, &vb, &lb, &cb) == LSX_OK && la == lb &&
                       memcmp(va, vb, la) == 0 && ca == cb;
                if (!same)
                    printf("# %s, top %u: value %zu is '%.*s' x %llu on the reader, '%.*s' x %llu on the writer\n",
                           words[qi], limits[li], j, (int)la, va ? va : "", (unsigned long long)ca, (int)lb,
                           vb ? vb : "", (unsigned long long)cb);
            }
            compared += same;
            xs_mset_free(a);
            xs_mset_free(b);
            xs_query_free(q);
        }
    }
    ok(same && compared == 24, "top keys: reader and writer agree for 4 match sets x 6 limits (%d)", compared);
    /* The counts themselves, for one case worked out by hand: odd documents
     * (150) all have Big, those divisible by 3 (50) Mid, then 3001 keys in
     * one odd document each (Pair in 15, and 20 of each's own), of which
     * "1-0" is first in byte order. */
    xs_facet_spec spec = { .slot = 1, .multi = 1, .by_key = 1, .limit = 3 };
    xs_search_params p = params(3, 0);
    p.facets = &spec;
    p.nfacets = 1;
    xs_query *q = term("odd");
    xs_mset *m = NULL;
    int right = !rc && run(r, q, &p, &m, err) >= 0 && xs_mset_facet_size(m, 0) == 3 &&
                facet_is(m, 0, 0, "Big", 150) && facet_is(m, 0, 1, "Mid", 50) && facet_is(m, 0, 2, "1-0", 1);
    ok(right, "top keys: Big 150, Mid 50, then the first in byte order of the one-document keys");
    xs_mset_free(m);
    xs_query_free(q);
    xs_db_free(r);
    xs_db_free(w);
}

static void test_facet_counts(const char *dir)
{
    char err[ERRLEN], path[4096];
    snprintf(path, sizeof path, "%s/facets", dir);
    static fdoc docs[FMAX], snapshot[FMAX];
    memset(docs, 0, sizeof docs);

    xs_db *w = NULL, *r = NULL;
    int rc = xs_db_open(&w, path, XS_OPEN_WRITE | XS_OPEN_CREATE, err, ERRLEN);
    is_rc(rc, LSX_OK, err, "create the facet database");
    if (rc)
        return;
    for (int i = 0; i < 60 && !rc; i++)
        rc = fdoc_put(w, docs, i, 0, err);
    if (!rc)
        rc = xs_db_commit(w, err, ERRLEN);
    is_rc(rc, LSX_OK, err, "60 documents committed");
    rc = xs_db_open(&r, path, XS_OPEN_READ, err, ERRLEN);
    is_rc(rc, LSX_OK, err, "open a reader");
    if (rc) {
        xs_db_free(w);
        return;
    }
    check_all_facets(r, docs, "reader");
    check_all_facets(w, docs, "writer");
    check_hit_values(r, docs, "reader");
    check_hit_values(w, docs, "writer");

    /* An mset whose facet values come from the reader's cache. */
    xs_facet_spec spec = { .slot = 1, .multi = 1 };
    xs_search_params p = params(3, FMAX);
    p.facets = &spec;
    p.nfacets = 1;
    xs_query *q = term("common");
    xs_mset *kept = NULL;
    run(r, q, &p, &kept, err);
    char first[64] = "";
    uint64_t first_count = 0;
    const char *v = NULL;
    size_t len = 0;
    if (kept && xs_mset_facet_value(kept, 0, 0, &v, &len, &first_count) == LSX_OK)
        snprintf(first, sizeof first, "%.*s", (int)len, v);
    ok(first[0] != '\0', "first entity of the kept mset: %s x %llu", first, (unsigned long long)first_count);

    /* More documents, replacements (same docids, new values) and a
     * deletion, committed: the reader keeps its snapshot until reopened. */
    memcpy(snapshot, docs, sizeof docs);
    rc = LSX_OK;
    for (int i = 60; i < 90 && !rc; i++)
        rc = fdoc_put(w, docs, i, 0, err);
    for (int i = 0; i < 10 && !rc; i++)
        rc = fdoc_put(w, docs, i, 1, err);
    if (!rc && (rc = xs_db_delete(w, "Qf011", 5, err, ERRLEN)) == LSX_OK)
        docs[11].present = 0;
    if (!rc)
        rc = xs_db_commit(w, err, ERRLEN);
    is_rc(rc, LSX_OK, err, "30 added, 10 replaced, 1 deleted, committed");
    check_all_facets(r, snapshot, "reader before reopen");
    check_hit_values(r, snapshot, "reader before reopen");
    rc = xs_db_reopen(r, err, ERRLEN);
    is_rc(rc, LSX_OK, err, "reopen the reader");
    uint64_t n = 0;
    xs_db_doccount(r, &n, err, ERRLEN);
    is_int(n, 89, "reopened reader sees 89 documents");
    check_all_facets(r, docs, "reopened reader");
    check_all_facets(w, docs, "writer after commit");

    /* Replacements that keep the doccount and the last docid: a reopened
     * reader must still see the new values. */
    rc = LSX_OK;
    for (int i = 20; i < 30 && !rc; i++)
        rc = fdoc_put(w, docs, i, 1, err);
    is_rc(rc, LSX_OK, err, "10 more replaced, not committed");
    check_all_facets(w, docs, "writer with uncommitted changes");
    if (!rc)
        rc = xs_db_commit(w, err, ERRLEN);
    if (!rc)
        rc = xs_db_reopen(r, err, ERRLEN);
    is_rc(rc, LSX_OK, err, "commit and reopen");
    check_all_facets(r, docs, "reader after in-place replacements");
    check_hit_values(r, docs, "reader after in-place replacements");

    /* The kept mset still holds the values of the cache it was made with. */
    ok(kept && facet_is(kept, 0, 0, first, first_count), "an mset keeps its facet values across reopens");
    xs_mset_free(kept);
    xs_query_free(q);
    xs_db_free(r);
    xs_db_free(w);
}

static void test_phrase_near(void)
{
    char err[ERRLEN];
    xs_db *db = mem_db(err);
    if (!db)
        return;
    put_doc(db, "p1", "quick brown fox", NULL, NULL, NULL, NULL, err);
    put_doc(db, "p2", "brown quick fox", NULL, NULL, NULL, NULL, err);
    put_doc(db, "p3", "quick red brown fox", NULL, NULL, NULL, NULL, err);
    xs_search_params p = params(10, 10);
    char id[32];
    xs_mset *m = NULL;

    xs_query *q = combine2(XS_OP_PHRASE, term("quick"), term("brown"), 0);
    char *desc = xs_query_describe(q);
    ok(desc && strstr(desc, "PHRASE 2"), "describe: %s", desc ? desc : "(null)");
    free(desc);
    is_int(run(db, q, &p, &m, err), 1, "exact phrase: one match");
    is_str(hit_id(m, 0, id, sizeof id, NULL), "p1", "exact phrase matches p1");
    xs_mset_free(m);
    xs_query_free(q);

    q = combine2(XS_OP_PHRASE, term("quick"), term("brown"), 3);
    is_int(run(db, q, &p, NULL, err), 2, "phrase in window 3: p1, p3 (order kept)");
    xs_query_free(q);
    q = combine2(XS_OP_NEAR, term("quick"), term("brown"), 2);
    is_int(run(db, q, &p, NULL, err), 2, "near in window 2: p1, p2 (any order)");
    xs_query_free(q);
    q = combine2(XS_OP_NEAR, term("quick"), term("brown"), 3);
    is_int(run(db, q, &p, NULL, err), 3, "near in window 3: all three");
    xs_query_free(q);

    /* Phrases over non-terms are rejected with NULL, not an exception. */
    xs_query *inner = combine2(XS_OP_AND, term("quick"), term("fox"), 0);
    q = combine2(XS_OP_PHRASE, term("brown"), inner, 0);
    ok(q == NULL, "phrase over an AND subquery: NULL");
    xs_query *subs[2] = { NULL, NULL };
    ok(xs_query_combine(XS_OP_OR, subs, 2, 0) == NULL, "NULL subquery: NULL");
    ok(xs_query_combine((xs_op)99, NULL, 0, 0) == NULL, "unknown op: NULL");
    ok(xs_query_term("", 0, 1) == NULL, "empty term: NULL (not match-all)");
    q = xs_query_combine(XS_OP_OR, NULL, 0, 0);
    is_int(run(db, q, &p, NULL, err), 0, "empty combination matches nothing");
    xs_query_free(q);
    q = xs_query_match_nothing();
    is_int(run(db, q, &p, NULL, err), 0, "match_nothing");
    xs_query_free(q);
    q = xs_query_match_all();
    is_int(run(db, q, &p, NULL, err), 3, "match_all");
    xs_query_free(q);
    q = combine2(XS_OP_SYNONYM, term("red"), term("nosuch"), 0);
    is_int(run(db, q, &p, NULL, err), 1, "synonym");
    xs_query_free(q);
    q = combine2(XS_OP_AND_MAYBE, term("fox"), term("red"), 0);
    xs_mset *mm = NULL;
    is_int(run(db, q, &p, &mm, err), 3, "and_maybe keeps all fox documents");
    is_str(hit_id(mm, 0, id, sizeof id, NULL), "p3", "and_maybe ranks the red one first");
    xs_mset_free(mm);
    xs_query_free(q);
    xs_db_free(db);
}

static void test_bm25(void)
{
    char err[ERRLEN];
    xs_db *db = mem_db(err);
    if (!db)
        return;
    for (int i = 0; i < 20; i++) {
        char id[16];
        snprintf(id, sizeof id, "f%02d", i);
        /* Longer than the two zebra documents, so length normalisation (b) matters. */
        put_doc(db, id, "apple banana cherry apple date fig", NULL, NULL, NULL, NULL, err);
    }
    put_doc(db, "once", "zebra apple banana cherry", NULL, NULL, NULL, NULL, err);
    put_doc(db, "thrice", "zebra zebra zebra apple", NULL, NULL, NULL, NULL, err);

    xs_query *q = combine2(XS_OP_OR, term("zebra"), term("apple"), 0);
    xs_search_params p = params(10, 100);
    xs_mset *m = NULL;
    char id[32];
    double w0 = 0, w1 = 0, w2 = 0;
    is_int(run(db, q, &p, &m, err), 10, "bm25 page");
    is_str(hit_id(m, 0, id, sizeof id, &w0), "thrice", "more occurrences of the rare term rank first");
    is_str(hit_id(m, 1, id, sizeof id, &w1), "once", "one occurrence ranks second");
    ok(w0 > w1 && w1 > 0, "weights descend (%g > %g)", w0, w1);
    uint32_t did = 0;
    is_rc(xs_mset_hit(m, 0, &did, NULL, NULL, NULL, err, ERRLEN), LSX_OK, err, "hit without data");
    ok(did > 0, "docid of the top hit");
    is_int(xs_mset_hit(m, 10, NULL, NULL, NULL, NULL, err, ERRLEN), LSX_EINVAL, "hit past the page: EINVAL");

    /* xs_mset_hit_data reads the page in docid order (here not the rank
     * order: "thrice" and "once" were added last) and hands each hit its own
     * data, the bytes xs_mset_hit copies out. */
    uint32_t d0 = 0, d1 = 0;
    xs_mset_hit(m, 0, &d0, NULL, NULL, NULL, err, ERRLEN);
    xs_mset_hit(m, 1, &d1, NULL, NULL, NULL, err, ERRLEN);
    ok(d0 > d1, "rank order differs from docid order (%u, %u)", (unsigned)d0, (unsigned)d1);
    int same = 1;
    for (size_t i = 0; i < xs_mset_size(m); i++) {
        const char *b = NULL;
        char *c = NULL;
        size_t bl = 0, cl = 0;
        same &= xs_mset_hit_data(m, i, &b, &bl, err, ERRLEN) == LSX_OK &&
                xs_mset_hit(m, i, NULL, NULL, &c, &cl, err, ERRLEN) == LSX_OK && b && c && bl == cl &&
                memcmp(b, c, bl) == 0;
        free(c);
    }
    ok(same, "xs_mset_hit_data gives every hit its own stored data");
    const char *bd = NULL;
    size_t bl = 0;
    xs_mset_hit_data(m, 0, &bd, &bl, err, ERRLEN);
    is_str(bd && bl == 11 ? bd : "", "data:thrice", "borrowed data of the top hit");
    is_int(xs_mset_hit_data(m, 10, &bd, &bl, err, ERRLEN), LSX_EINVAL, "data past the page: EINVAL");
    ok(bd == NULL && bl == 0, "outputs cleared on error");
    is_int(xs_mset_hit_data(m, 0, NULL, &bl, err, ERRLEN), LSX_EINVAL, "no output pointer: EINVAL");
    is_int(xs_mset_hit_data(NULL, 0, &bd, &bl, err, ERRLEN), LSX_EINVAL, "no result set: EINVAL");
    xs_mset_free(m);

    /* Other BM25 parameters give other scores for the same hit. */
    p.k1 = 2.0;
    p.b = 0.0;
    run(db, q, &p, &m, err);
    hit_id(m, 0, id, sizeof id, &w2);
    ok(fabs(w2 - w0) > 1e-6, "k1/b change the score (%g vs %g)", w2, w0);
    xs_mset_free(m);
    p.k1 = 1.2;
    p.b = 1.0;
    run(db, q, &p, &m, err);
    hit_id(m, 0, id, sizeof id, &w2);
    ok(fabs(w2 - w0) > 1e-6, "b alone changes the score (%g vs %g)", w2, w0);
    xs_mset_free(m);

    p.b = 1.5;
    m = (xs_mset *)&m;
    is_int(xs_search(db, q, &p, &m, err, ERRLEN), LSX_EINVAL, "b > 1: EINVAL");
    ok(m == NULL, "no mset for bad parameters");
    p.b = 0.75;
    p.k1 = -1;
    is_int(xs_search(db, q, &p, &m, err, ERRLEN), LSX_EINVAL, "k1 < 0: EINVAL");
    p.k1 = 1.2;

    /* Paging: first skips. */
    p.first = 1;
    p.maxitems = 1;
    run(db, q, &p, &m, err);
    is_str(hit_id(m, 0, id, sizeof id, NULL), "once", "first = 1 starts at the second hit");
    xs_mset_free(m);
    xs_query_free(q);
    xs_db_free(db);
}

static void test_expand(void)
{
    char err[ERRLEN];
    xs_db *db = mem_db(err);
    if (!db)
        return;
    put_doc(db, "x1", "search engine ranking inverted index", "Len", NULL, NULL, NULL, err);
    put_doc(db, "x2", "search engine inverted index compression", "Len", NULL, NULL, NULL, err);
    put_doc(db, "x3", "search engine crawling", "Len", NULL, NULL, NULL, err);
    for (int i = 0; i < 10; i++) {
        char id[16];
        snprintf(id, sizeof id, "o%d", i);
        put_doc(db, id, "cooking recipe garden", "Len", NULL, NULL, NULL, err);
    }
    xs_query *q = term("search");
    xs_search_params p = params(2, 100);
    xs_mset *m = NULL;
    run(db, q, &p, &m, err);
    uint32_t ids[2] = { 0, 0 };
    for (size_t i = 0; m && i < 2 && i < xs_mset_size(m); i++)
        xs_mset_hit(m, i, &ids[i], NULL, NULL, NULL, err, ERRLEN);
    xs_mset_free(m);

    char **terms = NULL;
    double *weights = NULL;
    size_t count = 0;
    int rc = xs_expand(db, q, ids, 2, 4, 0, &terms, &weights, &count, err, ERRLEN);
    is_rc(rc, LSX_OK, err, "expand");
    ok(count > 0 && count <= 4, "1..4 expansion terms (%zu)", count);
    int clean = 1, sorted = 1, has_index = 0;
    for (size_t i = 0; i < count; i++) {
        printf("# expansion term %s %g\n", terms[i], weights[i]);
        if (!strcmp(terms[i], "search") || (terms[i][0] >= 'A' && terms[i][0] <= 'Z'))
            clean = 0;
        if (!strcmp(terms[i], "cooking") || !strcmp(terms[i], "garden"))
            clean = 0;
        if (i && weights[i] > weights[i - 1])
            sorted = 0;
        if (!strcmp(terms[i], "index") || !strcmp(terms[i], "inverted") || !strcmp(terms[i], "engine"))
            has_index = 1;
    }
    ok(clean, "no query terms, prefixed terms or terms outside the feedback documents");
    ok(sorted, "sorted by weight descending");
    ok(has_index, "a term shared by the feedback documents is suggested");
    xs_terms_free(terms, weights, count);

    rc = xs_expand(db, NULL, ids, 2, 50, 0, &terms, &weights, &count, err, ERRLEN);
    int with_search = 0;
    for (size_t i = 0; rc == LSX_OK && i < count; i++)
        with_search |= !strcmp(terms[i], "search");
    ok(rc == LSX_OK && with_search, "without a query, query terms are not excluded");
    xs_terms_free(terms, weights, count);

    /* x1 and x2 (docids 1 and 2) share "engine", "inverted" and "index";
     * "ranking" and "compression" are in one of them only. */
    const uint32_t pair[2] = { 1, 2 };
    rc = xs_expand(db, q, pair, 2, 50, 2, &terms, &weights, &count, err, ERRLEN);
    int shared_only = rc == LSX_OK && count == 3;
    for (size_t i = 0; shared_only && i < count; i++)
        shared_only = !strcmp(terms[i], "engine") || !strcmp(terms[i], "inverted") || !strcmp(terms[i], "index");
    ok(shared_only, "min_docs 2: only the %zu terms found in both feedback documents", count);
    xs_terms_free(terms, weights, count);
    rc = xs_expand(db, q, pair, 1, 50, 2, &terms, &weights, &count, err, ERRLEN);
    ok(rc == LSX_OK && count == 4, "min_docs 2 with one feedback document: no rule (%zu terms)", count);
    xs_terms_free(terms, weights, count);

    rc = xs_expand(db, q, NULL, 0, 5, 0, &terms, &weights, &count, err, ERRLEN);
    ok(rc == LSX_OK && count == 0 && terms == NULL && weights == NULL, "no feedback documents: no terms");
    uint32_t bad = 9999;
    rc = xs_expand(db, q, &bad, 1, 5, 0, &terms, &weights, &count, err, ERRLEN);
    is_rc(rc, LSX_ENOTFOUND, err, "unknown docid: ENOTFOUND");
    ok(terms == NULL && count == 0, "no terms on error");
    xs_query_free(q);
    xs_db_free(db);
}

int main(void)
{
    char tmpl[] = "/tmp/test-shim-XXXXXX";
    char *dir = mkdtemp(tmpl);
    if (!dir)
        skip_all("cannot make a temporary directory");

    test_open_errors(dir);
    test_disk(dir);
    test_memory_basics();
    test_null_safety();
    test_facets_and_ranges();
    test_facet_counts(dir);
    test_top_keys(dir);
    test_phrase_near();
    test_bm25();
    test_expand();

    rm_tree(dir);
    struct stat st;
    ok(stat(dir, &st) != 0, "temporary directory removed");
    return done_testing();
}

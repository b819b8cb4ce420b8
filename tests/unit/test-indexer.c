/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-indexer.c - bulk indexing with threads (lsx_indexer): the same index
 * (same ids and BM25 scores) whether built with lsx_db_add, one thread or
 * several, as shards or by one writer; duplicate ids (the last one wins);
 * bad articles skipped without losing the others; results in input order;
 * option checks; the build directory cleaned up.
 */
#include "private.h"
#include "tap.h"

#include <dirent.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/lsx-test-indexer.XXXXXX";

static void rmrf(const char *path)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    if (system(cmd) != 0)
        fprintf(stderr, "# could not remove %s\n", path);
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* ---- a generated corpus ------------------------------------------------- */

#define NDOCS 240

static const char *const en_words[] = {
    "market", "shares", "rose", "fell", "bank", "rates", "oil", "prices", "government", "minister",
    "talks", "trade", "floods", "rain", "river", "harbour", "exports", "rice", "coffee", "farmers",
    "running", "runs", "ran", "city", "council", "vote", "election", "budget", "tax", "growth",
    "the", "of", "and", "in", "to", "a", "for", "on", "with", "said",
};
static const char *const vi_words[] = {
    "thị", "trường", "cổ", "phiếu", "tăng", "giảm", "ngân", "hàng", "lãi", "suất",
    "giá", "dầu", "chính", "phủ", "bộ", "trưởng", "lũ", "mưa", "sông", "xuất",
    "khẩu", "gạo", "cà", "phê", "nông", "dân", "thành", "phố", "Việt", "Nam",
    "Đà", "Nẵng", "Huế", "ma", "mã", "má", "và", "của", "là", "có",
};

/* Deterministic pseudo-random numbers (xorshift). */
static unsigned long long rng_state;
static unsigned rnd(unsigned n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state % n);
}

typedef struct art {
    char id[64], title[256], date[16], body[2048], source[64];
    int valid;                 /* expected to be indexed */
} art;

static art corpus[NDOCS];

static void words(char *out, size_t cap, bool vi, unsigned n)
{
    const char *const *w = vi ? vi_words : en_words;
    size_t nw = vi ? sizeof vi_words / sizeof *vi_words : sizeof en_words / sizeof *en_words;
    size_t len = 0;
    out[0] = '\0';
    for (unsigned i = 0; i < n && len + 32 < cap; i++) {
        const char *x = w[rnd((unsigned)nw)];
        len += (size_t)snprintf(out + len, cap - len, "%s%s%s", i ? " " : "", x,
                                i % 11 == 10 ? "." : "");
    }
}

static void make_corpus(void)
{
    rng_state = 0x9e3779b97f4a7c15ULL;
    for (int i = 0; i < NDOCS; i++) {
        art *a = &corpus[i];
        bool vi = i % 3 == 0;
        snprintf(a->id, sizeof a->id, "doc-%03d", i);
        snprintf(a->source, sizeof a->source, "gen.trec:%d", i + 1);
        words(a->title, sizeof a->title, vi, 3 + rnd(6));
        words(a->body, sizeof a->body, vi, 20 + rnd(120));
        if (i % 4)
            snprintf(a->date, sizeof a->date, "20%02u-%02u-%02u", 10 + rnd(12), 1 + rnd(12), 1 + rnd(28));
        a->valid = 1;
    }
    /* Three versions of one id: the last one wins. */
    for (int k = 0; k < 3; k++) {
        art *a = &corpus[50 + 60 * k];
        snprintf(a->id, sizeof a->id, "dup");
        snprintf(a->body + strlen(a->body), sizeof a->body - strlen(a->body), " version%d", k);
    }
    /* Bad articles: skipped with a reason, the others indexed. */
    corpus[7].id[0] = '\0';                                    /* no id */
    corpus[7].valid = 0;
    snprintf(corpus[8].date, sizeof corpus[8].date, "2022-02-30");   /* no such day */
    corpus[8].valid = 0;
    memset(corpus[9].id, 'x', 63);                             /* fine: 63 bytes */
    corpus[9].id[63] = '\0';
}

static lsx_article to_article(const art *c, char *longid)
{
    lsx_article a = LSX_ARTICLE_INIT;
    a.id = c->id;
    a.title = c->title;
    a.date = c->date[0] ? c->date : NULL;
    a.body = c->body;
    a.source = c->source;
    if (longid && c == &corpus[10]) {     /* an id longer than 200 bytes */
        memset(longid, 'y', 250);
        longid[250] = '\0';
        a.id = longid;
    }
    return a;
}

static int expected_docs(void)
{
    int n = 0;
    for (int i = 0; i < NDOCS; i++)
        n += corpus[i].valid && i != 10 && strcmp(corpus[i].id, "dup") != 0;
    return n + 1;   /* "dup" once */
}

/* ---- collecting results --------------------------------------------------- */

typedef struct tally {
    uint64_t n, next_seq;
    int in_order;
    int ok, failed, replaced;
    int dup_replaced[3];       /* replaced flag of each "dup" version */
    int ndup;
    char first_error[LSX_ERRLEN];
    int bad_id_status, bad_date_status, long_id_status;
} tally;

static void on_result(void *payload, const lsx_index_result *r)
{
    tally *t = payload;
    if (r->seq != t->next_seq)
        t->in_order = 0;
    t->next_seq = r->seq + 1;
    t->n++;
    if (r->status == LSX_OK) {
        t->ok++;
        t->replaced += r->replaced;
        if (strcmp(r->id, "dup") == 0 && t->ndup < 3)
            t->dup_replaced[t->ndup++] = r->replaced;
    } else {
        t->failed++;
        if (!t->first_error[0])
            snprintf(t->first_error, sizeof t->first_error, "%s", r->message);
        if (r->seq == 7)
            t->bad_id_status = r->status;
        if (r->seq == 8)
            t->bad_date_status = r->status;
        if (r->seq == 10)
            t->long_id_status = r->status;
    }
}

/* ---- building the same index several ways -------------------------------- */

static int add_all_with_indexer(lsx_db *db, unsigned threads, unsigned memory_mb, tally *t,
                                int *sharded)
{
    memset(t, 0, sizeof *t);
    t->in_order = 1;
    lsx_indexer_options o = LSX_INDEXER_OPTIONS_INIT;
    o.threads = threads;
    o.memory_mb = memory_mb;
    o.on_result = on_result;
    o.payload = t;
    lsx_indexer *ix = NULL;
    int rc = lsx_indexer_new(&ix, db, &o);
    if (rc != LSX_OK) {
        printf("# lsx_indexer_new: %s\n", lsx_indexer_errmsg(ix));
        lsx_indexer_free(ix);
        return rc;
    }
    *sharded = lsx_indexer_sharded(ix);
    char longid[256];
    for (int i = 0; i < NDOCS && rc == LSX_OK; i++) {
        lsx_article a = to_article(&corpus[i], longid);
        rc = lsx_indexer_add(ix, &a);
    }
    if (rc == LSX_OK)
        rc = lsx_indexer_finish(ix);
    if (rc != LSX_OK)
        printf("# indexer: %s\n", lsx_indexer_errmsg(ix));
    lsx_indexer_free(ix);
    return rc;
}

static int add_all_sequentially(lsx_db *db)
{
    char longid[256];
    for (int i = 0; i < NDOCS; i++) {
        lsx_article a = to_article(&corpus[i], longid);
        int rc = lsx_db_add(db, &a, NULL);
        if (rc != LSX_OK && rc != LSX_EINVAL)
            return rc;
    }
    return lsx_db_commit(db);
}

/* ---- comparing search results ---------------------------------------------- */

static const char *const queries[] = {
    "market", "running", "rice OR coffee", "\"bank rates\"", "title:floods", "thị trường",
    "Việt Nam", "viet nam", "\"Đà Nẵng\"", "mã", "ma", "lang:vi", "date:2015..2018 growth",
    "version2", "version0", "+oil -prices", "election NEAR vote", NULL,
};

typedef struct hit {
    char id[256];
    double score;
} hit;

static int cmp_hit(const void *a, const void *b)
{
    const hit *x = a, *y = b;
    return strcmp(x->id, y->id);
}

/* All hits of `qs`, sorted by id (ties in score may be ranked differently
 * when documents have different docids). */
static size_t all_hits(lsx_db *db, const char *qs, hit *out, size_t cap)
{
    lsx_query *q = NULL;
    lsx_results *r = NULL;
    lsx_search_options o = LSX_SEARCH_OPTIONS_INIT;
    o.limit = (unsigned)cap;
    o.flags = LSX_SEARCH_NO_SNIPPETS | LSX_SEARCH_EXACT_TOTAL;
    size_t n = 0;
    if (lsx_query_parse(&q, qs) == LSX_OK && lsx_search(db, q, &o, &r) == LSX_OK) {
        for (; n < lsx_results_count(r) && n < cap; n++) {
            snprintf(out[n].id, sizeof out[n].id, "%s", lsx_results_hit(r, n)->id);
            out[n].score = lsx_results_hit(r, n)->score;
        }
    } else {
        printf("# query '%s' failed: %s\n", qs, lsx_db_errmsg(db));
    }
    lsx_results_free(r);
    lsx_query_free(q);
    qsort(out, n, sizeof *out, cmp_hit);
    return n;
}

/* Same hits with the same scores (within 1e-9) for every query. */
static int same_results(lsx_db *a, lsx_db *b, const char *what)
{
    static hit ha[NDOCS + 1], hb[NDOCS + 1];
    int same = 1;
    size_t total = 0;
    for (int k = 0; queries[k]; k++) {
        size_t na = all_hits(a, queries[k], ha, NDOCS + 1);
        size_t nb = all_hits(b, queries[k], hb, NDOCS + 1);
        total += na;
        if (na != nb) {
            printf("# %s: '%s' has %zu hits vs %zu\n", what, queries[k], na, nb);
            same = 0;
            continue;
        }
        for (size_t i = 0; i < na; i++) {
            if (strcmp(ha[i].id, hb[i].id) != 0 || fabs(ha[i].score - hb[i].score) > 1e-9) {
                printf("# %s: '%s': %s %.12f vs %s %.12f\n", what, queries[k], ha[i].id, ha[i].score,
                       hb[i].id, hb[i].score);
                same = 0;
                break;
            }
        }
    }
    if (total < 100) {
        printf("# %s: only %zu hits over all queries: the test corpus is too small\n", what, total);
        same = 0;
    }
    lsx_db_stats sa = LSX_DB_STATS_INIT, sb = LSX_DB_STATS_INIT;
    if (lsx_db_stats_get(a, &sa) != LSX_OK || lsx_db_stats_get(b, &sb) != LSX_OK ||
        sa.documents != sb.documents || fabs(sa.avg_words - sb.avg_words) > 1e-9 ||
        sa.terms != sb.terms || sa.dated != sb.dated) {
        printf("# %s: stats differ\n", what);
        same = 0;
    }
    return same;
}

static uint64_t doc_count(lsx_db *db)
{
    lsx_db_stats st = LSX_DB_STATS_INIT;
    return lsx_db_stats_get(db, &st) == LSX_OK ? st.documents : 0;
}

static int has_build_dir(const char *dbpath)
{
    char p[400];
    snprintf(p, sizeof p, "%s/.lsx-build", dbpath);
    return exists(p);
}

/* ---- tests ---------------------------------------------------------------------- */

static void test_options(const char *path)
{
    lsx_db *db = NULL;
    lsx_indexer *ix = NULL;
    is_int(lsx_db_open(&db, path, LSX_DB_WRITABLE | LSX_DB_CREATE, NULL), LSX_OK, "options: create a database");

    lsx_indexer_options o = LSX_INDEXER_OPTIONS_INIT;
    o.threads = 2;
    o.memory_mb = LSX_MIN_MEMORY_MB + 2 * LSX_MEMORY_MB_PER_THREAD - 1;
    is_int(lsx_indexer_new(&ix, db, &o), LSX_EINVAL, "too little memory for two threads is refused");
    ok(ix && strstr(lsx_indexer_errmsg(ix), "memory_mb must be at least 40"), "... saying how much is needed: %s",
       lsx_indexer_errmsg(ix));
    lsx_indexer_free(ix);

    o.threads = LSX_MAX_THREADS + 1;
    o.memory_mb = 0;
    is_int(lsx_indexer_new(&ix, db, &o), LSX_EINVAL, "too many threads are refused");
    ok(ix && strstr(lsx_indexer_errmsg(ix), "threads"), "... naming the field: %s", lsx_indexer_errmsg(ix));
    lsx_indexer_free(ix);

    o = (lsx_indexer_options)LSX_INDEXER_OPTIONS_INIT;
    o.version = 99;
    is_int(lsx_indexer_new(&ix, db, &o), LSX_EINVAL, "an unknown options version is refused");
    lsx_indexer_free(ix);

    o = (lsx_indexer_options)LSX_INDEXER_OPTIONS_INIT;
    o.threads = 2;
    o.memory_mb = LSX_MIN_MEMORY_MB + 2 * LSX_MEMORY_MB_PER_THREAD;
    is_int(lsx_indexer_new(&ix, db, &o), LSX_OK, "the least memory for two threads is accepted");
    is_int(lsx_indexer_threads(ix), 2, "... with two threads");
    lsx_indexer *second = NULL;
    is_int(lsx_indexer_new(&second, db, NULL), LSX_EINVAL, "a second indexer on the same database is refused");
    lsx_indexer_free(second);
    lsx_article a = LSX_ARTICLE_INIT;
    a.id = "x";
    a.body = "y";
    is_int(lsx_db_add(db, &a, NULL), LSX_EINVAL, "lsx_db_add is refused while an indexer is attached");
    is_int(lsx_db_commit(db), LSX_EINVAL, "... and so is lsx_db_commit");
    is_int(lsx_indexer_finish(ix), LSX_OK, "finishing an indexer that got nothing");
    is_int(lsx_indexer_finish(ix), LSX_OK, "... twice");
    is_int(lsx_indexer_add(ix, &a), LSX_EINVAL, "adding after finish is refused");
    lsx_indexer_free(ix);
    is_int(doc_count(db), 0, "the database is still empty");
    is_int(lsx_db_add(db, &a, NULL), LSX_OK, "lsx_db_add works again after the indexer is gone");
    lsx_db_free(db);

    is_int(lsx_db_open(&db, path, LSX_DB_READONLY, NULL), LSX_OK, "open read-only");
    is_int(lsx_indexer_new(&ix, db, NULL), LSX_EREADONLY, "an indexer needs a writable database");
    lsx_indexer_free(ix);
    lsx_db_free(db);
    lsx_indexer_free(NULL);
    ok(strlen(lsx_indexer_errmsg(NULL)) > 0, "errmsg(NULL) is a string");
}

int main(void)
{
    if (!mkdtemp(tmpdir))
        skip_all("cannot make a temporary directory");
    char p_seq[300], p_one[300], p_many[300], p_writer[300], p_opts[300], p_small[300];
    snprintf(p_seq, sizeof p_seq, "%s/seq", tmpdir);
    snprintf(p_one, sizeof p_one, "%s/one", tmpdir);
    snprintf(p_many, sizeof p_many, "%s/many", tmpdir);
    snprintf(p_writer, sizeof p_writer, "%s/writer", tmpdir);
    snprintf(p_opts, sizeof p_opts, "%s/opts", tmpdir);
    snprintf(p_small, sizeof p_small, "%s/small", tmpdir);
    make_corpus();
    int want = expected_docs();

    test_options(p_opts);

    /* The reference: lsx_db_add, one article at a time. */
    lsx_db *seq = NULL;
    is_int(lsx_db_open(&seq, p_seq, LSX_DB_WRITABLE | LSX_DB_CREATE, NULL), LSX_OK, "create the reference database");
    is_int(add_all_sequentially(seq), LSX_OK, "reference built with lsx_db_add");
    is_int(doc_count(seq), want, "reference holds every valid article once");

    /* Shards, one thread. */
    lsx_db *one = NULL;
    tally t;
    int sharded = -1;
    is_int(lsx_db_open(&one, p_one, LSX_DB_WRITABLE | LSX_DB_CREATE, NULL), LSX_OK, "create db for one thread");
    is_int(add_all_with_indexer(one, 1, 0, &t, &sharded), LSX_OK, "indexer, one thread");
    is_int(sharded, 1, "... an empty database is built as shards");
    is_int(t.n, NDOCS, "... one result per article");
    ok(t.in_order, "... results in input order");
    is_int(t.failed, 3, "... three articles skipped (no id, impossible date, id too long)");
    is_int(t.bad_id_status, LSX_EINVAL, "... no id: LSX_EINVAL");
    is_int(t.bad_date_status, LSX_EINVAL, "... impossible date: LSX_EINVAL");
    is_int(t.long_id_status, LSX_EINVAL, "... id too long: LSX_EINVAL");
    ok(strstr(t.first_error, "field id") != NULL, "... the reason is given: %s", t.first_error);
    is_int(t.ndup, 3, "... the duplicate id was indexed three times");
    ok(t.dup_replaced[0] == 0 && t.dup_replaced[1] == 1 && t.dup_replaced[2] == 1,
       "... the later versions replaced the earlier ones");
    is_int(doc_count(one), want, "... the database holds every valid article once");
    ok(!has_build_dir(p_one), "... and no build directory is left");
    ok(same_results(seq, one, "one thread"), "one thread: same hits and scores as lsx_db_add");

    /* The duplicate: the last version wins. */
    lsx_doc *d = NULL;
    is_int(lsx_db_get(one, "dup", &d), LSX_OK, "get the duplicated id");
    const char *body = d ? lsx_doc_body(d, NULL) : NULL;
    ok(body && strstr(body, "version2") && !strstr(body, "version0"), "the last version won");
    lsx_doc_free(d);

    /* Shards, four threads (more threads than this machine may have CPUs). */
    lsx_db *many = NULL;
    is_int(lsx_db_open(&many, p_many, LSX_DB_WRITABLE | LSX_DB_CREATE, NULL), LSX_OK, "create db for four threads");
    is_int(add_all_with_indexer(many, 4, 0, &t, &sharded), LSX_OK, "indexer, four threads");
    is_int(sharded, 1, "... as shards");
    ok(t.in_order && t.n == NDOCS && t.failed == 3, "... every result, in order");
    ok(t.ndup == 3 && t.dup_replaced[0] == 0 && t.dup_replaced[1] == 1 && t.dup_replaced[2] == 1,
       "... the duplicates replaced");
    ok(same_results(seq, many, "four threads"), "four threads: same hits and scores as lsx_db_add");

    /* One writer with analysing threads: a database that already holds a
     * document.  Its id is the corpus's, so it is replaced and the result
     * holds the same documents as the others. */
    lsx_db *writer = NULL;
    lsx_db_options dbo = LSX_DB_OPTIONS_INIT;
    dbo.batch_size = 17;
    is_int(lsx_db_open(&writer, p_writer, LSX_DB_WRITABLE | LSX_DB_CREATE, &dbo), LSX_OK, "create db for the writer");
    lsx_article seed = LSX_ARTICLE_INIT;
    seed.id = "doc-001";
    seed.body = "an old version that the corpus replaces";
    is_int(lsx_db_add(writer, &seed, NULL), LSX_OK, "seed it with one document");
    is_int(lsx_db_commit(writer), LSX_OK, "commit the seed");
    is_int(add_all_with_indexer(writer, 3, 0, &t, &sharded), LSX_OK, "indexer, three threads, non-empty database");
    is_int(sharded, 0, "... one writer applies the documents");
    ok(t.in_order && t.n == NDOCS && t.failed == 3, "... every result, in order");
    is_int(t.replaced, 3, "... the seed and the two later duplicates were replaced");
    ok(same_results(seq, writer, "writer"), "writer: same hits and scores as lsx_db_add");
    lsx_db *reader = NULL;
    is_int(lsx_db_open(&reader, p_writer, LSX_DB_READONLY, NULL), LSX_OK, "a reader opens it");
    is_int(doc_count(reader), want, "... and sees everything committed");
    lsx_db_free(reader);

    /* In memory: always the writer; with the smallest budget and tiny batches. */
    lsx_db *mem = NULL;
    dbo.batch_size = 5;
    is_int(lsx_db_open(&mem, NULL, LSX_DB_INMEMORY, &dbo), LSX_OK, "in-memory database");
    is_int(add_all_with_indexer(mem, 2, LSX_MIN_MEMORY_MB + 2 * LSX_MEMORY_MB_PER_THREAD, &t, &sharded), LSX_OK,
           "indexer, in memory, least memory");
    is_int(sharded, 0, "... in memory there are no shards");
    ok(same_results(seq, mem, "in memory"), "in memory: same hits and scores as lsx_db_add");
    lsx_db_free(mem);

    /* Shards with the least memory, tiny batches, and a stale build
     * directory from an interrupted run. */
    lsx_db *small = NULL;
    dbo.batch_size = 3;
    is_int(lsx_db_open(&small, p_small, LSX_DB_WRITABLE | LSX_DB_CREATE, &dbo), LSX_OK, "create db for small batches");
    char stale[400];
    snprintf(stale, sizeof stale, "%s/.lsx-build/shard-7", p_small);
    char mk[900];
    snprintf(mk, sizeof mk, "mkdir -p '%s' && touch '%s/junk'", stale, stale);
    ok(system(mk) == 0 && exists(stale), "a stale build directory");
    is_int(add_all_with_indexer(small, 2, LSX_MIN_MEMORY_MB + 2 * LSX_MEMORY_MB_PER_THREAD, &t, &sharded), LSX_OK,
           "indexer, two threads, batches of 3");
    is_int(sharded, 1, "... as shards");
    ok(!has_build_dir(p_small), "... the stale build directory is gone");
    ok(same_results(seq, small, "small batches"), "small batches: same hits and scores as lsx_db_add");
    /* The installed index can be written to and searched like any other. */
    lsx_article late = LSX_ARTICLE_INIT;
    late.id = "late";
    late.title = "A late article";
    late.body = "zanzibar pineapples";
    int replaced = -1;
    is_int(lsx_db_add(small, &late, &replaced), LSX_OK, "add to the installed index");
    is_int(replaced, 0, "... as a new document");
    late.body = "zanzibar mangoes";
    is_int(lsx_db_add(small, &late, &replaced), LSX_OK, "replace it");
    is_int(replaced, 1, "... it was replaced");
    is_int(lsx_db_commit(small), LSX_OK, "commit");
    is_int(doc_count(small), want + 1, "the installed index has one more document");
    lsx_db_free(small);
    is_int(lsx_db_open(&small, p_small, LSX_DB_READONLY, NULL), LSX_OK, "reopen it read-only");
    is_int(doc_count(small), want + 1, "... everything is there");
    lsx_db_free(small);

    lsx_db_free(seq);
    lsx_db_free(one);
    lsx_db_free(many);
    lsx_db_free(writer);
    rmrf(tmpdir);
    return done_testing();
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-search.c - queries end to end over a small in-memory index. */
#include "private.h"
#include "tap.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>

static lsx_db *db;

static const struct {
    const char *id, *title, *date, *lang, *body;
} docs[] = {
    {"en-meet", "ASEAN ministers meet in Phnom Penh", "2022-02-16", NULL,
     "Foreign ministers of ASEAN met in Phnom Penh, Cambodia. Ambassador Vu Ho led the delegation of Vietnam."},
    {"vi-meet", "Hội nghị ASEAN tại Phnom Penh", "2022-02-16", NULL,
     "Ngày 16/2, Hội nghị Quan chức cao cấp ASEAN diễn ra tại Phnom Penh, Campuchia. Đại sứ Vũ Hồ dẫn đầu đoàn Việt Nam."},
    {"en-flood", "Floods hit central provinces", "2022-10-14", NULL,
     "Heavy rain caused floods in Hue and Quang Nam. Flood water closed roads; the flooding is the worst in years."},
    {"en-trade", "Trade talks continue", "2023-03-02", NULL,
     "Trade officials discussed tariffs. The penh phnom order here is reversed on purpose. Running totals were shared."},
    {"vi-ma", "Chuyện con ma", "2023-05-01", NULL, "Người dân kể chuyện con ma ở làng."},
    {"vi-ma2", "Giá mã cổ phiếu", "2023-05-02", NULL, "Mã cổ phiếu tăng giá mạnh trong phiên hôm nay."},
    {"vi-year", "Năm mới", "2023-06-01", NULL, "Năm nay kinh tế tăng trưởng năm phần trăm."},
    {"vi-plain", "Bai viet khong dau", "2023-06-02", "vi", "Tin tuc viet khong dau: kinh te tang truong."},
};

static lsx_results *run(const char *qs, const lsx_search_options *o, int *rc_out)
{
    lsx_query *q = NULL;
    lsx_results *r = NULL;
    int rc = lsx_query_parse(&q, qs);
    if (rc == LSX_OK)
        rc = lsx_search(db, q, o, &r);
    else
        printf("# parse error: %s\n", lsx_query_errmsg(q));
    if (rc != LSX_OK && rc != LSX_EQUERY)
        printf("# search error: %s\n", lsx_db_errmsg(db));
    lsx_query_free(q);
    if (rc_out)
        *rc_out = rc;
    return r;
}

/* Ids of the hits, space-separated, in rank order. */
static const char *ids(const char *qs);

/* The label of `id` in the person facet of a match-all search on `d`. */
static const char *person_label(lsx_db *d, const char *id, char *buf, size_t cap)
{
    const char *spec[] = {"person:10"};
    lsx_search_options o = LSX_SEARCH_OPTIONS_INIT;
    o.limit = 0;
    o.facets = spec;
    o.nfacets = 1;
    lsx_results *r = NULL;
    snprintf(buf, cap, "(none)");
    if (lsx_search(d, NULL, &o, &r) == LSX_OK) {
        const lsx_facet *f = lsx_results_facet(r, 0);
        for (size_t i = 0; f && i < f->nvalues; i++)
            if (strcmp(lsx_facet_value_at(f, i)->value, id) == 0)
                snprintf(buf, cap, "%s", lsx_facet_value_at(f, i)->label);
    }
    lsx_results_free(r);
    return buf;
}

/* Labels of entities the gazetteer does not know come from the records; a
 * reader caches them until it reopens. */
/* The ids a query finds in database d, space-separated in id order. */
static const char *ids_in(lsx_db *d, const char *qs, char *buf, size_t cap)
{
    lsx_query *q = NULL;
    lsx_results *r = NULL;
    lsx_search_options o = LSX_SEARCH_OPTIONS_INIT;
    o.limit = 100;
    buf[0] = '\0';
    if (lsx_query_parse(&q, qs) == LSX_OK && lsx_search(d, q, &o, &r) == LSX_OK) {
        const char *v[100];
        size_t n = lsx_results_count(r);
        for (size_t i = 0; i < n; i++)
            v[i] = lsx_results_hit(r, i)->id;
        for (size_t i = 1; i < n; i++)       /* insertion sort: a few ids */
            for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
                const char *t = v[j];
                v[j] = v[j - 1];
                v[j - 1] = t;
            }
        size_t used = 0;
        for (size_t i = 0; i < n && used + strlen(v[i]) + 2 < cap; i++)
            used += (size_t)snprintf(buf + used, cap - used, "%s%s", i ? " " : "", v[i]);
    } else {
        snprintf(buf, cap, "(error)");
    }
    lsx_results_free(r);
    lsx_query_free(q);
    return buf;
}

/* Issue 14: old and new tone placement and NFC/NFD are one word at index and
 * query time; tones still differ; unquoted names expand aliases as quoted
 * ones do. */
static void test_vietnamese_spellings(void)
{
    static const struct { const char *id, *body; } vdocs[] = {
        { "old", "Sức khỏe của người dân và hòa bình, thủy điện." },
        { "new", "Sức khoẻ của người dân và hoà bình, thuỷ điện." },
        { "nfd", "Su\xcc\x9b\xcc\x81\x63 kho\xcc\x89" "e, ho\xcc\x80" "a bi\xcc\x80nh." },
        { "khoe", "Anh ấy khoe chiếc xe mới." },
        { "dn-vi", "Thành phố Đà Nẵng đón khách." },
        { "dn-en", "The city of Da Nang welcomed visitors." },
    };
    lsx_db *d = NULL;
    if (lsx_db_open(&d, NULL, LSX_DB_INMEMORY, NULL) != LSX_OK) {
        ok(0, "spellings: cannot open an in-memory database");
        return;
    }
    for (size_t i = 0; i < sizeof vdocs / sizeof vdocs[0]; i++) {
        lsx_article a = LSX_ARTICLE_INIT;
        a.id = vdocs[i].id;
        a.body = vdocs[i].body;
        a.lang = strncmp(a.id, "dn-en", 5) == 0 ? "en" : "vi";
        lsx_db_add(d, &a, NULL);
    }
    is_int(lsx_db_commit(d), LSX_OK, "spellings: indexed");
    char b[200];
    is_str(ids_in(d, "khỏe", b, sizeof b), "new nfd old", "khỏe (old placement) finds every placement and NFD");
    is_str(ids_in(d, "khoẻ", b, sizeof b), "new nfd old", "khoẻ (new placement) finds the same");
    is_str(ids_in(d, "kho\xcc\x89" "e", b, sizeof b), "new nfd old", "a query typed in NFD finds the same");
    is_str(ids_in(d, "hòa", b, sizeof b), "new nfd old", "hòa finds hoà");
    is_str(ids_in(d, "thuỷ", b, sizeof b), "new old", "thuỷ finds thủy");
    is_str(ids_in(d, "\"sức khoẻ\"", b, sizeof b), "new nfd old", "in a phrase too");
    is_str(ids_in(d, "khoe", b, sizeof b), "khoe new nfd old", "khoe without diacritics finds every spelling");
    is_str(ids_in(d, "khoẻ -khoe", b, sizeof b), "", "... and khoẻ is khoe too when it excludes");
    ok(strstr(ids_in(d, "khoẻ", b, sizeof b), "khoe ") == NULL && strcmp(b, "khoe") != 0,
       "khoẻ (a tone) does not find khoe (none): %s", b);
    char quoted[200], unquoted[200];
    ids_in(d, "\"Đà Nẵng\"", quoted, sizeof quoted);
    ids_in(d, "Đà Nẵng", unquoted, sizeof unquoted);
    is_str(unquoted, quoted, "unquoted Đà Nẵng expands the aliases quoted \"Đà Nẵng\" does");
    ok(strstr(quoted, "dn-en") && strstr(quoted, "dn-vi"), "... both spellings: %s", quoted);
    ids_in(d, "Da Nang", unquoted, sizeof unquoted);
    ok(strstr(unquoted, "dn-en") && strstr(unquoted, "dn-vi"), "Da Nang unquoted finds Đà Nẵng: %s", unquoted);

    /* did you mean: from the index's own words, with and without diacritics */
    static const struct { const char *typed, *want; } dym[] = {
        { "ngừoi", "người" },            /* a vowel slip, with diacritics */
        { "nguio", "nguoi" },            /* a transposition, without */
        { "Thàn phố", "thành phố" },     /* one letter short; the other word as typed */
        { "welcomd", "welcom" },         /* English: the index's stem */
        { "xyzzyplugh", "" },            /* nothing near */
        { "khoe", "" },                  /* a word the index knows */
    };
    for (size_t i = 0; i < sizeof dym / sizeof dym[0]; i++) {
        lsx_query *q = NULL;
        lsx_results *r = NULL;
        lsx_search_options o = LSX_SEARCH_OPTIONS_INIT;
        o.flags = LSX_SEARCH_SUGGEST;
        int rc = lsx_query_parse(&q, dym[i].typed);
        if (rc == LSX_OK)
            rc = lsx_search(d, q, &o, &r);
        char got[100];
        snprintf(got, sizeof got, "%s", rc == LSX_OK ? lsx_results_suggestion(r) : "(error)");
        is_str(got, dym[i].want, "did you mean for '%s'", dym[i].typed);
        lsx_results_free(r);
        lsx_query_free(q);
    }
    lsx_db_free(d);
}

/* Issue 14: word* and title:word*, folded as words are, with a cap on the
 * expansion that is an error, not a silent cut. */
static void test_prefixes(void)
{
    lsx_db *d = NULL;
    if (lsx_db_open(&d, NULL, LSX_DB_INMEMORY, NULL) != LSX_OK) {
        ok(0, "prefixes: cannot open an in-memory database");
        return;
    }
    lsx_article a = LSX_ARTICLE_INIT;
    a.id = "asean";
    a.title = "ASEAN summit";
    a.body = "The Association of Southeast Asian Nations met.";
    lsx_db_add(d, &a, NULL);
    a = (lsx_article)LSX_ARTICLE_INIT;
    a.id = "asia";
    a.title = "Markets";
    a.body = "Asian markets and the ASEANs of tomorrow.";
    lsx_db_add(d, &a, NULL);
    a = (lsx_article)LSX_ARTICLE_INIT;
    a.id = "viet";
    a.title = "Việt Nam";
    a.lang = "vi";
    a.body = "Người Việt ở Viêng Chăn.";
    lsx_db_add(d, &a, NULL);
    /* 1,100 distinct words starting zq: past the expansion cap */
    lsx_buf many = {0};
    for (int i = 0; i < 1100; i++)
        lsx_buf_printf(&many, "zq%04d ", i);
    a = (lsx_article)LSX_ARTICLE_INIT;
    a.id = "many";
    a.body = many.data;
    lsx_db_add(d, &a, NULL);
    is_int(lsx_db_commit(d), LSX_OK, "prefixes: indexed");
    lsx_buf_free(&many);

    char b[200];
    is_str(ids_in(d, "asea*", b, sizeof b), "asean asia", "asea* finds ASEAN and ASEANs");
    is_str(ids_in(d, "ASEA*", b, sizeof b), "asean asia", "case is folded");
    is_str(ids_in(d, "title:asea*", b, sizeof b), "asean", "title:asea* only in titles");
    is_str(ids_in(d, "asia*", b, sizeof b), "asean asia", "asia* finds Asian (the stem's prefix)");
    is_str(ids_in(d, "vie*", b, sizeof b), "viet", "vie* without diacritics finds every spelling");
    is_str(ids_in(d, "việ*", b, sizeof b), "viet", "việ* finds Việt");
    is_str(ids_in(d, "viê*", b, sizeof b), "viet", "viê* finds Viêng");
    is_str(ids_in(d, "viế*", b, sizeof b), "", "viế* (another tone) finds nothing");
    is_str(ids_in(d, "zq10*", b, sizeof b), "many", "zq10* (100 terms) is searched");
    is_str(ids_in(d, "asea* -title:summit", b, sizeof b), "asia", "a prefix with an exclusion");

    lsx_query *q = NULL;
    lsx_results *r = NULL;
    is_int(lsx_query_parse(&q, "zq*"), LSX_OK, "zq* parses");
    is_int(lsx_search(d, q, NULL, &r), LSX_EQUERY, "zq* (1,100 terms) is refused");
    is_str(lsx_db_errmsg(d), "prefix 'zq*' matches more than 1000 index terms (the limit is 1000): make it longer",
           "... saying so");
    lsx_query_free(q);
    is_int(lsx_query_parse(&q, "\"asea* summit\""), LSX_OK, "a prefix in a phrase parses");
    is_int(lsx_search(d, q, NULL, &r), LSX_EQUERY, "... but is refused by the search");
    lsx_query_free(q);
    lsx_db_free(d);
}

/* Issue 14: sort orders, older option structs, recency, explain, totals. */
static void test_sorting(void)
{
    char b[300];
    lsx_search_options o = LSX_SEARCH_OPTIONS_INIT;
    o.limit = 100;
    o.sort = LSX_SORT_NEWEST;
    lsx_query *q = NULL;
    lsx_results *r = NULL;
    lsx_query_parse(&q, "ASEAN OR trade OR ma");
    is_int(lsx_search(db, q, &o, &r), LSX_OK, "sort newest first");
    bool desc = lsx_results_count(r) >= 3;
    for (size_t i = 1; r && i < lsx_results_count(r); i++)
        desc &= strcmp(lsx_results_hit(r, i - 1)->date, lsx_results_hit(r, i)->date) >= 0;
    ok(desc, "... dates descend");
    lsx_results_free(r);
    o.sort = LSX_SORT_OLDEST;
    is_int(lsx_search(db, q, &o, &r), LSX_OK, "sort oldest first");
    bool asc = lsx_results_count(r) >= 3;
    for (size_t i = 1; r && i < lsx_results_count(r); i++)
        asc &= strcmp(lsx_results_hit(r, i - 1)->date, lsx_results_hit(r, i)->date) <= 0;
    ok(asc, "... dates ascend");
    /* en-meet and vi-meet share 2022-02-16: relevance breaks the tie */
    lsx_results_free(r);
    lsx_query_free(q);
    lsx_query_parse(&q, "ASEAN ASEAN Phnom");
    is_int(lsx_search(db, q, &o, &r), LSX_OK, "a tie on the date");
    ok(r && lsx_results_count(r) >= 2 && strcmp(lsx_results_hit(r, 0)->date, lsx_results_hit(r, 1)->date) == 0 &&
       lsx_results_hit(r, 0)->score >= lsx_results_hit(r, 1)->score, "... is broken by relevance");
    lsx_results_free(r);
    lsx_query_free(q);
    o.sort = 9;
    lsx_query_parse(&q, "asean");
    is_int(lsx_search(db, q, &o, &r), LSX_EINVAL, "an unknown sort order is refused");
    lsx_query_free(q);

    /* a version 1 struct: only the fields it had are read */
    struct v1 {
        unsigned version, offset, limit;
        double k1, b;
        unsigned flags;
        const char *hl_start, *hl_end;
        unsigned snippet_bytes;
        const char *const *facets;
        size_t nfacets;
        unsigned prf_docs, prf_terms;
        double prf_weight;
    } old = { 1, 0, 100, LSX_DEFAULT_K1, LSX_DEFAULT_B, 0, "", "", 200, NULL, 0, 0, 25, 0.3 };
    ok(sizeof old == offsetof(lsx_search_options, sort), "the version 1 layout is the start of version 2");
    lsx_query_parse(&q, "lang:vi");
    is_int(lsx_search(db, q, (const lsx_search_options *)(const void *)&old, &r), LSX_OK,
           "a version 1 options struct is accepted");
    desc = r && lsx_results_count(r) >= 3;
    for (size_t i = 1; r && i < lsx_results_count(r); i++)
        desc &= strcmp(lsx_results_hit(r, i - 1)->date, lsx_results_hit(r, i)->date) >= 0;
    ok(desc, "... with the defaults of the newer fields: filters only, newest first");
    ok(lsx_results_total_exact(r) == 1 || lsx_results_total(r) > 0, "a total");
    lsx_results_free(r);
    lsx_query_free(q);

    /* recency: a heavy boost with a short half-life puts the newest first */
    lsx_search_options ro = LSX_SEARCH_OPTIONS_INIT;
    ro.limit = 100;
    ro.recency_half_life = 30;
    ro.recency_weight = 1000;
    ro.flags = LSX_SEARCH_EXPLAIN;
    lsx_query_parse(&q, "ASEAN OR trade OR ma");
    is_int(lsx_search(db, q, &ro, &r), LSX_OK, "recency boost");
    desc = r && lsx_results_count(r) >= 3;
    for (size_t i = 1; r && i < lsx_results_count(r); i++)
        desc &= strcmp(lsx_results_hit(r, i - 1)->date, lsx_results_hit(r, i)->date) >= 0;
    ok(desc, "... a heavy one orders by date");
    ok(strstr(lsx_results_explain(r), "recency: + 1000 * 0.5^(age / 30 days)") != NULL, "... and is explained: %s",
       lsx_results_explain(r));
    ok(strstr(lsx_results_explain(r), "parsed: (or (word \"ASEAN\")") != NULL, "explain starts with the tree");
    lsx_results_free(r);
    ro.recency_half_life = -1;
    is_int(lsx_search(db, q, &ro, &r), LSX_EINVAL, "a negative half-life is refused");
    lsx_query_free(q);
    snprintf(b, sizeof b, "%s", lsx_results_explain(NULL));
    is_str(b, "", "no explanation without results");
}

/* Issue 14: more like this. */
static void test_like(void)
{
    lsx_results *r = NULL;
    lsx_search_options o = LSX_SEARCH_OPTIONS_INIT;
    o.limit = 100;
    o.flags = LSX_SEARCH_EXPLAIN;
    is_int(lsx_search_like(db, "en-meet", NULL, &o, &r), LSX_OK, "like en-meet");
    bool self = false, trade = false;
    for (size_t i = 0; r && i < lsx_results_count(r); i++) {
        self |= strcmp(lsx_results_hit(r, i)->id, "en-meet") == 0;
        trade |= strcmp(lsx_results_hit(r, i)->id, "en-trade") == 0;
    }
    ok(r && lsx_results_count(r) > 0 && !self, "... finds others, not itself");
    ok(trade, "... the article sharing Phnom Penh among them");
    ok(strstr(lsx_results_explain(r), "like en-meet: ") != NULL, "... explained");
    lsx_results_free(r);
    lsx_query *f = NULL;
    lsx_query_parse(&f, "date:2023");
    is_int(lsx_search_like(db, "en-meet", f, &o, &r), LSX_OK, "like en-meet, filtered by date:2023");
    bool dated = r && lsx_results_count(r) > 0;
    for (size_t i = 0; r && i < lsx_results_count(r); i++)
        dated &= strncmp(lsx_results_hit(r, i)->date, "2023", 4) == 0;
    ok(dated, "... only articles of 2023");
    lsx_results_free(r);
    lsx_query_free(f);
    is_int(lsx_search_like(db, "no-such-id", NULL, &o, &r), LSX_ENOTFOUND, "an unknown id: LSX_ENOTFOUND");
    ok(r == NULL, "... and no results");
    is_int(lsx_search_like(db, "", NULL, &o, &r), LSX_EINVAL, "an empty id: LSX_EINVAL");
}

static void test_label_cache(void)
{
    char dir[] = "/tmp/lsx-test-search.XXXXXX", path[300], cmd[400], b1[64], b2[64];
    if (!mkdtemp(dir)) {
        ok(0, "label cache: cannot make a temporary directory");
        return;
    }
    snprintf(path, sizeof path, "%s/db", dir);
    lsx_db *w = NULL, *r = NULL;
    lsx_article a = LSX_ARTICLE_INIT;
    a.id = "en";
    a.title = "Talks";
    a.body = "Ambassador Vu Ho led the delegation. Ambassador Vu Ho spoke.";
    int rc = lsx_db_open(&w, path, LSX_DB_WRITABLE | LSX_DB_CREATE, NULL);
    if (rc == LSX_OK && (rc = lsx_db_add(w, &a, NULL)) == LSX_OK)
        rc = lsx_db_commit(w);
    if (rc == LSX_OK)
        rc = lsx_db_open(&r, path, LSX_DB_READONLY, NULL);
    is_int(rc, LSX_OK, "label cache: a database with one English article, and a reader");
    is_str(person_label(r, "vu-ho", b1, sizeof b1), "Vu Ho", "the reader labels vu-ho as the record spells it");
    is_str(person_label(r, "vu-ho", b2, sizeof b2), "Vu Ho", "... again, from its cache");
    a.id = "vi";
    a.title = "Hội đàm";
    a.body = "Đại sứ Vũ Hồ dẫn đầu đoàn. Đại sứ Vũ Hồ phát biểu.";
    rc = lsx_db_add(w, &a, NULL);
    if (rc == LSX_OK)
        rc = lsx_db_commit(w);
    is_int(rc, LSX_OK, "a Vietnamese article spelling it with diacritics, committed");
    is_str(person_label(r, "vu-ho", b1, sizeof b1), "Vu Ho", "the reader's view has not moved");
    is_int(lsx_db_reopen(r), LSX_OK, "reopen the reader");
    is_str(person_label(r, "vu-ho", b2, sizeof b2), "Vũ Hồ", "after reopening: the spelling with diacritics");
    lsx_db_free(r);
    lsx_db_free(w);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", dir);
}

static const char *ids(const char *qs)
{
    static char buf[512];
    buf[0] = '\0';
    lsx_results *r = run(qs, NULL, NULL);
    for (size_t i = 0; r && i < lsx_results_count(r); i++) {
        if (i)
            strcat(buf, " ");
        strcat(buf, lsx_results_hit(r, i)->id);
    }
    lsx_results_free(r);
    return buf;
}

static int has(const char *list, const char *id)
{
    size_t n = strlen(id);
    for (const char *p = list; (p = strstr(p, id)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return 1;
    return 0;
}

int main(void)
{
    if (lsx_db_open(&db, NULL, LSX_DB_INMEMORY, NULL) != LSX_OK)
        skip_all("cannot open an in-memory database");
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        lsx_article a = LSX_ARTICLE_INIT;
        a.id = docs[i].id;
        a.title = docs[i].title;
        a.date = docs[i].date;
        a.lang = docs[i].lang;
        a.body = docs[i].body;
        if (lsx_db_add(db, &a, NULL) != LSX_OK)
            printf("# add %s: %s\n", a.id, lsx_db_errmsg(db));
    }
    is_int(lsx_db_commit(db), LSX_OK, "indexed the test articles");

    const char *r;
    {
        /* Issue 11: a repeated word is searched once, weighted by its count:
         * the scores are those of searching each repeat (here written in
         * other cases, which are not merged but make the same term). */
        lsx_results *merged = run("ministers trade ministers ministers", NULL, NULL);
        lsx_results *apart = run("ministers trade Ministers MINISTERS", NULL, NULL);
        size_t n1 = merged ? lsx_results_count(merged) : 0, n2 = apart ? lsx_results_count(apart) : 0;
        bool same = n1 == 2 && n1 == n2;
        for (size_t i = 0; same && i < n1; i++)
            same = strcmp(lsx_results_hit(merged, i)->id, lsx_results_hit(apart, i)->id) == 0 &&
                   fabs(lsx_results_hit(merged, i)->score - lsx_results_hit(apart, i)->score) < 1e-9;
        ok(same, "repeated words merged: the same hits and scores as repeats kept apart (%zu, %zu hits; %g, %g)",
           n1, n2, n1 ? lsx_results_hit(merged, 0)->score : 0.0, n2 ? lsx_results_hit(apart, 0)->score : 0.0);
        lsx_results *once = run("ministers trade", NULL, NULL);
        ok(once && merged && lsx_results_hit(merged, 0)->score > lsx_results_hit(once, 0)->score + 1e-6,
           "... and a repeated word weighs more than one given once");
        lsx_results_free(merged);
        lsx_results_free(apart);
        lsx_results_free(once);
    }
    r = ids("flood");
    is_str(r, "en-flood", "stemming: flood finds floods/flooding");
    r = ids("Running");
    is_str(r, "en-trade", "the same analyzer at query time: Running -> run");
    r = ids("\"Phnom Penh\"");
    ok(has(r, "en-meet") && has(r, "vi-meet") && !has(r, "en-trade"), "phrase matches in order only: %s", r);
    r = ids("phnom penh");
    ok(has(r, "en-trade"), "plain words match in any order: %s", r);
    r = ids("Việt Nam");
    ok(has(r, "vi-meet"), "Việt Nam finds the Vietnamese article: %s", r);
    r = ids("viet nam");
    ok(has(r, "vi-meet"), "viet nam (no diacritics) finds it too: %s", r);
    r = ids("VIET NAM");
    ok(has(r, "vi-meet"), "case does not matter: %s", r);
    r = ids("Vietnam");
    ok(has(r, "vi-meet") && has(r, "en-meet"), "the alias Vietnam also finds the article that says Việt Nam: %s", r);
    {
        /* Spellings with diacritics are E terms weighted like the word. */
        char err[LSX_ERRLEN];
        uint64_t tf = 0;
        const char *e = "Eviệt";
        xs_db_termfreq(db->x, e, strlen(e), &tf, err, sizeof err);
        is_int((int)tf, 1, "Việt is also indexed as its spelling");
    }
    r = ids("mã");
    is_str(r, "vi-ma2", "a word typed with diacritics matches its own spelling only (mã is not ma)");
    r = ids("ma");
    ok(has(r, "vi-ma") && has(r, "vi-ma2"), "a query without diacritics matches every spelling: %s", r);
    r = ids("năm");
    is_str(r, "vi-year", "năm is not nam");
    r = ids("nam");
    ok(has(r, "vi-year") && has(r, "vi-meet") && has(r, "en-flood"), "nam finds năm and Nam: %s", r);
    r = ids("Hội nghị năm");
    ok(has(r, "vi-meet") && has(r, "vi-year"), "OR of exact spellings: %s", r);
    r = ids("+kinh +tế");
    is_str(r, "vi-year", "te is not tế");
    r = ids("+kinh +te");
    ok(has(r, "vi-year") && has(r, "vi-plain"), "without diacritics, both: %s", r);
    r = ids("+kinh +te +năm");
    is_str(r, "vi-year", "a plain word matches every spelling even beside a word with diacritics");
    r = ids("\"gia ma\"");
    is_str(r, "vi-ma2", "a phrase without diacritics matches accented text in order");
    r = ids("\"giá mã\"");
    is_str(r, "vi-ma2", "a phrase with diacritics matches its spelling");
    r = ids("\"giá mà\"");
    is_str(r, "", "a phrase asks for the spellings of its words with diacritics (mà is not mã)");
    r = ids("\"giá ma\"");
    is_str(r, "vi-ma2", "and its plain words match every spelling");
    r = ids("giá NEAR mà");
    is_str(r, "", "NEAR asks for the spellings too");
    r = ids("title:mà");
    is_str(r, "", "title: with diacritics asks for the spelling");
    r = ids("gia NEAR ma");
    is_str(r, "vi-ma2", "NEAR over spellings");
    r = ids("title:mã");
    is_str(r, "vi-ma2", "title: with diacritics");
    r = ids("title:ma");
    ok(has(r, "vi-ma") && has(r, "vi-ma2"), "title: without diacritics matches every spelling: %s", r);
    r = ids("\"tang truong\"");
    ok(has(r, "vi-year") && has(r, "vi-plain"), "phrase over plain and accented documents: %s", r);
    r = ids("ASEAN AND flood");
    is_str(r, "", "AND needs both");
    r = ids("ASEAN NOT hội");
    is_str(r, "en-meet", "NOT excludes");
    r = ids("ASEAN NOT campuchia");
    is_str(r, "", "NOT with an alias excludes the entity in both languages");
    r = ids("+asean -cambodia");
    ok(!has(r, "en-meet") && has(r, "vi-meet") == 0, "+/-: %s", r);
    r = ids("title:floods");
    is_str(r, "en-flood", "title: field");
    r = ids("title:rain");
    is_str(r, "", "title: does not look in the body");
    r = ids("asean lang:vi");
    is_str(r, "vi-meet", "a filter among words restricts them");
    r = ids("asean lang:vi lang:en");
    ok(has(r, "vi-meet") && has(r, "en-meet"), "values of one field are alternatives: %s", r);
    r = ids("asean lang:vi date:2023");
    is_str(r, "", "different fields all apply");
    r = ids("+asean lang:vi");
    is_str(r, "vi-meet", "a filter beside a required word restricts too");
    r = ids("lang:vi");
    ok(has(r, "vi-meet") && has(r, "vi-ma") && !has(r, "en-meet"), "a filter alone: %s", r);
    r = ids("asean date:2022-02");
    ok(has(r, "en-meet") && has(r, "vi-meet") && !has(r, "en-flood"), "date month filter: %s", r);
    r = ids("date:2023");
    ok(has(r, "en-trade") && has(r, "vi-ma") && !has(r, "en-meet"), "date year filter alone: %s", r);
    r = ids("date:..2022-12-31 floods");
    is_str(r, "en-flood", "open-ended date range");
    r = ids("entity:cambodia");
    ok(has(r, "en-meet") && has(r, "vi-meet"), "entity filter matches both languages: %s", r);
    r = ids("person:\"Vũ Hồ\"");
    ok(has(r, "en-meet") && has(r, "vi-meet"), "person filter with diacritics: %s", r);
    r = ids("person:\"vu ho\"");
    ok(has(r, "en-meet") && has(r, "vi-meet"), "person filter without: %s", r);
    r = ids("the floods");
    is_str(r, "en-flood", "stopwords are dropped from word lists");

    /* Ranking: a word in the title outweighs one body mention. */
    r = ids("ministers");
    ok(strncmp(r, "en-meet", 7) == 0, "title match ranks first: %s", r);

    /* Paging, totals, BM25 parameters. */
    lsx_search_options o = LSX_SEARCH_OPTIONS_INIT;
    o.limit = 1;
    o.offset = 1;
    int rc;
    lsx_results *res = run("asean phnom penh", &o, &rc);
    is_int(rc, LSX_OK, "paged search");
    is_int(lsx_results_count(res), 1, "one hit on the page");
    is_int(lsx_results_hit(res, 0)->rank, 2, "rank counts from the whole list");
    ok(lsx_results_total(res) >= 3, "total covers all matches");
    lsx_results_free(res);
    lsx_search_options o2 = LSX_SEARCH_OPTIONS_INIT;
    res = run("floods", &o2, &rc);
    double s1 = res ? lsx_results_hit(res, 0)->score : 0;
    lsx_results_free(res);
    o2.k1 = 2.0;
    o2.b = 0.1;
    res = run("floods", &o2, &rc);
    double s2 = res ? lsx_results_hit(res, 0)->score : 0;
    lsx_results_free(res);
    ok(s1 > 0 && s2 > 0 && s1 != s2, "k1 and b change scores (%.4f vs %.4f)", s1, s2);
    o2.b = 1.5;
    res = run("floods", &o2, &rc);
    is_int(rc, LSX_EINVAL, "b out of range is refused");
    lsx_results_free(res);

    /* Snippets and highlighting. */
    lsx_search_options o3 = LSX_SEARCH_OPTIONS_INIT;
    o3.hl_start = "[";
    o3.hl_end = "]";
    res = run("flood", &o3, &rc);
    const lsx_hit *h = res ? lsx_results_hit(res, 0) : NULL;
    ok(h && strstr(h->snippet, "[floods]") && strstr(h->snippet, "[Flood]"), "snippet highlights: %s", h ? h->snippet : "");
    ok(h && strcmp(h->date, "2022-10-14") == 0 && strcmp(h->lang, "en") == 0, "hit fields");
    lsx_results_free(res);
    /* Words typed with diacritics highlight their own spelling only. */
    res = run("+hội +nghị năm", &o3, &rc);
    h = res && lsx_results_count(res) > 0 ? lsx_results_hit(res, 0) : NULL;
    ok(h && strcmp(h->id, "vi-meet") == 0 && strstr(h->snippet, "[Hội]") && strstr(h->snippet, "Nam") &&
           !strstr(h->snippet, "[Nam]"),
       "a query's năm does not highlight Nam: %s", h ? h->snippet : "");
    lsx_results_free(res);
    res = run("ma", &o3, &rc);
    int lit = 0;
    for (size_t i = 0; res && i < lsx_results_count(res); i++)
        if (strcmp(lsx_results_hit(res, i)->id, "vi-ma2") == 0)
            lit = strstr(lsx_results_hit(res, i)->snippet, "[Mã]") != NULL;
    ok(lit, "a query's ma (no diacritics) highlights Mã");
    lsx_results_free(res);
    o3.flags = LSX_SEARCH_NO_SNIPPETS;
    res = run("flood", &o3, &rc);
    ok(res && strcmp(lsx_results_hit(res, 0)->snippet, "") == 0, "no snippets when asked");
    lsx_results_free(res);

    /* Facets over the whole match set. */
    const char *specs[] = {"date:month", "entity:3", "place", "date:year"};
    lsx_search_options o4 = LSX_SEARCH_OPTIONS_INIT;
    o4.limit = 1;
    o4.facets = specs;
    o4.nfacets = 4;
    lsx_query *all = NULL;
    res = NULL;
    is_int(lsx_search(db, NULL, &o4, &res), LSX_OK, "match-all search with facets");
    is_int(lsx_results_total(res), 8, "exact total with facets");
    is_int(lsx_results_facet_count(res), 4, "four facets");
    const lsx_facet *f = lsx_results_facet(res, 0);
    ok(f && strcmp(f->name, "date") == 0 && f->nvalues == 5, "date:month has 5 months");
    ok(f && strcmp(lsx_facet_value_at(f, 0)->value, "2022-02") == 0 && lsx_facet_value_at(f, 0)->count == 2, "2022-02 counts 2");
    ok(f && strcmp(lsx_facet_value_at(f, 3)->value, "2023-05") == 0 && lsx_facet_value_at(f, 3)->count == 2, "2023-05 counts 2");
    ok(f && strcmp(lsx_facet_value_at(f, 4)->value, "2023-06") == 0 && lsx_facet_value_at(f, 4)->count == 2, "2023-06 counts 2");
    f = lsx_results_facet(res, 1);
    ok(f && f->nvalues <= 3 && f->nvalues > 0, "entity:3 gives at most 3 values");
    int seen_asean = 0;
    for (size_t i = 0; f && i < f->nvalues; i++)
        if (strcmp(lsx_facet_value_at(f, i)->value, "asean") == 0)
            seen_asean = lsx_facet_value_at(f, i)->count == 2;
    ok(seen_asean, "asean counted in both languages' articles once each");
    f = lsx_results_facet(res, 3);
    ok(f && f->nvalues == 2 && strcmp(lsx_facet_value_at(f, 1)->value, "2023") == 0 && lsx_facet_value_at(f, 1)->count == 5, "date:year");
    lsx_results_free(res);
    lsx_query_free(all);
    const char *pspec[] = {"person:5"};
    o4.facets = pspec;
    o4.nfacets = 1;
    res = NULL;
    is_int(lsx_search(db, NULL, &o4, &res), LSX_OK, "person facet");
    f = res ? lsx_results_facet(res, 0) : NULL;
    int vu_ho = 0;
    for (size_t i = 0; f && i < f->nvalues; i++)
        if (strcmp(lsx_facet_value_at(f, i)->value, "vu-ho") == 0)
            vu_ho = lsx_facet_value_at(f, i)->count == 2 && strcmp(lsx_facet_value_at(f, i)->label, "Vũ Hồ") == 0;
    ok(vu_ho, "Vũ Hồ / Vu Ho count once per article, labelled with diacritics");
    lsx_results_free(res);
    const char *badspec[] = {"colour:3"};
    o4.facets = badspec;
    o4.nfacets = 1;
    res = NULL;
    is_int(lsx_search(db, NULL, &o4, &res), LSX_EINVAL, "unknown facet is refused");
    ok(strstr(lsx_db_errmsg(db), "colour") != NULL, "message names it: %s", lsx_db_errmsg(db));

    /* The any-type entity facet merges an id typed differently in different
     * documents, and counts it once in a document that has it under two
     * types (values written straight through the shim). */
    lsx_db *tdb = NULL;
    is_int(lsx_db_open(&tdb, NULL, LSX_DB_INMEMORY, NULL), LSX_OK, "a second in-memory database");
    static const char *const typed[] = {"pfoo\nobar\n", "lfoo\n", "lzed\nobar\n", "pzed\n", "xqux\n", "pbaz\nlbaz\n"};
    int put = tdb != NULL;
    for (size_t i = 0; put && i < sizeof typed / sizeof typed[0]; i++) {
        char err[LSX_ERRLEN], idterm[16];
        xs_doc *d = NULL;
        snprintf(idterm, sizeof idterm, "Qt%zu", i);
        put = xs_doc_new(&d, err, sizeof err) == LSX_OK &&
              xs_doc_add_term(d, "word", 4, 1, err, sizeof err) == LSX_OK &&
              xs_doc_set_value(d, LSX_SLOT_ENTITIES, typed[i], strlen(typed[i]), err, sizeof err) == LSX_OK &&
              xs_db_replace(tdb->x, idterm, strlen(idterm), d, NULL, err, sizeof err) == LSX_OK;
        xs_doc_free(d);
    }
    ok(put, "six documents with typed entity values");
    const char *espec[] = {"entity:3", "person:5", "entity:10"};
    lsx_search_options eo = LSX_SEARCH_OPTIONS_INIT;
    eo.limit = 0;
    eo.facets = espec;
    eo.nfacets = 3;
    res = NULL;
    is_int(put ? lsx_search(tdb, NULL, &eo, &res) : -1, LSX_OK, "facets over them");
    const lsx_facet *ef = res ? lsx_results_facet(res, 0) : NULL;
    ok(ef && ef->nvalues == 3 && strcmp(lsx_facet_value_at(ef, 0)->value, "bar") == 0 && lsx_facet_value_at(ef, 0)->count == 2 &&
       strcmp(lsx_facet_value_at(ef, 1)->value, "foo") == 0 && lsx_facet_value_at(ef, 1)->count == 2 &&
       strcmp(lsx_facet_value_at(ef, 2)->value, "zed") == 0 && lsx_facet_value_at(ef, 2)->count == 2,
       "entity:3 sums an id over its types: bar 2, foo 2, zed 2 (qux 1 cut)");
    ok(ef && ef->nvalues > 1 && strcmp(lsx_facet_value_at(ef, 1)->label, "Foo") == 0, "... labelled from the id without a record");
    ef = res ? lsx_results_facet(res, 1) : NULL;
    ok(ef && ef->nvalues == 3 && strcmp(lsx_facet_value_at(ef, 0)->value, "baz") == 0 && lsx_facet_value_at(ef, 0)->count == 1 &&
       strcmp(lsx_facet_value_at(ef, 1)->value, "foo") == 0 && strcmp(lsx_facet_value_at(ef, 2)->value, "zed") == 0,
       "person:5 counts only the person-typed ones");
    ef = res ? lsx_results_facet(res, 2) : NULL;
    ok(ef && ef->nvalues == 5 && strcmp(lsx_facet_value_at(ef, 3)->value, "baz") == 0 && lsx_facet_value_at(ef, 3)->count == 1 &&
       strcmp(lsx_facet_value_at(ef, 4)->value, "qux") == 0, "entity:10: baz once for the document naming it as person and place");
    lsx_results_free(res);
    lsx_db_free(tdb);

    /* Ids only: the same hits and scores, nothing else. */
    lsx_search_options io = LSX_SEARCH_OPTIONS_INIT, fo = LSX_SEARCH_OPTIONS_INIT;
    io.flags = LSX_SEARCH_IDS_ONLY;
    lsx_results *full = run("asean OR floods OR ma", &fo, &rc), *bare = run("asean OR floods OR ma", &io, &rc);
    int same = full && bare && lsx_results_count(full) == lsx_results_count(bare) && lsx_results_count(full) > 3;
    int empty = same;
    for (size_t i = 0; same && i < lsx_results_count(full); i++) {
        const lsx_hit *a = lsx_results_hit(full, i), *b = lsx_results_hit(bare, i);
        same &= strcmp(a->id, b->id) == 0 && a->score == b->score && a->rank == b->rank;
        empty &= !*b->title && !*b->date && !*b->lang && !*b->source && !*b->snippet &&
                 b->date_source == LSX_DATE_NONE && *a->title && *a->snippet;
    }
    ok(same, "LSX_SEARCH_IDS_ONLY: the same ids, ranks and scores");
    ok(empty, "... with the other fields empty");
    lsx_results_free(full);
    lsx_results_free(bare);

    /* A document indexed before the id slot existed, with a version 2 record
     * (the entity list inside it): ids-only hits read the id from the record,
     * and get reads the entities from it. */
    {
        lsx_db *odb = NULL;
        char err[LSX_ERRLEN];
        static const char blob[] = "L\002\000" "\005old-1" "\003Old" "\000" "\002en" "\000"
                                   "\022pvu-ho\tVũ Hồ\t1\n";
        size_t blen = sizeof blob - 1, zlen = 0;
        char *zbody = NULL;
        xs_doc *d = NULL;
        int made = lsx_db_open(&odb, NULL, LSX_DB_INMEMORY, NULL) == LSX_OK &&
                   xs_doc_new(&d, err, sizeof err) == LSX_OK &&
                   lsx_body_encode("legacy text", 11, &zbody, &zlen, err) == LSX_OK &&
                   xs_doc_set_value(d, LSX_SLOT_BODY, zbody, zlen, err, sizeof err) == LSX_OK &&
                   xs_doc_add_posting(d, "legacy", 6, 1, 1, err, sizeof err) == LSX_OK &&
                   xs_doc_add_boolean(d, "XEvu-ho", 7, err, sizeof err) == LSX_OK &&
                   xs_doc_set_value(d, LSX_SLOT_ENTITIES, "pvu-ho\n", 7, err, sizeof err) == LSX_OK &&
                   xs_doc_set_data(d, blob, blen, err, sizeof err) == LSX_OK &&
                   xs_db_replace(odb->x, "Qold-1", 6, d, NULL, err, sizeof err) == LSX_OK;
        xs_doc_free(d);
        free(zbody);
        lsx_doc *od = NULL;
        ok(made && lsx_db_get(odb, "old-1", &od) == LSX_OK && lsx_doc_entity_count(od) == 1 &&
               strcmp(lsx_doc_entity(od, 0)->name, "Vũ Hồ") == 0,
           "get: the entities of a version 2 record come from the record");
        lsx_doc_free(od);
        char lb[64];
        is_str(person_label(odb, "vu-ho", lb, sizeof lb), "Vũ Hồ",
               "facet label of an entity named only in a version 2 record");
        lsx_query *oq = NULL;
        lsx_results *ores = NULL;
        lsx_search_options oo = LSX_SEARCH_OPTIONS_INIT;
        oo.flags = LSX_SEARCH_IDS_ONLY;
        made = made && lsx_query_parse(&oq, "legacy") == LSX_OK && lsx_search(odb, oq, &oo, &ores) == LSX_OK;
        ok(made && lsx_results_count(ores) == 1 && strcmp(lsx_results_hit(ores, 0)->id, "old-1") == 0,
           "ids only on a document without the id slot: the id comes from its record");
        lsx_results_free(ores);
        lsx_query_free(oq);
        lsx_db_free(odb);
    }

    test_label_cache();
    test_vietnamese_spellings();
    test_prefixes();
    test_sorting();
    test_like();

    /* Pseudo-relevance feedback. */
    lsx_search_options po;
    lsx_search_options_init(&po, LSX_SEARCH_OPTIONS_VERSION);
    ok(po.prf_docs == 0 && po.prf_terms == LSX_DEFAULT_PRF_TERMS && po.prf_weight == LSX_DEFAULT_PRF_WEIGHT &&
       po.k1 == LSX_DEFAULT_K1 && po.b == LSX_DEFAULT_B, "options init: feedback off, documented defaults");

    /* Init by version: a caller built against version 1 of the struct gets
     * version 1's bytes only (the guard bytes after them stay as they were:
     * the abi.sh test shows the overrun under ASan), its version is 1, and
     * versions 0 and from the future are refused without writing. */
    {
        unsigned char buf[sizeof(lsx_search_options) + 16];
        const size_t v1 = offsetof(lsx_search_options, prf_weight) + sizeof(double);
        memset(buf, 0xAB, sizeof buf);
        int rc = lsx_search_options_init((lsx_search_options *)(void *)buf, 1);
        size_t untouched = 0;
        for (size_t i = v1; i < sizeof buf; i++)
            untouched += buf[i] == 0xAB;
        unsigned v;
        memcpy(&v, buf, sizeof v);
        lsx_search_options o1;
        memcpy(&o1, buf, v1);
        ok(rc == LSX_OK && v == 1 && untouched == sizeof buf - v1 && o1.limit == 10 && o1.k1 == LSX_DEFAULT_K1,
           "options init of version 1 writes version 1's %zu bytes only (%zu of %zu after them untouched)", v1,
           untouched, sizeof buf - v1);
        memset(buf, 0xAB, sizeof buf);
        int rc0 = lsx_search_options_init((lsx_search_options *)(void *)buf, 0);
        int rcf = lsx_search_options_init((lsx_search_options *)(void *)buf, LSX_SEARCH_OPTIONS_VERSION + 1);
        ok(rc0 == LSX_EINVAL && rcf == LSX_EINVAL && buf[0] == 0xAB && buf[sizeof buf - 1] == 0xAB &&
           lsx_search_options_init(NULL, 1) == LSX_EINVAL,
           "options init refuses version 0, a future version and NULL, writing nothing");
    }

    /* Options ABI: the macro leaves tunable defaults to the library (same
     * scores as the numbers init() fills in), a literal 0 stays 0, and
     * versions 0 and from the future are refused with a message. */
    {
        lsx_search_options mo = LSX_SEARCH_OPTIONS_INIT, io2;
        lsx_search_options_init(&io2, LSX_SEARCH_OPTIONS_VERSION);
        ok(mo.k1 < 0 && mo.b < 0 && mo.prf_terms == 0 && mo.prf_weight < 0 && mo.snippet_bytes == 0,
           "LSX_SEARCH_OPTIONS_INIT holds no tunable numbers");
        int rc1 = -99, rc2 = -99, rc3 = -99;
        lsx_results *r1 = run("asean ministers", &mo, &rc1), *r2 = run("asean ministers", &io2, &rc2);
        ok(rc1 == LSX_OK && rc2 == LSX_OK && lsx_results_count(r1) > 0 &&
           lsx_results_count(r1) == lsx_results_count(r2) &&
           lsx_results_hit(r1, 0)->score == lsx_results_hit(r2, 0)->score &&
           strcmp(lsx_results_hit(r1, 0)->snippet, lsx_results_hit(r2, 0)->snippet) == 0,
           "macro defaults resolve to the library's defaults at run time");
        mo.k1 = 0;
        lsx_results *r3 = run("asean ministers", &mo, &rc3);
        ok(rc3 == LSX_OK && lsx_results_count(r3) > 0 && lsx_results_hit(r3, 0)->score != lsx_results_hit(r1, 0)->score,
           "k1 = 0 is used as given (%g vs %g)", r3 && lsx_results_count(r3) ? lsx_results_hit(r3, 0)->score : -1.0,
           r1 && lsx_results_count(r1) ? lsx_results_hit(r1, 0)->score : -1.0);
        lsx_results_free(r1);
        lsx_results_free(r2);
        lsx_results_free(r3);
        lsx_search_options bad = LSX_SEARCH_OPTIONS_INIT;
        bad.version = 0;
        is_int(lsx_search(db, NULL, &bad, &r1), LSX_EINVAL, "options version 0 is refused");
        bad.version = LSX_SEARCH_OPTIONS_VERSION + 1;
        is_int(lsx_search(db, NULL, &bad, &r1), LSX_EINVAL, "options from a later version are refused");
        ok(strstr(lsx_db_errmsg(db), "lsx_search_options version") != NULL, "message: %s", lsx_db_errmsg(db));
        bad.version = 1;
        is_int(lsx_search(db, NULL, &bad, &r1), LSX_OK, "version 1 options are accepted");
        lsx_results_free(r1);
    }
    ok(!has(ids("tariffs"), "en-meet"), "without feedback 'tariffs' finds only the trade article");
    po.prf_docs = 1;
    res = run("tariffs", &po, &rc);
    is_int(rc, LSX_OK, "feedback search");
    ok(res && lsx_results_count(res) > 1 && strcmp(lsx_results_hit(res, 0)->id, "en-trade") == 0,
       "feedback keeps the trade article first and finds more");
    int found_meet = 0;
    for (size_t i = 0; res && i < lsx_results_count(res); i++)
        found_meet |= strcmp(lsx_results_hit(res, i)->id, "en-meet") == 0;
    ok(found_meet, "... the article sharing 'phnom penh' with it");
    lsx_results_free(res);
    po.prf_weight = 0;
    res = run("tariffs", &po, &rc);
    is_int(rc, LSX_EINVAL, "feedback weight 0 is refused");
    lsx_results_free(res);

    lsx_db_free(db);
    return done_testing();
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * truth-table.c - Boolean queries over filters and words against a
 * brute-force evaluation (run by tests/cli/query.sh on the sample corpus).
 *
 *   truth-table DB [COUNT [SEED]]
 *
 * Random query trees over words and filters (AND, OR, NOT, juxtaposition,
 * +/- marks, parentheses and unparenthesised precedence) are written out as
 * query strings, searched, and the set of ids found is compared with the
 * set the tree means, computed document by document: filters from each
 * stored document (its language, date and entities), words from the
 * documents a search for the single word finds (word matching is not what
 * is tested here), and the operators with the documented rules:
 *
 *   a AND b, a NOT b, NOT a     intersection, difference, complement
 *   items side by side / OR     union of the words; filters beside words
 *                               narrow them (values of one field are
 *                               alternatives, different fields all apply);
 *                               +x required, -x excluded; an explicit OR
 *                               joining a filter makes one alternative of
 *                               its whole OR chain.
 * Speaks TAP.
 */
#include "libsearch.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXDOCS 64
typedef uint64_t set;            /* one bit per document */

static lsx_db *db;
static size_t ndocs;
static char *ids[MAXDOCS];
static char langs[MAXDOCS][8], dates[MAXDOCS][16];
static lsx_doc *docs[MAXDOCS];
static set ALL;

/* ---- atoms ---------------------------------------------------------------- */

static const char *const words[] = { "asean", "dengue", "rice", "trade", "hội", "việt", "digital",
                                     "festival" };
static set word_sets[sizeof words / sizeof words[0]];

typedef struct filter {
    const char *text;            /* as typed in a query */
    const char *field;           /* the field whose values are alternatives */
    bool (*match)(size_t doc, const struct filter *f);
    const char *a, *b;           /* value, or date range [a, b] */
} filter;

static bool match_lang(size_t d, const filter *f) { return strcmp(langs[d], f->a) == 0; }

static bool match_date(size_t d, const filter *f)
{
    return dates[d][0] && strcmp(dates[d], f->a) >= 0 && strcmp(dates[d], f->b) <= 0;
}

static bool match_entity(size_t d, const filter *f)
{
    for (size_t i = 0; i < lsx_doc_entity_count(docs[d]); i++) {
        const lsx_entity *e = lsx_doc_entity(docs[d], i);
        bool type_ok = strcmp(f->field, "entity") == 0 || strcmp(lsx_entity_type_str(e->type), f->b) == 0;
        if (type_ok && strcmp(e->id, f->a) == 0)
            return true;
    }
    return false;
}

static const filter filters[] = {
    { "lang:vi", "lang", match_lang, "vi", NULL },
    { "lang:en", "lang", match_lang, "en", NULL },
    { "date:2023", "date", match_date, "2023-01-01", "2023-12-31" },
    { "date:2022-10..2023-09", "date", match_date, "2022-10-01", "2023-09-31" },
    { "date:2024-01", "date", match_date, "2024-01-01", "2024-01-31" },
    { "entity:jakarta", "entity", match_entity, "jakarta", NULL },
    { "entity:vietnam", "entity", match_entity, "vietnam", NULL },
    { "place:hanoi", "place", match_entity, "hanoi", "place" },
    { "place:vientiane", "place", match_entity, "vientiane", "place" },
};
#define NWORDS (sizeof words / sizeof words[0])
#define NFILTERS (sizeof filters / sizeof filters[0])

/* ---- searching ------------------------------------------------------------ */

/* The ids a query finds, as a set; false (with a message) on an error. */
static bool search_set(const char *text, set *out)
{
    lsx_query *q = NULL;
    lsx_results *r = NULL;
    lsx_search_options o = LSX_SEARCH_OPTIONS_INIT;
    o.limit = 1000;
    o.flags = LSX_SEARCH_IDS_ONLY;
    int rc = lsx_query_parse(&q, text);
    if (rc != LSX_OK) {
        printf("# parse error in [%s]: %s\n", text, q ? lsx_query_errmsg(q) : "out of memory");
        lsx_query_free(q);
        return false;
    }
    rc = lsx_search(db, q, &o, &r);
    lsx_query_free(q);
    if (rc != LSX_OK) {
        printf("# search error in [%s]: %s\n", text, lsx_db_errmsg(db));
        return false;
    }
    *out = 0;
    for (size_t i = 0; i < lsx_results_count(r); i++) {
        const char *id = lsx_results_hit(r, i)->id;
        size_t d = 0;
        while (d < ndocs && strcmp(ids[d], id) != 0)
            d++;
        if (d == ndocs) {
            printf("# [%s] found an unknown id %s\n", text, id);
            lsx_results_free(r);
            return false;
        }
        *out |= (set)1 << d;
    }
    lsx_results_free(r);
    return true;
}

/* ---- query trees ------------------------------------------------------------ */

enum kind { K_WORD, K_FILTER, K_AND, K_NOT1, K_ANDNOT, K_GROUP };

#define MAXITEMS 4
typedef struct node {
    enum kind kind;
    int atom;                    /* K_WORD, K_FILTER */
    struct node *a, *b;          /* K_AND, K_NOT1 (a), K_ANDNOT */
    /* K_GROUP: items side by side; each a chain of operands joined by OR */
    size_t nitems, chain_len[MAXITEMS];
    struct node *chain[MAXITEMS][3];
    char mark[MAXITEMS];         /* '+', '-' or 0, for chains of one operand */
} node;

static uint64_t rng_state;

static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
    return (unsigned)((rng_state >> 33) % n);
}

static node *leaf(void)
{
    node *n = calloc(1, sizeof *n);
    if (rnd(2)) {
        n->kind = K_WORD;
        n->atom = (int)rnd(NWORDS);
    } else {
        n->kind = K_FILTER;
        n->atom = (int)rnd(NFILTERS);
    }
    return n;
}

static node *gen(int depth)
{
    if (depth == 0 || rnd(4) == 0)
        return leaf();
    node *n = calloc(1, sizeof *n);
    switch (rnd(5)) {
    case 0: n->kind = K_AND; n->a = gen(depth - 1); n->b = gen(depth - 1); break;
    case 1: n->kind = K_NOT1; n->a = gen(depth - 1); break;
    case 2: n->kind = K_ANDNOT; n->a = gen(depth - 1); n->b = gen(depth - 1); break;
    default:
        n->kind = K_GROUP;
        n->nitems = 1 + rnd(MAXITEMS);
        for (size_t i = 0; i < n->nitems; i++) {
            n->chain_len[i] = rnd(3) == 0 ? 2 + rnd(2) : 1;
            for (size_t k = 0; k < n->chain_len[i]; k++)
                n->chain[i][k] = gen(depth - 1);
            n->mark[i] = n->chain_len[i] == 1 && rnd(3) == 0 ? "+-"[rnd(2)] : 0;
        }
        if (n->nitems == 1 && n->chain_len[0] == 1)
            n->mark[0] = 0;      /* a group of one is its item */
        break;
    }
    return n;
}

static void free_node(node *n)
{
    if (!n)
        return;
    free_node(n->a);
    free_node(n->b);
    for (size_t i = 0; i < n->nitems; i++)
        for (size_t k = 0; k < n->chain_len[i]; k++)
            free_node(n->chain[i][k]);
    free(n);
}

/* A node that only restricts (the documented rule: filters, and operators over them). */
static bool is_filter(const node *n)
{
    switch (n->kind) {
    case K_WORD: return false;
    case K_FILTER: return true;
    case K_AND: case K_ANDNOT: return is_filter(n->a) && is_filter(n->b);
    case K_NOT1: return is_filter(n->a);
    case K_GROUP:
        for (size_t i = 0; i < n->nitems; i++)
            for (size_t k = 0; k < n->chain_len[i]; k++)
                if (!is_filter(n->chain[i][k]))
                    return false;
        return true;
    }
    return false;
}

typedef struct buf {
    char s[4096];
    size_t n;
} buf;

static void put(buf *b, const char *s)
{
    size_t l = strlen(s);
    if (b->n + l < sizeof b->s) {
        memcpy(b->s + b->n, s, l + 1);
        b->n += l;
    }
}

static void render(buf *b, const node *n);

/* An operand of AND / NOT: parenthesised unless a leaf (or, half the time,
 * an AND under AND, which binds the same way without them). */
static void render_operand(buf *b, const node *n, bool and_ok)
{
    bool bare = n->kind == K_WORD || n->kind == K_FILTER || (and_ok && n->kind == K_AND && rnd(2));
    if (!bare)
        put(b, "(");
    render(b, n);
    if (!bare)
        put(b, ")");
}

static void render(buf *b, const node *n)
{
    switch (n->kind) {
    case K_WORD: put(b, words[n->atom]); break;
    case K_FILTER: put(b, filters[n->atom].text); break;
    case K_AND:
        render_operand(b, n->a, true);
        put(b, " AND ");
        render_operand(b, n->b, false);
        break;
    case K_NOT1:
        put(b, "NOT ");
        render_operand(b, n->a, false);
        break;
    case K_ANDNOT:
        render_operand(b, n->a, false);
        put(b, " NOT ");
        render_operand(b, n->b, false);
        break;
    case K_GROUP:
        for (size_t i = 0; i < n->nitems; i++) {
            if (i)
                put(b, " ");
            for (size_t k = 0; k < n->chain_len[i]; k++) {
                if (k)
                    put(b, " OR ");
                const node *x = n->chain[i][k];
                if (n->mark[i])
                    put(b, n->mark[i] == '+' ? "+" : "-");
                /* AND binds tighter than OR and juxtaposition: no parentheses needed */
                render_operand(b, x, !n->mark[i]);
            }
        }
        break;
    }
}

/* ---- the reference evaluation ---------------------------------------------- */

static set eval(const node *n);

static set eval_filter(int f)
{
    set s = 0;
    for (size_t d = 0; d < ndocs; d++)
        if (filters[f].match(d, &filters[f]))
            s |= (set)1 << d;
    return s;
}

/* A group of one unmarked operand is that operand. */
static const node *unwrap(const node *n)
{
    while (n && n->kind == K_GROUP && n->nitems == 1 && n->chain_len[0] == 1 && !n->mark[0])
        n = n->chain[0][0];
    return n;
}

static set eval_group(const node *n)
{
    /* the items of the group, after OR chains with a filter became one item */
    const node *item[MAXITEMS * 3];
    set val[MAXITEMS * 3];
    char mark[MAXITEMS * 3];
    bool filt[MAXITEMS * 3];
    size_t ni = 0;
    for (size_t i = 0; i < n->nitems; i++) {
        bool any_filter = false;
        for (size_t k = 0; k < n->chain_len[i] && n->chain_len[i] > 1; k++)
            any_filter |= is_filter(n->chain[i][k]);
        if (any_filter) {
            set u = 0;
            bool all_filters = true;
            for (size_t k = 0; k < n->chain_len[i]; k++) {
                u |= eval(n->chain[i][k]);
                all_filters &= is_filter(n->chain[i][k]);
            }
            item[ni] = NULL;
            val[ni] = u;
            mark[ni] = 0;
            filt[ni++] = all_filters;
            continue;
        }
        for (size_t k = 0; k < n->chain_len[i]; k++) {
            item[ni] = unwrap(n->chain[i][k]);
            val[ni] = eval(n->chain[i][k]);
            mark[ni] = n->mark[i];
            filt[ni++] = is_filter(n->chain[i][k]);
        }
    }
    set req = ALL, opt = 0, excl = 0, fset = ALL;
    bool any_req = false, any_opt = false;
    bool used[MAXITEMS * 3] = { false };
    for (size_t i = 0; i < ni; i++) {
        if (mark[i] == '-') {
            excl |= val[i];
        } else if (filt[i]) {
            if (used[i])
                continue;
            /* single filters of one field are alternatives */
            const char *field = item[i] && item[i]->kind == K_FILTER ? filters[item[i]->atom].field : NULL;
            set alt = val[i];
            for (size_t j = i + 1; field && j < ni; j++)
                if (!used[j] && mark[j] != '-' && filt[j] && item[j] && item[j]->kind == K_FILTER &&
                    strcmp(filters[item[j]->atom].field, field) == 0) {
                    alt |= val[j];
                    used[j] = true;
                }
            fset &= alt;
        } else if (mark[i] == '+') {
            req &= val[i];
            any_req = true;
        } else {
            opt |= val[i];
            any_opt = true;
        }
    }
    set core = any_req ? req : any_opt ? opt : ALL;
    return core & fset & ~excl;
}

static set eval(const node *n)
{
    switch (n->kind) {
    case K_WORD: return word_sets[n->atom];
    case K_FILTER: return eval_filter(n->atom);
    case K_AND: return eval(n->a) & eval(n->b);
    case K_NOT1: return ALL & ~eval(n->a);
    case K_ANDNOT: return eval(n->a) & ~eval(n->b);
    case K_GROUP: return eval_group(n);
    }
    return 0;
}

/* ---- main ------------------------------------------------------------------- */

static void show_set(const char *what, set s)
{
    printf("#   %s:", what);
    for (size_t d = 0; d < ndocs; d++)
        if (s >> d & 1)
            printf(" %s", ids[d]);
    printf("\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: truth-table DB [COUNT [SEED]]\n");
        return 2;
    }
    unsigned count = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 2000;
    rng_state = argc > 3 ? strtoull(argv[3], NULL, 10) : 20261206;
    if (lsx_db_open(&db, argv[1], LSX_DB_READONLY, NULL) != LSX_OK) {
        printf("Bail out! cannot open %s: %s\n", argv[1], db ? lsx_db_errmsg(db) : "");
        return 1;
    }
    /* every document, with its stored fields */
    lsx_results *r = NULL;
    lsx_search_options o = LSX_SEARCH_OPTIONS_INIT;
    o.limit = MAXDOCS + 1;
    o.flags = LSX_SEARCH_NO_SNIPPETS;
    if (lsx_search(db, NULL, &o, &r) != LSX_OK || lsx_results_count(r) > MAXDOCS) {
        printf("Bail out! cannot list the documents (or more than %d)\n", MAXDOCS);
        return 1;
    }
    ndocs = lsx_results_count(r);
    for (size_t d = 0; d < ndocs; d++) {
        const lsx_hit *h = lsx_results_hit(r, d);
        ids[d] = strdup(h->id);
        snprintf(langs[d], sizeof langs[d], "%s", h->lang);
        snprintf(dates[d], sizeof dates[d], "%s", h->date);
        if (lsx_db_get(db, h->id, &docs[d]) != LSX_OK) {
            printf("Bail out! cannot get %s\n", h->id);
            return 1;
        }
        ALL |= (set)1 << d;
    }
    lsx_results_free(r);

    int n = 0, failed = 0;
    /* the atoms mean something on this corpus: each matches some documents but not all */
    for (size_t w = 0; w < NWORDS; w++) {
        bool good = search_set(words[w], &word_sets[w]) && word_sets[w] && word_sets[w] != ALL;
        printf("%s %d - word %s matches some documents\n", good ? "ok" : "not ok", ++n, words[w]);
        failed += !good;
    }
    for (size_t f = 0; f < NFILTERS; f++) {
        set want = eval_filter((int)f), got = 0;
        bool good = search_set(filters[f].text, &got) && got == want && want && want != ALL;
        printf("%s %d - filter %s matches the documents whose stored fields say so\n",
               good ? "ok" : "not ok", ++n, filters[f].text);
        failed += !good;
    }

    unsigned wrong = 0, shown = 0, nonempty = 0;
    for (unsigned i = 0; i < count; i++) {
        node *t = gen(3);
        buf b = { "", 0 };
        render(&b, t);
        set want = eval(t), got = 0;
        bool good = search_set(b.s, &got) && got == want;
        nonempty += want != 0 && want != ALL;
        if (!good) {
            wrong++;
            if (shown++ < 10) {
                printf("# query: %s\n", b.s);
                show_set("expected", want);
                show_set("got", got);
            }
        }
        free_node(t);
    }
    printf("%s %d - %u random queries agree with the brute-force evaluation (%u wrong)\n",
           wrong ? "not ok" : "ok", ++n, count, wrong);
    failed += wrong != 0;
    bool varied = nonempty * 4 >= count;
    printf("%s %d - the queries are not trivial (%u of %u match some but not all documents)\n",
           varied ? "ok" : "not ok", ++n, nonempty, count);
    failed += !varied;

    for (size_t d = 0; d < ndocs; d++) {
        lsx_doc_free(docs[d]);
        free(ids[d]);
    }
    lsx_db_free(db);
    printf("1..%d\n", n);
    return failed ? 1 : 0;
}

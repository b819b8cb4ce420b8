/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * search.c - turning a parsed query into a Xapian query, running it, and
 * assembling results: hits with snippets, and facet counts.
 *
 * Words are analysed with the index-time analyzer.  Because the query's
 * language is unknown (and the index may hold both), each word is looked up
 * in two search forms: English-stemmed and folded-unstemmed (the Vietnamese
 * form).  Where they differ, the forms that occur in the index are combined
 * with OP_SYNONYM, so a word scores once whichever form the document used.
 * A word typed with diacritics asks for that spelling (its E term): "mã"
 * (code) does not find "ma" (ghost), and the matcher reads the exact term's
 * postings, not those of every spelling; a word without diacritics matches
 * every spelling ("viet nam" finds "Việt Nam").  A word or
 * phrase that is a gazetteer alias also matches the entity's term, so
 * "Vietnam" finds articles that only say "Việt Nam".
 */
#include "private.h"

#include <math.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ends[v - 1]: the end of the last field of version v */
static const size_t search_options_ends[] = {LSX__END(lsx_search_options, prf_weight),
                                             LSX__END(lsx_search_options, recency_weight)};

int lsx_search_options_init(lsx_search_options *opts, unsigned version)
{
    const lsx_search_options d = {.version = LSX_SEARCH_OPTIONS_VERSION, .limit = 10, .k1 = LSX_DEFAULT_K1,
                                  .b = LSX_DEFAULT_B, .hl_start = "", .hl_end = "",
                                  .snippet_bytes = LSX_DEFAULT_SNIPPET_BYTES,
                                  .prf_terms = LSX_DEFAULT_PRF_TERMS, .prf_weight = LSX_DEFAULT_PRF_WEIGHT,
                                  .sort = LSX_SORT_AUTO, .recency_weight = LSX_DEFAULT_RECENCY_WEIGHT};
    return lsx__init_versioned(opts, &d, search_options_ends, LSX_SEARCH_OPTIONS_VERSION, version);
}

/* The caller's options of any known version, over the defaults; the
 * tunable fields left at 0 or LSX_DEFAULT get the library's defaults. */
static int read_search_options(lsx_db *db, const lsx_search_options *opts, lsx_search_options *o)
{
    lsx_search_options_init(o, LSX_SEARCH_OPTIONS_VERSION);
    if (!opts)
        return LSX_OK;
    int rc = lsx__read_versioned(o, opts, search_options_ends, LSX_SEARCH_OPTIONS_VERSION, "lsx_search_options",
                                 db->err);
    if (rc != LSX_OK)
        return rc;
    if (o->k1 < 0)
        o->k1 = LSX_DEFAULT_K1;
    if (o->b < 0)
        o->b = LSX_DEFAULT_B;
    if (o->snippet_bytes == 0)
        o->snippet_bytes = LSX_DEFAULT_SNIPPET_BYTES;
    if (o->prf_terms == 0)
        o->prf_terms = LSX_DEFAULT_PRF_TERMS;
    if (o->prf_weight < 0)
        o->prf_weight = LSX_DEFAULT_PRF_WEIGHT;
    if (o->recency_weight < 0)
        o->recency_weight = LSX_DEFAULT_RECENCY_WEIGHT;
    return LSX_OK;
}

const lsx_facet_value *lsx_facet_value_at(const lsx_facet *f, size_t i)
{
    return f && i < f->nvalues ? (const lsx_facet_value *)f->lsx__values + i : NULL;
}

/* ---- compiling the query tree ------------------------------------------ */

/* The languages whose stems a query word is looked up in: those of the
 * query's lang: filters, else those of the database (most documents
 * first), at most this many. */
#define QLANGS 8

typedef struct qtoken {
    char stem[QLANGS][LSX_MAX_WORD_BYTES + 8];   /* its stem in each query language */
    size_t nstems;
    char folded[LSX_MAX_WORD_BYTES + 8];         /* folded, unstemmed */
    char exact[LSX_MAX_WORD_BYTES + 8];
    bool stop;
} qtoken;

typedef struct qtokens {
    qtoken *t;
    size_t n, cap;
    size_t pass;       /* 0: folded forms; p > 0: the stems of language p - 1 */
    size_t i;
    bool oom;
} qtokens;

typedef struct compiler {
    lsx_db *db;
    lsx_analyzer *an;
    lsx_extractor *ex;
    const char *qlang;     /* for stopwords */
    const char *langs[QLANGS];   /* stemming languages of the query (see QLANGS) */
    size_t nlangs;
    bool plain;            /* inside PHRASE/NEAR: one term per word, no OR/SYNONYM */
    bool no_name_lookup;   /* lsx_query_parse_words text: no unquoted multi-word aliases */
    unsigned unscored;     /* inside the excluded side of an AND_NOT: only the match set counts */
    lsx_buf *explain;      /* LSX_SEARCH_EXPLAIN: how each part was understood, a line each */
    xs_query **spell;      /* inside PHRASE/NEAR: E terms the words asked for */
    size_t nspell, spell_cap;
    char **terms;          /* highlight terms (unprefixed search forms) */
    size_t nterms, cap;
    int rc;
    char err[LSX_ERRLEN];
} compiler;

static int fail(compiler *c, int rc, const char *fmt, const char *arg)
{
    if (c->rc == LSX_OK) {
        c->rc = rc;
        snprintf(c->err, sizeof c->err, fmt, arg);
    }
    return rc;
}

static void copy_term(char *dst, const char *src, size_t len)
{
    if (len > LSX_MAX_WORD_BYTES + 7)
        len = LSX_MAX_WORD_BYTES + 7;
    memcpy(dst, src, len);
    dst[len] = '\0';
}

static int on_qtoken(void *payload, const lsx_token *t)
{
    qtokens *q = payload;
    if (q->pass == 0) {
        qtoken *p = lsx__grow(q->t, q->n, &q->cap, sizeof *p, 4);
        if (!p) {
            q->oom = true;
            return 1;
        }
        q->t = p;
        qtoken *k = &q->t[q->n++];
        copy_term(k->folded, t->term, t->term_len);
        copy_term(k->exact, t->exact, t->exact_len);
        k->nstems = 0;
        k->stop = t->stopword != 0;
    } else if (q->i < q->n) {
        /* words split the same in every language: token i is word i */
        qtoken *k = &q->t[q->i++];
        copy_term(k->stem[k->nstems++], t->term, t->term_len);
    }
    return 0;
}

/* The search forms of a token, each once: its stems, then its folded form. */
static size_t qforms(const qtoken *k, const char *out[QLANGS + 1])
{
    size_t n = 0;
    for (size_t i = 0; i <= k->nstems; i++) {
        const char *f = i < k->nstems ? k->stem[i] : k->folded;
        bool seen = false;
        for (size_t j = 0; j < n && !seen; j++)
            seen = strcmp(out[j], f) == 0;
        if (!seen)
            out[n++] = f;
    }
    return n;
}

/* A word's tokens: folded by the chain with no language (no stemmer), then
 * stemmed in each language of the query. */
static int analyze_word(compiler *c, const char *text, qtokens *out)
{
    memset(out, 0, sizeof *out);
    size_t len = strlen(text);
    int rc = lsx_analyze(c->an, "und", text, len, on_qtoken, out);
    for (size_t l = 0; l < c->nlangs && rc == LSX_OK && !out->oom; l++) {
        out->pass = l + 1;
        out->i = 0;
        rc = lsx_analyze(c->an, c->langs[l], text, len, on_qtoken, out);
    }
    if (out->oom)
        return fail(c, LSX_ENOMEM, "%s", "out of memory");
    if (rc < 0)
        return fail(c, rc, "analysis failed: %s", lsx_analyzer_errmsg(c->an));
    /* Stopword status follows the query's language, not the English pass. */
    for (size_t i = 0; i < out->n; i++)
        out->t[i].stop = lsx_is_stopword(c->qlang, out->t[i].exact, strlen(out->t[i].exact)) != 0;
    return LSX_OK;
}

/* One line of the explanation (when asked for). */
static void explain(compiler *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void explain(compiler *c, const char *fmt, ...)
{
    if (!c->explain)
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    lsx_buf_puts(c->explain, line);
    lsx_buf_putc(c->explain, '\n');
}

/* "prefix asea*: 2 terms: asean aseans" (the first 20 of them). */
static void explain_expansion(compiler *c, const char *shown, const char *const *terms, size_t n)
{
    if (!c->explain)
        return;
    lsx_buf b = {0};
    if (n > LSX_QUERY_MAX_EXPANSION)
        lsx_buf_printf(&b, "prefix %s: more than %d terms", shown, LSX_QUERY_MAX_EXPANSION);
    else
        lsx_buf_printf(&b, "prefix %s: %zu term%s%s", shown, n, n == 1 ? "" : "s", n ? ":" : "");
    for (size_t i = 0; i < n && i < 20 && n <= LSX_QUERY_MAX_EXPANSION; i++)
        lsx_buf_printf(&b, " %s", terms[i]);
    if (n > 20 && n <= LSX_QUERY_MAX_EXPANSION)
        lsx_buf_puts(&b, " ...");
    if (b.data && !b.oom)
        explain(c, "%s", b.data);
    lsx_buf_free(&b);
}

static void add_hl_term(compiler *c, const char *t)
{
    for (size_t i = 0; i < c->nterms; i++)
        if (strcmp(c->terms[i], t) == 0)
            return;
    char **p = lsx__grow(c->terms, c->nterms, &c->cap, sizeof *p, 16);
    if (!p)
        return;
    c->terms = p;
    char *d = lsx_strdup(t);
    if (d)
        c->terms[c->nterms++] = d;
}

static uint64_t termfreq(compiler *c, const char *term)
{
    uint64_t f = 0;
    char err[LSX_ERRLEN];
    if (xs_db_termfreq(c->db->x, term, strlen(term), &f, err, sizeof err) != LSX_OK)
        return 0;
    return f;
}

static xs_query *make_term(compiler *c, const char *prefix, const char *t)
{
    char buf[LSX_MAX_WORD_BYTES * 2 + 16];
    size_t n = lsx__prefixed(buf, sizeof buf, prefix, t, strlen(t));
    xs_query *q = xs_query_term(buf, n, 1);
    if (!q)
        fail(c, LSX_ENOMEM, "%s", "out of memory");
    return q;
}

static xs_query *combine(compiler *c, xs_op op, xs_query **subs, size_t n, unsigned window)
{
    xs_query *q = xs_query_combine(op, subs, n, window);
    for (size_t i = 0; i < n; i++)
        xs_query_free(subs[i]);
    if (!q)
        fail(c, LSX_EUNSUPPORTED, "%s", "unsupported query: NEAR and phrases take only words");
    return q;
}

/* Whether a token is typed with diacritics that folding removed: such a
 * word is asked for in that spelling (its E term). */
static bool spelt(const qtoken *k)
{
    return lsx__has_spelling(k->folded, strlen(k->folded), k->exact, strlen(k->exact));
}

/* Remember an exact-spelling filter for the enclosing PHRASE/NEAR. */
static void push_spelling(compiler *c, xs_query *e)
{
    xs_query **p = lsx__grow(c->spell, c->nspell, &c->spell_cap, sizeof *p, 4);
    if (!p) {
        xs_query_free(e);
        fail(c, LSX_ENOMEM, "%s", "out of memory");
        return;
    }
    c->spell = p;
    c->spell[c->nspell++] = e;
}

/* Restrict a PHRASE/NEAR query `q` to documents with the exact spellings its
 * words asked for (those pushed since `mark`). */
static xs_query *with_spellings(compiler *c, xs_query *q, size_t mark)
{
    size_t n = c->nspell - mark;
    if (n == 0)
        return q;
    if (!q) {
        for (size_t i = mark; i < c->nspell; i++)
            xs_query_free(c->spell[i]);
        c->nspell = mark;
        return NULL;
    }
    xs_query **subs = calloc(n + 1, sizeof *subs);
    if (!subs) {
        xs_query_free(q);
        return with_spellings(c, NULL, mark);
    }
    subs[0] = q;
    memcpy(subs + 1, c->spell + mark, n * sizeof *subs);
    c->nspell = mark;
    q = combine(c, XS_OP_FILTER, subs, n + 1, 0);
    free(subs);
    return q;
}

/*
 * The query for one token.  Its search forms (its stems in the query's
 * languages and its folded form) that are in the index, as one SYNONYM
 * (inside PHRASE/NEAR, which take single terms, the commonest one; with
 * none in the index, the first).  A word typed with diacritics that
 * folding removed asks for that spelling: its E term alone ("mã" is not
 * "ma"); inside PHRASE/NEAR and title:, whose terms are folded, the folded
 * query filtered by the E term (for PHRASE/NEAR, by the caller).
 */
static xs_query *token_query(compiler *c, const qtoken *k, const char *prefix, bool negated)
{
    char buf[LSX_MAX_WORD_BYTES * 2 + 16];
    xs_query *q;
    bool exact = spelt(k);
    const char *forms[QLANGS + 1];
    size_t nf = qforms(k, forms);
    if (c->explain) {
        lsx_buf b = {0};
        for (size_t i = 0; i < nf; i++) {
            lsx_buf_printf(&b, "%s%s", i ? ", " : "", forms[i]);
            for (size_t l = 0; l < k->nstems; l++)
                if (strcmp(k->stem[l], forms[i]) == 0 && strcmp(k->folded, forms[i]) != 0) {
                    lsx_buf_printf(&b, " (%s stem)", c->langs[l]);
                    break;
                }
            if (nf > 1 && strcmp(k->folded, forms[i]) == 0)
                lsx_buf_puts(&b, " (folded)");
        }
        explain(c, "word %s%s: search form%s %s%s", *prefix ? "in title " : "", k->exact, nf > 1 ? "s" : "",
                b.data && !b.oom ? b.data : "", exact ? "; typed with diacritics: only that spelling" : "");
        lsx_buf_free(&b);
    }
    if (!negated && exact) {
        lsx__prefixed(buf, sizeof buf, LSX_HL_SPELLING, k->exact, strlen(k->exact));
        add_hl_term(c, buf);
    } else if (!negated) {
        for (size_t i = 0; i < nf; i++)
            add_hl_term(c, forms[i]);
    }
    if (exact && !c->plain && !*prefix)
        return make_term(c, LSX_PFX(EXACT), k->exact);
    if (nf == 1) {
        q = make_term(c, prefix, forms[0]);
    } else {
        xs_query *subs[QLANGS + 1];
        size_t ns = 0, best = 0;
        uint64_t best_f = 0;
        for (size_t i = 0; i < nf; i++) {
            lsx__prefixed(buf, sizeof buf, prefix, forms[i], strlen(forms[i]));
            uint64_t f = termfreq(c, buf);
            if (f > best_f) {
                best_f = f;
                best = i;
            }
            if (f && !c->plain)
                subs[ns++] = make_term(c, prefix, forms[i]);
        }
        if (c->plain || ns <= 1) {
            /* positional operators need single terms: the commonest form */
            for (size_t i = 0; i < ns; i++)
                xs_query_free(subs[i]);
            q = make_term(c, prefix, forms[best]);
        } else {
            bool ok = true;
            for (size_t i = 0; i < ns; i++)
                ok &= subs[i] != NULL;
            q = ok ? combine(c, XS_OP_SYNONYM, subs, ns, 0) : NULL;
            if (!ok)
                for (size_t i = 0; i < ns; i++)
                    xs_query_free(subs[i]);
        }
    }
    if (q && exact) {
        xs_query *e = make_term(c, LSX_PFX(EXACT), k->exact);
        if (!e) {
            xs_query_free(q);
            return NULL;
        }
        if (c->plain) {
            push_spelling(c, e);
        } else {
            xs_query *two[2] = {q, e};
            q = combine(c, XS_OP_FILTER, two, 2, 0);
        }
    }
    return q;
}

/* Gazetteer alias: also match the entity term. */
static xs_query *with_alias(compiler *c, xs_query *q, const char *text)
{
    if (!q || !c->ex || c->plain)
        return q;
    lsx_entity_type type;
    const char *id = lsx_gazetteer_lookup(c->ex, text, strlen(text), &type);
    if (!id)
        return q;
    explain(c, "alias %s: also entity:%s", text, id);
    xs_query *two[2] = {q, make_term(c, LSX_PFX(ENTITY), id)};
    if (!two[1])
        return q;
    return combine(c, XS_OP_OR, two, 2, 0);
}

static xs_query *compile(compiler *c, const lsx_qnode *n, bool negated);

static const char *field_prefix(const char *field)
{
    return field && strcmp(field, "title") == 0 ? LSX_PFX(TITLE) : "";
}

/* Words of a WORD or PHRASE node, as one flat token list (phrase children in order). */
static int node_tokens(compiler *c, const lsx_qnode *n, qtokens *all)
{
    memset(all, 0, sizeof *all);
    if (n->type == LSX_Q_WORD)
        return analyze_word(c, n->text ? n->text : "", all);
    for (size_t i = 0; i < n->nchildren; i++) {
        qtokens one;
        int rc = analyze_word(c, n->children[i]->text ? n->children[i]->text : "", &one);
        if (rc != LSX_OK) {
            free(all->t);
            return rc;
        }
        if (all->n + one.n > all->cap) {
            size_t cap = all->n + one.n + 4;
            qtoken *p = realloc(all->t, cap * sizeof *p);
            if (!p) {
                free(one.t);
                free(all->t);
                return fail(c, LSX_ENOMEM, "%s", "out of memory");
            }
            all->t = p;
            all->cap = cap;
        }
        if (one.n)
            memcpy(all->t + all->n, one.t, one.n * sizeof *one.t);
        all->n += one.n;
        free(one.t);
    }
    return LSX_OK;
}

/* A word ending in '*' (after at least one other character): a prefix. */
static bool is_prefix_word(const lsx_qnode *n)
{
    if (n->type != LSX_Q_WORD || !n->text)
        return false;
    size_t len = strlen(n->text);
    return len >= 2 && n->text[len - 1] == '*' && n->text[len - 2] != '*';
}

/* The terms starting with `pfx` as one SYNONYM (NULL with c->rc set when
 * more than the cap; NULL with c->rc OK when none).  `hl` adds the terms,
 * less `strip` bytes of prefix, to the highlight list. */
static xs_query *expand_prefix(compiler *c, const char *pfx, const char *shown, size_t strip, bool hl)
{
    /* E terms are highlighted as the spellings they are */
    const bool spelling = strip == 0 && strncmp(pfx, LSX_PFX(EXACT), strlen(LSX_PFX(EXACT))) == 0;
    char **terms = NULL;
    size_t nt = 0;
    char err[LSX_ERRLEN];
    int rc = xs_prefix_terms(c->db->x, pfx, strlen(pfx), LSX_QUERY_MAX_EXPANSION + 1, &terms, &nt, err,
                             sizeof err);
    if (rc != LSX_OK) {
        fail(c, rc, "%s", err);
        return NULL;
    }
    xs_query *q = NULL;
    if (nt > LSX_QUERY_MAX_EXPANSION) {
        char msg[LSX_ERRLEN];
        snprintf(msg, sizeof msg, "prefix '%.100s' matches more than %d index terms (the limit is %d): "
                 "make it longer", shown, LSX_QUERY_MAX_EXPANSION, LSX_QUERY_MAX_EXPANSION);
        fail(c, LSX_EQUERY, "%s", msg);
    } else if (nt > 0) {
        xs_query **subs = calloc(nt, sizeof *subs);
        size_t k = 0;
        for (size_t i = 0; subs && i < nt; i++) {
            if (!(subs[k] = xs_query_term(terms[i], strlen(terms[i]), 1)))
                break;
            k++;
            if (hl && spelling) {
                char buf[LSX_MAX_WORD_BYTES * 2 + 16];
                const char *w = terms[i] + strlen(LSX_PFX(EXACT));
                if (lsx__prefixed(buf, sizeof buf, LSX_HL_SPELLING, w, strlen(w)))
                    add_hl_term(c, buf);
            } else if (hl && strlen(terms[i]) > strip) {
                add_hl_term(c, terms[i] + strip);
            }
        }
        if (subs && k == nt)
            q = k == 1 ? subs[0] : combine(c, XS_OP_SYNONYM, subs, k, 0);
        else {
            for (size_t i = 0; i < k; i++)
                xs_query_free(subs[i]);
            fail(c, LSX_ENOMEM, "%s", "out of memory");
        }
        free(subs);
    }
    explain_expansion(c, shown, (const char *const *)terms, nt);
    xs_terms_free(terms, NULL, nt);
    return q;
}

/* The E terms of a prefix typed with diacritics, as one SYNONYM (NULL when
 * none, or with c->rc set on an error): the spellings starting with `exact`;
 * without a tone, also those with one on a vowel of its last vowel group
 * ("ngươ*" finds "người", "đe*" "đèn"); and the words whose tone another
 * placement puts at its end ("hò*" finds "hòa", indexed as "hoà").  At most
 * LSX_QUERY_MAX_EXPANSION terms in all. */
static xs_query *expand_spelling(compiler *c, const char *exact, const char *shown, bool hl)
{
    char forms[1 + LSX_TONE_VARIANTS][LSX_MAX_WORD_BYTES + 1];
    char alt[2][LSX_MAX_WORD_BYTES + 1];
    size_t nforms = 1, nalt = lsx__tone_alternates(exact, alt);
    if (strlen(exact) > LSX_MAX_WORD_BYTES) {
        fail(c, LSX_EQUERY, "prefix '%.100s' is too long", shown);
        return NULL;
    }
    strcpy(forms[0], exact);
    nforms += lsx__tone_variants(exact, forms + 1);

    const size_t cap = LSX_QUERY_MAX_EXPANSION;
    char **all = NULL;               /* the terms found, E-prefixed */
    size_t nall = 0, allcap = 0;
    char pfx[LSX_MAX_WORD_BYTES * 2 + 16], err[LSX_ERRLEN];
    bool over = false;
    for (size_t i = 0; i < nforms + nalt && !over && c->rc == LSX_OK; i++) {
        const char *form = i < nforms ? forms[i] : alt[i - nforms];
        lsx__prefixed(pfx, sizeof pfx, LSX_PFX(EXACT), form, strlen(form));
        char **terms = NULL;
        size_t nt = 0;
        if (i >= nforms) {           /* a whole word */
            if (termfreq(c, pfx) == 0)
                continue;
            char *d = lsx_strdup(pfx);
            if (!d || !(terms = malloc(sizeof *terms))) {
                free(d);
                fail(c, LSX_ENOMEM, "%s", "out of memory");
                break;
            }
            terms[0] = d;
            nt = 1;
        } else {
            int rc = xs_prefix_terms(c->db->x, pfx, strlen(pfx), cap + 1 - nall, &terms, &nt, err, sizeof err);
            if (rc != LSX_OK) {
                fail(c, rc, "%s", err);
                break;
            }
        }
        if (nall + nt > cap) {
            over = true;
        } else {
            char **p = all;
            if (nall + nt > allcap && (p = realloc(all, (nall + nt) * sizeof *all)) != NULL)
                allcap = nall + nt;
            if (nt && !p) {
                fail(c, LSX_ENOMEM, "%s", "out of memory");
            } else {
                all = p;
                for (size_t j = 0; j < nt; j++) {
                    all[nall++] = terms[j];
                    terms[j] = NULL;
                }
            }
        }
        xs_terms_free(terms, NULL, nt);
    }
    xs_query *q = NULL;
    if (over) {
        char msg[LSX_ERRLEN];
        snprintf(msg, sizeof msg, "prefix '%.100s' matches more than %d index terms (the limit is %d): "
                 "make it longer", shown, LSX_QUERY_MAX_EXPANSION, LSX_QUERY_MAX_EXPANSION);
        fail(c, LSX_EQUERY, "%s", msg);
    } else if (c->rc == LSX_OK && nall > 0) {
        xs_query **subs = calloc(nall, sizeof *subs);
        size_t k = 0;
        for (; subs && k < nall; k++) {
            if (!(subs[k] = xs_query_term(all[k], strlen(all[k]), 1)))
                break;
            const char *w = all[k] + strlen(LSX_PFX(EXACT));
            if (hl && lsx__prefixed(pfx, sizeof pfx, LSX_HL_SPELLING, w, strlen(w)))
                add_hl_term(c, pfx);
        }
        if (subs && k == nall) {
            q = k == 1 ? subs[0] : combine(c, XS_OP_SYNONYM, subs, k, 0);
        } else {
            for (size_t j = 0; j < k; j++)
                xs_query_free(subs[j]);
            fail(c, LSX_ENOMEM, "%s", "out of memory");
        }
        free(subs);
    }
    if (c->rc == LSX_OK || over) {
        for (size_t i = 0; i < nall; i++)    /* shown without the E */
            memmove(all[i], all[i] + strlen(LSX_PFX(EXACT)), strlen(all[i]) + 1 - strlen(LSX_PFX(EXACT)));
        explain_expansion(c, shown, (const char *const *)all, over ? cap + 1 : nall);
    }
    for (size_t i = 0; i < nall; i++)
        free(all[i]);
    free(all);
    return q;
}

/*
 * word* and title:word*: every index term starting with the word's search
 * form, folded and unstemmed ("asea*" finds asean, "viet*" every spelling
 * of viet..., "việ*" only the spellings with those diacritics, as words do).
 */
static xs_query *compile_prefix(compiler *c, const lsx_qnode *n, bool negated)
{
    if (c->plain) {
        fail(c, LSX_EQUERY, "prefix '%.100s' cannot be part of a phrase or NEAR", n->text);
        return NULL;
    }
    size_t len = strlen(n->text) - 1;
    char stem[LSX_MAX_WORD_BYTES * 4];
    if (len >= sizeof stem) {
        fail(c, LSX_EQUERY, "prefix '%.100s' is too long", n->text);
        return NULL;
    }
    memcpy(stem, n->text, len);
    stem[len] = '\0';
    qtokens toks;
    if (analyze_word(c, stem, &toks) != LSX_OK)
        return NULL;
    if (toks.n != 1) {
        free(toks.t);
        fail(c, LSX_EQUERY, "prefix '%.100s' must be one word (letters and digits)", n->text);
        return NULL;
    }
    const qtoken *k = &toks.t[0];
    const char *folded = k->folded, *fprefix = field_prefix(n->field);
    char pfx[LSX_MAX_WORD_BYTES * 2 + 16];
    xs_query *q;
    if (spelt(k) && !*fprefix) {
        /* typed with diacritics: the spellings that start so */
        q = expand_spelling(c, k->exact, n->text, !negated);
    } else {
        lsx__prefixed(pfx, sizeof pfx, fprefix, folded, strlen(folded));
        q = expand_prefix(c, pfx, n->text, strlen(fprefix), !negated);
        if (q && spelt(k)) {
            /* title:việ*: title words starting vie, in documents with a
             * spelling starting việ */
            xs_query *e = expand_spelling(c, k->exact, n->text, false);
            xs_query *two[2] = {q, e};
            q = e ? combine(c, XS_OP_FILTER, two, 2, 0) : (xs_query_free(q), NULL);
        }
    }
    free(toks.t);
    return q;
}

/* A word (possibly several tokens, e.g. "COVID-19") or a phrase. */
static xs_query *compile_text(compiler *c, const lsx_qnode *n, bool negated)
{
    if (is_prefix_word(n))
        return compile_prefix(c, n, negated);
    for (size_t i = 0; i < n->nchildren; i++)
        if (is_prefix_word(n->children[i])) {
            fail(c, LSX_EQUERY, "prefix '%.100s' cannot be part of a phrase or NEAR", n->children[i]->text);
            return NULL;
        }
    qtokens toks;
    if (node_tokens(c, n, &toks) != LSX_OK)
        return NULL;
    const char *prefix = field_prefix(n->field);
    xs_query *q = NULL;
    if (toks.n == 1) {
        q = token_query(c, &toks.t[0], prefix, negated);
    } else if (toks.n > 1) {
        xs_query **subs = calloc(toks.n, sizeof *subs);
        size_t k = 0;
        if (!subs) {
            fail(c, LSX_ENOMEM, "%s", "out of memory");
        } else {
            bool was_plain = c->plain;
            size_t mark = c->nspell;
            c->plain = true;
            for (; k < toks.n; k++)
                if (!(subs[k] = token_query(c, &toks.t[k], prefix, negated)))
                    break;
            c->plain = was_plain;
            if (k == toks.n) {
                q = combine(c, XS_OP_PHRASE, subs, k, (unsigned)k);
            } else {
                for (size_t j = 0; j < k; j++)
                    xs_query_free(subs[j]);
            }
            free(subs);
            if (!was_plain)
                q = with_spellings(c, q, mark);
        }
    }
    free(toks.t);
    if (q && !*prefix) {
        if (n->type == LSX_Q_WORD) {
            q = with_alias(c, q, n->text);
        } else {
            lsx_buf phrase = {0};
            for (size_t i = 0; i < n->nchildren; i++) {
                if (i)
                    lsx_buf_putc(&phrase, ' ');
                lsx_buf_puts(&phrase, n->children[i]->text ? n->children[i]->text : "");
            }
            if (phrase.data && !phrase.oom)
                q = with_alias(c, q, phrase.data);
            lsx_buf_free(&phrase);
        }
    }
    return q;
}

static bool is_filter_node(const lsx_qnode *n)
{
    return n->type == LSX_Q_FILTER || n->type == LSX_Q_DATE;
}

/* A word made only of stopwords (in the query's language). */
static bool is_stop_word_node(compiler *c, const lsx_qnode *n)
{
    if (n->type != LSX_Q_WORD || (n->field && strcmp(n->field, "title") != 0) || is_prefix_word(n))
        return false;
    qtokens t;
    if (analyze_word(c, n->text ? n->text : "", &t) != LSX_OK) {
        c->rc = LSX_OK; /* only a hint: fall back to keeping the word */
        return false;
    }
    bool stop = t.n > 0;
    for (size_t i = 0; i < t.n; i++)
        stop &= t.t[i].stop;
    free(t.t);
    return stop;
}

static xs_query *compile_filter(compiler *c, const lsx_qnode *n)
{
    const char *f = n->field ? n->field : "";
    const char *v = n->text ? n->text : "";
    if (strcmp(f, "lang") == 0) {
        char low[16];
        size_t l = strlen(v);
        if (l >= sizeof low)
            l = sizeof low - 1;
        for (size_t i = 0; i < l; i++)
            low[i] = (char)((v[i] >= 'A' && v[i] <= 'Z') ? v[i] + 32 : v[i]);
        low[l] = '\0';
        explain(c, "filter lang:%s: documents in that language", low);
        return make_term(c, LSX_PFX(LANG), low);
    }
    /* The entity fields: those the schema's facet table types as entities. */
    const lsx_schema_facet *fc = lsx__schema_facet(f, strlen(f));
    lsx_term_field tf = lsx__schema_field(f, strlen(f));
    const char *prefix = fc && fc->kind == LSX_FACET_ENTITY && tf != LSX_T_COUNT ? lsx__schema_terms[tf].prefix : NULL;
    if (!prefix) {
        fail(c, LSX_EINVAL, "unknown filter field '%s'", f);
        return NULL;
    }
    if (!c->ex) {
        fail(c, LSX_ERROR, "%s", c->db->err);
        return NULL;
    }
    char *id = lsx_entity_normalize(c->ex, v);
    if (!id) {
        fail(c, LSX_ENOMEM, "%s", "out of memory");
        return NULL;
    }
    explain(c, "filter %s:%s: documents naming entity %s%s%s", f, v, id, strcmp(f, "entity") ? " as a " : "",
            strcmp(f, "entity") ? f : "");
    xs_query *q = make_term(c, prefix, id);
    free(id);
    return q;
}

/*
 * The parser has made every restriction explicit (a filter beside words is
 * an AND with them), so an OR here is a union, filters included: `asean OR
 * lang:vi` is every ASEAN article and every Vietnamese one.
 */
/* A plain word, which may start or continue an unquoted multi-word alias. */
static bool alias_word(const lsx_qnode *n)
{
    return n->type == LSX_Q_WORD && !n->field && n->text && *n->text;
}

/* The gazetteer's longest names have 11 words ("Declaration on the Conduct
 * of Parties in the South China Sea"). */
#define ALIAS_MAX_WORDS 12

/*
 * Gazetteer aliases of two to twelve plain words side by side, as the same
 * words in quotes would find them: unquoted `Đà Nẵng` (or `Da Nang`) also
 * matches the entity's articles.  The longest name wins and its words are
 * not looked at again (`Thành phố Hồ Chí Minh` is the city, not also the
 * person named in it).  Adds the entity terms to subs[*k..].
 */
static void add_unquoted_aliases(compiler *c, const lsx_qnode *n, xs_query **subs, size_t *k)
{
    if (!c->ex || c->plain || c->no_name_lookup)
        return;
    const char *ids[64];      /* the gazetteer's strings, alive as long as it */
    size_t nseen = 0;
    for (size_t i = 0; i + 1 < n->nchildren && c->rc == LSX_OK; i++) {
        if (!alias_word(n->children[i]) || !alias_word(n->children[i + 1]))
            continue;
        for (size_t len = ALIAS_MAX_WORDS; len >= 2; len--) {
            if (i + len > n->nchildren)
                continue;
            lsx_buf text = {0};
            bool good = true;
            for (size_t j = i; j < i + len && good; j++) {
                good = alias_word(n->children[j]);
                if (j > i)
                    lsx_buf_putc(&text, ' ');
                if (good)
                    lsx_buf_puts(&text, n->children[j]->text);
            }
            const char *id = NULL;
            lsx_entity_type type;
            if (good && text.data && !text.oom)
                id = lsx_gazetteer_lookup(c->ex, text.data, text.len, &type);
            if (!id) {
                lsx_buf_free(&text);
                continue;
            }
            bool seen = false;   /* each entity once per group */
            for (size_t j = 0; j < nseen && !seen; j++)
                seen = strcmp(ids[j], id) == 0;
            if (!seen && nseen < sizeof ids / sizeof ids[0])
                ids[nseen++] = id;
            if (!seen)
                explain(c, "alias %s (unquoted): also entity:%s", text.data, id);
            lsx_buf_free(&text);
            if (!seen) {
                xs_query *q = make_term(c, LSX_PFX(ENTITY), id);
                if (q)
                    subs[(*k)++] = q;
            }
            i += len - 1;    /* the words of the name are used */
            break;
        }
    }
}

static xs_query *compile_children(compiler *c, const lsx_qnode *n, xs_op op, bool negated)
{
    /* room for the children and, for OR, the aliases of word sequences */
    xs_query **subs = calloc(n->nchildren ? 2 * n->nchildren : 1, sizeof *subs);
    if (!subs) {
        fail(c, LSX_ENOMEM, "%s", "out of memory");
        return NULL;
    }
    /* A plain word repeated in an OR group is searched once, its weight
     * scaled by its count: the scores of searching each repeat (an OR sums
     * its subqueries' weights), at the cost of one. */
    size_t *repeats = NULL;
    lsx_strmap firsts = {0};
    if (op == XS_OP_OR && n->nchildren > 1 && (repeats = calloc(n->nchildren, sizeof *repeats))) {
        for (size_t i = 0; i < n->nchildren; i++) {
            const lsx_qnode *w = n->children[i];
            repeats[i] = 1;
            if (w->type != LSX_Q_WORD || w->field || !w->text)
                continue;
            size_t first = lsx__strmap_get(&firsts, w->text, strlen(w->text));
            if (first != SIZE_MAX) {
                repeats[first]++;
                repeats[i] = 0;
            } else if (!lsx__strmap_add(&firsts, w->text, strlen(w->text), i)) {
                fail(c, LSX_ENOMEM, "%s", "out of memory");
            }
        }
    }
    lsx__strmap_free(&firsts);
    /* Plain-word lists drop stopwords unless nothing else is left. */
    bool drop_stop = false;
    bool *stop = NULL;
    if (op == XS_OP_OR && n->nchildren > 1 && (stop = calloc(n->nchildren, sizeof *stop))) {
        bool any_content = false;
        for (size_t i = 0; i < n->nchildren; i++) {
            if (repeats && repeats[i] == 0)
                continue;
            stop[i] = is_stop_word_node(c, n->children[i]);
            any_content |= !stop[i];
        }
        drop_stop = any_content;
    }
    size_t k = 0;
    for (size_t i = 0; i < n->nchildren && c->rc == LSX_OK; i++) {
        if (drop_stop && stop[i] && (!repeats || repeats[i] > 0))
            explain(c, "word %s: a stopword, dropped", n->children[i]->text);
        if ((drop_stop && stop[i]) || (repeats && repeats[i] == 0))
            continue;
        if (repeats && repeats[i] > 1)
            explain(c, "word %s: given %zu times, weighted so", n->children[i]->text, repeats[i]);
        xs_query *q = compile(c, n->children[i], negated);
        if (q && repeats && repeats[i] > 1) {
            xs_query *scaled = xs_query_scale(q, (double)repeats[i]);
            xs_query_free(q);
            if (!(q = scaled))
                fail(c, LSX_ENOMEM, "%s", "out of memory");
        }
        if (q)
            subs[k++] = q;
    }
    if (op == XS_OP_OR && n->nchildren > 1 && c->rc == LSX_OK && !negated)
        add_unquoted_aliases(c, n, subs, &k);
    free(repeats);
    free(stop);
    xs_query *q = NULL;
    if (c->rc != LSX_OK) {
        for (size_t i = 0; i < k; i++)
            xs_query_free(subs[i]);
    } else if (k == 1) {
        q = subs[0];
    } else if (k > 1) {
        q = combine(c, op, subs, k, n->window);
    }
    free(subs);
    return q;
}

/* AND: scored children are ANDed; filter children restrict without scoring. */
static xs_query *compile_and(compiler *c, const lsx_qnode *n, bool negated)
{
    size_t nc = n->nchildren;
    xs_query **scored = calloc(nc ? nc : 1, sizeof *scored);
    xs_query **filters = calloc(nc + 1, sizeof *filters);
    size_t ns = 0, nf = 0;
    bool empty = false;
    if (!scored || !filters) {
        fail(c, LSX_ENOMEM, "%s", "out of memory");
    } else {
        for (size_t i = 0; i < nc && c->rc == LSX_OK; i++) {
            xs_query *q = compile(c, n->children[i], negated);
            if (!q) {
                empty = true; /* a child that matches nothing */
                continue;
            }
            if (lsx__qnode_only_filters(n->children[i]))
                filters[nf++] = q;
            else
                scored[ns++] = q;
        }
    }
    xs_query *q = NULL;
    if (c->rc == LSX_OK && !empty && ns + nf > 0) {
        xs_query *s = NULL;
        if (ns == 1)
            s = scored[0];
        else if (ns > 1)
            s = combine(c, XS_OP_AND, scored, ns, 0);
        ns = 0;
        if (!s) {
            q = nf == 1 ? filters[0] : combine(c, XS_OP_AND, filters, nf, 0);
        } else if (nf == 0) {
            q = s;
        } else {
            memmove(filters + 1, filters, nf * sizeof *filters);
            filters[0] = s;
            q = combine(c, XS_OP_FILTER, filters, nf + 1, 0);
        }
        nf = 0;
    } else if (c->rc == LSX_OK && empty) {
        q = xs_query_match_nothing();
    }
    for (size_t i = 0; i < ns; i++)
        xs_query_free(scored[i]);
    for (size_t i = 0; i < nf; i++)
        xs_query_free(filters[i]);
    free(scored);
    free(filters);
    return q;
}

static xs_query *compile_binary(compiler *c, const lsx_qnode *n, xs_op op, bool negated)
{
    if (n->nchildren != 2) {
        fail(c, LSX_EINVAL, "%s", "malformed query tree");
        return NULL;
    }
    /* Optional filters would restrict nothing: `+asean lang:vi` filters. */
    if (op == XS_OP_AND_MAYBE && lsx__qnode_only_filters(n->children[1]))
        op = XS_OP_FILTER;
    /* Where scores do not count, `+a b` matches what `a` does.  (Xapian
     * 1.4.22 reads uninitialised memory for an AND_MAYBE inside the right
     * side of an AND_NOT and may then fail to exclude a document.) */
    if (op == XS_OP_AND_MAYBE && c->unscored)
        return compile(c, n->children[0], negated);
    xs_query *a = compile(c, n->children[0], negated);
    if (op == XS_OP_AND_NOT)
        c->unscored++;
    xs_query *b = compile(c, n->children[1], op == XS_OP_AND_NOT ? !negated : negated);
    if (op == XS_OP_AND_NOT)
        c->unscored--;
    if (op == XS_OP_FILTER && !b) {
        xs_query_free(a); /* the filter matches nothing */
        return c->rc == LSX_OK ? xs_query_match_nothing() : NULL;
    }
    if (!a) {
        xs_query_free(b);
        return NULL;
    }
    if (!b)
        return a;
    xs_query *two[2] = {a, b};
    return combine(c, op, two, 2, 0);
}

/* Returns NULL when the node matches nothing (or on error: check c->rc). */
static xs_query *compile(compiler *c, const lsx_qnode *n, bool negated)
{
    if (c->rc != LSX_OK || !n)
        return NULL;
    switch (n->type) {
    case LSX_Q_WORD:
    case LSX_Q_PHRASE:
        return compile_text(c, n, negated);
    case LSX_Q_NEAR: {
        bool was_plain = c->plain;
        size_t mark = c->nspell;
        c->plain = true;
        xs_query *q = compile_children(c, n, XS_OP_NEAR, negated);
        c->plain = was_plain;
        return was_plain ? q : with_spellings(c, q, mark);
    }
    case LSX_Q_OR:
        return compile_children(c, n, XS_OP_OR, negated);
    case LSX_Q_AND:
        return compile_and(c, n, negated);
    case LSX_Q_AND_NOT:
        return compile_binary(c, n, XS_OP_AND_NOT, negated);
    case LSX_Q_AND_MAYBE:
        return compile_binary(c, n, XS_OP_AND_MAYBE, negated);
    case LSX_Q_FILTER: {
        /* Entity terms carry mention counts as wdf: a filter never scores. */
        xs_query *f = compile_filter(c, n), *q = f ? xs_query_scale(f, 0) : NULL;
        xs_query_free(f);
        if (f && !q)
            fail(c, LSX_ENOMEM, "%s", "out of memory");
        return q;
    }
    case LSX_Q_DATE: {
        explain(c, "filter date: from %s to %s", *n->date_from ? n->date_from : "the first",
                *n->date_to ? n->date_to : "the last");
        xs_query *q = xs_query_value_range(LSX_SLOT_DATE, n->date_from, n->date_to);
        if (!q)
            fail(c, LSX_ENOMEM, "%s", "out of memory");
        return q;
    }
    case LSX_Q_ALL: {
        xs_query *q = xs_query_match_all();
        if (!q)
            fail(c, LSX_ENOMEM, "%s", "out of memory");
        return q;
    }
    }
    fail(c, LSX_EINVAL, "%s", "unknown query node type");
    return NULL;
}

/* All the words of a query, for guessing its language (stopwords). */
static void query_text(const lsx_qnode *n, lsx_buf *text)
{
    if (n->text) {
        lsx_buf_puts(text, n->text);
        lsx_buf_putc(text, ' ');
    }
    for (size_t i = 0; i < n->nchildren; i++)
        query_text(n->children[i], text);
}

/* ---- facets --------------------------------------------------------------- */

typedef enum { FACET_ENTITY, FACET_DATE } facet_kind;

typedef struct facet_req {
    facet_kind kind;
    char type;          /* entity type char, or 0 for any */
    unsigned limit;     /* entities: top N */
    unsigned width;     /* dates: 4, 6 or 8 characters */
    char name[16];
} facet_req;

static int parse_facet(const char *spec, facet_req *r, char *err)
{
    memset(r, 0, sizeof *r);
    const char *colon = strchr(spec, ':');
    size_t nl = colon ? (size_t)(colon - spec) : strlen(spec);
    const char *arg = colon ? colon + 1 : NULL;
    if (nl == 0 || nl >= sizeof r->name)
        return lsx__seterr(err, LSX_EINVAL, "facet '%s': expected entity, person, place, org or date", spec);
    memcpy(r->name, spec, nl);
    r->name[nl] = '\0';
    const lsx_schema_facet *dfc = lsx__schema_facet(r->name, strlen(r->name));
    if (dfc && dfc->kind == LSX_FACET_DATE) {
        r->kind = FACET_DATE;
        if (!arg || strcmp(arg, "month") == 0)
            r->width = 6;
        else if (strcmp(arg, "year") == 0)
            r->width = 4;
        else if (strcmp(arg, "day") == 0)
            r->width = 8;
        else
            return lsx__seterr(err, LSX_EINVAL, "facet '%s': date takes year, month or day", spec);
        return LSX_OK;
    }
    const lsx_schema_facet *fc = lsx__schema_facet(r->name, strlen(r->name));
    if (!fc || fc->kind != LSX_FACET_ENTITY)
        return lsx__seterr(err, LSX_EINVAL, "facet '%s': expected entity, person, place, org or date", spec);
    r->kind = FACET_ENTITY;
    r->type = fc->tag;
    r->limit = 10;
    if (arg) {
        char *end;
        unsigned long v = strtoul(arg, &end, 10);
        if (!*arg || *end || v == 0 || v > 100000)
            return lsx__seterr(err, LSX_EINVAL, "facet '%s': the count must be a number from 1 to 100000", spec);
        r->limit = (unsigned)v;
    }
    return LSX_OK;
}

/* ---- results ------------------------------------------------------------------ */

struct lsx_results {
    lsx_hit *hits;
    size_t nhits;
    uint64_t total;
    bool total_exact;
    char *explain;             /* LSX_SEARCH_EXPLAIN's account, or NULL */
    char *suggestion;          /* LSX_SEARCH_SUGGEST's better spelling, or NULL */
    lsx_record *recs;
    char **snippets;
    lsx_facet *facets;
    size_t nfacets;
    lsx_facet_value **fvals;   /* per facet, values array */
    char **strings;            /* owned facet strings */
    size_t nstrings, capstrings;
    const char **missing;      /* shards left out (LSX_DB_PARTIAL), in `strings` */
    size_t nmissing;
};

static const char *own(lsx_results *r, char *s)
{
    if (!s)
        return NULL;
    char **p = lsx__grow(r->strings, r->nstrings, &r->capstrings, sizeof *p, 64);
    if (!p) {
        free(s);
        return NULL;
    }
    r->strings = p;
    r->strings[r->nstrings++] = s;
    return s;
}

void lsx_results_free(lsx_results *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nhits; i++) {
        lsx_record_clear(&r->recs[i]);
        free(r->snippets[i]);
    }
    free(r->recs);
    free(r->snippets);
    free(r->hits);
    free(r->explain);
    free(r->suggestion);
    for (size_t i = 0; i < r->nfacets; i++)
        free(r->fvals[i]);
    free(r->fvals);
    free(r->facets);
    for (size_t i = 0; i < r->nstrings; i++)
        free(r->strings[i]);
    free(r->strings);
    free(r->missing);
    free(r);
}

size_t lsx_results_count(const lsx_results *r) { return r ? r->nhits : 0; }
uint64_t lsx_results_total(const lsx_results *r) { return r ? r->total : 0; }
int lsx_results_total_exact(const lsx_results *r) { return r && r->total_exact; }
const char *lsx_results_explain(const lsx_results *r) { return r && r->explain ? r->explain : ""; }
const char *lsx_results_suggestion(const lsx_results *r) { return r && r->suggestion ? r->suggestion : ""; }
size_t lsx_results_facet_count(const lsx_results *r) { return r ? r->nfacets : 0; }
size_t lsx_results_missing_count(const lsx_results *r) { return r ? r->nmissing : 0; }
const char *lsx_results_missing(const lsx_results *r, size_t i)
{
    return r && i < r->nmissing ? r->missing[i] : NULL;
}

const lsx_hit *lsx_results_hit(const lsx_results *r, size_t i)
{
    return r && i < r->nhits ? &r->hits[i] : NULL;
}

const lsx_facet *lsx_results_facet(const lsx_results *r, size_t i)
{
    return r && i < r->nfacets ? &r->facets[i] : NULL;
}

/* "vu-ho" -> "Vu Ho" when no better label is known. */
static char *label_from_id(const char *id)
{
    char *s = lsx_strdup(id);
    if (!s)
        return NULL;
    bool start = true;
    for (char *p = s; *p; p++) {
        if (*p == '-') {
            *p = ' ';
            start = true;
        } else {
            if (start && *p >= 'a' && *p <= 'z')
                *p = (char)(*p - 32);
            start = false;
        }
    }
    return s;
}

/* ---- the label cache (see private.h) ----------------------------------- */

typedef struct label_entry {
    char *label;               /* owned */
} label_entry;

struct lsx_label_cache {
    lsx_strmap map;            /* id -> index in e */
    label_entry *e;
    size_t n, cap;
};

/* Enough for the labelled entities of any realistic archive; when full the
 * cache starts again (labels are found again on demand). */
#define LABEL_CACHE_MAX 65536

void lsx__label_cache_free(struct lsx_label_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        free(c->e[i].label);
    free(c->e);
    lsx__strmap_free(&c->map);
    free(c);
}

static const char *label_cache_get(const struct lsx_label_cache *c, const char *id)
{
    size_t i = c ? lsx__strmap_get(&c->map, id, strlen(id)) : SIZE_MAX;
    return i == SIZE_MAX ? NULL : c->e[i].label;
}

/* Remember id -> label (copies both); a failure only means no caching. */
static void label_cache_put(lsx_db *db, const char *id, const char *label)
{
    struct lsx_label_cache *c = db->labels;
    if (c && c->n == LABEL_CACHE_MAX) {      /* full: start again */
        lsx__label_cache_free(c);
        c = db->labels = NULL;
    }
    if (!c && !(c = db->labels = calloc(1, sizeof *c)))
        return;
    label_entry *e = lsx__grow(c->e, c->n, &c->cap, sizeof *e, 64);
    if (!e)
        return;
    c->e = e;
    char *b = lsx_strdup(label);
    if (!b || !lsx__strmap_add(&c->map, id, strlen(id), c->n)) {
        free(b);
        return;
    }
    c->e[c->n++] = (label_entry){b};
}

/* The display names of the entities ids[0..n-1], which the gazetteer does
 * not know, as stored with the documents that mention them: for each, the
 * first spelling with diacritics among the first few documents naming it,
 * else the first spelling (names[i] malloc'd, or NULL when no document
 * gave one).  One search for all of them (the documents naming any, best
 * first), not one per label: the page's labels are materialised together,
 * which also keeps a remote facet to one more round trip. */
static void stored_entity_names(lsx_db *db, const char *const *ids, size_t n, char **names)
{
    enum { LOOK_AT = 5 };
    char err[LSX_ERRLEN];
    xs_query **terms = calloc(n ? n : 1, sizeof *terms);
    unsigned char *seen = calloc(n ? n : 1, 1);
    bool *accented = calloc(n ? n : 1, sizeof *accented);
    lsx_strmap want = {0};
    size_t nt = 0;
    for (size_t i = 0; terms && seen && accented && i < n; i++) {
        char term[LSX_MAX_ID_BYTES + 8];
        size_t tn = lsx__prefixed(term, sizeof term, LSX_PFX(ENTITY), ids[i], strlen(ids[i]));
        if (tn && (terms[nt] = xs_query_term(term, tn, 1)) != NULL && lsx__strmap_add(&want, ids[i], strlen(ids[i]), i))
            nt++;
    }
    xs_query *q = nt ? xs_query_combine(XS_OP_OR, terms, nt, 0) : NULL;
    unsigned cap = (unsigned)(n * LOOK_AT < 2000 ? n * LOOK_AT : 2000);
    xs_search_params p = {.first = 0, .maxitems = cap, .k1 = LSX_DEFAULT_K1, .b = LSX_DEFAULT_B};
    xs_mset *m = NULL;
    if (q && xs_search(db->x, q, &p, &m, err, sizeof err) == LSX_OK) {
        for (size_t h = 0; h < xs_mset_size(m); h++) {
            char *data = NULL;
            size_t dlen = 0;
            lsx_record rec = {0};
            /* The list's own slot; documents with version 2 records have it
             * in the record instead.  Failures only mean no name here. */
            char *list = NULL;
            size_t llen = 0;
            if (xs_mset_hit_value(m, h, LSX_SLOT_ENTITY_NAMES, &list, &llen, err, sizeof err) == LSX_OK &&
                llen > 0)
                (void)lsx_record_set_entities(&rec, list, llen, err);
            else if (xs_mset_hit(m, h, NULL, NULL, &data, &dlen, err, sizeof err) == LSX_OK)
                (void)lsx_record_decode(data, dlen, &rec, err);
            free(list);
            /* Lines are "<type><id>\t<name>\t<count>". */
            for (char *line = rec.entities; line && *line;) {
                char *nl = strchr(line, '\n'), *tab = strchr(line + 1, '\t');
                size_t i = tab ? lsx__strmap_get(&want, line + 1, (size_t)(tab - line - 1)) : SIZE_MAX;
                char *end = tab ? strchr(tab + 1, '\t') : NULL;
                if (i != SIZE_MAX && end && (!nl || end < nl) && seen[i] < LOOK_AT && !accented[i]) {
                    seen[i]++;
                    bool acc = false;
                    for (const char *c = tab + 1; c < end; c++)
                        acc |= (unsigned char)*c >= 0x80;
                    if (acc || !names[i]) {
                        char *name = lsx_strndup(tab + 1, (size_t)(end - tab - 1));
                        if (name) {
                            free(names[i]);
                            names[i] = name;
                            accented[i] = acc;
                        }
                    }
                }
                line = nl ? nl + 1 : NULL;
            }
            lsx_record_clear(&rec);
            free(data);
        }
    }
    xs_mset_free(m);
    xs_query_free(q);
    for (size_t i = 0; i < nt; i++)
        xs_query_free(terms[i]);
    free(terms);
    free(seen);
    free(accented);
    lsx__strmap_free(&want);
}

/* The display names of entity facet values vals[0..n-1] into labels (owned
 * by r; LSX_ENOMEM): the gazetteer's name, else the spelling stored with
 * the documents (remembered by read-only handles), else one made from the
 * id. */
static int entity_labels(lsx_results *r, lsx_db *db, const char *const *vals, size_t n, const char **labels)
{
    lsx_extractor *ex = lsx__db_extractor(db);
    bool cacheable = !xs_db_is_writable(db->x);
    const char **ask = calloc(n ? n : 1, sizeof *ask);
    size_t *where = calloc(n ? n : 1, sizeof *where), nask = 0;
    char **found = calloc(n ? n : 1, sizeof *found);
    int rc = ask && where && found ? LSX_OK : LSX_ENOMEM;
    for (size_t i = 0; rc == LSX_OK && i < n; i++) {
        const char *name = ex ? lsx_gazetteer_name(ex, vals[i]) : NULL;
        if (!name && cacheable)
            name = label_cache_get(db->labels, vals[i]);
        if (name) {
            labels[i] = own(r, lsx_strdup(name));
            if (!labels[i])
                rc = LSX_ENOMEM;
        } else {
            where[nask] = i;
            ask[nask++] = vals[i];
        }
    }
    if (rc == LSX_OK && nask)
        stored_entity_names(db, ask, nask, found);
    for (size_t j = 0; j < nask; j++) {
        char *label = found[j];
        found[j] = NULL;
        if (!label)
            label = label_from_id(ask[j]);
        if (label && cacheable)
            label_cache_put(db, ask[j], label);
        if (rc == LSX_OK && !(labels[where[j]] = own(r, label)))
            rc = LSX_ENOMEM;
        else if (rc != LSX_OK)
            free(label);
    }
    free(ask);
    free(where);
    free(found);
    return rc;
}

static int entity_facet(lsx_results *r, lsx_db *db, const xs_mset *m, size_t k, const facet_req *req,
                        lsx_facet *out, lsx_facet_value **vals)
{
    /* The shim counted ids (each once per document, whatever its types),
     * of the requested type, and kept the top ones in order. */
    size_t nv = xs_mset_facet_size(m, k);
    lsx_facet_value *fv = calloc(nv ? nv : 1, sizeof *fv);
    const char **values = calloc(nv ? nv : 1, sizeof *values), **labels = calloc(nv ? nv : 1, sizeof *labels);
    uint64_t *counts = calloc(nv ? nv : 1, sizeof *counts);
    int rc = fv && values && labels && counts ? LSX_OK : LSX_ENOMEM;
    size_t w = 0;
    for (size_t j = 0; rc == LSX_OK && j < nv && w < req->limit; j++) {
        const char *v;
        size_t len;
        if (xs_mset_facet_value(m, k, j, &v, &len, &counts[w]) != LSX_OK || len == 0)
            continue;
        if (!(values[w++] = own(r, lsx_strndup(v, len))))
            rc = LSX_ENOMEM;
    }
    if (rc == LSX_OK)
        rc = entity_labels(r, db, values, w, labels);
    for (size_t j = 0; rc == LSX_OK && j < w; j++)
        fv[j] = (lsx_facet_value){values[j], labels[j], counts[j]};
    free(values);
    free(labels);
    free(counts);
    if (rc != LSX_OK) {
        free(fv);
        return rc;
    }
    *vals = fv;
    out->nvalues = w;
    out->lsx__values = fv;
    return LSX_OK;
}

static int date_facet(lsx_results *r, const xs_mset *m, size_t k, const facet_req *req,
                      lsx_facet *out, lsx_facet_value **vals)
{
    size_t nv = xs_mset_facet_size(m, k);
    lsx_facet_value *fv = calloc(nv ? nv : 1, sizeof *fv);
    if (!fv)
        return LSX_ENOMEM;
    size_t w = 0;
    char last[9] = "";
    for (size_t j = 0; j < nv; j++) {
        const char *v;
        size_t len;
        uint64_t cnt;
        if (xs_mset_facet_value(m, k, j, &v, &len, &cnt) != LSX_OK || len != 8)
            continue;
        /* Values come in byte order, so equal prefixes are adjacent. */
        if (w > 0 && memcmp(last, v, req->width) == 0) {
            fv[w - 1].count += cnt;
            continue;
        }
        memcpy(last, v, 8);
        char buf[11];
        if (req->width == 4)
            snprintf(buf, sizeof buf, "%.4s", v);
        else if (req->width == 6)
            snprintf(buf, sizeof buf, "%.4s-%.2s", v, v + 4);
        else
            snprintf(buf, sizeof buf, "%.4s-%.2s-%.2s", v, v + 4, v + 6);
        fv[w].value = fv[w].label = own(r, lsx_strdup(buf));
        if (!fv[w].value) {
            free(fv);
            return LSX_ENOMEM;
        }
        fv[w++].count = cnt;
    }
    *vals = fv;
    out->nvalues = w;
    out->lsx__values = fv;
    return LSX_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The registry languages of the query's lang: filters (up to QLANGS). */
static void filter_langs(const lsx_qnode *n, const lsx__lang **out, size_t *nout)
{
    if (n->type == LSX_Q_FILTER && n->field && strcmp(n->field, "lang") == 0 && n->text) {
        const lsx__lang *l = lsx__lang_find(n->text, (size_t)-1);
        bool seen = !l;
        for (size_t i = 0; i < *nout && !seen; i++)
            seen = out[i] == l;
        if (!seen && *nout < QLANGS)
            out[(*nout)++] = l;
    }
    for (size_t i = 0; i < n->nchildren; i++)
        filter_langs(n->children[i], out, nout);
}

/*
 * Which languages the query's words are analysed in.  Stems: the languages
 * of its lang: filters, then those of the database's documents (most
 * documents first; at most QLANGS in all), so a word finds its inflected
 * forms in whichever language of the archive they occur; English alone in
 * a database without documents.  Stopwords: the first lang: filter's
 * language, else the database's if it has one, else the query's own as CLD2
 * reliably tells, else English.
 */
static void query_langs(compiler *c, const lsx_qnode *root, const char *text, size_t len)
{
    const lsx__lang *fl[QLANGS];
    size_t nfl = 0;
    filter_langs(root, fl, &nfl);
    typedef struct { const lsx__lang *l; uint64_t n; } lang_n;
    lang_n have[64 + QLANGS];
    size_t nhave = 0, ndb = 0;
    const lsx__lang *only = NULL;        /* the database's one language, if so */
    for (size_t i = 0; i < nfl; i++)
        if (fl[i]->stemmer)
            have[nhave++] = (lang_n){fl[i], UINT64_MAX};   /* the filters' languages first */
    c->nlangs = 0;
    const char *code;
    uint64_t count;
    for (size_t i = 0; nhave < sizeof have / sizeof *have - QLANGS &&
                       lsx_db_lang_at(c->db, i, &code, &count) == LSX_OK; i++) {
        const lsx__lang *l = lsx__lang_find(code, (size_t)-1);
        only = ndb++ == 0 ? l : NULL;
        if (l && l->stemmer)
            have[nhave++] = (lang_n){l, count};
    }
    c->db->err[0] = '\0';
    for (size_t i = 1; i < nhave; i++)          /* most documents first (insertion sort) */
        for (size_t j = i; j > 0 && have[j].n > have[j - 1].n; j--) {
            lang_n t = have[j];
            have[j] = have[j - 1];
            have[j - 1] = t;
        }
    for (size_t i = 0; i < nhave && c->nlangs < QLANGS; i++) {
        bool seen = false;               /* ms and id share a stemmer: stem once */
        for (size_t j = 0; j < c->nlangs && !seen; j++)
            seen = strcmp(lsx__lang_find(c->langs[j], (size_t)-1)->stemmer, have[i].l->stemmer) == 0;
        if (!seen)
            c->langs[c->nlangs++] = have[i].l->code;
    }
    if (nhave == 0 && lsx_db_lang_at(c->db, 0, &code, &count) != LSX_OK)
        c->langs[c->nlangs++] = "en";    /* no documents: the default language */
    c->db->err[0] = '\0';
    if (nfl) {
        c->qlang = fl[0]->code;
        return;
    }
    if (only) {                          /* one language: the query's too */
        c->qlang = only->code;
        return;
    }
    bool reliable = false;
    const lsx__lang *q = text ? lsx__identify(text, len, &reliable) : NULL;
    c->qlang = q && reliable ? q->code : "en";
}

/* ---- pseudo-relevance feedback ------------------------------------------------- */

static bool has_filters(const lsx_qnode *n)
{
    if (is_filter_node(n))
        return true;
    for (size_t i = 0; i < n->nchildren; i++)
        if (has_filters(n->children[i]))
            return true;
    return false;
}

/* Replace *xq by the query plus the expansion terms of its top documents. */
static int expand_query(lsx_db *db, xs_query **xq, const lsx_search_options *o, bool filtered)
{
    if (o->prf_docs > 1000 || o->prf_terms > 1000 || !(o->prf_weight > 0 && o->prf_weight <= 100))
        return lsx__seterr(db->err, LSX_EINVAL, "feedback: documents and terms must be at most 1000, weight in (0, 100]");
    char err[LSX_ERRLEN];
    xs_search_params p = {.first = 0, .maxitems = o->prf_docs, .k1 = o->k1, .b = o->b};
    xs_mset *m = NULL;
    int rc = xs_search(db->x, *xq, &p, &m, err, sizeof err);
    if (rc != LSX_OK)
        return lsx__seterr(db->err, rc, "feedback search failed: %s", err);
    size_t n = xs_mset_size(m);
    uint32_t *ids = calloc(n ? n : 1, sizeof *ids);
    if (!ids) {
        xs_mset_free(m);
        return lsx__seterr(db->err, LSX_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n && rc == LSX_OK; i++)
        rc = xs_mset_hit(m, i, &ids[i], NULL, NULL, NULL, err, sizeof err);
    xs_mset_free(m);
    char **terms = NULL;
    double *weights = NULL;
    size_t nt = 0;
    if (rc == LSX_OK && n > 0)
        rc = xs_expand(db->x, *xq, ids, n, o->prf_terms, LSX_PRF_MIN_DOCS, &terms, &weights, &nt, err,
                       sizeof err);
    free(ids);
    if (rc != LSX_OK)
        return lsx__seterr(db->err, rc, "feedback expansion failed: %s", err);
    if (nt == 0)
        return LSX_OK;
    xs_query **subs = calloc(nt, sizeof *subs);
    size_t k = 0;
    for (size_t i = 0; subs && i < nt; i++) {
        xs_query *t = xs_query_term(terms[i], strlen(terms[i]), 1);
        if (t)
            subs[k++] = t;
    }
    xs_terms_free(terms, weights, nt);
    xs_query *added = subs && k ? xs_query_combine(XS_OP_OR, subs, k, 0) : NULL;
    for (size_t i = 0; i < k; i++)
        xs_query_free(subs[i]);
    free(subs);
    xs_query *scaled = added ? xs_query_scale(added, o->prf_weight) : NULL;
    xs_query_free(added);
    xs_query *two[2] = {*xq, scaled};
    xs_query *q = scaled ? xs_query_combine(filtered ? XS_OP_AND_MAYBE : XS_OP_OR, two, 2, 0) : NULL;
    xs_query_free(scaled);
    if (!q)
        return lsx__seterr(db->err, LSX_ENOMEM, "out of memory");
    xs_query_free(*xq);
    *xq = q;
    return LSX_OK;
}

/* ---- did you mean ---------------------------------------------------------- */

#define SUGGEST_MAX_CPS 64
#define SUGGEST_MAX_CANDIDATES 200000

/* The code points of s (at most cap; 0 if longer or not UTF-8). */
static size_t decode_cps(const char *s, size_t len, uint32_t *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        size_t k = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (n == cap || i + k > len)
            return 0;
        uint32_t v = k == 1 ? c : c & (0x3F >> (k - 1));
        for (size_t j = 1; j < k; j++)
            v = v << 6 | ((unsigned char)s[i + j] & 0x3F);
        out[n++] = v;
        i += k;
    }
    return n;
}

/* Edit distance with adjacent transpositions (optimal string alignment),
 * or max + 1 when it is more than max. */
static unsigned edit_distance(const uint32_t *a, size_t n, const uint32_t *b, size_t m, unsigned max)
{
    if ((n > m ? n - m : m - n) > max)
        return max + 1;
    unsigned d[SUGGEST_MAX_CPS + 1][SUGGEST_MAX_CPS + 1];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = (unsigned)i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = (unsigned)j;
    for (size_t i = 1; i <= n; i++) {
        unsigned row_min = max + 1;
        for (size_t j = 1; j <= m; j++) {
            unsigned cost = a[i - 1] != b[j - 1];
            unsigned v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
            if (v < row_min)
                row_min = v;
        }
        if (row_min > max)
            return max + 1;
    }
    return d[n][m];
}

/* The commonest index term (after `pfx`) within the edit distance of `word`
 * that is commoner than `own`, among those sharing its first character
 * (malloc'd, without the prefix), or NULL. */
static char *suggest_word(lsx_db *db, const char *pfx, const char *word, uint64_t own)
{
    uint32_t w[SUGGEST_MAX_CPS], t[SUGGEST_MAX_CPS];
    size_t wn = decode_cps(word, strlen(word), w, SUGGEST_MAX_CPS);
    if (wn < 3)
        return NULL;                 /* too short to guess at */
    unsigned max = wn >= 5 ? 2 : 1;
    size_t first = 1;
    while (word[first] && ((unsigned char)word[first] & 0xC0) == 0x80)
        first++;
    char start[64], err[LSX_ERRLEN];
    size_t pl = strlen(pfx);
    if (pl + first >= sizeof start)
        return NULL;
    memcpy(start, pfx, pl);
    memcpy(start + pl, word, first);
    start[pl + first] = '\0';
    char **terms = NULL;
    size_t nt = 0;
    if (xs_prefix_terms(db->x, start, pl + first, SUGGEST_MAX_CANDIDATES, &terms, &nt, err, sizeof err) != LSX_OK)
        return NULL;
    const char *best = NULL;
    unsigned best_d = max + 1;
    uint64_t best_f = 0;
    for (size_t i = 0; i < nt; i++) {
        const char *cand = terms[i] + pl;
        size_t tn = decode_cps(cand, strlen(cand), t, SUGGEST_MAX_CPS);
        if (!tn)
            continue;
        unsigned d = edit_distance(w, wn, t, tn, max);
        if (d == 0 || d > max || d > best_d)
            continue;
        uint64_t f = 0;
        if (xs_db_termfreq(db->x, terms[i], strlen(terms[i]), &f, err, sizeof err) != LSX_OK || f <= own)
            continue;
        if (d < best_d || f > best_f) {
            best = cand;
            best_d = d;
            best_f = f;
        }
    }
    char *out = best ? lsx_strdup(best) : NULL;
    xs_terms_free(terms, NULL, nt);
    return out;
}

typedef struct fix {
    size_t start, len;
    char *with;
} fix;

/* The better spelling of each plain word that the index does not know. */
static void suggest_node(compiler *c, const char *text, const lsx_qnode *n, fix *fixes, size_t *nf, size_t cap)
{
    bool title = n->field && strcmp(n->field, "title") == 0;
    if (n->type == LSX_Q_WORD && (!n->field || title) && n->text && !is_prefix_word(n) && *nf < cap) {
        qtokens toks;
        if (analyze_word(c, n->text, &toks) != LSX_OK) {
            c->rc = LSX_OK;
            return;
        }
        if (toks.n == 1 && !toks.t[0].stop) {
            const qtoken *k = &toks.t[0];
            char buf[LSX_MAX_WORD_BYTES * 2 + 16];
            char *with = NULL;
            if (spelt(k)) {
                lsx__prefixed(buf, sizeof buf, LSX_PFX(EXACT), k->exact, strlen(k->exact));
                uint64_t f = termfreq(c, buf);
                if (f == 0)
                    with = suggest_word(c->db, LSX_PFX(EXACT), k->exact, f);
            } else {
                const char *forms[QLANGS + 1];
                size_t nf = qforms(k, forms);
                uint64_t f = 0;
                for (size_t i = 0; i < nf; i++) {
                    uint64_t fi = termfreq(c, forms[i]);
                    if (fi > f)
                        f = fi;
                }
                /* the folded form (last) first, then the stems */
                for (size_t i = nf; f == 0 && !with && i-- > 0;)
                    with = suggest_word(c->db, "", forms[i], f);
            }
            /* title:word starts at "title:": the word follows the colon */
            size_t at = n->offset, len = strlen(n->text);
            if (title && at < strlen(text) && strchr(text + at, ':') &&
                strncmp(strchr(text + at, ':') + 1, n->text, len) == 0 && strncmp(text + at, n->text, len) != 0)
                at = (size_t)(strchr(text + at, ':') + 1 - text);
            if (with)
                fixes[(*nf)++] = (fix){at, len, with};
        }
        free(toks.t);
        return;
    }
    for (size_t i = 0; i < n->nchildren; i++)
        suggest_node(c, text, n->children[i], fixes, nf, cap);
}

static int cmp_fix(const void *a, const void *b)
{
    size_t x = ((const fix *)a)->start, y = ((const fix *)b)->start;
    return x < y ? -1 : x > y;
}

/* The query text with its misspelled words replaced, or NULL. */
static char *suggest_query(compiler *c, const lsx_query *query)
{
    const char *text = lsx__query_text(query);
    if (!text)
        return NULL;
    fix fixes[32];
    size_t nf = 0;
    suggest_node(c, text, lsx_query_root(query), fixes, &nf, sizeof fixes / sizeof fixes[0]);
    if (nf == 0)
        return NULL;
    qsort(fixes, nf, sizeof *fixes, cmp_fix);   /* in text order */
    lsx_buf b = {0};
    size_t at = 0;
    for (size_t i = 0; i < nf; i++) {
        if (fixes[i].start < at || fixes[i].start + fixes[i].len > strlen(text))
            continue;
        lsx_buf_append(&b, text + at, fixes[i].start - at);
        lsx_buf_puts(&b, fixes[i].with);
        at = fixes[i].start + fixes[i].len;
    }
    lsx_buf_puts(&b, text + at);
    for (size_t i = 0; i < nf; i++)
        free(fixes[i].with);
    return lsx_buf_detach(&b);
}

/* A tree whose matches all score 0: filters, ALL, and what only excludes
 * from them. */
static bool scoreless(const lsx_qnode *n)
{
    switch (n->type) {
    case LSX_Q_FILTER:
    case LSX_Q_DATE:
    case LSX_Q_ALL:
        return true;
    case LSX_Q_AND:
    case LSX_Q_OR:
    case LSX_Q_AND_MAYBE:
        for (size_t i = 0; i < n->nchildren; i++)
            if (!scoreless(n->children[i]))
                return false;
        return true;
    case LSX_Q_AND_NOT:
        return n->nchildren > 0 && scoreless(n->children[0]);
    default:
        return false;
    }
}

/* (query AND_MAYBE recency boost), "now" being the newest day indexed. */
static int add_recency(lsx_db *db, xs_query **xq, const lsx_search_options *o)
{
    char first[64], last[64], err[LSX_ERRLEN];
    int found = 0;
    int rc = xs_db_term_range(db->x, LSX_PFX(DAY), strlen(LSX_PFX(DAY)), first, last, sizeof last, &found, err,
                              sizeof err);
    if (rc != LSX_OK)
        return lsx__seterr(db->err, rc, "recency: %s", err);
    if (!found)
        return LSX_OK;                /* nothing dated: nothing to boost */
    xs_query *boost = xs_query_recency(LSX_SLOT_DATE, last + strlen(LSX_PFX(DAY)), o->recency_half_life,
                                       o->recency_weight);
    xs_query *two[2] = {*xq, boost};
    xs_query *q = boost ? xs_query_combine(XS_OP_AND_MAYBE, two, 2, 0) : NULL;
    xs_query_free(boost);
    if (!q)
        return lsx__seterr(db->err, LSX_ENOMEM, "out of memory");
    xs_query_free(*xq);
    *xq = q;
    return LSX_OK;
}

/* More like this: the best LSX_LIKE_TERMS terms of document `id` (Xapian's
 * expand set with the document as the relevance set) as an OR, without the
 * document itself. */
static int like_query(lsx_db *db, compiler *c, const char *id, xs_query **out)
{
    char idterm[LSX_MAX_ID_BYTES + 8], err[LSX_ERRLEN];
    *out = NULL;
    size_t n = lsx__prefixed(idterm, sizeof idterm, LSX_PFX(ID), id, strlen(id));
    xs_query *idq = n ? xs_query_term(idterm, n, 1) : NULL;
    if (!idq)
        return lsx__seterr(db->err, LSX_EINVAL, "more like this: bad id '%.200s'", id);
    xs_search_params p = {.first = 0, .maxitems = 1, .k1 = LSX_DEFAULT_K1, .b = LSX_DEFAULT_B};
    xs_mset *m = NULL;
    uint32_t docid = 0;
    int rc = xs_search(db->x, idq, &p, &m, err, sizeof err);
    if (rc == LSX_OK && xs_mset_size(m) == 0)
        rc = lsx__seterr(err, LSX_ENOTFOUND, "no document with id '%.200s'", id);
    else if (rc == LSX_OK)
        rc = xs_mset_hit(m, 0, &docid, NULL, NULL, NULL, err, sizeof err);
    xs_mset_free(m);
    char **terms = NULL;
    double *weights = NULL;
    size_t nt = 0;
    if (rc == LSX_OK)
        rc = xs_expand(db->x, idq, &docid, 1, LSX_LIKE_TERMS, 1, &terms, &weights, &nt, err, sizeof err);
    if (rc != LSX_OK) {
        xs_query_free(idq);
        return lsx__seterr(db->err, rc, "more like this: %s", err);
    }
    xs_query **subs = calloc(nt ? nt : 1, sizeof *subs);
    size_t k = 0;
    lsx_buf shown = {0};
    for (size_t i = 0; subs && i < nt; i++) {
        if ((subs[k] = xs_query_term(terms[i], strlen(terms[i]), 1)))
            k++;
        if (c->explain)
            lsx_buf_printf(&shown, " %s", terms[i]);
    }
    if (c->explain)
        explain(c, "like %s: %zu terms:%s", id, nt, shown.data ? shown.data : "");
    lsx_buf_free(&shown);
    xs_terms_free(terms, weights, nt);
    xs_query *any = subs && k ? xs_query_combine(XS_OP_OR, subs, k, 0) : xs_query_match_nothing();
    for (size_t i = 0; i < k; i++)
        xs_query_free(subs[i]);
    free(subs);
    xs_query *two[2] = {any, idq};
    *out = any ? xs_query_combine(XS_OP_AND_NOT, two, 2, 0) : NULL;
    xs_query_free(any);
    xs_query_free(idq);
    return *out ? LSX_OK : lsx__seterr(db->err, LSX_ENOMEM, "out of memory");
}

static int search_run(lsx_db *db, const lsx_query *query, const lsx_search_options *opts, const char *like_id,
                      lsx_results **out);

int lsx_search(lsx_db *db, const lsx_query *query, const lsx_search_options *opts, lsx_results **out)
{
    return search_run(db, query, opts, NULL, out);
}

int lsx_search_like(lsx_db *db, const char *id, const lsx_query *filter, const lsx_search_options *opts,
                    lsx_results **out)
{
    if (!out)
        return LSX_EINVAL;
    *out = NULL;
    if (!db)
        return LSX_EINVAL;
    if (!id || !*id)
        return lsx__seterr(db->err, LSX_EINVAL, "more like this: no id given");
    return search_run(db, filter, opts, id, out);
}

static int search_attempt(lsx_db *db, const lsx_query *query, const lsx_search_options *opts,
                          const char *like_id, lsx_results **out);

/* A reader whose revision a writer discarded reopens and searches again
 * (lsx_db_set_retry). */
static int search_run(lsx_db *db, const lsx_query *query, const lsx_search_options *opts, const char *like_id,
                      lsx_results **out)
{
    int rc;
    unsigned attempt = 0;
    do {
        lsx__db_read_begin(db);
        rc = search_attempt(db, query, opts, like_id, out);
        lsx__db_read_end(db);
    } while (rc != LSX_OK && lsx__db_retry(db, rc, &attempt));
    return rc;
}

static int search_attempt(lsx_db *db, const lsx_query *query, const lsx_search_options *opts,
                          const char *like_id, lsx_results **out)
{
    *out = NULL;
    lsx_search_options o;
    int vrc = read_search_options(db, opts, &o);
    if (vrc != LSX_OK)
        return vrc;
    if (o.sort < LSX_SORT_AUTO || o.sort > LSX_SORT_OLDEST)
        return lsx__seterr(db->err, LSX_EINVAL, "unknown sort order %d", o.sort);
    if (!(o.recency_half_life >= 0 && o.recency_half_life <= 1e6) || !(o.recency_weight >= 0 && o.recency_weight <= 1e6))
        return lsx__seterr(db->err, LSX_EINVAL, "recency: half-life and weight must be from 0 to 1e6");
    if (!(o.k1 >= 0 && o.k1 <= 1000) || !(o.b >= 0 && o.b <= 1))
        return lsx__seterr(db->err, LSX_EINVAL, "BM25 parameters out of range (k1 >= 0, 0 <= b <= 1)");
    if (o.limit > 1000000)
        return lsx__seterr(db->err, LSX_EINVAL, "limit %u is too large", o.limit);
    if (query && lsx_query_root(query) == NULL)
        return lsx__seterr(db->err, LSX_EINVAL, "the query did not parse: %s", lsx_query_errmsg(query));

    facet_req reqs[16];
    if (o.nfacets > sizeof reqs / sizeof reqs[0])
        return lsx__seterr(db->err, LSX_EINVAL, "too many facets (at most 16)");
    bool want_dates = false;
    for (size_t i = 0; i < o.nfacets; i++) {
        int rc = parse_facet(o.facets[i] ? o.facets[i] : "", &reqs[i], db->err);
        if (rc != LSX_OK)
            return rc;
        want_dates |= reqs[i].kind == FACET_DATE;
    }

    compiler c = {.db = db, .rc = LSX_OK};
    lsx_buf explain_buf = {0};
    if (o.flags & LSX_SEARCH_EXPLAIN) {
        c.explain = &explain_buf;
        char *d = query ? lsx_query_describe(query) : NULL;
        explain(&c, "parsed: %s", d ? d : "(every document)");
        free(d);
    }
    c.an = lsx__db_analyzer(db);
    if (!c.an)
        return LSX_ERROR;
    c.ex = lsx__db_extractor(db); /* NULL is tolerated: no alias expansion */
    c.no_name_lookup = lsx__query_is_words(query);
    xs_query *xq = NULL;
    if (query) {
        lsx_buf text = {0};
        query_text(lsx_query_root(query), &text);
        query_langs(&c, lsx_query_root(query), text.data, text.len);
        lsx_buf_free(&text);
        xq = compile(&c, lsx_query_root(query), false);
        if (c.rc == LSX_OK && !xq)
            xq = xs_query_match_nothing();
    } else {
        xq = xs_query_match_all();
    }
    if (c.rc == LSX_OK && !xq)
        c.rc = lsx__seterr(c.err, LSX_ENOMEM, "out of memory");
    int rc = c.rc;
    if (rc != LSX_OK) {
        lsx__seterr(db->err, rc, "%s", c.err);
        goto done_compile;
    }
    if (like_id) {
        /* the query, if any, only filters what is like the document */
        xs_query *lq = NULL;
        if ((rc = like_query(db, &c, like_id, &lq)) != LSX_OK)
            goto done_compile;
        xs_query *two[2] = {lq, xq};
        xs_query *f = query ? xs_query_combine(XS_OP_FILTER, two, 2, 0) : lq;
        if (query)
            xs_query_free(lq);
        xs_query_free(xq);
        xq = f;
        if (!xq) {
            rc = lsx__seterr(db->err, LSX_ENOMEM, "out of memory");
            goto done_compile;
        }
    }
    if (c.nterms > 1)
        qsort(c.terms, c.nterms, sizeof *c.terms, cmp_str);
    if (o.prf_docs > 0 && query && (rc = expand_query(db, &xq, &o, has_filters(lsx_query_root(query)))) != LSX_OK)
        goto done_compile;
    if (o.recency_half_life > 0 && (rc = add_recency(db, &xq, &o)) != LSX_OK)
        goto done_compile;
    /* The order: by date for LSX_SORT_NEWEST/OLDEST, and for a query of
     * filters only (scores all 0) unless relevance was asked for. */
    /* One value slot where the schema has DATE_DESC (a sort remote
     * shards can run); the day and then the date and time before. */
    static const unsigned date_slots[] = LSX_SORT_DATE_SLOTS;
    static const unsigned newest_slot[] = {LSX_SLOT_DATETIME}, oldest_slot[] = {LSX_SLOT_DATE_DESC};
    int order = o.sort;
    if (order == LSX_SORT_AUTO)
        order = (!query || scoreless(lsx_query_root(query))) && o.recency_half_life <= 0 && !like_id ? LSX_SORT_NEWEST
                                                                                         : LSX_SORT_RELEVANCE;

    /* One spec per entity request (type and top N are counted in the
     * shim); one for all the date requests. */
    xs_facet_spec fs[sizeof reqs / sizeof reqs[0] + 1];
    size_t nfs = 0, spec_of[sizeof reqs / sizeof reqs[0]], slot_of_dates = 0;
    if (want_dates) {
        slot_of_dates = nfs;
        fs[nfs++] = (xs_facet_spec){.slot = LSX_SLOT_DATE, .multi = 0};
    }
    for (size_t i = 0; i < o.nfacets; i++) {
        if (reqs[i].kind != FACET_ENTITY) {
            spec_of[i] = slot_of_dates;
            continue;
        }
        spec_of[i] = nfs;
        fs[nfs++] = (xs_facet_spec){.slot = LSX_SLOT_ENTITIES, .multi = 1, .by_key = 1,
                                    .tag = reqs[i].type, .limit = reqs[i].limit};
    }
    uint64_t ndocs = 0;
    char err[LSX_ERRLEN];
    if ((rc = xs_db_doccount(db->x, &ndocs, err, sizeof err)) != LSX_OK) {
        lsx__seterr(db->err, rc, "search: %s", err);
        goto done_compile;
    }
    xs_search_params p = {
        .first = o.offset, .maxitems = o.limit,
        .checkatleast = (nfs || (o.flags & LSX_SEARCH_EXACT_TOTAL)) ? (unsigned)ndocs : 0,
        .k1 = o.k1, .b = o.b, .facets = fs, .nfacets = nfs,
        .hit_slot_plus1 = (o.flags & LSX_SEARCH_IDS_ONLY) ? LSX_SLOT_ID + 1 : 0,
        .sort_slots = order == LSX_SORT_RELEVANCE ? NULL
                      : !db->has_date_desc        ? date_slots
                      : order == LSX_SORT_NEWEST  ? newest_slot
                                                  : oldest_slot,
        .nsort_slots = order == LSX_SORT_RELEVANCE ? 0 : db->has_date_desc ? 1 : sizeof date_slots / sizeof date_slots[0],
        .sort_reverse = order == LSX_SORT_NEWEST || (order == LSX_SORT_OLDEST && db->has_date_desc),
    };
    xs_mset *m = NULL;
    rc = xs_search(db->x, xq, &p, &m, err, sizeof err);
    if (rc != LSX_OK) {
        lsx__seterr(db->err, rc, "search failed: %s", err);
        goto done_compile;
    }

    lsx_results *r = calloc(1, sizeof *r);
    size_t n = xs_mset_size(m);
    if (r) {
        r->hits = calloc(n ? n : 1, sizeof *r->hits);
        r->recs = calloc(n ? n : 1, sizeof *r->recs);
        r->snippets = calloc(n ? n : 1, sizeof *r->snippets);
        r->facets = calloc(o.nfacets ? o.nfacets : 1, sizeof *r->facets);
        r->fvals = calloc(o.nfacets ? o.nfacets : 1, sizeof *r->fvals);
    }
    if (!r || !r->hits || !r->recs || !r->snippets || !r->facets || !r->fvals) {
        lsx_results_free(r);
        xs_mset_free(m);
        rc = lsx__seterr(db->err, LSX_ENOMEM, "out of memory");
        goto done_compile;
    }
    r->total = xs_mset_matches_estimated(m);
    r->total_exact = xs_mset_matches_lower(m) == xs_mset_matches_upper(m);
    for (size_t i = 0, ns = xs_db_shard_count(db->x); i < ns; i++) {
        if (!xs_db_shard_missing(db->x, i))
            continue;
        const char **ms = realloc(r->missing, (r->nmissing + 1) * sizeof *ms);
        lsx_buf b = {0};
        lsx_buf_printf(&b, "shard %zu (%s): %s", i, xs_db_shard_name(db->x, i), xs_db_shard_error(db->x, i));
        const char *text = own(r, lsx_buf_detach(&b));
        if (!ms || !text) {
            free(ms);
            rc = lsx__seterr(err, LSX_ENOMEM, "out of memory");
            break;
        }
        r->missing = ms;
        r->missing[r->nmissing++] = text;
    }
    if ((o.flags & LSX_SEARCH_SUGGEST) && query && r->total < LSX_SUGGEST_BELOW) {
        r->suggestion = suggest_query(&c, query);
        if (r->suggestion)
            explain(&c, "did you mean: %s", r->suggestion);
    }
    if (c.explain) {
        static const char *const orders[] = {"relevance", "relevance", "newest first", "oldest first"};
        explain(&c, "order: %s%s", orders[order], order != LSX_SORT_RELEVANCE ? ", equal dates by relevance" : "");
        if (o.recency_half_life > 0)
            explain(&c, "recency: + %g * 0.5^(age / %g days)", o.recency_weight, o.recency_half_life);
        char *d = xs_query_describe(xq);
        if (d)
            explain(&c, "xapian: %s", d);
        free(d);
        r->explain = lsx_buf_detach(c.explain);
    }
    for (size_t i = 0; i < n && rc == LSX_OK; i++) {
        double wt;
        char *data = NULL;
        size_t dlen = 0;
        lsx_record *rec = &r->recs[i];
        if (o.flags & LSX_SEARCH_IDS_ONLY) {
            /* The id from its value slot; documents indexed before the slot
             * existed have only the record. */
            rc = xs_mset_hit(m, i, NULL, &wt, NULL, NULL, err, sizeof err);
            if (rc == LSX_OK)
                rc = xs_mset_hit_value(m, i, LSX_SLOT_ID, &data, &dlen, err, sizeof err);
            if (rc == LSX_OK && dlen > 0) {
                rec->mem = rec->id = data;
                data = NULL;
            } else if (rc == LSX_OK) {
                free(data);
                data = NULL;
                rc = xs_mset_hit(m, i, NULL, NULL, &data, &dlen, err, sizeof err);
                if (rc == LSX_OK)
                    rc = lsx_record_decode(data, dlen, rec, err);
            }
        } else {
            const char *stored = NULL;
            rc = xs_mset_hit(m, i, NULL, &wt, NULL, NULL, err, sizeof err);
            if (rc == LSX_OK)
                rc = xs_mset_hit_data(m, i, &stored, &dlen, err, sizeof err);
            if (rc == LSX_OK)
                rc = lsx_record_decode(stored, dlen, rec, err);
        }
        free(data);
        if (rc != LSX_OK)
            break;
        r->nhits = i + 1;
        if (o.flags & LSX_SEARCH_IDS_ONLY) {
            r->hits[i] = (lsx_hit){
                .rank = o.offset + i + 1, .id = rec->id, .score = wt, .title = "", .date = "",
                .date_source = LSX_DATE_NONE, .lang = "", .source = "", .snippet = "",
            };
            continue;
        }
        if (!(o.flags & LSX_SEARCH_NO_SNIPPETS)) {
            char *zbody = NULL;
            size_t zlen = 0;
            rc = xs_mset_hit_value(m, i, LSX_SLOT_BODY, &zbody, &zlen, err, sizeof err);
            if (rc == LSX_OK)
                rc = lsx_record_set_body(rec, zbody, zlen, err);
            free(zbody);
            if (rc != LSX_OK)
                break;
            r->snippets[i] = lsx_snippet(c.an, rec->lang, rec->body, rec->body_len,
                                         (const char *const *)c.terms, c.nterms, o.snippet_bytes,
                                         o.hl_start, o.hl_end);
            if (!r->snippets[i]) {
                rc = lsx__seterr(err, LSX_ENOMEM, "out of memory making a snippet");
                break;
            }
            /* The snippet is all that is needed of the body. */
            free(rec->body);
            rec->body = NULL;
        }
        r->hits[i] = (lsx_hit){
            .rank = o.offset + i + 1, .id = rec->id, .score = wt, .title = rec->title,
            .date = rec->date, .date_source = rec->date_source, .lang = rec->lang,
            .source = rec->source, .snippet = r->snippets[i] ? r->snippets[i] : "",
        };
    }
    for (size_t i = 0; i < o.nfacets && rc == LSX_OK; i++) {
        r->facets[i].name = own(r, lsx_strdup(reqs[i].name));
        if (reqs[i].kind == FACET_ENTITY)
            rc = entity_facet(r, db, m, spec_of[i], &reqs[i], &r->facets[i], &r->fvals[i]);
        else
            rc = date_facet(r, m, spec_of[i], &reqs[i], &r->facets[i], &r->fvals[i]);
        if (rc == LSX_ENOMEM)
            lsx__seterr(err, rc, "out of memory counting facets");
        r->nfacets = i + 1;
    }
    xs_mset_free(m);
    if (rc != LSX_OK) {
        lsx_results_free(r);
        lsx__seterr(db->err, rc, "search: %s", err);
    } else {
        *out = r;
    }

done_compile:
    lsx_buf_free(&explain_buf);
    xs_query_free(xq);
    for (size_t i = 0; i < c.nterms; i++)
        free(c.terms[i]);
    free(c.terms);
    for (size_t i = 0; i < c.nspell; i++) /* left only by a failed compile */
        xs_query_free(c.spell[i]);
    free(c.spell);
    return rc;
}

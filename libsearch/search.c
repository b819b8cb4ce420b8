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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lsx_search_options_init(lsx_search_options *opts)
{
    *opts = (lsx_search_options){.version = LSX_SEARCH_OPTIONS_VERSION, .limit = 10, .k1 = LSX_DEFAULT_K1,
                                 .b = LSX_DEFAULT_B, .hl_start = "", .hl_end = "",
                                 .snippet_bytes = LSX_DEFAULT_SNIPPET_BYTES,
                                 .prf_terms = LSX_DEFAULT_PRF_TERMS, .prf_weight = LSX_DEFAULT_PRF_WEIGHT};
}

/* The caller's options of any known version, over the defaults; the
 * tunable fields left at 0 or LSX_DEFAULT get the library's defaults. */
static int read_search_options(lsx_db *db, const lsx_search_options *opts, lsx_search_options *o)
{
    /* ends[v - 1]: the end of the last field of version v */
    static const size_t ends[] = {LSX__END(lsx_search_options, prf_weight)};
    lsx_search_options_init(o);
    if (!opts)
        return LSX_OK;
    int rc = lsx__read_versioned(o, opts, ends, LSX_SEARCH_OPTIONS_VERSION, "lsx_search_options", db->err);
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
    return LSX_OK;
}

const lsx_facet_value *lsx_facet_value_at(const lsx_facet *f, size_t i)
{
    return f && i < f->nvalues ? (const lsx_facet_value *)f->lsx__values + i : NULL;
}

/* ---- compiling the query tree ------------------------------------------ */

typedef struct qtoken {
    char en[LSX_MAX_WORD_BYTES + 8];      /* English search form */
    char vi[LSX_MAX_WORD_BYTES + 8];      /* folded, unstemmed */
    char exact[LSX_MAX_WORD_BYTES + 8];
    bool stop;
} qtoken;

typedef struct qtokens {
    qtoken *t;
    size_t n, cap;
    bool second;       /* filling the .vi forms on the second pass */
    size_t i;
    bool oom;
} qtokens;

typedef struct compiler {
    lsx_db *db;
    lsx_analyzer *an;
    lsx_extractor *ex;
    const char *qlang;     /* for stopwords */
    bool plain;            /* inside PHRASE/NEAR: one term per word, no OR/SYNONYM */
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
    if (!q->second) {
        qtoken *p = lsx__grow(q->t, q->n, &q->cap, sizeof *p, 4);
        if (!p) {
            q->oom = true;
            return 1;
        }
        q->t = p;
        qtoken *k = &q->t[q->n++];
        copy_term(k->en, t->term, t->term_len);
        copy_term(k->exact, t->exact, t->exact_len);
        k->vi[0] = '\0';
        k->stop = t->stopword != 0;
    } else if (q->i < q->n) {
        copy_term(q->t[q->i++].vi, t->term, t->term_len);
    }
    return 0;
}

static int analyze_word(compiler *c, const char *text, qtokens *out)
{
    memset(out, 0, sizeof *out);
    size_t len = strlen(text);
    int rc = lsx_analyze(c->an, "en", text, len, on_qtoken, out);
    if (rc == LSX_OK && !out->oom) {
        out->second = true;
        rc = lsx_analyze(c->an, "vi", text, len, on_qtoken, out);
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
    const char *form = k->vi[0] ? k->vi : k->en;
    return lsx__has_spelling(form, strlen(form), k->exact, strlen(k->exact));
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
 * The query for one token.  Its search forms: where the English and the
 * folded form differ, those in the index, as one SYNONYM (inside PHRASE/NEAR,
 * which take single terms, the commoner one).  A word typed with diacritics
 * that folding removed asks for that spelling: its E term alone ("mã" is not
 * "ma"); inside PHRASE/NEAR and title:, whose terms are folded, the folded
 * query filtered by the E term (for PHRASE/NEAR, by the caller).
 */
static xs_query *token_query(compiler *c, const qtoken *k, const char *prefix, bool negated)
{
    char buf[LSX_MAX_WORD_BYTES * 2 + 16];
    xs_query *q;
    bool exact = spelt(k);
    if (!negated && exact) {
        lsx__prefixed(buf, sizeof buf, LSX_HL_SPELLING, k->exact, strlen(k->exact));
        add_hl_term(c, buf);
    } else if (!negated) {
        add_hl_term(c, k->en);
        if (k->vi[0])
            add_hl_term(c, k->vi);
    }
    if (exact && !c->plain && !*prefix)
        return make_term(c, LSX_PFX_EXACT, k->exact);
    if (strcmp(k->en, k->vi) == 0 || !k->vi[0]) {
        q = make_term(c, prefix, k->en);
    } else {
        lsx__prefixed(buf, sizeof buf, prefix, k->en, strlen(k->en));
        uint64_t fe = termfreq(c, buf);
        lsx__prefixed(buf, sizeof buf, prefix, k->vi, strlen(k->vi));
        uint64_t fv = termfreq(c, buf);
        if (fe && fv && c->plain) {
            /* Positional operators need single terms: take the commoner form. */
            q = make_term(c, prefix, fv > fe ? k->vi : k->en);
        } else if (fe && fv) {
            xs_query *two[2] = {make_term(c, prefix, k->en), make_term(c, prefix, k->vi)};
            q = (two[0] && two[1]) ? combine(c, XS_OP_SYNONYM, two, 2, 0) : NULL;
            if (!q) {
                xs_query_free(two[0]);
                xs_query_free(two[1]);
            }
        } else {
            q = make_term(c, prefix, fv && !fe ? k->vi : k->en);
        }
    }
    if (q && exact) {
        xs_query *e = make_term(c, LSX_PFX_EXACT, k->exact);
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
    xs_query *two[2] = {q, make_term(c, LSX_PFX_ENTITY, id)};
    if (!two[1])
        return q;
    return combine(c, XS_OP_OR, two, 2, 0);
}

static xs_query *compile(compiler *c, const lsx_qnode *n, bool negated);

static const char *field_prefix(const char *field)
{
    return field && strcmp(field, "title") == 0 ? LSX_PFX_TITLE : "";
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

/* A word (possibly several tokens, e.g. "COVID-19") or a phrase. */
static xs_query *compile_text(compiler *c, const lsx_qnode *n, bool negated)
{
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
    if (n->type != LSX_Q_WORD || (n->field && strcmp(n->field, "title") != 0))
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
        return make_term(c, LSX_PFX_LANG, low);
    }
    const char *prefix = strcmp(f, "entity") == 0   ? LSX_PFX_ENTITY
                         : strcmp(f, "person") == 0 ? LSX_PFX_PERSON
                         : strcmp(f, "place") == 0  ? LSX_PFX_PLACE
                         : strcmp(f, "org") == 0    ? LSX_PFX_ORG
                                                    : NULL;
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
    xs_query *q = make_term(c, prefix, id);
    free(id);
    return q;
}

/* A node that only restricts (filters, dates, and groups of them). */
static bool only_filters(const lsx_qnode *n)
{
    if (is_filter_node(n))
        return true;
    if ((n->type != LSX_Q_OR && n->type != LSX_Q_AND) || n->nchildren == 0)
        return false;
    for (size_t i = 0; i < n->nchildren; i++)
        if (!only_filters(n->children[i]))
            return false;
    return true;
}

static const char *filter_group(const lsx_qnode *n)
{
    if (n->type == LSX_Q_DATE)
        return "date";
    return n->type == LSX_Q_FILTER && n->field ? n->field : NULL;
}

/*
 * Filters among the items of an OR group restrict the group, as boolean
 * prefixes do in Xapian's query parser: `asean lang:vi` is ASEAN articles in
 * Vietnamese.  Values of one field are alternatives (`lang:en lang:vi`);
 * different fields all apply.  Returns the combined filter (or NULL).
 */
static xs_query *group_filters(compiler *c, const lsx_qnode *n, const bool *is_filter, bool negated)
{
    size_t nc = n->nchildren;
    xs_query **groups = calloc(nc, sizeof *groups);
    xs_query **alts = calloc(nc, sizeof *alts);
    bool *done = calloc(nc, sizeof *done);
    size_t ng = 0;
    for (size_t i = 0; groups && alts && done && i < nc && c->rc == LSX_OK; i++) {
        if (!is_filter[i] || done[i])
            continue;
        const char *g = filter_group(n->children[i]);
        size_t na = 0;
        for (size_t j = i; j < nc && c->rc == LSX_OK; j++) {
            if (!is_filter[j] || done[j])
                continue;
            const char *gj = filter_group(n->children[j]);
            if (j != i && (!g || !gj || strcmp(g, gj) != 0))
                continue;
            done[j] = true;
            xs_query *q = compile(c, n->children[j], negated);
            if (q)
                alts[na++] = q;
        }
        if (na == 1)
            groups[ng++] = alts[0];
        else if (na > 1)
            groups[ng++] = combine(c, XS_OP_OR, alts, na, 0);
    }
    xs_query *q = NULL;
    if (!groups || !alts || !done)
        fail(c, LSX_ENOMEM, "%s", "out of memory");
    else if (c->rc != LSX_OK || ng == 0) {
        for (size_t i = 0; i < ng; i++)
            xs_query_free(groups[i]);
        if (c->rc == LSX_OK)
            q = xs_query_match_nothing(); /* every filter matched nothing */
    } else {
        q = ng == 1 ? groups[0] : combine(c, XS_OP_AND, groups, ng, 0);
    }
    free(groups);
    free(alts);
    free(done);
    return q;
}

static xs_query *compile_children(compiler *c, const lsx_qnode *n, xs_op op, bool negated)
{
    if (op == XS_OP_OR && n->nchildren > 1) {
        bool *is_filter = calloc(n->nchildren, sizeof *is_filter);
        if (!is_filter) {
            fail(c, LSX_ENOMEM, "%s", "out of memory");
            return NULL;
        }
        size_t nf = 0;
        for (size_t i = 0; i < n->nchildren; i++)
            nf += is_filter[i] = only_filters(n->children[i]);
        if (nf > 0) {
            xs_query *filter = group_filters(c, n, is_filter, negated);
            xs_query *rest = NULL;
            if (filter && nf < n->nchildren) {
                /* The other items, as an OR group of their own. */
                lsx_qnode sub = *n;
                lsx_qnode **kids = calloc(n->nchildren - nf, sizeof *kids);
                size_t k = 0;
                for (size_t i = 0; kids && i < n->nchildren; i++)
                    if (!is_filter[i])
                        kids[k++] = n->children[i];
                sub.children = kids;
                sub.nchildren = k;
                if (!kids)
                    fail(c, LSX_ENOMEM, "%s", "out of memory");
                else
                    rest = k == 1 ? compile(c, kids[0], negated) : compile_children(c, &sub, XS_OP_OR, negated);
                free(kids);
            }
            free(is_filter);
            if (c->rc != LSX_OK || !filter) {
                xs_query_free(filter);
                xs_query_free(rest);
                return NULL;
            }
            if (nf == n->nchildren)
                return filter;
            if (!rest) {
                xs_query_free(filter);
                return NULL;
            }
            xs_query *two[2] = {rest, filter};
            return combine(c, XS_OP_FILTER, two, 2, 0);
        }
        free(is_filter);
    }

    xs_query **subs = calloc(n->nchildren ? n->nchildren : 1, sizeof *subs);
    if (!subs) {
        fail(c, LSX_ENOMEM, "%s", "out of memory");
        return NULL;
    }
    /* Plain-word lists drop stopwords unless nothing else is left. */
    bool drop_stop = false;
    bool *stop = NULL;
    if (op == XS_OP_OR && n->nchildren > 1 && (stop = calloc(n->nchildren, sizeof *stop))) {
        bool any_content = false;
        for (size_t i = 0; i < n->nchildren; i++) {
            stop[i] = is_stop_word_node(c, n->children[i]);
            any_content |= !stop[i];
        }
        drop_stop = any_content;
    }
    size_t k = 0;
    for (size_t i = 0; i < n->nchildren && c->rc == LSX_OK; i++) {
        if (drop_stop && stop[i])
            continue;
        xs_query *q = compile(c, n->children[i], negated);
        if (q)
            subs[k++] = q;
    }
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
            if (is_filter_node(n->children[i]))
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
    if (op == XS_OP_AND_MAYBE && only_filters(n->children[1]))
        op = XS_OP_FILTER;
    xs_query *a = compile(c, n->children[0], negated);
    xs_query *b = compile(c, n->children[1], op == XS_OP_AND_NOT ? !negated : negated);
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
    case LSX_Q_FILTER:
        return compile_filter(c, n);
    case LSX_Q_DATE: {
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
    if (strcmp(r->name, "date") == 0) {
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
    r->kind = FACET_ENTITY;
    if (strcmp(r->name, "entity") == 0)
        r->type = 0;
    else if (strcmp(r->name, "person") == 0)
        r->type = LSX_ENTITY_PERSON;
    else if (strcmp(r->name, "place") == 0)
        r->type = LSX_ENTITY_PLACE;
    else if (strcmp(r->name, "org") == 0)
        r->type = LSX_ENTITY_ORG;
    else
        return lsx__seterr(err, LSX_EINVAL, "facet '%s': expected entity, person, place, org or date", spec);
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
    lsx_record *recs;
    char **snippets;
    lsx_facet *facets;
    size_t nfacets;
    lsx_facet_value **fvals;   /* per facet, values array */
    char **strings;            /* owned facet strings */
    size_t nstrings, capstrings;
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
    for (size_t i = 0; i < r->nfacets; i++)
        free(r->fvals[i]);
    free(r->fvals);
    free(r->facets);
    for (size_t i = 0; i < r->nstrings; i++)
        free(r->strings[i]);
    free(r->strings);
    free(r);
}

size_t lsx_results_count(const lsx_results *r) { return r ? r->nhits : 0; }
uint64_t lsx_results_total(const lsx_results *r) { return r ? r->total : 0; }
size_t lsx_results_facet_count(const lsx_results *r) { return r ? r->nfacets : 0; }

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
    char *id, *label;          /* owned */
} label_entry;

struct lsx_label_cache {
    lsx_strmap map;            /* id -> index in e (the keys are the e[i].id) */
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
    for (size_t i = 0; i < c->n; i++) {
        free(c->e[i].id);
        free(c->e[i].label);
    }
    free(c->e);
    lsx__strmap_clear(&c->map);
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
    char *a = lsx_strdup(id), *b = lsx_strdup(label);
    if (!a || !b || !lsx__strmap_put(&c->map, a, c->n)) {
        free(a);
        free(b);
        return;
    }
    c->e[c->n++] = (label_entry){a, b};
}

/* The display name of an entity the gazetteer does not know, as stored with
 * the documents that mention it: the first spelling with diacritics among a
 * few of them, else the first spelling. */
static char *stored_entity_name(lsx_db *db, const char *id)
{
    enum { LOOK_AT = 5 };
    char term[LSX_MAX_ID_BYTES + 8], err[LSX_ERRLEN];
    size_t n = lsx__prefixed(term, sizeof term, LSX_PFX_ENTITY, id, strlen(id));
    xs_query *q = n ? xs_query_term(term, n, 1) : NULL;
    xs_search_params p = {.first = 0, .maxitems = LOOK_AT, .k1 = LSX_DEFAULT_K1, .b = LSX_DEFAULT_B};
    xs_mset *m = NULL;
    char *best = NULL;
    size_t idl = strlen(id);
    if (q && xs_search(db->x, q, &p, &m, err, sizeof err) == LSX_OK) {
        for (size_t i = 0; i < xs_mset_size(m); i++) {
            char *data = NULL, *name = NULL;
            size_t dlen = 0;
            lsx_record rec = {0};
            /* The list's own slot; documents with version 2 records have it
             * in the record instead.  Failures only mean no name here. */
            char *list = NULL;
            size_t llen = 0;
            if (xs_mset_hit_value(m, i, LSX_SLOT_ENTITY_NAMES, &list, &llen, err, sizeof err) == LSX_OK &&
                llen > 0)
                (void)lsx_record_set_entities(&rec, list, llen, err);
            else if (xs_mset_hit(m, i, NULL, NULL, &data, &dlen, err, sizeof err) == LSX_OK)
                (void)lsx_record_decode(data, dlen, &rec, err);
            free(list);
            if (rec.entities) {
                /* Lines are "<type><id>\t<name>\t<count>". */
                for (char *line = rec.entities; line && *line;) {
                    char *nl = strchr(line, '\n');
                    if (strncmp(line + 1, id, idl) == 0 && line[1 + idl] == '\t') {
                        char *start = line + 2 + idl, *end = strchr(start, '\t');
                        if (end)
                            name = lsx_strndup(start, (size_t)(end - start));
                        break;
                    }
                    line = nl ? nl + 1 : NULL;
                }
            }
            lsx_record_clear(&rec);
            free(data);
            if (!name)
                continue;
            bool accented = false;
            for (const char *c = name; *c; c++)
                accented |= (unsigned char)*c >= 0x80;
            if (accented || !best) {
                free(best);
                best = name;
            } else {
                free(name);
            }
            if (accented)
                break;
        }
    }
    xs_mset_free(m);
    xs_query_free(q);
    return best;
}

/* The display name of entity `id` (malloc'd; NULL only without memory): the
 * gazetteer's name, else the spelling stored with the documents (remembered
 * by read-only handles), else one made from the id. */
static char *entity_label(lsx_db *db, const char *id)
{
    lsx_extractor *ex = lsx__db_extractor(db);
    const char *name = ex ? lsx_gazetteer_name(ex, id) : NULL;
    if (name)
        return lsx_strdup(name);
    bool cacheable = !xs_db_is_writable(db->x);
    const char *known = cacheable ? label_cache_get(db->labels, id) : NULL;
    if (known)
        return lsx_strdup(known);
    char *label = stored_entity_name(db, id);
    if (!label)
        label = label_from_id(id);
    if (label && cacheable)
        label_cache_put(db, id, label);
    return label;
}

static int entity_facet(lsx_results *r, lsx_db *db, const xs_mset *m, size_t k, const facet_req *req,
                        lsx_facet *out, lsx_facet_value **vals)
{
    /* The shim counted ids (each once per document, whatever its types),
     * of the requested type, and kept the top ones in order. */
    size_t nv = xs_mset_facet_size(m, k);
    lsx_facet_value *fv = calloc(nv ? nv : 1, sizeof *fv);
    if (!fv)
        return LSX_ENOMEM;
    size_t w = 0;
    for (size_t j = 0; j < nv && w < req->limit; j++) {
        const char *v;
        size_t len;
        uint64_t cnt;
        if (xs_mset_facet_value(m, k, j, &v, &len, &cnt) != LSX_OK || len == 0)
            continue;
        const char *value = own(r, lsx_strndup(v, len));
        const char *label = value ? own(r, entity_label(db, value)) : NULL;
        if (!label) {
            free(fv);
            return LSX_ENOMEM;
        }
        fv[w++] = (lsx_facet_value){value, label, cnt};
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

static bool has_vietnamese_letters(const char *s)
{
    /* Cheap check: Vietnamese-only letters in UTF-8 (ă â đ ê ô ơ ư and tone marks)
     * are all non-ASCII; lsx_detect_language does the real work. */
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return true;
    return false;
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

static int search_once(lsx_db *db, const lsx_query *query, const lsx_search_options *opts,
                       lsx_results **out);

/* A reader whose revision a writer discarded reopens and searches again
 * (lsx_db_set_retry). */
int lsx_search(lsx_db *db, const lsx_query *query, const lsx_search_options *opts, lsx_results **out)
{
    int rc;
    unsigned attempt = 0;
    do
        rc = search_once(db, query, opts, out);
    while (rc != LSX_OK && lsx__db_retry(db, rc, &attempt));
    return rc;
}

static int search_once(lsx_db *db, const lsx_query *query, const lsx_search_options *opts,
                       lsx_results **out)
{
    *out = NULL;
    lsx_search_options o;
    int vrc = read_search_options(db, opts, &o);
    if (vrc != LSX_OK)
        return vrc;
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
    c.an = lsx__db_analyzer(db);
    if (!c.an)
        return LSX_ERROR;
    c.ex = lsx__db_extractor(db); /* NULL is tolerated: no alias expansion */
    xs_query *xq = NULL;
    if (query) {
        lsx_buf text = {0};
        query_text(lsx_query_root(query), &text);
        c.qlang = text.data && has_vietnamese_letters(text.data) ? lsx_detect_language(text.data, text.len) : "en";
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
    if (c.nterms > 1)
        qsort(c.terms, c.nterms, sizeof *c.terms, cmp_str);
    if (o.prf_docs > 0 && query && (rc = expand_query(db, &xq, &o, has_filters(lsx_query_root(query)))) != LSX_OK)
        goto done_compile;

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
    xs_query_free(xq);
    for (size_t i = 0; i < c.nterms; i++)
        free(c.terms[i]);
    free(c.terms);
    for (size_t i = 0; i < c.nspell; i++) /* left only by a failed compile */
        xs_query_free(c.spell[i]);
    free(c.spell);
    return rc;
}

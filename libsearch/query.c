/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * query.c - the query parser: query string -> lsx_qnode tree.
 *
 * Grammar (operators only in capitals, as whole tokens):
 *
 *   query   := orexpr
 *   orexpr  := andexpr ( [OR] andexpr )*         juxtaposition is OR
 *   andexpr := notexpr ( AND notexpr )*
 *   notexpr := unary ( NOT unary )*              a NOT b -> (and_not a b)
 *   unary   := NOT unary | item                  NOT a   -> (and_not (all) a)
 *   item    := [+|-] primary ( NEAR[/n] primary )*
 *   primary := WORD | "phrase" | ( orexpr ) | name:value
 *
 * The items of one OR group (one level of juxtaposed or OR-ed items) are
 * sorted by their mark: +required, optional, -excluded, and filters, giving
 * (and_not (and (and_maybe (and REQ..) (or OPT..)) FILTERS..) (or EXCL..)),
 * with the parts that are missing left out (see build_group: filters beside
 * words narrow them, an explicit OR joining a filter is a union).  Inside an
 * AND chain, -x and NOT x exclude.
 * A NEAR chain (a NEAR b NEAR/5 c) is one NEAR node with the largest window
 * given; its operands must be words or phrases.
 *
 * Words are kept exactly as typed; analysis (folding, stemming, splitting)
 * is done later by the search module.  All nodes and strings of a query live
 * in one arena released by lsx_query_free.
 *
 * Dates: date:YYYY, date:YYYY-MM, date:YYYY-MM-DD and ranges A..B (either
 * end optional) become LSX_Q_DATE with inclusive "YYYYMMDD" bounds.  The
 * upper bound of a month is day 31 whatever the month ("20220231"): the
 * bounds are compared as strings, where that is the month's last day.
 */
#include "private.h"

#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 100          /* nesting of parentheses and NOTs */
#define DEFAULT_WINDOW 10
#define MAX_WINDOW 1000
#define ARENA_BLOCK 4096

/* ---- arena ------------------------------------------------------------- */

typedef struct ablock {
    struct ablock *next;
    size_t used, cap;
    alignas(max_align_t) unsigned char data[];
} ablock;

struct lsx_query {
    ablock *blocks;
    lsx_qnode *root;         /* NULL when parsing failed */
    size_t nterms;           /* words counted against LSX_QUERY_MAX_TERMS */
    int status;              /* LSX_OK, or the parse error */
    bool filtered;           /* root is the AND made by lsx_query_add_filter */
    bool words;              /* made by lsx_query_parse_words */
    const char *text;        /* the text parsed (a copy in the arena) */
    size_t err_offset;
    char err[LSX_ERRLEN];
};

static void *arena_alloc(lsx_query *q, size_t n)
{
    const size_t align = alignof(max_align_t);
    if (n > SIZE_MAX / 2)
        return NULL;
    n = (n + align - 1) / align * align;
    ablock *b = q->blocks;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->next = q->blocks;
        b->used = 0;
        b->cap = cap;
        q->blocks = b;
    }
    void *p = b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

static char *arena_strndup(lsx_query *q, const char *s, size_t n)
{
    char *p = arena_alloc(q, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* ---- parser state ------------------------------------------------------ */

typedef struct parser {
    lsx_query *q;
    const char *s;
    size_t pos;
    int depth;
    int status;              /* LSX_OK, LSX_EQUERY or LSX_ENOMEM */
} parser;

static bool fail(parser *P, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool fail(parser *P, size_t off, const char *fmt, ...)
{
    char msg[LSX_ERRLEN - 32];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(P->q->err, sizeof P->q->err, "%s at offset %zu", msg, off);
    P->q->err_offset = off;
    P->status = LSX_EQUERY;
    return false;
}

static bool oom(parser *P)
{
    P->status = LSX_ENOMEM;
    return false;
}

static lsx_qnode *new_node(parser *P, lsx_qnode_type type, size_t off)
{
    lsx_qnode *n = arena_alloc(P->q, sizeof *n);
    if (!n) {
        oom(P);
        return NULL;
    }
    n->type = type;
    n->offset = off;
    return n;
}

/* A growable node list living in the arena (old arrays are simply left). */
typedef struct nvec {
    lsx_qnode **v;
    size_t n, cap;
} nvec;

static bool nvec_push(parser *P, nvec *a, lsx_qnode *x)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 4;
        lsx_qnode **v = arena_alloc(P->q, cap * sizeof *v);
        if (!v)
            return oom(P);
        if (a->n)
            memcpy(v, a->v, a->n * sizeof *v);
        a->v = v;
        a->cap = cap;
    }
    a->v[a->n++] = x;
    return true;
}

/* A node of `type` over the list (the list itself when it has one element).
 * Its offset is the smallest of its children's. */
static lsx_qnode *make_list(parser *P, lsx_qnode_type type, nvec *a)
{
    if (a->n == 1)
        return a->v[0];
    lsx_qnode *n = new_node(P, type, a->v[0]->offset);
    if (!n)
        return NULL;
    n->children = a->v;
    n->nchildren = a->n;
    for (size_t i = 1; i < a->n; i++)
        if (a->v[i]->offset < n->offset)
            n->offset = a->v[i]->offset;
    return n;
}

static lsx_qnode *make2(parser *P, lsx_qnode_type type, lsx_qnode *a, lsx_qnode *b)
{
    nvec v = {0};
    if (!nvec_push(P, &v, a) || !nvec_push(P, &v, b))
        return NULL;
    return make_list(P, type, &v);
}

/* (and_not (all) x), the ALL at `off`. */
static lsx_qnode *make_not(parser *P, lsx_qnode *x, size_t off)
{
    lsx_qnode *all = new_node(P, LSX_Q_ALL, off);
    return all ? make2(P, LSX_Q_AND_NOT, all, x) : NULL;
}

/* ---- lexer ------------------------------------------------------------- */

static bool is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Characters that end a word. */
static bool is_delim(unsigned char c)
{
    return c == '\0' || is_ws(c) || c == '(' || c == ')' || c == '"';
}

static bool is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static size_t word_end(const char *s, size_t i)
{
    while (!is_delim((unsigned char)s[i]))
        i++;
    return i;
}

typedef enum tkind { TK_ERR, TK_END, TK_LP, TK_RP, TK_QUOTE, TK_WORD, TK_AND, TK_OR, TK_NOT, TK_NEAR } tkind;

typedef struct token {
    tkind kind;
    size_t start, end;
    unsigned window;         /* TK_NEAR */
} token;

/* The operator an operand is missing for (kind 0: none, at a group start). */
typedef struct opref {
    tkind kind;
    size_t start, end;
} opref;

static bool is_op(tkind k)
{
    return k == TK_AND || k == TK_OR || k == TK_NOT || k == TK_NEAR;
}

/* Look at the next token without consuming it (set P->pos = t->end to). */
static tkind peek(parser *P, token *t)
{
    const char *s = P->s;
    size_t i = P->pos;
    while (is_ws((unsigned char)s[i]))
        i++;
    t->start = i;
    t->end = i + 1;
    t->window = 0;
    switch (s[i]) {
    case '\0': t->end = i; return t->kind = TK_END;
    case '(':  return t->kind = TK_LP;
    case ')':  return t->kind = TK_RP;
    case '"':  return t->kind = TK_QUOTE;
    default:   break;
    }
    size_t j = word_end(s, i), len = j - i;
    t->end = j;
    t->kind = TK_WORD;
    if (len == 3 && memcmp(s + i, "AND", 3) == 0)
        t->kind = TK_AND;
    else if (len == 2 && memcmp(s + i, "OR", 2) == 0)
        t->kind = TK_OR;
    else if (len == 3 && memcmp(s + i, "NOT", 3) == 0)
        t->kind = TK_NOT;
    else if (len == 4 && memcmp(s + i, "NEAR", 4) == 0) {
        t->kind = TK_NEAR;
        t->window = DEFAULT_WINDOW;
    } else if (len >= 5 && memcmp(s + i, "NEAR/", 5) == 0) {
        unsigned w = 0;
        size_t k = i + 5;
        for (; k < j && is_digit((unsigned char)s[k]) && w <= MAX_WINDOW; k++)
            w = w * 10 + (unsigned)(s[k] - '0');
        if (k == i + 5 || k < j || w < 1 || w > MAX_WINDOW) {
            fail(P, i, "bad NEAR window '%.*s' (use NEAR/1 to NEAR/%d)",
                 (int)(len > 40 ? 40 : len), s + i, MAX_WINDOW);
            return t->kind = TK_ERR;
        }
        t->kind = TK_NEAR;
        t->window = w;
    }
    return t->kind;
}

/* Report the operand missing at token t, after operator `prev` if any. */
static bool missing(parser *P, const opref *prev, const token *t)
{
    const char *s = P->s;
    if (prev->kind)
        return fail(P, prev->start, "missing operand after %.*s",
                    (int)(prev->end - prev->start > 40 ? 40 : prev->end - prev->start),
                    s + prev->start);
    if (is_op(t->kind))
        return fail(P, t->start, "missing operand before %.*s",
                    (int)(t->end - t->start > 40 ? 40 : t->end - t->start), s + t->start);
    if (t->kind == TK_RP)
        return fail(P, t->start, "unbalanced ')'");
    return fail(P, 0, "empty query");
}

/* ---- fields -------------------------------------------------------------- */

typedef enum field_id { F_NONE, F_TITLE, F_LANG, F_ENTITY, F_PERSON, F_PLACE, F_ORG, F_DATE } field_id;

/* The query fields are the schema's (schema.h): the term fields with a
 * query name, and the date facet's name for date ranges.  field_names holds
 * the schema's spelling of each. */
static const char *const field_names[] = {
    NULL, "title", "lang", "entity", "person", "place", "org", "date"
};

static field_id field_lookup(const char *s, size_t len)
{
    static const lsx_term_field terms[] = {
        [F_TITLE] = LSX_T_TITLE, [F_LANG] = LSX_T_LANG, [F_ENTITY] = LSX_T_ENTITY,
        [F_PERSON] = LSX_T_PERSON, [F_PLACE] = LSX_T_PLACE, [F_ORG] = LSX_T_ORG,
    };
    lsx_term_field t = lsx__schema_field(s, len);
    for (int f = F_TITLE; f < F_DATE; f++)
        if (t != LSX_T_COUNT && terms[f] == t)
            return (field_id)f;
    char low[16];
    if (len >= sizeof low)
        return F_NONE;
    for (size_t i = 0; i < len; i++)
        low[i] = (char)(s[i] | 0x20);
    const lsx_schema_facet *fc = lsx__schema_facet(low, len);
    return fc && fc->kind == LSX_FACET_DATE ? F_DATE : F_NONE;
}

/* Set `field` on every WORD at or below n. */
static void set_field(lsx_qnode *n, const char *field)
{
    if (n->type == LSX_Q_WORD)
        n->field = field;
    for (size_t i = 0; i < n->nchildren; i++)
        set_field(n->children[i], field);
}

/* ---- dates --------------------------------------------------------------- */

static const char *const month_names[] = {
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"
};

static unsigned days_in_month(unsigned y, unsigned m)
{
    static const unsigned char days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

/* "YYYYMMDD" (y < 10000, m < 100, d < 100) into out[9]. */
static void put_ymd(char out[9], unsigned y, unsigned m, unsigned d)
{
    unsigned v[3] = { y, m, d }, width[3] = { 4, 2, 2 };
    char *p = out;
    for (int k = 0; k < 3; k++) {
        for (unsigned i = width[k]; i-- > 0;) {
            p[i] = (char)('0' + v[k] % 10);
            v[k] /= 10;
        }
        p += width[k];
    }
    *p = '\0';
}

/* Read 1 or 2 digits at s[*i] (i < len); false if there are none or more. */
static bool read_num(const char *s, size_t len, size_t *i, unsigned *out)
{
    size_t k = *i;
    unsigned v = 0;
    while (k < len && k - *i < 3 && is_digit((unsigned char)s[k]))
        v = v * 10 + (unsigned)(s[k++] - '0');
    if (k == *i || k - *i > 2)
        return false;
    *i = k;
    *out = v;
    return true;
}

/* One end of a date value: YYYY, YYYY-M[M] or YYYY-M[M]-D[D] at offset off.
 * Writes its first and last day. */
static bool parse_date_part(parser *P, const char *s, size_t len, size_t off,
                            char lo[9], char hi[9])
{
    int shown = (int)(len > 40 ? 40 : len);
    unsigned y = 0, m = 0, d = 0;
    int parts = 1;
    size_t i = 0;
    for (; i < 4 && i < len && is_digit((unsigned char)s[i]); i++)
        y = y * 10 + (unsigned)(s[i] - '0');
    bool good = i == 4;
    if (good && i < len) {
        parts = 2;
        good = s[i++] == '-' && read_num(s, len, &i, &m);
        if (good && i < len) {
            parts = 3;
            good = s[i++] == '-' && read_num(s, len, &i, &d) && i == len;
        }
    }
    if (!good)
        return fail(P, off, "bad date '%.*s' (expected YYYY, YYYY-MM or YYYY-MM-DD)", shown, s);
    if (y == 0)
        return fail(P, off, "bad date '%.*s' (year must be 0001-9999)", shown, s);
    if (parts >= 2 && (m < 1 || m > 12))
        return fail(P, off, "bad date '%.*s' (month must be 1-12)", shown, s);
    if (parts == 3 && (d < 1 || d > 31))
        return fail(P, off, "bad date '%.*s' (day must be 1-31)", shown, s);
    if (parts == 3 && d > days_in_month(y, m))
        return fail(P, off, "bad date '%.*s' (%s %04u has %u days)", shown, s,
                    month_names[m - 1], y, days_in_month(y, m));
    put_ymd(lo, y, parts >= 2 ? m : 1, parts == 3 ? d : 1);
    put_ymd(hi, y, parts >= 2 ? m : 12, parts == 3 ? d : 31);
    return true;
}

/* A date value (a day, month, year, or a range A..B) into node n. */
static bool parse_date(parser *P, const char *s, size_t len, size_t off, lsx_qnode *n)
{
    char lo[9], hi[9];
    size_t dots = len;
    for (size_t i = 0; i + 1 < len; i++)
        if (s[i] == '.' && s[i + 1] == '.') {
            dots = i;
            break;
        }
    if (dots == len) {
        if (!parse_date_part(P, s, len, off, lo, hi))
            return false;
        memcpy(n->date_from, lo, 9);
        memcpy(n->date_to, hi, 9);
        return true;
    }
    size_t rlen = len - dots - 2;
    if (dots == 0 && rlen == 0)
        return fail(P, off, "empty date range '..'");
    if (dots > 0) {
        if (!parse_date_part(P, s, dots, off, lo, hi))
            return false;
        memcpy(n->date_from, lo, 9);
    }
    if (rlen > 0) {
        if (!parse_date_part(P, s + dots + 2, rlen, off + dots + 2, lo, hi))
            return false;
        memcpy(n->date_to, hi, 9);
    }
    if (n->date_from[0] && n->date_to[0] && strcmp(n->date_from, n->date_to) > 0)
        return fail(P, off, "date range '%.*s' ends before it starts",
                    (int)(len > 60 ? 60 : len), s);
    return true;
}

/* ---- the grammar ------------------------------------------------------- */

typedef struct item {
    lsx_qnode *node;
    char mark;               /* 0, '+', '-', or 'N' (node is (and_not (all) x)) */
    size_t start;            /* offset of the item, its mark included */
} item;

static lsx_qnode *parse_or(parser *P, bool in_group, size_t open_off);

/* The node of an item whose mark has no OR group to act in. */
static lsx_qnode *resolve(parser *P, const item *it)
{
    if (it->mark == '-')
        return make_not(P, it->node, it->start);
    return it->node;
}

/* A parenthesised group; P->pos is at the '('. */
static lsx_qnode *parse_group(parser *P)
{
    size_t open = P->pos;
    if (P->depth >= MAX_DEPTH) {
        fail(P, open, "query nested too deeply (more than %d levels)", MAX_DEPTH);
        return NULL;
    }
    P->depth++;
    P->pos = open + 1;
    lsx_qnode *n = parse_or(P, true, open);
    P->depth--;
    return n;
}

/* "a phrase"; P->pos is at the opening quote. */
static lsx_qnode *parse_phrase(parser *P)
{
    const char *s = P->s;
    size_t open = P->pos, close = open + 1;
    while (s[close] && s[close] != '"')
        close++;
    if (!s[close]) {
        fail(P, open, "unterminated quote");
        return NULL;
    }
    nvec words = {0};
    for (size_t i = open + 1; i < close;) {
        while (i < close && is_ws((unsigned char)s[i]))
            i++;
        if (i == close)
            break;
        size_t j = i;
        while (j < close && !is_ws((unsigned char)s[j]))
            j++;
        lsx_qnode *w = new_node(P, LSX_Q_WORD, i);
        if (!w || !(w->text = arena_strndup(P->q, s + i, j - i)) || !nvec_push(P, &words, w))
            return oom(P), NULL;
        i = j;
    }
    if (words.n == 0) {
        fail(P, open, "empty phrase");
        return NULL;
    }
    P->pos = close + 1;
    lsx_qnode *n = make_list(P, LSX_Q_PHRASE, &words);
    if (n && n->type == LSX_Q_PHRASE)
        n->offset = open;
    return n;
}

/* The value of field f (P->pos just after the colon); name_off: the name. */
static lsx_qnode *parse_field(parser *P, field_id f, size_t name_off)
{
    const char *s = P->s, *fname = field_names[f];
    size_t pos = P->pos;
    lsx_qnode *n;

    if (f == F_TITLE) {
        if (s[pos] == '"') {
            n = parse_phrase(P);
            if (n)
                n->offset = name_off;
        } else if (s[pos] == '(') {
            n = parse_group(P);
        } else {
            size_t j = word_end(s, pos);
            n = new_node(P, LSX_Q_WORD, name_off);
            if (n && !(n->text = arena_strndup(P->q, s + pos, j - pos)))
                n = NULL, oom(P);
            P->pos = j;
        }
        if (n)
            set_field(n, fname);
        return n;
    }

    /* one value: a word or a "quoted text" */
    size_t vstart, vend;
    if (s[pos] == '"') {
        vstart = pos + 1;
        vend = vstart;
        while (s[vend] && s[vend] != '"')
            vend++;
        if (!s[vend]) {
            fail(P, pos, "unterminated quote");
            return NULL;
        }
        P->pos = vend + 1;
    } else if (s[pos] == '(') {
        fail(P, pos, "field '%s:' takes one value, not a group", fname);
        return NULL;
    } else {
        vstart = pos;
        vend = word_end(s, pos);
        P->pos = vend;
    }
    size_t k = vstart;
    while (k < vend && is_ws((unsigned char)s[k]))
        k++;
    if (k == vend) {
        fail(P, name_off, "missing value after '%s:'", fname);
        return NULL;
    }
    size_t vlen = vend - vstart;
    const char *v = s + vstart;

    if (f == F_DATE) {
        n = new_node(P, LSX_Q_DATE, name_off);
        if (!n || !parse_date(P, v, vlen, vstart, n))
            return NULL;
        return n;
    }
    n = new_node(P, LSX_Q_FILTER, name_off);
    if (!n)
        return NULL;
    n->field = fname;
    if (f == F_LANG) {
        /* any registry language, by its code (any case, a region ignored) */
        const lsx__lang *l = lsx__lang_find(v, vlen);
        if (!l) {
            char known[256];
            size_t k = 0;
            for (size_t i = 0; i < lsx__lang_count() && k + 4 < sizeof known; i++)
                k += (size_t)snprintf(known + k, sizeof known - k, "%s%s", i ? " " : "", lsx__lang_get(i)->code);
            fail(P, vstart, "unknown language '%.*s' (known: %s)", (int)(vlen > 40 ? 40 : vlen), v, known);
            return NULL;
        }
        n->text = l->code;
        return n;
    }
    if (!(n->text = arena_strndup(P->q, v, vlen)))
        return oom(P), NULL;
    return n;
}

/* A word, phrase, group or field at P->pos (no mark, no operator). */
static lsx_qnode *parse_primary(parser *P)
{
    const char *s = P->s;
    size_t pos = P->pos;
    if (s[pos] == '"')
        return parse_phrase(P);
    if (s[pos] == '(')
        return parse_group(P);

    size_t k = pos;
    while (is_alpha((unsigned char)s[k]))
        k++;
    if (k > pos && s[k] == ':') {
        unsigned char c = (unsigned char)s[k + 1];
        field_id f = field_lookup(s + pos, k - pos);
        int nlen = (int)(k - pos > 40 ? 40 : k - pos);
        if (!is_ws(c) && c != '\0' && c != ')' && c != ':' && c != '/') {
            if (f == F_NONE) {
                fail(P, pos, "unknown field '%.*s' (known: title, lang, entity, person, place, org, date)",
                     nlen, s + pos);
                return NULL;
            }
            P->pos = k + 1;
            return parse_field(P, f, pos);
        }
        if (f != F_NONE && (is_ws(c) || c == '\0' || c == ')')) {
            fail(P, pos, "missing value after '%s:'", field_names[f]);
            return NULL;
        }
    }
    size_t j = word_end(s, pos);
    lsx_qnode *w = new_node(P, LSX_Q_WORD, pos);
    if (w && !(w->text = arena_strndup(P->q, s + pos, j - pos)))
        return oom(P), NULL;
    P->pos = j;
    return w;
}

static bool near_operand(const lsx_qnode *n)
{
    return n->type == LSX_Q_WORD || n->type == LSX_Q_PHRASE;
}

/* True if the word token t starts with a +/- mark (followed by an operand). */
static bool has_mark(const parser *P, const token *t)
{
    if (t->kind != TK_WORD || (P->s[t->start] != '+' && P->s[t->start] != '-'))
        return false;
    char d = P->s[t->start + 1];
    return !(d == '\0' || is_ws((unsigned char)d) || d == ')');
}

/* [+|-] primary (NEAR primary)*; the next token is a word, quote or '('. */
static bool parse_item(parser *P, item *out)
{
    token t;
    peek(P, &t);
    out->start = t.start;
    out->mark = 0;
    P->pos = t.start;
    if (has_mark(P, &t)) {
        out->mark = P->s[t.start];
        P->pos++;
    }
    size_t pstart = P->pos;
    lsx_qnode *n = parse_primary(P);
    if (!n)
        return false;
    if (peek(P, &t) == TK_ERR)
        return false;
    if (t.kind == TK_NEAR) {
        if (!near_operand(n))
            return fail(P, pstart, "NEAR needs a word or phrase on each side");
        nvec kids = {0};
        unsigned window = 0;
        if (!nvec_push(P, &kids, n))
            return false;
        while (t.kind == TK_NEAR) {
            opref op = { t.kind, t.start, t.end };
            if (t.window > window)
                window = t.window;
            P->pos = t.end;
            token u;
            if (peek(P, &u) == TK_ERR)
                return false;
            if (u.kind == TK_END || u.kind == TK_RP || is_op(u.kind))
                return missing(P, &op, &u);
            if (u.kind == TK_LP || has_mark(P, &u))
                return fail(P, u.start, "NEAR needs a word or phrase on each side");
            P->pos = u.start;
            lsx_qnode *m = parse_primary(P);
            if (!m)
                return false;
            if (!near_operand(m))
                return fail(P, u.start, "NEAR needs a word or phrase on each side");
            if (!nvec_push(P, &kids, m) || peek(P, &t) == TK_ERR)
                return false;
        }
        lsx_qnode *near = new_node(P, LSX_Q_NEAR, n->offset);
        if (!near)
            return false;
        near->window = window;
        near->children = kids.v;
        near->nchildren = kids.n;
        n = near;
    }
    out->node = n;
    return true;
}

/* NOT unary | item */
static bool parse_unary(parser *P, const opref *prev, item *out)
{
    token t;
    switch (peek(P, &t)) {
    case TK_ERR:
        return false;
    case TK_NOT: {
        if (P->depth >= MAX_DEPTH)
            return fail(P, t.start, "query nested too deeply (more than %d levels)", MAX_DEPTH);
        opref op = { t.kind, t.start, t.end };
        item in;
        P->pos = t.end;
        P->depth++;
        bool good = parse_unary(P, &op, &in);
        P->depth--;
        if (!good)
            return false;
        lsx_qnode *x = resolve(P, &in);
        out->node = x ? make_not(P, x, t.start) : NULL;
        out->mark = 'N';
        out->start = t.start;
        return out->node != NULL;
    }
    case TK_WORD:
    case TK_QUOTE:
    case TK_LP:
        return parse_item(P, out);
    default:
        return missing(P, prev, &t);
    }
}

/* unary (NOT unary)*: (and_not first (or rest..)), keeping first's +/- mark. */
static bool parse_not(parser *P, const opref *prev, item *out)
{
    token t;
    if (!parse_unary(P, prev, out))
        return false;
    if (peek(P, &t) != TK_NOT)
        return t.kind != TK_ERR;
    nvec rights = {0};
    while (t.kind == TK_NOT) {
        opref op = { t.kind, t.start, t.end };
        item it;
        P->pos = t.end;
        if (!parse_unary(P, &op, &it))
            return false;
        lsx_qnode *x = resolve(P, &it);
        if (!x || !nvec_push(P, &rights, x) || peek(P, &t) == TK_ERR)
            return false;
    }
    lsx_qnode *excl = make_list(P, LSX_Q_OR, &rights);
    lsx_qnode *n = excl ? make2(P, LSX_Q_AND_NOT, out->node, excl) : NULL;
    if (!n)
        return false;
    out->node = n;
    if (out->mark == 'N')
        out->mark = 0;
    return true;
}

/* notexpr (AND notexpr)*: -x and NOT x exclude, the others are required. */
static bool parse_and(parser *P, const opref *prev, item *out)
{
    token t;
    if (!parse_not(P, prev, out))
        return false;
    if (peek(P, &t) != TK_AND)
        return t.kind != TK_ERR;
    nvec req = {0}, excl = {0};
    item it = *out;
    for (;;) {
        bool good;
        if (it.mark == '-')
            good = nvec_push(P, &excl, it.node);
        else if (it.mark == 'N')
            good = nvec_push(P, &excl, it.node->children[1]);
        else
            good = nvec_push(P, &req, it.node);
        if (!good || peek(P, &t) == TK_ERR)
            return false;
        if (t.kind != TK_AND)
            break;
        opref op = { t.kind, t.start, t.end };
        P->pos = t.end;
        if (!parse_not(P, &op, &it))
            return false;
    }
    lsx_qnode *n = req.n ? make_list(P, LSX_Q_AND, &req) : new_node(P, LSX_Q_ALL, out->start);
    if (n && excl.n) {
        lsx_qnode *x = make_list(P, LSX_Q_OR, &excl);
        n = x ? make2(P, LSX_Q_AND_NOT, n, x) : NULL;
    }
    out->node = n;
    out->mark = 0;
    return n != NULL;
}

bool lsx__qnode_only_filters(const lsx_qnode *n)
{
    switch (n->type) {
    case LSX_Q_FILTER:
    case LSX_Q_DATE:
        return true;
    case LSX_Q_AND:
    case LSX_Q_OR:
        for (size_t i = 0; i < n->nchildren; i++)
            if (!lsx__qnode_only_filters(n->children[i]))
                return false;
        return n->nchildren > 0;
    case LSX_Q_AND_NOT:
        return n->nchildren == 2 &&
               (n->children[0]->type == LSX_Q_ALL || lsx__qnode_only_filters(n->children[0])) &&
               lsx__qnode_only_filters(n->children[1]);
    default:
        return false;
    }
}

/* The field a filter item shares alternatives with ("date" for dates), or
 * NULL for a group of filters, which stands on its own. */
static const char *filter_field(const lsx_qnode *n)
{
    if (n->type == LSX_Q_DATE)
        return "date";
    return n->type == LSX_Q_FILTER ? n->field : NULL;
}

/* An item of an OR group, and whether an explicit OR joined it to the one before. */
typedef struct gitem {
    item it;
    bool or_prev;
} gitem;

typedef struct ivec {
    gitem *v;
    size_t n, cap;
} ivec;

static bool ivec_push(parser *P, ivec *a, const item *it, bool or_prev)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 8;
        gitem *v = arena_alloc(P->q, cap * sizeof *v);
        if (!v)
            return oom(P);
        if (a->n)
            memcpy(v, a->v, a->n * sizeof *v);
        a->v = v;
        a->cap = cap;
    }
    a->v[a->n++] = (gitem){ *it, or_prev };
    return true;
}

/*
 * The node of one OR group from its items.  Juxtaposed items and items
 * joined by OR are alternatives, except filters: a filter beside words
 * narrows them (`asean lang:vi`), values of one field are alternatives
 * (`lang:en lang:vi`) and different fields all apply.  An explicit OR that
 * joins a filter to its neighbour makes one alternative of the whole OR
 * chain (`asean OR lang:vi` is the union; `asean date:2023 OR lang:vi`
 * is ASEAN articles of 2023 or in Vietnamese).  OR chains of words alone
 * mean what juxtaposition does, +/- marks included.
 *
 * Result: (and_not (and CORE FILTERS..) (or EXCL..)), CORE being
 * (and_maybe (and REQ..) (or OPT..)) with the missing parts left out.
 */
static lsx_qnode *build_group(parser *P, ivec *items, size_t start)
{
    nvec req = {0}, opt = {0}, excl = {0}, filt = {0};
    for (size_t i = 0; i < items->n;) {
        size_t j = i + 1;
        while (j < items->n && items->v[j].or_prev)
            j++;
        bool any_filter = false;
        for (size_t k = i; k < j && j - i > 1; k++)
            any_filter |= lsx__qnode_only_filters(items->v[k].it.node);
        item chain;
        size_t from = i, to = j;
        if (any_filter) {
            nvec alts = {0};
            for (size_t k = i; k < j; k++) {
                lsx_qnode *x = resolve(P, &items->v[k].it);
                if (!x || !nvec_push(P, &alts, x))
                    return NULL;
            }
            chain = (item){ make_list(P, LSX_Q_OR, &alts), 0, items->v[i].it.start };
            if (!chain.node)
                return NULL;
            from = 0, to = 1;
        }
        for (size_t k = from; k < to; k++) {
            const item *it = any_filter ? &chain : &items->v[k].it;
            bool good;
            if (it->mark == '-')
                good = nvec_push(P, &excl, it->node);
            else if (lsx__qnode_only_filters(it->node))
                good = nvec_push(P, &filt, it->node);
            else if (it->mark == '+')
                good = nvec_push(P, &req, it->node);
            else
                good = nvec_push(P, &opt, it->node);
            if (!good)
                return NULL;
        }
        i = j;
    }

    lsx_qnode *n = NULL;
    if (req.n && opt.n) {
        lsx_qnode *r = make_list(P, LSX_Q_AND, &req), *o = r ? make_list(P, LSX_Q_OR, &opt) : NULL;
        if (!(n = o ? make2(P, LSX_Q_AND_MAYBE, r, o) : NULL))
            return NULL;
    } else if (req.n) {
        if (!(n = make_list(P, LSX_Q_AND, &req)))
            return NULL;
    } else if (opt.n) {
        if (!(n = make_list(P, LSX_Q_OR, &opt)))
            return NULL;
    }
    if (filt.n) {
        /* (and CORE (or values of field 1..) (or values of field 2..) ..) */
        nvec all = {0};
        bool *used = arena_alloc(P->q, filt.n * sizeof *used);
        if (!used || (n && !nvec_push(P, &all, n)))
            return oom(P), NULL;
        for (size_t i = 0; i < filt.n; i++) {
            if (used[i])
                continue;
            const char *f = filter_field(filt.v[i]);
            nvec alts = {0};
            for (size_t j = i; j < filt.n; j++) {
                const char *g = filter_field(filt.v[j]);
                if (used[j] || (j != i && (!f || !g || strcmp(f, g) != 0)))
                    continue;
                used[j] = true;
                if (!nvec_push(P, &alts, filt.v[j]))
                    return NULL;
            }
            lsx_qnode *x = make_list(P, LSX_Q_OR, &alts);
            if (!x || !nvec_push(P, &all, x))
                return NULL;
        }
        if (!(n = make_list(P, LSX_Q_AND, &all)))
            return NULL;
    }
    if (!n)
        n = new_node(P, LSX_Q_ALL, start);
    if (n && excl.n) {
        lsx_qnode *x = make_list(P, LSX_Q_OR, &excl);
        n = x ? make2(P, LSX_Q_AND_NOT, n, x) : NULL;
    }
    return n;
}

/* andexpr ([OR] andexpr)*, up to the end (top level) or the ')' (group). */
static lsx_qnode *parse_or(parser *P, bool in_group, size_t open_off)
{
    token t;
    opref none = { 0, 0, 0 };
    switch (peek(P, &t)) {
    case TK_ERR:
        return NULL;
    case TK_END:
        if (in_group)
            fail(P, open_off, "unbalanced '('");
        else
            fail(P, 0, "empty query");
        return NULL;
    case TK_RP:
        if (in_group)
            fail(P, open_off, "empty parentheses");
        else
            fail(P, t.start, "unbalanced ')'");
        return NULL;
    case TK_AND:
    case TK_OR:
    case TK_NEAR:
        missing(P, &none, &t);
        return NULL;
    default:
        break;
    }

    ivec items = {0};
    size_t start = t.start;
    opref prev = none;
    for (;;) {
        item it;
        if (!parse_and(P, &prev, &it))
            return NULL;
        if (!ivec_push(P, &items, &it, prev.kind == TK_OR))
            return NULL;
        prev = none;
        switch (peek(P, &t)) {
        case TK_ERR:
            return NULL;
        case TK_END:
            if (in_group) {
                fail(P, open_off, "unbalanced '('");
                return NULL;
            }
            break;
        case TK_RP:
            if (!in_group) {
                fail(P, t.start, "unbalanced ')'");
                return NULL;
            }
            P->pos = t.end;
            break;
        case TK_OR:
            prev = (opref){ t.kind, t.start, t.end };
            P->pos = t.end;
            continue;
        default:
            continue;
        }
        break;
    }
    return build_group(P, &items, start);
}

/* ---- public API ---------------------------------------------------------- */

/* The start of both parsers: a new query in *q, or the status to return
 * (with *out set as CONVENTIONS say: NULL, or a query holding the error). */
static int query_new(lsx_query **out, const char *text, lsx_query **q)
{
    if (!out)
        return LSX_EINVAL;
    *out = NULL;
    if (!(*q = calloc(1, sizeof **q)))
        return LSX_ENOMEM;
    if (!text) {
        (*q)->status = lsx__seterr((*q)->err, LSX_EINVAL, "query text is NULL");
        *out = *q;
        return (*q)->status;
    }
    size_t len = strnlen(text, (size_t)LSX_QUERY_MAX_BYTES + 1);
    if (len > LSX_QUERY_MAX_BYTES) {
        (*q)->status = lsx__seterr((*q)->err, LSX_EQUERY,
                                   "query too long: more than %d bytes (the limit is %d) at offset %d",
                                   LSX_QUERY_MAX_BYTES, LSX_QUERY_MAX_BYTES, LSX_QUERY_MAX_BYTES);
        (*q)->err_offset = LSX_QUERY_MAX_BYTES;
        *out = *q;
        return (*q)->status;
    }
    return LSX_OK;
}

/* ---- the term cap ------------------------------------------------------ */

typedef struct term_count {
    lsx_query *q;
    lsx_strmap seen;         /* "field\1word" of plain words already counted */
    size_t n;
    bool oom;
} term_count;

/* Count the words of n: each word of a phrase or NEAR, and each distinct
 * (field, word) elsewhere (repeated plain words are searched once). */
static void count_terms(term_count *tc, const lsx_qnode *n, bool positional)
{
    if (tc->oom || tc->n > LSX_QUERY_MAX_TERMS)
        return;
    if (n->type == LSX_Q_WORD) {
        if (positional) {
            tc->n++;
            return;
        }
        const char *field = n->field ? n->field : "", *text = n->text ? n->text : "";
        size_t fl = strlen(field), tl = strlen(text);
        char *key = arena_alloc(tc->q, fl + tl + 2);
        if (!key) {
            tc->oom = true;
            return;
        }
        memcpy(key, field, fl);
        key[fl] = '\1';
        memcpy(key + fl + 1, text, tl + 1);
        if (lsx__strmap_get(&tc->seen, key, fl + tl + 1) != SIZE_MAX)
            return;
        if (!lsx__strmap_add(&tc->seen, key, fl + tl + 1, tc->n)) {
            tc->oom = true;
            return;
        }
        tc->n++;
        return;
    }
    bool pos = positional || n->type == LSX_Q_PHRASE || n->type == LSX_Q_NEAR;
    for (size_t i = 0; i < n->nchildren; i++)
        count_terms(tc, n->children[i], pos);
}

/* LSX_OK, or the error status (set in q) when root has too many terms. */
static int check_terms(lsx_query *q, const lsx_qnode *root, size_t already)
{
    term_count tc = { q, { 0 }, already, false };
    count_terms(&tc, root, false);
    lsx__strmap_free(&tc.seen);
    if (tc.oom)
        return LSX_ENOMEM;
    if (tc.n > LSX_QUERY_MAX_TERMS) {
        q->err_offset = 0;
        return lsx__seterr(q->err, LSX_EQUERY,
                           "too many words: more than %d (repeated words count once, each word of a "
                           "phrase or NEAR counts) at offset 0", LSX_QUERY_MAX_TERMS);
    }
    q->nterms = tc.n;
    return LSX_OK;
}

/* The end of both parsers: hand over the query with its root, or with the
 * parse error (status), or free it on running out of memory. */
static int query_end(lsx_query **out, lsx_query *q, int status, lsx_qnode *root)
{
    if (status == LSX_ENOMEM || (!root && status == LSX_OK)) {
        lsx_query_free(q);
        return LSX_ENOMEM;
    }
    if (status == LSX_OK) {
        status = check_terms(q, root, 0);
        if (status == LSX_ENOMEM) {
            lsx_query_free(q);
            return LSX_ENOMEM;
        }
    }
    q->status = status;
    if (status == LSX_OK)
        q->root = root;
    *out = q;
    return status;
}

int lsx_query_parse(lsx_query **out, const char *text)
{
    lsx_query *q;
    int rc = query_new(out, text, &q);
    if (rc != LSX_OK)
        return rc;
    parser P = { q, text, 0, 0, LSX_OK };
    lsx_qnode *root = parse_or(&P, false, 0);
    if (P.status == LSX_OK && !(q->text = arena_strndup(q, text, strlen(text))))
        P.status = LSX_ENOMEM;
    return query_end(out, q, P.status, root);
}

/* ---- plain words ------------------------------------------------------- */

typedef struct words_ctx {
    parser *P;
    nvec words;
} words_ctx;

/* One analyzer word: a WORD node holding the word exactly as typed. */
static int on_plain_word(void *payload, const lsx_token *t)
{
    words_ctx *w = payload;
    parser *P = w->P;
    lsx_qnode *n = new_node(P, LSX_Q_WORD, t->start);
    if (!n || !(n->text = arena_strndup(P->q, P->s + t->start, t->end - t->start)) ||
        !nvec_push(P, &w->words, n)) {
        oom(P);
        return 1;
    }
    return 0;
}

/*
 * The words are found by the analyzer (the same splitting as documents get),
 * so each WORD node is exactly one analyzer word and nothing in the text is
 * an operator, a field, a mark or a phrase.  The language passed only picks
 * stemmer and stopwords, which do not change where words start and end
 * (scripts without spaces are split by script, whatever the language); "und"
 * (undetermined, no registry language) needs neither.
 */
int lsx_query_parse_words(lsx_query **out, const char *text)
{
    lsx_query *q;
    int rc = query_new(out, text, &q);
    if (rc != LSX_OK)
        return rc;
    lsx_analyzer *an = NULL;
    if (lsx_analyzer_new(&an) != LSX_OK) {
        lsx_query_free(q);
        return LSX_ENOMEM;
    }
    parser P = { q, text, 0, 0, LSX_OK };
    words_ctx w = { &P, { NULL, 0, 0 } };
    q->words = true;
    rc = lsx_analyze(an, "und", text, strlen(text), on_plain_word, &w);
    if (rc < 0 && P.status == LSX_OK)
        P.status = lsx__seterr(q->err, rc, "%s", lsx_analyzer_errmsg(an));
    lsx_analyzer_free(an);
    if (P.status == LSX_ENOMEM) {
        lsx_query_free(q);
        return LSX_ENOMEM;
    }
    if (P.status == LSX_OK && w.words.n == 0)
        fail(&P, 0, "no words to search for");
    lsx_qnode *root = P.status == LSX_OK ? make_list(&P, LSX_Q_OR, &w.words) : NULL;
    return query_end(out, q, P.status, root);
}

void lsx_query_free(lsx_query *q)
{
    if (!q)
        return;
    for (ablock *b = q->blocks, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(q);
}

const char *lsx_query_errmsg(const lsx_query *q)
{
    return q ? q->err : "out of memory";
}

size_t lsx_query_error_offset(const lsx_query *q)
{
    return q && q->status != LSX_OK ? q->err_offset : 0;
}

const char *lsx__query_text(const lsx_query *q)
{
    return q && q->text ? q->text : NULL;
}

bool lsx__query_is_words(const lsx_query *q)
{
    return q && q->words;
}

const lsx_qnode *lsx_query_root(const lsx_query *q)
{
    return q ? q->root : NULL;
}

static void put_quoted(lsx_buf *b, const char *s)
{
    lsx_buf_putc(b, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"' || *p == '\\')
            lsx_buf_putc(b, '\\');
        lsx_buf_putc(b, *p);
    }
    lsx_buf_putc(b, '"');
}

static void describe(lsx_buf *b, const lsx_qnode *n)
{
    static const char *const names[] = {
        [LSX_Q_WORD] = "word", [LSX_Q_PHRASE] = "phrase", [LSX_Q_NEAR] = "near",
        [LSX_Q_AND] = "and", [LSX_Q_OR] = "or", [LSX_Q_AND_NOT] = "and_not",
        [LSX_Q_AND_MAYBE] = "and_maybe", [LSX_Q_FILTER] = "filter", [LSX_Q_DATE] = "date",
        [LSX_Q_ALL] = "all"
    };
    const char *name = (unsigned)n->type <= LSX_Q_ALL && names[n->type] ? names[n->type] : "?";
    lsx_buf_putc(b, '(');
    lsx_buf_puts(b, name);
    switch (n->type) {
    case LSX_Q_WORD:
    case LSX_Q_FILTER:
        if (n->field) {
            lsx_buf_putc(b, ' ');
            lsx_buf_puts(b, n->field);
        }
        lsx_buf_putc(b, ' ');
        put_quoted(b, n->text ? n->text : "");
        break;
    case LSX_Q_DATE:
        lsx_buf_putc(b, ' ');
        put_quoted(b, n->date_from);
        lsx_buf_putc(b, ' ');
        put_quoted(b, n->date_to);
        break;
    case LSX_Q_NEAR:
        lsx_buf_printf(b, " %u", n->window);
        break;
    default:
        break;
    }
    for (size_t i = 0; i < n->nchildren; i++) {
        lsx_buf_putc(b, ' ');
        describe(b, n->children[i]);
    }
    lsx_buf_putc(b, ')');
}

char *lsx_query_describe(const lsx_query *q)
{
    if (!q || !q->root)
        return NULL;
    lsx_buf b = {0};
    describe(&b, q->root);
    return lsx_buf_detach(&b);
}

/* Deep-copy n into q's arena (field names are static strings). */
static lsx_qnode *copy_node(lsx_query *q, const lsx_qnode *n)
{
    lsx_qnode *c = arena_alloc(q, sizeof *c);
    if (!c)
        return NULL;
    *c = *n;
    if (n->text && !(c->text = arena_strndup(q, n->text, strlen(n->text))))
        return NULL;
    if (n->nchildren) {
        if (!(c->children = arena_alloc(q, n->nchildren * sizeof *c->children)))
            return NULL;
        for (size_t i = 0; i < n->nchildren; i++)
            if (!(c->children[i] = copy_node(q, n->children[i])))
                return NULL;
    }
    return c;
}

int lsx_query_add_filter(lsx_query *q, const lsx_query *filter)
{
    if (!q)
        return LSX_EINVAL;
    if (q->status != LSX_OK || !q->root)
        return lsx__seterr(q->err, LSX_EINVAL, "cannot add a filter to a query that failed to parse");
    if (!filter)
        return lsx__seterr(q->err, LSX_EINVAL, "filter query is NULL");
    if (filter->status != LSX_OK || !filter->root)
        return lsx__seterr(q->err, LSX_EINVAL, "the filter query failed to parse: %s", filter->err);
    if (q->nterms + filter->nterms > LSX_QUERY_MAX_TERMS)
        return lsx__seterr(q->err, LSX_EQUERY, "too many words with the filter: more than %d",
                           LSX_QUERY_MAX_TERMS);
    lsx_qnode *f = copy_node(q, filter->root);
    if (!f)
        return lsx__seterr(q->err, LSX_ENOMEM, "out of memory");
    q->nterms += filter->nterms;
    if (q->filtered) {
        /* the root is already (and query filter..): add one more child */
        lsx_qnode *r = q->root;
        lsx_qnode **kids = arena_alloc(q, (r->nchildren + 1) * sizeof *kids);
        if (!kids)
            return lsx__seterr(q->err, LSX_ENOMEM, "out of memory");
        memcpy(kids, r->children, r->nchildren * sizeof *kids);
        kids[r->nchildren] = f;
        r->children = kids;
        r->nchildren++;
    } else {
        lsx_qnode *r = arena_alloc(q, sizeof *r);
        lsx_qnode **kids = r ? arena_alloc(q, 2 * sizeof *kids) : NULL;
        if (!kids)
            return lsx__seterr(q->err, LSX_ENOMEM, "out of memory");
        kids[0] = q->root;
        kids[1] = f;
        r->type = LSX_Q_AND;
        r->offset = q->root->offset;
        r->children = kids;
        r->nchildren = 2;
        q->root = r;
        q->filtered = true;
    }
    q->err[0] = '\0';
    return LSX_OK;
}

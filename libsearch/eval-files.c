/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * eval-files.c - qrels, runs and topics: reading, writing, grouping by topic.
 *
 * The readers follow NIST trec_eval 10.0 (get_qrels.c, get_trec_results.c):
 * the same fields, the same leniency and the same refusals, with messages
 * that name the file and line.  Where trec_eval misbehaves (a comment line
 * after a comment, or at the end of a qrels file) the input is refused.
 */
#include "eval.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ======================================================================
 * String pool
 * ====================================================================== */

struct lsx__pool_block {
    lsx__pool_block *next;
    size_t size;
    char data[];
};

#define POOL_BLOCK 65536

const char *lsx__pool_strndup(lsx__pool *p, const char *s, size_t n)
{
    if (n + 1 > p->left) {
        size_t size = n + 1 > POOL_BLOCK / 4 ? n + 1 : POOL_BLOCK;
        lsx__pool_block *b = malloc(sizeof *b + size);
        if (!b)
            return NULL;
        b->size = size;
        if (size == POOL_BLOCK || !p->head) {
            b->next = p->head;
            p->head = b;
            p->left = size;
        } else {
            /* a big string gets its own block behind the current one */
            b->next = p->head->next;
            p->head->next = b;
            memcpy(b->data, s, n);
            b->data[n] = '\0';
            return b->data;
        }
    }
    char *d = p->head->data + (p->head->size - p->left);
    memcpy(d, s, n);
    d[n] = '\0';
    p->left -= n + 1;
    return d;
}

void lsx__pool_free(lsx__pool *p)
{
    lsx__pool_block *b = p->head;
    while (b) {
        lsx__pool_block *next = b->next;
        free(b);
        b = next;
    }
    p->head = NULL;
    p->left = 0;
}

/* ======================================================================
 * Files
 * ====================================================================== */

int lsx__read_file(const char *path, bool allow_stdin, char **data, size_t *len, char *err)
{
    *data = NULL;
    *len = 0;
    if (!path || !*path)
        return lsx__seterr(err, LSX_EINVAL, "no file name given");
    bool is_stdin = allow_stdin && strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f)
        return lsx__seterr(err, errno == ENOENT ? LSX_ENOTFOUND : LSX_EIO,
                           "cannot open '%s': %s", path, strerror(errno));
    lsx_buf b = { 0 };
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        lsx_buf_append(&b, chunk, got);
    int failed = ferror(f);
    int saved = errno;
    if (!is_stdin)
        fclose(f);
    if (failed) {
        lsx_buf_free(&b);
        return lsx__seterr(err, LSX_EIO, "cannot read '%s': %s", is_stdin ? "standard input" : path,
                           strerror(saved));
    }
    if (b.oom) {
        lsx_buf_free(&b);
        return lsx__seterr(err, LSX_ENOMEM, "out of memory reading '%s'", path);
    }
    *len = b.len;
    if (!b.data) {
        b.data = malloc(1);
        if (!b.data)
            return lsx__seterr(err, LSX_ENOMEM, "out of memory");
    }
    b.data[b.len] = '\0';
    *data = b.data;
    return LSX_OK;
}

/* trec_eval splits fields with isspace(); '\n' ends a line. */
static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

typedef struct field {
    const char *s;
    size_t n;
} field;

/* Split [p, end) into at most max fields; returns the number of fields
 * found (counting beyond max, so callers can report it). */
static size_t split_fields(const char *p, const char *end, field *f, size_t max)
{
    size_t nf = 0;
    while (p < end) {
        while (p < end && is_blank(*p))
            p++;
        if (p >= end)
            break;
        const char *s = p;
        while (p < end && !is_blank(*p))
            p++;
        if (nf < max)
            f[nf] = (field){ s, (size_t)(p - s) };
        nf++;
    }
    return nf;
}

/* Line number of the first NUL byte, or 0. */
static size_t nul_line(const char *data, size_t len)
{
    const char *z = memchr(data, '\0', len);
    if (!z)
        return 0;
    size_t line = 1;
    for (const char *p = data; p < z; p++)
        line += *p == '\n';
    return line;
}

/* atol(): optional blanks and sign, then digits; anything else stops.
 * Saturates instead of overflowing. */
static long parse_long_prefix(const char *s, size_t n)
{
    size_t i = 0;
    int neg = 0;
    while (i < n && isspace((unsigned char)s[i]))
        i++;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    long v = 0;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
        int d = s[i] - '0';
        if (v > (LONG_MAX - d) / 10) {
            v = LONG_MAX;
            break;
        }
        v = v * 10 + d;
    }
    return neg ? -v : v;
}

/* atof() of a field. */
static double parse_double_field(const char *s, size_t n)
{
    char small[128];
    char *buf = n < sizeof small ? small : malloc(n + 1);
    if (!buf)
        return 0.0;
    memcpy(buf, s, n);
    buf[n] = '\0';
    double v = strtod(buf, NULL);
    if (buf != small)
        free(buf);
    return v;
}

static bool has_space(const char *s)
{
    for (; *s; s++)
        if (isspace((unsigned char)*s))
            return true;
    return false;
}

/* ======================================================================
 * Qrels
 * ====================================================================== */

struct lsx_qrels {
    char err[LSX_ERRLEN];
    char *name;
    lsx__pool pool;
    lsx__qtopic *t;
    size_t n, cap;
    lsx_strmap map;             /* qid -> index in t */
    bool prepared;
};

int lsx_qrels_new(lsx_qrels **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? LSX_OK : LSX_ENOMEM;
}

void lsx_qrels_free(lsx_qrels *q)
{
    if (!q)
        return;
    for (size_t i = 0; i < q->n; i++)
        free(q->t[i].j);
    free(q->t);
    lsx__strmap_free(&q->map);
    lsx__pool_free(&q->pool);
    free(q->name);
    free(q);
}

const char *lsx_qrels_errmsg(const lsx_qrels *q)
{
    return q ? q->err : "out of memory";
}

const char *lsx__qrels_name(const lsx_qrels *q)
{
    return q->name ? q->name : "qrels";
}

static int qrels_add(lsx_qrels *q, const char *qid, size_t qlen, const char *docno, size_t dlen,
                     long rel, size_t line)
{
    size_t ti = lsx__strmap_get(&q->map, qid, qlen);
    if (ti == SIZE_MAX) {
        lsx__qtopic *t = lsx__grow(q->t, q->n, &q->cap, sizeof *t, 64);
        if (!t)
            return LSX_ENOMEM;
        q->t = t;
        const char *k = lsx__pool_strndup(&q->pool, qid, qlen);
        if (!k || !lsx__strmap_add(&q->map, qid, qlen, q->n))
            return LSX_ENOMEM;
        q->t[q->n] = (lsx__qtopic){ k, NULL, 0, 0 };
        ti = q->n++;
    }
    lsx__qtopic *t = &q->t[ti];
    lsx__judgment *j = lsx__grow(t->j, t->n, &t->cap, sizeof *j, 16);
    if (!j)
        return LSX_ENOMEM;
    t->j = j;
    const char *d = lsx__pool_strndup(&q->pool, docno, dlen);
    if (!d)
        return LSX_ENOMEM;
    t->j[t->n++] = (lsx__judgment){ d, rel, line };
    q->prepared = false;
    return LSX_OK;
}

int lsx_qrels_add(lsx_qrels *q, const char *qid, const char *docno, long rel)
{
    if (!q)
        return LSX_EINVAL;
    if (!qid || !*qid || !docno || !*docno || has_space(qid) || has_space(docno))
        return lsx__seterr(q->err, LSX_EINVAL,
                           "qrels: qid and docno must be non-empty and without whitespace");
    if (rel > LSX_EVAL_MAX_REL)
        return lsx__seterr(q->err, LSX_EINVAL, "qrels: relevance value %ld is too large (at most %ld)",
                           rel, LSX_EVAL_MAX_REL);
    int rc = qrels_add(q, qid, strlen(qid), docno, strlen(docno), rel, 0);
    if (rc == LSX_ENOMEM)
        lsx__seterr(q->err, rc, "out of memory");
    return rc;
}

int lsx__qrels_parse(lsx_qrels *q, const char *data, size_t len, const char *name)
{
    free(q->name);
    q->name = lsx_strdup(name ? name : "qrels");
    if (!q->name)
        return lsx__seterr(q->err, LSX_ENOMEM, "out of memory");
    name = q->name;
    if (len == 0)
        return lsx__seterr(q->err, LSX_EPARSE, "%s: empty file: no judgments", name);
    size_t zl = nul_line(data, len);
    if (zl)
        return lsx__seterr(q->err, LSX_EPARSE, "%s:%zu: NUL byte in a text file", name, zl);

    const char *p = data, *end = data + len;
    size_t line = 0, comment_line = 0;
    while (p < end) {
        line++;
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        if (*p == '#') {
            /* trec_eval reads the line after a comment as a judgment, always */
            if (comment_line)
                return lsx__seterr(q->err, LSX_EPARSE,
                                   "%s:%zu: a comment line right after the comment on line %zu "
                                   "(trec_eval reads it as a judgment and fails); remove one",
                                   name, line, comment_line);
            comment_line = line;
            p = eol + 1;
            continue;
        }
        comment_line = 0;
        field f[4];
        size_t nf = split_fields(p, eol, f, 4);
        if (nf == 0)
            return lsx__seterr(q->err, LSX_EPARSE,
                               "%s:%zu: blank line (qrels lines are 'qid iter docno rel')", name, line);
        if (nf != 4)
            return lsx__seterr(q->err, LSX_EPARSE,
                               "%s:%zu: %zu fields, expected 4 (qid iter docno rel)", name, line, nf);
        long rel = parse_long_prefix(f[3].s, f[3].n);
        if (rel > LSX_EVAL_MAX_REL)
            return lsx__seterr(q->err, LSX_EPARSE,
                               "%s:%zu: relevance value %.*s is too large (at most %ld)", name, line,
                               (int)f[3].n, f[3].s, LSX_EVAL_MAX_REL);
        if (qrels_add(q, f[0].s, f[0].n, f[2].s, f[2].n, rel, line) != LSX_OK)
            return lsx__seterr(q->err, LSX_ENOMEM, "out of memory reading %s", name);
        p = eol + 1;
    }
    if (comment_line)
        return lsx__seterr(q->err, LSX_EPARSE,
                           "%s:%zu: a comment on the last line (trec_eval crashes on it); remove it",
                           name, comment_line);
    return LSX_OK;
}

int lsx_qrels_load(lsx_qrels **out, const char *path)
{
    int rc = lsx_qrels_new(out);
    if (rc != LSX_OK)
        return rc;
    char *data;
    size_t len;
    rc = lsx__read_file(path, false, &data, &len, (*out)->err);
    if (rc != LSX_OK)
        return rc;
    rc = lsx__qrels_parse(*out, data, len, path);
    free(data);
    return rc;
}

static int cmp_qtopic(const void *a, const void *b)
{
    return strcmp(((const lsx__qtopic *)a)->qid, ((const lsx__qtopic *)b)->qid);
}

static int cmp_judgment(const void *a, const void *b)
{
    const lsx__judgment *x = a, *y = b;
    int c = strcmp(x->docno, y->docno);
    if (c)
        return c;
    return (x->line > y->line) - (x->line < y->line);
}

int lsx__qrels_prepare(lsx_qrels *q)
{
    if (q->prepared)
        return LSX_OK;
    qsort(q->t, q->n, sizeof *q->t, cmp_qtopic);
    lsx__strmap_clear(&q->map);
    for (size_t i = 0; i < q->n; i++) {
        qsort(q->t[i].j, q->t[i].n, sizeof *q->t[i].j, cmp_judgment);
        if (!lsx__strmap_add(&q->map, q->t[i].qid, strlen(q->t[i].qid), i))
            return lsx__seterr(q->err, LSX_ENOMEM, "out of memory");
    }
    q->prepared = true;
    return LSX_OK;
}

size_t lsx__qrels_ntopics(const lsx_qrels *q)
{
    return q->n;
}

const lsx__qtopic *lsx__qrels_topic_at(const lsx_qrels *q, size_t i)
{
    return i < q->n ? &q->t[i] : NULL;
}

size_t lsx_qrels_topic_count(lsx_qrels *q)
{
    if (!q || lsx__qrels_prepare(q) != LSX_OK)
        return 0;
    return q->n;
}

const char *lsx_qrels_topic(lsx_qrels *q, size_t i)
{
    if (!q || lsx__qrels_prepare(q) != LSX_OK || i >= q->n)
        return NULL;
    return q->t[i].qid;
}

/* ======================================================================
 * Runs
 * ====================================================================== */

struct lsx_run {
    char err[LSX_ERRLEN];
    char *name;
    char *tag;
    lsx__pool pool;
    lsx__rtopic *t;         /* in the order first seen */
    size_t n, cap;
    lsx_strmap map;             /* qid -> index in t */
    size_t size;            /* results in all topics */
};

int lsx_run_new(lsx_run **out, const char *tag)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return LSX_ENOMEM;
    (*out)->tag = lsx_strdup(tag ? tag : "libsearch");
    if (!(*out)->tag) {
        free(*out);
        *out = NULL;
        return LSX_ENOMEM;
    }
    return LSX_OK;
}

void lsx_run_free(lsx_run *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        free(r->t[i].r);
    free(r->t);
    lsx__strmap_free(&r->map);
    lsx__pool_free(&r->pool);
    free(r->name);
    free(r->tag);
    free(r);
}

const char *lsx_run_errmsg(const lsx_run *r)
{
    return r ? r->err : "out of memory";
}

const char *lsx_run_tag(const lsx_run *r)
{
    return r ? r->tag : "";
}

size_t lsx_run_size(const lsx_run *r)
{
    return r ? r->size : 0;
}

const char *lsx__run_name(const lsx_run *r)
{
    return r->name ? r->name : "run";
}

size_t lsx__run_ntopics(const lsx_run *r)
{
    return r->n;
}

const lsx__rtopic *lsx__run_find(lsx_run *r, const char *qid)
{
    size_t i = lsx__strmap_get(&r->map, qid, strlen(qid));
    return i == SIZE_MAX ? NULL : &r->t[i];
}

static int run_add(lsx_run *r, const char *qid, size_t qlen, const char *docno, size_t dlen,
                   double score, size_t line)
{
    size_t ti = lsx__strmap_get(&r->map, qid, qlen);
    if (ti == SIZE_MAX) {
        lsx__rtopic *t = lsx__grow(r->t, r->n, &r->cap, sizeof *t, 64);
        if (!t)
            return LSX_ENOMEM;
        r->t = t;
        const char *k = lsx__pool_strndup(&r->pool, qid, qlen);
        if (!k || !lsx__strmap_add(&r->map, qid, qlen, r->n))
            return LSX_ENOMEM;
        r->t[r->n] = (lsx__rtopic){ k, NULL, 0, 0 };
        ti = r->n++;
    }
    lsx__rtopic *t = &r->t[ti];
    lsx__result *res = lsx__grow(t->r, t->n, &t->cap, sizeof *res, 64);
    if (!res)
        return LSX_ENOMEM;
    t->r = res;
    const char *d = lsx__pool_strndup(&r->pool, docno, dlen);
    if (!d)
        return LSX_ENOMEM;
    t->r[t->n++] = (lsx__result){ d, score, line };
    r->size++;
    return LSX_OK;
}

int lsx_run_add(lsx_run *r, const char *qid, const char *docno, double score)
{
    if (!r)
        return LSX_EINVAL;
    if (!qid || !*qid || !docno || !*docno || has_space(qid) || has_space(docno))
        return lsx__seterr(r->err, LSX_EINVAL,
                           "run: qid and docno must be non-empty and without whitespace");
    int rc = run_add(r, qid, strlen(qid), docno, strlen(docno), score, 0);
    if (rc == LSX_ENOMEM)
        lsx__seterr(r->err, rc, "out of memory");
    return rc;
}

int lsx__run_parse(lsx_run *r, const char *data, size_t len, const char *name)
{
    free(r->name);
    r->name = lsx_strdup(name ? name : "run");
    if (!r->name)
        return lsx__seterr(r->err, LSX_ENOMEM, "out of memory");
    name = r->name;
    if (len == 0)
        return lsx__seterr(r->err, LSX_EPARSE, "%s: empty file: no results", name);
    size_t zl = nul_line(data, len);
    if (zl)
        return lsx__seterr(r->err, LSX_EPARSE, "%s:%zu: NUL byte in a text file", name, zl);

    const char *p = data, *end = data + len;
    size_t line = 0, nres = 0;
    field tag = { NULL, 0 };
    while (p < end) {
        line++;
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        const char *s = p;
        p = eol + 1;
        while (s < eol && is_blank(*s))
            s++;
        if (s == eol || *s == '#')
            continue;           /* blank line or comment */
        field f[6];
        size_t nf = split_fields(s, eol, f, 6);
        if (nf < 6)
            return lsx__seterr(r->err, LSX_EPARSE,
                               "%s:%zu: %zu fields, expected 6 (qid Q0 docno rank score tag)", name,
                               line, nf);
        double score = parse_double_field(f[4].s, f[4].n);
        if (run_add(r, f[0].s, f[0].n, f[2].s, f[2].n, score, line) != LSX_OK)
            return lsx__seterr(r->err, LSX_ENOMEM, "out of memory reading %s", name);
        tag = f[5];
        nres++;
    }
    if (!nres)
        return lsx__seterr(r->err, LSX_EPARSE, "%s: no results (only blank or comment lines)", name);
    char *t = lsx_strndup(tag.s, tag.n);
    if (!t)
        return lsx__seterr(r->err, LSX_ENOMEM, "out of memory");
    free(r->tag);
    r->tag = t;
    return LSX_OK;
}

int lsx_run_load(lsx_run **out, const char *path)
{
    int rc = lsx_run_new(out, NULL);
    if (rc != LSX_OK)
        return rc;
    char *data;
    size_t len;
    rc = lsx__read_file(path, true, &data, &len, (*out)->err);
    if (rc != LSX_OK)
        return rc;
    rc = lsx__run_parse(*out, data, len, strcmp(path, "-") == 0 ? "(standard input)" : path);
    free(data);
    return rc;
}

static int cmp_rank(const void *a, const void *b)
{
    const lsx__result *x = a, *y = b;
    bool xn = isnan(x->score), yn = isnan(y->score);
    if (xn != yn)
        return xn ? 1 : -1;
    if (!xn) {
        if (x->score > y->score)
            return -1;
        if (x->score < y->score)
            return 1;
    }
    int c = strcmp(y->docno, x->docno);
    if (c)
        return c;
    return (x->line > y->line) - (x->line < y->line);
}

void lsx__rank_results(lsx__result *res, size_t n)
{
    qsort(res, n, sizeof *res, cmp_rank);
}

/* The shortest %g form that reads back as the same double. */
static void format_score(char *buf, size_t size, double v)
{
    for (int prec = 6; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

int lsx_run_write(lsx_run *r, FILE *f, const char *tag, size_t max_per_topic)
{
    if (!r || !f)
        return LSX_EINVAL;
    if (!tag)
        tag = r->tag;
    if (!*tag || has_space(tag))
        return lsx__seterr(r->err, LSX_EINVAL, "run tag must be non-empty and without whitespace");
    lsx__result *tmp = NULL;
    size_t tmpcap = 0;
    for (size_t i = 0; i < r->n; i++) {
        const lsx__rtopic *t = &r->t[i];
        if (t->n > tmpcap) {
            lsx__result *nt = realloc(tmp, t->n * sizeof *nt);
            if (!nt) {
                free(tmp);
                return lsx__seterr(r->err, LSX_ENOMEM, "out of memory");
            }
            tmp = nt;
            tmpcap = t->n;
        }
        memcpy(tmp, t->r, t->n * sizeof *tmp);
        lsx__rank_results(tmp, t->n);
        size_t n = max_per_topic && max_per_topic < t->n ? max_per_topic : t->n;
        for (size_t k = 0; k < n; k++) {
            char score[40];
            format_score(score, sizeof score, tmp[k].score);
            fprintf(f, "%s Q0 %s %zu %s %s\n", t->qid, tmp[k].docno, k + 1, score, tag);
        }
    }
    free(tmp);
    if (fflush(f) != 0 || ferror(f))
        return lsx__seterr(r->err, LSX_EIO, "cannot write the run: %s", strerror(errno));
    return LSX_OK;
}

/* ======================================================================
 * Topics
 * ====================================================================== */

typedef struct topic {
    const char *qid, *text;
} topic;

struct lsx_topics {
    char err[LSX_ERRLEN];
    lsx__pool pool;
    topic *t;
    size_t n, cap;
    lsx_strmap map;
};

int lsx__topics_new(lsx_topics **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? LSX_OK : LSX_ENOMEM;
}

void lsx_topics_free(lsx_topics *t)
{
    if (!t)
        return;
    free(t->t);
    lsx__strmap_free(&t->map);
    lsx__pool_free(&t->pool);
    free(t);
}

const char *lsx_topics_errmsg(const lsx_topics *t)
{
    return t ? t->err : "out of memory";
}

size_t lsx_topics_count(const lsx_topics *t)
{
    return t ? t->n : 0;
}

const char *lsx_topics_qid(const lsx_topics *t, size_t i)
{
    return t && i < t->n ? t->t[i].qid : NULL;
}

const char *lsx_topics_text(const lsx_topics *t, size_t i)
{
    return t && i < t->n ? t->t[i].text : NULL;
}

int lsx_topic_fields_parse(const char *spec, unsigned *fields)
{
    *fields = 0;
    if (!spec || !*spec)
        return LSX_EINVAL;
    const char *p = spec;
    while (*p) {
        size_t n = strcspn(p, "+,");
        if (n == 5 && strncmp(p, "title", 5) == 0)
            *fields |= LSX_TOPIC_TITLE;
        else if ((n == 4 && strncmp(p, "desc", 4) == 0) ||
                 (n == 11 && strncmp(p, "description", 11) == 0))
            *fields |= LSX_TOPIC_DESC;
        else if ((n == 4 && strncmp(p, "narr", 4) == 0) ||
                 (n == 9 && strncmp(p, "narrative", 9) == 0))
            *fields |= LSX_TOPIC_NARR;
        else if (n == 3 && strncmp(p, "all", 3) == 0)
            *fields |= LSX_TOPIC_TITLE | LSX_TOPIC_DESC | LSX_TOPIC_NARR;
        else {
            *fields = 0;
            return LSX_EINVAL;
        }
        p += n;
        if (*p)
            p++;
    }
    return *fields ? LSX_OK : LSX_EINVAL;
}

/* Append `s` (n bytes) to b with whitespace runs collapsed to one space. */
static void append_collapsed(lsx_buf *b, const char *s, size_t n)
{
    bool space = b->len > 0;
    for (size_t i = 0; i < n; i++) {
        if (isspace((unsigned char)s[i])) {
            space = b->len > 0;
            continue;
        }
        if (space) {
            lsx_buf_putc(b, ' ');
            space = false;
        }
        lsx_buf_putc(b, s[i]);
    }
}

static int topics_add(lsx_topics *t, const char *name, size_t line, const char *qid, size_t qlen,
                      const char *text, size_t tlen)
{
    if (lsx__strmap_get(&t->map, qid, qlen) != SIZE_MAX)
        return lsx__seterr(t->err, LSX_EPARSE, "%s:%zu: topic %.*s appears twice", name, line,
                           (int)qlen, qid);
    topic *nt = lsx__grow(t->t, t->n, &t->cap, sizeof *nt, 64);
    if (!nt)
        return lsx__seterr(t->err, LSX_ENOMEM, "out of memory");
    t->t = nt;
    const char *q = lsx__pool_strndup(&t->pool, qid, qlen);
    const char *x = lsx__pool_strndup(&t->pool, text, tlen);
    if (!q || !x || !lsx__strmap_add(&t->map, qid, qlen, t->n))
        return lsx__seterr(t->err, LSX_ENOMEM, "out of memory");
    t->t[t->n++] = (topic){ q, x };
    return LSX_OK;
}

static int parse_tsv_topics(lsx_topics *t, const char *data, size_t len, const char *name)
{
    const char *p = data, *end = data + len;
    size_t line = 0;
    bool first = true;
    lsx_buf text = { 0 };
    int rc = LSX_OK;
    while (p < end && rc == LSX_OK) {
        line++;
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        const char *s = p, *e = eol;
        p = eol + 1;
        while (e > s && isspace((unsigned char)e[-1]))
            e--;
        const char *b = s;
        while (b < e && isspace((unsigned char)*b))
            b++;
        if (b == e || *b == '#')
            continue;
        const char *tab = memchr(s, '\t', (size_t)(e - s));
        if (!tab) {
            rc = lsx__seterr(t->err, LSX_EPARSE, "%s:%zu: expected 'qid<TAB>query text'", name, line);
            break;
        }
        const char *q = s, *qe = tab;
        while (q < qe && isspace((unsigned char)*q))
            q++;
        while (qe > q && isspace((unsigned char)qe[-1]))
            qe--;
        if (first && qe - q == 3 && strncmp(q, "qid", 3) == 0) {
            first = false;      /* a header line */
            continue;
        }
        first = false;
        if (q == qe || memchr(q, ' ', (size_t)(qe - q))) {
            rc = lsx__seterr(t->err, LSX_EPARSE, "%s:%zu: empty topic id or one with spaces", name,
                             line);
            break;
        }
        text.len = 0;
        append_collapsed(&text, tab + 1, (size_t)(e - tab - 1));
        if (text.oom) {
            rc = lsx__seterr(t->err, LSX_ENOMEM, "out of memory");
            break;
        }
        if (text.len == 0) {
            rc = lsx__seterr(t->err, LSX_EPARSE, "%s:%zu: topic %.*s has no query text", name, line,
                             (int)(qe - q), q);
            break;
        }
        rc = topics_add(t, name, line, q, (size_t)(qe - q), text.data, text.len);
    }
    lsx_buf_free(&text);
    return rc;
}

/* Case-insensitive search for `needle` in [p, end). */
static const char *find_ci(const char *p, const char *end, const char *needle)
{
    size_t n = strlen(needle);
    for (; p + n <= end; p++)
        if (strncasecmp(p, needle, n) == 0)
            return p;
    return NULL;
}

enum { TAG_NONE, TAG_NUM, TAG_TITLE, TAG_DESC, TAG_NARR, TAG_CLOSE };

/* If p starts a topic tag, return its kind and set *after past it. */
static int topic_tag(const char *p, const char *end, const char **after)
{
    static const struct {
        const char *s;
        int kind;
    } tags[] = {
        { "<num>", TAG_NUM },     { "<title>", TAG_TITLE }, { "<desc>", TAG_DESC },
        { "<narr>", TAG_NARR },   { "</num>", TAG_CLOSE },  { "</title>", TAG_CLOSE },
        { "</desc>", TAG_CLOSE }, { "</narr>", TAG_CLOSE }, { "</top>", TAG_CLOSE },
    };
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++) {
        size_t n = strlen(tags[i].s);
        if ((size_t)(end - p) >= n && strncasecmp(p, tags[i].s, n) == 0) {
            *after = p + n;
            return tags[i].kind;
        }
    }
    return TAG_NONE;
}

/* Skip a field label such as "Number:" or "Description:". */
static const char *skip_label(const char *s, const char *e, const char *label)
{
    while (s < e && isspace((unsigned char)*s))
        s++;
    size_t n = strlen(label);
    if ((size_t)(e - s) >= n && strncasecmp(s, label, n) == 0)
        s += n;
    return s;
}

static size_t line_of(const char *data, const char *p)
{
    size_t line = 1;
    for (const char *q = data; q < p; q++)
        line += *q == '\n';
    return line;
}

static int parse_trec_topics(lsx_topics *t, const char *data, size_t len, const char *name,
                             unsigned fields)
{
    const char *end = data + len;
    const char *p = data;
    lsx_buf text = { 0 }, num = { 0 };
    int rc = LSX_OK;
    static const char *const labels[] = { NULL, "Number:", "Topic:", "Description:", "Narrative:" };
    while (rc == LSX_OK && (p = find_ci(p, end, "<top>")) != NULL) {
        const char *start = p;
        p += 5;
        const char *stop = find_ci(p, end, "</top>");
        if (!stop)
            stop = end;
        const char *nexttop = find_ci(p, stop, "<top>");
        if (nexttop)
            stop = nexttop;
        text.len = num.len = 0;
        bool have_num = false;
        while (p < stop) {
            const char *after;
            int kind = *p == '<' ? topic_tag(p, stop, &after) : TAG_NONE;
            if (kind == TAG_NONE || kind == TAG_CLOSE) {
                p = kind == TAG_CLOSE ? after : p + 1;
                continue;
            }
            /* content runs to the next known tag */
            const char *c = after, *ce = after;
            while (ce < stop) {
                const char *dummy;
                if (*ce == '<' && topic_tag(ce, stop, &dummy) != TAG_NONE)
                    break;
                ce++;
            }
            c = skip_label(c, ce, labels[kind]);
            if (kind == TAG_NUM) {
                append_collapsed(&num, c, (size_t)(ce - c));
                have_num = true;
            } else if ((kind == TAG_TITLE && (fields & LSX_TOPIC_TITLE)) ||
                       (kind == TAG_DESC && (fields & LSX_TOPIC_DESC)) ||
                       (kind == TAG_NARR && (fields & LSX_TOPIC_NARR))) {
                append_collapsed(&text, c, (size_t)(ce - c));
            }
            p = ce;
        }
        size_t line = line_of(data, start);
        if (text.oom || num.oom) {
            rc = lsx__seterr(t->err, LSX_ENOMEM, "out of memory");
            break;
        }
        if (!have_num || num.len == 0) {
            rc = lsx__seterr(t->err, LSX_EPARSE, "%s:%zu: topic without <num>", name, line);
            break;
        }
        size_t qlen = strcspn(num.data, " ");
        if (text.len == 0) {
            rc = lsx__seterr(t->err, LSX_EPARSE, "%s:%zu: topic %.*s has no text in the chosen fields",
                             name, line, (int)qlen, num.data);
            break;
        }
        rc = topics_add(t, name, line, num.data, qlen, text.data, text.len);
        p = stop;
    }
    lsx_buf_free(&text);
    lsx_buf_free(&num);
    if (rc == LSX_OK && t->n == 0)
        rc = lsx__seterr(t->err, LSX_EPARSE, "%s: no <top> topics found", name);
    return rc;
}

int lsx__topics_parse(lsx_topics *t, const char *data, size_t len, const char *name,
                      unsigned fields)
{
    if (!name)
        name = "topics";
    if (!fields)
        fields = LSX_TOPIC_TITLE;
    size_t zl = nul_line(data, len);
    if (zl)
        return lsx__seterr(t->err, LSX_EPARSE, "%s:%zu: NUL byte in a text file", name, zl);
    int rc;
    if (find_ci(data, data + len, "<top>"))
        rc = parse_trec_topics(t, data, len, name, fields);
    else
        rc = parse_tsv_topics(t, data, len, name);
    if (rc == LSX_OK && t->n == 0)
        rc = lsx__seterr(t->err, LSX_EPARSE, "%s: no topics", name);
    return rc;
}

int lsx_topics_load(lsx_topics **out, const char *path, unsigned fields)
{
    int rc = lsx__topics_new(out);
    if (rc != LSX_OK)
        return rc;
    char *data;
    size_t len;
    rc = lsx__read_file(path, true, &data, &len, (*out)->err);
    if (rc != LSX_OK)
        return rc;
    rc = lsx__topics_parse(*out, data, len, path, fields);
    free(data);
    return rc;
}

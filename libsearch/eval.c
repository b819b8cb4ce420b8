/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * eval.c - evaluation measures with NIST trec_eval 10.0's semantics,
 * the results object, its printing, and the comparison of two runs.
 *
 * Per topic (as trec_eval's form_res_rels.c does): rank the run's documents
 * by score descending, equal scores by docno descending (strcmp); keep the
 * top -M; refuse a document retrieved twice among those, or judged twice;
 * give each retrieved document its qrels value, -1 if it is not in the
 * qrels, -2 if its qrels value is negative; count the qrels values >= 0 per
 * level; with -J drop the documents below 0.  Every measure is then
 * computed from that list the way trec_eval computes it, in the same order
 * of floating-point operations where that could change a printed digit.
 * Measures and their order are trec_eval's (measures.c); see the notes in
 * the test for the few we leave out.
 */
#include "eval.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ======================================================================
 * The measure table (trec_eval's order)
 * ====================================================================== */

enum mid {
    M_RUNID, M_NUM_Q, M_NUM_RET, M_NUM_REL, M_NUM_REL_RET, M_MAP, M_GM_MAP, M_RPREC, M_BPREF,
    M_RECIP_RANK, M_IPREC, M_P, M_RELSTRING, M_RECALL, M_INFAP, M_GM_BPREF, M_RPREC_MULT,
    M_UTILITY, M_11PT, M_BING, M_G, M_DCG, M_IDEAL_DCG, M_NDCG, M_NDCG_REL, M_RNDCG, M_NDCG_CUT,
    M_MAP_CUT, M_REL_P, M_SUCCESS, M_SET_P, M_SET_REL_P, M_SET_RECALL, M_SET_MAP, M_SET_F,
    M_NONREL_JR, M_UNSUPPORTED, M_UNJ
};

enum ptype { PT_NONE, PT_LONG_CUTS, PT_DOUBLE_CUTS, PT_DOUBLES, PT_PAIRS };
enum ckind { CK_DOUBLE, CK_COUNT, CK_RUNID, CK_RELSTRING };
enum cavg { AV_MEAN, AV_SUM, AV_GEO, AV_NUMQ, AV_NONE };
enum { SHOW_Q = 1, SHOW_ALL = 2, SHOW_BOTH = 3 };

typedef struct mdef {
    const char *name;
    enum mid id;
    enum ptype ptype;
    const char *defaults;   /* trec_eval's default parameters */
    enum ckind kind;
    enum cavg avg;
    unsigned show;
} mdef;

#define CUTS9 "5,10,15,20,30,100,200,500,1000"
#define PCT11 "0.0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1.0"
#define UNSUP(n) { n, M_UNSUPPORTED, PT_NONE, NULL, CK_DOUBLE, AV_MEAN, 0 }

static const mdef measures[] = {
    { "runid", M_RUNID, PT_NONE, NULL, CK_RUNID, AV_NONE, SHOW_ALL },
    { "num_q", M_NUM_Q, PT_NONE, NULL, CK_COUNT, AV_NUMQ, SHOW_ALL },
    { "num_ret", M_NUM_RET, PT_NONE, NULL, CK_COUNT, AV_SUM, SHOW_BOTH },
    { "num_rel", M_NUM_REL, PT_NONE, NULL, CK_COUNT, AV_SUM, SHOW_BOTH },
    { "num_rel_ret", M_NUM_REL_RET, PT_NONE, NULL, CK_COUNT, AV_SUM, SHOW_BOTH },
    { "map", M_MAP, PT_NONE, NULL, CK_DOUBLE, AV_MEAN, SHOW_BOTH },
    { "gm_map", M_GM_MAP, PT_NONE, NULL, CK_DOUBLE, AV_GEO, SHOW_ALL },
    { "Rprec", M_RPREC, PT_NONE, NULL, CK_DOUBLE, AV_MEAN, SHOW_BOTH },
    { "bpref", M_BPREF, PT_NONE, NULL, CK_DOUBLE, AV_MEAN, SHOW_BOTH },
    { "recip_rank", M_RECIP_RANK, PT_NONE, NULL, CK_DOUBLE, AV_MEAN, SHOW_BOTH },
    { "iprec_at_recall", M_IPREC, PT_DOUBLE_CUTS, PCT11, CK_DOUBLE, AV_MEAN, SHOW_BOTH },
    { "P", M_P, PT_LONG_CUTS, CUTS9, CK_DOUBLE, AV_MEAN, SHOW_BOTH },
    { "relstring", M_RELSTRING, PT_DOUBLES, "10", CK_RELSTRING, AV_NONE, SHOW_Q },
    { "recall", M_RECALL, PT_LONG_CUTS, CUTS9, CK_DOUBLE, AV_MEAN, SHOW_BOTH },
    { "infAP", M_INFAP, PT_NONE, NULL, CK_DOUBLE, AV_MEAN, SHOW_BOTH },
    { "gm_bpref", M_GM_BPREF, PT_NONE, NULL, CK_DOUBLE, AV_GEO, SHOW_ALL },
    { "Rprec_mult", M_RPREC_MULT, PT_DOUBLE_CUTS, "0.2,0.4,0.6,0.8,1.0,1.2,1.4,1.6,1.8,2.0",
      CK_DOUBLE, AV_MEAN, SHOW_BOTH },
    { "utility", M_UTILITY, PT_DOUBLES, "1.0,-1.0,0.0,0.0", CK_DOUBLE, AV_MEAN, SHOW_BOTH },
    { "11pt_avg", M_11PT, PT_DOUBLES, PCT11, CK_DOUBLE, AV_MEAN, SHOW_BOTH },
    { "binG", M_BING, PT_NONE, NULL, CK_DOUBLE, AV_MEAN, SHOW_BOTH },
    { "G", M_G, PT_PAIRS, NULL, CK_DOUBLE, AV_MEAN, SHOW_BOTH },
    { "dcg", M_DCG, PT_PAIRS, NULL, CK_DOUBLE, AV_MEAN, SHOW_BOTH },
    { "ideal_dcg", M_IDEAL_DCG, PT_PAIRS, NULL, CK_DOUBLE, AV_MEAN, SHOW_BOTH },
    { "ndcg", M_NDCG, PT_PAIRS, NULL, CK_DOUBLE, AV_MEAN, SHOW_BOTH },
    { "ndcg_rel", M_NDCG_REL, PT_PAIRS, NULL, CK_DOUBLE, AV_MEAN, SHOW_BOTH },
    { "Rndcg", M_RNDCG, PT_PAIRS, NULL, CK_DOUBLE, AV_MEAN, SHOW_BOTH },
    { "ndcg_cut", M_NDCG_CUT, PT_LONG_CUTS, CUTS9, CK_DOUBLE, AV_MEAN, SHOW_BOTH },
    { "map_cut", M_MAP_CUT, PT_LONG_CUTS, CUTS9, CK_DOUBLE, AV_MEAN, SHOW_BOTH },
    { "relative_P", M_REL_P, PT_LONG_CUTS, CUTS9, CK_DOUBLE, AV_MEAN, SHOW_BOTH },
    { "success", M_SUCCESS, PT_LONG_CUTS, "1,5,10", CK_DOUBLE, AV_MEAN, SHOW_BOTH },
    { "set_P", M_SET_P, PT_NONE, NULL, CK_DOUBLE, AV_MEAN, SHOW_BOTH },
    { "set_relative_P", M_SET_REL_P, PT_NONE, NULL, CK_DOUBLE, AV_MEAN, SHOW_BOTH },
    { "set_recall", M_SET_RECALL, PT_NONE, NULL, CK_DOUBLE, AV_MEAN, SHOW_BOTH },
    { "set_map", M_SET_MAP, PT_NONE, NULL, CK_DOUBLE, AV_MEAN, SHOW_BOTH },
    { "set_F", M_SET_F, PT_DOUBLES, "1.0", CK_DOUBLE, AV_MEAN, SHOW_BOTH },
    { "num_nonrel_judged_ret", M_NONREL_JR, PT_NONE, NULL, CK_COUNT, AV_SUM, SHOW_BOTH },
    /* trec_eval measures we do not compute: preference and judgment-group
     * measures need other qrels formats; yaap is experimental; rbp and
     * rbp_resid read uninitialised memory in trec_eval 10.0. */
    UNSUP("prefs_num_prefs_poss"), UNSUP("prefs_num_prefs_ful"), UNSUP("prefs_num_prefs_ful_ret"),
    UNSUP("prefs_simp"), UNSUP("prefs_pair"), UNSUP("prefs_avgjg"), UNSUP("prefs_avgjg_Rnonrel"),
    UNSUP("prefs_simp_ret"), UNSUP("prefs_pair_ret"), UNSUP("prefs_avgjg_ret"),
    UNSUP("prefs_avgjg_Rnonrel_ret"), UNSUP("prefs_simp_imp"), UNSUP("prefs_pair_imp"),
    UNSUP("prefs_avgjg_imp"), UNSUP("map_avgjg"), UNSUP("P_avgjg"), UNSUP("Rprec_mult_avgjg"),
    UNSUP("yaap"), UNSUP("rbp"), UNSUP("rbp_resid"),
    { "unj", M_UNJ, PT_LONG_CUTS, "5,10,20", CK_DOUBLE, AV_MEAN, SHOW_BOTH },
};
#define NMEASURES (sizeof measures / sizeof measures[0])

static const char *const official_names[] = {
    "runid", "num_q", "num_ret", "num_rel", "num_rel_ret", "map", "gm_map", "Rprec", "bpref",
    "recip_rank", "iprec_at_recall", "P", NULL
};
static const char *const set_names[] = {
    "runid", "num_q", "num_ret", "num_rel", "num_rel_ret", "utility", "set_P", "set_recall",
    "set_relative_P", "set_map", "set_F", NULL
};
static const char *const all_trec_names[] = {
    "runid", "num_q", "num_ret", "num_rel", "num_rel_ret", "map", "gm_map", "Rprec", "bpref",
    "recip_rank", "iprec_at_recall", "P", "relstring", "recall", "unj", "rbp", "rbp_resid",
    "infAP", "gm_bpref", "utility", "11pt_avg", "ndcg", "relative_P", "Rprec_mult", "success",
    "map_cut", "ndcg_cut", "ndcg_rel", "Rndcg", "binG", "G", "set_P", "set_recall",
    "set_relative_P", "set_map", "set_F", "num_nonrel_judged_ret", NULL
};
static const struct {
    const char *name;
    const char *const *names;   /* NULL: a trec_eval set we do not support */
} nicknames[] = {
    { "official", official_names }, { "set", set_names }, { "all_trec", all_trec_names },
    { "all_prefs", NULL }, { "prefs", NULL }, { "qrels_jg", NULL },
};

#define MIN_GEO_MEAN 0.00001
#define INFAP_EPSILON 0.00001

/* ======================================================================
 * Plan: the measures requested, with their parameters and output columns
 * ====================================================================== */

typedef struct gainpair {
    long level;
    double gain;
} gainpair;

typedef struct minst {
    const mdef *def;
    const char *pstr;       /* explicit parameters (points into the options), or NULL */
    long *lc;               /* PT_LONG_CUTS */
    double *dv;             /* PT_DOUBLE_CUTS, PT_DOUBLES */
    gainpair *gp;           /* PT_PAIRS */
    size_t np;
    size_t col, ncols;
} minst;

typedef struct col {
    char *name;
    const mdef *def;
} col;

struct lsx_eval {
    char err[LSX_ERRLEN];
    char *runid;
    minst *m;
    size_t nm;
    col *cols;
    size_t ncols;
    char **qids;
    char **relstr;          /* per topic (NULL entries if relstring not requested) */
    double *vals;           /* ntopics x ncols */
    size_t ntopics, cap;
    double *summary;        /* ncols */
    bool have_summary;
    bool has_relstring;
};

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Pieces of a comma-separated list, copied NUL-terminated into *out (caller frees). */
static size_t split_commas(const char *s, char ***out)
{
    size_t n = 1;
    for (const char *p = s; *p; p++)
        n += *p == ',';
    char **v = calloc(n, sizeof *v);
    if (!v)
        return 0;
    size_t i = 0;
    for (const char *p = s;; p++) {
        size_t len = strcspn(p, ",");
        v[i] = lsx_strndup(p, len);
        if (!v[i]) {
            for (size_t k = 0; k < i; k++)
                free(v[k]);
            free(v);
            return 0;
        }
        i++;
        p += len;
        if (!*p)
            break;
    }
    *out = v;
    return n;
}

static void free_strv(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

/* Parse the parameters of one measure instance. */
static int parse_params(minst *mi, char *err)
{
    const mdef *d = mi->def;
    const char *ps = mi->pstr ? mi->pstr : d->defaults;
    const char *nm = d->name;
    if (d->ptype == PT_NONE)
        return LSX_OK;
    if (d->ptype == PT_PAIRS && !ps)
        return LSX_OK;  /* default gains: the relevance values */
    if (d->ptype == PT_PAIRS) {
        /* trec_eval's check: name=value pairs separated by commas */
        char last = ',';
        for (const char *p = ps; *p; p++) {
            if (*p == ',' || *p == '=') {
                if (*p == last) {
                    last = 0;
                    break;
                }
                last = *p;
            }
        }
        if (last != '=')
            return lsx__seterr(err, LSX_EINVAL,
                               "measure %s: malformed gain parameters '%s' (want level=gain,...)", nm,
                               ps);
    }
    char **v;
    size_t n = split_commas(ps, &v);
    if (!n)
        return lsx__seterr(err, LSX_ENOMEM, "out of memory");
    int rc = LSX_OK;
    mi->np = n;
    switch (d->ptype) {
    case PT_LONG_CUTS:
        mi->lc = malloc(n * sizeof *mi->lc);
        if (!mi->lc)
            break;
        for (size_t i = 0; i < n; i++)
            mi->lc[i] = strtol(v[i], NULL, 10);
        qsort(mi->lc, n, sizeof *mi->lc, cmp_long);
        if (mi->lc[0] <= 0)
            rc = lsx__seterr(err, LSX_EINVAL, "measure %s.%s: cut-offs must be positive", nm, ps);
        for (size_t i = 1; i < n && rc == LSX_OK; i++)
            if (mi->lc[i] == mi->lc[i - 1])
                rc = lsx__seterr(err, LSX_EINVAL, "measure %s.%s: duplicate cut-off %ld", nm, ps,
                                 mi->lc[i]);
        break;
    case PT_DOUBLE_CUTS:
    case PT_DOUBLES:
        mi->dv = malloc(n * sizeof *mi->dv);
        if (!mi->dv)
            break;
        for (size_t i = 0; i < n; i++)
            mi->dv[i] = strtod(v[i], NULL);
        if (d->ptype == PT_DOUBLE_CUTS) {
            qsort(mi->dv, n, sizeof *mi->dv, cmp_double);
            for (size_t i = 1; i < n && rc == LSX_OK; i++)
                if (mi->dv[i] == mi->dv[i - 1])
                    rc = lsx__seterr(err, LSX_EINVAL, "measure %s.%s: duplicate cut-off", nm, ps);
        }
        if (d->id == M_UTILITY && n != 4)
            rc = lsx__seterr(err, LSX_EINVAL, "measure utility.%s: needs 4 coefficients", ps);
        break;
    case PT_PAIRS:
        mi->gp = malloc(n * sizeof *mi->gp);
        if (!mi->gp)
            break;
        for (size_t i = 0; i < n; i++) {
            char *eq = strchr(v[i], '=');
            mi->gp[i].level = strtol(v[i], NULL, 10);
            mi->gp[i].gain = eq ? strtod(eq + 1, NULL) : 0.0;
        }
        break;
    case PT_NONE:
        break;
    }
    free_strv(v, n);
    if (rc == LSX_OK && !mi->lc && !mi->dv && !mi->gp)
        rc = lsx__seterr(err, LSX_ENOMEM, "out of memory");
    return rc;
}

static const mdef *find_measure(const char *name, size_t len)
{
    for (size_t i = 0; i < NMEASURES; i++)
        if (strlen(measures[i].name) == len && strncmp(measures[i].name, name, len) == 0)
            return &measures[i];
    return NULL;
}

static char *str_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *str_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    if ((size_t)n < sizeof tmp)
        return lsx_strdup(tmp);
    va_start(ap, fmt);
    char *s = malloc((size_t)n + 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

static int plan_build(lsx_eval *e, const lsx_eval_options *o)
{
    static const char *const dflt[] = { "official" };
    const char *const *specs = o->nmeasures ? o->measures : dflt;
    size_t nspecs = o->nmeasures ? o->nmeasures : 1;
    bool marked[NMEASURES] = { false };
    const char *params[NMEASURES] = { NULL };

    for (size_t s = 0; s < nspecs; s++) {
        const char *spec = specs[s];
        if (!spec)
            return lsx__seterr(e->err, LSX_EINVAL, "NULL measure name");
        size_t len = strcspn(spec, ".");
        const char *par = spec[len] == '.' ? spec + len + 1 : NULL;
        if (par && !*par)
            return lsx__seterr(e->err, LSX_EINVAL,
                               "measure '%s': no parameters after the '.'", spec);
        bool nick = false;
        for (size_t k = 0; k < sizeof nicknames / sizeof nicknames[0]; k++) {
            if (strlen(nicknames[k].name) != len || strncmp(nicknames[k].name, spec, len) != 0)
                continue;
            nick = true;
            if (!nicknames[k].names)
                return lsx__seterr(e->err, LSX_EUNSUPPORTED,
                                   "measure set '%s' needs preference judgments: not supported",
                                   nicknames[k].name);
            for (const char *const *nm = nicknames[k].names; *nm; nm++) {
                const mdef *d = find_measure(*nm, strlen(*nm));
                if (d && d->id != M_UNSUPPORTED)
                    marked[d - measures] = true;
            }
        }
        if (nick)
            continue;
        const mdef *d = find_measure(spec, len);
        if (!d)
            return lsx__seterr(e->err, LSX_EINVAL, "unknown measure '%.*s'", (int)len, spec);
        if (d->id == M_UNSUPPORTED)
            return lsx__seterr(e->err, LSX_EUNSUPPORTED, "measure '%s' is not supported", d->name);
        if (par && d->ptype == PT_NONE)
            return lsx__seterr(e->err, LSX_EINVAL, "measure '%s' takes no parameters", d->name);
        marked[d - measures] = true;
        if (par && !params[d - measures])
            params[d - measures] = par;     /* trec_eval: the first parameter list wins */
    }

    size_t nm = 0;
    for (size_t i = 0; i < NMEASURES; i++)
        nm += marked[i];
    e->m = calloc(nm, sizeof *e->m);
    if (!e->m)
        return lsx__seterr(e->err, LSX_ENOMEM, "out of memory");
    for (size_t i = 0; i < NMEASURES; i++) {
        if (!marked[i])
            continue;
        minst *mi = &e->m[e->nm++];
        mi->def = &measures[i];
        mi->pstr = params[i];
        int rc = parse_params(mi, e->err);
        if (rc != LSX_OK)
            return rc;
        mi->ncols = mi->def->ptype == PT_LONG_CUTS || mi->def->ptype == PT_DOUBLE_CUTS ? mi->np : 1;
        mi->col = e->ncols;
        e->ncols += mi->ncols;
    }
    e->cols = calloc(e->ncols ? e->ncols : 1, sizeof *e->cols);
    if (!e->cols)
        return lsx__seterr(e->err, LSX_ENOMEM, "out of memory");
    for (size_t k = 0; k < e->nm; k++) {
        const minst *mi = &e->m[k];
        for (size_t c = 0; c < mi->ncols; c++) {
            col *cl = &e->cols[mi->col + c];
            cl->def = mi->def;
            if (mi->def->ptype == PT_LONG_CUTS)
                cl->name = str_printf("%s_%ld", mi->def->name, mi->lc[c]);
            else if (mi->def->ptype == PT_DOUBLE_CUTS)
                cl->name = str_printf("%s_%3.2f", mi->def->name, mi->dv[c]);
            else if (mi->pstr)
                cl->name = str_printf("%s_%s", mi->def->name, mi->pstr);
            else
                cl->name = lsx_strdup(mi->def->name);
            if (!cl->name)
                return lsx__seterr(e->err, LSX_ENOMEM, "out of memory");
            if (mi->def->id == M_RELSTRING)
                e->has_relstring = true;
        }
    }
    return LSX_OK;
}

/* ======================================================================
 * Per-topic measures
 * ====================================================================== */

typedef struct tctx {
    const long *rel;        /* relevance of ranks 1..n (index 0..n-1) */
    long n;                 /* num_ret */
    long R;                 /* num_rel */
    long rel_ret;           /* num_rel_ret (judged and relevant) */
    long nonpool, unjudged;
    const long *levels;     /* number of judgments per value 0..nlevels-1 */
    long nlevels;           /* highest value present + 1 */
    long l;                 /* relevance level */
    long num_docs;          /* -N */
    const long *relcum;     /* relcum[i]: rel >= l among the top i (i = 0..n) */
    const long *unjcum;     /* unjcum[i]: value -1 or -2 among the top i */
    const double *apsum;    /* apsum[i]: sum of precisions at relevant docs in the top i */
    double *dgain;          /* scratch: gain of each rank */
    struct gain *gains;     /* scratch: nlevels + pairs */
    char *relstr;           /* out: relstring */
    size_t relstr_cap;
} tctx;

static long at_most(long k, long n)
{
    return k < n ? k : n;
}

/* (long)x without undefined behaviour for NaN or out-of-range values. */
static long to_long(double x)
{
    if (!(x == x))
        return 0;
    if (x >= 9.2e18)
        return LONG_MAX;
    if (x <= -9.2e18)
        return LONG_MIN;
    return (long)x;
}

static double ratio(double num, double den)
{
    return den != 0 ? num / den : 0.0;
}

/* Interpolated precision at cut-offs given as numbers of relevant
 * documents (trec_eval's m_iprec_at_recall.c / m_11pt_avg.c loop).  Fills
 * out[] and returns the values summed in trec_eval's order. */
static double interp_prec(const tctx *t, const long *cuts, size_t nc, double *out)
{
    double sum = 0.0;
    for (size_t c = 0; c < nc; c++)
        out[c] = 0.0;
    if (t->n == 0)
        return 0.0;     /* trec_eval divides 0 by 0 here and prints nan */
    long cur = (long)nc - 1;
    while (cur >= 0 && cuts[cur] > t->rel_ret)
        cur--;
    double int_prec = (double)t->rel_ret / (double)t->n;
    long rel_so_far = t->rel_ret;
    for (long i = t->n; i > 0 && rel_so_far > 0; i--) {
        double prec = (double)rel_so_far / (double)i;
        if (int_prec < prec)
            int_prec = prec;
        if (t->rel[i - 1] >= t->l) {
            while (cur >= 0 && rel_so_far == cuts[cur]) {
                out[cur] = int_prec;
                sum += int_prec;
                cur--;
            }
            rel_so_far--;
        }
    }
    while (cur >= 0) {
        out[cur] = int_prec;
        sum += int_prec;
        cur--;
    }
    return sum;
}

typedef struct gain {
    long level;
    long count;
    double gain;
} gain;

/* trec_eval's setup_gains(): explicit level=gain pairs first, then every
 * level 0..nlevels-1 (gain = level), sorted by increasing gain with its
 * comparator, which compares the integer part of the difference. */
static size_t setup_gains(const tctx *t, const minst *mi, gain *g)
{
    size_t ng = 0;
    for (size_t i = 0; mi->gp && i < mi->np; i++)
        g[ng++] = (gain){ mi->gp[i].level, 0, mi->gp[i].gain };
    for (long lv = 0; lv < t->nlevels; lv++) {
        size_t j = 0;
        while (j < ng && g[j].level != lv)
            j++;
        if (j < ng)
            g[j].count = t->levels[lv];
        else
            g[ng++] = (gain){ lv, t->levels[lv], (double)lv };
    }
    for (size_t i = 1; i < ng; i++) {  /* stable insertion sort */
        gain x = g[i];
        size_t j = i;
        while (j > 0 && (int)(g[j - 1].gain - x.gain) > 0) {
            g[j] = g[j - 1];
            j--;
        }
        g[j] = x;
    }
    return ng;
}

/* Walk down the ideal ranking: gains from the highest level down, each
 * repeated by its number of judgments. */
typedef struct ideal {
    const gain *g;
    long cur, at;
    double gain;            /* the current ideal gain (starts at the top gain) */
} ideal;

static void ideal_init(ideal *it, const gain *g, size_t ng)
{
    it->g = g;
    it->cur = (long)ng - 1;
    it->at = 0;
    it->gain = it->cur >= 0 ? g[it->cur].gain : 0.0;
}

static double ideal_next(ideal *it)
{
    it->at++;
    while (it->cur >= 0 && it->at > it->g[it->cur].count) {
        it->at = 1;
        it->cur--;
        it->gain = it->cur >= 0 ? it->g[it->cur].gain : 0.0;
    }
    return it->gain;
}

/* Gains of the retrieved documents under the gain table. */
static void doc_gains(tctx *t, const minst *mi, const gain *g, size_t ng)
{
    if (!mi->gp) {
        /* default gains: a judged level's gain is the level itself */
        for (long i = 0; i < t->n; i++)
            t->dgain[i] = t->rel[i] >= 0 && t->rel[i] < t->nlevels ? (double)t->rel[i] : 0.0;
        return;
    }
    for (long i = 0; i < t->n; i++) {
        double v = 0.0;
        for (size_t k = 0; k < ng; k++)
            if (g[k].level == t->rel[i]) {
                v = g[k].gain;
                break;
            }
        t->dgain[i] = v;
    }
}

static double disc(long i)
{
    return log2((double)(i + 2));  /* rank i+1 */
}

static double m_ndcg(tctx *t, const minst *mi, enum mid id)
{
    size_t ng = setup_gains(t, mi, t->gains);
    doc_gains(t, mi, t->gains, ng);
    ideal it;
    ideal_init(&it, t->gains, ng);
    double rdcg = 0.0, idcg = 0.0;
    long i = 0;
    for (; i < t->n && it.gain > 0.0; i++) {
        if (t->dgain[i] != 0)
            rdcg += t->dgain[i] / disc(i);
        double ig = ideal_next(&it);
        if (ig > 0.0)
            idcg += ig / disc(i);
    }
    for (; i < t->n; i++)
        if (t->dgain[i] != 0)
            rdcg += t->dgain[i] / disc(i);
    for (; it.gain > 0.0; i++) {
        double ig = ideal_next(&it);
        if (ig > 0.0)
            idcg += ig / disc(i);
    }
    if (id == M_DCG)
        return rdcg;
    if (id == M_IDEAL_DCG)
        return idcg;
    return idcg > 0.0 ? rdcg / idcg : 0.0;
}

static double m_ndcg_rel(tctx *t, const minst *mi)
{
    size_t ng = setup_gains(t, mi, t->gains);
    doc_gains(t, mi, t->gains, ng);
    ideal it;
    ideal_init(&it, t->gains, ng);
    double rdcg = 0.0, idcg = 0.0, sum = 0.0;
    long nrel = 0, nrel_ret = 0, i = 0;
    for (; i < t->n && it.gain > 0.0; i++) {
        double rg = t->dgain[i];
        if (rg != 0)
            rdcg += rg / disc(i);
        double ig = ideal_next(&it);
        if (ig > 0.0) {
            nrel++;
            idcg += ig / disc(i);
        }
        if (rg > 0) {
            sum += rdcg / idcg;
            nrel_ret++;
        }
    }
    for (; i < t->n; i++) {
        double rg = t->dgain[i];
        if (rg != 0)
            rdcg += rg / disc(i);
        if (rg > 0) {
            sum += ratio(rdcg, idcg);
            nrel_ret++;
        }
    }
    for (; it.gain > 0.0; i++) {
        double ig = ideal_next(&it);
        if (ig > 0.0) {
            nrel++;
            idcg += ig / disc(i);
        }
    }
    sum += (double)(nrel - nrel_ret) * ratio(rdcg, idcg);
    return sum > 0.0 ? sum / (double)nrel : 0.0;
}

static double m_rndcg(tctx *t, const minst *mi)
{
    if (t->R == 0)
        return 0.0;
    size_t ng = setup_gains(t, mi, t->gains);
    doc_gains(t, mi, t->gains, ng);
    ideal it;
    ideal_init(&it, t->gains, ng);
    double rdcg = 0.0, idcg = 0.0, sum = 0.0, old = it.gain;
    long changes = 0, i = 0;
    for (; i < t->n && it.gain > 0.0; i++) {
        double rg = t->dgain[i];
        double ig = ideal_next(&it);
        if (old != ig) {
            if (idcg > 0.0) {
                sum += rdcg / idcg;
                changes++;
            }
            old = ig;
        }
        if (rg != 0)
            rdcg += rg / disc(i);
        if (ig > 0.0)
            idcg += ig / disc(i);
    }
    if (i < t->n) {
        for (; i < t->n; i++)
            if (t->dgain[i] != 0)
                rdcg += t->dgain[i] / disc(i);
        if (idcg > 0.0) {
            sum += rdcg / idcg;
            changes++;
        }
    }
    for (; it.gain > 0.0; i++) {
        double ig = ideal_next(&it);
        if (old != ig) {
            if (idcg > 0.0) {
                sum += rdcg / idcg;
                changes++;
            }
            old = ig;
        }
        if (ig > 0.0)
            idcg += ig / disc(i);
    }
    return changes ? sum / (double)changes : 0.0;  /* trec_eval: 0/0 when no change */
}

static double m_g(tctx *t, const minst *mi)
{
    size_t ng = setup_gains(t, mi, t->gains);
    doc_gains(t, mi, t->gains, ng);
    ideal it;
    ideal_init(&it, t->gains, ng);
    double sum_res = 0.0, sum_ideal = 0.0, sum_cost = 0.0, g = 0.0;
    const double min_cost = 1.0;
    long i = 0;
    for (; i < t->n && it.gain > 0.0; i++) {
        double rg = t->dgain[i];
        sum_res += rg;
        double ig = ideal_next(&it);
        if (ig > 0.0)
            sum_ideal += ig;
        sum_cost += ig >= min_cost ? ig : min_cost;
        if (rg != 0)
            g += rg / log2(2 + sum_cost - sum_res);
    }
    for (; i < t->n; i++) {
        double rg = t->dgain[i];
        sum_res += rg;
        sum_cost += min_cost;
        if (rg != 0)
            g += rg / log2(2 + sum_cost - sum_res);
    }
    while (it.gain > 0.0) {
        double ig = ideal_next(&it);
        if (ig > 0.0)
            sum_ideal += ig;
    }
    return sum_ideal > 0.0 ? g / sum_ideal : 0.0;
}

static void m_ndcg_cut(const tctx *t, const minst *mi, double *out)
{
    size_t nc = mi->np, ci = 0;
    double sum = 0.0;
    for (long i = 0; i < t->n; i++) {
        if (i == mi->lc[ci]) {
            out[ci] = sum;
            if (++ci == nc)
                break;
        }
        if (t->rel[i] > 0)
            sum += (double)t->rel[i] / disc(i);
    }
    while (ci < nc)
        out[ci++] = sum;
    ci = 0;
    long cur = t->nlevels - 1, cnt = 0;
    double idcg = 0.0;
    for (long i = 0;; i++) {
        cnt++;
        while (cur > 0 && cnt > t->levels[cur]) {
            cur--;
            cnt = 1;
        }
        if (cur <= 0)
            break;
        if (i == mi->lc[ci]) {
            if (idcg > 0.0)
                out[ci] /= idcg;
            if (++ci == nc)
                break;
        }
        idcg += (double)cur / disc(i);
    }
    for (; ci < nc; ci++)
        if (idcg > 0.0)
            out[ci] /= idcg;
}

static double m_bpref(const tctx *t)
{
    long num_nonrel = 0;
    for (long j = 0; j < t->l && j < t->nlevels; j++)
        num_nonrel += t->levels[j];
    long nonrel = 0;
    double bpref = 0.0;
    for (long j = 0; j < t->n; j++) {
        long r = t->rel[j];
        if (r == LSX_REL_NONPOOL || r == LSX_REL_UNJUDGED)
            continue;
        if (r >= 0 && r < t->l)
            nonrel++;
        else if (nonrel > 0)
            bpref += 1.0 - ratio((double)at_most(nonrel, t->R), (double)at_most(num_nonrel, t->R));
        else
            bpref += 1.0;
    }
    return t->R ? bpref / (double)t->R : bpref;
}

static double m_infap(const tctx *t)
{
    long nonrel = 0, rel = 0, unjudged = 0;
    double ap = 0.0;
    for (long j = 0; j < t->n; j++) {
        long r = t->rel[j];
        if (r == LSX_REL_NONPOOL)
            continue;
        if (r == LSX_REL_UNJUDGED) {
            unjudged++;
            continue;
        }
        if (r >= 0 && r < t->l) {
            nonrel++;
            continue;
        }
        rel++;
        if (j == 0) {
            ap += 1.0;
        } else {
            double fj = (double)j;
            ap += 1.0 / (fj + 1.0) +
                  (fj / (fj + 1.0)) * ((double)(rel - 1 + nonrel + unjudged) / fj) *
                      (((double)(rel - 1) + INFAP_EPSILON) /
                       ((double)(rel - 1 + nonrel) + 2 * INFAP_EPSILON));
        }
    }
    return t->R ? ap / (double)t->R : ap;
}

/* Compute every column of one topic into v[]. */
static void compute_topic(const lsx_eval *e, tctx *t, double *v)
{
    for (size_t k = 0; k < e->nm; k++) {
        const minst *mi = &e->m[k];
        double *o = v + mi->col;
        long n = t->n, R = t->R;
        switch (mi->def->id) {
        case M_RUNID:
        case M_NUM_Q:
        case M_UNSUPPORTED:
            o[0] = 0.0;
            break;
        case M_NUM_RET:
            o[0] = (double)n;
            break;
        case M_NUM_REL:
            o[0] = (double)R;
            break;
        case M_NUM_REL_RET:
            o[0] = (double)t->rel_ret;
            break;
        case M_MAP:
            o[0] = t->relcum[n] && R ? t->apsum[n] / (double)R : 0.0;
            break;
        case M_GM_MAP: {
            double ap = t->relcum[n] && R ? t->apsum[n] / (double)R : 0.0;
            o[0] = log(ap > MIN_GEO_MEAN ? ap : MIN_GEO_MEAN);
            break;
        }
        case M_RPREC:
            o[0] = R ? (double)t->relcum[at_most(R, n)] / (double)R : 0.0;
            break;
        case M_BPREF:
            o[0] = m_bpref(t);
            break;
        case M_GM_BPREF: {
            double b = m_bpref(t);
            o[0] = log(b > MIN_GEO_MEAN ? b : MIN_GEO_MEAN);
            break;
        }
        case M_RECIP_RANK:
            o[0] = 0.0;
            for (long i = 0; i < n; i++)
                if (t->rel[i] >= t->l) {
                    o[0] = 1.0 / (double)(i + 1);
                    break;
                }
            break;
        case M_IPREC:
        case M_11PT: {
            long cuts[64], *cp = cuts;
            if (mi->np > 64 && !(cp = malloc(mi->np * sizeof *cp)))
                break;
            double tmp[64], *tp = tmp;
            if (mi->def->id == M_11PT && mi->np > 64 && !(tp = malloc(mi->np * sizeof *tp))) {
                if (cp != cuts)
                    free(cp);
                break;
            }
            for (size_t c = 0; c < mi->np; c++)
                cp[c] = to_long(round(mi->dv[c] * (double)R));
            if (mi->def->id == M_IPREC)
                interp_prec(t, cp, mi->np, o);
            else
                o[0] = interp_prec(t, cp, mi->np, tp) / (double)mi->np;
            if (cp != cuts)
                free(cp);
            if (tp != tmp)
                free(tp);
            break;
        }
        case M_P:
            for (size_t c = 0; c < mi->np; c++)
                o[c] = (double)t->relcum[at_most(mi->lc[c], n)] / (double)mi->lc[c];
            break;
        case M_RELSTRING: {
            long len = to_long(mi->dv[0]);
            if (len > n)
                len = n;
            if (len < 0)
                len = 0;
            if ((size_t)len + 1 > t->relstr_cap) {
                char *s = realloc(t->relstr, (size_t)len + 1);
                if (!s)
                    len = 0;
                else {
                    t->relstr = s;
                    t->relstr_cap = (size_t)len + 1;
                }
            }
            for (long i = 0; i < len; i++) {
                long r = t->rel[i];
                t->relstr[i] = r > 9 ? '>' : r >= 0 ? (char)('0' + r)
                             : r == LSX_REL_NONPOOL ? '-' : r == LSX_REL_UNJUDGED ? '.' : '<';
            }
            if (t->relstr)
                t->relstr[len] = '\0';
            o[0] = 0.0;
            break;
        }
        case M_RECALL:
            for (size_t c = 0; c < mi->np; c++)
                o[c] = R ? (double)t->relcum[at_most(mi->lc[c], n)] / (double)R : 0.0;
            break;
        case M_INFAP:
            o[0] = m_infap(t);
            break;
        case M_RPREC_MULT:
            for (size_t c = 0; c < mi->np; c++) {
                long cut = to_long(mi->dv[c] * (double)R + 0.9);
                if (cut > n)
                    o[c] = (double)t->rel_ret / (double)cut;
                else
                    o[c] = cut > 0 ? (double)t->relcum[cut] / (double)cut : 0.0;
            }
            break;
        case M_UTILITY: {
            const double *p = mi->dv;
            o[0] = p[0] * (double)t->rel_ret + p[1] * (double)(n - t->rel_ret) +
                   p[2] * (double)(R - t->rel_ret) +
                   p[3] * (double)(t->num_docs + t->rel_ret - n - R);
            break;
        }
        case M_BING: {
            long rel = 0;
            double sum = 0.0;
            for (long i = 0; i < n; i++)
                if (t->rel[i] >= t->l) {
                    rel++;
                    sum += 1.0 / log2((double)(3 + i - rel));
                }
            o[0] = rel && R ? sum / (double)R : 0.0;
            break;
        }
        case M_G:
            o[0] = m_g(t, mi);
            break;
        case M_DCG:
        case M_IDEAL_DCG:
        case M_NDCG:
            o[0] = m_ndcg(t, mi, mi->def->id);
            break;
        case M_NDCG_REL:
            o[0] = m_ndcg_rel(t, mi);
            break;
        case M_RNDCG:
            o[0] = m_rndcg(t, mi);
            break;
        case M_NDCG_CUT:
            m_ndcg_cut(t, mi, o);
            break;
        case M_MAP_CUT:
            for (size_t c = 0; c < mi->np; c++)
                o[c] = R ? t->apsum[at_most(mi->lc[c], n)] / (double)R : 0.0;
            break;
        case M_REL_P:
            for (size_t c = 0; c < mi->np; c++)
                o[c] = R ? (double)t->relcum[at_most(mi->lc[c], n)] /
                               (double)(mi->lc[c] > R ? R : mi->lc[c])
                         : 0.0;
            break;
        case M_SUCCESS:
            for (size_t c = 0; c < mi->np; c++)
                o[c] = t->relcum[at_most(mi->lc[c], n)] ? 1.0 : 0.0;
            break;
        case M_SET_P:
            o[0] = n ? (double)t->rel_ret / (double)n : 0.0;
            break;
        case M_SET_REL_P:
            o[0] = n && R ? (double)t->rel_ret / (double)at_most(n, R) : 0.0;
            break;
        case M_SET_RECALL:
            o[0] = R ? (double)t->rel_ret / (double)R : 0.0;
            break;
        case M_SET_MAP:
            o[0] = n && R ? ((double)t->rel_ret * (double)t->rel_ret) / ((double)n * (double)R)
                          : 0.0;
            break;
        case M_SET_F:
            if (t->rel_ret) {
                double P = (double)t->rel_ret / (double)n, Rc = (double)t->rel_ret / (double)R;
                double x = mi->dv[0];
                o[0] = ratio((x + 1.0) * P * Rc, x * P + Rc);
            } else {
                o[0] = 0.0;
            }
            break;
        case M_NONREL_JR:
            o[0] = (double)(n - t->nonpool - t->unjudged - t->rel_ret);
            break;
        case M_UNJ:
            for (size_t c = 0; c < mi->np; c++)
                o[c] = (double)t->unjcum[at_most(mi->lc[c], n)] / (double)mi->lc[c];
            break;
        }
    }
}

/* ======================================================================
 * Evaluation driver
 * ====================================================================== */

typedef struct scratch {
    lsx__result *res;
    const lsx__result **byname;
    long *rel, *relcum, *unjcum, *levels;
    double *apsum, *dgain;
    gain *gains;
    size_t cap, levcap, gaincap;
} scratch;

static void scratch_free(scratch *s)
{
    free(s->res);
    free(s->byname);
    free(s->rel);
    free(s->relcum);
    free(s->unjcum);
    free(s->levels);
    free(s->apsum);
    free(s->dgain);
    free(s->gains);
}

static bool scratch_reserve(scratch *s, size_t n, size_t nlev, size_t ngain)
{
    if (n > s->cap) {
        size_t cap = n < 1024 ? 1024 : n;
        lsx__result *res = realloc(s->res, cap * sizeof *res);
        if (res)
            s->res = res;
        const lsx__result **bn = realloc(s->byname, cap * sizeof *bn);
        if (bn)
            s->byname = bn;
        long *a = realloc(s->rel, cap * sizeof *a);
        if (a)
            s->rel = a;
        long *b = realloc(s->relcum, (cap + 1) * sizeof *b);
        if (b)
            s->relcum = b;
        long *c = realloc(s->unjcum, (cap + 1) * sizeof *c);
        if (c)
            s->unjcum = c;
        double *d = realloc(s->apsum, (cap + 1) * sizeof *d);
        if (d)
            s->apsum = d;
        double *g = realloc(s->dgain, cap * sizeof *g);
        if (g)
            s->dgain = g;
        if (!res || !bn || !a || !b || !c || !d || !g)
            return false;
        s->cap = cap;
    }
    if (nlev > s->levcap) {
        long *l = realloc(s->levels, nlev * sizeof *l);
        if (!l)
            return false;
        s->levels = l;
        s->levcap = nlev;
    }
    if (ngain > s->gaincap) {
        gain *g = realloc(s->gains, ngain * sizeof *g);
        if (!g)
            return false;
        s->gains = g;
        s->gaincap = ngain;
    }
    return true;
}

static int cmp_res_docno(const void *a, const void *b)
{
    const lsx__result *x = *(const lsx__result *const *)a, *y = *(const lsx__result *const *)b;
    int c = strcmp(x->docno, y->docno);
    if (c)
        return c;
    return (x->line > y->line) - (x->line < y->line);
}

static const lsx__judgment *find_judgment(const lsx__qtopic *qt, const char *docno)
{
    size_t lo = 0, hi = qt->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(qt->j[mid].docno, docno);
        if (c == 0)
            return &qt->j[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static int add_topic(lsx_eval *e, const char *qid, const double *v, const char *relstr)
{
    if (e->ntopics == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 64;
        char **q = realloc(e->qids, cap * sizeof *q);
        if (q)
            e->qids = q;
        char **r = realloc(e->relstr, cap * sizeof *r);
        if (r)
            e->relstr = r;
        double *vv = realloc(e->vals, cap * (e->ncols ? e->ncols : 1) * sizeof *vv);
        if (vv)
            e->vals = vv;
        if (!q || !r || !vv)
            return LSX_ENOMEM;
        e->cap = cap;
    }
    char *qd = lsx_strdup(qid);
    char *rd = e->has_relstring ? lsx_strdup(relstr ? relstr : "") : NULL;
    if (!qd || (e->has_relstring && !rd)) {
        free(qd);
        free(rd);
        return LSX_ENOMEM;
    }
    e->qids[e->ntopics] = qd;
    e->relstr[e->ntopics] = rd;
    memcpy(e->vals + e->ntopics * e->ncols, v, e->ncols * sizeof *v);
    e->ntopics++;
    return LSX_OK;
}

/* ends[v - 1]: the end of the last field of version v */
static const size_t eval_options_ends[] = {LSX__END(lsx_eval_options, nmeasures)};
static const size_t compare_options_ends[] = {LSX__END(lsx_compare_options, seed)};

int lsx_eval_options_init(lsx_eval_options *opts, unsigned version)
{
    static const lsx_eval_options d = LSX_EVAL_OPTIONS_INIT;
    return lsx__init_versioned(opts, &d, eval_options_ends, LSX_EVAL_OPTIONS_VERSION, version);
}

int lsx_compare_options_init(lsx_compare_options *opts, unsigned version)
{
    const lsx_compare_options d = {.version = LSX_COMPARE_OPTIONS_VERSION,
                                   .permutations = LSX_DEFAULT_PERMUTATIONS, .seed = 1};
    return lsx__init_versioned(opts, &d, compare_options_ends, LSX_COMPARE_OPTIONS_VERSION, version);
}

static int evaluate(lsx_eval *e, lsx_qrels *qrels, lsx_run *run, const lsx_eval_options *o)
{
    int rc = plan_build(e, o);
    if (rc != LSX_OK)
        return rc;
    if ((rc = lsx__qrels_prepare(qrels)) != LSX_OK)
        return lsx__seterr(e->err, rc, "%s", lsx_qrels_errmsg(qrels));
    e->runid = lsx_strdup(lsx_run_tag(run));
    if (!e->runid)
        return lsx__seterr(e->err, LSX_ENOMEM, "out of memory");
    size_t max_pairs = 0;
    for (size_t k = 0; k < e->nm; k++)
        if (e->m[k].gp && e->m[k].np > max_pairs)
            max_pairs = e->m[k].np;

    const char *qname = lsx__qrels_name(qrels), *rname = lsx__run_name(run);
    const lsx__result bogus = { "ceci_nest_pas_un_docno", 1.0, 0 };
    scratch s = { 0 };
    tctx t = { 0 };
    double *v = calloc(e->ncols ? e->ncols : 1, sizeof *v);
    if (!v)
        return lsx__seterr(e->err, LSX_ENOMEM, "out of memory");
    size_t nq = lsx__qrels_ntopics(qrels);
    for (size_t qi = 0; qi < nq && rc == LSX_OK; qi++) {
        const lsx__qtopic *qt = lsx__qrels_topic_at(qrels, qi);
        const lsx__rtopic *rt = lsx__run_find(run, qt->qid);
        if (!rt && !o->complete) {
            rc = lsx__seterr(e->err, LSX_EPARSE,
                             "topic %s is judged in %s but has no results in %s (trec_eval 10 "
                             "refuses this too; -c scores such topics as 0)",
                             qt->qid, qname, rname);
            break;
        }
        const lsx__result *src = rt ? rt->r : &bogus;
        size_t nres = rt ? rt->n : 1;
        long maxrel = -1;
        for (size_t j = 0; j < qt->n; j++)
            if (qt->j[j].rel > maxrel)
                maxrel = qt->j[j].rel;
        size_t nlev = (size_t)(maxrel + 1);
        if (!scratch_reserve(&s, nres, nlev ? nlev : 1, nlev + max_pairs + 1)) {
            rc = lsx__seterr(e->err, LSX_ENOMEM, "out of memory");
            break;
        }
        memcpy(s.res, src, nres * sizeof *s.res);
        lsx__rank_results(s.res, nres);
        size_t n = o->max_retrieved && o->max_retrieved < nres ? o->max_retrieved : nres;

        /* a document twice among the kept ones */
        for (size_t i = 0; i < n; i++)
            s.byname[i] = &s.res[i];
        qsort(s.byname, n, sizeof *s.byname, cmp_res_docno);
        for (size_t i = 1; i < n && rc == LSX_OK; i++)
            if (strcmp(s.byname[i]->docno, s.byname[i - 1]->docno) == 0) {
                if (s.byname[i]->line)
                    rc = lsx__seterr(e->err, LSX_EPARSE,
                                     "%s:%zu: topic %s: document %s was already retrieved on line %zu",
                                     rname, s.byname[i]->line, qt->qid, s.byname[i]->docno,
                                     s.byname[i - 1]->line);
                else
                    rc = lsx__seterr(e->err, LSX_EPARSE, "%s: topic %s: document %s retrieved twice",
                                     rname, qt->qid, s.byname[i]->docno);
            }
        /* a document judged twice */
        for (size_t j = 1; j < qt->n && rc == LSX_OK; j++)
            if (strcmp(qt->j[j].docno, qt->j[j - 1].docno) == 0) {
                if (qt->j[j].line)
                    rc = lsx__seterr(e->err, LSX_EPARSE,
                                     "%s:%zu: topic %s: document %s was already judged on line %zu",
                                     qname, qt->j[j].line, qt->qid, qt->j[j].docno, qt->j[j - 1].line);
                else
                    rc = lsx__seterr(e->err, LSX_EPARSE, "%s: topic %s: document %s judged twice",
                                     qname, qt->qid, qt->j[j].docno);
            }
        if (rc != LSX_OK)
            break;

        /* relevance of each retrieved document, and the counts per level */
        for (size_t lv = 0; lv < nlev; lv++)
            s.levels[lv] = 0;
        for (size_t j = 0; j < qt->n; j++)
            if (qt->j[j].rel >= 0)
                s.levels[qt->j[j].rel]++;
        long kept = 0, nonpool = 0, unjudged = 0, rel_ret = 0;
        for (size_t i = 0; i < n; i++) {
            const lsx__judgment *jd = find_judgment(qt, s.res[i].docno);
            long r = !jd ? LSX_REL_NONPOOL : jd->rel < 0 ? LSX_REL_UNJUDGED : jd->rel;
            if (o->judged_only && r < 0)
                continue;
            if (!o->judged_only) {
                nonpool += r == LSX_REL_NONPOOL;
                unjudged += r == LSX_REL_UNJUDGED;
            }
            if (r >= 0 && r >= o->relevance_level)
                rel_ret++;
            s.rel[kept++] = r;
        }
        long nlevels = 0, R = 0;
        for (size_t lv = 0; lv < nlev; lv++)
            if (s.levels[lv]) {
                nlevels = (long)lv + 1;
                if ((long)lv >= o->relevance_level)
                    R += s.levels[lv];
            }
        s.relcum[0] = s.unjcum[0] = 0;
        s.apsum[0] = 0.0;
        for (long i = 0; i < kept; i++) {
            bool isrel = s.rel[i] >= o->relevance_level;
            s.relcum[i + 1] = s.relcum[i] + isrel;
            s.unjcum[i + 1] = s.unjcum[i] + (s.rel[i] == LSX_REL_NONPOOL || s.rel[i] == LSX_REL_UNJUDGED);
            s.apsum[i + 1] = s.apsum[i] + (isrel ? (double)s.relcum[i + 1] / (double)(i + 1) : 0.0);
        }
        t.rel = s.rel;
        t.n = kept;
        t.R = R;
        t.rel_ret = rel_ret;
        t.nonpool = nonpool;
        t.unjudged = unjudged;
        t.levels = s.levels;
        t.nlevels = nlevels;
        t.l = o->relevance_level;
        t.num_docs = o->num_docs;
        t.relcum = s.relcum;
        t.unjcum = s.unjcum;
        t.apsum = s.apsum;
        t.dgain = s.dgain;
        t.gains = s.gains;
        if (t.relstr)
            t.relstr[0] = '\0';
        compute_topic(e, &t, v);
        if (!rt) {
            /* trec_eval -c: a missing topic was scored on a one-document
             * ranking; these values are then reset */
            for (size_t c = 0; c < e->ncols; c++) {
                const col *cl = &e->cols[c];
                if (cl->def->id == M_NUM_RET || cl->def->id == M_UNJ ||
                    strcmp(cl->name, "utility") == 0)
                    v[c] = 0.0;
            }
            if (t.relstr)
                t.relstr[0] = '\0';
        }
        if (add_topic(e, qt->qid, v, t.relstr) != LSX_OK)
            rc = lsx__seterr(e->err, LSX_ENOMEM, "out of memory");
    }
    free(t.relstr);
    free(v);
    scratch_free(&s);
    if (rc != LSX_OK)
        return rc;
    if (e->ntopics == 0)
        return lsx__seterr(e->err, LSX_EPARSE, "no topic of %s is judged in %s", rname, qname);

    /* the summary */
    e->summary = calloc(e->ncols ? e->ncols : 1, sizeof *e->summary);
    if (!e->summary)
        return lsx__seterr(e->err, LSX_ENOMEM, "out of memory");
    double nqd = (double)e->ntopics;
    for (size_t c = 0; c < e->ncols; c++) {
        double sum = 0.0;
        for (size_t q = 0; q < e->ntopics; q++)
            sum += e->vals[q * e->ncols + c];
        switch (e->cols[c].def->avg) {
        case AV_MEAN:
            e->summary[c] = sum / nqd;
            break;
        case AV_SUM:
            e->summary[c] = sum;
            break;
        case AV_GEO:
            e->summary[c] = exp(sum / nqd);
            break;
        case AV_NUMQ:
            e->summary[c] = nqd;
            break;
        case AV_NONE:
            e->summary[c] = 0.0;
            break;
        }
        if (e->cols[c].def->id == M_NUM_REL && o->complete) {
            /* trec_eval -c: judgments with a value > 0 in the whole qrels, whatever -l */
            long cnt = 0;
            for (size_t qi = 0; qi < nq; qi++) {
                const lsx__qtopic *qt = lsx__qrels_topic_at(qrels, qi);
                for (size_t j = 0; j < qt->n; j++)
                    cnt += qt->j[j].rel > 0;
            }
            e->summary[c] = (double)cnt;
        }
    }
    e->have_summary = true;
    return LSX_OK;
}

int lsx_evaluate(lsx_qrels *qrels, lsx_run *run, const lsx_eval_options *opts, lsx_eval **out)
{
    lsx_eval *e = calloc(1, sizeof *e);
    *out = e;
    if (!e)
        return LSX_ENOMEM;
    if (!qrels || !run)
        return lsx__seterr(e->err, LSX_EINVAL, "lsx_evaluate: no qrels or no run");
    lsx_eval_options o;
    lsx_eval_options_init(&o, LSX_EVAL_OPTIONS_VERSION);
    if (opts) {
        int rc = lsx__read_versioned(&o, opts, eval_options_ends, LSX_EVAL_OPTIONS_VERSION, "lsx_eval_options",
                                     e->err);
        if (rc != LSX_OK)
            return rc;
    }
    if (o.nmeasures && !o.measures)
        return lsx__seterr(e->err, LSX_EINVAL, "lsx_eval_options: nmeasures without measures");
    return evaluate(e, qrels, run, &o);
}

void lsx_eval_free(lsx_eval *e)
{
    if (!e)
        return;
    for (size_t k = 0; k < e->nm; k++) {
        free(e->m[k].lc);
        free(e->m[k].dv);
        free(e->m[k].gp);
    }
    free(e->m);
    for (size_t c = 0; c < e->ncols; c++)
        free(e->cols[c].name);
    free(e->cols);
    for (size_t q = 0; q < e->ntopics; q++) {
        free(e->qids[q]);
        free(e->relstr[q]);
    }
    free(e->qids);
    free(e->relstr);
    free(e->vals);
    free(e->summary);
    free(e->runid);
    free(e);
}

const char *lsx_eval_errmsg(const lsx_eval *e)
{
    return e ? e->err : "out of memory";
}

const char *lsx_eval_runid(const lsx_eval *e)
{
    return e && e->runid ? e->runid : "";
}

size_t lsx_eval_topic_count(const lsx_eval *e)
{
    return e ? e->ntopics : 0;
}

const char *lsx_eval_topic(const lsx_eval *e, size_t i)
{
    return e && i < e->ntopics ? e->qids[i] : NULL;
}

size_t lsx_eval_measure_count(const lsx_eval *e)
{
    return e ? e->ncols : 0;
}

const char *lsx_eval_measure(const lsx_eval *e, size_t j)
{
    return e && j < e->ncols ? e->cols[j].name : NULL;
}

static size_t find_topic(const lsx_eval *e, const char *qid)
{
    size_t lo = 0, hi = e->ntopics;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(e->qids[mid], qid);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return SIZE_MAX;
}

int lsx_eval_value(const lsx_eval *e, const char *name, const char *qid, double *value)
{
    if (!e || !name || !value)
        return LSX_EINVAL;
    size_t c = 0;
    while (c < e->ncols && strcmp(e->cols[c].name, name) != 0)
        c++;
    if (c == e->ncols)
        return LSX_ENOTFOUND;
    const mdef *d = e->cols[c].def;
    if (d->kind == CK_RUNID || d->kind == CK_RELSTRING)
        return LSX_ENOTFOUND;
    if (!qid || strcmp(qid, "all") == 0) {
        if (!e->have_summary || !(d->show & SHOW_ALL))
            return LSX_ENOTFOUND;
        *value = e->summary[c];
        return LSX_OK;
    }
    size_t q = find_topic(e, qid);
    if (q == SIZE_MAX || !(d->show & SHOW_Q))
        return LSX_ENOTFOUND;
    *value = e->vals[q * e->ncols + c];
    return LSX_OK;
}

const char *lsx_eval_relstring(const lsx_eval *e, const char *qid)
{
    if (!e || !qid || !e->has_relstring)
        return "";
    size_t q = find_topic(e, qid);
    return q == SIZE_MAX ? "" : e->relstr[q];
}

/* ======================================================================
 * Printing
 * ====================================================================== */


static void json_num(lsx_buf *b, double v, bool count)
{
    if (!isfinite(v))
        lsx_buf_puts(b, "null");
    else if (count)
        lsx_buf_printf(b, "%ld", (long)v);
    else
        lsx_buf_printf(b, "%.10g", v);
}

static void text_line(lsx_buf *b, const col *cl, const char *qid, double v, const char *str)
{
    switch (cl->def->kind) {
    case CK_COUNT:
        lsx_buf_printf(b, "%-22s\t%s\t%ld\n", cl->name, qid, (long)v);
        break;
    case CK_DOUBLE:
        lsx_buf_printf(b, "%-22s\t%s\t%6.4f\n", cl->name, qid, v);
        break;
    case CK_RUNID:
        lsx_buf_printf(b, "%-22s\t%s\t%s\n", cl->name, qid, str);
        break;
    case CK_RELSTRING:
        lsx_buf_printf(b, "%-22s\t%s\t'%s'\n", cl->name, qid, str);
        break;
    }
}

static void format_eval(const lsx_eval *e, lsx_buf *b, lsx_eval_format fmt, unsigned flags)
{
    bool perq = flags & LSX_EVAL_PER_QUERY;
    bool summ = !(flags & LSX_EVAL_NO_SUMMARY) && e->have_summary;
    if (fmt == LSX_EVAL_TEXT) {
        for (size_t q = 0; perq && q < e->ntopics; q++)
            for (size_t c = 0; c < e->ncols; c++)
                if (e->cols[c].def->show & SHOW_Q)
                    text_line(b, &e->cols[c], e->qids[q], e->vals[q * e->ncols + c],
                              e->relstr[q]);
        for (size_t c = 0; summ && c < e->ncols; c++)
            if (e->cols[c].def->show & SHOW_ALL)
                text_line(b, &e->cols[c], "all", e->summary[c], e->runid);
        return;
    }
    lsx_buf_puts(b, "{\"runid\": ");
    lsx__json_str(b, e->runid ? e->runid : "");
    if (perq) {
        lsx_buf_puts(b, ",\n \"queries\": [");
        for (size_t q = 0; q < e->ntopics; q++) {
            lsx_buf_puts(b, q ? ",\n  {\"qid\": " : "\n  {\"qid\": ");
            lsx__json_str(b, e->qids[q]);
            for (size_t c = 0; c < e->ncols; c++) {
                const col *cl = &e->cols[c];
                if (!(cl->def->show & SHOW_Q))
                    continue;
                lsx_buf_puts(b, ", ");
                lsx__json_str(b, cl->name);
                lsx_buf_puts(b, ": ");
                if (cl->def->kind == CK_RELSTRING)
                    lsx__json_str(b, e->relstr[q]);
                else
                    json_num(b, e->vals[q * e->ncols + c], cl->def->kind == CK_COUNT);
            }
            lsx_buf_putc(b, '}');
        }
        lsx_buf_puts(b, "\n ]");
    }
    if (summ) {
        lsx_buf_puts(b, ",\n \"all\": {");
        bool first = true;
        for (size_t c = 0; c < e->ncols; c++) {
            const col *cl = &e->cols[c];
            if (!(cl->def->show & SHOW_ALL) || cl->def->kind == CK_RUNID)
                continue;
            lsx_buf_puts(b, first ? "" : ", ");
            first = false;
            lsx__json_str(b, cl->name);
            lsx_buf_puts(b, ": ");
            json_num(b, e->summary[c], cl->def->kind == CK_COUNT);
        }
        lsx_buf_putc(b, '}');
    }
    lsx_buf_puts(b, "}\n");
}

char *lsx_eval_format_str(const lsx_eval *e, lsx_eval_format fmt, unsigned flags)
{
    if (!e)
        return NULL;
    lsx_buf b = { 0 };
    format_eval(e, &b, fmt, flags);
    lsx_buf_putc(&b, '\0');
    b.len--;
    return lsx_buf_detach(&b);
}

static int write_buf(lsx_buf *b, FILE *f, char *err)
{
    if (b->oom) {
        lsx_buf_free(b);
        return lsx__seterr(err, LSX_ENOMEM, "out of memory");
    }
    size_t w = b->len ? fwrite(b->data, 1, b->len, f) : 0;
    bool bad = w != b->len || fflush(f) != 0;
    lsx_buf_free(b);
    if (bad)
        return lsx__seterr(err, LSX_EIO, "cannot write the results");
    return LSX_OK;
}

int lsx_eval_write(const lsx_eval *e, FILE *f, lsx_eval_format fmt, unsigned flags)
{
    if (!e || !f)
        return LSX_EINVAL;
    lsx_buf b = { 0 };
    format_eval(e, &b, fmt, flags);
    return write_buf(&b, f, ((lsx_eval *)e)->err);
}

/* ======================================================================
 * Statistics
 * ====================================================================== */

/* log(Gamma(x)) for x > 0: libm's lgamma_r (the reentrant one: lgamma
 * writes the global signgam, and the library has no global state). */
static double log_gamma(double x)
{
    int sign;
    return lgamma_r(x, &sign);
}

/* Continued fraction for I_x(a, b) (modified Lentz). */
static double beta_cf(double a, double b, double x)
{
    const double tiny = 1e-300, eps = 1e-15;
    double qab = a + b, qap = a + 1.0, qam = a - 1.0;
    double c = 1.0, d = 1.0 - qab * x / qap;
    if (fabs(d) < tiny)
        d = tiny;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= 10000; m++) {
        double m2 = 2.0 * m;
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if (fabs(d) < tiny)
            d = tiny;
        c = 1.0 + aa / c;
        if (fabs(c) < tiny)
            c = tiny;
        d = 1.0 / d;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if (fabs(d) < tiny)
            d = tiny;
        c = 1.0 + aa / c;
        if (fabs(c) < tiny)
            c = tiny;
        d = 1.0 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1.0) < eps)
            break;
    }
    return h;
}

double lsx__betainc(double a, double b, double x)
{
    if (!(x > 0.0))
        return 0.0;
    if (!(x < 1.0))
        return 1.0;
    double lbt = log_gamma(a + b) - log_gamma(a) - log_gamma(b) + a * log(x) + b * log1p(-x);
    double bt = exp(lbt);
    if (x < (a + 1.0) / (a + b + 2.0))
        return bt * beta_cf(a, b, x) / a;
    return 1.0 - bt * beta_cf(b, a, 1.0 - x) / b;
}

double lsx__t_pvalue(double t, double df)
{
    if (!(df > 0.0) || isnan(t))
        return 1.0;
    if (isinf(t))
        return 0.0;
    double p = lsx__betainc(df / 2.0, 0.5, df / (df + t * t));
    return p < 0.0 ? 0.0 : p > 1.0 ? 1.0 : p;
}

double lsx__paired_t(const double *a, const double *b, size_t n, double *tout)
{
    if (tout)
        *tout = 0.0;
    if (n < 2)
        return 1.0;
    double mean = 0.0;
    for (size_t i = 0; i < n; i++)
        mean += b[i] - a[i];
    mean /= (double)n;
    double ss = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = b[i] - a[i] - mean;
        ss += d * d;
    }
    double var = ss / (double)(n - 1);
    if (!(var > 0.0))
        return fabs(mean) > 1e-12 ? 0.0 : 1.0;
    double t = mean / sqrt(var / (double)n);
    if (tout)
        *tout = t;
    return lsx__t_pvalue(t, (double)(n - 1));
}

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void lsx__rng_seed(lsx__rng *g, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        g->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t lsx__rng_next(lsx__rng *g)
{
    uint64_t *s = g->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double lsx__paired_rand(const double *a, const double *b, size_t n, unsigned rounds, uint64_t seed)
{
    /* only non-zero differences matter to a sign flip */
    double *d = malloc((n ? n : 1) * sizeof *d);
    if (!d)
        return NAN;
    size_t m = 0;
    double obs = 0.0, scale = 0.0;
    for (size_t i = 0; i < n; i++) {
        double x = b[i] - a[i];
        if (x != 0.0) {
            d[m++] = x;
            obs += x;
            scale += fabs(x);
        }
    }
    obs = fabs(obs);
    double eps = 1e-12 * (scale > 1.0 ? scale : 1.0);
    double p;
    if (m == 0) {
        p = 1.0;
    } else if (m < 31 && ((size_t)1 << m) <= (size_t)rounds) {
        size_t total = (size_t)1 << m, hits = 0;
        for (size_t mask = 0; mask < total; mask++) {
            double sum = 0.0;
            for (size_t i = 0; i < m; i++)
                sum += (mask >> i) & 1 ? -d[i] : d[i];
            hits += fabs(sum) >= obs - eps;
        }
        p = (double)hits / (double)total;
    } else {
        lsx__rng g;
        lsx__rng_seed(&g, seed);
        size_t hits = 0;
        for (unsigned r = 0; r < rounds; r++) {
            double sum = 0.0;
            uint64_t bits = 0;
            for (size_t i = 0; i < m; i++) {
                if (i % 64 == 0)
                    bits = lsx__rng_next(&g);
                sum += bits & 1 ? -d[i] : d[i];
                bits >>= 1;
            }
            hits += fabs(sum) >= obs - eps;
        }
        p = (double)(hits + 1) / ((double)rounds + 1.0);
    }
    free(d);
    return p;
}

/* ======================================================================
 * Comparison of two runs
 * ====================================================================== */

struct lsx_compare {
    char err[LSX_ERRLEN];
    char *name_a, *name_b;
    lsx_compare_row *rows;
    char **names;
    size_t n;
};

void lsx_compare_free(lsx_compare *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        free(c->names[i]);
    free(c->names);
    free(c->rows);
    free(c->name_a);
    free(c->name_b);
    free(c);
}

const char *lsx_compare_errmsg(const lsx_compare *c)
{
    return c ? c->err : "out of memory";
}

size_t lsx_compare_count(const lsx_compare *c)
{
    return c ? c->n : 0;
}

const lsx_compare_row *lsx_compare_row_at(const lsx_compare *c, size_t i)
{
    return c && i < c->n ? &c->rows[i] : NULL;
}

int lsx_eval_compare(const lsx_eval *a, const lsx_eval *b, const lsx_compare_options *opts,
                     lsx_compare **out)
{
    lsx_compare *c = calloc(1, sizeof *c);
    *out = c;
    if (!c)
        return LSX_ENOMEM;
    lsx_compare_options o;
    lsx_compare_options_init(&o, LSX_COMPARE_OPTIONS_VERSION);
    if (opts) {
        int rc = lsx__read_versioned(&o, opts, compare_options_ends, LSX_COMPARE_OPTIONS_VERSION,
                                     "lsx_compare_options", c->err);
        if (rc != LSX_OK)
            return rc;
    }
    if (!o.permutations)
        o.permutations = LSX_DEFAULT_PERMUTATIONS;
    if (!a || !b || !a->have_summary || !b->have_summary)
        return lsx__seterr(c->err, LSX_EINVAL, "lsx_eval_compare: an evaluation failed or is missing");
    c->name_a = lsx_strdup(lsx_eval_runid(a));
    c->name_b = lsx_strdup(lsx_eval_runid(b));
    /* topics in both (both lists are sorted) */
    size_t *ia = malloc((a->ntopics + 1) * sizeof *ia), *ib = malloc((a->ntopics + 1) * sizeof *ib);
    double *va = malloc((a->ntopics + 1) * sizeof *va), *vb = malloc((a->ntopics + 1) * sizeof *vb);
    c->rows = calloc(a->ncols + 1, sizeof *c->rows);
    c->names = calloc(a->ncols + 1, sizeof *c->names);
    int rc = LSX_OK;
    if (!c->name_a || !c->name_b || !ia || !ib || !va || !vb || !c->rows || !c->names) {
        rc = lsx__seterr(c->err, LSX_ENOMEM, "out of memory");
        goto done;
    }
    size_t nt = 0;
    for (size_t i = 0, j = 0; i < a->ntopics && j < b->ntopics;) {
        int k = strcmp(a->qids[i], b->qids[j]);
        if (k == 0) {
            ia[nt] = i++;
            ib[nt++] = j++;
        } else if (k < 0) {
            i++;
        } else {
            j++;
        }
    }
    if (nt == 0) {
        rc = lsx__seterr(c->err, LSX_EINVAL, "the two runs have no evaluated topic in common");
        goto done;
    }
    for (size_t ca = 0; ca < a->ncols; ca++) {
        const col *cl = &a->cols[ca];
        if (cl->def->kind != CK_DOUBLE || !(cl->def->show & SHOW_Q))
            continue;
        size_t cb = 0;
        while (cb < b->ncols && strcmp(b->cols[cb].name, cl->name) != 0)
            cb++;
        if (cb == b->ncols)
            continue;
        lsx_compare_row *row = &c->rows[c->n];
        c->names[c->n] = lsx_strdup(cl->name);
        if (!c->names[c->n]) {
            rc = lsx__seterr(c->err, LSX_ENOMEM, "out of memory");
            goto done;
        }
        row->measure = c->names[c->n];
        row->n = nt;
        double sa = 0.0, sb = 0.0;
        for (size_t k = 0; k < nt; k++) {
            va[k] = a->vals[ia[k] * a->ncols + ca];
            vb[k] = b->vals[ib[k] * b->ncols + cb];
            sa += va[k];
            sb += vb[k];
            double d = vb[k] - va[k];
            if (fabs(d) <= 1e-12)
                row->ties++;
            else if (d > 0)
                row->wins++;
            else
                row->losses++;
        }
        row->mean_a = sa / (double)nt;
        row->mean_b = sb / (double)nt;
        row->diff = row->mean_b - row->mean_a;
        row->p_t = lsx__paired_t(va, vb, nt, &row->t);
        row->p_rand = lsx__paired_rand(va, vb, nt, o.permutations, o.seed);
        c->n++;
    }
    if (c->n == 0)
        rc = lsx__seterr(c->err, LSX_EINVAL, "the two evaluations have no per-topic measure in common");
done:
    free(ia);
    free(ib);
    free(va);
    free(vb);
    return rc;
}

int lsx_compare_write(const lsx_compare *c, FILE *f, lsx_eval_format fmt)
{
    if (!c || !f)
        return LSX_EINVAL;
    lsx_buf b = { 0 };
    if (fmt == LSX_EVAL_TEXT) {
        lsx_buf_printf(&b, "# A = %s, B = %s; diff = mean(B - A); p: paired t-test, "
                           "paired randomization test (two-sided)\n",
                       c->name_a, c->name_b);
        lsx_buf_printf(&b, "%-22s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", "measure", "A", "B", "diff",
                       "p(t)", "p(rand)", "win/tie/loss", "topics");
        for (size_t i = 0; i < c->n; i++) {
            const lsx_compare_row *r = &c->rows[i];
            lsx_buf_printf(&b, "%-22s\t%6.4f\t%6.4f\t%+7.4f\t%6.4f\t%6.4f\t%zu/%zu/%zu\t%zu\n",
                           r->measure, r->mean_a, r->mean_b, r->diff, r->p_t, r->p_rand, r->wins,
                           r->ties, r->losses, r->n);
        }
    } else {
        lsx_buf_puts(&b, "{\"a\": ");
        lsx__json_str(&b, c->name_a);
        lsx_buf_puts(&b, ", \"b\": ");
        lsx__json_str(&b, c->name_b);
        lsx_buf_puts(&b, ",\n \"measures\": [");
        for (size_t i = 0; i < c->n; i++) {
            const lsx_compare_row *r = &c->rows[i];
            lsx_buf_puts(&b, i ? ",\n  {\"measure\": " : "\n  {\"measure\": ");
            lsx__json_str(&b, r->measure);
            lsx_buf_printf(&b, ", \"topics\": %zu, \"a\": ", r->n);
            json_num(&b, r->mean_a, false);
            lsx_buf_puts(&b, ", \"b\": ");
            json_num(&b, r->mean_b, false);
            lsx_buf_puts(&b, ", \"diff\": ");
            json_num(&b, r->diff, false);
            lsx_buf_puts(&b, ", \"t\": ");
            json_num(&b, r->t, false);
            lsx_buf_puts(&b, ", \"p_t\": ");
            json_num(&b, r->p_t, false);
            lsx_buf_puts(&b, ", \"p_rand\": ");
            json_num(&b, r->p_rand, false);
            lsx_buf_printf(&b, ", \"wins\": %zu, \"ties\": %zu, \"losses\": %zu}", r->wins, r->ties,
                           r->losses);
        }
        lsx_buf_puts(&b, "\n ]}\n");
    }
    return write_buf(&b, f, ((lsx_compare *)c)->err);
}

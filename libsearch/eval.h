/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * eval.h - internal interfaces of the evaluation module (eval.c, eval-files.c).
 *
 * eval-files.c owns the data: qrels, runs and topics (reading, writing,
 * grouping by topic).  eval.c owns the measures (trec_eval's semantics),
 * the results object, printing and the run comparison with its statistics.
 */
#ifndef LSX_EVAL_H
#define LSX_EVAL_H

#include "private.h"

#include <stdio.h>

/* trec_eval's relevance codes for retrieved documents. */
#define LSX_REL_NONPOOL   (-1L)   /* docno not in the qrels of the topic */
#define LSX_REL_UNJUDGED  (-2L)   /* in the qrels with a negative value */
/* Largest relevance value accepted in qrels (trec_eval allocates an array
 * of that size per topic; real qrels use 0..4). */
#define LSX_EVAL_MAX_REL  1000000L

/* ---- string pool: many small strings, freed at once ------------------ */
typedef struct lsx__pool_block lsx__pool_block;
typedef struct lsx__pool {
    lsx__pool_block *head;
    size_t left;            /* free bytes in head */
} lsx__pool;
/* Copy n bytes plus a NUL into the pool; NULL on OOM. */
const char *lsx__pool_strndup(lsx__pool *p, const char *s, size_t n);
void lsx__pool_free(lsx__pool *p);

/* ---- qrels ---------------------------------------------------------- */
typedef struct lsx__judgment {
    const char *docno;
    long rel;
    size_t line;            /* line in the file (0 if added in memory) */
} lsx__judgment;

typedef struct lsx__qtopic {
    const char *qid;
    lsx__judgment *j;       /* sorted by docno (then line) once prepared */
    size_t n, cap;
} lsx__qtopic;

/* Prepare (sort topics by qid and judgments by docno); idempotent. */
int lsx__qrels_prepare(lsx_qrels *q);
/* After prepare: topics in strcmp order of qid. */
size_t lsx__qrels_ntopics(const lsx_qrels *q);
const lsx__qtopic *lsx__qrels_topic_at(const lsx_qrels *q, size_t i);
/* The file name used in messages ("qrels" for in-memory ones). */
const char *lsx__qrels_name(const lsx_qrels *q);
/* Parse qrels from memory (tests); `name` is used in messages. */
int lsx__qrels_parse(lsx_qrels *q, const char *data, size_t len, const char *name);

/* ---- runs ----------------------------------------------------------- */
typedef struct lsx__result {
    const char *docno;
    double score;
    size_t line;            /* line in the file (0 if added in memory) */
} lsx__result;

typedef struct lsx__rtopic {
    const char *qid;
    lsx__result *r;         /* in the order added */
    size_t n, cap;
} lsx__rtopic;

/* The topic with this qid, or NULL. */
const lsx__rtopic *lsx__run_find(lsx_run *r, const char *qid);
size_t lsx__run_ntopics(const lsx_run *r);
const char *lsx__run_name(const lsx_run *r);
int lsx__run_parse(lsx_run *r, const char *data, size_t len, const char *name);
/* Sort results into trec_eval's order: score descending, then docno
 * descending (strcmp); NaN scores last. */
void lsx__rank_results(lsx__result *res, size_t n);

/* ---- topics --------------------------------------------------------- */
int lsx__topics_parse(lsx_topics *t, const char *data, size_t len, const char *name,
                      unsigned fields);
/* An empty topics object (for lsx__topics_parse). */
int lsx__topics_new(lsx_topics **out);

/* ---- files ---------------------------------------------------------- */
/* Read a whole file ("-" is stdin if allow_stdin) into a malloc'd buffer
 * (NUL-terminated, length in *len).  Messages name the file. */
int lsx__read_file(const char *path, bool allow_stdin, char **data, size_t *len, char *err);

/* ---- statistics (eval.c) -------------------------------------------- */
/* Regularized incomplete beta function I_x(a, b). */
double lsx__betainc(double a, double b, double x);
/* Two-sided p-value of Student's t with df degrees of freedom. */
double lsx__t_pvalue(double t, double df);
/* Paired t-test of b - a: returns the two-sided p, sets *t (may be NULL).
 * n < 2 or zero variance: p = 1 (no difference) or 0 (constant non-zero difference). */
double lsx__paired_t(const double *a, const double *b, size_t n, double *t);
/* Paired randomization (sign-flip) test of b - a, two-sided: exact when
 * 2^n <= rounds, else Monte Carlo with (hits+1)/(rounds+1). */
double lsx__paired_rand(const double *a, const double *b, size_t n, unsigned rounds,
                        uint64_t seed);

/* A small PRNG (splitmix64 seeding xoshiro256**), state held by the caller. */
typedef struct lsx__rng { uint64_t s[4]; } lsx__rng;
void lsx__rng_seed(lsx__rng *g, uint64_t seed);
uint64_t lsx__rng_next(lsx__rng *g);

#endif /* LSX_EVAL_H */

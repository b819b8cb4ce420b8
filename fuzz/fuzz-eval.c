/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-eval.c - libFuzzer target: one evaluation file parser, chosen at
 * build time with -DFUZZ_EVAL=1 (qrels), 2 (run) or 3 (topics, both the
 * TSV and the TREC form).  Parsed data is then used: qrels and runs are
 * evaluated against each other, a run written back.
 */
#include "eval.h"
#include "libsearch.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef FUZZ_EVAL
#  error "build with -DFUZZ_EVAL=1, 2 or 3"
#endif

static lsx_qrels *fixed_qrels;
static lsx_run *fixed_run;

static void setup(void)
{
    if (fixed_qrels)
        return;
    if (lsx_qrels_new(&fixed_qrels) != LSX_OK || lsx_run_new(&fixed_run, "fixed") != LSX_OK)
        abort();
    (void)lsx_qrels_add(fixed_qrels, "1", "d1", 1);
    (void)lsx_qrels_add(fixed_qrels, "1", "d2", 0);
    (void)lsx_qrels_add(fixed_qrels, "2", "d3", 2);
    (void)lsx_run_add(fixed_run, "1", "d1", 2.0);
    (void)lsx_run_add(fixed_run, "2", "d2", 1.0);
}

static void evaluate(lsx_qrels *q, lsx_run *r)
{
    lsx_eval *e = NULL;
    if (lsx_evaluate(q, r, NULL, &e) == LSX_OK)
        free(lsx_eval_format_str(e, LSX_EVAL_TEXT, 0));
    lsx_eval_free(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
#if FUZZ_EVAL == 1
    lsx_qrels *q = NULL;
    if (lsx_qrels_new(&q) == LSX_OK && lsx__qrels_parse(q, text, size, "fuzz") == LSX_OK)
        evaluate(q, fixed_run);
    lsx_qrels_free(q);
#elif FUZZ_EVAL == 2
    lsx_run *r = NULL;
    if (lsx_run_new(&r, "fuzz") == LSX_OK && lsx__run_parse(r, text, size, "fuzz") == LSX_OK) {
        evaluate(fixed_qrels, r);
        FILE *null = fopen("/dev/null", "w");
        if (null) {
            (void)lsx_run_write(r, null, "x", 10);
            fclose(null);
        }
    }
    lsx_run_free(r);
#else
    for (unsigned fields = 1; fields <= 7; fields += 6) {
        lsx_topics *t = NULL;
        if (lsx__topics_new(&t) == LSX_OK && lsx__topics_parse(t, text, size, "fuzz", fields) == LSX_OK) {
            for (size_t i = 0; i < lsx_topics_count(t); i++)
                if (!lsx_topics_qid(t, i) || !lsx_topics_text(t, i))
                    abort();
        }
        lsx_topics_free(t);
    }
#endif
    free(text);
    return 0;
}

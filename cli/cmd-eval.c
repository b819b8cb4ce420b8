/*
 * cmd-eval.c - `search eval`: evaluate runs against relevance judgments,
 * a drop-in replacement for NIST trec_eval, and compare two runs.
 *
 *   search eval [OPTION]... QRELS RUN               (trec_eval's order)
 *   search eval [OPTION]... --qrels QRELS --run RUN
 *   search eval [OPTION]... --qrels QRELS --compare RUN_A RUN_B
 *
 * No index is needed.  The evaluation itself is libsearch's (lsx_evaluate);
 * this file parses the command line, loads the files and prints.  A mode
 * that builds the run in memory (searching topics against the index) only
 * has to fill an lsx_run and call eval_print_run() below.
 */
#include "common.h"

#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MEASURES 256

typedef struct eval_cli {
    lsx_eval_options opts;
    const char *measures[MAX_MEASURES];
    unsigned flags;             /* LSX_EVAL_PER_QUERY, LSX_EVAL_NO_SUMMARY */
    lsx_eval_format format;
    const char *qrels, *run, *compare[2];
    lsx_compare_options cmp;
} eval_cli;

static const char usage[] =
    "Usage: search eval [OPTION]... QRELS RUN\n"
    "  or:  search eval [OPTION]... --qrels QRELS --run RUN\n"
    "  or:  search eval [OPTION]... --qrels QRELS --compare RUN_A RUN_B\n"
    "Evaluate a ranking (a TREC run file) against relevance judgments (a TREC\n"
    "qrels file) with the measures and semantics of NIST trec_eval 10.0, and\n"
    "print them in its layout.  No index is needed.  RUN may be '-' (stdin).\n"
    "\n"
    "  -q                  also print each topic's values (before the summary 'all')\n"
    "  -c                  average over every judged topic; a judged topic missing\n"
    "                      from the run scores 0 (without -c it is an error)\n"
    "  -M N                evaluate only the top N documents of each topic\n"
    "  -l N                lowest relevance value counted as relevant (default 1)\n"
    "  -J                  evaluate only the judged documents (drop the others)\n"
    "  -N N                collection size, for the 'utility' measure\n"
    "  -n                  no summary (only with -q)\n"
    "  -m MEASURE          a measure, a measure with parameters, or a set; repeat\n"
    "                      for more.  Default 'official'.  Sets: official, all_trec,\n"
    "                      set.  Examples: map, P.5,10, ndcg_cut.10, recall.1000,\n"
    "                      ndcg.1=3,2=9 (custom gains).  As in trec_eval, the first\n"
    "                      -m with parameters for a measure wins (-m P.5,10, not\n"
    "                      -m P.5 -m P.10), and measures print in trec_eval's order.\n"
    "      --qrels FILE    the judgments: 'qid iter docno rel' lines\n"
    "      --run FILE      the run: 'qid Q0 docno rank score tag' lines; ranked by\n"
    "                      score (ties by docno, descending), not by the rank column\n"
    "      --compare A B   compare run B with run A, per measure: means, mean\n"
    "                      difference, paired t-test and paired randomization test\n"
    "                      p-values (two-sided), wins/ties/losses over topics\n"
    "      --permutations N  randomization test rounds (default 10000)\n"
    "      --seed N        its random seed (default 1)\n"
    "      --json          print JSON instead of text\n"
    "  -h, --help          show this help and exit\n"
    "\n"
    "Measures: num_q num_ret num_rel num_rel_ret map gm_map Rprec bpref recip_rank\n"
    "iprec_at_recall P relstring recall infAP gm_bpref Rprec_mult utility 11pt_avg\n"
    "binG G dcg ideal_dcg ndcg ndcg_rel Rndcg ndcg_cut map_cut relative_P success\n"
    "set_P set_relative_P set_recall set_map set_F num_nonrel_judged_ret unj runid.\n"
    "\n"
    "Exit status: 0 success; 2 bad usage or input that trec_eval also refuses (a\n"
    "malformed line, a document twice in a topic, a judged topic missing from the\n"
    "run without -c, an unknown measure).\n";

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fputs("search: eval: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fputs("Try 'search eval --help' for more information.\n", stderr);
    return CLI_EXIT_USAGE;
}

/* A whole number in [min, max]. */
static bool parse_num(const char *s, long long min, long long max, long long *out)
{
    if (!s || !*s)
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return false;
    *out = v;
    return true;
}

/* Parse the command line; returns -1 to go on, else an exit status. */
static int parse_args(eval_cli *c, int argc, char **argv)
{
    size_t nm = 0, npos = 0;
    const char *pos[2];
    bool only_pos = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_pos || a[0] != '-' || a[1] == '\0') {
            if (npos == 2)
                return usage_error("unexpected argument '%s'", a);
            pos[npos++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_pos = true;
            continue;
        }
        if (a[1] == '-') {
            /* long options, "--name VALUE" or "--name=VALUE" */
            const char *eq = strchr(a, '=');
            size_t len = eq ? (size_t)(eq - a) : strlen(a);
            const char *val = eq ? eq + 1 : NULL;
#define IS(name) (len == strlen(name) && strncmp(a, name, len) == 0)
#define VALUE() (val ? val : i + 1 < argc ? argv[++i] : NULL)
            if (IS("--help")) {
                fputs(usage, stdout);
                return CLI_EXIT_OK;
            } else if (IS("--json")) {
                c->format = LSX_EVAL_JSON;
            } else if (IS("--qrels")) {
                if (!(c->qrels = VALUE()))
                    return usage_error("%s needs a file name", "--qrels");
            } else if (IS("--run")) {
                if (c->run)
                    return usage_error("%s given twice (use --compare A B for two runs)", "--run");
                if (!(c->run = VALUE()))
                    return usage_error("%s needs a file name", "--run");
            } else if (IS("--compare")) {
                if (val || i + 2 >= argc)
                    return usage_error("%s needs two run files: --compare RUN_A RUN_B", "--compare");
                c->compare[0] = argv[++i];
                c->compare[1] = argv[++i];
            } else if (IS("--permutations") || IS("--seed")) {
                bool perm = IS("--permutations");
                const char *v = VALUE();
                long long n;
                if (!parse_num(v, perm ? 1 : 0, perm ? 100000000LL : LLONG_MAX, &n))
                    return usage_error(perm ? "--permutations: '%s' is not a whole number from 1 "
                                              "to 100000000"
                                            : "--seed: '%s' is not a whole number",
                                       v ? v : "");
                if (perm)
                    c->cmp.permutations = (unsigned)n;
                else
                    c->cmp.seed = (uint64_t)n;
            } else {
                return usage_error("unrecognized option '%s'", a);
            }
#undef IS
#undef VALUE
            continue;
        }
        /* short options, bundled like getopt: -qc, -M100, -m map */
        for (const char *p = a + 1; *p; p++) {
            char o = *p;
            if (o == 'q') {
                c->flags |= LSX_EVAL_PER_QUERY;
            } else if (o == 'c') {
                c->opts.complete = 1;
            } else if (o == 'J') {
                c->opts.judged_only = 1;
            } else if (o == 'n') {
                c->flags |= LSX_EVAL_NO_SUMMARY;
            } else if (o == 'h') {
                fputs(usage, stdout);
                return CLI_EXIT_OK;
            } else if (o == 'M' || o == 'l' || o == 'N' || o == 'm') {
                const char *v = p[1] ? p + 1 : i + 1 < argc ? argv[++i] : NULL;
                char opt[3] = { '-', o, '\0' };
                if (!v)
                    return usage_error("option %s needs a value", opt);
                long long n;
                if (o == 'm') {
                    if (nm == MAX_MEASURES)
                        return usage_error("too many -m options (at most %d)", MAX_MEASURES);
                    c->measures[nm++] = v;
                } else if (o == 'M') {
                    if (!parse_num(v, 1, LLONG_MAX, &n))
                        return usage_error("-M: '%s' is not a whole number of at least 1", v);
                    c->opts.max_retrieved = (size_t)n;
                } else if (o == 'l') {
                    if (!parse_num(v, LONG_MIN, LONG_MAX, &n))
                        return usage_error("-l: '%s' is not a whole number", v);
                    c->opts.relevance_level = (long)n;
                } else {
                    if (!parse_num(v, 0, LONG_MAX, &n))
                        return usage_error("-N: '%s' is not a whole number", v);
                    c->opts.num_docs = (long)n;
                }
                break;  /* the rest of this argument was the value */
            } else {
                char opt[3] = { '-', o, '\0' };
                return usage_error("unrecognized option '%s'", opt);
            }
        }
    }
    c->opts.measures = nm ? c->measures : NULL;
    c->opts.nmeasures = nm;

    /* QRELS RUN, as trec_eval takes them */
    if (npos == 2) {
        if (c->qrels || c->run || c->compare[0])
            return usage_error("give the files either as QRELS RUN or with --qrels and --run");
        c->qrels = pos[0];
        c->run = pos[1];
    } else if (npos == 1) {
        if (c->qrels)
            return usage_error("unexpected argument '%s'", pos[0]);
        c->qrels = pos[0];
    }
    if (!c->qrels)
        return usage_error("no qrels file (give QRELS RUN, or --qrels FILE)");
    if (c->run && c->compare[0])
        return usage_error("give either --run or --compare");
    if (!c->run && !c->compare[0])
        return usage_error("no run file (give QRELS RUN, --run FILE or --compare A B)");
    if ((c->flags & LSX_EVAL_NO_SUMMARY) && !(c->flags & LSX_EVAL_PER_QUERY) && !c->compare[0])
        return usage_error("-n without -q would print nothing");
    return -1;
}

static int load_run(const char *path, lsx_run **out)
{
    int rc = lsx_run_load(out, path);
    if (rc != LSX_OK) {
        cli_error("search", "eval: %s", lsx_run_errmsg(*out));
        lsx_run_free(*out);
        *out = NULL;
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

/* Evaluate; on failure print the reason and return NULL. */
static lsx_eval *evaluate(const eval_cli *c, lsx_qrels *qrels, lsx_run *run)
{
    lsx_eval *e;
    if (lsx_evaluate(qrels, run, &c->opts, &e) != LSX_OK) {
        cli_error("search", "eval: %s", lsx_eval_errmsg(e));
        lsx_eval_free(e);
        return NULL;
    }
    return e;
}

/*
 * Evaluate `run` against `qrels` and print the result as the options say.
 * The entry point for any mode that produces a run (from a file, or built
 * in memory from topics searched against the index).
 */
static int eval_print_run(const eval_cli *c, lsx_qrels *qrels, lsx_run *run)
{
    lsx_eval *e = evaluate(c, qrels, run);
    if (!e)
        return CLI_EXIT_USAGE;
    int rc = lsx_eval_write(e, stdout, c->format, c->flags);
    if (rc != LSX_OK)
        cli_error("search", "eval: %s", lsx_eval_errmsg(e));
    lsx_eval_free(e);
    return rc == LSX_OK ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}

static int eval_compare(const eval_cli *c, lsx_qrels *qrels, lsx_run *a, lsx_run *b)
{
    lsx_eval *ea = evaluate(c, qrels, a);
    lsx_eval *eb = ea ? evaluate(c, qrels, b) : NULL;
    int status = CLI_EXIT_USAGE;
    if (ea && eb) {
        lsx_compare *cmp;
        if (lsx_eval_compare(ea, eb, &c->cmp, &cmp) != LSX_OK) {
            cli_error("search", "eval: --compare: %s", lsx_compare_errmsg(cmp));
        } else if (lsx_compare_write(cmp, stdout, c->format) != LSX_OK) {
            cli_error("search", "eval: %s", lsx_compare_errmsg(cmp));
        } else {
            status = CLI_EXIT_OK;
        }
        lsx_compare_free(cmp);
    }
    lsx_eval_free(ea);
    lsx_eval_free(eb);
    return status;
}

int cli_cmd_eval(int argc, char **argv)
{
    static eval_cli zero;
    eval_cli c = zero;
    lsx_eval_options_init(&c.opts);
    c.format = LSX_EVAL_TEXT;
    c.cmp = (lsx_compare_options)LSX_COMPARE_OPTIONS_INIT;
    int status = parse_args(&c, argc, argv);
    if (status >= 0)
        return status;

    lsx_qrels *qrels;
    if (lsx_qrels_load(&qrels, c.qrels) != LSX_OK) {
        cli_error("search", "eval: %s", lsx_qrels_errmsg(qrels));
        lsx_qrels_free(qrels);
        return CLI_EXIT_USAGE;
    }
    lsx_run *run = NULL, *other = NULL;
    if (c.compare[0]) {
        if (strcmp(c.compare[0], "-") == 0 && strcmp(c.compare[1], "-") == 0)
            status = usage_error("--compare: only one run can be read from stdin");
        else if ((status = load_run(c.compare[0], &run)) == CLI_EXIT_OK &&
                 (status = load_run(c.compare[1], &other)) == CLI_EXIT_OK)
            status = eval_compare(&c, qrels, run, other);
    } else if ((status = load_run(c.run, &run)) == CLI_EXIT_OK) {
        status = eval_print_run(&c, qrels, run);
    }
    lsx_run_free(run);
    lsx_run_free(other);
    lsx_qrels_free(qrels);
    return status;
}

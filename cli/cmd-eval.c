/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd-eval.c - `search eval`: evaluate runs against relevance judgments,
 * a drop-in replacement for NIST trec_eval, compare two runs, and make runs
 * by searching topics against the index.
 *
 *   search eval [OPTION]... QRELS RUN               (trec_eval's order)
 *   search eval [OPTION]... --qrels QRELS --run RUN
 *   search eval [OPTION]... --qrels QRELS --compare RUN_A RUN_B
 *   search eval [OPTION]... --topics T --qrels QRELS [--run-out FILE]
 *   search eval [OPTION]... --topics T --qrels QRELS --sweep k1=A:B:S [--sweep b=A:B:S]
 *
 * The evaluation itself is libsearch's (lsx_evaluate); this file parses the
 * command line, loads the files, runs the topics and prints.  Topics are
 * searched as plain words (lsx_query_parse_words) by worker threads, each
 * with its own database handle, taking topics from a shared counter and
 * storing each topic's ranking in that topic's slot, so the run does not
 * depend on the number of threads.
 */
#include "search.h"
#include "term.h"

#include <getopt.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_MEASURES 256
#define MAX_THREADS 64
#define MAX_DEPTH 1000000u
#define MAX_SWEEP_VALUES 1000
#define DEFAULT_DEPTH 1000u
#define DEFAULT_THREADS 2u

/* One --sweep axis: a BM25 parameter and its values. */
typedef struct sweep_axis {
    const char *name;           /* "k1" or "b" (static) */
    size_t n;
    double v[MAX_SWEEP_VALUES];
} sweep_axis;

typedef struct eval_cli {
    lsx_eval_options opts;
    const char *measures[MAX_MEASURES];
    unsigned flags;             /* LSX_EVAL_PER_QUERY, LSX_EVAL_NO_SUMMARY */
    lsx_eval_format format;
    const char *qrels, *run, *compare[2];
    lsx_compare_options cmp;
    /* running topics */
    const char *topics, *run_out, *db, *query_opt;   /* query_opt: the first query option seen */
    unsigned fields;            /* LSX_TOPIC_* (0: title) */
    unsigned depth, threads;
    lsx_search_options so;      /* k1, b, prf_* */
    bool k1_set, b_set, prf_set;
    sweep_axis *axes[2];
    size_t naxes;
} eval_cli;

static const char usage[] =
    "Usage: search eval [OPTION]... QRELS RUN\n"
    "  or:  search eval [OPTION]... --qrels QRELS --run RUN\n"
    "  or:  search eval [OPTION]... --qrels QRELS --compare RUN_A RUN_B\n"
    "  or:  search eval [OPTION]... --topics TOPICS --qrels QRELS [--run-out FILE]\n"
    "  or:  search eval [OPTION]... --topics TOPICS --qrels QRELS --sweep P=A:B:S...\n"
    "Evaluate a ranking (a TREC run file) against relevance judgments (a TREC\n"
    "qrels file) with the measures and semantics of NIST trec_eval 10.0, and\n"
    "print them in its layout.  No index is needed.  RUN may be '-' (stdin).\n"
    "With --topics, search the index for every topic first and evaluate that\n"
    "run; with --sweep, do so for every BM25 setting of a grid.\n"
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
    "Running topics against the index:\n"
    "      --topics FILE   the topics: 'qid<TAB>text' lines, or a TREC topic file;\n"
    "                      each topic's words are searched joined by OR, never as\n"
    "                      query syntax (quotes, AND, title: are plain text)\n"
    "      --topic-field F  TREC topic fields to use: title (default), desc, narr,\n"
    "                      a combination (title+desc) or all\n"
    "      --db DIR        the database (default: $SEARCH_DB, else ./search.db)\n"
    "      --depth N       retrieve N documents per topic (default 1000)\n"
    "      --run-out FILE  also write the run, in TREC format with ranks from 1\n"
    "                      and a tag naming the settings (lsx-k1=1.6-b=0.75);\n"
    "                      without --qrels only the run is made\n"
    "      --threads N     search with N threads (default 2); the run is the same\n"
    "                      for any N\n"
    "      --k1 X          BM25 term frequency saturation (default %g)\n"
    "      --b Y           BM25 length normalisation, 0 to 1 (default %g)\n"
    "      --prf D:T[:W]   pseudo-relevance feedback: add the best T terms of the\n"
    "                      top D documents at W times their weight (default %g)\n"
    "      --sweep P=A:B:S  grid search: P (k1 or b) from A to B in steps of S\n"
    "                      (both ends included); give one or two.  Prints one row\n"
    "                      per setting with the measures' summary values, then the\n"
    "                      best setting by the first -m (default -m map)\n"
    "      --measure M     the same as -m M\n"
    "\n"
    "Measures: num_q num_ret num_rel num_rel_ret map gm_map Rprec bpref recip_rank\n"
    "iprec_at_recall P relstring recall infAP gm_bpref Rprec_mult utility 11pt_avg\n"
    "binG G dcg ideal_dcg ndcg ndcg_rel Rndcg ndcg_cut map_cut relative_P success\n"
    "set_P set_relative_P set_recall set_map set_F num_nonrel_judged_ret unj runid.\n"
    "\n"
    "Exit status: 0 success; 2 bad usage or input that trec_eval also refuses (a\n"
    "malformed line, a document twice in a topic, a judged topic missing from the\n"
    "run without -c, an unknown measure); 3 the index could not be opened or read.\n";

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The BM25 and feedback defaults shown are the library's, asked at run time. */
static void print_usage(void)
{
    lsx_search_options d;
    lsx_search_options_init(&d, LSX_SEARCH_OPTIONS_VERSION);
    printf(usage, d.k1, d.b, d.prf_weight);
}
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

/* A real number in [lo, hi], the whole string. */
static bool parse_real(const char *s, double lo, double hi, double *out)
{
    if (!s || !*s)
        return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(v) || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* Round away the binary noise of start + i * step (0.30000000000000004 -> 0.3). */
static double grid_value(double start, double step, size_t i)
{
    double v = start + (double)i * step;
    double r = round(v * 1e9) / 1e9;
    return fabs(r - v) < 1e-9 ? r : v;
}

/* --sweep NAME=START:END:STEP (or NAME=VALUE); prints the error itself. */
static int parse_sweep(eval_cli *c, const char *arg)
{
    if (!arg)
        return usage_error("--sweep needs a value, e.g. --sweep k1=0.4:2.0:0.1");
    if (c->naxes == 2)
        return usage_error("--sweep '%s': at most two --sweep axes", arg);
    const char *eq = strchr(arg, '=');
    size_t nl = eq ? (size_t)(eq - arg) : 0;
    const char *name = nl == 2 && strncmp(arg, "k1", 2) == 0 ? "k1"
                       : nl == 1 && arg[0] == 'b'            ? "b"
                                                             : NULL;
    if (!eq || !name)
        return usage_error("--sweep '%s': expected k1=START:END:STEP or b=START:END:STEP", arg);
    for (size_t i = 0; i < c->naxes; i++)
        if (strcmp(c->axes[i]->name, name) == 0)
            return usage_error("--sweep '%s': %s is swept twice", arg, name);
    double hi = strcmp(name, "b") == 0 ? 1 : 1000;
    char buf[128];
    if (strlen(eq + 1) >= sizeof buf)
        return usage_error("--sweep '%.40s...': too long", arg);
    strcpy(buf, eq + 1);
    char *part[3] = { buf, NULL, NULL };
    size_t np = 1;
    for (char *p = buf; *p; p++)
        if (*p == ':') {
            if (np == 3)
                return usage_error("--sweep '%s': expected %s=START:END:STEP", arg, name);
            *p = '\0';
            part[np++] = p + 1;
        }
    double v[3];
    for (size_t i = 0; i < np; i++)
        if (!parse_real(part[i], -INFINITY, INFINITY, &v[i]))
            return usage_error("--sweep '%s': '%s' is not a number", arg, part[i]);
    if (np == 2)
        return usage_error("--sweep '%s': expected %s=START:END:STEP (the step is missing)", arg, name);
    for (size_t i = 0; i < np && i < 2; i++)
        if (v[i] < 0 || v[i] > hi)
            return usage_error("--sweep '%s': %s must be from 0 to %g", arg, name, hi);
    size_t n = 1;
    if (np == 3) {
        if (!(v[2] > 0))
            return usage_error("--sweep '%s': the step must be above 0", arg);
        if (v[1] < v[0])
            return usage_error("--sweep '%s': END %g is below START %g", arg, v[1], v[0]);
        double steps = (v[1] - v[0]) / v[2];
        if (steps + 1 > MAX_SWEEP_VALUES)
            return usage_error("--sweep '%s': more than %d values", arg, MAX_SWEEP_VALUES);
        n = (size_t)floor(steps + 1e-9) + 1;   /* END included despite rounding */
    }
    sweep_axis *ax = calloc(1, sizeof *ax);
    if (!ax) {
        cli_error("search", "eval: out of memory");
        return CLI_EXIT_INDEX;
    }
    ax->name = name;
    ax->n = n;
    for (size_t i = 0; i < n; i++)
        ax->v[i] = np == 3 ? grid_value(v[0], v[2], i) : v[0];
    if (np == 3 && ax->v[n - 1] > v[1])
        ax->v[n - 1] = v[1];
    c->axes[c->naxes++] = ax;
    return -1;
}

/* Parse the command line; returns -1 to go on, else an exit status.
 * getopt_long, like every command: short options bundle (-qc, -M100),
 * long ones may be abbreviated (--perm) and take --name=VALUE. */
static int parse_args(eval_cli *c, int argc, char **argv)
{
    enum { OPT_JSON = 256, OPT_QRELS, OPT_RUN, OPT_COMPARE, OPT_PERMUTATIONS, OPT_SEED, OPT_MEASURE,
           OPT_TOPICS, OPT_TOPIC_FIELD, OPT_RUN_OUT, OPT_DB, OPT_DEPTH, OPT_THREADS, OPT_K1, OPT_B,
           OPT_PRF, OPT_SWEEP, OPT_HELP };
    static const struct option longopts[] = {
        { "help", no_argument, NULL, OPT_HELP },
        { "json", no_argument, NULL, OPT_JSON },
        { "qrels", required_argument, NULL, OPT_QRELS },
        { "run", required_argument, NULL, OPT_RUN },
        { "compare", required_argument, NULL, OPT_COMPARE },
        { "permutations", required_argument, NULL, OPT_PERMUTATIONS },
        { "seed", required_argument, NULL, OPT_SEED },
        { "measure", required_argument, NULL, OPT_MEASURE },
        { "topics", required_argument, NULL, OPT_TOPICS },
        { "topic-field", required_argument, NULL, OPT_TOPIC_FIELD },
        { "run-out", required_argument, NULL, OPT_RUN_OUT },
        { "db", required_argument, NULL, OPT_DB },
        { "depth", required_argument, NULL, OPT_DEPTH },
        { "threads", required_argument, NULL, OPT_THREADS },
        { "k1", required_argument, NULL, OPT_K1 },
        { "b", required_argument, NULL, OPT_B },
        { "prf", required_argument, NULL, OPT_PRF },
        { "sweep", required_argument, NULL, OPT_SWEEP },
        { NULL, 0, NULL, 0 }
    };
    size_t nm = 0, npos = 0;
    const char *pos[2];
    int opt;
    long long n;
    opterr = 0;     /* our own messages, in the usual form */
    optind = 1;
    while ((opt = getopt_long(argc, argv, ":qcJnhM:l:N:m:", longopts, NULL)) != -1) {
        const char *v = optarg;
        switch (opt) {
        case 'h':
        case OPT_HELP:
            print_usage();
            return CLI_EXIT_OK;
        case 'q': c->flags |= LSX_EVAL_PER_QUERY; break;
        case 'c': c->opts.complete = 1; break;
        case 'J': c->opts.judged_only = 1; break;
        case 'n': c->flags |= LSX_EVAL_NO_SUMMARY; break;
        case 'm':
        case OPT_MEASURE:
            if (nm == MAX_MEASURES)
                return usage_error("too many -m options (at most %d)", MAX_MEASURES);
            c->measures[nm++] = v;
            break;
        case 'M':
            if (!parse_num(v, 1, LLONG_MAX, &n))
                return usage_error("-M: '%s' is not a whole number of at least 1", v);
            c->opts.max_retrieved = (size_t)n;
            break;
        case 'l':
            if (!parse_num(v, LONG_MIN, LONG_MAX, &n))
                return usage_error("-l: '%s' is not a whole number", v);
            c->opts.relevance_level = (long)n;
            break;
        case 'N':
            if (!parse_num(v, 0, LONG_MAX, &n))
                return usage_error("-N: '%s' is not a whole number", v);
            c->opts.num_docs = (long)n;
            break;
        case OPT_JSON: c->format = LSX_EVAL_JSON; break;
        case OPT_QRELS: c->qrels = v; break;
        case OPT_RUN:
            if (c->run)
                return usage_error("%s given twice (use --compare A B for two runs)", "--run");
            c->run = v;
            break;
        case OPT_COMPARE:
            /* two values: the option's own and the next argument */
            if (optind >= argc)
                return usage_error("%s needs two run files: --compare RUN_A RUN_B", "--compare");
            c->compare[0] = v;
            c->compare[1] = argv[optind++];
            break;
        case OPT_PERMUTATIONS:
            if (!parse_num(v, 1, 100000000LL, &n))
                return usage_error("--permutations: '%s' is not a whole number from 1 to 100000000", v);
            c->cmp.permutations = (unsigned)n;
            break;
        case OPT_SEED:
            if (!parse_num(v, 0, LLONG_MAX, &n))
                return usage_error("--seed: '%s' is not a whole number", v);
            c->cmp.seed = (uint64_t)n;
            break;
        case OPT_TOPICS: c->topics = v; break;
        case OPT_TOPIC_FIELD:
            if (lsx_topic_fields_parse(v, &c->fields) != LSX_OK)
                return usage_error("--topic-field: '%s' is not title, desc, narr, a combination "
                                   "such as title+desc, or all", v);
            c->query_opt = c->query_opt ? c->query_opt : "--topic-field";
            break;
        case OPT_RUN_OUT:
            c->run_out = v;
            c->query_opt = c->query_opt ? c->query_opt : "--run-out";
            break;
        case OPT_DB:
            c->db = v;
            c->query_opt = c->query_opt ? c->query_opt : "--db";
            break;
        case OPT_DEPTH:
        case OPT_THREADS: {
            bool depth = opt == OPT_DEPTH;
            if (!parse_num(v, 1, depth ? MAX_DEPTH : MAX_THREADS, &n))
                return usage_error("%s: '%s' is not a whole number from 1 to %u", depth ? "--depth" : "--threads",
                                   v, depth ? MAX_DEPTH : MAX_THREADS);
            *(depth ? &c->depth : &c->threads) = (unsigned)n;
            c->query_opt = c->query_opt ? c->query_opt : depth ? "--depth" : "--threads";
            break;
        }
        case OPT_K1:
        case OPT_B: {
            bool k1 = opt == OPT_K1;
            if (!parse_real(v, 0, k1 ? 1000 : 1, k1 ? &c->so.k1 : &c->so.b))
                return usage_error("%s: '%s' is not a number from 0 to %d", k1 ? "--k1" : "--b", v, k1 ? 1000 : 1);
            *(k1 ? &c->k1_set : &c->b_set) = true;
            c->query_opt = c->query_opt ? c->query_opt : k1 ? "--k1" : "--b";
            break;
        }
        case OPT_PRF:
            if (!cli_parse_prf(v, &c->so))
                return usage_error("--prf: '%s' is not DOCS:TERMS[:WEIGHT] (documents and terms "
                                   "from 1 to 1000, weight above 0 and at most 100)", v);
            c->prf_set = true;
            c->query_opt = c->query_opt ? c->query_opt : "--prf";
            break;
        case OPT_SWEEP: {
            int st = parse_sweep(c, v);
            if (st >= 0)
                return st;
            c->query_opt = c->query_opt ? c->query_opt : "--sweep";
            break;
        }
        case ':': {
            const char *a = argv[optind - 1];
            if (optopt && optopt < 256)
                return usage_error("option -%c needs a value", optopt);
            if (optopt == OPT_COMPARE)
                return usage_error("%s needs two run files: --compare RUN_A RUN_B", "--compare");
            return usage_error("option '%s' needs a value", a);
        }
        default: {
            const char *a = argv[optind - 1];
            if (optopt && optopt < 256 && a[0] == '-' && a[1] != '-')
                return usage_error("unrecognized option '-%c'", optopt);
            size_t len = strcspn(a, "="), matches = 0;
            for (const struct option *o = longopts; a[0] == '-' && a[1] == '-' && o->name; o++)
                matches += len > 2 && strncmp(o->name, a + 2, len - 2) == 0;
            return usage_error(matches > 1 ? "ambiguous option '%.*s'" : "unrecognized option '%.*s'", (int)len, a);
        }
        }
    }
    for (int i = optind; i < argc; i++) {
        if (npos == 2)
            return usage_error("unexpected argument '%s'", argv[i]);
        pos[npos++] = argv[i];
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
    if (c->topics) {
        if (c->run || c->compare[0])
            return usage_error("give either --topics (to make the run) or a run file");
        if (!c->qrels && !c->run_out)
            return usage_error("--topics needs --qrels QRELS to evaluate, or --run-out FILE");
        if (c->naxes > 0) {
            if (!c->qrels)
                return usage_error("--sweep needs --qrels QRELS");
            if (c->run_out)
                return usage_error("--sweep makes many runs: it cannot be used with --run-out");
            if (c->flags & (LSX_EVAL_PER_QUERY | LSX_EVAL_NO_SUMMARY))
                return usage_error("--sweep prints summary values only: it cannot be used with -q or -n");
            for (size_t i = 0; i < c->naxes; i++)
                if ((strcmp(c->axes[i]->name, "k1") == 0 && c->k1_set) ||
                    (strcmp(c->axes[i]->name, "b") == 0 && c->b_set))
                    return usage_error("--%s and --sweep %s=... both given", c->axes[i]->name,
                                       c->axes[i]->name);
            if (nm == 0) {
                static const char *const map[] = { "map" };
                c->opts.measures = map;
                c->opts.nmeasures = 1;
            }
        }
        if ((c->flags & LSX_EVAL_NO_SUMMARY) && !(c->flags & LSX_EVAL_PER_QUERY) && c->qrels)
            return usage_error("-n without -q would print nothing");
        return -1;
    }
    if (c->query_opt)
        return usage_error("%s is for running topics: it needs --topics FILE", c->query_opt);
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
 * The library's writers (results, comparisons, runs) print to a FILE.  Run
 * tags and topic ids come from input files, so on a terminal what they
 * write is gathered in memory and printed through the sanitiser (term.h);
 * to a file or a pipe it goes out byte for byte, as trec_eval's would.
 */
typedef struct tty_out {
    FILE *mem;
    char *buf;
    size_t len;
} tty_out;

static FILE *tty_begin(tty_out *t, FILE *f)
{
    *t = (tty_out){ NULL, NULL, 0 };
    if (isatty(fileno(f)))
        t->mem = open_memstream(&t->buf, &t->len);
    return t->mem ? t->mem : f;
}

static int tty_end(tty_out *t, FILE *f)
{
    if (!t->mem)
        return 0;
    int rc = fclose(t->mem);
    if (rc == 0)
        term_write(f, t->buf, t->len, TERM_MULTILINE);
    free(t->buf);
    return rc;
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
    tty_out t;
    int rc = lsx_eval_write(e, tty_begin(&t, stdout), c->format, c->flags);
    if (tty_end(&t, stdout) != 0 && rc == LSX_OK)
        rc = LSX_ENOMEM;
    if (rc != LSX_OK)
        cli_error("search", "eval: %s", rc == LSX_ENOMEM ? "out of memory" : lsx_eval_errmsg(e));
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
        } else {
            tty_out t;
            int rc = lsx_compare_write(cmp, tty_begin(&t, stdout), c->format);
            if (tty_end(&t, stdout) != 0 && rc == LSX_OK)
                rc = LSX_ENOMEM;
            if (rc != LSX_OK)
                cli_error("search", "eval: %s", rc == LSX_ENOMEM ? "out of memory" : lsx_compare_errmsg(cmp));
            else
                status = CLI_EXIT_OK;
        }
        lsx_compare_free(cmp);
    }
    lsx_eval_free(ea);
    lsx_eval_free(eb);
    return status;
}

/* ---- running topics against the index -------------------------------------- */

/* The topics, copied out of the lsx_topics handle so that threads share only plain data. */
typedef struct topic_set {
    size_t n;
    char **qid, **text;
    bool *skip;                 /* no words: retrieves nothing */
} topic_set;

/* One topic's ranking, as lsx_search returned it. */
typedef struct ranking {
    char **ids;
    double *scores;
    size_t n;
} ranking;

typedef struct search_job {
    const topic_set *t;
    lsx_search_options so;
    atomic_size_t next;         /* the next topic to take */
    atomic_bool stop;           /* a worker failed */
    ranking *out;               /* one slot per topic */
} search_job;

typedef struct worker {
    lsx_db *db;
    search_job *job;
    int status;                 /* the first failure (LSX_OK if none) */
    char err[700];
} worker;

static void ranking_clear(ranking *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->ids[i]);
    free(r->ids);
    free(r->scores);
    memset(r, 0, sizeof *r);
}

static int worker_fail(worker *w, int status, const char *qid, const char *msg)
{
    w->status = status;
    snprintf(w->err, sizeof w->err, "topic %s: %s", qid, msg);
    atomic_store(&w->job->stop, true);
    return status;
}

/* Search topic i with the worker's database; the ranking goes to its slot. */
static int search_topic(worker *w, size_t i)
{
    search_job *j = w->job;
    const char *qid = j->t->qid[i];
    lsx_query *q = NULL;
    int rc = lsx_query_parse_words(&q, j->t->text[i]);
    if (rc != LSX_OK) {
        worker_fail(w, rc, qid, q ? lsx_query_errmsg(q) : lsx_status_str(rc));
        lsx_query_free(q);
        return rc;
    }
    lsx_results *res = NULL;
    rc = lsx_search(w->db, q, &j->so, &res);
    if (rc == LSX_EMODIFIED && lsx_db_reopen(w->db) == LSX_OK)
        rc = lsx_search(w->db, q, &j->so, &res);
    lsx_query_free(q);
    if (rc != LSX_OK) {
        lsx_results_free(res);
        return worker_fail(w, rc, qid, lsx_db_errmsg(w->db));
    }
    size_t n = lsx_results_count(res);
    ranking *r = &j->out[i];
    r->ids = calloc(n ? n : 1, sizeof *r->ids);
    r->scores = calloc(n ? n : 1, sizeof *r->scores);
    rc = r->ids && r->scores ? LSX_OK : LSX_ENOMEM;
    for (size_t k = 0; k < n && rc == LSX_OK; k++) {
        const lsx_hit *h = lsx_results_hit(res, k);
        if (!(r->ids[k] = strdup(h->id)))
            rc = LSX_ENOMEM;
        else
            r->scores[r->n++] = h->score;
    }
    lsx_results_free(res);
    return rc == LSX_OK ? LSX_OK : worker_fail(w, rc, qid, "out of memory");
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    search_job *j = w->job;
    while (!atomic_load(&j->stop)) {
        size_t i = atomic_fetch_add(&j->next, 1);
        if (i >= j->t->n)
            break;
        if (!j->t->skip[i] && search_topic(w, i) != LSX_OK)
            break;
    }
    return NULL;
}

/* The run's tag: the settings, e.g. "lsx-k1=1.6-b=0.75-prf=10:25:0.3". */
static void run_tag(const lsx_search_options *so, char *buf, size_t cap)
{
    int n = snprintf(buf, cap, "lsx-k1=%g-b=%g", so->k1, so->b);
    if (so->prf_docs > 0 && n > 0 && (size_t)n < cap)
        snprintf(buf + n, cap - (size_t)n, "-prf=%u:%u:%g", so->prf_docs, so->prf_terms, so->prf_weight);
}

/*
 * Search every topic with settings `so` using the workers (worker 0 in this
 * thread, the others in new threads; their databases are open) and build the
 * run.  On failure prints why and returns the exit status.
 */
static int make_run(worker *ws, size_t nw, const topic_set *t, const lsx_search_options *so,
                    lsx_run **out)
{
    *out = NULL;
    ranking *rk = calloc(t->n ? t->n : 1, sizeof *rk);
    if (!rk) {
        cli_error("search", "eval: out of memory");
        return CLI_EXIT_INDEX;
    }
    search_job job = { .t = t, .so = *so, .out = rk };
    atomic_init(&job.next, 0);
    atomic_init(&job.stop, false);
    pthread_t th[MAX_THREADS];
    size_t started = 0;
    for (size_t k = 0; k < nw; k++) {
        ws[k].job = &job;
        ws[k].status = LSX_OK;
        ws[k].err[0] = '\0';
    }
    /* If a thread cannot be started, the others take its share: same run. */
    for (size_t k = 1; k < nw; k++, started++)
        if (pthread_create(&th[k - 1], NULL, worker_main, &ws[k]) != 0)
            break;
    worker_main(&ws[0]);
    for (size_t k = 0; k < started; k++)
        pthread_join(th[k], NULL);

    int status = CLI_EXIT_OK;
    for (size_t k = 0; k < nw && status == CLI_EXIT_OK; k++)
        if (ws[k].status != LSX_OK) {
            cli_error("search", "eval: %s", ws[k].err);
            status = ws[k].status == LSX_ENOMEM ? CLI_EXIT_INDEX : cli_exit_for(ws[k].status);
        }
    char tag[160];
    run_tag(so, tag, sizeof tag);
    lsx_run *run = NULL;
    if (status == CLI_EXIT_OK && lsx_run_new(&run, tag) != LSX_OK) {
        cli_error("search", "eval: out of memory");
        status = CLI_EXIT_INDEX;
    }
    for (size_t i = 0; i < t->n && status == CLI_EXIT_OK; i++)
        for (size_t k = 0; k < rk[i].n; k++)
            if (lsx_run_add(run, t->qid[i], rk[i].ids[k], rk[i].scores[k]) != LSX_OK) {
                cli_error("search", "eval: topic %s: %s", t->qid[i], lsx_run_errmsg(run));
                status = CLI_EXIT_USAGE;
                break;
            }
    for (size_t i = 0; i < t->n; i++)
        ranking_clear(&rk[i]);
    free(rk);
    if (status != CLI_EXIT_OK) {
        lsx_run_free(run);
        return status;
    }
    *out = run;
    return CLI_EXIT_OK;
}

static void topic_set_free(topic_set *t)
{
    for (size_t i = 0; i < t->n; i++) {
        if (t->qid)
            free(t->qid[i]);
        if (t->text)
            free(t->text[i]);
    }
    free(t->qid);
    free(t->text);
    free(t->skip);
    memset(t, 0, sizeof *t);
}

/* Load the topics; warn about topics without words (they retrieve nothing). */
static int load_topics(const eval_cli *c, topic_set *t)
{
    lsx_topics *tp;
    if (lsx_topics_load(&tp, c->topics, c->fields) != LSX_OK) {
        cli_error("search", "eval: %s", lsx_topics_errmsg(tp));
        lsx_topics_free(tp);
        return CLI_EXIT_USAGE;
    }
    size_t n = lsx_topics_count(tp);
    t->qid = calloc(n ? n : 1, sizeof *t->qid);
    t->text = calloc(n ? n : 1, sizeof *t->text);
    t->skip = calloc(n ? n : 1, sizeof *t->skip);
    int status = t->qid && t->text && t->skip ? CLI_EXIT_OK : CLI_EXIT_INDEX;
    for (size_t i = 0; i < n && status == CLI_EXIT_OK; i++) {
        t->n = i + 1;
        t->qid[i] = strdup(lsx_topics_qid(tp, i));
        t->text[i] = strdup(lsx_topics_text(tp, i));
        if (!t->qid[i] || !t->text[i]) {
            status = CLI_EXIT_INDEX;
            break;
        }
        lsx_query *q = NULL;
        int rc = lsx_query_parse_words(&q, t->text[i]);
        if (rc == LSX_EQUERY) {
            t->skip[i] = true;
            cli_error("search", "eval: warning: topic %s has no words to search for; it retrieves "
                      "nothing", t->qid[i]);
        } else if (rc != LSX_OK) {
            status = CLI_EXIT_INDEX;
        }
        lsx_query_free(q);
    }
    if (status != CLI_EXIT_OK)
        cli_error("search", "eval: out of memory");
    else if (n == 0) {
        cli_error("search", "eval: %s: no topics", c->topics);
        status = CLI_EXIT_USAGE;
    }
    lsx_topics_free(tp);
    return status;
}

/* Write the run to --run-out ("-": standard output). */
static int write_run(const eval_cli *c, lsx_run *run)
{
    bool out = strcmp(c->run_out, "-") == 0;
    FILE *f = out ? stdout : fopen(c->run_out, "w");
    if (!f) {
        cli_error("search", "eval: --run-out %s: %s", c->run_out, strerror(errno));
        return CLI_EXIT_USAGE;
    }
    tty_out t;
    int rc = lsx_run_write(run, tty_begin(&t, f), NULL, c->depth);
    if (tty_end(&t, f) != 0 && rc == LSX_OK)
        rc = LSX_ENOMEM;
    if (out ? fflush(f) != 0 : fclose(f) != 0)
        rc = rc == LSX_OK ? LSX_EIO : rc;
    if (rc != LSX_OK) {
        cli_error("search", "eval: --run-out %s: cannot write: %s", c->run_out,
                  rc == LSX_EIO && errno ? strerror(errno) : lsx_run_errmsg(run));
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

/* The column the sweep optimises: the output name of the first -m ("P.5,10" -> "P_5"). */
static size_t primary_column(const eval_cli *c, char **cols, size_t ncols)
{
    const char *m = c->opts.nmeasures ? c->opts.measures[0] : "map";
    char want[128], bare[128];
    snprintf(want, sizeof want, "%s", m);
    char *dot = strchr(want, '.');
    if (dot) {
        *dot = '_';
        want[strcspn(want, ",")] = '\0';
    }
    snprintf(bare, sizeof bare, "%.*s", (int)strcspn(m, "."), m);
    for (size_t k = 0; k < ncols; k++)
        if (strcmp(cols[k], want) == 0)
            return k;
    size_t bl = strlen(bare);
    for (size_t k = 0; k < ncols; k++)
        if (strncmp(cols[k], bare, bl) == 0 && (cols[k][bl] == '\0' || cols[k][bl] == '_'))
            return k;
    for (size_t k = 0; k < ncols; k++)
        if (strcmp(cols[k], "map") == 0)
            return k;
    return 0;
}

static void print_value(const char *name, double v, bool json)
{
    if (json)
        printf("%.10g", v);
    else if (strncmp(name, "num_", 4) == 0)
        printf("%.0f", v);
    else
        printf("%.4f", v);
}

/* Print one setting: the swept parameters (JSON: with `all_params`, k1 and
 * b, and prf if used) and the measures' summary values. */
static void print_setting(const eval_cli *c, const lsx_search_options *so, char **cols,
                          const double *vals, size_t ncols, bool first, bool all_params)
{
    bool json = c->format == LSX_EVAL_JSON;
    if (json)
        fputs(first ? "\n  {" : ",\n  {", stdout);
    for (size_t a = 0; a < 2; a++) {
        const char *name = a == 0 ? "k1" : "b";
        bool swept = false;
        for (size_t i = 0; i < c->naxes; i++)
            swept |= strcmp(c->axes[i]->name, name) == 0;
        if (!swept && !all_params)
            continue;
        double v = a == 0 ? so->k1 : so->b;
        if (json)
            printf("\"%s\": %.10g, ", name, v);
        else
            printf("%g\t", v);
    }
    if (json && all_params && so->prf_docs > 0)
        printf("\"prf\": \"%u:%u:%g\", ", so->prf_docs, so->prf_terms, so->prf_weight);
    for (size_t k = 0; k < ncols; k++) {
        if (json) {
            cli_json_str(stdout, cols[k]);
            fputs(": ", stdout);
        }
        print_value(cols[k], vals[k], json);
        if (json)
            fputs(k + 1 < ncols ? ", " : "}", stdout);
        else
            putchar(k + 1 < ncols ? '\t' : '\n');
    }
    fflush(stdout);
}

/* The grid search: one run per setting, evaluated; rows as they come, then the best. */
static int eval_sweep(const eval_cli *c, lsx_qrels *qrels, worker *ws, size_t nw, const topic_set *t)
{
    const sweep_axis *ax0 = c->axes[0], *ax1 = c->naxes > 1 ? c->axes[1] : NULL;
    size_t n1 = ax1 ? ax1->n : 1, total = ax0->n * n1;
    bool json = c->format == LSX_EVAL_JSON;
    char **cols = NULL;
    double *vals = NULL, *best_vals = NULL;
    size_t ncols = 0, primary = 0;
    lsx_search_options best_so = c->so;
    int status = CLI_EXIT_OK;

    for (size_t s = 0; s < total && status == CLI_EXIT_OK; s++) {
        lsx_search_options so = c->so;
        double v0 = ax0->v[s / n1];
        *(strcmp(ax0->name, "k1") == 0 ? &so.k1 : &so.b) = v0;
        if (ax1)
            *(strcmp(ax1->name, "k1") == 0 ? &so.k1 : &so.b) = ax1->v[s % n1];
        lsx_run *run;
        if ((status = make_run(ws, nw, t, &so, &run)) != CLI_EXIT_OK)
            break;
        lsx_eval *e = evaluate(c, qrels, run);
        lsx_run_free(run);
        if (!e) {
            status = CLI_EXIT_USAGE;
            break;
        }
        if (s == 0) {
            /* the columns: every measure with a summary value */
            size_t nm = lsx_eval_measure_count(e);
            cols = calloc(nm ? nm : 1, sizeof *cols);
            vals = calloc(nm ? nm : 1, sizeof *vals);
            best_vals = calloc(nm ? nm : 1, sizeof *best_vals);
            for (size_t k = 0; cols && vals && best_vals && k < nm; k++) {
                double v;
                const char *name = lsx_eval_measure(e, k);
                if (lsx_eval_value(e, name, "all", &v) == LSX_OK && !(cols[ncols++] = strdup(name)))
                    ncols--, status = CLI_EXIT_INDEX;
            }
            if (!cols || !vals || !best_vals)
                status = CLI_EXIT_INDEX;
            if (status == CLI_EXIT_OK && ncols == 0) {
                cli_error("search", "eval: --sweep: the measures have no summary value to compare");
                status = CLI_EXIT_USAGE;
            } else if (status != CLI_EXIT_OK) {
                cli_error("search", "eval: out of memory");
            }
            if (status == CLI_EXIT_OK) {
                primary = primary_column(c, cols, ncols);
                if (json) {
                    fputs("{\"measure\": ", stdout);
                    cli_json_str(stdout, cols[primary]);
                    printf(", \"topics\": %zu, \"settings\": [", t->n);
                } else {
                    for (size_t i = 0; i < c->naxes; i++)
                        printf("%s\t", c->axes[i]->name);
                    for (size_t k = 0; k < ncols; k++)
                        printf("%s%c", cols[k], k + 1 < ncols ? '\t' : '\n');
                }
            }
        }
        for (size_t k = 0; k < ncols && status == CLI_EXIT_OK; k++)
            if (lsx_eval_value(e, cols[k], "all", &vals[k]) != LSX_OK)
                vals[k] = NAN;
        lsx_eval_free(e);
        if (status != CLI_EXIT_OK)
            break;
        print_setting(c, &so, cols, vals, ncols, s == 0, false);
        if (s == 0 || vals[primary] > best_vals[primary]) {
            best_so = so;
            memcpy(best_vals, vals, ncols * sizeof *vals);
        }
    }
    if (status == CLI_EXIT_OK) {
        if (json) {
            fputs("\n],\n\"best\": ", stdout);
            print_setting(c, &best_so, cols, best_vals, ncols, true, true);
            fputs("}\n", stdout);
        } else {
            printf("best: k1=%g b=%g %s=", best_so.k1, best_so.b, cols[primary]);
            print_value(cols[primary], best_vals[primary], false);
            if (best_so.prf_docs > 0)
                printf(" (prf %u:%u:%g)", best_so.prf_docs, best_so.prf_terms, best_so.prf_weight);
            putchar('\n');
        }
    }
    for (size_t k = 0; k < ncols; k++)
        free(cols[k]);
    free(cols);
    free(vals);
    free(best_vals);
    return status;
}

/* --topics: search the topics (with --sweep, for each setting) and evaluate. */
static int eval_topics(eval_cli *c)
{
    topic_set t = { 0, NULL, NULL, NULL };
    lsx_qrels *qrels = NULL;
    worker ws[MAX_THREADS];
    size_t nw = 0;
    lsx_run *run = NULL;
    int status = CLI_EXIT_OK;

    if (c->run_out && strcmp(c->run_out, "-") == 0 && c->qrels)
        return usage_error("--run-out - writes the run to standard output, where the measures go: "
                           "give a file name or leave out --qrels");
    if (c->qrels && lsx_qrels_load(&qrels, c->qrels) != LSX_OK) {
        cli_error("search", "eval: %s", lsx_qrels_errmsg(qrels));
        lsx_qrels_free(qrels);
        return CLI_EXIT_USAGE;
    }
    if ((status = load_topics(c, &t)) != CLI_EXIT_OK)
        goto out;
    const char *path = cli_db_path(c->db);
    size_t want = c->threads < t.n ? c->threads : t.n;
    for (; nw < want; nw++) {
        memset(&ws[nw], 0, sizeof ws[nw]);
        if ((status = cli_open_db("search", path, LSX_DB_READONLY, NULL, &ws[nw].db)) != CLI_EXIT_OK)
            goto out;
    }
    if (c->naxes > 0) {
        status = eval_sweep(c, qrels, ws, nw, &t);
        goto out;
    }
    if ((status = make_run(ws, nw, &t, &c->so, &run)) != CLI_EXIT_OK)
        goto out;
    if (c->run_out && (status = write_run(c, run)) != CLI_EXIT_OK)
        goto out;
    if (qrels)
        status = eval_print_run(c, qrels, run);
out:
    lsx_run_free(run);
    for (size_t k = 0; k < nw; k++)
        lsx_db_free(ws[k].db);
    topic_set_free(&t);
    lsx_qrels_free(qrels);
    return status;
}

/* The modes that read runs from files: QRELS RUN, --run, --compare. */
static int eval_files(const eval_cli *c)
{
    int status;
    lsx_qrels *qrels;
    if (lsx_qrels_load(&qrels, c->qrels) != LSX_OK) {
        cli_error("search", "eval: %s", lsx_qrels_errmsg(qrels));
        lsx_qrels_free(qrels);
        return CLI_EXIT_USAGE;
    }
    lsx_run *run = NULL, *other = NULL;
    if (c->compare[0]) {
        if (strcmp(c->compare[0], "-") == 0 && strcmp(c->compare[1], "-") == 0)
            status = usage_error("--compare: only one run can be read from stdin");
        else if ((status = load_run(c->compare[0], &run)) == CLI_EXIT_OK &&
                 (status = load_run(c->compare[1], &other)) == CLI_EXIT_OK)
            status = eval_compare(c, qrels, run, other);
    } else if ((status = load_run(c->run, &run)) == CLI_EXIT_OK) {
        status = eval_print_run(c, qrels, run);
    }
    lsx_run_free(run);
    lsx_run_free(other);
    lsx_qrels_free(qrels);
    return status;
}

int cli_cmd_eval(int argc, char **argv)
{
    static eval_cli zero;
    eval_cli c = zero;
    lsx_eval_options_init(&c.opts, LSX_EVAL_OPTIONS_VERSION);
    c.format = LSX_EVAL_TEXT;
    c.cmp = (lsx_compare_options)LSX_COMPARE_OPTIONS_INIT;
    lsx_search_options_init(&c.so, LSX_SEARCH_OPTIONS_VERSION);
    c.so.flags = LSX_SEARCH_IDS_ONLY;   /* a run needs only ids and scores */
    c.depth = DEFAULT_DEPTH;
    c.threads = DEFAULT_THREADS;
    int status = parse_args(&c, argc, argv);
    if (status < 0) {
        c.so.limit = c.depth;
        status = c.topics ? eval_topics(&c) : eval_files(&c);
    }
    for (size_t i = 0; i < c.naxes; i++)
        free(c.axes[i]);
    return status;
}

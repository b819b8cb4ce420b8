/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd-query.c - `search QUERY...` (the main command) and `search facets`.
 */
#include "search.h"
#include "term.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BOLD "\033[1m"
#define RESET "\033[0m"

#define MAX_LIMIT 1000000u
#define MAX_OFFSET 1000000000u

static const char *const default_facets[] = { "entity:10", "date:year" };

static void usage(FILE *out)
{
    /* The defaults printed are the library's, asked at run time. */
    lsx_search_options d;
    lsx_search_options_init(&d, LSX_SEARCH_OPTIONS_VERSION);
    fprintf(out, "Usage: search [OPTION]... QUERY...\n"
          "       search stats [--db DIR] [--json]\n"
          "       search get [--db DIR] [--json] ID\n"
          "       search delete [--db DIR] ID...\n"
          "       search facets [--db DIR]... [--json] [--facet SPEC]...\n"
          "       search like [OPTION]... ID [FILTER]...   (articles like article ID)\n"
          "       search eval [OPTION]...      (see 'search eval --help')\n"
          "\n"
          "Search the article database made by search-index.  The QUERY words are\n"
          "joined with spaces into one query; the best matches come first.\n"
          "\n"
          "Options:\n"
          "  --db DIR        the database (default: $SEARCH_DB, else ./search.db): a\n"
          "                  database, or a Xapian stub file (or a directory holding\n"
          "                  one named XAPIANDB) of 'auto PATH', 'remote HOST:PORT' and\n"
          "                  'remote :PROGRAM ARGS' lines; several --db are the shards\n"
          "                  of one database\n"
          "  --partial       when a shard fails or times out, answer with the others\n"
          "                  and name the missing ones on stderr (default: an error)\n"
          "  --timeout MS    wait at most MS milliseconds for a remote shard to connect\n"
          "                  and for each of its replies (default 10000)\n"
          "  --limit N       show at most N results (default 10)\n"
          "  --offset N      skip the first N results (default 0)\n"
          "  --json          print one JSON object per result, one for facets, and a\n"
          "                  last line {\"total\":N,\"total_exact\":true|false,...}\n"
          "  --filter QUERY  keep only documents that also match QUERY; scores are\n"
          "                  unchanged (may be repeated)\n"
          "  --facet SPEC    count values over all matches: entity:N, person:N, place:N,\n"
          "                  org:N (the N most frequent), date:year, date:month or\n"
          "                  date:day (may be repeated)\n"
          "  --k1 X          BM25 term frequency saturation (default %g)\n"
          "  --b Y           BM25 length normalisation, 0 to 1 (default %g)\n"
          "  --sort ORDER    relevance (best first), -date (newest first) or date\n"
          "                  (oldest first); equal dates by relevance.  Default:\n"
          "                  relevance, or newest first for a query of filters only\n"
          "  --recency D[:W] favour recent articles: add W (default %g) times\n"
          "                  0.5^(age / D) to each score, the age in days before the\n"
          "                  newest article in the database\n"
          "  --explain       print how the query was understood (terms, forms,\n"
          "                  aliases, filters, prefix expansions) before the results\n"
          "  --prf D:T[:W]   pseudo-relevance feedback: search again with the best T\n"
          "                  terms of the top D results added at W times their weight\n"
          "                  (D and T from 1 to 1000, W above 0 up to 100,\n"
          "                  default %g), e.g. --prf 10:25\n"
          "  -h, --help      show this help and exit\n"
          "  --version       show the versions of search, libsearch and Xapian and exit\n"
          "\n"
          "Query syntax:\n"
          "  word word             any of the words\n"
          "  \"a phrase\"            the words next to each other, in order\n"
          "  a AND b, a OR b, a NOT b, (...)   Boolean operators, in capitals\n"
          "  +word -word           the word is required / excluded\n"
          "  a NEAR b, a NEAR/5 b  both within 10 (or 5) words of each other\n"
          "  title:word            the word in the title (also title:\"a phrase\")\n"
          "  lang:CODE             documents in that language (en, vi, th, id, ms, tl,\n"
          "                        km, lo, my, zh and every code man search(1) lists)\n"
          "  entity:ID  person:ID  place:ID  org:ID   documents naming that entity\n"
          "  date:2022  date:2022-02  date:2022-02-16  date:2022-01..2022-03  date:2022..\n"
          "Case does not matter; a word without diacritics matches every spelling,\n"
          "a word with diacritics only its own (ma finds mã, mã does not find ma).\n"
          "  word*                 words starting so (asea*, title:asea*; at most\n"
          "                        " XSTR(LSX_QUERY_MAX_EXPANSION) " index terms)\n"
          "Filters among words restrict them (asean lang:vi); values of one field are\n"
          "alternatives (lang:en lang:vi); an explicit OR is a union, with filters too\n"
          "(asean OR lang:vi, date:2023 OR lang:vi).  Queries are limited to\n"
          XSTR(LSX_QUERY_MAX_BYTES) " bytes and " XSTR(LSX_QUERY_MAX_TERMS) " distinct words.\n"
          "A query starting with '-' goes after '--' or in quotes: search -- -word other\n"
          "\n"
          "Environment:\n"
          "  SEARCH_DB  the database to use when --db is not given\n"
          "  LSX_GAZETTEER  the gazetteer file, instead of the installed one\n"
          "  NO_COLOR   if set, no bold or highlighting even on a terminal\n"
          "\n"
          "Exit status: 0 if something was found, 1 if nothing matched, 2 for a usage\n"
          "or query syntax error, 3 if the database could not be opened or read.\n",
          d.k1, d.b, d.recency_weight, d.prf_weight);
}

static int usage_error(const char *hint)
{
    fprintf(stderr, "Try 'search --help' for more information.\n");
    if (hint)
        fputs(hint, stderr);
    return CLI_EXIT_USAGE;
}

/* Parse a whole number in [0, max] for option `opt`. */
static bool parse_count(const char *opt, const char *arg, unsigned max, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long v = isdigit((unsigned char)arg[0]) ? strtoul(arg, &end, 10) : 0;
    if (!isdigit((unsigned char)arg[0]) || errno || *end || v > max) {
        cli_error("search", "--%s: '%s' is not a whole number from 0 to %u", opt, arg, max);
        return false;
    }
    *out = (unsigned)v;
    return true;
}

/* Parse a real number in [lo, hi] for option `opt`. */
static bool parse_real(const char *opt, const char *arg, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(arg, &end);
    if (end == arg || *end || errno || !isfinite(v) || v < lo || v > hi) {
        cli_error("search", "--%s: '%s' is not a number from %g to %g", opt, arg, lo, hi);
        return false;
    }
    *out = v;
    return true;
}

/* --prf DOCS:TERMS[:WEIGHT] into so, or an error message and false. */
static bool parse_prf(const char *arg, lsx_search_options *so)
{
    if (cli_parse_prf(arg, so))
        return true;
    cli_error("search", "--prf: '%s' is not DOCS:TERMS[:WEIGHT] (documents and terms from 1 to "
              "1000, weight above 0 and at most 100), e.g. --prf 10:25:0.3", arg);
    return false;
}

/* --sort relevance|date|-date into *sort. */
static bool parse_sort(const char *arg, int *sort)
{
    if (strcmp(arg, "relevance") == 0)
        *sort = LSX_SORT_RELEVANCE;
    else if (strcmp(arg, "-date") == 0)
        *sort = LSX_SORT_NEWEST;
    else if (strcmp(arg, "date") == 0)
        *sort = LSX_SORT_OLDEST;
    else {
        cli_error("search", "--sort: '%s' is not relevance, date (oldest first) or -date (newest first)", arg);
        return false;
    }
    return true;
}

/* --recency DAYS[:WEIGHT]. */
static bool parse_recency(const char *arg, lsx_search_options *so)
{
    char *end;
    errno = 0;
    double d = strtod(arg, &end), w = so->recency_weight;
    bool good = end != arg && !errno && isfinite(d) && d > 0 && d <= 1e6;
    if (good && *end == ':') {
        const char *ws = end + 1;
        w = strtod(ws, &end);
        good = end != ws && !errno && isfinite(w) && w >= 0 && w <= 1e6;
    }
    if (!good || *end) {
        cli_error("search", "--recency: '%s' is not DAYS[:WEIGHT] (a half-life in days above 0, a weight "
                  "from 0), e.g. --recency 30 or --recency 30:2", arg);
        return false;
    }
    so->recency_half_life = d;
    so->recency_weight = w;
    return true;
}

/* Print text from the index for a terminal (term.h); with `color`, the
 * highlight markers the library put in snippets become bold. */
static void put_clean(const char *s, bool color)
{
    term_puts(stdout, s, color ? TERM_HIGHLIGHT : 0);
}

/* Report a query syntax error with the query and a caret under the offset;
 * of a long query, only the 60 bytes or so on each side of the offset. */
static void show_query_error(const char *what, const char *text, const lsx_query *q)
{
    size_t len = strlen(text), off = lsx_query_error_offset(q);
    if (off > len)
        off = len;
    cli_error("search", "%s: %s", what, lsx_query_errmsg(q));
    size_t from = off > 60 ? off - 60 : 0, to = len - off > 60 ? off + 60 : len;
    while (from > 0 && ((unsigned char)text[from] & 0xc0) == 0x80)   /* whole characters */
        from--;
    while (to < len && ((unsigned char)text[to] & 0xc0) == 0x80)
        to++;
    fputs(from > 0 ? "  ..." : "  ", stderr);
    term_write(stderr, text + from, to - from, 0);
    fputs(to < len ? "...\n  " : "\n  ", stderr);
    if (from > 0)
        fputs("   ", stderr);
    for (size_t i = from; i < off; i++)
        if (((unsigned char)text[i] & 0xc0) != 0x80)    /* one column per character */
            fputc(' ', stderr);
    fputs("^\n", stderr);
}

/* Parse `text` into `*out`; on failure report it (as `what`) and return the exit code. */
static int parse_query(const char *what, const char *text, lsx_query **out)
{
    int rc = lsx_query_parse(out, text);
    if (rc == LSX_OK)
        return CLI_EXIT_OK;
    if (rc == LSX_EQUERY && *out)
        show_query_error(what, text, *out);
    else
        cli_error("search", "%s: %s", what, *out ? lsx_query_errmsg(*out) : lsx_status_str(rc));
    lsx_query_free(*out);
    *out = NULL;
    return cli_exit_for(rc);
}

/* Run the search, reopening once if the database changed underneath. */
static int run_search(lsx_db *db, const lsx_query *q, const lsx_search_options *so,
                      lsx_results **res)
{
    int rc = lsx_search(db, q, so, res);
    if (rc == LSX_EMODIFIED && lsx_db_reopen(db) == LSX_OK)
        rc = lsx_search(db, q, so, res);
    if (rc != LSX_OK) {
        cli_error("search", "%s", lsx_db_errmsg(db));
        lsx_results_free(*res);
        *res = NULL;
    }
    return cli_exit_for(rc);
}

static void print_hit_text(const lsx_hit *h, bool color)
{
    printf("%zu. %s", h->rank, color ? BOLD : "");
    put_clean(*h->title ? h->title : "(untitled)", false);
    printf("%s\n   ", color ? RESET : "");
    put_clean(h->id, false);
    printf("  %s  %s  score %.2f\n", *h->date ? h->date : "undated", h->lang, h->score);
    if (*h->snippet) {
        fputs("   ", stdout);
        put_clean(h->snippet, color);
        putchar('\n');
    }
    putchar('\n');
}

static void print_hit_json(const lsx_hit *h)
{
    printf("{\"rank\":%zu,\"id\":", h->rank);
    cli_json_str(stdout, h->id);
    printf(",\"score\":%.4f,\"title\":", isfinite(h->score) ? h->score : 0.0);
    cli_json_str(stdout, h->title);
    fputs(",\"date\":", stdout);
    if (*h->date)
        cli_json_str(stdout, h->date);
    else
        fputs("null", stdout);
    fputs(",\"date_source\":", stdout);
    cli_json_str(stdout, lsx_date_source_str(h->date_source));
    fputs(",\"lang\":", stdout);
    cli_json_str(stdout, h->lang);
    fputs(",\"source\":", stdout);
    if (*h->source)
        cli_json_str(stdout, h->source);
    else
        fputs("null", stdout);
    fputs(",\"snippet\":", stdout);
    cli_json_str(stdout, h->snippet);
    fputs("}\n", stdout);
}

static void print_facets_text(const lsx_results *res)
{
    for (size_t i = 0; i < lsx_results_facet_count(res); i++) {
        const lsx_facet *f = lsx_results_facet(res, i);
        printf("%s:\n", f->name);
        if (f->nvalues == 0)
            puts("  (none)");
        for (size_t j = 0; j < f->nvalues; j++) {
            const lsx_facet_value *v = lsx_facet_value_at(f, j);
            printf("  %8llu  ", (unsigned long long)v->count);
            put_clean(*v->label ? v->label : v->value, false);
            if (strcmp(v->label, v->value) != 0) {     /* show the filter that selects it */
                printf("  (%s:", f->name);
                put_clean(v->value, false);
                putchar(')');
            }
            putchar('\n');
        }
    }
}

/* The facets as the JSON object {"NAME":[{"value":..,"label":..,"count":..},..],..}. */
static void print_facets_json(const lsx_results *res)
{
    putchar('{');
    for (size_t i = 0; i < lsx_results_facet_count(res); i++) {
        const lsx_facet *f = lsx_results_facet(res, i);
        if (i > 0)
            putchar(',');
        cli_json_str(stdout, f->name);
        fputs(":[", stdout);
        for (size_t j = 0; j < f->nvalues; j++) {
            const lsx_facet_value *v = lsx_facet_value_at(f, j);
            fputs(j > 0 ? ",{\"value\":" : "{\"value\":", stdout);
            cli_json_str(stdout, v->value);
            fputs(",\"label\":", stdout);
            cli_json_str(stdout, v->label);
            printf(",\"count\":%llu}", (unsigned long long)v->count);
        }
        putchar(']');
    }
    putchar('}');
}

/* The order the results came in, as --sort names it. */
static const char *sort_name(int sort, bool relevance_first)
{
    switch (sort) {
    case LSX_SORT_NEWEST: return "-date";
    case LSX_SORT_OLDEST: return "date";
    case LSX_SORT_RELEVANCE: return "relevance";
    default: return relevance_first ? "auto" : "-date";
    }
}

static void print_results(const lsx_results *res, const lsx_search_options *so, bool relevance_first,
                          bool json, bool color)
{
    size_t n = lsx_results_count(res);
    const char *explain = lsx_results_explain(res);
    if (json) {
        for (size_t i = 0; i < n; i++)
            print_hit_json(lsx_results_hit(res, i));
        if (lsx_results_facet_count(res) > 0) {
            fputs("{\"facets\":", stdout);
            print_facets_json(res);
            fputs("}\n", stdout);
        }
        /* The summary: always the last line, also with --limit 0. */
        printf("{\"total\":%llu,\"total_exact\":%s,\"offset\":%u,\"count\":%zu,\"sort\":",
               (unsigned long long)lsx_results_total(res), lsx_results_total_exact(res) ? "true" : "false",
               so->offset, n);
        cli_json_str(stdout, sort_name(so->sort, relevance_first));
        if (*lsx_results_suggestion(res)) {
            fputs(",\"did_you_mean\":", stdout);
            cli_json_str(stdout, lsx_results_suggestion(res));
        }
        if (*explain) {
            fputs(",\"explain\":", stdout);
            cli_json_str(stdout, explain);
        }
        fputs("}\n", stdout);
        return;
    }
    if (*explain) {
        fputs("Query understood as:\n", stdout);
        for (const char *p = explain; *p;) {
            const char *e = strchr(p, '\n');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            fputs("  ", stdout);
            term_write(stdout, p, len, 0);   /* quotes the query and ids */
            putchar('\n');
            p += len + (e != NULL);
        }
        putchar('\n');
    }
    unsigned long long total = lsx_results_total(res);
    if (*lsx_results_suggestion(res)) {
        fputs("Did you mean: ", stdout);
        put_clean(lsx_results_suggestion(res), false);
        fputs("\n", stdout);
    }
    printf("%llu result%s", total, total == 1 ? "" : "s");
    if (n > 0)
        printf(" (showing %llu-%llu)\n\n", (unsigned long long)so->offset + 1,
               (unsigned long long)so->offset + n);
    else if (total > 0 && so->limit > 0)
        printf(" (none at offset %u)\n", so->offset);
    else
        putchar('\n');
    for (size_t i = 0; i < n; i++)
        print_hit_text(lsx_results_hit(res, i), color);
    print_facets_text(res);
}

/* Join argv[first..argc) with spaces; caller frees (NULL if out of memory). */
static char *join_words(int argc, char **argv, int first)
{
    size_t len = 1;
    for (int i = first; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *s = malloc(len), *p = s;
    if (!s)
        return NULL;
    for (int i = first; i < argc; i++) {
        size_t n = strlen(argv[i]);
        if (i > first)
            *p++ = ' ';
        memcpy(p, argv[i], n);
        p += n;
    }
    *p = '\0';
    return s;
}

/* search QUERY..., or with `like` set, search like ID [FILTER...]. */
static int query_main(int argc, char **argv, bool like);

int cli_cmd_query(int argc, char **argv)
{
    return query_main(argc, argv, false);
}

int cli_cmd_like(int argc, char **argv)
{
    return query_main(argc, argv, true);
}

static int query_main(int argc, char **argv, bool like)
{
    enum { OPT_LIMIT = 1, OPT_OFFSET, OPT_JSON, OPT_K1, OPT_B, OPT_FILTER, OPT_FACET,
           OPT_HELP, OPT_VERSION, OPT_PRF, OPT_SORT, OPT_RECENCY, OPT_EXPLAIN };
    static const struct option longopts[] = {
        { "db", required_argument, NULL, CLI_OPT_DB },
        { "partial", no_argument, NULL, CLI_OPT_PARTIAL },
        { "timeout", required_argument, NULL, CLI_OPT_TIMEOUT },
        { "limit", required_argument, NULL, OPT_LIMIT },
        { "offset", required_argument, NULL, OPT_OFFSET },
        { "json", no_argument, NULL, OPT_JSON },
        { "k1", required_argument, NULL, OPT_K1 },
        { "b", required_argument, NULL, OPT_B },
        { "prf", required_argument, NULL, OPT_PRF },
        { "sort", required_argument, NULL, OPT_SORT },
        { "recency", required_argument, NULL, OPT_RECENCY },
        { "explain", no_argument, NULL, OPT_EXPLAIN },
        { "filter", required_argument, NULL, OPT_FILTER },
        { "facet", required_argument, NULL, OPT_FACET },
        { "help", no_argument, NULL, OPT_HELP },
        { "version", no_argument, NULL, OPT_VERSION },
        { NULL, 0, NULL, 0 }
    };
    char prog[] = "search", prog_like[] = "search like";
    const char *like_id = NULL;
    cli_dbs dbs = {.n = 0};
    bool json = false;
    lsx_search_options so;
    lsx_search_options_init(&so, LSX_SEARCH_OPTIONS_VERSION);
    so.flags |= LSX_SEARCH_EXACT_TOTAL | LSX_SEARCH_SUGGEST;
    /* Both lists hold pointers into argv, so argc entries are always enough. */
    const char **filters = calloc((size_t)argc, sizeof *filters);
    const char **facets = calloc((size_t)argc, sizeof *facets);
    size_t nfilters = 0, nfacets = 0;
    lsx_query *q = NULL;
    lsx_db *db = NULL;
    lsx_results *res = NULL;
    char *text = NULL;
    int rc = CLI_EXIT_USAGE, opt;

    if (!filters || !facets) {
        cli_error("search", "out of memory");
        rc = CLI_EXIT_INDEX;
        goto out;
    }
    argv[0] = like ? prog_like : prog;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        int taken = cli_dbs_option(&dbs, "search", opt, optarg);
        if (taken < 0)
            goto out;
        if (taken)
            continue;
        switch (opt) {
        case OPT_LIMIT:
            if (!parse_count("limit", optarg, MAX_LIMIT, &so.limit))
                goto out;
            break;
        case OPT_OFFSET:
            if (!parse_count("offset", optarg, MAX_OFFSET, &so.offset))
                goto out;
            break;
        case OPT_JSON: json = true; break;
        case OPT_K1:
            if (!parse_real("k1", optarg, 0, 1000, &so.k1))
                goto out;
            break;
        case OPT_B:
            if (!parse_real("b", optarg, 0, 1, &so.b))
                goto out;
            break;
        case OPT_PRF:
            if (!parse_prf(optarg, &so))
                goto out;
            break;
        case OPT_SORT:
            if (!parse_sort(optarg, &so.sort))
                goto out;
            break;
        case OPT_RECENCY:
            if (!parse_recency(optarg, &so))
                goto out;
            break;
        case OPT_EXPLAIN: so.flags |= LSX_SEARCH_EXPLAIN; break;
        case OPT_FILTER: filters[nfilters++] = optarg; break;
        case OPT_FACET: facets[nfacets++] = optarg; break;
        case 'h':
        case OPT_HELP:
            usage(stdout);
            rc = CLI_EXIT_OK;
            goto out;
        case OPT_VERSION:
            cli_print_version("search");
            rc = CLI_EXIT_OK;
            goto out;
        default:
            rc = usage_error(isalpha(optopt) ? "To exclude a word, put the query in quotes or "
                                               "after '--': search -- word -other\n"
                                             : NULL);
            goto out;
        }
    }
    if (like) {
        if (optind >= argc) {
            cli_error("search", "like: no document id given (search like ID [FILTER...])");
            rc = usage_error(NULL);
            goto out;
        }
        like_id = argv[optind++];
    }
    if (optind >= argc && like) {
        text = NULL;                    /* no filter: every document may be like it */
    } else if (optind >= argc) {
        cli_error("search", "no query given");
        rc = usage_error(NULL);
        goto out;
    }
    if (optind < argc && !(text = join_words(argc, argv, optind))) {
        cli_error("search", "out of memory");
        rc = CLI_EXIT_INDEX;
        goto out;
    }
    if (text && (rc = parse_query(like ? "filter syntax error" : "query syntax error", text, &q)) != CLI_EXIT_OK)
        goto out;
    for (size_t i = 0; i < nfilters; i++) {
        lsx_query *f = NULL;
        if ((rc = parse_query("--filter: syntax error", filters[i], &f)) != CLI_EXIT_OK)
            goto out;
        if (!q) {                       /* search like ID --filter F: the first filter */
            q = f;
            continue;
        }
        int st = lsx_query_add_filter(q, f);
        lsx_query_free(f);
        if (st != LSX_OK) {
            cli_error("search", "--filter '%s': %s", filters[i], lsx_query_errmsg(q));
            rc = cli_exit_for(st);
            goto out;
        }
    }
    so.facets = facets;
    so.nfacets = nfacets;
    bool color = !json && cli_use_color(stdout);
    if (color) {
        so.hl_start = TERM_HL_START;     /* made bold by put_clean */
        so.hl_end = TERM_HL_END;
    }
    if ((rc = cli_open_dbs("search", &dbs, LSX_DB_READONLY, &db)) != 0)
        goto out;
    if (like_id) {
        int st = lsx_search_like(db, like_id, q, &so, &res);
        if (st == LSX_EMODIFIED && lsx_db_reopen(db) == LSX_OK)
            st = lsx_search_like(db, like_id, q, &so, &res);
        if (st != LSX_OK) {
            cli_error("search", "like: %s", lsx_db_errmsg(db));
            rc = st == LSX_ENOTFOUND ? CLI_EXIT_NOMATCH : cli_exit_for(st);
            goto out;
        }
    } else if ((rc = run_search(db, q, &so, &res)) != CLI_EXIT_OK)
        goto out;
    cli_report_missing("search", res);
    print_results(res, &so, q || like_id, json, color);
    rc = lsx_results_total(res) > 0 || lsx_results_count(res) > 0 ? CLI_EXIT_OK
                                                                   : CLI_EXIT_NOMATCH;
out:
    lsx_results_free(res);
    lsx_db_free(db);
    lsx_query_free(q);
    free(text);
    free(filters);
    free(facets);
    return rc;
}

int cli_cmd_facets(int argc, char **argv)
{
    enum { OPT_JSON = 1, OPT_FACET, OPT_HELP };
    static const struct option longopts[] = {
        { "db", required_argument, NULL, CLI_OPT_DB },
        { "partial", no_argument, NULL, CLI_OPT_PARTIAL },
        { "timeout", required_argument, NULL, CLI_OPT_TIMEOUT },
        { "json", no_argument, NULL, OPT_JSON },
        { "facet", required_argument, NULL, OPT_FACET },
        { "help", no_argument, NULL, OPT_HELP },
        { NULL, 0, NULL, 0 }
    };
    char prog[] = "search facets";
    cli_dbs dbs = {.n = 0};
    bool json = false;
    const char **facets = calloc((size_t)argc + 2, sizeof *facets);
    size_t nfacets = 0;
    lsx_search_options so;
    lsx_search_options_init(&so, LSX_SEARCH_OPTIONS_VERSION);
    lsx_db *db = NULL;
    lsx_results *res = NULL;
    int rc = CLI_EXIT_USAGE, opt;

    if (!facets) {
        cli_error("search", "out of memory");
        return CLI_EXIT_INDEX;
    }
    argv[0] = prog;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        int taken = cli_dbs_option(&dbs, "search", opt, optarg);
        if (taken < 0)
            goto out;
        if (taken)
            continue;
        switch (opt) {
        case OPT_JSON: json = true; break;
        case OPT_FACET: facets[nfacets++] = optarg; break;
        case OPT_HELP:
            fputs("Usage: search facets [--db DIR]... [--partial] [--timeout MS] [--json] [--facet SPEC]...\n"
                  "Count facet values over the whole database (default: --facet entity:10\n"
                  "--facet date:year).  SPEC is entity:N, person:N, place:N, org:N,\n"
                  "date:year, date:month or date:day.  See 'search --help'.\n", stdout);
            rc = CLI_EXIT_OK;
            goto out;
        default:
            fprintf(stderr, "Try 'search facets --help' for more information.\n");
            goto out;
        }
    }
    if (optind < argc) {
        cli_error("search", "facets: unexpected argument '%s' (to count facets of a query, use "
                  "search --facet SPEC QUERY)", argv[optind]);
        goto out;
    }
    if (nfacets == 0)
        for (size_t i = 0; i < sizeof default_facets / sizeof default_facets[0]; i++)
            facets[nfacets++] = default_facets[i];
    so.facets = facets;
    so.nfacets = nfacets;
    so.limit = 0;
    so.flags |= LSX_SEARCH_NO_SNIPPETS | LSX_SEARCH_EXACT_TOTAL;
    if ((rc = cli_open_dbs("search", &dbs, LSX_DB_READONLY, &db)) != 0)
        goto out;
    if ((rc = run_search(db, NULL, &so, &res)) != CLI_EXIT_OK)     /* NULL: every document */
        goto out;
    cli_report_missing("search", res);
    unsigned long long total = lsx_results_total(res);
    if (json) {
        printf("{\"documents\":%llu,\"facets\":", total);
        print_facets_json(res);
        fputs("}\n", stdout);
    } else {
        printf("%llu document%s\n", total, total == 1 ? "" : "s");
        print_facets_text(res);
    }
out:
    lsx_results_free(res);
    lsx_db_free(db);
    free(facets);
    return rc;
}

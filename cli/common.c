/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * common.c - helpers shared by the `search` and `search-index` programs
 * (built once as the convenience library cli/libcli-common.la, which both link).
 */
#include "common.h"
#include "term.h"

#include <jansson.h>
#include <utf8proc.h>

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *cli_db_path(const char *opt_db)
{
    if (opt_db && *opt_db)
        return opt_db;
    const char *env = getenv("SEARCH_DB");
    if (env && *env)
        return env;
    return "./search.db";
}

int cli_exit_for(int status)
{
    switch (status) {
    case LSX_OK:
    case LSX_DONE:
        return CLI_EXIT_OK;
    case LSX_EQUERY:
    case LSX_EPARSE:
    case LSX_EINVAL:
        return CLI_EXIT_USAGE;
    default:
        return CLI_EXIT_INDEX;
    }
}

void cli_error(const char *prog, const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    term_vprintf(stderr, fmt, ap);      /* messages quote input: sanitised */
    va_end(ap);
    fputc('\n', stderr);
}

/* s as valid UTF-8 (malloc'd): each byte that does not start a valid
 * sequence becomes U+FFFD.  NULL when out of memory. */
static char *valid_utf8(const char *s)
{
    size_t n = strlen(s);
    utf8proc_uint8_t *out = malloc(3 * n + 1), *o = out;   /* U+FFFD is 3 bytes */
    if (!out)
        return NULL;
    for (const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s, *e = p + n; p < e;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, e - p, &cp);
        if (k <= 0) {
            cp = 0xFFFD;
            k = 1;
        }
        o += utf8proc_encode_char(cp, o);
        p += k;
    }
    *o = '\0';
    return (char *)out;
}

void cli_json_str(FILE *out, const char *s)
{
    char *v = valid_utf8(s ? s : "");
    json_t *j = v ? json_string(v) : NULL;
    char *text = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
    if (!text) {
        fputs("null", out);             /* out of memory: still valid JSON */
    } else {
        /* DEL and the C1 controls (U+0080-U+009F, UTF-8 C2 80-C2 9F), which
         * jansson leaves raw, are escaped like C0 ones: a terminal may act
         * on them. */
        for (const char *p = text; *p; p++) {
            if ((unsigned char)p[0] == 0xc2 && (unsigned char)p[1] >= 0x80 && (unsigned char)p[1] <= 0x9f) {
                fprintf(out, "\\u%04x", (unsigned char)p[1]);
                p++;
            } else if (*p == 0x7f) {
                fputs("\\u007f", out);
            } else {
                putc(*p, out);
            }
        }
    }
    free(text);
    json_decref(j);
    free(v);
}

bool cli_use_color(FILE *f)
{
    const char *no_color = getenv("NO_COLOR");
    if (no_color && *no_color)
        return false;
    const char *term = getenv("TERM");
    if (term && strcmp(term, "dumb") == 0)
        return false;
    return isatty(fileno(f)) != 0;
}

/*
 * Open the database at `path` (from cli_db_path) with lsx_db_open flags.
 * On failure print why and return the exit code; on success return 0.
 */
int cli_open_db(const char *prog, const char *path, unsigned flags, const lsx_db_options *opts,
                lsx_db **out)
{
    int rc = lsx_db_open(out, path, flags, opts);
    if (rc == LSX_OK)
        return CLI_EXIT_OK;
    if (rc == LSX_ENOTFOUND)
        cli_error(prog, "no database at %s (set --db or SEARCH_DB; create one with search-index)",
                  path);
    else if (*out)
        cli_error(prog, "%s", lsx_db_errmsg(*out));     /* names the path */
    else
        cli_error(prog, "cannot open the database at %s: %s", path, lsx_status_str(rc));
    lsx_db_free(*out);
    *out = NULL;
    return cli_exit_for(rc);
}

bool cli_dbs_add(cli_dbs *d, const char *prog, const char *path)
{
    if (d->n >= CLI_MAX_DBS) {
        cli_error(prog, "at most %d --db options", CLI_MAX_DBS);
        return false;
    }
    d->paths[d->n++] = path;
    return true;
}

bool cli_dbs_timeout(cli_dbs *d, const char *prog, const char *arg)
{
    char *end = NULL;
    errno = 0;
    unsigned long v = strtoul(arg, &end, 10);
    if (!isdigit((unsigned char)*arg) || *end || errno || v < 1 || v > 3600000) {
        cli_error(prog, "--timeout '%s': expected milliseconds, 1 to 3600000", arg);
        return false;
    }
    d->timeout_ms = (unsigned)v;
    return true;
}

int cli_dbs_option(cli_dbs *d, const char *prog, int opt, const char *arg)
{
    switch (opt) {
    case CLI_OPT_DB: return cli_dbs_add(d, prog, arg) ? 1 : -1;
    case CLI_OPT_PARTIAL: d->partial = true; return 1;
    case CLI_OPT_TIMEOUT: return cli_dbs_timeout(d, prog, arg) ? 1 : -1;
    default: return 0;
    }
}

int cli_open_dbs(const char *prog, const cli_dbs *d, unsigned flags, lsx_db **out)
{
    lsx_db_options o;
    lsx_db_options_init(&o, LSX_DB_OPTIONS_VERSION);
    if (d->timeout_ms)
        o.timeout_ms = o.connect_timeout_ms = d->timeout_ms;
    if (d->partial)
        flags |= LSX_DB_PARTIAL;
    if (d->n <= 1)
        return cli_open_db(prog, cli_db_path(d->n ? d->paths[0] : NULL), flags, &o, out);
    int rc = lsx_db_open_shards(out, d->paths, d->n, flags, &o);
    if (rc == LSX_OK)
        return CLI_EXIT_OK;
    if (*out)
        cli_error(prog, "%s", lsx_db_errmsg(*out));
    else
        cli_error(prog, "cannot open the databases: %s", lsx_status_str(rc));
    lsx_db_free(*out);
    *out = NULL;
    return cli_exit_for(rc);
}

void cli_report_missing(const char *prog, const lsx_results *res)
{
    for (size_t i = 0; i < lsx_results_missing_count(res); i++)
        cli_error(prog, "partial results: %s", lsx_results_missing(res, i));
}

unsigned cli_changesets_env(const char *path, unsigned given)
{
    unsigned n = given;
    if (!n) {
        lsx_db *db = NULL;
        char *v = NULL;
        if (lsx_db_open(&db, path, LSX_DB_READONLY, NULL) == LSX_OK &&
            lsx_db_get_metadata(db, CLI_CHANGESETS_KEY, &v, NULL) == LSX_OK && v)
            n = (unsigned)strtoul(v, NULL, 10);
        free(v);
        lsx_db_free(db);
    }
    if (n) {
        char b[16];
        snprintf(b, sizeof b, "%u", n);
        setenv("XAPIAN_MAX_CHANGESETS", b, 1);
    }
    return n;
}

/* --prf DOCS:TERMS[:WEIGHT] into so (documents and terms 1-1000, weight in (0, 100]);
 * WEIGHT defaults to the library's.  false (so untouched) if arg is not that. */
bool cli_parse_prf(const char *arg, lsx_search_options *so)
{
    lsx_search_options defaults;
    lsx_search_options_init(&defaults, LSX_SEARCH_OPTIONS_VERSION);
    unsigned long d = 0, t = 0;
    double w = defaults.prf_weight;     /* the library's default weight */
    const char *p = arg ? arg : "";
    char *end = NULL;
    bool good = isdigit((unsigned char)*p);
    if (good) {
        errno = 0;
        d = strtoul(p, &end, 10);
        good = !errno && *end == ':' && d >= 1 && d <= 1000;
        p = end + 1;
    }
    if (good && (good = isdigit((unsigned char)*p))) {
        errno = 0;
        t = strtoul(p, &end, 10);
        good = !errno && (*end == '\0' || *end == ':') && t >= 1 && t <= 1000;
        p = end;
    }
    if (good && *p == ':') {
        errno = 0;
        w = strtod(++p, &end);
        good = end != p && !*end && !errno && isfinite(w) && w > 0 && w <= 100;
    }
    if (!good)
        return false;
    so->prf_docs = (unsigned)d;
    so->prf_terms = (unsigned)t;
    so->prf_weight = w;
    return true;
}

void cli_print_version(const char *prog)
{
    printf("%s (libsearch) %s\n", prog, LSX_VERSION_STRING);
    printf("libsearch %s, Xapian %s\n", lsx_version(), lsx_xapian_version());
}

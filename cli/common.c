/*
 * common.c - helpers shared by the `search` and `search-index` programs.
 */
#include "common.h"
#include "term.h"

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

void cli_json_str(FILE *out, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    putc('"', out);
    while (*p) {
        uint32_t cp = 0;
        size_t n = term_utf8_len(p, 4, &cp);   /* stops at the NUL: no continuation byte */
        if (n == 0) {                       /* invalid UTF-8: keep the JSON valid */
            fputs("\\ufffd", out);
            p++;
            continue;
        }
        if (cp >= 0x80 && cp <= 0x9f) {     /* C1 controls: escaped like C0 */
            fprintf(out, "\\u%04x", (unsigned)cp);
            p += n;
            continue;
        }
        if (n > 1) {
            fwrite(p, 1, n, out);
            p += n;
            continue;
        }
        switch (*p) {
        case '"':  fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (*p < 0x20 || *p == 0x7f) {
                fputs("\\u00", out);
                putc(hex[*p >> 4], out);
                putc(hex[*p & 15], out);
            } else {
                putc(*p, out);
            }
        }
        p++;
    }
    putc('"', out);
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

/* --prf DOCS:TERMS[:WEIGHT] into so (documents and terms 1-1000, weight in (0, 100]);
 * WEIGHT defaults to the library's.  false (so untouched) if arg is not that. */
bool cli_parse_prf(const char *arg, lsx_search_options *so)
{
    lsx_search_options defaults;
    lsx_search_options_init(&defaults);
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

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * common.h - private code shared by the `search` and `search-index` programs
 * (cli/libcli-common.la): exit codes, database opening, messages, JSON
 * strings.  Nothing of either program's commands is here (cli/search.h has
 * search's subcommands).
 */
#ifndef LSX_CLI_COMMON_H
#define LSX_CLI_COMMON_H

#include "libsearch.h"

#include <stdbool.h>
#include <stdio.h>

/* Exit codes of both programs (documented in their man pages). */
enum {
    CLI_EXIT_OK = 0,       /* success; for queries: something was found */
    CLI_EXIT_NOMATCH = 1,  /* a query found nothing */
    CLI_EXIT_USAGE = 2,    /* bad usage or bad input (files, query syntax) */
    CLI_EXIT_INDEX = 3     /* the index could not be opened, read or written */
};

/* A macro's value as a string literal, for help texts: XSTR(LSX_DEFAULT_K1) is "1.6". */
#define STR_(x) #x
#define XSTR(x) STR_(x)

/* The database to use: --db if given, else $SEARCH_DB if set and non-empty, else "./search.db". */
const char *cli_db_path(const char *opt_db);

/* Map a library status to an exit code (EQUERY/EPARSE/EINVAL -> usage, else index). */
int cli_exit_for(int status);

/* Open the database at `path` with lsx_db_open flags; on failure print why (a missing database:
 * "no database at PATH (set --db or SEARCH_DB; create one with search-index)") and return the exit
 * code, else 0. */
int cli_open_db(const char *prog, const char *path, unsigned flags, const lsx_db_options *opts, lsx_db **out);

/* --prf DOCS:TERMS[:WEIGHT] into so (documents and terms 1 to 1000, weight above 0 and
 * at most 100; WEIGHT defaults to the library's).  false, so untouched, if it is not. */
bool cli_parse_prf(const char *arg, lsx_search_options *so);

/* --version: "PROG (libsearch) VERSION" and the libsearch and Xapian versions
 * actually loaded, on stdout. */
void cli_print_version(const char *prog);

/* Print "PROG: message" to stderr. */
void cli_error(const char *prog, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* s as a JSON string (quotes included), written by jansson; bytes that are
 * not UTF-8 become U+FFFD, so the output is always valid JSON. */
void cli_json_str(FILE *out, const char *s);

/* Should output to this stream use ANSI colour/bold?  (a terminal, NO_COLOR unset, TERM != dumb) */
bool cli_use_color(FILE *f);

#endif

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

/* The databases of --db (repeatable: the shards of one database), with
 * --partial and --timeout MS. */
#define CLI_MAX_DBS 64
typedef struct cli_dbs {
    const char *paths[CLI_MAX_DBS];
    size_t n;
    bool partial;
    unsigned timeout_ms;      /* 0: the library's default */
} cli_dbs;
/* Add one --db; false (with a message) past CLI_MAX_DBS. */
bool cli_dbs_add(cli_dbs *d, const char *prog, const char *path);
/* --timeout MS (1 to 3600000); false with a message if it is not that. */
bool cli_dbs_timeout(cli_dbs *d, const char *prog, const char *arg);
/* getopt_long codes of --db, --partial and --timeout (above every short
 * option and every subcommand's own codes), for their struct option lines. */
enum { CLI_OPT_DB = 0x100, CLI_OPT_PARTIAL, CLI_OPT_TIMEOUT };
/* Take getopt_long's `opt` if it is one of those three: 1 taken, 0 not one
 * of them, -1 a bad value (the message is printed). */
int cli_dbs_option(cli_dbs *d, const char *prog, int opt, const char *arg);
/* Open the --db databases as one (cli_db_path's default when none), with
 * lsx_db_open flags (LSX_DB_PARTIAL added for --partial); on failure print
 * why and return the exit code, else 0. */
int cli_open_dbs(const char *prog, const cli_dbs *d, unsigned flags, lsx_db **out);
/* With --partial: print the shards left out of these results to stderr
 * ("PROG: partial results: shard 1 (host:port) missing: why"). */
void cli_report_missing(const char *prog, const lsx_results *res);

/* Replicas: a database whose metadata key CLI_CHANGESETS_KEY holds N is
 * the master of read replicas (xapian-replicate), and every commit to it
 * must write a changeset, which Xapian does when XAPIAN_MAX_CHANGESETS is
 * set as the database is opened for writing.  Before opening `path` for
 * writing: `given` (search-index --changesets N, 0 if not given), else
 * the number stored in the database, is put in this process's
 * environment.  Returns the number in force (0: none). */
#define CLI_CHANGESETS_KEY "search-index.changesets"
unsigned cli_changesets_env(const char *path, unsigned given);

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

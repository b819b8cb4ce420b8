/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * search.h - the subcommands of the `search` program (not used by search-index).
 */
#ifndef LSX_CLI_SEARCH_H
#define LSX_CLI_SEARCH_H

#include "common.h"

/* Subcommand entry points: argv[0] is the subcommand name. */
int cli_cmd_query(int argc, char **argv);    /* cmd-query.c: search QUERY... */
int cli_cmd_stats(int argc, char **argv);    /* cmd-misc.c */
int cli_cmd_get(int argc, char **argv);      /* cmd-misc.c */
int cli_cmd_delete(int argc, char **argv);   /* cmd-misc.c */
int cli_cmd_facets(int argc, char **argv);
int cli_cmd_like(int argc, char **argv);     /* cmd-query.c: search like ID [FILTER...] */   /* cmd-query.c: facets over the whole index */
int cli_cmd_eval(int argc, char **argv);     /* cmd-eval.c */

#endif

/*
 * search.c - the `search` program: dispatch to a subcommand or run a query.
 *
 *   search [OPTION]... QUERY...     cmd-query.c
 *   search facets [OPTION]...       cmd-query.c
 *   search stats | get | delete     cmd-misc.c
 *   search eval ...                 cmd-eval.c
 *
 * A subcommand must be the first argument; anything else is a query (so
 * `search -- stats` searches for the word "stats").
 */
#include "common.h"

#include <string.h>

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int argc, char **argv);
    } subcommands[] = {
        { "stats", cli_cmd_stats },
        { "get", cli_cmd_get },
        { "delete", cli_cmd_delete },
        { "facets", cli_cmd_facets },
        { "eval", cli_cmd_eval },
    };

    if (argc >= 2) {
        for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
            if (strcmp(argv[1], subcommands[i].name) == 0)
                return subcommands[i].run(argc - 1, argv + 1);
    }
    return cli_cmd_query(argc, argv);
}

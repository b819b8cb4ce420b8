/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * search.c - the `search` program: dispatch to a subcommand or run a query.
 *
 *   search [OPTION]... QUERY...     cmd-query.c
 *   search facets [OPTION]...       cmd-query.c
 *   search stats | get | delete     cmd-misc.c
 *   search eval ...                 cmd-eval.c
 *
 * The subcommand is the first argument that is not an option (so options
 * may come before it: `search --db DIR stats`); anything else is a query.
 * `search -- stats` searches for the word "stats".
 */
#include "search.h"

#include <stdbool.h>
#include <string.h>

/* Does `arg` name an option of cmd-query.c that takes the next argument as
 * its value?  Long options may be abbreviated, as getopt_long allows
 * (--lim 5); an ambiguous or unknown one is left for getopt_long to refuse. */
static bool takes_value(const char *arg)
{
    static const struct {
        const char *name;
        bool value;
    } options[] = {
        { "db", true }, { "limit", true }, { "offset", true }, { "k1", true }, { "b", true },
        { "prf", true }, { "filter", true }, { "facet", true }, { "json", false }, { "help", false },
        { "version", false },
    };
    if (strncmp(arg, "--", 2) != 0 || strchr(arg, '='))
        return false;
    const char *name = arg + 2;
    size_t len = strlen(name), matches = 0;
    bool value = false;
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
        if (strcmp(name, options[i].name) == 0)
            return options[i].value;
        if (len > 0 && strncmp(name, options[i].name, len) == 0) {
            matches++;
            value = options[i].value;
        }
    }
    return matches == 1 && value;
}

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
        { "like", cli_cmd_like },
    };

    int first = 1;      /* the first operand */
    while (first < argc && strcmp(argv[first], "--") != 0
           && argv[first][0] == '-' && argv[first][1] != '\0')
        first += takes_value(argv[first]) ? 2 : 1;
    if (first >= argc || strcmp(argv[first], "--") == 0)
        return cli_cmd_query(argc, argv);
    for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++) {
        if (strcmp(argv[first], subcommands[i].name) == 0) {
            /* The subcommand gets its name as argv[0], then the other arguments in order. */
            char *name = argv[first];
            memmove(&argv[2], &argv[1], (size_t)(first - 1) * sizeof *argv);
            argv[1] = name;
            return subcommands[i].run(argc - 1, argv + 1);
        }
    }
    return cli_cmd_query(argc, argv);
}

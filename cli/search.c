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

/* Does `arg` name an option (of cmd-query.c) that takes the next argument as its value? */
static bool takes_value(const char *arg)
{
    static const char *const options[] = {
        "--db", "--limit", "--offset", "--k1", "--b", "--filter", "--facet",
    };
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
        if (strcmp(arg, options[i]) == 0)
            return true;
    return false;
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

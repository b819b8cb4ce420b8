/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd-misc.c - `search stats`, `search get ID` and `search delete ID...`.
 */
#include "search.h"
#include "term.h"

#include <getopt.h>
#include <string.h>

/* Options shared by the three subcommands. */
struct misc_opts {
    cli_dbs dbs;             /* --db (repeatable), --partial, --timeout */
    bool json;
};

/*
 * Parse --db, --json (if `allow_json`) and --help for subcommand `name`;
 * returns -1 to go on (optind is at the first operand) or an exit code.
 */
static int parse_opts(int argc, char **argv, const char *name, const char *usage,
                      bool allow_json, struct misc_opts *o)
{
    enum { OPT_JSON = 1, OPT_HELP };
    static const struct option with_json[] = {
        { "db", required_argument, NULL, CLI_OPT_DB },
        { "partial", no_argument, NULL, CLI_OPT_PARTIAL },
        { "timeout", required_argument, NULL, CLI_OPT_TIMEOUT },
        { "json", no_argument, NULL, OPT_JSON },
        { "help", no_argument, NULL, OPT_HELP },
        { NULL, 0, NULL, 0 }
    };
    static const struct option without_json[] = {
        { "db", required_argument, NULL, CLI_OPT_DB },
        { "timeout", required_argument, NULL, CLI_OPT_TIMEOUT },
        { "help", no_argument, NULL, OPT_HELP },
        { NULL, 0, NULL, 0 }
    };
    int opt;
    while ((opt = getopt_long(argc, argv, "", allow_json ? with_json : without_json, NULL)) != -1) {
        int taken = cli_dbs_option(&o->dbs, "search", opt, optarg);
        if (taken < 0)
            return CLI_EXIT_USAGE;
        if (taken)
            continue;
        switch (opt) {
        case OPT_JSON: o->json = true; break;
        case OPT_HELP:
            fputs(usage, stdout);
            return CLI_EXIT_OK;
        default:
            fprintf(stderr, "Try 'search %s --help' for more information.\n", name);
            return CLI_EXIT_USAGE;
        }
    }
    return -1;
}

/* 1234567 -> "1.2 MB" */
static const char *human_size(uint64_t bytes, char *buf, size_t size)
{
    static const char *const units[] = { "bytes", "kB", "MB", "GB", "TB" };
    double v = (double)bytes;
    size_t u = 0;
    while (v >= 1000 && u + 1 < sizeof units / sizeof units[0]) {
        v /= 1000;
        u++;
    }
    if (u == 0)
        snprintf(buf, size, "%llu %s", (unsigned long long)bytes, units[0]);
    else
        snprintf(buf, size, "%.1f %s", v, units[u]);
    return buf;
}

int cli_cmd_stats(int argc, char **argv)
{
    char prog[] = "search stats";
    struct misc_opts o = { .json = false };
    argv[0] = prog;
    int rc = parse_opts(argc, argv, "stats",
                        "Usage: search stats [--db DIR]... [--partial] [--timeout MS] [--json]\n"
                        "Show the number of documents, languages, dates, terms and the size of the\n"
                        "database.  See 'search --help'.\n",
                        true, &o);
    if (rc >= 0)
        return rc;
    if (optind < argc) {
        cli_error("search", "stats: unexpected argument '%s'", argv[optind]);
        return CLI_EXIT_USAGE;
    }
    const char *path = o.dbs.n > 1 ? "(shards)" : cli_db_path(o.dbs.n ? o.dbs.paths[0] : NULL);
    lsx_db *db = NULL;
    if ((rc = cli_open_dbs("search", &o.dbs, LSX_DB_READONLY, &db)) != 0)
        return rc;
    lsx_db_stats st = LSX_DB_STATS_INIT;
    int status = lsx_db_stats_get(db, &st);
    if (status != LSX_OK) {
        cli_error("search", "cannot read statistics of %s: %s", path, lsx_db_errmsg(db));
        lsx_db_free(db);
        return cli_exit_for(status);
    }
    uint64_t left = 0, left_bytes = 0;
    (void)lsx_db_leftovers(db, &left, &left_bytes, NULL, NULL);
    if (o.json) {
        fputs("{\"database\":", stdout);
        cli_json_str(stdout, path);
        printf(",\"documents\":%llu,\"languages\":{", (unsigned long long)st.documents);
        const char *lang;
        uint64_t n;
        for (size_t i = 0; (status = lsx_db_lang_at(db, i, &lang, &n)) == LSX_OK; i++) {
            if (i)
                putchar(',');
            cli_json_str(stdout, lang);
            printf(":%llu", (unsigned long long)n);
        }
        printf("},\"dated\":%llu", (unsigned long long)st.dated);
        fputs(",\"first_date\":", stdout);
        if (*st.first_date)
            cli_json_str(stdout, st.first_date);
        else
            fputs("null", stdout);
        fputs(",\"last_date\":", stdout);
        if (*st.last_date)
            cli_json_str(stdout, st.last_date);
        else
            fputs("null", stdout);
        printf(",\"terms\":%llu,\"avg_words\":%.1f,\"disk_bytes\":%llu", (unsigned long long)st.terms,
               st.avg_words, (unsigned long long)st.disk_bytes);
        printf(",\"leftovers\":%llu,\"leftover_bytes\":%llu}\n", (unsigned long long)left,
               (unsigned long long)left_bytes);
    } else {
        char size[32];
        fputs("database      ", stdout);
        term_puts(stdout, path, 0);
        putchar('\n');
        printf("documents     %llu", (unsigned long long)st.documents);
        const char *lang;
        uint64_t n;
        size_t i = 0;
        for (; (status = lsx_db_lang_at(db, i, &lang, &n)) == LSX_OK; i++)
            printf("%s%s %llu", i ? ", " : " (", lang, (unsigned long long)n);
        printf("%s\n", i ? ")" : "");
        printf("dated         %llu", (unsigned long long)st.dated);
        if (*st.first_date)
            printf(" (%s to %s)", st.first_date, st.last_date);
        printf("\nterms         %llu distinct\n", (unsigned long long)st.terms);
        printf("avg words     %.1f per document (title and body)\n", st.avg_words);
        printf("size on disk  %s\n", human_size(st.disk_bytes, size, sizeof size));
        if (left)
            printf("leftovers     %llu (%s) from an interrupted run; the next search-index removes them\n",
                   (unsigned long long)left, human_size(left_bytes, size, sizeof size));
    }
    if (status < 0) {
        cli_error("search", "cannot read the languages of %s: %s", path, lsx_db_errmsg(db));
        lsx_db_free(db);
        return cli_exit_for(status);
    }
    lsx_db_free(db);
    return CLI_EXIT_OK;
}

/* Print a stored field for a terminal (term.h): on one line. */
static void put_text(const char *s)
{
    term_puts(stdout, s, 0);
}

static void print_doc_text(lsx_doc *doc)
{
    const char *date = lsx_doc_date(doc);
    printf("id        ");
    put_text(lsx_doc_id(doc));
    printf("\ntitle     ");
    put_text(*lsx_doc_title(doc) ? lsx_doc_title(doc) : "(untitled)");
    if (*date)
        printf("\ndate      %s (%s)", date, lsx_date_source_str(lsx_doc_date_source(doc)));
    else
        printf("\ndate      unknown");
    printf("\nlanguage  %s\n", lsx_doc_lang(doc));
    if (*lsx_doc_source(doc)) {
        printf("source    ");
        put_text(lsx_doc_source(doc));
        putchar('\n');
    }
    size_t n = lsx_doc_entity_count(doc);
    puts(n ? "entities" : "entities  none");
    for (size_t i = 0; i < n; i++) {
        const lsx_entity *e = lsx_doc_entity(doc, i);
        printf("  %-7s ", lsx_entity_type_str(e->type));
        put_text(e->name);
        printf(" (");
        put_text(e->id);
        printf("), %u mention%s\n", e->count, e->count == 1 ? "" : "s");
    }
    putchar('\n');
    term_puts(stdout, lsx_doc_body(doc, NULL), TERM_MULTILINE);
    putchar('\n');
}

static void print_doc_json(lsx_doc *doc)
{
    fputs("{\"id\":", stdout);
    cli_json_str(stdout, lsx_doc_id(doc));
    fputs(",\"title\":", stdout);
    cli_json_str(stdout, lsx_doc_title(doc));
    fputs(",\"date\":", stdout);
    if (*lsx_doc_date(doc))
        cli_json_str(stdout, lsx_doc_date(doc));
    else
        fputs("null", stdout);
    fputs(",\"date_source\":", stdout);
    cli_json_str(stdout, lsx_date_source_str(lsx_doc_date_source(doc)));
    fputs(",\"lang\":", stdout);
    cli_json_str(stdout, lsx_doc_lang(doc));
    fputs(",\"source\":", stdout);
    cli_json_str(stdout, lsx_doc_source(doc));
    fputs(",\"entities\":[", stdout);
    for (size_t i = 0; i < lsx_doc_entity_count(doc); i++) {
        const lsx_entity *e = lsx_doc_entity(doc, i);
        fputs(i ? ",{\"type\":" : "{\"type\":", stdout);
        cli_json_str(stdout, lsx_entity_type_str(e->type));
        fputs(",\"id\":", stdout);
        cli_json_str(stdout, e->id);
        fputs(",\"name\":", stdout);
        cli_json_str(stdout, e->name);
        printf(",\"count\":%u}", e->count);
    }
    fputs("],\"body\":", stdout);
    cli_json_str(stdout, lsx_doc_body(doc, NULL));
    fputs("}\n", stdout);
}

int cli_cmd_get(int argc, char **argv)
{
    char prog[] = "search get";
    struct misc_opts o = { .json = false };
    argv[0] = prog;
    int rc = parse_opts(argc, argv, "get",
                        "Usage: search get [--db DIR]... [--partial] [--timeout MS] [--json] ID\n"
                        "Show the stored document ID: title, date, language, source, named\n"
                        "entities and text.  Exit status 1 if there is no such document.\n",
                        true, &o);
    if (rc >= 0)
        return rc;
    if (argc - optind != 1) {
        cli_error("search", "get: %s", optind == argc ? "no document ID given"
                                                      : "give exactly one document ID");
        fprintf(stderr, "Try 'search get --help' for more information.\n");
        return CLI_EXIT_USAGE;
    }
    const char *id = argv[optind];
    lsx_db *db = NULL;
    lsx_doc *doc = NULL;
    if ((rc = cli_open_dbs("search", &o.dbs, LSX_DB_READONLY, &db)) != 0)
        return rc;
    int status = lsx_db_get(db, id, &doc);
    if (status == LSX_OK) {
        if (o.json)
            print_doc_json(doc);
        else
            print_doc_text(doc);
        rc = CLI_EXIT_OK;
    } else if (status == LSX_ENOTFOUND) {
        cli_error("search", "no document with id '%s'", id);
        rc = CLI_EXIT_NOMATCH;
    } else {
        cli_error("search", "cannot read document '%s': %s", id, lsx_db_errmsg(db));
        rc = cli_exit_for(status);
    }
    lsx_doc_free(doc);
    lsx_db_free(db);
    return rc;
}

int cli_cmd_delete(int argc, char **argv)
{
    char prog[] = "search delete";
    struct misc_opts o = { .json = false };
    argv[0] = prog;
    int rc = parse_opts(argc, argv, "delete",
                        "Usage: search delete [--db DIR]... [--timeout MS] ID...\n"
                        "Delete the documents with these ids and commit.  Exit status 1 if one of\n"
                        "them did not exist (the others are still deleted).\n",
                        false, &o);
    if (rc >= 0)
        return rc;
    if (optind == argc) {
        cli_error("search", "delete: no document ID given");
        fprintf(stderr, "Try 'search delete --help' for more information.\n");
        return CLI_EXIT_USAGE;
    }
    lsx_db *db = NULL;
    if (o.dbs.n <= 1)   /* a replicated master keeps writing changesets */
        cli_changesets_env(cli_db_path(o.dbs.n ? o.dbs.paths[0] : NULL), 0);
    if ((rc = cli_open_dbs("search", &o.dbs, LSX_DB_WRITABLE, &db)) != 0)
        return rc;
    unsigned deleted = 0;
    for (int i = optind; i < argc && rc != CLI_EXIT_INDEX; i++) {
        int status = lsx_db_delete(db, argv[i]), code;
        if (status == LSX_OK) {
            deleted++;
            continue;
        }
        if (status == LSX_ENOTFOUND) {
            cli_error("search", "no document with id '%s'", argv[i]);
            code = CLI_EXIT_NOMATCH;
        } else {
            cli_error("search", "cannot delete '%s': %s", argv[i], lsx_db_errmsg(db));
            code = cli_exit_for(status);
        }
        if (code > rc)          /* the worst outcome decides the exit status */
            rc = code;
    }
    if (lsx_db_commit(db) != LSX_OK) {
        cli_error("search", "cannot commit the deletion: %s", lsx_db_errmsg(db));
        rc = CLI_EXIT_INDEX;
    } else if (deleted > 0) {
        printf("deleted %u document%s\n", deleted, deleted == 1 ? "" : "s");
    }
    lsx_db_free(db);
    return rc;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fts5 - the SQLite FTS5 baseline of the benchmark.
 *
 *   fts5 index DBFILE TRECFILE
 *       creates DBFILE with
 *         CREATE VIRTUAL TABLE docs USING fts5(docno UNINDEXED, title, body,
 *                                              tokenize='porter unicode61')
 *       and inserts every article with one prepared statement inside one
 *       transaction.  Then it merges the index ('optimize') and VACUUMs the
 *       file: the counterpart of compacting a Xapian database.  Prints
 *       "key value" lines: docs, input_bytes, index_seconds, compact_seconds,
 *       db_bytes (before), compact_bytes (after).
 *   fts5 query DBFILE QUERYFILE K
 *       for each "qid<TAB>text" line runs
 *         SELECT docno FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?
 *       with the query's words quoted and joined by OR; prints
 *       qid<TAB>microseconds<TAB>hits<TAB>first ten docnos (comma-separated)
 *
 * Build: gcc -O2 -std=c11 fts5.c -o fts5 -lsqlite3
 */
#define _POSIX_C_SOURCE 200809L
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long long file_bytes(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

static void die(sqlite3 *db, const char *what)
{
    fprintf(stderr, "fts5: %s: %s\n", what, db ? sqlite3_errmsg(db) : "out of memory");
    exit(1);
}

static void exec(sqlite3 *db, const char *sql)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        die(db, sql);
}

/* A growable string. */
struct buf {
    char *s;
    size_t len, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        if (!b->s) {
            fputs("fts5: out of memory\n", stderr);
            exit(1);
        }
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void buf_clear(struct buf *b)
{
    b->len = 0;
    buf_add(b, "", 0);
}

/* If `line` is "<TAG>value</TAG>", store value in `out` and return 1. */
static int tag_value(const char *line, const char *tag, struct buf *out)
{
    size_t tl = strlen(tag);
    if (line[0] != '<' || strncmp(line + 1, tag, tl) != 0 || line[tl + 1] != '>')
        return 0;
    const char *v = line + tl + 2;
    const char *end = strstr(v, "</");
    buf_clear(out);
    buf_add(out, v, end ? (size_t)(end - v) : strlen(v));
    return 1;
}

static int do_index(const char *dbfile, const char *trecfile)
{
    FILE *in = fopen(trecfile, "r");
    if (!in) {
        perror(trecfile);
        return 1;
    }
    remove(dbfile);
    double t0 = now_seconds();
    sqlite3 *db;
    if (sqlite3_open(dbfile, &db) != SQLITE_OK)
        die(db, dbfile);
    exec(db, "CREATE VIRTUAL TABLE docs USING fts5(docno UNINDEXED, title, body, "
             "tokenize='porter unicode61')");
    exec(db, "BEGIN");
    sqlite3_stmt *ins;
    if (sqlite3_prepare_v2(db, "INSERT INTO docs(docno, title, body) VALUES (?, ?, ?)", -1,
                           &ins, NULL) != SQLITE_OK)
        die(db, "prepare insert");

    struct buf docno = { 0 }, title = { 0 }, text = { 0 };
    buf_clear(&docno), buf_clear(&title), buf_clear(&text);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int in_text = 0;
    long long docs = 0, bytes = 0;
    while ((n = getline(&line, &cap, in)) > 0) {
        bytes += n;
        if (line[n - 1] == '\n')
            line[--n] = '\0';
        if (in_text) {
            if (strcmp(line, "</TEXT>") == 0) {
                in_text = 0;
            } else {
                buf_add(&text, line, (size_t)n);
                buf_add(&text, "\n", 1);
            }
        } else if (strcmp(line, "<DOC>") == 0) {
            buf_clear(&docno), buf_clear(&title), buf_clear(&text);
        } else if (strcmp(line, "<TEXT>") == 0) {
            in_text = 1;
        } else if (strcmp(line, "</DOC>") == 0) {
            sqlite3_bind_text(ins, 1, docno.s, (int)docno.len, SQLITE_STATIC);
            sqlite3_bind_text(ins, 2, title.s, (int)title.len, SQLITE_STATIC);
            sqlite3_bind_text(ins, 3, text.s, (int)text.len, SQLITE_STATIC);
            if (sqlite3_step(ins) != SQLITE_DONE)
                die(db, "insert");
            sqlite3_reset(ins);
            docs++;
        } else if (!tag_value(line, "DOCNO", &docno)) {
            tag_value(line, "TITLE", &title);
        }
    }
    fclose(in);
    free(line);
    sqlite3_finalize(ins);
    exec(db, "COMMIT");
    double t1 = now_seconds();
    long long before = file_bytes(dbfile);
    exec(db, "INSERT INTO docs(docs) VALUES ('optimize')");
    exec(db, "VACUUM");
    sqlite3_close(db);
    double t2 = now_seconds();

    printf("docs %lld\ninput_bytes %lld\nindex_seconds %.3f\ncompact_seconds %.3f\n"
           "db_bytes %lld\ncompact_bytes %lld\n",
           docs, bytes, t1 - t0, t2 - t1, before, file_bytes(dbfile));
    free(docno.s), free(title.s), free(text.s);
    return 0;
}

/* The query's whitespace-separated words, each as an FTS5 string ("a""b"), joined by OR. */
static void match_expr(const char *text, struct buf *out)
{
    buf_clear(out);
    const char *p = text;
    while (*p) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        if (out->len)
            buf_add(out, " OR ", 4);
        buf_add(out, "\"", 1);
        for (; *p && *p != ' ' && *p != '\t'; p++) {
            if (*p == '"')
                buf_add(out, "\"\"", 2);  /* a quote inside an FTS5 string is doubled */
            else
                buf_add(out, p, 1);
        }
        buf_add(out, "\"", 1);
    }
}

static int do_query(const char *dbfile, const char *queryfile, int k)
{
    FILE *in = fopen(queryfile, "r");
    if (!in) {
        perror(queryfile);
        return 1;
    }
    sqlite3 *db;
    if (sqlite3_open_v2(dbfile, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        die(db, dbfile);
    sqlite3_stmt *sel;
    if (sqlite3_prepare_v2(db,
                           "SELECT docno FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?",
                           -1, &sel, NULL) != SQLITE_OK)
        die(db, "prepare select");

    struct buf expr = { 0 }, ids = { 0 };
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, in)) > 0) {
        if (line[n - 1] == '\n')
            line[--n] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = '\0';
        buf_clear(&ids);
        int hits = 0;
        double t0 = now_seconds();
        match_expr(tab + 1, &expr);
        sqlite3_bind_text(sel, 1, expr.s, (int)expr.len, SQLITE_STATIC);
        sqlite3_bind_int(sel, 2, k);
        while (sqlite3_step(sel) == SQLITE_ROW) {
            const char *docno = (const char *)sqlite3_column_text(sel, 0);
            if (hits < 10) {
                if (hits)
                    buf_add(&ids, ",", 1);
                buf_add(&ids, docno, strlen(docno));
            }
            hits++;
        }
        sqlite3_reset(sel);  /* an error (e.g. an empty query) ends the rows: no results */
        double us = (now_seconds() - t0) * 1e6;
        printf("%s\t%.1f\t%d\t%s\n", line, us, hits, ids.s);
    }
    fclose(in);
    free(line);
    free(expr.s), free(ids.s);
    sqlite3_finalize(sel);
    sqlite3_close(db);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "index") == 0)
        return do_index(argv[2], argv[3]);
    if (argc == 5 && strcmp(argv[1], "query") == 0)
        return do_query(argv[2], argv[3], atoi(argv[4]));
    fputs("usage: fts5 index DBFILE TRECFILE\n       fts5 query DBFILE QUERYFILE K\n", stderr);
    return 2;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-reader.c - the article readers: text, TREC and JSON Lines files, plain
 * and gzip, directories (hidden entries and READMEs skipped), malformed
 * records and unreadable files.
 * Fixtures are in tests/data/reader/; symlinks and large files are made at
 * run time in a temporary directory.
 */
#include "libsearch.h"
#include "tap.h"

#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

/* One result of lsx_reader_next, with copies of everything. */
typedef struct item {
    int rc;
    char *id, *title, *date, *lang, *body, *source, *err;
    lsx_date_source dsrc;
    size_t body_len;
    char *warn;               /* lsx_reader_warning ("" if none) */
    lsx_skip_kind skip;       /* for LSX_EPARSE */
} item;

typedef struct run {
    int open_rc;
    char *open_err;
    item *items;
    size_t n, cap;
    int ok, errors;
    uint64_t total, done;
    int monotonic;
} run;

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* Read everything from `path`, recording each result. */
static run read_all(const char *path, lsx_format fmt)
{
    run r = { 0 };
    lsx_reader *rd = NULL;
    r.open_rc = lsx_reader_open(&rd, path, fmt);
    r.monotonic = 1;
    if (r.open_rc != LSX_OK) {
        r.open_err = rd ? strdup(lsx_reader_errmsg(rd)) : NULL;
        lsx_reader_free(rd);
        return r;
    }
    /* ids relative to the directory read (or the file's folder), as the old rule gave */
    struct stat st;
    char root[4200];
    snprintf(root, sizeof root, "%s", path);
    if (stat(path, &st) == 0 && !S_ISDIR(st.st_mode)) {
        char *slash = strrchr(root, '/');
        if (slash)
            *slash = '\0';
        else
            strcpy(root, ".");
    }
    lsx_reader_set_id_root(rd, root);
    r.total = lsx_reader_bytes_total(rd);
    uint64_t last = 0;
    for (;;) {
        lsx_article a;
        int rc = lsx_reader_next(rd, &a);
        if (rc == LSX_DONE)
            break;
        item it = { rc, NULL, NULL, NULL, NULL, NULL, NULL, NULL, LSX_DATE_NONE, 0, NULL, 0 };
        it.warn = strdup(lsx_reader_warning(rd));
        it.skip = lsx_reader_skip_kind(rd);
        if (rc == LSX_OK) {
            it.id = dup_or_null(a.id);
            it.title = dup_or_null(a.title);
            it.date = dup_or_null(a.date);
            it.lang = dup_or_null(a.lang);
            it.body_len = a.body_len ? a.body_len : strlen(a.body);
            it.body = malloc(it.body_len + 1);
            memcpy(it.body, a.body, it.body_len);
            it.body[it.body_len] = '\0';
            it.source = dup_or_null(a.source);
            it.dsrc = a.date_source;
            r.ok++;
        } else {
            it.err = strdup(lsx_reader_errmsg(rd));
            r.errors++;
        }
        uint64_t d = lsx_reader_bytes_done(rd);
        if (d < last)
            r.monotonic = 0;
        last = d;
        if (r.n == r.cap) {
            r.cap = r.cap ? 2 * r.cap : 64;
            r.items = realloc(r.items, r.cap * sizeof *r.items);
        }
        r.items[r.n++] = it;
        if (rc != LSX_OK && rc != LSX_EPARSE && rc != LSX_EIO)
            break;
        if (r.n > 100000)
            break;
    }
    lsx_article a;
    if (lsx_reader_next(rd, &a) != LSX_DONE)     /* stays at the end */
        r.monotonic = 0;
    r.done = lsx_reader_bytes_done(rd);
    lsx_reader_free(rd);
    return r;
}

static void run_free(run *r)
{
    for (size_t i = 0; i < r->n; i++) {
        item *it = &r->items[i];
        free(it->id); free(it->title); free(it->date); free(it->lang);
        free(it->body); free(it->source); free(it->err); free(it->warn);
    }
    free(r->items);
    free(r->open_err);
}

static const item *at(const run *r, size_t i)
{
    static const item none = { 99, NULL, NULL, NULL, NULL, NULL, NULL, NULL, LSX_DATE_NONE, 0, NULL, 0 };
    return i < r->n ? &r->items[i] : &none;
}

static int ends_with(const char *s, const char *tail)
{
    size_t a = s ? strlen(s) : 0, b = strlen(tail);
    return s && a >= b && strcmp(s + a - b, tail) == 0;
}

static int contains(const char *s, const char *part)
{
    return s && strstr(s, part) != NULL;
}

/* Check an article: id, title, date (NULL: none), body. */
static void is_article(const run *r, size_t i, const char *id, const char *title, const char *date,
                       const char *body, const char *what)
{
    const item *it = at(r, i);
    is_int(it->rc, LSX_OK, "%s: item %zu is an article", what, i);
    is_str(it->id, id, "%s: id", what);
    is_str(it->title, title, "%s: title", what);
    is_str(it->date, date, "%s: date", what);
    is_int(it->dsrc, date ? LSX_DATE_HEADER : LSX_DATE_NONE, "%s: date source", what);
    if (body)
        is_str(it->body, body, "%s: body", what);
}

static void is_error(const run *r, size_t i, int rc, const char *where, const char *what_text,
                     const char *what)
{
    const item *it = at(r, i);
    is_int(it->rc, rc, "%s: item %zu is an error", what, i);
    ok(contains(it->err, where), "%s: message names '%s' (%s)", what, where, it->err ? it->err : "-");
    ok(contains(it->err, what_text), "%s: message says '%s'", what, what_text);
}

static char dir[4096];

static const char *fixture(const char *rel)
{
    static char path[8][4200];
    static int k;
    k = (k + 1) % 8;
    if (snprintf(path[k], sizeof path[k], "%s/%s", dir, rel) >= (int)sizeof path[k])
        printf("# path too long: %s/%s\n", dir, rel);
    return path[k];
}

static uint64_t file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

static void test_open_errors(void)
{
    lsx_reader *r = NULL;
    is_int(lsx_reader_open(&r, fixture("no/such/file.txt"), LSX_FORMAT_AUTO), LSX_ENOTFOUND, "missing path: ENOTFOUND");
    ok(r && contains(lsx_reader_errmsg(r), "no/such/file.txt"), "missing path: message names it");
    lsx_reader_free(r);
    r = NULL;
    is_int(lsx_reader_open(&r, NULL, LSX_FORMAT_AUTO), LSX_OK, "NULL path: an empty reader");
    lsx_article a0;
    is_int(lsx_reader_next(r, &a0), LSX_DONE, "NULL path: nothing to read");
    is_int(lsx_reader_add(r, NULL), LSX_EINVAL, "add(NULL): EINVAL");
    ok(r && contains(lsx_reader_errmsg(r), "path"), "add(NULL): message");
    lsx_reader_free(r);
    r = NULL;
    is_int(lsx_reader_open(&r, fixture("text"), (lsx_format)42), LSX_EINVAL, "unknown format: EINVAL");
    ok(r && contains(lsx_reader_errmsg(r), "format"), "unknown format: message");
    lsx_reader_free(r);
    is_int(lsx_reader_open(NULL, fixture("text"), LSX_FORMAT_AUTO), LSX_EINVAL, "NULL out: EINVAL");
    lsx_reader_free(NULL);
    is_int(lsx_reader_next(NULL, NULL), LSX_EINVAL, "next(NULL): EINVAL");
    is_int(lsx_reader_bytes_total(NULL), 0, "bytes_total(NULL)");

    r = NULL;
    if (lsx_reader_open(&r, fixture("text/header.txt"), LSX_FORMAT_AUTO) == LSX_OK) {
        lsx_article a;
        is_int(lsx_reader_next(r, NULL), LSX_EINVAL, "next with NULL article: EINVAL");
        is_int(lsx_reader_next(r, &a), LSX_OK, "reading goes on after a bad call");
        is_str(lsx_reader_errmsg(r), "", "no message after success");
        is_int(lsx_reader_next(r, &a), LSX_DONE, "then DONE");
        is_int(lsx_reader_next(r, &a), LSX_DONE, "and DONE again");
    } else {
        ok(0, "open text/header.txt");
    }
    lsx_reader_free(r);
}

static void test_text(void)
{
    run r = read_all(fixture("text"), LSX_FORMAT_AUTO);
    is_int(r.open_rc, LSX_OK, "text: open directory");
    is_int(r.ok, 9, "text: 9 articles");
    is_int(r.errors, 2, "text: 2 errors (the empty and the blank file)");
    size_t i = 0;
    is_int(at(&r, i)->rc, LSX_OK, "text: a bad header date does not cost the article");
    is_str(at(&r, i)->id, "bad-date", "text: bad header date: id");
    is_str(at(&r, i)->title, "An impossible day", "text: bad header date: title kept");
    ok(at(&r, i)->date == NULL && at(&r, i)->dsrc == LSX_DATE_UNREADABLE,
       "text: bad header date: no date, date source says the header was unreadable");
    ok(contains(at(&r, i)->warn, "bad-date.txt:1: field date: cannot read the date '2022-02-30'"),
       "text: bad header date: warning names file, line and field (%s)", at(&r, i)->warn);
    i++;
    is_error(&r, i, LSX_EPARSE, "blank.txt", "blank file", "text: blank file");
    is_int(at(&r, i++)->skip, LSX_SKIP_EMPTY, "text: blank file: skip kind EMPTY");
    is_article(&r, i++, "bom", "Title after a byte order mark", NULL, "Body text.", "text: BOM");
    is_article(&r, i++, "compressed", "Compressed article", "2023-11-20", "This file is gzip-compressed.",
               "text: .txt.gz");
    ok(ends_with(at(&r, i - 1)->source, "text/compressed.txt.gz"), "text: source is the file path");
    is_article(&r, i++, "crlf", "Windows line endings", "2024-01-02", "First line.\n\nSecond line.",
               "text: CRLF");
    is_article(&r, i++, "date-palms", "date palms grow in the desert", NULL,
               "A first line that only starts with the word date.", "text: 'date' that is no header");
    is_article(&r, i++, "empty-title", "Title after an empty header title", "2023-05-06",
               "The body starts here.", "text: header without a title");
    is_error(&r, i, LSX_EPARSE, "empty.txt", "empty file", "text: empty file");
    is_int(at(&r, i++)->skip, LSX_SKIP_EMPTY, "text: empty file: skip kind EMPTY");
    is_article(&r, i++, "header", "ASEAN officials meet in Phnom Penh", "2022-02-16",
               "Senior officials met in Phnom Penh on Wednesday.\n\nThey prepared the ministers' retreat.",
               "text: header");
    is_article(&r, i++, "no-header", "Flood warning for Huế", NULL,
               "Heavy rain is expected in Thừa Thiên Huế.\nResidents were told to move to higher ground.",
               "text: no header");
    is_article(&r, i++, "title-only", "Only a title", "2022-03-03", "", "text: title only");
    is_int(r.n, i, "text: nothing else");
    ok(r.total > 0 && r.done == r.total, "text: bytes_done reaches bytes_total (%llu)", (unsigned long long)r.total);
    ok(r.monotonic, "text: bytes_done never goes back");
    run_free(&r);

    /* a single file: id is its name without extensions; lang stays unset */
    r = read_all(fixture("text/header.txt"), LSX_FORMAT_AUTO);
    is_int(r.n, 1, "single text file: one article");
    is_str(at(&r, 0)->id, "header", "single text file: id");
    ok(ends_with(at(&r, 0)->source, "/text/header.txt"), "single text file: source");
    ok(at(&r, 0)->lang == NULL, "single text file: lang NULL");
    is_int(r.total, file_size(fixture("text/header.txt")), "single text file: bytes_total is its size");
    run_free(&r);

    /* the format can be forced */
    r = read_all(fixture("trec/good.trec"), LSX_FORMAT_TEXT);
    is_int(r.ok, 1, "forced text: a TREC file is one article");
    is_str(at(&r, 0)->id, "good", "forced text: id from the file name");
    is_str(at(&r, 0)->title, "<DOC>", "forced text: first line is the title");
    run_free(&r);
    r = read_all(fixture("text/header.txt"), LSX_FORMAT_JSONL);
    is_error(&r, 0, LSX_EPARSE, "header.txt:1:", "invalid JSON", "forced jsonl on text");
    is_error(&r, 2, LSX_EPARSE, "header.txt:4:", "invalid JSON", "forced jsonl on text: last line");
    is_int(r.n, 3, "forced jsonl on text: an error per line, then DONE");
    run_free(&r);
}

static void test_trec(void)
{
    run r = read_all(fixture("trec"), LSX_FORMAT_AUTO);
    is_int(r.open_rc, LSX_OK, "trec: open directory");
    size_t i = 0;
    /* bad.trec: malformed documents in the middle; the good ones around them are read */
    is_article(&r, i++, "B1", NULL, NULL, "good one", "trec bad.trec: B1");
    ok(ends_with(at(&r, i - 1)->source, "trec/bad.trec:1"), "trec: source is file:LINE of <DOC>");
    is_error(&r, i++, LSX_EPARSE, "bad.trec:7:", "<DOCNO>", "trec: missing DOCNO");
    is_error(&r, i++, LSX_EPARSE, "bad.trec:17:", "<DOC> inside", "trec: <DOC> inside <DOC>");
    ok(contains(at(&r, i - 1)->err, "line 13"), "trec: message names where the open <DOC> began");
    is_article(&r, i++, "B4", NULL, NULL, "after the resynchronisation", "trec: resynchronised at <DOC>");
    ok(ends_with(at(&r, i - 1)->source, "bad.trec:17"), "trec: B4 starts at line 17");
    is_article(&r, i++, "B5", NULL, "2022-02-16", "bad date", "trec: <DATE>16 Feb 2022</DATE> is read");
    is_article(&r, i++, "B6", NULL, "1987-02-26", "still read", "trec: B6 after the bad date");
    is_error(&r, i++, LSX_EPARSE, "bad.trec:37:", "end of file", "trec: EOF inside <DOC>");
    /* copy.sgml.gz: gzip of good.trec */
    const char *d1body = "Line one of the first document.\nA < B and C > D are content, and so is <P> or </DOCNUMBER>.";
    is_article(&r, i++, "D1", "First document", "2022-02-16", d1body, "trec .sgml.gz: D1");
    ok(ends_with(at(&r, i - 1)->source, "trec/copy.sgml.gz:1"), "trec .sgml.gz: source");
    is_article(&r, i++, "D2", "An inline headline", "2023-01-05", "first block\nsecond block",
               "trec .sgml.gz: D2 inline tags, HEADLINE, YYYYMMDD, TEXT blocks");
    is_article(&r, i++, "D3", NULL, NULL, "", "trec .sgml.gz: D3 empty text");
    /* crlf.trec */
    is_article(&r, i++, "C1", "Carriage returns", NULL, "line one\nline two", "trec: CRLF");
    /* good.trec */
    is_article(&r, i++, "D1", "First document", "2022-02-16", d1body, "trec: D1");
    is_article(&r, i++, "D2", "An inline headline", "2023-01-05", "first block\nsecond block", "trec: D2");
    ok(ends_with(at(&r, i - 1)->source, "trec/good.trec:10"), "trec: D2 source line");
    is_article(&r, i++, "D3", NULL, NULL, "", "trec: D3");
    ok(at(&r, i - 1)->lang == NULL, "trec: lang stays NULL");
    is_int(r.n, i, "trec: nothing else");
    is_int(r.ok, 11, "trec: 11 documents");
    is_int(r.errors, 3, "trec: 3 errors");
    ok(r.done == r.total, "trec: bytes_done reaches bytes_total");
    run_free(&r);
}

static void test_jsonl(void)
{
    run r = read_all(fixture("jsonl"), LSX_FORMAT_AUTO);
    is_int(r.open_rc, LSX_OK, "jsonl: open directory");
    size_t i = 0;
    is_article(&r, i++, "k1", NULL, NULL, "ok", "jsonl bad.jsonl: k1");
    ok(ends_with(at(&r, i - 1)->source, "jsonl/bad.jsonl:1"), "jsonl: source is file:LINE");
    is_error(&r, i++, LSX_EPARSE, "bad.jsonl:2:", "invalid JSON", "jsonl: broken JSON");
    ok(contains(at(&r, i - 1)->err, "(column "), "jsonl: message gives the column");
    is_article(&r, i++, "bad#3", "no id", NULL, "x", "jsonl: no id: the file's id and record number");
    is_error(&r, i++, LSX_EPARSE, "bad.jsonl:4:", "\"body\": missing", "jsonl: no body");
    is_error(&r, i++, LSX_EPARSE, "bad.jsonl:5:", "\"id\": expected", "jsonl: id of the wrong type");
    is_error(&r, i++, LSX_EPARSE, "bad.jsonl:6:", "\"body\": expected", "jsonl: body of the wrong type");
    is_article(&r, i++, "k7", NULL, "2022-02-16", "x", "jsonl: date 2022/02/16 is read");
    is_article(&r, i++, "k8", NULL, NULL, "x", "jsonl: a title of the wrong type is left out");
    ok(contains(at(&r, i - 1)->warn, "bad.jsonl:8: field \"title\": expected a string"),
       "jsonl: ... with a warning naming file, line and field (%s)", at(&r, i - 1)->warn);
    is_error(&r, i++, LSX_EPARSE, "bad.jsonl:9:", "object", "jsonl: not an object");
    is_article(&r, i++, "k10", NULL, NULL, "last one", "jsonl: the line after the errors");
    /* crlf.ndjson.gz */
    is_article(&r, i++, "n1", NULL, NULL, "first", "jsonl .ndjson.gz CRLF: n1");
    is_article(&r, i++, "n2", NULL, NULL, "second", "jsonl .ndjson.gz CRLF: n2");
    ok(ends_with(at(&r, i - 1)->source, "crlf.ndjson.gz:3"), "jsonl: blank line counted");
    /* good.jsonl */
    is_article(&r, i++, "j1", "Hello", "2022-02-16", "Body one", "jsonl: all fields");
    is_str(at(&r, i - 1)->lang, "en", "jsonl: lang");
    is_article(&r, i++, "42", NULL, NULL, "Body two with \"quotes\" and tiếng Việt", "jsonl: docno and text");
    is_article(&r, i++, "j3", NULL, NULL, "", "jsonl: nulls and empty body");
    ok(at(&r, i - 1)->lang == NULL, "jsonl: empty lang is NULL");
    is_article(&r, i++, "7", NULL, "2024-01-31", "real id", "jsonl: numeric id, YYYYMMDD date");
    is_int(r.n, i, "jsonl: nothing else");
    is_int(r.ok, 11, "jsonl: 11 articles");
    is_int(r.errors, 5, "jsonl: 5 errors");
    run_free(&r);
}

static void test_tree(void)
{
    run r = read_all(fixture("tree"), LSX_FORMAT_AUTO);
    is_int(r.open_rc, LSX_OK, "tree: open");
    size_t i = 0;
    is_article(&r, i++, "READMEFIRST", "Not a readme", NULL, "READMEFIRST is an ordinary name.",
               "tree: only README and README.* are skipped");
    is_article(&r, i++, "Z-upper", "Upper case sorts first", NULL, "Because Z is 0x5A.", "tree: byte order");
    is_article(&r, i++, "a", "Article A", "2022-06-01", "Body of A.", "tree: a.txt");
    is_article(&r, i++, "T1", NULL, NULL, "sniffed as TREC", "tree: TREC found by content");
    is_article(&r, i++, "J1", NULL, NULL, "sniffed as JSON Lines", "tree: JSON Lines found by content");
    is_error(&r, i++, LSX_EPARSE, "d-binary.dat", "not a text file", "tree: binary file");
    is_error(&r, i++, LSX_EPARSE, "e-latin1", "not a text file", "tree: not UTF-8");
    is_article(&r, i++, "Z1", NULL, NULL, "gzip found by its magic bytes", "tree: gzip without .gz");
    is_article(&r, i++, "nested/deeper/h", "Deep", "2021-12-31", "Nested and compressed.", "tree: nested .text.gz");
    is_article(&r, i++, "nested/g", "Markdown file", NULL, "Read as text by content.", "tree: nested .md");
    is_int(r.n, i, "tree: hidden files and directories, README.md and nested/readme.txt skipped");
    static const char *const files[] = { "READMEFIRST.txt", "Z-upper.txt", "a.txt", "b-sniff", "c-sniff", "d-binary.dat", "e-latin1",
                                         "f-zipped", "nested/deeper/h.text.gz", "nested/g.md" };
    uint64_t total = 0;
    char rel[256];
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
        if (snprintf(rel, sizeof rel, "tree/%s", files[k]) >= (int)sizeof rel)
            continue;
        total += file_size(fixture(rel));
    }
    is_int(r.total, total, "tree: bytes_total is the sum of the file sizes");
    is_int(r.done, total, "tree: bytes_done at the end");
    ok(r.monotonic, "tree: bytes_done never goes back");
    run_free(&r);

    /* a README named explicitly is read like any file */
    r = read_all(fixture("tree/README.md"), LSX_FORMAT_AUTO);
    is_article(&r, 0, "README", "# Test tree", NULL, "This README describes the fixtures and is not an article.",
               "tree: README.md opened by name");
    run_free(&r);

    /* a path with a trailing slash gives the same ids */
    r = read_all(fixture("tree/nested/"), LSX_FORMAT_AUTO);
    is_int(r.ok, 2, "trailing slash: 2 articles");
    is_str(at(&r, 0)->id, "deeper/h", "trailing slash: id relative to the directory");
    ok(contains(at(&r, 0)->source, "nested/deeper/h.text.gz") && !contains(at(&r, 0)->source, "//"),
       "trailing slash: clean source path");
    run_free(&r);
}

static void test_broken_gzip(void)
{
    run r = read_all(fixture("broken"), LSX_FORMAT_AUTO);
    size_t i = 0;
    while (i < r.n && at(&r, i)->rc == LSX_OK)
        i++;
    ok(i >= 10, "truncated gzip: the documents before the damage are read (%zu)", i);
    int seq = 1;
    char want[32];
    for (size_t k = 0; k < i; k++) {
        snprintf(want, sizeof want, "X%zu", k);
        if (!at(&r, k)->id || strcmp(at(&r, k)->id, want) != 0)
            seq = 0;
    }
    ok(seq, "truncated gzip: documents in order");
    is_error(&r, i, LSX_EIO, "a-truncated.trec.gz", "unexpected end of file", "truncated gzip: EIO");
    is_article(&r, i + 1, "b-ok", "After the broken file", NULL, "Still read.", "truncated gzip: next file read");
    is_int(r.n, i + 2, "truncated gzip: then the end");
    ok(r.done == r.total, "truncated gzip: bytes_done reaches bytes_total");
    run_free(&r);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void test_runtime_files(void)
{
    char tmp[] = "/tmp/lsx-test-reader-XXXXXX";
    if (!mkdtemp(tmp)) {
        ok(0, "mkdtemp: %s", strerror(errno));
        return;
    }
    char p[512], q[512];
#define AT(buf, name) (snprintf(buf, sizeof buf, "%s/%s", tmp, name) < (int)sizeof buf ? buf : "")
    write_file(AT(p, "a.txt"), "Alpha\nfirst\n");
    int links = symlink("a.txt", AT(p, "b-link.txt")) == 0;
    links &= symlink(".", AT(p, "c-loop")) == 0;
    links &= symlink("nowhere.txt", AT(p, "d-dangling.txt")) == 0;
    write_file(AT(p, "e.txt"), "Echo\nlast\n");
    mkdir(AT(p, "sub"), 0755);
    write_file(AT(p, "sub/f.txt"), "Foxtrot\nnested\n");
    links &= symlink("..", AT(p, "sub/up")) == 0;
    ok(links, "symlinks made");

    run r = read_all(tmp, LSX_FORMAT_AUTO);
    size_t i = 0;
    is_article(&r, i++, "a", "Alpha", NULL, "first", "links: a.txt");
    /* b-link.txt is a.txt again: a file reached through two paths is read once */
    is_error(&r, i++, LSX_EIO, "c-loop", "symbolic links", "links: a link back to the folder is a loop");
    is_error(&r, i++, LSX_EIO, "d-dangling.txt", "cannot open", "links: dangling symlink");
    is_article(&r, i++, "e", "Echo", NULL, "last", "links: reading goes on after EIO");
    is_article(&r, i++, "sub/f", "Foxtrot", NULL, "nested", "links: subdirectory");
    is_error(&r, i++, LSX_EIO, "sub/up", "symbolic links", "links: a link up the tree is a loop");
    is_int(r.n, i, "links: nothing else");
    is_int(r.total, file_size(AT(p, "a.txt")) + file_size(AT(p, "e.txt")) + file_size(AT(p, "sub/f.txt")),
           "links: bytes_total counts each file once");
    run_free(&r);

    /* a folder holding only a symlink to a folder: followed */
    char only[600], real[600], link[700];
    snprintf(only, sizeof only, "%s/only", tmp);
    snprintf(real, sizeof real, "%s/real", tmp);
    snprintf(link, sizeof link, "%s/only/news", tmp);
    mkdir(only, 0755);
    mkdir(real, 0755);
    write_file(AT(p, "real/g.txt"), "Golf\nthrough a link\n");
    ok(symlink("../real", link) == 0, "link to a folder made");
    r = read_all(only, LSX_FORMAT_AUTO);
    is_int(r.ok, 1, "only a symlink to a folder: the folder is followed");
    is_str(at(&r, 0)->title, "Golf", "... and its article read");
    run_free(&r);
    /* the same file through three paths has one id */
    const char *ids[3];
    char paths[3][700];
    snprintf(paths[0], sizeof paths[0], "%s/real", tmp);
    snprintf(paths[1], sizeof paths[1], "%s/only/news", tmp);
    snprintf(paths[2], sizeof paths[2], "%s/sub/../real/./", tmp);
    char *got[3] = { NULL, NULL, NULL };
    for (int k = 0; k < 3; k++) {
        lsx_reader *rd = NULL;
        lsx_article a;
        if (lsx_reader_open(&rd, paths[k], LSX_FORMAT_AUTO) == LSX_OK && lsx_reader_set_id_root(rd, tmp) == LSX_OK &&
            lsx_reader_next(rd, &a) == LSX_OK)
            got[k] = strdup(a.id);
        lsx_reader_free(rd);
        ids[k] = got[k] ? got[k] : "(none)";
    }
    is_str(ids[0], "real/g", "id through the folder: its path below the id root");
    is_str(ids[1], "real/g", "id through a symlink: the same");
    is_str(ids[2], "real/g", "id through ../ and ./: the same");
    for (int k = 0; k < 3; k++)
        free(got[k]);
    /* exclude globs, skipped folders, ids with spaces */
    write_file(AT(p, "real/draft g.bak"), "Draft\nnot wanted\n");
    write_file(AT(p, "real/h i%.txt"), "Hotel\nspaces in the name\n");
    lsx_reader *rd = NULL;
    lsx_reader_open(&rd, NULL, LSX_FORMAT_AUTO);
    lsx_reader_set_id_root(rd, tmp);
    is_int(lsx_reader_exclude(rd, "*.bak"), LSX_OK, "exclude *.bak");
    is_int(lsx_reader_skip_dir(rd, AT(p, "sub")), LSX_OK, "skip_dir sub");
    is_int(lsx_reader_add(rd, tmp), LSX_OK, "add the folder");
    int saw_bak = 0, saw_sub = 0, saw_space = 0;
    for (size_t k = 0; k < lsx_reader_file_count(rd); k++) {
        const char *id = lsx_reader_file_id(rd, k);
        saw_bak |= contains(id, "draft");
        saw_sub |= contains(id, "sub/");
        saw_space |= strcmp(id, "real/h%20i%25") == 0;
    }
    ok(!saw_bak, "excluded names are not listed");
    ok(!saw_sub, "a skipped folder is not entered");
    ok(saw_space, "white space and %% in a file name are percent-encoded in its id");
    ok(lsx_reader_file_mtime(rd, 0) > 0 && lsx_reader_file_size(rd, 0) > 0, "file size and mtime known");
    uint64_t h1 = 0, h2 = 0;
    ok(lsx_reader_file_hash(rd, 0, &h1) == LSX_OK && lsx_reader_file_hash(rd, 0, &h2) == LSX_OK && h1 == h2 && h1,
       "file hash is stable");
    lsx_reader_free(rd);
    remove(AT(p, "real/draft g.bak"));
    remove(AT(p, "real/h i%.txt"));
    remove(link);
    remove(AT(p, "real/g.txt"));
    rmdir(only);
    rmdir(real);

    /* records crossing buffer boundaries: many TREC documents, a 1 MB JSON line */
    FILE *f = fopen(AT(p, "many.trec"), "wb");
    for (int k = 0; f && k < 5000; k++)
        fprintf(f, "<DOC>\n<DOCNO>M%d</DOCNO>\n<TITLE>Title %d</TITLE>\n<TEXT>\nbody of document %d\n"
                   "with a second line\n</TEXT>\n</DOC>\n", k, k, k);
    if (f)
        fclose(f);
    r = read_all(AT(p, "many.trec"), LSX_FORMAT_AUTO);
    is_int(r.ok, 5000, "many.trec: 5000 documents");
    is_int(r.errors, 0, "many.trec: no errors");
    is_article(&r, 4321, "M4321", "Title 4321", NULL, "body of document 4321\nwith a second line", "many.trec: M4321");
    ok(ends_with(at(&r, 4321)->source, ":34569"), "many.trec: line numbers (%s)", at(&r, 4321)->source);
    run_free(&r);

    f = fopen(AT(p, "big.jsonl"), "wb");
    if (f) {
        fputs("{\"id\": \"big\", \"body\": \"", f);
        for (int k = 0; k < 100000; k++)
            fputs("0123456789", f);
        fputs("\"}\n{\"id\": \"small\", \"body\": \"after\"}\n", f);
        fclose(f);
    }
    r = read_all(AT(p, "big.jsonl"), LSX_FORMAT_AUTO);
    is_int(r.ok, 2, "big.jsonl: 2 records");
    is_int(at(&r, 0)->body_len, 1000000, "big.jsonl: 1 MB body");
    is_str(at(&r, 1)->id, "small", "big.jsonl: the line after it");
    run_free(&r);

    const char *names[] = { "a.txt", "b-link.txt", "c-loop", "d-dangling.txt", "e.txt", "sub/f.txt", "sub/up",
                            "many.trec", "big.jsonl", "sub" };
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (remove(AT(q, names[k])) != 0)
            printf("# could not remove %s: %s\n", q, strerror(errno));
    rmdir(tmp);
#undef AT
}

static void test_shared(void)
{
    const char *shared = tap_shared_dir();
    if (!shared) {
        printf("# LSX_SHARED not set or absent: shared corpora not read\n");
        return;
    }
    char path[4200];
    if (snprintf(path, sizeof path, "%s/seeds", shared) >= (int)sizeof path)
        return;
    run r = read_all(path, LSX_FORMAT_AUTO);
    is_int(r.ok, 5, "seeds: 5 articles");
    is_int(r.errors, 0, "seeds: no errors");
    is_str(at(&r, 0)->id, "000_613cb4cec681f5fe", "seeds: first id");
    is_str(at(&r, 0)->date, "2022-02-16", "seeds: 000 date");
    is_int(at(&r, 0)->dsrc, LSX_DATE_HEADER, "seeds: 000 date from the header");
    is_str(at(&r, 0)->title, "ASEAN senior officials meet face to face in Phnom Penh", "seeds: 000 title");
    is_str(at(&r, 1)->date, "2022-01-06", "seeds: 001 date");
    ok(at(&r, 1)->body && strncmp(at(&r, 1)->body, "Việt Nam attends virtual SOM", 29) == 0,
       "seeds: 001 body starts with the headline line");
    ok(at(&r, 2)->date == NULL && at(&r, 3)->date == NULL && at(&r, 4)->date == NULL,
       "seeds: 002-004 have no header date");
    is_str(at(&r, 3)->title, "Hội nghị Quan chức cao cấp ASEAN tại Phnom Penh, Campuchia", "seeds: 003 title");
    run_free(&r);

    if (snprintf(path, sizeof path, "%s/corpora/cran/docs.trec", shared) >= (int)sizeof path)
        return;
    r = read_all(path, LSX_FORMAT_AUTO);
    is_int(r.ok, 1400, "cran: 1400 documents");
    is_int(r.errors, 0, "cran: no errors");
    is_str(at(&r, 0)->id, "1", "cran: first DOCNO");
    is_str(at(&r, 0)->title, "experimental investigation of the aerodynamics of a wing in a slipstream .", "cran: first title");
    is_str(at(&r, 1399)->id, "1400", "cran: last DOCNO");
    run_free(&r);

    if (snprintf(path, sizeof path, "%s/corpora/reuters21578/docs.trec", shared) >= (int)sizeof path)
        return;
    r = read_all(path, LSX_FORMAT_AUTO);
    is_int(r.ok, 21578, "reuters21578: 21578 documents");
    is_int(r.errors, 0, "reuters21578: no errors");
    is_str(at(&r, 0)->title, "BAHIA COCOA REVIEW", "reuters21578: first title");
    is_str(at(&r, 0)->date, "1987-02-26", "reuters21578: first date");
    ok(r.done == r.total && r.total > 0, "reuters21578: all bytes read");
    run_free(&r);
}

/* lsx_reader_next writes only version 1 of lsx_article, whatever the
 * caller's struct held (an uninitialised one included). */
static void test_article_abi(void)
{
    char path[sizeof dir + 32];
    snprintf(path, sizeof path, "%s/text/header.txt", dir);
    lsx_reader *r = NULL;
    int rc = lsx_reader_open(&r, path, LSX_FORMAT_AUTO);
    union {
        lsx_article a;
        unsigned char bytes[sizeof(lsx_article) + 32];
    } g;
    memset(&g, 0xA5, sizeof g);
    if (rc == LSX_OK)
        rc = lsx_reader_next(r, &g.a);
    is_int(rc, LSX_OK, "read an article into a struct full of garbage");
    size_t end = offsetof(lsx_article, source) + sizeof g.a.source, touched = 0;
    for (size_t i = end; i < sizeof g.bytes; i++)
        touched += g.bytes[i] != 0xA5;
    ok(g.a.version == 1 && g.a.id && *g.a.id && touched == 0,
       "version 1 written, nothing past version 1's last field (%zu bytes changed)", touched);
    lsx_reader_free(r);
}

int main(void)
{
    const char *top = getenv("top_srcdir");
    if (snprintf(dir, sizeof dir, "%s/tests/data/reader", top && *top ? top : ".") >= (int)sizeof dir) {
        printf("Bail out! top_srcdir too long\n");
        return 1;
    }
    struct stat st;
    if (stat(dir, &st) != 0) {
        printf("Bail out! fixtures not found in %s (set top_srcdir)\n", dir);
        return 1;
    }
    test_open_errors();
    test_text();
    test_trec();
    test_jsonl();
    test_tree();
    test_broken_gzip();
    test_runtime_files();
    test_shared();
    test_article_abi();
    return done_testing();
}

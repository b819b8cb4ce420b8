/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-db.c - databases: open/create/lock, add/replace/delete, batches, stats, get. */
#include "private.h"
#include "tap.h"

#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/lsx-test-db.XXXXXX";

static void rmrf(const char *path)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    if (system(cmd) != 0)
        fprintf(stderr, "# could not remove %s\n", path);
}

static lsx_article art(const char *id, const char *title, const char *date, const char *body)
{
    lsx_article a = LSX_ARTICLE_INIT;
    a.id = id;
    a.title = title;
    a.date = date;
    a.body = body;
    return a;
}

int main(void)
{
    if (!mkdtemp(tmpdir))
        skip_all("cannot make a temporary directory");
    char path[300], other[300];
    snprintf(path, sizeof path, "%s/db", tmpdir);
    snprintf(other, sizeof other, "%s/compact", tmpdir);

    lsx_db *db = NULL;
    is_int(lsx_db_open(&db, path, LSX_DB_READONLY, NULL), LSX_ENOTFOUND, "missing database");
    ok(db && strstr(lsx_db_errmsg(db), "no database at") != NULL, "message names it: %s", lsx_db_errmsg(db));
    lsx_db_free(db);

    lsx_db_options o = LSX_DB_OPTIONS_INIT;
    o.batch_size = 2;
    is_int(lsx_db_open(&db, path, LSX_DB_WRITABLE | LSX_DB_CREATE, &o), LSX_OK, "create");

    lsx_db *second = NULL;
    is_int(lsx_db_open(&second, path, LSX_DB_WRITABLE, NULL), LSX_ELOCKED, "a second writer is refused");
    ok(second && strstr(lsx_db_errmsg(second), "lock") != NULL, "lock message: %s", lsx_db_errmsg(second));
    lsx_db_free(second);

    lsx_article a1 = art("a1", "ASEAN ministers meet in Phnom Penh", "2022-02-16",
                         "Foreign ministers of ASEAN met in Phnom Penh, Cambodia, on Wednesday.");
    lsx_article a2 = art("a2", "Hội nghị ASEAN tại Phnom Penh", "2022-02-17",
                         "Ngày 16/2, Hội nghị Quan chức cao cấp ASEAN đã diễn ra tại Phnom Penh, Campuchia.");
    lsx_article a3 = art("a3", "Floods in Da Nang", NULL,
                         "Heavy rain flooded streets in Da Nang on Saturday, January 7, 2023.");
    int replaced = -1;
    is_int(lsx_db_add(db, &a1, &replaced), LSX_OK, "add a1");
    is_int(replaced, 0, "a1 is new");
    is_int(lsx_db_add(db, &a2, NULL), LSX_OK, "add a2 (completes a batch of 2)");
    is_int(lsx_db_add(db, &a3, NULL), LSX_OK, "add a3 (pending)");

    /* A reader sees only committed batches. */
    lsx_db *reader = NULL;
    is_int(lsx_db_open(&reader, path, LSX_DB_READONLY, NULL), LSX_OK, "open a reader while writing");
    lsx_db_stats st = LSX_DB_STATS_INIT;
    is_int(lsx_db_stats_get(reader, &st), LSX_OK, "reader stats");
    is_int(st.documents, 2, "the committed batch is visible, the pending article is not");
    lsx_db_free(reader);

    is_int(lsx_db_commit(db), LSX_OK, "commit");
    a1.title = "ASEAN foreign ministers meet in Phnom Penh";
    is_int(lsx_db_add(db, &a1, &replaced), LSX_OK, "add a1 again");
    is_int(replaced, 1, "a1 was replaced");

    lsx_article bad = art("", "t", NULL, "b");
    is_int(lsx_db_add(db, &bad, NULL), LSX_EINVAL, "empty id is refused");
    bad = art("bad-date", "t", "2022-02-30", "b");
    is_int(lsx_db_add(db, &bad, NULL), LSX_EINVAL, "impossible date is refused");
    ok(strstr(lsx_db_errmsg(db), "field date") && strstr(lsx_db_errmsg(db), "bad-date"),
       "message names article and field: %s", lsx_db_errmsg(db));
    bad = art("bad-lang", "t", NULL, "b");
    bad.lang = "Viet Nam";
    is_int(lsx_db_add(db, &bad, NULL), LSX_EINVAL, "bad language code is refused");
    bad = art("no-body", "t", NULL, NULL);
    is_int(lsx_db_add(db, &bad, NULL), LSX_EINVAL, "missing body is refused");
    char longid[300];
    memset(longid, 'x', sizeof longid - 1);
    longid[sizeof longid - 1] = '\0';
    bad = art(longid, "t", NULL, "b");
    is_int(lsx_db_add(db, &bad, NULL), LSX_EINVAL, "over-long id is refused");
    static const char *const unusable[] = { "two words", "tab\there", "new\nline", "nbsp\x7f", "\x1b[1m" };
    for (size_t k = 0; k < sizeof unusable / sizeof unusable[0]; k++) {
        bad = art(unusable[k], "t", NULL, "b");
        is_int(lsx_db_add(db, &bad, NULL), LSX_EINVAL, "an id with white space or a control byte is refused (%zu)", k);
    }
    ok(strstr(lsx_db_errmsg(db), "TREC"), "... saying why: %s", lsx_db_errmsg(db));

    /* dates with the time of day; the sort value in LSX_SLOT_DATETIME */
    lsx_article timed = art("timed", "Timed", "2022-02-16T08:30:15+07:00", "body");
    is_int(lsx_db_add(db, &timed, NULL), LSX_OK, "a date with a time and an offset is accepted");
    bad = art("bad-time", "t", "2022-02-16T25:00", "b");
    is_int(lsx_db_add(db, &bad, NULL), LSX_EINVAL, "an impossible time is refused");
    bad = art("space-time", "t", "2022-02-16 08:30", "b");
    is_int(lsx_db_add(db, &bad, NULL), LSX_EINVAL, "a date not in the canonical form is refused");
    lsx_article unread = art("unread", "Unread", NULL, "Officials met on 6 January 2022 in Hanoi.");
    unread.date_source = LSX_DATE_UNREADABLE;
    is_int(lsx_db_add(db, &unread, NULL), LSX_OK, "an article whose header date was unreadable");
    lsx_doc *td = NULL;
    is_int(lsx_db_get(db, "timed", &td), LSX_OK, "get timed");
    is_str(td ? lsx_doc_date(td) : "", "2022-02-16T08:30:15+07:00", "the date keeps its time and offset");
    lsx_doc_free(td);
    char *sv = NULL, verr[LSX_ERRLEN];
    size_t svl = 0;
    is_int(lsx__db_commit(db), LSX_OK, "commit before reading values");
    is_int(xs_db_get_value(db->x, "Qtimed", 6, LSX_SLOT_DATETIME, &sv, &svl, verr, sizeof verr), LSX_OK,
           "read the date-time sort value");
    ok(sv && svl == 14 && memcmp(sv, "20220216083015", 14) == 0, "LSX_SLOT_DATETIME is YYYYMMDDhhmmss as written");
    free(sv);
    sv = NULL;
    is_int(xs_db_get_value(db->x, "Qa1", 3, LSX_SLOT_DATETIME, &sv, &svl, verr, sizeof verr), LSX_OK,
           "read a1's sort value");
    ok(sv && svl == 8 && memcmp(sv, "20220216", 8) == 0, "... a date without a time is YYYYMMDD");
    free(sv);
    td = NULL;
    is_int(lsx_db_get(db, "unread", &td), LSX_OK, "get unread");
    is_str(td ? lsx_doc_date(td) : "", "2022-01-06", "... its date is found in the text");
    is_int(td ? lsx_doc_date_source(td) : LSX_DATE_NONE, LSX_DATE_UNREADABLE, "... and its source says the header was unreadable");
    lsx_doc_free(td);
    is_int(lsx_db_delete(db, "timed"), LSX_OK, "delete timed");
    is_int(lsx_db_delete(db, "unread"), LSX_OK, "delete unread");
    /* metadata */
    char *mv = NULL;
    size_t ml = 0;
    is_int(lsx_db_set_metadata(db, "app.key", "value", 5), LSX_OK, "set metadata");
    is_int(lsx_db_get_metadata(db, "app.key", &mv, &ml), LSX_OK, "get metadata");
    ok(mv && ml == 5 && memcmp(mv, "value", 5) == 0, "metadata read back");
    free(mv);
    is_int(lsx_db_get_metadata(db, "app.none", &mv, &ml), LSX_OK, "get a missing key");
    ok(mv == NULL && ml == 0, "... gives NULL");
    is_int(lsx_db_set_metadata(db, "libsearch.schema", "9", 1), LSX_EINVAL, "the library's keys are refused");
    is_int(lsx_db_set_metadata(db, "app.key", NULL, 0), LSX_OK, "an empty value removes the key");
    is_int(lsx_db_get_metadata(db, "app.key", &mv, &ml), LSX_OK, "get it again");
    ok(mv == NULL, "... it is gone");

    is_int(lsx_db_delete(db, "a3"), LSX_OK, "delete a3");
    is_int(lsx_db_delete(db, "a3"), LSX_ENOTFOUND, "deleting it again: not found");
    is_int(lsx_db_add(db, &a3, NULL), LSX_OK, "add a3 back");
    lsx_db_free(db); /* commits what is pending */

    is_int(lsx_db_open(&db, path, LSX_DB_READONLY, NULL), LSX_OK, "reopen read-only");
    is_int(lsx_db_stats_get(db, &st), LSX_OK, "stats");
    is_int(st.documents, 3, "three documents after replace/delete/add (free committed)");
    uint64_t n = 0;
    is_int(lsx_db_lang_count(db, "en", &n), LSX_OK, "language count");
    is_int(n, 2, "two English");
    is_int(lsx_db_lang_count(db, "vi", &n), LSX_OK, "language count");
    is_int(n, 1, "one Vietnamese");
    is_int(lsx_db_lang_count(db, "fr", &n), LSX_OK, "language count of a language with none");
    is_int(n, 0, "no French");
    const char *lang = NULL;
    is_int(lsx_db_lang_at(db, 0, &lang, &n), LSX_OK, "first language");
    ok(lang && strcmp(lang, "en") == 0 && n == 2, "first language en 2 (%s %d)", lang ? lang : "-", (int)n);
    is_int(lsx_db_lang_at(db, 1, &lang, &n), LSX_OK, "second language");
    ok(lang && strcmp(lang, "vi") == 0 && n == 1, "second language vi 1 (%s %d)", lang ? lang : "-", (int)n);
    is_int(lsx_db_lang_at(db, 2, &lang, &n), LSX_DONE, "no third language");
    is_int(st.dated, 3, "all three dated (a3 from its text)");
    is_str(st.first_date, "2022-02-16", "first date");
    is_str(st.last_date, "2023-01-07", "last date");
    ok(st.disk_bytes > 0, "size on disk %llu", (unsigned long long)st.disk_bytes);
    /* Words of title and body: a1 7 (its new title) + 11, a2 6 + 17 ("16/2"
     * is two words), a3 4 + 12: 57 in three documents. */
    ok(st.avg_words > 19 - 1e-9 && st.avg_words < 19 + 1e-9, "average words %.4f (57/3)", st.avg_words);

    /* The library writes only the bytes the caller's size covers. */
    union {
        lsx_db_stats st;
        unsigned char bytes[sizeof(lsx_db_stats) + 16];
    } guard;
    size_t first = offsetof(lsx_db_stats, last_date) + sizeof st.last_date;
    memset(&guard, 0xA5, sizeof guard);
    guard.st.size = first;
    is_int(lsx_db_stats_get(db, &guard.st), LSX_OK, "stats into the first release's size");
    size_t touched = 0;
    for (size_t i = first; i < sizeof guard.bytes; i++)
        touched += guard.bytes[i] != 0xA5;
    ok(touched == 0 && guard.st.documents == 3 && guard.st.size == first,
       "nothing written past the caller's size (%zu bytes changed)", touched);
    lsx_db_stats small = {.size = first - 1};
    is_int(lsx_db_stats_get(db, &small), LSX_EINVAL, "a size smaller than the first release's is refused");
    ok(strstr(lsx_db_errmsg(db), "LSX_DB_STATS_INIT") != NULL, "message says how to set it: %s", lsx_db_errmsg(db));
    is_int(lsx_db_add(db, &a1, NULL), LSX_EREADONLY, "adding to a read-only database");

    lsx_doc *d = NULL;
    is_int(lsx_db_get(db, "a2", &d), LSX_OK, "get a2");
    is_str(lsx_doc_title(d), "Hội nghị ASEAN tại Phnom Penh", "title");
    is_str(lsx_doc_date(d), "2022-02-17", "date");
    is_int(lsx_doc_date_source(d), LSX_DATE_HEADER, "date from the header");
    is_str(lsx_doc_lang(d), "vi", "language detected");
    size_t blen = 0;
    const char *body = lsx_doc_body(d, &blen);
    ok(body && strcmp(body, a2.body) == 0 && blen == strlen(a2.body), "body round trip");
    int has_cambodia = 0, has_asean = 0;
    for (size_t i = 0; i < lsx_doc_entity_count(d); i++) {
        const lsx_entity *e = lsx_doc_entity(d, i);
        has_cambodia |= strcmp(e->id, "cambodia") == 0;
        has_asean |= strcmp(e->id, "asean") == 0;
    }
    ok(has_cambodia, "Campuchia is stored as the entity cambodia");
    ok(has_asean, "ASEAN is stored as an entity");
    lsx_doc_free(d);
    is_int(lsx_db_get(db, "a3", &d), LSX_OK, "get a3");
    is_str(lsx_doc_date(d), "2023-01-07", "date found in the text");
    is_int(lsx_doc_date_source(d), LSX_DATE_TEXT, "date source: text");
    lsx_doc_free(d);
    is_int(lsx_db_get(db, "nope", &d), LSX_ENOTFOUND, "get a missing id");
    ok(d == NULL, "no document handle on failure");

    is_int(lsx_db_compact(db, other), LSX_OK, "compact");
    lsx_db_free(db);
    is_int(lsx_db_open(&db, other, LSX_DB_READONLY, NULL), LSX_OK, "open the compacted copy");
    is_int(lsx_db_stats_get(db, &st), LSX_OK, "stats of the copy");
    is_int(st.documents, 3, "the copy has every document");
    lsx_db_free(db);

    /* A Xapian database that libsearch did not make is refused, not misread. */
    char foreign[300], err[LSX_ERRLEN];
    snprintf(foreign, sizeof foreign, "%s/foreign", tmpdir);
    xs_db *x = NULL;
    xs_doc *doc = NULL;
    int rc = xs_db_open(&x, foreign, XS_OPEN_WRITE | XS_OPEN_CREATE, err, sizeof err);
    if (rc == LSX_OK)
        rc = xs_doc_new(&doc, err, sizeof err);
    if (rc == LSX_OK)
        rc = xs_db_replace(x, "Qz", 2, doc, NULL, err, sizeof err);
    xs_doc_free(doc);
    xs_db_free(x);
    is_int(rc, LSX_OK, "made a foreign database");
    is_int(lsx_db_open(&db, foreign, LSX_DB_READONLY, NULL), LSX_EVERSION, "foreign database refused");
    lsx_db_free(db);

    /* In memory. */
    is_int(lsx_db_open(&db, NULL, LSX_DB_INMEMORY, NULL), LSX_OK, "in-memory database");
    is_int(lsx_db_add(db, &a1, NULL), LSX_OK, "add in memory");
    is_int(lsx_db_commit(db), LSX_OK, "commit in memory");
    is_int(lsx_db_stats_get(db, &st), LSX_OK, "stats in memory");
    is_int(st.documents, 1, "one document in memory");
    lsx_db_free(db);

    rmrf(tmpdir);
    return done_testing();
}

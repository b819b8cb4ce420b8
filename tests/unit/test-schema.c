/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-schema.c - the schema tables (schema.h) and the text each index
 * stores: prefixes that cannot be confused, slots used once, look-ups by
 * name, the stored text and its comparison, the oldest-first sort key;
 * and what indexes store and how shards that disagree are refused.
 */
#include "private.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_tables(void)
{
    /* Every prefix starts with a capital (no folded word does), and none is
     * the start of another (a term would read as two fields). */
    for (int i = 0; i < LSX_T_COUNT; i++) {
        const lsx_schema_term *a = &lsx__schema_terms[i];
        ok(a->prefix[0] >= 'A' && a->prefix[0] <= 'Z', "prefix %s starts with a capital", a->prefix);
        is_int((long long)a->prefix_len, (long long)strlen(a->prefix), "prefix %s: its length", a->prefix);
        for (int j = 0; j < LSX_T_COUNT; j++)
            if (i != j)
                ok(strncmp(lsx__schema_terms[j].prefix, a->prefix, a->prefix_len) != 0,
                   "prefix %s does not begin prefix %s", a->prefix, lsx__schema_terms[j].prefix);
    }
    /* Slots: each number once. */
    static const unsigned slots[] = {
#define SLOT_NUM(N, s, e) s,
        LSX_SCHEMA_SLOTS(SLOT_NUM)
    };
    size_t ns = sizeof slots / sizeof slots[0];
    for (size_t i = 0; i < ns; i++)
        for (size_t j = i + 1; j < ns; j++)
            ok(slots[i] != slots[j], "slots %zu and %zu differ", i, j);
    is_int(LSX_SLOT_DATE_DESC, 7, "DATE_DESC is slot 7");

    is_int(lsx__schema_field("title", 5), LSX_T_TITLE, "field title");
    is_int(lsx__schema_field("PERSON", 6), LSX_T_PERSON, "field names are ASCII case-insensitive");
    is_int(lsx__schema_field("id", 2), LSX_T_COUNT, "the id is no query field");
    is_int(lsx__schema_field("titl", 4), LSX_T_COUNT, "a prefix of a name is no name");
    const lsx_schema_facet *f = lsx__schema_facet("place", 5);
    ok(f && f->kind == LSX_FACET_ENTITY && f->tag == LSX_ENTITY_PLACE && f->slot == LSX_SLOT_ENTITIES,
       "facet place: entities of type place, slot ENTITIES");
    f = lsx__schema_facet("date", 4);
    ok(f && f->kind == LSX_FACET_DATE && f->slot == LSX_SLOT_DATE, "facet date: slot DATE");
    ok(!lsx__schema_facet("dat", 3), "no facet dat");
    is_str(lsx__schema_entity_prefix(LSX_ENTITY_PERSON), "XP", "persons' filter prefix");
    is_str(lsx__schema_entity_prefix(LSX_ENTITY_ORG), "XO", "organisations' filter prefix");
    ok(lsx__schema_entity_prefix(LSX_ENTITY_OTHER) == NULL, "other entities have no filter prefix");
    is_str(LSX_PFX(ENTITY), "XE", "LSX_PFX(ENTITY)");
}

static void test_text(void)
{
    char *a = lsx__schema_text(3), *b = lsx__schema_text(3), *c = lsx__schema_text(5);
    ok(a && b && c, "schema texts made");
    is_str(a, b, "the same schema gives the same text");
    ok(strstr(a, "term TITLE S positional\n") != NULL, "the text declares the title field");
    ok(strstr(a, "slot 7 DATE_DESC\n") != NULL, "... and slot 7");
    ok(strstr(a, "facet person slot 1 tag p\n") != NULL, "... and the person facet");
    ok(lsx__schema_text_has_slot(a, strlen(a), LSX_SLOT_DATE_DESC), "has_slot finds slot 7");
    ok(!lsx__schema_text_has_slot(a, strlen(a), 42), "... and not slot 42");
    char diff[200];
    ok(!lsx__schema_diff(a, strlen(a), b, strlen(b), diff, sizeof diff), "equal texts: no difference");
    ok(lsx__schema_diff(c, strlen(c), a, strlen(a), diff, sizeof diff), "another title weight differs");
    is_str(diff, "'title-weight 5' here, 'title-weight 3' there", "... and the line is named");
    ok(lsx__schema_diff(a, strlen(a) - 10, a, strlen(a), diff, sizeof diff), "a shorter text differs");
    free(a);
    free(b);
    free(c);
}

static void test_date_desc(void)
{
    /* Descending order of the keys is ascending order of the dates; a
     * date without time sorts before that day's times. */
    static const char *const asc[] = {"20220101", "20220101000000", "20220101083015", "20220102", "20230101120000"};
    char k[5][16];
    size_t n[5];
    for (int i = 0; i < 5; i++)
        n[i] = lsx__date_desc(asc[i], strlen(asc[i]), k[i]);
    for (int i = 0; i + 1 < 5; i++) {
        size_t m = n[i] < n[i + 1] ? n[i] : n[i + 1];
        int c = memcmp(k[i], k[i + 1], m);
        ok(c > 0 || (c == 0 && n[i] > n[i + 1]), "key of %s sorts above key of %s", asc[i], asc[i + 1]);
    }
    is_int((long long)n[0], 9, "a date's key: its 8 bytes inverted, then 0xff");
    ok((unsigned char)k[0][8] == 0xff, "... ending in 0xff (above every inverted digit)");
}

static void test_stored(void)
{
    char dir[] = "/tmp/lsx-schema-XXXXXX";
    if (!mkdtemp(dir)) {
        ok(0, "temporary directory");
        return;
    }
    char p1[64], p2[64];
    snprintf(p1, sizeof p1, "%s/a", dir);
    snprintf(p2, sizeof p2, "%s/b", dir);
    lsx_db_options o;
    lsx_db_options_init(&o, LSX_DB_OPTIONS_VERSION);
    lsx_db *db = NULL;
    is_int(lsx_db_open(&db, p1, LSX_DB_WRITABLE | LSX_DB_CREATE, &o), LSX_OK, "a new database");
    char *v = NULL;
    size_t len = 0;
    char err[LSX_ERRLEN];
    is_int(xs_db_get_metadata(db->x, LSX_SCHEMA_TABLE_KEY, &v, &len, err, sizeof err), LSX_OK, "its schema is read");
    char *want = lsx__schema_text(3);
    ok(v && want && len == strlen(want) && memcmp(v, want, len) == 0, "a new index stores the schema text");
    ok(db->has_date_desc, "... and sorts by DATE_DESC");
    free(v);
    free(want);
    lsx_db_free(db);
    o.title_weight = 5;
    is_int(lsx_db_open(&db, p2, LSX_DB_WRITABLE | LSX_DB_CREATE, &o), LSX_OK, "a database with title weight 5");
    lsx_db_free(db);
    const char *both[] = {p1, p2};
    int rc = lsx_db_open_shards(&db, both, 2, LSX_DB_READONLY, NULL);
    is_int(rc, LSX_EVERSION, "the two as shards are refused");
    ok(strstr(lsx_db_errmsg(db), "shard 1") && strstr(lsx_db_errmsg(db), "title-weight 5"),
       "... naming the shard and the difference: %s", lsx_db_errmsg(db));
    lsx_db_free(db);
    const char *same[] = {p1, p1};
    is_int(lsx_db_open_shards(&db, same, 2, LSX_DB_READONLY, NULL), LSX_OK, "shards that agree open");
    is_int((long long)lsx_db_shard_count(db), 2, "... two of them");
    is_str(lsx_db_shard_name(db, 1), p1, "... named by path");
    ok(lsx_db_shard_name(db, 2) == NULL, "... and no third");
    lsx_db_free(db);
    const char *none[] = {NULL};
    is_int(lsx_db_open_shards(&db, none, 0, LSX_DB_READONLY, NULL), LSX_EINVAL, "no shards: LSX_EINVAL");
    lsx_db_free(db);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ok(system(cmd) == 0, "clean up");
}

int main(void)
{
    test_tables();
    test_text();
    test_date_desc();
    test_stored();
    return done_testing();
}

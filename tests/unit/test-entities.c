/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-entities.c - gazetteer, entity detection and normalisation, and the
 * boilerplate rule (lsx_content_end), on inline texts and on the seeds.
 */
#include "private.h"
#include "tap.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <utf8proc.h>

static char err[LSX_ERRLEN];

static const lsx_entity *find(const lsx_entity_list *l, const char *id)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->items[i].id, id))
            return &l->items[i];
    return NULL;
}

/* "p"/"o"/"l"/"x" of entity `id`, or "-" when it is missing. */
static const char *type_of(const lsx_entity_list *l, const char *id)
{
    const lsx_entity *e = find(l, id);
    if (!e)
        return "-";
    switch (e->type) {
    case LSX_ENTITY_PERSON: return "p";
    case LSX_ENTITY_ORG: return "o";
    case LSX_ENTITY_PLACE: return "l";
    default: return "x";
    }
}

static unsigned count_of(const lsx_entity_list *l, const char *id)
{
    const lsx_entity *e = find(l, id);
    return e ? e->count : 0;
}

static void extract(lsx_extractor *x, const char *lang, const char *title, const char *body,
                    lsx_entity_list *l)
{
    int rc = lsx_extract_entities(x, lang, title, body, strlen(body), l, err);
    if (rc)
        printf("# extract failed: %d %s\n", rc, err);
}

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    lsx_buf b = { 0 };
    char chunk[4096];
    size_t r;
    while ((r = fread(chunk, 1, sizeof chunk, f)) > 0)
        lsx_buf_append(&b, chunk, r);
    fclose(f);
    *n = b.len;
    return lsx_buf_detach(&b);
}

/* Byte offset where line `line` (from 1) of s starts. */
static size_t line_offset(const char *s, size_t n, int line)
{
    size_t off = 0;
    for (int l = 1; l < line && off < n; off++)
        if (s[off] == '\n')
            l++;
    return off;
}

/* ---- the code point cache ------------------------------------------------ */

/* The list as one string: type, id, name, count per entity, in list order. */
static char *list_text(const lsx_entity_list *l)
{
    lsx_buf b = { 0 };
    for (size_t i = 0; i < l->n; i++)
        lsx_buf_printf(&b, "%d:%s:%s:%u;", (int)l->items[i].type, l->items[i].id,
                       l->items[i].name ? l->items[i].name : "", l->items[i].count);
    lsx_buf_putc(&b, '\0');
    return lsx_buf_detach(&b);
}

/* An extractor fills its code point cache as text comes in; what it finds
 * must not depend on what it has read before.  A fresh extractor and one
 * that has first read every code point below U+2000 give the same lists,
 * and a second reading gives the same list again. */
static void test_cache_order(const char *gazetteer)
{
    lsx_extractor *fresh = NULL, *warm = NULL;
    if (lsx_extractor_new(&fresh, gazetteer, err) || lsx_extractor_new(&warm, gazetteer, err)) {
        ok(0, "two extractors (%s)", err);
        lsx_extractor_free(fresh);
        lsx_extractor_free(warm);
        return;
    }
    lsx_buf all = { 0 };
    for (int32_t c = 0x20; c < 0x2000; c++) {
        if (c >= 0xD800 && c < 0xE000)
            continue;
        utf8proc_uint8_t u[4];
        lsx_buf_append(&all, u, (size_t)utf8proc_encode_char(c, u));
        if (c % 16 == 0)
            lsx_buf_putc(&all, ' ');
    }
    lsx_buf_putc(&all, '\0');
    lsx_entity_list l = { 0 };
    extract(warm, "en", NULL, all.data, &l);
    lsx_entity_list_clear(&l);
    extract(warm, "vi", NULL, all.data, &l);
    lsx_entity_list_clear(&l);
    lsx_buf_free(&all);

    static const struct { const char *lang, *title, *body; } texts[] = {
        { "vi", "Thủ tướng Nguyễn Tấn Dũng thăm Đà Nẵng",
          "Chiều 5/3, Thủ tướng Nguyễn Tấn Dũng đã làm việc với lãnh đạo TP Đà Nẵng và "
          "Tổng công ty Điện lực Việt Nam (EVN) về kế hoạch năm 2011. Ông Nguyễn Tấn Dũng "
          "đề nghị Đà Nẵng phối hợp với Bộ Công Thương." },
        { "en", "ZÜRICH TALKS: Müller meets Østergård in São Paulo",
          "José Müller of Société Générale met Søren Østergård in São Paulo on Monday. "
          "Müller said the Bank of England and the IMF were watching. Ελλάδα and Россия "
          "were not discussed, Müller added." },
    };
    int same = 1;
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        lsx_entity_list a = { 0 }, b = { 0 }, c = { 0 };
        extract(fresh, texts[i].lang, texts[i].title, texts[i].body, &a);
        extract(warm, texts[i].lang, texts[i].title, texts[i].body, &b);
        extract(fresh, texts[i].lang, texts[i].title, texts[i].body, &c);
        char *ta = list_text(&a), *tb = list_text(&b), *tc = list_text(&c);
        if (!ta || !tb || !tc || strcmp(ta, tb) != 0 || strcmp(ta, tc) != 0) {
            same = 0;
            printf("# fresh: %s\n# warm:  %s\n# again: %s\n", ta, tb, tc);
        }
        ok(a.n > 0, "text %zu: entities found (%zu)", i, a.n);
        free(ta), free(tb), free(tc);
        lsx_entity_list_clear(&a), lsx_entity_list_clear(&b), lsx_entity_list_clear(&c);
    }
    ok(same, "the lists do not depend on what the extractor read before");
    lsx_extractor_free(fresh);
    lsx_extractor_free(warm);
}

/* The compiled cache of a gazetteer (LSX_CACHE_DIR): a second load reads
 * it and finds the same entities; a changed TSV, a damaged cache file and
 * an empty LSX_CACHE_DIR (no cache) all still give the TSV's entities. */
static void test_gazetteer_cache(const char *gazetteer)
{
    char dir[] = "/tmp/lsx-gzcache-XXXXXX";
    if (!gazetteer || !mkdtemp(dir)) {
        ok(0, "mkdtemp and a gazetteer");
        return;
    }
    char tsv[256], cdir[256], cmd[1024];
    snprintf(tsv, sizeof tsv, "%s/gazetteer.tsv", dir);
    snprintf(cdir, sizeof cdir, "%s/cache", dir);
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", gazetteer, tsv);
    ok(system(cmd) == 0, "copy the gazetteer");
    const char *old = getenv("LSX_CACHE_DIR");
    char *saved = old ? lsx_strdup(old) : NULL;
    setenv("LSX_CACHE_DIR", cdir, 1);
    static const char *const text = "Officials of the Bank of Thailand met in Hanoi, Vietnam, "
                                    "and Bộ Ngoại giao Việt Nam sent Ambassador Jorvik Tansley.";
    char *want = NULL;
    for (int round = 0; round < 2; round++) {
        lsx_extractor *x = NULL;
        err[0] = '\0';
        is_int(lsx_extractor_new(&x, tsv, err), LSX_OK, "load %d %s", round, err);
        if (!x)
            break;
        lsx_entity_list l = { 0 };
        extract(x, "en", NULL, text, &l);
        char *got = list_text(&l);
        if (round == 0) {
            want = got;
            ok(want && strstr(want, "bank-of-thailand") && strstr(want, "hanoi"),
               "entities from the TSV: %s", want ? want : "(none)");
        } else {
            is_str(got, want, "the same entities from the cache");
            free(got);
        }
        lsx_entity_list_clear(&l);
        lsx_extractor_free(x);
    }
    snprintf(cmd, sizeof cmd, "ls '%s' | grep -c '^gazetteer-.*\\.bin$' > '%s/n'", cdir, dir);
    ok(system(cmd) == 0, "a cache file was written in LSX_CACHE_DIR");
    /* a changed TSV: its new entity is found */
    FILE *f = fopen(tsv, "a");
    if (f) {
        fputs("jorvik-tansley\tperson\tJorvik Tansley\tJ. Tansley\n", f);
        fclose(f);
    }
    lsx_extractor *x = NULL;
    lsx_entity_list l = { 0 };
    err[0] = '\0';
    if (lsx_extractor_new(&x, tsv, err) == LSX_OK) {
        extract(x, "en", NULL, "J. Tansley arrived.", &l);
        ok(find(&l, "jorvik-tansley") != NULL, "an entity added to the TSV after caching is found");
        lsx_entity_list_clear(&l);
        lsx_extractor_free(x);
    } else {
        ok(0, "load after a change (%s)", err);
    }
    /* a damaged cache file: the TSV is read instead */
    snprintf(cmd, sizeof cmd,
             "for c in '%s'/gazetteer-*.bin; do dd if=/dev/urandom of=\"$c\" bs=1 seek=200 "
             "count=4000 conv=notrunc 2>/dev/null; done", cdir);
    ok(system(cmd) == 0, "damage the cache file");
    x = NULL;
    err[0] = '\0';
    is_int(lsx_extractor_new(&x, tsv, err), LSX_OK, "a damaged cache is not an error %s", err);
    if (x) {
        extract(x, "en", NULL, text, &l);
        char *got = list_text(&l);
        ok(got && want && strstr(got, "bank-of-thailand") && strstr(got, "hanoi"),
           "... and the entities are there");
        free(got);
        lsx_entity_list_clear(&l);
        lsx_extractor_free(x);
    }
    /* no cache at all */
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", cdir);
    ok(system(cmd) == 0, "remove the cache");
    setenv("LSX_CACHE_DIR", "", 1);
    x = NULL;
    err[0] = '\0';
    is_int(lsx_extractor_new(&x, tsv, err), LSX_OK, "LSX_CACHE_DIR empty: load %s", err);
    lsx_extractor_free(x);
    ok(access(cdir, F_OK) != 0, "... and nothing is written");
    if (saved)
        setenv("LSX_CACHE_DIR", saved, 1);
    else
        unsetenv("LSX_CACHE_DIR");
    free(saved);
    free(want);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        ok(0, "remove %s", dir);
}

/* ---- gazetteer files ---------------------------------------------------- */

static void test_gazetteer_files(void)
{
    char dir[] = "/tmp/lsx-entities-XXXXXX";
    if (!mkdtemp(dir)) {
        ok(0, "mkdtemp");
        return;
    }
    char path[256];
    snprintf(path, sizeof path, "%s/gazetteer.tsv", dir);
    lsx_extractor *x = NULL;

    static const struct { const char *text; const char *want; } bad[] = {
        { "# c\n\nfoo\tplace\tFoo\n", "gazetteer.tsv:3: expected 4 TAB-separated fields" },
        { "foo\tcity\tFoo\t\n", "gazetteer.tsv:1: field 2 (type) 'city'" },
        { "Foo\tplace\tFoo\t\n", "gazetteer.tsv:1: field 1 (id) 'Foo'" },
        { "foo\tplace\t\tFooland\n", "gazetteer.tsv:1: field 3 (name) is empty" },
        { "a\tplace\tA Land\t\nb\tplace\tB\t\na\torg\tA2\t\n",
          "gazetteer.tsv:3: field 1 (id) 'a' is already defined on line 1" },
        { "a\tplace\tA Land\tAland||Ay\n", "gazetteer.tsv:1: field 4 (aliases): alias 2 is empty" },
        { "a\tplace\tA Land\t\n# x\nb\tplace\tB Land\tA-Land\n",
          "gazetteer.tsv:3: field 4 (aliases): alias 1 'A-Land' is already an alias of 'a' (line 1)" },
        { "a\tplace\tA Land\t\xff\xfe\n", "gazetteer.tsv:1: field 4 (aliases): alias 1 is not valid UTF-8" },
        { "a\tplace\tA\tB\tC\n", "gazetteer.tsv:1: expected 4 TAB-separated fields (id, type, name, aliases), found 5" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        write_file(path, bad[i].text);
        err[0] = '\0';
        int rc = lsx_extractor_new(&x, path, err);
        is_int(rc, LSX_EPARSE, "malformed gazetteer %zu is LSX_EPARSE", i);
        ok(x == NULL, "no extractor on error %zu", i);
        ok(strstr(err, bad[i].want) != NULL, "message names file, line and field: %s", err);
        lsx_extractor_free(x);
        x = NULL;
    }

    /* a small valid file: comments, blank lines, CRLF, '=' aliases */
    write_file(path, "\xEF\xBB\xBF# test gazetteer\r\n\r\n"
                     "kingdom-a\tplace\tKingdom of A\tKingdom A|Vương quốc A\r\n"
                     "   # indented comment\n"
                     "bob\tperson\tBob Example\t=Bob\n");
    int rc = lsx_extractor_new(&x, path, err);
    is_int(rc, LSX_OK, "small gazetteer loads (%s)", rc ? err : "ok");
    if (x) {
        lsx_entity_type t = 0;
        is_str(lsx_gazetteer_lookup(x, "vuong quoc a", (size_t)-1, &t), "kingdom-a",
               "alias without diacritics found");
        is_int(t, LSX_ENTITY_PLACE, "type from the file");
        is_str(lsx_gazetteer_name(x, "bob"), "Bob Example", "display name");
        is_str(lsx_gazetteer_lookup(x, "Bob", 3, &t), "bob", "exact alias as written");
        is_str(lsx_gazetteer_lookup(x, "BOB", 3, &t), NULL, "exact alias needs its case");
        lsx_extractor_free(x);
        x = NULL;
    }

    /* $LSX_GAZETTEER is used when no path is given */
    const char *old = getenv("LSX_GAZETTEER");
    char *saved = old ? lsx_strdup(old) : NULL;
    setenv("LSX_GAZETTEER", path, 1);
    rc = lsx_extractor_new(&x, NULL, err);
    is_int(rc, LSX_OK, "LSX_GAZETTEER is honoured");
    if (x)
        is_str(lsx_gazetteer_lookup(x, "Kingdom A", (size_t)-1, NULL), "kingdom-a",
               "the file from LSX_GAZETTEER was loaded");
    lsx_extractor_free(x);
    x = NULL;
    if (saved) {
        setenv("LSX_GAZETTEER", saved, 1);
        free(saved);
    } else {
        unsetenv("LSX_GAZETTEER");
    }

    snprintf(path, sizeof path, "%s/missing.tsv", dir);
    rc = lsx_extractor_new(&x, path, err);
    is_int(rc, LSX_ENOTFOUND, "a missing gazetteer is LSX_ENOTFOUND");
    ok(strstr(err, "missing.tsv") != NULL, "message names the file: %s", err);
    lsx_extractor_free(x);

    snprintf(path, sizeof path, "%s/gazetteer.tsv", dir);
    unlink(path);
    rmdir(dir);
}

/* ---- the shipped gazetteer ------------------------------------------------ */

static void test_lookup(lsx_extractor *x)
{
    static const struct { const char *text, *id; lsx_entity_type type; } yes[] = {
        { "Vietnam", "vietnam", LSX_ENTITY_PLACE },
        { "Viet Nam", "vietnam", LSX_ENTITY_PLACE },
        { "Việt Nam", "vietnam", LSX_ENTITY_PLACE },
        { "VIỆT NAM", "vietnam", LSX_ENTITY_PLACE },
        { "viet nam", "vietnam", LSX_ENTITY_PLACE },
        { "Cambodia", "cambodia", LSX_ENTITY_PLACE },
        { "Campuchia", "cambodia", LSX_ENTITY_PLACE },
        { "Hanoi", "hanoi", LSX_ENTITY_PLACE },
        { "Hà Nội", "hanoi", LSX_ENTITY_PLACE },
        { "Ha Noi", "hanoi", LSX_ENTITY_PLACE },
        { "ASEAN", "asean", LSX_ENTITY_ORG },
        { "Association of Southeast Asian Nations", "asean", LSX_ENTITY_ORG },
        { "Hiệp hội các quốc gia Đông Nam Á", "asean", LSX_ENTITY_ORG },
        { "hiep hoi cac quoc gia dong nam a", "asean", LSX_ENTITY_ORG },
        { "Phnom Penh", "phnom-penh", LSX_ENTITY_PLACE },
        { "Timor Leste", "timor-leste", LSX_ENTITY_PLACE },
        { "Timor-Leste", "timor-leste", LSX_ENTITY_PLACE },
        { "Đông Timor", "timor-leste", LSX_ENTITY_PLACE },
        { "TP.HCM", "ho-chi-minh-city", LSX_ENTITY_PLACE },
        { "Ho Chi Minh City", "ho-chi-minh-city", LSX_ENTITY_PLACE },
        { "US", "united-states", LSX_ENTITY_PLACE },
        { "Hoa Kỳ", "united-states", LSX_ENTITY_PLACE },
        { "Mỹ", "united-states", LSX_ENTITY_PLACE },
        { "WHO", "who", LSX_ENTITY_ORG },
        { "Tổ chức Y tế Thế giới", "who", LSX_ENTITY_ORG },
        { "SOM", "som", LSX_ENTITY_OTHER },
        { "Hội nghị Quan chức cao cấp ASEAN", "som", LSX_ENTITY_OTHER },
        { "ASEAN+3", "asean-plus-three", LSX_ENTITY_OTHER },
        { "AHA Centre", "aha-centre", LSX_ENTITY_ORG },
        { "ASEAN Secretariat", "asean-secretariat", LSX_ENTITY_ORG },
        { "World Bank", "world-bank", LSX_ENTITY_ORG },
        { "Liên hợp quốc", "un", LSX_ENTITY_ORG },
    };
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        lsx_entity_type t = 0;
        is_str(lsx_gazetteer_lookup(x, yes[i].text, strlen(yes[i].text), &t), yes[i].id,
               "lookup '%s'", yes[i].text);
        is_int(t, yes[i].type, "type of '%s'", yes[i].text);
    }
    static const char *const no[] = { "us", "who", "my", "anh", "Vietnamese", "Nam", "Phnom",
                                      "Viet Nam News Agency Today", "", "   " };
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        is_str(lsx_gazetteer_lookup(x, no[i], (size_t)-1, NULL), NULL, "no alias: '%s'", no[i]);
    is_str(lsx_gazetteer_name(x, "vietnam"), "Vietnam", "display name of vietnam");
    is_str(lsx_gazetteer_name(x, "cambodia"), "Cambodia", "display name of cambodia");
    is_str(lsx_gazetteer_name(x, "no-such-id"), NULL, "unknown id has no name");
    is_str(lsx_gazetteer_lookup(NULL, "Vietnam", 7, NULL), NULL, "NULL extractor");
}

static void test_normalize(lsx_extractor *x)
{
    static const struct { const char *name, *id; } cases[] = {
        { "Vũ Hồ", "vu-ho" },
        { "Vu Ho", "vu-ho" },
        { "VU HO", "vu-ho" },
        { "Ambassador Vu Ho", "vu-ho" },
        { "Ambassador Vũ Hồ", "vu-ho" },
        { "Mr. Vu Ho", "vu-ho" },
        { "Đại sứ Vũ Hồ", "vu-ho" },
        { "ông Vũ Hồ", "vu-ho" },
        { "Deputy Minister Nguyễn Quốc Dũng", "nguyen-quoc-dung" },
        { "Thứ trưởng Nguyễn Quốc Dũng", "nguyen-quoc-dung" },
        { "Minister of Foreign Affairs Bùi Thanh Sơn", "bui-thanh-son" },
        { "Bộ trưởng Bùi Thanh Sơn", "bui-thanh-son" },
        { "bà Lê Thị Thu Hằng", "le-thi-thu-hang" },
        { "Viet Nam", "vietnam" },
        { "Việt Nam", "vietnam" },
        { "Campuchia", "cambodia" },
        { "us", "united-states" },
        { "asean", "asean" },
        { "phnom-penh", "phnom-penh" },
        { "vu-ho", "vu-ho" },
        { "The Philippines", "philippines" },
        { "Ba Đình", "ba-dinh" },
        { "Prak Sokhonn", "prak-sokhonn" },
        { "", "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *id = lsx_entity_normalize(x, cases[i].name);
        is_str(id, cases[i].id, "normalize '%s'", cases[i].name);
        free(id);
    }
    char *id = lsx_entity_normalize(NULL, "Vũ Hồ");
    is_str(id, "vu-ho", "normalize without an extractor folds the words");
    free(id);
    ok(lsx_entity_normalize(x, NULL) == NULL, "normalize(NULL) is NULL");
}

/* ---- detection ------------------------------------------------------------- */

static void test_detect_en(lsx_extractor *x)
{
    lsx_entity_list l = { 0 };
    extract(x, "en", "Leaders meet in Hanoi",
            "Deputy Prime Minister Pham Binh Minh met Mr. John Smith of the Ministry of Foreign "
            "Affairs in Quang Ninh Province on Monday. The US and the World Health Organization "
            "(WHO) said the Vietnam Chamber of Commerce and Industry (VCCI) would help us. "
            "Prime Minister Hun Sen thanked Thailand and officials from KPMG. Smith later "
            "flew to Ha Noi. The terms of reference (TOR) and COVID-19 rules of World War II "
            "were discussed by the Ninh Binh People's Committee.\n", &l);
    is_str(type_of(&l, "pham-binh-minh"), "p", "person after a title");
    is_str(type_of(&l, "john-smith"), "p", "Mr. John Smith is a person");
    is_int(count_of(&l, "john-smith"), 2, "'Smith' later counts for John Smith");
    is_str(type_of(&l, "ministry-of-foreign-affairs"), "o", "Ministry of ... is an org");
    is_str(type_of(&l, "quang-ninh"), "l", "X Province is a place named X");
    is_str(type_of(&l, "hun-sen"), "p", "Hun Sen");
    is_str(type_of(&l, "united-states"), "l", "US (capitals) is the country");
    is_int(count_of(&l, "united-states"), 1, "'us' is not the country");
    is_int(count_of(&l, "who"), 2, "WHO and its full name");
    is_str(type_of(&l, "vietnam-chamber-of-commerce-and-industry"), "o", "org with 'of' and 'and'");
    is_int(count_of(&l, "vietnam-chamber-of-commerce-and-industry"), 2,
           "(VCCI) counts for the name before it");
    ok(!find(&l, "vcci"), "(VCCI) is not a separate entity");
    ok(!find(&l, "kpmg"), "an acronym seen once, without a definition, is not an org");
    ok(!find(&l, "tor"), "no entity for an abbreviation of common words");
    ok(!find(&l, "covid"), "no entity for COVID-19");
    ok(!find(&l, "ii"), "no entity for a roman numeral");
    is_int(count_of(&l, "hanoi"), 2, "Hanoi in the title and Ha Noi in the body");
    is_str(type_of(&l, "thailand"), "l", "gazetteer place");
    is_int(count_of(&l, "vietnam"), 0, "the Vietnam of 'Vietnam Chamber of ...' is part of it");
    ok(!find(&l, "monday") && !find(&l, "the-us"), "no entities from function words");
    is_str(type_of(&l, "ninh-binh-people-committee"), "o", "People's Committee (possessive) is an org");
    lsx_entity_list_clear(&l);
    extract(x, "en", NULL,
            "Students of the Royal University of Phnom Penh and the United Nations Environment "
            "Programme met Vietnam Airlines staff and coach Kim Sang-sik at My Dinh Stadium. "
            "The Hanoi Declaration was read out. Bank of Thailand officials came too.", &l);
    is_str(type_of(&l, "royal-university-of-phnom-penh"), "o", "an org around a place");
    is_str(type_of(&l, "united-nations-environment-programme"), "o", "an org around an org");
    is_str(type_of(&l, "vietnam-airlines"), "o", "Vietnam Airlines");
    is_str(type_of(&l, "bank-of-thailand"), "o", "Bank of Thailand");
    ok(!find(&l, "phnom-penh") && !find(&l, "un") && !find(&l, "vietnam") && !find(&l, "thailand"),
       "names nested in longer names are not counted");
    is_str(type_of(&l, "hanoi"), "l", "Hanoi Declaration still mentions Hanoi");
    is_str(type_of(&l, "kim-sang-sik"), "p", "a hyphenated given name");
    is_str(type_of(&l, "my-dinh-stadium"), "x", "a stadium is not a place");
    lsx_entity_list_clear(&l);
    ok(l.n == 0 && l.items == NULL, "list cleared");

    /* case rules of the gazetteer in running text */
    extract(x, "en", NULL, "He ate turkey in china while Turkey and China talked.", &l);
    is_int(count_of(&l, "turkey"), 1, "lowercase 'turkey' is not the country");
    is_int(count_of(&l, "china"), 1, "lowercase 'china' is not the country");
    lsx_entity_list_clear(&l);
    extract(x, "en", NULL, "Tensions in the South China Sea rose, Vietnam's navy said.", &l);
    ok(find(&l, "south-china-sea") && !find(&l, "china"), "the longest alias wins");
    is_int(count_of(&l, "vietnam"), 1, "possessive form found");
    lsx_entity_list_clear(&l);
    extract(x, "vi", NULL, "Đức và Ý mua nhiều cà phê. Ý kiến của huyện Mỹ Đức là khác.", &l);
    ok(find(&l, "germany") && find(&l, "italy"), "Đức và Ý at a sentence start");
    is_int(count_of(&l, "italy"), 1, "'Ý kiến' is not Italy");
    ok(!find(&l, "united-states") && find(&l, "my-duc"), "huyện Mỹ Đức is a district");
    lsx_entity_list_clear(&l);
    extract(x, "en", NULL, "", &l);
    is_int(l.n, 0, "empty text, no entities");
    lsx_entity_list_clear(&l);
}

static void test_detect_vi(lsx_extractor *x)
{
    lsx_entity_list l = { 0 };
    extract(x, "vi", "Tin đối ngoại",
            "Chiều 5/3, tại Hà Nội, Thứ trưởng Ngoại giao Nguyễn Quốc Dũng đã tiếp Đại sứ Anh "
            "tại Việt Nam Gareth Ward. Ông Dũng cho biết Bộ Ngoại giao và Ủy ban Nhân dân tỉnh "
            "Quảng Ninh sẽ phối hợp với bà Lê Thị Thu ở huyện Krông Pắc và anh Đinh Văn Quý. Anh "
            "ấy nói Liên đoàn Bóng đá Việt Nam và Ngân hàng Sao Việt công bố kết quả tại quảng "
            "trường Lâm Viên. Bà Lê Thị Thu Hằng, người phát ngôn Bộ Ngoại giao, nói Mỹ "
            "và Nga đều quan tâm. Anh Nguyễn Tuấn Anh ở thành phố Đà Lạt nói anh ấy thích Liên "
            "minh châu Âu (EU). Ngoại trưởng Nga Sergei Lavrov đến thăm Hiệp hội các quốc gia "
            "Đông Nam Á. Đại sứ Vũ Hồ gặp ông Dũng.\n", &l);
    is_str(type_of(&l, "nguyen-quoc-dung"), "p", "Nguyễn Quốc Dũng is a person");
    is_int(count_of(&l, "nguyen-quoc-dung"), 3, "'ông Dũng' counts for him");
    is_str(type_of(&l, "vu-ho"), "p", "Vũ Hồ after Đại sứ");
    is_str(type_of(&l, "gareth-ward"), "p", "Đại sứ Anh tại Việt Nam Gareth Ward");
    is_str(type_of(&l, "united-kingdom"), "l", "Anh after Đại sứ is the UK");
    is_int(count_of(&l, "united-kingdom"), 1,
           "Anh in 'Tuấn Anh', 'Anh Nguyễn' and 'Anh ấy' is not the UK");
    is_str(type_of(&l, "nguyen-tuan-anh"), "p", "Nguyễn Tuấn Anh");
    is_str(type_of(&l, "bo-ngoai-giao"), "o", "Bộ Ngoại giao is an org");
    is_int(count_of(&l, "bo-ngoai-giao"), 2, "twice");
    is_str(type_of(&l, "uy-ban-nhan-dan-tinh-quang-ninh"), "o", "Ủy ban Nhân dân tỉnh Quảng Ninh");
    is_str(type_of(&l, "quang-ninh"), "-", "... so Quảng Ninh alone is not counted");
    is_str(type_of(&l, "le-thi-thu"), "p", "bà Lê Thị Thu");
    is_str(type_of(&l, "dinh-van-quy"), "p", "a given name that is also a common word");
    is_str(type_of(&l, "krong-pac"), "l", "huyện Krông Pắc is a place");
    is_str(type_of(&l, "lien-doan-bong-da-viet-nam"), "o", "an org ending with a country");
    is_str(type_of(&l, "ngan-hang-sao-viet"), "o", "an org name stops before a verb");
    is_str(type_of(&l, "lam-vien"), "x", "a square is not a place nor a person");
    is_str(type_of(&l, "da-lat"), "l", "thành phố Đà Lạt is a place");
    is_str(type_of(&l, "le-thi-thu-hang"), "p", "Bà Lê Thị Thu Hằng");
    is_str(type_of(&l, "sergei-lavrov"), "p", "Ngoại trưởng Nga Sergei Lavrov");
    is_int(count_of(&l, "russia"), 2, "Nga is Russia");
    is_str(type_of(&l, "united-states"), "l", "Mỹ is the US");
    is_int(count_of(&l, "eu"), 2, "Liên minh châu Âu (EU)");
    is_str(type_of(&l, "asean"), "o", "ASEAN by its Vietnamese name");
    is_str(type_of(&l, "hanoi"), "l", "Hà Nội");
    is_str(type_of(&l, "vietnam"), "l", "Việt Nam");
    ok(!find(&l, "ngoai") && !find(&l, "thu-truong") && !find(&l, "chieu"),
       "no entities from titles and function words");
    const lsx_entity *e = find(&l, "nguyen-quoc-dung");
    is_str(e ? e->name : NULL, "Nguyễn Quốc Dũng", "display name keeps the diacritics");
    lsx_entity_list_clear(&l);

    /* the same person in both languages is one id, with the best spelling */
    extract(x, "en", NULL, "Ambassador Vu Ho met Ambassador Vũ Hồ's team. Ho said so.", &l);
    is_int(count_of(&l, "vu-ho"), 3, "Vu Ho, Vũ Hồ and 'Ho' are one person");
    e = find(&l, "vu-ho");
    is_str(e ? e->name : NULL, "Vũ Hồ", "the diacritic spelling is preferred");
    lsx_entity_list_clear(&l);

    /* language guessed when not given */
    extract(x, NULL, NULL, "Đại sứ Vũ Hồ dẫn đầu đoàn Việt Nam tại Phnom Penh, Campuchia.", &l);
    is_str(type_of(&l, "vu-ho"), "p", "lang NULL: Vietnamese detected");
    is_str(type_of(&l, "cambodia"), "l", "Campuchia is Cambodia");
    lsx_entity_list_clear(&l);
}


/* ---- typing and safeguards (issue 13), on sentences written for them ---- */

static void test_typing_en(lsx_extractor *x)
{
    lsx_entity_list l = { 0 };
    /* names without a title: given names, speech verbs, "who", demonyms */
    extract(x, "en", NULL,
            "Norwegian Halvard Brekke scored twice for the visitors. Obuya Kamau said the "
            "plan was fair. Veselin Trakov, who chairs the board, disagreed. Later Brekke "
            "said he was tired.\n", &l);
    is_str(type_of(&l, "halvard-brekke"), "p", "a given name makes a person");
    ok(!find(&l, "norwegian-halvard-brekke"), "the demonym before a name is not part of it");
    is_int(count_of(&l, "halvard-brekke"), 2, "'Brekke said' counts for Halvard Brekke");
    ok(!find(&l, "brekke"), "... and is not a second person");
    is_str(type_of(&l, "obuya-kamau"), "p", "'X said' makes a person");
    is_str(type_of(&l, "veselin-trakov"), "p", "', who' makes a person");
    lsx_entity_list_clear(&l);
    extract(x, "en", NULL,
            "Analysts warned that prices would fall. Mr Park Min-ho, chief executive of Doosan "
            "Marine Vietnam, said the yard was busy.\n", &l);
    ok(!find(&l, "analysts"), "a plural noun opening a sentence before 'warned' is not a person");
    is_str(type_of(&l, "doosan-marine-vietnam"), "o", "'director of X': X is the org, not a person");
    lsx_entity_list_clear(&l);

    /* titles and possessives are not part of the name; a name after a team */
    extract(x, "en", NULL,
            "President Tomas Verhoeven's speech was short. AC Milan Georgina Pellow signed a "
            "new deal.\n", &l);
    is_str(type_of(&l, "tomas-verhoeven"), "p", "President X's: the person alone");
    ok(!find(&l, "president-tomas-verhoeven") && !find(&l, "tomas-verhoeven-s"),
       "no title nor possessive in the name");
    is_str(type_of(&l, "georgina-pellow"), "p", "a person named after a club");
    ok(!find(&l, "ac-milan-georgina-pellow"), "the club is not merged into the person");
    lsx_entity_list_clear(&l);

    /* places from context, one-word names of the gazetteer, teams named by places */
    extract(x, "en", NULL,
            "The fair was held in Wexcombe Vale this year. England beat Scotland, Reuters "
            "reported, while Kuwait and Texas sent observers. The Chicago Cubs lost.\n", &l);
    is_str(type_of(&l, "wexcombe-vale"), "l", "'in X' makes a place");
    ok(find(&l, "england") && find(&l, "scotland") && find(&l, "kuwait") && find(&l, "texas"),
       "countries, nations and states of the gazetteer (iso-codes)");
    is_str(type_of(&l, "reuters"), "o", "a news agency of one word");
    is_str(type_of(&l, "chicago-cubs"), "o", "a place and a name: a team");
    ok(!find(&l, "chicago"), "... and not the city");
    lsx_entity_list_clear(&l);

    /* what is not a person */
    extract(x, "en", NULL,
            "Fans at The Oval cheered the World Cup draw. South Korean officials attended the "
            "theme 'Building Bridges Together' and the Hang Bai street market.\n", &l);
    ok(!find(&l, "the-oval") || strcmp(type_of(&l, "the-oval"), "p"), "'The Oval' is not a person");
    ok(strcmp(type_of(&l, "world-cup"), "p") && strcmp(type_of(&l, "world-cup"), "o"),
       "an event is neither a person nor an org");
    ok(strcmp(type_of(&l, "south-korean"), "l") && strcmp(type_of(&l, "south-korean"), "p"),
       "a demonym is not a place");
    ok(strcmp(type_of(&l, "building-bridges-together"), "p"), "a quoted theme is not a person");
    ok(strcmp(type_of(&l, "hang-bai"), "p"), "a street name is not a person");
    lsx_entity_list_clear(&l);

    /* datelines, headlines and tables */
    extract(x, "en", "SOCCER - DUNMORE ROVERS BEAT ALLANTON",
            "KESTRELBY, March 3 - The council met on Tuesday.\n"
            "HARLOW TOWN 12 4 3 40\n"
            "PEVENSEY 11 5 3 36\n", &l);
    is_str(type_of(&l, "kestrelby"), "l", "the all-caps dateline is a place");
    lsx_entity_list_clear(&l);
    extract(x, "en", NULL,
            "Results of the second round:\n"
            "Marta Kovalenko (Ukraine) beat Ilse Brandt (Germany) 6-3 6-4\n"
            "Chad Curtis hit a home run for the Tigers.\n", &l);
    is_str(type_of(&l, "marta-kovalenko"), "p", "a results line (scores count once) is not a table");
    is_str(type_of(&l, "chad-curtis"), "p", "a country word before a given name: a person");
    lsx_entity_list_clear(&l);
    extract(x, "en", "SOCCER - DUNMORE ROVERS BEAT ALLANTON",
            "KESTRELBY, March 3 - The council met on Tuesday.\n"
            "HARLOW TOWN 12 4 3 40\n"
            "PEVENSEY 11 5 3 36\n", &l);
    ok(!find(&l, "harlow-town") && !find(&l, "pevensey") && !find(&l, "dunmore-rovers") &&
       !find(&l, "allanton"), "no org from table rows nor from an all-caps headline");
    lsx_entity_list_clear(&l);

    /* a name in a list of places is a place */
    extract(x, "vi", NULL, "Các tỉnh Thanh Hóa, Quảng Trị, Vân Khê và Nghệ An đều mưa lớn.\n", &l);
    is_str(type_of(&l, "van-khe"), "l", "an unknown name between places in a list");
    lsx_entity_list_clear(&l);
    extract(x, "en", NULL, "Mayors of Lyon, Grenoble and Geneva met Mary Collins, Lyon and "
            "Geneva's envoy.\n", &l);
    is_str(type_of(&l, "mary-collins"), "p", "a person next to places in a list stays a person");
    lsx_entity_list_clear(&l);

    /* Chinese and Korean family names come first */
    extract(x, "en", NULL, "The talks were led by Zhou Wenqiang and Hu Lanfeng, while Kwon "
            "Daeho watched.\n", &l);
    is_str(type_of(&l, "zhou-wenqiang"), "p", "a pinyin family name first: a person");
    is_str(type_of(&l, "hu-lanfeng"), "p", "... a two-letter one too");
    is_str(type_of(&l, "kwon-daeho"), "p", "a Korean family name first");
    lsx_entity_list_clear(&l);
    extract(x, "vi", NULL, "Ông Tập gặp Yang Meiling tại Bắc Kinh.\n", &l);
    is_str(type_of(&l, "yang-meiling"), "p", "... also in Vietnamese text");
    lsx_entity_list_clear(&l);

    /* sports reports: clubs named after their towns are orgs, countries stay places */
    extract(x, "en", "RUGBY LEAGUE - WEEKEND RESULTS",
            "Results of the weekend's rugby league matches, with the standings of the "
            "division (played, points):\n"
            "Leeds 24 Bristol 10\n"
            "Hollinford 18 Wales 18\n"
            "Postponed: Norwich v Carrowby\n"
            "Standings:\n"
            "Leeds 6 12\n"
            "Hollinford 6 9\n"
            "Fenwick Harriers 5 8\n", &l);
    is_str(type_of(&l, "leeds"), "o", "a town that scores in a results line is a club");
    is_str(type_of(&l, "bristol"), "o", "... and its opponent too");
    is_str(type_of(&l, "hollinford"), "o", "a name unknown to the gazetteer in a results line");
    is_str(type_of(&l, "fenwick-harriers"), "o", "a standings row names a club");
    is_str(type_of(&l, "norwich"), "o", "'X v Y' names two sides");
    is_str(type_of(&l, "wales"), "l", "a nation's team stays a place");
    ok(!find(&l, "postponed") && !find(&l, "standings"), "words before a colon are not sides");
    lsx_entity_list_clear(&l);
    extract(x, "en", NULL,
            "Dunmore's bowlers took six wickets as Yorkshire beat Lancashire by an innings, "
            "and Corvale drew with Kent. Mara Pellworth scored a century in the first innings "
            "of the championship match against Derbyshire. England and Texas were quiet.\n", &l);
    is_str(type_of(&l, "yorkshire"), "o", "'X beat' in a sports report: a side");
    is_str(type_of(&l, "lancashire"), "o", "'beat X': a side");
    is_str(type_of(&l, "kent"), "o", "'drew with X': a side");
    is_str(type_of(&l, "corvale"), "o", "an unknown name before 'drew': a side");
    is_str(type_of(&l, "derbyshire"), "o", "'against X': a side");
    is_str(type_of(&l, "mara-pellworth"), "p", "a player is still a person");
    is_str(type_of(&l, "england"), "l", "a country in a sports report is a place");
    lsx_entity_list_clear(&l);
    extract(x, "en", NULL,
            "Trade ministers met in Leeds. Officials said exports to Texas rose 12 percent "
            "while Bristol 4 and Leeds 6 were the codes used in the filing.\n", &l);
    is_str(type_of(&l, "leeds"), "l", "outside a sports report a town is a place");
    lsx_entity_list_clear(&l);

    /* acronyms need evidence */
    extract(x, "en", NULL,
            "Officials from QRT and from the Brennan Housing Trust (BHT) met. BHT staff and "
            "ZMV engineers spoke. ZMV later left.\n", &l);
    ok(!find(&l, "qrt"), "an acronym seen once is not an org");
    ok(!find(&l, "bht") && count_of(&l, "brennan-housing-trust") == 3,
       "a defined acronym counts for its name");
    is_str(type_of(&l, "zmv"), "o", "a repeated acronym is an org");
    lsx_entity_list_clear(&l);

    /* short mentions, initials */
    extract(x, "en", NULL,
            "Nguyen Thuy Linh won the final. Thuy Linh then thanked her coach. C. Lewis and "
            "M. Doherty were out early.\n", &l);
    is_int(count_of(&l, "nguyen-thuy-linh"), 2, "the last two words of a person are that person");
    ok(!find(&l, "thuy-linh"), "... not a second person");
    is_str(type_of(&l, "c-lewis"), "p", "an initial and a surname");
    lsx_entity_list_clear(&l);
}

static void test_typing_vi(lsx_extractor *x)
{
    lsx_entity_list l = { 0 };
    /* organisation boundaries: verbs end a name, a foreign word starts no
     * compound, generic heads describe a foreign name, acronyms with '-',
     * lowercase words between capitalised parts, "Tp." before the city */
    extract(x, "vi", NULL,
            "Chính phủ giao Bộ Tài chính soạn thảo nghị định. Tổng cục đề xuất Bộ Xây dựng sửa "
            "quy chuẩn. Đại học Brakemont kết luận rằng thuốc an toàn. Tổ chức WWF và công ty "
            "Brinmoor ký thỏa thuận.\nTrường THPT chuyên Lê Quý Đôn đạt giải. Sở GD-ĐT Hà Nội "
            "và Sở Công Thương Tp. Hồ Chí Minh họp. Mặt trận Al-Nusra rút quân. Sở Giao thông "
            "vận tải Đà Nẵng cho biết. Bộ Nông nghiệp và Phát triển nông thôn xây dựng đề án.\n",
            &l);
    is_str(type_of(&l, "bo-tai-chinh"), "o", "a verb between two bodies ends the first");
    ok(!find(&l, "chinh-phu-giao-bo-tai-chinh"), "... and is not a descriptor ('Chính phủ giao')");
    is_str(type_of(&l, "bo-xay-dung"), "o", "'Tổng cục đề xuất Bộ Xây dựng': Bộ Xây dựng");
    is_str(type_of(&l, "dai-hoc-brakemont"), "o", "a foreign name takes no lowercase syllable");
    ok(!find(&l, "dai-hoc-brakemont-ket"), "... ('kết' belongs to 'kết luận')");
    is_str(type_of(&l, "wwf"), "o", "'Tổ chức WWF': the organisation is WWF");
    ok(!find(&l, "to-chuc-wwf"), "... not 'Tổ chức WWF'");
    is_str(type_of(&l, "brinmoor"), "o", "'công ty Brinmoor': the company is Brinmoor");
    is_str(type_of(&l, "truong-thpt-chuyen-le-quy-don"), "o",
           "lowercase words between the parts of a school's name");
    is_str(type_of(&l, "so-gd-dt-ha-noi"), "o", "an acronym written with '-' inside the name");
    is_str(type_of(&l, "so-cong-thuong-tp-ho-chi-minh"), "o", "'Tp.' and the city end the name");
    ok(!find(&l, "ho-chi-minh"), "the city after 'Tp.' is not the person");
    is_str(type_of(&l, "mat-tran-al-nusra"), "o", "a hyphenated part of the name");
    is_str(type_of(&l, "so-giao-thong-van-tai-da-nang"), "o", "a lowercase portfolio after a capital");
    is_str(type_of(&l, "bo-nong-nghiep-va-phat-trien-nong-thon"), "o",
           "a lowercase portfolio after the portfolio phrase...");
    ok(!find(&l, "bo-nong-nghiep-va-phat-trien-nong-thon-xay-dung"), "... does not take the verb after it");
    lsx_entity_list_clear(&l);
    /* names of schools, plants and places after the noun they name; media */
    extract(x, "vi", NULL,
            "Học sinh trường tiểu học Trần Quang Vinh được khen. Nhà máy xơ sợi Đình Xuân "
            "ngừng chạy. Chị đăng ảnh trên Facebook và tài khoản Twitter của chị bị khóa. "
            "Sau đó Google cho biết sẽ xem xét.\n", &l);
    ok(!find(&l, "tran-quang-vinh") || strcmp(type_of(&l, "tran-quang-vinh"), "p"),
       "a school named after a person is not the person");
    ok(!find(&l, "dinh-xuan") || strcmp(type_of(&l, "dinh-xuan"), "p"), "nor a plant's name");
    ok(strcmp(type_of(&l, "facebook"), "o") && strcmp(type_of(&l, "twitter"), "o"),
       "a network named as a medium ('trên Facebook') is not an actor");
    is_str(type_of(&l, "google"), "o", "... one that acts ('Google cho biết') is an org");
    lsx_entity_list_clear(&l);
    /* descriptions, not names: a lowercase head before a place word, a
     * company described by its country, a term of office; person descriptors */
    extract(x, "vi", NULL,
            "Anh được đưa vào bệnh viện tỉnh Quảng Trị. Một công ty thực phẩm Thụy Sĩ mua lại "
            "nhà máy. Quốc hội khóa XIV họp. Công an bắt đối tượng Hùng khi hắn bỏ chạy.\n", &l);
    ok(!find(&l, "benh-vien-tinh-quang-tri"), "'bệnh viện tỉnh X' is the province's hospital");
    is_str(type_of(&l, "quang-tri"), "l", "... and names the province");
    ok(!find(&l, "cong-ty-thuc-pham-thuy-si"), "'công ty thực phẩm Thụy Sĩ' describes a company");
    is_str(type_of(&l, "switzerland"), "l", "... from a country");
    ok(!find(&l, "quoc-hoi-khoa-xiv"), "the term is not part of the name");
    is_str(type_of(&l, "hung"), "p", "'đối tượng X': a person");
    lsx_entity_list_clear(&l);
    /* Vietnamese sports reports: events, clubs; places inside names */
    extract(x, "vi", NULL,
            "Sau trận đấu, tiền vệ Minh Khoa ghi bàn thắng ở vòng 5 Ngoại hạng. Đội bóng của "
            "anh sẽ gặp Wexford rồi đánh bại Dunmore tại giải Premier League, như Jimmy Vale nói "
            "với Martell. Hãng phim Truyện Việt Nam tổ chức lễ kỷ niệm.\n", &l);
    ok(!find(&l, "premier-league") || strcmp(type_of(&l, "premier-league"), "p"),
       "an English event name is not a person");
    is_str(type_of(&l, "wexford"), "o", "'gặp X' in a sports report: a club");
    is_str(type_of(&l, "dunmore"), "o", "'đánh bại X': a club");
    ok(!find(&l, "martell") || strcmp(type_of(&l, "martell"), "o"), "'với X' may be a player: no club");
    ok(!find(&l, "vietnam"), "a country ending a name ('Hãng phim Truyện Việt Nam') is not counted");
    lsx_entity_list_clear(&l);
    /* brands written with '+', national youth teams */
    extract(x, "vi", NULL,
            "U16 Việt Nam thắng U16 Lào 3-0 tại vòng loại Giải U16 châu Á. Tin: Thailand+.\n", &l);
    is_str(type_of(&l, "u16-viet-nam"), "o", "'U16 Việt Nam' is a team, an org");
    ok(!find(&l, "vietnam"), "... not a mention of the country");
    is_str(type_of(&l, "u16-lao"), "o", "'U16 Lào' too");
    ok(!find(&l, "u16-chau-a"), "'Giải U16 châu Á' is an event, not a team");
    is_str(type_of(&l, "thailand-plus"), "o", "'Thailand+' is an outlet");
    const lsx_entity *tp = find(&l, "thailand-plus");
    is_str(tp ? tp->name : NULL, "Thailand+", "... shown with its '+'");
    ok(!find(&l, "thailand"), "... not the country");
    lsx_entity_list_clear(&l);

    /* short aliases need case and context */
    extract(x, "vi", NULL,
            "Em học tiếng Anh mỗi ngày. Anh Vũ nói rằng anh Đức đã về quê. Người Việt Nam ở "
            "Pháp rất đông. Ngoại trưởng Nga thăm Đức và Ý.\n", &l);
    is_int(count_of(&l, "united-kingdom"), 0, "'tiếng Anh' and 'Anh Vũ' are not the UK");
    is_int(count_of(&l, "germany"), 1, "'anh Đức' is a person, 'Đức và Ý' is Germany");
    is_str(type_of(&l, "duc"), "p", "anh + one given name is a person");
    is_int(count_of(&l, "vietnam"), 0, "'người Việt Nam' is a people, not the country");
    ok(!find(&l, "viet-nam"), "... nor a person");
    is_str(type_of(&l, "russia"), "l", "a title before a country name: the country");
    is_str(type_of(&l, "france"), "l", "Pháp");
    lsx_entity_list_clear(&l);

    /* organisation names: "và", portfolios, legal forms, acronyms after the head */
    extract(x, "vi", NULL,
            "Hôm qua, Bộ Kế hoạch và Đầu tư làm việc với Bộ Y tế và Bộ Tài chính. Sở Nông "
            "nghiệp và Phát triển nông thôn Hà Tĩnh đã họp. Công ty TNHH Thép Hòa Phước tăng lãi. "
            "Đại diện Bộ GTVT có mặt. Công ty giải trí Sao Mai làm phim.\n", &l);
    is_str(type_of(&l, "bo-ke-hoach-va-dau-tu"), "o", "an org name goes on after 'và'");
    ok(!find(&l, "bo-ke-hoach"), "... and is not cut there");
    ok(find(&l, "bo-y-te") && find(&l, "bo-tai-chinh"), "'và' before another head: two orgs");
    is_str(type_of(&l, "so-nong-nghiep-va-phat-trien-nong-thon-ha-tinh"), "o",
           "lowercase syllables of a portfolio stay in the name");
    is_str(type_of(&l, "cong-ty-tnhh-thep-hoa-phuoc"), "o", "a legal form after the head");
    is_str(type_of(&l, "bo-gtvt"), "o", "an acronym after the head");
    is_str(type_of(&l, "cong-ty-giai-tri-sao-mai"), "o", "a descriptor before the name");
    lsx_entity_list_clear(&l);
    extract(x, "vi", NULL,
            "Hôm qua Công ty TNHH MTV Đóng tàu biển Phước An báo lỗ. Đoàn của Chi cục Thuế "
            "TP.Hòa Bình đến. Ngân hàng Sao Mai công bố kết quả với Bộ Tài chính.\n", &l);
    is_str(type_of(&l, "cong-ty-tnhh-mtv-dong-tau-bien-phuoc-an"), "o",
           "lowercase syllables inside a company name before its capitalised part");
    ok(find(&l, "chi-cuc-thue-tp-hoa-binh") != NULL, "'TP.' and a place inside an org name");
    ok(find(&l, "ngan-hang-sao-mai") && !find(&l, "ngan-hang-sao-mai-cong-bo-ket-qua"),
       "a verb phrase after an org name is not part of it");
    lsx_entity_list_clear(&l);
    extract(x, "vi", NULL,
            "Hôm qua, Khánh Duy và Tùng Phạm đến BV Đa khoa Hòa Phước. Bác sĩ ở đó nói vậy.\n", &l);
    is_str(type_of(&l, "tung-pham"), "p", "a given name before the family name: a person");
    is_str(type_of(&l, "khanh-duy"), "p", "two given-name syllables: a person");
    is_str(type_of(&l, "bv-da-khoa-hoa-phuoc"), "o", "'BV' heads a hospital's name");
    lsx_entity_list_clear(&l);
    extract(x, "vi", NULL, "Trong buổi họp, Thảo cho biết mọi việc đã xong.\n", &l);
    is_str(type_of(&l, "thao"), "p", "one given-name syllable before 'cho biết': a person");
    lsx_entity_list_clear(&l);
    extract(x, "vi", NULL,
            "Hôm qua, ca sĩ Hồ Quang Hiếu và anh Trương Hòa Bình về tỉnh Hòa Bình. Hồ Tây rất "
            "đẹp.\n", &l);
    is_str(type_of(&l, "ho-quang-hieu"), "p", "'Hồ' before given names is a family name, not a lake");
    is_str(type_of(&l, "truong-hoa-binh"), "p", "a person named after a place");
    is_int(count_of(&l, "hoa-binh"), 1, "... is not the province; 'tỉnh Hòa Bình' is");
    lsx_entity_list_clear(&l);
    extract(x, "vi", NULL,
            "Hôm qua, Ban Giám khảo đã chấm điểm. Đại diện Ban Tuyên giáo Trung ương có mặt.\n", &l);
    ok(!find(&l, "ban-giam-khao"), "a board named by its function ('Ban Giám khảo') is not an org name");
    is_str(type_of(&l, "ban-tuyen-giao-trung-uong"), "o", "a 'Ban' with a name is an org");
    lsx_entity_list_clear(&l);

    /* sentence-opening words, given names, speech, foreign names, bylines */
    extract(x, "vi", NULL,
            "Việc Agoda mua lại công ty được chú ý. Lan Khuê cho biết cô rất vui. Thủ tướng "
            "Chính phủ Nguyễn Xuân Phúc giao việc. Chuyên gia Robert Kagan đồng ý. Phụ huynh "
            "ở Phạm Thu Trang phản ánh.\n"
            "Hoàng Minh Tuấn - Lê Thu Hà\n", &l);
    ok(!find(&l, "viec-agoda"), "a word opening the sentence is not part of a name");
    is_str(type_of(&l, "lan-khue"), "p", "given-name syllables before 'cho biết': a person");
    is_str(type_of(&l, "nguyen-xuan-phuc"), "p", "a person after 'Chính phủ'");
    ok(!find(&l, "chinh-phu-nguyen-xuan-phuc"), "... is not part of it");
    is_str(type_of(&l, "robert-kagan"), "p", "an English name in Vietnamese text");
    ok(!find(&l, "trang"), "an ASCII place alias does not match inside a Vietnamese name");
    ok(!find(&l, "bo") && !find(&l, "sul"), "no foreign place from a Vietnamese syllable");
    is_str(type_of(&l, "hoang-minh-tuan"), "p", "byline: first author");
    is_str(type_of(&l, "le-thu-ha"), "p", "byline: second author");
    lsx_entity_list_clear(&l);

    /* Vietnamese abbreviations need a definition; places from the larger gazetteer */
    extract(x, "vi", NULL,
            "CLB đã thắng. Anh ấy SN 1990, CLB mời anh. Đoàn đến Bình Nhưỡng và Thượng Hải, "
            "rồi tới Texas.\n", &l);
    ok(!find(&l, "clb") && !find(&l, "sn"), "undefined abbreviations are not orgs");
    ok(find(&l, "pyongyang") && find(&l, "shanghai") && find(&l, "texas"),
       "Vietnamese names of cities (CLDR), states (ISO 3166-2)");
    lsx_entity_list_clear(&l);
}

/* ---- boilerplate ----------------------------------------------------------- */

static void test_content_end(lsx_extractor *x)
{
    static const struct { const char *name, *text; int cut_line; } cases[] = {
        { "marker and headline list",
          "The meeting ended with a joint statement on trade and security.\n"
          "Other News\n- Vietnam news in brief - January 21\n- Leaders meet in Hanoi for talks\n", 2 },
        { "marker as the last line",
          "Bài viết kết thúc ở đây với một câu hoàn chỉnh.\nPhiên bản di động", 2 },
        { "marker with colon and diacritic-free",
          "A long enough paragraph of the article, ending here.\n\nTIN LIEN QUAN:\nMot tieu de\n", 3 },
        { "marker inside an article followed by prose",
          "First paragraph of the story, which is long enough to be prose text here.\n"
          "Related\n"
          "The second paragraph goes on with the story and it is certainly real prose, as it "
          "ends with a full stop after more than ninety characters.\n"
          "A third paragraph of real text follows it with more details about the events of "
          "the day and what the officials said.\n", 0 },
        { "lowercase wrapped word is not a marker",
          "common words were indexed with statistical procedures to find the best\nkeywords .\n", 0 },
        { "repeated headlines",
          "The article text ends with this sentence about the summit.\n\n"
          "Minister visits Cambodia for talks on trade\n\nMinister visits Cambodia for talks on trade\n\n"
          "The minister arrived in Phnom Penh on Monday for two days of talks ...\n"
          "Floods hit central provinces after heavy rain\n\nFloods hit central provinces after heavy rain\n\n"
          "Thousands of people were moved to safety as rivers rose.\n", 3 },
        { "one repeated caption is not enough",
          "Leaders pose for a photo at the summit venue\nLeaders pose for a photo at the summit venue\n"
          "The summit opened on Monday with a speech by the chair about regional cooperation and trade.\n", 0 },
        { "trailing headline list after a full stop",
          "The talks will continue next month in Jakarta.\n"
          "- Vietnam news in brief on January 21\n- Leaders congratulate the new president today\n"
          "- Vietnam and Czech Republic issue joint statement\n- Overseas Vietnamese explore investment chances\n"
          "- Hanoi hosts first international lantern competition\n", 2 },
        { "a list introduced by a colon stays",
          "The plan has several parts:\n- build five hundred new schools\n- train ten thousand new teachers\n"
          "- raise the salaries of teachers\n- open new libraries in every province\n"
          "- repair roads to remote schools\n", 0 },
        { "a short list stays",
          "The plan has three parts.\n- Build five hundred new schools\n- Train ten thousand new teachers\n"
          "- Raise the salaries of teachers\n", 0 },
        { "a price list stays",
          "Prices are given below.\nReference prices\n- Salon A: 32,900,000 dong\n- Salon B: 6 million\n"
          "- Salon C: 20 million\n- Salon D: 9 million\n- Salon E: 7 million\n", 0 },
        { "no boilerplate", "Just one line of text.", 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *t = cases[i].text;
        size_t n = strlen(t);
        size_t want = cases[i].cut_line ? line_offset(t, n, cases[i].cut_line) : n;
        is_int(lsx_content_end(t, n), want, "content_end: %s", cases[i].name);
    }
    is_int(lsx_content_end("", 0), 0, "content_end of empty text");
    is_int(lsx_content_end(NULL, 0), 0, "content_end of NULL");

    /* no entities from the boilerplate tail */
    lsx_entity_list l = { 0 };
    extract(x, "en", NULL,
            "Ambassador Vu Ho met officials in Phnom Penh to discuss the meeting agenda.\n"
            "Trending\n-\nVietnam, Switzerland upgrade bilateral ties to comprehensive partnership\n"
            "-\nLeaders congratulate President Donald Trump on inauguration day\n"
            "-\nHanoi kicks off the Spring Calligraphy Festival\n", &l);
    ok(find(&l, "vu-ho") && find(&l, "phnom-penh"), "entities of the article text");
    ok(!find(&l, "switzerland") && !find(&l, "donald-trump") && !find(&l, "hanoi") &&
       !find(&l, "vietnam") && !find(&l, "spring-calligraphy-festival"),
       "no entities from the Trending list");
    lsx_entity_list_clear(&l);
}

/* ---- robustness ----------------------------------------------------------- */

static void test_garbage(lsx_extractor *x)
{
    static const char *const pieces[] = {
        "Vũ", "Hồ", " ", "\n", "-", "(", ")", "'s", "’", ".", "ASEAN", "US", "U.S.", "\xff",
        "\xc3", "\0", "Ministry", "of", "Đại sứ", "Other News", "- ", "Việt Nam", "A", "...",
        "\xe2\x80\xa6", "Bộ", "ông", "X", "1", "+", "\t", "\xcc\x81", "ﬁ", "İ", "Hội nghị",
    };
    uint32_t seed = 12345;
    lsx_entity_list l = { 0 };
    int fails = 0;
    char buf[2048];
    for (int it = 0; it < 1500; it++) {
        size_t n = 0;
        int k = 1 + it % 200;
        for (int j = 0; j < k; j++) {
            seed = seed * 1103515245u + 12345u;
            const char *p = pieces[(seed >> 16) % (sizeof pieces / sizeof *pieces)];
            size_t pl = p[0] ? strlen(p) : 1;
            if (n + pl >= sizeof buf)
                break;
            memcpy(buf + n, p, pl);
            n += pl;
        }
        size_t end = lsx_content_end(buf, n);
        if (end > n)
            fails++;
        if (lsx_extract_entities(x, it % 2 ? "vi" : "en", it % 3 ? buf : NULL, buf, n, &l, err))
            fails++;
        for (size_t i = 0; i < l.n; i++)
            if (!l.items[i].id || !l.items[i].name || !l.items[i].count)
                fails++;
        lsx_entity_list_clear(&l);
        char *id = lsx_entity_normalize(x, "Vũ \xff Hồ");
        free(id);
    }
    is_int(fails, 0, "random input: no errors, sane results");
}

/* ---- seeds ----------------------------------------------------------------- */

typedef struct seed {
    char *data;
    size_t len;
    const char *title;
    const char *body;
    size_t body_len;
} seed;

/* Split like the text reader: a " date YYYY-MM-DD TITLE" line, or the
 * first line as the title. */
static int load_seed(const char *dir, const char *prefix, seed *s)
{
    char path[4200];
    memset(s, 0, sizeof *s);
    static const char *const names[] = {
        "000_613cb4cec681f5fe.txt", "001_b51c18b98b433393.txt", "002_2695f54ec0a55e43.txt",
        "003_2f67edeb91075b27.txt", "004_41b4e95c0e682894.txt" };
    for (size_t i = 0; i < 5; i++)
        if (!strncmp(names[i], prefix, 3))
            snprintf(path, sizeof path, "%s/seeds/%s", dir, names[i]);
    s->data = slurp(path, &s->len);
    if (!s->data)
        return -1;
    char *nl = strchr(s->data, '\n');
    if (!nl) {
        s->title = "";
        s->body = s->data;
        s->body_len = s->len;
        return 0;
    }
    *nl = '\0';
    s->title = s->data;
    if (!strncmp(s->title, " date ", 6) && strlen(s->title) > 17)
        s->title += 17;
    s->body = nl + 1;
    s->body_len = s->len - (size_t)(s->body - s->data);
    return 0;
}

static void test_seeds(lsx_extractor *x, const char *dir)
{
    /* where the boilerplate starts, as a line of the file (0: nowhere) */
    static const struct { const char *prefix; int line; } cuts[] = {
        { "000", 0 }, { "001", 0 }, { "002", 12 }, { "003", 30 }, { "004", 0 },
    };
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        seed s;
        if (load_seed(dir, cuts[i].prefix, &s)) {
            ok(0, "seed %s readable", cuts[i].prefix);
            continue;
        }
        /* on the whole file (load_seed cut it at the first newline) */
        size_t wl = s.len;
        char *whole = lsx_strndup(s.data, s.len);
        whole[s.body - s.data - 1] = '\n';
        size_t want = cuts[i].line ? line_offset(whole, wl, cuts[i].line) : wl;
        is_int(lsx_content_end(whole, wl), want, "seed %s: boilerplate starts at line %d",
               cuts[i].prefix, cuts[i].line);
        /* on the body as the reader gives it */
        size_t bwant = cuts[i].line ? want - (size_t)(s.body - s.data) : s.body_len;
        is_int(lsx_content_end(s.body, s.body_len), bwant, "seed %s: same cut in the body",
               cuts[i].prefix);
        free(whole);
        free(s.data);
    }

    lsx_entity_list l = { 0 };
    seed s;
    static const char *const main_ids[] = { "asean", "cambodia", "phnom-penh", "vietnam", "myanmar" };
    if (!load_seed(dir, "000", &s)) {
        lsx_extract_entities(x, "en", s.title, s.body, s.body_len, &l, err);
        for (size_t i = 0; i < 5; i++)
            ok(find(&l, main_ids[i]) != NULL, "seed 000: %s", main_ids[i]);
        is_str(type_of(&l, "vu-ho"), "p", "seed 000: vu-ho is a person");
        is_int(count_of(&l, "vu-ho"), 2, "seed 000: Ambassador Vu Ho twice");
        is_str(type_of(&l, "cambodia"), "l", "seed 000: cambodia is a place");
        is_str(type_of(&l, "asean"), "o", "seed 000: asean is an org");
        ok(find(&l, "som") && find(&l, "ammr"), "seed 000: the SOM and the AMMR");
        lsx_entity_list_clear(&l);
        free(s.data);
    }
    if (!load_seed(dir, "003", &s)) {
        lsx_extract_entities(x, "vi", s.title, s.body, s.body_len, &l, err);
        for (size_t i = 0; i < 5; i++)
            ok(find(&l, main_ids[i]) != NULL, "seed 003: %s", main_ids[i]);
        is_str(type_of(&l, "vu-ho"), "p", "seed 003: Vũ Hồ is vu-ho, a person");
        const lsx_entity *e = find(&l, "vu-ho");
        is_str(e ? e->name : NULL, "Vũ Hồ", "seed 003: display name with diacritics");
        ok(find(&l, "som") != NULL, "seed 003: Hội nghị Quan chức cao cấp is the SOM");
        /* the tail (related headlines) mentions these only */
        static const char *const tail[] = { "singapore", "imf", "world-bank", "nato", "eu",
                                            "united-states", "bolivia", "cuba", "moscow",
                                            "donald-trump", "gareth-ward", "hanoi", "ukraine" };
        for (size_t i = 0; i < sizeof tail / sizeof *tail; i++)
            ok(!find(&l, tail[i]), "seed 003: nothing from the tail (%s)", tail[i]);
        lsx_entity_list_clear(&l);
        free(s.data);
    }
    if (!load_seed(dir, "001", &s)) {
        lsx_extract_entities(x, "en", s.title, s.body, s.body_len, &l, err);
        is_str(type_of(&l, "nguyen-quoc-dung"), "p", "seed 001: nguyen-quoc-dung is a person");
        ok(count_of(&l, "nguyen-quoc-dung") >= 3, "seed 001: 'Dũng' counts for him");
        is_str(type_of(&l, "prak-sokhonn"), "p", "seed 001: prak-sokhonn is a person");
        is_str(type_of(&l, "cambodia"), "l", "seed 001: cambodia");
        ok(find(&l, "siem-reap") && find(&l, "aha-centre") && find(&l, "myanmar"),
           "seed 001: Siem Riep, AHA Centre, Myanmar");
        lsx_entity_list_clear(&l);
        free(s.data);
    }
    if (!load_seed(dir, "002", &s)) {
        lsx_extract_entities(x, "en", s.title, s.body, s.body_len, &l, err);
        static const char *const tail[] = { "donald-trump", "czech-republic", "switzerland",
                                            "polish", "duong-lam-ancient-village", "duong-lam",
                                            "spring-calligraphy-festival", "lunar-new-year" };
        for (size_t i = 0; i < sizeof tail / sizeof *tail; i++)
            ok(!find(&l, tail[i]), "seed 002: nothing from Other News / Trending (%s)", tail[i]);
        is_int(count_of(&l, "hanoi"), 1, "seed 002: only the article's Hanoi is counted");
        is_str(type_of(&l, "nguyen-quoc-dung"), "p", "seed 002: Nguyen Quoc Dung");
        ok(find(&l, "south-china-sea") && find(&l, "eas") && find(&l, "asean-plus-three") &&
           find(&l, "united-states") && find(&l, "eu"), "seed 002: gazetteer entities");
        lsx_entity_list_clear(&l);
        free(s.data);
    }
    if (!load_seed(dir, "004", &s)) {
        lsx_extract_entities(x, "en", s.title, s.body, s.body_len, &l, err);
        is_str(type_of(&l, "vu-ho"), "p", "seed 004: vu-ho");
        ok(count_of(&l, "vu-ho") >= 4, "seed 004: 'Hồ' and 'Ho' count for Vũ Hồ");
        is_str(type_of(&l, "bui-thanh-son"), "p", "seed 004: Bùi Thanh Sơn");
        ok(count_of(&l, "bui-thanh-son") >= 3, "seed 004: 'Sơn' counts for him");
        ok(find(&l, "laos") && find(&l, "luang-prabang") && find(&l, "vientiane"),
           "seed 004: Laos, Luang Prabang, Vientiane");
        lsx_entity_list_clear(&l);
        free(s.data);
    }
}

int main(void)
{
    test_gazetteer_files();

    lsx_extractor *x = NULL;
    const char *src = getenv("top_srcdir");
    char path[4096];
    int rc;
    if (src && *src) {
        snprintf(path, sizeof path, "%s/data/gazetteer.tsv", src);
        rc = lsx_extractor_new(&x, path, err);
    } else {
        rc = lsx_extractor_new(&x, NULL, err);
    }
    is_int(rc, LSX_OK, "the shipped gazetteer loads (%s)", rc ? err : "ok");
    if (!x)
        return done_testing();
    /* Without LSX_GAZETTEER the library looks in the install prefix only
     * (never in the build tree): it loads the installed file if there is
     * one, else says where it looked. */
    lsx_extractor *x2 = NULL;
    unsetenv("LSX_GAZETTEER");
    rc = lsx_extractor_new(&x2, NULL, err);
    char installed[4200];
    snprintf(installed, sizeof installed, "%s/gazetteer.tsv", LSX_PKGDATADIR);
    if (access(installed, R_OK) == 0) {
        is_int(rc, LSX_OK, "the default search finds the installed %s (%s)", installed, rc ? err : "ok");
    } else {
        is_int(rc, LSX_ENOTFOUND, "no gazetteer installed in %s: not found", LSX_PKGDATADIR);
        ok(strstr(err, "LSX_GAZETTEER") && strstr(err, LSX_PKGDATADIR), "the message says where to put it: %s", err);
    }
    lsx_extractor_free(x2);

    test_lookup(x);
    test_normalize(x);
    test_detect_en(x);
    test_detect_vi(x);
    test_typing_en(x);
    test_typing_vi(x);
    test_content_end(x);
    test_garbage(x);
    test_cache_order(src && *src ? path : NULL);
    test_gazetteer_cache(src && *src ? path : getenv("LSX_GAZETTEER"));

    const char *shared = tap_shared_dir();
    if (shared)
        test_seeds(x, shared);
    else
        printf("# /work/shared not found: seed tests skipped\n");

    lsx_extractor_free(x);
    return done_testing();
}

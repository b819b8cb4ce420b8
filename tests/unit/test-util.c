/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-util.c - status strings, byte buffers, string helpers. */
#include "private.h"
#include "tap.h"

int main(void)
{
    is_str(lsx_status_str(LSX_OK), "success", "LSX_OK text");
    is_str(lsx_status_str(LSX_ELOCKED), "database is locked", "LSX_ELOCKED text");
    is_str(lsx_status_str(-999), "unknown status", "unknown code has a text");
    for (int s = LSX_EUNSUPPORTED; s <= LSX_DONE; s++)
        ok(strcmp(lsx_status_str(s), "unknown status") != 0, "status %d has its own text", s);
    is_str(lsx_date_source_str(LSX_DATE_INFERRED), "inferred", "date source text");
    is_str(lsx_date_source_str((lsx_date_source)42), "none", "bad date source reads as none");
    is_str(lsx_entity_type_str(LSX_ENTITY_PLACE), "place", "entity type text");
    ok(strncmp(lsx_version(), LSX_VERSION_STRING, strlen(LSX_VERSION_STRING)) == 0, "version string");

    lsx_buf b = {0};
    lsx_buf_puts(&b, "abc");
    lsx_buf_putc(&b, '-');
    lsx_buf_printf(&b, "%d/%s", 42, "x");
    for (int i = 0; i < 1000; i++)
        lsx_buf_putc(&b, 'z');
    is_int(b.len, 3 + 1 + 4 + 1000, "buffer length after appends");
    ok(strncmp(b.data, "abc-42/x", 8) == 0, "buffer contents");
    ok(b.data[b.len] == '\0', "buffer stays NUL-terminated");
    char *s = lsx_buf_detach(&b);
    ok(s && strlen(s) == 1008, "detach hands over the contents");
    ok(b.data == NULL && b.len == 0, "detach resets the buffer");
    free(s);
    lsx_buf empty = {0};
    s = lsx_buf_detach(&empty);
    is_str(s, "", "detaching an empty buffer gives an empty string");
    free(s);

    char err[LSX_ERRLEN];
    is_int(lsx__seterr(err, LSX_EPARSE, "file %s:%d", "a.txt", 7), LSX_EPARSE, "seterr returns the status");
    is_str(err, "file a.txt:7", "seterr formats the message");
    char *d = lsx_strndup("hello world", 5);
    is_str(d, "hello", "strndup");
    free(d);
    ok(lsx_strdup(NULL) == NULL, "strdup(NULL) is NULL");
    char pf[8];
    is_int(lsx__prefixed(pf, sizeof pf, "XE", "abc", 3), 5, "prefixed length");
    is_str(pf, "XEabc", "prefixed term");
    is_int(lsx__prefixed(pf, sizeof pf, "XE", "abcdefgh", 8), 0, "too long for the buffer gives 0");
    /* The E-term rule, shared by indexing and queries. */
    ok(lsx__has_spelling("viet", 4, "việt", strlen("việt")), "việt has a spelling of its own");
    ok(!lsx__has_spelling("run", 3, "running", 7), "a stemmed ASCII word has none");
    ok(!lsx__has_spelling("привет", strlen("привет"), "привет", strlen("привет")),
       "a non-Latin word that folding keeps has none");
    /* lsx__strmap: the one string -> uint32 map. */
    lsx_strmap m = {0};
    ok(lsx__strmap_get(&m, "k", 1) == SIZE_MAX && lsx__strmap_find(&m, "k", 1, lsx__hash("k", 1)) < 0,
       "lsx__strmap: a zeroed map is empty");
    int put_all = 1;
    for (int i = 0; i < 200; i++) {
        char key[16];                     /* the map copies keys: this one is overwritten */
        int kl = snprintf(key, sizeof key, "k%d", i);
        put_all &= lsx__strmap_add(&m, key, (size_t)kl, (size_t)i * 3);
    }
    int found_all = put_all;
    for (int i = 0; found_all && i < 200; i++) {
        char key[16];
        int kl = snprintf(key, sizeof key, "k%d", i);
        long e = lsx__strmap_find(&m, key, (size_t)kl, lsx__hash(key, (size_t)kl));
        found_all = lsx__strmap_get(&m, key, (size_t)kl) == (size_t)i * 3 && e == i &&
                    strcmp(lsx__strmap_key(&m, (size_t)e), key) == 0;
    }
    ok(found_all && m.n == 200 && m.nslots >= 400,
       "... 200 copied keys added and found, entry i is the i-th added (the table grew)");
    ok(lsx__strmap_get(&m, "k1x", 2) == 3, "... a key given by length, inside a longer string");
    ok(lsx__strmap_get(&m, "k", 1) == SIZE_MAX && lsx__strmap_get(&m, "k2000", 5) == SIZE_MAX &&
       lsx__strmap_get(&m, "", 0) == SIZE_MAX,
       "... SIZE_MAX for absent keys, prefixes, extensions and the empty key");
    ok(lsx__strmap_add(&m, "k7", 2, 999) && lsx__strmap_get(&m, "k7", 2) == 21 && m.n == 200,
       "... adding a present key changes nothing");
    ok(!lsx__strmap_add(&m, "big", 3, (size_t)UINT32_MAX + 1) && lsx__strmap_get(&m, "big", 3) == SIZE_MAX,
       "... a value over 32 bits is refused");
    bool added = false;
    long e0 = lsx__strmap_put(&m, "a\0b", 3, lsx__hash("a\0b", 3), 5, &added);
    long e1 = lsx__strmap_put(&m, "a", 1, lsx__hash("a", 1), 6, &added);
    ok(e0 == 200 && e1 == 201 && added && m.ents[e0].val == 5 && m.ents[e1].val == 6 &&
       memcmp(lsx__strmap_key(&m, (size_t)e0), "a\0b", 4) == 0,
       "... keys are bytes: an inner NUL is part of the key");
    long again = lsx__strmap_put(&m, "a", 1, lsx__hash("a", 1), 7, &added);
    ok(again == e1 && !added && m.ents[e1].val == 6, "... put of a present key gives its entry, added false");
    m.ents[e1].val = 8;
    ok(lsx__strmap_get(&m, "a", 1) == 8, "... values are changed in place through ents[]");
    size_t nslots = m.nslots;
    lsx__strmap_clear(&m);
    ok(m.n == 0 && m.nslots == nslots && lsx__strmap_get(&m, "k1", 2) == SIZE_MAX &&
       lsx__strmap_get(&m, "a", 1) == SIZE_MAX, "... cleared: empty, the table kept");
    ok(lsx__strmap_add(&m, "k1", 2, 4) && lsx__strmap_get(&m, "k1", 2) == 4 &&
       lsx__strmap_find(&m, "k1", 2, lsx__hash("k1", 2)) == 0, "... and usable again, numbered from 0");
    lsx__strmap_free(&m);
    ok(m.n == 0 && m.nslots == 0 && !m.ents && lsx__strmap_get(&m, "k1", 2) == SIZE_MAX,
       "... freed: empty");
    ok(lsx__hash("", 0) == 2166136261u && lsx__hash("a", 1) == 0xe40c292cu,
       "lsx__hash is 32-bit FNV-1a");

    /* lsx__grow: room for one more element. */
    int *a = NULL;
    size_t n = 0, cap = 0;
    int grew_right = 1;
    for (int i = 0; i < 100; i++) {
        int *g = lsx__grow(a, n, &cap, sizeof *g, 4);
        if (!g) {
            grew_right = 0;
            break;
        }
        grew_right &= cap > n && (n < 4 ? cap == 4 : (cap & (cap - 1)) == 0);
        a = g;
        a[n++] = i;
    }
    int kept = grew_right;
    for (size_t i = 0; kept && i < n; i++)
        kept = a[i] == (int)i;
    ok(grew_right && n == 100 && cap == 128, "lsx__grow: 4, then doubling, to 128 for 100 elements");
    ok(kept, "... keeping the elements");
    ok(lsx__grow(a, 50, &cap, sizeof *a, 4) == a && cap == 128, "... the same array while there is room");
    size_t huge = SIZE_MAX / 2 + 1;
    ok(lsx__grow(a, huge, &huge, sizeof *a, 4) == NULL && huge == SIZE_MAX / 2 + 1,
       "... NULL, capacity unchanged, when the size would overflow");
    free(a);

    return done_testing();
}

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
    /* lsx__strmap: string -> index. */
    static char keys[200][16];
    lsx_strmap m = {0};
    int put_all = 1;
    for (int i = 0; i < 200; i++) {
        snprintf(keys[i], sizeof keys[i], "k%d", i);
        put_all &= lsx__strmap_put(&m, keys[i], (size_t)i * 3);
    }
    int found_all = put_all;
    for (int i = 0; found_all && i < 200; i++)
        found_all = lsx__strmap_get(&m, keys[i], strlen(keys[i])) == (size_t)i * 3;
    ok(found_all && m.n == 200, "lsx__strmap: 200 keys put and found (the table grew)");
    ok(lsx__strmap_get(&m, "k1x", 2) == 3, "... a key given by length, inside a longer string");
    ok(lsx__strmap_get(&m, "k", 1) == SIZE_MAX && lsx__strmap_get(&m, "k2000", 5) == SIZE_MAX,
       "... SIZE_MAX for absent keys, prefixes and extensions alike");
    lsx__strmap_clear(&m);
    ok(m.n == 0 && m.cap == 0 && lsx__strmap_get(&m, "k1", 2) == SIZE_MAX, "... cleared: empty");

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

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-sync.c - search-index's record of the files it read (index/sync.c):
 * save and load round trips, odd paths, damaged text, lookups.
 */
#include "../../index/sync.h"
#include "tap.h"

int main(void)
{
    sync_state s = { 0 };
    ok(sync_load(&s, NULL, 0) && s.n == 0, "no state: no files");
    ok(sync_add(&s, "/news/b.txt", 0x1122334455667788ull, 42, 1700000000123456789ll, "b"), "add b");
    ok(sync_add(&s, "/news/a 100%\nodd.txt", 1, 0, -5, ""), "add a path with space, %% and newline");
    ok(sync_add(&s, "/news/c.trec", 0xffffffffffffffffull, 7, 0, "D1 D2 D3"), "add c with three ids");
    sync_sort(&s);
    for (size_t i = 0; i < s.n; i++)
        s.files[i].seen = i != 2;          /* c is not kept */
    size_t len = 0;
    char *text = sync_save(&s, &len);
    ok(text && len > 0, "saved");
    sync_state t;
    ok(sync_load(&t, text, len), "loaded");
    is_int(t.n, 2, "only the files marked seen are saved");
    sync_file *a = sync_find(&t, "/news/a 100%\nodd.txt");
    ok(a && a->size == 0 && a->mtime == -5 && a->hash == 1 && strcmp(a->ids, "") == 0,
       "an odd path and its fields round-trip");
    sync_file *b = sync_find(&t, "/news/b.txt");
    ok(b && b->hash == 0x1122334455667788ull && b->size == 42 && b->mtime == 1700000000123456789ll &&
       strcmp(b->ids, "b") == 0, "a file's size, mtime, checksum and ids round-trip");
    ok(sync_find(&t, "/news/c.trec") == NULL, "an unsaved file is not found");
    ok(sync_find(&t, "/news/b") == NULL, "a prefix is not a match");
    free(text);
    sync_free(&t);
    sync_free(&s);

    static const char *const damaged[] = {
        "something else\n",
        "search-index files 1\nF zz 1 2 /x\nI a\n",
        "search-index files 1\nF 0000000000000001 1 2 /x\n",
        "search-index files 1\nF 0000000000000001 1 2 /x\nX a\n",
        "search-index files 1\nG 0000000000000001 1 2 /x\nI a\n",
    };
    for (size_t k = 0; k < sizeof damaged / sizeof damaged[0]; k++) {
        ok(!sync_load(&t, damaged[k], strlen(damaged[k])) && t.n == 0, "damaged state %zu is refused", k);
        sync_free(&t);
    }

    ok(sync_under("/a/b/c", "/a/b"), "below a folder");
    ok(sync_under("/a/b", "/a/b"), "the folder itself");
    ok(!sync_under("/a/bc", "/a/b"), "a sibling with the same prefix is not below");
    ok(sync_under("/x", "/"), "everything is below /");
    return done_testing();
}

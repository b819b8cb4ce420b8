/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sync.h - what search-index remembers about the files it read, so that a
 * second run reads only what changed (like `notmuch new` and omindex).
 *
 * The state is kept in the database's user metadata under
 * "search-index.files": per file its resolved path, size, modification
 * time (ns), a checksum of its bytes and the ids of the documents it gave.
 * A file is unchanged when its size and mtime are the stored ones, or its
 * size is and its checksum is (a touched file); it is then not read.
 *
 * Text format (version line, then two lines per file):
 *   search-index files 1
 *   F <checksum, 16 hex> <size> <mtime_ns> <path, "%" and newline as %25, %0A>
 *   I <id> <id> ...
 * Ids hold no white space (the library refuses such ids).
 */
#ifndef SEARCH_INDEX_SYNC_H
#define SEARCH_INDEX_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SYNC_KEY_FILES "search-index.files"
#define SYNC_KEY_ROOT  "search-index.id-root"

typedef struct sync_file {
    char *path;               /* resolved path */
    uint64_t hash, size;
    int64_t mtime;
    char *ids;                /* the ids, separated by single spaces ("" if none) */
    bool seen;                /* to be saved: unchanged, read, or kept as it is */
    bool listed;              /* listed in this run */
} sync_file;

typedef struct sync_state {
    sync_file *files;         /* sorted by path after sync_load */
    size_t n, cap;
} sync_state;

/* Parse a stored state (NULL or empty: no files); false on a malformed one
 * (the state is then empty: every file counts as new). */
bool sync_load(sync_state *s, const char *text, size_t len);
/* The entry of a resolved path, or NULL. */
sync_file *sync_find(sync_state *s, const char *path);
/* Add an entry (takes copies); the array is no longer sorted: call
 * sync_sort before the next sync_find.  false when out of memory. */
bool sync_add(sync_state *s, const char *path, uint64_t hash, uint64_t size, int64_t mtime,
              const char *ids);
void sync_sort(sync_state *s);
/* Serialise the entries that are `seen` (malloc'd text, its length in *len). */
char *sync_save(const sync_state *s, size_t *len);
void sync_free(sync_state *s);
/* Is `path` equal to `root` or below it? */
bool sync_under(const char *path, const char *root);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * private.h - declarations shared by libsearch's C modules (not installed).
 */
#ifndef LSX_PRIVATE_H
#define LSX_PRIVATE_H

#include "libsearch.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* ---- reserved names ---------------------------------------------------------
 * Internal functions shared between modules are linked under the reserved
 * prefix lsx__ (two underscores), so the static library defines no name
 * outside the public API and that prefix (tests/cli/symbols.sh checks);
 * these keep their shorter source names. */
#define lsx_body_encode lsx__body_encode
#define lsx_buf_append lsx__buf_append
#define lsx_buf_detach lsx__buf_detach
#define lsx_buf_free lsx__buf_free
#define lsx_buf_printf lsx__buf_printf
#define lsx_buf_putc lsx__buf_putc
#define lsx_buf_puts lsx__buf_puts
#define lsx_content_end lsx__content_end
#define lsx_date_valid lsx__date_valid
#define lsx_entity_list_clear lsx__entity_list_clear
#define lsx_entity_normalize lsx__entity_normalize
#define lsx_extract_entities lsx__extract_entities
#define lsx_extractor_free lsx__extractor_free
#define lsx_extractor_new lsx__extractor_new
#define lsx_find_date lsx__find_date
#define lsx_gazetteer_lookup lsx__gazetteer_lookup
#define lsx_gazetteer_name lsx__gazetteer_name
#define lsx_record_clear lsx__record_clear
#define lsx_record_decode lsx__record_decode
#define lsx_record_encode lsx__record_encode
#define lsx_record_set_body lsx__record_set_body
#define lsx_record_set_entities lsx__record_set_entities
#define lsx_snippet lsx__snippet
#define lsx_strdup lsx__strdup
#define lsx_strndup lsx__strndup

#define LSX_ERRLEN 512
#define LSX_UNUSED(x) ((void)(x))

/* ---- the index schema (schema.h: every prefix, slot and facet) ---------- */
#include "schema.h"
#define LSX_MAX_ID_BYTES 200

/* ---- tunable defaults (resolved at run time: never in the public header) --- */
#define LSX_DEFAULT_K1 1.6
#define LSX_DEFAULT_B  0.75
/* Feedback defaults, chosen on six classic collections (bench/relevance.md). */
#define LSX_DEFAULT_PRF_TERMS  25
#define LSX_DEFAULT_PRF_WEIGHT 0.3
/* With two or more feedback documents, a term must occur in at least this
 * many of them to be added (one document's own words are mostly noise). */
#define LSX_PRF_MIN_DOCS 2
#define LSX_DEFAULT_TITLE_WEIGHT 3.0
#define LSX_DEFAULT_BATCH_SIZE 1000
#define LSX_DEFAULT_TIMEOUT_MS 10000   /* remote shards: connecting, and each reply */
#define LSX_DEFAULT_MEMORY_MB 256
#define LSX_DEFAULT_SNIPPET_BYTES 200
#define LSX_DEFAULT_PERMUTATIONS 10000

/* ---- versioned structs (see ABI AND VERSIONING in libsearch.h) -----------
 * LSX__END(type, field): the bytes of `type` up to the end of `field`, the
 * part of the struct a caller of the version that ended with `field` has.
 * lsx__read_versioned copies the caller's struct `src` (whose first member
 * is `unsigned version`) over `dst`, which holds the defaults of the current
 * version: only the first ends[version - 1] bytes are read, so fields added
 * by later versions keep their defaults.  dst's version becomes `nversions`.
 * Returns LSX_EINVAL (message in err, naming `what`) for version 0 or a
 * version newer than the library's. */
#define LSX__END(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))
int lsx__read_versioned(void *dst, const void *src, const size_t *ends, unsigned nversions,
                        const char *what, char *err);
/* lsx__init_versioned: the public *_options_init(opts, version) functions.
 * Copies the first ends[version - 1] bytes of `defaults` (a struct of the
 * current version) to `dst`, which the caller allocated for `version`, and
 * sets its version: nothing past the caller's struct is written.  Returns
 * LSX_EINVAL for a NULL dst, version 0 or a version newer than the
 * library's (`nversions`). */
int lsx__init_versioned(void *dst, const void *defaults, const size_t *ends, unsigned nversions,
                        unsigned version);
#define LSX_DEFAULT_RECENCY_WEIGHT 2.0

/* ---- queries (query.c) ---------------------------------------------------- */
/* A node that only restricts: filters and dates, and AND / OR / NOT of them.
 * The parser groups items by it; search.c compiles such nodes unscored. */
bool lsx__qnode_only_filters(const lsx_qnode *n);
/* Made by lsx_query_parse_words: plain text, whose multi-word sequences
 * are not looked up as names (a topic is words, not a typed query). */
bool lsx__query_is_words(const lsx_query *q);
/* The text lsx_query_parse parsed (NULL for other queries). */
const char *lsx__query_text(const lsx_query *q);

/* ---- error helpers ------------------------------------------------------- */
/* Format into buf (LSX_ERRLEN bytes) and return status. */
int lsx__seterr(char *buf, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- growable byte buffer --------------------------------------------- */
typedef struct lsx_buf {
    char *data;
    size_t len, cap;
    bool oom;            /* sticky: an append failed */
} lsx_buf;
void lsx_buf_append(lsx_buf *b, const void *p, size_t n);
void lsx_buf_puts(lsx_buf *b, const char *s);
void lsx_buf_putc(lsx_buf *b, char c);
void lsx_buf_printf(lsx_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void lsx_buf_free(lsx_buf *b);
/* Take ownership of the NUL-terminated contents (NULL on OOM); buffer is reset. */
char *lsx_buf_detach(lsx_buf *b);

/* Append s as a JSON string (quotes included), encoded by jansson; bytes
 * that are not UTF-8 become U+FFFD, so the JSON stays valid. */
void lsx__json_str(lsx_buf *b, const char *s);

char *lsx_strdup(const char *s);
char *lsx_strndup(const char *s, size_t n);

/* ---- string map (util.c) -------------------------------------------------
 * The library's one string -> uint32 map.  Open addressing over a table of
 * entry indexes; keys (any bytes) are copied into the map's own arena, so
 * callers need not keep them.  Entries are numbered 0, 1, 2, ... in the order
 * they were added and keep their number until the map is cleared: m->ents[i]
 * holds entry i's value, lsx__strmap_key(m, i) its NUL-terminated key.
 * The caller may pass a hash it already has (lsx__hash of the key bytes);
 * lsx__strmap_get/add hash for it.  Zero-initialise; lsx__strmap_free. */
typedef struct lsx_strmap_ent {
    uint32_t hash, off, len, val;
} lsx_strmap_ent;
typedef struct lsx_strmap {
    lsx_strmap_ent *ents;
    size_t n, cap;          /* entries, room in ents */
    uint32_t *slots;        /* entry index + 1; 0 = empty */
    size_t nslots;          /* 0 or a power of two */
    lsx_buf keys;           /* the keys, each NUL-terminated */
} lsx_strmap;

/* 32-bit FNV-1a of n bytes: the hash every map lookup expects. */
static inline uint32_t lsx__hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

/* Entry index of the n bytes k (hash h), or -1.  Inline: the entity
 * recogniser calls it for every token. */
static inline long lsx__strmap_find(const lsx_strmap *m, const char *k, size_t n, uint32_t h)
{
    if (!m->nslots)
        return -1;
    size_t mask = m->nslots - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        uint32_t s = m->slots[i];
        if (!s)
            return -1;
        const lsx_strmap_ent *e = &m->ents[s - 1];
        if (e->hash == h && e->len == n && memcmp(m->keys.data + e->off, k, n) == 0)
            return (long)(s - 1);
    }
}

static inline const char *lsx__strmap_key(const lsx_strmap *m, size_t i)
{
    return m->keys.data + m->ents[i].off;
}

/* Entry index of k, added with value `val` if absent (*added tells);
 * -1 when out of memory. */
long lsx__strmap_put(lsx_strmap *m, const char *k, size_t n, uint32_t h, uint32_t val, bool *added);
/* The value of the n bytes of s, or SIZE_MAX if absent. */
size_t lsx__strmap_get(const lsx_strmap *m, const char *s, size_t n);
/* Add the n bytes of s with value val unless present (then nothing changes);
 * false when out of memory or val does not fit in 32 bits. */
bool lsx__strmap_add(lsx_strmap *m, const char *s, size_t n, size_t val);
/* Empty the map, keeping its memory (unless the table grew huge). */
void lsx__strmap_clear(lsx_strmap *m);
/* Release the map's memory and empty it. */
void lsx__strmap_free(lsx_strmap *m);

/* ---- growable arrays ------------------------------------------------------
 * Room for one more element in `arr`, an array of `n` elements of `size`
 * bytes with capacity *cap: `arr` itself while n < *cap, else the array
 * reallocated to twice the capacity (`first` when it is 0), *cap updated.
 * NULL when out of memory; `arr` and *cap are then unchanged.  Use:
 *     item *p = lsx__grow(a->items, a->n, &a->cap, sizeof *p, 16);
 *     if (!p) return LSX_ENOMEM;
 *     a->items = p; */
void *lsx__grow(void *arr, size_t n, size_t *cap, size_t size, size_t first);

/* ---- the language registry (langs.c) ------------------------------------ */
#define LSX__LANG_SEGMENTED 1u   /* written without spaces: ICU's dictionary finds words */
#define LSX__LANG_TONES     2u   /* Vietnamese: tone-mark placement normalised */
typedef struct lsx__lang {
    const char *code;            /* ISO 639-1 */
    const char *name;            /* English name */
    const char *stemmer;         /* libstemmer algorithm, or NULL */
    int script;                  /* UScriptCode of the words it stems (USCRIPT_INVALID_CODE: any) */
    unsigned flags;
} lsx__lang;
/* The registry row of a code ("id", "ID", "id-ID", "ind", "in"), or NULL. */
const lsx__lang *lsx__lang_find(const char *code, size_t len);
size_t lsx__lang_count(void);
const lsx__lang *lsx__lang_get(size_t i);
size_t lsx__lang_index(const lsx__lang *l);

/* ---- language identification (langid.c, over the CLD2 binding) ---------- */
/* The registry language of `text` and whether the guess is reliable (CLD2's
 * word); NULL when CLD2 names a language the registry lacks or none. */
const lsx__lang *lsx__identify(const char *text, size_t len, bool *reliable);

/* ---- UTF-8: the library's one decoder ----------------------------------- */
/* Decode the sequence starting at s[0] (a byte >= 0x80), n bytes available.
 * Returns its length, or 0 if s[0] does not start a well-formed sequence
 * (stray continuation byte, overlong form, surrogate, > U+10FFFF, or a
 * sequence cut short): the caller then treats just that one byte as bad.
 * Inline: the analyzer calls it for every non-ASCII character. */
static inline size_t lsx__utf8_decode(const unsigned char *s, size_t n, int32_t *cp)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = (int32_t)c;
        return n ? 1 : 0;
    }
    if (c < 0xC2)                       /* continuation byte or overlong C0/C1 */
        return 0;
    if (c < 0xE0) {
        if (n < 2 || (s[1] & 0xC0) != 0x80)
            return 0;
        *cp = (int32_t)(((c & 0x1Fu) << 6) | (s[1] & 0x3Fu));
        return 2;
    }
    if (c < 0xF0) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xE0 && s[1] < 0xA0) ||   /* overlong */
            (c == 0xED && s[1] >= 0xA0))    /* UTF-16 surrogate */
            return 0;
        *cp = (int32_t)(((c & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu));
        return 3;
    }
    if (c < 0xF5) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xF0 && s[1] < 0x90) ||   /* overlong */
            (c == 0xF4 && s[1] >= 0x90))    /* beyond U+10FFFF */
            return 0;
        *cp = (int32_t)(((c & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) |
                        ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu));
        return 4;
    }
    return 0;
}

/* ---- the folding policy (analyzer.c) ------------------------------------ */
/* One code point folded as the analyzer folds words: case-folded,
 * decomposed, Latin/Greek/Cyrillic diacritics dropped (marks of other
 * scripts, such as Thai and Khmer vowel signs, kept), đ ð ø ł ß æ œ
 * spelled out; into dst, its length (0 for a lone diacritic). */
#define LSX_FOLD_CP_MAX 32
size_t lsx__fold_cp(int32_t c, char dst[LSX_FOLD_CP_MAX]);

/* ---- word breaks of unspaced scripts (analyzer.c) ---------------------- */
/* The chain's segmentation for other modules (entity extraction): ICU's
 * word break iterator over runs of Thai, Lao, Khmer, Myanmar, Han or kana.
 * Zero-initialise; lsx__segmenter_free. */
typedef struct lsx__segmenter {
    void *brk, *ut;             /* ICU objects, made on first use */
    bool failed;                /* ICU could not open an iterator */
} lsx__segmenter;
/* Whether the code point belongs to a script written without spaces. */
bool lsx__unspaced(int32_t cp);
/* The length of the first word of the letters s[0, n) (UTF-8) if they hold
 * an unspaced script, else n. */
size_t lsx__segmenter_first(lsx__segmenter *sg, const char *s, size_t n);
void lsx__segmenter_free(lsx__segmenter *sg);

/* ---- stopwords (stopwords.c) -------------------------------------------- */
/* The sorted stopword list of `lang` (same names as lsx_is_stopword) and its
 * length in *n; NULL (and *n = 0) when the language has none. */
const char *const *lsx__stopword_list(const char *lang, size_t *n);
/* Whether the `len` bytes of w are one of the n strings of tab (sorted in
 * strcmp order); binary search. */
bool lsx__in_sorted(const char *const *tab, size_t n, const char *w, size_t len);

/* ---- stored document record (store.c) ----------------------------------
 * The document data: a small record of the fields a results page shows
 * (version byte, length-prefixed fields).  The body is stored apart, in
 * value slot LSX_SLOT_BODY: its raw length as a varint, then zlib data; the
 * entity list in LSX_SLOT_ENTITY_NAMES. */
typedef struct lsx_record {
    void *mem;               /* decoded records: one block holding the fields below */
    char *id, *title, *date, *lang, *source;
    lsx_date_source date_source;
    char *entities;          /* "<type><id>\t<name>\t<count>\n"...: from a version 2
                              * record, or lsx_record_set_entities (NULL until then) */
    char *ents_mem;          /* owned copy behind `entities` when set apart */
    char *body;              /* set by lsx_record_set_body; NULL until then */
    size_t body_len;
} lsx_record;
/* Encode the record (no body): malloc'd blob in *out. */
int lsx_record_encode(const lsx_record *rec, char **out, size_t *out_len, char *err);
/* Compress a body into its stored form (malloc'd). */
int lsx_body_encode(const char *body, size_t len, char **out, size_t *out_len, char *err);
/* Decode a record blob (copies what it needs). */
int lsx_record_decode(const char *blob, size_t len, lsx_record *rec, char *err);
/* Set rec->entities to a copy of the stored list (LSX_SLOT_ENTITY_NAMES). */
int lsx_record_set_entities(lsx_record *rec, const char *stored, size_t len, char *err);
/* Decompress a stored body (from LSX_SLOT_BODY) into rec->body. */
int lsx_record_set_body(lsx_record *rec, const char *stored, size_t len, char *err);
void lsx_record_clear(lsx_record *rec);

/* ---- entity extraction (entities.c) ------------------------------------ */
typedef struct lsx_entity_list {
    lsx_entity *items;       /* id and name strings owned by the list */
    size_t n, cap;
} lsx_entity_list;
typedef struct lsx_extractor lsx_extractor;
/* Load the gazetteer from `path`, or when NULL from $LSX_GAZETTEER, else
 * LSX_PKGDATADIR/gazetteer.tsv, else LSX_SRCDATADIR/gazetteer.tsv (the
 * source tree, for uninstalled use).  LSX_ENOTFOUND/LSX_EPARSE with a message
 * naming file and line on failure. */
int lsx_extractor_new(lsx_extractor **out, const char *path, char *err);
void lsx_extractor_free(lsx_extractor *x);
/* Extract entities from title + body[0:lsx_content_end] (lang "en"/"vi", NULL = guess);
 * empties *out first; body_len is exact (0 = empty). */
int lsx_extract_entities(lsx_extractor *x, const char *lang, const char *title,
                         const char *body, size_t body_len, lsx_entity_list *out, char *err);
void lsx_entity_list_clear(lsx_entity_list *l);
/* Canonical id of a user-typed name: "Vũ Hồ" -> "vu-ho" (folded, hyphenated).
 * Gazetteer aliases map to their canonical id. malloc'd. */
char *lsx_entity_normalize(lsx_extractor *x, const char *name);
/* If the words of `text` (any case/diacritics) are a gazetteer alias, return
 * the canonical id and set *type; else NULL.  The string belongs to x. */
const char *lsx_gazetteer_lookup(lsx_extractor *x, const char *text, size_t len, lsx_entity_type *type);
/* Display name of a canonical id (gazetteer name), or NULL if unknown. */
const char *lsx_gazetteer_name(lsx_extractor *x, const char *id);

/* ---- boilerplate (entities.c) ------------------------------------------ */
/* Byte offset where trailing page boilerplate (related-article lists,
 * "Other News", "Trending", navigation) begins; `len` if there is none. */
size_t lsx_content_end(const char *body, size_t len);

/* ---- date extraction (dates.c) ---------------------------------------- */
/* Find a date in the text; writes "YYYY-MM-DD" to out[11]; returns the source
 * (LSX_DATE_TEXT / LSX_DATE_INFERRED) or LSX_DATE_NONE. */
lsx_date_source lsx_find_date(const char *lang, const char *title, const char *body, size_t len,
                              char out[11]);
/* Validate a canonical date: "YYYY-MM-DD" (a real calendar day), optionally
 * followed by "Thh:mm[:ss]" and "Z" or "+hh:mm"/"-hh:mm". */
bool lsx_date_valid(const char *s);

/* ---- header dates (date-parse.c) -------------------------------------- */
#define LSX_DATE_MAX 32        /* room for any canonical date string */
typedef struct lsx_when {
    int y, m, d;               /* a real calendar day */
    int hh, mi, ss;            /* valid when `time` */
    bool time;                 /* a time of day was given */
    bool zone;                 /* the time's zone was given: zone_min east of UTC */
    int zone_min;
} lsx_when;
/* Read a date (and time) written in any form date-parse.c lists, from a
 * header field of n bytes; false if none can be read. */
bool lsx__parse_when(const char *s, size_t n, lsx_when *w);
/* A Unix time in seconds (UTC); false outside the years 1000-2999. */
bool lsx__unix_when(double secs, lsx_when *w);
/* Parse the canonical form only (what lsx_date_valid accepts). */
bool lsx__when_canonical(const char *s, lsx_when *w);
/* Write the canonical form ("YYYY-MM-DD[Thh:mm:ss[Z|+hh:mm]]"); its length, 0 on error. */
size_t lsx__when_format(const lsx_when *w, char out[LSX_DATE_MAX]);
/* The LSX_SLOT_DATETIME value: "YYYYMMDDhhmmss", or "YYYYMMDD" without a time. */
size_t lsx__when_sortkey(const lsx_when *w, char out[15]);

/* ---- snippets (snippet.c) ---------------------------------------------- */
/* Make a snippet of `text` around the tokens whose search form is in `terms`
 * (sorted array of NUL-terminated strings, n of them), at most ~target bytes,
 * highlighting matched words with hl_start/hl_end.  An entry made of
 * LSX_HL_SPELLING and an exact spelling matches only words with that
 * spelling (a query word typed with diacritics).  malloc'd result. */
#define LSX_HL_SPELLING "\001"
char *lsx_snippet(lsx_analyzer *a, const char *lang, const char *text, size_t len,
                  const char *const *terms, size_t nterms, size_t target,
                  const char *hl_start, const char *hl_end);

/* ---- the database directory (dbdir.c) ---------------------------------- */
#define LSX_BUILD_DIR ".lsx-build"   /* the bulk indexer's shards and merge */
typedef enum lsx_dir_form {
    LSX_DIR_NONE,          /* no database (yet) */
    LSX_DIR_PLAIN,         /* DIR/iamglass: a glass database in DIR itself */
    LSX_DIR_GENERATIONS,   /* DIR/XAPIANDB naming DIR/gen-N */
    LSX_DIR_FOREIGN        /* a stub file libsearch did not write */
} lsx_dir_form;
/* The form of the database directory; *gen = N for LSX_DIR_GENERATIONS. */
lsx_dir_form lsx__dir_form(const char *dir, unsigned long *gen);
/* Take the writers' lock of DIR (which must exist): LSX_ELOCKED if another
 * writer has it (unless `wait`); *fd is the lock to close. */
int lsx__dir_lock(const char *dir, bool wait, int *fd, char *err);
/* Whether some process holds the writers' lock of DIR now. */
bool lsx__dir_writer_active(const char *dir);
/* Count (and with `remove`, remove) the leftovers of interrupted runs in
 * DIR: entries and bytes.  Call with the lock held to remove. */
int lsx__dir_leftovers(const char *dir, bool remove, uint64_t *count, uint64_t *bytes, char *err);
/* Bytes of the live database's files. */
uint64_t lsx__dir_live_bytes(const char *dir);
/* Make the glass database at `built` (a directory in DIR's file system)
 * the database of DIR, atomically (dbdir.c explains the steps).  The
 * caller holds the lock and has no Xapian handle open on DIR. */
int lsx__dir_install(const char *dir, const char *built, char *err);
/* "A/B", malloc'd (NULL when out of memory). */
char *lsx__path_join(const char *a, const char *b);
/* Remove a directory tree (no symlinks followed); 0 or -1 with errno. */
int lsx__remove_tree(const char *path);
/* Test hook: SIGKILL this process if $LSX_CRASH_AT is `step`. */
void lsx__crash_point(const char *step);
/* The readers' lock, DIR/.lsx-read (dbdir.c explains why): a writer
 * holds it exclusively around each call that may write Xapian blocks
 * (lsx__db_write_begin/end in db.c), readers hold it shared while they
 * read.
 * lsx__read_lock_open: an fd on it (the writer creates it and opens it
 * for writing), or -1. */
int lsx__read_lock_open(const char *dir, bool create);
/* Exclusive, waiting as long as readers read: 0, or -1 with errno. */
int lsx__read_lock_write(int fd);
/* Shared, waiting at most wait_ms; false if not taken (the file is gone,
 * or the wait ran out). */
bool lsx__read_lock_read(int fd, unsigned wait_ms);
/* Release it (either kind). */
void lsx__read_lock_release(int fd);
#define LSX_READ_LOCK_WAIT_MS 10000

/* ---- the database handle (db.c; used by search.c) ------------------- */
#include "xapian/shim.h"

struct lsx_db {
    xs_db *x;
    char *path;                /* NULL in memory */
    unsigned flags;
    lsx_db_options opts;
    unsigned title_wdf;        /* title_weight rounded to a whole wdf increment */
    lsx_analyzer *an;          /* created on first use */
    lsx_extractor *ex;         /* created on first use (loads the gazetteer) */
    bool in_txn;               /* a batch transaction is open */
    unsigned pending;          /* documents in the open batch */
    lsx_indexer *indexer;      /* attached bulk indexer (indexer.c): writes go through it */
    bool has_date_desc;        /* the schema has LSX_SLOT_DATE_DESC (sorts by one value slot) */
    struct lsx_label_cache *labels;   /* entity facet labels found in records (search.c) */
    struct lsx_lang_entry *langs;     /* lsx_db_lang_at's list, read when i == 0 */
    size_t nlangs, langs_cap;
    int lock_fd;               /* writers: the directory lock (dbdir.c), else -1 */
    int rlock_fd;              /* the readers' lock DIR/.lsx-read, else -1 */
    unsigned rlock_depth;      /* readers: nested lsx__db_read_begin calls */
    bool rlock_held;           /* the readers' lock is held (shared or exclusive) */
    uint64_t removed_count, removed_bytes;   /* leftovers removed when opened */
    unsigned retry_attempts;   /* readers: tries after the first (lsx_db_set_retry) */
    unsigned retry_delay_ms;   /* first wait; doubles, at most LSX_RETRY_MAX_DELAY_MS */
    uint64_t retry_seed;       /* jitter of the waits */
    char err[LSX_ERRLEN];
};
/* Whether a read on `db` that failed with `rc` should run again: for a
 * reader on disk, a changed database (LSX_EMODIFIED) or an error that a
 * revision overwritten under the reader can cause (LSX_ECORRUPT, LSX_EIO),
 * while attempts remain.  If so, it waits, reopens the handle on the
 * latest revision and returns true; db->err keeps the read's error.
 * *attempt starts at 0. */
bool lsx__db_retry(lsx_db *db, int rc, unsigned *attempt);
/* Around every read of a reader on disk (each try of a retried read, an
 * open, a reopen): the readers' lock, shared.  Nested calls count. */
void lsx__db_read_begin(lsx_db *db);
void lsx__db_read_end(lsx_db *db);
/* Around each writer call into Xapian that may write blocks (replace,
 * delete, metadata, commit, close): the readers' lock, exclusive.  Not
 * nested: a begin while held does nothing, the first end releases. */
int lsx__db_write_begin(lsx_db *db);
void lsx__db_write_end(lsx_db *db);
#define LSX_RETRY_ATTEMPTS 20        /* the defaults of lsx_db_set_retry */
#define LSX_RETRY_DELAY_MS 1
#define LSX_RETRY_MAX_DELAY_MS 100
/* Labels of entities the gazetteer does not know, as found in the stored
 * records (search.c).  Kept only by read-only handles, whose view changes
 * only at lsx_db_reopen, which empties the cache. */
void lsx__label_cache_free(struct lsx_label_cache *c);
/* Write the schema version and table (lsx__schema_text with db's title
 * weight) into shard `shard` of x (0 for one database); committed by the
 * caller. */
int lsx__db_write_schema(lsx_db *db, xs_db *x, size_t shard, char *err);
/* Lazily created helpers; NULL with db->err set on failure. */
lsx_analyzer *lsx__db_analyzer(lsx_db *db);
lsx_extractor *lsx__db_extractor(lsx_db *db);
/* Build "PREFIX"+"text" into buf (cap bytes); returns length or 0 if too long. */
size_t lsx__prefixed(char *buf, size_t cap, const char *prefix, const char *text, size_t len);
/* Whether a word with this search form and exact spelling gets an E term:
 * the spelling has non-ASCII bytes and differs from the search form (its
 * diacritics were folded away).  The one rule for indexing and queries. */
bool lsx__has_spelling(const char *term, size_t tlen, const char *exact, size_t elen);

/* A prefix typed with diacritics that ends in o or u carrying a tone mark
 * ("hò", "thủ") is also the start of a word whose tone moved there from
 * the pair's second vowel ("hòa" is indexed as "hoà", "thủy" as "thuỷ"):
 * writes those words (NFC, at most 2, each below LSX_MAX_WORD_BYTES + 1
 * bytes) into out and returns how many. */
size_t lsx__tone_alternates(const char *exact, char out[2][LSX_MAX_WORD_BYTES + 1]);

/* A prefix typed with diacritics but no tone mark ("ngươ", "đe", "đươn")
 * is also the start of the words that carry a tone on a vowel of its last
 * vowel group (tones are typed last): writes the prefix with each tone on
 * each of those vowels (NFC, at most LSX_TONE_VARIANTS) and returns how
 * many. */
#define LSX_TONE_VARIANTS 15
size_t lsx__tone_variants(const char *exact, char out[LSX_TONE_VARIANTS][LSX_MAX_WORD_BYTES + 1]);

/* An article checked and turned into its Xapian document (db.c). */
typedef struct lsx_built {
    xs_doc *doc;
    char idterm[LSX_MAX_ID_BYTES + 2];   /* Q<id> */
    size_t idterm_len;
    size_t bytes;              /* estimated memory it takes in a pending Xapian batch */
} lsx_built;
/* LSX_EINVAL with a message naming the article unless its version and id are usable. */
/* Copy the caller's article, of any version from 1 to the current one,
 * into dst as the current version (fields it lacks zeroed); false, with
 * dst->version 0 (which lsx__check_id refuses), for an unknown version. */
bool lsx__article_read(lsx_article *dst, const lsx_article *src);
int lsx__check_id(const lsx_article *a, char *err);
/* Check every field of `a` and build its document with `an` and `ex` (which
 * only this thread may be using).  On error *out holds no document and err
 * (LSX_ERRLEN bytes) names the article: LSX_EINVAL for a bad field, others
 * from analysis, extraction or the record. */
int lsx__db_build(lsx_analyzer *an, lsx_extractor *ex, unsigned title_wdf, const lsx_article *a,
                  lsx_built *out, char *err);
void lsx__built_clear(lsx_built *b);
/* Replace-or-add the built document in db's batch transaction (committed
 * every opts.batch_size documents), whether or not an indexer is attached. */
int lsx__db_put(lsx_db *db, const lsx_built *b, int *replaced);
/* Commit the open batch (or pending writes), whether or not an indexer is attached. */
int lsx__db_commit(lsx_db *db);

#endif /* LSX_PRIVATE_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * shim.h - the C API over the part of Xapian that libsearch uses.
 *
 * This is the only boundary between C and C++ in libsearch.  Everything
 * behind it (shim-*.cc) is C++17; nothing in front of it includes <xapian.h>.
 * Every function catches Xapian::Error, std::exception and anything else,
 * and turns them into an lsx_status code plus a message written into the
 * caller's `err` buffer (always NUL-terminated, truncated to errlen).  No
 * exception ever crosses this boundary.
 *
 * Writes (replace, delete, metadata, commit, transactions) on a read-only
 * handle give LSX_EREADONLY; operations the backend can't do (e.g. compacting
 * an in-memory database) give LSX_EUNSUPPORTED.
 *
 * Ownership: objects returned through `**out` belong to the caller and are
 * released with the matching _free (which accepts NULL).  Byte strings are
 * passed as (pointer, length) and may contain any bytes.
 *
 * Threads: one xs_db (and the queries and msets made with it) must be used
 * by one thread at a time; separate xs_db handles are independent.
 */
#ifndef LSX_XAPIAN_SHIM_H
#define LSX_XAPIAN_SHIM_H

#include <stddef.h>
#include <stdint.h>

/* The shim's functions and types live under libsearch's reserved prefix in the object
 * code (as zlib's Z_PREFIX does), so that a program linking the static
 * library can have its own xs_ names; the source keeps the short ones.  A
 * new shim function needs its line here (tests/cli/symbols.sh checks). */
#define xs_db lsx__xs_db
#define xs_doc lsx__xs_doc
#define xs_facet_cache lsx__xs_facet_cache
#define xs_facet_item lsx__xs_facet_item
#define xs_facet_spec lsx__xs_facet_spec
#define xs_mset lsx__xs_mset
#define xs_query lsx__xs_query
#define xs_search_params lsx__xs_search_params
#define xs_db_add lsx__xs_db_add
#define xs_db_avglength lsx__xs_db_avglength
#define xs_db_begin lsx__xs_db_begin
#define xs_db_cancel_transaction lsx__xs_db_cancel_transaction
#define xs_db_commit lsx__xs_db_commit
#define xs_db_commit_transaction lsx__xs_db_commit_transaction
#define xs_db_compact lsx__xs_db_compact
#define xs_db_count_terms lsx__xs_db_count_terms
#define xs_db_delete lsx__xs_db_delete
#define xs_db_doccount lsx__xs_db_doccount
#define xs_db_free lsx__xs_db_free
#define xs_db_get_data lsx__xs_db_get_data
#define xs_db_get_metadata lsx__xs_db_get_metadata
#define xs_db_get_value lsx__xs_db_get_value
#define xs_db_is_writable lsx__xs_db_is_writable
#define xs_db_merge lsx__xs_db_merge
#define xs_db_open lsx__xs_db_open
#define xs_db_open_shards lsx__xs_db_open_shards
#define xs_db_shard_count lsx__xs_db_shard_count
#define xs_db_shard_name lsx__xs_db_shard_name
#define xs_db_shard_missing lsx__xs_db_shard_missing
#define xs_db_shard_error lsx__xs_db_shard_error
#define xs_db_shard_doccount lsx__xs_db_shard_doccount
#define xs_db_shard_metadata lsx__xs_db_shard_metadata
#define xs_db_shard_set_metadata lsx__xs_db_shard_set_metadata
#define xs_db_is_remote lsx__xs_db_is_remote
#define xs_open_params lsx__xs_open_params
#define xs_route lsx__xs_route
#define xs_db_prefix_terms lsx__xs_db_prefix_terms
#define xs_db_reopen lsx__xs_db_reopen
#define xs_db_reopen_changed lsx__xs_db_reopen_changed
#define xs_db_replace lsx__xs_db_replace
#define xs_db_set_metadata lsx__xs_db_set_metadata
#define xs_db_term_range lsx__xs_db_term_range
#define xs_db_termfreq lsx__xs_db_termfreq
#define xs_db_value_sum lsx__xs_db_value_sum
#define xs_doc_add_boolean lsx__xs_doc_add_boolean
#define xs_doc_add_posting lsx__xs_doc_add_posting
#define xs_doc_add_term lsx__xs_doc_add_term
#define xs_doc_free lsx__xs_doc_free
#define xs_doc_new lsx__xs_doc_new
#define xs_doc_set_data lsx__xs_doc_set_data
#define xs_doc_set_value lsx__xs_doc_set_value
#define xs_doc_term_count lsx__xs_doc_term_count
#define xs_expand lsx__xs_expand
#define xs_mset_facet_size lsx__xs_mset_facet_size
#define xs_mset_facet_value lsx__xs_mset_facet_value
#define xs_mset_free lsx__xs_mset_free
#define xs_mset_hit lsx__xs_mset_hit
#define xs_mset_hit_data lsx__xs_mset_hit_data
#define xs_mset_hit_value lsx__xs_mset_hit_value
#define xs_mset_matches_estimated lsx__xs_mset_matches_estimated
#define xs_mset_matches_lower lsx__xs_mset_matches_lower
#define xs_mset_matches_upper lsx__xs_mset_matches_upper
#define xs_mset_size lsx__xs_mset_size
#define xs_query_combine lsx__xs_query_combine
#define xs_query_describe lsx__xs_query_describe
#define xs_query_free lsx__xs_query_free
#define xs_query_match_all lsx__xs_query_match_all
#define xs_query_match_nothing lsx__xs_query_match_nothing
#define xs_query_recency lsx__xs_query_recency
#define xs_prefix_terms lsx__xs_prefix_terms
#define xs_query_scale lsx__xs_query_scale
#define xs_query_term lsx__xs_query_term
#define xs_query_value_range lsx__xs_query_value_range
#define xs_search lsx__xs_search
#define xs_terms_free lsx__xs_terms_free
#define xs_xapian_version lsx__xs_xapian_version

#ifdef __cplusplus
extern "C" {
#endif

typedef struct xs_db xs_db;        /* Xapian::Database or WritableDatabase */
typedef struct xs_doc xs_doc;      /* a Xapian::Document being built */
typedef struct xs_query xs_query;  /* a Xapian::Query (immutable, refcounted inside) */
typedef struct xs_mset xs_mset;    /* the result of a search, with facet counts */

/* ---- databases ---------------------------------------------------------- */

enum {
    XS_OPEN_READ      = 0,
    XS_OPEN_WRITE     = 1 << 0,
    XS_OPEN_CREATE    = 1 << 1,  /* create if missing (implies WRITE) */
    XS_OPEN_INMEMORY  = 1 << 2,  /* in-memory writable database */
    XS_OPEN_WAIT_LOCK = 1 << 3,  /* with WRITE: block until the lock is free */
    XS_OPEN_NO_SYNC   = 1 << 4,  /* with WRITE: commits do not fsync (scratch databases) */
    XS_OPEN_OVERWRITE = 1 << 5,  /* with CREATE: replace any database already there */
    XS_OPEN_IN_PLACE  = 1 << 6   /* with WRITE: update blocks in place (Xapian's
                                  * DB_DANGEROUS): less I/O, but an interrupted
                                  * write leaves the database unreadable and no
                                  * reader may have it open; scratch databases only */
};

/* Errors: LSX_ENOTFOUND (no database at path), LSX_ELOCKED, LSX_EVERSION,
 * LSX_ECORRUPT, LSX_EIO, LSX_ENOMEM, LSX_ERROR.  *out is NULL on error. */
int xs_db_open(xs_db **out, const char *path, unsigned flags, char *err, size_t errlen);
/* ---- shards (shim-shards.cc) --------------------------------------------
 * A database made of the databases specs[0..n-1], each a database
 * directory, a Xapian stub file ("auto PATH", "remote HOST:PORT",
 * "remote :PROGRAM ARGS" lines; PATH relative to the stub; stubs may nest)
 * or a directory holding such a stub named XAPIANDB.  The shards are
 * searched as one database (Xapian merges the hits and uses statistics
 * over all of them).  Remote shards get these timeouts (0: 10000 ms).
 * With `partial`, a shard that cannot be opened, or fails during a search
 * (xs_search), is left out and the others answer; without it, either is
 * an error naming the shard (LSX_EIO).  Writers (XS_OPEN_WRITE, CREATE)
 * open every shard writable, local or remote (xapian-tcpsrv --writable),
 * and route each write by id term: replace, add and delete of id term T
 * go to shard xs_route(T, n) only, so an id lives in one shard. */
typedef struct xs_open_params {
    unsigned connect_timeout_ms;   /* remote: connecting and the handshake */
    unsigned timeout_ms;           /* remote: each reply */
    int partial;
} xs_open_params;
int xs_db_open_shards(xs_db **out, const char *const *specs, size_t n, unsigned flags,
                      const xs_open_params *p, char *err, size_t errlen);
/* The shard of n that id term T is written to: FNV-1a (32 bits) of T mod n. */
uint32_t xs_route(const char *idterm, size_t len, size_t nshards);
/* Shards of the handle (1 for a database opened with xs_db_open), the
 * name of shard i (path, host:port or ":program args"; NULL when there
 * is no list), and whether it is left out (partial). */
size_t xs_db_shard_count(const xs_db *db);
const char *xs_db_shard_name(const xs_db *db, size_t i);
int xs_db_shard_missing(const xs_db *db, size_t i);
/* Why shard i is missing ("" if it is not). */
const char *xs_db_shard_error(const xs_db *db, size_t i);
/* Documents in shard i alone (0 for a missing shard). */
int xs_db_shard_doccount(xs_db *db, size_t i, uint64_t *out, char *err, size_t errlen);
/* Some shard is remote (only Xapian's built-in match spies and value
 * sorts can be sent to one). */
int xs_db_is_remote(const xs_db *db);
/* User metadata of shard i alone (get: *out NULL for a missing key or a
 * missing shard). */
int xs_db_shard_metadata(xs_db *db, size_t i, const char *key, char **out, size_t *len, char *err,
                         size_t errlen);
int xs_db_shard_set_metadata(xs_db *db, size_t i, const char *key, const char *val, size_t len,
                             char *err, size_t errlen);

/* Commits an open transaction and pending writes, releases the write lock;
 * never throws (call xs_db_commit first to see errors). */
void xs_db_free(xs_db *db);
int xs_db_is_writable(const xs_db *db);

/* Atomic batches: begin a (flushed) transaction, commit it, or cancel it.
 * LSX_EINVAL for begin inside a transaction or commit/cancel outside one.
 * The in-memory backend has no transactions: there begin/commit succeed and
 * changes apply at once, and cancel gives LSX_EUNSUPPORTED (changes kept). */
int xs_db_begin(xs_db *db, char *err, size_t errlen);
int xs_db_commit_transaction(xs_db *db, char *err, size_t errlen);
int xs_db_cancel_transaction(xs_db *db, char *err, size_t errlen);
/* Commit outside a transaction (LSX_EINVAL inside one). */
int xs_db_commit(xs_db *db, char *err, size_t errlen);
/* Move a reader to the latest revision: a read-only handle on disk opens
 * its path again (which may now name another database: dbdir.c), others
 * reopen in place.  *changed (may be NULL) = 1 if the view moved. */
int xs_db_reopen(xs_db *db, char *err, size_t errlen);
int xs_db_reopen_changed(xs_db *db, int *changed, char *err, size_t errlen);

int xs_db_doccount(xs_db *db, uint64_t *out, char *err, size_t errlen);
int xs_db_avglength(xs_db *db, double *out, char *err, size_t errlen);
int xs_db_termfreq(xs_db *db, const char *term, size_t len, uint64_t *out, char *err, size_t errlen);
/* Number of distinct terms starting with prefix (whole vocabulary if plen == 0). */
int xs_db_count_terms(xs_db *db, const char *prefix, size_t plen, uint64_t *out, char *err, size_t errlen);
/* First and last term (in byte order) with this prefix; *found = 0 if none.
 * Writes NUL-terminated strings of at most cap-1 bytes. */
int xs_db_term_range(xs_db *db, const char *prefix, size_t plen, char *first, char *last, size_t cap,
                     int *found, char *err, size_t errlen);

/* Call cb(payload, term + plen, length, termfreq) for every term with this
 * prefix, in byte order; a non-zero return from cb stops (and is returned). */
typedef int (*xs_term_cb)(void *payload, const char *rest, size_t len, uint64_t termfreq);
int xs_db_prefix_terms(xs_db *db, const char *prefix, size_t plen, xs_term_cb cb, void *payload,
                       char *err, size_t errlen);
/* Sum of the values in `slot` read as unsigned decimal numbers, and how many
 * documents have one (values that are not numbers are skipped). */
int xs_db_value_sum(xs_db *db, unsigned slot, uint64_t *sum, uint64_t *count, char *err, size_t errlen);

/* The Xapian library's version string (static). */
const char *xs_xapian_version(void);

/* User metadata (key -> value), e.g. schema version.  get: *out is malloc'd
 * (caller frees), *len its length; a missing key gives *out = NULL. */
int xs_db_get_metadata(xs_db *db, const char *key, char **out, size_t *len, char *err, size_t errlen);
int xs_db_set_metadata(xs_db *db, const char *key, const char *val, size_t len, char *err, size_t errlen);

/* Compact into a new directory.  A writer commits first (outside a
 * transaction) so the copy holds what the handle sees. */
int xs_db_compact(xs_db *db, const char *dest, char *err, size_t errlen);

/* Merge the databases at paths[0..n-1] into a new database at `dest` with
 * Xapian's compactor (documents renumbered 1.. in the order of the
 * sources; user metadata taken from the first source that has the key).
 * `fuller` packs blocks completely (smallest, for indexes that are mostly
 * read).  LSX_EINVAL for n == 0 or no dest. */
int xs_db_merge(const char *const *paths, size_t n, const char *dest, int fuller, char *err,
                size_t errlen);

/* ---- documents ---------------------------------------------------------- */

int xs_doc_new(xs_doc **out, char *err, size_t errlen);
void xs_doc_free(xs_doc *doc);
/* Term with a position (for phrases); wdf grows by wdfinc. */
int xs_doc_add_posting(xs_doc *doc, const char *term, size_t len, unsigned pos, unsigned wdfinc,
                       char *err, size_t errlen);
/* Term without position; wdf grows by wdfinc. */
int xs_doc_add_term(xs_doc *doc, const char *term, size_t len, unsigned wdfinc, char *err, size_t errlen);
/* Boolean term (wdf 0): filters, ids, facets. */
int xs_doc_add_boolean(xs_doc *doc, const char *term, size_t len, char *err, size_t errlen);
int xs_doc_set_value(xs_doc *doc, unsigned slot, const char *val, size_t len, char *err, size_t errlen);
int xs_doc_set_data(xs_doc *doc, const char *data, size_t len, char *err, size_t errlen);
/* Number of distinct terms in the document so far (0 for NULL). */
size_t xs_doc_term_count(const xs_doc *doc);

/* Replace the document indexed by the unique term `idterm` (or add it).
 * *existed (may be NULL) = 1 if a document had that term.  The id term is
 * added to `doc` as a boolean term if it lacks it. */
int xs_db_replace(xs_db *db, const char *idterm, size_t len, const xs_doc *doc, int *existed,
                  char *err, size_t errlen);
/* Add `doc` as a new document, with the unique term `idterm` added to it as
 * a boolean term, WITHOUT checking whether a document already has that term
 * (that check is what makes xs_db_replace slow: see shim-db.cc).  Only for
 * callers that know the id is not in the database yet; otherwise the id
 * would then index two documents. */
int xs_db_add(xs_db *db, const char *idterm, size_t len, const xs_doc *doc, char *err,
              size_t errlen);
/* Delete the document(s) with this unique term; LSX_ENOTFOUND if none. */
int xs_db_delete(xs_db *db, const char *idterm, size_t len, char *err, size_t errlen);
/* Stored data of the document with this unique term (malloc'd; caller frees);
 * LSX_ENOTFOUND if none. */
int xs_db_get_data(xs_db *db, const char *idterm, size_t len, char **data, size_t *dlen,
                   char *err, size_t errlen);

/* ---- queries ------------------------------------------------------------ */

typedef enum xs_op {
    XS_OP_AND = 1,
    XS_OP_OR,
    XS_OP_AND_NOT,
    XS_OP_AND_MAYBE,
    XS_OP_FILTER,     /* first child scored, others filter */
    XS_OP_PHRASE,     /* window = 0: exact phrase */
    XS_OP_NEAR,
    XS_OP_SYNONYM,
    XS_OP_MAX
} xs_op;

/* Query constructors return NULL on allocation failure or an argument Xapian
 * rejects (an empty term, unknown op, a NULL subquery, PHRASE/NEAR over
 * non-term subqueries, a negative scale factor).  Subqueries are copied (Xapian queries are
 * refcounted): free your own handles.  n == 0 gives a query matching nothing. */
xs_query *xs_query_term(const char *term, size_t len, unsigned wqf);
xs_query *xs_query_combine(xs_op op, xs_query *const *subs, size_t n, unsigned window);
/* Documents whose value in `slot` lies in [lo, hi] (byte-wise); an empty lo
 * or hi is an open end. */
xs_query *xs_query_value_range(unsigned slot, const char *lo, const char *hi);
xs_query *xs_query_scale(const xs_query *q, double factor);
xs_query *xs_query_match_all(void);
/* A weight for documents by the date in `slot` ("YYYYMMDD..."): `weight`
 * times 0.5^(age / half_life_days), the age in days before `ref_ymd`
 * ("YYYYMMDD"; younger documents count as age 0).  Documents without a
 * date match nothing.  For (query AND_MAYBE recency). */
xs_query *xs_query_recency(unsigned slot, const char *ref_ymd, double half_life_days, double weight);
xs_query *xs_query_match_nothing(void);
/* Xapian's description of the query, malloc'd (caller frees), or NULL. */
char *xs_query_describe(const xs_query *q);
void xs_query_free(xs_query *q);

/* ---- searching ---------------------------------------------------------- */

/* A facet to count over the whole match set. */
typedef struct xs_facet_spec {
    unsigned slot;
    int multi;        /* 0: one value per document; 1: value holds '\n'-separated items */
    /* For multi-valued slots whose items are "<tag byte><key>" only: */
    int by_key;       /* 1: count keys (items without their tag byte), each at most once
                       *    per document whatever its tags; the values are then keys */
    char tag;         /* nonzero: only the items with this tag byte */
    unsigned limit;   /* nonzero: only the `limit` values with the highest counts, in
                       * that order (ties in byte order); 0: every value, byte order */
} xs_facet_spec;

typedef struct xs_search_params {
    unsigned first, maxitems;
    unsigned checkatleast;   /* documents the matcher must look at (doccount for exact counts) */
    double k1, b;            /* BM25 */
    const xs_facet_spec *facets;
    size_t nfacets;
    /* A value slot the caller will read for every hit (xs_mset_hit_value),
     * plus one; 0 for none.  Where the facet cache rule allows (a
     * read-only handle on one database), the whole slot is read once per
     * revision into memory and hits are served from there, without a
     * B-tree lookup per hit. */
    unsigned hit_slot_plus1;
    /* Order: 0 by relevance; else by the values of these slots (compared
     * as bytes, one after the other; documents without a value last), then
     * by relevance; sort_reverse puts the largest values first. */
    const unsigned *sort_slots;
    size_t nsort_slots;
    int sort_reverse;
} xs_search_params;

/* Rank with BM25Weight(k1, 0, 1, b, 0.5) (LSX_EINVAL unless k1 >= 0 and
 * 0 <= b <= 1).  Facet counts cover every document the matcher looked at:
 * the whole match set when checkatleast >= doccount. */
int xs_search(xs_db *db, const xs_query *q, const xs_search_params *p, xs_mset **out,
              char *err, size_t errlen);
void xs_mset_free(xs_mset *m);
size_t xs_mset_size(const xs_mset *m);
uint64_t xs_mset_matches_estimated(const xs_mset *m);
uint64_t xs_mset_matches_lower(const xs_mset *m);
uint64_t xs_mset_matches_upper(const xs_mset *m);
/* Hit i of the page: docid, weight and stored data (malloc'd copy; caller
 * frees).  Each output may be NULL; asking for no data reads no document. */
int xs_mset_hit(xs_mset *m, size_t i, uint32_t *docid, double *weight, char **data, size_t *dlen,
                char *err, size_t errlen);
/* The stored data of hit i of the page, borrowed: valid until
 * xs_mset_free.  The first call reads the data of every hit of the page,
 * in docid order rather than rank order, so hits whose documents share a
 * B-tree block read that block once (a 1,000-hit page: 1.5 -> 0.9 ms). */
int xs_mset_hit_data(xs_mset *m, size_t i, const char **data, size_t *dlen, char *err,
                     size_t errlen);
/* The value in `slot` of hit i of the page (malloc'd copy; "" if unset). */
int xs_mset_hit_value(xs_mset *m, size_t i, unsigned slot, char **val, size_t *vlen, char *err,
                      size_t errlen);
/* The value in `slot` of the document with this unique term (malloc'd;
 * LSX_ENOTFOUND if there is no such document). */
int xs_db_get_value(xs_db *db, const char *idterm, size_t len, unsigned slot, char **val,
                    size_t *vlen, char *err, size_t errlen);
/* Facet k: number of distinct values, and value j with its count (values in
 * byte order).  The value pointer belongs to the mset. */
size_t xs_mset_facet_size(const xs_mset *m, size_t k);
int xs_mset_facet_value(const xs_mset *m, size_t k, size_t j, const char **val, size_t *len,
                        uint64_t *count);

/* ---- relevance feedback ------------------------------------------------- */

/* The `nterms` best expansion terms from the documents `docids` (Xapian RSet
 * + Enquire::get_eset with its default weighting), skipping terms that start
 * with an ASCII capital letter (prefixed terms) and terms already in query q
 * (may be NULL), and terms found in fewer than `min_docs` of the documents
 * (0 or 1: no such rule); sorted by weight descending.  *terms is a
 * malloc'd array of malloc'd strings, *weights malloc'd; free with
 * xs_terms_free.  n == 0 or nterms == 0 gives *count = 0 and NULL arrays.
 * An unknown docid gives LSX_ENOTFOUND. */
int xs_expand(xs_db *db, const xs_query *q, const uint32_t *docids, size_t n, size_t nterms,
              unsigned min_docs, char ***terms, double **weights, size_t *count, char *err,
              size_t errlen);
void xs_terms_free(char **terms, double *weights, size_t count);
/* The terms starting with `prefix`, in byte order, at most `max` of them
 * (malloc'd strings; free with xs_terms_free(terms, NULL, count)).  For
 * wildcard expansion: ask for one more than the cap to learn it is passed. */
int xs_prefix_terms(xs_db *db, const char *prefix, size_t plen, size_t max, char ***terms, size_t *count,
                    char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif /* LSX_XAPIAN_SHIM_H */

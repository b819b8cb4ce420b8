/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * shim-private.hh - the C++ side of the Xapian shim: handle structs and the
 * error helpers shared by shim-*.cc.  Never included from C.
 */
#ifndef LSX_XAPIAN_SHIM_PRIVATE_HH
#define LSX_XAPIAN_SHIM_PRIVATE_HH

#include <xapian.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "../libsearch.h"   /* lsx_status codes */
#include "shim.h"

/* The shim's C++ helpers are in namespace xs, linked as lsx__xs (the
 * reserved prefix; see shim.h). */
#define xs lsx__xs

struct xs_facet_cache;   /* defined in shim-search.cc */

namespace xs {
/* One shard of a database opened from a list of databases and stub files
 * (shim-shards.cc): where it is, and its own handle, which the combined
 * view in xs_db::rdb shares. */
struct Shard {
    enum Kind { LOCAL, TCP, PROG } kind = LOCAL;
    std::string name;         /* for messages: the path, host:port or ":program args" */
    std::string where;        /* LOCAL: path; TCP: host; PROG: program */
    unsigned port = 0;        /* TCP */
    std::string args;         /* PROG */
    Xapian::Database db;      /* read handle (a copy of wdb for a writer) */
    Xapian::WritableDatabase wdb;
    bool missing = false;     /* left out (partial): could not be opened or failed */
    /* A read-only handle on this shard alone, for its facet cache (local
     * shards of a reader: shim-search.cc), made on first use. */
    std::shared_ptr<xs_db> alone;
    std::string why;          /* the error that made it missing */
};
}

struct xs_db {
    /* The read view.  For a writer it is a copy of the `wdb` handle, which
     * shares the same backend object, so reads see uncommitted changes and
     * every read path can use `rdb` without asking which kind we have. */
    Xapian::Database rdb;
    Xapian::WritableDatabase wdb;   /* only meaningful when `writable` */
    bool writable = false;
    bool inmemory = false;          /* the in-memory backend has no transactions */
    bool in_txn = false;
    /* A reader on disk: its path, opened again by xs_db_reopen (a new
     * generation of the directory is a new database; see dbdir.c). */
    std::string path;
    /* Shards, in the order given (shim-shards.cc); empty for a database
     * opened with xs_db_open.  A writer with more than one routes every
     * write by id term (xs::route) to one of them. */
    std::vector<xs::Shard> shards;
    std::vector<std::string> specs;   /* what the shards were opened from (reopen reads stubs again) */
    unsigned open_flags = 0;
    bool remote = false;            /* some shard is remote: built-in match spies and sorts only */
    bool partial = false;           /* answer without failed shards */
    unsigned timeout_ms = 0, connect_timeout_ms = 0;
    /* Facet counting: each value slot read once into compact arrays, for
     * read-only handles only, keyed on the revision (see shim-search.cc).
     * A shared_ptr so that this header needs only the declaration. */
    std::shared_ptr<xs_facet_cache> facet_cache;
};

struct xs_doc {
    Xapian::Document doc;
};

/* Held by value: Xapian::Query is itself a refcounted handle, so copying a
 * query into a combination costs a pointer and a refcount. */
struct xs_query {
    Xapian::Query q;
};

/* A facet value and its count.  `value` is NUL-terminated and belongs to
 * the mset: it lies in its `owned` strings or in a cached value table that
 * its `keep` holds alive (so a cache dropped meanwhile, by a reopen, does
 * not take the values with it). */
struct xs_facet_item {
    const char *value;
    size_t len;
    uint64_t count;
};

namespace xs {
/* A value slot whose values are read per hit (xs_search_params.
 * hit_slot_plus1), held in the facet cache (shim-search.cc): document
 * did's value is bytes[off[did] .. off[did + 1]), empty if unset.  off has
 * lastdocid + 2 entries.  Memory: 8 bytes per docid plus the values. */
struct ValueTable {
    std::vector<uint64_t> off;
    std::string bytes;
};
}

struct xs_mset {
    Xapian::MSet mset;   /* keeps the database (and Enquire internals) alive */
    /* The database searched: hits open their documents through it lazily
     * (Database::get_document with DOC_ASSUME_VALID) rather than through
     * MSet, whose fetch asks the kernel to read ahead (posix_fadvise) for
     * every document: a system call per hit, pure cost on a warm cache. */
    Xapian::Database db;
    /* xs_search_params.hit_slot_plus1's slot, when it could be cached. */
    std::shared_ptr<const xs::ValueTable> hit_values;
    Xapian::valueno hit_slot = 0;
    /* The page's stored data by rank, once xs_mset_hit_data has read it
     * (empty before). */
    std::vector<std::string> data;
    std::vector<std::vector<xs_facet_item>> facets;   /* one per xs_facet_spec, byte order */
    std::deque<std::string> owned;   /* facet values not in a cache (a deque: they never move) */
    std::vector<std::shared_ptr<const void>> keep;   /* cached value tables the facets point into */
    Xapian::doccount first = 0;   /* rank of the page's first hit */
    /* With facets, the page comes from a ranked pass and the number of
     * matches from a separate counting pass over the whole match set:
     * then `total` is exact and overrides the MSet's bounds. */
    bool exact_total = false;
    uint64_t total = 0;
};

namespace xs {

/* Map the exception being handled to an lsx_status and write its message into
 * err.  Call ONLY from inside a catch block: it rethrows the current
 * exception and catches it by type (most-derived first). */
int error_from_exception(char *err, size_t errlen) noexcept;

/* Write a formatted message into err (if any) and return status. */
int fail(char *err, size_t errlen, int status, const char *fmt, ...) noexcept
    __attribute__((format(printf, 4, 5)));

/* malloc'd copy of n bytes plus a NUL (the C side frees it with free()). */
char *dup_bytes(const char *p, size_t n) noexcept;

/* A term or other byte string passed from C as (pointer, length). */
inline std::string bytes(const char *p, size_t n)
{
    return n ? std::string(p, n) : std::string();
}

/* The document with unique term (idterm, len), opened lazily (its posting
 * list proves it exists); LSX_EINVAL for an empty term, LSX_ENOTFOUND if
 * there is none, with the message in err.  May throw Xapian errors: call
 * inside XS_TRY.  (shim-db.cc) */
int document_by_term(const Xapian::Database &db, const char *idterm, size_t len, Xapian::Document &doc,
                     char *err, size_t errlen);

/* Hit i of m's page; LSX_EINVAL with a message if the page is shorter.
 * (shim-search.cc) */
int hit_at(const xs_mset &m, size_t i, Xapian::MSetIterator &it, char *err, size_t errlen);

/* The writer of a write by unique term (the shard it routes to). */
Xapian::WritableDatabase &writer(xs_db *db, const std::string &idterm);
/* Call f(WritableDatabase &) for every writable shard (or the one database). */
template <class F>
void each_writer(xs_db *db, F f)
{
    if (db->shards.size() > 1) {
        for (Shard &s : db->shards)
            f(s.wdb);
    } else {
        f(db->wdb);
    }
}
/* After a network error: reconnect every remote shard; the ones that
 * cannot be reached are marked failed (`why`), and `failed` names them.
 * Returns how many failed; with db->partial they are then left out of the
 * view, else tried again next time.  (shim-shards.cc) */
size_t recover_shards(xs_db *db, std::string &failed);
/* xs_db_reopen of a handle with shards: the stubs are read again, and
 * when they now list other databases (a replica switched to a new copy,
 * a stub edited) every shard is opened afresh; else each shard moves to
 * its latest revision.  (shim-shards.cc) */
bool reopen_shards(xs_db *db);   /* true if anything moved */
/* "shard NAME: why; shard NAME: why" for the shards that failed. */
std::string failed_shards(const xs_db *db);

}  // namespace xs

/* Every extern "C" entry point is `XS_TRY ... XS_CATCH(err, errlen)`.  One
 * catch-all is enough because error_from_exception() rethrows and sorts the
 * exception by type (Xapian::Error subclasses, std::bad_alloc,
 * std::exception, anything else), so the mapping lives in one place. */
#define XS_TRY try {
#define XS_CATCH(err, errlen) \
    } catch (...) { return xs::error_from_exception((err), (errlen)); }

#endif /* LSX_XAPIAN_SHIM_PRIVATE_HH */

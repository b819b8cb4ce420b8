/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * shim-db.cc - databases, transactions, statistics, metadata and documents.
 */
#include "shim-private.hh"

#include <cstdlib>
#include <cstring>
#include <memory>

using xs::fail;

namespace {

/* Byte strings from C may hold anything; messages show at most this much. */
const int MAX_SHOWN = 100;

int shown(size_t len)
{
    return len > static_cast<size_t>(MAX_SHOWN) ? MAX_SHOWN : static_cast<int>(len);
}

int no_db(char *err, size_t errlen)
{
    return fail(err, errlen, LSX_EINVAL, "no database handle");
}

int read_only(char *err, size_t errlen)
{
    return fail(err, errlen, LSX_EREADONLY, "the database is open read-only");
}

int no_out(char *err, size_t errlen)
{
    return fail(err, errlen, LSX_EINVAL, "no output pointer");
}

int no_doc(char *err, size_t errlen)
{
    return fail(err, errlen, LSX_EINVAL, "no document handle");
}

/* Copy a term into a caller buffer of cap bytes, truncating, NUL-terminated. */
void copy_term(const std::string &t, char *out, size_t cap)
{
    size_t n = t.size() < cap - 1 ? t.size() : cap - 1;
    memcpy(out, t.data(), n);
    out[n] = '\0';
}

}  // namespace

extern "C" {

/* ---- databases ---------------------------------------------------------- */

int xs_db_open(xs_db **out, const char *path, unsigned flags, char *err, size_t errlen)
{
    if (!out)
        return fail(err, errlen, LSX_EINVAL, "xs_db_open: no output pointer");
    *out = nullptr;
    XS_TRY
    std::unique_ptr<xs_db> db(new xs_db);
    if (flags & XS_OPEN_INMEMORY) {
        db->wdb = Xapian::WritableDatabase(std::string(), Xapian::DB_BACKEND_INMEMORY);
        db->writable = db->inmemory = true;
    } else {
        if (!path || !*path)
            return fail(err, errlen, LSX_EINVAL, "no database path given");
        try {
            /* CREATE implies WRITE: only a writer can create a database. */
            if (flags & (XS_OPEN_WRITE | XS_OPEN_CREATE)) {
                int xf = (flags & XS_OPEN_CREATE) ? ((flags & XS_OPEN_OVERWRITE)
                                                         ? Xapian::DB_CREATE_OR_OVERWRITE
                                                         : Xapian::DB_CREATE_OR_OPEN)
                                                  : Xapian::DB_OPEN;
                if (flags & XS_OPEN_WAIT_LOCK)
                    xf |= Xapian::DB_RETRY_LOCK;
                if (flags & XS_OPEN_NO_SYNC)
                    xf |= Xapian::DB_NO_SYNC;
                if (flags & XS_OPEN_IN_PLACE)
                    xf |= Xapian::DB_DANGEROUS;
                db->wdb = Xapian::WritableDatabase(path, xf);
                db->writable = true;
            } else {
                db->rdb = Xapian::Database(path);
                db->path = path;
            }
        } catch (const Xapian::DatabaseNotFoundError &e) {
            /* Missing directory, or a directory without a database in it. */
            return fail(err, errlen, LSX_ENOTFOUND, "no database at %s (%s%s%s)", path,
                        e.get_msg().c_str(), e.get_error_string() ? ": " : "",
                        e.get_error_string() ? e.get_error_string() : "");
        }
    }
    if (db->writable)
        db->rdb = db->wdb;   /* same backend object: reads see pending writes */
    *out = db.release();
    return LSX_OK;
    XS_CATCH(err, errlen)
}

void xs_db_free(xs_db *db)
{
    if (!db)
        return;
    /* Never lose data on close: finish an open transaction, then commit what
     * was written outside it.  Errors can't be reported from here (callers
     * who care call xs_db_commit first), so each step swallows its own. */
    if (db->writable) {
        xs::each_writer(db, [db](Xapian::WritableDatabase &w) {
            if (db->in_txn && !db->inmemory) {
                try {
                    w.commit_transaction();
                } catch (...) {
                }
            }
            try {
                w.commit();
            } catch (...) {
            }
            try {
                w.close();
            } catch (...) {
            }
        });
        db->in_txn = false;
    }
    delete db;
}

int xs_db_is_writable(const xs_db *db)
{
    return db && db->writable;
}

/* The in-memory backend has no transactions: there the changes simply
 * apply as they are made (nobody else can see the database anyway), so
 * begin/commit are bookkeeping only and cancel can't undo anything. */
int xs_db_begin(xs_db *db, char *err, size_t errlen)
{
    if (!db)
        return no_db(err, errlen);
    if (!db->writable)
        return read_only(err, errlen);
    if (db->in_txn)
        return fail(err, errlen, LSX_EINVAL, "a transaction is already in progress");
    XS_TRY
    if (!db->inmemory)
        xs::each_writer(db, [](Xapian::WritableDatabase &w) { w.begin_transaction(true); });
    db->in_txn = true;
    return LSX_OK;
    XS_CATCH(err, errlen)
}

int xs_db_commit_transaction(xs_db *db, char *err, size_t errlen)
{
    if (!db)
        return no_db(err, errlen);
    if (!db->in_txn)
        return fail(err, errlen, LSX_EINVAL, "no transaction in progress");
    XS_TRY
    /* Xapian ends the transaction even when the commit fails. */
    db->in_txn = false;
    if (!db->inmemory)
        xs::each_writer(db, [](Xapian::WritableDatabase &w) { w.commit_transaction(); });
    return LSX_OK;
    XS_CATCH(err, errlen)
}

int xs_db_cancel_transaction(xs_db *db, char *err, size_t errlen)
{
    if (!db)
        return no_db(err, errlen);
    if (!db->in_txn)
        return fail(err, errlen, LSX_EINVAL, "no transaction in progress");
    db->in_txn = false;
    if (db->inmemory)
        return fail(err, errlen, LSX_EUNSUPPORTED,
                    "an in-memory database cannot roll back a transaction (its changes were kept)");
    XS_TRY
    xs::each_writer(db, [](Xapian::WritableDatabase &w) { w.cancel_transaction(); });
    return LSX_OK;
    XS_CATCH(err, errlen)
}

int xs_db_commit(xs_db *db, char *err, size_t errlen)
{
    if (!db)
        return no_db(err, errlen);
    if (!db->writable)
        return read_only(err, errlen);
    if (db->in_txn)
        return fail(err, errlen, LSX_EINVAL,
                    "commit inside a transaction (use xs_db_commit_transaction)");
    XS_TRY
    xs::each_writer(db, [](Xapian::WritableDatabase &w) { w.commit(); });
    return LSX_OK;
    XS_CATCH(err, errlen)
}

int xs_db_reopen(xs_db *db, char *err, size_t errlen)
{
    return xs_db_reopen_changed(db, nullptr, err, errlen);
}

int xs_db_reopen_changed(xs_db *db, int *changed, char *err, size_t errlen)
{
    if (!db)
        return no_db(err, errlen);
    if (changed)
        *changed = 0;
    XS_TRY
    if (!db->shards.empty() && !db->writable) {
        /* Shards (and a directory's stub, which names the live generation:
         * see dbdir.c) are read again, so a new generation is followed. */
        bool moved = xs::reopen_shards(db);
        if (changed)
            *changed = moved;
        return LSX_OK;
    }
    if (db->path.empty()) {
        bool moved = db->rdb.reopen();
        if (changed)
            *changed = moved;
        return LSX_OK;
    }
    /* A reader on disk opens its path again: Xapian's reopen() would stay
     * on the generation the stub named when the handle was opened. */
    Xapian::rev before = 0;
    std::string uuid;
    bool known = true;
    try {
        before = db->rdb.get_revision();
        uuid = db->rdb.get_uuid();
    } catch (const Xapian::Error &) {
        known = false;
    }
    Xapian::Database fresh(db->path);
    std::string fresh_uuid = fresh.get_uuid();
    bool other_db = !known || fresh_uuid != uuid;
    if (changed)
        *changed = other_db || fresh.get_revision() != before;
    db->rdb = fresh;
    if (other_db)
        db->facet_cache.reset();   /* keyed on the revision, which a new database may repeat */
    return LSX_OK;
    XS_CATCH(err, errlen)
}

int xs_db_doccount(xs_db *db, uint64_t *out, char *err, size_t errlen)
{
    if (!db)
        return no_db(err, errlen);
    if (!out)
        return no_out(err, errlen);
    XS_TRY
    *out = db->rdb.get_doccount();
    return LSX_OK;
    XS_CATCH(err, errlen)
}

int xs_db_avglength(xs_db *db, double *out, char *err, size_t errlen)
{
    if (!db)
        return no_db(err, errlen);
    if (!out)
        return no_out(err, errlen);
    XS_TRY
    *out = db->rdb.get_avlength();
    return LSX_OK;
    XS_CATCH(err, errlen)
}

int xs_db_termfreq(xs_db *db, const char *term, size_t len, uint64_t *out, char *err, size_t errlen)
{
    if (!db)
        return no_db(err, errlen);
    if (!out)
        return no_out(err, errlen);
    XS_TRY
    *out = db->rdb.get_termfreq(xs::bytes(term, len));
    return LSX_OK;
    XS_CATCH(err, errlen)
}

int xs_db_count_terms(xs_db *db, const char *prefix, size_t plen, uint64_t *out, char *err,
                      size_t errlen)
{
    if (!db)
        return no_db(err, errlen);
    if (!out)
        return no_out(err, errlen);
    XS_TRY
    const std::string pfx = xs::bytes(prefix, plen);
    uint64_t n = 0;
    /* Xapian keeps no count of distinct terms, so walk them (without
     * dereferencing: that would copy every term). */
    for (Xapian::TermIterator it = db->rdb.allterms_begin(pfx), end = db->rdb.allterms_end(pfx);
         it != end; ++it)
        ++n;
    *out = n;
    return LSX_OK;
    XS_CATCH(err, errlen)
}

int xs_db_term_range(xs_db *db, const char *prefix, size_t plen, char *first, char *last, size_t cap,
                     int *found, char *err, size_t errlen)
{
    if (!db)
        return no_db(err, errlen);
    if (!first || !last || cap == 0 || !found)
        return fail(err, errlen, LSX_EINVAL, "xs_db_term_range: no output buffer");
    *found = 0;
    first[0] = last[0] = '\0';
    XS_TRY
    const std::string pfx = xs::bytes(prefix, plen);
    Xapian::TermIterator it = db->rdb.allterms_begin(pfx), end = db->rdb.allterms_end(pfx);
    if (it == end)
        return LSX_OK;
    std::string t = *it;
    copy_term(t, first, cap);
    /* No reverse iteration in Xapian 1.4; prefixes used here (dates) have
     * a few thousand terms at most. */
    for (++it; it != end; ++it)
        t = *it;
    copy_term(t, last, cap);
    *found = 1;
    return LSX_OK;
    XS_CATCH(err, errlen)
}

int xs_db_prefix_terms(xs_db *db, const char *prefix, size_t plen, xs_term_cb cb, void *payload,
                       char *err, size_t errlen)
{
    if (!db)
        return no_db(err, errlen);
    if (!cb)
        return fail(err, errlen, LSX_EINVAL, "xs_db_prefix_terms: no callback");
    XS_TRY
    const std::string pfx = xs::bytes(prefix, plen);
    for (Xapian::TermIterator it = db->rdb.allterms_begin(pfx), end = db->rdb.allterms_end(pfx); it != end; ++it) {
        const std::string t = *it;
        int rc = cb(payload, t.data() + pfx.size(), t.size() - pfx.size(), it.get_termfreq());
        if (rc != 0)
            return rc;
    }
    return LSX_OK;
    XS_CATCH(err, errlen)
}

int xs_db_value_sum(xs_db *db, unsigned slot, uint64_t *sum, uint64_t *count, char *err, size_t errlen)
{
    if (!db)
        return no_db(err, errlen);
    if (!sum || !count)
        return no_out(err, errlen);
    *sum = *count = 0;
    XS_TRY
    for (Xapian::ValueIterator it = db->rdb.valuestream_begin(slot), end = db->rdb.valuestream_end(slot);
         it != end; ++it) {
        const std::string v = *it;
        uint64_t n = 0;
        bool digits = !v.empty() && v.size() <= 19;
        for (char ch : v) {
            if (ch < '0' || ch > '9') {
                digits = false;
                break;
            }
            n = n * 10 + (uint64_t)(ch - '0');
        }
        if (digits) {
            *sum += n;
            ++*count;
        }
    }
    return LSX_OK;
    XS_CATCH(err, errlen)
}

const char *xs_xapian_version(void)
{
    return Xapian::version_string();
}

int xs_db_get_metadata(xs_db *db, const char *key, char **out, size_t *len, char *err, size_t errlen)
{
    if (!db)
        return no_db(err, errlen);
    if (!key || !out || !len)
        return fail(err, errlen, LSX_EINVAL, "xs_db_get_metadata: missing argument");
    *out = nullptr;
    *len = 0;
    XS_TRY
    /* Xapian stores no empty values: "" means the key is absent. */
    const std::string v = db->rdb.get_metadata(key);
    if (v.empty())
        return LSX_OK;
    if (!(*out = xs::dup_bytes(v.data(), v.size())))
        return fail(err, errlen, LSX_ENOMEM, "out of memory");
    *len = v.size();
    return LSX_OK;
    XS_CATCH(err, errlen)
}

int xs_db_set_metadata(xs_db *db, const char *key, const char *val, size_t len, char *err,
                       size_t errlen)
{
    if (!db)
        return no_db(err, errlen);
    if (!db->writable)
        return read_only(err, errlen);
    if (!key)
        return fail(err, errlen, LSX_EINVAL, "xs_db_set_metadata: no key");
    XS_TRY
    xs::each_writer(db, [&](Xapian::WritableDatabase &w) { w.set_metadata(key, xs::bytes(val, len)); });
    return LSX_OK;
    XS_CATCH(err, errlen)
}

int xs_db_compact(xs_db *db, const char *dest, char *err, size_t errlen)
{
    if (!db)
        return no_db(err, errlen);
    if (!dest || !*dest)
        return fail(err, errlen, LSX_EINVAL, "xs_db_compact: no destination");
    if (db->inmemory)
        return fail(err, errlen, LSX_EUNSUPPORTED, "an in-memory database cannot be compacted");
    XS_TRY
    /* Compaction copies the last committed revision: commit first so the
     * copy holds what this handle sees (unless a transaction is open). */
    if (db->writable && !db->in_txn)
        xs::each_writer(db, [](Xapian::WritableDatabase &w) { w.commit(); });
    db->rdb.compact(dest);
    return LSX_OK;
    XS_CATCH(err, errlen)
}

int xs_db_merge(const char *const *paths, size_t n, const char *dest, int fuller, char *err,
                size_t errlen)
{
    if (!paths || n == 0)
        return fail(err, errlen, LSX_EINVAL, "xs_db_merge: no source database");
    if (!dest || !*dest)
        return fail(err, errlen, LSX_EINVAL, "xs_db_merge: no destination");
    XS_TRY
    Xapian::Database all;
    for (size_t i = 0; i < n; i++) {
        if (!paths[i])
            return fail(err, errlen, LSX_EINVAL, "xs_db_merge: source %zu is NULL", i);
        all.add_database(Xapian::Database(paths[i]));
    }
    int flags = fuller ? Xapian::Compactor::FULLER : Xapian::Compactor::STANDARD;
    if (n > 3)
        flags |= Xapian::DBCOMPACT_MULTIPASS;
    all.compact(dest, flags);
    return LSX_OK;
    XS_CATCH(err, errlen)
}

/* ---- documents ---------------------------------------------------------- */

int xs_doc_new(xs_doc **out, char *err, size_t errlen)
{
    if (!out)
        return fail(err, errlen, LSX_EINVAL, "xs_doc_new: no output pointer");
    *out = nullptr;
    XS_TRY
    *out = new xs_doc;
    return LSX_OK;
    XS_CATCH(err, errlen)
}

void xs_doc_free(xs_doc *doc)
{
    delete doc;
}

int xs_doc_add_posting(xs_doc *doc, const char *term, size_t len, unsigned pos, unsigned wdfinc,
                       char *err, size_t errlen)
{
    if (!doc)
        return no_doc(err, errlen);
    XS_TRY
    doc->doc.add_posting(xs::bytes(term, len), pos, wdfinc);
    return LSX_OK;
    XS_CATCH(err, errlen)
}

int xs_doc_add_term(xs_doc *doc, const char *term, size_t len, unsigned wdfinc, char *err,
                    size_t errlen)
{
    if (!doc)
        return no_doc(err, errlen);
    XS_TRY
    doc->doc.add_term(xs::bytes(term, len), wdfinc);
    return LSX_OK;
    XS_CATCH(err, errlen)
}

int xs_doc_add_boolean(xs_doc *doc, const char *term, size_t len, char *err, size_t errlen)
{
    if (!doc)
        return no_doc(err, errlen);
    XS_TRY
    doc->doc.add_boolean_term(xs::bytes(term, len));
    return LSX_OK;
    XS_CATCH(err, errlen)
}

int xs_doc_set_value(xs_doc *doc, unsigned slot, const char *val, size_t len, char *err,
                     size_t errlen)
{
    if (!doc)
        return no_doc(err, errlen);
    XS_TRY
    doc->doc.add_value(slot, xs::bytes(val, len));
    return LSX_OK;
    XS_CATCH(err, errlen)
}

int xs_doc_set_data(xs_doc *doc, const char *data, size_t len, char *err, size_t errlen)
{
    if (!doc)
        return no_doc(err, errlen);
    XS_TRY
    doc->doc.set_data(xs::bytes(data, len));
    return LSX_OK;
    XS_CATCH(err, errlen)
}

size_t xs_doc_term_count(const xs_doc *doc)
{
    if (!doc)
        return 0;
    try {
        return doc->doc.termlist_count();
    } catch (...) {
        return 0;
    }
}

int xs_db_replace(xs_db *db, const char *idterm, size_t len, const xs_doc *doc, int *existed,
                  char *err, size_t errlen)
{
    if (!db)
        return no_db(err, errlen);
    if (!doc)
        return no_doc(err, errlen);
    if (!db->writable)
        return read_only(err, errlen);
    if (!idterm || len == 0)
        return fail(err, errlen, LSX_EINVAL, "empty id term");
    XS_TRY
    const std::string id(idterm, len);
    if (existed)
        *existed = db->rdb.get_termfreq(id) > 0;   /* includes uncommitted changes */
    /* The id term must be in the document, or later replace/delete/get_data
     * could not find it.  Adding a boolean term that is already there
     * changes nothing (wdf += 0); Document is a handle, so this is the same
     * document the caller built. */
    Xapian::Document d = doc->doc;
    d.add_boolean_term(id);
    xs::writer(db, id).replace_document(id, d);
    return LSX_OK;
    XS_CATCH(err, errlen)
}

int xs_db_add(xs_db *db, const char *idterm, size_t len, const xs_doc *doc, char *err,
              size_t errlen)
{
    if (!db)
        return no_db(err, errlen);
    if (!doc)
        return no_doc(err, errlen);
    if (!db->writable)
        return read_only(err, errlen);
    if (!idterm || len == 0)
        return fail(err, errlen, LSX_EINVAL, "empty id term");
    XS_TRY
    /* No lookup of the id term: add_document() keeps the new postings (and
     * their positions) in Xapian's inverter until the next flush, where
     * replace_document(term, ...) opens the term's posting list, which makes
     * the inverter flush every pending position list on every call. */
    Xapian::Document d = doc->doc;
    const std::string id(idterm, len);
    d.add_boolean_term(id);
    xs::writer(db, id).add_document(d);
    return LSX_OK;
    XS_CATCH(err, errlen)
}

int xs_db_delete(xs_db *db, const char *idterm, size_t len, char *err, size_t errlen)
{
    if (!db)
        return no_db(err, errlen);
    if (!db->writable)
        return read_only(err, errlen);
    if (!idterm || len == 0)
        return fail(err, errlen, LSX_EINVAL, "empty id term");
    XS_TRY
    const std::string id(idterm, len);
    if (db->rdb.get_termfreq(id) == 0)
        return fail(err, errlen, LSX_ENOTFOUND, "no document with id term '%.*s'", shown(len),
                    idterm);
    xs::writer(db, id).delete_document(id);
    return LSX_OK;
    XS_CATCH(err, errlen)
}

int xs_db_get_data(xs_db *db, const char *idterm, size_t len, char **data, size_t *dlen, char *err,
                   size_t errlen)
{
    if (!db)
        return no_db(err, errlen);
    if (!data || !dlen)
        return fail(err, errlen, LSX_EINVAL, "xs_db_get_data: no output pointer");
    *data = nullptr;
    *dlen = 0;
    XS_TRY
    Xapian::Document doc;
    if (int rc = xs::document_by_term(db->rdb, idterm, len, doc, err, errlen))
        return rc;
    const std::string d = doc.get_data();
    if (!(*data = xs::dup_bytes(d.data(), d.size())))
        return fail(err, errlen, LSX_ENOMEM, "out of memory");
    *dlen = d.size();
    return LSX_OK;
    XS_CATCH(err, errlen)
}

}  // extern "C"

int xs::document_by_term(const Xapian::Database &db, const char *idterm, size_t len, Xapian::Document &doc,
                         char *err, size_t errlen)
{
    if (!idterm || len == 0)
        return fail(err, errlen, LSX_EINVAL, "empty id term");
    const std::string id(idterm, len);
    Xapian::PostingIterator p = db.postlist_begin(id);
    if (p == db.postlist_end(id))
        return fail(err, errlen, LSX_ENOTFOUND, "no document with id term '%.*s'", shown(len), idterm);
    /* The posting list just proved the docid exists: skip the re-check. */
    doc = db.get_document(*p, Xapian::DOC_ASSUME_VALID);
    return LSX_OK;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * shim-shards.cc - a database made of shards: local databases, Xapian stub
 * files and remote databases (xapian-tcpsrv, xapian-progsrv), opened with
 * our own timeouts, each shard kept apart so that a failure can name it.
 *
 * Stub files are read here rather than by Xapian (which would open them
 * too) for three reasons: every remote shard gets the caller's connect and
 * message timeouts (a stub file has no way to set them), each shard has a
 * name for messages, and a shard that fails can be left out (partial).
 * The format is Xapian's: one shard a line, "auto PATH" (also glass,
 * chert: a path relative to the stub's directory; it may itself be a
 * stub), "remote HOST:PORT" or "remote :PROGRAM ARGS"; blank lines and
 * lines starting with '#' are skipped.  A directory holding a file named
 * XAPIANDB is read as that stub.
 */
#include "shim-private.hh"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>

using xs::fail;
using xs::Shard;

namespace {

const unsigned DEFAULT_TIMEOUT_MS = 10000;
const int MAX_STUB_DEPTH = 8;

bool is_dir(const std::string &p)
{
    struct stat st;
    return stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool is_file(const std::string &p)
{
    struct stat st;
    return stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string dir_of(const std::string &file)
{
    size_t slash = file.rfind('/');
    return slash == std::string::npos ? std::string(".") : file.substr(0, slash ? slash : 1);
}

std::string trim(const std::string &s)
{
    size_t a = s.find_first_not_of(" \t\r"), b = s.find_last_not_of(" \t\r");
    return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

/* Append the shards `path` stands for: a stub file, a directory with a
 * XAPIANDB stub, or a database directory.  LSX_OK, or a status with err. */
int expand(const std::string &path, std::vector<Shard> &out, int depth, char *err, size_t errlen)
{
    std::string stub;
    if (is_file(path))
        stub = path;
    else if (is_dir(path) && !is_file(path + "/iamglass") && !is_file(path + "/iamchert") &&
             is_file(path + "/XAPIANDB"))
        stub = path + "/XAPIANDB";   /* as Xapian: a database's version file comes first */
    if (stub.empty()) {
        Shard s;
        s.kind = Shard::LOCAL;
        s.name = s.where = path;
        out.push_back(std::move(s));
        return LSX_OK;
    }
    if (depth >= MAX_STUB_DEPTH)
        return fail(err, errlen, LSX_EINVAL, "stub file %s: stubs nested more than %d deep", stub.c_str(),
                    MAX_STUB_DEPTH);
    std::ifstream in(stub);
    if (!in)
        return fail(err, errlen, LSX_EIO, "cannot read stub file %s: %s", stub.c_str(), strerror(errno));
    const std::string base = stub == path ? dir_of(stub) : path;
    std::string line;
    size_t lineno = 0, before = out.size();
    while (std::getline(in, line)) {
        lineno++;
        line = trim(line);
        if (line.empty() || line[0] == '#')
            continue;
        size_t sp = line.find_first_of(" \t");
        const std::string type = line.substr(0, sp);
        const std::string rest = sp == std::string::npos ? std::string() : trim(line.substr(sp));
        if (rest.empty())
            return fail(err, errlen, LSX_EPARSE, "stub file %s line %zu: '%s' without a place", stub.c_str(),
                        lineno, type.c_str());
        if (type == "auto" || type == "glass" || type == "chert") {
            const std::string p = rest[0] == '/' ? rest : base + "/" + rest;
            int rc = expand(p, out, depth + 1, err, errlen);
            if (rc != LSX_OK)
                return rc;
        } else if (type == "remote") {
            Shard s;
            s.name = rest;
            if (rest[0] == ':') {
                s.kind = Shard::PROG;
                size_t e = rest.find_first_of(" \t", 1);
                s.where = rest.substr(1, e == std::string::npos ? std::string::npos : e - 1);
                s.args = e == std::string::npos ? std::string() : trim(rest.substr(e));
                if (s.where.empty())
                    return fail(err, errlen, LSX_EPARSE, "stub file %s line %zu: no program after ':'",
                                stub.c_str(), lineno);
            } else {
                s.kind = Shard::TCP;
                size_t colon = rest.rfind(':');
                char *end = nullptr;
                unsigned long port = colon == std::string::npos ? 0 : strtoul(rest.c_str() + colon + 1, &end, 10);
                if (colon == std::string::npos || colon == 0 || !end || *end || port == 0 || port > 65535)
                    return fail(err, errlen, LSX_EPARSE,
                                "stub file %s line %zu: expected 'remote HOST:PORT' or 'remote :PROGRAM ARGS', got '%s'",
                                stub.c_str(), lineno, line.c_str());
                s.where = rest.substr(0, colon);
                s.port = unsigned(port);
            }
            out.push_back(std::move(s));
        } else {
            return fail(err, errlen, LSX_EPARSE,
                        "stub file %s line %zu: unknown type '%s' (expected auto, glass, chert or remote)",
                        stub.c_str(), lineno, type.c_str());
        }
    }
    if (out.size() == before)
        return fail(err, errlen, LSX_EPARSE, "stub file %s names no database", stub.c_str());
    return LSX_OK;
}

int write_flags(unsigned flags)
{
    int xf = (flags & XS_OPEN_CREATE) ? Xapian::DB_CREATE_OR_OPEN : Xapian::DB_OPEN;
    if (flags & XS_OPEN_WAIT_LOCK)
        xf |= Xapian::DB_RETRY_LOCK;
    if (flags & XS_OPEN_NO_SYNC)
        xf |= Xapian::DB_NO_SYNC;
    return xf;
}

/* Open one shard (throws Xapian errors). */
void open_shard(const xs_db &db, Shard &s, unsigned flags)
{
    const bool write = flags & (XS_OPEN_WRITE | XS_OPEN_CREATE);
    switch (s.kind) {
    case Shard::LOCAL:
        if (write)
            s.wdb = Xapian::WritableDatabase(s.where, write_flags(flags));
        else
            s.db = Xapian::Database(s.where);
        break;
    case Shard::TCP:
        if (write)
            s.wdb = Xapian::Remote::open_writable(s.where, s.port, db.timeout_ms, db.connect_timeout_ms,
                                                  write_flags(flags) & Xapian::DB_RETRY_LOCK);
        else
            s.db = Xapian::Remote::open(s.where, s.port, db.timeout_ms, db.connect_timeout_ms);
        break;
    case Shard::PROG:
        if (write)
            s.wdb = Xapian::Remote::open_writable(s.where, s.args, db.timeout_ms,
                                                  write_flags(flags) & Xapian::DB_RETRY_LOCK);
        else
            s.db = Xapian::Remote::open(s.where, s.args, db.timeout_ms);
        break;
    }
    if (write)
        s.db = s.wdb;
}

/* The message of the exception being handled (call inside a catch). */
std::string what_failed()
{
    try {
        throw;
    } catch (const Xapian::Error &e) {
        std::string m = e.get_type();
        m += ": ";
        m += e.get_msg();
        if (e.get_error_string()) {
            m += " (";
            m += e.get_error_string();
            m += ")";
        }
        return m;
    } catch (const std::exception &e) {
        return e.what();
    } catch (...) {
        return "unknown error";
    }
}

void rebuild_view(xs_db *db)
{
    Xapian::Database all;
    for (Shard &s : db->shards)
        if (!s.missing || !db->partial)
            all.add_database(s.db);
    db->rdb = all;
    db->facet_cache.reset();
}

}  // namespace

Xapian::WritableDatabase &xs::writer(xs_db *db, const std::string &idterm)
{
    if (db->shards.size() <= 1)
        return db->wdb;
    return db->shards[xs_route(idterm.data(), idterm.size(), db->shards.size())].wdb;
}

size_t xs::recover_shards(xs_db *db, std::string &failed)
{
    size_t nfailed = 0;
    std::vector<size_t> now;
    for (size_t i = 0; i < db->shards.size(); i++) {
        Shard &s = db->shards[i];
        if (s.missing || s.kind == Shard::LOCAL)
            continue;
        /* Reconnect: the connection of a shard that did answer may still
         * hold the reply the failed search left behind. */
        try {
            open_shard(*db, s, XS_OPEN_READ);
            s.db.get_doccount();
        } catch (...) {
            s.why = what_failed();
            s.missing = true;
            now.push_back(i);
            nfailed++;
        }
    }
    failed = failed_shards(db);
    if (!db->partial) {
        /* Not left out: the next search tries them again. */
        for (size_t i : now)
            db->shards[i].missing = false;
    }
    rebuild_view(db);
    return nfailed;
}

bool xs::reopen_shards(xs_db *db)
{
    std::vector<Shard> now;
    char err[256];
    for (const std::string &spec : db->specs)
        if (expand(spec, now, 0, err, sizeof err) != LSX_OK)
            throw Xapian::DatabaseOpeningError(err);
    bool same = now.size() == db->shards.size();
    for (size_t i = 0; same && i < now.size(); i++)
        same = now[i].name == db->shards[i].name;
    if (same) {
        bool moved = false;
        for (Shard &s : db->shards)
            if (!s.missing)
                moved |= s.db.reopen();
        return moved;
    }
    /* Open the new list before giving up the old one. */
    for (Shard &s : now)
        open_shard(*db, s, db->open_flags);
    db->shards = std::move(now);
    db->remote = false;
    for (const Shard &s : db->shards)
        db->remote |= s.kind != Shard::LOCAL;
    rebuild_view(db);
    return true;
}

std::string xs::failed_shards(const xs_db *db)
{
    std::string out;
    for (size_t i = 0; i < db->shards.size(); i++) {
        const Shard &s = db->shards[i];
        if (!s.missing)
            continue;
        if (!out.empty())
            out += "; ";
        out += "shard " + std::to_string(i) + " (" + s.name + "): " + s.why;
    }
    return out;
}

extern "C" {

uint32_t xs_route(const char *idterm, size_t len, size_t nshards)
{
    /* FNV-1a, 32 bits, of the id term: part of the on-disk layout of a
     * sharded index (changing it would send ids to other shards). */
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)idterm[i];
        h *= 16777619u;
    }
    return nshards ? uint32_t(h % nshards) : 0;
}

int xs_db_open_shards(xs_db **out, const char *const *specs, size_t n, unsigned flags,
                      const xs_open_params *p, char *err, size_t errlen)
{
    if (!out)
        return fail(err, errlen, LSX_EINVAL, "xs_db_open_shards: no output pointer");
    *out = nullptr;
    if (!specs || n == 0)
        return fail(err, errlen, LSX_EINVAL, "no database given");
    XS_TRY
    std::unique_ptr<xs_db> db(new xs_db);
    db->timeout_ms = p && p->timeout_ms ? p->timeout_ms : DEFAULT_TIMEOUT_MS;
    db->connect_timeout_ms = p && p->connect_timeout_ms ? p->connect_timeout_ms : DEFAULT_TIMEOUT_MS;
    db->partial = p && p->partial;
    const bool write = flags & (XS_OPEN_WRITE | XS_OPEN_CREATE);
    db->open_flags = flags;
    for (size_t i = 0; i < n; i++) {
        if (!specs[i] || !*specs[i])
            return fail(err, errlen, LSX_EINVAL, "database %zu: empty path", i);
        db->specs.push_back(specs[i]);
        int rc = expand(specs[i], db->shards, 0, err, errlen);
        if (rc != LSX_OK)
            return rc;
    }
    if (write && db->partial)
        return fail(err, errlen, LSX_EINVAL, "a writer cannot leave shards out (partial)");
    size_t alive = 0;
    for (size_t i = 0; i < db->shards.size(); i++) {
        Shard &s = db->shards[i];
        db->remote |= s.kind != Shard::LOCAL;
        try {
            open_shard(*db, s, flags);
            alive++;
        } catch (const Xapian::DatabaseNotFoundError &e) {
            if (db->shards.size() == 1)
                return fail(err, errlen, LSX_ENOTFOUND, "no database at %s (%s)", s.name.c_str(),
                            e.get_msg().c_str());
            s.why = what_failed();
            s.missing = true;
        } catch (const Xapian::NetworkError &) {
            s.why = what_failed();
            s.missing = true;
        } catch (...) {
            if (db->shards.size() == 1)
                throw;
            s.why = what_failed();
            s.missing = true;
        }
        if (s.missing && !db->partial)
            return fail(err, errlen, LSX_EIO, "%s", xs::failed_shards(db.get()).c_str());
    }
    if (alive == 0)
        return fail(err, errlen, LSX_EIO, "no shard could be opened: %s", xs::failed_shards(db.get()).c_str());
    if (write) {
        db->writable = true;
        if (db->shards.size() == 1)
            db->wdb = db->shards[0].wdb;
    }
    if (db->shards.size() == 1 && write)
        db->rdb = db->wdb;
    else
        rebuild_view(db.get());
    *out = db.release();
    return LSX_OK;
    XS_CATCH(err, errlen)
}

size_t xs_db_shard_count(const xs_db *db)
{
    return db ? (db->shards.empty() ? 1 : db->shards.size()) : 0;
}

const char *xs_db_shard_name(const xs_db *db, size_t i)
{
    if (!db || i >= db->shards.size())
        return nullptr;
    return db->shards[i].name.c_str();
}

int xs_db_shard_missing(const xs_db *db, size_t i)
{
    return db && i < db->shards.size() && db->shards[i].missing;
}

const char *xs_db_shard_error(const xs_db *db, size_t i)
{
    return db && i < db->shards.size() && db->shards[i].missing ? db->shards[i].why.c_str() : "";
}

int xs_db_is_remote(const xs_db *db)
{
    return db && db->remote;
}

int xs_db_shard_metadata(xs_db *db, size_t i, const char *key, char **out, size_t *len, char *err,
                         size_t errlen)
{
    if (!db || !key || !out || !len)
        return fail(err, errlen, LSX_EINVAL, "xs_db_shard_metadata: missing argument");
    *out = nullptr;
    *len = 0;
    if (db->shards.empty() && i == 0)
        return xs_db_get_metadata(db, key, out, len, err, errlen);
    if (i >= db->shards.size())
        return fail(err, errlen, LSX_EINVAL, "no shard %zu", i);
    if (db->shards[i].missing)
        return LSX_OK;
    XS_TRY
    const std::string v = db->shards[i].db.get_metadata(key);
    if (v.empty())
        return LSX_OK;
    if (!(*out = xs::dup_bytes(v.data(), v.size())))
        return fail(err, errlen, LSX_ENOMEM, "out of memory");
    *len = v.size();
    return LSX_OK;
    XS_CATCH(err, errlen)
}

int xs_db_shard_doccount(xs_db *db, size_t i, uint64_t *out, char *err, size_t errlen)
{
    if (!db || !out)
        return fail(err, errlen, LSX_EINVAL, "xs_db_shard_doccount: missing argument");
    *out = 0;
    if (db->shards.empty() && i == 0)
        return xs_db_doccount(db, out, err, errlen);
    if (i >= db->shards.size())
        return fail(err, errlen, LSX_EINVAL, "no shard %zu", i);
    if (db->shards[i].missing)
        return LSX_OK;
    XS_TRY
    *out = db->shards[i].db.get_doccount();
    return LSX_OK;
    XS_CATCH(err, errlen)
}

int xs_db_shard_set_metadata(xs_db *db, size_t i, const char *key, const char *val, size_t len, char *err,
                             size_t errlen)
{
    if (!db || !key)
        return fail(err, errlen, LSX_EINVAL, "xs_db_shard_set_metadata: missing argument");
    if (!db->writable)
        return fail(err, errlen, LSX_EREADONLY, "the database is open read-only");
    XS_TRY
    if (db->shards.size() <= 1 && i == 0)
        db->wdb.set_metadata(key, xs::bytes(val, len));
    else if (i < db->shards.size())
        db->shards[i].wdb.set_metadata(key, xs::bytes(val, len));
    else
        return fail(err, errlen, LSX_EINVAL, "no shard %zu", i);
    return LSX_OK;
    XS_CATCH(err, errlen)
}

}  // extern "C"

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * db.c - opening databases, indexing articles, deleting, committing, stats,
 * and fetching stored documents.
 *
 * What one article becomes (prefixes and slots are defined in private.h):
 *   - title words: unprefixed terms with positions 1..n and wdf `title_wdf`
 *     each (so they weigh more in BM25), plus S-prefixed copies for title:;
 *   - body words, up to the start of trailing boilerplate: unprefixed terms
 *     with positions after a gap of LSX_POS_GAP, so phrases cannot span title
 *     and body;
 *   - E<exact> (no positions, the same wdf) for each word whose diacritics
 *     were folded away, so a word typed with diacritics finds that spelling;
 *   - boolean terms: Q<id>, L<lang>, Y<yyyy>, M<yyyymm>, D<yyyymmdd>, and per
 *     entity XE<id> plus XP/XO/XL<id> by type;
 *   - values: the date as YYYYMMDD (ranges, date facets) and the entity list
 *     (entity facets);
 *   - data: the stored record (store.c); the body (compressed), the id and
 *     the entity list with names in value slots of their own.
 */
#include "private.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- helpers ------------------------------------------------------------ */

size_t lsx__prefixed(char *buf, size_t cap, const char *prefix, const char *text, size_t len)
{
    size_t pl = strlen(prefix);
    if (pl + len + 1 > cap)
        return 0;
    memcpy(buf, prefix, pl);
    memcpy(buf + pl, text, len);
    buf[pl + len] = '\0';
    return pl + len;
}

lsx_analyzer *lsx__db_analyzer(lsx_db *db)
{
    if (!db->an) {
        lsx_analyzer *a = NULL;
        int rc = lsx_analyzer_new(&a);
        if (rc != LSX_OK) {
            lsx__seterr(db->err, rc, "cannot create analyzer: %s",
                        a ? lsx_analyzer_errmsg(a) : lsx_status_str(rc));
            lsx_analyzer_free(a);
            return NULL;
        }
        db->an = a;
    }
    return db->an;
}

lsx_extractor *lsx__db_extractor(lsx_db *db)
{
    if (!db->ex) {
        char err[LSX_ERRLEN] = "";
        lsx_extractor *x = NULL;
        int rc = lsx_extractor_new(&x, NULL, err);
        if (rc != LSX_OK) {
            lsx__seterr(db->err, rc, "cannot load the gazetteer: %s", err);
            lsx_extractor_free(x);
            return NULL;
        }
        db->ex = x;
    }
    return db->ex;
}

static int set_from_shim(lsx_db *db, int rc, const char *what, const char *msg)
{
    return lsx__seterr(db->err, rc, "%s: %s", what, msg);
}

/* ---- open / close ------------------------------------------------------- */

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* The wait before try number attempt + 2 (attempt from 0): the delay
 * doubled per attempt, at most LSX_RETRY_MAX_DELAY_MS, then a random
 * point in its second half (so that retries do not keep meeting a writer
 * that commits at a steady pace at the same point of its cycle). */
static unsigned retry_delay(lsx_db *db, unsigned attempt)
{
    unsigned d = db->retry_delay_ms;
    for (unsigned i = 0; i < attempt && d < LSX_RETRY_MAX_DELAY_MS; i++)
        d *= 2;
    if (d > LSX_RETRY_MAX_DELAY_MS)
        d = LSX_RETRY_MAX_DELAY_MS;
    db->retry_seed = db->retry_seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return d - (unsigned)((db->retry_seed >> 33) % (d / 2 + 1));
}

/* A reader whose open failed: try again?  The errors a writer can cause
 * while a reader opens: a revision discarded between reading the version
 * file and the tables (LSX_EMODIFIED, or blocks that read as damaged:
 * LSX_ECORRUPT, LSX_EIO), and a plain directory switching to generations
 * (the version file gone: LSX_ENOTFOUND while a database is there). */
static bool open_again(lsx_db *db, unsigned xf, int rc, unsigned *attempt)
{
    if ((xf & (XS_OPEN_WRITE | XS_OPEN_INMEMORY)) || *attempt >= db->retry_attempts)
        return false;
    unsigned long gen;
    if (rc == LSX_ENOTFOUND) {
        if (lsx__dir_form(db->path, &gen) == LSX_DIR_NONE)
            return false;
    } else if (rc != LSX_EMODIFIED && rc != LSX_ECORRUPT && rc != LSX_EIO) {
        return false;
    }
    sleep_ms(retry_delay(db, (*attempt)++));
    return true;
}

bool lsx__db_retry(lsx_db *db, int rc, unsigned *attempt)
{
    if (rc != LSX_EMODIFIED && rc != LSX_ECORRUPT && rc != LSX_EIO)
        return false;
    if (!db || !db->x || !db->path || xs_db_is_writable(db->x) || *attempt >= db->retry_attempts)
        return false;
    sleep_ms(retry_delay(db, (*attempt)++));
    char err[LSX_ERRLEN];
    int changed = 0;
    lsx__db_read_begin(db);
    int rrc = xs_db_reopen_changed(db->x, &changed, err, sizeof err);
    lsx__db_read_end(db);
    if (rrc != LSX_OK)
        return true;            /* the read fails again, or the next reopen works */
    lsx__label_cache_free(db->labels);
    db->labels = NULL;
    /* Damage that is still there at the same revision is real. */
    return rc == LSX_EMODIFIED || changed;
}

void lsx__db_read_begin(lsx_db *db)
{
    if (!db || db->rlock_fd < 0 || (db->x && xs_db_is_writable(db->x)))
        return;
    if (db->rlock_depth++ == 0)
        db->rlock_held = lsx__read_lock_read(db->rlock_fd, LSX_READ_LOCK_WAIT_MS);
}

void lsx__db_read_end(lsx_db *db)
{
    if (!db || db->rlock_depth == 0)
        return;
    if (--db->rlock_depth == 0 && db->rlock_held) {
        lsx__read_lock_release(db->rlock_fd);
        db->rlock_held = false;
    }
}

int lsx__db_write_begin(lsx_db *db)
{
    if (db->rlock_fd < 0 || db->rlock_held)
        return LSX_OK;
    if (lsx__read_lock_write(db->rlock_fd) != 0)
        return lsx__seterr(db->err, LSX_EIO, "cannot lock %s for writing: %s", db->path, strerror(errno));
    db->rlock_held = true;
    return LSX_OK;
}

void lsx__db_write_end(lsx_db *db)
{
    if (db->rlock_fd >= 0 && db->rlock_held) {
        lsx__read_lock_release(db->rlock_fd);
        db->rlock_held = false;
    }
}

int lsx_db_set_retry(lsx_db *db, unsigned attempts, unsigned delay_ms)
{
    if (!db)
        return LSX_EINVAL;
    if (attempts > LSX_MAX_RETRY_ATTEMPTS)
        return lsx__seterr(db->err, LSX_EINVAL, "retry attempts must be at most %d, not %u",
                           LSX_MAX_RETRY_ATTEMPTS, attempts);
    db->retry_attempts = attempts;
    db->retry_delay_ms = delay_ms ? delay_ms : LSX_RETRY_DELAY_MS;
    return LSX_OK;
}

/* A writer on disk: make the directory if asked, take the writers' lock,
 * and remove what interrupted runs left (dbdir.c). */
static int open_dir(lsx_db *db, unsigned flags)
{
    const char *path = db->path;
    char err[LSX_ERRLEN];
    if ((flags & LSX_DB_CREATE) && mkdir(path, 0777) != 0 && errno != EEXIST)
        return lsx__seterr(db->err, errno == ENOENT ? LSX_ENOTFOUND : LSX_EIO,
                           "cannot create database directory %s: %s", path, strerror(errno));
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        if (stat(path, &st) != 0 && errno == ENOENT)
            return lsx__seterr(db->err, LSX_ENOTFOUND, "no database at %s", path);
        return lsx__seterr(db->err, LSX_EIO, "%s is not a directory", path);
    }
    unsigned long gen;
    if (!(flags & LSX_DB_CREATE) && lsx__dir_form(path, &gen) == LSX_DIR_NONE)
        return lsx__seterr(db->err, LSX_ENOTFOUND, "no database at %s", path);
    int rc = lsx__dir_lock(path, (flags & LSX_DB_WAIT_LOCK) != 0, &db->lock_fd, err);
    if (rc != LSX_OK)
        return lsx__seterr(db->err, rc, "%s", err);
    rc = lsx__dir_leftovers(path, true, &db->removed_count, &db->removed_bytes, err);
    if (rc != LSX_OK)
        return lsx__seterr(db->err, rc, "cannot remove what an interrupted run left: %s", err);
    db->rlock_fd = lsx__read_lock_open(path, true);
    return LSX_OK;
}

/* ends[v - 1]: the end of the last field of version v */
static const size_t db_options_ends[] = {LSX__END(lsx_db_options, title_weight),
                                         LSX__END(lsx_db_options, timeout_ms)};

int lsx_db_options_init(lsx_db_options *opts, unsigned version)
{
    const lsx_db_options d = {.version = LSX_DB_OPTIONS_VERSION, .batch_size = LSX_DEFAULT_BATCH_SIZE,
                              .title_weight = LSX_DEFAULT_TITLE_WEIGHT,
                              .connect_timeout_ms = LSX_DEFAULT_TIMEOUT_MS,
                              .timeout_ms = LSX_DEFAULT_TIMEOUT_MS};
    return lsx__init_versioned(opts, &d, db_options_ends, LSX_DB_OPTIONS_VERSION, version);
}

/* The name of shard i in messages: "shard 2 (host:7002)", or the path of
 * an index of one database. */
static void shard_label(lsx_db *db, size_t i, char *out, size_t cap)
{
    const char *name = xs_db_shard_name(db->x, i);
    if (xs_db_shard_count(db->x) > 1)
        snprintf(out, cap, "shard %zu (%s)", i, name ? name : "?");
    else
        snprintf(out, cap, "%s", name ? name : db->path ? db->path : "(memory)");
}

int lsx__db_write_schema(lsx_db *db, xs_db *x, size_t shard, char *err)
{
    char *table = lsx__schema_text(db->title_wdf);
    if (!table)
        return lsx__seterr(err, LSX_ENOMEM, "out of memory");
    int rc = xs_db_shard_set_metadata(x, shard, LSX_SCHEMA_KEY, LSX_SCHEMA_VERSION, strlen(LSX_SCHEMA_VERSION),
                                      err, LSX_ERRLEN);
    if (rc == LSX_OK)
        rc = xs_db_shard_set_metadata(x, shard, LSX_SCHEMA_TABLE_KEY, table, strlen(table), err, LSX_ERRLEN);
    free(table);
    return rc;
}

/* Check the schema of shard i (and the first's text, in *first, for the
 * others to agree with); a writer initialises an empty shard's. */
static int check_shard(lsx_db *db, size_t i, size_t nshards, char **first, size_t *first_len)
{
    char err[LSX_ERRLEN], label[LSX_ERRLEN / 2];
    shard_label(db, i, label, sizeof label);
    if (xs_db_shard_missing(db->x, i))
        return LSX_OK;
    char *version = NULL, *table = NULL, *number = NULL;
    size_t vlen = 0, tlen = 0, nlen = 0;
    uint64_t ndocs = 0;
    int rc = xs_db_shard_metadata(db->x, i, LSX_SCHEMA_KEY, &version, &vlen, err, sizeof err);
    if (rc == LSX_OK)
        rc = xs_db_shard_metadata(db->x, i, LSX_SCHEMA_TABLE_KEY, &table, &tlen, err, sizeof err);
    if (rc == LSX_OK)
        rc = xs_db_shard_metadata(db->x, i, LSX_SHARD_KEY, &number, &nlen, err, sizeof err);
    if (rc == LSX_OK)
        rc = xs_db_shard_doccount(db->x, i, &ndocs, err, sizeof err);
    if (rc != LSX_OK) {
        rc = lsx__seterr(db->err, rc, "cannot read database %s: %s", label, err);
        goto out;
    }
    char want[48];
    snprintf(want, sizeof want, "%zu/%zu", i, nshards);
    if (version) {
        if (vlen != strlen(LSX_SCHEMA_VERSION) || memcmp(version, LSX_SCHEMA_VERSION, vlen) != 0) {
            rc = lsx__seterr(db->err, LSX_EVERSION, "database %s uses index schema '%.*s'; this libsearch reads schema %s",
                             label, (int)(vlen > 20 ? 20 : vlen), version, LSX_SCHEMA_VERSION);
            goto out;
        }
    } else if (ndocs > 0) {
        rc = lsx__seterr(db->err, LSX_EVERSION, "%s is a Xapian database but was not made by libsearch", label);
        goto out;
    } else if (xs_db_is_writable(db->x)) {
        /* A new database: its schema, and its place among the shards. */
        rc = lsx__db_write_schema(db, db->x, i, err);
        if (rc != LSX_OK) {
            rc = lsx__seterr(db->err, rc, "cannot initialise database %s: %s", label, err);
            goto out;
        }
        table = lsx__schema_text(db->title_wdf);
        tlen = table ? strlen(table) : 0;
    } else if (nshards > 1) {
        rc = lsx__seterr(db->err, LSX_EVERSION, "%s is not a libsearch database (no schema)", label);
        goto out;
    }
    if (xs_db_is_writable(db->x) && nshards > 1 && !number) {
        if (ndocs > 0) {
            rc = lsx__seterr(db->err, LSX_EINVAL, "%s holds documents but was not written as a shard: its ids "
                             "may belong to other shards", label);
            goto out;
        }
        if ((rc = xs_db_shard_set_metadata(db->x, i, LSX_SHARD_KEY, want, strlen(want), err, sizeof err)) != LSX_OK) {
            rc = lsx__seterr(db->err, rc, "cannot initialise database %s: %s", label, err);
            goto out;
        }
    }
    /* A writer routes ids by their shard's place in the list: a shard
     * listed at another place (or another number of shards) would get ids
     * it does not hold. */
    if (xs_db_is_writable(db->x) && nshards > 1 && number && (nlen != strlen(want) || memcmp(number, want, nlen))) {
        rc = lsx__seterr(db->err, LSX_EINVAL, "%s was written as shard %.*s, but is listed as shard %s: ids would go to the wrong shard",
                         label, (int)(nlen > 20 ? 20 : nlen), number, want);
        goto out;
    }
    if (!table) {
        /* Written before indexes stored their schema: the version-2 table
         * without the slots added since (DATE_DESC). */
        table = lsx_strdup("");
        tlen = 0;
    }
    if (i == 0 || !*first) {
        *first = table;
        *first_len = tlen;
        table = NULL;
        db->has_date_desc = lsx__schema_text_has_slot(*first, *first_len, LSX_SLOT_DATE_DESC);
    } else {
        char diff[300];
        if (lsx__schema_diff(table, tlen, *first, *first_len, diff, sizeof diff)) {
            char l0[LSX_ERRLEN / 2];
            shard_label(db, 0, l0, sizeof l0);
            rc = lsx__seterr(db->err, LSX_EVERSION, "%s has a different schema from %s: %s%s", label, l0,
                             tlen && *first_len ? diff : "",
                             tlen && *first_len ? "" : (tlen ? "the other was written before indexes stored their schema"
                                                             : "it was written before indexes stored their schema"));
            goto out;
        }
    }
out:
    free(version);
    free(table);
    free(number);
    return rc;
}

static int open_db(lsx_db **out, const char *const *paths, size_t n, unsigned flags, const lsx_db_options *opts)
{
    *out = NULL;
    lsx_db *db = calloc(1, sizeof *db);
    if (!db)
        return LSX_ENOMEM;
    *out = db;
    db->lock_fd = -1;
    db->rlock_fd = -1;
    db->retry_attempts = LSX_RETRY_ATTEMPTS;
    db->retry_delay_ms = LSX_RETRY_DELAY_MS;
    db->retry_seed = (uint64_t)(uintptr_t)db ^ (uint64_t)time(NULL);
    lsx_db_options_init(&db->opts, LSX_DB_OPTIONS_VERSION);
    if (opts) {
        int rc = lsx__read_versioned(&db->opts, opts, db_options_ends, LSX_DB_OPTIONS_VERSION, "lsx_db_options",
                                     db->err);
        if (rc != LSX_OK)
            return rc;
        if (db->opts.batch_size == 0)
            db->opts.batch_size = LSX_DEFAULT_BATCH_SIZE;
        if (db->opts.title_weight < 0)
            db->opts.title_weight = LSX_DEFAULT_TITLE_WEIGHT;
        if (!(db->opts.title_weight <= 100))
            return lsx__seterr(db->err, LSX_EINVAL, "title_weight must be between 0 and 100");
        if (db->opts.connect_timeout_ms == 0)
            db->opts.connect_timeout_ms = LSX_DEFAULT_TIMEOUT_MS;
        if (db->opts.timeout_ms == 0)
            db->opts.timeout_ms = LSX_DEFAULT_TIMEOUT_MS;
    }
    db->title_wdf = (unsigned)(db->opts.title_weight + 0.5);
    db->flags = flags;
    const char *path = n > 0 ? paths[0] : NULL;
    if (!(flags & LSX_DB_INMEMORY)) {
        if (!path || !*path)
            return lsx__seterr(db->err, LSX_EINVAL, "no database path given");
        if (!(db->path = lsx_strdup(path)))
            return lsx__seterr(db->err, LSX_ENOMEM, "out of memory");
    }

    unsigned xf = XS_OPEN_READ;
    if (flags & LSX_DB_INMEMORY)
        xf = XS_OPEN_INMEMORY | XS_OPEN_WRITE;
    else if (flags & (LSX_DB_WRITABLE | LSX_DB_CREATE)) {
        xf = XS_OPEN_WRITE;
        if (flags & LSX_DB_CREATE)
            xf |= XS_OPEN_CREATE;
        if (flags & LSX_DB_WAIT_LOCK)
            xf |= XS_OPEN_WAIT_LOCK;
    }
    char err[LSX_ERRLEN];
    int rc;
    /* One local database directory (not a stub file, not several shards):
     * a writer takes the directory's lock and removes what interrupted runs
     * left; readers share the read lock with its writer (dbdir.c). */
    struct stat pst;
    const bool one_dir = n == 1 && !(flags & LSX_DB_INMEMORY) && (stat(path, &pst) != 0 || S_ISDIR(pst.st_mode));
    if (one_dir && (xf & XS_OPEN_WRITE) && (rc = open_dir(db, flags)) != LSX_OK)
        return rc;
    if (one_dir && !(xf & XS_OPEN_WRITE))
        db->rlock_fd = lsx__read_lock_open(path, false);

    for (unsigned attempt = 0;;) {
        xs_db_free(db->x);
        db->x = NULL;
        if (!(xf & XS_OPEN_WRITE))
            lsx__db_read_begin(db);
        if (flags & LSX_DB_INMEMORY) {
            rc = xs_db_open(&db->x, "", xf, err, sizeof err);
        } else {
            xs_open_params p = {.connect_timeout_ms = db->opts.connect_timeout_ms, .timeout_ms = db->opts.timeout_ms,
                                .partial = (flags & LSX_DB_PARTIAL) != 0};
            rc = xs_db_open_shards(&db->x, paths, n, xf, &p, err, sizeof err);
        }
        const bool opened = rc == LSX_OK;
        if (opened) {
            /* The schema guards against reading an index made by an
             * incompatible libsearch (or by something else entirely), and
             * shards that disagree. */
            size_t nshards = xs_db_shard_count(db->x), first_len = 0;
            char *first = NULL;
            const bool writer = xs_db_is_writable(db->x);
            if (writer)
                rc = lsx__db_write_begin(db);
            for (size_t i = 0; i < nshards && rc == LSX_OK; i++)
                rc = check_shard(db, i, nshards, &first, &first_len);
            free(first);
            if (rc == LSX_OK && writer && (rc = xs_db_commit(db->x, err, sizeof err)) != LSX_OK)
                lsx__seterr(db->err, rc, "cannot initialise database %s: %s", path ? path : "(memory)", err);
            if (writer)
                lsx__db_write_end(db);
        }
        if (!(xf & XS_OPEN_WRITE))
            lsx__db_read_end(db);
        if (rc == LSX_OK || !one_dir || !open_again(db, xf, rc, &attempt)) {
            if (rc == LSX_ENOTFOUND && !opened)
                return lsx__seterr(db->err, rc, "no database at %s", path);
            if (rc != LSX_OK && !opened)
                return lsx__seterr(db->err, rc, "cannot open database %s: %s",
                                   n > 1 ? "shards" : path ? path : "(memory)", err);
            break;
        }
    }
    return rc;
}

int lsx_db_open(lsx_db **out, const char *path, unsigned flags, const lsx_db_options *opts)
{
    return open_db(out, &path, 1, flags, opts);
}

int lsx_db_open_shards(lsx_db **out, const char *const *paths, size_t n, unsigned flags,
                       const lsx_db_options *opts)
{
    if (!paths || n == 0) {
        *out = NULL;
        lsx_db *db = calloc(1, sizeof *db);
        if (!db)
            return LSX_ENOMEM;
        *out = db;
        return lsx__seterr(db->err, LSX_EINVAL, "lsx_db_open_shards: no database given");
    }
    if (flags & LSX_DB_INMEMORY) {
        lsx_db *db = calloc(1, sizeof *db);
        if (!(*out = db))
            return LSX_ENOMEM;
        return lsx__seterr(db->err, LSX_EINVAL, "lsx_db_open_shards: LSX_DB_INMEMORY takes no shards");
    }
    return open_db(out, paths, n, flags, opts);
}

size_t lsx_db_shard_count(const lsx_db *db)
{
    return db && db->x ? xs_db_shard_count(db->x) : 0;
}

const char *lsx_db_shard_name(const lsx_db *db, size_t i)
{
    if (!db || !db->x || i >= xs_db_shard_count(db->x))
        return NULL;
    const char *n = xs_db_shard_name(db->x, i);
    return n ? n : db->path ? db->path : "";
}

int lsx_db_shard_missing(const lsx_db *db, size_t i)
{
    return db && db->x && xs_db_shard_missing(db->x, i);
}

struct lsx_lang_entry {
    char *code;
    uint64_t count;
};

static void langs_clear(lsx_db *db)
{
    for (size_t i = 0; i < db->nlangs; i++)
        free(db->langs[i].code);
    db->nlangs = 0;
}

void lsx_db_free(lsx_db *db)
{
    if (!db)
        return;
    if (db->x) {
        char err[LSX_ERRLEN];
        /* Closing a writer commits what is pending: blocks are written. */
        const bool writer = xs_db_is_writable(db->x) && lsx__db_write_begin(db) == LSX_OK;
        if (db->in_txn)
            (void)xs_db_commit_transaction(db->x, err, sizeof err);
        xs_db_free(db->x);
        db->x = NULL;
        if (writer)
            lsx__db_write_end(db);
    }
    if (db->rlock_fd >= 0) {
        if (db->rlock_held)
            lsx__read_lock_release(db->rlock_fd);
        close(db->rlock_fd);
    }
    if (db->lock_fd >= 0)
        close(db->lock_fd);
    lsx_analyzer_free(db->an);
    lsx_extractor_free(db->ex);
    lsx__label_cache_free(db->labels);
    langs_clear(db);
    free(db->langs);
    free(db->path);
    free(db);
}

const char *lsx_db_errmsg(const lsx_db *db)
{
    return db ? db->err : "no database handle (out of memory)";
}

static int not_attached(lsx_db *db, const char *what)
{
    if (db->indexer)
        return lsx__seterr(db->err, LSX_EINVAL, "%s: the database is in use by an lsx_indexer", what);
    return LSX_OK;
}

static int need_writable(lsx_db *db, const char *what)
{
    if (!db->x)
        return lsx__seterr(db->err, LSX_EINVAL, "%s: the database is not open", what);
    if (!xs_db_is_writable(db->x))
        return lsx__seterr(db->err, LSX_EREADONLY, "%s: the database was opened read-only", what);
    return not_attached(db, what);
}

int lsx_db_commit(lsx_db *db)
{
    int rc = need_writable(db, "commit");
    return rc == LSX_OK ? lsx__db_commit(db) : rc;
}

static int meta_key_ok(lsx_db *db, const char *key)
{
    if (!key || !*key)
        return lsx__seterr(db->err, LSX_EINVAL, "metadata: no key given");
    if (strncmp(key, "libsearch.", 10) == 0)
        return lsx__seterr(db->err, LSX_EINVAL, "metadata: key '%s' is reserved for the library", key);
    return LSX_OK;
}

int lsx_db_get_metadata(lsx_db *db, const char *key, char **value, size_t *len)
{
    if (!db || !value)
        return LSX_EINVAL;
    *value = NULL;
    if (len)
        *len = 0;
    int rc = meta_key_ok(db, key);
    if (rc != LSX_OK)
        return rc;
    if (!db->x)
        return lsx__seterr(db->err, LSX_EINVAL, "metadata: the database is not open");
    char err[LSX_ERRLEN];
    size_t n = 0;
    rc = xs_db_get_metadata(db->x, key, value, &n, err, sizeof err);
    if (rc != LSX_OK)
        return set_from_shim(db, rc, "reading metadata failed", err);
    if (*value && n == 0) {
        free(*value);
        *value = NULL;
    }
    if (len)
        *len = n;
    return LSX_OK;
}

int lsx_db_set_metadata(lsx_db *db, const char *key, const char *value, size_t len)
{
    if (!db)
        return LSX_EINVAL;
    int rc = meta_key_ok(db, key);
    if (rc == LSX_OK)
        rc = need_writable(db, "metadata");
    if (rc != LSX_OK)
        return rc;
    char err[LSX_ERRLEN];
    if ((rc = lsx__db_write_begin(db)) != LSX_OK)
        return rc;
    rc = xs_db_set_metadata(db->x, key, value ? value : "", value ? len : 0, err, sizeof err);
    lsx__db_write_end(db);
    return rc == LSX_OK ? LSX_OK : set_from_shim(db, rc, "writing metadata failed", err);
}

int lsx__db_commit(lsx_db *db)
{
    char err[LSX_ERRLEN];
    int rc = lsx__db_write_begin(db);
    if (rc != LSX_OK)
        return rc;
    if (db->in_txn) {
        db->in_txn = false;
        db->pending = 0;
        rc = xs_db_commit_transaction(db->x, err, sizeof err);
    } else {
        rc = xs_db_commit(db->x, err, sizeof err);
    }
    lsx__db_write_end(db);
    return rc == LSX_OK ? LSX_OK : set_from_shim(db, rc, "commit failed", err);
}

int lsx_db_reopen(lsx_db *db)
{
    char err[LSX_ERRLEN];
    lsx__label_cache_free(db->labels);   /* the new view may spell entities differently */
    db->labels = NULL;
    lsx__db_read_begin(db);
    int rc = xs_db_reopen(db->x, err, sizeof err);
    lsx__db_read_end(db);
    return rc == LSX_OK ? LSX_OK : set_from_shim(db, rc, "reopen failed", err);
}

/* ---- indexing ------------------------------------------------------------ */

typedef struct index_ctx {
    xs_doc *doc;
    unsigned pos_base;      /* added to token positions */
    unsigned last_pos;      /* highest position used */
    unsigned wdf;           /* wdf of unprefixed terms */
    bool title;             /* also add S-prefixed terms */
    size_t postings;        /* positional postings added */
    size_t words;           /* words seen (title and body) */
    int rc;
    char err[LSX_ERRLEN];
} index_ctx;

bool lsx__has_spelling(const char *term, size_t tlen, const char *exact, size_t elen)
{
    bool non_ascii = false;
    for (size_t i = 0; i < elen && !non_ascii; i++)
        non_ascii = (unsigned char)exact[i] >= 0x80;
    return non_ascii && (elen != tlen || memcmp(exact, term, tlen) != 0);
}

static int index_token(void *payload, const lsx_token *t)
{
    index_ctx *c = payload;
    char buf[LSX_MAX_WORD_BYTES * 2 + 8];
    unsigned pos = c->pos_base + t->pos;
    c->words++;
    if (pos > c->last_pos)
        c->last_pos = pos;
    if (c->wdf > 0) {
        c->rc = xs_doc_add_posting(c->doc, t->term, t->term_len, pos, c->wdf, c->err, sizeof c->err);
        if (c->rc != LSX_OK)
            return 1;
        c->postings++;
    }
    if (c->title) {
        size_t n = lsx__prefixed(buf, sizeof buf, LSX_PFX(TITLE), t->term, t->term_len);
        if (n && (c->rc = xs_doc_add_posting(c->doc, buf, n, pos, 1, c->err, sizeof c->err)) != LSX_OK)
            return 1;
        c->postings++;
    }
    /* Diacritics were folded away: keep the exact spelling (no positions),
     * weighted as the word is (a query with diacritics ranks by it alone). */
    if (lsx__has_spelling(t->term, t->term_len, t->exact, t->exact_len)) {
        size_t n = lsx__prefixed(buf, sizeof buf, LSX_PFX(EXACT), t->exact, t->exact_len);
        if (n && (c->rc = xs_doc_add_term(c->doc, buf, n, c->wdf, c->err, sizeof c->err)) != LSX_OK)
            return 1;
    }
    return 0;
}

static bool valid_lang(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 12)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '-' || s[i] == '_'))
            return false;
    return true;
}

static int add_bool(xs_doc *doc, const char *prefix, const char *text, size_t len, char *err)
{
    char buf[256];
    size_t n = lsx__prefixed(buf, sizeof buf, prefix, text, len);
    if (!n)
        return LSX_OK; /* too long to be a term: skip rather than fail the article */
    return xs_doc_add_boolean(doc, buf, n, err, LSX_ERRLEN);
}

/* Build the document for one article into `doc`; *postings counts its
 * positional postings. */
static int build_doc(lsx_analyzer *an, lsx_extractor *ex, unsigned title_wdf, const lsx_article *a,
                     const char *lang, const char *date, lsx_date_source dsrc, xs_doc *doc,
                     size_t *postings, char *err)
{
    size_t body_len = a->body_len ? a->body_len : strlen(a->body);
    const char *title = a->title ? a->title : "";
    index_ctx c = {.doc = doc, .wdf = title_wdf, .title = true, .rc = LSX_OK};

    int rc = lsx_analyze(an, lang, title, strlen(title), index_token, &c);
    if (rc == LSX_OK) {
        c.title = false;
        c.wdf = 1;
        c.pos_base = c.last_pos + LSX_POS_GAP;
        rc = lsx_analyze(an, lang, a->body, lsx_content_end(a->body, body_len), index_token, &c);
    }
    if (c.rc != LSX_OK)
        return lsx__seterr(err, c.rc, "%s", c.err);
    if (rc < 0)
        return lsx__seterr(err, rc, "analysis failed: %s", lsx_analyzer_errmsg(an));
    *postings = c.postings;
    char words[24];
    int wn = snprintf(words, sizeof words, "%zu", c.words);
    if ((rc = xs_doc_set_value(doc, LSX_SLOT_WORDS, words, (size_t)wn, err, LSX_ERRLEN)) != LSX_OK)
        return rc;

    if ((rc = add_bool(doc, LSX_PFX(ID), a->id, strlen(a->id), err)) != LSX_OK ||
        (rc = add_bool(doc, LSX_PFX(LANG), lang, strlen(lang), err)) != LSX_OK)
        return rc;
    if (date) {
        char ymd[9];
        memcpy(ymd, date, 4);
        memcpy(ymd + 4, date + 5, 2);
        memcpy(ymd + 6, date + 8, 2);
        ymd[8] = '\0';
        if ((rc = add_bool(doc, LSX_PFX(YEAR), ymd, 4, err)) != LSX_OK ||
            (rc = add_bool(doc, LSX_PFX(MONTH), ymd, 6, err)) != LSX_OK ||
            (rc = add_bool(doc, LSX_PFX(DAY), ymd, 8, err)) != LSX_OK ||
            (rc = xs_doc_set_value(doc, LSX_SLOT_DATE, ymd, 8, err, LSX_ERRLEN)) != LSX_OK)
            return rc;
        lsx_when w;
        char key[15];
        size_t kn = lsx__when_canonical(date, &w) ? lsx__when_sortkey(&w, key) : 0;
        char desc[16];
        if (kn && ((rc = xs_doc_set_value(doc, LSX_SLOT_DATETIME, key, kn, err, LSX_ERRLEN)) != LSX_OK ||
                   (rc = xs_doc_set_value(doc, LSX_SLOT_DATE_DESC, desc, lsx__date_desc(key, kn, desc), err,
                                          LSX_ERRLEN)) != LSX_OK))
            return rc;
    }

    /* Entities: boolean filter terms, the facet value, and the record's list. */
    lsx_entity_list ents = {0};
    rc = lsx_extract_entities(ex, lang, title, a->body, body_len, &ents, err);
    lsx_buf facet = {0}, stored = {0};
    for (size_t i = 0; rc == LSX_OK && i < ents.n; i++) {
        const lsx_entity *e = &ents.items[i];
        size_t idlen = strlen(e->id);
        if (idlen == 0 || idlen > LSX_MAX_ID_BYTES)
            continue;
        /* XE terms carry the mention count as wdf, so a query word that is an
         * alias of the entity ("Vietnam" for "Việt Nam") also scores. */
        char term[LSX_MAX_ID_BYTES + 8];
        size_t tn = lsx__prefixed(term, sizeof term, LSX_PFX(ENTITY), e->id, idlen);
        rc = xs_doc_add_term(doc, term, tn, e->count ? e->count : 1, err, LSX_ERRLEN);
        const char *tp = lsx__schema_entity_prefix(e->type);
        if (rc == LSX_OK && tp)
            rc = add_bool(doc, tp, e->id, idlen, err);
        lsx_buf_putc(&facet, (char)e->type);
        lsx_buf_append(&facet, e->id, idlen);
        lsx_buf_putc(&facet, '\n');
        lsx_buf_printf(&stored, "%c%s\t%s\t%u\n", (char)e->type, e->id, e->name ? e->name : e->id, e->count);
    }
    lsx_entity_list_clear(&ents);
    if (rc == LSX_OK && (facet.oom || stored.oom))
        rc = lsx__seterr(err, LSX_ENOMEM, "out of memory");
    if (rc == LSX_OK && facet.len)
        rc = xs_doc_set_value(doc, LSX_SLOT_ENTITIES, facet.data, facet.len, err, LSX_ERRLEN);

    if (rc == LSX_OK) {
        lsx_record rec = {
            .id = (char *)a->id, .title = (char *)title, .date = (char *)(date ? date : ""),
            .lang = (char *)lang, .source = (char *)(a->source ? a->source : ""),
            .date_source = dsrc,
        };
        char *blob = NULL, *zbody = NULL;
        size_t blen = 0, zlen = 0;
        rc = lsx_record_encode(&rec, &blob, &blen, err);
        if (rc == LSX_OK)
            rc = xs_doc_set_data(doc, blob, blen, err, LSX_ERRLEN);
        if (rc == LSX_OK)
            rc = xs_doc_set_value(doc, LSX_SLOT_ID, a->id, strlen(a->id), err, LSX_ERRLEN);
        if (rc == LSX_OK && stored.len)
            rc = xs_doc_set_value(doc, LSX_SLOT_ENTITY_NAMES, stored.data, stored.len, err, LSX_ERRLEN);
        if (rc == LSX_OK)
            rc = lsx_body_encode(a->body, body_len, &zbody, &zlen, err);
        if (rc == LSX_OK)
            rc = xs_doc_set_value(doc, LSX_SLOT_BODY, zbody, zlen, err, LSX_ERRLEN);
        free(blob);
        free(zbody);
        *postings += (blen + zlen + stored.len) / 8;   /* stored data, in posting-sized units */
    }
    lsx_buf_free(&facet);
    lsx_buf_free(&stored);
    return rc;
}

bool lsx__article_read(lsx_article *dst, const lsx_article *src)
{
    /* ends[v - 1]: the end of the last field of version v */
    static const size_t ends[] = {LSX__END(lsx_article, source)};
    char err[LSX_ERRLEN];
    memset(dst, 0, sizeof *dst);
    if (src && lsx__read_versioned(dst, src, ends, LSX_ARTICLE_VERSION, "lsx_article", err) == LSX_OK)
        return true;
    dst->version = 0;   /* refused by lsx__check_id */
    return false;
}

int lsx__check_id(const lsx_article *a, char *err)
{
    if (!a || a->version == 0 || a->version > LSX_ARTICLE_VERSION)
        return lsx__seterr(err, LSX_EINVAL, "article: missing or unsupported lsx_article version");
    if (!a->id || !*a->id)
        return lsx__seterr(err, LSX_EINVAL, "article%s%s: field id is empty",
                           a->source ? " at " : "", a->source ? a->source : "");
    if (strlen(a->id) > LSX_MAX_ID_BYTES)
        return lsx__seterr(err, LSX_EINVAL, "article '%.40s...': field id is longer than %d bytes",
                           a->id, LSX_MAX_ID_BYTES);
    for (const unsigned char *p = (const unsigned char *)a->id; *p; p++)
        if (*p <= ' ' || *p == 0x7F)
            return lsx__seterr(err, LSX_EINVAL, "article '%.60s': field id contains white space or a "
                               "control character (ids must be usable in TREC run files; the readers "
                               "percent-encode them)", a->id);
    return LSX_OK;
}

int lsx__db_build(lsx_analyzer *an, lsx_extractor *ex, unsigned title_wdf, const lsx_article *a,
                  lsx_built *out, char *err)
{
    memset(out, 0, sizeof *out);
    int rc = lsx__check_id(a, err);
    if (rc != LSX_OK)
        return rc;
    if (!a->body)
        return lsx__seterr(err, LSX_EINVAL, "article '%s': field body is missing", a->id);
    size_t body_len = a->body_len ? a->body_len : strlen(a->body);

    const char *lang = a->lang && *a->lang ? a->lang : lsx_detect_language(a->body, body_len);
    const lsx__lang *known = lsx__lang_find(lang, (size_t)-1);
    if (known)
        lang = known->code;       /* "EN", "en-GB", "ind", "fil": the registry's code */
    if (!valid_lang(lang))
        return lsx__seterr(err, LSX_EINVAL, "article '%s': field lang '%s' is not a language code", a->id, lang);

    char found[11];
    const char *date = NULL;
    lsx_date_source dsrc = LSX_DATE_NONE;
    char canon[LSX_DATE_MAX];
    if (a->date && *a->date) {
        lsx_when w;
        if (!lsx__when_canonical(a->date, &w) || !lsx__when_format(&w, canon))
            return lsx__seterr(err, LSX_EINVAL, "article '%s': field date '%s' is not a valid "
                               "YYYY-MM-DD date (or YYYY-MM-DDThh:mm[:ss] with Z or +hh:mm)",
                               a->id, a->date);
        date = canon;
        dsrc = a->date_source != LSX_DATE_NONE ? a->date_source : LSX_DATE_HEADER;
    } else {
        dsrc = lsx_find_date(lang, a->title, a->body, body_len, found);
        if (dsrc != LSX_DATE_NONE)
            date = found;
        if (a->date_source == LSX_DATE_UNREADABLE)
            dsrc = LSX_DATE_UNREADABLE;   /* the header was there: say so, whatever the text gave */
    }

    char why[LSX_ERRLEN] = "";
    size_t postings = 0;
    rc = xs_doc_new(&out->doc, why, sizeof why);
    if (rc == LSX_OK)
        rc = build_doc(an, ex, title_wdf, a, lang, date, dsrc, out->doc, &postings, why);
    if (rc != LSX_OK) {
        xs_doc_free(out->doc);
        out->doc = NULL;
        return lsx__seterr(err, rc, "article '%s': %s", a->id, why);
    }
    out->idterm_len = lsx__prefixed(out->idterm, sizeof out->idterm, LSX_PFX(ID), a->id, strlen(a->id));
    /* What the document will hold in Xapian's pending batch: per distinct
     * term a posting-list entry, a term-list entry and a position list
     * (map nodes and strings), plus the positions and the stored record
     * (counted into `postings` above). */
    out->bytes = 256 + 96 * xs_doc_term_count(out->doc) + 8 * postings;
    return LSX_OK;
}

void lsx__built_clear(lsx_built *b)
{
    xs_doc_free(b->doc);
    b->doc = NULL;
}

int lsx__db_put(lsx_db *db, const lsx_built *b, int *replaced)
{
    char err[LSX_ERRLEN] = "";
    int rc = lsx__db_write_begin(db);
    if (rc != LSX_OK)
        return rc;
    if (!db->in_txn) {
        rc = xs_db_begin(db->x, err, sizeof err);
        if (rc != LSX_OK) {
            lsx__db_write_end(db);
            return lsx__seterr(db->err, rc, "cannot start a batch: %s", err);
        }
        db->in_txn = true;
        db->pending = 0;
    }
    rc = xs_db_replace(db->x, b->idterm, b->idterm_len, b->doc, replaced, err, sizeof err);
    lsx__db_write_end(db);
    if (rc != LSX_OK)
        return lsx__seterr(db->err, rc, "article '%s': %s", b->idterm + strlen(LSX_PFX(ID)), err);
    if (++db->pending >= db->opts.batch_size)
        return lsx__db_commit(db);
    return LSX_OK;
}

int lsx_db_add(lsx_db *db, const lsx_article *article, int *replaced)
{
    if (replaced)
        *replaced = 0;
    lsx_article art, *a = &art;     /* the caller's version, read as this one */
    lsx__article_read(&art, article);
    int rc = need_writable(db, "add");
    if (rc == LSX_OK)
        rc = lsx__check_id(a, db->err);
    if (rc != LSX_OK)
        return rc;
    lsx_analyzer *an = lsx__db_analyzer(db);
    lsx_extractor *ex = an ? lsx__db_extractor(db) : NULL;
    if (!an || !ex)
        return LSX_ERROR;
    lsx_built b;
    rc = lsx__db_build(an, ex, db->title_wdf, a, &b, db->err);
    if (rc == LSX_OK)
        rc = lsx__db_put(db, &b, replaced);
    lsx__built_clear(&b);
    return rc;
}

int lsx_db_delete(lsx_db *db, const char *id)
{
    int rc = need_writable(db, "delete");
    if (rc != LSX_OK)
        return rc;
    if (!id || !*id || strlen(id) > LSX_MAX_ID_BYTES)
        return lsx__seterr(db->err, LSX_EINVAL, "delete: invalid id");
    char idterm[LSX_MAX_ID_BYTES + 2], err[LSX_ERRLEN];
    size_t n = lsx__prefixed(idterm, sizeof idterm, LSX_PFX(ID), id, strlen(id));
    if ((rc = lsx__db_write_begin(db)) != LSX_OK)
        return rc;
    rc = xs_db_delete(db->x, idterm, n, err, sizeof err);
    lsx__db_write_end(db);
    if (rc == LSX_ENOTFOUND)
        return lsx__seterr(db->err, rc, "no document with id '%s'", id);
    return rc == LSX_OK ? LSX_OK : set_from_shim(db, rc, "delete failed", err);
}

/* ---- stats ----------------------------------------------------------------- */

static void ymd_to_iso(const char *t, char out[11])
{
    /* t is "D20220216" */
    snprintf(out, 11, "%.4s-%.2s-%.2s", t + 1, t + 5, t + 7);
}

static int stats_once(lsx_db *db, lsx_db_stats *out);

int lsx_db_stats_get(lsx_db *db, lsx_db_stats *out)
{
    int rc;
    unsigned attempt = 0;
    do {
        lsx__db_read_begin(db);
        rc = stats_once(db, out);
        lsx__db_read_end(db);
    } while (rc != LSX_OK && lsx__db_retry(db, rc, &attempt));
    return rc;
}

int lsx_db_leftovers(lsx_db *db, uint64_t *count, uint64_t *bytes, uint64_t *removed_count,
                     uint64_t *removed_bytes)
{
    uint64_t c = 0, b = 0;
    int rc = LSX_OK;
    if (!db)
        return LSX_EINVAL;
    /* While a writer holds the lock, what is there may be its work. */
    if (db->path && db->lock_fd < 0 && !lsx__dir_writer_active(db->path)) {
        char err[LSX_ERRLEN];
        rc = lsx__dir_leftovers(db->path, false, &c, &b, err);
        if (rc != LSX_OK)
            lsx__seterr(db->err, rc, "%s", err);
    }
    if (count)
        *count = c;
    if (bytes)
        *bytes = b;
    if (removed_count)
        *removed_count = db->removed_count;
    if (removed_bytes)
        *removed_bytes = db->removed_bytes;
    return rc;
}

static int stats_once(lsx_db *db, lsx_db_stats *out)
{
    /* The first release's struct ends with last_date; later fields are
     * written only when the caller's size has room for them. */
    if (!out || out->size < LSX__END(lsx_db_stats, last_date))
        return lsx__seterr(db->err, LSX_EINVAL, "lsx_db_stats: size %zu is too small (set it with LSX_DB_STATS_INIT)",
                           out ? out->size : (size_t)0);
    lsx_db_stats st;
    memset(&st, 0, sizeof st);
    char err[LSX_ERRLEN];
    int rc = xs_db_doccount(db->x, &st.documents, err, sizeof err);
    if (rc == LSX_OK)
        rc = xs_db_count_terms(db->x, "", 0, &st.terms, err, sizeof err);
    uint64_t words = 0, counted = 0;
    if (rc == LSX_OK)
        rc = xs_db_value_sum(db->x, LSX_SLOT_WORDS, &words, &counted, err, sizeof err);
    if (rc == LSX_OK && counted)
        st.avg_words = (double)words / (double)counted;
    char first[64], last[64];
    int found = 0;
    if (rc == LSX_OK)
        rc = xs_db_term_range(db->x, LSX_PFX(DAY), LSX_PFX_LEN(DAY), first, last, sizeof first, &found, err, sizeof err);
    if (rc == LSX_OK && found && strlen(first) == 9 && strlen(last) == 9) {
        ymd_to_iso(first, st.first_date);
        ymd_to_iso(last, st.last_date);
    }
    if (rc == LSX_OK && found) {
        /* Documents with a date = matches of an open value range on the date slot. */
        xs_query *q = xs_query_value_range(LSX_SLOT_DATE, "0", "");
        xs_mset *m = NULL;
        xs_search_params p = {.first = 0, .maxitems = 0, .checkatleast = (unsigned)st.documents,
                              .k1 = LSX_DEFAULT_K1, .b = LSX_DEFAULT_B};
        rc = q ? xs_search(db->x, q, &p, &m, err, sizeof err) : LSX_ENOMEM;
        if (rc == LSX_OK)
            st.dated = xs_mset_matches_estimated(m);
        xs_mset_free(m);
        xs_query_free(q);
    }
    if (rc != LSX_OK)
        return set_from_shim(db, rc, "stats", err);
    if (db->path) {
        /* The local shards' live files, without leftovers (a shard is a
         * database directory or a generation; remote shards' sizes are not
         * known here). */
        for (size_t i = 0, n = xs_db_shard_count(db->x); i < n; i++) {
            const char *name = xs_db_shard_name(db->x, i);
            st.disk_bytes += lsx__dir_live_bytes(name ? name : db->path);
        }
    }
    st.size = out->size;
    memcpy(out, &st, out->size < sizeof st ? out->size : sizeof st);
    return LSX_OK;
}

int lsx_db_lang_count(lsx_db *db, const char *lang, uint64_t *count)
{
    if (!count || !lang || !*lang)
        return lsx__seterr(db->err, LSX_EINVAL, "lsx_db_lang_count: no language or no output");
    *count = 0;
    char term[64];
    size_t n = lsx__prefixed(term, sizeof term, LSX_PFX(LANG), lang, strlen(lang));
    if (n == 0)
        return LSX_OK; /* longer than any language code stored */
    char err[LSX_ERRLEN];
    int rc;
    unsigned attempt = 0;
    do {
        lsx__db_read_begin(db);
        rc = xs_db_termfreq(db->x, term, n, count, err, sizeof err);
        lsx__db_read_end(db);
    } while (rc != LSX_OK && lsx__db_retry(db, rc, &attempt));
    return rc == LSX_OK ? LSX_OK : set_from_shim(db, rc, "language count", err);
}

static int collect_lang(void *payload, const char *rest, size_t len, uint64_t freq)
{
    lsx_db *db = payload;
    if (db->nlangs == db->langs_cap) {
        size_t cap = db->langs_cap ? 2 * db->langs_cap : 8;
        struct lsx_lang_entry *p = realloc(db->langs, cap * sizeof *p);
        if (!p)
            return LSX_ENOMEM;
        db->langs = p;
        db->langs_cap = cap;
    }
    char *code = lsx_strndup(rest, len);
    if (!code)
        return LSX_ENOMEM;
    db->langs[db->nlangs++] = (struct lsx_lang_entry){code, freq};
    return 0;
}

int lsx_db_lang_at(lsx_db *db, size_t i, const char **lang, uint64_t *count)
{
    if (!lang || !count)
        return lsx__seterr(db->err, LSX_EINVAL, "lsx_db_lang_at: no output");
    if (i == 0) {
        char err[LSX_ERRLEN];
        int rc;
        unsigned attempt = 0;
        do {
            langs_clear(db);
            lsx__db_read_begin(db);
            rc = xs_db_prefix_terms(db->x, LSX_PFX(LANG), strlen(LSX_PFX(LANG)), collect_lang, db, err, sizeof err);
            lsx__db_read_end(db);
        } while (rc != LSX_OK && lsx__db_retry(db, rc, &attempt));
        if (rc == LSX_ENOMEM)
            return lsx__seterr(db->err, LSX_ENOMEM, "out of memory");
        if (rc != LSX_OK)
            return set_from_shim(db, rc, "languages", err);
    }
    if (i >= db->nlangs)
        return LSX_DONE;
    *lang = db->langs[i].code;
    *count = db->langs[i].count;
    return LSX_OK;
}

int lsx_db_compact(lsx_db *db, const char *dest)
{
    int rc = not_attached(db, "compact");
    if (rc != LSX_OK)
        return rc;
    if (!dest || !*dest)
        return lsx__seterr(db->err, LSX_EINVAL, "compact: no destination directory");
    char err[LSX_ERRLEN];
    rc = xs_db_compact(db->x, dest, err, sizeof err);
    return rc == LSX_OK ? LSX_OK : set_from_shim(db, rc, "compact", err);
}

/* ---- stored documents ------------------------------------------------------------ */

struct lsx_doc {
    lsx_record rec;
    lsx_entity *ents;
    size_t nents;
    char err[LSX_ERRLEN];
};

/* Parse "<type><id>\t<name>\t<count>\n" lines in place. */
static int parse_entities(lsx_doc *d)
{
    char *s = d->rec.entities;
    size_t n = 0;
    for (char *p = s; p && *p; p++)
        if (*p == '\n')
            n++;
    if (n == 0)
        return LSX_OK;
    d->ents = calloc(n, sizeof *d->ents);
    if (!d->ents)
        return LSX_ENOMEM;
    char *line = s;
    while (line && *line && d->nents < n) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        char *t1 = strchr(line, '\t');
        char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (t1 && t2 && t1 > line) {
            *t1 = *t2 = '\0';
            lsx_entity *e = &d->ents[d->nents++];
            e->type = (lsx_entity_type)line[0];
            e->id = line + 1;
            e->name = t1 + 1;
            e->count = (unsigned)strtoul(t2 + 1, NULL, 10);
        }
        line = nl ? nl + 1 : NULL;
    }
    return LSX_OK;
}

static int get_once(lsx_db *db, const char *id, lsx_doc **out);

int lsx_db_get(lsx_db *db, const char *id, lsx_doc **out)
{
    int rc;
    unsigned attempt = 0;
    do {
        lsx__db_read_begin(db);
        rc = get_once(db, id, out);
        lsx__db_read_end(db);
    } while (rc != LSX_OK && lsx__db_retry(db, rc, &attempt));
    return rc;
}

static int get_once(lsx_db *db, const char *id, lsx_doc **out)
{
    *out = NULL;
    if (!id || !*id || strlen(id) > LSX_MAX_ID_BYTES)
        return lsx__seterr(db->err, LSX_EINVAL, "get: invalid id");
    char idterm[LSX_MAX_ID_BYTES + 2], err[LSX_ERRLEN];
    size_t n = lsx__prefixed(idterm, sizeof idterm, LSX_PFX(ID), id, strlen(id));
    char *data = NULL;
    size_t dlen = 0;
    int rc = xs_db_get_data(db->x, idterm, n, &data, &dlen, err, sizeof err);
    if (rc == LSX_ENOTFOUND)
        return lsx__seterr(db->err, rc, "no document with id '%s'", id);
    if (rc != LSX_OK)
        return set_from_shim(db, rc, "get", err);
    lsx_doc *d = calloc(1, sizeof *d);
    if (!d) {
        free(data);
        return lsx__seterr(db->err, LSX_ENOMEM, "out of memory");
    }
    rc = lsx_record_decode(data, dlen, &d->rec, err);
    free(data);
    if (rc == LSX_OK) {
        char *zbody = NULL;
        size_t zlen = 0;
        rc = xs_db_get_value(db->x, idterm, n, LSX_SLOT_BODY, &zbody, &zlen, err, sizeof err);
        if (rc == LSX_OK)
            rc = lsx_record_set_body(&d->rec, zbody, zlen, err);
        free(zbody);
    }
    if (rc == LSX_OK && !d->rec.entities) {
        char *list = NULL;
        size_t llen = 0;
        rc = xs_db_get_value(db->x, idterm, n, LSX_SLOT_ENTITY_NAMES, &list, &llen, err, sizeof err);
        if (rc == LSX_OK)
            rc = lsx_record_set_entities(&d->rec, list, llen, err);
        free(list);
    }
    if (rc == LSX_OK)
        rc = parse_entities(d);
    if (rc != LSX_OK) {
        lsx_doc_free(d);
        return lsx__seterr(db->err, rc, "document '%s': %s", id, rc == LSX_ENOMEM ? "out of memory" : err);
    }
    *out = d;
    return LSX_OK;
}

void lsx_doc_free(lsx_doc *d)
{
    if (!d)
        return;
    lsx_record_clear(&d->rec);
    free(d->ents);
    free(d);
}

const char *lsx_doc_id(const lsx_doc *d) { return d->rec.id ? d->rec.id : ""; }
const char *lsx_doc_title(const lsx_doc *d) { return d->rec.title ? d->rec.title : ""; }
const char *lsx_doc_date(const lsx_doc *d) { return d->rec.date ? d->rec.date : ""; }
lsx_date_source lsx_doc_date_source(const lsx_doc *d) { return d->rec.date_source; }
const char *lsx_doc_lang(const lsx_doc *d) { return d->rec.lang ? d->rec.lang : ""; }
const char *lsx_doc_source(const lsx_doc *d) { return d->rec.source ? d->rec.source : ""; }
size_t lsx_doc_entity_count(const lsx_doc *d) { return d->nents; }

const lsx_entity *lsx_doc_entity(const lsx_doc *d, size_t i)
{
    return i < d->nents ? &d->ents[i] : NULL;
}

const char *lsx_doc_body(lsx_doc *d, size_t *len)
{
    if (len)
        *len = d->rec.body_len;
    return d->rec.body;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * indexer.c - bulk indexing with threads (lsx_indexer; see libsearch.h).
 *
 * Two modes, chosen when the indexer is made:
 *
 * SHARDS (the database is empty and on disk).  Worker i owns an analyzer,
 * an extractor and a private Xapian database DIR/.lsx-build/shard-i opened
 * without fsync.  The caller's thread copies each article into a job and
 * routes it by a 64-bit hash of its id to one worker's queue, so every
 * version of an id lands in the same shard, in input order.  A set of the
 * hashes seen so far tells the worker whether the id may already be in its
 * shard: if not, the document is added without the unique-term lookup
 * (xs_db_add); if so, it replaces by id (xs_db_replace, exact, and it
 * tells whether a document was replaced).  A hash collision only costs a
 * lookup.  Shards flush (commit, no fsync) every `batch_size` documents or
 * when the estimated memory of their pending documents reaches
 * SHARD_FLUSH_BYTES (or their share of the budget): Xapian's inverter is
 * far cheaper per document on small batches than on big ones (its maps stay
 * in cache), so small batches are faster as well as smaller.  Documents are
 * renumbered by the merge, so docids follow shard order, not input order
 * (scores do not depend on docids; only the order of equal scores does).
 * lsx_indexer_finish merges the shards with Xapian's
 * compactor into DIR/.lsx-build/merged, installs it as the database of DIR
 * with one atomic switch (lsx__dir_install in dbdir.c: a new generation
 * DIR/gen-N named by the stub DIR/XAPIANDB), and reopens the lsx_db on
 * the result.
 *
 * WRITER (anything else).  Workers take jobs from one queue, analyse them
 * (each with its own analyzer and extractor) and leave the built document
 * in the job; one writer thread applies the documents in input order with
 * lsx__db_put (replace by id, batches of `batch_size`, as lsx_db_add), and
 * also commits early when the pending documents pass WRITER_FLUSH_BYTES or
 * the memory budget.  Analysers wait while the built documents waiting for
 * the writer fill the queue budget (they are much bigger than articles).
 *
 * In both modes jobs sit in a ring indexed by sequence number until their
 * result has been delivered, in order, to the on_result callback in the
 * caller's thread.  The caller waits while the ring is full or the bytes
 * in flight pass the queue budget, so memory stays bounded.
 *
 * Locking: one mutex (ix->mu) guards the queues, the ring, job states, the
 * counters and the fatal status.  Analysis and Xapian writes run outside
 * it.  A worker's analyzer, extractor and shard are its own; the lsx_db is
 * used by the writer thread only (writer mode) or by the caller's thread
 * only before the workers start and after they are joined (shard mode).
 */
#include "private.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define JOBS_PER_THREAD 1024    /* in-flight jobs per worker (ring size) */
#define MB ((size_t)1 << 20)
/* A shard flushes when its pending documents reach this estimate (or its
 * share of the budget, if smaller).  Measured with one thread on
 * reuters21578 and vntc (CPU seconds, best of 3): 2 MB 8.5/3.0, 4 MB
 * 7.9/2.9, 8 MB 7.6/2.8, 16 MB 8.4/3.5, one 1000-document batch (11-46 MB)
 * 9.4/4.6: Xapian's inverter keeps its maps in cache on small batches. */
#define SHARD_FLUSH_BYTES (8 * MB)
/* The writer's batches are transactions committed with fsync, so fewer of
 * them pay; but big ones are slow for the same reason as shards (vntc, two
 * threads, one batch per budget: 39 CPU seconds at 6 MB, 62 at 58 MB). */
#define WRITER_FLUSH_BYTES (16 * MB)
/* lsx_built.bytes estimates what a document adds to Xapian's pending batch;
 * the Xapian::Document itself, waiting for the writer, takes about three
 * times that (a map node, a string and a position vector per term): measured
 * as peak RSS against the budget on vntc. */
#define DOC_OBJECT_FACTOR 3

typedef enum job_state { JOB_QUEUED, JOB_ANALYSED, JOB_DONE } job_state;

typedef struct job {
    struct job *next;          /* in a queue */
    uint64_t seq;
    size_t bytes;              /* memory counted in ix->inflight (article copy + built doc) */
    size_t held;               /* writer mode: the built document's share of `bytes` */
    bool maybe_dup;            /* shards: the id may already be in the shard */
    lsx_article a;             /* its strings point into the same allocation */
    lsx_built built;           /* writer mode: analysed, waiting for the writer */
    job_state state;
    int status;                /* LSX_OK or why the article was not indexed */
    int replaced;
    char *msg;                 /* malloc'd when status != LSX_OK (NULL if out of memory) */
} job;

typedef struct queue {
    job *head, *tail;
} queue;

typedef struct worker {
    lsx_indexer *ix;
    unsigned index;
    pthread_t thread;
    bool started;
    lsx_analyzer *an;
    lsx_extractor *ex;
    /* shard mode */
    queue q;
    pthread_cond_t cv;         /* q got a job, or the indexer is closing */
    bool cv_init;
    xs_db *shard;
    char *shard_path;
    size_t pending_bytes;      /* estimate of the shard's unflushed documents */
    unsigned pending_docs;
    bool failed;               /* the shard hit a fatal error */
} worker;

struct lsx_indexer {
    lsx_db *db;
    lsx_indexer_options opts;
    unsigned nthreads;
    bool sharded;
    unsigned title_wdf;
    unsigned batch_docs;       /* flush every this many documents */
    size_t queue_budget;       /* bytes of jobs in flight */
    size_t write_budget;       /* bytes of unflushed documents (per shard in shard mode) */
    char *build_dir;           /* shard mode: DIR/.lsx-build */

    pthread_mutex_t mu;
    pthread_cond_t done_cv;    /* jobs reached JOB_DONE: see job_done() */
    pthread_cond_t work_cv;    /* writer mode: work queue got a job, or closing */
    pthread_cond_t write_cv;   /* writer mode: a job was analysed, or closing */
    bool sync_init;
    bool closing;

    queue work;                /* writer mode: jobs to analyse */
    job **ring;                /* jobs in flight, at seq % ring_cap */
    size_t ring_cap;
    uint64_t next_seq;         /* seq of the next article added */
    uint64_t deliver_seq;      /* next result to deliver */
    uint64_t write_seq;        /* writer mode: next job to write */
    size_t inflight;           /* bytes of jobs in flight */
    size_t analysed;           /* writer mode: bytes of built documents waiting for the writer */
    uint64_t ndone;            /* jobs that reached JOB_DONE so far */
    uint64_t wake_at;          /* signal done_cv when ndone reaches it (0: nobody waits) */

    worker *w;
    unsigned nworkers;         /* created (with analyzer and extractor) */
    pthread_t writer;
    bool writer_started;
    size_t writer_pending;     /* writer mode: estimated bytes of the open batch */

    uint64_t *seen;            /* shard mode: open-addressing set of id hashes (0 = empty) */
    size_t seen_cap, seen_n;

    int fatal;                 /* first fatal status, under mu */
    char fatal_msg[LSX_ERRLEN];
    bool finished;
    int finish_rc;
    char err[LSX_ERRLEN];      /* for lsx_indexer_errmsg (caller's thread) */
};

/* ---- small helpers ------------------------------------------------------- */

static void q_push(queue *q, job *j)
{
    j->next = NULL;
    if (q->tail)
        q->tail->next = j;
    else
        q->head = j;
    q->tail = j;
}

static job *q_pop(queue *q)
{
    job *j = q->head;
    if (j) {
        q->head = j->next;
        if (!q->head)
            q->tail = NULL;
        j->next = NULL;
    }
    return j;
}

static void job_free(job *j)
{
    if (!j)
        return;
    lsx__built_clear(&j->built);
    free(j->msg);
    free(j);
}

/* 64-bit FNV-1a with a final avalanche (splitmix64), never 0. */
static uint64_t id_hash(const char *s)
{
    uint64_t h = 14695981039346656037ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 31;
    return h ? h : 1;
}

/* Insert h into the seen set; true if it was there already.  On allocation
 * failure it answers true (the id is then treated as a possible duplicate,
 * which is always correct, only slower). */
static bool seen_insert(lsx_indexer *ix, uint64_t h)
{
    if (2 * (ix->seen_n + 1) > ix->seen_cap) {
        size_t cap = ix->seen_cap ? 2 * ix->seen_cap : 1024;
        uint64_t *t = calloc(cap, sizeof *t);
        if (!t)
            return true;
        for (size_t i = 0; i < ix->seen_cap; i++) {
            uint64_t v = ix->seen[i];
            if (!v)
                continue;
            size_t k = (size_t)v & (cap - 1);
            while (t[k])
                k = (k + 1) & (cap - 1);
            t[k] = v;
        }
        free(ix->seen);
        ix->seen = t;
        ix->seen_cap = cap;
    }
    size_t k = (size_t)h & (ix->seen_cap - 1);
    while (ix->seen[k]) {
        if (ix->seen[k] == h)
            return true;
        k = (k + 1) & (ix->seen_cap - 1);
    }
    ix->seen[k] = h;
    ix->seen_n++;
    return false;
}

/* A malloc'd copy of the article: one allocation for the job and its strings. */
static job *job_new(const lsx_article *article)
{
    lsx_article art, *a = &art;     /* the caller's version, read as this one */
    lsx__article_read(&art, article);
    const char *fields[6] = { a->id, a->title, a->date, a->lang, a->source, NULL };
    size_t lens[6] = { 0 };
    size_t body_len = a->body ? (a->body_len ? a->body_len : strlen(a->body)) : 0;
    size_t total = sizeof(job);
    for (int i = 0; i < 5; i++) {
        if (fields[i]) {
            lens[i] = strlen(fields[i]);
            total += lens[i] + 1;
        }
    }
    if (a->body)
        total += body_len + 1;
    job *j = malloc(total);
    if (!j)
        return NULL;
    memset(j, 0, sizeof *j);
    j->a = *a;
    char *p = (char *)(j + 1);
    const char **dst[5] = { &j->a.id, &j->a.title, &j->a.date, &j->a.lang, &j->a.source };
    for (int i = 0; i < 5; i++) {
        if (!fields[i])
            continue;
        memcpy(p, fields[i], lens[i] + 1);
        *dst[i] = p;
        p += lens[i] + 1;
    }
    if (a->body) {
        memcpy(p, a->body, body_len);
        p[body_len] = '\0';
        j->a.body = p;
        j->a.body_len = body_len;
    }
    j->bytes = total;
    return j;
}

static void job_fail(job *j, int status, const char *msg)
{
    j->status = status;
    free(j->msg);
    j->msg = lsx_strdup(msg);
}

/* Record the first fatal error (call with ix->mu held). */
static void set_fatal(lsx_indexer *ix, int status, const char *msg)
{
    if (ix->fatal == LSX_OK) {
        ix->fatal = status < 0 ? status : LSX_ERROR;
        lsx__seterr(ix->fatal_msg, LSX_ERROR, "%s", msg);
    }
}

static void fatal_locked(lsx_indexer *ix, int status, const char *msg)
{
    pthread_mutex_lock(&ix->mu);
    set_fatal(ix, status, msg);
    pthread_mutex_unlock(&ix->mu);
}

/* A job that was not indexed because an earlier fatal error stopped the writer or shard. */
static void job_skipped_by_fatal(lsx_indexer *ix, job *j)
{
    char msg[LSX_ERRLEN];
    pthread_mutex_lock(&ix->mu);
    int st = ix->fatal != LSX_OK ? ix->fatal : LSX_ERROR;
    lsx__seterr(msg, LSX_ERROR, "article '%.200s': not indexed: %s", j->a.id ? j->a.id : "",
             ix->fatal_msg);
    pthread_mutex_unlock(&ix->mu);
    job_fail(j, st, msg);
}

/* Mark a job done (mu held).  The caller's thread waits for results in
 * bulk (see wait_for_results): waking it for every job would preempt the
 * workers tens of thousands of times. */
static void job_done(lsx_indexer *ix, job *j)
{
    j->state = JOB_DONE;
    ix->ndone++;
    if (ix->wake_at && ix->ndone >= ix->wake_at) {
        ix->wake_at = 0;
        pthread_cond_signal(&ix->done_cv);
    }
}

/* Wait (mu held) until a good share of the jobs in flight are done: an
 * eighth of the ring, or all of them if fewer are left. */
static void wait_for_results(lsx_indexer *ix)
{
    uint64_t undone = ix->next_seq - ix->ndone;   /* jobs not yet done */
    if (undone == 0)
        return;
    uint64_t step = ix->ring_cap / 8 ? ix->ring_cap / 8 : 1;
    ix->wake_at = ix->ndone + (undone < step ? undone : step);
    while (ix->wake_at)
        pthread_cond_wait(&ix->done_cv, &ix->mu);
}

/* ---- shard workers ---------------------------------------------------------- */

static void shard_flush(worker *w, bool force)
{
    lsx_indexer *ix = w->ix;
    if (w->failed || w->pending_docs == 0)
        return;
    if (!force && w->pending_docs < ix->batch_docs && w->pending_bytes < ix->write_budget)
        return;
    char err[LSX_ERRLEN], msg[LSX_ERRLEN];
    int rc = xs_db_commit(w->shard, err, sizeof err);
    w->pending_docs = 0;
    w->pending_bytes = 0;
    if (rc != LSX_OK) {
        w->failed = true;
        lsx__seterr(msg, LSX_ERROR, "cannot write shard %s: %s", w->shard_path, err);
        fatal_locked(ix, rc, msg);
    }
}

static void shard_job(worker *w, job *j)
{
    lsx_indexer *ix = w->ix;
    if (w->failed) {
        job_skipped_by_fatal(ix, j);
        return;
    }
    char err[LSX_ERRLEN] = "";
    lsx_built b;
    int rc = lsx__db_build(w->an, w->ex, ix->title_wdf, &j->a, &b, err);
    if (rc == LSX_ENOMEM) {
        fatal_locked(ix, rc, err);
        job_fail(j, rc, err);
        return;
    }
    if (rc != LSX_OK) {            /* this article only */
        job_fail(j, rc, err);
        return;
    }
    char why[LSX_ERRLEN] = "";
    if (j->maybe_dup)
        rc = xs_db_replace(w->shard, b.idterm, b.idterm_len, b.doc, &j->replaced, why, sizeof why);
    else
        rc = xs_db_add(w->shard, b.idterm, b.idterm_len, b.doc, why, sizeof why);
    size_t bytes = b.bytes;
    lsx__built_clear(&b);
    if (rc != LSX_OK) {
        char msg[LSX_ERRLEN];
        lsx__seterr(msg, LSX_ERROR, "cannot write shard %s: %s", w->shard_path, why);
        w->failed = true;
        fatal_locked(ix, rc, msg);
        lsx__seterr(msg, LSX_ERROR, "article '%.200s': not indexed: cannot write shard %s: %s",
                 j->a.id, w->shard_path, why);
        job_fail(j, rc, msg);
        return;
    }
    w->pending_docs++;
    w->pending_bytes += bytes;
    shard_flush(w, false);
}

static void *shard_main(void *arg)
{
    worker *w = arg;
    lsx_indexer *ix = w->ix;
    pthread_mutex_lock(&ix->mu);
    for (;;) {
        while (!w->q.head && !ix->closing)
            pthread_cond_wait(&w->cv, &ix->mu);
        job *j = q_pop(&w->q);
        if (!j)
            break;
        pthread_mutex_unlock(&ix->mu);
        shard_job(w, j);
        pthread_mutex_lock(&ix->mu);
        job_done(ix, j);
    }
    pthread_mutex_unlock(&ix->mu);
    shard_flush(w, true);
    return NULL;
}

/* ---- writer mode: analysers and the writer ------------------------------ */

static void *analyse_main(void *arg)
{
    worker *w = arg;
    lsx_indexer *ix = w->ix;
    pthread_mutex_lock(&ix->mu);
    for (;;) {
        /* Built documents are several times bigger than articles: wait while
         * those waiting for the writer fill the queue budget, unless this is
         * the job the writer waits for. */
        while (ix->work.head ? ix->analysed >= ix->queue_budget && ix->work.head->seq != ix->write_seq
                             : !ix->closing)
            pthread_cond_wait(&ix->work_cv, &ix->mu);
        job *j = q_pop(&ix->work);
        if (!j)
            break;
        pthread_mutex_unlock(&ix->mu);
        char err[LSX_ERRLEN] = "";
        int rc = lsx__db_build(w->an, w->ex, ix->title_wdf, &j->a, &j->built, err);
        if (rc != LSX_OK)
            job_fail(j, rc, err);
        if (rc == LSX_ENOMEM)
            fatal_locked(ix, rc, err);
        size_t held = DOC_OBJECT_FACTOR * j->built.bytes;
        pthread_mutex_lock(&ix->mu);
        j->bytes += held;
        j->held = held;
        ix->inflight += held;
        ix->analysed += held;
        j->state = JOB_ANALYSED;
        if (j->seq == ix->write_seq)
            pthread_cond_signal(&ix->write_cv);
    }
    pthread_mutex_unlock(&ix->mu);
    return NULL;
}

static void *writer_main(void *arg)
{
    lsx_indexer *ix = arg;
    lsx_db *db = ix->db;
    bool failed = false;
    pthread_mutex_lock(&ix->mu);
    for (;;) {
        job *j = NULL;
        for (;;) {
            if (ix->write_seq < ix->next_seq) {
                j = ix->ring[ix->write_seq % ix->ring_cap];
                if (j->state == JOB_ANALYSED)
                    break;
                j = NULL;
            } else if (ix->closing) {
                break;
            }
            pthread_cond_wait(&ix->write_cv, &ix->mu);
        }
        if (!j)
            break;
        pthread_mutex_unlock(&ix->mu);
        if (j->status == LSX_OK && failed) {
            job_skipped_by_fatal(ix, j);
        } else if (j->status == LSX_OK) {
            int rc = lsx__db_put(db, &j->built, &j->replaced);
            if (rc == LSX_OK && db->pending > 0) {
                ix->writer_pending += j->built.bytes;
                if (ix->writer_pending >= ix->write_budget)
                    rc = lsx__db_commit(db);
            }
            if (db->pending == 0)
                ix->writer_pending = 0;
            if (rc != LSX_OK) {
                failed = true;
                fatal_locked(ix, rc, db->err);
                job_fail(j, rc, db->err);
            }
        }
        lsx__built_clear(&j->built);
        pthread_mutex_lock(&ix->mu);
        job_done(ix, j);
        ix->write_seq++;
        ix->analysed -= j->held;
        pthread_cond_signal(&ix->work_cv);    /* an analyser may be waiting for room */
    }
    pthread_mutex_unlock(&ix->mu);
    return NULL;
}

/* ---- delivering results -------------------------------------------------- */

/* Deliver the results that are ready, in order (caller's thread, mu not held). */
static void deliver(lsx_indexer *ix)
{
    for (;;) {
        job *ready[64];
        size_t n = 0;
        pthread_mutex_lock(&ix->mu);
        while (n < 64 && ix->deliver_seq < ix->next_seq) {
            job **slot = &ix->ring[ix->deliver_seq % ix->ring_cap];
            if ((*slot)->state != JOB_DONE)
                break;
            ready[n++] = *slot;
            ix->inflight -= (*slot)->bytes;
            *slot = NULL;
            ix->deliver_seq++;
        }
        pthread_mutex_unlock(&ix->mu);
        for (size_t i = 0; i < n; i++) {
            job *j = ready[i];
            if (ix->opts.on_result) {
                lsx_index_result r = {
                    .seq = j->seq, .id = j->a.id ? j->a.id : "",
                    .source = j->a.source ? j->a.source : "", .status = j->status,
                    .replaced = j->status == LSX_OK ? j->replaced : 0,
                    .message = j->status == LSX_OK ? "" : j->msg ? j->msg : lsx_status_str(j->status),
                };
                ix->opts.on_result(ix->opts.payload, &r);
            }
            job_free(j);
        }
        if (n < 64)
            return;
    }
}

/* ---- creating ------------------------------------------------------------ */

static int setup_shards(lsx_indexer *ix)
{
    lsx_db *db = ix->db;
    char err[LSX_ERRLEN];
    if (!(ix->build_dir = lsx__path_join(db->path, LSX_BUILD_DIR)))
        return lsx__seterr(ix->err, LSX_ENOMEM, "out of memory");
    /* A build that was interrupted leaves its shards behind: the write lock
     * we hold says nobody is using them. */
    if (lsx__remove_tree(ix->build_dir) != 0)
        return lsx__seterr(ix->err, LSX_EIO, "cannot remove the old build directory %s: %s",
                           ix->build_dir, strerror(errno));
    if (mkdir(ix->build_dir, 0777) != 0)
        return lsx__seterr(ix->err, LSX_EIO, "cannot make the build directory %s: %s",
                           ix->build_dir, strerror(errno));
    for (unsigned i = 0; i < ix->nthreads; i++) {
        worker *w = &ix->w[i];
        char name[32];
        snprintf(name, sizeof name, "shard-%u", i);
        if (!(w->shard_path = lsx__path_join(ix->build_dir, name)))
            return lsx__seterr(ix->err, LSX_ENOMEM, "out of memory");
        int rc = xs_db_open(&w->shard, w->shard_path,
                            XS_OPEN_WRITE | XS_OPEN_CREATE | XS_OPEN_OVERWRITE | XS_OPEN_NO_SYNC,
                            err, sizeof err);
        if (rc == LSX_OK)
            rc = xs_db_set_metadata(w->shard, LSX_SCHEMA_KEY, LSX_SCHEMA_VERSION,
                                    strlen(LSX_SCHEMA_VERSION), err, sizeof err);
        if (rc != LSX_OK)
            return lsx__seterr(ix->err, rc, "cannot create shard %s: %s", w->shard_path, err);
    }
    return LSX_OK;
}

static unsigned online_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        return 1;
    return n > LSX_MAX_THREADS ? LSX_MAX_THREADS : (unsigned)n;
}

/* ends[v - 1]: the end of the last field of version v */
static const size_t indexer_options_ends[] = {LSX__END(lsx_indexer_options, payload)};

int lsx_indexer_options_init(lsx_indexer_options *opts, unsigned version)
{
    const lsx_indexer_options d = {.version = LSX_INDEXER_OPTIONS_VERSION, .memory_mb = LSX_DEFAULT_MEMORY_MB};
    return lsx__init_versioned(opts, &d, indexer_options_ends, LSX_INDEXER_OPTIONS_VERSION, version);
}

static int check_options(lsx_indexer *ix, const lsx_indexer_options *opts)
{
    lsx_indexer_options o;
    lsx_indexer_options_init(&o, LSX_INDEXER_OPTIONS_VERSION);
    if (opts) {
        int rc = lsx__read_versioned(&o, opts, indexer_options_ends, LSX_INDEXER_OPTIONS_VERSION,
                                     "lsx_indexer_options", ix->err);
        if (rc != LSX_OK)
            return rc;
    }
    if (o.threads > LSX_MAX_THREADS)
        return lsx__seterr(ix->err, LSX_EINVAL, "threads must be from 1 to %d (0: one per CPU), not %u",
                           LSX_MAX_THREADS, o.threads);
    if (o.threads == 0)
        o.threads = online_cpus();
    if (o.memory_mb == 0)
        o.memory_mb = LSX_DEFAULT_MEMORY_MB;
    unsigned long min_mb = LSX_MIN_MEMORY_MB + (unsigned long)LSX_MEMORY_MB_PER_THREAD * o.threads;
    if (o.memory_mb < min_mb)
        return lsx__seterr(ix->err, LSX_EINVAL,
                           "memory_mb must be at least %lu for %u thread%s (%d + %d per thread), not %u",
                           min_mb, o.threads, o.threads == 1 ? "" : "s", LSX_MIN_MEMORY_MB,
                           LSX_MEMORY_MB_PER_THREAD, o.memory_mb);
    if ((uint64_t)o.memory_mb * MB > SIZE_MAX / 2)
        return lsx__seterr(ix->err, LSX_EINVAL, "memory_mb %u is too large for this machine",
                           o.memory_mb);
    ix->opts = o;
    ix->nthreads = o.threads;
    return LSX_OK;
}

/* Tell every thread that no more work will come, and wake them all. */
static void close_and_wake(lsx_indexer *ix)
{
    pthread_mutex_lock(&ix->mu);
    ix->closing = true;
    pthread_cond_broadcast(&ix->work_cv);
    pthread_cond_broadcast(&ix->write_cv);
    for (unsigned i = 0; i < ix->nworkers; i++)
        if (ix->w[i].cv_init)
            pthread_cond_broadcast(&ix->w[i].cv);
    pthread_mutex_unlock(&ix->mu);
}

/* Stop and join the threads started so far (used when creation fails). */
static void stop_threads(lsx_indexer *ix)
{
    if (!ix->sync_init)
        return;
    close_and_wake(ix);
    for (unsigned i = 0; i < ix->nworkers; i++) {
        if (ix->w[i].started) {
            pthread_join(ix->w[i].thread, NULL);
            ix->w[i].started = false;
        }
    }
    if (ix->writer_started) {
        pthread_join(ix->writer, NULL);
        ix->writer_started = false;
    }
}

int lsx_indexer_new(lsx_indexer **out, lsx_db *db, const lsx_indexer_options *opts)
{
    if (!out)
        return LSX_EINVAL;
    *out = NULL;
    lsx_indexer *ix = calloc(1, sizeof *ix);
    if (!ix)
        return LSX_ENOMEM;
    *out = ix;
    ix->finished = true;       /* nothing to finish until the threads run */
    int rc = check_options(ix, opts);
    if (rc != LSX_OK)
        return rc;
    if (!db || !db->x)
        return lsx__seterr(ix->err, LSX_EINVAL, "lsx_indexer_new: no open database");
    if (!xs_db_is_writable(db->x))
        return lsx__seterr(ix->err, LSX_EREADONLY, "lsx_indexer_new: the database was opened read-only");
    if (db->indexer)
        return lsx__seterr(ix->err, LSX_EINVAL, "lsx_indexer_new: the database is in use by another indexer");

    char err[LSX_ERRLEN];
    uint64_t ndocs = 0;
    if ((rc = xs_db_doccount(db->x, &ndocs, err, sizeof err)) != LSX_OK)
        return lsx__seterr(ix->err, rc, "cannot read database %s: %s", db->path ? db->path : "(memory)", err);
    ix->db = db;
    ix->sharded = db->path && !(db->flags & LSX_DB_INMEMORY) && ndocs == 0 && !db->in_txn &&
                  xs_db_shard_count(db->x) == 1 && !xs_db_is_remote(db->x);
    /* The handle's own pending writes (metadata set before the indexer)
     * must reach the old files now: committed after the install, they
     * would be written over the new index with the old one's block
     * numbers (DatabaseCorruptError "Expected block 2 to be level 0"). */
    if (ix->sharded && (rc = lsx__db_write_begin(db)) != LSX_OK)
        return lsx__seterr(ix->err, rc, "%s", db->err);
    if (ix->sharded) {
        rc = xs_db_commit(db->x, err, sizeof err);
        lsx__db_write_end(db);
        if (rc != LSX_OK)
            return lsx__seterr(ix->err, rc, "cannot commit to %s: %s", db->path, err);
    }
    ix->title_wdf = db->title_wdf;
    ix->batch_docs = db->opts.batch_size ? db->opts.batch_size : LSX_DEFAULT_BATCH_SIZE;

    /* The budget: a fixed share per thread (analyzer, extractor, Xapian's
     * block caches and zlib streams, the thread's malloc arena) is left
     * out; of the rest, by our estimates, a twelfth is for jobs in flight
     * and a quarter for unflushed documents.  The rest is slack for what the
     * estimates miss (allocator overhead and fragmentation): with these
     * shares the peak RSS measured on vntc stayed within the budget. */
    size_t usable = ((size_t)ix->opts.memory_mb - (size_t)LSX_MEMORY_MB_PER_THREAD * ix->nthreads) * MB;
    ix->queue_budget = usable / 12;
    ix->write_budget = usable / 4;
    if (ix->sharded) {
        ix->write_budget /= ix->nthreads;
        if (ix->write_budget > SHARD_FLUSH_BYTES)
            ix->write_budget = SHARD_FLUSH_BYTES;
    } else if (ix->write_budget > WRITER_FLUSH_BYTES) {
        ix->write_budget = WRITER_FLUSH_BYTES;
    }
    ix->ring_cap = (size_t)JOBS_PER_THREAD * ix->nthreads;

    if (!(ix->ring = calloc(ix->ring_cap, sizeof *ix->ring)) ||
        !(ix->w = calloc(ix->nthreads, sizeof *ix->w)))
        return lsx__seterr(ix->err, LSX_ENOMEM, "out of memory");
    ix->nworkers = ix->nthreads;
    for (unsigned i = 0; i < ix->nthreads; i++) {
        worker *w = &ix->w[i];
        w->ix = ix;
        w->index = i;
        if ((rc = lsx_analyzer_new(&w->an)) != LSX_OK)
            return lsx__seterr(ix->err, rc, "cannot create an analyzer: %s",
                               w->an ? lsx_analyzer_errmsg(w->an) : lsx_status_str(rc));
        if ((rc = lsx_extractor_new(&w->ex, NULL, err)) != LSX_OK)
            return lsx__seterr(ix->err, rc, "cannot load the gazetteer: %s", err);
    }
    if (ix->sharded && (rc = setup_shards(ix)) != LSX_OK)
        return rc;

    if (pthread_mutex_init(&ix->mu, NULL) != 0)
        return lsx__seterr(ix->err, LSX_ERROR, "cannot create a mutex");
    if (pthread_cond_init(&ix->done_cv, NULL) != 0 || pthread_cond_init(&ix->work_cv, NULL) != 0 ||
        pthread_cond_init(&ix->write_cv, NULL) != 0) {
        /* pthread_cond_init does not fail on Linux; keep the error path simple. */
        pthread_mutex_destroy(&ix->mu);
        return lsx__seterr(ix->err, LSX_ERROR, "cannot create a condition variable");
    }
    ix->sync_init = true;
    for (unsigned i = 0; i < ix->nthreads; i++) {
        worker *w = &ix->w[i];
        if (ix->sharded) {
            if (pthread_cond_init(&w->cv, NULL) != 0) {
                stop_threads(ix);
                return lsx__seterr(ix->err, LSX_ERROR, "cannot create a condition variable");
            }
            w->cv_init = true;
        }
        int e = pthread_create(&w->thread, NULL, ix->sharded ? shard_main : analyse_main, w);
        if (e != 0) {
            stop_threads(ix);
            return lsx__seterr(ix->err, e == EAGAIN ? LSX_ENOMEM : LSX_ERROR,
                               "cannot start worker thread %u: %s", i, strerror(e));
        }
        w->started = true;
    }
    if (!ix->sharded) {
        int e = pthread_create(&ix->writer, NULL, writer_main, ix);
        if (e != 0) {
            stop_threads(ix);
            return lsx__seterr(ix->err, e == EAGAIN ? LSX_ENOMEM : LSX_ERROR,
                               "cannot start the writer thread: %s", strerror(e));
        }
        ix->writer_started = true;
    }
    db->indexer = ix;
    ix->finished = false;
    return LSX_OK;
}

/* ---- adding ------------------------------------------------------------- */

int lsx_indexer_add(lsx_indexer *ix, const lsx_article *a)
{
    if (!ix)
        return LSX_EINVAL;
    if (ix->finished)
        return lsx__seterr(ix->err, LSX_EINVAL, "lsx_indexer_add: the indexer is finished");
    if (!a)
        return lsx__seterr(ix->err, LSX_EINVAL, "lsx_indexer_add: no article");
    job *j = job_new(a);
    if (!j) {
        fatal_locked(ix, LSX_ENOMEM, "out of memory");
        return lsx__seterr(ix->err, LSX_ENOMEM, "out of memory");
    }
    char err[LSX_ERRLEN];
    int idrc = lsx__check_id(&j->a, err);

    /* Wait for room, delivering results meanwhile. */
    for (;;) {
        deliver(ix);
        pthread_mutex_lock(&ix->mu);
        if (ix->fatal != LSX_OK) {
            int st = ix->fatal;
            lsx__seterr(ix->err, st, "%s", ix->fatal_msg);
            pthread_mutex_unlock(&ix->mu);
            job_free(j);
            return st;
        }
        bool ring_full = ix->next_seq - ix->deliver_seq >= ix->ring_cap;
        bool over = ix->inflight > 0 && ix->inflight + j->bytes > ix->queue_budget;
        if (!ring_full && !over)
            break;
        /* Something is in flight: wait for it (results may then be ready). */
        job *head = ix->ring[ix->deliver_seq % ix->ring_cap];
        if (!head || head->state != JOB_DONE)
            wait_for_results(ix);
        pthread_mutex_unlock(&ix->mu);
    }

    /* ix->mu is held. */
    j->seq = ix->next_seq;
    ix->ring[j->seq % ix->ring_cap] = j;
    ix->inflight += j->bytes;
    if (idrc != LSX_OK) {
        job_fail(j, idrc, err);
        ix->next_seq++;
        if (ix->sharded) {
            job_done(ix, j);
        } else {
            j->state = JOB_ANALYSED;          /* the writer passes it, in order */
            pthread_cond_signal(&ix->write_cv);
        }
    } else if (ix->sharded) {
        uint64_t h = id_hash(j->a.id);
        worker *w = &ix->w[(h >> 32) % ix->nthreads];
        j->maybe_dup = seen_insert(ix, h);
        ix->next_seq++;
        q_push(&w->q, j);
        pthread_cond_signal(&w->cv);
    } else {
        ix->next_seq++;
        q_push(&ix->work, j);
        pthread_cond_signal(&ix->work_cv);
    }
    pthread_mutex_unlock(&ix->mu);
    return LSX_OK;
}

/* ---- finishing ------------------------------------------------------------ */

/* Merge the shards and install the result in the database (shard mode). */
static int merge_shards(lsx_indexer *ix)
{
    lsx_db *db = ix->db;
    char err[LSX_ERRLEN];
    uint64_t total = 0;
    const char **paths = calloc(ix->nthreads, sizeof *paths);
    if (!paths)
        return lsx__seterr(ix->err, LSX_ENOMEM, "out of memory");
    for (unsigned i = 0; i < ix->nthreads; i++) {
        worker *w = &ix->w[i];
        uint64_t n = 0;
        if (w->shard && xs_db_doccount(w->shard, &n, err, sizeof err) == LSX_OK)
            total += n;
        xs_db_free(w->shard);       /* commits what a healthy shard still holds */
        w->shard = NULL;
        paths[i] = w->shard_path;
    }
    int rc = LSX_OK;
    if (total > 0) {
        char *merged = lsx__path_join(ix->build_dir, "merged");
        if (!merged)
            rc = lsx__seterr(ix->err, LSX_ENOMEM, "out of memory");
        if (rc == LSX_OK && (rc = xs_db_merge(paths, ix->nthreads, merged, 0, err, sizeof err)) != LSX_OK)
            lsx__seterr(ix->err, rc, "cannot merge the shards into %s: %s", merged, err);
        lsx__crash_point("install-merged");
        bool installed = false;
        if (rc == LSX_OK) {
            /* Close our handle on the old (empty) database: the install
             * removes it.  The directory lock keeps other writers out. */
            xs_db_free(db->x);
            db->x = NULL;
            if ((rc = lsx__dir_install(db->path, merged, err)) != LSX_OK)
                lsx__seterr(ix->err, rc, "cannot install the new index in %s: %s", db->path, err);
            installed = rc == LSX_OK;
        }
        free(merged);
        if (!db->x) {
            /* Reopen on whichever database the directory now holds. */
            unsigned xf = XS_OPEN_WRITE | ((db->flags & LSX_DB_WAIT_LOCK) ? XS_OPEN_WAIT_LOCK : 0);
            int orc = xs_db_open(&db->x, db->path, xf, err, sizeof err);
            /* A new revision, so that readers' reopen notices the change. */
            if (orc == LSX_OK && lsx__db_write_begin(db) != LSX_OK)
                lsx__seterr(err, (orc = LSX_EIO), "%s", db->err);
            if (orc == LSX_OK)
                orc = lsx__db_write_schema(db, db->x, 0, err);
            if (orc == LSX_OK)
                orc = xs_db_commit(db->x, err, sizeof err);
            lsx__db_write_end(db);
            if (orc != LSX_OK && rc == LSX_OK)
                rc = lsx__seterr(ix->err, orc, "the new index is installed in %s, but reopening it failed: %s",
                                 db->path, err);
            else if (orc != LSX_OK) {
                char first[LSX_ERRLEN];
                memcpy(first, ix->err, sizeof first);
                lsx__seterr(ix->err, rc, "%.250s (then reopening failed: %.200s)", first, err);
            }
        }
        if (installed)
            lsx__crash_point("install-reopened");
    }
    free(paths);
    if (rc == LSX_OK && lsx__remove_tree(ix->build_dir) != 0)
        rc = lsx__seterr(ix->err, LSX_EIO, "cannot remove the build directory %s: %s", ix->build_dir,
                         strerror(errno));
    return rc;
}

int lsx_indexer_finish(lsx_indexer *ix)
{
    if (!ix)
        return LSX_EINVAL;
    if (ix->finished)
        return ix->finish_rc;     /* its message is still in ix->err */
    ix->finished = true;

    close_and_wake(ix);

    /* Deliver every result. */
    for (;;) {
        deliver(ix);
        pthread_mutex_lock(&ix->mu);
        bool all = ix->deliver_seq == ix->next_seq;
        if (!all) {
            job *head = ix->ring[ix->deliver_seq % ix->ring_cap];
            if (!head || head->state != JOB_DONE)
                wait_for_results(ix);
        }
        pthread_mutex_unlock(&ix->mu);
        if (all)
            break;
    }
    stop_threads(ix);          /* all idle now: joins them */

    int rc = LSX_OK;
    if (ix->sharded) {
        rc = merge_shards(ix);
    } else {
        rc = lsx__db_commit(ix->db);
        if (rc != LSX_OK)
            lsx__seterr(ix->err, rc, "%s", ix->db->err);
    }
    ix->db->indexer = NULL;
    if (ix->fatal != LSX_OK) {
        /* The first fatal error is the one to report; a later one may be its consequence. */
        if (rc != LSX_OK) {
            char then[LSX_ERRLEN];
            memcpy(then, ix->err, sizeof then);
            lsx__seterr(ix->err, ix->fatal, "%s (then: %s)", ix->fatal_msg, then);
        } else
            lsx__seterr(ix->err, ix->fatal, "%s", ix->fatal_msg);
        rc = ix->fatal;
    }
    ix->finish_rc = rc;
    return rc;
}

void lsx_indexer_free(lsx_indexer *ix)
{
    if (!ix)
        return;
    if (!ix->finished)
        (void)lsx_indexer_finish(ix);
    stop_threads(ix);
    /* Jobs still in the ring belong to a failed lsx_indexer_new (none) or
     * were delivered; free whatever is left to be safe. */
    if (ix->ring)
        for (size_t i = 0; i < ix->ring_cap; i++)
            job_free(ix->ring[i]);
    free(ix->ring);
    for (unsigned i = 0; i < ix->nworkers; i++) {
        worker *w = &ix->w[i];
        lsx_analyzer_free(w->an);
        lsx_extractor_free(w->ex);
        xs_db_free(w->shard);
        free(w->shard_path);
        if (w->cv_init)
            pthread_cond_destroy(&w->cv);
    }
    free(ix->w);
    if (ix->build_dir) {
        (void)lsx__remove_tree(ix->build_dir);
        free(ix->build_dir);
    }
    free(ix->seen);
    if (ix->sync_init) {
        pthread_cond_destroy(&ix->done_cv);
        pthread_cond_destroy(&ix->work_cv);
        pthread_cond_destroy(&ix->write_cv);
        pthread_mutex_destroy(&ix->mu);
    }
    if (ix->db && ix->db->indexer == ix)
        ix->db->indexer = NULL;
    free(ix);
}

const char *lsx_indexer_errmsg(const lsx_indexer *ix)
{
    return ix ? ix->err : "no indexer handle (out of memory)";
}

unsigned lsx_indexer_threads(const lsx_indexer *ix)
{
    return ix ? ix->nthreads : 0;
}

int lsx_indexer_sharded(const lsx_indexer *ix)
{
    return ix && ix->sharded;
}

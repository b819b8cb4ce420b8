/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dbdir.c - the database directory: its layout, the writers' lock, the
 * atomic install of a new database, and the leftovers of interrupted runs.
 *
 * Layout.  A database directory DIR holds one Xapian glass database in
 * one of two forms:
 *   - plain: DIR/iamglass and the tables DIR/ *.glass (what Xapian makes
 *     when it creates a database; every database starts so);
 *   - generations: DIR/XAPIANDB, a Xapian stub file of one line
 *     "glass gen-N", naming the glass database DIR/gen-N.  Xapian opens
 *     such a directory, for reading and writing, as the database it names.
 * Xapian looks for DIR/iamglass before DIR/XAPIANDB, so while both exist
 * the plain form wins.
 *
 * Install.  A database built elsewhere (the bulk indexer's merge, in
 * DIR/.lsx-build/merged) replaces the database of DIR in steps of which
 * exactly one is the switch, a single rename or unlink; a crash before it
 * leaves the old database, a crash after it the new one, and the steps
 * around it only leave leftovers (below):
 *   1. sync the new database's files;
 *   2. rename it to DIR/gen-N (N one more than the current generation, 1
 *      for a plain directory), sync DIR;
 *   3. write DIR/XAPIANDB.tmp naming gen-N, sync it;
 *   4. rename it to DIR/XAPIANDB, sync DIR: the switch for a directory in
 *      generations;
 *   5. (plain directory only) unlink DIR/iamglass, sync DIR: the switch;
 *   6. remove the old generation (or the plain tables).
 *
 * Lock.  A writer holds an exclusive flock(2) on DIR/.lsx-lock from open
 * to close, besides Xapian's own lock (which is per generation, and so
 * cannot keep a second writer off a generation being replaced).
 *
 * Leftovers (what an interrupted run can leave): DIR/.lsx-build (shards
 * and merged database of a bulk build), DIR/XAPIANDB.tmp, generations
 * other than the current one, and Xapian files that belong to no
 * database (tables beside a stub, or tables without a version file: a
 * database whose creation was interrupted).  A writer removes them when
 * it opens; readers count them (lsx_db_leftovers).  Nothing is counted
 * while a writer holds the lock: what is there may be its work.
 *
 * Readers' lock.  Xapian lets a reader keep reading its revision while a
 * writer makes the next one, and detects a block recycled by the writer
 * after that by its revision number.  That check reads the block's header
 * and body in one read(2), which is not atomic against the writer's
 * write(2) of the same block: a read torn between the two (old header,
 * new items; likely with 8 KB blocks spanning two pages on a loaded
 * machine) passes the check and answers from the wrong items, silently
 * (a term reads as absent: a search beside a writer finds nothing) or as
 * "Expected block N to be level L".  So the writer holds DIR/.lsx-read
 * exclusively during each Xapian call that may write blocks (a
 * document's replace or delete, metadata, a commit, closing; Xapian writes
 * nothing between calls), and readers hold it shared for each open,
 * reopen and read, so no block they read is being written.  Holding it
 * only around those calls, not from a batch's first change to its commit,
 * lets readers in while the writer analyses articles: with a commit every
 * 5 articles a reader otherwise found the lock free only between a commit
 * and the next article's replace, and waited up to its limit.
 * Xapian's revision check still catches blocks recycled between two
 * reads (the library then reopens and retries).  A reader waits at most
 * LSX_READ_LOCK_WAIT_MS and then reads without it.  A waiting writer goes
 * first: readers that come after it wait (the turnstile, below).  A reader
 * handle in the writer's own process takes the lock like any other: it
 * cannot wait for itself, as no read happens inside a write call.
 *
 * Crash points: with LSX_CRASH_AT=STEP in the environment, the process
 * kills itself with SIGKILL when it reaches STEP (tests/reliability).
 */
/* F_OFD_SETLK: open file description locks (Linux 3.15, glibc 2.20). */
#define _GNU_SOURCE
#include "private.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define STUB_NAME "XAPIANDB"
#define STUB_TMP_NAME "XAPIANDB.tmp"
#define GEN_PREFIX "gen-"
#define LOCK_NAME ".lsx-lock"
#define VERSION_NAME "iamglass"
#define READ_LOCK_NAME ".lsx-read"

void lsx__crash_point(const char *step)
{
    const char *at = getenv("LSX_CRASH_AT");
    if (at && strcmp(at, step) == 0)
        raise(SIGKILL);
}

char *lsx__path_join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", a, b);
    return p;
}

static bool exists(const char *dir, const char *name)
{
    char *p = lsx__path_join(dir, name);
    struct stat st;
    bool ok = p && lstat(p, &st) == 0;
    free(p);
    return ok;
}

static int sync_path(const char *path, bool dir)
{
    int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* Size of a tree in bytes (regular files), and optionally remove it. */
static int tree(const char *path, bool remove, uint64_t *bytes)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode)) {
        if (S_ISREG(st.st_mode) && bytes)
            *bytes += (uint64_t)st.st_size;
        return remove ? unlink(path) : 0;
    }
    DIR *d = opendir(path);
    if (!d)
        return -1;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *sub = lsx__path_join(path, e->d_name);
        if (!sub || tree(sub, remove, bytes) != 0)
            rc = -1;
        free(sub);
    }
    closedir(d);
    if (remove && rmdir(path) != 0)
        rc = -1;
    return rc;
}

int lsx__remove_tree(const char *path)
{
    return tree(path, true, NULL);
}

/* "gen-N" with N a positive decimal number: N, else 0. */
static unsigned long gen_number(const char *name)
{
    size_t pl = strlen(GEN_PREFIX);
    if (strncmp(name, GEN_PREFIX, pl) != 0 || !name[pl] || name[pl] == '0')
        return 0;
    char *end;
    errno = 0;
    unsigned long n = strtoul(name + pl, &end, 10);
    return *end || errno ? 0 : n;
}

lsx_dir_form lsx__dir_form(const char *dir, unsigned long *gen)
{
    *gen = 0;
    if (exists(dir, VERSION_NAME))
        return LSX_DIR_PLAIN;
    char *stub = lsx__path_join(dir, STUB_NAME);
    FILE *f = stub ? fopen(stub, "r") : NULL;
    free(stub);
    if (!f)
        return LSX_DIR_NONE;
    char line[128] = "";
    bool got = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    if (got && strncmp(line, "glass ", 6) == 0) {
        line[strcspn(line, "\r\n")] = '\0';
        *gen = gen_number(line + 6);
    }
    /* A stub we did not write: Xapian reads it; we leave it alone. */
    return *gen ? LSX_DIR_GENERATIONS : LSX_DIR_FOREIGN;
}

/* Whether `name` in a directory of this form is a leftover. */
static bool is_leftover(const char *name, lsx_dir_form form, unsigned long gen, bool began)
{
    if (strcmp(name, LSX_BUILD_DIR) == 0 || strcmp(name, STUB_TMP_NAME) == 0)
        return true;
    unsigned long g = gen_number(name);
    if (g)
        return form != LSX_DIR_FOREIGN && g != gen;
    size_t n = strlen(name);
    if (strcmp(name, "flintlock") == 0)
        return form == LSX_DIR_GENERATIONS;   /* the plain database's lock */
    bool xapian_file = (n > 6 && strcmp(name + n - 6, ".glass") == 0) || strcmp(name, "v.tmp") == 0;
    /* Tables beside a stub, or without a version file (in a directory
     * where Xapian began a database: it makes its lock file first). */
    return xapian_file && (form == LSX_DIR_GENERATIONS || (form == LSX_DIR_NONE && began));
}

int lsx__dir_leftovers(const char *dir, bool remove, uint64_t *count, uint64_t *bytes, char *err)
{
    *count = 0;
    *bytes = 0;
    unsigned long gen;
    lsx_dir_form form = lsx__dir_form(dir, &gen);
    bool began = exists(dir, "flintlock");
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? LSX_OK : lsx__seterr(err, LSX_EIO, "cannot read %s: %s", dir, strerror(errno));
    int rc = LSX_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!is_leftover(e->d_name, form, gen, began))
            continue;
        char *p = lsx__path_join(dir, e->d_name);
        if (!p) {
            rc = lsx__seterr(err, LSX_ENOMEM, "out of memory");
            break;
        }
        (*count)++;
        if (tree(p, remove, bytes) != 0 && rc == LSX_OK)
            rc = lsx__seterr(err, LSX_EIO, "cannot %s %s: %s", remove ? "remove" : "read", p,
                             strerror(errno));
        free(p);
    }
    closedir(d);
    return rc;
}

uint64_t lsx__dir_live_bytes(const char *dir)
{
    unsigned long gen;
    lsx_dir_form form = lsx__dir_form(dir, &gen);
    uint64_t total = 0;
    if (form == LSX_DIR_GENERATIONS) {
        char name[32];
        snprintf(name, sizeof name, GEN_PREFIX "%lu", gen);
        char *p = lsx__path_join(dir, name);
        if (p)
            (void)tree(p, false, &total);
        free(p);
        return total;
    }
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || is_leftover(e->d_name, form, gen, false) || gen_number(e->d_name))
            continue;
        char *p = lsx__path_join(dir, e->d_name);
        struct stat st;
        if (p && lstat(p, &st) == 0 && S_ISREG(st.st_mode))
            total += (uint64_t)st.st_size;
        free(p);
    }
    closedir(d);
    return total;
}

int lsx__dir_lock(const char *dir, bool wait, int *fd, char *err)
{
    *fd = -1;
    char *p = lsx__path_join(dir, LOCK_NAME);
    if (!p)
        return lsx__seterr(err, LSX_ENOMEM, "out of memory");
    int f = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (f < 0) {
        int rc = lsx__seterr(err, errno == ENOENT ? LSX_ENOTFOUND : LSX_EIO, "cannot open %s: %s", p,
                             strerror(errno));
        free(p);
        return rc;
    }
    free(p);
    while (flock(f, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
        if (errno == EINTR)
            continue;
        int e = errno;
        close(f);
        if (e == EWOULDBLOCK)
            return lsx__seterr(err, LSX_ELOCKED, "database %s is locked by another writer", dir);
        return lsx__seterr(err, LSX_EIO, "cannot lock database %s: %s", dir, strerror(e));
    }
    *fd = f;
    return LSX_OK;
}

bool lsx__dir_writer_active(const char *dir)
{
    char *p = lsx__path_join(dir, LOCK_NAME);
    int f = p ? open(p, O_RDONLY | O_CLOEXEC) : -1;
    free(p);
    if (f < 0)
        return false;
    bool busy = flock(f, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    close(f);
    return busy;
}

/* fsync every regular file of a directory, then the directory. */
static int sync_dir_files(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_type != DT_REG && e->d_type != DT_UNKNOWN)
            continue;
        char *p = lsx__path_join(dir, e->d_name);
        struct stat st;
        if (!p || (lstat(p, &st) == 0 && S_ISREG(st.st_mode) && sync_path(p, false) != 0))
            rc = -1;
        free(p);
    }
    closedir(d);
    return rc == 0 ? sync_path(dir, true) : rc;
}

int lsx__dir_install(const char *dir, const char *built, char *err)
{
    unsigned long gen;
    lsx_dir_form form = lsx__dir_form(dir, &gen);
    if (form == LSX_DIR_FOREIGN)
        return lsx__seterr(err, LSX_EUNSUPPORTED,
                           "%s/" STUB_NAME " is not a stub libsearch wrote: not replacing it", dir);
    unsigned long next = form == LSX_DIR_GENERATIONS ? gen + 1 : 1;
    char name[32], line[48];
    snprintf(name, sizeof name, GEN_PREFIX "%lu", next);
    snprintf(line, sizeof line, "glass %s\n", name);
    char *target = lsx__path_join(dir, name), *tmp = lsx__path_join(dir, STUB_TMP_NAME), *stub = lsx__path_join(dir, STUB_NAME);
    int rc = LSX_OK;
    if (!target || !tmp || !stub) {
        rc = lsx__seterr(err, LSX_ENOMEM, "out of memory");
        goto out;
    }
    /* 1-2: the new generation, complete on disk, under its final name. */
    if (sync_dir_files(built) != 0) {
        rc = lsx__seterr(err, LSX_EIO, "cannot sync %s: %s", built, strerror(errno));
        goto out;
    }
    if (lsx__remove_tree(target) != 0 || rename(built, target) != 0 || sync_path(dir, true) != 0) {
        rc = lsx__seterr(err, LSX_EIO, "cannot move %s to %s: %s", built, target, strerror(errno));
        goto out;
    }
    lsx__crash_point("install-moved");
    /* 3: the stub naming it. */
    FILE *f = fopen(tmp, "w");
    if (!f || fputs(line, f) == EOF || fflush(f) != 0 || fsync(fileno(f)) != 0) {
        rc = lsx__seterr(err, LSX_EIO, "cannot write %s: %s", tmp, strerror(errno));
        if (f)
            fclose(f);
        goto out;
    }
    if (fclose(f) != 0) {
        rc = lsx__seterr(err, LSX_EIO, "cannot write %s: %s", tmp, strerror(errno));
        goto out;
    }
    lsx__crash_point("install-stub-written");
    /* 4: in place; the switch unless the directory is plain. */
    if (rename(tmp, stub) != 0 || sync_path(dir, true) != 0) {
        rc = lsx__seterr(err, LSX_EIO, "cannot rename %s to %s: %s", tmp, stub, strerror(errno));
        goto out;
    }
    lsx__crash_point("install-stub-renamed");
    if (form == LSX_DIR_PLAIN) {
        /* 5: the switch of a plain directory. */
        char *version = lsx__path_join(dir, VERSION_NAME);
        if (!version || unlink(version) != 0 || sync_path(dir, true) != 0)
            rc = lsx__seterr(err, LSX_EIO, "cannot remove %s/" VERSION_NAME ": %s", dir, strerror(errno));
        free(version);
        if (rc != LSX_OK)
            goto out;
        lsx__crash_point("install-switched");
    }
    /* 6: the old database is now a leftover. */
    uint64_t n, bytes;
    char why[LSX_ERRLEN];
    (void)lsx__dir_leftovers(dir, true, &n, &bytes, why);
    (void)sync_path(dir, true);
    lsx__crash_point("install-cleaned");
out:
    free(target);
    free(tmp);
    free(stub);
    return rc;
}

/* ---- the readers' lock ----------------------------------------------------- */

int lsx__read_lock_open(const char *dir, bool create)
{
    char *p = lsx__path_join(dir, READ_LOCK_NAME);
    if (!p)
        return -1;
    /* A writer needs it open for writing to take a write lock; where it
     * cannot (another user's lock file), it writes without the lock, as a
     * reader reads without it after its wait. */
    int fd = open(p, create ? O_RDWR | O_CREAT | O_CLOEXEC : O_RDONLY | O_CLOEXEC, 0666);
    free(p);
    return fd;
}

/* Two bytes of the file, locked with open file description locks (which,
 * like flock, conflict between two open(2)s of one process and are not
 * lost when another descriptor of the file is closed): byte 0 is a
 * turnstile, byte 1 the lock itself.  A writer takes the turnstile, then
 * the lock; a reader passes the turnstile (takes and drops it, shared),
 * then takes the lock shared.  Without the turnstile, readers that read
 * back to back kept the shared lock held by one of them at every moment
 * and a writer waited for minutes (test-threads: 4 reader threads, 160
 * articles to add, 5 minutes); with it, a waiting writer holds the
 * turnstile and new readers wait behind it. */
enum { TURNSTILE = 0, READ_BYTE = 1 };

static int byte_lock(int fd, short type, off_t at, off_t len, bool wait)
{
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = at, .l_len = len};
    while (fcntl(fd, wait ? F_OFD_SETLKW : F_OFD_SETLK, &fl) != 0)
        if (errno != EINTR)
            return -1;
    return 0;
}

int lsx__read_lock_write(int fd)
{
    if (byte_lock(fd, F_WRLCK, TURNSTILE, 1, true) != 0)
        return -1;
    if (byte_lock(fd, F_WRLCK, READ_BYTE, 1, true) != 0) {
        int e = errno;
        (void)byte_lock(fd, F_UNLCK, TURNSTILE, 1, false);
        errno = e;
        return -1;
    }
    return 0;
}

/* Take `byte` shared (the turnstile: and drop it again) without waiting
 * longer than `deadline`; true if taken. */
static bool read_byte(int fd, off_t byte, const struct timespec *deadline)
{
    unsigned pause_us = 100;
    for (;;) {
        if (byte_lock(fd, F_RDLCK, byte, 1, false) == 0) {
            if (byte == TURNSTILE)
                (void)byte_lock(fd, F_UNLCK, TURNSTILE, 1, false);
            return true;
        }
        if (errno != EAGAIN && errno != EACCES)
            return false;
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec > deadline->tv_sec || (now.tv_sec == deadline->tv_sec && now.tv_nsec >= deadline->tv_nsec))
            return false;
        struct timespec ts = {0, (long)pause_us * 1000L};
        nanosleep(&ts, NULL);
        if (pause_us < 20000)
            pause_us *= 2;
    }
}

bool lsx__read_lock_read(int fd, unsigned wait_ms)
{
    if (fd < 0)
        return false;
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += wait_ms / 1000;
    deadline.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    return read_byte(fd, TURNSTILE, &deadline) && read_byte(fd, READ_BYTE, &deadline);
}

void lsx__read_lock_release(int fd)
{
    if (fd >= 0)
        (void)byte_lock(fd, F_UNLCK, 0, 2, false);
}

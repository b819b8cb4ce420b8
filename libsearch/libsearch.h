/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libsearch.h - full-text search for news articles.
 *
 * libsearch indexes articles (English and Vietnamese, with dates and named
 * entities) into a compressed inverted index, ranks matches with BM25 and
 * counts date and entity facets over the whole match set.  It also reads
 * article files (plain text, TREC SGML, JSON Lines, gzip-compressed or not)
 * and evaluates rankings against relevance judgments like NIST trec_eval.
 *
 * This header is the whole public API.  Every symbol starts with `lsx_`,
 * every macro with `LSX_`.
 *
 * CONVENTIONS
 *
 *   Handles.  All objects are opaque handles created by a `_new` or `_open`
 *   call and released by the matching `_free`, which accepts NULL.
 *
 *   Status.  Every call that can fail returns an `int` status: LSX_OK (0) on
 *   success, LSX_DONE (1) when an iteration is exhausted, or a negative
 *   `lsx_status` code.  The text of the last error is kept in the handle the
 *   call was made on and read with that handle's `_errmsg` function; it stays
 *   valid until the next call on the same handle.  Constructors follow the
 *   SQLite convention: when they fail for any reason except LSX_ENOMEM they
 *   still store a handle in `*out`, which holds the error message; read it,
 *   then free the handle.
 *
 *   Strings are UTF-8 and NUL-terminated unless a length is passed.  Strings
 *   returned by the library are owned by the object they came from and stay
 *   valid until that object is freed (or, for iterators, advanced).  Strings
 *   the caller must free with free() are marked "caller frees".
 *
 *   Options structs carry a `version` field first; initialise them with the
 *   matching `LSX_..._INIT` macro or `lsx_..._init(&opts, LSX_..._VERSION)`
 *   function, then change fields.  The init functions write only the fields
 *   of the version passed (so a program built against an older header gets
 *   its own struct's size filled in) and return LSX_EINVAL for version 0 or
 *   a version newer than the library's.  A NULL options pointer means the defaults.  Tunable defaults
 *   (BM25's k1 and b, feedback, title weight, batch and memory sizes) are
 *   never compiled into the caller: the macros leave those fields at 0 or
 *   LSX_DEFAULT, which the library replaces with its own current default
 *   at run time, and the `_init()` functions fill in the actual numbers.
 *
 * ABI AND VERSIONING
 *
 *   libsearch follows the rules below so that a program built against one
 *   release keeps working, without recompiling, with any later release of
 *   the same shared-object major version (libsearch.so.N).
 *
 *   - Structs the caller allocates and passes in carry their version or
 *     size as the first field: `version` for inputs (lsx_article and the
 *     options structs), `size` for outputs (lsx_db_stats, set by
 *     LSX_DB_STATS_INIT to the caller's sizeof).  New fields are only ever
 *     added at the end, with a new version number.  The library accepts
 *     every version from 1 to the current one, reads only the fields the
 *     caller's version has (later fields take their defaults), and writes
 *     only the bytes the caller's size covers.  A version from the future
 *     is refused with LSX_EINVAL.
 *   - Structs the library allocates (lsx_hit, lsx_facet, lsx_facet_value,
 *     lsx_entity, lsx_token, lsx_qnode, lsx_index_result,
 *     lsx_compare_row) are read through pointers the library returns; they
 *     may grow at the end, so never allocate, copy or index arrays of them
 *     yourself: use the accessors (lsx_results_hit, lsx_facet_value_at, ...).
 *   - Every exported function is declared here and listed in the linker
 *     version script (libsearch.map) under the release that added it;
 *     nothing else is exported.  Internal symbols of the static library
 *     start with `lsx__` (two underscores) and are not part of the API.
 *   - Within one major version functions, enum values and macros are only
 *     added, never removed or changed in meaning.  An incompatible change
 *     raises the major version and the shared object's version (libtool's
 *     -version-info current:revision:age, bumped as libtool documents:
 *     any change of the code raises revision; an added interface raises
 *     current and age and resets revision; a removed or changed interface
 *     raises current, resets revision and age).
 *   - LSX_VERSION_STRING is the one source of the release number:
 *     configure.ac reads it from this header, and a test checks that the
 *     header, lsx_version(), libsearch.pc and the shared object agree.
 *
 *   docs/ABI.md (installed with the documentation) explains the rules with
 *   examples for contributors.
 *
 * THREADS
 *
 *   The library has no global mutable state.  Different handles may be used
 *   from different threads at the same time; one handle (and everything
 *   obtained from it) must not be used from two threads at once.  To search
 *   from several threads, open one lsx_db per thread.  Only one writable
 *   lsx_db may be open on a database directory at a time (across processes);
 *   a second writer gets LSX_ELOCKED.  Readers see the state of the last
 *   commit made before they opened (or last called lsx_db_reopen()).
 */
#ifndef LIBSEARCH_H
#define LIBSEARCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && __GNUC__ >= 4
#  define LSX_EXTERN extern __attribute__((visibility("default")))
#else
#  define LSX_EXTERN extern
#endif

/* ======================================================================
 * Version
 * ====================================================================== */

#define LSX_VERSION_MAJOR 0
#define LSX_VERSION_MINOR 2
#define LSX_VERSION_PATCH 0
#define LSX_VERSION_STRING "0.2.0"

/** The library's version at run time, e.g. "0.2.0" (LSX_VERSION_STRING of the
 *  library actually loaded, which may be newer than the header compiled against). */
LSX_EXTERN const char *lsx_version(void);

/** The version of the Xapian library libsearch is running with, e.g. "1.4.22". */
LSX_EXTERN const char *lsx_xapian_version(void);

/**
 * Value for a double field of an options struct meaning "the library's
 * default" (resolved when the options are used, not when compiled).
 * Any negative value means the same.
 */
#define LSX_DEFAULT (-1.0)

/* ======================================================================
 * Status codes
 * ====================================================================== */

typedef enum lsx_status {
    LSX_OK           =   0,  /**< success */
    LSX_DONE         =   1,  /**< iteration finished; not an error */
    LSX_ERROR        =  -1,  /**< an error with no more specific code */
    LSX_ENOMEM       =  -2,  /**< out of memory */
    LSX_EINVAL       =  -3,  /**< invalid argument (message says which) */
    LSX_ENOTFOUND    =  -4,  /**< no such document, database or file */
    LSX_ELOCKED      =  -5,  /**< database is locked by another writer */
    LSX_EMODIFIED    =  -6,  /**< database changed under a reader: reopen */
    LSX_ECORRUPT     =  -7,  /**< database or stored record is corrupt */
    LSX_EIO          =  -8,  /**< read/write/OS error */
    LSX_EQUERY       =  -9,  /**< query syntax error (see lsx_query_error_offset) */
    LSX_EPARSE       = -10,  /**< malformed input record (file and line in message) */
    LSX_EREADONLY    = -11,  /**< write attempted on a read-only database */
    LSX_EVERSION     = -12,  /**< database was made by an incompatible version */
    LSX_EUNSUPPORTED = -13   /**< feature or format not supported */
} lsx_status;

/** A short static description of a status code, e.g. "database is locked". */
LSX_EXTERN const char *lsx_status_str(int status);

/* ======================================================================
 * Articles
 *
 * An article is what gets indexed: the input record.  The struct is
 * transparent; zero-initialise it with LSX_ARTICLE_INIT and fill the fields.
 * Only `id` and `body` are required.
 * ====================================================================== */

/** Where an article's date came from. */
typedef enum lsx_date_source {
    LSX_DATE_NONE     = 0,  /**< no date known */
    LSX_DATE_HEADER   = 1,  /**< explicit header: ` date ...` line, TREC <DATE>, JSON "date" */
    LSX_DATE_TEXT     = 2,  /**< a full date (with year) found in the text */
    LSX_DATE_INFERRED = 3,  /**< day and month from the text, year inferred nearby */
    LSX_DATE_UNREADABLE = 4 /**< the header held a date that could not be read: the
                             *   date (if any) was then found in the text */
} lsx_date_source;

/** "none", "header", "text", "inferred" or "unreadable-header". */
LSX_EXTERN const char *lsx_date_source_str(lsx_date_source src);

#define LSX_ARTICLE_VERSION 1

typedef struct lsx_article {
    unsigned version;         /**< LSX_ARTICLE_VERSION */
    const char *id;           /**< unique id (required; at most 200 bytes, no white space
                               *   or control bytes, so that it can be written in a TREC run) */
    const char *title;        /**< title, or NULL */
    const char *date;         /**< "YYYY-MM-DD", or with the time of day
                               *   "YYYY-MM-DDThh:mm[:ss]" optionally followed by "Z" or
                               *   "+hh:mm"/"-hh:mm"; NULL to look for one in the text
                               *   (and set date_source LSX_DATE_UNREADABLE when the
                               *   input had a date that could not be read) */
    lsx_date_source date_source; /**< where `date` came from (LSX_DATE_HEADER if set by a reader) */
    const char *lang;         /**< ISO 639-1 code ("en", "vi", "th", ...; see
                               *   lsx_language_at), or NULL to detect */
    const char *body;         /**< body text (required, may be empty) */
    size_t body_len;          /**< bytes in body; 0 means strlen(body) */
    const char *source;       /**< where it came from, e.g. "dir/file.trec:120", or NULL */
} lsx_article;

#define LSX_ARTICLE_INIT { LSX_ARTICLE_VERSION, NULL, NULL, NULL, LSX_DATE_NONE, NULL, NULL, 0, NULL }

/* ======================================================================
 * Analysis
 *
 * The analyzer turns text into index terms.  The same analyzer runs when
 * documents are indexed and when queries are parsed, so a word always
 * produces the same term in both.
 *
 * For each word it produces:
 *   exact  - the word case-folded and NFC-normalised, diacritics kept
 *            ("Việt" -> "việt", "Running" -> "running");
 *   term   - the search form: `exact` with diacritics removed (đ -> d), then
 *            stemmed with the Snowball stemmer of the text's language
 *            ("việt" -> "viet", "running" -> "run"; Vietnamese is not stemmed).
 * Words are maximal runs of letters, marks and digits; an apostrophe between
 * letters stays inside a word; "1.5" and "1,000" stay one word.  Invalid UTF-8
 * bytes are replaced by U+FFFD (a word separator) and counted.  Words longer
 * than LSX_MAX_WORD_BYTES are skipped.
 * ====================================================================== */

#define LSX_MAX_WORD_BYTES 64

typedef struct lsx_analyzer lsx_analyzer;

typedef struct lsx_token {
    const char *term;     /**< search form (folded, stemmed), NUL-terminated */
    size_t term_len;
    const char *exact;    /**< case-folded NFC form with diacritics, NUL-terminated */
    size_t exact_len;
    size_t start, end;    /**< byte offsets of the word in the input text */
    unsigned pos;         /**< word position, from 1 (counts skipped words too) */
    int stopword;         /**< non-zero if `exact` is a stopword of the language */
} lsx_token;

/** Called once per word; return 0 to go on, anything else to stop (returned by lsx_analyze). */
typedef int (*lsx_token_cb)(void *payload, const lsx_token *token);

/** New analyzer (holds the stemmers and buffers). */
LSX_EXTERN int lsx_analyzer_new(lsx_analyzer **out);
LSX_EXTERN void lsx_analyzer_free(lsx_analyzer *a);
LSX_EXTERN const char *lsx_analyzer_errmsg(const lsx_analyzer *a);

/**
 * Split `text` (`len` bytes, or strlen if len is (size_t)-1) into tokens
 * for language `lang` (a registry code, see lsx_language_at, which picks
 * the stemmer and stopwords; NULL means "en"; a code the registry lacks gets
 * neither).  Runs of Thai, Lao, Khmer, Myanmar, Han or kana letters are split
 * into words by ICU's dictionary-based word break iterator, whatever `lang`.
 * Calls `cb` for each token.  Returns LSX_OK, the callback's non-zero value, or an error.
 */
LSX_EXTERN int lsx_analyze(lsx_analyzer *a, const char *lang, const char *text, size_t len,
                           lsx_token_cb cb, void *payload);

/** Invalid UTF-8 bytes replaced during the last lsx_analyze call. */
LSX_EXTERN size_t lsx_analyzer_invalid_bytes(const lsx_analyzer *a);

/**
 * Guess the language of a text (its first 8 KB) with CLD2: the ISO 639-1
 * code of a registry language (see lsx_language_at), or "en" (the default)
 * when CLD2 cannot tell or names a language the registry lacks.  Static
 * string.
 */
LSX_EXTERN const char *lsx_detect_language(const char *text, size_t len);

/**
 * The language registry: the languages the analysis chain knows.  The
 * `i`-th (0-based, in byte order of the code) ISO 639-1 code, or NULL past
 * the last; `*name` (if not NULL) gets its English name.  Every language
 * gets Unicode word splitting and folding; what else each gets is told by
 * the three functions below.  lsx_analyze, lsx_detect_language and the
 * query field lang: know exactly these codes.
 */
LSX_EXTERN const char *lsx_language_at(size_t i, const char **name);
/** The Snowball stemmer (libstemmer's algorithm name) of language `code`, or NULL. */
LSX_EXTERN const char *lsx_language_stemmer(const char *code);
/** How many stopwords language `code` has (0: none, or unknown code). */
LSX_EXTERN size_t lsx_language_stopwords(const char *code);
/** Non-zero if `code`'s script is written without spaces between words, so
 *  that ICU's dictionary-based word break iterator finds them (Thai, Lao,
 *  Khmer, Burmese, Chinese, Japanese).  Segmentation goes by script, so such
 *  text is split in any document. */
LSX_EXTERN int lsx_language_segmented(const char *code);

/** Non-zero if `word` (case-folded, with diacritics) is a stopword of `lang`. */
LSX_EXTERN int lsx_is_stopword(const char *lang, const char *word, size_t len);

/* ======================================================================
 * Readers: article files
 *
 * A reader yields the articles in a file or, recursively and in name order,
 * in a directory.  Formats (details in search-index(1) and README):
 *
 *   text   one article per file.  An optional first line " date DATE TITLE"
 *          gives date and title; otherwise the first non-empty line is the
 *          title.  The rest is the body.
 *   trec   TREC SGML: <DOC><DOCNO>id</DOCNO> ... </DOC>; title from the first
 *          of TI HEADLINE TITLE HL HEAD H3 HEADER, date from DATE or DATE1,
 *          body from TEXT with inner markup (<P>, <LP>, <F P=..>) dropped.
 *   jsonl  JSON Lines, an array of records, one record, or a feed object
 *          with an "articles" (items, data, ...) array; common field names
 *          (id/docno/guid, body/text/content/articleBody, title/headline,
 *          published/pubDate/datePublished/date/publishedAt, url/link,
 *          lang/language); dates as strings or Unix time numbers.
 *   html   one page per file, parsed with libxml2: title from og:title,
 *          <h1> or <title>; date from article:published_time, <time
 *          datetime> or JSON-LD datePublished; body from <article>, <main>
 *          or the page without navigation, headers, footers, scripts,
 *          cookie banners and related-link lists; source from the
 *          canonical link.
 *
 * Header dates are read in ISO 8601, RFC 2822, Unix time, YYYYMMDD, YYMMDD
 * (POSIX %y pivot), YYYY/MM/DD, DD/MM/YYYY, DD-MM-YYYY, English and
 * Vietnamese month-name forms, with the time of day and zone when written;
 * the article's date is then "YYYY-MM-DD" or "YYYY-MM-DDThh:mm:ss[Z|+hh:mm]".
 * A date that cannot be read leaves the date unset with date_source
 * LSX_DATE_UNREADABLE and a warning (lsx_reader_warning); the article is
 * never skipped for an optional field.
 *
 * Any of them may be gzip-compressed (detected by content).  With
 * LSX_FORMAT_AUTO the format is chosen by extension (.txt/.text/.md,
 * .trec/.sgml/.sgm, .jsonl/.json/.ndjson, .html/.htm/.xhtml, each optionally
 * followed by .gz), then by content.  Empty and blank files, and files with
 * no record of the format asked for, give LSX_EPARSE with
 * lsx_reader_skip_kind saying so.
 * ====================================================================== */

typedef enum lsx_format {
    LSX_FORMAT_AUTO  = 0,
    LSX_FORMAT_TEXT  = 1,
    LSX_FORMAT_TREC  = 2,
    LSX_FORMAT_JSONL = 3,   /**< JSON Lines, a JSON array of records, or one object */
    LSX_FORMAT_HTML  = 4
} lsx_format;

/** Why lsx_reader_next last returned LSX_EPARSE. */
typedef enum lsx_skip_kind {
    LSX_SKIP_MALFORMED = 0, /**< a malformed record */
    LSX_SKIP_EMPTY     = 1, /**< a file that is empty or holds only white space */
    LSX_SKIP_NO_RECORD = 2  /**< a file with no record of the format it was read as */
} lsx_skip_kind;

typedef struct lsx_reader lsx_reader;

/**
 * Open a file or directory (or, with a NULL path, an empty reader to which
 * lsx_reader_add adds paths).  A missing path gives LSX_ENOTFOUND.
 *
 * Directories are read recursively in name order.  Hidden files and
 * folders, README files, excluded names and databases (a folder holding a
 * Xapian database, or one given to lsx_reader_skip_dir) are never read.
 * Symbolic links are followed, to files and to folders; a link back to a
 * folder being read is reported as a loop.  A file reached through several
 * paths (or links) is read once.
 *
 * Ids of files.  An article read from a file that gives no id of its own
 * (a text file, an HTML page, a JSON record without "id") gets the file's
 * id: its resolved path (symlinks, "." and ".." resolved, like realpath(3))
 * relative to the id root, without its extensions (".txt", ".html.gz");
 * white space, control bytes and "%" are percent-encoded ("a b.txt" is
 * "a%20b"), so every id can be written in a TREC run.  The id root is the
 * folder opened (for a file, its folder; for a NULL path, the current
 * directory); lsx_reader_set_id_root changes it (search-index keeps one id
 * root per database, see search-index(1)).  A file outside the id root gets
 * its absolute resolved path.  So, for a given id root, a file has the same
 * id however its path is typed.  Records with their own id (TREC DOCNO,
 * JSON "id") keep that id, percent-encoded the same way if it holds white
 * space or control bytes (with a warning).
 */
LSX_EXTERN int lsx_reader_open(lsx_reader **out, const char *path, lsx_format format);
/** Add another file or directory to read (before the first lsx_reader_next). */
LSX_EXTERN int lsx_reader_add(lsx_reader *r, const char *path);
/** Set the id root (see lsx_reader_open); ids of files already listed are recomputed. */
LSX_EXTERN int lsx_reader_set_id_root(lsx_reader *r, const char *dir);
/**
 * Leave out files and folders matching a glob (fnmatch(3)) in paths added
 * afterwards: a glob without "/" is matched against names ("*.bak"), one
 * with "/" against the path below the directory given ("2023/drafts/old.txt").
 */
LSX_EXTERN int lsx_reader_exclude(lsx_reader *r, const char *glob);
/** Never enter this directory in paths added afterwards (e.g. the database). */
LSX_EXTERN int lsx_reader_skip_dir(lsx_reader *r, const char *dir);

/* The files listed, by index from 0 (after open/add, before reading). */
LSX_EXTERN size_t lsx_reader_file_count(const lsx_reader *r);
LSX_EXTERN const char *lsx_reader_file_path(const lsx_reader *r, size_t i);  /**< as found */
LSX_EXTERN const char *lsx_reader_file_real(const lsx_reader *r, size_t i);  /**< resolved */
LSX_EXTERN const char *lsx_reader_file_id(const lsx_reader *r, size_t i);    /**< the file's id */
LSX_EXTERN uint64_t lsx_reader_file_size(const lsx_reader *r, size_t i);
/** Modification time in nanoseconds since the epoch. */
LSX_EXTERN int64_t lsx_reader_file_mtime(const lsx_reader *r, size_t i);
/** A 64-bit checksum of the file's bytes as stored (CRC-32 and Adler-32). */
LSX_EXTERN int lsx_reader_file_hash(lsx_reader *r, size_t i, uint64_t *out);
/** Do not read file i (e.g. it is unchanged since the last run). */
LSX_EXTERN int lsx_reader_file_skip(lsx_reader *r, size_t i);
/** The index of the file the last article or error came from (SIZE_MAX before any). */
LSX_EXTERN size_t lsx_reader_file_current(const lsx_reader *r);
/** Directories given to open/add that held no file to read. */
LSX_EXTERN size_t lsx_reader_empty_dirs(const lsx_reader *r);
LSX_EXTERN void lsx_reader_free(lsx_reader *r);
LSX_EXTERN const char *lsx_reader_errmsg(const lsx_reader *r);

/**
 * Read the next article into `*out` (its strings belong to the reader and
 * are valid until the next call).  Only the fields of version 1 of
 * lsx_article are written (and `version` is set to 1), so an `*out` of any
 * layout works; fields of later versions come from reader accessors.  Returns LSX_OK, LSX_DONE at the end, or:
 *   LSX_EPARSE  a malformed record was skipped; the message names file and
 *               line (or byte offset); call again to go on with the next one;
 *   LSX_EIO     a file could not be read (message names it); call again to
 *               go on with the next file.
 * Other negative codes are fatal for the reader.
 */
LSX_EXTERN int lsx_reader_next(lsx_reader *r, lsx_article *out);

/**
 * Size caps, so that memory stays bounded whatever the input (a 100 MB
 * article, a small .gz that expands to gigabytes).  A line longer than
 * LSX_MAX_LINE_BYTES is cut there and the rest of it is skipped (a JSON
 * Lines record so cut no longer parses and is skipped as malformed); an
 * HTML page is read without the content of its scripts (JSON-LD excepted)
 * and styles and without comments, and what remains is cut likewise.  An
 * article's body (or another field) longer than LSX_MAX_ARTICLE_BYTES, or
 * a title longer than LSX_MAX_TITLE_BYTES, is cut there,
 * at a UTF-8 character boundary, and the rest of the article is read and
 * dropped.  The article is then returned (LSX_OK) with a warning that
 * names the file and the article: lsx_reader_warning.
 */
#define LSX_MAX_ARTICLE_BYTES ((size_t)1 << 20)
#define LSX_MAX_TITLE_BYTES ((size_t)16 << 10)
#define LSX_MAX_LINE_BYTES ((size_t)2 << 20)

/**
 * Warnings about the article lsx_reader_next returned last ("" if none):
 * an optional field that could not be read (a date, a title, a language)
 * does not cost the article; it is indexed without that field and the
 * warning names file, line and field.  An article cut at one of the size
 * caps above gets a warning too.  Several are joined with "; ".
 */
LSX_EXTERN const char *lsx_reader_warning(const lsx_reader *r);

/** Why the last LSX_EPARSE skipped input (see lsx_skip_kind). */
LSX_EXTERN lsx_skip_kind lsx_reader_skip_kind(const lsx_reader *r);

/** Bytes of (uncompressed or compressed, as on disk) input consumed so far. */
LSX_EXTERN uint64_t lsx_reader_bytes_done(const lsx_reader *r);
/** Total bytes on disk of all input files (known after open), for progress. */
LSX_EXTERN uint64_t lsx_reader_bytes_total(const lsx_reader *r);

/* ======================================================================
 * Databases
 * ====================================================================== */

typedef struct lsx_db lsx_db;

/** Flags for lsx_db_open. */
enum {
    LSX_DB_READONLY = 0,      /**< open an existing database for searching */
    LSX_DB_WRITABLE = 1 << 0, /**< open for writing (takes the write lock) */
    LSX_DB_CREATE   = 1 << 1, /**< with WRITABLE: create it if missing */
    LSX_DB_INMEMORY = 1 << 2, /**< in-memory database (path ignored), implies writable */
    LSX_DB_WAIT_LOCK = 1 << 3, /**< with WRITABLE: wait for the lock instead of LSX_ELOCKED */
    /** Readers of several shards: a shard that cannot be opened, or fails
     *  or times out during a search, is left out and the others answer
     *  (lsx_results_missing names it); without it either is an LSX_EIO
     *  error naming the shard.  Refused (LSX_EIO) when no shard answers. */
    LSX_DB_PARTIAL = 1 << 4
};

/* Version 2 added connect_timeout_ms and timeout_ms; version 1 structs
 * (without them) are still accepted, with those fields' defaults. */
#define LSX_DB_OPTIONS_VERSION 2

typedef struct lsx_db_options {
    unsigned version;       /**< LSX_DB_OPTIONS_VERSION */
    unsigned batch_size;    /**< documents per commit while adding (0 = the default, now 1000) */
    double title_weight;    /**< title term weight relative to body, 0 to 100
                             *   (LSX_DEFAULT or negative = the default, now 3) */
    /* Version 2: remote shards (stub files' "remote" lines). */
    unsigned connect_timeout_ms; /**< connecting to a shard's server and its handshake
                                  *   (0 = the default, now 10000) */
    unsigned timeout_ms;    /**< each reply of a shard's server, per shard: a search
                             *   waiting longer fails naming the shard, or with
                             *   LSX_DB_PARTIAL leaves it out (0 = the default, now 10000) */
} lsx_db_options;

#define LSX_DB_OPTIONS_INIT { LSX_DB_OPTIONS_VERSION, 0, LSX_DEFAULT, 0, 0 }

/** Fill `opts`, a struct of `version` (pass the header's LSX_..._OPTIONS_VERSION),
 *  with that version and the library's current defaults. */
LSX_EXTERN int lsx_db_options_init(lsx_db_options *opts, unsigned version);

/**
 * Open (or create) the database at `path`: a database directory, or a
 * Xapian stub file listing shards, or a directory holding such a stub
 * named XAPIANDB (what `search-index --shards N` makes).  A stub has one
 * shard a line: "auto PATH" (a database or another stub, relative to the
 * stub's directory), "remote HOST:PORT" (xapian-tcpsrv) or "remote
 * :PROGRAM ARGS" (xapian-progsrv over a pipe); blank and '#' lines are
 * skipped.  Shards are searched as one database: hits merged, BM25 with
 * statistics over all shards, exact facet counts.  Every shard stores the
 * index schema; shards whose schemas differ are refused (LSX_EVERSION,
 * naming the shard).  A writer opens every shard writable (remote ones
 * served by `xapian-tcpsrv --writable`) and sends each add, replace and
 * delete to the one shard its id hashes to (FNV-1a of "Q" + id, modulo
 * the number of shards), so an id never lives in two shards.  `opts` may
 * be NULL.  Errors: LSX_ENOTFOUND (no database and no LSX_DB_CREATE),
 * LSX_ELOCKED, LSX_EVERSION, LSX_ECORRUPT, LSX_EIO (a shard that cannot
 * be reached, named).  See CONVENTIONS for `*out` on error.
 */
LSX_EXTERN int lsx_db_open(lsx_db **out, const char *path, unsigned flags,
                           const lsx_db_options *opts);

/** Open the `n` databases or stub files `paths` as the shards of one
 *  database (as lsx_db_open does a stub's lines, in that order). */
LSX_EXTERN int lsx_db_open_shards(lsx_db **out, const char *const *paths, size_t n,
                                  unsigned flags, const lsx_db_options *opts);
/** Number of shards (1 for a plain database). */
LSX_EXTERN size_t lsx_db_shard_count(const lsx_db *db);
/** Name of shard `i`: its path, "host:port" or ":program args"; NULL past the end. */
LSX_EXTERN const char *lsx_db_shard_name(const lsx_db *db, size_t i);
/** 1 if shard `i` is left out (LSX_DB_PARTIAL: it failed), else 0. */
LSX_EXTERN int lsx_db_shard_missing(const lsx_db *db, size_t i);

/** Commit pending changes (errors are lost: call lsx_db_commit first to see them) and close. */
LSX_EXTERN void lsx_db_free(lsx_db *db);
LSX_EXTERN const char *lsx_db_errmsg(const lsx_db *db);

/**
 * Index an article, replacing any document with the same id (an upsert).
 * Missing language is detected, a missing date is looked for in the text,
 * entities are extracted.  `*replaced` (may be NULL) is set to 1 if a
 * document with that id existed.  Changes are committed atomically every
 * `batch_size` documents and by lsx_db_commit / lsx_db_free.
 * Errors: LSX_EINVAL (no id, id too long), LSX_EREADONLY, others from the index.
 */
LSX_EXTERN int lsx_db_add(lsx_db *db, const lsx_article *article, int *replaced);

/** Delete the document with this id.  LSX_ENOTFOUND if there is none. */
LSX_EXTERN int lsx_db_delete(lsx_db *db, const char *id);

/** Commit pending changes atomically. */
LSX_EXTERN int lsx_db_commit(lsx_db *db);

/**
 * User metadata stored in the database (e.g. search-index keeps its id root
 * and the state of the files it read under keys "search-index.*").  Keys
 * starting with "libsearch." are the library's own (LSX_EINVAL).  get:
 * `*value` is malloc'd (the caller frees it), NULL when the key is absent;
 * `len` may be NULL.  set: an empty value removes the key; written with the
 * next commit.
 */
LSX_EXTERN int lsx_db_get_metadata(lsx_db *db, const char *key, char **value, size_t *len);
LSX_EXTERN int lsx_db_set_metadata(lsx_db *db, const char *key, const char *value, size_t len);

/** Re-open a reader on the latest commit. */
LSX_EXTERN int lsx_db_reopen(lsx_db *db);

/**
 * Readers beside a writer.  A read-only handle reads the revision it was
 * opened on (or last reopened on).  A writer that commits twice meanwhile
 * may discard that revision and reuse its blocks; Xapian then raises
 * DatabaseModifiedError, or, when a reused block is read first, an error
 * that looks like damage ("Expected block N to be level 2", "EOF reading
 * block").  So every read on a read-only handle (lsx_search and
 * lsx_search_like with their facets, lsx_db_get, lsx_db_stats_get,
 * lsx_db_lang_count, lsx_db_lang_at; and lsx_db_open of a reader) that
 * fails with LSX_EMODIFIED reopens on the latest revision and runs again;
 * one that fails with LSX_ECORRUPT or LSX_EIO does the same if the reopen
 * moved to another revision (at the same revision the damage is real and
 * is reported at once).  It tries at most `attempts` more times, waiting
 * up to `delay_ms` milliseconds before the first retry and up to twice as
 * long before each next one, at most 100 ms (each wait is a random point
 * in the second half of its bound); then the last error is returned.  The
 * defaults (now 20 attempts from 1 ms: at most about 1.5 s of waiting in
 * all) are the library's, resolved at run time; attempts = 0 turns
 * retrying off, delay_ms = 0 keeps the default first wait.  A reopen moves the handle to the newest commit, so a
 * caller paging through results may see the next page from a newer
 * revision.  Writers are not affected (they always read their own state).
 * Xapian's check of a reused block cannot see a block read while the
 * writer is writing it (a torn read: a term then reads as absent, and a
 * search finds nothing, with no error), so readers and writers of a
 * directory also share a lock, DIR/.lsx-read: a writer holds it during
 * each call that may write blocks (adding, replacing or deleting one
 * document, setting metadata, a commit, closing), not while it analyses
 * articles, and a read-only handle holds it shared during each open,
 * reopen and read above, waiting for it at most 10 s (then it reads
 * without it).  A reader therefore waits while a writer commits, and a
 * writer waits for reads in progress but not for reads that begin after
 * it asked.  This holds for a reader in the writer's own process too
 * (another handle, another thread).  The lock is an open file
 * description lock (fcntl F_OFD_SETLK, Linux 3.15 and later).
 * Errors: LSX_EINVAL (attempts above LSX_MAX_RETRY_ATTEMPTS).
 */
LSX_EXTERN int lsx_db_set_retry(lsx_db *db, unsigned attempts, unsigned delay_ms);
#define LSX_MAX_RETRY_ATTEMPTS 1000

/**
 * What interrupted runs (a killed indexer, a full disk) left in the
 * database directory: a bulk build's shards (DIR/.lsx-build), generations
 * no longer in use (DIR/gen-N), a half-written stub, Xapian files of a
 * database whose creation was cut short.  They are never read; the next
 * writer to open the directory removes them.  *count and *bytes (each may
 * be NULL): entries and bytes there now, as a reader sees them (0 while a
 * writer holds the directory, and for a writer); *removed_count and
 * *removed_bytes: what opening this handle removed (writers only).
 */
LSX_EXTERN int lsx_db_leftovers(lsx_db *db, uint64_t *count, uint64_t *bytes,
                                uint64_t *removed_count, uint64_t *removed_bytes);

/**
 * Figures about a database.  Allocated by the caller, who sets `size`
 * (LSX_DB_STATS_INIT does); the library writes only the fields that fit in
 * `size` bytes, so a program built with this header keeps working when a
 * later release adds fields at the end.  Per-language counts are read with
 * lsx_db_lang_count / lsx_db_lang_at, for any language.
 */
typedef struct lsx_db_stats {
    size_t size;              /**< sizeof(lsx_db_stats) as the caller compiled it */
    uint64_t documents;       /**< number of documents */
    uint64_t terms;           /**< distinct terms (all prefixes) */
    double avg_words;         /**< average words per document (title and body), over
                               *   the documents that record it (all made by 0.2.0 or later) */
    uint64_t disk_bytes;      /**< size of the database files (0 in memory; of local
                               *   shards only) */
    uint64_t dated;           /**< documents with a known date */
    char first_date[11];      /**< earliest date "YYYY-MM-DD", or "" */
    char last_date[11];       /**< latest date, or "" */
} lsx_db_stats;

#define LSX_DB_STATS_INIT { sizeof(lsx_db_stats), 0, 0, 0, 0, 0, "", "" }

/** Fill `out` (its `size` set by the caller; LSX_EINVAL if it is smaller than
 *  the first release's struct, i.e. lacks `last_date`). */
LSX_EXTERN int lsx_db_stats_get(lsx_db *db, lsx_db_stats *out);

/** Documents in language `lang` ("en", "vi", ...; 0 for a language with none). */
LSX_EXTERN int lsx_db_lang_count(lsx_db *db, const char *lang, uint64_t *count);

/**
 * The `i`-th language (0-based, in byte order of its code) that has
 * documents, and their number.  Returns LSX_OK, or LSX_DONE when `i` is
 * past the last language.  `*lang` is owned by the handle and valid until
 * the next call on it.  Each call with i == 0 reads the current list.
 */
LSX_EXTERN int lsx_db_lang_at(lsx_db *db, size_t i, const char **lang, uint64_t *count);

/** Compact the database into a new directory `dest` (smaller, faster). */
LSX_EXTERN int lsx_db_compact(lsx_db *db, const char *dest);

/* ---- Bulk indexing ---------------------------------------------------------
 *
 * An lsx_indexer adds many articles to a writable lsx_db using several
 * threads.  Each article gets the same document lsx_db_add would make (same
 * terms, values and record; the same upsert by id, the last article with an
 * id winning), so searches give the same results and scores.  How it works:
 *
 *   - If the database is empty (and on disk), each worker thread builds a
 *     private shard in DIR/.lsx-build/ (articles are routed by a hash of
 *     their id, so every version of an id meets in one shard), and
 *     lsx_indexer_finish merges the shards with Xapian's compactor and
 *     installs the result, already compacted, in the database directory.
 *     Nothing is visible to readers before that; readers that had the
 *     empty database open must reopen it (free and open again) after it.
 *   - Otherwise (the database holds documents, or is in memory), worker
 *     threads analyse articles and one writer thread applies them in input
 *     order, committing every `batch_size` documents (lsx_db_options) as
 *     lsx_db_add does; readers see each committed batch.
 *
 * Memory: `memory_mb` bounds the memory the indexer holds: articles and
 * analysed documents waiting for a thread, documents added to a shard or
 * batch but not yet flushed to disk, and a fixed share per thread
 * (analyzer, gazetteer, Xapian's caches).  A shard flushes at 8 MB of
 * pending documents (small batches index fastest), or earlier when its
 * share of the budget is full, or every `batch_size` documents; the writer
 * commits every `batch_size` documents or when its share is full.  Measured
 * peak resident size of a whole indexing process stays within memory_mb
 * (plus 16 bytes per article for the set of ids seen, in shard mode).
 *
 * Results: every article given to lsx_indexer_add gets exactly one result,
 * passed to the `on_result` callback in input order.  The callback runs in
 * the thread that calls lsx_indexer_add or lsx_indexer_finish (never in a
 * worker), so it needs no locking; its strings are valid during the call.
 * An article with a bad field (LSX_EINVAL) or one that fails analysis is
 * reported there and skipped; the others go on.
 *
 * Errors: a failing database (disk full, I/O error) or LSX_ENOMEM is fatal:
 * the call that sees it returns the status (message in
 * lsx_indexer_errmsg), later lsx_indexer_add calls return it again, and
 * lsx_indexer_finish keeps what can be kept: the batches already committed
 * (writer mode) or the shards' committed documents, merged and installed
 * (shard mode).  Documents reported as indexed after the last commit of a
 * failed writer or shard are then missing.
 *
 * Threads: the indexer and its lsx_db must be used from one thread at a
 * time, the one that calls lsx_indexer_*.  From lsx_indexer_new until
 * lsx_indexer_finish returns, the lsx_db must not be used at all (its
 * write calls return LSX_EINVAL); free the indexer before the database.
 * ========================================================================= */

typedef struct lsx_indexer lsx_indexer;

/** The outcome of one article given to lsx_indexer_add. */
typedef struct lsx_index_result {
    uint64_t seq;            /**< 0 for the first lsx_indexer_add call, then 1, 2, ... */
    const char *id;          /**< the article's id ("" if it had none) */
    const char *source;      /**< the article's source ("" if none) */
    int status;              /**< LSX_OK if indexed; else why it was skipped (LSX_EINVAL: a bad field) */
    int replaced;            /**< 1 if it replaced a document with the same id (an earlier one in the input included) */
    const char *message;     /**< "" if indexed; else the reason, naming the article */
} lsx_index_result;

/** Called once per article, in input order, in the caller's thread. */
typedef void (*lsx_index_cb)(void *payload, const lsx_index_result *result);

#define LSX_INDEXER_OPTIONS_VERSION 1
#define LSX_MIN_MEMORY_MB 24       /**< plus LSX_MEMORY_MB_PER_THREAD per thread */
#define LSX_MEMORY_MB_PER_THREAD 8
#define LSX_MAX_THREADS 256

typedef struct lsx_indexer_options {
    unsigned version;        /**< LSX_INDEXER_OPTIONS_VERSION */
    unsigned threads;        /**< worker threads, 1..LSX_MAX_THREADS; 0 = the number of online CPUs */
    unsigned memory_mb;      /**< memory budget in MB (0 = the default, now 256); at least
                              *   LSX_MIN_MEMORY_MB + LSX_MEMORY_MB_PER_THREAD * threads */
    lsx_index_cb on_result;  /**< per-article outcome, or NULL */
    void *payload;           /**< passed to on_result */
} lsx_indexer_options;

#define LSX_INDEXER_OPTIONS_INIT { LSX_INDEXER_OPTIONS_VERSION, 0, 0, NULL, NULL }

/** Fill `opts`, a struct of `version` (pass the header's LSX_..._OPTIONS_VERSION),
 *  with that version and the library's current defaults (memory_mb
 *  gets the default budget; threads stays 0, one per online CPU). */
LSX_EXTERN int lsx_indexer_options_init(lsx_indexer_options *opts, unsigned version);

/**
 * Start bulk indexing into `db` (opened writable; not LSX_DB_READONLY).
 * `opts` may be NULL.  Starts the threads.  Errors: LSX_EINVAL (bad
 * options: the message names the field and the allowed range; a database
 * opened read-only or already in use by an indexer), LSX_EIO (cannot make
 * the shard directories), LSX_ENOMEM, and errors loading the gazetteer.
 * See CONVENTIONS for `*out` on error.
 */
LSX_EXTERN int lsx_indexer_new(lsx_indexer **out, lsx_db *db, const lsx_indexer_options *opts);

/**
 * Queue a copy of `article` (the caller may reuse its strings at once).
 * May wait while the memory budget is full, delivering results meanwhile.
 * Returns LSX_OK once queued (its outcome comes through on_result), or a
 * fatal error (see above; also LSX_EINVAL after lsx_indexer_finish).
 */
LSX_EXTERN int lsx_indexer_add(lsx_indexer *ix, const lsx_article *article);

/**
 * Wait for every queued article, deliver the remaining results, then
 * commit (writer mode) or merge the shards and install them (shard mode).
 * The database handle is usable again afterwards, opened on the new
 * state.  Returns LSX_OK or the first fatal error; calling it again
 * returns the same status.
 */
LSX_EXTERN int lsx_indexer_finish(lsx_indexer *ix);

/** Finish (if not done; errors are lost: call lsx_indexer_finish to see them) and free. */
LSX_EXTERN void lsx_indexer_free(lsx_indexer *ix);
LSX_EXTERN const char *lsx_indexer_errmsg(const lsx_indexer *ix);

/** Worker threads in use. */
LSX_EXTERN unsigned lsx_indexer_threads(const lsx_indexer *ix);
/** 1 if the indexer builds shards and merges them, 0 if one writer applies batches. */
LSX_EXTERN int lsx_indexer_sharded(const lsx_indexer *ix);

/* ======================================================================
 * Stored documents
 * ====================================================================== */

typedef struct lsx_doc lsx_doc;

typedef enum lsx_entity_type {
    LSX_ENTITY_PERSON = 'p',
    LSX_ENTITY_ORG    = 'o',
    LSX_ENTITY_PLACE  = 'l',
    LSX_ENTITY_OTHER  = 'x'
} lsx_entity_type;

/** "person", "org", "place" or "other". */
LSX_EXTERN const char *lsx_entity_type_str(lsx_entity_type type);

typedef struct lsx_entity {
    lsx_entity_type type;
    const char *id;      /**< canonical id, e.g. "vietnam", "vu-ho" */
    const char *name;    /**< display name, e.g. "Vietnam", "Vũ Hồ" */
    unsigned count;      /**< mentions in the article */
} lsx_entity;

/** Fetch the stored document with this id (LSX_ENOTFOUND if none). */
LSX_EXTERN int lsx_db_get(lsx_db *db, const char *id, lsx_doc **out);
LSX_EXTERN void lsx_doc_free(lsx_doc *doc);

LSX_EXTERN const char *lsx_doc_id(const lsx_doc *doc);
LSX_EXTERN const char *lsx_doc_title(const lsx_doc *doc);   /**< "" if none */
LSX_EXTERN const char *lsx_doc_date(const lsx_doc *doc);    /**< "YYYY-MM-DD", "YYYY-MM-DDThh:mm:ss[Z|+hh:mm]" or "" */
LSX_EXTERN lsx_date_source lsx_doc_date_source(const lsx_doc *doc);
LSX_EXTERN const char *lsx_doc_lang(const lsx_doc *doc);
LSX_EXTERN const char *lsx_doc_source(const lsx_doc *doc);  /**< "" if none */
/** The body text (decompressed on first call); `len` may be NULL. */
LSX_EXTERN const char *lsx_doc_body(lsx_doc *doc, size_t *len);
LSX_EXTERN size_t lsx_doc_entity_count(const lsx_doc *doc);
LSX_EXTERN const lsx_entity *lsx_doc_entity(const lsx_doc *doc, size_t i);

/* ======================================================================
 * Queries
 *
 * Syntax (a search box that also speaks Boolean):
 *
 *   word word        any of the words (OR), ranked by BM25
 *   "a phrase"       the words next to each other, in order
 *   a AND b, a OR b, a NOT b, (grouping)   operators in capitals;
 *                    NOT binds tightest, then AND, then OR / juxtaposition
 *   +word  -word     the word is required / excluded
 *   a NEAR b, a NEAR/5 b   both within 10 (or 5) words of each other
 *   word*  title:word*   words starting so (folded like words; at most
 *                    LSX_QUERY_MAX_EXPANSION index terms, else LSX_EQUERY)
 *   title:word  title:"a phrase"   only in the title
 *   lang:vi          language filter (en, vi)
 *   entity:ID  person:ID  place:ID  org:ID   entity filter ("vu ho" -> vu-ho;
 *                    quoted names allowed: person:"Vũ Hồ")
 *   date:2022  date:2022-02  date:2022-02-16   a year, month or day
 *   date:2022-01-01..2022-03-31  date:2022..  date:..2022-03   ranges
 *
 * Filters (lang, entity types, date) do not change scores, and among plain
 * words they restrict: `asean lang:vi` is ASEAN articles in Vietnamese.
 * Values of one field are alternatives (`lang:en lang:vi`); different
 * fields all apply (as with Xapian's boolean prefixes).  Operators combine
 * filters exactly as written: `date:2023 OR lang:vi` and `asean OR lang:vi`
 * are unions, `NOT lang:vi` and `(lang:en OR date:2024) asean` work as
 * read; an explicit OR that joins a filter makes one alternative of its
 * whole OR chain (`asean date:2023 OR lang:vi`: ASEAN articles of 2023 or
 * in Vietnamese).  lsx_query_describe shows the tree with every
 * restriction explicit: `asean lang:vi` is (and (word "asean") (filter
 * lang "vi")).  Words are
 * analysed as in documents, so case does not matter, and a word typed
 * without diacritics matches every spelling ("viet" finds "Việt"); a
 * word typed with diacritics matches that spelling only ("mã" does not
 * find "ma"), in phrases, NEAR and title: too.  Common stopwords are dropped from plain
 * word lists (not from phrases) unless the query has nothing else.
 * ====================================================================== */

typedef struct lsx_query lsx_query;

/**
 * Query size caps, so that a query's cost stays proportional to it: the
 * parsers refuse (LSX_EQUERY, saying which cap) a text longer than
 * LSX_QUERY_MAX_BYTES, or one with more than LSX_QUERY_MAX_TERMS words,
 * where a word repeated among plain words counts once (it is searched
 * once, weighted by its count, as its repeats would score) and each word
 * of a phrase or NEAR counts.  lsx_query_add_filter keeps to the same
 * word cap.  Nesting is capped at 100 levels.
 */
#define LSX_QUERY_MAX_BYTES 65536
#define LSX_QUERY_MAX_TERMS 1024
/** A prefix query (word*) matching more index terms than this is refused
 *  by lsx_search (LSX_EQUERY, naming the prefix) rather than cut short. */
#define LSX_QUERY_MAX_EXPANSION 1000

/** Node types of the parsed query tree. */
typedef enum lsx_qnode_type {
    LSX_Q_WORD = 1,      /**< a word (text) in `field` or the default fields */
    LSX_Q_PHRASE,        /**< words (children are LSX_Q_WORD) in order */
    LSX_Q_NEAR,          /**< children within `window` words */
    LSX_Q_AND,
    LSX_Q_OR,
    LSX_Q_AND_NOT,       /**< first child, but not the second */
    LSX_Q_AND_MAYBE,     /**< first child required, second adds to the score */
    LSX_Q_FILTER,        /**< boolean filter: field (lang/entity/person/place/org) = text */
    LSX_Q_DATE,          /**< date range [date_from, date_to], "YYYYMMDD", "" = open */
    LSX_Q_ALL            /**< matches every document (e.g. for a query of only -words) */
} lsx_qnode_type;

typedef struct lsx_qnode lsx_qnode;
struct lsx_qnode {
    lsx_qnode_type type;
    const char *field;       /**< NULL (default fields), "title", "lang", "entity", ... */
    const char *text;        /**< word or filter value */
    char date_from[9];       /**< LSX_Q_DATE: inclusive "YYYYMMDD" or "" */
    char date_to[9];
    unsigned window;         /**< LSX_Q_NEAR window */
    size_t offset;           /**< byte offset in the query string */
    size_t nchildren;
    lsx_qnode **children;
};

/**
 * Parse a query string.  On LSX_EQUERY, lsx_query_errmsg says what is wrong
 * and lsx_query_error_offset where (a byte offset).  See CONVENTIONS.
 */
LSX_EXTERN int lsx_query_parse(lsx_query **out, const char *text);
/**
 * Parse every word of text as a plain word, joined by OR; no operators,
 * fields or phrases.  Quotes, parentheses, colons, +/- and
 * capitalised AND/OR/NOT/NEAR are ordinary text: words are split exactly
 * as documents are (see Analysis), and each becomes one LSX_Q_WORD holding
 * the word as typed, so it is searched like a word of a plain word list
 * (stopwords dropped unless nothing else is left).  For running topics or
 * other text that must never be read as query syntax.  LSX_EQUERY ("no
 * words to search for") when text has no word.  See CONVENTIONS.
 */
LSX_EXTERN int lsx_query_parse_words(lsx_query **out, const char *text);
LSX_EXTERN void lsx_query_free(lsx_query *q);
LSX_EXTERN const char *lsx_query_errmsg(const lsx_query *q);
LSX_EXTERN size_t lsx_query_error_offset(const lsx_query *q);
/** The root of the parsed tree (owned by the query). */
LSX_EXTERN const lsx_qnode *lsx_query_root(const lsx_query *q);
/** The tree as an S-expression, e.g. (or (word "a") (filter lang "vi")); caller frees. */
LSX_EXTERN char *lsx_query_describe(const lsx_query *q);
/** AND the query with another parsed query used as a filter (scores unchanged). */
LSX_EXTERN int lsx_query_add_filter(lsx_query *q, const lsx_query *filter);

/* ======================================================================
 * Searching
 * ====================================================================== */

/* Version 2 added sort, recency_half_life and recency_weight; version 1
 * structs (without them) are still accepted, with those fields' defaults. */
#define LSX_SEARCH_OPTIONS_VERSION 2

/** Orders for lsx_search_options.sort. */
enum {
    /** By relevance, except that a query made only of filters (or no
     *  query) lists the newest first, as its scores are all 0. */
    LSX_SORT_AUTO = 0,
    LSX_SORT_RELEVANCE = 1,  /**< by score, best first */
    LSX_SORT_NEWEST = 2,     /**< by date, newest first; undated last */
    LSX_SORT_OLDEST = 3      /**< by date, oldest first; undated last */
};
/* Dates compare by day, then by time of day where the index has one;
 * equal ones by relevance. */

/** Flags for lsx_search_options.flags. */
enum {
    LSX_SEARCH_NO_SNIPPETS = 1 << 0,  /**< do not make snippets (faster) */
    LSX_SEARCH_EXACT_TOTAL = 1 << 1,  /**< count all matches exactly (slower) */
    /** Hits carry only rank, id and score: title, date, lang, source and
     *  snippet are "" (date_source LSX_DATE_NONE), and no stored record is
     *  read.  For long result lists whose ids are all that is needed (TREC
     *  runs, re-ranking, joins with other data): several times faster at
     *  1,000 hits.  Implies LSX_SEARCH_NO_SNIPPETS. */
    LSX_SEARCH_IDS_ONLY = 1 << 2,
    /** Keep an account of how the query was understood, a line per part
     *  (words and their search forms, aliases, filters, prefix
     *  expansions, the order): lsx_results_explain. */
    LSX_SEARCH_EXPLAIN = 1 << 3,
    /** When the query finds fewer than LSX_SUGGEST_BELOW documents, look for
     *  a spelling of each word the index does not know among the index's
     *  own words that share its first letter (its search terms: folded
     *  words, English stems, and with diacritics the exact spellings; edit
     *  distance 1, or 2 for words of 5 or more letters; the nearest, then
     *  the commonest, wins): lsx_results_suggestion.  No data is added to
     *  the index for it. */
    LSX_SEARCH_SUGGEST = 1 << 4
};
#define LSX_SUGGEST_BELOW 3

typedef struct lsx_search_options {
    unsigned version;        /**< LSX_SEARCH_OPTIONS_VERSION */
    unsigned offset;         /**< skip this many results (default 0) */
    unsigned limit;          /**< return at most this many (default 10) */
    double k1, b;            /**< BM25 parameters, k1 >= 0 and 0 <= b <= 1 (LSX_DEFAULT or
                              *   negative = the default, now k1 1.6, b 0.75) */
    unsigned flags;          /**< LSX_SEARCH_* */
    const char *hl_start;    /**< snippet highlight start marker (NULL or "" = none) */
    const char *hl_end;      /**< highlight end marker (NULL or "" = none) */
    unsigned snippet_bytes;  /**< target snippet length (0 = the default, now 200) */
    const char *const *facets; /**< facet requests, e.g. "entity:10", "person:5", "date:month" */
    size_t nfacets;
    /* Pseudo-relevance feedback: search once, take the best `prf_terms`
     * terms of the top `prf_docs` documents (Xapian's expand set, without
     * the query's own terms and, from two documents up, without terms found
     * in fewer than two of them), and search again with them
     * added at `prf_weight` times their own weight.  For queries with
     * filters the added terms only re-rank the filtered matches. */
    unsigned prf_docs;       /**< documents to learn from; 0 = off (default) */
    unsigned prf_terms;      /**< terms to add (0 = the default, now 25; chosen on six
                              *   classic collections, bench/relevance.md) */
    double prf_weight;       /**< weight of the added terms (LSX_DEFAULT or negative = the
                              *   default, now 0.3) */
    /* Version 2. */
    int sort;                /**< LSX_SORT_* (default LSX_SORT_AUTO) */
    /* Recency: add recency_weight * 0.5^(age / recency_half_life) to the
     * score of each matching document with a date, its age counted in
     * days before the newest date in the index (an archive's "now"). */
    double recency_half_life; /**< in days; 0 = no recency boost (default) */
    double recency_weight;   /**< the boost of the newest documents (LSX_DEFAULT or
                              *   negative = the default, now 2) */
} lsx_search_options;

/* limit 10 is part of the interface; the tunable defaults are resolved at run time. */
#define LSX_SEARCH_OPTIONS_INIT { LSX_SEARCH_OPTIONS_VERSION, 0, 10, LSX_DEFAULT, LSX_DEFAULT, \
                                  0, NULL, NULL, 0, NULL, 0, 0, 0, LSX_DEFAULT, LSX_SORT_AUTO, 0, \
                                  LSX_DEFAULT }

/** Fill `opts`, a struct of `version` (pass the header's LSX_..._OPTIONS_VERSION),
 *  with that version and the library's current defaults (actual
 *  numbers: k1, b, snippet_bytes, prf_terms, prf_weight). */
LSX_EXTERN int lsx_search_options_init(lsx_search_options *opts, unsigned version);

typedef struct lsx_results lsx_results;

/** One result.  All strings belong to the results object. */
typedef struct lsx_hit {
    size_t rank;             /**< 1-based rank in the whole result list */
    const char *id;
    double score;            /**< BM25 score */
    const char *title;       /**< "" if none */
    const char *date;        /**< "YYYY-MM-DD" or "" */
    lsx_date_source date_source;
    const char *lang;
    const char *source;      /**< "" if none */
    const char *snippet;     /**< "" with LSX_SEARCH_NO_SNIPPETS */
} lsx_hit;

/** One facet value with its count over the whole match set: the number of
 *  matching documents with that value (an entity counts once per document,
 *  even where the document names it under two types). */
typedef struct lsx_facet_value {
    const char *value;       /**< entity id or date ("2022", "2022-02", "2022-02-16") */
    const char *label;       /**< display name */
    uint64_t count;
} lsx_facet_value;

typedef struct lsx_facet {
    const char *name;        /**< the request's field: "entity", "person", "date", ... */
    size_t nvalues;          /**< number of values */
    const void *lsx__values; /**< private: read values with lsx_facet_value_at */
} lsx_facet;

/** Value `i` (0-based) of a facet, by count descending, ties by id (dates: by
 *  date ascending); NULL if i >= nvalues. */
LSX_EXTERN const lsx_facet_value *lsx_facet_value_at(const lsx_facet *f, size_t i);

/**
 * Run a parsed query.  `q` may be NULL to match every document (e.g. facet
 * counts over the whole index).  `opts` may be NULL.  Facet specs are
 * "entity[:N]", "person[:N]", "place[:N]", "org[:N]" (top N values by count,
 * default 10) and "date[:year|month|day]" (default month; all values, in date
 * order).  Errors: LSX_EINVAL (bad options
 * or facet request), LSX_EMODIFIED (reopen and retry), index errors.
 *
 * Memory: a handle opened read-only keeps what repeated searches need,
 * built on first use for its current view of the database: the facet
 * value slots as arrays (about 8 bytes per document plus the distinct
 * values), the ids when LSX_SEARCH_IDS_ONLY is used (8 bytes per
 * document plus the ids), and the labels of facet entities read from the
 * stored records.  They are built again once lsx_db_reopen has moved the
 * view to a newer revision, and lsx_db_free releases them.  Writable
 * handles keep none of these (their view changes with every write).
 */
LSX_EXTERN int lsx_search(lsx_db *db, const lsx_query *q, const lsx_search_options *opts,
                          lsx_results **out);
LSX_EXTERN void lsx_results_free(lsx_results *r);
/**
 * More like this: the documents most like document `id`, ranked by the
 * LSX_LIKE_TERMS terms that best tell it apart (Xapian's expand set with the
 * document as the relevance set), the document itself left out.  `filter`
 * (may be NULL) restricts them without changing scores; options, facets
 * and sort orders work as for lsx_search.  LSX_ENOTFOUND: no such id.
 */
LSX_EXTERN int lsx_search_like(lsx_db *db, const char *id, const lsx_query *filter,
                               const lsx_search_options *opts, lsx_results **out);
#define LSX_LIKE_TERMS 30

/** Number of hits in this page (at most opts.limit). */
LSX_EXTERN size_t lsx_results_count(const lsx_results *r);
/** Hit `i` of this page, 0-based (NULL if out of range). */
LSX_EXTERN const lsx_hit *lsx_results_hit(const lsx_results *r, size_t i);
/** Number of matching documents (exact with LSX_SEARCH_EXACT_TOTAL or facets, else an estimate). */
LSX_EXTERN uint64_t lsx_results_total(const lsx_results *r);
/** 1 if lsx_results_total is the exact count, 0 if it is an estimate. */
LSX_EXTERN int lsx_results_total_exact(const lsx_results *r);
/** With LSX_SEARCH_EXPLAIN: how the query was understood, one part a
 *  line (owned by the results); else "". */
LSX_EXTERN const char *lsx_results_explain(const lsx_results *r);
/** With LSX_SEARCH_SUGGEST: the query with its misspelled words replaced
 *  ("Did you mean"), or "" when there is none. */
LSX_EXTERN const char *lsx_results_suggestion(const lsx_results *r);
/** Shards left out of these results (LSX_DB_PARTIAL: they failed or
 *  timed out); 0 when every shard answered. */
LSX_EXTERN size_t lsx_results_missing_count(const lsx_results *r);
/** "shard I (NAME): why" of missing shard `i`, owned by the results; NULL past the end. */
LSX_EXTERN const char *lsx_results_missing(const lsx_results *r, size_t i);
LSX_EXTERN size_t lsx_results_facet_count(const lsx_results *r);
LSX_EXTERN const lsx_facet *lsx_results_facet(const lsx_results *r, size_t i);

/* ======================================================================
 * Evaluation (NIST trec_eval 10.0 compatible)
 *
 * Relevance judgments (qrels), runs and topics in the standard TREC file
 * formats, and trec_eval's measures computed with trec_eval's semantics,
 * so that the printed numbers are the same to the last decimal:
 *
 *   qrels   `qid iter docno rel`, exactly four whitespace-separated fields;
 *           rel is read like atol() ("1.7" is 1, "x" is 0).  rel >= the
 *           relevance level (default 1) is relevant, 0 (or below the level)
 *           judged non-relevant, < 0 "in the pool but unjudged".  A line
 *           starting with '#' is a comment; it must be followed by a
 *           judgment line (trec_eval misreads anything else).
 *   run     `qid Q0 docno rank score tag [anything]`; blank lines and lines
 *           whose first non-blank character is '#' are skipped.  The rank
 *           column is ignored: a topic's documents are ranked by score (a
 *           double) descending, equal scores by docno in descending byte
 *           order.  The run's tag is the one on its last line.
 *   topics  `qid<TAB>text` lines (TSV), or TREC topic files
 *           (<top> <num> Number: 301 <title> ... <desc> ... <narr> ... </top>).
 *
 * Measures are chosen with trec_eval's -m syntax: a name ("map"), a name
 * with parameters ("P.5,10", "ndcg_cut.10", "ndcg.1=3,2=9" for custom
 * gains), or a set: "official" (the default), "all_trec" or "set".  If a
 * measure is named twice with parameters, the first list wins ("P.5" then
 * "P.10" gives only P_5).  Values come in trec_eval's fixed measure order;
 * topics in byte order of qid; the summary has the qid "all".
 * ====================================================================== */


typedef struct lsx_qrels lsx_qrels;
typedef struct lsx_run lsx_run;
typedef struct lsx_topics lsx_topics;
typedef struct lsx_eval lsx_eval;
typedef struct lsx_compare lsx_compare;

/* ---- qrels ---- */

/** Read a qrels file.  Errors: LSX_ENOTFOUND, LSX_EIO, LSX_EPARSE (file and line in the message). */
LSX_EXTERN int lsx_qrels_load(lsx_qrels **out, const char *path);
/** An empty qrels object, filled with lsx_qrels_add. */
LSX_EXTERN int lsx_qrels_new(lsx_qrels **out);
/** Add a judgment (strings copied; no whitespace in qid or docno). */
LSX_EXTERN int lsx_qrels_add(lsx_qrels *q, const char *qid, const char *docno, long rel);
LSX_EXTERN void lsx_qrels_free(lsx_qrels *q);
LSX_EXTERN const char *lsx_qrels_errmsg(const lsx_qrels *q);
/** Number of judged topics; the i-th topic id in byte order of qid. */
LSX_EXTERN size_t lsx_qrels_topic_count(lsx_qrels *q);
LSX_EXTERN const char *lsx_qrels_topic(lsx_qrels *q, size_t i);

/* ---- runs ---- */

/** An empty run whose tag (run id) is `tag` (NULL: "libsearch"). */
LSX_EXTERN int lsx_run_new(lsx_run **out, const char *tag);
/** Add a retrieved document (strings copied; no whitespace in qid or docno). */
LSX_EXTERN int lsx_run_add(lsx_run *r, const char *qid, const char *docno, double score);
/** Read a run file; "-" reads standard input.  Errors as for lsx_qrels_load. */
LSX_EXTERN int lsx_run_load(lsx_run **out, const char *path);
LSX_EXTERN void lsx_run_free(lsx_run *r);
LSX_EXTERN const char *lsx_run_errmsg(const lsx_run *r);
LSX_EXTERN const char *lsx_run_tag(const lsx_run *r);
/** Number of (qid, docno, score) lines in the run. */
LSX_EXTERN size_t lsx_run_size(const lsx_run *r);
/**
 * Write the run in TREC format, `qid Q0 docno rank score tag`: topics in
 * the order they were first added, each ranked as trec_eval ranks it
 * (ranks from 1), at most `max_per_topic` lines per topic (0: all).  `tag`
 * NULL means the run's own tag.  Scores are written so that they read back
 * as the same doubles.  Errors: LSX_EIO.
 */
LSX_EXTERN int lsx_run_write(lsx_run *r, FILE *f, const char *tag, size_t max_per_topic);

/* ---- topics ---- */

/** TREC topic fields, for lsx_topics_load. */
enum {
    LSX_TOPIC_TITLE = 1 << 0,
    LSX_TOPIC_DESC  = 1 << 1,
    LSX_TOPIC_NARR  = 1 << 2
};
/** Parse "title", "desc", "narr" or a combination ("title+desc", "title,desc,narr", "all"). */
LSX_EXTERN int lsx_topic_fields_parse(const char *spec, unsigned *fields);
/**
 * Read topics, TSV or TREC (detected by content).  For TREC files the text
 * is the chosen `fields` joined by a space (0 means LSX_TOPIC_TITLE);
 * "Number:", "Description:" and similar labels are dropped.  Topics keep
 * the file's order.  Errors: LSX_ENOTFOUND, LSX_EIO, LSX_EPARSE.
 */
LSX_EXTERN int lsx_topics_load(lsx_topics **out, const char *path, unsigned fields);
LSX_EXTERN void lsx_topics_free(lsx_topics *t);
LSX_EXTERN const char *lsx_topics_errmsg(const lsx_topics *t);
LSX_EXTERN size_t lsx_topics_count(const lsx_topics *t);
LSX_EXTERN const char *lsx_topics_qid(const lsx_topics *t, size_t i);
LSX_EXTERN const char *lsx_topics_text(const lsx_topics *t, size_t i);

/* ---- evaluation ---- */

#define LSX_EVAL_OPTIONS_VERSION 1

typedef struct lsx_eval_options {
    unsigned version;            /**< LSX_EVAL_OPTIONS_VERSION */
    int complete;                /**< -c: score qrels topics missing from the run as 0, average over all */
    int judged_only;             /**< -J: drop retrieved documents that are not judged */
    long relevance_level;        /**< -l: lowest relevant value (default 1) */
    size_t max_retrieved;        /**< -M: keep the top N of each topic (0: all) */
    long num_docs;               /**< -N: collection size, used only by `utility` (default 0) */
    const char *const *measures; /**< -m arguments, in order (none: "official") */
    size_t nmeasures;
} lsx_eval_options;

/* relevance level 1 is trec_eval's definition, part of the interface. */
#define LSX_EVAL_OPTIONS_INIT { LSX_EVAL_OPTIONS_VERSION, 0, 0, 1, 0, 0, NULL, 0 }

/** Fill `opts`, a struct of `version` (pass the header's LSX_..._OPTIONS_VERSION),
 *  with that version and the defaults. */
LSX_EXTERN int lsx_eval_options_init(lsx_eval_options *opts, unsigned version);

/**
 * Evaluate `run` against `qrels` (both are prepared, i.e. sorted, on first
 * use).  Topics of the run without judgments are ignored.  Errors:
 *   LSX_EINVAL        an unknown measure or bad measure parameters;
 *   LSX_EUNSUPPORTED  a trec_eval measure this library does not compute;
 *   LSX_EPARSE        a document twice in a topic of the run (among its
 *                     top max_retrieved) or of the qrels, a qrels topic
 *                     missing from the run (without `complete`), or no
 *                     topic in common.
 * As for constructors, *out is set even on error: it holds the message and
 * the topics evaluated before the failure (no summary).
 */
LSX_EXTERN int lsx_evaluate(lsx_qrels *qrels, lsx_run *run, const lsx_eval_options *opts,
                            lsx_eval **out);
LSX_EXTERN void lsx_eval_free(lsx_eval *e);
LSX_EXTERN const char *lsx_eval_errmsg(const lsx_eval *e);
/** The run id ("runid" measure). */
LSX_EXTERN const char *lsx_eval_runid(const lsx_eval *e);
/** Evaluated topics, in byte order of qid. */
LSX_EXTERN size_t lsx_eval_topic_count(const lsx_eval *e);
LSX_EXTERN const char *lsx_eval_topic(const lsx_eval *e, size_t i);
/** Output measures in trec_eval order, with cut-offs: "map", "P_5", "ndcg_cut_10", ... */
LSX_EXTERN size_t lsx_eval_measure_count(const lsx_eval *e);
LSX_EXTERN const char *lsx_eval_measure(const lsx_eval *e, size_t j);
/**
 * The value of measure `name` for topic `qid` (NULL or "all": the summary,
 * a mean or, for counts, a sum).  LSX_ENOTFOUND if there is no such value
 * (unknown measure or topic, gm_map per topic, relstring or runid).
 */
LSX_EXTERN int lsx_eval_value(const lsx_eval *e, const char *name, const char *qid, double *value);
/** relstring of a topic ("" if not computed or unknown topic). */
LSX_EXTERN const char *lsx_eval_relstring(const lsx_eval *e, const char *qid);

typedef enum lsx_eval_format {
    LSX_EVAL_TEXT = 0,  /**< trec_eval's layout: "%-22s\t%s\t%6.4f" lines */
    LSX_EVAL_JSON = 1   /**< {"runid":..., "queries":[{"qid":..., measures}], "all":{...}} */
} lsx_eval_format;

/** Flags for lsx_eval_write. */
enum {
    LSX_EVAL_PER_QUERY  = 1 << 0,  /**< -q: each topic's values before the summary */
    LSX_EVAL_NO_SUMMARY = 1 << 1   /**< -n: no summary */
};

/** Print the values.  Errors: LSX_EIO. */
LSX_EXTERN int lsx_eval_write(const lsx_eval *e, FILE *f, lsx_eval_format fmt, unsigned flags);
/** The same into a string (caller frees); NULL if out of memory. */
LSX_EXTERN char *lsx_eval_format_str(const lsx_eval *e, lsx_eval_format fmt, unsigned flags);

/* ---- comparing two runs ---- */

#define LSX_COMPARE_OPTIONS_VERSION 1

typedef struct lsx_compare_options {
    unsigned version;        /**< LSX_COMPARE_OPTIONS_VERSION */
    unsigned permutations;   /**< randomization test rounds (0 = the default, now 10000;
                              *   exact when 2^n is smaller) */
    uint64_t seed;           /**< seed of the test's random generator (1 in LSX_COMPARE_OPTIONS_INIT) */
} lsx_compare_options;

#define LSX_COMPARE_OPTIONS_INIT { LSX_COMPARE_OPTIONS_VERSION, 0, 1 }

/** Fill `opts`, a struct of `version` (pass the header's LSX_..._OPTIONS_VERSION),
 *  with that version and the library's current defaults. */
LSX_EXTERN int lsx_compare_options_init(lsx_compare_options *opts, unsigned version);

/** One measure compared over the topics evaluated in both runs. */
typedef struct lsx_compare_row {
    const char *measure;
    size_t n;                /**< topics compared */
    double mean_a, mean_b;   /**< means over those topics */
    double diff;             /**< mean of b - a */
    double t;                /**< paired t statistic (0 if undefined) */
    double p_t;              /**< two-sided p-value of the paired t-test */
    double p_rand;           /**< two-sided p-value of the paired randomization test */
    size_t wins, ties, losses; /**< topics where b > a, b == a, b < a */
} lsx_compare_row;

/**
 * Compare run `b` with run `a` (evaluated with the same qrels and options)
 * for every per-topic measure they share.  Errors: LSX_EINVAL (no common
 * topic or measure).  See CONVENTIONS.
 */
LSX_EXTERN int lsx_eval_compare(const lsx_eval *a, const lsx_eval *b,
                                const lsx_compare_options *opts, lsx_compare **out);
LSX_EXTERN void lsx_compare_free(lsx_compare *c);
LSX_EXTERN const char *lsx_compare_errmsg(const lsx_compare *c);
LSX_EXTERN size_t lsx_compare_count(const lsx_compare *c);
LSX_EXTERN const lsx_compare_row *lsx_compare_row_at(const lsx_compare *c, size_t i);
/** Print a table (text) or JSON.  Errors: LSX_EIO. */
LSX_EXTERN int lsx_compare_write(const lsx_compare *c, FILE *f, lsx_eval_format fmt);


#ifdef __cplusplus
}
#endif

#endif /* LIBSEARCH_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * reader.h - internals shared by the article readers (not installed).
 *
 * reader.c owns the handle, the list of input files, format detection and a
 * buffered line reader over zlib; reader-text.c, reader-trec.c and
 * reader-jsonl.c each parse one format from that line reader, and
 * reader-html.c reads its page as bytes (lsx__bytes_next).
 */
#ifndef LSX_READER_H
#define LSX_READER_H

#include "private.h"

#include <jansson.h>
#include <zlib.h>

/* Largest line (or HTML page, less scripts, styles and comments) a reader
 * keeps: longer ones are cut (libsearch.h). */
#define LSX_READER_MAX_RECORD LSX_MAX_LINE_BYTES

/* ---- buffered lines over gzread (reader.c) ------------------------------ */
typedef struct lsx_lines {
    gzFile gz;
    char *buf;            /* [pos, end) is read but not yet returned */
    size_t cap, pos, end;
    bool eof;             /* gzread reported the end of the file */
    uint64_t line;        /* number of the line last returned (from 1) */
    uint64_t raw_offset;  /* bytes of the file on disk consumed so far */
    bool skipping;        /* dropping the rest of a line that was cut */
} lsx_lines;

/* Next line without its "\n" (and "\r" before it).  Returns 1 and sets
 * *line and *len (valid until the next call), 0 at the end of the file, or a
 * negative status with r->err set (LSX_EIO read error, LSX_EPARSE line too
 * long, LSX_ENOMEM). */
struct lsx_reader;
int lsx__lines_next(struct lsx_reader *r, const char **line, size_t *len);

/* The next bytes of the file as they come, for a reader that does not read
 * by lines (HTML): 1 with *p and *n set (valid until the next call), 0 at
 * the end of the file, or a negative status with r->err set. */
int lsx__bytes_next(struct lsx_reader *r, const char **p, size_t *n);

/* ---- one input file -------------------------------------------------------- */
typedef struct lsx_reader_entry {
    char *path;           /* as given to open, or joined below it */
    size_t rel;           /* offset in path below the PATH given (for --exclude) */
    uint64_t size;        /* bytes on disk */
    int err;              /* errno found while listing (reported when reached) */
    char *real;           /* the resolved path (realpath), NULL if it failed */
    char *id;             /* the file's id (see lsx__file_id), NULL until computed */
    int64_t mtime_ns;     /* modification time, nanoseconds since the epoch */
    bool skip;            /* not to be read (lsx_reader_file_skip, or a duplicate) */
} lsx_reader_entry;

/* ---- per-format state ------------------------------------------------------ */
typedef struct lsx_trec_state {
    const char *line;     /* the line being scanned (inside r->in's buffer) */
    size_t len, off;
    bool have_line;
    bool in_doc, bad;     /* bad: the current document already has an error */
    bool seen_doc;        /* a <DOC> was met in this file */
    int title_rank;       /* rank of the title element collected (-1: none yet) */
    int field;            /* element whose content is being collected */
    uint64_t doc_line, date_line;
    size_t sep_pos, block_start;   /* current <TEXT> block in r->body */
} lsx_trec_state;

typedef struct lsx_reader {
    char err[LSX_ERRLEN];
    int fatal;                    /* non-zero: a fatal status, returned again */
    lsx_format format;            /* requested format */

    lsx_reader_entry *ents;
    size_t nents, cap_ents, next_ent;
    lsx_strmap seen;              /* real paths listed so far -> entry index */
    char *root;                   /* the id root (resolved), "" for none */
    char **excludes;              /* --exclude globs */
    size_t nexcludes, cap_excludes;
    struct { uint64_t dev, ino; } *skips;   /* directories never entered (the database) */
    size_t nskips, cap_skips;
    size_t cur_ent;               /* index of the file being read */
    size_t empty_dirs;            /* directories given that held no file */
    uint64_t bytes_total, bytes_before;

    /* the file being read */
    const lsx_reader_entry *cur;  /* NULL between files */
    lsx_format cur_format;
    lsx_lines in;
    bool text_done;               /* text: the file's one article was returned */
    lsx_trec_state trec;
    json_t *json;                 /* jsonl: the object the last article points into */
    char numid[64];               /* jsonl: a numeric id as text */

    json_t *jdoc;                 /* json: a whole-file document (array or object) */
    json_t *jarr;                 /* json: the array of records inside it */
    size_t jnext;                 /* json: next element of jarr */
    uint64_t nrecords;            /* records returned from the current file */
    bool html_done;               /* html: the page was returned */
    char warn[LSX_ERRLEN];        /* warnings about the article returned last */
    lsx_skip_kind skip_kind;      /* why the last LSX_EPARSE skipped something */

    /* fields of the article returned last */
    lsx_buf id, title, date, body, source, lang;
    bool in_failed;               /* the current file had a read error */
    /* caps (LSX_MAX_ARTICLE_BYTES, LSX_MAX_LINE_BYTES) met by the current article */
    bool field_cut, line_cut;
    bool title_cut, body_cut, other_cut;   /* which field was cut */
} lsx_reader;

/* Append to a field of the current article, keeping it within its cap
 * (LSX_MAX_TITLE_BYTES for r->title, else LSX_MAX_ARTICLE_BYTES): what
 * does not fit is dropped, at a UTF-8 character boundary, and the field's
 * flag and r->field_cut are set. */
void lsx__field_add(lsx_reader *r, lsx_buf *b, const char *p, size_t n);

/* Each returns LSX_OK with *out filled, LSX_DONE at the end of the current
 * file, LSX_EPARSE for a skipped record (r->err set) or another error. */
int lsx__read_text(lsx_reader *r, lsx_article *out);
int lsx__read_trec(lsx_reader *r, lsx_article *out);
int lsx__read_jsonl(lsx_reader *r, lsx_article *out);

int lsx__read_html(lsx_reader *r, lsx_article *out);

/* Set the article's date from the header field `field` (n bytes of s, at
 * line `line` of the current file, 0 if unknown): on success the canonical
 * form goes to r->date and out->date (LSX_DATE_HEADER); when it cannot be
 * read the article keeps no date, out->date_source is LSX_DATE_UNREADABLE
 * (the date is then looked for in the text) and a warning names file, line
 * and field.  Never fails the article. */
void lsx__reader_set_date(lsx_reader *r, lsx_article *out, const char *field, uint64_t line,
                          const char *s, size_t n);
/* The same for a date already read (Unix time in a JSON number). */
void lsx__reader_set_when(lsx_reader *r, lsx_article *out, const lsx_when *w);

/* Add a warning about the article being read (an optional field ignored);
 * several are joined with "; ". */
void lsx__reader_warn(lsx_reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Skip the current file as holding no article (r->skip_kind set to `kind`). */
int lsx__reader_skip_file(lsx_reader *r, lsx_skip_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The id of a file: its resolved path relative to the id root, without its
 * extensions, white space, control bytes and "%" percent-encoded.  malloc'd. */
char *lsx__file_id(const char *root, const char *real);

/* The display name of the current file (its path). */
static inline const char *lsx__reader_file(const lsx_reader *r)
{
    return r->cur ? r->cur->path : "?";
}

/* Is [s, s+n) valid UTF-8? */
bool lsx__valid_utf8(const char *s, size_t n);

/* Trim ASCII whitespace at both ends of [*s, *s + *n). */
void lsx__trim(const char **s, size_t *n);

/* Empty a buffer for reuse (keeps its memory). */
static inline void lsx__buf_reset(lsx_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

/* The contents of a buffer as a string ("" when nothing was ever added). */
static inline const char *lsx__buf_str(const lsx_buf *b)
{
    return b->data ? b->data : "";
}

static inline bool lsx__is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

#endif /* LSX_READER_H */

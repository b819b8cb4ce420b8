/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * reader-jsonl.c - JSON news records, parsed with jansson, in three layouts:
 *
 *   JSON Lines   one object per line (blank lines are skipped);
 *   an array     [ {...}, {...} ] over any number of lines;
 *   one object   a single record, or a feed object whose "articles",
 *                "items", "data", "results", "documents", "docs" or
 *                "posts" member is the array of records.
 *
 * A file whose first non-blank character is "[" is an array; one that
 * starts with "{" is read as JSON Lines unless its first line is not a
 * whole object, in which case the whole file is one JSON document.
 *
 * Field names (the first one present and not null wins):
 *   id     id, docno, guid, _id, uuid          (string or number)
 *   body   body, text, content, articleBody, description, summary
 *   title  title, headline, name
 *   date   published, pubDate, datePublished, date, publishedAt, published_at,
 *          pub_date, publish_date, created_at, timestamp, time
 *          (a string in any form date-parse.c reads, or Unix seconds or
 *          milliseconds as a number)
 *   url    url, link, canonical_url, permalink (becomes the source)
 *   lang   lang, language, inLanguage
 * A record without an id takes its url (when it is a usable id) or else the
 * file's id followed by "#N", N its record number from 1.  A missing or
 * non-string body skips the record; an optional field that cannot be read
 * is left out with a warning naming file, line and field.
 */
#include "reader.h"

#include <stdio.h>
#include <string.h>

static const char *const id_keys[] = { "id", "docno", "guid", "_id", "uuid", NULL };
static const char *const body_keys[] = { "body", "text", "content", "articleBody", "description",
                                         "summary", NULL };
static const char *const title_keys[] = { "title", "headline", "name", NULL };
static const char *const date_keys[] = { "published", "pubDate", "datePublished", "date",
                                         "publishedAt", "published_at", "pub_date", "publish_date",
                                         "created_at", "timestamp", "time", NULL };
static const char *const url_keys[] = { "url", "link", "canonical_url", "permalink", NULL };
static const char *const lang_keys[] = { "lang", "language", "inLanguage", NULL };
static const char *const feed_keys[] = { "articles", "items", "data", "results", "documents",
                                         "docs", "posts", NULL };

/* Where the record being read is, for messages: "file:LINE" or "file#N". */
static void where(lsx_reader *r, char *buf, size_t cap)
{
    if (r->jdoc)
        snprintf(buf, cap, "%s#%llu", lsx__reader_file(r), (unsigned long long)r->jnext);
    else
        snprintf(buf, cap, "%s:%llu", lsx__reader_file(r), (unsigned long long)r->in.line);
}

static int field_error(lsx_reader *r, const char *field, const char *what)
{
    char at[LSX_ERRLEN / 2];
    where(r, at, sizeof at);
    return lsx__seterr(r->err, LSX_EPARSE, "%s: field \"%s\": %s; record skipped", at, field, what);
}

static void field_warning(lsx_reader *r, const char *field, const char *what)
{
    char at[LSX_ERRLEN / 2];
    where(r, at, sizeof at);
    lsx__reader_warn(r, "%s: field \"%s\": %s; left out", at, field, what);
}

/* The first key of `keys` present and not null in o. */
static json_t *first_of(json_t *o, const char *const *keys, const char **used)
{
    for (; *keys; keys++) {
        json_t *v = json_object_get(o, *keys);
        if (v && !json_is_null(v)) {
            *used = *keys;
            return v;
        }
    }
    *used = NULL;
    return NULL;
}

/* An optional string field: NULL when absent, empty or not a string (warned). */
static const char *opt_string(lsx_reader *r, json_t *o, const char *const *keys)
{
    const char *key;
    json_t *v = first_of(o, keys, &key);
    if (!v)
        return NULL;
    if (!json_is_string(v)) {
        field_warning(r, key, "expected a string");
        return NULL;
    }
    return json_string_length(v) ? json_string_value(v) : NULL;
}

/* A url usable as an id: not too long, no white space or control bytes. */
static bool id_like(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > LSX_MAX_ID_BYTES)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] <= ' ' || s[i] == 0x7F)
            return false;
    return true;
}

/* The file's id (its path below the id root, without extensions). */
static void file_id(lsx_reader *r, lsx_buf *b)
{
    lsx_buf_puts(b, r->cur->id);
}

/* Build the article from the object `o`. */
static int from_object(lsx_reader *r, json_t *o, lsx_article *out)
{
    const char *key;
    const char *url = opt_string(r, o, url_keys);
    json_t *v = first_of(o, id_keys, &key);
    lsx__buf_reset(&r->id);
    if (v && json_is_string(v) && json_string_length(v)) {
        out->id = json_string_value(v);
    } else if (v && json_is_integer(v)) {
        snprintf(r->numid, sizeof r->numid, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        out->id = r->numid;
    } else if (v && json_is_real(v)) {
        double x = json_real_value(v);
        if (x > -1e15 && x < 1e15 && (double)(long long)x == x)
            snprintf(r->numid, sizeof r->numid, "%.0f", x);
        else
            snprintf(r->numid, sizeof r->numid, "%.17g", x);
        out->id = r->numid;
    } else if (v) {
        return field_error(r, key, json_is_string(v) ? "empty" : "expected a string or a number");
    } else if (url && id_like(url)) {
        out->id = url;
    } else {
        file_id(r, &r->id);
        lsx_buf_printf(&r->id, "#%llu", (unsigned long long)r->jnext);
        out->id = lsx__buf_str(&r->id);
    }

    v = first_of(o, body_keys, &key);
    if (!v)
        return field_error(r, "body", "missing (also looked for text, content, articleBody, "
                           "description, summary)");
    if (!json_is_string(v))
        return field_error(r, key, "expected a string");
    out->body = json_string_value(v);
    out->body_len = json_string_length(v);

    out->title = opt_string(r, o, title_keys);
    out->lang = opt_string(r, o, lang_keys);
    if (out->lang && (strlen(out->lang) > 15 || strspn(out->lang, "abcdefghijklmnopqrstuvwxyz"
                                                                  "ABCDEFGHIJKLMNOPQRSTUVWXYZ-_")
                                                    != strlen(out->lang))) {
        field_warning(r, "lang", "not a language code");
        out->lang = NULL;
    }
    if (out->lang) {
        /* "en-US", "vi_VN" -> "en", "vi" */
        size_t n = strcspn(out->lang, "-_");
        lsx__buf_reset(&r->lang);
        for (size_t i = 0; i < n; i++)
            lsx_buf_putc(&r->lang, (char)(out->lang[i] | 0x20));
        out->lang = lsx__buf_str(&r->lang);
        if (r->lang.len < 2 || r->lang.len > 12) {
            field_warning(r, "lang", "not a language code");
            out->lang = NULL;
        }
    }

    v = first_of(o, date_keys, &key);
    uint64_t line = r->jdoc ? 0 : r->in.line;
    if (v && json_is_string(v)) {
        lsx__reader_set_date(r, out, key, line, json_string_value(v), json_string_length(v));
        if (out->date_source == LSX_DATE_UNREADABLE && r->jdoc) {
            /* name the record: the warning from set_date has no line */
            char at[LSX_ERRLEN / 2];
            where(r, at, sizeof at);
            lsx__reader_warn(r, "(record %s)", at);
        }
    } else if (v && json_is_number(v)) {
        double x = json_number_value(v);
        lsx_when w;
        if (x > 1e11)
            x /= 1000;                 /* milliseconds */
        if (lsx__unix_when(x, &w)) {
            lsx__reader_set_when(r, out, &w);
        } else {
            out->date_source = LSX_DATE_UNREADABLE;
            field_warning(r, key, "not a Unix time in seconds or milliseconds");
        }
    } else if (v) {
        out->date_source = LSX_DATE_UNREADABLE;
        field_warning(r, key, "expected a date string or a Unix time");
    }

    lsx__buf_reset(&r->source);
    if (url) {
        lsx_buf_puts(&r->source, url);
    } else {
        char at[LSX_ERRLEN / 2];
        where(r, at, sizeof at);
        lsx_buf_puts(&r->source, at);
    }
    out->source = lsx__buf_str(&r->source);
    return LSX_OK;
}

/* Read the rest of the file after `first` (the first line) as one document. */
static int load_whole(lsx_reader *r, const char *first, size_t n)
{
    lsx_buf all = { 0 };
    lsx_buf_append(&all, first, n);
    const char *line;
    size_t len;
    int rc;
    while ((rc = lsx__lines_next(r, &line, &len)) == 1) {
        lsx_buf_putc(&all, '\n');
        lsx_buf_append(&all, line, len);
        if (all.len > LSX_READER_MAX_RECORD) {
            lsx_buf_free(&all);
            return lsx__reader_skip_file(r, LSX_SKIP_MALFORMED, "%s: JSON document larger than %zu MiB; "
                                         "skipped", lsx__reader_file(r), LSX_READER_MAX_RECORD >> 20);
        }
    }
    if (rc < 0 || all.oom) {
        lsx_buf_free(&all);
        return rc < 0 ? rc : LSX_ENOMEM;
    }
    json_error_t je;
    json_t *doc = json_loadb(all.data, all.len, 0, &je);
    lsx_buf_free(&all);
    if (!doc)
        return lsx__reader_skip_file(r, LSX_SKIP_MALFORMED, "%s:%d: invalid JSON: %s (column %d); "
                                     "file skipped", lsx__reader_file(r), je.line, je.text, je.column);
    r->jdoc = doc;
    r->jnext = 0;
    if (json_is_array(doc)) {
        r->jarr = doc;
    } else {
        const char *key;
        json_t *arr = first_of(doc, feed_keys, &key);
        r->jarr = arr && json_is_array(arr) ? arr : NULL;
    }
    return LSX_OK;
}

/* The next record of a whole-file document. */
static int next_in_doc(lsx_reader *r, lsx_article *out)
{
    json_t *o;
    if (r->jarr) {
        if (r->jnext >= json_array_size(r->jarr)) {
            if (r->nrecords == 0 && json_array_size(r->jarr) == 0)
                return lsx__reader_skip_file(r, LSX_SKIP_EMPTY, "%s: an empty JSON array; skipped",
                                             lsx__reader_file(r));
            return LSX_DONE;
        }
        o = json_array_get(r->jarr, r->jnext++);
    } else {
        if (r->jnext++ > 0)
            return LSX_DONE;
        o = r->jdoc;
    }
    if (!json_is_object(o)) {
        char at[LSX_ERRLEN / 2];
        where(r, at, sizeof at);
        return lsx__seterr(r->err, LSX_EPARSE, "%s: expected a JSON object; record skipped", at);
    }
    int rc = from_object(r, o, out);
    if (rc != LSX_OK)
        *out = (lsx_article)LSX_ARTICLE_INIT;
    return rc;
}

int lsx__read_jsonl(lsx_reader *r, lsx_article *out)
{
    json_decref(r->json);
    r->json = NULL;
    if (r->jdoc)
        return next_in_doc(r, out);
    for (;;) {
        const char *line;
        size_t n;
        int rc = lsx__lines_next(r, &line, &n);
        if (rc < 0)
            return rc;
        if (rc == 0)
            return LSX_DONE;
        const char *t = line;
        size_t tn = n;
        lsx__trim(&t, &tn);
        if (!tn)
            continue;
        json_error_t je;
        if (*t == '[' && r->jnext == 0) {
            rc = load_whole(r, line, n);
            return rc != LSX_OK ? rc : next_in_doc(r, out);
        }
        json_t *o = json_loadb(line, n, 0, &je);
        if (!o && r->jnext == 0 && *t == '{' && je.position >= (int)n) {
            /* the first object does not end on its line: the whole file is one document */
            rc = load_whole(r, line, n);
            return rc != LSX_OK ? rc : next_in_doc(r, out);
        }
        r->jnext++;
        if (!o)
            return lsx__seterr(r->err, LSX_EPARSE, "%s:%llu: invalid JSON: %s (column %d); record skipped",
                               lsx__reader_file(r), (unsigned long long)r->in.line, je.text, je.column);
        if (!json_is_object(o)) {
            json_decref(o);
            return lsx__seterr(r->err, LSX_EPARSE, "%s:%llu: expected a JSON object; record skipped",
                               lsx__reader_file(r), (unsigned long long)r->in.line);
        }
        const char *key;
        json_t *feed = first_of(o, feed_keys, &key);
        if (r->jnext == 1 && !first_of(o, body_keys, &key) && feed && json_is_array(feed)) {
            /* a feed object on one line: {"status":"ok","articles":[...]} */
            r->jdoc = o;
            r->jarr = feed;
            r->jnext = 0;
            return next_in_doc(r, out);
        }
        r->json = o;
        rc = from_object(r, o, out);
        if (rc != LSX_OK) {
            json_decref(o);
            r->json = NULL;
            *out = (lsx_article)LSX_ARTICLE_INIT;
        }
        return rc;
    }
}

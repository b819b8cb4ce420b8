/*
 * reader-jsonl.c - JSON Lines: one object per line, parsed with jansson.
 *
 *   {"id": "a1" | 12, "title": "...", "date": "YYYY-MM-DD", "body": "...", "lang": "vi"}
 *
 * "docno" is accepted for "id" and "text" for "body"; blank lines are
 * skipped.  The article's strings point into the parsed object, which the
 * reader keeps until the next call.
 */
#include "reader.h"

#include <stdio.h>
#include <string.h>

static int field_error(lsx_reader *r, const char *field, const char *what)
{
    return lsx__seterr(r->err, LSX_EPARSE, "%s:%llu: field \"%s\": %s; record skipped",
                       lsx__reader_file(r), (unsigned long long)r->in.line, field, what);
}

/* The first of two alternative keys that is present and not null. */
static json_t *get2(json_t *o, const char *a, const char *b, const char **used)
{
    json_t *v = json_object_get(o, a);
    *used = a;
    if (!v || json_is_null(v)) {
        json_t *w = json_object_get(o, b);
        if (w && !json_is_null(w)) {
            *used = b;
            return w;
        }
    }
    return v && !json_is_null(v) ? v : NULL;
}

/* An optional string field: OK with *s NULL when absent, null or empty. */
static int opt_string(lsx_reader *r, json_t *o, const char *key, const char **s)
{
    json_t *v = json_object_get(o, key);
    *s = NULL;
    if (!v || json_is_null(v))
        return LSX_OK;
    if (!json_is_string(v))
        return field_error(r, key, "expected a string");
    if (json_string_length(v))
        *s = json_string_value(v);
    return LSX_OK;
}

/* Build the article from the object `o` (kept in r->json). */
static int from_object(lsx_reader *r, json_t *o, lsx_article *out)
{
    const char *key;
    json_t *v = get2(o, "id", "docno", &key);
    if (!v)
        return field_error(r, "id", "missing");
    if (json_is_string(v)) {
        if (!json_string_length(v))
            return field_error(r, key, "empty");
        out->id = json_string_value(v);
    } else if (json_is_integer(v)) {
        snprintf(r->numid, sizeof r->numid, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        out->id = r->numid;
    } else if (json_is_real(v)) {
        double x = json_real_value(v);
        if (x > -1e15 && x < 1e15 && (double)(long long)x == x)
            snprintf(r->numid, sizeof r->numid, "%.0f", x);
        else
            snprintf(r->numid, sizeof r->numid, "%.17g", x);
        out->id = r->numid;
    } else {
        return field_error(r, key, "expected a string or a number");
    }

    v = get2(o, "body", "text", &key);
    if (!v)
        return field_error(r, "body", "missing");
    if (!json_is_string(v))
        return field_error(r, key, "expected a string");
    out->body = json_string_value(v);
    out->body_len = json_string_length(v);

    int rc;
    const char *date;
    if ((rc = opt_string(r, o, "title", &out->title)) != LSX_OK
        || (rc = opt_string(r, o, "lang", &out->lang)) != LSX_OK
        || (rc = opt_string(r, o, "date", &date)) != LSX_OK)
        return rc;
    /* Within LSX_MAX_ARTICLE_BYTES: a cut copy of a longer title or body. */
    if (out->body_len > LSX_MAX_ARTICLE_BYTES) {
        lsx__buf_reset(&r->body);
        lsx__field_add(r, &r->body, out->body, out->body_len);
        out->body = lsx__buf_str(&r->body);
        out->body_len = r->body.len;
    }
    if (out->title && strlen(out->title) > LSX_MAX_TITLE_BYTES) {
        lsx__buf_reset(&r->title);
        lsx__field_add(r, &r->title, out->title, strlen(out->title));
        out->title = lsx__buf_str(&r->title);
    }
    if (date) {
        char norm[11];
        size_t n = strlen(date);
        if (!lsx__reader_date(date, n, true, norm)) {
            char what[96];
            snprintf(what, sizeof what, "bad date '%.40s' (expected YYYY-MM-DD)", date);
            return field_error(r, "date", what);
        }
        lsx__buf_reset(&r->date);
        lsx_buf_append(&r->date, norm, 10);
        out->date = lsx__buf_str(&r->date);
        out->date_source = LSX_DATE_HEADER;
    }
    lsx__buf_reset(&r->source);
    lsx_buf_printf(&r->source, "%s:%llu", lsx__reader_file(r), (unsigned long long)r->in.line);
    out->source = lsx__buf_str(&r->source);
    return LSX_OK;
}

int lsx__read_jsonl(lsx_reader *r, lsx_article *out)
{
    json_decref(r->json);
    r->json = NULL;
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
        if (r->line_cut) {
            r->line_cut = false;
            return lsx__seterr(r->err, LSX_EPARSE, "%s:%llu: record longer than %zu MiB "
                               "(LSX_MAX_LINE_BYTES); skipped", lsx__reader_file(r),
                               (unsigned long long)r->in.line, LSX_MAX_LINE_BYTES >> 20);
        }
        json_error_t je;
        json_t *o = json_loadb(line, n, 0, &je);
        if (!o)
            return lsx__seterr(r->err, LSX_EPARSE, "%s:%llu: invalid JSON: %s (column %d); record skipped",
                               lsx__reader_file(r), (unsigned long long)r->in.line, je.text, je.column);
        if (!json_is_object(o)) {
            json_decref(o);
            return lsx__seterr(r->err, LSX_EPARSE, "%s:%llu: expected a JSON object; record skipped",
                               lsx__reader_file(r), (unsigned long long)r->in.line);
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

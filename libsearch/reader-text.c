/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * reader-text.c - one article per plain text file.
 *
 *   [ ]date DATE [TITLE]           optional header line (DATE: one word in any
 *                                  form date-parse.c reads, e.g. 2023-03-03T10:00Z)
 *   TITLE                          first non-empty line, if the header has none
 *   body ...                       everything after it
 *
 * The id is the file's id (lsx__file_id: its resolved path below the id
 * root, without extensions); the source is the path.
 */
#include "reader.h"

#include <string.h>

/* Is this line the date header?  Sets the date token and the rest. */
static bool is_header(const char *s, size_t n, const char **date, size_t *dlen,
                      const char **rest, size_t *rlen)
{
    size_t i = 0;
    bool lead = false;
    while (i < n && (s[i] == ' ' || s[i] == '\t')) {
        i++;
        lead = true;
    }
    if (n - i < 5 || memcmp(s + i, "date", 4) != 0 || (s[i + 4] != ' ' && s[i + 4] != '\t'))
        return false;
    i += 5;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    size_t d = i;
    while (i < n && !lsx__is_space((unsigned char)s[i]))
        i++;
    /* Without the leading space, "date ..." is a header only if a number follows
     * (so a first line like "date palms ..." stays a title). */
    if (!lead && (i == d || s[d] < '0' || s[d] > '9'))
        return false;
    *date = s + d;
    *dlen = i - d;
    *rest = s + i;
    *rlen = n - i;
    lsx__trim(rest, rlen);
    return true;
}

int lsx__read_text(lsx_reader *r, lsx_article *out)
{
    if (r->text_done)
        return LSX_DONE;
    r->text_done = true;
    const char *file = lsx__reader_file(r);
    lsx__buf_reset(&r->title);
    lsx__buf_reset(&r->date);
    lsx__buf_reset(&r->body);
    *out = (lsx_article)LSX_ARTICLE_INIT;
    const char *line;
    size_t n;
    int rc = lsx__lines_next(r, &line, &n);
    if (rc <= 0)
        return rc < 0 ? rc : LSX_DONE;     /* an empty file holds no article */

    bool header = false, have_title = false;
    const char *d, *rest;
    size_t dlen, rlen;
    if (is_header(line, n, &d, &dlen, &rest, &rlen)) {
        if (dlen == 0) {
            out->date_source = LSX_DATE_UNREADABLE;
            lsx__reader_warn(r, "%s:1: field date: the header has no date; the date is looked for "
                             "in the text", file);
        } else {
            lsx__reader_set_date(r, out, "date", 1, d, dlen);
        }
        header = true;
        if (rlen) {
            lsx_buf_append(&r->title, rest, rlen);
            have_title = true;
        }
    } else {
        lsx__trim(&line, &n);
        if (n) {
            lsx_buf_append(&r->title, line, n);
            have_title = true;
        }
    }

    while ((rc = lsx__lines_next(r, &line, &n)) == 1) {
        if (!have_title || r->body.len == 0) {
            const char *t = line;
            size_t tn = n;
            lsx__trim(&t, &tn);
            if (!tn)
                continue;            /* blank lines before the title or the body */
            if (!have_title) {
                lsx_buf_append(&r->title, t, tn);
                have_title = true;
                continue;
            }
        }
        lsx_buf_append(&r->body, line, n);
        lsx_buf_putc(&r->body, '\n');
        if (r->body.len > LSX_READER_MAX_RECORD)
            return lsx__seterr(r->err, LSX_EPARSE, "%s: article larger than %zu MiB; skipped", file,
                               LSX_READER_MAX_RECORD >> 20);
    }
    if (rc < 0)
        return rc;
    if (!header && !have_title)
        return LSX_DONE;             /* only blank lines */
    while (r->body.len && lsx__is_space((unsigned char)r->body.data[r->body.len - 1]))
        r->body.data[--r->body.len] = '\0';

    lsx__buf_reset(&r->id);
    lsx_buf_puts(&r->id, r->cur->id);
    out->id = lsx__buf_str(&r->id);
    out->title = have_title ? lsx__buf_str(&r->title) : NULL;
    out->body = lsx__buf_str(&r->body);
    out->body_len = r->body.len;
    out->source = r->cur->path;
    return LSX_OK;
}

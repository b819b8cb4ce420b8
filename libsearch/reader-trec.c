/*
 * reader-trec.c - TREC SGML, streamed line by line:
 *
 *   <DOC> <DOCNO>id</DOCNO> [<DATE>..</DATE>] [<TITLE>..</TITLE> | <HEADLINE>..</HEADLINE>]
 *         <TEXT>..</TEXT> ... </DOC>
 *
 * Tags may stand on their own lines or inside a line.  Only these tags are
 * structure; any other text (including other tags, "<" and ">") is content.
 * Several <TEXT> blocks are joined with a newline.  A broken document is
 * reported (LSX_EPARSE, "file:LINE: ...") and reading goes on at the next <DOC>.
 */
#include "reader.h"

#include <string.h>

enum { T_DOC, T_DOCNO, T_DATE, T_TITLE, T_HEADLINE, T_TEXT };
enum { F_NONE, F_DOCNO, F_DATE, F_TITLE, F_TEXT };

/* Find the next known tag in [p, end): returns its start, or NULL. */
static const char *find_tag(const char *p, const char *end, int *tag, bool *close, size_t *tlen)
{
    while (p < end && (p = memchr(p, '<', (size_t)(end - p))) != NULL) {
        const char *q = p + 1;
        bool c = false;
        if (q < end && *q == '/') {
            c = true;
            q++;
        }
        const char *name = q;
        while (q < end && *q >= 'A' && *q <= 'Z')
            q++;
        if (q < end && *q == '>') {
            static const struct { const char *s; size_t n; int tag; } tags[] = {
                { "DOC", 3, T_DOC },     { "DOCNO", 5, T_DOCNO }, { "DATE", 4, T_DATE },
                { "TITLE", 5, T_TITLE }, { "HEADLINE", 8, T_HEADLINE }, { "TEXT", 4, T_TEXT },
            };
            size_t n = (size_t)(q - name);
            for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++) {
                if (tags[i].n == n && memcmp(tags[i].s, name, n) == 0) {
                    *tag = tags[i].tag;
                    *close = c;
                    *tlen = (size_t)(q + 1 - p);
                    return p;
                }
            }
        }
        p++;
    }
    return NULL;
}

static lsx_buf *field_buf(lsx_reader *r, int field)
{
    switch (field) {
    case F_DOCNO: return &r->id;
    case F_DATE:  return &r->date;
    case F_TITLE: return &r->title;
    case F_TEXT:  return &r->body;
    default:      return NULL;
    }
}

static void start_doc(lsx_reader *r)
{
    lsx_trec_state *t = &r->trec;
    t->in_doc = true;
    t->bad = false;
    t->field = F_NONE;
    t->doc_line = r->in.line;
    t->date_line = 0;
    lsx__buf_reset(&r->id);
    lsx__buf_reset(&r->date);
    lsx__buf_reset(&r->title);
    lsx__buf_reset(&r->body);
}

/* End the element being collected (a <TEXT> block loses its surrounding
 * whitespace, and its separator if it turned out empty). */
static void end_field(lsx_reader *r)
{
    lsx_trec_state *t = &r->trec;
    if (t->field == F_TEXT && r->body.data) {
        lsx_buf *b = &r->body;
        while (b->len > t->block_start && lsx__is_space((unsigned char)b->data[b->len - 1]))
            b->len--;
        if (b->len == t->block_start)
            b->len = t->sep_pos;
        b->data[b->len] = '\0';
    }
    t->field = F_NONE;
}

/* Add content to the element being collected. */
static void collect(lsx_reader *r, const char *p, size_t n)
{
    lsx_trec_state *t = &r->trec;
    lsx_buf *b = field_buf(r, t->field);
    if (!b || t->bad)
        return;
    bool at_start = t->field == F_TEXT ? b->len == t->block_start
                                        : b->len == 0 || b->data[b->len - 1] == ' ';
    if (at_start)
        while (n && lsx__is_space((unsigned char)*p)) {   /* no leading whitespace */
            p++;
            n--;
        }
    if (!n)
        return;
    lsx__field_add(r, b, p, n);     /* within LSX_MAX_ARTICLE_BYTES */
}

/* Line break inside an element: a newline in text, a space elsewhere. */
static void end_line(lsx_reader *r)
{
    lsx_trec_state *t = &r->trec;
    lsx_buf *b = field_buf(r, t->field);
    if (!b || t->bad)
        return;
    if (t->field == F_TEXT) {
        if (b->len > t->block_start)
            lsx_buf_putc(b, '\n');
    } else if (b->len) {
        lsx_buf_putc(b, ' ');
    }
}

static void trim_buf(lsx_buf *b)
{
    const char *s = lsx__buf_str(b);
    size_t n = b->len;
    lsx__trim(&s, &n);
    if (b->data) {
        memmove(b->data, s, n);
        b->data[n] = '\0';
    }
    b->len = n;
}

/* </DOC>: check the document and fill `out`. */
static int finish_doc(lsx_reader *r, lsx_article *out)
{
    lsx_trec_state *t = &r->trec;
    const char *file = lsx__reader_file(r);
    end_field(r);
    t->in_doc = false;
    if (t->bad)
        return LSX_EPARSE;
    trim_buf(&r->id);
    trim_buf(&r->title);
    trim_buf(&r->date);
    if (r->id.len == 0)
        return lsx__seterr(r->err, LSX_EPARSE, "%s:%llu: document has no <DOCNO>; skipped", file,
                           (unsigned long long)t->doc_line);
    if (r->date.len) {
        char date[11];
        if (!lsx__reader_date(r->date.data, r->date.len, true, date))
            return lsx__seterr(r->err, LSX_EPARSE,
                               "%s:%llu: field DATE: bad date '%.*s' (expected YYYY-MM-DD or YYYYMMDD); "
                               "document %s skipped", file, (unsigned long long)t->date_line,
                               (int)(r->date.len > 40 ? 40 : r->date.len), r->date.data, r->id.data);
        memcpy(r->date.data, date, 11);
        r->date.len = 10;
    }
    lsx__buf_reset(&r->source);
    lsx_buf_printf(&r->source, "%s:%llu", file, (unsigned long long)t->doc_line);
    out->id = r->id.data;
    out->title = r->title.len ? r->title.data : NULL;
    out->date = r->date.len ? r->date.data : NULL;
    out->date_source = r->date.len ? LSX_DATE_HEADER : LSX_DATE_NONE;
    out->body = lsx__buf_str(&r->body);
    out->body_len = r->body.len;
    out->source = lsx__buf_str(&r->source);
    return LSX_OK;
}

/* Act on a tag inside a document: 1 to go on, else a status to return. */
static int on_tag(lsx_reader *r, int tag, bool close, lsx_article *out)
{
    lsx_trec_state *t = &r->trec;
    static const int field_of[] = { F_NONE, F_DOCNO, F_DATE, F_TITLE, F_TITLE, F_TEXT };
    int f = field_of[tag];
    if (tag == T_DOC) {
        if (close)
            return finish_doc(r, out);
        uint64_t was = t->doc_line;
        bool bad = t->bad;
        start_doc(r);                /* resynchronise: this <DOC> starts the next one */
        if (bad)
            return LSX_EPARSE;
        return lsx__seterr(r->err, LSX_EPARSE, "%s:%llu: <DOC> inside the <DOC> of line %llu "
                           "(missing </DOC>); that document skipped", lsx__reader_file(r),
                           (unsigned long long)r->in.line, (unsigned long long)was);
    }
    if (close) {
        if (t->field == f)
            end_field(r);
        return 1;
    }
    if (t->field == f)
        return 1;                    /* repeated opening tag: keep collecting */
    end_field(r);
    lsx_buf *b = field_buf(r, f);
    if (f != F_TEXT && b->len)
        return 1;                    /* only the first DOCNO/DATE/TITLE counts */
    t->field = f;
    if (f == F_DATE)
        t->date_line = r->in.line;
    if (f == F_TEXT) {
        t->sep_pos = b->len;
        if (b->len)
            lsx_buf_putc(b, '\n');
        t->block_start = b->len;
    }
    return 1;
}

int lsx__read_trec(lsx_reader *r, lsx_article *out)
{
    lsx_trec_state *t = &r->trec;
    for (;;) {
        if (!t->have_line) {
            int rc = lsx__lines_next(r, &t->line, &t->len);
            if (rc < 0)
                return rc;
            if (rc == 0) {
                if (!t->in_doc)
                    return LSX_DONE;
                t->in_doc = false;
                if (t->bad)
                    return LSX_EPARSE;
                return lsx__seterr(r->err, LSX_EPARSE, "%s:%llu: end of file inside <DOC> (missing </DOC>); "
                                   "that document skipped", lsx__reader_file(r),
                                   (unsigned long long)t->doc_line);
            }
            t->have_line = true;
            t->off = 0;
        }
        const char *p = t->line + t->off, *end = t->line + t->len;
        int tag = 0;
        bool close = false;
        size_t tlen = 0;
        const char *at = find_tag(p, end, &tag, &close, &tlen);
        if (!t->in_doc) {
            while (at && (tag != T_DOC || close))
                at = find_tag(at + tlen, end, &tag, &close, &tlen);
            if (!at) {
                t->have_line = false;
                continue;
            }
            t->off = (size_t)(at + tlen - t->line);
            start_doc(r);
            continue;
        }
        collect(r, p, (size_t)((at ? at : end) - p));
        if (!at) {
            end_line(r);
            t->have_line = false;
            continue;
        }
        t->off = (size_t)(at + tlen - t->line);
        int rc = on_tag(r, tag, close, out);
        if (rc != 1)
            return rc;
    }
}

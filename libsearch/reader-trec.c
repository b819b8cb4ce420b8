/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * reader-trec.c - TREC SGML, streamed line by line:
 *
 *   <DOC> <DOCNO>id</DOCNO> [<DATE>..</DATE> | <DATE1>..</DATE1>]
 *         [title] <TEXT>..</TEXT> ... </DOC>
 *
 * The title is taken from the first of these elements, in this order of
 * preference: TI, HEADLINE, TITLE, HL, HEAD, H3, HEADER (FBIS puts <TI>
 * inside <H3>, after a <HEADER>; the LA Times and FT use <HEADLINE>, the WSJ
 * <HL>, AP <HEAD>).  An FT headline's "FT  14 MAY 91 / " prefix is dropped.
 * The date is read from <DATE> or <DATE1> in any form date-parse.c reads
 * (FT "910514", LA Times "January 1, 1989, Sunday, Home Edition", FBIS
 * "2 January 1994"); one that cannot be read is warned about and the date
 * is looked for in the text.
 *
 * Tags may stand on their own lines or inside a line.  Only these tags are
 * structure.  Inside them, the markup TREC collections use is dropped: <P>,
 * </P>, <LP>, </LP> at the start of a line, <F P=..> and </F> anywhere
 * (markup_len); other text, including "<" and ">" (Reuters writes tickers
 * as "<BP>", "<F>"), is content.  Several <TEXT> blocks are joined with a
 * newline.  A broken document is reported (LSX_EPARSE, "file:LINE: ...")
 * and reading goes on at the next <DOC>.  A file with no <DOC> at all is
 * reported as holding no TREC record.
 */
#include "reader.h"

#include <string.h>

enum { T_DOC, T_DOCNO, T_DATE, T_TEXT, T_TI, T_HEADLINE, T_TITLE, T_HL, T_HEAD, T_H3, T_HEADER };
enum { F_NONE, F_DOCNO, F_DATE, F_TITLE, F_TEXT };
#define TITLE_RANK(tag) ((tag) - T_TI)     /* 0 = the most preferred title element */

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
        while (q < end && ((*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9' && q > name)))
            q++;
        if (q < end && *q == '>') {
            static const struct { const char *s; size_t n; int tag; } tags[] = {
                { "DOC", 3, T_DOC },     { "DOCNO", 5, T_DOCNO }, { "DATE", 4, T_DATE },
                { "DATE1", 5, T_DATE },  { "TEXT", 4, T_TEXT },   { "TI", 2, T_TI },
                { "HEADLINE", 8, T_HEADLINE }, { "TITLE", 5, T_TITLE }, { "HL", 2, T_HL },
                { "HEAD", 4, T_HEAD },   { "H3", 2, T_H3 },       { "HEADER", 6, T_HEADER },
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
    t->title_rank = -1;
    t->seen_doc = true;
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

/* Length of the inner markup at p, 0 if none.  Only what TREC collections
 * use as markup is dropped, since "<" and ">" are also content (Reuters
 * writes tickers as "<F>", "<P>", "<BP>"): <P>, </P>, <LP>, </LP> at the
 * start of a line (as the LA Times sets them; where a ticker never starts
 * one), and FBIS's <F P=105> ... </F> anywhere. */
static size_t markup_len(const char *p, const char *end, bool line_start)
{
    static const struct { const char *s; size_t n; bool anywhere; } marks[] = {
        { "<P>", 3, false }, { "</P>", 4, false }, { "<LP>", 4, false }, { "</LP>", 5, false },
        { "</F>", 4, true },
    };
    size_t left = (size_t)(end - p);
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
        if (left >= marks[i].n && memcmp(p, marks[i].s, marks[i].n) == 0 &&
            (marks[i].anywhere || line_start))
            return marks[i].n;
    /* <F P=105>: the tag with attributes */
    if (left > 4 && memcmp(p, "<F ", 3) == 0 && p[3] >= 'A' && p[3] <= 'Z') {
        const char *q = p + 3;
        while (q < end && *q != '>' && *q != '<' && q - p < 100)
            q++;
        if (q < end && *q == '>')
            return (size_t)(q + 1 - p);
    }
    return 0;
}

static void collect_raw(lsx_reader *r, const char *p, size_t n);

/* Add content to the element being collected, without its inner markup. */
static void collect(lsx_reader *r, const char *p, size_t n)
{
    const char *end = p + n, *from = p;
    const lsx_trec_state *t = &r->trec;
    for (const char *q = p; q < end && (q = memchr(q, '<', (size_t)(end - q))) != NULL;) {
        /* only white space between the line's start and q? */
        const char *ls = t->line;
        bool line_start = q >= ls && q <= ls + t->len;
        for (const char *c = ls; line_start && c < q; c++)
            line_start = lsx__is_space((unsigned char)*c);
        size_t m = markup_len(q, end, line_start);
        if (!m) {
            q++;
            continue;
        }
        collect_raw(r, from, (size_t)(q - from));
        q += m;
        /* the markup separates words: one space unless white space is already there */
        lsx_buf *b = field_buf(r, r->trec.field);
        bool space_before = !b || !b->len || lsx__is_space((unsigned char)b->data[b->len - 1]);
        if (space_before)
            while (q < end && (*q == ' ' || *q == '\t'))
                q++;
        else if (q < end && *q != ' ' && *q != '\t')
            collect_raw(r, " ", 1);
        from = q;
    }
    collect_raw(r, from, (size_t)(end - from));
}

static void collect_raw(lsx_reader *r, const char *p, size_t n)
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
    lsx_buf_append(b, p, n);
    if (b->len > LSX_READER_MAX_RECORD) {
        t->bad = true;
        lsx__seterr(r->err, LSX_EPARSE, "%s:%llu: document larger than %zu MiB; skipped",
                    lsx__reader_file(r), (unsigned long long)t->doc_line, LSX_READER_MAX_RECORD >> 20);
    }
}

/* Line break inside an element: a newline in text, a space elsewhere. */
static void end_line(lsx_reader *r)
{
    lsx_trec_state *t = &r->trec;
    lsx_buf *b = field_buf(r, t->field);
    if (!b || t->bad)
        return;
    if (t->field == F_TEXT) {
        /* at most one blank line in a row (markup lines like <P> leave empty ones) */
        if (b->len > t->block_start &&
            !(b->len >= t->block_start + 2 && b->data[b->len - 1] == '\n' && b->data[b->len - 2] == '\n'))
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

/* "FT  14 MAY 91 / Title": the Financial Times' headline prefix. */
static void drop_ft_prefix(lsx_buf *b)
{
    const char *s = lsx__buf_str(b);
    if (b->len < 16 || strncmp(s, "FT ", 3) != 0)
        return;
    const char *slash = strstr(s, " / ");
    if (!slash || slash - s > 20)
        return;
    for (const char *q = s + 3; q < slash; q++)
        if (!(*q == ' ' || (*q >= '0' && *q <= '9') || (*q >= 'A' && *q <= 'Z')))
            return;
    size_t skip = (size_t)(slash + 3 - s);
    memmove(b->data, s + skip, b->len - skip + 1);
    b->len -= skip;
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
    drop_ft_prefix(&r->title);
    if (r->date.len) {
        /* parse a copy: the canonical form is written back into r->date */
        char raw[256];
        size_t n = r->date.len < sizeof raw ? r->date.len : sizeof raw - 1;
        memcpy(raw, r->date.data, n);
        lsx__buf_reset(&r->date);
        lsx__reader_set_date(r, out, "DATE", t->date_line, raw, n);
    }
    lsx__buf_reset(&r->source);
    lsx_buf_printf(&r->source, "%s:%llu", file, (unsigned long long)t->doc_line);
    out->id = r->id.data;
    out->title = r->title.len ? r->title.data : NULL;
    out->body = lsx__buf_str(&r->body);
    out->body_len = r->body.len;
    out->source = lsx__buf_str(&r->source);
    return LSX_OK;
}

/* Act on a tag inside a document: 1 to go on, else a status to return. */
static int on_tag(lsx_reader *r, int tag, bool close, lsx_article *out)
{
    lsx_trec_state *t = &r->trec;
    int f = tag == T_DOCNO ? F_DOCNO : tag == T_DATE ? F_DATE : tag == T_TEXT ? F_TEXT
          : tag == T_DOC ? F_NONE : F_TITLE;
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
    if (f == F_TITLE) {
        /* a more preferred title element replaces what a lesser one gave */
        int rank = TITLE_RANK(tag);
        end_field(r);
        if (t->title_rank >= 0 && rank >= t->title_rank)
            return 1;
        lsx__buf_reset(&r->title);
        t->title_rank = rank;
        t->field = F_TITLE;
        return 1;
    }
    if (t->field == f)
        return 1;                    /* repeated opening tag: keep collecting */
    end_field(r);
    lsx_buf *b = field_buf(r, f);
    if (f != F_TEXT && b->len)
        return 1;                    /* only the first DOCNO/DATE counts */
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
                if (!t->in_doc && !t->seen_doc)
                    return lsx__reader_skip_file(r, LSX_SKIP_NO_RECORD, "%s: no TREC <DOC> record "
                                                 "found (read as TREC); skipped", lsx__reader_file(r));
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

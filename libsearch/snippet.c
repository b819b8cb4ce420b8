/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * snippet.c - a short extract of a document around the query's words.
 *
 * The text is analysed with the same analyzer as at index time, so a word
 * matches when its search form (folded, stemmed) is one of the query's
 * terms, or its exact spelling one the query asked for (LSX_HL_SPELLING).
 * The extract is the window of at most `target` bytes that holds the most
 * distinct query terms (ties: more matches, then earlier); it is then
 * widened to about `target` bytes at word boundaries.  Matched words are
 * wrapped in the highlight markers; runs of white space become one space.
 */
#include "private.h"

#include <stdlib.h>
#include <string.h>

/* Only the start of very long bodies is scanned: snippets are for a results page. */
#define SNIPPET_SCAN_BYTES (256 * 1024)
#define ELLIPSIS "\xe2\x80\xa6" /* U+2026 */

typedef struct word {
    size_t start, end;
    int term;      /* index into terms[], or -1 */
} word;

typedef struct collect {
    const char *const *terms;
    size_t nterms;
    bool spellings;   /* some terms are LSX_HL_SPELLING + exact spelling */
    word *words;
    size_t n, cap;
    bool oom;
} collect;

static int cmp_term(const void *key, const void *elem)
{
    return strcmp((const char *)key, *(const char *const *)elem);
}

static int on_token(void *payload, const lsx_token *t)
{
    collect *c = payload;
    word *w = lsx__grow(c->words, c->n, &c->cap, sizeof *w, 256);
    if (!w) {
        c->oom = true;
        return 1;
    }
    c->words = w;
    const char *const *hit = c->nterms ? bsearch(t->term, c->terms, c->nterms, sizeof *c->terms, cmp_term) : NULL;
    if (!hit && c->spellings && t->exact_len <= LSX_MAX_WORD_BYTES) {
        char key[LSX_MAX_WORD_BYTES + 2];
        key[0] = LSX_HL_SPELLING[0];
        memcpy(key + 1, t->exact, t->exact_len);
        key[t->exact_len + 1] = '\0';
        hit = bsearch(key, c->terms, c->nterms, sizeof *c->terms, cmp_term);
    }
    c->words[c->n++] = (word){t->start, t->end, hit ? (int)(hit - c->terms) : -1};
    return 0;
}

/* Append text[a:b) with white space runs collapsed to one space. */
static void put_text(lsx_buf *out, const char *text, size_t a, size_t b)
{
    bool space = false;
    for (size_t i = a; i < b; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v') {
            space = true;
            continue;
        }
        if (space && out->len > 0 && out->data[out->len - 1] != ' ')
            lsx_buf_putc(out, ' ');
        space = false;
        lsx_buf_putc(out, (char)ch);
    }
    if (space && out->len > 0 && out->data[out->len - 1] != ' ')
        lsx_buf_putc(out, ' ');
}

/* Choose words [*wa, *wb] (inclusive) for the snippet. */
static void best_window(const collect *c, size_t target, size_t *wa, size_t *wb)
{
    size_t nt = c->nterms;
    unsigned *seen = nt ? calloc(nt, sizeof *seen) : NULL;
    size_t best_a = 0, best_b = 0, best_distinct = 0, best_hits = 0;
    if (seen) {
        size_t distinct = 0, hits = 0, a = 0;
        for (size_t b = 0; b < c->n; b++) {
            if (c->words[b].term >= 0) {
                if (seen[c->words[b].term]++ == 0)
                    distinct++;
                hits++;
            }
            while (c->words[b].end - c->words[a].start > target && a < b) {
                if (c->words[a].term >= 0) {
                    if (--seen[c->words[a].term] == 0)
                        distinct--;
                    hits--;
                }
                a++;
            }
            if (distinct > best_distinct || (distinct == best_distinct && hits > best_hits)) {
                best_distinct = distinct;
                best_hits = hits;
                best_a = a;
                best_b = b;
            }
        }
        free(seen);
    }
    if (best_distinct == 0) {
        best_a = 0;
        best_b = 0;
    } else {
        /* Start a little before the first match so it has some context. */
        while (best_a < best_b && c->words[best_a].term < 0)
            best_a++;
        size_t lead = target / 5;
        while (best_a > 0 && c->words[best_b].end - c->words[best_a - 1].start <= target &&
               c->words[best_a].start - c->words[best_a - 1].start <= lead) {
            lead -= c->words[best_a].start - c->words[best_a - 1].start;
            best_a--;
        }
    }
    /* Widen to the right, then to the left, up to the target length. */
    while (best_b + 1 < c->n && c->words[best_b + 1].end - c->words[best_a].start <= target)
        best_b++;
    while (best_a > 0 && c->words[best_b].end - c->words[best_a - 1].start <= target)
        best_a--;
    *wa = best_a;
    *wb = best_b;
}

char *lsx_snippet(lsx_analyzer *a, const char *lang, const char *text, size_t len,
                  const char *const *terms, size_t nterms, size_t target,
                  const char *hl_start, const char *hl_end)
{
    if (!hl_start)
        hl_start = "";
    if (!hl_end)
        hl_end = "";
    if (target == 0)
        target = 200;
    size_t scan = len;
    if (scan > SNIPPET_SCAN_BYTES) {
        scan = SNIPPET_SCAN_BYTES;
        /* Do not cut a UTF-8 sequence in two. */
        while (scan > 0 && ((unsigned char)text[scan] & 0xc0) == 0x80)
            scan--;
    }
    /* Sorted: entries starting with LSX_HL_SPELLING (a control byte) come first. */
    collect c = {terms, nterms, nterms > 0 && terms[0][0] == LSX_HL_SPELLING[0], NULL, 0, 0, false};
    int rc = lsx_analyze(a, lang, text, scan, on_token, &c);
    if (c.oom || rc < 0) {
        free(c.words);
        return NULL;
    }
    lsx_buf out = {0};
    if (c.n == 0) {
        free(c.words);
        return lsx_buf_detach(&out);
    }
    size_t wa, wb;
    best_window(&c, target, &wa, &wb);
    if (wa > 0)
        lsx_buf_puts(&out, ELLIPSIS);
    size_t at = c.words[wa].start;
    for (size_t i = wa; i <= wb; i++) {
        const word *w = &c.words[i];
        put_text(&out, text, at, w->start);
        if (w->term >= 0) {
            lsx_buf_puts(&out, hl_start);
            lsx_buf_append(&out, text + w->start, w->end - w->start);
            lsx_buf_puts(&out, hl_end);
        } else {
            lsx_buf_append(&out, text + w->start, w->end - w->start);
        }
        at = w->end;
    }
    /* Keep closing punctuation that belongs to the last word (". , ; ! ?"). */
    size_t tail = at;
    while (tail < scan && tail - at < 3 && strchr(".,;:!?)\"'", text[tail]) && text[tail])
        tail++;
    put_text(&out, text, at, tail);
    if (wb + 1 < c.n || scan < len)
        lsx_buf_puts(&out, ELLIPSIS);
    free(c.words);
    return lsx_buf_detach(&out);
}

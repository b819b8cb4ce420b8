/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * reader-html.c - one article per HTML page (.html, .htm, .xhtml, also
 * gzip'd), parsed with libxml2's HTML parser (which recovers from the
 * broken markup real pages carry).
 *
 *   title   <meta property="og:title">, else the first <h1>, else <title>
 *   date    <meta property="article:published_time">, else <time datetime>
 *           (inside the article first), else JSON-LD "datePublished"
 *           (also inside "@graph" or an array), else <meta name="date">,
 *           "pubdate", "publishdate", "DC.date.issued" or
 *           itemprop="datePublished"; read in any form date-parse.c reads.
 *           One that cannot be read is warned about (file, line, field) and
 *           the date is looked for in the text.
 *   body    the text of the first <article>, else <main> (or role="main"),
 *           else the whole <body>, without: script, style, noscript,
 *           template, svg, iframe, form, button, select, nav, header,
 *           footer, aside, the <h1> (it is the title), anything hidden
 *           (hidden, aria-hidden="true"), anything whose role is
 *           navigation, banner, contentinfo or complementary, anything
 *           whose class or id has a boilerplate word (cookie, consent,
 *           related, share, social, newsletter, subscribe, advert, promo,
 *           breadcrumb, comments, sidebar, popup, modal, banner, menu, nav,
 *           footer, header, byline, dateline, meta, trending, recommended,
 *           ...), and any list or
 *           block whose text is mostly links (related-article lists).
 *           Block elements end lines; runs of white space become one space.
 *   source  <link rel="canonical">, else og:url, else the file's path
 *   lang    <html lang="vi-VN"> gives "vi"
 *   id      the file's id (lsx__file_id)
 *
 * Characters: the page is decoded here, not by libxml2, which stops
 * reading at the first byte its declared encoding does not allow (the rest
 * of the page was lost, and it wrote "encoding error" to stderr) and reads
 * the rest of an undeclared page as Latin-1 from its first non-UTF-8 byte
 * on.  Valid UTF-8 is UTF-8; else the charset of a <meta> in the first
 * 4 KiB (or a UTF-16 byte order mark), converted with iconv; else UTF-8
 * if the page holds any well-formed multi-byte sequence, else
 * windows-1252.  A byte that does not decode becomes U+FFFD, as in the
 * other readers, with a warning that counts them.  libxml2's own messages
 * are kept off stderr while it parses.
 *
 * Size: scripts (JSON-LD excepted), styles and comments are dropped as the
 * page is read (filter_scan below); the rest is read up to 2 MiB
 * (LSX_READER_MAX_RECORD), a longer page cut there with a warning, and
 * title and body are cut at LSX_MAX_TITLE_BYTES and LSX_MAX_ARTICLE_BYTES.
 */
#include "reader.h"

#include <errno.h>
#include <iconv.h>
#include <libxml/HTMLparser.h>
#include <libxml/globals.h>
#include <libxml/tree.h>
#include <string.h>
#include <strings.h>

typedef struct page {
    xmlNode *og_title, *h1, *title;
    xmlNode *canonical, *og_url;
    xmlNode *pub_meta, *time_el, *time_in_article, *meta_date;
    const char *meta_date_field;
    xmlNode *article, *main;
    xmlNode *body;
    json_t *ld_date_doc;          /* owns the JSON-LD document the date came from */
    const char *ld_date;
    uint64_t ld_line;
} page;

static const char *attr(xmlNode *n, const char *name)
{
    for (xmlAttr *a = n->properties; a; a = a->next)
        if (strcasecmp((const char *)a->name, name) == 0 && a->children && a->children->content)
            return (const char *)a->children->content;
    return NULL;
}

static bool is(xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcasecmp((const char *)n->name, name) == 0;
}

static const char *find_ld_date(json_t *v, int depth)
{
    if (depth > 8 || !v)
        return NULL;
    if (json_is_array(v)) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e) {
            const char *d = find_ld_date(e, depth + 1);
            if (d)
                return d;
        }
        return NULL;
    }
    if (!json_is_object(v))
        return NULL;
    json_t *d = json_object_get(v, "datePublished");
    if (json_is_string(d))
        return json_string_value(d);
    return find_ld_date(json_object_get(v, "@graph"), depth + 1);
}

/* Text of a node and its descendants (for <title>, <script>). */
static void text_of(xmlNode *n, lsx_buf *b)
{
    for (xmlNode *c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            if (c->content)
                lsx_buf_puts(b, (const char *)c->content);
        } else if (c->type == XML_ELEMENT_NODE) {
            text_of(c, b);
        }
    }
}

static void scan(xmlNode *n, page *pg, bool in_article)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        const char *name = (const char *)n->name;
        bool art = in_article;
        if (!strcasecmp(name, "meta")) {
            const char *prop = attr(n, "property"), *nm = attr(n, "name"), *ip = attr(n, "itemprop");
            const char *key = prop ? prop : nm;
            if (key && !strcasecmp(key, "og:title") && !pg->og_title)
                pg->og_title = n;
            else if (key && !strcasecmp(key, "og:url") && !pg->og_url)
                pg->og_url = n;
            else if (key && !strcasecmp(key, "article:published_time") && !pg->pub_meta)
                pg->pub_meta = n;
            else if (!pg->meta_date &&
                     ((key && (!strcasecmp(key, "date") || !strcasecmp(key, "pubdate") ||
                               !strcasecmp(key, "publishdate") || !strcasecmp(key, "DC.date.issued") ||
                               !strcasecmp(key, "dc.date") || !strcasecmp(key, "sailthru.date"))) ||
                      (ip && !strcasecmp(ip, "datePublished")))) {
                pg->meta_date = n;
                pg->meta_date_field = key ? key : "datePublished";
            }
        } else if (!strcasecmp(name, "link")) {
            const char *rel = attr(n, "rel");
            if (rel && !strcasecmp(rel, "canonical") && !pg->canonical)
                pg->canonical = n;
        } else if (!strcasecmp(name, "title") && !pg->title && !in_article) {
            pg->title = n;
        } else if (!strcasecmp(name, "h1") && !pg->h1) {
            pg->h1 = n;
        } else if (!strcasecmp(name, "time") && attr(n, "datetime")) {
            if (!pg->time_el)
                pg->time_el = n;
            if (in_article && !pg->time_in_article)
                pg->time_in_article = n;
        } else if (!strcasecmp(name, "script")) {
            const char *type = attr(n, "type");
            if (type && !strcasecmp(type, "application/ld+json") && !pg->ld_date) {
                lsx_buf b = { 0 };
                text_of(n, &b);
                json_t *j = b.data ? json_loadb(b.data, b.len, 0, NULL) : NULL;
                lsx_buf_free(&b);
                const char *d = find_ld_date(j, 0);
                if (d) {
                    pg->ld_date_doc = j;
                    pg->ld_date = d;
                    pg->ld_line = (uint64_t)xmlGetLineNo(n);
                } else {
                    json_decref(j);
                }
            }
            continue;
        } else if (!strcasecmp(name, "article") && !pg->article) {
            pg->article = n;
            art = true;
        } else if (!strcasecmp(name, "main") && !pg->main) {
            pg->main = n;
        } else if (!strcasecmp(name, "body") && !pg->body) {
            pg->body = n;
        }
        if (!pg->main) {
            const char *role = attr(n, "role");
            if (role && !strcasecmp(role, "main"))
                pg->main = n;
        }
        scan(n->children, pg, art);
    }
}

/* ---- the body ------------------------------------------------------------ */

static bool word_in(const char *s, const char *const *words)
{
    /* split on anything not a letter or digit: "cookie-banner" -> cookie, banner */
    char w[40];
    size_t k = 0;
    for (const char *p = s;; p++) {
        char c = *p;
        bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (alnum && k < sizeof w - 1) {
            w[k++] = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
            continue;
        }
        if (k) {
            w[k] = '\0';
            for (const char *const *x = words; *x; x++)
                if (strcmp(w, *x) == 0)
                    return true;
            k = 0;
        }
        if (!c)
            return false;
    }
}

static bool boilerplate(xmlNode *n)
{
    static const char *const drop_tags[] = {
        "script", "style", "noscript", "template", "svg", "iframe", "form", "button", "select",
        "nav", "header", "footer", "aside", "h1", "object", "embed", "canvas", "dialog", NULL
    };
    static const char *const words[] = {
        "cookie", "cookies", "consent", "gdpr", "related", "share", "sharing", "social",
        "newsletter", "subscribe", "subscription", "advert", "advertisement", "ads", "ad",
        "promo", "breadcrumb", "breadcrumbs", "comments", "sidebar", "popup", "modal", "banner",
        "navbar", "nav", "menu", "footer", "header", "masthead", "trending", "recommended",
        "recommendations", "outbrain", "taboola", "paywall", "byline", "dateline", "meta", "tags",
        "toolbar", NULL
    };
    const char *name = (const char *)n->name;
    for (const char *const *t = drop_tags; *t; t++)
        if (!strcasecmp(name, *t))
            return true;
    if (attr(n, "hidden"))
        return true;
    const char *v = attr(n, "aria-hidden");
    if (v && !strcasecmp(v, "true"))
        return true;
    v = attr(n, "role");
    if (v && (!strcasecmp(v, "navigation") || !strcasecmp(v, "banner") ||
              !strcasecmp(v, "contentinfo") || !strcasecmp(v, "complementary") ||
              !strcasecmp(v, "dialog") || !strcasecmp(v, "alertdialog")))
        return true;
    const char *cls = attr(n, "class"), *id = attr(n, "id");
    return (cls && word_in(cls, words)) || (id && word_in(id, words));
}

static bool is_block(xmlNode *n)
{
    static const char *const blocks[] = {
        "p", "div", "section", "article", "main", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
        "li", "blockquote", "pre", "table", "tr", "td", "th", "dl", "dt", "dd", "figcaption",
        "figure", "br", "hr", "address", NULL
    };
    for (const char *const *b = blocks; *b; b++)
        if (!strcasecmp((const char *)n->name, *b))
            return true;
    return false;
}

/* Bytes of non-space text under n, and how many of them are inside links. */
static void text_weight(xmlNode *n, bool in_link, size_t *all, size_t *linked)
{
    for (xmlNode *c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE && c->content) {
            for (const xmlChar *p = c->content; *p; p++)
                if (!lsx__is_space(*p)) {
                    (*all)++;
                    if (in_link)
                        (*linked)++;
                }
        } else if (c->type == XML_ELEMENT_NODE && !boilerplate(c)) {
            text_weight(c, in_link || is(c, "a"), all, linked);
        }
    }
}

/* A list or block that is mostly links: related articles, tag lists. */
static bool link_list(xmlNode *n)
{
    const char *name = (const char *)n->name;
    if (strcasecmp(name, "ul") && strcasecmp(name, "ol") && strcasecmp(name, "div") &&
        strcasecmp(name, "section") && strcasecmp(name, "p") && strcasecmp(name, "table"))
        return false;
    size_t all = 0, linked = 0;
    text_weight(n, false, &all, &linked);
    return all > 0 && linked * 10 >= all * 6;
}

typedef struct out_text {
    lsx_buf *b;
    bool space;                   /* a space is owed before the next word */
} out_text;

static void newline(out_text *o)
{
    lsx_buf *b = o->b;
    if (b->len && b->data[b->len - 1] != '\n') {
        while (b->len && b->data[b->len - 1] == ' ')
            b->len--;
        lsx_buf_putc(b, '\n');
    }
    o->space = false;
}

static void put_text(out_text *o, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (lsx__is_space(c)) {
            o->space = true;
            continue;
        }
        if (c == 0xC2 && (unsigned char)s[1] == 0xA0) {      /* &nbsp; */
            o->space = true;
            s++;
            continue;
        }
        if (o->space && o->b->len && o->b->data[o->b->len - 1] != '\n')
            lsx_buf_putc(o->b, ' ');
        o->space = false;
        lsx_buf_putc(o->b, (char)c);
    }
}

static void body_text(xmlNode *n, out_text *o, int depth)
{
    if (depth > 256)
        return;
    for (xmlNode *c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            if (c->content)
                put_text(o, (const char *)c->content);
            continue;
        }
        if (c->type != XML_ELEMENT_NODE || boilerplate(c) || link_list(c))
            continue;
        bool block = is_block(c);
        if (block)
            newline(o);
        body_text(c, o, depth + 1);
        if (block)
            newline(o);
    }
}

/* ---- the page ------------------------------------------------------------- */

/* Cut b at `cap` bytes (at a character boundary), as lsx__field_add cuts
 * the other readers' fields; the reader then warns. */
static void cap_field(lsx_reader *r, lsx_buf *b, size_t cap, bool *cut)
{
    if (b->len <= cap)
        return;
    size_t n = cap;
    while (n > 0 && ((unsigned char)b->data[n] & 0xC0) == 0x80)
        n--;
    b->len = n;
    b->data[n] = '\0';
    *cut = r->field_cut = true;
}

static void set_title(lsx_reader *r, const char *s)
{
    out_text o = { &r->title, false };
    lsx__buf_reset(&r->title);
    if (s)
        put_text(&o, s);
    cap_field(r, &r->title, LSX_MAX_TITLE_BYTES, &r->title_cut);
}

/* ---- decoding --------------------------------------------------------- */

#define PRESCAN_BYTES 4096
#define REPLACEMENT "\xEF\xBF\xBD"   /* U+FFFD in UTF-8 */

static bool charset_char(char c)
{
    return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.' || c == ':';
}

/* The charset a <meta> names in the first PRESCAN_BYTES (<meta
 * charset=X> or <meta http-equiv=... content="...; charset=X">), copied
 * into name; false if none. */
static bool declared_charset(const char *s, size_t n, char name[41])
{
    if (n > PRESCAN_BYTES)
        n = PRESCAN_BYTES;
    for (size_t i = 0; i + 5 < n; i++) {
        if (s[i] != '<' || strncasecmp(s + i + 1, "meta", 4) != 0)
            continue;
        size_t end = i + 5;
        while (end < n && s[end] != '>')
            end++;
        for (size_t j = i + 5; j + 7 < end; j++) {
            if (strncasecmp(s + j, "charset", 7) != 0)
                continue;
            size_t k = j + 7;
            while (k < end && (s[k] == ' ' || s[k] == '\t'))
                k++;
            if (k >= end || s[k] != '=')
                continue;
            k++;
            while (k < end && (s[k] == ' ' || s[k] == '"' || s[k] == '\''))
                k++;
            size_t len = 0;
            while (k + len < end && len < 40 && charset_char(s[k + len]))
                len++;
            if (len) {
                memcpy(name, s + k, len);
                name[len] = '\0';
                return true;
            }
        }
    }
    return false;
}

/* Copy UTF-8 with each byte that starts no well-formed sequence replaced
 * by U+FFFD; the number replaced in *bad. */
static void repair_utf8(const char *s, size_t n, lsx_buf *out, size_t *bad)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t k = u[i] < 0x80 ? 1 : lsx__utf8_decode(u + i, n - i, &cp);
        if (k) {
            lsx_buf_append(out, s + i, k);
            i += k;
        } else {
            lsx_buf_append(out, REPLACEMENT, 3);
            (*bad)++;
            i++;
        }
    }
}

/* Convert from `charset` with iconv, each byte it cannot convert replaced
 * by U+FFFD (counted in *bad); false if iconv does not know the charset. */
static bool convert(const char *s, size_t n, const char *charset, lsx_buf *out, size_t *bad)
{
    iconv_t cd = iconv_open("UTF-8", charset);
    if (cd == (iconv_t)-1)
        return false;
    char chunk[4096];
    char *in = (char *)s;
    size_t left = n;
    while (left > 0) {
        char *o = chunk;
        size_t room = sizeof chunk;
        size_t rc = iconv(cd, &in, &left, &o, &room);
        lsx_buf_append(out, chunk, (size_t)(o - chunk));
        if (rc == (size_t)-1 && (errno == EILSEQ || errno == EINVAL)) {
            lsx_buf_append(out, REPLACEMENT, 3);
            (*bad)++;
            in++;
            left--;
            iconv(cd, NULL, NULL, NULL, NULL);   /* back to the initial state */
        } else if (rc == (size_t)-1 && errno != E2BIG) {
            break;
        }
    }
    iconv_close(cd);
    return true;
}

/* Whether s holds at least one well-formed multi-byte UTF-8 sequence. */
static bool has_utf8_sequence(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n; i++) {
        int32_t cp;
        if (u[i] >= 0x80 && lsx__utf8_decode(u + i, n - i, &cp) > 1)
            return true;
    }
    return false;
}

/* The page as UTF-8 in *out (see the top of this file); the encoding it
 * was read in, and the bytes that became U+FFFD, for the warning. */
static const char *decode_page(const char *s, size_t n, lsx_buf *out, size_t *bad, char charset[41])
{
    *bad = 0;
    const unsigned char *u = (const unsigned char *)s;
    bool bom16 = n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF));
    if (bom16)
        strcpy(charset, "UTF-16");
    if ((bom16 || declared_charset(s, n, charset)) && strcasecmp(charset, "utf-8") != 0 &&
        strcasecmp(charset, "utf8") != 0 && convert(s, n, charset, out, bad))
        return charset;
    if (has_utf8_sequence(s, n)) {
        repair_utf8(s, n, out, bad);
        return "UTF-8";
    }
    if (convert(s, n, "WINDOWS-1252", out, bad))
        return "windows-1252";
    repair_utf8(s, n, out, bad);
    return "UTF-8";
}

/* libxml2 reports some trouble through its generic and structured error
 * channels (to stderr by default) whatever HTML_PARSE_NOERROR says.  Its
 * handlers are per thread: set to these while parsing, then put back. */
static void xml_quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static void xml_quiet_structured(void *ctx, xmlErrorPtr e)
{
    (void)ctx;
    (void)e;
}

static htmlDocPtr parse_quietly(const char *utf8, size_t n, const char *file)
{
    xmlGenericErrorFunc generic = xmlGenericError;
    void *generic_ctx = xmlGenericErrorContext;
    xmlStructuredErrorFunc structured = xmlStructuredError;
    void *structured_ctx = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(NULL, xml_quiet);
    xmlSetStructuredErrorFunc(NULL, xml_quiet_structured);
    htmlDocPtr doc = htmlReadMemory(utf8, (int)n, file, "UTF-8",
                                    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                    HTML_PARSE_NONET | HTML_PARSE_NOBLANKS | HTML_PARSE_IGNORE_ENC);
    xmlSetGenericErrorFunc(generic_ctx, generic);
    xmlSetStructuredErrorFunc(structured_ctx, structured);
    return doc;
}

/* ---- reading the page: scripts, styles and comments left out ------------ */
/* Real pages are mostly inline scripts and styles (a news page of 3 MB may
 * hold 100 KB of markup around its text), which the extractor never reads.
 * They are dropped as the page is read, so that only the markup counts
 * against the size cap: the content of each <script> (JSON-LD excepted,
 * for its date) and <style>, and each comment, "<!--" to "-->".  Their line
 * breaks stay, so line numbers in warnings are the file's. */
enum { F_MARKUP, F_COMMENT, F_RAW_DROP, F_RAW_KEEP };

typedef struct filter {
    lsx_buf kept;          /* the page so far, less what was dropped */
    size_t scan;           /* kept[scan, len) is not yet looked at */
    size_t drop;           /* in F_COMMENT and F_RAW_DROP: dropping from here */
    int state;
    const char *close;     /* in the raw states: "</script" or "</style" */
} filter;

#define TAG_MAX ((size_t)64 << 10)   /* a start tag longer than this is not looked into */

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Does s[0, n) start with `lit` (lower case), in any case? */
static bool starts_ci(const char *s, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    if (n < k)
        return false;
    for (size_t i = 0; i < k; i++)
        if (lower((unsigned char)s[i]) != lit[i])
            return false;
    return true;
}

/* First place of `lit` (lower case) in s[0, n), in any case; n if none. */
static size_t find_ci(const char *s, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    for (size_t i = 0; i + k <= n; i++)
        if (lower((unsigned char)s[i]) == lit[0] && starts_ci(s + i, n - i, lit))
            return i;
    return n;
}

/* Take kept[from, to) out, leaving its line breaks; returns where the text
 * after it now starts. */
static size_t drop_range(lsx_buf *b, size_t from, size_t to)
{
    size_t nl = 0;
    for (size_t i = from; i < to; i++)
        nl += b->data[i] == '\n';
    memset(b->data + from, '\n', nl);
    memmove(b->data + from + nl, b->data + to, b->len - to);
    b->len -= to - from - nl;
    return from + nl;
}

/* Is the tag at s[0, n) (s[0] is '<') a start tag named `name`? */
static bool start_tag(const char *s, size_t n, const char *name)
{
    size_t k = strlen(name);
    return starts_ci(s + 1, n - 1, name) && n > k + 1 &&
           strchr(" \t\r\n\f/>", s[k + 1]) != NULL && s[k + 1] != '\0';
}

/* The end of the tag at s[0, n): the index of its '>', or n if it is not
 * all there.  A quote right after '=' opens an attribute value, which may
 * hold '>'; any other quote is just a character, as for the parser. */
static size_t tag_end(const char *s, size_t n)
{
    char quote = 0;
    bool after_eq = false;
    for (size_t i = 1; i < n; i++) {
        char c = s[i];
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '>') {
            return i;
        } else if (after_eq && (c == '"' || c == '\'')) {
            quote = c;
        } else if (c == '=') {
            after_eq = true;
            continue;
        } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
            continue;
        }
        after_eq = false;
    }
    return n;
}

/* Look at what came in since the last call; `eof`: nothing more will. */
static void filter_scan(filter *f, bool eof)
{
    lsx_buf *b = &f->kept;
    for (;;) {
        size_t n = b->len;
        if (f->state == F_MARKUP) {
            const char *lt = f->scan < n ? memchr(b->data + f->scan, '<', n - f->scan) : NULL;
            if (!lt) {
                f->scan = n;
                return;
            }
            size_t i = (size_t)(lt - b->data), rest = n - i;
            if (rest < sizeof "<script>" && !eof) {
                f->scan = i;         /* too little to tell yet */
                return;
            }
            if (starts_ci(lt, rest, "<!--")) {
                f->state = F_COMMENT;
                f->drop = i;
                f->scan = i + 4;
                continue;
            }
            char c1 = rest > 1 ? (char)lower((unsigned char)lt[1]) : 0;
            if (!(c1 >= 'a' && c1 <= 'z') && c1 != '/' && c1 != '!' && c1 != '?') {
                f->scan = i + 1;     /* '<' as text */
                continue;
            }
            size_t g = tag_end(lt, rest);
            if (g == rest) {         /* the tag is not all there */
                if (!eof && rest <= TAG_MAX) {
                    f->scan = i;     /* wait for the rest of it */
                    return;
                }
                f->scan = i + 1;     /* it never ends: not looked into */
                continue;
            }
            bool script = start_tag(lt, rest, "script");
            if (!script && !start_tag(lt, rest, "style")) {
                f->scan = i + g + 1; /* a tag: what is inside it is not markup */
                continue;
            }
            f->state = script && find_ci(lt, g, "ld+json") < g ? F_RAW_KEEP : F_RAW_DROP;
            f->close = script ? "</script" : "</style";
            f->drop = f->scan = i + g + 1;
            continue;
        }
        const char *close = f->state == F_COMMENT ? "-->" : f->close;
        size_t k = strlen(close);
        size_t j = f->scan + find_ci(b->data + f->scan, n - f->scan, close);
        if (j < n) {
            size_t after = f->state == F_COMMENT ? j + k : j;   /* the end tag stays */
            f->scan = f->state == F_RAW_KEEP ? after : drop_range(b, f->drop, after);
            f->state = F_MARKUP;
            continue;
        }
        /* Not closed yet: the last k - 1 bytes may start `close`. */
        size_t tail = n - f->scan < k - 1 ? f->scan : n - (k - 1);
        if (f->state != F_RAW_KEEP && tail > f->drop)
            tail = f->drop = drop_range(b, f->drop, tail);
        if (eof && f->state != F_RAW_KEEP)
            drop_range(b, f->drop, b->len);   /* never closed: the rest goes too */
        f->scan = tail;
        return;
    }
}

/* Read the page into f->kept; true if it was cut at the size cap. */
static int read_page(lsx_reader *r, filter *f, bool *cut)
{
    const char *p;
    size_t n;
    int rc;
    *cut = false;
    while ((rc = lsx__bytes_next(r, &p, &n)) == 1) {
        if (*cut)
            continue;                /* read to the end all the same */
        lsx_buf_append(&f->kept, p, n);
        if (f->kept.oom)
            return LSX_ENOMEM;
        filter_scan(f, false);
        if (f->kept.len > LSX_READER_MAX_RECORD) {
            /* Cut before the last tag that starts within the cap. */
            size_t at = LSX_READER_MAX_RECORD;
            while (at > LSX_READER_MAX_RECORD - TAG_MAX && f->kept.data[at] != '<')
                at--;
            if (f->kept.data[at] != '<')
                at = LSX_READER_MAX_RECORD;
            f->kept.len = at;
            *cut = true;
        }
    }
    if (rc < 0)
        return rc;
    if (!*cut)
        filter_scan(f, true);
    return LSX_OK;
}

int lsx__read_html(lsx_reader *r, lsx_article *out)
{
    if (r->html_done)
        return LSX_DONE;
    r->html_done = true;
    const char *file = lsx__reader_file(r);

    filter f = { 0 };
    bool page_cut;
    int rc = read_page(r, &f, &page_cut);
    lsx_buf all = f.kept;
    if (rc < 0) {
        lsx_buf_free(&all);
        return rc;
    }
    if (page_cut)
        lsx__reader_warn(r, "%s: page longer than %zu MiB without its scripts, styles and comments; "
                         "read up to there", file, LSX_READER_MAX_RECORD >> 20);
    size_t bad = 0;
    char charset[41] = "";
    const char *read_as = "UTF-8";
    if (!lsx__valid_utf8(all.data, all.len)) {
        lsx_buf utf8 = { 0 };
        read_as = decode_page(all.data, all.len, &utf8, &bad, charset);
        lsx_buf_free(&all);
        all = utf8;
        if (all.oom) {
            lsx_buf_free(&all);
            return LSX_ENOMEM;
        }
    }
    if (all.len > INT32_MAX) {
        lsx_buf_free(&all);
        return LSX_ENOMEM;
    }
    htmlDocPtr doc = parse_quietly(all.data ? all.data : "", all.len, file);
    lsx_buf_free(&all);
    if (doc && bad)
        lsx__reader_warn(r, "%s: %zu byte%s not valid %s; read as U+FFFD", file, bad, bad == 1 ? " is" : "s are",
                         read_as);
    if (!doc)
        return lsx__reader_skip_file(r, LSX_SKIP_MALFORMED, "%s: not an HTML page libxml2 can read; "
                                     "skipped", file);
    xmlNode *root = xmlDocGetRootElement(doc);
    page pg = { 0 };
    scan(root, &pg, false);

    /* title */
    lsx_buf t = { 0 };
    const char *og = pg.og_title ? attr(pg.og_title, "content") : NULL;
    if (og && *og) {
        set_title(r, og);
    } else if (pg.h1 || pg.title) {
        text_of(pg.h1 ? pg.h1 : pg.title, &t);
        set_title(r, lsx__buf_str(&t));
        if (!r->title.len && pg.h1 && pg.title) {
            lsx__buf_reset(&t);
            text_of(pg.title, &t);
            set_title(r, lsx__buf_str(&t));
        }
    } else {
        lsx__buf_reset(&r->title);
    }
    lsx_buf_free(&t);

    /* date */
    const char *d;
    if (pg.pub_meta && (d = attr(pg.pub_meta, "content")))
        lsx__reader_set_date(r, out, "meta article:published_time", (uint64_t)xmlGetLineNo(pg.pub_meta),
                             d, strlen(d));
    else if ((pg.time_in_article || pg.time_el) &&
             (d = attr(pg.time_in_article ? pg.time_in_article : pg.time_el, "datetime")))
        lsx__reader_set_date(r, out, "time datetime",
                             (uint64_t)xmlGetLineNo(pg.time_in_article ? pg.time_in_article : pg.time_el),
                             d, strlen(d));
    else if (pg.ld_date)
        lsx__reader_set_date(r, out, "JSON-LD datePublished", pg.ld_line, pg.ld_date, strlen(pg.ld_date));
    else if (pg.meta_date && (d = attr(pg.meta_date, "content")))
        lsx__reader_set_date(r, out, pg.meta_date_field, (uint64_t)xmlGetLineNo(pg.meta_date), d,
                             strlen(d));
    json_decref(pg.ld_date_doc);

    /* body */
    lsx__buf_reset(&r->body);
    xmlNode *container = pg.article ? pg.article : pg.main ? pg.main : pg.body ? pg.body : root;
    out_text o = { &r->body, false };
    if (container)
        body_text(container, &o, 0);
    while (r->body.len && lsx__is_space((unsigned char)r->body.data[r->body.len - 1]))
        r->body.len--;
    if (r->body.data)
        r->body.data[r->body.len] = '\0';
    cap_field(r, &r->body, LSX_MAX_ARTICLE_BYTES, &r->body_cut);

    /* source, lang */
    lsx__buf_reset(&r->source);
    const char *src = pg.canonical ? attr(pg.canonical, "href") : NULL;
    if (!src && pg.og_url)
        src = attr(pg.og_url, "content");
    lsx_buf_puts(&r->source, src && *src ? src : file);
    lsx__buf_reset(&r->lang);
    const char *lang = root ? attr(root, "lang") : NULL;
    if (lang) {
        for (size_t i = 0; lang[i] && lang[i] != '-' && lang[i] != '_' && i < 8; i++)
            if ((lang[i] | 0x20) >= 'a' && (lang[i] | 0x20) <= 'z')
                lsx_buf_putc(&r->lang, (char)(lang[i] | 0x20));
    }
    xmlFreeDoc(doc);

    lsx__buf_reset(&r->id);
    lsx_buf_puts(&r->id, r->cur->id);
    out->id = lsx__buf_str(&r->id);
    out->title = r->title.len ? lsx__buf_str(&r->title) : NULL;
    out->body = lsx__buf_str(&r->body);
    out->body_len = r->body.len;
    out->source = lsx__buf_str(&r->source);
    out->lang = r->lang.len >= 2 ? lsx__buf_str(&r->lang) : NULL;
    return LSX_OK;
}

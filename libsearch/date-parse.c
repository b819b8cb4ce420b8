/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * date-parse.c - read the date (and time) in a header field: a TREC <DATE>,
 * a JSON "date", an HTML meta tag, a text file's " date ..." line.
 *
 * dates.c looks for a date inside running text; this file reads a field
 * that is meant to hold one, written the way news feeds and test
 * collections write them.  Accepted (leading and trailing words, weekday
 * names and punctuation are ignored; case does not matter):
 *
 *   ISO 8601      2023-03-03, 2023-03-03T10:00:00Z, 2023-03-03 10:00:00+07:00,
 *                 2023-03-03T10:00:00.123-0500, 20230303T100000Z
 *   compact       20230303 (YYYYMMDD), 910514 (YYMMDD), 20230303100000
 *   Unix time     1677837600 (9-10 digits: seconds; 12-13 digits:
 *                 milliseconds), always UTC; JSON numbers the same
 *   slashes       2023/03/03, 2023.03.03 (year first)
 *   day first     03/03/2023, 3-3-2023, 16.02.2022, 16/2/22: day, month,
 *                 year as written in Vietnam and Europe; when the first
 *                 number cannot be a month and the second cannot be a day
 *                 (03/16/2023) the US order is taken instead
 *   month names   March 3, 2023; Mar. 3rd 2023; 3 March 2023; 03-Mar-2023;
 *                 Fri, 03 Mar 2023 10:00:00 +0700 (RFC 2822);
 *                 January 1, 1989, Sunday, Home Edition; English, Indonesian
 *                 and Malay names and their three-letter abbreviations
 *   Vietnamese    Thứ Hai, 16/2/2022 08:30 GMT+7; ngày 16 tháng 2 năm 2022;
 *                 16 tháng 2, 2022; 08:30 16/02/2022; 16/02/2022 - 08h30
 *
 * Two-digit years follow POSIX strptime's %y: 69-99 are 1969-1999,
 * 00-68 are 2000-2068.  Only years 1000-2999 are accepted.
 *
 * A time of day is taken where it is written (before or after the date):
 * hh:mm, hh:mm:ss (fractions dropped), "08h30", with am/pm ("10:30 PM",
 * "10:30 p.m.") and a zone: Z, UTC, GMT, UT, +0700, +07:00, -5, GMT+7,
 * UTC+07:00, or a zone name (EST EDT CST CDT MST MDT PST PDT ICT WIB
 * WITA WIT SGT MYT PHT HKT JST KST IST BST CET CEST; unknown names are
 * ignored).  Dates are kept as written (local to the writer): no zone
 * conversion, so the day is the one the article carries.
 *
 * The canonical form given to the index is "YYYY-MM-DD", or
 * "YYYY-MM-DDThh:mm:ss" with a time, followed by "Z" or "+hh:mm" when the
 * zone was written.  The sortable value (LSX_SLOT_DATETIME) is
 * "YYYYMMDDhhmmss" with a time and "YYYYMMDD" without, so byte order is
 * date order and, within a day, articles without a time come first.
 */
#include "private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <utf8proc.h>

#define MAX_TOKENS 64
#define WORD_CAP   24

enum { K_NUM, K_WORD, K_PUNCT };

typedef struct tok {
    int kind;
    size_t start, len;        /* bytes in the input */
    long val;                 /* K_NUM: value (digits beyond 18 make it -1) */
    int digits;               /* K_NUM: number of digits */
    char word[WORD_CAP];      /* K_WORD: folded (lowercase, NFC); "" if too long */
    char c;                   /* K_PUNCT */
    bool space_before;
    bool used;                /* part of the date or the time already */
} tok;

typedef struct toks {
    tok t[MAX_TOKENS];
    int n;
} toks;

/* ---- calendar ----------------------------------------------------------- */

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int mdays(int y, int m)
{
    static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && leap(y) ? 29 : dim[m - 1];
}

static bool ymd_ok(int y, int m, int d)
{
    return y >= 1000 && y <= 2999 && d >= 1 && d <= mdays(y, m);
}

static int pivot(int yy)
{
    return yy >= 69 ? 1900 + yy : 2000 + yy;
}

/* ---- tokens ------------------------------------------------------------- */

static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

static bool is_letter_at(const char *s, size_t i, size_t n, size_t *len)
{
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
        *len = 1;
        return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    }
    int32_t cp;
    size_t k = lsx__utf8_decode((const unsigned char *)s + i, n - i, &cp);
    if (k == 0) {
        *len = 1;
        return false;
    }
    *len = k;
    utf8proc_category_t cat = utf8proc_category(cp);
    return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_ME;
}

static void fold(const char *s, size_t n, char out[WORD_CAP])
{
    out[0] = '\0';
    utf8proc_uint8_t *f = NULL;
    utf8proc_ssize_t k = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &f,
                                      UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE | UTF8PROC_STABLE);
    if (k > 0 && k < WORD_CAP) {
        memcpy(out, f, (size_t)k);
        out[k] = '\0';
    }
    free(f);
}

static void tokenize(const char *s, size_t n, toks *ts)
{
    size_t i = 0;
    bool space = true;
    ts->n = 0;
    while (i < n && ts->n < MAX_TOKENS) {
        unsigned char c = (unsigned char)s[i];
        size_t l;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
            space = true;
            i++;
            continue;
        }
        if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {   /* no-break space */
            space = true;
            i += 2;
            continue;
        }
        tok *t = &ts->t[ts->n++];
        memset(t, 0, sizeof *t);
        t->start = i;
        t->space_before = space;
        space = false;
        if (is_digit(c)) {
            long v = 0;
            int d = 0;
            while (i < n && is_digit((unsigned char)s[i])) {
                if (d < 18)
                    v = v * 10 + (s[i] - '0');
                d++;
                i++;
            }
            t->kind = K_NUM;
            t->val = d <= 18 ? v : -1;
            t->digits = d;
        } else if (is_letter_at(s, i, n, &l)) {
            size_t st = i;
            while (i < n && is_letter_at(s, i, n, &l))
                i += l;
            t->kind = K_WORD;
            fold(s + st, i - st, t->word);
        } else {
            t->kind = K_PUNCT;
            t->c = (char)c;
            i += l;
        }
        t->len = i - t->start;
    }
}

static bool is_num(const toks *ts, int i, int mind, int maxd)
{
    return i >= 0 && i < ts->n && ts->t[i].kind == K_NUM && !ts->t[i].used &&
           ts->t[i].digits >= mind && ts->t[i].digits <= maxd;
}

static bool is_punct(const toks *ts, int i, const char *set)
{
    return i >= 0 && i < ts->n && ts->t[i].kind == K_PUNCT && strchr(set, ts->t[i].c) &&
           ts->t[i].c != '\0';
}

static bool is_word(const toks *ts, int i, const char *w)
{
    return i >= 0 && i < ts->n && ts->t[i].kind == K_WORD && strcmp(ts->t[i].word, w) == 0;
}

/* Month named by the word token i (English, Indonesian, Malay), 0 if none. */
static int month_word(const toks *ts, int i)
{
    static const struct { const char *w; int m; } names[] = {
        { "january", 1 }, { "february", 2 }, { "march", 3 }, { "april", 4 }, { "may", 5 },
        { "june", 6 }, { "july", 7 }, { "august", 8 }, { "september", 9 }, { "october", 10 },
        { "november", 11 }, { "december", 12 },
        { "jan", 1 }, { "feb", 2 }, { "mar", 3 }, { "apr", 4 }, { "jun", 6 }, { "jul", 7 },
        { "aug", 8 }, { "sep", 9 }, { "sept", 9 }, { "oct", 10 }, { "nov", 11 }, { "dec", 12 },
        /* Indonesian and Malay */
        { "januari", 1 }, { "februari", 2 }, { "maret", 3 }, { "mac", 3 }, { "mei", 5 },
        { "juni", 6 }, { "juli", 7 }, { "julai", 7 }, { "agustus", 8 }, { "ogos", 8 },
        { "agu", 8 }, { "agt", 8 }, { "okt", 10 }, { "oktober", 10 }, { "des", 12 },
        { "desember", 12 }, { "disember", 12 },
    };
    if (i < 0 || i >= ts->n || ts->t[i].kind != K_WORD)
        return 0;
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (strcmp(ts->t[i].word, names[k].w) == 0)
            return names[k].m;
    return 0;
}

/* Skip an ordinal suffix ("3rd") and a dot after a month abbreviation. */
static int skip_ordinal(const toks *ts, int i)
{
    if (i < ts->n && ts->t[i].kind == K_WORD && !ts->t[i].space_before &&
        (!strcmp(ts->t[i].word, "st") || !strcmp(ts->t[i].word, "nd") ||
         !strcmp(ts->t[i].word, "rd") || !strcmp(ts->t[i].word, "th")))
        return i + 1;
    return i;
}

static int skip_seps(const toks *ts, int i)
{
    while (is_punct(ts, i, ",.-/"))
        i++;
    return i;
}

static int year_of(const tok *t)
{
    if (t->digits == 4)
        return (int)t->val;
    if (t->digits == 2)
        return pivot((int)t->val);
    return 0;
}

/* ---- the date ----------------------------------------------------------- */

static void mark(toks *ts, int from, int to)
{
    for (int i = from; i < to && i < ts->n; i++)
        ts->t[i].used = true;
}

/* Try each date form starting at token i; on success set w's date and mark its tokens. */
static bool date_at(toks *ts, int i, lsx_when *w)
{
    tok *t = ts->t;
    int y = 0, m = 0, d = 0, end = i;

    if (is_num(ts, i, 4, 4) && is_punct(ts, i + 1, "-/.") && is_num(ts, i + 2, 1, 2) &&
        is_punct(ts, i + 3, "-/.") && t[i + 3].c == t[i + 1].c && is_num(ts, i + 4, 1, 2)) {
        /* 2023-03-03, 2023/3/3 */
        y = (int)t[i].val, m = (int)t[i + 2].val, d = (int)t[i + 4].val, end = i + 5;
    } else if (is_num(ts, i, 1, 2) && is_punct(ts, i + 1, "-/.") && is_num(ts, i + 2, 1, 2) &&
               is_punct(ts, i + 3, "-/.") && t[i + 3].c == t[i + 1].c &&
               (is_num(ts, i + 4, 4, 4) || is_num(ts, i + 4, 2, 2))) {
        /* 16/2/2022, 16-02-2022, 16.02.22; the US order only when it must be */
        int a = (int)t[i].val, b = (int)t[i + 2].val;
        y = year_of(&t[i + 4]);
        d = a, m = b;
        if (b > 12 && a <= 12)
            d = b, m = a;
        end = i + 5;
    } else if (month_word(ts, i)) {
        /* March 3, 2023; Mar. 3rd 2023 */
        m = month_word(ts, i);
        int j = i + 1;
        if (is_punct(ts, j, "."))
            j++;
        if (!is_num(ts, j, 1, 2))
            return false;
        d = (int)t[j].val;
        j = skip_ordinal(ts, j + 1);
        j = skip_seps(ts, j);
        if (!(is_num(ts, j, 4, 4) || (is_num(ts, j, 2, 2) && !is_punct(ts, j + 1, ":"))))
            return false;
        y = year_of(&t[j]);
        end = j + 1;
    } else if (is_num(ts, i, 1, 2)) {
        /* 3 March 2023, 03-Mar-2023, 3rd of March 2023, 16 tháng 2 năm 2022 */
        d = (int)t[i].val;
        int j = skip_ordinal(ts, i + 1);
        j = skip_seps(ts, j);
        if (is_word(ts, j, "of"))
            j++;
        if (month_word(ts, j)) {
            m = month_word(ts, j);
            j = skip_seps(ts, j + 1);
        } else if ((is_word(ts, j, "tháng") || is_word(ts, j, "thg")) && is_num(ts, j + 1, 1, 2)) {
            m = (int)t[j + 1].val;
            j = skip_seps(ts, j + 2);
            if (is_word(ts, j, "năm"))
                j++;
        } else {
            return false;
        }
        if (!(is_num(ts, j, 4, 4) || (is_num(ts, j, 2, 2) && !is_punct(ts, j + 1, ":"))))
            return false;
        y = year_of(&t[j]);
        end = j + 1;
    } else {
        return false;
    }
    if (!ymd_ok(y, m, d))
        return false;
    w->y = y, w->m = m, w->d = d;
    mark(ts, i, end);
    return true;
}

/* ---- the time ----------------------------------------------------------- */

static int zone_name(const char *w)
{
    static const struct { const char *n; int min; } z[] = {
        { "z", 0 }, { "utc", 0 }, { "gmt", 0 }, { "ut", 0 },
        { "est", -300 }, { "edt", -240 }, { "cst", -360 }, { "cdt", -300 }, { "mst", -420 },
        { "mdt", -360 }, { "pst", -480 }, { "pdt", -420 }, { "ict", 420 }, { "wib", 420 },
        { "wita", 480 }, { "wit", 540 }, { "sgt", 480 }, { "myt", 480 }, { "pht", 480 },
        { "hkt", 480 }, { "jst", 540 }, { "kst", 540 }, { "ist", 330 }, { "bst", 60 },
        { "cet", 60 }, { "cest", 120 },
    };
    for (size_t k = 0; k < sizeof z / sizeof z[0]; k++)
        if (strcmp(w, z[k].n) == 0)
            return z[k].min;
    return INT32_MIN;
}

/* A numeric offset at i ("+0700", "+07:00", "-5", "+7"); sets *min and
 * returns the token after it, or -1. */
static int offset_at(const toks *ts, int i, int *min)
{
    if (!is_punct(ts, i, "+-") || !is_num(ts, i + 1, 1, 4))
        return -1;
    int sign = ts->t[i].c == '-' ? -1 : 1;
    const tok *a = &ts->t[i + 1];
    int h, mi = 0, next = i + 2;
    if (a->digits == 4) {
        h = (int)a->val / 100, mi = (int)a->val % 100;
    } else if (a->digits == 3) {
        h = (int)a->val / 100, mi = (int)a->val % 100;
    } else {
        h = (int)a->val;
        if (is_punct(ts, i + 2, ":") && is_num(ts, i + 3, 2, 2) && !ts->t[i + 2].space_before) {
            mi = (int)ts->t[i + 3].val;
            next = i + 4;
        }
    }
    if (h > 14 || mi > 59)
        return -1;
    *min = sign * (h * 60 + mi);
    return next;
}

/* The zone after the time ending before token i. */
static void zone_after(toks *ts, int i, lsx_when *w)
{
    int min;
    if (is_punct(ts, i, "("))
        i++;
    if (i < ts->n && ts->t[i].kind == K_WORD) {
        int z = zone_name(ts->t[i].word);
        if (z != INT32_MIN) {
            int o = 0, next = offset_at(ts, i + 1, &o);
            w->zone = true;
            w->zone_min = next > 0 ? z + o : z;    /* "GMT+7" */
            return;
        }
    }
    if (offset_at(ts, i, &min) > 0) {
        w->zone = true;
        w->zone_min = min;
    }
}

/* A time at token i: hh:mm[:ss[.frac]] or hhhmm, with am/pm and zone. */
static bool time_at(toks *ts, int i, lsx_when *w)
{
    tok *t = ts->t;
    int h, mi, s = 0, j;
    if (is_num(ts, i, 1, 2) && is_punct(ts, i + 1, ":") && is_num(ts, i + 2, 2, 2)) {
        h = (int)t[i].val, mi = (int)t[i + 2].val, j = i + 3;
        if (is_punct(ts, j, ":") && is_num(ts, j + 1, 2, 2)) {
            s = (int)t[j + 1].val;
            j += 2;
            if (is_punct(ts, j, ".,") && is_num(ts, j + 1, 1, 9) && !t[j].space_before)
                j += 2;
        }
    } else if (is_num(ts, i, 1, 2) && is_word(ts, i + 1, "h") && !t[i + 1].space_before &&
               is_num(ts, i + 2, 2, 2) && !t[i + 2].space_before) {
        h = (int)t[i].val, mi = (int)t[i + 2].val, j = i + 3;     /* 08h30 */
    } else {
        return false;
    }
    if (is_word(ts, j, "am") || is_word(ts, j, "pm") ||
        ((is_word(ts, j, "a") || is_word(ts, j, "p")) && is_punct(ts, j + 1, ".") &&
         is_word(ts, j + 2, "m"))) {
        bool pm = t[j].word[0] == 'p';
        if (h < 1 || h > 12)
            return false;
        h = h % 12 + (pm ? 12 : 0);
        j += t[j].word[1] ? 1 : 3;
        if (is_punct(ts, j, "."))
            j++;
    }
    if (h > 23 || mi > 59 || s > 60)
        return false;
    w->time = true;
    w->hh = h, w->mi = mi, w->ss = s > 59 ? 59 : s;
    mark(ts, i, j);
    zone_after(ts, j, w);
    return true;
}

/* ---- entry points ------------------------------------------------------- */

bool lsx__unix_when(double secs, lsx_when *w)
{
    memset(w, 0, sizeof *w);
    if (!(secs >= -30610224000.0 && secs < 32503680000.0))   /* 1000-01-01 .. 3000-01-01 */
        return false;
    time_t tt = (time_t)secs;
    struct tm tm;
    if (!gmtime_r(&tt, &tm))
        return false;
    w->y = tm.tm_year + 1900, w->m = tm.tm_mon + 1, w->d = tm.tm_mday;
    w->time = true;
    w->hh = tm.tm_hour, w->mi = tm.tm_min, w->ss = tm.tm_sec;
    w->zone = true;
    w->zone_min = 0;
    return ymd_ok(w->y, w->m, w->d);
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_digit((unsigned char)s[i]))
            return false;
    return n > 0;
}

static long num(const char *s, size_t n)
{
    long v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* Digits only: YYYYMMDD, YYMMDD, YYYYMMDDhhmm[ss], Unix seconds or milliseconds. */
static bool compact(const char *s, size_t n, lsx_when *w)
{
    if (n == 8 || n == 6) {
        int y = n == 8 ? (int)num(s, 4) : pivot((int)num(s, 2));
        const char *p = s + n - 4;
        w->y = y, w->m = (int)num(p, 2), w->d = (int)num(p + 2, 2);
        return ymd_ok(w->y, w->m, w->d);
    }
    if (n == 12 || n == 14) {
        w->y = (int)num(s, 4), w->m = (int)num(s + 4, 2), w->d = (int)num(s + 6, 2);
        w->hh = (int)num(s + 8, 2), w->mi = (int)num(s + 10, 2);
        w->ss = n == 14 ? (int)num(s + 12, 2) : 0;
        w->time = true;
        if (ymd_ok(w->y, w->m, w->d) && w->hh < 24 && w->mi < 60 && w->ss < 60)
            return true;
        if (n == 14)
            return false;
        memset(w, 0, sizeof *w);
    }
    if (n == 9 || n == 10)
        return lsx__unix_when((double)num(s, n), w);
    if (n == 12 || n == 13)
        return lsx__unix_when((double)(num(s, n) / 1000), w);
    return false;
}

bool lsx__parse_when(const char *s, size_t n, lsx_when *w)
{
    memset(w, 0, sizeof *w);
    if (!s)
        return false;
    while (n && (unsigned char)*s <= ' ') {
        s++;
        n--;
    }
    while (n && (unsigned char)s[n - 1] <= ' ')
        n--;
    if (all_digits(s, n))
        return compact(s, n, w);

    toks ts;
    tokenize(s, n, &ts);
    /* 20230303T100000Z: basic ISO 8601 */
    if (ts.n >= 3 && is_num(&ts, 0, 8, 8) && is_word(&ts, 1, "t") && is_num(&ts, 2, 4, 6) &&
        !ts.t[1].space_before && !ts.t[2].space_before) {
        if (!compact(s, 8, w))
            return false;
        const char *p = s + ts.t[2].start;
        int dg = ts.t[2].digits;
        w->hh = (int)num(p, 2), w->mi = (int)num(p + 2, 2), w->ss = dg >= 6 ? (int)num(p + 4, 2) : 0;
        if (dg == 5 || w->hh > 23 || w->mi > 59 || w->ss > 59)
            return false;
        w->time = true;
        zone_after(&ts, 3, w);
        return true;
    }
    int di = -1;
    for (int i = 0; i < ts.n && di < 0; i++) {
        /* a time is not a date: skip "10:30" so "10:30 16/02/2022" works */
        if (is_punct(&ts, i + 1, ":") && ts.t[i].kind == K_NUM)
            continue;
        if ((ts.t[i].kind == K_NUM || month_word(&ts, i)) && date_at(&ts, i, w))
            di = i;
    }
    if (di < 0) {
        memset(w, 0, sizeof *w);
        return false;
    }
    /* The time: the first one after the date, else the first before it. */
    for (int pass = 0; pass < 2 && !w->time; pass++)
        for (int i = pass ? 0 : di; i < ts.n && !w->time; i++)
            if (!ts.t[i].used && (pass == 0 || i < di))
                time_at(&ts, i, w);
    /* a zone written apart from its time: "08:30 ngày 16/02/2022 (UTC+7)" */
    for (int i = 0; i < ts.n && w->time && !w->zone; i++)
        if (!ts.t[i].used && ts.t[i].kind == K_WORD && ts.t[i].word[1] &&
            zone_name(ts.t[i].word) != INT32_MIN)
            zone_after(&ts, i, w);
    return true;
}

bool lsx__when_canonical(const char *s, lsx_when *w)
{
    memset(w, 0, sizeof *w);
    if (!s)
        return false;
    size_t n = strlen(s);
    if (n < 10 || !all_digits(s, 4) || s[4] != '-' || !all_digits(s + 5, 2) || s[7] != '-' ||
        !all_digits(s + 8, 2))
        return false;
    w->y = (int)num(s, 4), w->m = (int)num(s + 5, 2), w->d = (int)num(s + 8, 2);
    if (w->y < 1 || w->d < 1 || w->d > mdays(w->y, w->m))
        return false;
    if (n == 10)
        return true;
    const char *p = s + 10;
    if (*p != 'T' || !all_digits(p + 1, 2) || p[3] != ':' || !all_digits(p + 4, 2))
        return false;
    w->time = true;
    w->hh = (int)num(p + 1, 2), w->mi = (int)num(p + 4, 2);
    p += 6;
    if (*p == ':') {
        if (!all_digits(p + 1, 2))
            return false;
        w->ss = (int)num(p + 1, 2);
        p += 3;
    }
    if (w->hh > 23 || w->mi > 59 || w->ss > 59)
        return false;
    if (*p == 'Z') {
        w->zone = true;
        p++;
    } else if (*p == '+' || *p == '-') {
        if (!all_digits(p + 1, 2) || p[3] != ':' || !all_digits(p + 4, 2))
            return false;
        int h = (int)num(p + 1, 2), mi = (int)num(p + 4, 2);
        if (h > 14 || mi > 59)
            return false;
        w->zone = true;
        w->zone_min = (*p == '-' ? -1 : 1) * (h * 60 + mi);
        p += 6;
    }
    return *p == '\0';
}

size_t lsx__when_format(const lsx_when *w, char out[LSX_DATE_MAX])
{
    int n;
    if (!w->time)
        n = snprintf(out, LSX_DATE_MAX, "%04d-%02d-%02d", w->y, w->m, w->d);
    else if (!w->zone)
        n = snprintf(out, LSX_DATE_MAX, "%04d-%02d-%02dT%02d:%02d:%02d", w->y, w->m, w->d, w->hh,
                     w->mi, w->ss);
    else if (w->zone_min == 0)
        n = snprintf(out, LSX_DATE_MAX, "%04d-%02d-%02dT%02d:%02d:%02dZ", w->y, w->m, w->d, w->hh,
                     w->mi, w->ss);
    else {
        int z = w->zone_min < 0 ? -w->zone_min : w->zone_min;
        n = snprintf(out, LSX_DATE_MAX, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", w->y, w->m, w->d,
                     w->hh, w->mi, w->ss, w->zone_min < 0 ? '-' : '+', z / 60, z % 60);
    }
    return n > 0 && n < LSX_DATE_MAX ? (size_t)n : 0;
}

size_t lsx__when_sortkey(const lsx_when *w, char out[15])
{
    int n = w->time ? snprintf(out, 15, "%04d%02d%02d%02d%02d%02d", w->y, w->m, w->d, w->hh, w->mi, w->ss)
                    : snprintf(out, 15, "%04d%02d%02d", w->y, w->m, w->d);
    return n > 0 && n < 15 ? (size_t)n : 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dates.c - find an article's date in its text.
 *
 * The readers handle explicit headers; this file is the fallback used when
 * an article has none.  The rules, in order:
 *
 * 1. Where to look.  The article proper ends where lsx_content_end() says
 *    the page boilerplate ("Other News", "Tin liên quan", ...) begins;
 *    nothing after that is used.  The date is the FIRST date mention that
 *    starts in the first DATELINE_BYTES (4 KB) of the body: a dateline or
 *    the first date of the story beats later ones.  If the body has none,
 *    the title is searched the same way.
 *
 * 2. What counts as a date (in either language; lang is not needed):
 *      English   "January 6", "Jan. 6, 2022", "Feb 16", "January 6th 2022",
 *                "January 18-19", "6 January 2022", "6th of January"
 *                (month names capitalised or all caps; abbreviations may
 *                take a dot; "May" needs a day number next to it)
 *      ISO       "2022-01-06", "2022/01/06" (also "2022-01-06T10:00")
 *      numeric   D/M/YYYY, D-M-YYYY, D.M.YYYY: always day first, as written
 *                in Vietnam and Europe
 *      numeric without a year, only when clearly a date:
 *                "16/2" right after a Vietnamese time word (ngày, hôm,
 *                sáng, trưa, chiều, tối, đêm, khuya) or in parentheses
 *                "(16/2)"; "16-2" only after such a word; the day range
 *                "16-17/2" anywhere (the first day is taken)
 *      Vietnamese "ngày 16 tháng 2 năm 2022"; "16 tháng 2" needs the time
 *                word before it unless "năm YYYY" follows
 *    Day and month must form a real calendar day (31/2 is not a date, and
 *    29/2 only in a leap year, or with no year yet).  Numbers glued to
 *    other numbers are not dates: times "10:30", decimals "1.5", scores
 *    "2-1", fractions "1/3", month-years "11/2021", year ranges
 *    "2021-2025", "16/2/22" (two-digit years are not trusted).
 *
 * 3. A date with a year gives LSX_DATE_TEXT.  A day and month without one
 *    gives LSX_DATE_INFERRED if a year can be inferred, else LSX_DATE_NONE
 *    (we do not guess).  Year evidence, searched in the article proper (up
 *    to YEAR_WINDOW_BYTES) and the title:
 *      - a 4-digit year (1900-2099) standing alone right after "in",
 *        "year", "năm", "chair", "during" or "throughout" ("Chair of ASEAN
 *        in 2022", "ASEAN Year 2024", "năm 2022", "ASEAN Chair 2022"),
 *        unless the word before that marks another time ("founded in 1967",
 *        "since", "until", "after", "by", "thành lập năm", "từ năm",
 *        "đến năm", "sau năm", "trước năm", "sinh năm", "đầu năm" like
 *        English "early 2024", which has no cue word), or a future
 *        marker comes up to 10 words before it in the same sentence
 *        ("will", "expected", "scheduled", "sẽ", "dự kiến", "đề xuất":
 *        "will be held in 2025" is about another year);
 *      - the year of any other full date in the text;
 *      - in the title, any standalone year not after such a word or
 *        "Vision"/"Tầm nhìn"/"Post".
 *    Years in names ("Vision 2025", "Post-2025", "after 2025") and in
 *    month-years ("April 2021", "tháng 4/2021") are not evidence.  The year
 *    seen most often wins; ties go to the one nearest the date.  If the
 *    day does not exist in that year (29 February), the result is NONE.
 *
 * Known limit: in financial wire copy the current year is "this year" and
 * "in 1986" is last year's result; on Reuters-21578 (1987) the dateline day
 * and month are right 97% of the time but an inferred year only ~20%.
 * Such collections carry header dates, which take precedence.
 *
 * All scanning is bounded by the lengths given; no allocation is done.
 */
#include "private.h"

#include <string.h>
#include <utf8proc.h>

#define DATELINE_BYTES    4096
#define YEAR_WINDOW_BYTES 32768
#define TITLE_BYTES       1024
#define MIN_YEAR 1900
#define MAX_YEAR 2099
#define MAX_YEARS 32          /* distinct years tallied for inference */
#define WORD_MAX 40           /* longest word folded for comparison */

/* ---- calendar ------------------------------------------------------------ */

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days in month m of year y; y == 0 means "year unknown" (February has 29). */
static int days_in_month(int y, int m)
{
    static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m < 1 || m > 12)
        return 0;
    if (m == 2 && (y == 0 || is_leap(y)))
        return 29;
    return dim[m - 1];
}

bool lsx_date_valid(const char *s)
{
    lsx_when w;
    return lsx__when_canonical(s, &w);
}

/* ---- characters ---------------------------------------------------------- */

static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static bool is_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static bool is_alnum(unsigned char c) { return is_digit(c) || is_alpha(c); }

static bool cp_is_word(utf8proc_int32_t cp)
{
    utf8proc_category_t cat = utf8proc_category(cp);
    return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO;
}

/* Decode the code point that ends just before s+i (0 at the start or on bad UTF-8). */
static utf8proc_int32_t cp_before(const char *s, size_t i, size_t *start)
{
    if (i == 0)
        return 0;
    size_t k = i - 1;
    while (k > 0 && i - k < 4 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    int32_t cp = 0;
    size_t n = lsx__utf8_decode((const unsigned char *)s + k, i - k, &cp);   /* the chain's decoder */
    if (n != i - k)
        return 0;
    if (start)
        *start = k;
    return cp;
}

static utf8proc_int32_t cp_at(const char *s, size_t i, size_t end, size_t *len)
{
    if (i >= end)
        return 0;
    int32_t cp = 0;
    size_t n = lsx__utf8_decode((const unsigned char *)s + i, end - i, &cp);
    if (n == 0)
        return 0;
    if (len)
        *len = n;
    return cp;
}

static bool word_before(const char *s, size_t i)
{
    if (i == 0)
        return false;
    unsigned char c = (unsigned char)s[i - 1];
    if (c < 0x80)
        return is_alnum(c);
    return cp_is_word(cp_before(s, i, NULL));
}

static bool word_at(const char *s, size_t i, size_t end)
{
    if (i >= end)
        return false;
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80)
        return is_alnum(c);
    return cp_is_word(cp_at(s, i, end, NULL));
}

/* Spaces inside a date: space, tab, no-break space. */
static size_t skip_spaces(const char *s, size_t i, size_t end)
{
    for (;;) {
        if (i < end && (s[i] == ' ' || s[i] == '\t'))
            i++;
        else if (i + 1 < end && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0)
            i += 2;
        else
            return i;
    }
}

static size_t skip_spaces_back(const char *s, size_t i)
{
    for (;;) {
        if (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t'))
            i--;
        else if (i > 1 && (unsigned char)s[i - 2] == 0xC2 && (unsigned char)s[i - 1] == 0xA0)
            i -= 2;
        else
            return i;
    }
}

/* '-', en dash or em dash at i; *next is set past it. */
static bool dash_at(const char *s, size_t i, size_t end, size_t *next)
{
    if (i < end && s[i] == '-') {
        *next = i + 1;
        return true;
    }
    if (i + 2 < end && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
        ((unsigned char)s[i + 2] == 0x93 || (unsigned char)s[i + 2] == 0x94)) {
        *next = i + 3;
        return true;
    }
    return false;
}

static bool dash_before(const char *s, size_t i)
{
    if (i > 0 && s[i - 1] == '-')
        return true;
    return i > 2 && (unsigned char)s[i - 3] == 0xE2 && (unsigned char)s[i - 2] == 0x80 &&
           ((unsigned char)s[i - 1] == 0x93 || (unsigned char)s[i - 1] == 0x94);
}

/* A run of 1..maxd digits at i not followed by another digit; -1 if none. */
static int read_num(const char *s, size_t i, size_t end, int maxd, size_t *next)
{
    int v = 0, n = 0;
    while (i < end && is_digit((unsigned char)s[i])) {
        if (++n > maxd)
            return -1;
        v = v * 10 + (s[i] - '0');
        i++;
    }
    if (n == 0)
        return -1;
    *next = i;
    return v;
}

/* Nothing that glues a number to what follows: a word character, or one of
 * "/-.:,%" followed by a digit or "%" itself. */
static bool number_end_ok(const char *s, size_t i, size_t end)
{
    if (i >= end)
        return true;
    unsigned char c = (unsigned char)s[i];
    if (c == '%' || word_at(s, i, end))
        return false;
    if (strchr("/-.:,", c) && c != '\0' && i + 1 < end && is_digit((unsigned char)s[i + 1]))
        return false;
    return true;
}

/* A number may start at i: not glued to a word or to a number before it. */
static bool number_start_ok(const char *s, size_t i)
{
    if (word_before(s, i))
        return false;
    if (i >= 2 && strchr("/-.:,", s[i - 1]) && s[i - 1] != '\0' && is_digit((unsigned char)s[i - 2]))
        return false;
    return true;
}

/* A 4-digit year in range at i, standing alone on its right; 0 if none. */
static int year_at(const char *s, size_t i, size_t end, size_t *next)
{
    size_t k;
    int y = read_num(s, i, end, 4, &k);
    if (y < MIN_YEAR || y > MAX_YEAR || k - i != 4 || !number_end_ok(s, k, end))
        return 0;
    *next = k;
    return y;
}

/* ---- words ---------------------------------------------------------------- */

/* Case-fold and NFC-compose w[0..n) into out (NUL-terminated). */
static bool fold_word(const char *w, size_t n, char *out, size_t cap)
{
    utf8proc_int32_t cps[WORD_MAX + 8];
    const utf8proc_option_t opt = UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE | UTF8PROC_STABLE;
    if (n == 0 || n > WORD_MAX)
        return false;
    utf8proc_ssize_t k = utf8proc_decompose((const utf8proc_uint8_t *)w, (utf8proc_ssize_t)n, cps,
                                            WORD_MAX + 8, opt);
    if (k <= 0 || k > WORD_MAX + 8)
        return false;
    k = utf8proc_reencode(cps, k, opt);
    if (k <= 0 || (size_t)k >= cap)
        return false;
    memcpy(out, cps, (size_t)k);
    out[k] = '\0';
    return true;
}

/* Fold the word that ends before i (after skipping spaces) into buf; its
 * start goes to *wstart.  False if there is none. */
static bool prev_word(const char *s, size_t i, char *buf, size_t cap, size_t *wstart)
{
    size_t p = skip_spaces_back(s, i), q = p;
    while (q > 0 && p - q <= WORD_MAX) {
        size_t st;
        utf8proc_int32_t cp = cp_before(s, q, &st);
        if (!cp_is_word(cp))
            break;
        q = st;
    }
    if (q == p || p - q > WORD_MAX)
        return false;
    if (wstart)
        *wstart = q;
    return fold_word(s + q, p - q, buf, cap);
}

static bool in_list(const char *w, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(w, *list) == 0)
            return true;
    return false;
}

/* Folded word at i equals `want` (a folded literal) and ends there. */
static bool word_is(const char *s, size_t i, size_t end, const char *want, size_t *next)
{
    size_t j = i;
    while (j < end && j - i <= WORD_MAX) {
        size_t n = 0;
        if (!cp_is_word(cp_at(s, j, end, &n)))
            break;
        j += n;
    }
    char buf[WORD_MAX * 2];
    if (j == i || !fold_word(s + i, j - i, buf, sizeof buf) || strcmp(buf, want) != 0)
        return false;
    *next = j;
    return true;
}

/* Vietnamese words that put a bare "16/2" in a date context. */
static const char *const time_words[] = {
    "ngày", "hôm", "sáng", "trưa", "chiều", "tối", "đêm", "khuya", NULL
};
/* Words before which a year names the time of the story. */
static const char *const year_cue_words[] = {
    "in", "year", "năm", "chair", "during", "throughout", NULL
};
/* Words before the cue that point elsewhere in time. */
static const char *const other_time_words[] = {
    "founded", "established", "born", "built", "formed", "created", "signed", "adopted",
    "since", "until", "till", "before", "after", "by", "from",
    "lập", "sinh", "từ", "đến", "tới", "trước", "sau", "kể", "đầu", "cuối", "giữa", NULL
};
/* Words that put a year in the future when they come shortly before it in
 * the same sentence ("will be held in 2025", "dự kiến hoàn tất vào năm
 * 2025"); "dự kiến" and "đề xuất" are matched as pairs below. */
static const char *const future_words[] = {
    "will", "expected", "scheduled", "slated", "planned", "proposed", "sẽ", "sắp", NULL
};
#define FUTURE_WINDOW 10      /* words looked at before a year cue */

/* Words before a title year that make it a name or another time. */
static const char *const title_nonyear_words[] = {
    "vision", "nhìn", "post", "agenda", NULL
};

/* 2 if "(" is right before i, 1 if a Vietnamese time word is, else 0. */
static int date_cue_before(const char *s, size_t i)
{
    size_t p = skip_spaces_back(s, i);
    if (p > 0 && s[p - 1] == '(')
        return 2;
    char w[WORD_MAX * 2];
    return prev_word(s, i, w, sizeof w, NULL) && in_list(w, time_words) ? 1 : 0;
}

/* English month name (or abbreviation, optionally with a dot) at i. */
static int month_at(const char *s, size_t i, size_t end, size_t *next)
{
    static const char *const names[] = {
        "january", "february", "march", "april", "may", "june", "july",
        "august", "september", "october", "november", "december"
    };
    static const char *const abbr[] = {
        "jan", "feb", "mar", "apr", "", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
    };
    if (i >= end || s[i] < 'A' || s[i] > 'Z')
        return 0;
    size_t j = i;
    char w[10];
    while (j < end && is_alpha((unsigned char)s[j])) {
        if (j - i >= sizeof w - 1)
            return 0;
        w[j - i] = (char)(s[j] | 0x20);
        j++;
    }
    w[j - i] = '\0';
    if (word_at(s, j, end))
        return 0;
    for (int m = 0; m < 12; m++) {
        if (strcmp(w, names[m]) == 0) {
            *next = j;
            return m + 1;
        }
        if ((abbr[m][0] && strcmp(w, abbr[m]) == 0) || (m == 8 && strcmp(w, "sept") == 0)) {
            *next = (j < end && s[j] == '.') ? j + 1 : j;
            return m + 1;
        }
    }
    return 0;
}

/* "st", "nd", "rd", "th" after a day number. */
static size_t skip_ordinal(const char *s, size_t i, size_t end)
{
    if (i + 1 < end) {
        char a = (char)(s[i] | 0x20), b = (char)(s[i + 1] | 0x20);
        if ((a == 's' && b == 't') || (a == 'n' && b == 'd') || (a == 'r' && b == 'd') ||
            (a == 't' && b == 'h')) {
            if (!word_at(s, i + 2, end))
                return i + 2;
        }
    }
    return i;
}

/* Optional ", YYYY" or " YYYY" after a day-month. */
static int trailing_year(const char *s, size_t i, size_t end, size_t *next)
{
    size_t j = skip_spaces(s, i, end);
    if (j < end && s[j] == ',')
        j = skip_spaces(s, j + 1, end);
    return year_at(s, j, end, next);
}

/* ---- matching one date ---------------------------------------------------- */

typedef struct dmatch {
    int y, m, d;          /* y == 0: no year given */
    size_t start, stop;
} dmatch;

static bool accept(dmatch *out, size_t start, size_t stop, int y, int m, int d)
{
    if (d < 1 || d > days_in_month(y, m))
        return false;
    out->y = y;
    out->m = m;
    out->d = d;
    out->start = start;
    out->stop = stop;
    return true;
}

/* "January 6", "Jan. 6, 2022", "January 18-19, 2022" at i. */
static bool match_month_first(const char *s, size_t i, size_t end, dmatch *out)
{
    size_t j, k, r, r2;
    int m = month_at(s, i, end, &j);
    if (!m)
        return false;
    j = skip_spaces(s, j, end);
    int d = read_num(s, j, end, 2, &k);
    if (d < 1)
        return false;
    k = skip_ordinal(s, k, end);
    r = skip_spaces(s, k, end);
    if (dash_at(s, r, end, &r2)) {
        size_t k2;
        int d2 = read_num(s, skip_spaces(s, r2, end), end, 2, &k2);
        if (d2 > d && d2 <= 31)
            k = k2;
    }
    if (!number_end_ok(s, k, end))
        return false;
    size_t ystop;
    int y = trailing_year(s, k, end, &ystop);
    return accept(out, i, y ? ystop : k, y, m, d);
}

/* "2022-01-06", "2022/01/06" at i (4 digits there). */
static bool match_iso(const char *s, size_t i, size_t end, dmatch *out)
{
    size_t j, k;
    int y = read_num(s, i, end, 4, &j);
    if (y < MIN_YEAR || y > MAX_YEAR || j - i != 4 || j >= end || (s[j] != '-' && s[j] != '/'))
        return false;
    char sep = s[j];
    int m = read_num(s, j + 1, end, 2, &k);
    if (m < 1 || m > 12 || k >= end || s[k] != sep)
        return false;
    int d = read_num(s, k + 1, end, 2, &j);
    if (d < 1)
        return false;
    bool time_follows = j + 1 < end && s[j] == 'T' && is_digit((unsigned char)s[j + 1]);
    if (!time_follows && !number_end_ok(s, j, end))
        return false;
    return accept(out, i, j, y, m, d);
}

/* Day-first forms at i (1-2 digits there): numeric, Vietnamese "tháng",
 * English "6 January". */
static bool match_day_first(const char *s, size_t i, size_t end, dmatch *out)
{
    size_t j, k;
    int d = read_num(s, i, end, 2, &j);
    if (d < 1 || d > 31)
        return false;

    /* numeric: [range] sep month [sep year] */
    bool ranged = false;
    size_t r = skip_spaces(s, j, end), r2;
    if (dash_at(s, r, end, &r2)) {
        int d2 = read_num(s, skip_spaces(s, r2, end), end, 2, &k);
        if (d2 > d && d2 <= 31 && k < end && s[k] == '/') {
            j = k;
            ranged = true;
        }
    }
    if (j < end && (s[j] == '/' || s[j] == '-' || s[j] == '.')) {
        char sep = s[j];
        int m = read_num(s, j + 1, end, 2, &k);
        if (m < 1 || m > 12)
            return false;
        if (k < end && s[k] == sep && k + 1 < end && is_digit((unsigned char)s[k + 1])) {
            size_t ystop;
            int y = year_at(s, k + 1, end, &ystop);
            return y && accept(out, i, ystop, y, m, d);
        }
        if (!number_end_ok(s, k, end) || sep == '.')
            return false;
        int cue = ranged ? 1 : date_cue_before(s, i);
        if (cue == 0 || (sep == '-' && cue != 1))
            return false;
        return accept(out, i, k, 0, m, d);
    }
    if (!number_end_ok(s, j, end) && !(j < end && is_alpha((unsigned char)s[j])))
        return false;

    /* Vietnamese: "16 tháng 2 [năm 2022]" */
    size_t t = skip_spaces(s, j, end);
    if (word_is(s, t, end, "tháng", &t)) {
        int m = read_num(s, skip_spaces(s, t, end), end, 2, &k);
        if (m < 1 || m > 12 || !number_end_ok(s, k, end))
            return false;
        size_t n = skip_spaces(s, k, end), ystop;
        if (n < end && s[n] == ',')
            n = skip_spaces(s, n + 1, end);
        if (word_is(s, n, end, "năm", &n)) {
            int y = year_at(s, skip_spaces(s, n, end), end, &ystop);
            if (y)
                return accept(out, i, ystop, y, m, d);
        }
        return date_cue_before(s, i) == 1 && accept(out, i, k, 0, m, d);
    }

    /* English: "6 January [2022]", "6th of January" */
    t = skip_spaces(s, skip_ordinal(s, j, end), end);
    if (t + 2 < end && s[t] == 'o' && s[t + 1] == 'f' && s[t + 2] == ' ')
        t = skip_spaces(s, t + 2, end);
    int m = month_at(s, t, end, &k);
    if (!m)
        return false;
    size_t ystop;
    int y = trailing_year(s, k, end, &ystop);
    return accept(out, i, y ? ystop : k, y, m, d);
}

/* A date starting at i (a word start). */
static bool match_date_at(const char *s, size_t i, size_t end, dmatch *out)
{
    unsigned char c = (unsigned char)s[i];
    if (is_alpha(c))
        return match_month_first(s, i, end, out);
    if (!is_digit(c) || !number_start_ok(s, i))
        return false;
    size_t n = 0;
    while (i + n < end && is_digit((unsigned char)s[i + n]))
        n++;
    if (n == 4)
        return match_iso(s, i, end, out);
    if (n <= 2)
        return match_day_first(s, i, end, out);
    return false;
}

/* Does a future marker come within FUTURE_WINDOW words before i, in the
 * same sentence? */
static bool future_before(const char *s, size_t i)
{
    char w[WORD_MAX * 2], later[WORD_MAX * 2] = "";
    size_t p = i;
    for (int n = 0; n < FUTURE_WINDOW && p > 0; n++) {
        /* step back over what separates two words; stop at a sentence end */
        size_t q = p, st;
        for (;;) {
            utf8proc_int32_t cp = cp_before(s, q, &st);
            if (q == 0 || cp == 0 || cp_is_word(cp))
                break;
            bool decimal = (cp == '.' || cp == ',') && q < i && is_digit((unsigned char)s[q]);
            if (cp == '\n' || cp == '!' || cp == '?' || cp == ';' || (cp == '.' && !decimal))
                return false;
            q = st;
        }
        size_t ws;
        if (q == 0 || !prev_word(s, q, w, sizeof w, &ws))
            return false;
        if (in_list(w, future_words) || (strcmp(w, "dự") == 0 && strcmp(later, "kiến") == 0) ||
            (strcmp(w, "đề") == 0 && strcmp(later, "xuất") == 0))
            return true;
        memcpy(later, w, sizeof later);
        p = ws;
    }
    return false;
}

/* A year standing alone at i that is evidence of the story's year; 0 if not. */
static int year_cue_at(const char *s, size_t i, size_t end, bool in_title)
{
    size_t next, ws;
    char w[WORD_MAX * 2], w2[WORD_MAX * 2];
    if (!number_start_ok(s, i) || dash_before(s, i) || (i > 0 && strchr("/.,:'#", s[i - 1]) && s[i - 1]))
        return 0;
    int y = year_at(s, i, end, &next);
    if (!y)
        return 0;
    bool have = prev_word(s, i, w, sizeof w, &ws);
    if (have && prev_word(s, ws, w2, sizeof w2, NULL) && in_list(w2, other_time_words))
        return 0;
    if (in_title)
        return have && (in_list(w, other_time_words) || in_list(w, title_nonyear_words)) ? 0 : y;
    return have && in_list(w, year_cue_words) && !future_before(s, ws) ? y : 0;
}

/* ---- scanning --------------------------------------------------------------- */

typedef struct tally {
    int year[MAX_YEARS];
    unsigned count[MAX_YEARS];
    size_t dist[MAX_YEARS];
    int n;
} tally;

static void tally_add(tally *t, int y, size_t dist)
{
    for (int k = 0; k < t->n; k++) {
        if (t->year[k] == y) {
            t->count[k]++;
            if (dist < t->dist[k])
                t->dist[k] = dist;
            return;
        }
    }
    if (t->n < MAX_YEARS) {
        t->year[t->n] = y;
        t->count[t->n] = 1;
        t->dist[t->n] = dist;
        t->n++;
    }
}

/* Walk word starts in [0, stop) of s (parsing may read to end).  With
 * `first`, return at the first date; with `t`, tally year evidence. */
static bool scan(const char *s, size_t stop, size_t end, dmatch *first, tally *t,
                 size_t anchor, bool in_title)
{
    size_t i = 0;
    while (i < stop) {
        unsigned char c = (unsigned char)s[i];
        if (!is_alnum(c)) {
            i++;
            continue;
        }
        /* only digits and capitals can start a date */
        if ((is_digit(c) || (c >= 'A' && c <= 'Z')) && !word_before(s, i)) {
            dmatch m;
            if (match_date_at(s, i, end, &m)) {
                if (first) {
                    *first = m;
                    return true;
                }
                if (t && m.y)
                    tally_add(t, m.y, m.start > anchor ? m.start - anchor : anchor - m.start);
                i = m.stop;
                continue;
            }
            if (t && is_digit(c)) {
                int y = year_cue_at(s, i, end, in_title);
                if (y)
                    tally_add(t, y, in_title ? 0 : (i > anchor ? i - anchor : anchor - i));
            }
        }
        while (i < stop && is_alnum((unsigned char)s[i]))
            i++;
    }
    return false;
}

static void write_date(char out[11], int y, int m, int d)
{
    out[0] = (char)('0' + y / 1000 % 10);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

lsx_date_source lsx_find_date(const char *lang, const char *title, const char *body, size_t len,
                              char out[11])
{
    LSX_UNUSED(lang);  /* both languages' patterns are always tried */
    out[0] = '\0';
    if (!body)
        len = 0;
    size_t cend = len ? lsx_content_end(body, len) : 0;
    if (cend > len)
        cend = len;
    size_t tlen = title ? strnlen(title, TITLE_BYTES) : 0;

    dmatch m;
    size_t anchor = 0;
    bool found = false;
    if (cend) {
        found = scan(body, cend < DATELINE_BYTES ? cend : DATELINE_BYTES, cend, &m, NULL, 0, false);
        anchor = found ? m.start : 0;
    }
    if (!found && tlen)
        found = scan(title, tlen, tlen, &m, NULL, 0, true);
    if (!found)
        return LSX_DATE_NONE;
    if (m.y) {
        write_date(out, m.y, m.m, m.d);
        return LSX_DATE_TEXT;
    }

    tally t = { .n = 0 };
    if (cend)
        scan(body, cend < YEAR_WINDOW_BYTES ? cend : YEAR_WINDOW_BYTES, cend, NULL, &t, anchor, false);
    if (tlen)
        scan(title, tlen, tlen, NULL, &t, 0, true);
    int best = -1;
    for (int k = 0; k < t.n; k++)
        if (best < 0 || t.count[k] > t.count[best] ||
            (t.count[k] == t.count[best] && t.dist[k] < t.dist[best]))
            best = k;
    if (best < 0 || m.d > days_in_month(t.year[best], m.m))
        return LSX_DATE_NONE;
    write_date(out, t.year[best], m.m, m.d);
    return LSX_DATE_INFERRED;
}

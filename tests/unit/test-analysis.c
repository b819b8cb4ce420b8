/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-analysis.c - tokenizer, folding, stemming, stopwords, language guess.
 */
#include "libsearch.h"
#include "tap.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- collecting tokens ----------------------------------------------------- */

#define MAX_TOKS 4096

typedef struct tok {
    char term[300], exact[80];
    size_t term_len, exact_len, start, end;
    unsigned pos;
    int stop;
} tok;

typedef struct toks {
    tok t[MAX_TOKS];
    size_t n;
    int rc;
    size_t invalid;
    size_t stop_after;        /* callback returns stop_value at this token (1-based) */
    int stop_value;
} toks;

static int collect(void *payload, const lsx_token *t)
{
    toks *ts = payload;
    if (ts->n < MAX_TOKS) {
        tok *o = &ts->t[ts->n];
        snprintf(o->term, sizeof o->term, "%s", t->term);
        snprintf(o->exact, sizeof o->exact, "%s", t->exact);
        o->term_len = t->term_len;
        o->exact_len = t->exact_len;
        o->start = t->start;
        o->end = t->end;
        o->pos = t->pos;
        o->stop = t->stopword;
    }
    ts->n++;
    if (ts->stop_after && ts->n == ts->stop_after)
        return ts->stop_value;
    return 0;
}

static toks *run(lsx_analyzer *a, const char *lang, const char *text, size_t len)
{
    toks *ts = calloc(1, sizeof *ts);
    if (!ts)
        abort();
    ts->rc = lsx_analyze(a, lang, text, len, collect, ts);
    ts->invalid = lsx_analyzer_invalid_bytes(a);
    return ts;
}

/* Space-joined field of every token: 't' term, 'e' exact, 'p' position,
 * 's' stopword flag.  Returns a static buffer (tests are single-threaded). */
static const char *join(const toks *ts, char field)
{
    static char out[2][8192];
    static int which;
    char *o = out[which ^= 1];
    size_t n = 0;
    o[0] = '\0';
    for (size_t i = 0; i < ts->n && i < MAX_TOKS; i++) {
        const tok *t = &ts->t[i];
        char num[32];
        const char *s = num;
        switch (field) {
        case 't': s = t->term; break;
        case 'e': s = t->exact; break;
        case 'p': snprintf(num, sizeof num, "%u", t->pos); break;
        default:  snprintf(num, sizeof num, "%d", t->stop ? 1 : 0); break;
        }
        n += (size_t)snprintf(o + n, sizeof out[0] - n, "%s%s", i ? " " : "", s);
        if (n >= sizeof out[0])
            break;
    }
    return o;
}

static const char *terms(lsx_analyzer *a, const char *lang, const char *text)
{
    toks *ts = run(a, lang, text, (size_t)-1);
    const char *r = join(ts, 't');
    free(ts);
    return r;
}

static const char *exacts(lsx_analyzer *a, const char *lang, const char *text)
{
    toks *ts = run(a, lang, text, (size_t)-1);
    const char *r = join(ts, 'e');
    free(ts);
    return r;
}

/* Compare everything but offsets. */
static int same_tokens(const toks *x, const toks *y)
{
    if (x->n != y->n)
        return 0;
    for (size_t i = 0; i < x->n && i < MAX_TOKS; i++)
        if (strcmp(x->t[i].term, y->t[i].term) || strcmp(x->t[i].exact, y->t[i].exact) ||
            x->t[i].pos != y->t[i].pos || x->t[i].stop != y->t[i].stop)
            return 0;
    return 1;
}

static char *slurp(const char *path, size_t *len, size_t max)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(max + 1);
    size_t n = buf ? fread(buf, 1, max, f) : 0;
    fclose(f);
    if (!buf)
        return NULL;
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* ---- tests ------------------------------------------------------------------ */

static void test_api(lsx_analyzer *a)
{
    lsx_analyzer *b = NULL;
    is_int(lsx_analyzer_new(NULL), LSX_EINVAL, "analyzer_new(NULL) is EINVAL");
    is_int(lsx_analyzer_new(&b), LSX_OK, "analyzer_new");
    lsx_analyzer_free(b);
    lsx_analyzer_free(NULL);
    ok(lsx_analyzer_errmsg(NULL) != NULL, "errmsg(NULL) is a string");
    is_int(lsx_analyzer_invalid_bytes(NULL), 0, "invalid_bytes(NULL) is 0");

    is_int(lsx_analyze(NULL, "en", "x", 1, collect, NULL), LSX_EINVAL, "NULL analyzer");
    is_int(lsx_analyze(a, "en", "x", 1, NULL, NULL), LSX_EINVAL, "NULL callback");
    ok(strstr(lsx_analyzer_errmsg(a), "callback") != NULL, "message names the callback: %s",
       lsx_analyzer_errmsg(a));
    is_int(lsx_analyze(a, "en", NULL, 5, collect, NULL), LSX_EINVAL, "NULL text with a length");
    toks *ts = run(a, "en", NULL, 0);
    ok(ts->rc == LSX_OK && ts->n == 0, "NULL text of length 0 is empty");
    free(ts);
    ts = run(a, "en", "", (size_t)-1);
    ok(ts->rc == LSX_OK && ts->n == 0, "empty text");
    free(ts);
    ts = run(a, "en", " \t\n--,.;!?() ", (size_t)-1);
    ok(ts->rc == LSX_OK && ts->n == 0, "punctuation only: no tokens");
    free(ts);
    ts = run(a, "en", "abcdef", 3);
    is_str(join(ts, 't'), "abc", "len is honoured (no read past it)");
    free(ts);
    ts = run(a, "en", "one two", (size_t)-1);
    is_str(join(ts, 't'), "one two", "(size_t)-1 means strlen");
    free(ts);
    ts = run(a, "en", "one\0two", 7);
    is_str(join(ts, 't'), "one two", "an embedded NUL is a separator");
    free(ts);
}

static void test_folding(lsx_analyzer *a)
{
    const char *vn[] = {
        "Việt Nam", "Viet Nam", "VIỆT NAM", "viet nam", "viỆt nAm",
        "Vie\xcc\xa3\xcc\x82t Nam",              /* NFD, marks in canonical order */
        "Vie\xcc\x82\xcc\xa3t Nam",              /* marks in the other order */
    };
    for (size_t i = 0; i < sizeof vn / sizeof *vn; i++)
        is_str(terms(a, "vi", vn[i]), "viet nam", "terms of '%s'", vn[i]);
    is_str(exacts(a, "vi", "Việt Nam"), "việt nam", "exact keeps the diacritics");
    is_str(exacts(a, "vi", "VIỆT NAM"), "việt nam", "exact is case-folded");
    is_str(exacts(a, "vi", "Vie\xcc\xa3\xcc\x82t"), "việt", "exact of NFD input is NFC");
    is_str(exacts(a, "vi", "Viet Nam"), "viet nam", "exact of plain text");

    is_str(terms(a, "vi", "Đà Nẵng đường ĐỒNG"), "da nang duong dong", "đ/Đ fold to d");
    is_str(exacts(a, "vi", "Đà Nẵng"), "đà nẵng", "exact keeps đ");
    is_str(terms(a, "vi", "Øre łódź Straße Æsir Œuvre cœur"), "ore lodz strasse aesir oeuvre coeur",
           "ø ł ß æ œ have explicit mappings");
    is_str(terms(a, "vi", "naïve café Ångström"), "naive cafe angstrom", "Latin accents stripped");
    is_str(terms(a, "vi", "İstanbul"), "istanbul", "dotted capital I");
    is_str(terms(a, "vi", "Привет Ёлка"), "привет елка", "Cyrillic folds too");
    is_str(terms(a, "vi", "한국어"), "한국어", "Hangul survives decomposition");
    is_str(terms(a, "vi", "が"), "が", "Japanese voicing mark is kept");
    is_str(terms(a, "vi", "हिन्दी"), "हिन्दी", "Devanagari vowel signs are kept");

    /* Every form of one sentence gives the same tokens. */
    const char *nfc = "Ngày 16/2, Hội nghị Quan chức cao cấp ASEAN đã diễn ra "
                      "trực tiếp và trực tuyến tại Phnom Penh; Đại sứ Vũ Hồ dự.";
    const char *nfd = "Nga\xcc\x80y 16/2, Ho\xcc\x82\xcc\xa3i nghi\xcc\xa3 Quan chu\xcc\x9b\xcc\x81"
                      "c cao ca\xcc\x82\xcc\x81p ASEAN \xc4\x91\x61\xcc\x83 die\xcc\x82\xcc\x83n ra "
                      "tru\xcc\x9b\xcc\xa3\x63 tie\xcc\x82\xcc\x81p va\xcc\x80 tru\xcc\x9b\xcc\xa3\x63 "
                      "tuye\xcc\x82\xcc\x81n ta\xcc\xa3i Phnom Penh; \xc4\x90\x61\xcc\xa3i su\xcc\x9b\xcc\x81 "
                      "Vu\xcc\x83 Ho\xcc\x82\xcc\x80 du\xcc\x9b\xcc\xa3.";
    toks *x = run(a, "vi", nfc, (size_t)-1), *y = run(a, "vi", nfd, (size_t)-1);
    ok(x->n == 26 && same_tokens(x, y), "NFD input gives exactly the NFC tokens (%zu, %zu)", x->n, y->n);
    is_str(join(y, 'e'), join(x, 'e'), "NFD exact forms equal NFC ones");
    free(x);
    free(y);
}

static void test_words(lsx_analyzer *a)
{
    is_str(terms(a, "en", "COVID-19 pandemic"), "covid 19 pandem", "hyphen splits, en stems");
    is_str(terms(a, "vi", "Ngày 16/2 và 16-17/2"), "ngay 16 2 va 16 17 2", "slash and dash split");
    is_str(terms(a, "en", "1.5 1,000 3.14.15 2,5"), "1.5 1,000 3.14.15 2,5", "'.' ',' between digits stay");
    is_str(terms(a, "en", "end. 1. .5 ,5 5, a.b U.S."), "end 1 5 5 5 a b u s", "other '.' ',' split");
    is_str(terms(a, "en", "2022-02-16"), "2022 02 16", "ISO date splits");
    is_str(terms(a, "vi", "foo.bar+baz@example.com"), "foo bar baz example com", "e-mail splits");
    is_str(terms(a, "vi", "12345-678-9AB"), "12345 678 9ab", "hyphenated id splits");
    is_str(terms(a, "vi", "ABC'13"), "abc 13", "apostrophe before a digit splits");
    is_str(terms(a, "vi", "don't O’Neil rock'n'roll"), "don't o'neil rock'n'roll",
           "apostrophes between letters stay, U+2019 becomes '");
    is_str(exacts(a, "vi", "Don’t"), "don't", "exact has the ASCII apostrophe too");
    is_str(terms(a, "vi", "'quoted' ‘single’ dogs' 'tis x''y"), "quoted single dogs tis x y",
           "leading, trailing and doubled apostrophes split");
    is_str(terms(a, "vi", "l'été"), "l'ete", "apostrophe before an accented letter stays");
    is_str(terms(a, "vi", "snake_case tab\there"), "snake case tab here", "underscore and tab split");
    is_str(terms(a, "vi", "x²+y³ ½"), "x² y³ ½", "other numbers count as digits");
    is_str(terms(a, "vi", "emoji😀here"), "emoji here", "symbols split");

    /* Possessives: dropped from the term in every language. */
    is_str(terms(a, "en", "Vietnam’s ASEAN's"), "vietnam asean", "possessive dropped (en)");
    is_str(exacts(a, "en", "Vietnam’s"), "vietnam's", "exact keeps the possessive");
    is_str(terms(a, "vi", "Vietnam’s"), "vietnam", "possessive dropped (vi)");
    is_str(terms(a, "fr", "Vietnam's"), "vietnam", "possessive dropped (fr)");
    is_str(terms(a, "xx", "Việt Nam’s"), "viet nam", "possessive dropped after folding");
    is_str(terms(a, "vi", "it's isn't"), "it isn't", "only a final 's is a possessive");
}

static void test_offsets_positions(lsx_analyzer *a)
{
    const char *text = "  Hà Nội, Việt Nam’s  “capital” — don't 1,000 x";
    toks *ts = run(a, "vi", text, (size_t)-1);
    const char *want[] = { "Hà", "Nội", "Việt", "Nam’s", "capital", "don't", "1,000", "x" };
    int good = ts->n == 8;
    for (size_t i = 0; good && i < 8; i++) {
        const tok *t = &ts->t[i];
        good = t->end - t->start == strlen(want[i]) &&
               memcmp(text + t->start, want[i], strlen(want[i])) == 0 && t->pos == i + 1;
        if (!good)
            printf("# token %zu: [%zu,%zu) pos %u\n", i, t->start, t->end, t->pos);
    }
    ok(good, "offsets point at the original bytes of each word, positions 1..8");
    free(ts);

    /* Offsets of NFD and invalid input still point into the input. */
    const char *nfd = "x Vie\xcc\xa3\xcc\x82t\xff y";
    ts = run(a, "vi", nfd, (size_t)-1);
    ok(ts->n == 3 && ts->t[1].start == 2 && ts->t[1].end == 10 && ts->t[2].start == 12,
       "offsets of decomposed words cover their marks");
    free(ts);

    ts = run(a, "en", "The cat and the hat", (size_t)-1);
    is_str(join(ts, 'p'), "1 2 3 4 5", "stopwords keep their positions");
    is_str(join(ts, 's'), "1 0 1 1 0", "and are flagged");
    free(ts);

    /* Word length limit: exact-form bytes. */
    char buf[600];
    memset(buf, 0, sizeof buf);
    strcpy(buf, "a ");
    memset(buf + 2, 'x', LSX_MAX_WORD_BYTES);
    strcat(buf, " b ");
    size_t n = strlen(buf);
    memset(buf + n, 'Y', LSX_MAX_WORD_BYTES + 1);
    strcat(buf, " c");
    ts = run(a, "en", buf, (size_t)-1);
    ok(ts->n == 4 && ts->t[1].exact_len == LSX_MAX_WORD_BYTES && strcmp(ts->t[3].term, "c") == 0,
       "a %d-byte word is kept, a %d-byte word skipped", LSX_MAX_WORD_BYTES, LSX_MAX_WORD_BYTES + 1);
    is_str(join(ts, 'p'), "1 2 3 5", "the skipped word still takes a position");
    free(ts);

    /* Non-ASCII: 32 x "đ" is 64 bytes, 33 x is 66; NFD raw bytes do not count. */
    char *p = buf;
    for (int i = 0; i < 32; i++)
        p += sprintf(p, "Đ");
    p += sprintf(p, " ");
    for (int i = 0; i < 33; i++)
        p += sprintf(p, "đ");
    p += sprintf(p, " ");
    for (int i = 0; i < 21; i++)
        p += sprintf(p, "e\xcc\x81");         /* 63 raw bytes, 42 exact bytes */
    p += sprintf(p, " z");
    ts = run(a, "vi", buf, (size_t)-1);
    ok(ts->n == 3 && ts->t[0].exact_len == 64 && ts->t[0].term_len == 32 &&
       ts->t[1].pos == 3 && ts->t[1].exact_len == 42 && ts->t[2].pos == 4,
       "long non-ASCII words are measured by their exact form");
    free(ts);

    /* A huge word is skipped in one piece. */
    size_t big = 1 << 20;
    char *huge = malloc(big + 3);
    memset(huge, 'q', big);
    memcpy(huge + big, " r", 3);
    ts = run(a, "en", huge, (size_t)-1);
    ok(ts->n == 1 && ts->t[0].pos == 2 && strcmp(ts->t[0].term, "r") == 0, "a 1 MB word is skipped");
    free(ts);
    for (size_t i = 0; i + 2 <= big; i += 2)
        memcpy(huge + i, "\xc3\xa9", 2);
    ts = run(a, "en", huge, (size_t)-1);
    ok(ts->n == 1 && ts->t[0].pos == 2, "a 1 MB accented word is skipped");
    free(ts);
    free(huge);

    /* A run of combining marks alone has no search form. */
    ts = run(a, "vi", "a \xcc\x81\xcc\x80 b", (size_t)-1);
    ok(ts->n == 2 && ts->t[1].pos == 3, "a mark-only word is skipped but counted");
    free(ts);
}

static void test_invalid(lsx_analyzer *a)
{
    static const struct {
        const char *text;
        size_t len;
        const char *terms;
        size_t invalid;
        const char *name;
    } cases[] = {
        { "ab\xff" "cd", 5, "ab cd", 1, "0xFF byte" },
        { "ab\x80\x80" "cd", 6, "ab cd", 2, "stray continuation bytes" },
        { "ab\xc3", 3, "ab", 1, "truncated 2-byte sequence at the end" },
        { "\xe1\x80" "a", 3, "a", 2, "truncated 3-byte sequence" },
        { "x\xc0\xaf" "y", 4, "x y", 2, "overlong '/'" },
        { "x\xe0\x80\xaf" "y", 5, "x y", 3, "3-byte overlong" },
        { "x\xf0\x80\x80\xaf" "y", 6, "x y", 4, "4-byte overlong" },
        { "x\xed\xa0\x80" "y", 5, "x y", 3, "UTF-16 surrogate" },
        { "x\xf4\x90\x80\x80" "y", 6, "x y", 4, "above U+10FFFF" },
        { "x\xf8\x88\x80\x80\x80" "y", 7, "x y", 5, "5-byte form" },
        { "vi\xe1\xbb" "t", 5, "vi t", 2, "cut inside a word" },
        { "Vi\xe1\xbb\x87t", 4, "vi", 2, "len cuts a sequence: no read past len" },
        { "\xf0\x9f\x98\x80", 4, "", 0, "valid emoji is not invalid" },
        { "caf\xc3\xa9\xe9" "s", 7, "cafe s", 1, "Latin-1 byte after UTF-8" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        toks *ts = run(a, "vi", cases[i].text, cases[i].len);
        ok(ts->rc == LSX_OK && strcmp(join(ts, 't'), cases[i].terms) == 0 &&
           ts->invalid == cases[i].invalid,
           "invalid UTF-8, %s: '%s', %zu bad (got '%s', %zu)", cases[i].name, cases[i].terms,
           cases[i].invalid, join(ts, 't'), ts->invalid);
        free(ts);
    }
    toks *ts = run(a, "vi", "fine", 4);
    is_int(ts->invalid, 0, "the invalid count is per call");
    free(ts);

    /* Every byte value, alone and after a letter: no crash, sane tokens. */
    unsigned char all[512];
    for (int i = 0; i < 256; i++) {
        all[2 * i] = 'a';
        all[2 * i + 1] = (unsigned char)i;
    }
    ts = run(a, "en", (const char *)all, sizeof all);
    ok(ts->rc == LSX_OK && ts->invalid == 128, "all byte values: each lone high byte invalid (%zu)", ts->invalid);
    free(ts);
}

static void test_stemming(lsx_analyzer *a)
{
    is_str(terms(a, "en", "Running connections"), "run connect", "en stems");
    is_str(terms(a, NULL, "Running connections"), "run connect", "NULL means en");
    is_str(terms(a, "", "running"), "run", "empty language means en");
    is_str(terms(a, "EN-us", "running"), "run", "language codes ignore case and region");
    is_str(terms(a, "english", "running"), "run", "English by name");
    is_str(terms(a, "vi", "Running connections"), "running connections", "vi is not stemmed");
    is_str(terms(a, "xx", "Running connections"), "running connections", "unknown language: no stemming");
    is_str(terms(a, "thisisnotalanguagecodeatall", "running"), "running", "long junk language");
    is_str(terms(a, "fr", "chevaux continuellement"), "cheval continuel", "fr uses the French stemmer");
    is_str(terms(a, "de", "Häuser laufen"), "haus lauf", "de: folded, then stemmed");
    is_str(terms(a, "Indonesian", "pembangunan"), "bangun", "English names of languages work too");
    is_str(terms(a, "porter", "connection"), "connection", "a stemmer's name is not a language");
    is_str(terms(a, "id", "Pemerintah mengumumkan pembangunan"), "perintah umum bangun", "id: Indonesian stemmer");
    is_str(terms(a, "ms", "membina kerajaan"), "bina raja", "ms: Indonesian stemmer");
    is_str(terms(a, "en", "Moscow Москва"), "moscow москва", "en: a Cyrillic word is not given to the English stemmer");
    is_str(terms(a, "ru", "Москвы"), "москв", "ru: Russian stemmer");
    is_str(exacts(a, "en", "Running"), "running", "exact is never stemmed");
    is_str(terms(a, "en", "1990s 2,000"), "1990s 2,000", "numbers are left alone");

    /* More languages than the analyzer keeps stemmers for, then back. */
    const char *langs[] = { "fr", "de", "es", "it", "pt", "nl", "sv", "ru", "fi", "da", "no", "hu" };
    int fine = 1;
    for (int round = 0; round < 3; round++)
        for (size_t i = 0; i < sizeof langs / sizeof *langs; i++) {
            toks *ts = run(a, langs[i], "word", 4);
            fine &= ts->rc == LSX_OK && ts->n == 1;
            free(ts);
            fine &= strcmp(terms(a, "en", "running"), "run") == 0;
        }
    ok(fine, "many languages in turn: stemmers recycled, en still right");
}

static void test_stopwords(lsx_analyzer *a)
{
    ok(lsx_is_stopword("en", "the", 3), "en: the");
    ok(lsx_is_stopword("en", "don't", (size_t)-1), "en: don't");
    ok(!lsx_is_stopword("en", "cat", 3), "en: cat is not");
    ok(!lsx_is_stopword("en", "us", 2) && !lsx_is_stopword("en", "may", 3),
       "en: us, may are not (US, May in news)");
    ok(lsx_is_stopword(NULL, "the", 3), "NULL language means en");
    ok(lsx_is_stopword("EN", "the", 3) && lsx_is_stopword("en-GB", "the", 3), "EN, en-GB");
    ok(lsx_is_stopword("en", "thereby", 3), "len is honoured ('the')");
    ok(!lsx_is_stopword("en", "the\0x", 5), "an embedded NUL never matches");
    ok(!lsx_is_stopword("en", "The", 3), "words must be case-folded");
    ok(!lsx_is_stopword("en", "", 0) && !lsx_is_stopword("en", NULL, 3), "empty and NULL");
    ok(lsx_is_stopword("vi", "của", (size_t)-1), "vi: của");
    ok(lsx_is_stopword("vi", "và", (size_t)-1) && lsx_is_stopword("vi", "được", (size_t)-1),
       "vi: và, được");
    ok(lsx_is_stopword("vi", "mà", (size_t)-1) && !lsx_is_stopword("vi", "ma", 2), "vi: mà but not ma");
    ok(!lsx_is_stopword("vi", "the", 3), "vi: the is not");
    ok(!lsx_is_stopword("vi", "nhà", (size_t)-1), "vi: nhà (content) is not");
    ok(!lsx_is_stopword("fr", "the", 3) && !lsx_is_stopword("xx", "là", (size_t)-1),
       "other languages have no list");

    toks *ts = run(a, "vi", "Các đại biểu CỦA Việt Nam và của THE", (size_t)-1);
    is_str(join(ts, 's'), "1 0 0 1 0 0 1 1 0", "vi token flags use the exact form");
    free(ts);
    ts = run(a, "en", "Vietnam and THE Running of its", (size_t)-1);
    is_str(join(ts, 's'), "0 1 1 0 1 1", "en token flags");
    free(ts);
    ts = run(a, "fr", "the le de", (size_t)-1);
    is_str(join(ts, 's'), "0 1 1", "French stopwords (stopwords-iso)");
    free(ts);
    ts = run(a, "tl", "ang bagong programa", (size_t)-1);
    is_str(join(ts, 's'), "1 0 0", "Filipino stopwords");
    free(ts);
    ts = run(a, "km", "the le de", (size_t)-1);
    is_str(join(ts, 's'), "0 0 0", "no list for Khmer");
    free(ts);

    /* Every word in the source lists: found by lsx_is_stopword and flagged
     * by the analyzer (this also proves the tables are sorted). */
    const char *src = getenv("top_srcdir");
    if (!src) {
        ok(1, "# SKIP top_srcdir not set: stopword tables not checked");
        return;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/libsearch/stopwords.c", src);
    size_t len;
    char *text = slurp(path, &len, 1 << 20);
    ok(text != NULL, "read %s", path);
    if (!text)
        return;
    const char *langs[2] = { "en", "vi" }, *marks[2] = { "@@STOPWORDS-EN@@", "@@STOPWORDS-VI@@" };
    for (int l = 0; l < 2; l++) {
        char *p = strstr(text, marks[l]);
        char *open = p ? strchr(p, '{') : NULL, *close = open ? strchr(open, '}') : NULL;
        size_t found = 0, missing = 0, flagged = 0;
        for (char *q = open; q && q < close; q++) {
            if (*q != '"')
                continue;
            char *e = strchr(q + 1, '"');
            size_t wl = (size_t)(e - q - 1);
            found++;
            if (!lsx_is_stopword(langs[l], q + 1, wl)) {
                missing++;
                printf("# not found: %.*s\n", (int)wl, q + 1);
            }
            toks *t1 = run(a, langs[l], q + 1, wl);
            flagged += t1->n == 1 && t1->t[0].stop;
            free(t1);
            q = e;
        }
        ok(found >= (l ? 60u : 140u) && missing == 0 && flagged == found,
           "%s list: %zu words, all found, all flagged (%zu)", langs[l], found, flagged);
    }
    free(text);
}

static void test_callback(lsx_analyzer *a)
{
    toks *ts = calloc(1, sizeof *ts);
    ts->stop_after = 3;
    ts->stop_value = 42;
    int rc = lsx_analyze(a, "en", "one two three four five", (size_t)-1, collect, ts);
    ok(rc == 42 && ts->n == 3, "callback's stop value is returned, no more calls");
    ts->n = 0;
    ts->stop_after = 1;
    ts->stop_value = -7;
    rc = lsx_analyze(a, "vi", "Việt Nam", (size_t)-1, collect, ts);
    ok(rc == -7 && ts->n == 1, "a negative stop value too");
    free(ts);
}

static void test_repeatable(lsx_analyzer *a)
{
    const char *text = "Hội nghị AMMR ngày 16-17/2 có ý nghĩa quan trọng, là Hội nghị "
                       "Bộ trưởng Ngoại giao đầu tiên trong năm 2022 do Campuchia làm Chủ tịch. "
                       "The ASEAN Foreign Ministers’ Retreat's results were running well.";
    toks *x = run(a, "vi", text, (size_t)-1);
    toks *e1 = run(a, "en", text, (size_t)-1);
    toks *y = run(a, "vi", text, (size_t)-1);
    toks *e2 = run(a, "en", text, (size_t)-1);
    ok(x->n > 30 && same_tokens(x, y), "same text twice (vi): identical tokens");
    ok(same_tokens(e1, e2), "same text twice (en), interleaved: identical tokens");
    lsx_analyzer *b;
    lsx_analyzer_new(&b);
    toks *z = run(b, "vi", text, (size_t)-1);
    ok(same_tokens(x, z), "a fresh analyzer gives the same tokens");
    lsx_analyzer_free(b);
    free(x);
    free(y);
    free(z);
    free(e1);
    free(e2);
}

static void test_detect(void)
{
    is_str(lsx_detect_language(NULL, 0), "en", "NULL text: en");
    is_str(lsx_detect_language("", 0), "en", "empty: en");
    is_str(lsx_detect_language("12345 !!", (size_t)-1), "en", "no words: en");
    is_str(lsx_detect_language("Các đại biểu đã rà soát toàn diện công tác chuẩn bị cho hội nghị.",
                               (size_t)-1), "vi", "Vietnamese sentence");
    is_str(lsx_detect_language("Việt Nam", (size_t)-1), "en", "just a name: unsure, so en");
    is_str(lsx_detect_language("Hà Nội là thủ đô", (size_t)-1), "vi", "short Vietnamese sentence");
    is_str(lsx_detect_language("HỘI NGHỊ CẤP CAO ASEAN LẦN THỨ 38 VÀ 39", (size_t)-1), "vi",
           "all-capitals Vietnamese");
    is_str(lsx_detect_language("The ASEAN Senior Officials' Meeting took place in Hà Nội, Việt Nam, "
                               "with a delegation led by Deputy Minister Nguyễn Quốc Dũng.", (size_t)-1),
           "en", "English naming Vietnamese people and places");
    is_str(lsx_detect_language("Vietnam’s support for ASEAN", (size_t)-1), "en", "short English");
    is_str(lsx_detect_language("Toi co mot may tinh xach tay, nhung khong xem duoc dia DVD. "
                               "Xin cho biet cach sua.", (size_t)-1), "vi",
           "Vietnamese typed without diacritics");
    is_str(lsx_detect_language("Ca\xcc\x81\x63 \xc4\x91\x61\xcc\xa3i bie\xcc\x82\xcc\x89u \xc4\x91\x61\xcc\x83 "
                               "ra\xcc\x80 soa\xcc\x81t toa\xcc\x80n die\xcc\xa3\xcc\x82n co\xcc\x82ng ta\xcc\x81\x63",
                               (size_t)-1), "vi", "decomposed Vietnamese");
    is_str(lsx_detect_language("C'est la vie, déjà vu à la française: un café très élégant.",
                               (size_t)-1), "fr", "French is not Vietnamese");
    is_str(lsx_detect_language("\xff\xfe\x80 abc \xc3", (size_t)-1), "en", "garbage: en");

    /* Only the start is read: English first, Vietnamese after 8 KB. */
    size_t n = 0, cap = 40000;
    char *mix = malloc(cap);
    while (n < 9000)
        n += (size_t)sprintf(mix + n, "The meeting of the ministers was held in the capital. ");
    while (n < 30000)
        n += (size_t)sprintf(mix + n, "Các đại biểu đã rà soát toàn diện công tác chuẩn bị. ");
    is_str(lsx_detect_language(mix, n), "en", "only the first 8 KB count");
    is_str(lsx_detect_language(mix + 9000 + 60, n - 9060), "vi", "and the Vietnamese part alone is vi");
    free(mix);
}

/* ---- shared data (skipped when absent) -------------------------------------- */

static void test_seeds(lsx_analyzer *a, const char *shared)
{
    static const struct { const char *file, *lang; } seeds[] = {
        { "000_613cb4cec681f5fe.txt", "en" },
        { "001_b51c18b98b433393.txt", "en" },
        { "002_2695f54ec0a55e43.txt", "en" },
        { "003_2f67edeb91075b27.txt", "vi" },
        { "004_41b4e95c0e682894.txt", "en" },
    };
    for (size_t i = 0; i < sizeof seeds / sizeof *seeds; i++) {
        char path[4096];
        size_t len;
        snprintf(path, sizeof path, "%s/seeds/%s", shared, seeds[i].file);
        char *text = slurp(path, &len, 1 << 20);
        if (!text) {
            ok(0, "read %s", path);
            continue;
        }
        is_str(lsx_detect_language(text, len), seeds[i].lang, "seed %s is %s", seeds[i].file,
               seeds[i].lang);
        toks *ts = run(a, seeds[i].lang, text, len);
        int offsets = ts->rc == LSX_OK && ts->n > 100 && ts->n < MAX_TOKS;
        for (size_t k = 0; offsets && k < ts->n; k++)
            offsets = ts->t[k].end <= len && ts->t[k].start < ts->t[k].end && ts->t[k].pos == k + 1;
        ok(offsets && ts->invalid == 0, "seed %s: %zu tokens, offsets in range, positions dense",
           seeds[i].file, ts->n);
        if (i == 0)
            ok(strstr(join(ts, 't'), " vietnam support ") && strstr(join(ts, 't'), " covid 19 "),
               "seed 000: Vietnam’s -> vietnam, COVID-19 -> covid 19");
        if (i == 3)
            ok(strstr(join(ts, 't'), " viet nam ") && strstr(join(ts, 'e'), " việt nam "),
               "seed 003: Việt Nam -> viet nam (exact việt nam)");
        free(ts);
        free(text);
    }
}

static void test_corpus(const char *shared, const char *name, const char *lang, size_t docs)
{
    char path[4096];
    size_t len;
    snprintf(path, sizeof path, "%s/corpora/%s/docs.trec", shared, name);
    char *text = slurp(path, &len, 8u << 20);
    if (!text) {
        ok(1, "# SKIP %s not readable", path);
        return;
    }
    size_t seen = 0, right = 0;
    for (char *p = text; seen < docs && (p = strstr(p, "<TEXT>")) != NULL;) {
        p += 6;
        char *e = strstr(p, "</TEXT>");
        if (!e)
            break;
        if (e - p > 40) {         /* a few documents are empty */
            seen++;
            right += strcmp(lsx_detect_language(p, (size_t)(e - p)), lang) == 0;
        }
        p = e;
    }
    ok(seen >= docs / 2 && right * 1000 >= seen * 995, "%s: %zu of %zu documents detected as %s",
       name, right, seen, lang);
    free(text);
}

/* Issue 14: old and new tone placement, and NFC/NFD, are one exact form;
 * tones still differ. */
static void test_tone_placement(lsx_analyzer *a)
{
    static const struct { const char *x, *y, *want; } same[] = {
        { "khỏe", "khoẻ", "khoẻ" },
        { "hòa", "hoà", "hoà" },
        { "thủy", "thuỷ", "thuỷ" },
        { "Hóa", "Hoá", "hoá" },
        { "xòe", "xoè", "xoè" },
        { "tụy", "tuỵ", "tuỵ" },
        { "khỏe", "kho\xcc\x89" "e", "khoẻ" },           /* NFD, old placement */
        { "khoẻ", "kho" "e\xcc\x89", "khoẻ" },           /* NFD, new placement */
        { "hoà", "ho\xcc\x80" "a", "hoà" },
        { "THỦY", "Thuỷ", "thuỷ" },
        /* qu and gi: the u and i belong to the consonant */
        { "qúy", "quý", "quý" },
        { "qủa", "quả", "quả" },
        { "gìa", "già", "già" },
        { "gịưng", "giựng", "giựng" },
        /* a final consonant: the last vowel */
        { "hòang", "hoàng", "hoàng" },
        { "hùynh", "huỳnh", "huỳnh" },
        { "tóan", "toán", "toán" },
        /* a vowel with a quality mark takes the tone, the second of two */
        { "ngừơi", "người", "người" },
        { "qúôc", "quốc", "quốc" },
        { "chúyên", "chuyến", "chuyến" },
        /* three vowels: the middle one; uyu included */
        { "ngòai", "ngoài", "ngoài" },
        { "khủyu", "khuỷu", "khuỷu" },
    };
    for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
        char x[80], y[80];
        snprintf(x, sizeof x, "%s", exacts(a, "vi", same[i].x));
        snprintf(y, sizeof y, "%s", exacts(a, "vi", same[i].y));
        ok(strcmp(x, same[i].want) == 0 && strcmp(y, same[i].want) == 0,
           "'%s' and '%s' are one word '%s' (got '%s', '%s')", same[i].x, same[i].y, same[i].want, x, y);
    }
    /* placements that are not variants stay as written */
    static const char *const kept[] = { "mùa", "của", "mái", "gìn", "giữ", "thuở", "khuya", "yêu",
                                        "mưa", "cứu", "nguyễn", "café", "où", "país", "naïve" };
    for (size_t i = 0; i < sizeof kept / sizeof *kept; i++) {
        char want[80];
        snprintf(want, sizeof want, "%s", kept[i]);
        is_str(exacts(a, "vi", kept[i]), want, "'%s' keeps its tone where it is", kept[i]);
    }
    /* tones still tell words apart */
    is_str(exacts(a, "vi", "ma mã má mà mả mạ"), "ma mã má mà mả mạ", "six tones, six words");
    is_str(exacts(a, "vi", "hoà hòe hoá"), "hoà hoè hoá", "different tones stay different");
    is_str(terms(a, "vi", "khỏe khoẻ hoà hòa"), "khoe khoe hoa hoa", "folded forms are unchanged");
}

int main(void)
{
    lsx_analyzer *a = NULL;
    if (lsx_analyzer_new(&a) != LSX_OK)
        return 1;
    test_api(a);
    test_folding(a);
    test_tone_placement(a);
    test_words(a);
    test_offsets_positions(a);
    test_invalid(a);
    test_stemming(a);
    test_stopwords(a);
    test_callback(a);
    test_repeatable(a);
    test_detect();

    const char *shared = tap_shared_dir();
    if (shared) {
        test_seeds(a, shared);
        test_corpus(shared, "vntc", "vi", 2000);
        test_corpus(shared, "reuters21578", "en", 2000);
    } else {
        ok(1, "# SKIP no shared folder: seeds and corpora not checked");
    }
    lsx_analyzer_free(a);
    return done_testing();
}

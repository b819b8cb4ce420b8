/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * langs.c - the language registry: which languages the analysis chain
 * knows, and what each one gets.
 *
 * One row per language, sorted by ISO 639-1 code.  A row names the
 * Snowball stemmer (libstemmer's algorithm name) and the script of the
 * words it stems; the stopword list is found by the same code in
 * stopwords.c; segmentation is chosen by script, not by language (ICU's
 * dictionary break iterator for Thai, Lao, Khmer, Myanmar, Han and kana:
 * see analyzer.c), so a Thai name inside an English article is segmented
 * too.  Adding a language is one row here plus its tests; the query
 * parser's lang: field, language detection and `search stats` all read
 * this table.
 */
#include "private.h"

#include <unicode/uscript.h>

#include <string.h>
#include <strings.h>

/* Segmented: the language's script is written without spaces between
 * words (ICU's dictionary finds them).  Listed for documentation; the
 * analyzer decides by the script of each run of letters. */
#define SEG LSX__LANG_SEGMENTED

static const lsx__lang langs[] = {
    {"ar", "Arabic",     "arabic",     USCRIPT_ARABIC,     0},
    {"ca", "Catalan",    "catalan",    USCRIPT_LATIN,      0},
    {"da", "Danish",     "danish",     USCRIPT_LATIN,      0},
    {"de", "German",     "german",     USCRIPT_LATIN,      0},
    {"el", "Greek",      "greek",      USCRIPT_GREEK,      0},
    {"en", "English",    "english",    USCRIPT_LATIN,      0},
    {"es", "Spanish",    "spanish",    USCRIPT_LATIN,      0},
    {"eu", "Basque",     "basque",     USCRIPT_LATIN,      0},
    {"fi", "Finnish",    "finnish",    USCRIPT_LATIN,      0},
    {"fr", "French",     "french",     USCRIPT_LATIN,      0},
    {"ga", "Irish",      "irish",      USCRIPT_LATIN,      0},
    {"hi", "Hindi",      "hindi",      USCRIPT_DEVANAGARI, 0},
    {"hu", "Hungarian",  "hungarian",  USCRIPT_LATIN,      0},
    {"hy", "Armenian",   "armenian",   USCRIPT_ARMENIAN,   0},
    {"id", "Indonesian", "indonesian", USCRIPT_LATIN,      0},
    {"it", "Italian",    "italian",    USCRIPT_LATIN,      0},
    {"ja", "Japanese",   NULL,         USCRIPT_INVALID_CODE, SEG},
    {"km", "Khmer",      NULL,         USCRIPT_INVALID_CODE, SEG},
    {"ko", "Korean",     NULL,         USCRIPT_INVALID_CODE, 0},
    {"lo", "Lao",        NULL,         USCRIPT_INVALID_CODE, SEG},
    {"lt", "Lithuanian", "lithuanian", USCRIPT_LATIN,      0},
    /* Malay shares Indonesian's affixes (meN-, ber-, di-, -kan, -an):
     * its stemmer finds the Malay stem variants of data/sample (see
     * tests/cli/languages.sh). */
    {"ms", "Malay",      "indonesian", USCRIPT_LATIN,      0},
    {"my", "Burmese",    NULL,         USCRIPT_INVALID_CODE, SEG},
    {"ne", "Nepali",     "nepali",     USCRIPT_DEVANAGARI, 0},
    {"nl", "Dutch",      "dutch",      USCRIPT_LATIN,      0},
    {"no", "Norwegian",  "norwegian",  USCRIPT_LATIN,      0},
    {"pt", "Portuguese", "portuguese", USCRIPT_LATIN,      0},
    {"ro", "Romanian",   "romanian",   USCRIPT_LATIN,      0},
    {"ru", "Russian",    "russian",    USCRIPT_CYRILLIC,   0},
    /* Snowball's Serbian stemmer takes both Cyrillic and Latin. */
    {"sr", "Serbian",    "serbian",    USCRIPT_INVALID_CODE, 0},
    {"sv", "Swedish",    "swedish",    USCRIPT_LATIN,      0},
    {"ta", "Tamil",      "tamil",      USCRIPT_TAMIL,      0},
    {"th", "Thai",       NULL,         USCRIPT_INVALID_CODE, SEG},
    {"tl", "Filipino",   NULL,         USCRIPT_INVALID_CODE, 0},
    {"tr", "Turkish",    "turkish",    USCRIPT_LATIN,      0},
    {"vi", "Vietnamese", NULL,         USCRIPT_INVALID_CODE, LSX__LANG_TONES},
    {"yi", "Yiddish",    "yiddish",    USCRIPT_HEBREW,     0},
    {"zh", "Chinese",    NULL,         USCRIPT_INVALID_CODE, SEG},
};

#define NLANGS (sizeof langs / sizeof *langs)

/* Other names for a registry language: ISO 639-2/3 codes and codes
 * language tags still use ("in" was Indonesian's, "iw" Hebrew's). */
static const struct { const char *alias, *code; } aliases[] = {
    {"fil", "tl"}, {"in", "id"}, {"nb", "no"}, {"zsm", "ms"}, {"may", "ms"}, {"msa", "ms"},
    {"ind", "id"}, {"tha", "th"}, {"khm", "km"}, {"lao", "lo"}, {"mya", "my"}, {"bur", "my"},
    {"zho", "zh"}, {"chi", "zh"}, {"eng", "en"}, {"vie", "vi"}, {"tgl", "tl"}, {"jpn", "ja"},
};

size_t lsx__lang_count(void)
{
    return NLANGS;
}

const lsx__lang *lsx__lang_get(size_t i)
{
    return i < NLANGS ? &langs[i] : NULL;
}

size_t lsx__lang_index(const lsx__lang *l)
{
    return (size_t)(l - langs);
}

static const lsx__lang *lang_by_code(const char *code)
{
    size_t lo = 0, hi = NLANGS;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(langs[mid].code, code);
        if (c == 0)
            return &langs[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const lsx__lang *lsx__lang_find(const char *s, size_t len)
{
    if (!s)
        return NULL;
    if (len == (size_t)-1)
        len = strlen(s);
    /* "en-US", "zh_Hant", "zh-Hans-CN": the language subtag */
    size_t n = 0;
    char code[16];
    for (; n < len && s[n] != '-' && s[n] != '_'; n++) {
        if (n + 1 >= sizeof code)
            return NULL;
        char c = s[n];
        code[n] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    code[n] = '\0';
    const lsx__lang *l = n == 2 ? lang_by_code(code) : NULL;
    if (l)
        return l;                /* the common case: a registry code */
    for (size_t i = 0; i < sizeof aliases / sizeof *aliases; i++)
        if (strcmp(code, aliases[i].alias) == 0)
            return lang_by_code(aliases[i].code);
    if (n > 3) {                 /* "english", "Indonesian": the English name */
        for (size_t i = 0; i < NLANGS; i++)
            if (strcasecmp(langs[i].name, code) == 0)
                return &langs[i];
        return NULL;
    }
    return NULL;
}

const char *lsx_language_at(size_t i, const char **name)
{
    if (i >= NLANGS)
        return NULL;
    if (name)
        *name = langs[i].name;
    return langs[i].code;
}

const char *lsx_language_stemmer(const char *code)
{
    const lsx__lang *l = lsx__lang_find(code, (size_t)-1);
    return l ? l->stemmer : NULL;
}

size_t lsx_language_stopwords(const char *code)
{
    size_t n = 0;
    const lsx__lang *l = lsx__lang_find(code, (size_t)-1);
    return l && lsx__stopword_list(l->code, &n) ? n : 0;
}

int lsx_language_segmented(const char *code)
{
    const lsx__lang *l = lsx__lang_find(code, (size_t)-1);
    return l && (l->flags & LSX__LANG_SEGMENTED);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stopwords.c - the stopword lists of the registry's languages.
 *
 * English and Vietnamese have the short lists below, written for this
 * library; the other languages the lists of stopwords-iso (generated into
 * stopwords-iso.inc by data/make-stopwords.py, which says which are left
 * out and why).
 *
 * Words are matched in their exact form: case-folded, NFC, diacritics kept
 * (so Vietnamese "mà" is a stopword and "ma" is not).  Each table is sorted
 * by byte value (strcmp order) for binary search; a unit test checks that
 * every entry can be found, which fails if the order is ever broken.
 *
 * The lists are deliberately small.  English: articles, pronouns,
 * prepositions, conjunctions, auxiliaries and a few adverbs, leaving out
 * words that are often names in news ("us" = US, "may" = May, "who" = WHO,
 * "will").  Vietnamese: grammatical particles, classifiers, pronouns and
 * prepositions only; syllables that mostly appear inside content words
 * (e.g. "nhà", "người", "mới", "việc") are not listed.
 */
#include "private.h"

#include <string.h>

/* @@STOPWORDS-EN@@ (sorted) */
static const char *const en_words[] = {
    "a", "about", "above", "across", "after", "again", "against", "all", "along",
    "also", "although", "am", "among", "an", "and", "another", "any", "are",
    "aren't", "around", "as", "at", "be", "because", "been", "before", "being",
    "below", "between", "both", "but", "by",
    "can", "can't", "cannot", "could", "couldn't",
    "did", "didn't", "do", "does", "doesn't", "doing", "don't", "down", "during",
    "each", "either", "even", "every", "for", "from", "further",
    "had", "hadn't", "has", "hasn't", "have", "haven't", "having", "he", "he's",
    "her", "here", "hers", "herself", "him", "himself", "his", "how", "however",
    "i", "i'd", "i'll", "i'm", "i've", "if", "in", "into", "is", "isn't", "it",
    "it's", "its", "itself", "just", "me", "might", "more", "most", "must", "my",
    "myself", "neither", "no", "nor", "not", "now",
    "of", "off", "on", "once", "only", "onto", "or", "other", "others", "our",
    "ours", "ourselves", "out", "over", "own",
    "per", "same", "shall", "she", "she's", "should", "shouldn't", "since", "so",
    "some", "such", "than", "that", "that's", "the", "their", "theirs", "them",
    "themselves", "then", "there", "there's", "these", "they", "they're", "this",
    "those", "though", "through", "thus", "to", "too", "toward", "towards",
    "under", "unless", "until", "upon", "very", "via",
    "was", "wasn't", "we", "we're", "were", "weren't", "what", "when", "where",
    "whether", "which", "while", "whom", "whose", "why", "with", "within",
    "without", "won't", "would", "wouldn't",
    "yet", "you", "you're", "your", "yours", "yourself", "yourselves",
};

/* @@STOPWORDS-VI@@ (sorted by UTF-8 bytes, so "à" and "đ..." come last) */
static const char *const vi_words[] = {
    "bị", "bởi", "cho", "chúng", "chưa", "chỉ", "các", "cái", "còn", "có",
    "cùng", "cũng", "cả", "của", "do", "dù", "gì", "hay", "hoặc", "hơn", "khi",
    "không", "là", "lại", "mà", "mọi", "mỗi", "một", "nhau", "nhé", "như",
    "nhưng", "nhằm", "những", "nào", "này", "nên", "nó", "nếu", "nữa", "qua",
    "rất", "rằng", "sau", "sẽ", "sự", "ta", "theo", "thì", "trong", "trên",
    "trước", "tuy", "tôi", "tại", "tới", "từ", "từng", "và", "vào", "vì", "vẫn",
    "vậy", "về", "với", "vừa", "à", "đang", "đây", "đã", "đó", "được", "đến",
    "đều", "để", "ơi", "ạ", "ấy", "ở",
};

/* strcmp order between table entry t and the len bytes of w.  A NUL inside
 * w never matches (and keeps the search from reading past t). */
static inline int cmp(const char *t, const char *w, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char a = (unsigned char)t[i], b = (unsigned char)w[i];
        if (a != b)
            return a < b ? -1 : 1;
        if (a == 0)
            return 1;
    }
    return t[len] ? 1 : 0;
}

bool lsx__in_sorted(const char *const *tab, size_t n, const char *w, size_t len)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp(tab[mid], w, len);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

#include "stopwords-iso.inc"

/* Internal (for the analyzer's hash set; declared in private.h). */
const char *const *lsx__stopword_list(const char *lang, size_t *n)
{
    const lsx__lang *l = lsx__lang_find(lang && *lang ? lang : "en", (size_t)-1);
    *n = 0;
    if (!l)
        return NULL;
    static const struct iso_list own[] = {
        {"en", en_words, sizeof en_words / sizeof *en_words},
        {"vi", vi_words, sizeof vi_words / sizeof *vi_words},
    };
    for (size_t i = 0; i < sizeof own / sizeof *own; i++)
        if (strcmp(own[i].code, l->code) == 0) {
            *n = own[i].n;
            return own[i].words;
        }
    for (size_t i = 0; i < sizeof iso_lists / sizeof *iso_lists; i++)
        if (strcmp(iso_lists[i].code, l->code) == 0) {
            *n = iso_lists[i].n;
            return iso_lists[i].words;
        }
    return NULL;
}

int lsx_is_stopword(const char *lang, const char *word, size_t len)
{
    if (!word)
        return 0;
    if (len == (size_t)-1)
        len = strlen(word);
    if (len == 0)
        return 0;
    size_t n;
    const char *const *words = lsx__stopword_list(lang, &n);
    return words && lsx__in_sorted(words, n, word, len);
}

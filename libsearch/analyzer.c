/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * analyzer.c - split text into words and produce their exact and search forms.
 *
 * The analysis chain's core: the language registry (langs.c) chooses the
 * stemmer and stopwords; the folding policy (case folding and canonical
 * decomposition by utf8proc, Latin/Greek/Cyrillic diacritics dropped) is
 * the one entity extraction uses too (lsx__fold_cp), and so are the word
 * breaks of scripts written without spaces (ICU's dictionary-based break
 * iterator, see segment()).
 *
 * One pass over the bytes.  Word boundaries follow Unicode categories (via
 * utf8proc); the common case, a pure-ASCII word, is lowercased with plain
 * byte arithmetic and never touches utf8proc.  Words with other characters
 * go through utf8proc once: case folding plus canonical decomposition, then
 * two recompositions, one keeping the diacritics (exact) and one without
 * them (term).  Everything works in buffers owned by the analyzer, so the
 * steady state makes no allocation at all; stemmers are created on first use
 * of a language and kept.  Two caches remove the remaining heavy work: the
 * folded forms of accented words and the stems of words, both small and
 * direct-mapped (see WC_SLOTS and SC_SLOTS).
 */
#include "private.h"

#include <libstemmer.h>
#include <unicode/ubrk.h>
#include <unicode/uscript.h>
#include <unicode/utext.h>
#include <utf8proc.h>

#include <stdlib.h>
#include <string.h>

/* A word whose raw bytes exceed this cannot fold to LSX_MAX_WORD_BYTES: case
 * folding and composition shrink text by at most 3x (Kelvin sign -> "k",
 * Hangul jamo -> syllable), so it is skipped without calling utf8proc.  This
 * also bounds the scratch buffers. */
#define RAW_LIMIT (8 * LSX_MAX_WORD_BYTES)

/* Stemmers kept per analyzer; more languages than this recycle slots. */
#define STEM_SLOTS 8

/* Stemmer output can in principle be a little longer than its input. */
#define TERM_CAP (4 * LSX_MAX_WORD_BYTES)

/* Language codes are at most this long after normalisation ("portuguese"). */
#define LANG_CAP 24

/* Folding through utf8proc costs far more than everything else, and a
 * language uses few distinct accented words (Vietnamese has some 7,000
 * syllables, most text uses a fraction), so folded forms of short
 * non-ASCII words are remembered in a direct-mapped cache keyed by their
 * raw bytes.  WC_RAW covers any Vietnamese syllable, even decomposed. */
#define WC_SLOTS 4096               /* power of two */
#define WC_RAW 16
#define WC_FORM 24

typedef struct wc_entry {
    unsigned char raw_len;          /* 0: empty slot */
    unsigned char exact_len, term_len;
    char raw[WC_RAW];
    char exact[WC_FORM];            /* NUL-terminated copies */
    char term[WC_FORM];
} wc_entry;

/* Snowball stemming takes three quarters of the time on English text
 * without this: a direct-mapped cache from folded word to stem, checked for
 * the stemmer too.  Cleared whenever a stemmer is deleted, so a new one
 * allocated at the same address cannot hit stale entries. */
#define SC_SLOTS 4096               /* power of two */
#define SC_WORD 24

typedef struct sc_entry {
    const struct sb_stemmer *st;    /* NULL: empty slot */
    unsigned char in_len, out_len;
    char in[SC_WORD];
    char out[SC_WORD];
} sc_entry;

/* Stopword lists as hash sets (the library's string map): a binary search
 * over the sorted lists in stopwords.c costs about as much as lowercasing an
 * ASCII word, and every token needs a lookup. */
typedef struct stopset {
    bool built;
    bool none;                      /* the language has no list */
    size_t maxlen;                  /* longest word */
    lsx_strmap words;
} stopset;

typedef struct stem_slot {
    char name[LANG_CAP];       /* libstemmer algorithm name, "" = free slot */
    struct sb_stemmer *st;     /* NULL: the language has no stemmer */
} stem_slot;

struct lsx_analyzer {
    char err[LSX_ERRLEN];
    size_t invalid;                 /* bad bytes seen by the last lsx_analyze */
    utf8proc_int32_t *cps;          /* folded, decomposed word */
    utf8proc_int32_t *bare;         /* the same without diacritics */
    size_t cps_cap, bare_cap;       /* in code points */
    char exact[LSX_MAX_WORD_BYTES + 1];
    char term[TERM_CAP + 1];
    stem_slot stems[STEM_SLOTS];
    unsigned next_slot;             /* round-robin victim when all are used */
    wc_entry *wc;                   /* WC_SLOTS entries, made on first use */
    sc_entry *sc;                   /* SC_SLOTS entries, made on first use */
    stopset *stop;                  /* one per registry language, made on first use */
    UBreakIterator *brk;            /* ICU word breaks, made on first use */
    UText *ut;                      /* the run it is segmenting */
    bool no_brk;                    /* ICU could not open one: runs stay whole */
};

/* What the current language needs, resolved once per lsx_analyze call. */
typedef struct lang_sel {
    struct sb_stemmer *st;     /* NULL: no stemming */
    int script;                /* UScriptCode its stemmer takes (USCRIPT_INVALID_CODE: any) */
    const char *stop;          /* registry code whose stopword list applies, or NULL */
    const stopset *set;        /* its hash set, or NULL to ask lsx_is_stopword */
} lang_sel;

/* Character kinds that matter for word splitting. */
enum { K_SEP, K_LETTER, K_DIGIT, K_MARK, K_APOS, K_NUMSEP };

int lsx_analyzer_new(lsx_analyzer **out)
{
    if (!out)
        return LSX_EINVAL;
    lsx_analyzer *a = calloc(1, sizeof *a);
    *out = a;
    return a ? LSX_OK : LSX_ENOMEM;
}

void lsx_analyzer_free(lsx_analyzer *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < STEM_SLOTS; i++)
        sb_stemmer_delete(a->stems[i].st);
    free(a->cps);
    free(a->bare);
    free(a->wc);
    free(a->sc);
    if (a->stop)
        for (size_t i = 0; i < lsx__lang_count(); i++)
            lsx__strmap_free(&a->stop[i].words);
    free(a->stop);
    if (a->brk)
        ubrk_close(a->brk);
    if (a->ut)
        utext_close(a->ut);
    free(a);
}

const char *lsx_analyzer_errmsg(const lsx_analyzer *a)
{
    if (!a)
        return "no analyzer (out of memory?)";
    return a->err;
}

size_t lsx_analyzer_invalid_bytes(const lsx_analyzer *a)
{
    return a ? a->invalid : 0;
}

/* ---- UTF-8 ----------------------------------------------------------- */

/* Encode code points into out[cap] (with utf8proc); returns the byte
 * length, or cap + 1 when they do not fit (the word is then too long). */
static size_t utf8_encode(const utf8proc_int32_t *cp, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        utf8proc_uint8_t b[4];
        size_t need = (size_t)utf8proc_encode_char(cp[i], b);
        if (o + need > cap)
            return cap + 1;
        memcpy(out + o, b, need);
        o += need;
    }
    return o;
}

/* ---- character classes ------------------------------------------------ */

static inline int ascii_kind(unsigned c)
{
    if ((unsigned)((c | 0x20) - 'a') < 26)
        return K_LETTER;
    if ((unsigned)(c - '0') < 10)
        return K_DIGIT;
    if (c == '\'')
        return K_APOS;
    if (c == '.' || c == ',')
        return K_NUMSEP;
    return K_SEP;
}

static inline int cp_kind(int32_t cp)
{
    /* Blocks that make up nearly all non-ASCII text we index, answered
     * without a utf8proc call (each block is uniformly of one kind, apart
     * from x and / signs). */
    if (cp >= 0xC0 && cp <= 0x24F)      /* Latin-1 letters, Latin Extended-A/B */
        return cp == 0xD7 || cp == 0xF7 ? K_SEP : K_LETTER;
    if (cp >= 0x1E00 && cp <= 0x1EFF)   /* Latin Extended Additional (Vietnamese) */
        return K_LETTER;
    if (cp >= 0x300 && cp <= 0x36F)     /* combining diacritical marks */
        return K_MARK;
    if (cp == 0x2019)                   /* right single quote used as apostrophe */
        return K_APOS;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
        return K_LETTER;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
        return K_MARK;
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return K_DIGIT;
    default:
        return K_SEP;
    }
}

/* Kind of the character at s[i] without consuming it (K_SEP past the end
 * or on an invalid byte, which the main loop will count itself). */
static inline int peek_kind(const unsigned char *s, size_t len, size_t i)
{
    if (i >= len)
        return K_SEP;
    if (s[i] < 0x80)
        return ascii_kind(s[i]);
    int32_t cp;
    return lsx__utf8_decode(s + i, len - i, &cp) ? cp_kind(cp) : K_SEP;
}

/* Diacritics removed from the search form: the combining diacritical mark
 * blocks used by Latin, Greek and Cyrillic (all Vietnamese tone and vowel
 * marks are in U+0300-036F).  Marks of other scripts (Indic vowel signs,
 * Japanese voicing marks) carry meaning and are kept. */
static inline bool is_diacritic(int32_t c)
{
    return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
           (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
           (c >= 0xFE20 && c <= 0xFE2F);
}

/* Letters with a stroke or ligatures have no canonical decomposition, so
 * removing marks leaves them alone: map them explicitly (input is already
 * case-folded, and folding turned ß into "ss").  Returns the number of code
 * points written to out (1 or 2). */
static inline size_t fold_letter(int32_t c, utf8proc_int32_t *out)
{
    switch (c) {
    case 0x0111: out[0] = 'd'; return 1;                 /* đ */
    case 0x00F0: out[0] = 'd'; return 1;                 /* ð */
    case 0x00F8: out[0] = 'o'; return 1;                 /* ø */
    case 0x0142: out[0] = 'l'; return 1;                 /* ł */
    case 0x00DF: out[0] = 's'; out[1] = 's'; return 2;   /* ß */
    case 0x00E6: out[0] = 'a'; out[1] = 'e'; return 2;   /* æ */
    case 0x0153: out[0] = 'o'; out[1] = 'e'; return 2;   /* œ */
    default:     out[0] = c; return 1;
    }
}

size_t lsx__fold_cp(int32_t c, char dst[LSX_FOLD_CP_MAX])
{
    if (c < 0x80) {
        dst[0] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
        return 1;
    }
    utf8proc_int32_t out[8];
    int lbc = 0;
    utf8proc_ssize_t m = utf8proc_decompose_char(c, out, 8, UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE, &lbc);
    if (m < 0 || m > 8) {
        out[0] = utf8proc_tolower(c);
        m = 1;
    }
    size_t k = 0;
    for (utf8proc_ssize_t i = 0; i < m; i++) {
        if (is_diacritic(out[i]))
            continue;
        utf8proc_int32_t f[2];
        size_t nf = fold_letter(out[i], f);
        for (size_t j = 0; j < nf && k + 4 <= LSX_FOLD_CP_MAX; j++)
            k += (size_t)utf8proc_encode_char(f[j], (utf8proc_uint8_t *)dst + k);
    }
    return k;
}

/* ---- stopwords ------------------------------------------------------------ */

/* The hash set of a registry language's stopwords, built on first use;
 * NULL when it cannot be built (out of memory: then lsx_is_stopword
 * answers, more slowly). */
static const stopset *stopset_get(lsx_analyzer *a, const lsx__lang *l)
{
    if (!a->stop && !(a->stop = calloc(lsx__lang_count(), sizeof *a->stop)))
        return NULL;
    stopset *ss = &a->stop[lsx__lang_index(l)];
    if (ss->built)
        return ss;
    if (ss->none)
        return NULL;
    size_t n;
    const char *const *words = lsx__stopword_list(l->code, &n);
    if (!words) {
        ss->none = true;
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(words[i]);
        if (!lsx__strmap_add(&ss->words, words[i], len, i)) {
            lsx__strmap_free(&ss->words);
            ss->maxlen = 0;
            return NULL;
        }
        if (len > ss->maxlen)
            ss->maxlen = len;
    }
    ss->built = true;
    return ss;
}

static inline bool stopset_has(const stopset *ss, const char *w, size_t len)
{
    return len <= ss->maxlen && lsx__strmap_find(&ss->words, w, len, lsx__hash(w, len)) >= 0;
}

/* ---- languages ---------------------------------------------------------- */

static bool stemmer_listed(const char *name)
{
    for (const char **l = sb_stemmer_list(); *l; l++)
        if (strcmp(*l, name) == 0)
            return true;
    return false;
}

/* What the registry says `lang` gets: stemmer, stopwords.  A code the
 * registry lacks gets neither (the words are still split and folded);
 * NULL or "" is English, the library's default. */
static int resolve_lang(lsx_analyzer *a, const char *lang, lang_sel *sel)
{
    sel->st = NULL;
    sel->script = USCRIPT_INVALID_CODE;
    sel->stop = NULL;
    sel->set = NULL;
    const lsx__lang *l = lsx__lang_find(lang && *lang ? lang : "en", (size_t)-1);
    if (!l)
        return LSX_OK;
    size_t nstop;
    if ((sel->set = stopset_get(a, l)) != NULL || lsx__stopword_list(l->code, &nstop))
        sel->stop = l->code;
    if (!l->stemmer)
        return LSX_OK;
    const char *name = l->stemmer;
    sel->script = l->script;
    for (size_t i = 0; i < STEM_SLOTS; i++) {
        if (a->stems[i].name[0] && strcmp(a->stems[i].name, name) == 0) {
            sel->st = a->stems[i].st;
            return LSX_OK;
        }
    }
    struct sb_stemmer *st = sb_stemmer_new(name, NULL);
    /* libstemmer answers NULL both for "unknown" and for "out of memory";
     * a name it lists can only fail for lack of memory (a registry name it
     * lacks, from an older libstemmer, means no stemming). */
    if (!st && stemmer_listed(name))
        return lsx__seterr(a->err, LSX_ENOMEM, "out of memory creating the %s stemmer", name);

    stem_slot *slot = NULL;
    for (size_t i = 0; i < STEM_SLOTS && !slot; i++)
        if (!a->stems[i].name[0])
            slot = &a->stems[i];
    if (!slot) {
        slot = &a->stems[a->next_slot];
        a->next_slot = (a->next_slot + 1) % STEM_SLOTS;
        sb_stemmer_delete(slot->st);
        if (a->sc)
            memset(a->sc, 0, SC_SLOTS * sizeof *a->sc);
    }
    snprintf(slot->name, sizeof slot->name, "%s", name);
    slot->st = st;
    sel->st = st;
    return LSX_OK;
}

/* ---- words ---------------------------------------------------------------- */

static bool grow_cps(utf8proc_int32_t **buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    utf8proc_int32_t *p = realloc(*buf, n * sizeof *p);
    if (!p)
        return false;
    *buf = p;
    *cap = n;
    return true;
}

/* ---- Vietnamese tone placement ------------------------------------------------
 *
 * Vietnamese writes a syllable's tone mark on one of its vowels, and two
 * placements are in use for the open syllables with oa, oe and uy: the
 * old one on the first vowel (hòa, khỏe, thủy) and the new one on the
 * second (hoà, khoẻ, thuỷ); other slips (qúy for quý) are common too.  The
 * exact form of a word that parses as one Vietnamese syllable gets its
 * tone on the vowel the rule below picks, so that every placement is one
 * word at index and query time:
 *
 *   - a vowel with a quality mark (ă â ê ô ơ ư) takes it, the second of
 *     two (ươ -> ơ);
 *   - else, before a final consonant, the last vowel (hoàng, toán);
 *   - else one vowel takes it, three the middle one (ngoài), two the first
 *     (mái, mùa) except oa, oe, uy, which take the second (hoà, khoẻ, thuỷ).
 *
 * The u of qu and the i of gi before another vowel belong to the initial
 * consonant (quý, già; but gìn).  Words that are not one syllable of
 * Vietnamese letters, initials and finals (café, país, où) are left alone.
 */

static bool is_tone_mark(int32_t c)
{
    return c == 0x0300 || c == 0x0301 || c == 0x0303 || c == 0x0309 || c == 0x0323;
}

/* A vowel-quality mark allowed on base letter b: â ê ô, ă, ơ ư. */
static bool quality_ok(int32_t mark, char b)
{
    switch (mark) {
    case 0x0302: return b == 'a' || b == 'e' || b == 'o';
    case 0x0306: return b == 'a';
    case 0x031B: return b == 'o' || b == 'u';
    default: return false;
    }
}

static bool is_vowel(char b)
{
    return b == 'a' || b == 'e' || b == 'i' || b == 'o' || b == 'u' || b == 'y';
}

static bool listed(const char *s, size_t n, const char *const *list)
{
    for (; *list; list++)
        if (strlen(*list) == n && memcmp(*list, s, n) == 0)
            return true;
    return false;
}

#define VN_MAX_LETTERS 8            /* nghiêng, nguyễn: 7 letters */

/* Move the tone mark of the decomposed, case-folded word cps[0, m) to the
 * vowel the rule picks, when the word is one Vietnamese syllable. */
static void place_tone(utf8proc_int32_t *cps, size_t m)
{
    static const char *const initials[] = {
        "", "b", "c", "ch", "d", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh",
        "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x", NULL
    };
    static const char *const finals[] = { "", "c", "ch", "m", "n", "ng", "nh", "p", "t", NULL };
    /* vowel groups by base letter (ươ is "uo", ây "ay", ...) */
    static const char *const groups[] = {
        "a", "e", "i", "o", "u", "y", "ai", "ao", "au", "ay", "eo", "eu", "ia", "ie", "iu", "oa", "oe",
        "oi", "oo", "ua", "ue", "ui", "uo", "uu", "uy", "ye", "ieu", "yeu", "oai", "oay", "oeo", "uay",
        "uoi", "uou", "uya", "uye", "uyu", NULL
    };
    char letter[VN_MAX_LETTERS];
    size_t at[VN_MAX_LETTERS];       /* index in cps of each letter */
    bool marked[VN_MAX_LETTERS];     /* has a quality mark */
    size_t nl = 0, tone_at = SIZE_MAX;
    for (size_t i = 0; i < m; i++) {
        int32_t c = cps[i];
        if ((c >= 'a' && c <= 'z') || c == 0x0111) {
            if (nl == VN_MAX_LETTERS)
                return;
            letter[nl] = c == 0x0111 ? 'D' : (char)c;     /* đ: a consonant of its own */
            marked[nl] = false;
            at[nl++] = i;
        } else if (nl > 0 && is_tone_mark(c)) {
            if (tone_at != SIZE_MAX)
                return;              /* two tones: not a syllable */
            tone_at = i;
        } else if (nl > 0 && quality_ok(c, letter[nl - 1]) && !marked[nl - 1]) {
            marked[nl - 1] = true;
        } else {
            return;
        }
    }
    if (tone_at == SIZE_MAX)
        return;
    /* initial consonants, vowels, final consonants */
    size_t v = 0;
    while (v < nl && !is_vowel(letter[v]))
        v++;
    if (v == 1 && letter[0] == 'q' && v < nl && letter[v] == 'u' && !marked[v])
        v++;                                          /* qu */
    else if (v == 1 && letter[0] == 'g' && v + 1 < nl && letter[v] == 'i' && !marked[v] &&
             is_vowel(letter[v + 1]))
        v++;                                          /* gi before a vowel */
    size_t e = v;
    while (e < nl && is_vowel(letter[e]))
        e++;
    char init[4];
    if (v > 3 || e == v || e - v > 3)
        return;
    for (size_t i = 0; i < v; i++)
        init[i] = letter[i] == 'D' ? 'd' : letter[i];
    bool dd = false;
    for (size_t i = 0; i < v; i++)
        dd |= letter[i] == 'D';
    if (dd ? !(v == 1) : !listed(init, v, initials))
        return;
    for (size_t i = e; i < nl; i++)
        if (is_vowel(letter[i]) || letter[i] == 'D')
            return;
    if (nl - e > 2 || !listed(letter + e, nl - e, finals) || !listed(letter + v, e - v, groups))
        return;

    size_t target = SIZE_MAX;
    for (size_t i = v; i < e; i++)
        if (marked[i])
            target = i;
    if (target == SIZE_MAX) {
        size_t n = e - v;
        if (e < nl)
            target = e - 1;
        else if (n == 1)
            target = v;
        else if (n == 3)
            target = v + 1;
        else {
            char a = letter[v], b = letter[v + 1];
            bool second = (a == 'o' && (b == 'a' || b == 'e')) || (a == 'u' && b == 'y');
            target = second ? v + 1 : v;
        }
    }
    /* Where the tone goes: after the target letter and those of its marks
     * that come first in canonical order (dot below after a horn, before
     * a circumflex; the other tones after every mark). */
    int32_t tone = cps[tone_at];
    const int ccc = utf8proc_get_property(tone)->combining_class;
    size_t end = at[target] + 1;
    while (end < m && cps[end] >= 0x0300 && cps[end] <= 0x036F &&
           (end == tone_at || utf8proc_get_property(cps[end])->combining_class <= ccc))
        end++;
    /* remove, then insert at `end` (shifted if the tone was before it) */
    memmove(cps + tone_at, cps + tone_at + 1, (m - tone_at - 1) * sizeof *cps);
    if (tone_at < end)
        end--;
    memmove(cps + end + 1, cps + end, (m - 1 - end) * sizeof *cps);
    cps[end] = tone;
}

size_t lsx__tone_alternates(const char *exact, char out[2][LSX_MAX_WORD_BYTES + 1])
{
    utf8proc_int32_t cps[VN_MAX_LETTERS * 3];
    utf8proc_ssize_t m = utf8proc_decompose((const utf8proc_uint8_t *)exact, -1, cps,
                                            (utf8proc_ssize_t)(sizeof cps / sizeof *cps),
                                            UTF8PROC_NULLTERM | UTF8PROC_DECOMPOSE);
    if (m < 2 || m > (utf8proc_ssize_t)(sizeof cps / sizeof *cps) || !is_tone_mark(cps[m - 1]))
        return 0;
    int32_t v = cps[m - 2], before = m > 2 ? cps[m - 3] : ' ';
    /* the o or u must start its vowel group ("qú" is the start of "qúy") */
    if ((v != 'o' && v != 'u') || (before < 128 && is_vowel((char)before)) ||
        (before >= 0x0300 && before <= 0x036F))
        return 0;
    const char *seconds = v == 'o' ? "ae" : "y";
    size_t n = 0;
    for (const char *s = seconds; *s; s++) {
        utf8proc_int32_t w[VN_MAX_LETTERS * 3 + 1];
        memcpy(w, cps, (size_t)(m - 1) * sizeof *w);
        w[m - 1] = (unsigned char)*s;
        w[m] = cps[m - 1];
        utf8proc_ssize_t k = utf8proc_normalize_utf32(w, m + 1, UTF8PROC_COMPOSE);
        if (k <= 0)
            continue;
        size_t len = utf8_encode(w, (size_t)k, out[n], LSX_MAX_WORD_BYTES);
        if (len > LSX_MAX_WORD_BYTES)
            continue;
        out[n++][len] = '\0';
    }
    return n;
}

size_t lsx__tone_variants(const char *exact, char out[LSX_TONE_VARIANTS][LSX_MAX_WORD_BYTES + 1])
{
    static const int32_t tones[] = {0x0300, 0x0301, 0x0303, 0x0309, 0x0323};
    utf8proc_int32_t cps[LSX_MAX_WORD_BYTES + 1];
    const utf8proc_ssize_t cap = (utf8proc_ssize_t)(sizeof cps / sizeof *cps) - 1;
    utf8proc_ssize_t m = utf8proc_decompose((const utf8proc_uint8_t *)exact, -1, cps, cap,
                                            UTF8PROC_NULLTERM | UTF8PROC_DECOMPOSE);
    if (m < 1 || m > cap)
        return 0;
    size_t vowels[3], nv = 0;        /* the last run of vowel letters */
    bool in_run = false;
    for (utf8proc_ssize_t i = 0; i < m; i++) {
        if (is_tone_mark(cps[i]))
            return 0;                /* the tone is typed: nothing to add */
        if (cps[i] >= 0x0300 && cps[i] <= 0x036F)
            continue;
        bool v = cps[i] < 128 && is_vowel((char)cps[i]);
        if (v && !in_run)
            nv = 0;
        if (v && nv == 3)
            return 0;                /* four vowels: not Vietnamese */
        if (v)
            vowels[nv++] = (size_t)i;
        in_run = v;
    }
    size_t n = 0;
    for (size_t j = 0; j < nv; j++) {
        size_t at = vowels[j] + 1;   /* after the vowel and its marks */
        while (at < (size_t)m && cps[at] >= 0x0300 && cps[at] <= 0x036F)
            at++;
        for (size_t t = 0; t < sizeof tones / sizeof *tones; t++) {
            char raw[LSX_MAX_WORD_BYTES * 2 + 8];
            size_t a = utf8_encode(cps, at, raw, sizeof raw - 8);
            size_t b = a <= sizeof raw - 8 ? utf8_encode(&tones[t], 1, raw + a, 4) : 5;
            size_t c = b <= 4 ? utf8_encode(cps + at, (size_t)m - at, raw + a + b, sizeof raw - 1 - a - b)
                              : sizeof raw;
            if (b > 4 || a + b + c >= sizeof raw)
                continue;
            raw[a + b + c] = '\0';
            utf8proc_uint8_t *nfc = utf8proc_NFC((const utf8proc_uint8_t *)raw);
            if (nfc && strlen((char *)nfc) <= LSX_MAX_WORD_BYTES)
                strcpy(out[n++], (char *)nfc);
            free(nfc);
        }
    }
    return n;
}

/* Fold a word containing non-ASCII characters (valid UTF-8, at most
 * RAW_LIMIT bytes) into a->exact and a->term.  Returns 1 on success, 0 if
 * the word must be skipped (too long, or nothing left after folding), or a
 * negative status. */
static int fold_unicode(lsx_analyzer *a, const unsigned char *w, size_t n,
                        size_t *exact_len, size_t *term_len)
{
    const utf8proc_option_t opts = UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE;
    if (!grow_cps(&a->cps, &a->cps_cap, 64))       /* never hand utf8proc NULL */
        return lsx__seterr(a->err, LSX_ENOMEM, "out of memory folding a word");
    utf8proc_ssize_t m = utf8proc_decompose(w, (utf8proc_ssize_t)n, a->cps,
                                            (utf8proc_ssize_t)a->cps_cap, opts);
    if (m > (utf8proc_ssize_t)a->cps_cap) {
        if (!grow_cps(&a->cps, &a->cps_cap, (size_t)m))
            return lsx__seterr(a->err, LSX_ENOMEM, "out of memory folding a word");
        m = utf8proc_decompose(w, (utf8proc_ssize_t)n, a->cps, (utf8proc_ssize_t)a->cps_cap, opts);
    }
    if (m < 0)                       /* cannot happen on validated input; be safe */
        return 0;
    /* Each code point maps to at most two in the bare copy (æ -> ae). */
    if (!grow_cps(&a->bare, &a->bare_cap, 2 * (size_t)m + 1))
        return lsx__seterr(a->err, LSX_ENOMEM, "out of memory folding a word");

    place_tone(a->cps, (size_t)m);
    size_t b = 0;
    for (utf8proc_ssize_t i = 0; i < m; i++) {
        if (a->cps[i] == 0x2019)
            a->cps[i] = '\'';
        if (!is_diacritic(a->cps[i]))
            b += fold_letter(a->cps[i], a->bare + b);
    }

    utf8proc_ssize_t e = utf8proc_normalize_utf32(a->cps, m, UTF8PROC_COMPOSE);
    if (e < 0)
        return 0;
    size_t el = utf8_encode(a->cps, (size_t)e, a->exact, LSX_MAX_WORD_BYTES);
    if (el > LSX_MAX_WORD_BYTES)
        return 0;
    a->exact[el] = '\0';

    /* Recompose the bare copy too: marks of other scripts were kept and
     * Hangul syllables were split into jamo by the decomposition. */
    utf8proc_ssize_t t = utf8proc_normalize_utf32(a->bare, (utf8proc_ssize_t)b, UTF8PROC_COMPOSE);
    if (t <= 0)
        return 0;                    /* only diacritics: no search form */
    size_t tl = utf8_encode(a->bare, (size_t)t, a->term, TERM_CAP);
    if (tl > TERM_CAP)
        return 0;
    a->term[tl] = '\0';
    *exact_len = el;
    *term_len = tl;
    return 1;
}

/* Stem a->term (tl bytes) in place, through the stem cache. */
static int stem(lsx_analyzer *a, struct sb_stemmer *st, size_t *tl)
{
    size_t n = *tl;
    sc_entry *e = NULL;
    if (n < SC_WORD) {
        if (!a->sc)
            a->sc = calloc(SC_SLOTS, sizeof *a->sc);      /* no cache if this fails */
        if (a->sc)
            e = &a->sc[lsx__hash(a->term, n) & (SC_SLOTS - 1)];
    }
    if (e && e->st == st && e->in_len == n && memcmp(e->in, a->term, n) == 0) {
        memcpy(a->term, e->out, e->out_len);
        a->term[*tl = e->out_len] = '\0';
        return 0;
    }
    const sb_symbol *s = sb_stemmer_stem(st, (const sb_symbol *)a->term, (int)n);
    if (!s)
        return lsx__seterr(a->err, LSX_ENOMEM, "out of memory while stemming");
    int sl = sb_stemmer_length(st);
    if (sl <= 0 || (size_t)sl > TERM_CAP)
        return 0;                    /* keep the word as it is */
    if (e && (size_t)sl < SC_WORD) {
        e->st = st;
        e->in_len = (unsigned char)n;
        e->out_len = (unsigned char)sl;
        memcpy(e->in, a->term, n);
        memcpy(e->out, s, (size_t)sl);
    }
    memcpy(a->term, s, (size_t)sl);
    a->term[*tl = (size_t)sl] = '\0';
    return 0;
}

/* Whether the stemmer of `sel` takes this (non-ASCII) word: its first
 * letter is in the stemmer's script (Snowball's English stemmer has no
 * business with a Thai or Cyrillic word quoted in an English text). */
static bool script_ok(const lang_sel *sel, const char *w, size_t n)
{
    if (sel->script == USCRIPT_INVALID_CODE)
        return true;
    const unsigned char *s = (const unsigned char *)w;
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t k = lsx__utf8_decode(s + i, n - i, &cp);
        if (k == 0)
            return false;
        UErrorCode st = U_ZERO_ERROR;
        UScriptCode sc = uscript_getScript(cp, &st);
        if (U_SUCCESS(st) && sc != USCRIPT_COMMON && sc != USCRIPT_INHERITED)
            return sc == sel->script;
        i += k;
    }
    return false;
}

/* Produce the token for the word at text[start, end) and call back.
 * Returns 0 to go on, the callback's value, or a negative status. */
static int emit(lsx_analyzer *a, const lang_sel *sel, const unsigned char *text,
                size_t start, size_t end, bool ascii, bool letters, unsigned pos,
                lsx_token_cb cb, void *payload)
{
    size_t n = end - start, el = 0, tl = 0;
    if (ascii) {
        /* Pure ASCII apart from U+2019 apostrophes (3 bytes -> "'"). */
        el = 0;
        for (size_t i = start; i < end; el++) {
            if (el == LSX_MAX_WORD_BYTES)
                return 0;            /* too long: skipped, position used */
            unsigned c = text[i];
            if (c >= 0x80) {
                a->exact[el] = '\'';
                i += 3;
            } else {
                a->exact[el] = (char)(c - 'A' < 26u ? c + 32 : c);
                i++;
            }
        }
        a->exact[el] = '\0';
        memcpy(a->term, a->exact, el + 1);
        tl = el;
    } else if (n > RAW_LIMIT) {
        return 0;
    } else {
        wc_entry *e = NULL;
        if (n <= WC_RAW) {
            if (!a->wc)
                a->wc = calloc(WC_SLOTS, sizeof *a->wc);   /* no cache if this fails */
            if (a->wc)
                e = &a->wc[lsx__hash((const char *)text + start, n) & (WC_SLOTS - 1)];
        }
        if (e && e->raw_len == n && memcmp(e->raw, text + start, n) == 0) {
            el = e->exact_len;
            tl = e->term_len;
            memcpy(a->exact, e->exact, el + 1);
            memcpy(a->term, e->term, tl + 1);
        } else {
            int r = fold_unicode(a, text + start, n, &el, &tl);
            if (r <= 0)
                return r;
            if (e && el < WC_FORM && tl < WC_FORM) {
                e->raw_len = (unsigned char)n;
                e->exact_len = (unsigned char)el;
                e->term_len = (unsigned char)tl;
                memcpy(e->raw, text + start, n);
                memcpy(e->exact, a->exact, el + 1);
                memcpy(e->term, a->term, tl + 1);
            }
        }
    }

    /* A possessive 's belongs to no language's search form. */
    if (tl > 2 && a->term[tl - 2] == '\'' && a->term[tl - 1] == 's')
        a->term[tl -= 2] = '\0';

    if (sel->st && letters &&
        (ascii ? sel->script == USCRIPT_LATIN || sel->script == USCRIPT_INVALID_CODE
               : script_ok(sel, a->exact, el))) {
        int r = stem(a, sel->st, &tl);
        if (r < 0)
            return r;
    }

    lsx_token tok;
    tok.term = a->term;
    tok.term_len = tl;
    tok.exact = a->exact;
    tok.exact_len = el;
    tok.start = start;
    tok.end = end;
    tok.pos = pos;
    tok.stopword = 0;
    if (sel->set)
        tok.stopword = stopset_has(sel->set, a->exact, el);
    else if (sel->stop)
        tok.stopword = lsx_is_stopword(sel->stop, a->exact, el);
    return cb(payload, &tok);
}

/* ---- scripts written without spaces ----------------------------------------
 *
 * Thai, Lao, Khmer, Myanmar, Han and kana put no space between words: a
 * run of letters holding any of them is split by ICU's word break
 * iterator, whose dictionaries find the words (whatever the text's
 * language, so a Thai name in an English article is split too).  Each
 * piece is one word with its own position, so phrases and snippets work
 * on them as on any other words. */
static inline bool unspaced(int32_t cp);

bool lsx__unspaced(int32_t cp)
{
    return unspaced(cp);
}

size_t lsx__segmenter_first(lsx__segmenter *sg, const char *s, size_t n)
{
    bool any = false;
    for (size_t i = 0; i < n && !any;) {
        int32_t cp;
        size_t k = lsx__utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (k == 0)
            return n;
        any = unspaced(cp);
        i += k;
    }
    if (!any || sg->failed)
        return n;
    UErrorCode st = U_ZERO_ERROR;
    if (!sg->brk) {
        sg->brk = ubrk_open(UBRK_WORD, "", NULL, 0, &st);
        if (U_FAILURE(st)) {
            sg->brk = NULL;
            sg->failed = true;
            return n;
        }
    }
    UText *ut = utext_openUTF8(sg->ut, s, (int64_t)n, &st);
    if (U_FAILURE(st))
        return n;
    sg->ut = ut;
    ubrk_setUText(sg->brk, ut, &st);
    if (U_FAILURE(st))
        return n;
    ubrk_first(sg->brk);
    int32_t end = ubrk_next(sg->brk);
    return end > 0 && (size_t)end < n ? (size_t)end : n;
}

void lsx__segmenter_free(lsx__segmenter *sg)
{
    if (sg->brk)
        ubrk_close(sg->brk);
    if (sg->ut)
        utext_close(sg->ut);
    sg->brk = sg->ut = NULL;
}

static inline bool unspaced(int32_t cp)
{
    return (cp >= 0x0E00 && cp <= 0x0EFF) ||     /* Thai, Lao */
           (cp >= 0x1000 && cp <= 0x109F) ||     /* Myanmar */
           (cp >= 0x1780 && cp <= 0x17FF) ||     /* Khmer */
           (cp >= 0x19E0 && cp <= 0x19FF) ||     /* Khmer symbols */
           (cp >= 0x3040 && cp <= 0x30FF) ||     /* Hiragana, Katakana */
           (cp >= 0x31F0 && cp <= 0x31FF) ||     /* Katakana extension */
           (cp >= 0x3400 && cp <= 0x4DBF) ||     /* CJK extension A */
           (cp >= 0x4E00 && cp <= 0x9FFF) ||     /* CJK unified ideographs */
           (cp >= 0xA9E0 && cp <= 0xA9FF) ||     /* Myanmar extended-B */
           (cp >= 0xAA60 && cp <= 0xAA7F) ||     /* Myanmar extended-A */
           (cp >= 0xF900 && cp <= 0xFAFF) ||     /* CJK compatibility */
           (cp >= 0xFF66 && cp <= 0xFF9F) ||     /* halfwidth Katakana */
           (cp >= 0x20000 && cp <= 0x3FFFF);     /* CJK extensions B-H */
}

/* Emit the words ICU finds in the run text[start, end); *pos is the last
 * position used.  Without a break iterator (ICU failed to open one) the
 * run stays one word, as before segmentation existed. */
static int segment(lsx_analyzer *a, const lang_sel *sel, const unsigned char *text, size_t start,
                   size_t end, unsigned *pos, lsx_token_cb cb, void *payload)
{
    UErrorCode st = U_ZERO_ERROR;
    if (!a->brk && !a->no_brk) {
        a->brk = ubrk_open(UBRK_WORD, "", NULL, 0, &st);
        if (U_FAILURE(st)) {
            a->brk = NULL;
            a->no_brk = true;
        }
    }
    if (a->brk) {
        st = U_ZERO_ERROR;
        UText *ut = utext_openUTF8(a->ut, (const char *)text + start, (int64_t)(end - start), &st);
        if (U_SUCCESS(st)) {
            a->ut = ut;
            ubrk_setUText(a->brk, ut, &st);
        }
    }
    if (!a->brk || U_FAILURE(st)) {
        if (++*pos == 0)
            *pos = 1;
        return emit(a, sel, text, start, end, false, true, *pos, cb, payload);
    }
    int32_t from = ubrk_first(a->brk);
    for (int32_t to = ubrk_next(a->brk); to != UBRK_DONE; from = to, to = ubrk_next(a->brk)) {
        int status = ubrk_getRuleStatus(a->brk);
        if (status >= UBRK_WORD_NONE && status < UBRK_WORD_NONE_LIMIT)
            continue;                /* no word in it (cannot happen inside a run; be safe) */
        /* ICU joins letters of another script to a Thai or Han word
         * ("เลือกABC"): a change of script also ends a word. */
        size_t ws = start + (size_t)from, we = start + (size_t)to;
        bool letters = !(status >= UBRK_WORD_NUMBER && status < UBRK_WORD_NUMBER_LIMIT);
        while (ws < we) {
            size_t e = ws;
            bool ascii = true;
            int kind = -1;               /* 1: unspaced script, 0: another */
            while (e < we) {
                int32_t cp = text[e];
                size_t k = text[e] < 0x80 ? 1 : lsx__utf8_decode(text + e, we - e, &cp);
                if (k == 0)
                    k = 1;
                int this = cp_kind(cp) == K_MARK ? kind : unspaced(cp);
                if (kind >= 0 && this != kind)
                    break;
                kind = this;
                ascii &= text[e] < 0x80;
                e += k;
            }
            if (++*pos == 0)
                *pos = 1;
            int rc = emit(a, sel, text, ws, e, ascii, letters, *pos, cb, payload);
            if (rc != 0)
                return rc;
            ws = e;
        }
    }
    return 0;
}

int lsx_analyze(lsx_analyzer *a, const char *lang, const char *text, size_t len,
                lsx_token_cb cb, void *payload)
{
    if (!a)
        return LSX_EINVAL;
    a->invalid = 0;
    a->err[0] = '\0';
    if (!cb)
        return lsx__seterr(a->err, LSX_EINVAL, "lsx_analyze: no callback given");
    if (!text) {
        if (len == 0)
            return LSX_OK;
        return lsx__seterr(a->err, LSX_EINVAL, "lsx_analyze: text is NULL");
    }
    if (len == (size_t)-1)
        len = strlen(text);

    lang_sel sel;
    int rc = resolve_lang(a, lang, &sel);
    if (rc != LSX_OK)
        return rc;

    const unsigned char *s = (const unsigned char *)text;
    unsigned pos = 0;
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        size_t n = 1;
        int k;
        int32_t cp = 0;
        if (c < 0x80) {
            k = ascii_kind(c);
        } else if ((n = lsx__utf8_decode(s + i, len - i, &cp)) == 0) {
            a->invalid++;            /* U+FFFD: a separator */
            i++;
            continue;
        } else {
            k = cp_kind(cp);
        }
        if (k != K_LETTER && k != K_DIGIT && k != K_MARK) {
            i += n;
            continue;
        }

        /* A word: letters, marks and digits, plus joiners.  `base` is the
         * kind of the last letter or digit; marks do not change it, so a
         * decomposed "é'" joins exactly like a precomposed one. */
        size_t start = i;
        int base = k == K_MARK ? K_SEP : k;
        bool ascii = c < 0x80, letters = k == K_LETTER, dict = c >= 0x80 && unspaced(cp);
        i += n;
        while (i < len) {
            c = s[i];
            if (c < 0x80) {
                n = 1;
                k = ascii_kind(c);
            } else if ((n = lsx__utf8_decode(s + i, len - i, &cp)) == 0) {
                break;
            } else {
                k = cp_kind(cp);
            }
            if (k == K_LETTER || k == K_DIGIT) {
                base = k;
                letters |= k == K_LETTER;
                ascii &= c < 0x80;
                dict |= c >= 0x80 && unspaced(cp);
            } else if (k == K_MARK) {
                ascii = false;
            } else if (k == K_APOS) {
                /* Inside the word only between two letters ("don't"). */
                if (base != K_LETTER || peek_kind(s, len, i + n) != K_LETTER)
                    break;
            } else if (k == K_NUMSEP) {
                /* "1.5", "1,000": only between two digits. */
                if (base != K_DIGIT || peek_kind(s, len, i + 1) != K_DIGIT)
                    break;
            } else {
                break;
            }
            i += n;
        }

        if (dict) {
            rc = segment(a, &sel, s, start, i, &pos, cb, payload);
            if (rc != 0)
                return rc;
            continue;
        }
        if (++pos == 0)
            pos = 1;                 /* > 4 billion words: never emit position 0 */
        rc = emit(a, &sel, s, start, i, ascii, letters, pos, cb, payload);
        if (rc != 0)
            return rc;
    }
    return LSX_OK;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * language.c - tell Vietnamese text from English.
 *
 * Vietnamese writes most syllables with letters English never uses (ư, ơ,
 * đ, ă, tone marks), so the share of such words is a strong, cheap signal.
 * Words with only accents that French or Spanish share (é, à, ô) count
 * half, and unaccented Vietnamese function words ("cua", "duoc") count too,
 * for text typed without diacritics.  Against that weighs English evidence:
 * common English words, and plain words that cannot be Vietnamese syllables
 * ("officials", "and": see vi_shaped).  An English article quoting a few
 * names ("Việt Nam", "Hà Nội", "Nguyễn Quốc Dũng") stays far on the English
 * side.
 *
 * Only the first LANG_SAMPLE bytes are read: detection runs once per
 * indexed article and must cost next to nothing.
 */
#include "private.h"

#include <utf8proc.h>

#include <string.h>

#define LANG_SAMPLE 8192

/* Fewer words than this: not enough evidence for anything but the default,
 * unless every word is clearly Vietnamese. */
#define MIN_WORDS 8

/* 0 = no Vietnamese evidence, 1 = a letter other Latin languages share
 * (à á â ã è é ê ì í ò ó ô õ ù ú ý), 2 = a letter or mark only Vietnamese
 * uses among common languages (ă đ ĩ ũ ơ ư, the U+1EA0-1EF9 block, and the
 * combining hook, horn, dot below and breve of decomposed text). */
static int vi_strength(int32_t c)
{
    if (c >= 0x1EA0 && c <= 0x1EF9)
        return 2;
    switch (c) {
    case 0x0102: case 0x0103:   /* Ă ă */
    case 0x0110: case 0x0111:   /* Đ đ */
    case 0x0128: case 0x0129:   /* Ĩ ĩ */
    case 0x0168: case 0x0169:   /* Ũ ũ */
    case 0x01A0: case 0x01A1:   /* Ơ ơ */
    case 0x01AF: case 0x01B0:   /* Ư ư */
    case 0x0306: case 0x0309: case 0x031B: case 0x0323:
        return 2;
    case 0x0300: case 0x0301: case 0x0302: case 0x0303:
        return 1;
    default:
        break;
    }
    int32_t l = c | 0x20;       /* Latin-1 capitals sit 0x20 below their lowercase */
    if (c >= 0xC0 && c <= 0xFD && c != 0xD7 && c != 0xF7)
        switch (l) {
        case 0xE0: case 0xE1: case 0xE2: case 0xE3:     /* à á â ã */
        case 0xE8: case 0xE9: case 0xEA:                /* è é ê */
        case 0xEC: case 0xED:                           /* ì í */
        case 0xF2: case 0xF3: case 0xF4: case 0xF5:     /* ò ó ô õ */
        case 0xF9: case 0xFA: case 0xFD:                /* ù ú ý */
            return 1;
        default:
            break;
        }
    return 0;
}

/* Vietnamese function words as typed without diacritics, chosen so that
 * none is an English word or a common name or abbreviation in English news
 * ("co", "la", "de", "ma", "va", "nam" are left out).  Sorted. */
static const char *const vi_plain[] = {
    "biet", "cac", "cach", "cho", "cua", "cung", "duoc", "giup", "khac", "khi",
    "khong", "mot", "muon", "nay", "neu", "nguoi", "nhieu", "nhu", "nhung", "toi",
    "tren", "trong", "truoc", "vao", "viec", "voi", "xin",
};

/* Very common English words that look like Vietnamese syllables (so
 * vi_shaped alone would not catch them).  Sorted. */
static const char *const en_plain[] = {
    "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "he",
    "in", "is", "it", "its", "of", "on", "or", "said", "that", "the", "this",
    "to", "was", "were", "which", "will", "with",
};

/* Decode one well-formed UTF-8 sequence (lead byte >= 0x80); 0 if invalid. */
static size_t decode(const unsigned char *s, size_t n, int32_t *cp)
{
    utf8proc_int32_t c;
    utf8proc_ssize_t r = utf8proc_iterate(s, (utf8proc_ssize_t)(n < 4 ? n : 4), &c);
    if (r <= 0)
        return 0;
    *cp = c;
    return (size_t)r;
}

static inline bool is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

/* Can this plain lowercase ASCII word be a Vietnamese syllable written
 * without diacritics?  Vietnamese spelling has no f, j, w or z, starts with
 * a single consonant or one of a few digraphs, and ends with a vowel or
 * c, ch, m, n, ng, nh, p, t.  Most English words fail one of these tests
 * ("officials", "and", "strong", "of"), almost no Vietnamese word does. */
static bool vi_shaped(const char *w, size_t n, bool fjwz, char last2, char last)
{
    if (fjwz)
        return false;
    if (n >= 2 && !is_vowel(w[0]) && !is_vowel(w[1])) {
        static const char *const pairs[] = { "ch", "gh", "kh", "ng", "nh", "ph", "th", "tr" };
        bool ok = false;
        for (size_t i = 0; i < sizeof pairs / sizeof *pairs && !ok; i++)
            ok = w[0] == pairs[i][0] && w[1] == pairs[i][1];
        if (!ok)
            return false;
    }
    if (is_vowel(last))
        return true;
    switch (last) {
    case 'c': case 'm': case 'n': case 'p': case 't':
        return true;
    case 'h':
        return n >= 2 && (last2 == 'c' || last2 == 'n');
    case 'g':
        return n >= 2 && last2 == 'n';
    default:
        return false;
    }
}

const char *lsx_detect_language(const char *text, size_t len)
{
    if (!text)
        return "en";
    if (len == (size_t)-1)
        len = strnlen(text, LANG_SAMPLE);
    else if (len > LANG_SAMPLE)
        len = LANG_SAMPLE;           /* a cut sequence at the end is just ignored */

    const unsigned char *s = (const unsigned char *)text;
    unsigned words = 0, en = 0;
    unsigned strong = 0, weak = 0;   /* words with strength 2 (or vi_plain) / 1 */
    unsigned vi4 = 0;                /* Vietnamese evidence in quarter-words */
    size_t i = 0;
    while (i < len) {
        /* Skip to the next letter. */
        int32_t cp = 0;
        size_t n = 1;
        bool letter;
        if (s[i] < 0x80) {
            letter = (unsigned)((s[i] | 0x20) - 'a') < 26;
        } else if ((n = decode(s + i, len - i, &cp)) == 0) {
            n = 1;
            letter = false;
        } else {
            utf8proc_category_t cat = utf8proc_category(cp);
            letter = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
        }
        if (!letter) {
            i += n;
            continue;
        }

        /* A word: letters and marks.  For plain ASCII words keep a short
         * lowercase prefix (for the function-word tables) and the last two
         * letters (for the syllable shape). */
        char w[8], last = 0, last2 = 0;
        size_t wl = 0, letters = 0;
        bool plain = true, fjwz = false, up1 = false, up2 = false;
        int strength = 0;
        while (i < len) {
            if (s[i] < 0x80) {
                char c = (char)(s[i] | 0x20);
                if ((unsigned)(c - 'a') >= 26)
                    break;
                if (letters < 2)
                    *(letters++ ? &up2 : &up1) = c != (char)s[i];
                if (wl < sizeof w - 1)
                    w[wl] = c;
                wl++;
                fjwz |= c == 'f' || c == 'j' || c == 'w' || c == 'z';
                last2 = last;
                last = c;
                i++;
                continue;
            }
            if ((n = decode(s + i, len - i, &cp)) == 0)
                break;
            utf8proc_category_t cat = utf8proc_category(cp);
            if (cat < UTF8PROC_CATEGORY_LU || cat > UTF8PROC_CATEGORY_ME)
                break;
            if (letters < 2 && cat <= UTF8PROC_CATEGORY_LO)
                *(letters++ ? &up2 : &up1) = cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
            int st = vi_strength(cp);
            if (st > strength)
                strength = st;
            plain = false;
            i += n;
        }

        if (plain && wl < 2)
            continue;                /* "s" of "Nam's", initials: no evidence */
        words++;
        /* A capitalised word ("Nội", not "NỘI") is most likely a name, and
         * names are all that English text borrows from Vietnamese: it
         * counts a quarter. */
        bool title = up1 && !up2;
        if (strength == 2) {
            strong++;
            vi4 += title ? 1 : 4;
        } else if (strength == 1) {
            weak++;
            vi4 += title ? 0 : 2;
        } else if (!plain) {
            en++;                    /* ç, ñ, ü, ø...: letters Vietnamese lacks */
        } else {
            w[wl < sizeof w ? wl : sizeof w - 1] = '\0';
            if (wl < sizeof w && lsx__in_sorted(vi_plain, sizeof vi_plain / sizeof *vi_plain, w, wl)) {
                strong++;
                vi4 += title ? 1 : 4;
            } else if ((wl < sizeof w && lsx__in_sorted(en_plain, sizeof en_plain / sizeof *en_plain, w, wl)) ||
                       !vi_shaped(w, wl, fjwz, last2, last)) {
                en++;
            }
        }
    }

    if (words == 0)
        return "en";
    /* Vietnamese news scores 0.4-0.8 Vietnamese words per word and English
     * news almost none, while English evidence runs the other way (0.27 or
     * more of English text, median 0.02 of Vietnamese).  Vietnamese wins if
     * it outweighs half the English evidence (vi4 > 2 * en), is at least 5%
     * of the words, and is not all letters French or Spanish have too (at
     * least one strong word per four weak ones).  On the VNTC and Reuters
     * corpora this misjudges 9 of 55,000 documents (Vietnamese pages listing
     * foreign football teams).  Below MIN_WORDS the default holds unless at
     * least half the words are Vietnamese, one strongly, and none English. */
    if (words < MIN_WORDS)
        return vi4 >= 2 * words && strong > 0 && en == 0 ? "vi" : "en";
    return vi4 > 2 * en && 5 * vi4 >= words && 4 * strong >= weak ? "vi" : "en";
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * langid.c - which registry language a text is in: CLD2 (through the C
 * binding in cld2/) decides, the registry (langs.c) maps its answer.
 *
 * Only the first LANG_SAMPLE bytes are read, cut at a character boundary,
 * with invalid UTF-8 and the characters CLD2 does not take as text
 * (controls, noncharacters) replaced by spaces: CLD2 stops at the first.
 * A text CLD2 cannot place reliably, or places in a language the registry
 * lacks, is English, the library's default (on the 21,578 Reuters articles,
 * the unreliable guesses were 20 short English texts taken for Malay,
 * Portuguese, German...).
 */
#include "private.h"
#include "cld2/cld2.h"

#include <utf8proc.h>

#include <stdlib.h>
#include <string.h>

#define LANG_SAMPLE 8192

/* Characters CLD2 does not take as text (its "interchange valid" UTF-8):
 * it judges only what comes before the first, so they become spaces, like
 * bytes that are not UTF-8. */
static bool not_interchange(int32_t cp)
{
    return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7F && cp <= 0x9F) ||
           (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
}

const lsx__lang *lsx__identify(const char *text, size_t len, bool *reliable)
{
    *reliable = false;
    if (!text)
        return NULL;
    if (len == (size_t)-1)
        len = strnlen(text, LANG_SAMPLE);
    else if (len > LANG_SAMPLE)
        len = LANG_SAMPLE;
    char buf[LANG_SAMPLE];
    const unsigned char *s = (const unsigned char *)text;
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        int32_t cp = s[i];
        size_t k = s[i] < 0x80 ? 1 : lsx__utf8_decode(s + i, len - i, &cp);
        if (k == 0 || not_interchange(cp)) {
            buf[n++] = ' ';
            i += k ? k : 1;
            continue;
        }
        memcpy(buf + n, s + i, k);
        n += k;
        i += k;
    }
    /* CLD2 scores composed text: decomposed Vietnamese would look foreign. */
    utf8proc_uint8_t *nfc = NULL;
    utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)buf, (utf8proc_ssize_t)n, &nfc,
                                      UTF8PROC_COMPOSE);
    lsx__cld2_guess g;
    if (m >= 0 && nfc)
        lsx__cld2_detect((const char *)nfc, (size_t)m, &g);
    else
        lsx__cld2_detect(buf, n, &g);
    free(nfc);
    *reliable = g.reliable;
    return lsx__lang_find(g.code, (size_t)-1);
}

const char *lsx_detect_language(const char *text, size_t len)
{
    bool reliable;
    const lsx__lang *l = lsx__identify(text, len, &reliable);
    return l && reliable ? l->code : "en";
}

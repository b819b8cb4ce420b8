// SPDX-License-Identifier: GPL-2.0-or-later
// cld2.cc - the C binding of libcld2 (see cld2.h).
#include "cld2.h"

#include <climits>
#include <cstdio>   // compact_lang_det.h uses FILE without including it
#include <cstring>

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

extern "C" void lsx__cld2_detect(const char *text, size_t len, lsx__cld2_guess *out)
{
    std::strcpy(out->code, "un");
    out->percent = 0;
    out->reliable = false;
    if (!text || len == 0)
        return;
    if (len > INT_MAX)
        len = INT_MAX;
    try {
        // CLD2 leaves these untouched when it scores nothing (text that
        // starts with bytes that are not UTF-8): they must start known.
        CLD2::Language top3[3] = {CLD2::UNKNOWN_LANGUAGE, CLD2::UNKNOWN_LANGUAGE, CLD2::UNKNOWN_LANGUAGE};
        int percent3[3] = {0, 0, 0};
        int text_bytes = 0, valid_prefix = 0;
        bool reliable = false;
        double scores[3] = {0, 0, 0};
        CLD2::CLDHints hints = {nullptr, "", CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
        int n = static_cast<int>(len);
        CLD2::Language l = CLD2::ExtDetectLanguageSummaryCheckUTF8(
            text, n, true, &hints, 0, top3, percent3, scores, nullptr, &text_bytes, &reliable,
            &valid_prefix);
        if (valid_prefix < n && valid_prefix > 0)    // bad bytes: judge what precedes them
            l = CLD2::ExtDetectLanguageSummaryCheckUTF8(
                text, valid_prefix, true, &hints, 0, top3, percent3, scores, nullptr, &text_bytes,
                &reliable, &valid_prefix);
        // The summary language prefers a second language over English that
        // has "enough" bytes (meant for web pages with English chrome): an
        // English article naming Bank Negara Malaysia came out Malay.  The
        // language with the most text decides instead.
        if (percent3[0] > 0)
            l = top3[0];
        const char *code = CLD2::LanguageCode(l);
        if (!code || std::strlen(code) >= sizeof out->code)
            return;
        std::strcpy(out->code, code);
        out->percent = top3[0] == l ? percent3[0] : 0;
        out->reliable = reliable;
    } catch (...) {
        std::strcpy(out->code, "un");
    }
}

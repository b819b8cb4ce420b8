/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cld2.h - a C binding of Compact Language Detector 2 (libcld2, C++).
 *
 * Like the Xapian shim: C++ only behind this header, and no exception
 * crosses it (CLD2 throws none that we know of; the binding catches
 * everything anyway and answers "unknown").
 */
#ifndef LSX_CLD2_H
#define LSX_CLD2_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lsx__cld2_guess {
    char code[16];      /* CLD2's code ("en", "id", "zh", "zh-Hant"), "un" if unknown */
    int percent;        /* share of the text in that language, 0-100 */
    bool reliable;      /* CLD2's own verdict */
} lsx__cld2_guess;

/* The top language of the `len` bytes of UTF-8 plain text (invalid bytes
 * are allowed: CLD2 checks and stops at them).  Never fails: an unknown
 * text or an internal error gives code "un", percent 0, unreliable. */
void lsx__cld2_detect(const char *text, size_t len, lsx__cld2_guess *out);

#ifdef __cplusplus
}
#endif

#endif /* LSX_CLD2_H */

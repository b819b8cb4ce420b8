/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * term.h - the one sanitiser for text the programs print to a terminal.
 *
 * Everything that comes from input files, the index or the user and is
 * printed to stdout or stderr as text (results, stored documents, facet
 * labels, warnings and error messages) goes through term_write, so that
 * nothing in an article can drive the terminal:
 *   - C0 controls and DEL (ESC among them, so every escape sequence is
 *     broken at its start) become U+FFFD; a newline and a tab are kept
 *     with TERM_MULTILINE, else they become a space (so a field stays on
 *     its line);
 *   - C1 controls (U+0080-U+009F, e.g. U+009B, the 8-bit CSI) become
 *     U+FFFD;
 *   - bytes that are not UTF-8 (a raw 0x9B among them) become U+FFFD;
 *   - with TERM_HIGHLIGHT, the markers TERM_HL_START and TERM_HL_END (two
 *     Unicode noncharacters, which the library is asked to put around
 *     matched words) become bold on and off, balanced; without it they
 *     become U+FFFD like any other text that imitates them.
 * JSON output is escaped by cli_json_str instead (common.c).
 */
#ifndef LSX_CLI_TERM_H
#define LSX_CLI_TERM_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum {
    TERM_MULTILINE = 1 << 0,   /* keep newlines and tabs */
    TERM_HIGHLIGHT = 1 << 1    /* render the highlight markers in bold */
};

#define TERM_HL_START "\xef\xb7\x90"   /* U+FDD0 */
#define TERM_HL_END   "\xef\xb7\x91"   /* U+FDD1 */
#define TERM_BOLD  "\033[1m"
#define TERM_RESET "\033[0m"

/* Length (1-4) of the well-formed UTF-8 sequence at p (at most n bytes),
 * its code point in *cp; 0 if the bytes there are not one (overlong
 * forms, surrogates and values above U+10FFFF are not). */
size_t term_utf8_len(const unsigned char *p, size_t n, uint32_t *cp);

/* Write n bytes of s, sanitised as above. */
void term_write(FILE *f, const char *s, size_t n, unsigned flags);
/* The same for a NUL-terminated string (NULL prints nothing). */
void term_puts(FILE *f, const char *s, unsigned flags);
/* Format, then write the result sanitised (TERM_MULTILINE). */
void term_vprintf(FILE *f, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void term_printf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif

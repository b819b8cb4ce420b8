/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-term.c - the terminal output sanitiser (cli/term.c) and the JSON
 * string escaper (cli_json_str).
 */
#include "tap.h"
#include "term.h"
#include "common.h"

#include <stdint.h>

/* What term_write prints for s (n bytes) with these flags (static buffer). */
static const char *clean(const char *s, size_t n, unsigned flags)
{
    static char out[4096];
    FILE *f = fmemopen(out, sizeof out, "w");
    term_write(f, s, n, flags);
    fclose(f);
    return out;
}

static const char *json(const char *s)
{
    static char out[4096];
    FILE *f = fmemopen(out, sizeof out, "w");
    cli_json_str(f, s);
    fclose(f);
    return out;
}

#define CLEAN(lit, flags) clean(lit, sizeof lit - 1, flags)
#define R "\xef\xbf\xbd"

int main(void)
{
    /* Plain text, Vietnamese included, passes untouched. */
    is_str(CLEAN("Giá lúa tăng ở Hà Nội", 0), "Giá lúa tăng ở Hà Nội", "UTF-8 text is kept");
    /* ESC in every form: CSI, OSC 52 (clipboard), a bare ESC. */
    is_str(CLEAN("a\033[1mb", 0), "a" R "[1mb", "ESC [ (CSI) is broken at the ESC");
    is_str(CLEAN("\033]52;c;aGVsbG8=\007x", 0), R "]52;c;aGVsbG8=" R "x", "OSC 52 and its BEL are replaced");
    is_str(CLEAN("\033", 0), R, "a lone ESC");
    /* C0 and DEL. */
    is_str(CLEAN("a\001b\177c\rd", 0), "a" R "b" R "c" R "d", "C0 controls, DEL and CR are replaced");
    is_str(CLEAN("a\nb\tc", 0), "a b c", "newline and tab become spaces on one line");
    is_str(CLEAN("a\nb\tc", TERM_MULTILINE), "a\nb\tc", "... and are kept with TERM_MULTILINE");
    /* C1: U+009B as UTF-8, and a raw 0x9B byte. */
    is_str(CLEAN("x\xc2\x9b" "31mY", 0), "x" R "31mY", "U+009B (8-bit CSI as UTF-8) is replaced");
    is_str(CLEAN("x\xc2\x80y\xc2\x9fz\xc2\xa0w", 0), "x" R "y" R "z\xc2\xa0w", "U+0080..U+009F replaced, U+00A0 kept");
    is_str(CLEAN("x\x9b" "31mY", 0), "x" R "31mY", "a raw 0x9B byte is replaced");
    /* Invalid UTF-8 of every kind. */
    is_str(CLEAN("\xc0\xaf", 0), R R, "an overlong form");
    is_str(CLEAN("\xed\xa0\x80", 0), R R R, "a surrogate");
    is_str(CLEAN("\xf4\x90\x80\x80", 0), R R R R, "above U+10FFFF");
    is_str(CLEAN("ab\xe1\x80", 0), "ab" R R, "a sequence cut at the end");
    is_str(CLEAN("\xff\xfe", 0), R R, "bytes that start nothing");
    /* A NUL inside the given length. */
    is_str(clean("a\0b", 3, 0), "a" R "b", "a NUL byte is replaced");
    /* Our highlight markers. */
    is_str(CLEAN("a " TERM_HL_START "rice" TERM_HL_END " b", TERM_HIGHLIGHT),
           "a " TERM_BOLD "rice" TERM_RESET " b", "markers become bold with TERM_HIGHLIGHT");
    is_str(CLEAN("a " TERM_HL_START "rice" TERM_HL_END " b", 0), "a " R "rice" R " b",
           "... and are replaced without it");
    is_str(CLEAN(TERM_HL_START "x", TERM_HIGHLIGHT), TERM_BOLD "x" TERM_RESET, "an unclosed marker is closed at the end");
    is_str(CLEAN(TERM_HL_END "x" TERM_HL_START TERM_HL_START "y", TERM_HIGHLIGHT), "x" TERM_BOLD "y" TERM_RESET,
           "unbalanced markers stay balanced");
    is_str(CLEAN("\033[1mplanted\033[0m " TERM_HL_START "w" TERM_HL_END, TERM_HIGHLIGHT),
           R "[1mplanted" R "[0m " TERM_BOLD "w" TERM_RESET, "a planted ESC[1m is not taken for our bold");
    /* term_printf formats first, then cleans. */
    {
        char out[256];
        FILE *f = fmemopen(out, sizeof out, "w");
        term_printf(f, "%s: %d", "id\033]0;title\007", 7);
        fclose(f);
        is_str(out, "id" R "]0;title" R ": 7", "term_printf cleans what it formats");
    }
    /* A long message goes through whole. */
    {
        static char big[5000], out[6000];
        memset(big, 'a', sizeof big - 1);
        big[100] = '\033';
        FILE *f = fmemopen(out, sizeof out, "w");
        term_printf(f, "%s", big);
        fclose(f);
        is_int(strlen(out), sizeof big - 1 + 2, "a message longer than the stack buffer is printed whole");
    }
    /* UTF-8 decoding. */
    uint32_t cp = 0;
    is_int(term_utf8_len((const unsigned char *)"\xe1\xba\xa1", 3, &cp), 3, "3-byte sequence");
    is_int(cp, 0x1ea1, "... its code point");
    is_int(term_utf8_len((const unsigned char *)"\xe1\xba", 2, &cp), 0, "a sequence longer than the bytes given");

    /* JSON: C0, DEL and C1 escaped, invalid UTF-8 as U+FFFD, text kept. */
    is_str(json("a\033[1m\"b\\"), "\"a\\u001B[1m\\\"b\\\\\"", "JSON: ESC escaped, quotes and backslashes");
    is_str(json("x\xc2\x9by\x7f"), "\"x\\u009by\\u007f\"", "JSON: U+009B and DEL escaped");
    is_str(json("x\x9by"), "\"x" R "y\"", "JSON: a raw 0x9B byte becomes U+FFFD");
    is_str(json("Hà Nội"), "\"Hà Nội\"", "JSON: UTF-8 kept");
    return done_testing();
}

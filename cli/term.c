/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * term.c - the one sanitiser for text printed to a terminal (term.h).
 */
#include "term.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define REPLACEMENT "\xef\xbf\xbd"   /* U+FFFD */

size_t term_utf8_len(const unsigned char *p, size_t n, uint32_t *cp)
{
    utf8proc_int32_t c;
    utf8proc_ssize_t k = n ? utf8proc_iterate(p, (utf8proc_ssize_t)n, &c) : 0;
    if (k <= 0)
        return 0;
    *cp = (uint32_t)c;
    return (size_t)k;
}

void term_write(FILE *f, const char *s, size_t n, unsigned flags)
{
    const unsigned char *p = (const unsigned char *)s;
    bool bold = false;
    size_t i = 0, run = 0;      /* [run, i) is clean text not yet written */
    while (i < n) {
        uint32_t cp = 0;
        size_t len = term_utf8_len(p + i, n - i, &cp);
        const char *instead = NULL;
        if (len == 0) {
            instead = REPLACEMENT;
            len = 1;
        } else if (cp == '\n' || cp == '\t') {
            instead = (flags & TERM_MULTILINE) ? NULL : " ";
        } else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
            instead = REPLACEMENT;
        } else if (cp == 0xfdd0 || cp == 0xfdd1) {
            if (!(flags & TERM_HIGHLIGHT))
                instead = REPLACEMENT;
            else if (cp == 0xfdd0) {
                instead = bold ? "" : TERM_BOLD;
                bold = true;
            } else {
                instead = bold ? TERM_RESET : "";
                bold = false;
            }
        }
        if (instead) {
            if (i > run)
                fwrite(p + run, 1, i - run, f);
            fputs(instead, f);
            run = i + len;
        }
        i += len;
    }
    if (i > run)
        fwrite(p + run, 1, i - run, f);
    if (bold)
        fputs(TERM_RESET, f);
}

void term_puts(FILE *f, const char *s, unsigned flags)
{
    if (s)
        term_write(f, s, strlen(s), flags);
}

void term_vprintf(FILE *f, const char *fmt, va_list ap)
{
    char buf[2048];
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    if (n < 0) {
        va_end(copy);
        return;
    }
    if ((size_t)n < sizeof buf) {
        term_write(f, buf, (size_t)n, TERM_MULTILINE);
    } else {
        char *big = malloc((size_t)n + 1);
        if (big && vsnprintf(big, (size_t)n + 1, fmt, copy) == n)
            term_write(f, big, (size_t)n, TERM_MULTILINE);
        else
            term_write(f, buf, sizeof buf - 1, TERM_MULTILINE);
        free(big);
    }
    va_end(copy);
}

void term_printf(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    term_vprintf(f, fmt, ap);
    va_end(ap);
}

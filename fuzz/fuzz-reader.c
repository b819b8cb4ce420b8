/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-reader.c - libFuzzer target: one article reader, chosen at build
 * time with -DFUZZ_FORMAT=LSX_FORMAT_TEXT, _TREC, _JSONL or _HTML.  The input is
 * written to a file (the readers read files, gzip-compressed or not) and
 * read to the end; every article's fields must be NUL-terminated strings.
 */
#include "libsearch.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef FUZZ_FORMAT
#  error "build with -DFUZZ_FORMAT=LSX_FORMAT_..."
#endif

static char path[64];

static size_t touch(const char *s)
{
    return s ? strlen(s) : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!path[0])
        snprintf(path, sizeof path, "%s/lsx-fuzz-reader-%ld.in",
                 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp", (long)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);
    lsx_reader *r = NULL;
    if (lsx_reader_open(&r, path, FUZZ_FORMAT) == LSX_OK) {
        lsx_article a;
        int rc;
        size_t n = 0;
        while ((rc = lsx_reader_next(r, &a)) == LSX_OK || rc == LSX_EPARSE) {
            if (rc == LSX_OK) {
                n += touch(a.id) + touch(a.title) + touch(a.date) + touch(a.lang) + touch(a.source);
                if (a.body && a.body_len && a.body[a.body_len] != '\0')
                    abort();
            } else {
                n += touch(lsx_reader_errmsg(r));
            }
        }
        (void)n;
    }
    lsx_reader_free(r);
    return 0;
}

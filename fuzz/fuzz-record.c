/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-record.c - libFuzzer target: the stored record decoder (store.c).
 * The first byte picks what the rest is: a record blob, a stored body or a
 * stored entity list.  Valid records are encoded again and must decode to
 * the same fields.
 */
#include "private.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int same(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    char err[LSX_ERRLEN];
    const char *p = (const char *)data + 1;
    size_t n = size - 1;
    lsx_record rec;
    memset(&rec, 0, sizeof rec);
    switch (data[0] % 3) {
    case 0:
        if (lsx_record_decode(p, n, &rec, err) == LSX_OK) {
            char *blob = NULL;
            size_t blen = 0;
            lsx_record again;
            memset(&again, 0, sizeof again);
            if (lsx_record_encode(&rec, &blob, &blen, err) == LSX_OK &&
                lsx_record_decode(blob, blen, &again, err) == LSX_OK) {
                if (!same(rec.id, again.id) || !same(rec.title, again.title) || !same(rec.date, again.date) ||
                    !same(rec.lang, again.lang) || !same(rec.source, again.source))
                    abort();
            }
            lsx_record_clear(&again);
            free(blob);
        }
        break;
    case 1:
        if (lsx_record_set_body(&rec, p, n, err) == LSX_OK && rec.body && rec.body[rec.body_len] != '\0')
            abort();
        break;
    default:
        (void)lsx_record_set_entities(&rec, p, n, err);
        break;
    }
    lsx_record_clear(&rec);
    return 0;
}

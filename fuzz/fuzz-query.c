/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-query.c - libFuzzer target: the query parser (lsx_query_parse,
 * lsx_query_parse_words), its description and its translation for Xapian
 * against an in-memory database.
 */
#include "libsearch.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static lsx_db *db;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!db && lsx_db_open(&db, NULL, LSX_DB_INMEMORY, NULL) != LSX_OK)
        abort();
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    for (int words = 0; words < 2; words++) {
        lsx_query *q = NULL;
        int rc = words ? lsx_query_parse_words(&q, text) : lsx_query_parse(&q, text);
        if (rc == LSX_OK) {
            free(lsx_query_describe(q));
            lsx_search_options o;
            lsx_search_options_init(&o, LSX_SEARCH_OPTIONS_VERSION);
            o.limit = 3;
            lsx_results *r = NULL;
            (void)lsx_search(db, q, &o, &r);
            lsx_results_free(r);
        } else if (q) {
            (void)lsx_query_errmsg(q);
            if (lsx_query_error_offset(q) > size)
                abort();
        }
        lsx_query_free(q);
    }
    free(text);
    return 0;
}

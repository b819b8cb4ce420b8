/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * extract-time.c - how long entity extraction takes on a corpus, to set
 * beside the time of indexing the same corpus (bench/extraction/share.sh).
 *
 *   extract-time [-g GAZETTEER] FILE_OR_DIR...
 *
 * Reads every article the way search-index does (lsx_reader), detects its
 * language when the reader gives none, and times lsx_extract_entities on
 * it (title and body) with one extractor, in one thread.  Prints the
 * articles, entities found and the seconds spent (CPU time of the
 * extraction calls only; reading and language detection are not counted).
 */
#include "private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    const char *gz = NULL;
    int opt;
    while ((opt = getopt(argc, argv, "g:")) != -1) {
        if (opt == 'g') {
            gz = optarg;
        } else {
            fprintf(stderr, "usage: extract-time [-g GAZETTEER] FILE_OR_DIR...\n");
            return 2;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "usage: extract-time [-g GAZETTEER] FILE_OR_DIR...\n");
        return 2;
    }
    char err[LSX_ERRLEN];
    lsx_extractor *x = NULL;
    double t0 = cpu_now();
    if (lsx_extractor_new(&x, gz, err) != LSX_OK) {
        fprintf(stderr, "extract-time: %s\n", err);
        return 1;
    }
    double load = cpu_now() - t0;
    unsigned long docs = 0, ents = 0;
    double spent = 0;
    lsx_entity_list l = { 0 };
    for (int i = optind; i < argc; i++) {
        lsx_reader *r = NULL;
        if (lsx_reader_open(&r, argv[i], LSX_FORMAT_AUTO) != LSX_OK) {
            fprintf(stderr, "extract-time: cannot open %s\n", argv[i]);
            return 1;
        }
        for (;;) {
            lsx_article a = LSX_ARTICLE_INIT;
            int rc = lsx_reader_next(r, &a);
            if (rc == LSX_DONE)
                break;
            if (rc == LSX_EPARSE || rc == LSX_EIO)
                continue;
            if (rc != LSX_OK) {
                fprintf(stderr, "extract-time: %s\n", lsx_reader_errmsg(r));
                return 1;
            }
            size_t n = a.body_len ? a.body_len : strlen(a.body);
            const char *lang = a.lang ? a.lang : lsx_detect_language(a.body, n);
            double s = cpu_now();
            if (lsx_extract_entities(x, lang, a.title, a.body, n, &l, err) != LSX_OK) {
                fprintf(stderr, "extract-time: %s: %s\n", a.id, err);
                return 1;
            }
            spent += cpu_now() - s;
            docs++;
            ents += l.n;
            lsx_entity_list_clear(&l);
        }
        lsx_reader_free(r);
    }
    lsx_extractor_free(x);
    printf("articles %lu, entities %lu, extraction %.3f s CPU (%.1f us per article), "
           "gazetteer load %.1f ms\n", docs, ents, spent, docs ? spent * 1e6 / (double)docs : 0.0,
           load * 1e3);
    return 0;
}

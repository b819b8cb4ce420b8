/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * langid-eval.c - accuracy of lsx_detect_language per language.
 *
 * usage: langid-eval [--every K] [--max N] LANG:PATH...
 *
 * Each argument names the language the texts at PATH are in and where
 * they are: a TREC file (each <DOC>'s TITLE and TEXT is one text; with
 * --every K only every K-th document, at most N of them) or a plain text
 * file (one text).  Prints, per expected language, how many texts were
 * judged and how many right, and what the wrong answers were.
 */
#include "libsearch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXL 64

typedef struct row {
    char lang[16];
    unsigned n, ok;
    char wrong[MAXL][16];
    unsigned wrong_n[MAXL];
    size_t nwrong;
} row;

static row rows[MAXL];
static size_t nrows;

static row *row_of(const char *lang)
{
    for (size_t i = 0; i < nrows; i++)
        if (strcmp(rows[i].lang, lang) == 0)
            return &rows[i];
    if (nrows == MAXL)
        exit(2);
    snprintf(rows[nrows].lang, sizeof rows[nrows].lang, "%s", lang);
    return &rows[nrows++];
}

static void judge(const char *want, const char *text, size_t len)
{
    const char *got = lsx_detect_language(text, len);
    row *r = row_of(want);
    r->n++;
    if (strcmp(got, want) == 0) {
        r->ok++;
        return;
    }
    for (size_t i = 0; i < r->nwrong; i++)
        if (strcmp(r->wrong[i], got) == 0) {
            r->wrong_n[i]++;
            return;
        }
    if (r->nwrong < MAXL) {
        snprintf(r->wrong[r->nwrong], sizeof r->wrong[0], "%s", got);
        r->wrong_n[r->nwrong++] = 1;
    }
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    size_t k;
    while (b && (k = fread(b + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) {
            char *p = realloc(b, cap *= 2);
            if (!p) {
                free(b);
                b = NULL;
            }
            b = p;
        }
    }
    fclose(f);
    *len = n;
    return b;
}

/* Every k-th document of a TREC file (title and text), at most max. */
static void trec(const char *want, char *s, size_t len, unsigned every, unsigned max)
{
    unsigned doc = 0, used = 0;
    char *end = s + len;
    for (char *p = s; p < end && used < max;) {
        char *d = strstr(p, "<DOC>");
        if (!d)
            break;
        char *e = strstr(d, "</DOC>");
        if (!e)
            break;
        *e = '\0';
        if (doc++ % every == 0) {
            char buf[16384];
            size_t n = 0;
            const char *tags[] = {"<TITLE>", "</TITLE>", "<TEXT>", "</TEXT>"};
            for (int t = 0; t < 4; t += 2) {
                char *a = strstr(d, tags[t]), *b = a ? strstr(a, tags[t + 1]) : NULL;
                if (!a || !b)
                    continue;
                a += strlen(tags[t]);
                size_t k = (size_t)(b - a);
                if (k > sizeof buf - n - 2)
                    k = sizeof buf - n - 2;
                memcpy(buf + n, a, k);
                n += k;
                buf[n++] = '\n';
            }
            judge(want, buf, n);
            used++;
        }
        p = e + 6;
    }
}

int main(int argc, char **argv)
{
    unsigned every = 1, max = 200;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i += 2) {
        if (i + 1 >= argc)
            break;
        if (strcmp(argv[i], "--every") == 0)
            every = (unsigned)atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--max") == 0)
            max = (unsigned)atoi(argv[i + 1]);
        else {
            fprintf(stderr, "langid-eval: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (every == 0)
        every = 1;
    for (; i < argc; i++) {
        char *colon = strchr(argv[i], ':');
        if (!colon) {
            fprintf(stderr, "langid-eval: want LANG:PATH, got %s\n", argv[i]);
            return 2;
        }
        *colon = '\0';
        size_t len;
        char *s = slurp(colon + 1, &len);
        if (!s) {
            fprintf(stderr, "langid-eval: cannot read %s\n", colon + 1);
            return 1;
        }
        if (len > 5 && memcmp(s, "<DOC>", 5) == 0)
            trec(argv[i], s, len, every, max);
        else
            judge(argv[i], s, len);
        free(s);
    }
    printf("%-6s %6s %6s %9s  %s\n", "lang", "texts", "right", "accuracy", "wrong answers");
    for (size_t r = 0; r < nrows; r++) {
        printf("%-6s %6u %6u %8.1f%% ", rows[r].lang, rows[r].n, rows[r].ok,
               rows[r].n ? 100.0 * rows[r].ok / rows[r].n : 0.0);
        for (size_t w = 0; w < rows[r].nwrong; w++)
            printf(" %s:%u", rows[r].wrong[w], rows[r].wrong_n[w]);
        printf("\n");
    }
    return 0;
}

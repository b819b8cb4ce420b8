/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * extract-eval.c - measure date and entity extraction against a labelled set.
 *
 *   extract-eval [-v] [-d] [-g GAZETTEER] [DIR]
 *
 * DIR (default ".") holds labels.tsv and articles/ID.txt.  Each article file
 * has the title on its first line and the body after it.  labels.tsv has one
 * line per article (lines starting with '#' are comments):
 *
 *   id <TAB> lang <TAB> date or empty <TAB> persons <TAB> orgs <TAB> places
 *
 * with ';'-separated canonical entity ids.  For every article the program
 * detects the language, looks for the date (lsx_find_date) and extracts
 * entities (lsx_extract_entities), then prints:
 *   - language detection accuracy;
 *   - date accuracy: an exact match, where "no date" is right only if the
 *     label is empty too;
 *   - precision, recall and F1 of entities per type (person, org, place) and
 *     overall, micro-averaged: true/false positives and misses are summed over
 *     articles, each article's entities counted once per (type, id);
 *   - time spent per article in each step.
 * -v lists each article's misses and extras; -d evaluates dates only (no
 * gazetteer needed); -g names the gazetteer (else the library's default).
 * Exit status: 0 when the evaluation ran, 2 on bad usage or unreadable input.
 */
#include "private.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NTYPES 3
static const char type_chars[NTYPES] = { LSX_ENTITY_PERSON, LSX_ENTITY_ORG, LSX_ENTITY_PLACE };
static const char *const type_names[NTYPES] = { "person", "org", "place" };

/* A small set of strings (ids), compared exactly. */
typedef struct strset {
    char **v;
    size_t n, cap;
} strset;

static int set_has(const strset *s, const char *x)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i], x) == 0)
            return 1;
    return 0;
}

static int set_add(strset *s, const char *x, size_t len)
{
    char *copy = malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, x, len);
    copy[len] = '\0';
    if (len == 0 || set_has(s, copy)) {
        free(copy);
        return 0;
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 8;
        char **v = realloc(s->v, cap * sizeof *v);
        if (!v) {
            free(copy);
            return -1;
        }
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = copy;
    return 0;
}

static void set_clear(strset *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

/* Add the ';'-separated ids of `field` (len bytes). */
static int set_add_list(strset *s, const char *field, size_t len)
{
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || field[i] == ';') {
            if (set_add(s, field + start, i - start) < 0)
                return -1;
            start = i + 1;
        }
    }
    return 0;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 8192, n = 0, got;
    char *buf = malloc(cap + 1);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = realloc(buf, cap * 2 + 1);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    int err = ferror(f);
    fclose(f);
    if (buf && err) {
        free(buf);
        return NULL;
    }
    if (buf) {
        buf[n] = '\0';
        *len = n;
    }
    return buf;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct counts {
    unsigned long tp, fp, fn;
} counts;

static void print_prf(const char *name, const counts *c)
{
    double p = c->tp + c->fp ? (double)c->tp / (double)(c->tp + c->fp) : 0.0;
    double r = c->tp + c->fn ? (double)c->tp / (double)(c->tp + c->fn) : 0.0;
    double f = p + r > 0 ? 2 * p * r / (p + r) : 0.0;
    printf("  %-7s %5lu %5lu %5lu %10.3f %7.3f %6.3f\n", name, c->tp, c->fp, c->fn, p, r, f);
}

/* Print the ids of `a` that are not in `b` (for -v). */
static void print_diff(const char *label, const char *type, const strset *a, const strset *b)
{
    int shown = 0;
    for (size_t i = 0; i < a->n; i++) {
        if (set_has(b, a->v[i]))
            continue;
        if (shown)
            printf(", %s", a->v[i]);
        else
            printf("    %s %-6s %s", label, type, a->v[i]);
        shown = 1;
    }
    if (shown)
        printf("\n");
}

static void usage(void)
{
    fprintf(stderr, "usage: extract-eval [-v] [-d] [-g GAZETTEER] [DIR]\n");
}

int main(int argc, char **argv)
{
    int verbose = 0, dates_only = 0;
    const char *gazetteer = NULL, *dir = ".";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0)
            verbose = 1;
        else if (strcmp(argv[i], "-d") == 0)
            dates_only = 1;
        else if (strcmp(argv[i], "-g") == 0 && i + 1 < argc)
            gazetteer = argv[++i];
        else if (argv[i][0] == '-') {
            usage();
            return 2;
        } else
            dir = argv[i];
    }

    char path[4096], err[LSX_ERRLEN] = "";
    lsx_extractor *x = NULL;
    if (!dates_only) {
        int rc = lsx_extractor_new(&x, gazetteer, err);
        if (rc != LSX_OK) {
            fprintf(stderr, "extract-eval: cannot load the gazetteer: %s (%s)\n", err,
                    lsx_status_str(rc));
            lsx_extractor_free(x);
            return 2;
        }
    }

    snprintf(path, sizeof path, "%s/labels.tsv", dir);
    size_t labels_len = 0;
    char *labels = slurp(path, &labels_len);
    if (!labels) {
        fprintf(stderr, "extract-eval: cannot read %s: %s\n", path, strerror(errno));
        lsx_extractor_free(x);
        return 2;
    }

    unsigned long narticles = 0, nlang = 0, lang_ok = 0, date_ok = 0;
    unsigned long date_want[4] = { 0 }, date_right[4] = { 0 };
    counts total[NTYPES + 1];
    memset(total, 0, sizeof total);
    double t_date = 0, t_ent = 0, t_lang = 0;
    int status = 0;
    lsx_entity_list list;
    memset(&list, 0, sizeof list);

    char *line = labels, *next;
    for (unsigned lineno = 1; line && *line; line = next, lineno++) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        size_t ll = strlen(line);
        if (ll && line[ll - 1] == '\r')
            line[--ll] = '\0';
        if (ll == 0 || line[0] == '#')
            continue;
        /* split into 6 fields */
        char *f[6] = { NULL };
        int nf = 0;
        char *p = line;
        while (nf < 6) {
            f[nf++] = p;
            char *tab = strchr(p, '\t');
            if (!tab)
                break;
            *tab = '\0';
            p = tab + 1;
        }
        if (nf < 3) {
            fprintf(stderr, "extract-eval: labels.tsv:%u: expected at least 3 fields\n", lineno);
            status = 2;
            break;
        }
        const char *id = f[0], *want_lang = f[1], *want_date = f[2];
        if (want_date[0] && !lsx_date_valid(want_date)) {
            fprintf(stderr, "extract-eval: labels.tsv:%u: bad date '%s'\n", lineno, want_date);
            status = 2;
            break;
        }

        snprintf(path, sizeof path, "%s/articles/%s.txt", dir, id);
        size_t len = 0;
        char *text = slurp(path, &len);
        if (!text) {
            fprintf(stderr, "extract-eval: cannot read %s: %s\n", path, strerror(errno));
            status = 2;
            break;
        }
        char *title = text, *body = strchr(text, '\n');
        if (body)
            *body++ = '\0';
        else
            body = text + len;
        size_t body_len = len - (size_t)(body - text);
        narticles++;

        /* language */
        double t0 = now();
        const char *lang = lsx_detect_language(body, body_len);
        t_lang += now() - t0;
        if (want_lang[0]) {
            nlang++;
            lang_ok += strcmp(lang, want_lang) == 0;
        }

        /* date */
        char got_date[11];
        t0 = now();
        lsx_date_source src = lsx_find_date(lang, title, body, body_len, got_date);
        t_date += now() - t0;
        int dok = strcmp(got_date, want_date) == 0;
        int kind = want_date[0] ? 1 : 0;
        date_want[kind]++;
        date_right[kind] += dok;
        date_ok += dok;
        if (verbose) {
            if (strcmp(lang, want_lang) != 0)
                printf("%s [%s, labelled %s]\n", id, lang, want_lang);
            else
                printf("%s [%s]\n", id, lang);
        }
        if (verbose && !dok)
            printf("    date   want %s, got %s (%s)\n", want_date[0] ? want_date : "none",
                   got_date[0] ? got_date : "none", lsx_date_source_str(src));

        /* entities */
        if (!dates_only) {
            strset gold[NTYPES], got[NTYPES];
            memset(gold, 0, sizeof gold);
            memset(got, 0, sizeof got);
            int oom = 0;
            for (int t = 0; t < NTYPES; t++)
                if (3 + t < nf && set_add_list(&gold[t], f[3 + t], strlen(f[3 + t])) < 0)
                    oom = 1;
            t0 = now();
            int rc = lsx_extract_entities(x, lang, title, body, body_len, &list, err);
            t_ent += now() - t0;
            if (rc != LSX_OK) {
                fprintf(stderr, "extract-eval: %s: extraction failed: %s (%s)\n", id, err,
                        lsx_status_str(rc));
                status = 2;
            } else {
                for (size_t k = 0; k < list.n; k++)
                    for (int t = 0; t < NTYPES; t++)
                        if ((char)list.items[k].type == type_chars[t] && list.items[k].id &&
                            set_add(&got[t], list.items[k].id, strlen(list.items[k].id)) < 0)
                            oom = 1;
            }
            lsx_entity_list_clear(&list);
            for (int t = 0; t < NTYPES; t++) {
                counts c = { 0, 0, 0 };
                for (size_t k = 0; k < got[t].n; k++)
                    set_has(&gold[t], got[t].v[k]) ? c.tp++ : c.fp++;
                for (size_t k = 0; k < gold[t].n; k++)
                    c.fn += !set_has(&got[t], gold[t].v[k]);
                total[t].tp += c.tp;
                total[t].fp += c.fp;
                total[t].fn += c.fn;
                if (verbose) {
                    print_diff("miss ", type_names[t], &gold[t], &got[t]);
                    print_diff("extra", type_names[t], &got[t], &gold[t]);
                }
                set_clear(&gold[t]);
                set_clear(&got[t]);
            }
            if (oom) {
                fprintf(stderr, "extract-eval: out of memory\n");
                status = 2;
            }
        }
        free(text);
        if (status)
            break;
    }
    free(labels);
    lsx_extractor_free(x);
    if (status)
        return status;
    if (narticles == 0) {
        fprintf(stderr, "extract-eval: no articles in %s/labels.tsv\n", dir);
        return 2;
    }

    printf("articles: %lu\n", narticles);
    printf("language: %lu/%lu detected right\n", lang_ok, nlang);
    printf("dates:    %lu/%lu right (%.1f%%): %lu/%lu dated, %lu/%lu undated\n", date_ok, narticles,
           100.0 * (double)date_ok / (double)narticles, date_right[1], date_want[1], date_right[0],
           date_want[0]);
    if (!dates_only) {
        printf("entities (micro-averaged over articles):\n");
        printf("  %-7s %5s %5s %5s %10s %7s %6s\n", "type", "tp", "fp", "fn", "precision", "recall", "f1");
        for (int t = 0; t < NTYPES; t++) {
            print_prf(type_names[t], &total[t]);
            total[NTYPES].tp += total[t].tp;
            total[NTYPES].fp += total[t].fp;
            total[NTYPES].fn += total[t].fn;
        }
        print_prf("all", &total[NTYPES]);
    }
    printf("time per article: language %.1f us, date %.1f us", 1e6 * t_lang / (double)narticles,
           1e6 * t_date / (double)narticles);
    if (!dates_only)
        printf(", entities %.1f us", 1e6 * t_ent / (double)narticles);
    printf("\n");
    return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tap.h - a tiny TAP producer for libsearch's C unit tests.
 *
 *   ok(cond, "name %d", i);    is_int(got, want, "name");   is_str(got, want, "name");
 *   skip_all("reason");        done_testing();  (prints the plan, returns the exit code)
 *
 * Output follows the Test Anything Protocol, read by automake's tap-driver.sh.
 */
#ifndef LSX_TAP_H
#define LSX_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_n, tap_failed;

static int tap_vok(int cond, const char *file, int line, const char *fmt, va_list ap)
{
    ++tap_n;
    printf("%s %d - ", cond ? "ok" : "not ok", tap_n);
    vprintf(fmt, ap);
    printf("\n");
    if (!cond) {
        ++tap_failed;
        printf("#   failed at %s:%d\n", file, line);
    }
    fflush(stdout);
    return cond;
}

static int tap_ok(int cond, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5), unused));
static int tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = tap_vok(cond, file, line, fmt, ap);
    va_end(ap);
    return r;
}

static int tap_is_int(long long got, long long want, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6), unused));
static int tap_is_int(long long got, long long want, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = tap_vok(got == want, file, line, fmt, ap);
    va_end(ap);
    if (!r)
        printf("#          got: %lld\n#     expected: %lld\n", got, want);
    return r;
}

static int tap_is_str(const char *got, const char *want, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6), unused));
static int tap_is_str(const char *got, const char *want, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int same = (got == NULL && want == NULL) || (got && want && strcmp(got, want) == 0);
    int r = tap_vok(same, file, line, fmt, ap);
    va_end(ap);
    if (!r)
        printf("#          got: '%s'\n#     expected: '%s'\n", got ? got : "(null)", want ? want : "(null)");
    return r;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, ...) tap_is_int((long long)(got), (long long)(want), __FILE__, __LINE__, __VA_ARGS__)
#define is_str(got, want, ...) tap_is_str((got), (want), __FILE__, __LINE__, __VA_ARGS__)

static void skip_all(const char *why) __attribute__((unused, noreturn));
static void skip_all(const char *why)
{
    printf("1..0 # SKIP %s\n", why);
    exit(0);
}

static int done_testing(void) __attribute__((unused));
static int done_testing(void)
{
    printf("1..%d\n", tap_n);
    return tap_failed ? 1 : 0;
}

/* The shared/ folder beside the project, or NULL if it is absent. */
static const char *tap_shared_dir(void) __attribute__((unused));
static const char *tap_shared_dir(void)
{
    const char *d = getenv("LSX_SHARED");
    static char path[4096];
    if (!d || !*d)
        return NULL;
    snprintf(path, sizeof path, "%s", d);
    FILE *f;
    char probe[4200];
    snprintf(probe, sizeof probe, "%s/corpora/README.md", path);
    if ((f = fopen(probe, "r")) == NULL)
        return NULL;
    fclose(f);
    return path;
}

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-query.c - the query parser: trees (as S-expressions), errors with
 * their offsets, add_filter, plain-word parsing (lsx_query_parse_words),
 * and a fuzz loop.
 */
#include "private.h"
#include "tap.h"

#include <stdint.h>

/* `text` made printable for a test name (no control characters). */
static const char *shown(const char *text)
{
    static char buf[128];
    size_t n = 0;
    for (; text[n] && n + 1 < sizeof buf; n++)
        buf[n] = (unsigned char)text[n] < 0x20 ? '?' : text[n];
    buf[n] = '\0';
    return buf;
}

/* Parse `text` and compare its description with `want`. */
static void check(const char *text, const char *want)
{
    lsx_query *q = NULL;
    int rc = lsx_query_parse(&q, text);
    char *got = rc == LSX_OK ? lsx_query_describe(q) : NULL;
    if (rc != LSX_OK)
        printf("# parse error: %s\n", lsx_query_errmsg(q));
    is_str(got, want, "parse [%s]", shown(text));
    free(got);
    lsx_query_free(q);
}

/* Parse `text`, expecting LSX_EQUERY with this message and offset. */
static void check_error(const char *text, const char *msg, size_t offset)
{
    lsx_query *q = NULL;
    int rc = lsx_query_parse(&q, text);
    if (rc != LSX_EQUERY || !q) {
        ok(0, "error [%s]: rc %d", shown(text), rc);
        lsx_query_free(q);
        return;
    }
    int good = strcmp(lsx_query_errmsg(q), msg) == 0 && lsx_query_error_offset(q) == offset &&
               lsx_query_root(q) == NULL && lsx_query_describe(q) == NULL;
    if (!good)
        printf("#   got '%s' (offset %zu)\n#   want '%s' (offset %zu)\n", lsx_query_errmsg(q),
               lsx_query_error_offset(q), msg, offset);
    ok(good, "error [%s] -> %s", shown(text), msg);
    lsx_query_free(q);
}

/* Check the shape of a tree; returns the number of problems. */
static int validate(const lsx_qnode *n, size_t len, int depth)
{
    int bad = 0;
    if (depth > 1000 || n->offset >= len)
        return 1;
    switch (n->type) {
    case LSX_Q_WORD:
        bad += !n->text || !*n->text || n->nchildren;
        break;
    case LSX_Q_PHRASE:
        bad += n->nchildren < 2;
        for (size_t i = 0; i < n->nchildren; i++)
            bad += n->children[i]->type != LSX_Q_WORD;
        break;
    case LSX_Q_NEAR:
        bad += n->nchildren < 2 || n->window < 1 || n->window > 1000;
        for (size_t i = 0; i < n->nchildren; i++)
            bad += n->children[i]->type != LSX_Q_WORD && n->children[i]->type != LSX_Q_PHRASE;
        break;
    case LSX_Q_AND:
    case LSX_Q_OR:
        bad += n->nchildren < 2;
        break;
    case LSX_Q_AND_NOT:
    case LSX_Q_AND_MAYBE:
        bad += n->nchildren != 2;
        break;
    case LSX_Q_FILTER:
        bad += !n->field || !n->text || n->nchildren;
        break;
    case LSX_Q_DATE:
        bad += (!n->date_from[0] && !n->date_to[0]) || n->nchildren;
        bad += (n->date_from[0] && strlen(n->date_from) != 8) || (n->date_to[0] && strlen(n->date_to) != 8);
        break;
    case LSX_Q_ALL:
        bad += n->nchildren != 0;
        break;
    default:
        bad++;
    }
    for (size_t i = 0; i < n->nchildren; i++)
        bad += validate(n->children[i], len, depth + 1);
    return bad;
}

static void test_operators(void)
{
    check("a", "(word \"a\")");
    check("  a  ", "(word \"a\")");
    check("a b", "(or (word \"a\") (word \"b\"))");
    check("a OR b", "(or (word \"a\") (word \"b\"))");
    check("a OR b c", "(or (word \"a\") (word \"b\") (word \"c\"))");
    check("a AND b", "(and (word \"a\") (word \"b\"))");
    check("a AND b AND c", "(and (word \"a\") (word \"b\") (word \"c\"))");
    check("a b AND c", "(or (word \"a\") (and (word \"b\") (word \"c\")))");
    check("a AND b c", "(or (and (word \"a\") (word \"b\")) (word \"c\"))");
    check("a AND b OR c AND d",
          "(or (and (word \"a\") (word \"b\")) (and (word \"c\") (word \"d\")))");
    check("a NOT b", "(and_not (word \"a\") (word \"b\"))");
    check("a NOT b NOT c", "(and_not (word \"a\") (or (word \"b\") (word \"c\")))");
    check("a AND b NOT c", "(and (word \"a\") (and_not (word \"b\") (word \"c\")))");
    check("a NOT b AND c", "(and (and_not (word \"a\") (word \"b\")) (word \"c\"))");
    check("a b NOT c", "(or (word \"a\") (and_not (word \"b\") (word \"c\")))");
    check("NOT a", "(and_not (all) (word \"a\"))");
    check("NOT a b", "(or (and_not (all) (word \"a\")) (word \"b\"))");
    check("NOT NOT a", "(and_not (all) (and_not (all) (word \"a\")))");
    check("a AND NOT b", "(and_not (word \"a\") (word \"b\"))");
    check("a AND NOT b AND NOT c", "(and_not (word \"a\") (or (word \"b\") (word \"c\")))");
    check("NOT a AND NOT b", "(and_not (all) (or (word \"a\") (word \"b\")))");
    check("a OR NOT b", "(or (word \"a\") (and_not (all) (word \"b\")))");
    check("NOT a NOT b", "(and_not (and_not (all) (word \"a\")) (word \"b\"))");
    check("and or not near", "(or (word \"and\") (word \"or\") (word \"not\") (word \"near\"))");
    check("And Or Not", "(or (word \"And\") (word \"Or\") (word \"Not\"))");
    check("ANDROID ORACLE NOTE", "(or (word \"ANDROID\") (word \"ORACLE\") (word \"NOTE\"))");
    check("a AND(b)", "(and (word \"a\") (word \"b\"))");
}

static void test_groups(void)
{
    check("(a b) AND c", "(and (or (word \"a\") (word \"b\")) (word \"c\"))");
    check("((a))", "(word \"a\")");
    check("( a )", "(word \"a\")");
    check("a (b (c d))", "(or (word \"a\") (or (word \"b\") (or (word \"c\") (word \"d\"))))");
    check("(a OR b) NOT (c AND d)",
          "(and_not (or (word \"a\") (word \"b\")) (and (word \"c\") (word \"d\")))");
    check("((a AND b) OR (c AND (d OR e)))",
          "(or (and (word \"a\") (word \"b\")) (and (word \"c\") (or (word \"d\") (word \"e\"))))");
    check("x(y)z", "(or (word \"x\") (word \"y\") (word \"z\"))");
    check("NOT (a b)", "(and_not (all) (or (word \"a\") (word \"b\")))");
}

static void test_love_hate(void)
{
    check("+a", "(word \"a\")");
    check("+a b", "(and_maybe (word \"a\") (word \"b\"))");
    check("+a +b c d",
          "(and_maybe (and (word \"a\") (word \"b\")) (or (word \"c\") (word \"d\")))");
    check("a -b", "(and_not (word \"a\") (word \"b\"))");
    check("a b -c", "(and_not (or (word \"a\") (word \"b\")) (word \"c\"))");
    check("+a b -c -d",
          "(and_not (and_maybe (word \"a\") (word \"b\")) (or (word \"c\") (word \"d\")))");
    check("+a +b -c", "(and_not (and (word \"a\") (word \"b\")) (word \"c\"))");
    check("-a", "(and_not (all) (word \"a\"))");
    check("-a -b", "(and_not (all) (or (word \"a\") (word \"b\")))");
    check("+a -b", "(and_not (word \"a\") (word \"b\"))");
    check("a -(b c)", "(and_not (word \"a\") (or (word \"b\") (word \"c\")))");
    check("+(a b) c", "(and_maybe (or (word \"a\") (word \"b\")) (word \"c\"))");
    check("-\"a b\" c", "(and_not (word \"c\") (phrase (word \"a\") (word \"b\")))");
    check("(+a b) c", "(or (and_maybe (word \"a\") (word \"b\")) (word \"c\"))");
    check("x (-a) y", "(or (word \"x\") (and_not (all) (word \"a\")) (word \"y\"))");
    check("a AND -b", "(and_not (word \"a\") (word \"b\"))");
    check("+a AND +b", "(and (word \"a\") (word \"b\"))");
    check("-a AND -b", "(and_not (all) (or (word \"a\") (word \"b\")))");
    check("+a NOT b c", "(and_maybe (and_not (word \"a\") (word \"b\")) (word \"c\"))");
    check("c -a NOT b", "(and_not (word \"c\") (and_not (word \"a\") (word \"b\")))");
    check("a NOT -b", "(and_not (word \"a\") (and_not (all) (word \"b\")))");
    check("a - b", "(or (word \"a\") (word \"-\") (word \"b\"))");
    check("a + b", "(or (word \"a\") (word \"+\") (word \"b\"))");
    check("+-a", "(word \"-a\")");
    check("-AND a", "(and_not (word \"a\") (word \"AND\"))");
    check("COVID-19 C++ e-mail", "(or (word \"COVID-19\") (word \"C++\") (word \"e-mail\"))");
}

static void test_phrases(void)
{
    check("\"a b c\"", "(phrase (word \"a\") (word \"b\") (word \"c\"))");
    check("\"a\"", "(word \"a\")");
    check("\"  a \t b  \"", "(phrase (word \"a\") (word \"b\"))");
    check("x \"Hà Nội\"", "(or (word \"x\") (phrase (word \"Hà\") (word \"Nội\")))");
    check("\"COVID-19 (2020) AND\"",
          "(phrase (word \"COVID-19\") (word \"(2020)\") (word \"AND\"))");
    check("\"say \\\"", "(phrase (word \"say\") (word \"\\\\\"))");
    check("a\"b c\"d", "(or (word \"a\") (phrase (word \"b\") (word \"c\")) (word \"d\"))");
    check("\"a b\" AND \"c d\"",
          "(and (phrase (word \"a\") (word \"b\")) (phrase (word \"c\") (word \"d\")))");
    check("\"lang:vi title:x\"", "(phrase (word \"lang:vi\") (word \"title:x\"))");
}

static void test_near(void)
{
    check("a NEAR b", "(near 10 (word \"a\") (word \"b\"))");
    check("a NEAR/5 b", "(near 5 (word \"a\") (word \"b\"))");
    check("a NEAR/1 b", "(near 1 (word \"a\") (word \"b\"))");
    check("a NEAR/1000 b", "(near 1000 (word \"a\") (word \"b\"))");
    check("a NEAR/007 b", "(near 7 (word \"a\") (word \"b\"))");
    check("a NEAR b NEAR c", "(near 10 (word \"a\") (word \"b\") (word \"c\"))");
    check("a NEAR/3 b NEAR/7 c", "(near 7 (word \"a\") (word \"b\") (word \"c\"))");
    check("\"a b\" NEAR c", "(near 10 (phrase (word \"a\") (word \"b\")) (word \"c\"))");
    check("x a NEAR b", "(or (word \"x\") (near 10 (word \"a\") (word \"b\")))");
    check("a NEAR b AND c", "(and (near 10 (word \"a\") (word \"b\")) (word \"c\"))");
    check("title:a NEAR b", "(near 10 (word title \"a\") (word \"b\"))");
    check("-a NEAR b x", "(and_not (word \"x\") (near 10 (word \"a\") (word \"b\")))");
    check("(a) NEAR b", "(near 10 (word \"a\") (word \"b\"))");
    check("near Near", "(or (word \"near\") (word \"Near\"))");
    check("a NEAR b NOT c", "(and_not (near 10 (word \"a\") (word \"b\")) (word \"c\"))");
}

static void test_fields(void)
{
    check("title:a", "(word title \"a\")");
    check("TITLE:a", "(word title \"a\")");
    check("Title:\"a b\"", "(phrase (word title \"a\") (word title \"b\"))");
    check("title:\"a\"", "(word title \"a\")");
    check("title:(a b -c)",
          "(and_not (or (word title \"a\") (word title \"b\")) (word title \"c\"))");
    check("title:(a \"b c\" lang:vi)",
          "(and (or (word title \"a\") (phrase (word title \"b\") (word title \"c\"))) (filter lang \"vi\"))");
    check("title:(a NEAR b)", "(near 10 (word title \"a\") (word title \"b\"))");
    check("title:AND", "(word title \"AND\")");
    check("x title:Việt", "(or (word \"x\") (word title \"Việt\"))");
    check("lang:vi", "(filter lang \"vi\")");
    check("lang:EN", "(filter lang \"en\")");
    check("lang:fr", "(filter lang \"fr\")");
    check("lang:TH", "(filter lang \"th\")");
    check("lang:id-ID", "(filter lang \"id\")");
    check("lang:fil", "(filter lang \"tl\")");
    check("LANG:Vi", "(filter lang \"vi\")");
    check("lang:\"en\"", "(filter lang \"en\")");
    check("entity:vietnam", "(filter entity \"vietnam\")");
    check("person:\"Vũ Hồ\"", "(filter person \"Vũ Hồ\")");
    check("Person:vu-ho", "(filter person \"vu-ho\")");
    check("place:Hà_Nội", "(filter place \"Hà_Nội\")");
    check("ORG:WHO", "(filter org \"WHO\")");
    check("Entity:\"a \\\"", "(filter entity \"a \\\\\")");
    check("a lang:vi", "(and (word \"a\") (filter lang \"vi\"))");
    /* filters beside words narrow them; an explicit OR makes a union */
    check("a b lang:en lang:vi date:2022",
          "(and (or (word \"a\") (word \"b\")) (or (filter lang \"en\") (filter lang \"vi\")) "
          "(date \"20220101\" \"20221231\"))");
    check("a OR lang:vi", "(or (word \"a\") (filter lang \"vi\"))");
    check("date:2023 OR lang:vi", "(or (date \"20230101\" \"20231231\") (filter lang \"vi\"))");
    check("date:2023 lang:vi", "(and (date \"20230101\" \"20231231\") (filter lang \"vi\"))");
    check("a date:2023 OR lang:vi",
          "(and (word \"a\") (or (date \"20230101\" \"20231231\") (filter lang \"vi\")))");
    check("a OR b lang:vi", "(and (or (word \"a\") (word \"b\")) (filter lang \"vi\"))");
    check("a OR b OR lang:vi", "(or (word \"a\") (word \"b\") (filter lang \"vi\"))");
    check("a (lang:en OR NOT date:2022)",
          "(and (word \"a\") (or (filter lang \"en\") (and_not (all) (date \"20220101\" \"20221231\"))))");
    check("+a b lang:vi", "(and (and_maybe (word \"a\") (word \"b\")) (filter lang \"vi\"))");
    check("a OR -lang:vi", "(or (word \"a\") (and_not (all) (filter lang \"vi\")))");
    check("-a lang:vi", "(and_not (filter lang \"vi\") (word \"a\"))");
    check("+a OR b", "(and_maybe (word \"a\") (word \"b\"))");
    check("entity:jakarta OR place:hanoi", "(or (filter entity \"jakarta\") (filter place \"hanoi\"))");
    check("a AND lang:vi AND person:x",
          "(and (word \"a\") (filter lang \"vi\") (filter person \"x\"))");
    check("a -lang:en", "(and_not (word \"a\") (filter lang \"en\"))");
    check("+a +org:who", "(and (word \"a\") (filter org \"who\"))");
    /* colons that are not fields */
    check("10:30", "(word \"10:30\")");
    check("http://x.com/a", "(word \"http://x.com/a\")");
    check("Note: x", "(or (word \"Note:\") (word \"x\"))");
    check("a:", "(word \"a:\")");
    check("title::x", "(word \"title::x\")");
    check("Việt:Nam", "(word \"Việt:Nam\")");
    check("a1:b", "(word \"a1:b\")");
}

static void test_dates(void)
{
    check("date:2022", "(date \"20220101\" \"20221231\")");
    check("date:2022-02", "(date \"20220201\" \"20220231\")");
    check("date:2022-02-16", "(date \"20220216\" \"20220216\")");
    check("date:2022-2-5", "(date \"20220205\" \"20220205\")");
    check("DATE:2022", "(date \"20220101\" \"20221231\")");
    check("date:\"2022-03\"", "(date \"20220301\" \"20220331\")");
    check("date:2022-01-01..2022-03-31", "(date \"20220101\" \"20220331\")");
    check("date:2021..2022", "(date \"20210101\" \"20221231\")");
    check("date:2022-02..2022-02", "(date \"20220201\" \"20220231\")");
    check("date:2022-02-16..2022-02-16", "(date \"20220216\" \"20220216\")");
    check("date:2022..", "(date \"20220101\" \"\")");
    check("date:2022-02-16..", "(date \"20220216\" \"\")");
    check("date:..2022-03", "(date \"\" \"20220331\")");
    check("date:..2022", "(date \"\" \"20221231\")");
    check("date:2024-02-29", "(date \"20240229\" \"20240229\")");
    check("date:2000-02-29", "(date \"20000229\" \"20000229\")");
    check("date:2023-12-31", "(date \"20231231\" \"20231231\")");
    check("date:2022-04-30", "(date \"20220430\" \"20220430\")");
    check("tết date:2023 lang:vi",
          "(and (word \"tết\") (date \"20230101\" \"20231231\") (filter lang \"vi\"))");
    check("a AND date:2022-02", "(and (word \"a\") (date \"20220201\" \"20220231\"))");
    check_error("date:1900-02-29", "bad date '1900-02-29' (February 1900 has 28 days) at offset 5", 5);
    check_error("date:2023-02-29", "bad date '2023-02-29' (February 2023 has 28 days) at offset 5", 5);
    check_error("date:2024-02-30", "bad date '2024-02-30' (February 2024 has 29 days) at offset 5", 5);
    check_error("date:2022-04-31", "bad date '2022-04-31' (April 2022 has 30 days) at offset 5", 5);
    check_error("date:2022-13", "bad date '2022-13' (month must be 1-12) at offset 5", 5);
    check_error("date:2022-00", "bad date '2022-00' (month must be 1-12) at offset 5", 5);
    check_error("date:2022-01-00", "bad date '2022-01-00' (day must be 1-31) at offset 5", 5);
    check_error("date:2022-01-32", "bad date '2022-01-32' (day must be 1-31) at offset 5", 5);
    check_error("date:0000", "bad date '0000' (year must be 0001-9999) at offset 5", 5);
    check_error("date:22", "bad date '22' (expected YYYY, YYYY-MM or YYYY-MM-DD) at offset 5", 5);
    check_error("date:20220216",
                "bad date '20220216' (expected YYYY, YYYY-MM or YYYY-MM-DD) at offset 5", 5);
    check_error("date:2022-02-16x",
                "bad date '2022-02-16x' (expected YYYY, YYYY-MM or YYYY-MM-DD) at offset 5", 5);
    check_error("date:2022-", "bad date '2022-' (expected YYYY, YYYY-MM or YYYY-MM-DD) at offset 5", 5);
    check_error("date:2022-123", "bad date '2022-123' (expected YYYY, YYYY-MM or YYYY-MM-DD) at offset 5", 5);
    check_error("date:abc", "bad date 'abc' (expected YYYY, YYYY-MM or YYYY-MM-DD) at offset 5", 5);
    check_error("x date:2022..2022-13", "bad date '2022-13' (month must be 1-12) at offset 13", 13);
    check_error("date:2022...2023", "bad date '.2023' (expected YYYY, YYYY-MM or YYYY-MM-DD) at offset 11", 11);
    check_error("date:2022-03..2022-01",
                "date range '2022-03..2022-01' ends before it starts at offset 5", 5);
    check_error("date:2022-02-16..2022-02-15",
                "date range '2022-02-16..2022-02-15' ends before it starts at offset 5", 5);
    check_error("date:..", "empty date range '..' at offset 5", 5);
    check_error("date:", "missing value after 'date:' at offset 0", 0);
    check_error("date:\"\"", "missing value after 'date:' at offset 0", 0);
}

static void test_unicode(void)
{
    check("Việt Nam", "(or (word \"Việt\") (word \"Nam\"))");
    check("kinh tế AND Hà Nội",
          "(or (word \"kinh\") (and (word \"tế\") (word \"Hà\")) (word \"Nội\"))");
    check("+Hồ -Chí Minh", "(and_not (and_maybe (word \"Hồ\") (word \"Minh\")) (word \"Chí\"))");
    check("北京 東京", "(or (word \"北京\") (word \"東京\"))");
    check("\xff\xfe bad", "(or (word \"\xff\xfe\") (word \"bad\"))");
    check("a\\b", "(word \"a\\\\b\")");
}

static void test_errors(void)
{
    check_error("", "empty query at offset 0", 0);
    check_error("   \t\n", "empty query at offset 0", 0);
    check_error("a \"b c", "unterminated quote at offset 2", 2);
    check_error("abcdefg\"", "unterminated quote at offset 7", 7);
    check_error("(a b", "unbalanced '(' at offset 0", 0);
    check_error("a (b (c)", "unbalanced '(' at offset 2", 2);
    check_error("a b)", "unbalanced ')' at offset 3", 3);
    check_error(")", "unbalanced ')' at offset 0", 0);
    check_error("(a))", "unbalanced ')' at offset 3", 3);
    check_error("()", "empty parentheses at offset 0", 0);
    check_error("a ( )", "empty parentheses at offset 2", 2);
    check_error("AND a", "missing operand before AND at offset 0", 0);
    check_error("OR", "missing operand before OR at offset 0", 0);
    check_error("a AND", "missing operand after AND at offset 2", 2);
    check_error("foo AND", "missing operand after AND at offset 4", 4);
    check_error("a OR OR b", "missing operand after OR at offset 2", 2);
    check_error("a AND OR b", "missing operand after AND at offset 2", 2);
    check_error("a OR", "missing operand after OR at offset 2", 2);
    check_error("(a AND) b", "missing operand after AND at offset 3", 3);
    check_error("a (OR b)", "missing operand before OR at offset 3", 3);
    check_error("NOT", "missing operand after NOT at offset 0", 0);
    check_error("a NOT", "missing operand after NOT at offset 2", 2);
    check_error("a NOT AND b", "missing operand after NOT at offset 2", 2);
    check_error("a AND NOT", "missing operand after NOT at offset 6", 6);
    check_error("a NEAR", "missing operand after NEAR at offset 2", 2);
    check_error("a NEAR/3", "missing operand after NEAR/3 at offset 2", 2);
    check_error("NEAR a", "missing operand before NEAR at offset 0", 0);
    check_error("a NEAR OR b", "missing operand after NEAR at offset 2", 2);
    check_error("a NEAR/0 b", "bad NEAR window 'NEAR/0' (use NEAR/1 to NEAR/1000) at offset 2", 2);
    check_error("a NEAR/x b", "bad NEAR window 'NEAR/x' (use NEAR/1 to NEAR/1000) at offset 2", 2);
    check_error("a NEAR/ b", "bad NEAR window 'NEAR/' (use NEAR/1 to NEAR/1000) at offset 2", 2);
    check_error("a NEAR/1001 b", "bad NEAR window 'NEAR/1001' (use NEAR/1 to NEAR/1000) at offset 2", 2);
    check_error("a NEAR/5x b", "bad NEAR window 'NEAR/5x' (use NEAR/1 to NEAR/1000) at offset 2", 2);
    check_error("a NEAR/99999999999999999999999 b",
                "bad NEAR window 'NEAR/99999999999999999999999' (use NEAR/1 to NEAR/1000) at offset 2", 2);
    check_error("NEAR/0", "bad NEAR window 'NEAR/0' (use NEAR/1 to NEAR/1000) at offset 0", 0);
    check_error("a NEAR (b c)", "NEAR needs a word or phrase on each side at offset 7", 7);
    check_error("(a b) NEAR c", "NEAR needs a word or phrase on each side at offset 0", 0);
    check_error("a NEAR lang:vi", "NEAR needs a word or phrase on each side at offset 7", 7);
    check_error("lang:vi NEAR a", "NEAR needs a word or phrase on each side at offset 0", 0);
    check_error("a NEAR -b", "NEAR needs a word or phrase on each side at offset 7", 7);
    check_error("title:", "missing value after 'title:' at offset 0", 0);
    check_error("x title: y", "missing value after 'title:' at offset 2", 2);
    check_error("(Title:)", "missing value after 'title:' at offset 1", 1);
    check_error("lang:", "missing value after 'lang:' at offset 0", 0);
    check_error("person:\"\"", "missing value after 'person:' at offset 0", 0);
    check_error("org:\"  \"", "missing value after 'org:' at offset 0", 0);
    check_error("title:\"\"", "empty phrase at offset 6", 6);
    check_error("title:()", "empty parentheses at offset 6", 6);
    check_error("person:\"Vũ", "unterminated quote at offset 7", 7);
    check_error("title:\"a b", "unterminated quote at offset 6", 6);
    check_error("lang:xx", "unknown language 'xx' (known: ar ca da de el en es eu fi fr ga hi hu hy id it ja "
                "km ko lo lt ms my ne nl no pt ro ru sr sv ta th tl tr vi yi zh) at offset 5", 5);
    check_error("a lang:\"klingon\"", "unknown language 'klingon' (known: ar ca da de el en es eu fi fr ga hi hu hy "
                "id it ja km ko lo lt ms my ne nl no pt ro ru sr sv ta th tl tr vi yi zh) at offset 8", 8);
    check_error("lang:(vi)", "field 'lang:' takes one value, not a group at offset 5", 5);
    check_error("foo:bar",
                "unknown field 'foo' (known: title, lang, entity, person, place, org, date) at offset 0", 0);
    check_error("x Foo:\"a b\"",
                "unknown field 'Foo' (known: title, lang, entity, person, place, org, date) at offset 2", 2);
    check_error("x -bar:(a)",
                "unknown field 'bar' (known: title, lang, entity, person, place, org, date) at offset 3", 3);
    check_error("\"\"", "empty phrase at offset 0", 0);
    check_error("a \"   \"", "empty phrase at offset 2", 2);

    /* nesting: 100 levels are fine, 101 are not */
    char deep[1000];
    for (int levels = 100; levels <= 101; levels++) {
        size_t n = 0;
        for (int i = 0; i < levels; i++)
            deep[n++] = '(';
        deep[n++] = 'a';
        for (int i = 0; i < levels; i++)
            deep[n++] = ')';
        deep[n] = '\0';
        if (levels == 100)
            check(deep, "(word \"a\")");
        else
            check_error(deep, "query nested too deeply (more than 100 levels) at offset 100", 100);
    }
    char nots[1000] = "";
    for (int i = 0; i < 101; i++)
        strcat(nots, "NOT ");
    strcat(nots, "a");
    check_error(nots, "query nested too deeply (more than 100 levels) at offset 400", 400);
    lsx_query *q = NULL;
    is_int(lsx_query_parse(&q, nots + 4), LSX_OK, "100 NOTs parse");
    lsx_query_free(q);
    char titles[1000];
    strcpy(titles, "title:");
    size_t n = strlen(titles);
    for (int i = 0; i < 101; i++)
        titles[n++] = '(';
    titles[n++] = 'a';
    for (int i = 0; i < 101; i++)
        titles[n++] = ')';
    titles[n] = '\0';
    check_error(titles, "query nested too deeply (more than 100 levels) at offset 106", 106);
}

static void test_offsets(void)
{
    lsx_query *q = NULL;
    is_int(lsx_query_parse(&q, "ab  \"cd ef\" -g title:h lang:vi"), LSX_OK, "offsets: parse");
    is_str(lsx_query_errmsg(q), "", "errmsg is empty after success");
    is_int(lsx_query_error_offset(q), 0, "error offset 0 after success");
    const lsx_qnode *r = lsx_query_root(q);
    /* (and_not (and (or ab (phrase cd ef) (word title h)) (filter lang vi)) g) */
    ok(r && r->type == LSX_Q_AND_NOT && r->nchildren == 2, "offsets: root is and_not");
    if (r && r->nchildren == 2 && r->children[0]->nchildren == 2 &&
        r->children[0]->children[0]->nchildren == 3) {
        const lsx_qnode *a = r->children[0], *o = a->children[0];
        is_int(a->offset, 0, "and at 0");
        is_int(r->offset, 0, "and_not at 0");
        is_int(o->offset, 0, "or at 0");
        is_int(o->children[0]->offset, 0, "ab at 0");
        is_int(o->children[1]->offset, 4, "phrase at its quote");
        is_int(o->children[1]->children[0]->offset, 5, "cd at 5");
        is_int(o->children[1]->children[1]->offset, 8, "ef at 8");
        is_int(o->children[2]->offset, 15, "title:h at its name");
        is_str(o->children[2]->field, "title", "title field");
        is_int(a->children[1]->offset, 23, "lang:vi at its name");
        is_int(r->children[1]->offset, 13, "g at 13");
        is_int(r->children[1]->type, LSX_Q_WORD, "g is a word");
    } else {
        ok(0, "offsets: tree shape");
    }
    lsx_query_free(q);

    is_int(lsx_query_parse(&q, "x NOT y"), LSX_OK, "x NOT y");
    r = lsx_query_root(q);
    ok(r && r->offset == 0 && r->children[1]->offset == 6, "and_not at 0, y at 6");
    lsx_query_free(q);

    is_int(lsx_query_parse(&q, "  NOT a"), LSX_OK, "NOT a");
    r = lsx_query_root(q);
    ok(r && r->offset == 2 && r->children[0]->type == LSX_Q_ALL && r->children[0]->offset == 2 &&
       r->children[1]->offset == 6, "NOT a: and_not and all at 2, a at 6");
    lsx_query_free(q);

    is_int(lsx_query_parse(&q, "a NEAR/3 b date:2022"), LSX_OK, "near + date");
    r = lsx_query_root(q);
    ok(r && r->type == LSX_Q_AND && r->children[0]->type == LSX_Q_NEAR && r->children[0]->window == 3 &&
       r->children[0]->offset == 0 && r->children[1]->offset == 11 &&
       strcmp(r->children[1]->date_from, "20220101") == 0 && strcmp(r->children[1]->date_to, "20221231") == 0,
       "near window 3 at 0, date at 11 with bounds");
    lsx_query_free(q);
}

static void test_add_filter(void)
{
    lsx_query *q = NULL, *f = NULL, *g = NULL, *bad = NULL;
    is_int(lsx_query_parse(&q, "a b"), LSX_OK, "add_filter: query");
    is_int(lsx_query_parse(&f, "lang:vi date:2022"), LSX_OK, "add_filter: filter");
    is_int(lsx_query_add_filter(q, f), LSX_OK, "add_filter ok");
    lsx_query_free(f); /* the copy must not depend on f */
    char *d = lsx_query_describe(q);
    is_str(d, "(and (or (word \"a\") (word \"b\")) "
              "(and (filter lang \"vi\") (date \"20220101\" \"20221231\")))", "add_filter tree");
    free(d);
    is_int(lsx_query_parse(&g, "person:\"Vũ Hồ\""), LSX_OK, "add_filter: second filter");
    is_int(lsx_query_add_filter(q, g), LSX_OK, "second add_filter ok");
    d = lsx_query_describe(q);
    is_str(d, "(and (or (word \"a\") (word \"b\")) "
              "(and (filter lang \"vi\") (date \"20220101\" \"20221231\")) (filter person \"Vũ Hồ\"))",
           "a second filter is one more child");
    free(d);
    is_str(lsx_query_errmsg(q), "", "errmsg empty after add_filter");

    /* errors */
    is_int(lsx_query_parse(&bad, "a AND"), LSX_EQUERY, "add_filter: bad filter");
    is_int(lsx_query_add_filter(q, bad), LSX_EINVAL, "bad filter refused");
    ok(strstr(lsx_query_errmsg(q), "missing operand after AND") != NULL, "message tells why: %s",
       lsx_query_errmsg(q));
    d = lsx_query_describe(q);
    ok(d && strstr(d, "filter person") != NULL && lsx_query_root(q) != NULL, "query unchanged after refusal");
    free(d);
    is_int(lsx_query_add_filter(bad, g), LSX_EINVAL, "adding to a broken query refused");
    ok(*lsx_query_errmsg(bad) != '\0', "with a message");
    is_int(lsx_query_add_filter(q, NULL), LSX_EINVAL, "NULL filter refused");
    is_int(lsx_query_add_filter(NULL, g), LSX_EINVAL, "NULL query refused");
    lsx_query_free(bad);
    lsx_query_free(q);

    /* a query filtered by itself */
    is_int(lsx_query_parse(&q, "x"), LSX_OK, "self: parse");
    is_int(lsx_query_add_filter(q, q), LSX_OK, "self: add_filter");
    d = lsx_query_describe(q);
    is_str(d, "(and (word \"x\") (word \"x\"))", "self filter");
    free(d);
    lsx_query_free(q);
    lsx_query_free(g);
}

static void test_api_edges(void)
{
    lsx_query *q = NULL;
    is_int(lsx_query_parse(NULL, "a"), LSX_EINVAL, "NULL out");
    is_int(lsx_query_parse(&q, NULL), LSX_EINVAL, "NULL text");
    ok(q != NULL && strstr(lsx_query_errmsg(q), "NULL") != NULL, "NULL text: handle with message");
    ok(lsx_query_root(q) == NULL && lsx_query_describe(q) == NULL, "NULL text: no tree");
    lsx_query_free(q);
    lsx_query_free(NULL);
    ok(lsx_query_root(NULL) == NULL && lsx_query_describe(NULL) == NULL, "NULL query accessors");
    ok(lsx_query_errmsg(NULL) != NULL && lsx_query_error_offset(NULL) == 0, "NULL errmsg/offset");

    /* big queries at the caps: many words, long AND chains */
    size_t cap = 200000;
    char *big = malloc(cap);
    size_t n = 0;
    for (int i = 0; i < LSX_QUERY_MAX_TERMS; i++)
        n += (size_t)snprintf(big + n, cap - n, "w%d ", i);
    q = NULL;
    is_int(lsx_query_parse(&q, big), LSX_OK, "%d words", LSX_QUERY_MAX_TERMS);
    ok(lsx_query_root(q) && lsx_query_root(q)->nchildren == LSX_QUERY_MAX_TERMS, "one OR of them");
    lsx_query_free(q);
    n = 0;
    for (int i = 0; i < 6000; i++)
        n += (size_t)snprintf(big + n, cap - n, "%sw%d", i ? " AND " : "", i % 1000);
    is_int(lsx_query_parse(&q, big), LSX_OK, "6000-word AND chain (1000 distinct words)");
    ok(lsx_query_root(q) && lsx_query_root(q)->type == LSX_Q_AND && lsx_query_root(q)->nchildren == 6000,
       "one AND of 6000 words");
    char *d = lsx_query_describe(q);
    const char *head = "(and (word \"w0\") (word \"w1\") ";
    ok(d && strncmp(d, head, strlen(head)) == 0 && strstr(d, "(word \"w999\"))") != NULL, "big describe");
    free(d);
    lsx_query_free(q);
    free(big);
}

/* ---- plain words (lsx_query_parse_words) ------------------------------------- */

static void check_words(const char *text, const char *want)
{
    lsx_query *q = NULL;
    int rc = lsx_query_parse_words(&q, text);
    char *got = rc == LSX_OK ? lsx_query_describe(q) : NULL;
    if (rc != LSX_OK)
        printf("# parse_words error: %s\n", lsx_query_errmsg(q));
    is_str(got, want, "words [%s]", shown(text));
    free(got);
    lsx_query_free(q);
}

static void test_words(void)
{
    check_words("a", "(word \"a\")");
    check_words("  a  ", "(word \"a\")");
    check_words("a b c", "(or (word \"a\") (word \"b\") (word \"c\"))");
    /* operators are words, whatever their case */
    check_words("a AND b OR NOT c NEAR d NEAR/5 e",
                "(or (word \"a\") (word \"AND\") (word \"b\") (word \"OR\") (word \"NOT\") "
                "(word \"c\") (word \"NEAR\") (word \"d\") (word \"NEAR\") (word \"5\") (word \"e\"))");
    check_words("AND", "(word \"AND\")");
    check_words("NOT a", "(or (word \"NOT\") (word \"a\"))");
    /* quotes, parentheses and marks are separators, never phrases, groups or exclusions */
    check_words("\"a b\" (c OR d) +e -f",
                "(or (word \"a\") (word \"b\") (word \"c\") (word \"OR\") (word \"d\") (word \"e\") (word \"f\"))");
    check_words("unterminated \"quote", "(or (word \"unterminated\") (word \"quote\"))");
    check_words("a b) (c", "(or (word \"a\") (word \"b\") (word \"c\"))");
    /* fields and dates are not fields: the colon separates words */
    check_words("title:x lang:vi date:2022-13 foo:bar",
                "(or (word \"title\") (word \"x\") (word \"lang\") (word \"vi\") (word \"date\") "
                "(word \"2022\") (word \"13\") (word \"foo\") (word \"bar\"))");
    check_words("Note: 10:30", "(or (word \"Note\") (word \"10\") (word \"30\"))");
    /* words split as documents split them: hyphens and dots separate,
     * apostrophes between letters and digit separators join */
    check_words("COVID-19 state-of-the-art",
                "(or (word \"COVID\") (word \"19\") (word \"state\") (word \"of\") (word \"the\") (word \"art\"))");
    check_words("don't 1.5 1,000 U.S.", "(or (word \"don't\") (word \"1.5\") (word \"1,000\") (word \"U\") (word \"S\"))");
    check_words("Việt Nam, Hà Nội!",
                "(or (word \"Việt\") (word \"Nam\") (word \"Hà\") (word \"Nội\"))");
    check_words("北京 東京", "(or (word \"北京\") (word \"東京\"))");
    check_words("a\xff\xfe" "b", "(or (word \"a\") (word \"b\"))");
    /* a TREC topic as it comes */
    check_words("What is the \"state of the art\" (in 1990) of AND/OR search?",
                "(or (word \"What\") (word \"is\") (word \"the\") (word \"state\") (word \"of\") "
                "(word \"the\") (word \"art\") (word \"in\") (word \"1990\") (word \"of\") "
                "(word \"AND\") (word \"OR\") (word \"search\"))");

    /* offsets are the words' byte offsets; each word is one node */
    lsx_query *q = NULL;
    is_int(lsx_query_parse_words(&q, "(ab) \"cd\" Ð:e"), LSX_OK, "words: offsets parse");
    const lsx_qnode *r = lsx_query_root(q);
    ok(r && r->type == LSX_Q_OR && r->nchildren == 4, "words: one OR of four words");
    if (r && r->nchildren == 4) {
        is_int(r->offset, 1, "OR at its first word");
        is_int(r->children[0]->offset, 1, "ab at 1");
        is_int(r->children[1]->offset, 6, "cd at 6");
        is_int(r->children[2]->offset, 10, "Ð at 10");
        is_int(r->children[3]->offset, 13, "e at 13");
        int plain = 1;
        for (size_t i = 0; i < r->nchildren; i++)
            plain &= r->children[i]->type == LSX_Q_WORD && r->children[i]->field == NULL &&
                     r->children[i]->nchildren == 0;
        ok(plain, "words: all plain words without field");
    }
    is_str(lsx_query_errmsg(q), "", "words: errmsg empty after success");
    lsx_query_free(q);

    /* a long topic: every word kept, in order */
    size_t cap = 200000;
    char *big = malloc(cap);
    size_t n = 0;
    for (int i = 0; i < 5000; i++)
        n += (size_t)snprintf(big + n, cap - n, "(w%d) AND ", i % 1000);
    q = NULL;
    is_int(lsx_query_parse_words(&q, big), LSX_OK, "words: 10000 words (1001 distinct)");
    r = lsx_query_root(q);
    ok(r && r->nchildren == 10000 && strcmp(r->children[9998]->text, "w999") == 0 &&
       strcmp(r->children[9999]->text, "AND") == 0, "words: one OR of 10000 words in order");
    ok(r && validate(r, n, 0) == 0, "words: the tree is well formed");
    lsx_query_free(q);
    free(big);

    /* the result can take a filter like any query */
    lsx_query *f = NULL;
    is_int(lsx_query_parse_words(&q, "x y"), LSX_OK, "words: filter base");
    is_int(lsx_query_parse(&f, "lang:en"), LSX_OK, "words: filter");
    is_int(lsx_query_add_filter(q, f), LSX_OK, "words: add_filter");
    char *d = lsx_query_describe(q);
    is_str(d, "(and (or (word \"x\") (word \"y\")) (filter lang \"en\"))", "words: filtered tree");
    free(d);
    lsx_query_free(f);
    lsx_query_free(q);

    /* errors */
    const char *const empty[] = { "", "   \t\n", "\"\" () : - + ...", "\xff\xfe" };
    for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++) {
        q = NULL;
        int rc = lsx_query_parse_words(&q, empty[i]);
        ok(rc == LSX_EQUERY && q && strcmp(lsx_query_errmsg(q), "no words to search for at offset 0") == 0 &&
           lsx_query_error_offset(q) == 0 && lsx_query_root(q) == NULL,
           "words: no words in [%s] -> LSX_EQUERY with a message", shown(empty[i]));
        lsx_query_free(q);
    }
    is_int(lsx_query_parse_words(NULL, "a"), LSX_EINVAL, "words: NULL out");
    q = NULL;
    is_int(lsx_query_parse_words(&q, NULL), LSX_EINVAL, "words: NULL text");
    ok(q && strstr(lsx_query_errmsg(q), "NULL") && !lsx_query_root(q), "words: NULL text has a message, no tree");
    lsx_query_free(q);

    /* every input either parses into well-formed plain words or has no word */
    uint64_t seed = 0x2545f4914f6cdd1dull;
    int bad = 0, parsed = 0;
    for (int i = 0; i < 3000; i++) {
        char buf[64];
        size_t len = 1 + (size_t)(i % 60);
        for (size_t k = 0; k < len; k++) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            buf[k] = (char)(1 + seed % 255);
        }
        buf[len] = '\0';
        q = NULL;
        int rc = lsx_query_parse_words(&q, buf);
        const lsx_qnode *root = lsx_query_root(q);
        if (rc == LSX_OK) {
            parsed++;
            int words = root && validate(root, len, 0) == 0;
            if (root && root->type == LSX_Q_OR)
                for (size_t k = 0; k < root->nchildren; k++)
                    words &= root->children[k]->type == LSX_Q_WORD;
            else
                words &= root && root->type == LSX_Q_WORD;
            bad += !words;
        } else {
            bad += rc != LSX_EQUERY || root != NULL;
        }
        lsx_query_free(q);
    }
    ok(parsed > 1000, "words fuzz: %d of 3000 random inputs had words", parsed);
    is_int(bad, 0, "words fuzz: only plain words, or LSX_EQUERY");
}

/* ---- fuzz ---------------------------------------------------------------- */

static uint64_t rnd(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

typedef struct fuzz_stats {
    int runs, parsed, rejected, bad_rc, bad_tree, bad_err;
} fuzz_stats;

static void fuzz_one(const char *text, fuzz_stats *st)
{
    lsx_query *q = NULL;
    int rc = lsx_query_parse(&q, text);
    size_t len = strlen(text);
    st->runs++;
    if (rc == LSX_OK) {
        st->parsed++;
        char *d = lsx_query_describe(q);
        const lsx_qnode *r = lsx_query_root(q);
        if (!r || !d || d[0] != '(' || validate(r, len, 0) || *lsx_query_errmsg(q)) {
            if (st->bad_tree++ < 5)
                printf("# bad tree for [%s]: %s\n", text, d ? d : "(null)");
        }
        free(d);
    } else if (rc == LSX_EQUERY) {
        st->rejected++;
        if (!q || lsx_query_root(q) || !strstr(lsx_query_errmsg(q), " at offset ") ||
            lsx_query_error_offset(q) > len) {
            if (st->bad_err++ < 5)
                printf("# bad error for [%s]: %s\n", text, q ? lsx_query_errmsg(q) : "(null)");
        }
    } else if (st->bad_rc++ < 5) {
        printf("# rc %d for [%s]\n", rc, text);
    }
    lsx_query_free(q);
}

static void test_fuzz(void)
{
    static const char *const bits[] = {
        "a", "b", "Việt", " ", " ", "  ", "AND", "OR", "NOT", "NEAR", "NEAR/3", "NEAR/0", "(", ")",
        "\"", "+", "-", "title:", "lang:", "vi", "date:", "2022", "-02", "-29", "..", ":", "person:",
        "entity:", "foo:", "\xff", "\t", "10:30", "http://", "org:\"x y\"", "place:", "\\"
    };
    const size_t nbits = sizeof bits / sizeof bits[0];
    static const char *const seeds[] = {
        "a b AND c", "+a -b \"c d\" NEAR e", "title:(a OR b) NOT lang:vi",
        "date:2022-02-16..2022-03 person:\"Vũ Hồ\"", "((x NEAR/5 y) AND -z) OR NOT w"
    };
    fuzz_stats st = {0, 0, 0, 0, 0, 0};
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    char buf[256];

    for (int i = 0; i < 3000; i++) {           /* random bytes */
        size_t n = rnd(&seed) % 48;
        for (size_t k = 0; k < n; k++)
            buf[k] = (char)(1 + rnd(&seed) % 255);
        buf[n] = '\0';
        fuzz_one(buf, &st);
    }
    for (int i = 0; i < 3000; i++) {           /* token soup */
        size_t n = 0, parts = rnd(&seed) % 14;
        buf[0] = '\0';
        for (size_t k = 0; k < parts; k++) {
            const char *b = bits[rnd(&seed) % nbits];
            size_t bl = strlen(b);
            if (n + bl + 1 >= sizeof buf)
                break;
            memcpy(buf + n, b, bl + 1);
            n += bl;
        }
        fuzz_one(buf, &st);
    }
    for (int i = 0; i < 3000; i++) {           /* mutated valid queries */
        const char *s = seeds[rnd(&seed) % (sizeof seeds / sizeof seeds[0])];
        size_t n = strlen(s);
        memcpy(buf, s, n + 1);
        for (int m = 1 + (int)(rnd(&seed) % 3); m > 0; m--) {
            size_t at = rnd(&seed) % (n + 1);
            switch (rnd(&seed) % 3) {
            case 0: /* replace a byte */
                if (at < n)
                    buf[at] = (char)(1 + rnd(&seed) % 255);
                break;
            case 1: /* delete a byte */
                if (at < n) {
                    memmove(buf + at, buf + at + 1, n - at);
                    n--;
                }
                break;
            default: /* insert a byte */
                if (n + 2 < sizeof buf) {
                    memmove(buf + at + 1, buf + at, n - at + 1);
                    buf[at] = "()\"+-: ANDORT/.0123"[rnd(&seed) % 19];
                    n++;
                }
                break;
            }
        }
        fuzz_one(buf, &st);
    }
    is_int(st.runs, 9000, "fuzz: 9000 inputs parsed");
    printf("# fuzz: %d parsed, %d rejected\n", st.parsed, st.rejected);
    ok(st.parsed > 1000 && st.rejected > 1000, "fuzz: both outcomes exercised");
    is_int(st.bad_rc, 0, "fuzz: every call returns LSX_OK or LSX_EQUERY");
    is_int(st.bad_tree, 0, "fuzz: every tree is well formed, offsets inside the query");
    is_int(st.bad_err, 0, "fuzz: every error has a message and an offset inside the query");
}

/* "w0 w1 ... w(n-1)" with `sep` between the words (malloc'd). */
static char *numbered_words(size_t n, const char *prefix, const char *sep)
{
    size_t cap = n * (strlen(prefix) + strlen(sep) + 12) + 8, len = 0;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    s[0] = '\0';
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(s + len, cap - len, "%s%s%zu", i ? sep : "", prefix, i);
    return s;
}

/* Issue 11: queries have a length cap and a word cap (repeats count once). */
static void test_caps(void)
{
    lsx_query *q = NULL;
    char *text = malloc(LSX_QUERY_MAX_BYTES + 2);
    if (!text) {
        ok(0, "caps: out of memory");
        return;
    }
    /* "a a a ... a" of exactly the cap, then one byte more */
    for (size_t i = 0; i < LSX_QUERY_MAX_BYTES; i++)
        text[i] = i % 2 ? ' ' : 'a';
    text[LSX_QUERY_MAX_BYTES] = '\0';
    is_int(lsx_query_parse(&q, text), LSX_OK, "a query of %d bytes parses", LSX_QUERY_MAX_BYTES);
    lsx_query_free(q);
    text[LSX_QUERY_MAX_BYTES] = 'a';
    text[LSX_QUERY_MAX_BYTES + 1] = '\0';
    is_int(lsx_query_parse(&q, text), LSX_EQUERY, "one byte more is refused");
    is_str(lsx_query_errmsg(q), "query too long: more than 65536 bytes (the limit is 65536) at offset 65536",
           "... saying so");
    is_int(lsx_query_error_offset(q), LSX_QUERY_MAX_BYTES, "... at the cap's offset");
    ok(lsx_query_root(q) == NULL, "... with no tree");
    lsx_query_free(q);
    is_int(lsx_query_parse_words(&q, text), LSX_EQUERY, "parse_words has the same length cap");
    lsx_query_free(q);
    free(text);

    char *words = numbered_words(LSX_QUERY_MAX_TERMS, "w", " ");
    is_int(lsx_query_parse(&q, words), LSX_OK, "%d distinct words parse", LSX_QUERY_MAX_TERMS);
    lsx_query_free(q);
    free(words);
    words = numbered_words(LSX_QUERY_MAX_TERMS + 1, "w", " ");
    is_int(lsx_query_parse(&q, words), LSX_EQUERY, "one distinct word more is refused");
    is_str(lsx_query_errmsg(q), "too many words: more than 1024 (repeated words count once, each word "
                                "of a phrase or NEAR counts) at offset 0", "... saying so");
    lsx_query_free(q);
    is_int(lsx_query_parse_words(&q, words), LSX_EQUERY, "parse_words has the same word cap");
    lsx_query_free(q);
    free(words);

    /* repeats count once: 5,000 words, two distinct */
    char *rep = malloc(5000 * 4 + 1);
    size_t n = 0;
    for (int i = 0; rep && i < 5000; i++) {
        memcpy(rep + n, i % 2 ? "xy " : "zw ", 3);
        n += 3;
    }
    if (rep)
        rep[n] = '\0';
    is_int(rep ? lsx_query_parse(&q, rep) : -1, LSX_OK, "5,000 repeats of two words parse");
    lsx_query_free(q);
    free(rep);

    /* a word in a phrase counts each time; in title: it is another word */
    words = numbered_words(LSX_QUERY_MAX_TERMS / 2 + 1, "p", " ");
    char *two = malloc(strlen(words) * 2 + 8);
    snprintf(two, strlen(words) * 2 + 8, "\"%s\" \"%s\"", words, words);
    is_int(lsx_query_parse(&q, two), LSX_EQUERY, "phrase words count each time");
    lsx_query_free(q);
    free(two);
    free(words);
    words = numbered_words(LSX_QUERY_MAX_TERMS / 2 + 1, "t", " ");
    two = malloc(strlen(words) * 2 + 16);
    snprintf(two, strlen(words) * 2 + 16, "%s title:(%s)", words, words);
    is_int(lsx_query_parse(&q, two), LSX_EQUERY, "a word and the same word in title: are two words");
    lsx_query_free(q);
    free(two);
    free(words);

    /* add_filter keeps to the cap */
    lsx_query *f = NULL;
    words = numbered_words(LSX_QUERY_MAX_TERMS / 2 + 1, "a", " ");
    is_int(lsx_query_parse(&q, words), LSX_OK, "half the cap parses");
    free(words);
    words = numbered_words(LSX_QUERY_MAX_TERMS / 2 + 1, "b", " ");
    is_int(lsx_query_parse(&f, words), LSX_OK, "another half parses");
    free(words);
    is_int(lsx_query_add_filter(q, f), LSX_EQUERY, "add_filter refuses to go past the word cap");
    lsx_query_free(q);
    lsx_query_free(f);
}

int main(void)
{
    test_caps();
    test_operators();
    test_groups();
    test_love_hate();
    test_phrases();
    test_near();
    test_fields();
    test_dates();
    test_unicode();
    test_errors();
    test_offsets();
    test_add_filter();
    test_api_edges();
    test_words();
    test_fuzz();
    return done_testing();
}

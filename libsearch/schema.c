/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * schema.c - the index schema's tables (schema.h) and the text every index
 * stores of them.
 */
#include "private.h"

#include <stdio.h>
#include <stdlib.h>

#define TERM_ROW(N, q, p, k, d) [LSX_T_##N] = {q, p, sizeof p - 1, k, d},
const lsx_schema_term lsx__schema_terms[LSX_T_COUNT] = {LSX_SCHEMA_TERMS(TERM_ROW)};

#define FACET_ROW(N, r, s, t, k) [LSX_FC_##N] = {r, s, t, k},
const lsx_schema_facet lsx__schema_facets[LSX_FC_COUNT] = {LSX_SCHEMA_FACETS(FACET_ROW)};

static bool same_ascii_ci(const char *name, const char *s, size_t len)
{
    if (strlen(name) != len)
        return false;
    for (size_t i = 0; i < len; i++)
        if ((s[i] | 0x20) != name[i])
            return false;
    return true;
}

lsx_term_field lsx__schema_field(const char *name, size_t len)
{
    for (int f = 0; f < LSX_T_COUNT; f++)
        if (lsx__schema_terms[f].name && same_ascii_ci(lsx__schema_terms[f].name, name, len))
            return (lsx_term_field)f;
    return LSX_T_COUNT;
}

const lsx_schema_facet *lsx__schema_facet(const char *name, size_t len)
{
    for (int f = 0; f < LSX_FC_COUNT; f++)
        if (strlen(lsx__schema_facets[f].name) == len && memcmp(lsx__schema_facets[f].name, name, len) == 0)
            return &lsx__schema_facets[f];
    return NULL;
}

const char *lsx__schema_entity_prefix(int type)
{
    /* The facet table pairs each entity type with its request name, which
     * is also the name of its filter field. */
    for (int f = 0; f < LSX_FC_COUNT; f++) {
        const lsx_schema_facet *fc = &lsx__schema_facets[f];
        if (fc->kind == LSX_FACET_ENTITY && fc->tag && fc->tag == type) {
            lsx_term_field t = lsx__schema_field(fc->name, strlen(fc->name));
            return t == LSX_T_COUNT ? NULL : lsx__schema_terms[t].prefix;
        }
    }
    return NULL;
}

char *lsx__schema_text(unsigned title_wdf)
{
    static const char *const kinds[] = {"boolean", "weighted", "positional"};
    lsx_buf b = {0};
    lsx_buf_printf(&b, "schema %s\n", LSX_SCHEMA_VERSION);
    lsx_buf_printf(&b, "text unprefixed positional weight 1\n");
    lsx_buf_printf(&b, "title-weight %u\n", title_wdf);
    lsx_buf_printf(&b, "position-gap %d\n", LSX_POS_GAP);
#define TERM_LINE(N, q, p, k, d) lsx_buf_printf(&b, "term %s %s %s\n", #N, p, kinds[k]);
    LSX_SCHEMA_TERMS(TERM_LINE)
#define SLOT_LINE(N, s, e) lsx_buf_printf(&b, "slot %d %s\n", s, #N);
    LSX_SCHEMA_SLOTS(SLOT_LINE)
#define FACET_LINE(N, r, s, t, k) \
    lsx_buf_printf(&b, "facet %s slot %d tag %c\n", r, (int)(s), (t) ? (char)(t) : '-');
    LSX_SCHEMA_FACETS(FACET_LINE)
    return lsx_buf_detach(&b);
}

bool lsx__schema_text_has_slot(const char *text, size_t len, unsigned slot)
{
    char want[32];
    int n = snprintf(want, sizeof want, "slot %u ", slot);
    for (size_t i = 0; i + (size_t)n <= len;) {
        if (memcmp(text + i, want, (size_t)n) == 0)
            return true;
        const char *nl = memchr(text + i, '\n', len - i);
        if (!nl)
            break;
        i = (size_t)(nl - text) + 1;
    }
    return false;
}

bool lsx__schema_diff(const char *a, size_t alen, const char *b, size_t blen, char *out, size_t cap)
{
    size_t i = 0, j = 0;
    while (i < alen || j < blen) {
        const char *ae = memchr(a + i, '\n', alen - i), *be = memchr(b + j, '\n', blen - j);
        size_t al = ae ? (size_t)(ae - a) - i : alen - i, bl = be ? (size_t)(be - b) - j : blen - j;
        if (al != bl || memcmp(a + i, b + j, al) != 0) {
            snprintf(out, cap, "'%.*s' here, '%.*s' there", (int)(al > 60 ? 60 : al), a + i,
                     (int)(bl > 60 ? 60 : bl), b + j);
            return true;
        }
        i += al + (i + al < alen);
        j += bl + (j + bl < blen);
    }
    return false;
}

size_t lsx__date_desc(const char *datetime, size_t n, char out[16])
{
    if (n > 14)
        n = 14;
    for (size_t i = 0; i < n; i++)
        out[i] = (char)(0xff - (unsigned char)datetime[i]);
    out[n] = (char)0xff;
    return n + 1;
}

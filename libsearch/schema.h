/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * schema.h - the index schema: every term prefix, value slot and facet
 * libsearch writes or reads, declared once (not installed).
 *
 * The three tables below are the only place a prefix letter or a slot
 * number is written down.  Indexing (db.c build_doc), the query compiler
 * (search.c), the query parser's field names (query.c), facets, stats and
 * the shim read them through the names they generate:
 *
 *   LSX_PFX(TITLE)        the prefix string of a term field ("S")
 *   LSX_SLOT_DATE, ...    value slot numbers (an enum)
 *   lsx__schema_field()   a field by its query name ("title", "person", ...)
 *   lsx__schema_facet()   a facet by its request name ("entity", "date", ...)
 *
 * Every index stores the text lsx__schema_text() makes of these tables
 * (Xapian user metadata LSX_SCHEMA_TABLE_KEY), with the title weight it
 * was written with; opening several shards compares the texts, so shards
 * written with different prefixes, slots or weights are refused by name
 * rather than merged into wrong scores.  Languages: the schema declares
 * only the field (prefix L, the code after it); which languages exist is
 * the language registry's business (langs.c).
 */
#ifndef LSX_SCHEMA_H
#define LSX_SCHEMA_H

#include "libsearch.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- term fields ----------------------------------------------------------
 * X(NAME, query name or NULL, prefix, kind, what the term holds)
 * Free-text terms are unprefixed (folded, stemmed); every prefix starts with
 * a capital letter, which no folded word does. */
#define LSX_SCHEMA_TERMS(X)                                                                     \
    X(ID,     NULL,     "Q",  LSX_TERM_BOOLEAN,  "Q<id>: the unique id term")                  \
    X(TITLE,  "title",  "S",  LSX_TERM_POSITIONAL, "S<word>: title word, positional, weight 1") \
    X(EXACT,  NULL,     "E",  LSX_TERM_WEIGHTED, "E<spelling>: a word with the diacritics folding removed") \
    X(LANG,   "lang",   "L",  LSX_TERM_BOOLEAN,  "L<code>: language (codes: the language registry)") \
    X(YEAR,   NULL,     "Y",  LSX_TERM_BOOLEAN,  "Y<yyyy>")                                      \
    X(MONTH,  NULL,     "M",  LSX_TERM_BOOLEAN,  "M<yyyymm>")                                    \
    X(DAY,    NULL,     "D",  LSX_TERM_BOOLEAN,  "D<yyyymmdd>")                                  \
    X(ENTITY, "entity", "XE", LSX_TERM_WEIGHTED, "XE<entity id>: any entity, wdf = mentions")    \
    X(PERSON, "person", "XP", LSX_TERM_BOOLEAN,  "XP<entity id>")                                \
    X(ORG,    "org",    "XO", LSX_TERM_BOOLEAN,  "XO<entity id>")                                \
    X(PLACE,  "place",  "XL", LSX_TERM_BOOLEAN,  "XL<entity id>")

/* ---- value slots ----------------------------------------------------------
 * X(NAME, slot, encoding) */
#define LSX_SCHEMA_SLOTS(X)                                                                     \
    X(DATE,         0, "YYYYMMDD")                                                              \
    X(ENTITIES,     1, "<type char><entity id>\\n... (multi-valued facet)")                     \
    X(BODY,         2, "varint length + zlib body (store.c)")                                   \
    X(ID,           3, "the article id")                                                        \
    X(ENTITY_NAMES, 4, "<type><id>\\t<name>\\t<count>\\n... (get, facet labels)")                \
    X(WORDS,        5, "words in title and body, decimal (stats)")                              \
    X(DATETIME,     6, "YYYYMMDD[hhmmss] (sort newest first)")                                  \
    X(DATE_DESC,    7, "DATETIME with every byte inverted, then 0xff (sort oldest first)")

/* ---- facets ---------------------------------------------------------------
 * X(NAME, request name, slot, entity type tag or 0, kind) */
#define LSX_SCHEMA_FACETS(X)                                                                    \
    X(ENTITY, "entity", LSX_SLOT_ENTITIES, 0,   LSX_FACET_ENTITY)                                \
    X(PERSON, "person", LSX_SLOT_ENTITIES, LSX_ENTITY_PERSON, LSX_FACET_ENTITY)                  \
    X(PLACE,  "place",  LSX_SLOT_ENTITIES, LSX_ENTITY_PLACE,  LSX_FACET_ENTITY)                  \
    X(ORG,    "org",    LSX_SLOT_ENTITIES, LSX_ENTITY_ORG,    LSX_FACET_ENTITY)                  \
    X(DATE,   "date",   LSX_SLOT_DATE,     0,   LSX_FACET_DATE)

typedef enum lsx_term_kind {
    LSX_TERM_BOOLEAN,     /* wdf 0: filters */
    LSX_TERM_WEIGHTED,    /* wdf counts, no positions */
    LSX_TERM_POSITIONAL   /* wdf and positions (phrases) */
} lsx_term_kind;

typedef enum lsx_facet_kind { LSX_FACET_ENTITY, LSX_FACET_DATE } lsx_facet_kind;

#define LSX__TERM_ENUM(N, q, p, k, d) LSX_T_##N,
typedef enum lsx_term_field { LSX_SCHEMA_TERMS(LSX__TERM_ENUM) LSX_T_COUNT } lsx_term_field;
#define LSX__SLOT_ENUM(N, s, e) LSX_SLOT_##N = s,
enum { LSX_SCHEMA_SLOTS(LSX__SLOT_ENUM) };
#define LSX__FACET_ENUM(N, r, s, t, k) LSX_FC_##N,
typedef enum lsx_facet_id { LSX_SCHEMA_FACETS(LSX__FACET_ENUM) LSX_FC_COUNT } lsx_facet_id;

typedef struct lsx_schema_term {
    const char *name;     /* query field name, NULL for fields not typed in queries */
    const char *prefix;
    size_t prefix_len;
    lsx_term_kind kind;
    const char *doc;
} lsx_schema_term;

typedef struct lsx_schema_facet {
    const char *name;
    unsigned slot;
    char tag;             /* entity type tag, 0 for all */
    lsx_facet_kind kind;
} lsx_schema_facet;

extern const lsx_schema_term lsx__schema_terms[LSX_T_COUNT];
extern const lsx_schema_facet lsx__schema_facets[LSX_FC_COUNT];

#define LSX_PFX(N) (lsx__schema_terms[LSX_T_##N].prefix)
#define LSX_PFX_LEN(N) (lsx__schema_terms[LSX_T_##N].prefix_len)

/* The date sort keys: newest first reads LSX_SLOT_DATETIME descending;
 * oldest first LSX_SLOT_DATE_DESC descending (so that undated documents,
 * which have neither, come last both ways with Xapian's plain value sort,
 * which remote shards support).  Indexes written before DATE_DESC existed
 * sort oldest first locally by DATE then DATETIME ascending. */
#define LSX_SORT_DATE_SLOTS { LSX_SLOT_DATE, LSX_SLOT_DATETIME }

#define LSX_POS_GAP     100    /* position gap between title and body */
#define LSX_SCHEMA_KEY  "libsearch.schema"          /* the schema version */
#define LSX_SCHEMA_VERSION "2"
#define LSX_SCHEMA_TABLE_KEY "libsearch.schema.table" /* lsx__schema_text() */
#define LSX_SHARD_KEY "libsearch.shard"             /* "<i>/<n>": written by --shards */

/* The term field a query field name names (ASCII case-insensitive, len
 * bytes), or LSX_T_COUNT. */
lsx_term_field lsx__schema_field(const char *name, size_t len);
/* The facet of a request name ("entity", "date"...), or NULL. */
const lsx_schema_facet *lsx__schema_facet(const char *name, size_t len);
/* The prefix of the filter field for entity type tag `type` (LSX_ENTITY_*),
 * or NULL for a type without one. */
const char *lsx__schema_entity_prefix(int type);
/* The schema as text, one declaration a line, with the title wdf the index
 * is written with (malloc'd; NULL when out of memory).  Stored in every
 * index; the texts of two indexes are equal iff they agree. */
char *lsx__schema_text(unsigned title_wdf);
/* Whether a stored schema text declares slot `slot` (an index written
 * before the slot existed does not). */
bool lsx__schema_text_has_slot(const char *text, size_t len, unsigned slot);
/* The first line where two schema texts differ, copied into out (cap
 * bytes) as "'A' here, 'B' there"; false if they agree. */
bool lsx__schema_diff(const char *a, size_t alen, const char *b, size_t blen, char *out, size_t cap);
/* The DATE_DESC value of a DATETIME value (n bytes, n <= 14): out holds
 * n + 1 bytes. */
size_t lsx__date_desc(const char *datetime, size_t n, char out[16]);

#endif /* LSX_SCHEMA_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-store.c - the stored record and body: round trips and corrupt input. */
#include "private.h"
#include "tap.h"

#include <zlib.h>

static char *encode(size_t *blen)
{
    lsx_record rec = {.id = "doc-1", .title = "Tiêu đề", .date = "2022-02-16", .lang = "vi",
                      .source = "x.txt:3", .date_source = LSX_DATE_INFERRED,
                      .entities = "pvu-ho\tVũ Hồ\t2\n"};   /* not stored in the record (version 3) */
    char err[LSX_ERRLEN], *blob = NULL;
    return lsx_record_encode(&rec, &blob, blen, err) == LSX_OK ? blob : NULL;
}

int main(void)
{
    char err[LSX_ERRLEN];
    size_t blen;
    char *blob = encode(&blen);
    ok(blob != NULL, "encode a record");

    lsx_record r;
    is_int(lsx_record_decode(blob, blen, &r, err), LSX_OK, "decode");
    is_str(r.id, "doc-1", "id");
    is_str(r.title, "Tiêu đề", "title keeps UTF-8");
    is_str(r.date, "2022-02-16", "date");
    is_str(r.lang, "vi", "lang");
    is_str(r.source, "x.txt:3", "source");
    is_int(r.date_source, LSX_DATE_INFERRED, "date source");
    ok(r.entities == NULL, "a version 3 record holds no entity list");
    const char *list = "pvu-ho\tVũ Hồ\t2\n";
    is_int(lsx_record_set_entities(&r, list, strlen(list), err), LSX_OK, "set the list read from its slot");
    is_str(r.entities, list, "entities");
    is_int(lsx_record_set_entities(&r, NULL, 0, err), LSX_OK, "no list (no slot value)");
    is_str(r.entities, "", "... gives an empty list");
    ok(r.body == NULL, "the record holds no body");

    const char *body = "Ngày 16/2, Hội nghị Quan chức cao cấp ASEAN đã diễn ra.";
    char *z = NULL;
    size_t zlen = 0;
    is_int(lsx_body_encode(body, strlen(body), &z, &zlen, err), LSX_OK, "compress a body");
    is_int(lsx_record_set_body(&r, z, zlen, err), LSX_OK, "decompress it");
    is_str(r.body, body, "body round trip");
    is_int(r.body_len, strlen(body), "body length");
    lsx_record_clear(&r);

    /* Every truncation of a valid record or body is refused cleanly. */
    int bad = 0;
    for (size_t n = 0; n < blen; n++) {
        if (lsx_record_decode(blob, n, &r, err) == LSX_ECORRUPT)
            bad++;
        lsx_record_clear(&r);
    }
    is_int(bad, blen, "all %zu truncations of the record are reported as corrupt", blen);
    bad = 0;
    for (size_t n = 0; n < zlen; n++) {
        lsx_record e = {0};
        if (lsx_record_set_body(&e, z, n, err) == LSX_ECORRUPT)
            bad++;
        lsx_record_clear(&e);
    }
    is_int(bad, zlen, "all %zu truncations of the body are reported as corrupt", zlen);
    free(z);

    {
        /* Version 2: the entity list was a sixth field of the record. */
        static const char v2[] = "L\002\001" "\005doc-2" "\001T" "\0122023-01-02" "\002en" "\000"
                                 "\017ohanoi\tHanoi\t1\n";
        lsx_record o;
        is_int(lsx_record_decode(v2, sizeof v2 - 1, &o, err), LSX_OK, "a version 2 record decodes");
        is_str(o.id, "doc-2", "version 2: id");
        is_str(o.date, "2023-01-02", "version 2: date");
        is_str(o.source, "", "version 2: empty source");
        is_str(o.entities, "ohanoi\tHanoi\t1\n", "version 2: the entity list from the record");
        lsx_record_clear(&o);
        is_int(lsx_record_decode(v2, sizeof v2 - 2, &o, err), LSX_ECORRUPT, "version 2 truncated");
        lsx_record_clear(&o);
    }

    {
        /* Whitened: even a repetitive record does not shrink under raw
         * deflate, as Xapian would try it (so it stores it as it is). */
        lsx_record rep = {.id = "12345", .title = "COCOA COCOA COCOA COCOA COCOA COCOA COCOA COCOA",
                          .date = "1987-04-07", .lang = "en", .source = "docs.trec:1987"};
        char *rb = NULL;
        size_t rl = 0;
        unsigned char out[1024];
        z_stream z;
        memset(&z, 0, sizeof z);
        int done = lsx_record_encode(&rep, &rb, &rl, err) == LSX_OK &&
                   deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) == Z_OK;
        if (done) {
            z.next_in = (Bytef *)rb;
            z.avail_in = (uInt)rl;
            z.next_out = out;
            z.avail_out = sizeof out;
            done = deflate(&z, Z_FINISH) == Z_STREAM_END;
            deflateEnd(&z);
        }
        ok(done && z.total_out >= rl, "a whitened record does not shrink under deflate (%zu -> %lu bytes)", rl,
           (unsigned long)z.total_out);
        lsx_record back;
        ok(done && lsx_record_decode(rb, rl, &back, err) == LSX_OK && strcmp(back.title, rep.title) == 0 &&
               strcmp(back.source, "docs.trec:1987") == 0,
           "... and decodes back");
        lsx_record_clear(&back);
        free(rb);
    }

    {
        /* The stored bytes are pinned: the keystream is part of the format
         * (worked out apart from the code, byte by byte). */
        lsx_record pin = {.id = "a", .title = "Tiêu", .date = "", .lang = "vi", .source = "",
                          .date_source = LSX_DATE_HEADER};
        static const unsigned char want[] = "L\003\001"
                                            "\xac\x2c\xf6\x5f\xc7\xb4\xb1\xa9\x76\x62\x18\x6b\xb9";
        char *pb = NULL;
        size_t pl = 0;
        ok(lsx_record_encode(&pin, &pb, &pl, err) == LSX_OK && pl == sizeof want - 1 &&
               memcmp(pb, want, pl) == 0,
           "record version 3 bytes are those of the format (header, then whitened fields)");
        free(pb);
    }

    blob[0] = 'X';
    is_int(lsx_record_decode(blob, blen, &r, err), LSX_ECORRUPT, "bad magic");
    ok(strstr(err, "not a libsearch record") != NULL, "bad magic message: %s", err);
    blob[0] = 'L';
    blob[1] = 9;
    is_int(lsx_record_decode(blob, blen, &r, err), LSX_EVERSION, "unknown record version");
    free(blob);

    /* Empty and large bodies. */
    lsx_record e = {0};
    is_int(lsx_body_encode("", 0, &z, &zlen, err), LSX_OK, "empty body compresses");
    is_int(lsx_record_set_body(&e, z, zlen, err), LSX_OK, "empty body decompresses");
    is_int(e.body_len, 0, "empty body length");
    lsx_record_clear(&e);
    free(z);

    size_t big = 3u << 20;
    char *text = malloc(big);
    for (size_t i = 0; i < big; i++)
        text[i] = (char)('a' + (i * 7919u) % 26);
    is_int(lsx_body_encode(text, big, &z, &zlen, err), LSX_OK, "3 MiB body compresses");
    ok(zlen < big, "to %zu bytes", zlen);
    is_int(lsx_record_set_body(&e, z, zlen, err), LSX_OK, "large body decompresses");
    ok(e.body_len == big && memcmp(e.body, text, big) == 0, "large body round trip");
    lsx_record_clear(&e);
    /* A flipped byte inside the compressed body is caught by zlib's checksum. */
    z[zlen - 10] ^= 0x55;
    is_int(lsx_record_set_body(&e, z, zlen, err), LSX_ECORRUPT, "corrupted body is reported");
    lsx_record_clear(&e);
    free(z);
    free(text);
    return done_testing();
}

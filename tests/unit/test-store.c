/* test-store.c - the stored record and body: round trips and corrupt input. */
#include "private.h"
#include "tap.h"

static char *encode(size_t *blen)
{
    lsx_record rec = {.id = "doc-1", .title = "Tiêu đề", .date = "2022-02-16", .lang = "vi",
                      .source = "x.txt:3", .date_source = LSX_DATE_INFERRED,
                      .entities = "pvu-ho\tVũ Hồ\t2\n"};
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
    is_str(r.entities, "pvu-ho\tVũ Hồ\t2\n", "entities");
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

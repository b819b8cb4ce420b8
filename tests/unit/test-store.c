/* test-store.c - the stored document record: round trips and corrupt input. */
#include "private.h"
#include "tap.h"

static char *encode(const char *body, size_t len, size_t *blen)
{
    lsx_record rec = {.id = "doc-1", .title = "Tiêu đề", .date = "2022-02-16", .lang = "vi",
                      .source = "x.txt:3", .date_source = LSX_DATE_INFERRED,
                      .entities = "pvu-ho\tVũ Hồ\t2\n"};
    char err[LSX_ERRLEN], *blob = NULL;
    int rc = lsx_record_encode(&rec, body, len, &blob, blen, err);
    return rc == LSX_OK ? blob : NULL;
}

int main(void)
{
    char err[LSX_ERRLEN];
    const char *body = "Ngày 16/2, Hội nghị Quan chức cao cấp ASEAN đã diễn ra.";
    size_t blen;
    char *blob = encode(body, strlen(body), &blen);
    ok(blob != NULL, "encode");

    lsx_record r;
    is_int(lsx_record_decode(blob, blen, &r, err), LSX_OK, "decode");
    is_str(r.id, "doc-1", "id");
    is_str(r.title, "Tiêu đề", "title keeps UTF-8");
    is_str(r.date, "2022-02-16", "date");
    is_str(r.lang, "vi", "lang");
    is_str(r.source, "x.txt:3", "source");
    is_int(r.date_source, LSX_DATE_INFERRED, "date source");
    is_str(r.entities, "pvu-ho\tVũ Hồ\t2\n", "entities");
    ok(r.body == NULL, "body stays compressed until asked for");
    is_int(lsx_record_body(&r, err), LSX_OK, "decompress body");
    is_str(r.body, body, "body round trip");
    is_int(r.body_len, strlen(body), "body length");
    lsx_record_clear(&r);

    /* Every truncation of a valid record is refused cleanly. */
    int truncated_ok = 0;
    for (size_t n = 0; n < blen; n++) {
        int rc = lsx_record_decode(blob, n, &r, err);
        if (rc == LSX_OK)
            rc = lsx_record_body(&r, err);
        if (rc == LSX_ECORRUPT)
            truncated_ok++;
        lsx_record_clear(&r);
    }
    is_int(truncated_ok, blen, "all %zu truncations are reported as corrupt", blen);

    blob[0] = 'X';
    is_int(lsx_record_decode(blob, blen, &r, err), LSX_ECORRUPT, "bad magic");
    ok(strstr(err, "not a libsearch record") != NULL, "bad magic message: %s", err);
    blob[0] = 'L';
    blob[1] = 9;
    is_int(lsx_record_decode(blob, blen, &r, err), LSX_EVERSION, "unknown record version");
    free(blob);

    /* Empty and large bodies. */
    blob = encode("", 0, &blen);
    is_int(lsx_record_decode(blob, blen, &r, err), LSX_OK, "empty body decodes");
    is_int(lsx_record_body(&r, err), LSX_OK, "empty body decompresses");
    is_int(r.body_len, 0, "empty body length");
    lsx_record_clear(&r);
    free(blob);

    size_t big = 3u << 20;
    char *text = malloc(big);
    for (size_t i = 0; i < big; i++)
        text[i] = (char)('a' + (i * 7919u) % 26);
    blob = encode(text, big, &blen);
    ok(blob && blen < big, "3 MiB body compresses (%zu bytes)", blen);
    is_int(lsx_record_decode(blob, blen, &r, err), LSX_OK, "large record decodes");
    is_int(lsx_record_body(&r, err), LSX_OK, "large body decompresses");
    ok(r.body_len == big && memcmp(r.body, text, big) == 0, "large body round trip");
    lsx_record_clear(&r);
    /* A flipped byte inside the compressed body is caught by zlib's checksum. */
    blob[blen - 10] ^= 0x55;
    int rc = lsx_record_decode(blob, blen, &r, err);
    if (rc == LSX_OK)
        rc = lsx_record_body(&r, err);
    is_int(rc, LSX_ECORRUPT, "corrupted body is reported");
    lsx_record_clear(&r);
    free(blob);
    free(text);
    return done_testing();
}

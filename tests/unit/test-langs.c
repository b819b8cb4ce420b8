/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-langs.c - the language registry (langs.c), word breaks of unspaced
 * scripts and the folding policy (analyzer.c), language identification
 * (langid.c over the CLD2 binding) and the stopword lists (stopwords.c).
 */
#include "private.h"
#include "cld2/cld2.h"
#include "tap.h"

#include <libstemmer.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct words {
    char buf[4096];
    size_t len;
    unsigned last_pos;
    bool positions_ok;      /* each word one position after the last */
    bool offsets_ok;        /* start/end point at the word's own bytes */
    const char *text;
} words;

static int collect(void *payload, const lsx_token *t)
{
    words *w = payload;
    if (t->pos != w->last_pos + 1)
        w->positions_ok = false;
    w->last_pos = t->pos;
    if (t->end <= t->start || t->end - t->start != t->exact_len ||
        memcmp(w->text + t->start, t->exact, t->exact_len) != 0)
        w->offsets_ok = false;    /* holds for scripts without case or marks to fold */
    w->len += (size_t)snprintf(w->buf + w->len, sizeof w->buf - w->len, "%s%.*s", w->len ? " " : "",
                               (int)t->term_len, t->term);
    return 0;
}

static words *split(lsx_analyzer *a, const char *lang, const char *text)
{
    static words w;
    memset(&w, 0, sizeof w);
    w.positions_ok = w.offsets_ok = true;
    w.text = text;
    lsx_analyze(a, lang, text, strlen(text), collect, &w);
    return &w;
}

static void test_registry(void)
{
    size_t n = lsx__lang_count();
    ok(n >= 30, "the registry has %zu languages", n);
    bool sorted = true;
    for (size_t i = 1; i < n; i++)
        sorted &= strcmp(lsx__lang_get(i - 1)->code, lsx__lang_get(i)->code) < 0;
    ok(sorted, "registry codes are sorted (binary search)");
    /* every stemmer Debian's libstemmer ships serves a language, and the
     * registry names no stemmer libstemmer lacks */
    bool all = true;
    for (const char **s = sb_stemmer_list(); *s; s++) {
        if (strcmp(*s, "porter") == 0)
            continue;           /* an older English stemmer, not a language */
        bool found = false;
        for (size_t i = 0; i < n && !found; i++)
            found = lsx__lang_get(i)->stemmer && strcmp(lsx__lang_get(i)->stemmer, *s) == 0;
        if (!found)
            printf("# libstemmer's %s serves no registry language\n", *s);
        all &= found;
    }
    ok(all, "every libstemmer algorithm (but porter) serves a registry language");
    bool made = true;
    for (size_t i = 0; i < n; i++) {
        const lsx__lang *l = lsx__lang_get(i);
        struct sb_stemmer *st = l->stemmer ? sb_stemmer_new(l->stemmer, NULL) : NULL;
        if (l->stemmer && !st) {
            printf("# %s: stemmer %s cannot be made\n", l->code, l->stemmer);
            made = false;
        }
        sb_stemmer_delete(st);
    }
    ok(made, "every registry stemmer can be made");
    const char *name = NULL;
    is_str(lsx_language_at(0, &name), "ar", "lsx_language_at(0) is the first code");
    is_str(name, "Arabic", "... with its English name");
    ok(lsx_language_at(n, NULL) == NULL, "lsx_language_at past the end: NULL");
    is_str(lsx_language_stemmer("ms"), "indonesian", "Malay is stemmed with Indonesian's stemmer");
    ok(lsx_language_stemmer("th") == NULL && lsx_language_stemmer("vi") == NULL, "th, vi: no stemmer");
    ok(lsx_language_segmented("th") && lsx_language_segmented("km") && lsx_language_segmented("lo") &&
       lsx_language_segmented("my") && lsx_language_segmented("zh") && lsx_language_segmented("ja"),
       "th km lo my zh ja are segmented");
    ok(!lsx_language_segmented("vi") && !lsx_language_segmented("id"), "vi, id are not");
    ok(lsx_language_stopwords("en") > 100 && lsx_language_stopwords("id") > 100 &&
       lsx_language_stopwords("th") > 50, "en, id, th have stopwords");
    ok(lsx_language_stopwords("km") == 0 && lsx_language_stopwords("ms") == 0 &&
       lsx_language_stopwords("xx") == 0, "km, ms (no good list), xx: none");
    struct { const char *in, *code; } finds[] = {
        {"en", "en"}, {"EN", "en"}, {"en-US", "en"}, {"zh_Hant", "zh"}, {"zh-Hans-CN", "zh"},
        {"fil", "tl"}, {"in", "id"}, {"ind", "id"}, {"nb", "no"}, {"Indonesian", "id"},
        {"english", "en"}, {"Thai", "th"},
    };
    for (size_t i = 0; i < sizeof finds / sizeof *finds; i++) {
        const lsx__lang *l = lsx__lang_find(finds[i].in, (size_t)-1);
        is_str(l ? l->code : "(none)", finds[i].code, "lsx__lang_find(%s)", finds[i].in);
    }
    ok(!lsx__lang_find("xx", 2) && !lsx__lang_find("", 0) && !lsx__lang_find(NULL, 0) &&
       !lsx__lang_find("porter", (size_t)-1) && !lsx__lang_find("averyveryverylongname", (size_t)-1),
       "unknown codes, empty, NULL, stemmer names, long junk: none");
    ok(lsx__lang_find("vi and more", 2) == lsx__lang_find("vi", (size_t)-1), "len is honoured");
}

static void test_stopword_lists(void)
{
    /* every entry of every list is found (the lists are sorted by bytes) */
    bool all = true;
    for (size_t i = 0; i < lsx__lang_count(); i++) {
        size_t n;
        const char *code = lsx__lang_get(i)->code;
        const char *const *w = lsx__stopword_list(code, &n);
        size_t found = 0;
        for (size_t j = 0; w && j < n; j++)
            found += lsx_is_stopword(code, w[j], (size_t)-1) != 0;
        if (found != n) {
            printf("# %s: %zu of %zu stopwords found\n", code, found, n);
            all = false;
        }
    }
    ok(all, "every stopword of every language is found");
    ok(lsx_is_stopword("id", "yang", 4) && lsx_is_stopword("tl", "ang", 3) &&
       lsx_is_stopword("th", "ของ", (size_t)-1) && lsx_is_stopword("zh", "的", (size_t)-1),
       "id yang, tl ang, th ของ, zh 的");
    ok(!lsx_is_stopword("id", "pemerintah", (size_t)-1), "id: pemerintah is not a stopword");
}

static void test_segmentation(lsx_analyzer *a)
{
    words *w = split(a, "th", "ประเทศไทยมีการเลือกตั้งทั่วไป");
    is_str(w->buf, "ประเทศไทย มี การ เลือก ตั้ง ทั่วไป", "Thai is split into words by ICU's dictionary");
    ok(w->positions_ok && w->offsets_ok, "... each its own position, offsets on its bytes");
    w = split(a, "en", "ASEAN ประเทศไทย 2024 talks");
    is_str(w->buf, "asean ประเทศไทย 2024 talk", "a Thai word inside English text is a word too");
    w = split(a, "zh", "中国与东盟贸易额再创新高");
    ok(w->last_pos >= 5 && w->positions_ok && w->offsets_ok, "Chinese is split (%s)", w->buf);
    w = split(a, "km", "ក្រុងសៀមរាប");
    is_str(w->buf, "ក្រុង សៀមរាប", "Khmer is split");
    w = split(a, "lo", "ທາງລົດໄຟ");
    is_str(w->buf, "ທາງ ລົດໄຟ", "Lao is split");
    w = split(a, "my", "ဘူတာရုံများ");
    is_str(w->buf, "ဘူတာရုံ များ", "Burmese is split");
    w = split(a, "ja", "東京都に住んでいます");
    ok(w->last_pos >= 3 && w->positions_ok, "Japanese is split (%s)", w->buf);
    w = split(a, "en", "Running in Hà Nội");
    is_str(w->buf, "run in ha noi", "spaced scripts are not touched by ICU");
    w = split(a, "th", "เลือกABCตั้ง");
    is_str(w->buf, "เลือก abc ตั้ง", "Latin inside a Thai run is its own word");

    lsx__segmenter sg = {0};
    const char *t = "ประเทศไทยมีการ";
    is_int((long)lsx__segmenter_first(&sg, t, strlen(t)), (long)strlen("ประเทศไทย"),
           "lsx__segmenter_first: the first Thai word");
    is_int((long)lsx__segmenter_first(&sg, "Hanoi", 5), 5, "... a Latin word stays whole");
    is_int((long)lsx__segmenter_first(&sg, "ไทย", strlen("ไทย")), (long)strlen("ไทย"), "... one word: all of it");
    lsx__segmenter_free(&sg);
    lsx__segmenter_free(&sg);
    ok(sg.brk == NULL && sg.ut == NULL, "lsx__segmenter_free twice is harmless");
}

static void test_fold(void)
{
    struct { int32_t cp; const char *want; } cases[] = {
        {'A', "a"}, {0x00C9, "e"}, {0x0110, "d"}, {0x0111, "d"}, {0x00F0, "d"}, {0x00F8, "o"},
        {0x0142, "l"}, {0x00DF, "ss"}, {0x00E6, "ae"}, {0x0153, "oe"}, {0x1EC7, "e"},
        {0x0E31, "\xe0\xb8\xb1"},            /* Thai vowel sign: kept */
        {0x17C3, "\xe1\x9f\x83"},            /* Khmer vowel sign AI: kept */
        {0x0301, ""},                         /* a lone acute: dropped */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char out[LSX_FOLD_CP_MAX + 1];
        size_t n = lsx__fold_cp(cases[i].cp, out);
        out[n] = '\0';
        is_str(out, cases[i].want, "lsx__fold_cp(U+%04X)", (unsigned)cases[i].cp);
    }
}

/* Fill stack that a following call will use with 0x01 bytes, so that what
 * it reads without writing first is a fixed wrong value, not chance. */
static __attribute__((noinline)) void dirty_stack(void)
{
    volatile unsigned char junk[16384];
    memset((void *)junk, 1, sizeof junk);
}

static void test_identify(void)
{
    /* short texts written for this test (not the sample articles) */
    struct { const char *code, *text; } texts[] = {
        {"id", "Pemerintah provinsi akan membangun jembatan baru untuk menghubungkan dua desa nelayan."},
        {"ms", "Kerajaan negeri akan membina jambatan baharu bagi memudahkan penduduk kampung ke bandar."},
        {"tl", "Nagpulong ang mga opisyal ng bayan upang pag-usapan ang kakulangan ng tubig sa mga barangay."},
        {"th", "รัฐบาลประกาศมาตรการช่วยเหลือเกษตรกรที่ได้รับผลกระทบจากภัยแล้ง"},
        {"km", "រដ្ឋាភិបាលបានប្រកាសវិធានការថ្មីដើម្បីជួយកសិករ"},
        {"lo", "ລັດຖະບານໄດ້ປະກາດມາດຕະການໃໝ່ເພື່ອຊ່ວຍເຫຼືອຊາວກະສິກອນ"},
        {"my", "အစိုးရက လယ်သမားများကို ကူညီရန် အစီအစဉ်သစ် ကြေညာခဲ့သည်"},
        {"zh", "政府宣布了帮助农民应对干旱的新措施"},
        {"vi", "Chính phủ công bố biện pháp mới hỗ trợ nông dân bị ảnh hưởng bởi hạn hán."},
        {"vi", "Chinh phu cong bo bien phap moi ho tro nong dan bi anh huong boi han han keo dai."},
        {"en", "The government announced new measures to help farmers hit by the long drought."},
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        is_str(lsx_detect_language(texts[i].text, (size_t)-1), texts[i].code, "detected %s: %.30s...",
               texts[i].code, texts[i].text);
    bool reliable = true;
    ok(lsx__identify("", 0, &reliable) == NULL && !reliable, "empty text: no language, unreliable");
    is_str(lsx_detect_language("\xff\xfe Pemerintah provinsi akan membangun jembatan baru untuk "
                               "menghubungkan dua desa nelayan \xc3", (size_t)-1), "id",
           "invalid bytes are skipped, not the end of the text");
    lsx__cld2_guess g;
    lsx__cld2_detect(NULL, 0, &g);
    is_str(g.code, "un", "the binding: NULL text is unknown");
    const char *vi = "Xin chào các bạn, hôm nay trời đẹp quá và chúng tôi đi chơi ở Hà Nội.";
    lsx__cld2_detect(vi, strlen(vi), &g);
    is_str(g.code, "vi", "the binding names the language");
    ok(g.percent > 50, "... with its share of the text (%d%%)", g.percent);
    /* CLD2 scores nothing from text that starts with a control byte (as a
     * fuzzed query did) and then leaves its result arrays unwritten: the
     * binding read them uninitialised (UBSan: not a valid CLD2::Language). */
    const char *ctl[] = { "\x1d        ", "\x01", "\x1d harbour rice export tariff" };
    for (size_t i = 0; i < sizeof ctl / sizeof *ctl; i++) {
        dirty_stack();
        lsx__cld2_detect(ctl[i], strlen(ctl[i]), &g);
        ok(strcmp(g.code, "un") == 0 || lsx__lang_find(g.code, (size_t)-1) != NULL,
           "text starting with a control byte (%zu): a known code or none (%s)", i, g.code);
        ok(g.percent >= 0 && g.percent <= 100, "... and a share within 0-100 (%d)", g.percent);
    }
    is_str(lsx_detect_language("\x0c\x1dPemerintah provinsi akan membangun \xc2\x9b jembatan baru untuk "
                               "menghubungkan \x7f dua desa nelayan.", (size_t)-1), "id",
           "control characters (C0, DEL, C1) are skipped, not the end of the text");
    is_str(lsx_detect_language("\x1d\xf4\x95\x8c\xb9\xb9\xb9\xb9\xb9", 9), "en",
           "the fuzzed query's bytes: the default language");
}

int main(void)
{
    lsx_analyzer *a = NULL;
    if (lsx_analyzer_new(&a) != LSX_OK)
        return 1;
    test_registry();
    test_stopword_lists();
    test_segmentation(a);
    test_fold();
    test_identify();
    lsx_analyzer_free(a);
    return done_testing();
}

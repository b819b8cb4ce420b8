/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * entities.c - named entities (gazetteer + name detector) and the
 * boilerplate rule.
 *
 * BOILERPLATE RULE (lsx_content_end)
 *
 *   News pages end with page furniture: lists of other headlines ("Other
 *   News", "Trending", "Tin liên quan"...), each headline often printed twice
 *   followed by a teaser, and navigation ("Liên kết hữu ích", "Phiên bản di
 *   động").  The body is cut at the first non-blank line L such that some
 *   real text comes before L and one of these holds:
 *
 *   1. L is a marker line: a heading (first letter a capital, no final
 *      '.') whose words (case and diacritics ignored) are one of the markers in `bl_markers` ("Other News", "Related",
 *      "Read more", "Trending", "Tin liên quan", "Tin khác", "Xem thêm",
 *      "Đọc thêm", "Liên kết hữu ích", "Phiên bản di động"...), and prose
 *      is at most half of the bytes of the tail that starts at L;
 *   2. L starts a repeated headline (a headline-like line - 4+ words, under
 *      200 characters, not ending in '.' - printed twice in a row), the tail
 *      holds at least two such pairs, and prose is at most a quarter of it;
 *   3. L starts a run of list lines ("- ...", "• ...", or a bare "-"), the
 *      line before L ends a sentence ('.', '!', '?', '…'), and the tail has
 *      no prose, at least five list lines, and all of them headline-like
 *      (4+ words).
 *
 *   Lines of the tail are weighed by their bytes.  A line is boilerplate if
 *   it is a marker, a list line (under 150 characters, not ending in '.',
 *   ';' or ','), a repeated headline, a teaser (the line after a repeated
 *   headline, or a line ending in "..."), or short (under 90 characters,
 *   not ending in '.'); every other line is prose.  So a marker word or a
 *   list inside an article, a table, or a caption printed twice never cut
 *   the real paragraphs around them.  Two linear passes, no allocation.
 *
 * ENTITY EXTRACTION (lsx_extract_entities)
 *
 *   The title and body[0:lsx_content_end] are NFC-normalised, split into
 *   words (each with a folded form: lowercase, no diacritics, đ -> d; and a
 *   lowercase form that keeps diacritics), and scanned in passes:
 *
 *   1. gazetteer: longest alias match at each word (hash of folded word
 *      sequences, case rules as documented in data/gazetteer.tsv), with
 *      safeguards: an alias without diacritics does not match a word with
 *      them ("Bộ" is not Bo); a place after "tiếng"/"người" is a language
 *      or a people ("tiếng Anh", "người Việt Nam"); an exact alias ("=Đức")
 *      is not a country after an honorific ("anh Đức") nor before a
 *      Vietnamese name syllable ("Anh Vũ"); a one-word place or org right
 *      after a capitalised name word is part of that name ("Thu Trang",
 *      "Real Madrid", "Harrison Ford"), and in English a one-word place
 *      before one is too ("Chicago Cubs"), unless it is a title, an event
 *      or a possessive ("Hanoi Declaration", "Japan's Sayaka Hirose");
 *   2. the dateline (capitals opening the body before a comma, dash or
 *      date: "MADRID 1996-08-22") is a place; a byline (a short last line
 *      of names: "Hoàng Minh Tuấn - Lê Thu Hà") names people;
 *   3. keywords: titles and honorifics ("Ambassador", "Deputy Minister",
 *      "Đại sứ", "Bộ trưởng", "ông", "bà") are marked; they are never part
 *      of a name but make the next name a person;
 *   4. names not in the gazetteer: runs of capitalised words (English: with
 *      "of", "for"... inside; Vietnamese: capitalised syllables, or an
 *      organisation / event head such as "Bộ", "Ủy ban", "Công ty TNHH",
 *      "UBND", "Hội nghị" followed by capitalised compounds, portfolio
 *      phrases with lowercase syllables ("Phát triển nông thôn"), "và"
 *      between two parts of one name ("Bộ Kế hoạch và Đầu tư"), acronyms
 *      right after the head ("Bộ GTVT") and a short descriptor before the
 *      name ("Công ty giải trí Siêu Quần")), trimmed of function words,
 *      months, demonyms ("Swede Kennet Andersson") and words that open a
 *      Vietnamese sentence ("Việc Agoda"), split where a person's name
 *      starts after another name ("AC Milan George Weah"), and typed from
 *      evidence in this order: org words (Ministry, Bank, Corp, United...;
 *      Bộ, Sở, Công ty, Ngân hàng...), venues and events (Stadium, Cup,
 *      League: other), place words (Province, River, Northern...), a
 *      given name (English list in names.inc, Vietnamese family names,
 *      given-name syllables) or a demonym before it (person), a gazetteer
 *      place inside it (a team or a company: org), a verb of speech or
 *      "who" after it (person), "province"/"street" after it, "in"/"tại"
 *      before it (place), and in English two or three capitalised words
 *      with none of these are a person (not "The X", not in quotes);
 *      English words in Vietnamese text follow the English rules without
 *      that last default;
 *   5. acronyms (2-6 capitals) are orgs only with evidence: a defining
 *      parenthesis after a name (then they count for that name, here and
 *      wherever else they appear), or in English a second mention; not in
 *      "(...)" after lowercase words (an abbreviation of a common noun);
 *   6. short mentions: a lone capitalised word equal to the last word of a
 *      person found in the article, or the last two words ("Dũng", "Thuy
 *      Linh" after "Nguyen Thuy Linh"), count for that person; a title plus
 *      one word ("Minister Sơn") too.  A name typed once keeps its type in
 *      the whole article (its id is one candidate).
 *
 *   7. sport: a text with three words of sports reports ("innings",
 *      "halftime", "bàn thắng"...) names clubs after their towns.  Names in
 *      results and standings lines ("Leeds 24 Bristol 10", "Texas 75 58",
 *      "Derby v Leeds") and places where a report names a side ("beat X",
 *      "X drew", "against X", "lost to X", "gặp X") are orgs in the whole
 *      article; countries, nations and world regions (nations.inc) stay
 *      places, and a given name or an initial in a results line makes a
 *      person ("62 Nolan Henke", "A. Fraser 4-22").
 *   8. Vietnamese organisation names end at a verb (KW_VIVERB: "Chính phủ
 *      giao Bộ ..."), take no compound after a foreign word ("Đại học
 *      Stanford kết luận"), go on over lowercase words between capitalised
 *      parts ("Trường THPT chuyên Lê Quý Đôn"), acronyms joined by '-'
 *      ("Sở GD-ĐT") and "Tp." + a city; "Tổ chức", "hãng" and lowercase
 *      "công ty" before a foreign name describe it (the org is "WWF"); and
 *      these are descriptions, typed other: a local body without its place
 *      ("Sở Công Thương"), "Chính phủ/Quân đội/Quốc hội" + a country (the
 *      country is counted), a lowercase head before a place word ("bệnh
 *      viện tỉnh X"), a company described by its country, and a name whose
 *      end is unknown (lowercase syllables follow that no verb, function
 *      word, portfolio or foreign word closes).  A name a few lowercase
 *      words after the noun it names is not a person ("trường tiểu học X").
 *   9. "X+" after a place is an outlet ("Vietnam+"), "U16 Việt Nam" a team,
 *      a network named only as a medium ("trên Facebook") is typed other,
 *      and a Chinese or Korean family name first starts a person.
 *
 *   A gazetteer place or org inside a longer organisation name belongs to
 *   it and is not counted alone: "Royal University of Phnom Penh", "Vietnam
 *   Airlines", "Liên đoàn Bóng đá Việt Nam", "Đại học Cần Thơ".  Ids of
 *   detected names are the folded words joined by '-' ("Ambassador Vũ Hồ" ->
 *   "vu-ho"); gazetteer entities use the id in the file.  The title and
 *   lines in Title Case or ALL CAPS (headlines) only get gazetteer matches;
 *   table rows (more numbers than words: standings, scores) get none.
 *   The list is sorted by count, then by first mention.
 */
#define _GNU_SOURCE 1   /* dladdr: the file the library was loaded from */
#include "private.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

#define NONE UINT32_MAX
#define MAX_ALIAS_WORDS 32
#define MAX_TEXT_BYTES ((size_t)1 << 30)
#define MAX_NAME_WORD_BYTES 64
#define MAX_DETECTED_ID 120

/* ======================================================================
 * Small helpers
 * ====================================================================== */

/* Map look-ups of a key built in a buffer (the extractor's `key`). */
static long find_key(const lsx_strmap *m, const lsx_buf *k)
{
    return lsx__strmap_find(m, k->data, k->len, lsx__hash(k->data, k->len));
}

static long put_key(lsx_strmap *m, const lsx_buf *k, uint32_t val, bool *added)
{
    return lsx__strmap_put(m, k->data, k->len, lsx__hash(k->data, k->len), val, added);
}

/* Decode the code point at s[i]; -1 (and *len 1) for an invalid sequence. */
static int32_t decode(const char *s, size_t n, size_t i, size_t *len)
{
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
        *len = 1;
        return c;
    }
    int32_t cp;
    size_t r = lsx__utf8_decode((const unsigned char *)s + i, n - i, &cp);   /* the chain's decoder */
    if (r == 0) {
        *len = 1;
        return -1;
    }
    *len = r;
    return cp;
}

static utf8proc_category_t category(int32_t c)
{
    if (c < 0x80) {
        if (c >= 'a' && c <= 'z')
            return UTF8PROC_CATEGORY_LL;
        if (c >= 'A' && c <= 'Z')
            return UTF8PROC_CATEGORY_LU;
        if (c >= '0' && c <= '9')
            return UTF8PROC_CATEGORY_ND;
        return UTF8PROC_CATEGORY_PO;
    }
    return c < 0 ? UTF8PROC_CATEGORY_CN : utf8proc_category(c);
}

static bool is_letter_cat(utf8proc_category_t k)
{
    return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO;
}

static bool is_word_cp(int32_t c)
{
    utf8proc_category_t k = category(c);
    return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_ME) ||
           (k >= UTF8PROC_CATEGORY_ND && k <= UTF8PROC_CATEGORY_NO);
}

static bool is_space_cp(int32_t c)
{
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
        return true;
    if (c < 0x80)
        return false;
    return c == 0xFEFF || c == 0x200B || category(c) == UTF8PROC_CATEGORY_ZS;
}

static bool is_apos(int32_t c)
{
    return c == '\'' || c == 0x2019;
}

static bool is_hyphen_cp(int32_t c)
{
    return c == '-' || c == 0x2010 || c == 0x2011;
}

/* Fold one code point into dst (>= 32 bytes): the analysis chain's policy. */
static size_t fold_cp(int32_t c, utf8proc_uint8_t *dst)
{
    return lsx__fold_cp(c, (char *)dst);
}

static void buf_put_cp(lsx_buf *b, int32_t c)
{
    utf8proc_uint8_t tmp[4];
    utf8proc_ssize_t k = utf8proc_encode_char(c, tmp);
    lsx_buf_append(b, tmp, (size_t)k);
}

/* What utf8proc says about the code points below U+2000 (Latin, with all
 * Vietnamese letters, Greek, Cyrillic...): category, folded form, lowercase
 * form, each worked out the first time the extractor meets the code point
 * (working out all 8,192 up front took ~3 ms, paid by every one-shot query
 * that makes an extractor to recognise entity names). */
#define CP_CACHE 0x2000
typedef struct cpinfo {
    uint8_t cat, flen, llen;   /* flen 0xFF: folded form too long to keep; llen 0: not filled */
    char f[6], l[4];
} cpinfo;

static const cpinfo *cp_get(cpinfo *t, int32_t c)
{
    cpinfo *e = &t[c];
    if (e->llen == 0) {
        utf8proc_uint8_t f[32];
        size_t k = fold_cp(c, f);
        e->cat = (uint8_t)category(c);
        if (k <= sizeof e->f) {
            memcpy(e->f, f, k);
            e->flen = (uint8_t)k;
        } else {
            e->flen = 0xFF;
        }
        int32_t lc = c < 0x80 ? ((c >= 'A' && c <= 'Z') ? c + 32 : c) : utf8proc_tolower(c);
        e->llen = (uint8_t)utf8proc_encode_char(lc, (utf8proc_uint8_t *)e->l);   /* >= 1 */
    }
    return e;
}

static utf8proc_category_t cat_of(cpinfo *t, int32_t c)
{
    return t && c >= 0 && c < CP_CACHE ? (utf8proc_category_t)cp_get(t, c)->cat : category(c);
}

static bool word_of(cpinfo *t, int32_t c)
{
    utf8proc_category_t k = cat_of(t, c);
    return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_ME) ||
           (k >= UTF8PROC_CATEGORY_ND && k <= UTF8PROC_CATEGORY_NO);
}

/* ======================================================================
 * Keyword tables (lowercase, with diacritics; '|' separates phrases)
 * ====================================================================== */

enum {
    KW_STOP      = 1 << 0,  /* function words, trimmed from the edges of a name */
    KW_TITLE     = 1 << 1,  /* titles and honorifics: the next name is a person */
    KW_PORTFOLIO = 1 << 2,  /* words inside titles: "Foreign", "Affairs" */
    KW_ORG       = 1 << 3,  /* English organisation words */
    KW_PLACE     = 1 << 4,  /* English place words */
    KW_PLACESUF  = 1 << 5,  /* place words dropped from the end of a name */
    KW_SURNAME   = 1 << 6,  /* Vietnamese family names */
    KW_CONNECT   = 1 << 7,  /* lowercase words inside English names */
    KW_ACRSTOP   = 1 << 8,  /* all-caps words that are not names */
    KW_VIORG     = 1 << 9,  /* Vietnamese organisation heads */
    KW_VIEVENT   = 1 << 10, /* Vietnamese event / document heads */
    KW_PLACEPRE  = 1 << 11, /* place words before a Vietnamese place name */
    KW_KIN       = 1 << 12, /* kinship honorifics: titles only before a name */
    KW_CONJ      = 1 << 13, /* "and": a list of names goes on */
    KW_VENUE     = 1 << 14, /* buildings and venues before a name: not places */
    KW_CURRENCY  = 1 << 15, /* "US dollars", "Singapore dollars": not the country */
    KW_DEMONYM   = 1 << 16, /* "Swede", "Australian": before a name, not part of it */
    KW_EVENT     = 1 << 17, /* "Cup", "Open", "Games": a name of an event, not a person */
    KW_SPEECH    = 1 << 18, /* "said", "told", "who", "cho biết": a person before it */
    KW_LOCPREP   = 1 << 19, /* "in", "near", "tại", "ở": a place after it */
    KW_VIGIVEN   = 1 << 20, /* Vietnamese given-name syllables */
    KW_SENTSTOP  = 1 << 21, /* words that open a sentence, not a name ("Việc", "Sau") */
    KW_LANG      = 1 << 22, /* "tiếng", "người": a language or people, not a country */
    KW_ENSTOP    = 1 << 23, /* English function words: KW_STOP unless the text is Vietnamese */
    KW_SPORT     = 1 << 24, /* words of sports reports: "innings", "halftime", "bàn thắng" */
    KW_VSBEFORE  = 1 << 25, /* "against", "v", "beat", "gặp": a team (or player) after it */
    KW_VSAFTER   = 1 << 26, /* "beat", "drew", "captain", "thắng": a team (or player) before it */
    KW_VIVERB    = 1 << 27  /* Vietnamese verbs: never inside an organisation's name */
};
#define KW_CLASS_MASK 0xFFFFFFFu
#define KW_MAXW_SHIFT 28

static const struct { unsigned cls; const char *list; } kw_src[] = {
    { KW_ENSTOP,
      "the|a|an|this|that|these|those|he|she|it|they|we|i|you|his|her|its|their|our|my|your|"
      "in|on|at|by|for|from|of|to|with|without|after|before|during|since|until|under|over|"
      "about|as|and|but|or|nor|so|yet|if|when|while|where|which|who|whom|whose|what|why|how|"
      "there|here|also|however|meanwhile|moreover|furthermore|besides|according|following|"
      "regarding|concerning|despite|although|though|because|both|all|many|some|several|"
      "other|others|another|each|every|any|most|more|such|no|not|yes|one|two|three|four|"
      "five|six|seven|eight|nine|ten|monday|tuesday|wednesday|thursday|friday|saturday|"
      "sunday|january|february|march|april|may|june|july|august|september|october|"
      "november|december|today|yesterday|tomorrow|tonight|photo|photos|source|video|read|"
      "see|click|share|tags|is|are|was|were|be|been|has|have|had|will|would|can|could|"
      "should|might|must|do|does|did|said|says|then|now|later|earlier|last|next|only|just|"
      "even|still|again|once|let|please|dear|thanks|thank|hello|welcome|via|per|vs|jan|feb|"
      "mar|apr|jun|jul|aug|sep|sept|oct|nov|dec" },
    { KW_STOP,
      "tại|theo|trong|với|khi|ngày|sau|trước|các|những|đây|đó|này|kia|nhiều|dự|tham|hôm|"
      "tháng|năm|một|hai|ba|bốn|sáu|bảy|tám|chín|mười|và|của|là|có|cho|từ|đến|về|để|nhưng|"
      "tuy|nếu|vì|do|bởi|cũng|đã|sẽ|đang|được|bị|chiều|sáng|trưa|tối|đêm|thứ|hiện|ngoài|"
      "bên|trên|dưới|giữa|cả|mỗi|mọi|toàn|phía|ngay|vào|ở|như|thì|mà|nên|hay|hoặc|"
      "nhằm|rằng|chúng|họ|tôi|ta|mình|cùng|ảnh|nguồn|xem|chỉ|vẫn|còn|đồng thời|tuy nhiên|"
      "ngoài ra|bên cạnh|đặc biệt|hôm nay|hôm qua|theo đó|trong đó|do đó|vì vậy|tiếp theo|"
      "cuối cùng|sau đó|trước đó|khi đó|lúc|dịp|tuần|quý|chủ nhật|tin|bài|clip|khóa|khoá|"
      "nhiệm kỳ" },
    { KW_TITLE,
      "mr|mrs|ms|miss|mx|dr|prof|professor|sir|dame|lady|lord|madam|madame|ambassador|"
      "ambassadors|minister|ministers|president|vice|deputy|prime|premier|chairman|"
      "chairwoman|chairperson|chair|secretary|general|director|spokesman|spokeswoman|"
      "spokesperson|envoy|governor|mayor|senator|congressman|congresswoman|king|queen|"
      "prince|princess|sultan|emperor|empress|pope|chancellor|commander|colonel|lieutenant|"
      "captain|admiral|marshal|judge|chief|acting|H.E.|excellency|samdech|dato|datuk|"
      "tan sri|pehin|his majesty|her majesty|his excellency|her excellency|undersecretary|"
      "consul|ceo|head|representative|reverend|sheikh|officials|official|coach|striker|"
      "midfielder|goalkeeper|defender|player|chef|artist|singer|actor|actress|lawyer|"
      "journalist|reporter|teacher|farmer|author|writer|poet|athlete|scientist|economist|"
      "analyst|researcher|expert|engineer|doctor|nurse|founder|owner|manager|president-elect|"
      "spokesman|veteran|pilot|prosecutor|dean|rector|principal|abbot|monk|bishop|father" },
    { KW_TITLE,
      "ông|bà|ngài|cụ|đại sứ|bộ trưởng|thứ trưởng|thủ tướng|phó thủ tướng|chủ tịch|"
      "phó chủ tịch|tổng thống|phó tổng thống|tổng bí thư|bí thư|ngoại trưởng|"
      "quyền trưởng|trưởng|phó|tổng thư ký|phó tổng thư ký|thư ký|giám đốc|tổng giám đốc|"
      "phó giám đốc|đại tướng|thượng tướng|trung tướng|thiếu tướng|đại tá|thượng tá|"
      "trung tá|thiếu tá|giáo sư|phó giáo sư|tiến sĩ|thạc sĩ|bác sĩ|nhà báo|nhà văn|nhà thơ|"
      "ca sĩ|nghệ sĩ|hoa hậu|người phát ngôn|phát ngôn viên|đặc phái viên|vua|nhà vua|"
      "hoàng tử|công chúa|quốc vương|nữ hoàng|thị trưởng|thống đốc|chánh án|nghị sĩ|"
      "thượng nghị sĩ|hạ nghị sĩ|tư lệnh|đồng chí|trưởng đoàn|chủ nhiệm|phó chủ nhiệm|"
      "trưởng ban|viện trưởng|hiệu trưởng|tổng lãnh sự|lãnh sự|chủ tọa|quan chức|ts|ths|pgs|"
      "gs|bs|ks|kts|hlv|huấn luyện viên|nsnd|nsưt|nghệ nhân|tổng biên tập|trợ lý|đại úy|"
      "thượng úy|trung úy|thiếu úy|đại biểu|giáo viên|chuyên gia|nhà khoa học|cầu thủ|"
      "vận động viên|vđv|tiền đạo|thủ môn|tay vợt|kỳ thủ|võ sĩ|nữ sinh|nam sinh|sinh viên|"
      "học sinh|doanh nhân|nông dân|ngư dân|chủ vườn|chủ tịch nước|tổng thư ký liên hợp quốc|"
      "đối tượng|nghi phạm|bị can|bị cáo|nạn nhân|tài xế|bệnh nhân" },
    { KW_KIN, "anh|chị|em|cô|chú|bác|cậu|dì|thím|mợ|thầy|cháu|ông bà|cụ bà|cụ ông" },
    { KW_CONJ, "và|and|cùng|với|hoặc|hay|or" },
    { KW_CURRENCY, "dollar|dollars|cent|cents|yen|euro|euros|won|baht|ringgit|peso|pesos|"
                   "rupiah|kip|riel|yuan|rupee|rupees|pound|pounds|đô la|usd" },
    { KW_VENUE,
      "quảng trường|sân vận động|nhà hát|công viên|chợ|khu công nghiệp|cầu|bảo tàng|khách sạn|"
      "nhà thi đấu|sân bay|cảng|bến xe|nhà ga|tòa nhà|toà nhà|trung tâm thương mại|đền|chùa|"
      "nhà thờ|lăng|phố|đường|khu du lịch|khu đô thị|chung cư|khu|ngõ|hẻm|ngã tư|ngã ba|bến|sân|"
      "tiểu học|trung học|mầm non|hoàng thành|di tích|làng nghề|"
      "stadium|arena|hall|palace|citadel|gate|tower|temple|pagoda|museum|hotel|resort|market|"
      "mall|street|road|avenue|square|bridge|park|airport|station|theatre|theater|cathedral|"
      "church|mosque|pavilion|complex|building|plaza|zone" },
    { KW_PORTFOLIO,
      "foreign|affairs|defence|defense|finance|trade|industry|home|interior|justice|health|"
      "education|economy|economic|economics|political|politics|security|social|cultural|"
      "culture|labour|labor|planning|investment|information|communications|agriculture|"
      "environment|natural|resources|science|technology|transport|construction|tourism|"
      "sports|energy|public|national|international|external|relations|community|"
      "cooperation|development|state|senior|permanent|first|second|executive|special|"
      "ngoại giao|quốc phòng|công an|tài chính|công thương|thường trực|kinh tế|ngoại thương|"
      "nội vụ|tư pháp|y tế|giáo dục|xây dựng|giao thông|nông nghiệp|tài nguyên|văn hóa|"
      "văn hoá|thông tin|truyền thông|lao động|khoa học|kế hoạch|đầu tư|thương mại|"
      "công nghệ|môi trường|du lịch|thể thao|an ninh|chính trị|đối ngoại|quốc tế|"
      "phát triển nông thôn|nông thôn|đào tạo|xã hội|thương binh|cổ phần|trách nhiệm hữu hạn|"
      "một thành viên|xuất nhập khẩu|phát triển|dịch vụ|sản xuất|kinh doanh|thủy lợi|thủy sản|"
      "lâm nghiệp|dân tộc|tôn giáo|nhà nước|nhân dân|tối cao|hành chính|thuế|hải quan|"
      "bảo hiểm|chứng khoán|ngân hàng|điện lực|dầu khí|viễn thông|hàng không|đường sắt|"
      "vận tải|xây dựng|bất động sản|năng lượng|hóa chất|phân bón|giáo dục và đào tạo|"
      "quốc gia|trung ương|chữ thập đỏ|phụ nữ|thanh niên|cựu chiến binh|nông dân|công đoàn|tài nguyên và môi trường" },
    { KW_ORG,
      "ministry|department|committee|commission|council|association|agency|bank|fund|"
      "foundation|institute|institution|university|college|school|academy|centre|center|"
      "organisation|organization|union|party|corporation|company|group|holdings|inc|ltd|"
      "corp|authority|federation|secretariat|embassy|consulate|court|assembly|parliament|"
      "congress|senate|government|army|navy|police|office|bureau|board|network|news|times|"
      "post|press|television|radio|broadcasting|airlines|airways|club|society|alliance|"
      "coalition|chamber|forces|force|guard|service|services|trust|exchange|"
      "cabinet|team|firm|co|plc|llc|gmbh|ag|sa|nv|bhd|jsc|tbk|programme|program|cooperative|"
      "hospital|clinic|laboratory|railway|railways|motors|bancorp|securities|insurance|"
      "industries|enterprises|ventures|media|magazine|newspaper|studios|polytechnic|"
      "ministries|commissions|committees|councils|associations|agencies|unions|"
      "pharmaceutical|pharmaceuticals|electric|electronics|power|petroleum|oil|gas|mining|"
      "steel|chemical|chemicals|telecom|telecommunications|systems|technologies|products|"
      "foods|partners|capital|financial|investments|properties|shipping|logistics|"
      "bancshares|consolidated|controls|brewery|breweries|mills|resources|energy|"
      "airline|stores|communications|semiconductor|software|labs|laboratories|"
      "newsroom|agency|party|parties|front|movement|brigade|brigades|regiment|militia|"
      "rebels|guerrillas|united|rovers|athletic|wanderers|albion|hotspur|dynamo|dinamo|"
      "fc|afc|cf|sc|ac|bc|cc" },
    { KW_PLACE,
      "province|city|district|island|islands|sea|river|mountain|mountains|lake|bay|valley|"
      "county|region|village|port|strait|gulf|peninsula|delta|coast|beach|republic|town|"
      "commune|ward|prefecture|ocean|highlands|plateau|archipelago|canal|falls|pass|"
      "northern|southern|eastern|western|central|north|south|east|west|upper|lower|greater" },
    { KW_PLACESUF, "province|city|district|commune|ward|prefecture" },
    { KW_SURNAME,
      "nguyễn|trần|lê|phạm|hoàng|huỳnh|phan|vũ|võ|đặng|bùi|đỗ|hồ|ngô|dương|lý|đào|đoàn|"
      "vương|trịnh|trương|lâm|phùng|mai|tô|hà|cao|quách|lương|đinh|tạ|chu|thái|tôn|kiều|"
      "đàm|lưu|châu|nông|la|triệu|hứa|diệp|lại|giang|tăng|mạc|âu|thân|quan|kim|khổng|"
      "hàn|lò|mẫn|ninh|phí|khúc|doãn|chử|giáp|lạc|tiêu|thạch|"
      "nguyen|tran|pham|hoang|huynh|vu|vo|dang|bui|ngo|duong|dao|doan|vuong|trinh|truong|"
      "phung|luong|dinh|trieu|kieu|nong|luu|diep|quach" },
    { KW_CONNECT, "of|for|on|the|and|de|da|van|von|der|den|bin|binti|al|del|di|du" },
    { KW_ACRSTOP,
      "pm|am|tv|ok|ceo|cfo|cto|gdp|grdp|cpi|fdi|oda|covid|sars|hiv|aids|usd|vnd|eur|jpy|km|"
      "kg|cm|mm|mw|gw|kwh|it|ai|ict|id|pdf|faq|url|vip|mc|dj|ps|etc|sos|lgbt|lgbtq|mba|phd|"
      "sme|smes|tor|sop|ngo|ngos|rss|gmt|utc|ii|iii|iv|vi|vii|viii|ix|xi|xii|xiii|xiv|xv|xx|"
      "xxi|tp|tt|vn|pv|ttxvn|vov|ubnd|hđnd|ptvt|sms|atm|gps|wifi|usb|cd|dvd|ufo|qr|ts|ths|"
      "pgs|gs|bs|ks|kts|hlv|vđv|nsnd|nsưt|thpt|thcs|tnhh|tmcp|cp|tw|dn|ct|sea|ok|vs|fc|mv|"
      "pr|ceo|coo|hr|it|ui|ux|km2|co2|pm2|ph|dna|rna|mri|ct|icu|er|vr|ar|ev|suv|gdp|vat" },
    { KW_VIORG,
      "bộ|ủy ban|uỷ ban|hội đồng|hội|ban|sở|cục|tổng cục|viện|trường|đại học|học viện|"
      "công ty|tổng công ty|tập đoàn|ngân hàng|quỹ|tổ chức|liên đoàn|liên minh|liên hiệp|"
      "đảng|quốc hội|chính phủ|văn phòng|đại sứ quán|lãnh sự quán|báo|đài|thông tấn xã|"
      "trung tâm|câu lạc bộ|nhóm|hiệp hội|mặt trận|tòa án|toà án|viện kiểm sát|quân đội|"
      "quân khu|công an|hãng|tổng lãnh sự quán|nhà máy|xí nghiệp|hợp tác xã|bệnh viện|"
      "chi cục|liên doanh|ủy ban nhân dân|uỷ ban nhân dân|hội đồng nhân dân|tòa án nhân dân|"
      "toà án nhân dân|viện kiểm sát nhân dân|ubnd|hđnd|tand|vksnd|ctcp|htx|"
      "bộ tư lệnh|bộ chỉ huy|sư đoàn|lữ đoàn|trung đoàn|tiểu đoàn|tổng cục|bv|đh|cty|"
      "phòng giáo dục|phòng giáo dục và đào tạo|phòng cảnh sát|kho bạc" },
    { KW_VIEVENT,
      "hội nghị|hội thảo|diễn đàn|lễ hội|liên hoan|hội chợ|giải|đại hội|tuần lễ|triển lãm|"
      "chiến dịch|hiệp định|tuyên bố|hiến chương|chương trình|dự án|đề án|chiến lược|"
      "nghị quyết|nghị định|luật|cuộc thi|tầm nhìn|đồng thuận|cộng đồng|kế hoạch|"
      "báo cáo|bộ luật|bộ phim|bộ sách|ban nhạc|nhóm nhạc|giải thưởng" },
    { KW_DEMONYM,
      "american|americans|british|english|scottish|welsh|irish|french|german|italian|spanish|"
      "portuguese|dutch|belgian|swiss|austrian|swede|swedish|norwegian|dane|danish|finn|"
      "finnish|icelandic|pole|polish|czech|slovak|hungarian|romanian|bulgarian|greek|turkish|"
      "russian|ukrainian|belarusian|serb|serbian|croat|croatian|bosnian|slovenian|albanian|"
      "macedonian|georgian|armenian|estonian|latvian|lithuanian|moldovan|israeli|palestinian|"
      "arab|egyptian|iraqi|iranian|syrian|lebanese|jordanian|saudi|kuwaiti|yemeni|libyan|"
      "algerian|moroccan|tunisian|sudanese|nigerian|kenyan|ethiopian|ghanaian|zambian|"
      "zimbabwean|ugandan|cameroonian|senegalese|ivorian|angolan|african|south african|"
      "australian|australians|canadian|mexican|brazilian|argentine|argentinian|chilean|"
      "colombian|peruvian|venezuelan|uruguayan|paraguayan|bolivian|ecuadorean|ecuadorian|"
      "cuban|jamaican|chinese|japanese|korean|taiwanese|indian|pakistani|afghan|bangladeshi|"
      "sri lankan|nepalese|vietnamese|thai|lao|laotian|cambodian|khmer|burmese|malaysian|"
      "singaporean|indonesian|filipino|bruneian|mongolian|kazakh|uzbek|european|asian|"
      "kiwi|zealander|new zealander|welshman|englishman|scotsman|frenchman|dutchman|"
      "russians|germans|italians|chinese|britons|briton|kurd|kurdish|chechen|tamil|sikh|muslim|"
      "christian|catholic|protestant|jewish|hindu|buddhist|olympic|world|international|"
      "kurds|iraqis|iranians|serbs|croats|muslims|moslems|catholics|palestinians|"
      "israelis|arabs|afghans|pakistanis|indians|japanese|koreans|africans|europeans|"
      "asians|christians|jews|hindus|sikhs|tamils|albanians|chechens|bosnians|somalis|"
      "hutus|tutsis|shi'ites|shiites|sunnis|republican|republicans|democrat|democrats|"
      "socialist|socialists|communist|communists|conservative|conservatives|liberal|"
      "liberals|labour|nationalist|nationalists|islamic|islamist|islamists" },
    { KW_EVENT,
      "cup|open|opens|championship|championships|games|series|tour|classic|prix|bowl|"
      "olympics|olympiad|trophy|award|awards|prize|festival|masters|marathon|grand slam|"
      "league|liga|bundesliga|serie|ligue|premiership|"
      "tournament|derby|rally|war|day|week|year|conference|summit|forum|congress|accord|"
      "agreement|treaty|act|bill|index|plan|report|declaration|charter|protocol|convention|"
      "meeting|talks|show|expo|fair|exhibition|election|elections|revolution|crisis|"
      "hurricane|typhoon|storm|"
      "division|conference|stakes|handicap|plate|challenge|invitational|pro-am|"
      "spring|summer|autumn|winter|north|south|east|west|new year|christmas|easter|"
      "ramadan|internet|web|online|windows|boeing|airbus|marks|franc|francs|lira|"
      "shekel|shekels|rouble|roubles|ruble|rubles|rand|dinar|crown|crowns|guilder|guilders|"
      "peseta|pesetas|escudo|escudos|schilling|schillings|zloty|forint|kroner|krona" },
    { KW_SPEECH,
      "said|says|say|told|tells|added|adds|asked|asks|stated|declared|announced|explained|"
      "noted|warned|argued|insisted|admitted|claimed|denied|wrote|writes|replied|"
      "who|whose|himself|herself|scored|won|beat|led|leads|resigned|died|married|"
      "cho biết|nói|chia sẻ|khẳng định|cho hay|nhấn mạnh|kể|tâm sự|thừa nhận|tiết lộ|"
      "bày tỏ|phát biểu|trả lời|giải thích|thông tin|khai|tuyên bố" },
    { KW_SPORT,
      "soccer|football|baseball|basketball|cricket|rugby|hockey|tennis|golf|athletics|"
      "league|division|innings|inning|halftime|half-time|goals|goal|scorer|scorers|"
      "standings|fixtures|championship|tournament|striker|strikers|midfielder|goalkeeper|"
      "defender|wickets|wicket|batsman|bowler|pitcher|homer|homers|playoff|playoffs|"
      "quarter-final|semi-final|penalty|relegation|squad|bóng đá|cầu thủ|trận đấu|"
      "bàn thắng|ghi bàn|mùa giải|tiền đạo|thủ môn|hậu vệ|tiền vệ|vô địch|ngoại hạng|"
      "đội tuyển|đội bóng|sân cỏ|futsal" },
    { KW_VSBEFORE, "against|v|vs|versus|beat|beating|host|hosts|hosted|visiting|gặp|"
                   "đánh bại|hạ|tiếp đón|đối đầu|clb|câu lạc bộ|cổ động viên|đội bóng|"
                   "thầy trò" },
    { KW_VSAFTER, "beat|drew|lost|v|vs|versus|captain|coach|manager|skipper|striker|"
                  "midfielder|defender|goalkeeper|bowler|batsman|opener|fans|supporters|"
                  "thắng|hòa|hoà|thua|đánh bại" },
    { KW_VIVERB,
      "giao|đề xuất|đề nghị|nhận|nhận ra|đánh|ký|đạt|yêu cầu|kiểm điểm|kiểm tra|rồi|"
      "phối hợp|chỉ đạo|gửi|trao|tặng|mời|thông báo|quyết định|cấp|xử lý|bắt|phát hiện|"
      "tiếp nhận|ban hành|công bố|triển khai|thực hiện|bán|mua|cho phép|đưa|kêu gọi|"
      "cảnh báo|xác nhận|vừa|mới|gặp|làm|thăm|xin|hỏi|muốn|đòi|trả|cử|chọn|bổ nhiệm|"
      "khen|phạt|dẫn|chuyển|đồng ý|phê duyệt|tố|kiện|bị|được|sẽ|đã|đang|không|chưa|"
      "cung cấp|tiếp tục|xác định|trình báo|chủ trì|nhắc lại|kết hợp|đại diện|khẩn trương|"
      "tiến hành|đưa ra|đề ra|ra mắt|khởi công|khai trương|hoàn thành|tham gia|tham dự|"
      "phát động|hướng dẫn|giới thiệu|báo cáo|trình|tuyển|cần|phải|có|là|nêu|nêu rõ|"
      "cam kết|tuyên bố|ủng hộ|phản đối|lên án|khuyến cáo|khuyến nghị|thừa nhận|cáo buộc|"
      "ước tính|dự báo|dự kiến|sở hữu|trụ sở|gần đó|cơ sở|vẫn|luôn|từng|cũng|mong muốn|"
      "tiếp tục|bảo đảm|đảm bảo|giải quyết|xem xét|nghiên cứu|rà soát|tăng|giảm|chi|thu|"
      "ghi nhận|cho rằng|cho hay|cho thấy|lập tức|kịp thời|nhanh chóng|báo|báo lỗ|báo lãi|thuộc|"
      "thông qua|ký kết|mở|đóng|ngừng|dừng|chấp thuận|từ chối|khởi tố|bắt giữ|tạm giữ|"
      "xử phạt|điều tra|truy tố|xét xử|tuyên án|cấp phép|thu hồi|tài trợ|trao tặng|đón|"
      "làm việc|họp|thảo luận|bàn|đánh giá|áp dụng|tăng cường|đẩy mạnh|nâng cao|mở rộng|"
      "soạn thảo|sửa|sửa đổi|rút|ra|vào|lên|xuống|về|đi|đến|tới|sang|qua|bắt đầu|kết thúc|"
      "đạt được|giành|thắng|thua|chiếm|gồm|bao gồm|trở thành|nhằm|liên tục|lần đầu|"
      "đứng|đứng đầu|dẫn đầu|sử dụng|tiêu thụ|niêm yết|huy động|cho vay|phát biểu" },
    { KW_LOCPREP, "in|near|outside|across|throughout|inside|tại|ở|đến|sang|khắp|quanh" },
    { KW_LANG, "tiếng|người|giọng|chữ|gốc" },
    { KW_SENTSTOP,
      "việc|điều|sau|trước|trong|ngoài|theo|khi|tuy|dù|nếu|hiện|đây|còn|bởi|vì|mới|riêng|"
      "cũng|thậm chí|chính|tất cả|mặc dù|người|nhiều|các|những|mọi|không|chưa|đã|đang|"
      "tuy nhiên|trong khi|cùng|ngay|lúc|hôm|ngày|năm|tháng|đến|từ|do|với|cho|để|vậy|"
      "thế|nhưng|song|đồng thời|bên cạnh|ông|bà|anh|chị|em|cô|chú|bác|ngoài ra|sáng|chiều|"
      "tối|đêm|trưa|chỉ|cả|nơi|ở|tại|vào|ra|lên|xuống|qua|về|là|có|được|bị|phải|nên|"
      "nhờ|giờ|hiện nay|trước đó|sau đó|thực tế|tính đến|đặc biệt|đáng chú ý|liên quan|"
      "công ty|dự án|chương trình|hội|đội|nhóm|gia đình|bố|mẹ|con|vợ|chồng|đó|này|kia|"
      "nghe|thấy|biết|muốn|thích|giữa|trên|dưới|bên|phía|ai|gì|nào|sao|đâu|hãy|xin|"
      "mỗi|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|trăm|nghìn|triệu|tỷ|so|giá|tổng|"
      "tin|thông tin|báo|phim|bài|sách|ảnh|video|clip|bóng đá|học|làm|đi|đến|nhà" },
    { KW_VIGIVEN,
      "an|anh|bảo|bích|bình|cường|chi|chinh|châu|công|cúc|dũng|dung|duy|duyên|dương|đạt|"
      "điệp|định|đông|đức|giang|giao|hà|hải|hạnh|hào|hằng|hân|hậu|hiền|hiếu|hiệp|hoa|hòa|"
      "hoà|hoài|hoan|hoàng|hồng|huệ|hùng|hưng|hương|hường|huy|huyền|khang|khánh|khoa|"
      "khôi|khuê|kiên|kiệt|kim|lan|lâm|linh|loan|long|lộc|lợi|luân|lực|ly|mai|mạnh|minh|"
      "my|mỹ|nam|nga|ngân|nghĩa|ngọc|nguyên|nhân|nhật|nhi|nhung|như|oanh|phát|phong|phú|"
      "phúc|phụng|phương|phượng|quân|quang|quế|quốc|quyên|quyết|quỳnh|sang|sơn|tài|tâm|"
      "tân|thắng|thanh|thành|thảo|thi|thiện|thịnh|thơ|thu|thuận|thủy|thuỷ|thúy|thuý|thư|"
      "thương|tiến|tín|toàn|trang|trâm|trí|trinh|trọng|trung|tú|tuấn|tùng|tường|tuyết|"
      "uyên|vân|văn|việt|vinh|vũ|vy|xuân|yến|thị|hữu|đình|gia|bá|khắc|xuân|thế|ngọc|"
      "diệu|diệp|hiển|lệ|nhàn|nhung|phi|thái|thục|tiên|trúc|tuệ|tuyền|vĩ|vượng|ánh|"
      "hiếu|lương|bội|cẩm|chí|đan|đào|hạ|hoa|khải|lam|liên|lộ|mẫn|mơ|nguyệt|nhạn|nhã|"
      "phấn|thoa|thùy|thuỳ|trà|tường|vi|ý|yên|đăng|đạo|độ|hợp|khoát|luận|nghị|sỹ|sĩ|"
      "tấn|thạch|thiên|thông|tiệp|toản|tuyên|vương|hiệu|khiêm|lễ|tạo|tuân|dân|chiến" },
    { KW_PLACEPRE,
      "tỉnh|thành phố|huyện|quận|xã|phường|thị xã|thị trấn|tp|thủ đô|đảo|quần đảo|sông|"
      "núi|biển|vịnh|làng|bản|ấp|miền|vùng|châu|hồ|đèo|cao nguyên|đồng bằng|bán đảo|"
      "thung lũng|đỉnh|cửa khẩu|suối|thác" },
};

/* ======================================================================
 * Words
 * ====================================================================== */

enum {
    TF_CAP = 1 << 0,      /* first letter is a capital */
    TF_ALLCAPS = 1 << 1,  /* at least two letters, all capitals */
    TF_DIGIT = 1 << 2,
    TF_ALPHA = 1 << 3,    /* has a letter */
    TF_POSS = 1 << 4,     /* followed by 's */
    TF_DOTTED = 1 << 5,   /* "U.S." */
    TF_NONASCII = 1 << 6,
    TF_LOWER = 1 << 7,    /* has a lowercase letter */
    TF_GCHK = 1 << 8,     /* given_name() has looked at it */
    TF_GIVEN = 1 << 9,    /* ... and it is a given name */
    TF_KW = 1 << 10       /* the word is or starts a keyword phrase */
};
/* what comes before a word: spaces; '-' alone; '.' or '+' alone; a dash
 * between spaces (" - "); anything else */
enum { SEP_SPACE, SEP_HYPHEN, SEP_TIGHT, SEP_DASH, SEP_BREAK };
enum { SF_SENT = 1, SF_LINE = 2, SF_OPEN = 4, SF_CLOSE = 8 };
enum { TM_GZ = 1, TM_TITLE = 2, TM_USED = 4, TM_HEADLINE = 8, TM_GZSTART = 16, TM_TABLE = 32 };

typedef struct tok {
    uint32_t start, end;      /* bytes in the text */
    uint32_t fold, flen;      /* folded form in tokbuf.fb */
    uint32_t low, llen;       /* lowercase form in tokbuf.lb */
    uint32_t fh, lh;          /* their hashes */
    int32_t ment;             /* candidate this word was counted for, or -1 */
    uint16_t flags;           /* TF_* */
    uint32_t kwc;             /* keyword classes of the word alone */
    uint8_t sep, sf, mark;    /* SEP_*, SF_*, TM_* */
} tok;

typedef struct tokbuf {
    tok *t;
    size_t n, cap;
    lsx_buf fb, lb;
    cpinfo *cp;               /* code point cache (filled as it is read), or NULL */
    lsx__segmenter seg;       /* the analysis chain's word breaks for unspaced scripts */
} tokbuf;

static const char *tk_fold(const tokbuf *tb, const tok *t) { return tb->fb.data + t->fold; }
static const char *tk_low(const tokbuf *tb, const tok *t) { return tb->lb.data + t->low; }

static bool tk_is(const tokbuf *tb, const tok *t, const char *lw)
{
    size_t n = strlen(lw);
    return t->llen == n && memcmp(tk_low(tb, t), lw, n) == 0;
}

static const char *const dot_abbrevs[] = {
    "mr", "mrs", "ms", "dr", "prof", "st", "gen", "col", "lt", "capt", "sen", "rep",
    "gov", "jr", "sr", "mt", "ft", "no", "vs", "ông", "bà", "tp"
};

static bool is_dot_abbrev(const tokbuf *tb, const tok *t)
{
    for (size_t i = 0; i < sizeof dot_abbrevs / sizeof *dot_abbrevs; i++)
        if (tk_is(tb, t, dot_abbrevs[i]))
            return true;
    return false;
}

static bool ascii_upper(char c) { return c >= 'A' && c <= 'Z'; }

/* Split valid UTF-8 `s` into words.  Returns false on OOM. */
static bool tokenize(tokbuf *tb, const char *s, size_t n)
{
    tb->n = 0;
    tb->fb.len = tb->lb.len = 0;
    tb->fb.oom = tb->lb.oom = false;
    bool nl = false, punct = false;
    size_t nspace = 0, nother = 0, napos = 0;
    int32_t only = 0, first_ns = 0, last_ns = 0, prev_c = 0;
    size_t i = 0;
    while (i < n) {
        size_t len;
        int32_t c = decode(s, n, i, &len);
        if (!word_of(tb->cp, c)) {
            if (c == '\n')
                nl = true;
            else if (is_space_cp(c))
                nspace++;
            else if (is_apos(c))
                napos++;
            else {
                nother++;
                only = c;
                if (!first_ns)
                    first_ns = c;
                last_ns = c;
                if (c == '.' || c == '!' || c == '?' || c == ':' || c == ';' || c == 0x2026 ||
                    c == 0x3002)
                    punct = true;
            }
            prev_c = c;
            i += len;
            continue;
        }
        /* a lone "s" after an apostrophe: possessive of the previous word */
        if ((c == 's' || c == 'S') && is_apos(prev_c) && tb->n > 0 &&
            (i + 1 >= n || !word_of(tb->cp, decode(s, n, i + 1, &len)))) {
            tb->t[tb->n - 1].flags |= TF_POSS;
            prev_c = c;
            i += 1;
            continue;
        }
        size_t start = i, end = i, next = 0;
        bool dotted = false, poss = false;
        if (ascii_upper(s[i]) && i + 2 < n && s[i + 1] == '.' && ascii_upper(s[i + 2])) {
            size_t j = i, letters = 0;
            while (j + 1 < n && ascii_upper(s[j]) && s[j + 1] == '.') {
                j += 2;
                letters++;
            }
            if (j < n && ascii_upper(s[j]) && (j + 1 >= n || !word_of(tb->cp, decode(s, n, j + 1, &len)))) {
                j++;
                letters++;
            }
            if (letters >= 2) {
                dotted = true;
                end = j;
            }
        }
        if (!dotted) {
            int32_t last = 0;
            while (end < n) {
                int32_t d = decode(s, n, end, &len);
                if (word_of(tb->cp, d)) {
                    last = d;
                    end += len;
                    continue;
                }
                if (is_apos(d) && end + len < n && is_letter_cat(cat_of(tb->cp, last))) {
                    size_t l2, l3;
                    int32_t e = decode(s, n, end + len, &l2);
                    if (is_letter_cat(cat_of(tb->cp, e))) {
                        size_t after = end + len + l2;
                        if ((e == 's' || e == 'S') &&
                            (after >= n || !word_of(tb->cp, decode(s, n, after, &l3)))) {
                            poss = true;
                            next = after;
                            break;
                        }
                        end += len;
                        continue;
                    }
                }
                break;
            }
        }
        /* Thai, Lao, Khmer, Myanmar, Chinese: the chain's first word of the run */
        if (!dotted && !poss)
            end = start + lsx__segmenter_first(&tb->seg, s + start, end - start);
        /* the word's forms and flags */
        tok *grown = lsx__grow(tb->t, tb->n, &tb->cap, sizeof *grown, 256);
        if (!grown)
            return false;
        tb->t = grown;
        tok *t = &tb->t[tb->n];
        memset(t, 0, sizeof *t);
        t->start = (uint32_t)start;
        t->end = (uint32_t)end;
        t->ment = -1;
        t->fold = (uint32_t)tb->fb.len;
        t->low = (uint32_t)tb->lb.len;
        size_t upper = 0, lower = 0;
        bool first = true;
        for (size_t j = start; j < end; j += len) {
            int32_t d = decode(s, n, j, &len);
            if (is_apos(d))
                continue;
            if (d == '.') {
                lsx_buf_putc(&tb->lb, '.');
                continue;
            }
            utf8proc_category_t k = cat_of(tb->cp, d);
            if (k == UTF8PROC_CATEGORY_LU || k == UTF8PROC_CATEGORY_LT) {
                upper++;
                if (first)
                    t->flags |= TF_CAP;
            } else if (k == UTF8PROC_CATEGORY_LL) {
                lower++;
            }
            if (is_letter_cat(k))
                t->flags |= TF_ALPHA;
            else if (k >= UTF8PROC_CATEGORY_ND && k <= UTF8PROC_CATEGORY_NO)
                t->flags |= TF_DIGIT;
            if (d >= 0x80)
                t->flags |= TF_NONASCII;
            first = false;
            const cpinfo *e = tb->cp && d >= 0 && d < CP_CACHE ? cp_get(tb->cp, d) : NULL;
            if (e && e->flen != 0xFF) {
                lsx_buf_append(&tb->fb, e->f, e->flen);
                lsx_buf_append(&tb->lb, e->l, e->llen);
            } else {
                utf8proc_uint8_t fb[32];
                lsx_buf_append(&tb->fb, fb, fold_cp(d, fb));
                buf_put_cp(&tb->lb, d < 0x80 ? ((d >= 'A' && d <= 'Z') ? d + 32 : d) : utf8proc_tolower(d));
            }
        }
        if (upper >= 2 && lower == 0)
            t->flags |= TF_ALLCAPS;
        if (lower)
            t->flags |= TF_LOWER;
        if (dotted)
            t->flags |= TF_DOTTED;
        if (poss)
            t->flags |= TF_POSS;
        t->flen = (uint32_t)(tb->fb.len - t->fold);
        t->llen = (uint32_t)(tb->lb.len - t->low);
        lsx_buf_putc(&tb->fb, '\0');
        lsx_buf_putc(&tb->lb, '\0');
        if (tb->fb.oom || tb->lb.oom)
            return false;
        t->fh = lsx__hash(tk_fold(tb, t), t->flen);
        t->lh = lsx__hash(tk_low(tb, t), t->llen);
        /* what separates it from the previous word */
        if (tb->n == 0 || nl) {
            t->sep = SEP_BREAK;
            t->sf = SF_SENT | SF_LINE;
        } else if (nother == 0) {
            t->sep = SEP_SPACE;
        } else if (nother == 1 && nspace == 0 && napos == 0 && is_hyphen_cp(only)) {
            t->sep = SEP_HYPHEN;
        } else if (nother == 1 && nspace == 0 && napos == 0 && (only == '.' || only == '+' ||
                                                                only == '&')) {
            t->sep = SEP_TIGHT;
        } else if (nother == 1 && nspace > 0 && napos == 0 &&
                   (is_hyphen_cp(only) || only == 0x2013 || only == 0x2014)) {
            t->sep = SEP_DASH;
            t->sf |= SF_SENT;                  /* "HANOI, May 8 – The ..." */
        } else if (nother == 1 && only == '.' && napos == 0 &&
                   (is_dot_abbrev(tb, &tb->t[tb->n - 1]) ||
                    (tb->t[tb->n - 1].flen == 1 && (tb->t[tb->n - 1].flags & TF_CAP) &&
                     (t->flags & TF_CAP)))) {   /* "C. Lewis": an initial */
            t->sep = SEP_SPACE;            /* "Mr. Vu Ho" */
        } else {
            t->sep = SEP_BREAK;
            if (punct)
                t->sf |= SF_SENT;
        }
        if (last_ns == '(' || last_ns == '[')
            t->sf |= SF_OPEN;
        if (first_ns == ')' || first_ns == ']')
            t->sf |= SF_CLOSE;
        tb->n++;
        nl = punct = false;
        nspace = nother = napos = 0;
        only = first_ns = last_ns = 0;
        prev_c = 'a';
        i = poss ? next : end;
    }
    return true;
}

static void tokbuf_free(tokbuf *tb)
{
    free(tb->t);
    lsx_buf_free(&tb->fb);
    lsx_buf_free(&tb->lb);
    lsx__segmenter_free(&tb->seg);
    memset(tb, 0, sizeof *tb);
}

/* Copy `s` into b replacing invalid UTF-8 and NUL by spaces, then NFC it.
 * Returns false on OOM; sets *vi_letters to the count of Vietnamese letters. */
static bool prep_text(lsx_buf *b, const char *s, size_t n, size_t *vi_letters, cpinfo *cp)
{
    bool ascii = true;   /* no NFC needed: set while there are no marks or jamo */
    size_t vi = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && (unsigned char)s[j] < 0x80 && s[j] != '\0')
            j++;
        if (j > i)
            lsx_buf_append(b, s + i, j - i);
        if (j >= n)
            break;
        size_t len;
        int32_t c = s[j] == '\0' ? -1 : decode(s, n, j, &len);
        if (c < 0) {
            lsx_buf_putc(b, ' ');
            i = j + 1;
            continue;
        }
        if (ascii && c >= 0x300) {
            utf8proc_category_t k = cat_of(cp, c);
            if ((k >= UTF8PROC_CATEGORY_MN && k <= UTF8PROC_CATEGORY_ME) ||
                (c >= 0x1100 && c <= 0x11FF) || (c >= 0xF900 && c <= 0xFAFF) ||
                (c >= 0x2000 && k != UTF8PROC_CATEGORY_ZS && k != UTF8PROC_CATEGORY_PD &&
                 k != UTF8PROC_CATEGORY_PI && k != UTF8PROC_CATEGORY_PF && k != UTF8PROC_CATEGORY_PO))
                ascii = false;
        }
        if ((c >= 0x1EA0 && c <= 0x1EF9) || c == 0x0111 || c == 0x0110 || c == 0x01A1 ||
            c == 0x01A0 || c == 0x01B0 || c == 0x01AF || c == 0x0103 || c == 0x0102)
            vi++;
        lsx_buf_append(b, s + j, len);
        i = j + len;
    }
    if (vi_letters)
        *vi_letters += vi;
    if (b->oom)
        return false;
    if (ascii || !b->len)
        return true;
    utf8proc_uint8_t *dst = NULL;
    utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)b->data, (utf8proc_ssize_t)b->len,
                                      &dst, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (r < 0) {
        free(dst);
        return r != UTF8PROC_ERROR_NOMEM;     /* keep the text as it is */
    }
    b->len = 0;
    lsx_buf_append(b, dst, (size_t)r);
    free(dst);
    return !b->oom;
}

/* ======================================================================
 * The extractor
 * ====================================================================== */

typedef struct gz_entity {
    uint32_t id, name, line;   /* id and name: offsets in strs */
    lsx_entity_type type;
    bool nation;               /* a country, nation or world region (nations.inc) */
} gz_entity;

typedef struct gz_alias {
    uint32_t entity, next;     /* next alias with the same key, or NONE */
    uint32_t exact, exact_len; /* '=' aliases: NFC text (offset in strs) */
    uint32_t lowkey, lowkey_len; /* lowercase words joined by ' ' */
    uint32_t nwords, caps, allcaps, line;
    bool is_exact;
    bool ascii;                /* no letter with diacritics: not for "Bộ" ("Bo") */
} gz_alias;

typedef struct cand {
    int32_t gz;                /* gazetteer entity, or -1 */
    lsx_entity_type type;
    unsigned count;
    uint32_t first, da, db;    /* first word; words of the best display name */
    int dscore;
    bool multi;                /* a person seen with two or more words */
    bool team;                 /* a sports club named after a place: an org */
    bool plus;                 /* a brand written with '+': "Vietnam+" */
    unsigned medium;           /* mentions as a medium ("trên Facebook"), not an actor */
} cand;

struct lsx_extractor {
    lsx_buf strs;
    gz_entity *ents;
    size_t nents, cents;
    gz_alias *als;
    size_t nals, cals;
    lsx_strmap gz;        /* folded alias words -> first alias (chain) */
    lsx_strmap gzfirst;   /* first folded word of an alias -> its lengths (bit w-1: w words) */
    lsx_strmap ids;       /* id -> entity */
    lsx_strmap kw;        /* lowercase phrase -> classes | first-word max words << 24 */
    /* scratch for one call */
    lsx_buf text, key;
    tokbuf tb;
    lsx_strmap agg;       /* entity id -> candidate (same index) */
    lsx_strmap lastw;     /* last word of a person -> candidate */
    cand *cands;
    size_t ccands;
    uint32_t *pend;   /* title + one word: resolved at the end */
    size_t npend, cpend;
    lsx_strmap acr;       /* all-caps words of the text -> how often */
    lsx_strmap acrdef;    /* all-caps words in "Name (ACR)" -> index of ACR */
    bool vi;          /* the text is Vietnamese */
    bool foreign;     /* run_en on English words in Vietnamese text: no default type */
    bool sports;      /* the text reports on sport: places can name clubs */
    cpinfo cp[CP_CACHE];
};

static const char *xs(const lsx_extractor *x, uint32_t off)
{
    return x->strs.data + off;
}

static uint32_t put_str(lsx_extractor *x, const char *s, size_t n)
{
    size_t off = x->strs.len;
    lsx_buf_append(&x->strs, s, n);
    lsx_buf_putc(&x->strs, '\0');
    return off > UINT32_MAX / 2 ? 0 : (uint32_t)off;
}

static bool kw_load(lsx_extractor *x)
{
    for (size_t e = 0; e < sizeof kw_src / sizeof *kw_src; e++) {
        const char *p = kw_src[e].list;
        while (*p) {
            const char *q = strchr(p, '|');
            size_t n = q ? (size_t)(q - p) : strlen(p);
            x->text.len = 0;
            if (!prep_text(&x->text, p, n, NULL, x->tb.cp) || !tokenize(&x->tb, x->text.data, x->text.len))
                return false;
            if (x->tb.n) {
                x->key.len = 0;
                for (size_t i = 0; i < x->tb.n; i++) {
                    if (i)
                        lsx_buf_putc(&x->key, ' ');
                    lsx_buf_append(&x->key, tk_low(&x->tb, &x->tb.t[i]), x->tb.t[i].llen);
                }
                if (x->key.oom)
                    return false;
                bool added;
                long k = put_key(&x->kw, &x->key,
                                0, &added);
                if (k < 0)
                    return false;
                x->kw.ents[k].val |= kw_src[e].cls;
                const tok *t0 = &x->tb.t[0];
                long f = lsx__strmap_put(&x->kw, tk_low(&x->tb, t0), t0->llen, t0->lh, 0, &added);
                if (f < 0)
                    return false;
                uint32_t v = x->kw.ents[f].val;
                if ((v >> KW_MAXW_SHIFT) < x->tb.n)
                    x->kw.ents[f].val = (v & KW_CLASS_MASK) | ((uint32_t)x->tb.n << KW_MAXW_SHIFT);
            }
            p += n;
            if (*p == '|')
                p++;
        }
    }
    return true;
}

/* Keyword classes of word i alone. */
static unsigned kw_classes(const lsx_extractor *x, uint32_t v)
{
    v &= KW_CLASS_MASK;
    return (v & KW_ENSTOP) && !x->vi ? v | KW_STOP : v;
}

static unsigned kw_word(const lsx_extractor *x, const tok *t)
{
    long k = lsx__strmap_find(&x->kw, tk_low(&x->tb, t), t->llen, t->lh);
    return k < 0 ? 0 : kw_classes(x, x->kw.ents[k].val);
}

/* Longest keyword phrase starting at word i (words joined by space or
 * hyphen); returns its length in words (0: none) and its classes. */
static size_t kw_longest(lsx_extractor *x, size_t i, unsigned *cls)
{
    const tokbuf *tb = &x->tb;
    const tok *t = &tb->t[i];
    long k = lsx__strmap_find(&x->kw, tk_low(tb, t), t->llen, t->lh);
    *cls = 0;
    if (k < 0)
        return 0;
    uint32_t v = x->kw.ents[k].val;
    size_t maxw = v >> KW_MAXW_SHIFT, avail = 1;
    while (avail < maxw && i + avail < tb->n &&
           (tb->t[i + avail].sep == SEP_SPACE || tb->t[i + avail].sep == SEP_HYPHEN))
        avail++;
    for (size_t w = avail; w >= 2; w--) {
        x->key.len = 0;
        for (size_t j = i; j < i + w; j++) {
            if (j > i)
                lsx_buf_putc(&x->key, ' ');
            lsx_buf_append(&x->key, tk_low(tb, &tb->t[j]), tb->t[j].llen);
        }
        if (x->key.oom)
            return 0;
        long f = find_key(&x->kw, &x->key);
        if (f >= 0 && (x->kw.ents[f].val & KW_CLASS_MASK)) {
            *cls = kw_classes(x, x->kw.ents[f].val);
            return w;
        }
    }
    *cls = kw_classes(x, v);
    return *cls ? 1 : 0;
}

/* ---- gazetteer loading -------------------------------------------------- */

static int gz_error(char *err, const char *path, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int gz_error(char *err, const char *path, size_t line, const char *fmt, ...)
{
    if (err) {
        int k = snprintf(err, LSX_ERRLEN, "%s:%zu: ", path, line);
        if (k < 0)
            k = 0;
        if (k < LSX_ERRLEN) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(err + k, LSX_ERRLEN - (size_t)k, fmt, ap);
            va_end(ap);
        }
    }
    return LSX_EPARSE;
}

static bool valid_utf8_text(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t len;
        int32_t c = decode(s, n, i, &len);
        if (c < 0 || c < 0x20 || c == 0x7F)
            return false;
        i += len;
    }
    return true;
}

static void trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t' || **s == '\r'))
        (*s)++, (*n)--;
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r'))
        (*n)--;
}

static int add_alias(lsx_extractor *x, uint32_t ent, const char *a, size_t n, size_t aliasno,
                     const char *path, size_t line, char *err)
{
    bool exact = false;
    if (n && a[0] == '=') {
        exact = true;
        a++, n--;
        trim(&a, &n);
    }
    char what[64];
    if (aliasno)
        snprintf(what, sizeof what, "field 4 (aliases): alias %zu", aliasno);
    else
        snprintf(what, sizeof what, "field 3 (name)");
    if (!n)
        return gz_error(err, path, line, "%s is empty", what);
    if (!valid_utf8_text(a, n))
        return gz_error(err, path, line, "%s is not valid UTF-8 text", what);
    x->text.len = 0;
    if (!prep_text(&x->text, a, n, NULL, x->tb.cp) || !tokenize(&x->tb, x->text.data, x->text.len))
        return LSX_ENOMEM;
    const tokbuf *tb = &x->tb;
    if (!tb->n)
        return gz_error(err, path, line, "%s '%.*s' has no words", what, (int)n, a);
    if (tb->n > MAX_ALIAS_WORDS)
        return gz_error(err, path, line, "%s '%.*s' has more than %d words", what, (int)n, a,
                        MAX_ALIAS_WORDS);
    gz_alias al = { .entity = ent, .next = NONE, .nwords = (uint32_t)tb->n, .line = (uint32_t)line,
                    .is_exact = exact, .ascii = true };
    x->key.len = 0;
    for (size_t i = 0; i < tb->n; i++) {
        const tok *t = &tb->t[i];
        if (t->flags & TF_NONASCII)
            al.ascii = false;
        if (t->flags & TF_ALLCAPS)
            al.allcaps |= 1u << i;
        else if (t->flags & TF_CAP)
            al.caps |= 1u << i;
        if (i)
            lsx_buf_putc(&x->key, ' ');
        lsx_buf_append(&x->key, tk_low(tb, t), t->llen);
    }
    if (x->key.oom)
        return LSX_ENOMEM;
    al.lowkey = put_str(x, x->key.data, x->key.len);
    al.lowkey_len = (uint32_t)x->key.len;
    if (exact) {
        al.exact = put_str(x, x->text.data + tb->t[0].start, tb->t[tb->n - 1].end - tb->t[0].start);
        al.exact_len = tb->t[tb->n - 1].end - tb->t[0].start;
    }
    x->key.len = 0;
    for (size_t i = 0; i < tb->n; i++) {
        if (i)
            lsx_buf_putc(&x->key, ' ');
        lsx_buf_append(&x->key, tk_fold(tb, &tb->t[i]), tb->t[i].flen);
    }
    if (x->key.oom || x->strs.oom)
        return LSX_ENOMEM;
    bool added;
    long k = put_key(&x->gz, &x->key, NONE, &added);
    if (k < 0)
        return LSX_ENOMEM;
    for (uint32_t o = x->gz.ents[k].val; o != NONE; o = x->als[o].next) {
        const gz_alias *p = &x->als[o];
        if (p->entity != ent)
            return gz_error(err, path, line, "%s '%.*s' is already an alias of '%s' (line %u)",
                            what, (int)n, a, xs(x, x->ents[p->entity].id), p->line);
        if (p->caps == al.caps && p->allcaps == al.allcaps && p->is_exact == exact &&
            (!exact || (p->exact_len == al.exact_len &&
                        memcmp(xs(x, p->exact), xs(x, al.exact), al.exact_len) == 0))) {
            if (!al.ascii)
                x->als[o].ascii = false;   /* it has a spelling with diacritics */
            return LSX_OK;   /* the same alias again (e.g. with and without diacritics) */
        }
    }
    gz_alias *p = lsx__grow(x->als, x->nals, &x->cals, sizeof *p, 256);
    if (!p)
        return LSX_ENOMEM;
    x->als = p;
    al.next = x->gz.ents[k].val;
    x->gz.ents[k].val = (uint32_t)x->nals;
    x->als[x->nals++] = al;
    const tok *t0 = &tb->t[0];
    long f = lsx__strmap_put(&x->gzfirst, tk_fold(tb, t0), t0->flen, t0->fh, 0, &added);
    if (f < 0)
        return LSX_ENOMEM;
    x->gzfirst.ents[f].val |= 1u << (tb->n - 1);
    return LSX_OK;
}

/* Ids of the countries, nations and world regions (sorted; written by
 * data/build-gazetteer.py): places that never stand for a club. */
static const char *const nation_ids[] = {
#include "nations.inc"
};

static bool nation_id(const char *id, size_t n)
{
    return lsx__in_sorted(nation_ids, sizeof nation_ids / sizeof *nation_ids, id, n);
}

static int parse_line(lsx_extractor *x, const char *s, size_t n, const char *path, size_t line,
                      char *err)
{
    const char *f[4];
    size_t fl[4], nf = 0;
    const char *p = s, *end = s + n;
    for (;;) {
        const char *tab = memchr(p, '\t', (size_t)(end - p));
        const char *e = tab ? tab : end;
        if (nf < 4) {
            f[nf] = p;
            fl[nf] = (size_t)(e - p);
        }
        nf++;
        if (!tab)
            break;
        p = tab + 1;
    }
    if (nf != 4)
        return gz_error(err, path, line,
                        "expected 4 TAB-separated fields (id, type, name, aliases), found %zu", nf);
    for (int i = 0; i < 4; i++)
        trim(&f[i], &fl[i]);
    /* field 1: id */
    if (!fl[0])
        return gz_error(err, path, line, "field 1 (id) is empty");
    if (fl[0] > LSX_MAX_ID_BYTES)
        return gz_error(err, path, line, "field 1 (id) is longer than %d bytes", LSX_MAX_ID_BYTES);
    for (size_t i = 0; i < fl[0]; i++) {
        char c = f[0][i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i > 0)))
            return gz_error(err, path, line,
                            "field 1 (id) '%.*s': use lowercase ASCII letters, digits and '-'",
                            (int)fl[0], f[0]);
    }
    /* field 2: type */
    lsx_entity_type type;
    if (fl[1] == 6 && !memcmp(f[1], "person", 6))
        type = LSX_ENTITY_PERSON;
    else if (fl[1] == 3 && !memcmp(f[1], "org", 3))
        type = LSX_ENTITY_ORG;
    else if (fl[1] == 5 && !memcmp(f[1], "place", 5))
        type = LSX_ENTITY_PLACE;
    else if (fl[1] == 5 && !memcmp(f[1], "other", 5))
        type = LSX_ENTITY_OTHER;
    else
        return gz_error(err, path, line,
                        "field 2 (type) '%.*s': expected person, org, place or other",
                        (int)(fl[1] > 40 ? 40 : fl[1]), f[1]);
    /* field 3: display name */
    if (!fl[2])
        return gz_error(err, path, line, "field 3 (name) is empty");
    if (!valid_utf8_text(f[2], fl[2]))
        return gz_error(err, path, line, "field 3 (name) is not valid UTF-8 text");
    bool added;
    long k = lsx__strmap_put(&x->ids, f[0], fl[0], lsx__hash(f[0], fl[0]), (uint32_t)x->nents,
                             &added);
    if (k < 0)
        return LSX_ENOMEM;
    if (!added)
        return gz_error(err, path, line, "field 1 (id) '%.*s' is already defined on line %u",
                        (int)fl[0], f[0], x->ents[x->ids.ents[k].val].line);
    gz_entity *e = lsx__grow(x->ents, x->nents, &x->cents, sizeof *e, 128);
    if (!e)
        return LSX_ENOMEM;
    x->ents = e;
    gz_entity *ge = &x->ents[x->nents++];
    ge->type = type;
    ge->nation = type == LSX_ENTITY_PLACE && nation_id(f[0], fl[0]);
    ge->line = (uint32_t)line;
    ge->id = put_str(x, f[0], fl[0]);
    x->text.len = 0;
    if (!prep_text(&x->text, f[2], fl[2], NULL, x->tb.cp))
        return LSX_ENOMEM;
    ge->name = put_str(x, x->text.data, x->text.len);
    if (x->strs.oom)
        return LSX_ENOMEM;
    uint32_t ent = (uint32_t)(x->nents - 1);
    int rc = add_alias(x, ent, f[2], fl[2], 0, path, line, err);
    if (rc)
        return rc;
    /* field 4: aliases */
    const char *a = f[3], *aend = f[3] + fl[3];
    size_t no = 1;
    while (fl[3] && a <= aend) {
        const char *bar = memchr(a, '|', (size_t)(aend - a));
        const char *e = bar ? bar : aend;
        const char *t = a;
        size_t tl = (size_t)(e - a);
        trim(&t, &tl);
        if ((rc = add_alias(x, ent, t, tl, no++, path, line, err)) != 0)
            return rc;
        if (!bar)
            break;
        a = bar + 1;
    }
    return LSX_OK;
}

static int gz_load(lsx_extractor *x, const char *path, char *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return lsx__seterr(err, errno == ENOENT ? LSX_ENOTFOUND : LSX_EIO,
                           "cannot open gazetteer %s: %s", path, strerror(errno));
    lsx_buf data = { 0 };
    char chunk[65536];
    size_t r;
    while ((r = fread(chunk, 1, sizeof chunk, fp)) > 0)
        lsx_buf_append(&data, chunk, r);
    int bad = ferror(fp);
    fclose(fp);
    if (bad) {
        lsx_buf_free(&data);
        return lsx__seterr(err, LSX_EIO, "cannot read gazetteer %s", path);
    }
    if (data.oom) {
        lsx_buf_free(&data);
        return lsx__seterr(err, LSX_ENOMEM, "out of memory reading %s", path);
    }
    const char *s = data.data ? data.data : "";
    size_t n = data.len, pos = 0, line = 0;
    int rc = LSX_OK;
    if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
        pos = 3;
    while (pos < n && rc == LSX_OK) {
        const char *nlp = memchr(s + pos, '\n', n - pos);
        size_t e = nlp ? (size_t)(nlp - s) : n;
        line++;
        const char *l = s + pos;
        size_t ll = e - pos;
        pos = nlp ? e + 1 : n;
        if (memchr(l, '\0', ll)) {
            rc = gz_error(err, path, line, "NUL byte in line");
            break;
        }
        const char *c = l;
        size_t cl = ll;
        while (cl && (*c == ' ' || *c == '\t' || *c == '\r'))
            c++, cl--;
        if (!cl || *c == '#')
            continue;
        while (ll && l[ll - 1] == '\r')
            ll--;
        rc = parse_line(x, l, ll, path, line, err);
        if (rc == LSX_ENOMEM)
            lsx__seterr(err, rc, "out of memory loading %s", path);
    }
    lsx_buf_free(&data);
    return rc;
}

#ifdef LSX_PKGDATADIR
static bool readable(const char *path)
{
    return access(path, R_OK) == 0;
}
#endif

void lsx_extractor_free(lsx_extractor *x)
{
    if (!x)
        return;
    lsx_buf_free(&x->strs);
    free(x->ents);
    free(x->als);
    lsx__strmap_free(&x->gz);
    lsx__strmap_free(&x->gzfirst);
    lsx__strmap_free(&x->ids);
    lsx__strmap_free(&x->kw);
    lsx_buf_free(&x->text);
    lsx_buf_free(&x->key);
    tokbuf_free(&x->tb);
    lsx__strmap_free(&x->agg);
    lsx__strmap_free(&x->lastw);
    lsx__strmap_free(&x->acr);
    lsx__strmap_free(&x->acrdef);
    free(x->cands);
    free(x->pend);
    free(x);
}

/* ---- the compiled gazetteer cache -----------------------------------------
 *
 * Loading gazetteer.tsv (parsing, normalising and hashing some 20,000
 * aliases) and the keyword tables takes about 9 ms, paid by every process
 * that makes an extractor: a one-shot `search` looks query words up in it.
 * After a load from the TSV the extractor's tables (strings, entities,
 * aliases, the four hash maps) are written as they are in memory to
 * DIR/gazetteer-HASH.bin, HASH the FNV-1a hash of the TSV's absolute path,
 * DIR $LSX_CACHE_DIR, else $XDG_CACHE_HOME/libsearch, else
 * $HOME/.cache/libsearch ($LSX_CACHE_DIR set but empty: no cache).  The
 * next load reads them back (a few copies) when the file's header names the
 * same TSV size, modification time and inode and the same build (format
 * number, keyword tables, nations, record sizes); otherwise, or if anything
 * about the file is wrong, it loads the TSV.  Writing is best effort (a
 * temporary file renamed into place): a cache that cannot be written only
 * costs the time it would have saved. */

#define GZC_MAGIC "LSXGZC03"

typedef struct gzc_header {
    char magic[8];
    uint64_t build, size, ino;
    int64_t mtime, mtime_ns;
    uint64_t nents, nals, strs;
    uint64_t sum;              /* gzc_sum of everything after the header */
} gzc_header;

/* A checksum of n bytes, eight at a time (damage, not malice, is the
 * concern: a cache file cut short or overwritten). */
static uint64_t gzc_sum(const char *p, size_t n)
{
    uint64_t h = 14695981039346656037ull, w;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 1099511628211ull;
        h ^= h >> 29;
    }
    for (; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
    return h ^ n;
}

static uint64_t fnv64(uint64_t h, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++) {
        h ^= c[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* What the cache depends on besides the TSV: this code's tables and
 * records, and the file this code was loaded from (the shared library, or
 * the program linked with the static one): a rebuilt library, whose folding
 * or matching may have changed, does not read a cache an older one wrote.
 * 0 when that file cannot be known: no cache. */
static uint64_t gzc_build(void)
{
    Dl_info info;
    struct stat lib;
    if (!dladdr((void *)&gzc_build, &info) || !info.dli_fname || stat(info.dli_fname, &lib) != 0)
        return 0;
    int64_t libid[4] = { (int64_t)lib.st_size, (int64_t)lib.st_ino, (int64_t)lib.st_mtim.tv_sec,
                         (int64_t)lib.st_mtim.tv_nsec };
    uint64_t h = fnv64(14695981039346656037ull, GZC_MAGIC LSX_VERSION_STRING,
                       sizeof GZC_MAGIC LSX_VERSION_STRING);
    h = fnv64(h, libid, sizeof libid);
    for (size_t e = 0; e < sizeof kw_src / sizeof *kw_src; e++) {
        h = fnv64(h, &kw_src[e].cls, sizeof kw_src[e].cls);
        h = fnv64(h, kw_src[e].list, strlen(kw_src[e].list));
    }
    for (size_t i = 0; i < sizeof nation_ids / sizeof *nation_ids; i++)
        h = fnv64(h, nation_ids[i], strlen(nation_ids[i]) + 1);
    size_t sz[] = { sizeof(gz_entity), sizeof(gz_alias), sizeof(lsx_strmap_ent), sizeof(size_t) };
    return fnv64(h, sz, sizeof sz);
}

static bool gzc_path(const char *src, char *out, size_t n, char *dir, size_t dn)
{
    const char *d = getenv("LSX_CACHE_DIR");
    int r;
    if (d)
        r = *d ? snprintf(dir, dn, "%s", d) : -1;
    else if ((d = getenv("XDG_CACHE_HOME")) && *d == '/')
        r = snprintf(dir, dn, "%s/libsearch", d);
    else if ((d = getenv("HOME")) && *d == '/')
        r = snprintf(dir, dn, "%s/.cache/libsearch", d);
    else
        r = -1;
    if (r < 0 || (size_t)r >= dn)
        return false;
    char *abs = realpath(src, NULL);
    if (!abs)
        return false;
    uint64_t h = fnv64(14695981039346656037ull, abs, strlen(abs));
    free(abs);
    r = snprintf(out, n, "%s/gazetteer-%016llx.bin", dir, (unsigned long long)h);
    return r > 0 && (size_t)r < n;
}

static void gzc_stat(const struct stat *st, uint64_t build, gzc_header *h)
{
    memcpy(h->magic, GZC_MAGIC, 8);
    h->build = build;
    h->size = (uint64_t)st->st_size;
    h->ino = (uint64_t)st->st_ino;
    h->mtime = (int64_t)st->st_mtim.tv_sec;
    h->mtime_ns = (int64_t)st->st_mtim.tv_nsec;
}

static bool gzc_put(FILE *f, const void *p, size_t n)
{
    return !n || fwrite(p, 1, n, f) == n;
}

static bool gzc_put_map(FILE *f, const lsx_strmap *m)
{
    uint64_t v[3] = { m->n, m->nslots, m->keys.len };
    return gzc_put(f, v, sizeof v) && gzc_put(f, m->ents, m->n * sizeof *m->ents) &&
           gzc_put(f, m->slots, m->nslots * sizeof *m->slots) && gzc_put(f, m->keys.data, m->keys.len);
}

static void gzc_write(const lsx_extractor *x, const char *cpath, const char *dir, const struct stat *st,
                      uint64_t build)
{
    char parent[4096];
    snprintf(parent, sizeof parent, "%s", dir);
    char *slash = strrchr(parent, '/');
    if (slash && slash != parent) {
        *slash = '\0';
        mkdir(parent, 0700);            /* ~/.cache */
    }
    mkdir(dir, 0700);
    char tmp[4400];
    int r = snprintf(tmp, sizeof tmp, "%.4200s.%ld.tmp", cpath, (long)getpid());
    if (r < 0 || (size_t)r >= sizeof tmp)
        return;
    /* the body goes through memory first: its checksum is in the header */
    char *body = NULL;
    size_t blen = 0;
    FILE *m = open_memstream(&body, &blen);
    if (!m)
        return;
    bool ok = gzc_put(m, x->strs.data, x->strs.len) &&
              gzc_put(m, x->ents, x->nents * sizeof *x->ents) &&
              gzc_put(m, x->als, x->nals * sizeof *x->als) && gzc_put_map(m, &x->gz) &&
              gzc_put_map(m, &x->gzfirst) && gzc_put_map(m, &x->ids) && gzc_put_map(m, &x->kw);
    ok = (fclose(m) == 0) && ok;
    FILE *f = ok ? fopen(tmp, "wb") : NULL;
    if (!f) {
        free(body);
        return;
    }
    gzc_header h;
    memset(&h, 0, sizeof h);
    gzc_stat(st, build, &h);
    h.nents = x->nents;
    h.nals = x->nals;
    h.strs = x->strs.len;
    h.sum = gzc_sum(body, blen);
    ok = gzc_put(f, &h, sizeof h) && gzc_put(f, body, blen);
    free(body);
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, cpath) != 0)
        unlink(tmp);
}

/* A copy of n bytes at *p (advanced; one more byte allocated, set to
 * NUL), or NULL (and *ok false) past end. */
static void *gzc_take(const char **p, const char *end, size_t n, bool *ok)
{
    if (!*ok || (size_t)(end - *p) < n) {
        *ok = false;
        return NULL;
    }
    char *c = malloc(n + 1);
    if (!c) {
        *ok = false;
        return NULL;
    }
    memcpy(c, *p, n);
    c[n] = '\0';
    *p += n;
    return c;
}

static bool gzc_take_map(const char **p, const char *end, lsx_strmap *m)
{
    uint64_t v[3];
    if ((size_t)(end - *p) < sizeof v)
        return false;
    memcpy(v, *p, sizeof v);
    *p += sizeof v;
    /* counts that fit the file, and a table the map's look-ups can use */
    if (v[0] > (uint64_t)(end - *p) / sizeof *m->ents || v[1] > (uint64_t)(end - *p) / sizeof *m->slots ||
        (v[1] & (v[1] - 1)) || (v[0] && v[1] <= v[0]))
        return false;
    bool ok = true;
    m->ents = gzc_take(p, end, v[0] * sizeof *m->ents, &ok);
    m->n = m->cap = v[0];
    m->slots = gzc_take(p, end, v[1] * sizeof *m->slots, &ok);
    m->nslots = v[1];
    m->keys.data = gzc_take(p, end, v[2], &ok);
    m->keys.len = m->keys.cap = v[2];
    if (!ok)
        return false;
    /* every entry's key lies in the keys and every slot names an entry */
    for (size_t i = 0; i < m->n; i++)
        if ((uint64_t)m->ents[i].off + m->ents[i].len >= v[2])
            return false;
    size_t used = 0;                     /* so a look-up always meets an empty slot */
    for (size_t i = 0; i < m->nslots; i++) {
        if (m->slots[i] > m->n)
            return false;
        used += m->slots[i] != 0;
    }
    return used == m->n;
}

static bool gzc_read(lsx_extractor *x, const char *cpath, const struct stat *st, uint64_t build)
{
    FILE *f = fopen(cpath, "rb");
    if (!f)
        return false;
    lsx_buf d = { 0 };
    char chunk[65536];
    size_t r;
    while ((r = fread(chunk, 1, sizeof chunk, f)) > 0)
        lsx_buf_append(&d, chunk, r);
    fclose(f);
    gzc_header want, h;
    memset(&want, 0, sizeof want);
    gzc_stat(st, build, &want);
    bool ok = !d.oom && d.len >= sizeof h;
    if (ok) {
        memcpy(&h, d.data, sizeof h);
        ok = !memcmp(h.magic, want.magic, 8) && h.build == want.build && h.size == want.size &&
             h.ino == want.ino && h.mtime == want.mtime && h.mtime_ns == want.mtime_ns &&
             h.nents < UINT32_MAX && h.nals < UINT32_MAX &&
             h.sum == gzc_sum(d.data + sizeof h, d.len - sizeof h);
    }
    const char *p = d.data + sizeof h, *end = d.data + d.len;
    if (ok) {
        x->strs.data = gzc_take(&p, end, h.strs, &ok);
        x->strs.len = x->strs.cap = h.strs;
        x->ents = gzc_take(&p, end, h.nents * sizeof *x->ents, &ok);
        x->nents = x->cents = h.nents;
        x->als = gzc_take(&p, end, h.nals * sizeof *x->als, &ok);
        x->nals = x->cals = h.nals;
        ok = ok && gzc_take_map(&p, end, &x->gz) && gzc_take_map(&p, end, &x->gzfirst) &&
             gzc_take_map(&p, end, &x->ids) && gzc_take_map(&p, end, &x->kw) && p == end;
    }
    /* offsets into the strings and entity numbers stay inside */
    for (size_t i = 0; ok && i < x->nents; i++)
        ok = x->ents[i].id < h.strs && x->ents[i].name < h.strs;
    for (size_t i = 0; ok && i < x->nals; i++)
        ok = x->als[i].entity < x->nents && (x->als[i].next == NONE || x->als[i].next < x->nals) &&
             x->als[i].exact <= h.strs && x->als[i].lowkey <= h.strs &&
             x->als[i].exact_len <= h.strs - x->als[i].exact &&
             x->als[i].lowkey_len <= h.strs - x->als[i].lowkey;
    for (size_t i = 0; ok && i < x->gz.n; i++)
        ok = x->gz.ents[i].val < x->nals;
    for (size_t i = 0; ok && i < x->ids.n; i++)
        ok = x->ids.ents[i].val < x->nents;
    lsx_buf_free(&d);
    if (!ok) {
        lsx_buf_free(&x->strs);
        free(x->ents);
        free(x->als);
        x->ents = NULL;
        x->als = NULL;
        x->nents = x->cents = x->nals = x->cals = 0;
        lsx__strmap_free(&x->gz);
        lsx__strmap_free(&x->gzfirst);
        lsx__strmap_free(&x->ids);
        lsx__strmap_free(&x->kw);
        memset(&x->gz, 0, sizeof x->gz);
        memset(&x->gzfirst, 0, sizeof x->gzfirst);
        memset(&x->ids, 0, sizeof x->ids);
        memset(&x->kw, 0, sizeof x->kw);
    }
    return ok;
}

int lsx_extractor_new(lsx_extractor **out, const char *path, char *err)
{
    if (!out)
        return lsx__seterr(err, LSX_EINVAL, "lsx_extractor_new: out is NULL");
    *out = NULL;
    char buf[4096];
    (void)buf;
    if (!path) {
        const char *env = getenv("LSX_GAZETTEER");
        if (env && *env) {
            path = env;
        } else {
#ifdef LSX_PKGDATADIR
            snprintf(buf, sizeof buf, "%s/gazetteer.tsv", LSX_PKGDATADIR);
            if (readable(buf))
                path = buf;
#endif
            if (!path)
                return lsx__seterr(err, LSX_ENOTFOUND,
                                   "gazetteer.tsv not found: set LSX_GAZETTEER to its path"
#ifdef LSX_PKGDATADIR
                                   " or install it in " LSX_PKGDATADIR
#endif
                                   );
        }
    }
    lsx_extractor *x = calloc(1, sizeof *x);
    if (!x)
        return lsx__seterr(err, LSX_ENOMEM, "out of memory");
    x->tb.cp = x->cp;   /* calloc: every entry unfilled */
    struct stat st;
    char cpath[4200], cdir[4096];
    uint64_t build = 0;
    bool cache = stat(path, &st) == 0 && S_ISREG(st.st_mode) && (build = gzc_build()) != 0 &&
                 gzc_path(path, cpath, sizeof cpath, cdir, sizeof cdir);
    if (cache && gzc_read(x, cpath, &st, build)) {
        *out = x;
        return LSX_OK;
    }
    if (!kw_load(x)) {
        lsx_extractor_free(x);
        return lsx__seterr(err, LSX_ENOMEM, "out of memory");
    }
    int rc = gz_load(x, path, err);
    if (rc) {
        lsx_extractor_free(x);
        return rc;
    }
    if (cache)
        gzc_write(x, cpath, cdir, &st, build);
    *out = x;
    return LSX_OK;
}

/* ======================================================================
 * Matching
 * ====================================================================== */

enum { MATCH_TEXT, MATCH_STRICT, MATCH_RELAXED };

static bool join_words(lsx_extractor *x, size_t a, size_t b, char sep, bool low)
{
    const tokbuf *tb = &x->tb;
    x->key.len = 0;
    for (size_t j = a; j < b; j++) {
        if (j > a)
            lsx_buf_putc(&x->key, sep);
        const tok *t = &tb->t[j];
        if (low)
            lsx_buf_append(&x->key, tk_low(tb, t), t->llen);
        else
            lsx_buf_append(&x->key, tk_fold(tb, t), t->flen);
    }
    lsx_buf_putc(&x->key, '\0');
    x->key.len--;
    return !x->key.oom;
}

/* Does alias al fit words i..i+w-1?  (MATCH_TEXT: in running text.) */
static bool alias_ok(lsx_extractor *x, const gz_alias *al, size_t i, size_t w, int mode)
{
    const tokbuf *tb = &x->tb;
    if (mode == MATCH_TEXT) {
        if (i + w < tb->n && tb->t[i + w].sep == SEP_SPACE && (tb->t[i + w].kwc & KW_CURRENCY) &&
            x->ents[al->entity].type == LSX_ENTITY_PLACE)
            return false;                      /* "US dollars" */
        for (size_t k = 0; k < w; k++) {
            uint16_t fl = tb->t[i + k].flags;
            if (((al->allcaps >> k) & 1) && !(fl & TF_ALLCAPS))
                return false;
            if (((al->caps >> k) & 1) && !(fl & TF_CAP))
                return false;
            if (al->ascii && (fl & TF_NONASCII))
                return false;                  /* "Bộ" is not "Bo", "Mòn" not "Mon" */
        }
        lsx_entity_type et = x->ents[al->entity].type;
        const tok *pv = i > 0 && tb->t[i].sep == SEP_SPACE ? &tb->t[i - 1] : NULL;
        const tok *nx = i + w < tb->n && tb->t[i + w].sep == SEP_SPACE ? &tb->t[i + w] : NULL;
        if (et == LSX_ENTITY_PLACE && pv && (pv->kwc & KW_LANG) &&
            (!(pv->flags & TF_CAP) || (pv->sf & SF_SENT)))
            return false;                      /* "tiếng Anh", "người Việt Nam" */
        if (al->is_exact && pv && ((pv->kwc & KW_KIN) || tk_is(tb, pv, "ông") ||
                                   tk_is(tb, pv, "bà") || tk_is(tb, pv, "ngài") || tk_is(tb, pv, "cụ")))
            return false;                      /* "anh Đức", "ông Nga"; not "Ngoại trưởng Nga" */
        if (x->vi && et == LSX_ENTITY_PLACE && pv && (pv->flags & TF_CAP) && (pv->kwc & KW_SURNAME) &&
            !(pv->mark & TM_GZ) && !(pv->kwc & (KW_PLACEPRE | KW_VIORG | KW_STOP)))
            return false;                      /* "Trương Hòa Bình": a person named after a place */
        if (al->is_exact && nx && (nx->flags & TF_CAP) && !(nx->kwc & (KW_STOP | KW_CONJ)) &&
            ((nx->flags & TF_NONASCII) || (nx->kwc & (KW_VIGIVEN | KW_SURNAME))))
            return false;                      /* "Anh Vũ", "Đức Huy", not "Mỹ Donald Trump" */
        if ((et == LSX_ENTITY_PLACE || et == LSX_ENTITY_ORG) && (w == 1 || (x->vi && (al->caps & 1))) &&
            !al->is_exact && !(tb->t[i].mark & TM_HEADLINE)) {
            /* a place word inside a longer name: "Thu Trang", "Real Madrid",
             * "Chicago Cubs" (English), not "Mayor ... Madrid" */
            const uint32_t open = KW_STOP | KW_TITLE | KW_PORTFOLIO | KW_DEMONYM | KW_LOCPREP |
                                  KW_PLACEPRE | KW_VIORG | KW_VIEVENT | KW_KIN | KW_CONNECT |
                                  KW_CONJ | KW_SPEECH | KW_SENTSTOP;
            /* (Vietnamese: places of several words too, "Hãng phim Truyện
             * Việt Nam", "Hoa hậu Hoàn Vũ Việt Nam") */
            if (pv && (pv->flags & TF_CAP) && !(pv->sf & SF_SENT) && !(pv->mark & TM_GZ) &&
                !(pv->kwc & open) && !(pv->flags & TF_DIGIT) && !(pv->flags & TF_ALLCAPS && x->vi))
                return false;
            if (nx && !x->vi && et == LSX_ENTITY_PLACE && !(tb->t[i + w - 1].flags & TF_POSS) &&
                (nx->flags & TF_CAP) && !(nx->flags & TF_ALLCAPS) &&
                !(nx->kwc & (open | KW_PLACE | KW_EVENT)))
                return false;
        }
        if (al->is_exact) {
            size_t a = tb->t[i].start, b = tb->t[i + w - 1].end;
            if (b - a != al->exact_len || memcmp(x->text.data + a, xs(x, al->exact), b - a))
                return false;
            if (i > 0 && tb->t[i].sep == SEP_SPACE && (tb->t[i - 1].flags & TF_CAP) &&
                !(tb->t[i - 1].mark & TM_GZ))
                return false;                  /* "Tuấn Anh" */
            if (i > 0 && tb->t[i].sep == SEP_SPACE && (tb->t[i - 1].kwc & KW_PLACEPRE))
                return false;                  /* "huyện Mỹ Đức" */
            if ((tb->t[i].sf & SF_SENT) &&
                !(i + w < tb->n && (tb->t[i + w].sep == SEP_BREAK || (tb->t[i + w].kwc & KW_CONJ))))
                return false;                  /* "Anh ấy nói", but "Đức và Ý" */
        }
        return true;
    }
    if (mode == MATCH_STRICT && al->allcaps) {
        for (size_t k = 0; k < w; k++)
            if (((al->allcaps >> k) & 1) && !(tb->t[i + k].flags & TF_ALLCAPS))
                return false;
    }
    if (al->is_exact && mode == MATCH_STRICT) {
        size_t a = tb->t[i].start, b = tb->t[i + w - 1].end;
        return b - a == al->exact_len && !memcmp(x->text.data + a, xs(x, al->exact), b - a);
    }
    if (al->is_exact) {
        /* a name typed by a user: the diacritics must be right, not the case */
        size_t len = 0;
        for (size_t k = 0; k < w; k++)
            len += tb->t[i + k].llen + (k > 0);
        if (len != al->lowkey_len)
            return false;
        const char *p = xs(x, al->lowkey);
        for (size_t k = 0; k < w; k++) {
            const tok *t = &tb->t[i + k];
            if (memcmp(p, tk_low(tb, t), t->llen))
                return false;
            p += t->llen + 1;
        }
    }
    return true;
}

/* Longest alias starting at word i (within words < lim); returns its
 * length in words and the entity in *ent. */
static size_t gz_match(lsx_extractor *x, size_t i, size_t lim, int mode, uint32_t *ent)
{
    const tokbuf *tb = &x->tb;
    const tok *t = &tb->t[i];
    long f = lsx__strmap_find(&x->gzfirst, tk_fold(tb, t), t->flen, t->fh);
    if (f < 0)
        return 0;
    uint32_t lens = x->gzfirst.ents[f].val;   /* only the lengths some alias has */
    size_t maxw = 32 - (size_t)__builtin_clz(lens), avail = 1;
    while (avail < maxw && i + avail < lim &&
           (mode != MATCH_TEXT || tb->t[i + avail].sep != SEP_BREAK))
        avail++;
    for (size_t w = avail; w >= 1; w--) {
        if (!(lens >> (w - 1) & 1))
            continue;
        if (!join_words(x, i, i + w, ' ', false))
            return 0;
        long k = find_key(&x->gz, &x->key);
        if (k < 0)
            continue;
        for (uint32_t o = x->gz.ents[k].val; o != NONE; o = x->als[o].next) {
            if (alias_ok(x, &x->als[o], i, w, mode)) {
                *ent = x->als[o].entity;
                return w;
            }
        }
    }
    return 0;
}

/* ---- candidates ---------------------------------------------------------- */

static int disp_score(const lsx_extractor *x, size_t a, size_t b)
{
    int s = 0;
    bool lower = false;
    for (size_t j = a; j <= b; j++) {
        uint16_t f = x->tb.t[j].flags;
        if (f & TF_NONASCII)
            s += 2;
        if (f & TF_LOWER)
            lower = true;
    }
    return s + lower;
}

/* Count a mention of entity `id` (words a..b).  Returns the candidate or -1 (OOM). */
static long add_cand(lsx_extractor *x, const char *id, size_t idlen, lsx_entity_type type,
                     int32_t gz, size_t a, size_t b)
{
    bool added;
    long k = lsx__strmap_put(&x->agg, id, idlen, lsx__hash(id, idlen), 0, &added);
    if (k < 0)
        return -1;
    if (added) {
        if ((size_t)k >= x->ccands) {
            size_t cap = x->ccands ? x->ccands * 2 : 64;
            cand *c = realloc(x->cands, cap * sizeof *c);
            if (!c)
                return -1;
            x->cands = c;
            x->ccands = cap;
        }
        x->cands[k] = (cand){ gz, type, 0, (uint32_t)a, (uint32_t)a, (uint32_t)b,
                              disp_score(x, a, b), false, false, false, 0 };
    }
    cand *c = &x->cands[k];
    c->count++;
    if (c->type == LSX_ENTITY_OTHER && type != LSX_ENTITY_OTHER && gz < 0)
        c->type = type;
    if (c->gz < 0) {
        int s = disp_score(x, a, b);
        if (s > c->dscore) {
            c->da = (uint32_t)a;
            c->db = (uint32_t)b;
            c->dscore = s;
        }
    }
    for (size_t j = a; j <= b; j++) {
        x->tb.t[j].ment = (int32_t)k;
        x->tb.t[j].mark |= TM_USED;
    }
    return k;
}

/* A detected name (words a..b): its id is the folded words joined by '-'. */
static int emit_name(lsx_extractor *x, size_t a, size_t b, lsx_entity_type type)
{
    const tokbuf *tb = &x->tb;
    if (b <= a + 1 && type != LSX_ENTITY_ORG && type != LSX_ENTITY_PLACE && x->lastw.n) {
        /* "Dũng", "Thuy Linh" after "Nguyen Thuy Linh": the last words of a person */
        if (!join_words(x, a, b + 1, ' ', false))
            return LSX_ENOMEM;
        long l = find_key(&x->lastw, &x->key);
        if (l >= 0 && x->lastw.ents[l].val != NONE) {
            uint32_t c = x->lastw.ents[l].val;
            x->cands[c].count++;
            for (size_t j = a; j <= b; j++) {
                x->tb.t[j].ment = (int32_t)c;
                x->tb.t[j].mark |= TM_USED;
            }
            return LSX_OK;
        }
    }
    if (!join_words(x, a, b + 1, '-', false))
        return LSX_ENOMEM;
    if (x->key.len > MAX_DETECTED_ID)
        return LSX_OK;
    long g = find_key(&x->ids, &x->key);
    long k;
    if (g >= 0) {
        uint32_t e = x->ids.ents[g].val;
        k = add_cand(x, xs(x, x->ents[e].id), strlen(xs(x, x->ents[e].id)), x->ents[e].type,
                     (int32_t)e, a, b);
    } else {
        k = add_cand(x, x->key.data, x->key.len, type, -1, a, b);
    }
    if (k < 0)
        return LSX_ENOMEM;
    if (type == LSX_ENTITY_PERSON && b > a && x->cands[k].type == LSX_ENTITY_PERSON) {
        x->cands[k].multi = true;
        const tok *t = &tb->t[b];
        bool added;
        long l = lsx__strmap_put(&x->lastw, tk_fold(tb, t), t->flen, t->fh, (uint32_t)k, &added);
        if (l < 0)
            return LSX_ENOMEM;
        if (!added && x->lastw.ents[l].val != (uint32_t)k)
            x->lastw.ents[l].val = NONE;       /* two people share it: ambiguous */
        if (b >= a + 2) {
            if (!join_words(x, b - 1, b + 1, ' ', false))
                return LSX_ENOMEM;
            l = put_key(&x->lastw, &x->key,
                       (uint32_t)k, &added);
            if (l < 0)
                return LSX_ENOMEM;
            if (!added && x->lastw.ents[l].val != (uint32_t)k)
                x->lastw.ents[l].val = NONE;
        }
    }
    return LSX_OK;
}

static int add_pending(lsx_extractor *x, size_t i)
{
    uint32_t *p = lsx__grow(x->pend, x->npend, &x->cpend, sizeof *p, 16);
    if (!p)
        return LSX_ENOMEM;
    x->pend = p;
    x->pend[x->npend++] = (uint32_t)i;
    x->tb.t[i].mark |= TM_USED;
    return LSX_OK;
}

/* ---- the detector ---------------------------------------------------------- */

/* English given names (folded, sorted; data/build-gazetteer.py writes them) */
static const char *const given_names[] = {
#include "names.inc"
};

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Is t a capitalised given name ("Kennet", "Linda")?  (Remembered in the
 * word's flags: runs look at the same words more than once.) */
static bool given_name(const tokbuf *tb, const tok *t)
{
    if (!(t->flags & TF_CAP) || (t->flags & (TF_ALLCAPS | TF_DIGIT)) || t->flen < 3)
        return false;
    if (!(t->flags & TF_GCHK)) {
        const char *k = tk_fold(tb, t);
        tok *w = (tok *)t;     /* words live in the extractor's own buffer */
        w->flags |= TF_GCHK;
        if (bsearch(&k, given_names, sizeof given_names / sizeof *given_names,
                    sizeof *given_names, cmp_cstr))
            w->flags |= TF_GIVEN;
    }
    return (t->flags & TF_GIVEN) != 0;
}

/* Chinese (pinyin) and Korean family names, which come first: "Li Peng",
 * "Hu Ling", "Park Ji-sung" (common English words left out: Long, Song...) */
static bool east_asian_surname(const tokbuf *tb, const tok *t)
{
    static const char *const names[] = {
        "bai", "cai", "cao", "chang", "chen", "cheng", "choi", "chung", "cui", "dai", "deng",
        "ding", "dong", "du", "feng", "gao", "gong", "guo", "han", "hao", "hou", "hu", "hua",
        "huang", "hwang", "jang", "jeon", "jeong", "jia", "jiang", "jin", "jung", "kang", "kim",
        "kong", "kwon", "lee", "li", "liang", "liao", "lim", "lin", "liu", "lu", "luo", "lyu",
        "meng", "park", "peng", "qian", "qin", "ren", "seo", "shen", "shi", "shin", "su", "sun",
        "tan", "tian", "wang", "wei", "wen", "wu", "xia", "xiao", "xie", "xiong", "xu", "xue",
        "yan", "yang", "yao", "ye", "yin", "yoon", "yu", "yuan", "zeng", "zhai", "zhang", "zhao",
        "zheng", "zhong", "zhou", "zhu", "zou"
    };
    if (!(t->flags & TF_CAP) || (t->flags & (TF_ALLCAPS | TF_DIGIT | TF_NONASCII)))
        return false;
    const char *k = tk_fold(tb, t);
    return bsearch(&k, names, sizeof names / sizeof *names, sizeof *names, cmp_cstr) != NULL;
}

/* The type of the one-word gazetteer entity spelt like t, or OTHER. */
static lsx_entity_type gz_word_type(const lsx_extractor *x, const tok *t)
{
    long k = lsx__strmap_find(&x->gz, tk_fold(&x->tb, t), t->flen, t->fh);
    return k < 0 ? LSX_ENTITY_OTHER : x->ents[x->als[x->gz.ents[k].val].entity].type;
}

/* A word of speech or "who" right after word b ("Smith said", "Lan cho
 * biết", ", who"), in the same sentence. */
static bool speech_after(lsx_extractor *x, size_t b)
{
    const tokbuf *tb = &x->tb;
    if (b + 1 >= tb->n || (tb->t[b + 1].sf & SF_SENT) || (tb->t[b + 1].flags & TF_CAP))
        return false;
    if (tb->t[b].flags & TF_POSS)
        return false;
    unsigned cls;
    if (!kw_longest(x, b + 1, &cls) || !(cls & KW_SPEECH))
        return false;
    /* "Smith said", ", who": not "a visitor from Lyon, said" */
    return tb->t[b + 1].sep == SEP_SPACE || tk_is(tb, &tb->t[b + 1], "who");
}

/* "in X", "tại X": a lowercase place preposition right before word a. */
static bool locprep_before(const lsx_extractor *x, size_t a)
{
    const tokbuf *tb = &x->tb;
    return a > 0 && tb->t[a].sep == SEP_SPACE && !(tb->t[a - 1].flags & TF_CAP) &&
           (tb->t[a - 1].kwc & KW_LOCPREP);
}

static bool nameable(const tok *t)
{
    return (t->flags & TF_CAP) && !(t->flags & TF_DOTTED) &&
           !(t->mark & (TM_GZ | TM_TITLE | TM_HEADLINE)) && t->end - t->start <= MAX_NAME_WORD_BYTES;
}

/* Words a..b between quotation marks: the title of a work or a theme. */
static bool quoted(const lsx_extractor *x, size_t a, size_t b)
{
    const char *s = x->text.data;
    size_t p = x->tb.t[a].start, q = x->tb.t[b].end, n = x->text.len;
    bool open = (p >= 1 && (s[p - 1] == '"' || s[p - 1] == '\'')) ||
                (p >= 3 && (!memcmp(s + p - 3, "\xE2\x80\x98", 3) || !memcmp(s + p - 3, "\xE2\x80\x9C", 3)));
    bool close = (q < n && (s[q] == '"' || s[q] == '\'')) ||
                 (q + 3 <= n && (!memcmp(s + q, "\xE2\x80\x99", 3) || !memcmp(s + q, "\xE2\x80\x9D", 3)));
    return open && close;
}

/* "December", "Monday": a date word, not the start of a name */
static bool month_or_day(const tokbuf *tb, const tok *t)
{
    static const char *const w[] = { "january", "february", "march", "april", "june", "july",
        "august", "september", "october", "november", "december", "jan", "feb", "mar", "apr",
        "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "monday", "tuesday",
        "wednesday", "thursday", "friday", "saturday", "sunday" };
    for (size_t i = 0; i < sizeof w / sizeof *w; i++)
        if (tk_is(tb, t, w[i]))
            return true;
    return false;
}

/* Is there a title shortly before word a?  *via_connector: an "of"/"for"
 * word lies between ("Minister of Foreign Affairs X"). */
static bool title_before(const lsx_extractor *x, size_t a, bool vi, bool *via_connector)
{
    const tokbuf *tb = &x->tb;
    *via_connector = false;
    size_t limit = vi ? 6 : 5;
    for (size_t k = 1; k <= limit && a >= k; k++) {
        const tok *nx = &tb->t[a - k + 1];   /* the word after the one we look at */
        if (nx->sep >= SEP_DASH)
            return false;
        const tok *t = &tb->t[a - k];
        if (t->mark & TM_TITLE)
            return true;
        if (vi)
            continue;
        if (t->kwc & KW_CONNECT) {
            *via_connector = true;
            continue;
        }
        if ((t->mark & TM_GZ) || (t->kwc & KW_PORTFOLIO))
            continue;
        return false;
    }
    return false;
}

static bool has_kw(const lsx_extractor *x, size_t a, size_t b, unsigned cls)
{
    for (size_t j = a; j <= b; j++)
        if (x->tb.t[j].kwc & cls)
            return true;
    return false;
}

/* "II", "XIV", "XXI" (I to XXXIX): numbers, not acronyms. */
static bool roman_numeral(const tokbuf *tb, const tok *t)
{
    const char *s = tk_fold(tb, t), *e = s + t->flen;
    for (int i = 0; i < 3 && s < e && *s == 'x'; i++)
        s++;
    if (e - s >= 2 && s[0] == 'i' && (s[1] == 'x' || s[1] == 'v'))
        s += 2;
    else {
        if (s < e && *s == 'v')
            s++;
        for (int i = 0; i < 3 && s < e && *s == 'i'; i++)
            s++;
    }
    return s == e;
}

static int acronym(lsx_extractor *x, size_t i)
{
    tokbuf *tb = &x->tb;
    tok *t = &tb->t[i];
    if (!(t->flags & TF_ALLCAPS) || (t->flags & (TF_DIGIT | TF_DOTTED | TF_NONASCII)) ||
        (t->mark & (TM_GZ | TM_TITLE | TM_HEADLINE | TM_USED)) || t->flen < 2 || t->flen > 6 ||
        (t->kwc & KW_ACRSTOP) || roman_numeral(tb, t) ||
        lsx__strmap_find(&x->gz, tk_fold(tb, t), t->flen, t->fh) >= 0)   /* "US dollars" */
        return LSX_OK;
    if (i + 1 < tb->n && tb->t[i + 1].sep == SEP_HYPHEN && (tb->t[i + 1].flags & TF_DIGIT))
        return LSX_OK;                                /* COVID-19 */
    for (int d = -1; d <= 1; d += 2) {                /* "BUENOS AIRES, March 2" */
        if ((d < 0 && i == 0) || (d > 0 && i + 1 >= tb->n))
            continue;
        const tok *u = &tb->t[i + d];
        if ((d < 0 ? t->sep : u->sep) == SEP_SPACE && (u->flags & TF_ALLCAPS) && !(u->mark & TM_GZ))
            return LSX_OK;
    }
    bool defined = false;
    if ((t->sf & SF_OPEN) && (i + 1 >= tb->n || (tb->t[i + 1].sf & SF_CLOSE)) && i > 0) {
        const tok *p = &tb->t[i - 1];
        if (p->ment >= 0) {                           /* "Vietnam News Agency (VNA)" */
            x->cands[p->ment].count++;
            t->ment = p->ment;
            t->mark |= TM_USED;
            return LSX_OK;
        }
        if (!(p->flags & TF_CAP))                     /* "terms of reference (TOR)" */
            return LSX_OK;
        defined = true;
    }
    /* evidence: a defining parenthesis after a name, or (English) the
     * acronym again in the running text; a Vietnamese abbreviation without
     * one is most often a common noun ("CLB", "CSGT", "SN") */
    long k = lsx__strmap_find(&x->acr, tk_fold(tb, t), t->flen, t->fh);
    long d = defined ? -1 : lsx__strmap_find(&x->acrdef, tk_fold(tb, t), t->flen, t->fh);
    if (d >= 0) {                                     /* defined elsewhere in the text */
        int32_t m = tb->t[x->acrdef.ents[d].val - 1].ment;
        if (m >= 0) {                                 /* the name it abbreviates */
            x->cands[m].count++;
            t->ment = m;
            t->mark |= TM_USED;
            return LSX_OK;
        }
        defined = true;
    }
    if (!defined && (x->vi || k < 0 || x->acr.ents[k].val < 2))
        return LSX_OK;
    return emit_name(x, i, i, LSX_ENTITY_ORG);
}

/* The last word of the gazetteer place or org that starts at word k, or NONE. */
static uint32_t gz_span_end(const lsx_extractor *x, size_t k)
{
    const tokbuf *tb = &x->tb;
    const tok *t = &tb->t[k];
    if (!(t->mark & TM_GZSTART) || t->ment < 0 || (t->mark & TM_HEADLINE))
        return NONE;
    int32_t g = x->cands[t->ment].gz;
    if (g < 0 || (x->ents[g].type != LSX_ENTITY_PLACE && x->ents[g].type != LSX_ENTITY_ORG))
        return NONE;
    size_t e = k;
    while (e + 1 < tb->n && (tb->t[e + 1].mark & (TM_GZ | TM_GZSTART)) == TM_GZ)
        e++;
    return (uint32_t)e;
}

/* Forget the gazetteer matches inside words a..b: they are part of a longer
 * name ("Royal University of Phnom Penh" is not a mention of Phnom Penh). */
static void uncount_gz(lsx_extractor *x, size_t a, size_t b)
{
    for (size_t j = a; j <= b; j++) {
        const tok *t = &x->tb.t[j];
        if ((t->mark & TM_GZSTART) && t->ment >= 0 && x->cands[t->ment].count)
            x->cands[t->ment].count--;
    }
}

static bool team_context(lsx_extractor *x, size_t a, size_t b);

/* Could the folded word be one Vietnamese syllable?  (onset, one to three
 * vowels, a final consonant: "nguyen", "thanh", "quoc" are; "stanford",
 * "vari", "traffic", "dentsu" are not: foreign names) */
static bool vi_syllable(const char *f, size_t n)
{
    static const char *const onsets[] = { "ngh", "ch", "gh", "gi", "kh", "ng", "nh", "ph", "qu",
                                          "th", "tr", "b", "c", "d", "g", "h", "k", "l", "m",
                                          "n", "p", "r", "s", "t", "v", "x", "" };
    static const char *const codas[] = { "ch", "ng", "nh", "c", "m", "n", "p", "t", "" };
    if (n == 0 || n > 7)
        return false;
    size_t i = 0;
    for (size_t o = 0; o < sizeof onsets / sizeof *onsets; o++) {
        size_t l = strlen(onsets[o]);
        if (l <= n && !memcmp(f, onsets[o], l)) {
            i = l;
            break;
        }
    }
    size_t v = i;
    while (v < n && strchr("aeiouy", f[v]))
        v++;
    if (v == i || v - i > 3)
        return false;
    for (size_t c = 0; c < sizeof codas / sizeof *codas; c++) {
        size_t l = strlen(codas[c]);
        if (n - v == l && !memcmp(f + v, codas[c], l))
            return true;
    }
    return false;
}

/* A foreign word in Vietnamese text: ASCII and not a Vietnamese syllable
 * ("Stanford", "Dentsu"), or an acronym ("WWF"). */
static bool foreign_word(const tokbuf *tb, const tok *t)
{
    if (t->flags & TF_NONASCII)
        return false;
    return (t->flags & TF_ALLCAPS) || !vi_syllable(tk_fold(tb, t), t->flen);
}


/* "-won" in "Lee Jae-won", "Kim Sang-sik": a short lowercase part of a name. */
static bool name_tail(const tokbuf *tb, const tok *u)
{
    static const char *const not_names[] = { "led", "run", "era", "old", "up", "off", "out",
                                             "wide", "like", "free", "type", "long", "term",
                                             "day", "way", "year", "made", "born", "own" };
    if (u->sep != SEP_HYPHEN || (u->flags & (TF_CAP | TF_DIGIT)) || !(u->flags & TF_ALPHA) ||
        u->llen > 4 || (u->mark & (TM_GZ | TM_TITLE)))
        return false;
    for (size_t i = 0; i < sizeof not_names / sizeof *not_names; i++)
        if (tk_is(tb, u, not_names[i]))
            return false;
    return true;
}

/* A run of capitalised English words a..b (with connectors inside);
 * `notitle`: ignore a title before it. */
static int run_en(lsx_extractor *x, size_t a, size_t b, bool notitle)
{
    const tokbuf *tb = &x->tb;
    bool mixed = false;
    for (size_t j = a; j <= b; j++)
        if ((tb->t[j].flags & TF_CAP) && !(tb->t[j].flags & TF_ALLCAPS))
            mixed = true;
    if (!mixed)                      /* only acronyms: see the acronym pass */
        return LSX_OK;
    size_t a0 = a;
    /* "The ASEAN...", "In Phnom Penh": but "at My Dinh Stadium" */
    while (a <= b && (tb->t[a].kwc & (KW_STOP | KW_CONNECT)) &&
           (!(tb->t[a].flags & TF_CAP) || (tb->t[a].sf & SF_SENT) || a > a0 ||
            month_or_day(tb, &tb->t[a])))
        a++;
    while (b > a && (tb->t[b].kwc & (KW_STOP | KW_CONNECT)) && !(tb->t[b].flags & TF_CAP))
        b--;
    if (a > b || ((tb->t[a].kwc & (KW_STOP | KW_CONNECT)) && a == b))
        return LSX_OK;
    bool via = false;
    bool titled = !notitle && title_before(x, a0, x->vi, &via);
    if (titled && a == a0) {
        size_t n = a;
        while (n <= b && (tb->t[n].kwc & (KW_PORTFOLIO | KW_CONNECT)))
            n++;
        if (via && n == a)
            titled = false;                         /* "director of Hanjin Precision": the org */
        if (n > a)
            via = true;                             /* "Minister of Foreign Affairs X Y" */
    }
    if (titled && a == a0) {
        size_t n = a;
        while (n <= b && (tb->t[n].kwc & (KW_PORTFOLIO | KW_CONNECT)))
            n++;
        size_t c = n;                               /* "Mr John Smith of the Ministry" */
        while (c <= b && !(tb->t[c].kwc & KW_CONNECT && !(tb->t[c].flags & TF_CAP)))
            c++;
        if (n < c && !has_kw(x, n, c - 1, KW_ORG | (x->vi ? 0 : KW_PLACE))) {
            int rc = LSX_OK;
            if (c - n >= 2)
                rc = emit_name(x, n, c - 1, LSX_ENTITY_PERSON);
            else if (!via && !(tb->t[n].kwc & KW_STOP))
                rc = add_pending(x, n);
            if (!rc && c < b)
                rc = run_en(x, c + 1, b, true);
            return rc;
        }
    }
    /* "Swede Kennet Andersson", "Australian Tom Moody": the demonym
     * describes the person who follows */
    bool demonym = false;
    if (!has_kw(x, a, b, KW_ORG | KW_EVENT | KW_PLACE))
        while (a < b && (tb->t[a].kwc & KW_DEMONYM) && (tb->t[a + 1].flags & TF_CAP) &&
               tb->t[a + 1].sep == SEP_SPACE && !(tb->t[a + 1].kwc & (KW_STOP | KW_CONNECT))) {
            a++;
            demonym = true;
        }
    /* "AC Milan George Weah": a person's name after another name */
    for (size_t k = a + 1; k + 1 <= b && k <= a + 4; k++) {
        if (given_name(tb, &tb->t[k]) && !given_name(tb, &tb->t[k - 1]) && b - k + 1 >= 2 &&
            b - k + 1 <= 3 && !has_kw(x, k, b, KW_ORG | KW_PLACE | KW_EVENT | KW_CONNECT) &&
            !has_kw(x, a, k - 1, KW_CONNECT) && !(tb->t[k - 1].kwc & (KW_STOP | KW_TITLE))) {
            int rc = run_en(x, a, k - 1, true);
            return rc ? rc : emit_name(x, k, b, LSX_ENTITY_PERSON);
        }
    }
    size_t words = 0, caps = 0;
    bool content = false, connectors = false;
    for (size_t j = a; j <= b; j++) {
        words++;
        if (tb->t[j].flags & TF_CAP)
            caps++;
        else if (tb->t[j].kwc & KW_CONNECT)
            connectors = true;
        if (!(tb->t[j].kwc & (KW_STOP | KW_CONNECT | KW_PORTFOLIO | KW_TITLE)))
            content = true;
    }
    if (!content || caps > 6)
        return LSX_OK;
    bool given = given_name(tb, &tb->t[a]) || (tb->t[a].kwc & KW_SURNAME) ||
                 (a < b && east_asian_surname(tb, &tb->t[a]));
    bool speech = speech_after(x, b);
    if (caps < 2) {
        /* one word: a name when the context says which kind */
        const tok *t = &tb->t[a];
        if (a != b || (t->kwc & (KW_STOP | KW_PORTFOLIO | KW_TITLE | KW_DEMONYM | KW_EVENT |
                                 KW_ORG | KW_PLACE | KW_VENUE | KW_CONNECT)) ||
            ((t->sf & SF_SENT) && !speech) || t->flen < 3)
            return LSX_OK;
        if (speech && (t->sf & SF_SENT)) {
            /* "Smith said" opening a sentence: only a person already named
             * ("Forecasters warned" is not one) */
            long l = lsx__strmap_find(&x->lastw, tk_fold(tb, t), t->flen, t->fh);
            return l >= 0 && x->lastw.ents[l].val != NONE ? emit_name(x, a, b, LSX_ENTITY_PERSON)
                                                          : LSX_OK;
        }
        if (x->sports && !demonym && team_context(x, a, b)) {
            /* "as Leicestershire beat Somerset": sides, unless a player
             * already named ("Sampras beat ...") */
            long l = lsx__strmap_find(&x->lastw, tk_fold(tb, t), t->flen, t->fh);
            return emit_name(x, a, b, l >= 0 ? LSX_ENTITY_PERSON : LSX_ENTITY_ORG);
        }
        if (demonym || (speech && !(t->flags & TF_POSS)))
            return emit_name(x, a, b, LSX_ENTITY_PERSON);
        if (locprep_before(x, a0))
            return emit_name(x, a, b, LSX_ENTITY_PLACE);
        return LSX_OK;
    }
    lsx_entity_type type = LSX_ENTITY_OTHER;
    const tok *nx = b + 1 < tb->n && tb->t[b + 1].sep == SEP_SPACE ? &tb->t[b + 1] : NULL;
    if (has_kw(x, a, b, KW_ORG))
        type = LSX_ENTITY_ORG;
    else if (has_kw(x, a, b, KW_VENUE))
        type = LSX_ENTITY_OTHER;                    /* "My Dinh Stadium" */
    else if (tb->t[b].kwc & KW_DEMONYM)
        type = LSX_ENTITY_OTHER;                    /* "South Korean" */
    else if (has_kw(x, a, b, KW_PLACE))
        type = LSX_ENTITY_PLACE;
    else if (has_kw(x, a, b, KW_EVENT | KW_DEMONYM) && !demonym)
        type = LSX_ENTITY_OTHER;                    /* "World Cup" */
    else if (!connectors && words <= 4 && (given || demonym))
        type = LSX_ENTITY_PERSON;
    else if ((gz_word_type(x, &tb->t[a]) == LSX_ENTITY_PLACE && !given_name(tb, &tb->t[b])) ||
             gz_word_type(x, &tb->t[b]) == LSX_ENTITY_PLACE)
        type = LSX_ENTITY_ORG;                      /* "Chicago Cubs", not "Chad Curtis" */
    else if (!connectors && words <= 4 && speech)
        type = LSX_ENTITY_PERSON;
    else if (nx && (nx->kwc & KW_PLACESUF))
        type = LSX_ENTITY_PLACE;                    /* "Quang Ninh province" */
    else if (nx && !(nx->flags & TF_CAP) && (nx->kwc & (KW_VENUE | KW_EVENT)))
        type = LSX_ENTITY_OTHER;                    /* "Hang Bai street" */
    else if (locprep_before(x, a0) && words <= 3)
        type = LSX_ENTITY_PLACE;                    /* "in Tunbridge Wells" */
    else if (!connectors && words <= 3 && !(tb->t[b].flags & TF_ALLCAPS) &&
             !tk_is(tb, &tb->t[a], "the") && !x->foreign && !quoted(x, a, b))
        type = LSX_ENTITY_PERSON;                   /* two or three capitalised words */
    if ((type == LSX_ENTITY_PLACE) && (tb->t[b].kwc & KW_PLACESUF) && caps >= 3)
        b--;                                        /* "Quang Ninh Province" -> quang-ninh */
    return emit_name(x, a, b, type);
}

/* A run of capitalised Vietnamese syllables a..b. */
static int run_vi(lsx_extractor *x, size_t a, size_t b)
{
    const tokbuf *tb = &x->tb;
    size_t a0 = a;
    /* leading function words ("Tại", "Theo") and portfolios ("Bộ trưởng
     * Công Thương Nguyễn Hồng Diên"); a trailing word is a given name
     * even when it is also a common word ("Đinh Văn Quý") */
    for (;;) {
        unsigned cls;
        size_t w = a <= b ? kw_longest(x, a, &cls) : 0;
        if (w && a + w <= b + 1 && (cls & (KW_STOP | KW_PORTFOLIO)) && !(cls & KW_SURNAME))
            a += w;
        else if (w && a + w <= b && (cls & KW_SENTSTOP) && !(cls & KW_SURNAME) &&
                 (tb->t[a].sf & SF_SENT))
            a += w;                   /* "Việc Agoda", "Sau Hà Nội": a word opening the sentence */
        else
            break;
    }
    if (a > b)
        return LSX_OK;
    if (a > 0 && tb->t[a].sep == SEP_SPACE && (tb->t[a - 1].kwc & KW_LANG) &&
        (!(tb->t[a - 1].flags & TF_CAP) || (tb->t[a - 1].sf & SF_SENT)))
        return LSX_OK;                /* "người Việt Nam", "tiếng Tây Ban Nha": a people, a language */
    bool foreign = b > a;             /* "Alexandre Lacazette", "Real Betis": English rules */
    for (size_t j = a; j <= b && foreign; j++)
        foreign = !(tb->t[j].flags & TF_NONASCII) &&
                  !(tb->t[j].kwc & (KW_VIGIVEN | KW_SURNAME | KW_SENTSTOP | KW_STOP));
    if (foreign) {
        x->foreign = true;
        int rc = run_en(x, a, b, false);
        x->foreign = false;
        return rc;
    }
    /* "Facebook Mark Zuckerberg": an English given name starts a person */
    for (size_t k = a + 1; k <= b && k <= a + 4; k++) {
        if (given_name(tb, &tb->t[k]) && !(tb->t[k].flags & TF_NONASCII) &&
            !(tb->t[k].kwc & (KW_VIGIVEN | KW_SURNAME)) && b - k + 1 >= 2 && b - k + 1 <= 3) {
            int rc = run_vi(x, a, k - 1);
            return rc ? rc : emit_name(x, k, b, LSX_ENTITY_PERSON);
        }
    }
    bool via;
    bool titled = title_before(x, a0, true, &via);
    size_t words = b - a + 1;
    if (words > 4) {
        /* "Bình Dương Võ Văn Minh": the family name starts the person */
        for (size_t k = a + 1; k <= b; k++) {
            if ((tb->t[k].kwc & KW_SURNAME) && b - k + 1 >= 2 && b - k + 1 <= 4) {
                int rc = k - a >= 2 ? run_vi(x, a, k - 1) : LSX_OK;
                return rc ? rc : emit_name(x, k, b, LSX_ENTITY_PERSON);
            }
        }
        return LSX_OK;
    }
    bool ascii = true;
    for (size_t j = a; j <= b; j++)
        ascii &= !(tb->t[j].flags & TF_NONASCII);
    if (ascii && has_kw(x, a, b, KW_EVENT) && !has_kw(x, a, b, KW_VIGIVEN))   /* "La Liga" */
        return b > a ? emit_name(x, a, b, LSX_ENTITY_OTHER) : LSX_OK;
    if (words == 1) {
        unsigned cls;
        if (x->sports && foreign_word(tb, &tb->t[a]) && team_context(x, a, b) &&
            !(tb->t[a].sf & SF_SENT) && !given_name(tb, &tb->t[a])) {
            /* "các cầu thủ Real", "trận gặp Betis": a club */
            long l = lsx__strmap_find(&x->lastw, tk_fold(tb, &tb->t[a]), tb->t[a].flen, tb->t[a].fh);
            return emit_name(x, a, b, l >= 0 ? LSX_ENTITY_PERSON : LSX_ENTITY_ORG);
        }
        if (titled && tb->t[a].sep == SEP_SPACE && a > 0 && (tb->t[a - 1].mark & TM_TITLE) &&
            !(kw_longest(x, a, &cls) && (cls & (KW_PORTFOLIO | KW_STOP | KW_TITLE | KW_VIORG |
                                                KW_VIEVENT | KW_PLACEPRE))))
            return add_pending(x, a);         /* not "Bộ trưởng Ngoại giao" */
        if ((tb->t[a].kwc & KW_VIGIVEN) && !(tb->t[a].kwc & (KW_STOP | KW_SENTSTOP | KW_PLACEPRE)) &&
            speech_after(x, a))
            return emit_name(x, a, a, LSX_ENTITY_PERSON);   /* "Vân cho biết" */
        return LSX_OK;
    }
    lsx_entity_type type = LSX_ENTITY_OTHER;
    unsigned cls = 0;
    bool place = false, venue = false;
    if (a == a0 && a > 0 && tb->t[a].sep == SEP_SPACE) {
        /* "tỉnh Quảng Ninh", "thành phố Đà Lạt" */
        for (size_t k = 1; k <= 2 && k <= a && !place; k++) {
            size_t w = kw_longest(x, a - k, &cls);
            if (w == k && (cls & KW_PLACEPRE))
                place = true;
            if (w == k && (cls & KW_VENUE))
                venue = true;
        }
    }
    if (!place && !venue && a == a0 && a > 0 && tb->t[a].sep == SEP_SPACE &&
        !(tb->t[a - 1].flags & TF_CAP)) {
        /* a name after the noun it names, a few lowercase words back:
         * "trường tiểu học Hoàng Diệu", "khu công nghệ cao Hòa Lạc", "nhà máy
         * xơ sợi Đình Vũ", "THPT chuyên Trần Đại Nghĩa": a school, a place,
         * a plant, not a person */
        for (size_t k = a; k > 0 && k + 5 > a;) {
            const tok *p = &tb->t[k - 1];
            unsigned c2 = 0;
            if (p->flags & TF_CAP)
                break;                       /* not "Thủ tướng Chính phủ Nguyễn Xuân Phúc" */
            size_t w = kw_longest(x, k - 1, &c2);
            if ((c2 & (KW_VIORG | KW_VENUE)) && !(c2 & KW_TITLE)) {
                venue = true;
                break;
            }
            if ((p->flags & TF_CAP) || !(p->flags & TF_ALPHA) || tb->t[k].sep != SEP_SPACE ||
                (c2 & (KW_STOP | KW_CONJ | KW_SPEECH | KW_VIVERB | KW_TITLE | KW_KIN | KW_LOCPREP)) ||
                (p->mark & (TM_GZ | TM_TITLE)))
                break;
            (void)w;
            k--;
        }
    }
    bool given = words <= 3;                 /* every syllable a given name: "Lan Khuê" */
    for (size_t j = a; j <= b && given; j++)
        given = (tb->t[j].kwc & KW_VIGIVEN) && (tb->t[j].flags & TF_NONASCII || tb->t[j].flen <= 4);
    if (words == 2 && (tb->t[a].kwc & KW_VIGIVEN) && (tb->t[b].kwc & KW_SURNAME) &&
        !(tb->t[a].kwc & KW_SURNAME))
        given = true;                        /* the family name last: "Duy Nguyễn" */
    if (venue)
        type = LSX_ENTITY_OTHER;             /* "quảng trường Lâm Viên" */
    else if (place)
        type = LSX_ENTITY_PLACE;
    else if (titled || (tb->t[a].kwc & KW_SURNAME) || speech_after(x, b) || given)
        type = LSX_ENTITY_PERSON;
    else if (locprep_before(x, a0) && a == a0)
        type = LSX_ENTITY_PLACE;             /* "tại Thượng Hải" */
    return emit_name(x, a, b, type);
}

/* Is the head at words i..i+h-1 a local government body ("Sở", "Phòng",
 * "UBND", "Công an", "Chi cục"): a body every province or district has? */
static bool local_body(lsx_extractor *x, size_t i, size_t h)
{
    static const char *const heads[] = { "sở", "phòng", "chi cục", "ubnd", "hđnd", "ủy ban nhân dân",
                                         "uỷ ban nhân dân", "hội đồng nhân dân", "công an", "tand",
                                         "vksnd", "tòa án nhân dân", "toà án nhân dân",
                                         "viện kiểm sát nhân dân", "văn phòng", "phòng giáo dục",
                                         "phòng giáo dục và đào tạo", "phòng cảnh sát" };
    if (!join_words(x, i, i + h, ' ', true))
        return false;
    for (size_t k = 0; k < sizeof heads / sizeof *heads; k++)
        if (!strcmp(x->key.data, heads[k]))
            return true;
    return false;
}

/* A Vietnamese organisation / event / place head at word i ("Bộ Ngoại giao",
 * "Tỉnh Quảng Ninh"); returns the words consumed (0: none). */
static size_t head_vi(lsx_extractor *x, size_t i, int *rc)
{
    const tokbuf *tb = &x->tb;
    unsigned cls;
    size_t h = kw_longest(x, i, &cls);
    *rc = LSX_OK;
    if (!h || !(cls & (KW_VIORG | KW_VIEVENT | KW_PLACEPRE)))
        return 0;
    if (h == 1 && (cls & KW_SURNAME) && (tb->t[i].flags & TF_CAP)) {
        /* "Hồ Quang Hiếu", "Châu Tuyết Vân": a family name, not a lake or a
         * continent, when given-name syllables follow */
        size_t g = i + 1;
        while (g < tb->n && g <= i + 3 && tb->t[g].sep == SEP_SPACE && (tb->t[g].flags & TF_CAP) &&
               (tb->t[g].kwc & KW_VIGIVEN) && !(tb->t[g].mark & TM_GZ))
            g++;
        if (g >= i + 3 || (g == i + 2 && !(g < tb->n && tb->t[g].sep == SEP_SPACE &&
                                              (tb->t[g].flags & TF_CAP))))
            return 0;
    }
    for (size_t j = i; j < i + h; j++)
        if (tb->t[j].mark & (TM_GZ | TM_TITLE))
            return 0;
    /* the name goes on with capitalised compounds whose first syllable is a
     * capital ("Ngoại giao", "Nhà nước", "Cà phê - Ca cao"), a place word
     * before a place ("huyện Mỹ Đức"), and may end with a gazetteer place or
     * org ("Liên đoàn Bóng đá Việt Nam") */
    size_t last = i + h - 1, k = i + h, ncap = 0;
    bool open = false;          /* the last word is a capital that starts a compound */
    bool absorbed = false;
    /* heads that are whole names ("Chính phủ", "Quốc hội"): a person after
     * them is not part of them */
    bool whole = tk_is(tb, &tb->t[i], "chính") || tk_is(tb, &tb->t[i], "quốc") ||
                 tk_is(tb, &tb->t[i], "quân");
    /* heads whose names often honour a person: "Trường Tiểu học Hoàng Hoa Thám" */
    bool honours = tk_is(tb, &tb->t[i], "trường") || tk_is(tb, &tb->t[i], "đại") ||
                   tk_is(tb, &tb->t[i], "học") || tk_is(tb, &tb->t[i], "bệnh") ||
                   tk_is(tb, &tb->t[i], "công") || tk_is(tb, &tb->t[i], "nhà") ||
                   tk_is(tb, &tb->t[i], "tập") || tk_is(tb, &tb->t[i], "quỹ");
    unsigned pc0;
    if (!(tb->t[i].flags & TF_CAP) && (cls & KW_VIORG) && k < tb->n && tb->t[k].sep == SEP_SPACE &&
        !(tb->t[k].flags & TF_CAP) && kw_longest(x, k, &pc0) && (pc0 & KW_PLACEPRE))
        return h;               /* "bệnh viện tỉnh Nghệ An": the province's hospital, a description */
    if ((cls & KW_VIORG) && !(cls & KW_VIEVENT) && k < tb->n && tb->t[k].sep == SEP_SPACE &&
        !(tb->t[k].flags & TF_CAP) && !(tb->t[k].kwc & (KW_STOP | KW_PORTFOLIO))) {
        /* a descriptor before the name: "Công ty giải trí Siêu Quần",
         * "Nhà máy sản xuất bột giấy Phương Nam" */
        size_t m = k;
        unsigned c2 = 0;
        while (m < tb->n && m < k + 4 && tb->t[m].sep == SEP_SPACE && !(tb->t[m].flags & TF_CAP) &&
               (tb->t[m].flags & TF_ALPHA) && !(tb->t[m].kwc & (KW_STOP | KW_SPEECH | KW_CONJ)) &&
               !(tb->t[m].mark & (TM_GZ | TM_TITLE)) &&
               !(kw_longest(x, m, &c2) && (c2 & KW_VIVERB)))
            m++;
        /* not a verb before another body: "Chính phủ giao Bộ ...", "Tổng cục đề
         * xuất Bộ ...", "Ban lãnh đạo Công ty ..." */
        if (m > k && m < tb->n && tb->t[m].sep == SEP_SPACE && (tb->t[m].flags & TF_CAP) &&
            !(tb->t[m].mark & TM_TITLE) && !(tb->t[m].kwc & (KW_SURNAME | KW_STOP)) && !whole &&
            !(kw_longest(x, m, &c2) && (c2 & (KW_VIORG | KW_VIEVENT | KW_TITLE))))
            k = m;
    }
    size_t nstart = k;          /* the name after the head and its descriptor */
    /* heads that describe a foreign name: "Tổ chức WWF", "hãng thông tấn
     * TASS", "công ty Dentsu" (the name alone is the org) */
    bool describes = (cls & KW_VIORG) && !(cls & KW_VIEVENT) &&
                     (tk_is(tb, &tb->t[i], "tổ") || tk_is(tb, &tb->t[i], "hãng") ||
                      (!(tb->t[i].flags & TF_CAP) &&
                       (tk_is(tb, &tb->t[i], "công") || tk_is(tb, &tb->t[i], "tập"))));
    while (k < tb->n && !(tb->t[k].mark & TM_TITLE)) {
        const tok *t = &tb->t[k];
        if ((t->flags & TF_CAP) && (t->kwc & KW_SURNAME) && ((ncap && !honours) || whole) &&
            t->sep == SEP_SPACE &&
            k + 1 < tb->n && tb->t[k + 1].sep == SEP_SPACE && (tb->t[k + 1].flags & TF_CAP) &&
            !(t->mark & TM_GZ))
            break;                  /* "Chính phủ Nguyễn Xuân Phúc", "Bộ ... Trần Thanh Nam" */
        if ((t->flags & TF_ALLCAPS) && !(t->flags & TF_DIGIT) &&
            (t->sep == SEP_SPACE || ((t->sep == SEP_TIGHT || t->sep == SEP_HYPHEN) && k > i + h)) &&
            (cls & KW_VIORG) && !(t->mark & TM_GZ) &&
            (k == i + h || (tb->t[k - 1].flags & TF_ALLCAPS))) {
            last = k++;             /* "Bộ GTVT", "Sở GD-ĐT", "Công ty TNHH MTV ..." */
            ncap++;
            open = false;
            continue;
        }
        bool cap_next = k + 1 < tb->n && tb->t[k + 1].sep == SEP_SPACE &&
                        (tb->t[k + 1].flags & TF_CAP);
        if (t->sep == SEP_DASH && (t->flags & TF_CAP) && !(t->mark & TM_GZ) && ncap) {
            /* "Cà phê - Ca cao": go on */
        } else if (t->sep == SEP_HYPHEN && (t->flags & TF_CAP) && !(t->mark & TM_GZ) && ncap &&
                   last == k - 1) {
            /* "Mặt trận Al-Nusra": go on */
        } else if (t->sep != SEP_SPACE &&
                   !(t->sep == SEP_TIGHT && (tb->t[k - 1].flags & TF_CAP) &&
                     (tb->t[k - 1].kwc & KW_PLACEPRE))) {     /* "TP.Bến Tre", "Tp. Hồ Chí Minh" */
            break;
        }
        unsigned pc;
        size_t pw = (t->mark & TM_GZ) ? 0 : kw_longest(x, k, &pc);
        /* a lowercase portfolio right after the head, after "và" or after a
         * capital ("Bộ tài chính", "Giao thông vận tải"); not "... nông thôn
         * xây dựng đề án" */
        if (pw && (pc & KW_PORTFOLIO) && (cls & KW_VIORG) && !(cls & KW_VIEVENT) &&
            (ncap || (t->flags & TF_CAP)) &&
            ((t->flags & TF_CAP) || k == i + h || tk_is(tb, &tb->t[k - 1], "và") ||
             (tb->t[k - 1].flags & TF_CAP) || (k >= i + h + 2 && (tb->t[k - 2].flags & TF_CAP)))) {
            bool ok = true;            /* "Phát triển nông thôn", "Thông tin và Truyền thông" */
            for (size_t j = k + 1; j < k + pw; j++)
                ok &= tb->t[j].sep == SEP_SPACE && !(tb->t[j].mark & (TM_GZ | TM_TITLE));
            if (ok) {
                last = k + pw - 1;
                k += pw;
                ncap++;
                open = false;
                continue;
            }
        }
        if (t->mark & TM_GZ) {
            uint32_t e = gz_span_end(x, k);
            const gz_entity *ge = e != NONE ? &x->ents[x->cands[t->ment].gz] : NULL;
            if (ge && (cls & KW_VIORG) && !(cls & KW_VIEVENT) &&
                !(describes && k == nstart && (ge->type == LSX_ENTITY_ORG || ge->nation)) &&
                !(whole && k == i + h && ge->nation)) {
                /* "Đại học Cần Thơ"; not "Tổ chức WWF", nor "Chính phủ Pháp"
                 * (the French government: the country is named) */
                uncount_gz(x, k, e);
                last = e;
                absorbed = true;
            }
            break;
        }
        if ((t->flags & TF_ALLCAPS) && (t->kwc & KW_PLACEPRE) && ncap && (cls & KW_VIORG) &&
            k + 1 < tb->n && (tb->t[k + 1].sep == SEP_SPACE || tb->t[k + 1].sep == SEP_TIGHT) &&
            (tb->t[k + 1].flags & TF_CAP) && !(tb->t[k + 1].flags & TF_ALLCAPS)) {
            last = k++;                 /* "Chi cục Thuế TP.Bến Tre" */
            open = false;
            continue;
        }
        if (t->flags & TF_ALLCAPS)
            break;
        if (t->flags & TF_CAP) {
            /* a capitalised function word ends the name, unless it follows a
             * capital inside the sentence: "Trường THPT chuyên Lê Quý Đôn" */
            if ((t->kwc & KW_STOP) && ((t->sf & SF_SENT) || !(tb->t[k - 1].flags & TF_CAP) ||
                                      t->sep != SEP_SPACE))
                break;
            /* a capitalised syllable may start a compound ("Ngoại giao");
             * a foreign word does not ("Đại học Stanford kết luận") */
            open = (k == i + h || !(tb->t[k - 1].flags & TF_CAP) || (tb->t[k - 1].flags & TF_ALLCAPS) ||
                    t->sep == SEP_DASH) && !foreign_word(tb, t);
            last = k++;
            ncap++;
            continue;
        }
        unsigned vc;
        if (!(t->flags & TF_CAP) && kw_longest(x, k, &vc) && (vc & KW_VIVERB) && !(vc & KW_PORTFOLIO))
            break;                  /* a verb ends the name: "Chính phủ giao ..." */
        if (tk_is(tb, t, "và") && ncap && (cls & KW_VIORG) && !(cls & KW_VIEVENT) && cap_next &&
            !(tb->t[k + 1].flags & TF_ALLCAPS) && !(tb->t[k + 1].mark & (TM_GZ | TM_TITLE))) {
            unsigned c2;
            if (!(kw_longest(x, k + 1, &c2) && (c2 & (KW_VIORG | KW_PLACEPRE)))) {
                k++;                            /* "Bộ Kế hoạch và Đầu tư" */
                continue;
            }
        }
        if ((t->kwc & KW_PLACEPRE) && cap_next && (ncap || (cls & KW_VIORG))) {
            last = k++;                         /* "Công an huyện Mỹ Đức" */
            open = false;
            continue;
        }
        if ((t->kwc & KW_STOP) || !(t->flags & TF_ALPHA))
            break;
        if (!open) {
            /* a second lowercase syllable only inside the name: "Hội Chữ thập
             * đỏ Quảng Bình", not "Ngân hàng Sao Việt công bố"; lowercase
             * words after a capitalised part: "Trường THPT chuyên Hà Nội" */
            bool after_cap = last == k - 1 && k - 1 >= i + h && (tb->t[k - 1].flags & TF_CAP) &&
                             !(tb->t[k - 1].mark & TM_GZ);
            if (k >= 2 && tb->t[k - 1].sep == SEP_SPACE &&
                (after_cap ||
                 (!(tb->t[k - 1].flags & TF_CAP) &&
                  (tb->t[k - 2].flags & TF_CAP) && !(tb->t[k - 2].mark & TM_GZ) && last == k - 1 &&
                  k - 2 >= i + h)) &&
                (cls & KW_VIORG) && !(cls & KW_VIEVENT)) {
                /* more lowercase syllables inside a company or body name when a
                 * capitalised part follows ("Công nghiệp tàu thủy Dung Quất"),
                 * not a verb phrase before another name or head */
                size_t m = k;
                unsigned c2 = 0;
                while (m < tb->n && m < k + 4 && tb->t[m].sep == SEP_SPACE &&
                       !(tb->t[m].flags & TF_CAP) && (tb->t[m].flags & TF_ALPHA) &&
                       !(tb->t[m].kwc & (KW_STOP | KW_SPEECH | KW_CONJ | KW_PLACEPRE)) &&
                       !(tb->t[m].mark & (TM_GZ | TM_TITLE)) &&
                       !(kw_longest(x, m, &c2) && (c2 & KW_VIVERB)))
                    m++;
                if (m > k && m < tb->n && tb->t[m].sep == SEP_SPACE && (tb->t[m].flags & TF_CAP) &&
                    !(tb->t[m].flags & TF_ALLCAPS) && !(tb->t[m].mark & TM_TITLE) &&
                    !(tb->t[m].kwc & KW_STOP) && (honours || !(tb->t[m].kwc & KW_SURNAME)) &&
                    !(kw_longest(x, m, &c2) && (c2 & (KW_VIORG | KW_PLACEPRE | KW_VIEVENT)))) {
                    last = m - 1;
                    k = m;
                    open = false;
                    continue;
                }
            }
            if (!(k >= 2 && tb->t[k - 1].sep == SEP_SPACE && !(tb->t[k - 1].flags & TF_CAP) &&
                  (tb->t[k - 2].flags & TF_CAP) && !(tb->t[k - 2].mark & TM_GZ) && last == k - 1 &&
                k - 2 >= i + h &&
                  k + 1 < tb->n && tb->t[k + 1].sep == SEP_SPACE &&
                  ((tb->t[k + 1].flags & TF_CAP) || (tb->t[k + 1].mark & TM_GZ))))
                break;
            if (k >= 3 && !(tb->t[k - 2].flags & TF_CAP))
                break;
        }
        last = k++;
        open = false;
    }
    if (!ncap && !absorbed)
        return h;
    if (ncap < 2 && !absorbed && h == 1 && tk_is(tb, &tb->t[i], "ban") && last < i + 3)
        return last + 1 - i;   /* "Ban Giám khảo", "Ban Quản lý": a board, not a name */
    if (cls & KW_PLACEPRE) {
        /* the place name itself: the capitalised words after the head */
        size_t e = i + h;
        if (!(tb->t[e].flags & TF_CAP))
            return h;
        while (e + 1 <= last && (tb->t[e + 1].flags & TF_CAP))
            e++;
        *rc = emit_name(x, i + h, e, LSX_ENTITY_PLACE);
        return e + 1 - i;
    }
    if (describes && nstart <= last && !absorbed) {
        bool foreign = foreign_word(tb, &tb->t[nstart]);
        for (size_t j = nstart; j <= last && foreign; j++)
            foreign = !(tb->t[j].flags & TF_NONASCII) && !(tb->t[j].kwc & (KW_VIGIVEN | KW_SURNAME)) &&
                      (tb->t[j].flags & TF_CAP);
        if (foreign) {
            *rc = emit_name(x, nstart, last, LSX_ENTITY_ORG);
            return last + 1 - i;
        }
    }
    lsx_entity_type type = (cls & KW_VIORG) && !(cls & KW_VIEVENT) ? LSX_ENTITY_ORG
                                                                   : LSX_ENTITY_OTHER;
    if (type == LSX_ENTITY_ORG && !absorbed && local_body(x, i, h)) {
        /* "Sở Công Thương", "Công an huyện": a province's or a district's
         * department without the place is a description (every province has
         * one), not the name of one organisation */
        bool proper = false;
        for (size_t j = i + h; j <= last && !proper;) {
            unsigned c2;
            size_t w = kw_longest(x, j, &c2);
            if (w && j + w <= last + 1 && (c2 & (KW_PORTFOLIO | KW_PLACEPRE | KW_STOP))) {
                j += w;
                continue;
            }
            proper = (tb->t[j].flags & TF_CAP) && !(tb->t[j].flags & TF_ALLCAPS);
            j++;
        }
        if (!proper)
            type = LSX_ENTITY_OTHER;
    }
    bool complete = foreign_word(tb, &tb->t[last]);    /* "Đại học Stanford", "Bộ GTVT" */
    for (size_t j = last >= i + h + 3 ? last - 3 : i + h; j <= last && !complete; j++) {
        unsigned c2;
        size_t w = kw_longest(x, j, &c2);
        complete = w && j + w - 1 == last && (c2 & KW_PORTFOLIO);   /* "Bộ Tài chính" */
    }
    if (type == LSX_ENTITY_ORG && !absorbed && !complete && last + 1 < tb->n) {
        /* the name may go on with lowercase syllables ("Ngân hàng Phục vụ
         * người nghèo", "Trung tâm Đào tạo Quản lý tiên tiến") and where it
         * ends is unknown: a name, but not typed, unless a verb, a function
         * word or punctuation closes it ("Ngân hàng Sao Việt công bố") */
        const tok *u = &tb->t[last + 1];
        unsigned c2 = 0;
        if (u->sep == SEP_SPACE && !(u->flags & (TF_CAP | TF_DIGIT)) && (u->flags & TF_ALPHA) &&
            !(u->kwc & (KW_STOP | KW_SPEECH | KW_CONJ | KW_LOCPREP | KW_PLACEPRE)) &&
            !(kw_longest(x, last + 1, &c2) && (c2 & (KW_VIVERB | KW_SPEECH | KW_STOP))))
            type = LSX_ENTITY_OTHER;
    }
    *rc = emit_name(x, i, last, type);
    return last + 1 - i;
}

/* An English name starting at word *pi: capitalised words, connectors,
 * and gazetteer places/orgs inside ("Bank of Thailand"); *pi moves past it. */
static int scan_en(lsx_extractor *x, size_t *pi)
{
    const tokbuf *tb = &x->tb;
    size_t i = *pi, b = i;
    bool org = (tb->t[i].kwc & KW_ORG) != 0, gz = false, named = false, anded = false;
    uint32_t e = gz_span_end(x, i);
    if (e != NONE) {
        b = e;
        gz = true;
    }
    named = org || gz || (tb->t[i].kwc & KW_PLACE);
    for (;;) {
        size_t k = b + 1;
        if (k >= tb->n || ((tb->t[b].flags & TF_POSS) && !tk_is(tb, &tb->t[b], "people") &&
                           !tk_is(tb, &tb->t[b], "women") && !tk_is(tb, &tb->t[b], "children")))
            break;                                /* "Vietnam's navy", not "People's Committee" */
        const tok *u = &tb->t[k];
        if (u->sep == SEP_HYPHEN && (nameable(u) || name_tail(tb, u))) {
            b = k;
            continue;
        }
        if (u->sep != SEP_SPACE || ((u->kwc & KW_STOP) && (u->flags & TF_CAP)))
            break;                                /* "New York Dec" */
        if (nameable(u)) {
            b = k;
            org |= (u->kwc & KW_ORG) != 0;
            named |= (u->kwc & (KW_ORG | KW_PLACE)) != 0;
            continue;
        }
        if (!anded && (e = gz_span_end(x, k)) != NONE) {
            b = e;
            gz = named = true;
            continue;
        }
        /* connectors, after an org or place word: "Ministry of Foreign
         * Affairs", "Gulf of Thailand", "Ministry of Trade and Industry"
         * (not "Students of the ...") */
        if (!named || anded)
            break;
        size_t m = k;
        bool and_ = false;
        while (m < tb->n && m - k < 2 && tb->t[m].sep == SEP_SPACE &&
               (tb->t[m].kwc & KW_CONNECT) && !(tb->t[m].flags & TF_CAP) &&
               !(tb->t[m].mark & (TM_GZ | TM_TITLE)) &&
               (!tk_is(tb, &tb->t[m], "and") || org) &&
               (!tk_is(tb, &tb->t[m], "the") || m > k)) {
            and_ |= tk_is(tb, &tb->t[m], "and");
            m++;
        }
        if (m > k && m < tb->n && tb->t[m].sep == SEP_SPACE) {
            if (nameable(&tb->t[m])) {
                b = m;
                anded = and_;
                continue;
            }
            if (!and_ && (e = gz_span_end(x, m)) != NONE) {
                b = e;
                gz = true;
                continue;
            }
        }
        break;
    }
    *pi = b + 1;
    if (!gz)
        return run_en(x, i, b, false);
    /* a longer name around gazetteer names: an organisation, if it says so
     * ("Royal University of Phnom Penh", "Vietnam Airlines") */
    org = false;
    for (size_t j = i; j <= b; j++)
        if (!(tb->t[j].mark & TM_GZ) && (tb->t[j].kwc & KW_ORG))
            org = true;
    size_t a = i;
    while (a < b && !(tb->t[a].mark & TM_GZ) && (tb->t[a].kwc & (KW_STOP | KW_CONNECT)))
        a++;
    if (org) {
        uncount_gz(x, a, b);
        return emit_name(x, a, b, LSX_ENTITY_ORG);
    }
    /* else the parts between the gazetteer names are names of their own */
    for (size_t j = i; j <= b;) {
        if (tb->t[j].mark & TM_GZ) {
            j++;
            continue;
        }
        size_t s = j;
        while (j <= b && !(tb->t[j].mark & TM_GZ))
            j++;
        size_t e2 = j - 1;
        while (s <= e2 && (tb->t[s].kwc & KW_CONNECT) && !(tb->t[s].flags & TF_CAP))
            s++;
        while (e2 > s && (tb->t[e2].kwc & KW_CONNECT) && !(tb->t[e2].flags & TF_CAP))
            e2--;
        if (s <= e2 && (tb->t[s].flags & TF_CAP)) {
            int rc = run_en(x, s, e2, false);
            if (rc)
                return rc;
        }
    }
    return LSX_OK;
}

/* Words before the name of a network or an outlet used as a medium: "trên
 * Facebook", "mạng xã hội Twitter", "tài khoản Zing" (not an actor). */
static bool medium_before(lsx_extractor *x, size_t i)
{
    static const char *const before[] = { "trên", "mạng xã hội", "tài khoản", "trang", "ứng dụng",
                                          "fanpage", "kênh", "via" };
    for (size_t k = 0; k < sizeof before / sizeof *before; k++) {
        size_t w = 1;
        for (const char *p = before[k]; *p; p++)
            w += *p == ' ';
        if (w > i || !join_words(x, i - w, i, ' ', true))
            continue;
        if (!strcmp(x->key.data, before[k]))
            return true;
    }
    return false;
}

/* ---- sport: clubs named after their towns ---------------------------------- */

/* "U16", "U23": an age group (of a national team) */
static bool age_team(const tokbuf *tb, const tok *t)
{
    const char *f = tk_fold(tb, t);
    return t->flen == 3 && (t->flags & TF_CAP) && f[0] == 'u' && f[1] >= '0' && f[1] <= '9' &&
           f[2] >= '0' && f[2] <= '9';
}

/* Does the text report on sport?  Three words of sports reports. */
static bool sports_text(lsx_extractor *x)
{
    const tokbuf *tb = &x->tb;
    size_t n = 0;
    for (size_t i = 0; i < tb->n && n < 3;) {
        unsigned cls;
        size_t w = (tb->t[i].flags & TF_KW) ? kw_longest(x, i, &cls) : 0;
        if (w && (cls & KW_SPORT))
            n++;
        i += w ? w : 1;
    }
    return n >= 3;
}

/* A score or a table figure: a number of 1-3 digits that is not part of a
 * date or a score written with a hyphen's second half ("1996-08-30"). */
static bool score_num(const tok *t)
{
    return (t->flags & (TF_DIGIT | TF_ALPHA)) == TF_DIGIT && t->flen <= 3 && t->sep != SEP_HYPHEN;
}

/* A place candidate becomes a club (an org): "Leeds", "Texas" in a sports
 * report; countries, nations and regions stay places (national teams). */
static void make_team(lsx_extractor *x, int32_t k)
{
    if (k < 0)
        return;
    cand *c = &x->cands[k];
    if (c->type == LSX_ENTITY_PLACE && (c->gz < 0 || !x->ents[c->gz].nation)) {
        c->type = LSX_ENTITY_ORG;
        c->team = true;
    }
}

/* Do words a..b stand where a sports report names a side?  "against X",
 * "X beat", "X v Y", "lost to X", "drew with X", "X captain". */
static bool team_context(lsx_extractor *x, size_t a, size_t b)
{
    const tokbuf *tb = &x->tb;
    if (a > 0 && tb->t[a].sep == SEP_SPACE) {
        const tok *p = &tb->t[a - 1];
        if ((p->kwc & KW_VSBEFORE) && !(p->flags & TF_CAP))
            return true;
        unsigned c2;
        if (a > 1 && !(tb->t[a - 2].flags & TF_CAP) && kw_longest(x, a - 2, &c2) == 2 &&
            (c2 & KW_VSBEFORE))
            return true;                 /* "đánh bại X" */
        if (a > 1 && p->sep == SEP_SPACE && !(p->flags & TF_CAP)) {
            const tok *q = &tb->t[a - 2];
            if ((tk_is(tb, p, "to") && (tk_is(tb, q, "lost") || tk_is(tb, q, "losing"))) ||
                (tk_is(tb, p, "with") && (tk_is(tb, q, "drew") || tk_is(tb, q, "draw") ||
                                          tk_is(tb, q, "drawn"))) ||
                (tk_is(tb, p, "over") && (tk_is(tb, q, "win") || tk_is(tb, q, "victory") ||
                                          tk_is(tb, q, "lead"))))
                return true;
        }
    }
    if (b + 1 < tb->n && tb->t[b + 1].sep == SEP_SPACE && !(tb->t[b].flags & TF_POSS)) {
        const tok *n = &tb->t[b + 1];
        unsigned cls;
        size_t w = kw_longest(x, b + 1, &cls);
        if (w && (cls & KW_VSAFTER) && !(n->flags & TF_CAP))
            return true;
    }
    return false;
}

/* Lines of results and standings in a sports report: "Leeds 2 Chelsea 1",
 * "Texas 75 58 .564", "Hajduk 2 Proleter (Z) 0", "Derby v Leeds": the
 * names followed by scores (or "v") are sides.  A side that is a country
 * is a place; "Nolan Henke", "Ana Dorn (Chile)" are people; others are
 * clubs (orgs), also when the gazetteer knows the town. */
static int result_lines(lsx_extractor *x, size_t from)
{
    tokbuf *tb = &x->tb;
    int rc;
    for (size_t a = from; a < tb->n;) {
        size_t b = a + 1;
        while (b < tb->n && !(tb->t[b].sf & SF_LINE))
            b++;
        /* words a..b-1: numbers, capitalised names and a few lowercase words */
        size_t nums = 0, segs = 0, vs = 0;
        bool ok = b - a <= 40;
        for (size_t j = a; j < b && ok; j++) {
            const tok *t = &tb->t[j];
            if (score_num(t))
                nums++;
            else if (tk_is(tb, t, "v") || tk_is(tb, t, "vs"))
                vs++;
            else if ((t->flags & TF_ALPHA) && !(t->flags & TF_CAP) &&
                     !(t->kwc & (KW_VSBEFORE | KW_VSAFTER)) && !tk_is(tb, t, "and") &&
                     !tk_is(tb, t, "at") && !tk_is(tb, t, "pts") && !tk_is(tb, t, "aet") &&
                     !tk_is(tb, t, "ht"))
                ok = false;
            else if ((t->flags & TF_CAP) && (j == a || !(tb->t[j - 1].flags & TF_CAP)))
                segs++;
        }
        if (!ok || !(nums || vs) || !segs) {
            a = b;
            continue;
        }
        for (size_t j = a; j < b;) {
            if (!(tb->t[j].flags & TF_CAP) || (tb->t[j].sf & SF_OPEN)) {
                j++;
                continue;
            }
            size_t e = j;
            while (e + 1 < b && (tb->t[e + 1].flags & TF_CAP) &&
                   (tb->t[e + 1].sep == SEP_SPACE || tb->t[e + 1].sep == SEP_HYPHEN) &&
                   !(tb->t[e + 1].sf & SF_OPEN))
                e++;
            size_t nx = e + 1;
            bool paren = false;          /* "(Z)", "(Chile)" after the name */
            int32_t pnation = 0;
            if (nx < b && (tb->t[nx].sf & SF_OPEN)) {
                size_t q = nx;
                while (q < b && !(tb->t[q].sf & SF_CLOSE))
                    q++;
                if ((tb->t[nx].mark & TM_GZ) && tb->t[nx].ment >= 0 &&
                    x->cands[tb->t[nx].ment].gz >= 0 && x->ents[x->cands[tb->t[nx].ment].gz].nation)
                    pnation = 1;
                else {
                    uint32_t g;
                    size_t w = gz_match(x, nx, q + 1, MATCH_STRICT, &g);
                    if (w == q + 1 - nx && x->ents[g].nation)
                        pnation = 1;
                }
                paren = true;
                nx = q + 1;
            }
            /* a score or a figure after it, not a bowler's "4-22" */
            bool scored = nx < b && score_num(&tb->t[nx]) &&
                          !(nx + 1 < b && tb->t[nx + 1].sep == SEP_HYPHEN &&
                            (tb->t[nx + 1].flags & TF_DIGIT));
            bool side = (nx < b && (scored || (tb->t[nx].kwc & (KW_VSBEFORE | KW_VSAFTER)))) ||
                        (j > a && (tb->t[j - 1].kwc & KW_VSBEFORE) && !(tb->t[j - 1].flags & TF_CAP));
            size_t words = e - j + 1;
            bool person = words >= 2 && words <= 3 &&
                          (given_name(tb, &tb->t[j]) || pnation || is_dot_abbrev(tb, &tb->t[j]) ||
                           tb->t[j].flen == 1);
            bool used = false;
            for (size_t q = j; q <= e; q++)
                used |= (tb->t[q].mark & (TM_USED | TM_GZ)) != 0;
            if (person) {
                if (!used && (rc = emit_name(x, j, e, LSX_ENTITY_PERSON)))
                    return rc;
            } else if (side && words <= 4 && !(tb->t[j].mark & TM_TITLE)) {
                uint32_t g;
                size_t w = used ? 0 : gz_match(x, j, e + 1, MATCH_STRICT, &g);
                if (used) {
                    int32_t k = tb->t[j].ment;
                    if (k >= 0 && x->cands[k].gz < 0 && x->cands[k].type == LSX_ENTITY_PERSON && scored)
                        x->cands[k].type = LSX_ENTITY_ORG;   /* two capitalised words: a club */
                    if (k >= 0 && (tb->t[j].mark & (TM_GZ | TM_USED)))
                        make_team(x, k);
                } else if (w == words) {
                    const char *id = xs(x, x->ents[g].id);
                    long k = add_cand(x, id, strlen(id), x->ents[g].type, (int32_t)g, j, e);
                    if (k < 0)
                        return LSX_ENOMEM;
                    for (size_t q = j; q <= e; q++)
                        tb->t[q].mark |= TM_GZ;
                    tb->t[j].mark |= TM_GZSTART;
                    make_team(x, (int32_t)k);
                } else if (tb->t[j].flen >= 2 && !(words == 1 && (tb->t[j].kwc & (KW_STOP | KW_TITLE)))) {
                    if ((rc = emit_name(x, j, e, LSX_ENTITY_ORG)))
                        return rc;
                }
            }
            (void)paren;
            j = nx > e ? nx : e + 1;
        }
        a = b;
    }
    return LSX_OK;
}

/* Places named where a sports report names a side are clubs; once a
 * club, a club in the whole article. */
static void team_mentions(lsx_extractor *x)
{
    tokbuf *tb = &x->tb;
    for (size_t i = 0; i < tb->n; i++) {
        const tok *t = &tb->t[i];
        if (!(t->mark & TM_GZSTART) || t->ment < 0)
            continue;
        size_t e = i;
        while (e + 1 < tb->n && (tb->t[e + 1].mark & (TM_GZ | TM_GZSTART)) == TM_GZ)
            e++;
        if (team_context(x, i, e))
            make_team(x, t->ment);
    }
}

/* Lists: a name without a type between commas or "and"/"và" next to a
 * place is a place too ("Thượng Hải, Thành Đô, Triết Giang và Đại Liên",
 * "in Lyon, Grenoble and Annecy").  Mentions are runs of words counted for
 * one candidate; two sweeps carry the type along a list. */
static int32_t list_neighbour(const lsx_extractor *x, size_t a, bool left, size_t *end)
{
    const tokbuf *tb = &x->tb;
    if (left) {
        if (a == 0)
            return -1;
        size_t p = a - 1;
        if (tb->t[a].sep == SEP_SPACE && (tb->t[p].kwc & KW_CONJ) && !(tb->t[p].flags & TF_CAP) && p > 0)
            p--;                             /* "X và Y" */
        else if (!(tb->t[a].sep == SEP_BREAK && x->text.data[tb->t[p].end] == ',' &&
                   tb->t[p].end + 1 <= tb->t[a].start))
            return -1;
        if (!(tb->t[p].mark & TM_USED) || tb->t[p].ment < 0)
            return -1;
        *end = p;
        return tb->t[p].ment;
    }
    size_t n = a + 1;                        /* a: the mention's last word */
    if (n >= tb->n)
        return -1;
    if (tb->t[n].sep == SEP_SPACE && (tb->t[n].kwc & KW_CONJ) && !(tb->t[n].flags & TF_CAP) &&
        n + 1 < tb->n && tb->t[n + 1].sep == SEP_SPACE)
        n++;
    else if (!(tb->t[n].sep == SEP_BREAK && x->text.data[tb->t[a].end] == ','))
        return -1;
    if (!(tb->t[n].mark & TM_USED) || tb->t[n].ment < 0)
        return -1;
    *end = n;
    return tb->t[n].ment;
}

static void list_places(lsx_extractor *x)
{
    tokbuf *tb = &x->tb;
    for (int sweep = 0; sweep < 2; sweep++) {
        for (size_t i = 0; i < tb->n; i++) {
            size_t a = sweep ? tb->n - 1 - i : i;
            const tok *t = &tb->t[a];
            if (!(t->mark & TM_USED) || t->ment < 0 || (a > 0 && tb->t[a - 1].ment == t->ment &&
                                                       tb->t[a - 1].sep != SEP_BREAK))
                continue;                    /* not the first word of a mention */
            cand *c = &x->cands[t->ment];
            if (c->type != LSX_ENTITY_OTHER || c->gz >= 0 || (t->mark & TM_HEADLINE))
                continue;
            size_t b = a, e;
            while (b + 1 < tb->n && tb->t[b + 1].ment == t->ment && tb->t[b + 1].sep != SEP_BREAK)
                b++;
            int32_t l = list_neighbour(x, a, true, &e), r = list_neighbour(x, b, false, &e);
            if ((l >= 0 && l != t->ment && x->cands[l].type == LSX_ENTITY_PLACE) ||
                (r >= 0 && r != t->ment && x->cands[r].type == LSX_ENTITY_PLACE))
                c->type = LSX_ENTITY_PLACE;
        }
    }
}

/* Mark lines in Title Case or ALL CAPS (headlines): no detection there. */
static void mark_headlines(lsx_extractor *x)
{
    tokbuf *tb = &x->tb;
    size_t a = 0;
    while (a < tb->n) {
        size_t b = a + 1;
        while (b < tb->n && !(tb->t[b].sf & SF_LINE))
            b++;
        size_t alpha = 0, cap = 0, allcaps = 0;
        for (size_t j = a; j < b; j++) {
            uint16_t f = tb->t[j].flags;
            if (!(f & TF_ALPHA))
                continue;
            alpha++;
            if (f & TF_CAP)
                cap++;
            if (f & TF_ALLCAPS)
                allcaps++;
        }
        /* does the line end a sentence? */
        size_t e = tb->t[b - 1].end;
        bool period = false;
        while (e < x->text.len && x->text.data[e] != '\n') {
            char c = x->text.data[e++];
            if (c == '.' || c == '!')
                period = true;
        }
        size_t digits = 0;
        bool score = false;
        for (size_t j = a; j < b; j++) {    /* a score "6-3" is one number */
            bool pair = j > a && tb->t[j].sep == SEP_HYPHEN && (tb->t[j - 1].flags & TF_DIGIT);
            if ((tb->t[j].flags & (TF_DIGIT | TF_ALPHA)) == TF_DIGIT && !pair)
                digits++;
            score |= pair && (tb->t[j].flags & TF_DIGIT);
        }
        /* a table row ("CHICAGO 72 60 .545"): more numbers than words */
        bool table = alpha && digits >= alpha + 1;
        /* a results line ("X (Ukraine) beat Y (Germany) 6-3 6-4") is not a
         * headline in Title Case */
        bool headline = (alpha >= 4 && cap * 4 >= alpha * 3 && !period && !score) ||
                        (alpha >= 3 && allcaps * 4 >= alpha * 3) || table;
        if (headline)
            for (size_t j = a; j < b; j++)
                tb->t[j].mark |= TM_HEADLINE | (table ? TM_TABLE : 0);
        a = b;
    }
}

static int cmp_out(const void *pa, const void *pb)
{
    const uint32_t *a = pa, *b = pb;     /* {count, first, index} */
    if (a[0] != b[0])
        return a[0] > b[0] ? -1 : 1;
    return a[1] < b[1] ? -1 : a[1] > b[1];
}

void lsx_entity_list_clear(lsx_entity_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free((char *)l->items[i].id);
        free((char *)l->items[i].name);
    }
    free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}

static int output(lsx_extractor *x, lsx_entity_list *out)
{
    size_t n = x->agg.n;
    if (!n)
        return LSX_OK;
    uint32_t *ord = malloc(n * 3 * sizeof *ord);
    out->items = calloc(n, sizeof *out->items);
    if (!ord || !out->items) {
        free(ord);
        return LSX_ENOMEM;
    }
    out->cap = n;
    for (size_t i = 0; i < n; i++) {
        ord[3 * i] = x->cands[i].count;
        ord[3 * i + 1] = x->cands[i].first;
        ord[3 * i + 2] = (uint32_t)i;
    }
    qsort(ord, n, 3 * sizeof *ord, cmp_out);
    const tokbuf *tb = &x->tb;
    for (size_t r = 0; r < n; r++) {
        const cand *c = &x->cands[ord[3 * r + 2]];
        if (!c->count)          /* only seen inside longer names */
            continue;
        lsx_entity *e = &out->items[out->n];
        e->type = c->medium && c->medium >= c->count ? LSX_ENTITY_OTHER : c->type;
        e->count = c->count;
        e->id = lsx_strdup(lsx__strmap_key(&x->agg, ord[3 * r + 2]));
        if (c->gz >= 0) {
            e->name = lsx_strdup(xs(x, x->ents[c->gz].name));
        } else {
            x->key.len = 0;
            for (size_t j = c->da; j <= c->db; j++) {
                const tok *t = &tb->t[j];
                if (j > c->da)
                    lsx_buf_putc(&x->key, t->sep == SEP_HYPHEN ? '-' : ' ');
                lsx_buf_append(&x->key, x->text.data + t->start, t->end - t->start);
            }
            if (c->plus)
                lsx_buf_putc(&x->key, '+');
            lsx_buf_putc(&x->key, '\0');
            e->name = x->key.oom ? NULL : lsx_strdup(x->key.data);
        }
        if (!e->id || !e->name) {
            free((char *)e->id);
            free((char *)e->name);
            free(ord);
            return LSX_ENOMEM;
        }
        out->n++;
    }
    free(ord);
    return LSX_OK;
}

static int detect(lsx_extractor *x, bool vi, size_t title_end)
{
    tokbuf *tb = &x->tb;
    int rc;
    mark_headlines(x);
    /* the title only gets gazetteer matches: titles are often in Title Case */
    for (size_t i = 0; i < tb->n && tb->t[i].start < title_end; i++)
        tb->t[i].mark |= TM_HEADLINE;
    for (size_t i = 0; i < tb->n; i++) {
        tok *t = &tb->t[i];
        long k = lsx__strmap_find(&x->kw, tk_low(tb, t), t->llen, t->lh);
        t->kwc = k < 0 ? 0 : kw_classes(x, x->kw.ents[k].val);
        if (k >= 0)
            t->flags |= TF_KW;
    }
    x->sports = sports_text(x);
    for (size_t i = 0; i < tb->n; i++) {
        const tok *t = &tb->t[i];
        bool added;
        if ((t->flags & TF_ALLCAPS) && !(t->mark & TM_HEADLINE)) {
            long k = lsx__strmap_put(&x->acr, tk_fold(tb, t), t->flen, t->fh, 0, &added);
            if (k < 0)
                return LSX_ENOMEM;
            x->acr.ents[k].val++;
            if ((t->sf & SF_OPEN) && i > 0 && (tb->t[i - 1].flags & TF_CAP) && i + 1 < tb->n &&
                (tb->t[i + 1].sf & SF_CLOSE) &&
                lsx__strmap_put(&x->acrdef, tk_fold(tb, t), t->flen, t->fh, (uint32_t)i, &added) < 0)
                return LSX_ENOMEM;
        }
    }
    /* 1. gazetteer */
    for (size_t i = 0; i < tb->n;) {
        uint32_t e;
        size_t w = (tb->t[i].mark & TM_TABLE) ? 0 : gz_match(x, i, tb->n, MATCH_TEXT, &e);
        if (!w) {
            i++;
            continue;
        }
        size_t end = tb->t[i + w - 1].end;
        if (x->ents[e].type == LSX_ENTITY_PLACE && end + 1 <= x->text.len &&
            x->text.data[end] == '+' &&
            (end + 1 == x->text.len || !is_word_cp((unsigned char)x->text.data[end + 1]))) {
            /* "Vietnam+", "Canal+": a brand (an outlet, a service), not the place */
            if (!join_words(x, i, i + w, '-', false))
                return LSX_ENOMEM;
            lsx_buf_append(&x->key, "-plus", 5);
            long k = x->key.oom ? -1 : add_cand(x, x->key.data, x->key.len, LSX_ENTITY_ORG, -1,
                                                 i, i + w - 1);
            if (k < 0)
                return LSX_ENOMEM;
            x->cands[k].plus = true;
            i += w;
            continue;
        }
        if (x->ents[e].type == LSX_ENTITY_PLACE && i > 0 && tb->t[i].sep == SEP_SPACE &&
            age_team(tb, &tb->t[i - 1]) && !(tb->t[i - 1].mark & TM_USED) &&
            (tb->t[i].flags & TF_CAP) &&                                      /* not "châu Á" */
            !(i >= 2 && (tb->t[i - 2].kwc & (KW_VIEVENT | KW_EVENT)))) {     /* "Giải U16 châu Á" */
            /* "U16 Việt Nam", "U23 Thailand": a national youth team, an org */
            if (!join_words(x, i - 1, i + w, '-', false))
                return LSX_ENOMEM;
            if (add_cand(x, x->key.data, x->key.len, LSX_ENTITY_ORG, -1, i - 1, i + w - 1) < 0)
                return LSX_ENOMEM;
            i += w;
            continue;
        }
        const char *id = xs(x, x->ents[e].id);
        long ck = add_cand(x, id, strlen(id), x->ents[e].type, (int32_t)e, i, i + w - 1);
        if (ck < 0)
            return LSX_ENOMEM;
        if (x->ents[e].type == LSX_ENTITY_ORG && i > 0 && tb->t[i].sep == SEP_SPACE &&
            !(tb->t[i - 1].flags & TF_CAP) && medium_before(x, i))
            x->cands[ck].medium++;       /* "trên Facebook", "tài khoản Twitter" */
        for (size_t j = i; j < i + w; j++)
            tb->t[j].mark |= TM_GZ;
        tb->t[i].mark |= TM_GZSTART;
        i += w;
    }
    /* the dateline: capitals opening the body before a comma, a dash or a
     * date ("MADRID 1996-08-22", "BUENOS AIRES, March 2 -") name a place */
    size_t d = 0;
    while (d < tb->n && tb->t[d].start < title_end)
        d++;
    if (d < tb->n && !(tb->t[d].mark & TM_GZ) && (tb->t[d].flags & TF_ALLCAPS) &&
        !(tb->t[d].flags & (TF_DIGIT | TF_NONASCII))) {
        size_t e = d;
        while (e + 1 < tb->n && e < d + 3 && tb->t[e + 1].sep == SEP_SPACE &&
               (tb->t[e + 1].flags & TF_ALLCAPS) && !(tb->t[e + 1].flags & TF_DIGIT))
            e++;
        const tok *after = e + 1 < tb->n ? &tb->t[e + 1] : NULL;
        if (after && !(after->sf & SF_OPEN) &&
            (after->sep == SEP_BREAK || after->sep == SEP_DASH || (after->flags & TF_DIGIT))) {
            if ((rc = emit_name(x, d, e, LSX_ENTITY_PLACE)))
                return rc;
            for (size_t j = d; j <= e; j++)
                tb->t[j].mark |= TM_HEADLINE;
        }
    }
    /* the byline: a short last line of names ("Trần Nguyên Phong - Mỹ
     * Anh", "Hằng Nga (Theo Sina)") names the authors */
    size_t ls = tb->n;
    while (ls > 0 && !(tb->t[ls - 1].sf & SF_LINE))
        ls--;
    if (ls > 0 && tb->n - (ls - 1) <= 10 && tb->t[ls - 1].start >= title_end) {
        ls--;
        bool names = true;
        for (size_t j = ls; j < tb->n && names; j++) {
            const tok *t = &tb->t[j];
            names = !(t->flags & TF_DIGIT) && !(t->mark & TM_GZ) &&
                    ((t->flags & TF_CAP) || (t->kwc & (KW_CONJ | KW_STOP)));
        }
        for (size_t j = ls; names && j < tb->n;) {
            while (j < tb->n && (tb->t[j].kwc & (KW_STOP | KW_CONJ)))
                j++;                                /* "Theo", "By", "và" */
            size_t e = j;
            while (e + 1 < tb->n && tb->t[e + 1].sep == SEP_SPACE && !(tb->t[e + 1].kwc & KW_CONJ))
                e++;
            if (j < tb->n && e > j && e - j <= 3) {
                bool person = true;
                for (size_t q = j; q <= e; q++)
                    person &= vi ? ((tb->t[q].flags & TF_NONASCII) || (tb->t[q].kwc & (KW_VIGIVEN | KW_SURNAME)))
                                 : q > j || given_name(tb, &tb->t[q]);
                if (person) {
                    if ((rc = emit_name(x, j, e, LSX_ENTITY_PERSON)))
                        return rc;
                }
            }
            j = e + 1;
        }
    }
    /* 2. titles */
    for (size_t i = 0; i < tb->n;) {
        unsigned cls;
        size_t w = (tb->t[i].mark & TM_GZ) || !(tb->t[i].flags & TF_KW) ? 0 : kw_longest(x, i, &cls);
        if (!w) {
            i++;
            continue;
        }
        bool gz = false;
        for (size_t j = i; j < i + w; j++)
            gz |= (tb->t[j].mark & TM_GZ) != 0;
        if ((cls & KW_KIN) && w == 1 && !gz && i + 1 < tb->n && tb->t[i + 1].sep == SEP_SPACE &&
            (tb->t[i + 1].flags & TF_CAP) && !(tb->t[i + 1].mark & TM_GZ) &&
            ((tb->t[i].sf & SF_SENT) || !(tb->t[i].flags & TF_CAP)))
            cls |= KW_TITLE;                   /* "anh Tuấn", "Chị Lan": not "Tuấn Anh" */
        if ((cls & KW_TITLE) && !gz && (tb->t[i].flags & TF_CAP)) {
            /* "General Statistics Office", "General Assembly": part of a name */
            for (size_t j = i + w; j < tb->n && j < i + w + 6 && tb->t[j].sep == SEP_SPACE &&
                                   (tb->t[j].flags & TF_CAP) && !(tb->t[j].mark & TM_GZ); j++)
                if (tb->t[j].kwc & KW_ORG) {
                    cls &= ~(unsigned)KW_TITLE;
                    break;
                }
        }
        if ((cls & KW_TITLE) && !gz)
            for (size_t j = i; j < i + w; j++)
                tb->t[j].mark |= TM_TITLE;
        i += w;
    }
    /* 3. names */
    for (size_t i = 0; i < tb->n;) {
        tok *t = &tb->t[i];
        if (!vi && gz_span_end(x, i) != NONE && i + 1 < tb->n) {
            if ((rc = scan_en(x, &i)))        /* "United Nations Environment Programme" */
                return rc;
            continue;
        }
        if (vi && !(t->flags & TF_CAP) && (t->flags & TF_ALPHA) && t->sep != SEP_HYPHEN &&
            !(t->mark & (TM_USED | TM_GZ | TM_TITLE | TM_HEADLINE))) {
            /* a lowercase head before a name: "trường Nguyễn Khuyến", "công ty
             * giải trí Siêu Quần" (not one-syllable heads that are common
             * words: "hội", "vụ", "phòng") */
            unsigned cls;
            size_t w = kw_longest(x, i, &cls);
            if (w >= 2 && (cls & KW_VIORG) && !(cls & KW_VIEVENT) &&
                !(tb->t[i + w - 1].kwc & KW_TITLE) && !tk_is(tb, t, "tổ") &&
                !tk_is(tb, t, "chính") && !tk_is(tb, t, "trung") && !tk_is(tb, t, "văn") &&
                !tk_is(tb, t, "quân") && i + w < tb->n && !(tb->t[i + w].mark & TM_GZ)) {
                size_t h = head_vi(x, i, &rc);
                if (rc)
                    return rc;
                i += h ? h : 1;
                continue;
            }
        }
        if (!nameable(t) || (t->mark & TM_USED)) {
            i++;
            continue;
        }
        if (vi) {
            if ((t->flags & TF_ALLCAPS) && (t->kwc & KW_VIORG)) {
                size_t h = head_vi(x, i, &rc);   /* "UBND huyện An Dương", "TAND tỉnh ..." */
                if (rc)
                    return rc;
                if (h) {
                    i += h;
                    continue;
                }
            }
            if (t->flags & TF_ALLCAPS) {
                if ((rc = acronym(x, i)))
                    return rc;
                i++;
                continue;
            }
            size_t h = head_vi(x, i, &rc);
            if (rc)
                return rc;
            if (h) {
                i += h;
                continue;
            }
            if (t->kwc & KW_STOP) {          /* "Tại Bộ Ngoại giao" */
                i++;
                continue;
            }
            size_t b = i;
            while (b + 1 < tb->n && ((tb->t[b + 1].sep == SEP_SPACE && nameable(&tb->t[b + 1]) &&
                                      !(tb->t[b + 1].flags & TF_ALLCAPS)) ||
                                     name_tail(tb, &tb->t[b + 1])))
                b++;
            if ((rc = run_vi(x, i, b)))
                return rc;
            i = b + 1;
            continue;
        }
        if ((rc = scan_en(x, &i)))
            return rc;
    }
    /* acronyms outside runs (English runs handle their own) */
    if (!vi) {
        for (size_t i = 0; i < tb->n; i++)
            if ((tb->t[i].flags & TF_ALLCAPS) && !(tb->t[i].mark & TM_USED) && (rc = acronym(x, i)))
                return rc;
    }
    /* sport: results lines and clubs named after their towns */
    if (x->sports) {
        size_t from = 0;
        while (from < tb->n && tb->t[from].start < title_end)
            from++;
        if ((rc = result_lines(x, from)))
            return rc;
        team_mentions(x);
    }
    list_places(x);
    /* 4. short mentions of people */
    for (size_t p = 0; p < x->npend; p++) {
        const tok *t = &tb->t[x->pend[p]];
        long l = lsx__strmap_find(&x->lastw, tk_fold(tb, t), t->flen, t->fh);
        if (l >= 0 && x->lastw.ents[l].val != NONE) {
            x->cands[x->lastw.ents[l].val].count++;
            continue;
        }
        if ((rc = emit_name(x, x->pend[p], x->pend[p], LSX_ENTITY_PERSON)))
            return rc;
    }
    if (x->lastw.n) {
        for (size_t i = 0; i < tb->n; i++) {
            const tok *t = &tb->t[i];
            if (!(t->flags & TF_CAP) || (t->flags & TF_ALLCAPS) || t->flen < 2 ||
                (t->mark & (TM_GZ | TM_TITLE | TM_USED | TM_HEADLINE)) || (t->kwc & KW_STOP))
                continue;
            if (vi && (t->sf & SF_SENT))
                continue;
            long l = lsx__strmap_find(&x->lastw, tk_fold(tb, t), t->flen, t->fh);
            if (l >= 0 && x->lastw.ents[l].val != NONE)
                x->cands[x->lastw.ents[l].val].count++;
        }
    }
    return LSX_OK;
}

int lsx_extract_entities(lsx_extractor *x, const char *lang, const char *title,
                         const char *body, size_t body_len, lsx_entity_list *out, char *err)
{
    if (!x || !out)
        return lsx__seterr(err, LSX_EINVAL, "lsx_extract_entities: %s is NULL",
                           x ? "the output list" : "the extractor");
    lsx_entity_list_clear(out);
    if (!body)
        body = "", body_len = 0;
    size_t end = lsx_content_end(body, body_len);
    if (end > MAX_TEXT_BYTES)
        end = MAX_TEXT_BYTES;
    size_t vi_letters = 0;
    x->text.len = 0;
    x->text.oom = false;
    bool ok = true;
    size_t title_end = 0;
    if (title && *title) {
        size_t tl = strlen(title);
        ok = prep_text(&x->text, title, tl > 65536 ? 65536 : tl, &vi_letters, x->tb.cp);
        title_end = x->text.len;
        lsx_buf_append(&x->text, "\n\n", 2);
    }
    lsx_buf tmp = { 0 };
    ok = ok && prep_text(&tmp, body, end, &vi_letters, x->tb.cp);
    if (ok && tmp.len)
        lsx_buf_append(&x->text, tmp.data, tmp.len);
    lsx_buf_free(&tmp);
    if (!ok || x->text.oom)
        return lsx__seterr(err, LSX_ENOMEM, "out of memory extracting entities");
    bool vi = lang ? strcmp(lang, "vi") == 0 : vi_letters * 100 >= x->text.len && vi_letters >= 3;
    x->vi = vi;
    lsx__strmap_clear(&x->agg);
    lsx__strmap_clear(&x->lastw);
    lsx__strmap_clear(&x->acr);
    lsx__strmap_clear(&x->acrdef);
    x->npend = 0;
    int rc = LSX_ENOMEM;
    if (x->text.len && tokenize(&x->tb, x->text.data, x->text.len))
        rc = detect(x, vi, title_end);
    else if (!x->text.len)
        rc = LSX_OK;
    if (rc == LSX_OK)
        rc = output(x, out);
    if (rc) {
        lsx_entity_list_clear(out);
        return lsx__seterr(err, rc, "out of memory extracting entities");
    }
    return LSX_OK;
}

/* ======================================================================
 * Names typed by users
 * ====================================================================== */

static bool prep_user(lsx_extractor *x, const char *text, size_t len)
{
    x->vi = false;             /* a name typed by a user: every language's function words */
    x->text.len = 0;
    x->text.oom = false;
    return prep_text(&x->text, text, len, NULL, x->tb.cp) && tokenize(&x->tb, x->text.data, x->text.len);
}

/* The entity of words a..n-1 as a whole alias, or NONE. */
static uint32_t lookup_words(lsx_extractor *x, size_t a, int mode)
{
    uint32_t e;
    size_t n = x->tb.n;
    if (a >= n || n - a > MAX_ALIAS_WORDS)
        return NONE;
    size_t w = gz_match(x, a, n, mode, &e);
    return w == n - a ? e : NONE;
}

const char *lsx_gazetteer_lookup(lsx_extractor *x, const char *text, size_t len, lsx_entity_type *type)
{
    if (!x || !text)
        return NULL;
    if (len == (size_t)-1)
        len = strlen(text);
    if (len > 4096 || !prep_user(x, text, len))
        return NULL;
    uint32_t e = lookup_words(x, 0, MATCH_STRICT);
    if (e == NONE)
        return NULL;
    if (type)
        *type = x->ents[e].type;
    return xs(x, x->ents[e].id);
}

const char *lsx_gazetteer_name(lsx_extractor *x, const char *id)
{
    if (!x || !id)
        return NULL;
    size_t n = strlen(id);
    long k = lsx__strmap_find(&x->ids, id, n, lsx__hash(id, n));
    return k < 0 ? NULL : xs(x, x->ents[x->ids.ents[k].val].name);
}

/* Folded words joined by '-' without an extractor. */
static char *plain_id(const char *name)
{
    lsx_buf b = { 0 };
    size_t n = strlen(name);
    bool word = false, any = false;
    for (size_t i = 0; i < n;) {
        size_t len;
        int32_t c = decode(name, n, i, &len);
        i += len;
        if (c >= 0 && is_word_cp(c)) {
            if (!word && any)
                lsx_buf_putc(&b, '-');
            utf8proc_uint8_t f[32];
            lsx_buf_append(&b, f, fold_cp(c, f));
            word = any = true;
        } else if (!is_apos(c)) {
            word = false;
        }
    }
    if (!any)
        lsx_buf_append(&b, "", 0);
    return lsx_buf_detach(&b);
}

char *lsx_entity_normalize(lsx_extractor *x, const char *name)
{
    if (!name)
        return NULL;
    if (!x)
        return plain_id(name);
    size_t len = strlen(name);
    if (len > 4096)
        len = 4096;
    if (!prep_user(x, name, len))
        return NULL;
    tokbuf *tb = &x->tb;
    if (!tb->n)
        return lsx_strdup("");
    uint32_t e = lookup_words(x, 0, MATCH_RELAXED);
    if (e != NONE)
        return lsx_strdup(xs(x, x->ents[e].id));
    /* strip titles and honorifics: "Ambassador Vu Ho", "Đại sứ Vũ Hồ" */
    for (size_t i = 0; i < tb->n; i++)
        tb->t[i].kwc = kw_word(x, &tb->t[i]);
    size_t a = 0;
    bool titled = false;
    while (a < tb->n) {
        unsigned cls;
        size_t w = kw_longest(x, a, &cls);
        if (w && (cls & KW_TITLE)) {
            a += w;
            titled = true;
        } else if (w == 1 && (titled ? (cls & (KW_PORTFOLIO | KW_CONNECT | KW_STOP))
                                     : (cls & KW_STOP) && !(cls & KW_SURNAME))) {
            a++;
        } else {
            break;
        }
    }
    if (a >= tb->n)
        a = 0;
    if (a > 0 && (e = lookup_words(x, a, MATCH_RELAXED)) != NONE)
        return lsx_strdup(xs(x, x->ents[e].id));
    if (!titled)
        a = 0;
    if (!join_words(x, a, tb->n, '-', false))
        return NULL;
    return lsx_strdup(x->key.data);
}

/* ======================================================================
 * Boilerplate
 * ====================================================================== */

static const char *const bl_markers[] = {
    "other news", "other stories", "related", "related news", "related articles",
    "related stories", "related posts", "related content", "read more", "read also",
    "see also", "more news", "more stories", "more from", "most read", "most popular",
    "most viewed", "popular", "trending", "trending now", "latest news", "latest",
    "top stories", "you may also like", "you might also like", "recommended",
    "editors picks", "editor s picks", "tags", "tag", "keywords", "share this article",
    "tin lien quan", "tin khac", "tin cung chuyen muc", "tin cung loai", "xem them",
    "doc them", "lien ket huu ich", "phien ban di dong", "bai viet lien quan",
    "bai lien quan", "tin moi", "tin moi nhat", "tin doc nhieu", "doc nhieu nhat",
    "doc nhieu", "co the ban quan tam", "ban co the quan tam", "tu khoa", "chu de",
    "tin noi bat", "tin xem nhieu", "xem nhieu nhat", "tin tuc lien quan"
};

enum { BL_PROSE, BL_MARKER, BL_LIST, BL_DUP, BL_TEASER, BL_SHORT };

typedef struct bl_line {
    size_t raw, a, b;     /* line start; trimmed text [a, b) */
} bl_line;

typedef struct bl_sums {
    size_t prose, total;  /* bytes */
    size_t other_lists;   /* list lines that cannot be headlines */
    size_t lists, pairs;  /* headline-like list lines; repeated headline pairs */
} bl_sums;

/* Width of a blank character at s[i] (space, tab, CR, NBSP, ideographic
 * space, zero-width space, BOM), else 0. */
static size_t blank_at(const char *s, size_t i, size_t n)
{
    unsigned char c = (unsigned char)s[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
        return 1;
    if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0)
        return 2;
    if (i + 2 < n && ((c == 0xE3 && !memcmp(s + i, "\xE3\x80\x80", 3)) ||
                      (c == 0xE2 && !memcmp(s + i, "\xE2\x80\x8B", 3)) ||
                      (c == 0xEF && !memcmp(s + i, "\xEF\xBB\xBF", 3))))
        return 3;
    return 0;
}

static bool blank_before(const char *s, size_t a, size_t b, size_t *w)
{
    if (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r'))
        return (*w = 1);
    if (b >= a + 2 && !memcmp(s + b - 2, "\xC2\xA0", 2))
        return (*w = 2);
    if (b >= a + 3 && (!memcmp(s + b - 3, "\xE3\x80\x80", 3) || !memcmp(s + b - 3, "\xE2\x80\x8B", 3) ||
                       !memcmp(s + b - 3, "\xEF\xBB\xBF", 3)))
        return (*w = 3);
    return false;
}

static bool bl_next(const char *s, size_t n, size_t *pos, bl_line *l)
{
    while (*pos < n) {
        size_t st = *pos;
        const char *nlp = memchr(s + st, '\n', n - st);
        size_t e = nlp ? (size_t)(nlp - s) : n;
        *pos = nlp ? e + 1 : n;
        size_t a = st, b = e, w;
        while (a < b && (w = blank_at(s, a, b)) > 0)
            a += w;
        while (b > a && blank_before(s, a, b, &w))
            b -= w;
        if (a < b) {
            *l = (bl_line){ st, a, b };
            return true;
        }
    }
    return false;
}

static bool bl_eq(const char *s, const bl_line *p, const bl_line *q)
{
    return p->b - p->a == q->b - q->a && memcmp(s + p->a, s + q->a, p->b - p->a) == 0;
}

static size_t bl_chars(const char *s, const bl_line *l)
{
    size_t k = 0;
    for (size_t i = l->a; i < l->b; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

static size_t bl_words(const char *s, const bl_line *l)
{
    size_t k = 0;
    bool in = false;
    for (size_t i = l->a; i < l->b; i++) {
        bool sp = s[i] == ' ' || s[i] == '\t';
        if (!sp && !in)
            k++;
        in = !sp;
    }
    return k;
}

/* A line that could be a headline: 4+ words, under 200 characters, not
 * ending a sentence with '.'. */
static bool bl_headline(const char *s, const bl_line *l)
{
    size_t c = bl_chars(s, l);
    return c < 200 && s[l->b - 1] != '.' && bl_words(s, l) >= 4;
}

static bool bl_is_marker(const char *s, const bl_line *l)
{
    size_t n = l->b - l->a, len;
    if (n > 60 || s[l->b - 1] == '.')
        return false;
    for (size_t i = l->a; i < l->b; i += len) {   /* a heading starts with a capital */
        utf8proc_category_t k = category(decode(s, l->b, i, &len));
        if (k == UTF8PROC_CATEGORY_LL)
            return false;
        if (is_letter_cat(k))
            break;
    }
    char buf[256];
    size_t k = 0;
    bool space = false;
    for (size_t i = l->a; i < l->b;) {
        size_t len;
        int32_t c = decode(s, l->b, i, &len);
        i += len;
        if (c >= 0 && is_word_cp(c)) {
            if (space && k)
                buf[k++] = ' ';
            space = false;
            utf8proc_uint8_t f[32];
            size_t m = fold_cp(c, f);
            if (k + m + 2 > sizeof buf)
                return false;
            memcpy(buf + k, f, m);
            k += m;
        } else {
            space = true;
        }
    }
    buf[k] = '\0';
    for (size_t i = 0; i < sizeof bl_markers / sizeof *bl_markers; i++)
        if (!strcmp(buf, bl_markers[i]))
            return true;
    return false;
}

static bool bl_is_list(const char *s, const bl_line *l)
{
    static const char *const bullets[] = { "-", "*", "+", ">", "\xE2\x80\xA2" /* • */,
        "\xC2\xB7" /* · */, "\xE2\x80\x93" /* – */, "\xE2\x80\x94" /* — */,
        "\xE2\x96\xBA" /* ► */, "\xC2\xBB" /* » */ };
    for (size_t i = 0; i < sizeof bullets / sizeof *bullets; i++) {
        size_t k = strlen(bullets[i]);
        if (l->b - l->a >= k && !memcmp(s + l->a, bullets[i], k) &&
            (l->a + k == l->b || s[l->a + k] == ' ' || s[l->a + k] == '\t'))
            return true;
    }
    return false;
}

static int bl_classify(const char *s, const bl_line *cur, const bl_line *prev, const bl_line *next,
                       bool prev_pair_end)
{
    char last = s[cur->b - 1];
    size_t chars = bl_chars(s, cur);
    if (bl_is_marker(s, cur))
        return BL_MARKER;
    if (bl_is_list(s, cur))
        return chars < 150 && last != '.' && last != ';' && last != ',' ? BL_LIST : BL_PROSE;
    if (((prev && bl_eq(s, cur, prev)) || (next && bl_eq(s, cur, next))) && bl_headline(s, cur))
        return BL_DUP;
    if (prev_pair_end)
        return BL_TEASER;
    if ((cur->b - cur->a >= 3 && !memcmp(s + cur->b - 3, "...", 3)) ||
        (cur->b - cur->a >= 3 && !memcmp(s + cur->b - 3, "\xE2\x80\xA6", 3)))
        return BL_TEASER;
    if (chars < 90 && last != '.')
        return BL_SHORT;
    return BL_PROSE;
}

/* One pass over the lines: with tot == NULL, sums the whole text into *sum;
 * else returns the cut position (or n). */
static size_t bl_scan(const char *s, size_t n, bl_sums *sum, const bl_sums *tot)
{
    size_t pos = 0;
    bl_line prev = { 0 }, cur, next;
    bool have_prev = false, have_next = false, prev_pair_end = false, prev_stop = false;
    int prev_cls = -1;
    bool have_cur = bl_next(s, n, &pos, &cur);
    if (have_cur)
        have_next = bl_next(s, n, &pos, &next);
    while (have_cur) {
        int cls = bl_classify(s, &cur, have_prev ? &prev : NULL, have_next ? &next : NULL,
                              prev_pair_end);
        bool pair_end = cls == BL_DUP && have_prev && bl_eq(s, &cur, &prev);
        bool pair_start = cls == BL_DUP && !pair_end && have_next && bl_eq(s, &cur, &next);
        /* a list line that may be a headline; a bare bullet ("-") is neutral */
        bool hlist = cls == BL_LIST && (cur.b - cur.a <= 3 || bl_words(s, &cur) >= 5);
        if (tot && sum->total > 0) {
            size_t tp = tot->prose - sum->prose, tt = tot->total - sum->total;
            size_t tl = tot->lists - sum->lists, tpairs = tot->pairs - sum->pairs;
            if (cls == BL_MARKER && tp * 2 <= tt)
                return cur.raw;
            if (pair_start && tpairs >= 2 && tp * 4 <= tt)
                return cur.raw;
            if (cls == BL_LIST && prev_cls != BL_LIST && prev_stop && tp == 0 && tl >= 5 &&
                tot->other_lists == sum->other_lists)
                return cur.raw;
        }
        size_t len = cur.b - cur.a;
        sum->total += len;
        if (cls == BL_PROSE)
            sum->prose += len;
        if (cls == BL_LIST && !hlist)
            sum->other_lists++;
        if (hlist && cur.b - cur.a > 3)
            sum->lists++;
        if (pair_start)
            sum->pairs++;
        prev = cur;
        have_prev = true;
        prev_cls = cls;
        prev_pair_end = pair_end;
        {   /* did the previous line end a sentence? */
            char c = s[cur.b - 1];
            prev_stop = c == '.' || c == '!' || c == '?' ||
                        (cur.b - cur.a >= 3 && !memcmp(s + cur.b - 3, "\xE2\x80\xA6", 3));
        }
        cur = next;
        have_cur = have_next;
        if (have_cur)
            have_next = bl_next(s, n, &pos, &next);
    }
    return n;
}

size_t lsx_content_end(const char *body, size_t len)
{
    if (!body || !len)
        return 0;
    bl_sums tot = { 0 }, sum = { 0 };
    bl_scan(body, len, &tot, NULL);
    return bl_scan(body, len, &sum, &tot);
}

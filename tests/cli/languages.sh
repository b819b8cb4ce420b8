#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# languages.sh - end-to-end tests of the analysis chain on the ASEAN
# languages: the multilingual sample set (data/languages) indexed together
# with the English and Vietnamese one (data/sample).  For each language:
# the language is detected, a word from the middle of a sentence finds its
# article, a phrase finds its article, a stem variant matches (Indonesian,
# Malay), the snippet highlights the word asked for, lang:XX filters; and
# search stats lists every language.
. "$top_srcdir/tests/cli/lib.sh"

LANGS="$top_srcdir/data/languages"
DB="$TMP/db"
ESC=$(printf '\033')
"$INDEX" --quiet --db "$DB" "$LANGS" "$SAMPLE" || { echo "Bail out! cannot index $LANGS and $SAMPLE"; exit 1; }

#### detection and lang: ####################################################
for lang in th id ms tl km lo my zh; do
    want=$(cd "$LANGS" && ls "$lang"-*.txt | sed 's/\.txt$//; s/^/languages\//' | sort | tr '\n' ' ')
    run "$SEARCH" --db "$DB" --json --limit 50 "lang:$lang"
    is "$(json_ids "$TMP/out" | sort | tr '\n' ' ')" "$want" "$lang: the three articles are detected as $lang, and lang:$lang finds exactly them"
done
run "$SEARCH" --db "$DB" stats
like "$TMP/out" '^documents +40 \(en 8, id 3, km 3, lo 3, ms 3, my 3, th 3, tl 3, vi 8, zh 3\)$' \
    "search stats lists every language present"
run "$SEARCH" --db "$DB" --json stats
like "$TMP/out" '"languages":\{"en":8,"id":3,"km":3,"lo":3,"ms":3,"my":3,"th":3,"tl":3,"vi":8,"zh":3\}' \
    "search stats --json lists every language present"
run "$SEARCH" --db "$DB" 'lang:xx'
is "$rc" 2 "lang:xx is refused"
like "$TMP/err" "unknown language 'xx' \(known: ar .* th tl tr vi yi zh\)" "... naming the languages the chain knows"
run "$SEARCH" --db "$DB" --json 'lang:FR'
is "$rc" 1 "lang:FR (a registry language with no documents) is accepted and finds nothing"

#### words, phrases, stems, filters ###########################################
# lang | article | a word from mid-sentence | a phrase (two or more words) | phrase's article
while IFS='|' read -r lang art word phrase part; do
    run "$SEARCH" --db "$DB" --json "$word"
    is "$(json_ids "$TMP/out" | head -n 1)" "languages/$art" "$lang: '$word' (mid-sentence) finds its article first"
    run "$SEARCH" --db "$DB" --json "\"$phrase\""
    is "$(json_ids "$TMP/out" | tr '\n' ' ')" "languages/$part " "$lang: the phrase \"$phrase\" finds its article"
    run "$SEARCH" --db "$DB" --json "$word lang:$lang"
    is "$(json_ids "$TMP/out" | head -n 1)" "languages/$art" "$lang: '$word lang:$lang' keeps it"
    other=vi; [ "$lang" = vi ] && other=en
    run "$SEARCH" --db "$DB" --json "$word lang:$other"
    is "$rc" 1 "$lang: '$word lang:$other' finds nothing"
done <<'TABLE'
th|th-loy-krathong-chiang-mai|โคมลอย|ริมแม่น้ำปิง|th-loy-krathong-chiang-mai
id|id-kereta-cepat-bandung|angkutan|kereta cepat|id-kereta-cepat-bandung
ms|ms-banjir-kelantan|tilam|pusat pemindahan|ms-banjir-kelantan
tl|tl-jeepney-protesta|kooperatiba|malakas na bagyo|tl-bagyo-bicol
km|km-angkor-visitors|សណ្ឋាគារ|ក្រុងសៀមរាប|km-angkor-visitors
lo|lo-railway-passengers|ສະຖານີ|ສົ່ງອອກໄຟຟ້າ|lo-hydropower-export
my|my-circle-train|ခရီးသည်|ဘူတာရုံများ|my-circle-train
zh|zh-asean-trade-record|仓库|电子零部件|zh-asean-trade-record
TABLE

# A phrase of unspaced script must match its words in order: the same words
# in another order are not the phrase.
run "$SEARCH" --db "$DB" --json '"ปิงแม่น้ำริม"'
is "$rc" 1 "th: the phrase's words in another order do not match"

# Stem variants (Snowball's Indonesian stemmer, also for Malay): a form the
# article does not contain finds it.
while IFS='|' read -r lang art variant; do
    run "$SEARCH" --db "$DB" --json "$variant lang:$lang"
    is "$(json_ids "$TMP/out" | head -n 1)" "languages/$art" "$lang: the stem variant '$variant' finds $art"
done <<'TABLE'
id|id-banjir-rob-semarang|membangun
id|id-banjir-rob-semarang|dievakuasi
ms|ms-banjir-kelantan|pindah
ms|ms-durian-eksport-raub|dibina
ms|ms-sekolah-digital-sarawak|belajar
TABLE
run "$SEARCH" --db "$DB" --explain 'dipindahkan lang:ms'
like "$TMP/out" 'word dipindahkan: search forms pindah \(ms stem\), dipindahkan \(folded\)' \
    "--explain shows a word's stem in the language of lang: and its folded form"
run "$SEARCH" --db "$DB" --explain dipindahkan
like "$TMP/out" 'word dipindahkan: search forms dipindahkan \(folded\), pindah \(id stem\)' \
    "... and without lang:, its stems in the database's languages (Malay shares Indonesian's stemmer)"

# A Thai name in any article is a word too, and the gazetteer knows the
# region's names in their own scripts: Thailand finds the Thai article that
# says ประเทศไทย.
run "$SEARCH" --db "$DB" --json --limit 50 Thailand
like "$TMP/out" '"id":"languages/th-election-turnout"' "Thailand finds the Thai article saying ประเทศไทย (gazetteer alias)"
run "$SEARCH" --db "$DB" --json --limit 50 ประเทศไทย
like "$TMP/out" '"id":"languages/th-election-turnout"' "... and ประเทศไทย finds it as a word"

#### snippets highlight the word asked for ##################################
if have_script; then
    while IFS='|' read -r lang word shown; do
        env -u NO_COLOR TERM=xterm script -qec "'$SEARCH' --db '$DB' --limit 1 '$word'" /dev/null </dev/null >"$TMP/tty" 2>&1
        like "$TMP/tty" "${ESC}\\[1m${shown}${ESC}\\[0m" "$lang: the snippet highlights $shown for '$word'"
    done <<'TABLE'
th|โคมลอย|โคมลอย
id|angkutan|angkutan
ms|pindah|dipindahkan
tl|kooperatiba|kooperatiba
km|សណ្ឋាគារ|សណ្ឋាគារ
lo|ສະຖານີ|ສະຖານີ
my|ခရီးသည်|ခရီးသည်
zh|仓库|仓库
TABLE
else
    skip "snippet highlighting per language" "util-linux script(1) is not installed"
fi

done_testing

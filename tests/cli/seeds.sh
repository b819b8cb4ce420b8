#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# seeds.sh - the seed articles of the foundation issue, end to end: an English
# and a Vietnamese report of the same meeting in Phnom Penh (000 and 003).
. "$top_srcdir/tests/cli/lib.sh"

have_shared || skip_all "no seed articles (\$LSX_SHARED/seeds is absent)"

DB="$TMP/db"
EN=000_613cb4cec681f5fe
VI=003_2f67edeb91075b27

run "$INDEX" --db "$DB" "$LSX_SHARED/seeds"
is "$rc" 0 "the seeds are indexed"
like "$TMP/out" '^indexed 5 documents \(5 added' "... all five of them"

run "$SEARCH" --db "$DB" --json '"Phnom Penh"'
is "$rc" 0 "the phrase \"Phnom Penh\" is found"
is "$(json_ids "$TMP/out" | sort | tr '\n' ' ')" "$EN $VI " "... in the English and the Vietnamese report, and nowhere else"

run "$SEARCH" --db "$DB" --json --filter lang:vi '"phnom penh"'
is "$(json_ids "$TMP/out" | tr '\n' ' ')" "$VI " "--filter lang:vi keeps only the Vietnamese report"
run "$SEARCH" --db "$DB" --json '"phnom penh" lang:en'
is "$(json_ids "$TMP/out" | tr '\n' ' ')" "$EN " "lang:en keeps only the English one"

for q in 'Việt Nam' 'viet nam' '"viet nam"' 'VIỆT NAM'; do
    run "$SEARCH" --db "$DB" --json --limit 10 "$q"
    is "$rc" 0 "'$q' finds something"
    json_ids "$TMP/out" >"$TMP/ids"
    ok "'$q' finds the Vietnamese article $VI" grep -qx "$VI" "$TMP/ids"
done

run "$SEARCH" --db "$DB" get "$EN"
is "$rc" 0 "get $EN"
like "$TMP/out" '^date +2022-02-16 \(header\)$' "... shows the date 2022-02-16 from the header line"
like "$TMP/out" '^title +ASEAN senior officials meet face to face in Phnom Penh$' "... and the title"
like "$TMP/out" '^  person +Vu Ho \(vu-ho\), 2 mentions$' "... and Ambassador Vu Ho among the entities"
like "$TMP/out" '^  place +Phnom Penh \(phnom-penh\), [0-9]+ mentions$' "... and Phnom Penh"

run "$SEARCH" --db "$DB" --json 'person:"Vũ Hồ"'
json_ids "$TMP/out" >"$TMP/ids"
ok "person:\"Vũ Hồ\" finds the English report" grep -qx "$EN" "$TMP/ids"
ok "... and the Vietnamese one, where he is Vũ Hồ" grep -qx "$VI" "$TMP/ids"

run "$SEARCH" --db "$DB" get --json "$VI"
is "$rc" 0 "get --json $VI"
like "$TMP/out" '"lang":"vi"' "... is Vietnamese"
like "$TMP/out" '"date":"2022-02-16"' "... dated 2022-02-16 (\"Ngày 16/2\" in the text)"

done_testing

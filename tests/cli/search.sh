#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# search.sh - end-to-end tests of search over the sample corpus: queries,
# output formats, filters, paging, subcommands and the database location.
. "$top_srcdir/tests/cli/lib.sh"

DB="$TMP/db"
ESC=$(printf '\033')

"$INDEX" --quiet --db "$DB" "$SAMPLE" || { echo "Bail out! cannot index $SAMPLE"; exit 1; }
ndocs=$("$SEARCH" stats --db "$DB" --json | sed -n 's/.*"documents":\([0-9]*\).*/\1/p')

#### options ################################################################
run "$SEARCH" --help
is "$rc" 0 "--help exits 0"
like "$TMP/out" '^Usage: search \[OPTION\]\.\.\. QUERY\.\.\.' "--help starts with the usage"
for word in --db --limit --offset --json --filter --facet --k1 --b --prf --version \
            'search stats' 'search get' 'search delete' 'search facets' 'search eval' \
            SEARCH_DB NO_COLOR 'Exit status'; do
    like "$TMP/out" "$word" "--help mentions $word"
done
like "$TMP/out" '--k1 X .*\(default 1\.6\)' "--help gives the library's default k1"
like "$TMP/out" '--b Y .*\(default 0\.75\)' "--help gives the library's default b"
like "$TMP/out" 'default 0\.3\)' "--help gives the library's default feedback weight"
run "$SEARCH" --version
like "$TMP/out" '^search \(libsearch\) [0-9]+\.[0-9]+\.[0-9]+' "--version names program and library version"
like "$TMP/out" '^libsearch [0-9]+\.[0-9]+\.[0-9]+, Xapian [0-9]+\.[0-9]+\.[0-9]+$' "--version names the libsearch and Xapian versions loaded"
run "$SEARCH" -h
is "$rc" 0 "-h: exit 0"
like "$TMP/out" '^Usage: search ' "... prints the usage"
run "$SEARCH" --hel
like "$TMP/out" '^Usage: search ' "an abbreviated long option (--hel) works"

run "$SEARCH" --db "$DB" --bogus dengue
is "$rc" 2 "an unknown option is a usage error"
like "$TMP/err" "Try 'search --help'" "... with a hint"
run "$SEARCH" --db "$DB" asean -payments
is "$rc" 2 "a -word before '--' is taken for an option"
like "$TMP/err" "search -- " "... and the hint shows how to exclude a word"
run "$SEARCH" --db "$DB"
is "$rc" 2 "no query is a usage error"
for bad in "--limit x" "--limit -1" "--offset 1.5" "--k1 -1" "--b 2" "--b nan" \
           "--prf 10" "--prf 0:10" "--prf 10:0" "--prf 10:1001" "--prf 10:20:0" "--prf 10:20:x" \
           "--prf 10:20:" "--prf 10:20:0.5:1"; do
    # shellcheck disable=SC2086 # split the option from its value
    run "$SEARCH" --db "$DB" $bad dengue
    is "$rc" 2 "$bad is refused"
    like "$TMP/err" "^search: ${bad%% *}: '" "... naming the option and the value"
done
run "$SEARCH" --db "$DB" --facet colour:3 dengue
is "$rc" 2 "a bad --facet spec is refused"
like "$TMP/err" 'colour' "... naming it"

#### queries ################################################################
run "$SEARCH" --db "$DB" dengue
is "$rc" 0 "a word is found: exit 0"
like "$TMP/out" '^1 result \(showing 1-1\)$' "... the header line counts the results"
like "$TMP/out" '^1\. Hà Nội steps up dengue fight as WHO warns of early peak$' "... the title"
like "$TMP/out" '^   articles/en-dengue-hanoi-who  2022-09-05  en  score [0-9.]+$' "... id, date, language and score"
like "$TMP/out" '^   .*dengue' "... a snippet with the word"
unlike "$TMP/out" "$ESC" "no escape sequences when stdout is not a terminal"

run "$SEARCH" --db "$DB" xyzzyplugh
is "$rc" 1 "no match: exit 1"
like "$TMP/out" '^0 results$' "... saying 0 results"

run "$SEARCH" --db "$DB" 'dengue AND (hanoi'
is "$rc" 2 "a syntax error: exit 2"
like "$TMP/err" "^search: query syntax error: .*'\\('" "... with the parser's message"
like "$TMP/err" '^  dengue AND \(hanoi$' "... the query"
like "$TMP/err" '^             \^$' "... and a caret under the error"
run "$SEARCH" --db "$DB" --filter 'date:2022-13' dengue
is "$rc" 2 "a syntax error in --filter: exit 2"
like "$TMP/err" '^search: --filter: ' "... saying where"

run "$SEARCH" --db "$DB" --json asean
is "$rc" 0 "--json: exit 0"
json_lines_ok "$TMP/out" "--json prints JSON objects, one a line"
like "$TMP/out" '^\{"rank":1,"id":"[^"]+","score":[0-9.]+,"title":".*","date":("[0-9-]{10}"|null),"date_source":"[a-z]+","lang":"(en|vi)","source":("[^"]*"|null),"snippet":".*"\}$' \
    "... with the documented fields"
nasean=$(json_ids "$TMP/out" | wc -l | tr -d ' ')

run "$SEARCH" --db "$DB" --json --limit 2 asean
is "$(json_ids "$TMP/out" | wc -l | tr -d ' ')" 2 "--limit 2 gives two results"
second=$(json_ids "$TMP/out" | sed -n 2p)
run "$SEARCH" --db "$DB" --json --limit 1 --offset 1 asean
is "$(json_ids "$TMP/out")" "$second" "--offset 1 --limit 1 gives the second result"
like "$TMP/out" '^\{"rank":2,' "... ranked 2"
run "$SEARCH" --db "$DB" --limit 1 --offset 1 asean
like "$TMP/out" "^$nasean results \\(showing 2-2\\)\$" "... and the header says so"
run "$SEARCH" --db "$DB" --offset 1000 asean
is "$rc" 0 "an offset past the end still found something: exit 0"

run "$SEARCH" --db "$DB" asean
like "$TMP/out" '^6 results \(showing 1-6\)$' "ASEAN is in six articles (data/sample/README.md)"
# Diacritics: a word typed with them matches that spelling only.
run "$SEARCH" --db "$DB" --json --limit 50 'năm'
json_ids "$TMP/out" | sort >"$TMP/ids"
ok "'năm' (year) finds an article that says năm" grep -qx articles/vi-seagames-phnom-penh "$TMP/ids"
ok "... but not the Quảng Nam flood report, which has Nam and not năm" sh -c "! grep -qx articles/vi-lu-quang-nam '$TMP/ids'"
run "$SEARCH" --db "$DB" --json --limit 50 'nam'
json_ids "$TMP/out" | sort >"$TMP/ids"
ok "'nam' (no diacritics) finds both" sh -c "grep -qx articles/vi-lu-quang-nam '$TMP/ids' && grep -qx articles/vi-seagames-phnom-penh '$TMP/ids'"
for q in 'Đà Nẵng' 'da nang' '"Trần Minh Khoa"'; do
    run "$SEARCH" --db "$DB" --json "$q"
    json_ids "$TMP/out" | sort >"$TMP/ids"
    ok "'$q' finds the English report of the Đà Nẵng meeting" grep -qx articles/en-asean-digital-danang "$TMP/ids"
    ok "... and the Vietnamese one" grep -qx articles/vi-asean-so-danang "$TMP/ids"
done

run "$SEARCH" --db "$DB" --json '"Phnom Penh"'
json_ids "$TMP/out" >"$TMP/ids"
ok "a phrase is found" grep -qx articles/vi-seagames-phnom-penh "$TMP/ids"
run "$SEARCH" --db "$DB" '"penh phnom"'
is "$rc" 1 "the phrase with its words swapped is not"

run "$SEARCH" --db "$DB" --json title:dengue
is "$(json_ids "$TMP/out")" articles/en-dengue-hanoi-who "title: finds the word in the title"
run "$SEARCH" --db "$DB" title:insecticide
is "$rc" 1 "title: does not look in the body"

run "$SEARCH" --db "$DB" --json 'asean AND lang:vi'
json_ids "$TMP/out" >"$TMP/ids"
ok "lang:vi finds the Vietnamese ASEAN article" grep -qx articles/vi-asean-so-danang "$TMP/ids"
is "$(json_field "$TMP/out" lang | sort -u)" vi "... and only Vietnamese ones"
run "$SEARCH" --db "$DB" --json asean lang:vi
is "$(json_field "$TMP/out" lang | sort -u)" vi "a filter among words restricts them"
run "$SEARCH" --db "$DB" --json --filter lang:en asean
is "$(json_field "$TMP/out" lang | sort -u)" en "--filter lang:en keeps only English ones"

run "$SEARCH" --db "$DB" --json 'asean AND date:2023-09'
json_ids "$TMP/out" | sort >"$TMP/ids"
ok "date:2023-09 finds the English ASEAN article of that month" grep -qx articles/en-asean-digital-danang "$TMP/ids"
ok "... and the Vietnamese one" grep -qx articles/vi-asean-so-danang "$TMP/ids"
is "$(json_field "$TMP/out" date | cut -c1-7 | sort -u)" 2023-09 "... and nothing of other months"
run "$SEARCH" --db "$DB" --json --limit 100 'date:2024..'
is "$rc" 0 "an open date range finds documents"
is "$(json_field "$TMP/out" date | awk '$0 < "2024-01-01"')" "" "... all dated 2024 or later"

run "$SEARCH" --db "$DB" --json 'asean NOT lang:vi'
is "$(json_field "$TMP/out" lang | sort -u)" en "NOT excludes"
run "$SEARCH" --db "$DB" --json -- asean -payments
json_ids "$TMP/out" >"$TMP/ids"
is "$rc" 0 "-word after '--' excludes the word"
ok "... so the article about payments is gone" test -s "$TMP/ids" -a "$(grep -c articles/en-asean-digital-danang "$TMP/ids")" = 0

run "$SEARCH" --db "$DB" --json --facet date:year --facet entity:3 asean
is "$rc" 0 "--facet: exit 0"
json_lines_ok "$TMP/out" "... JSON lines"
like "$TMP/out" '^\{"facets":\{"date":\[\{"value":"20[0-9][0-9]","label":"[^"]*","count":[0-9]+\}.*\],"entity":\[.*\]\}\}$' \
    "... the last line holds the facets"
run "$SEARCH" --db "$DB" --facet date:year asean
like "$TMP/out" '^date:$' "facets in text output"

run "$SEARCH" --db "$DB" --k1 0.5 --b 0 dengue
is "$rc" 0 "--k1 and --b are accepted"

# Pseudo-relevance feedback: "dengue" is in one article; feedback from it
# adds its best terms, which find other articles, ranked below it.
run "$SEARCH" --db "$DB" --json dengue
is "$(json_ids "$TMP/out")" articles/en-dengue-hanoi-who "without --prf dengue finds one article"
run "$SEARCH" --db "$DB" --json --prf 1:10 dengue
is "$rc" 0 "--prf 1:10: exit 0"
is "$(json_ids "$TMP/out" | sed -n 1p)" articles/en-dengue-hanoi-who "... the dengue article stays first"
ok "... and the added terms find more articles" test "$(line_count "$TMP/out")" -ge 2
run "$SEARCH" --db "$DB" --json --prf 1:10:2 dengue
is "$(json_ids "$TMP/out" | sed -n 1p)" articles/en-dengue-hanoi-who "--prf with a weight (1:10:2) is accepted"
run "$SEARCH" --db "$DB" --json --prf 1:10 --filter lang:vi asean
is "$(json_field "$TMP/out" lang | sort -u)" vi "--prf keeps --filter's restriction"
run "$SEARCH" --db "$DB" --prf 5:5 xyzzyplugh
is "$rc" 1 "--prf on a query that finds nothing: exit 1"

#### colour #################################################################
if have_script; then
    env -u NO_COLOR TERM=xterm script -qec "'$SEARCH' --db '$DB' dengue" /dev/null </dev/null >"$TMP/tty" 2>&1
    like "$TMP/tty" "^1\\. ${ESC}\\[1mHà Nội" "bold title on a terminal"
    like "$TMP/tty" "${ESC}\\[1m[Dd]engue${ESC}\\[0m" "... and highlighted words in the snippet"
    # Regression: a prefix typed with diacritics highlighted nothing.
    env -u NO_COLOR TERM=xterm script -qec "'$SEARCH' --db '$DB' --limit 1 'việ*'" /dev/null </dev/null >"$TMP/tty" 2>&1
    like "$TMP/tty" "   .*${ESC}\\[1mViệt${ESC}\\[0m" "... and the words of a prefix typed with diacritics (việ*)"
    NO_COLOR=1 TERM=xterm script -qec "'$SEARCH' --db '$DB' dengue" /dev/null </dev/null >"$TMP/tty" 2>&1
    unlike "$TMP/tty" "$ESC" "no bold with NO_COLOR"
    env -u NO_COLOR TERM=dumb script -qec "'$SEARCH' --db '$DB' dengue" /dev/null </dev/null >"$TMP/tty" 2>&1
    unlike "$TMP/tty" "$ESC" "no bold with TERM=dumb"
else
    for t in "bold title on a terminal" "... and highlighted words in the snippet" \
             "... and the words of a prefix typed with diacritics (việ*)" \
             "no bold with NO_COLOR" "no bold with TERM=dumb"; do
        skip "$t" "needs util-linux script(1)"
    done
fi

#### subcommands ############################################################
run "$SEARCH" --d "$DB" stats
is "$rc" 0 "an abbreviated --db before a subcommand (--d DIR stats) is read as getopt_long reads it"
run "$SEARCH" --db "$DB" stats
is "$rc" 0 "stats: exit 0"
like "$TMP/out" "^documents +$ndocs \\(en [0-9]+, vi [0-9]+\\)\$" "... documents per language"
like "$TMP/out" "^avg words +[0-9]+\\.[0-9] per document \\(title and body\\)\$" "... average words per document"
like "$TMP/out" '^dated +[0-9]+ \(20[0-9-]+ to 20[0-9-]+\)$' "... the date range"
like "$TMP/out" '^size on disk +[0-9.]+ (bytes|kB|MB|GB)$' "... the size"
run "$SEARCH" stats --json --db "$DB"
json_lines_ok "$TMP/out" "stats --json"
like "$TMP/out" '"terms":[1-9][0-9]*,' "... has the number of terms"

run "$SEARCH" --db "$DB" get articles/en-dengue-hanoi-who
is "$rc" 0 "get: exit 0"
like "$TMP/out" '^title +Hà Nội steps up dengue fight' "... the title"
like "$TMP/out" '^date +2022-09-05 \(header\)$' "... the date and its source"
like "$TMP/out" '^language +en$' "... the language"
like "$TMP/out" '^source +.*articles/en-dengue-hanoi-who\.txt' "... the source file"
like "$TMP/out" '^entities' "... the entities"
like "$TMP/out" 'Health authorities in Hà Nội' "... and the body"
run "$SEARCH" get --json articles/en-dengue-hanoi-who --db "$DB"
json_lines_ok "$TMP/out" "get --json"
like "$TMP/out" '"date":"2022-09-05","date_source":"header"' "... with the date"
run "$SEARCH" --db "$DB" get no-such-id
is "$rc" 1 "get of an unknown id: exit 1"
like "$TMP/err" "no document with id 'no-such-id'" "... saying so"
run "$SEARCH" --db "$DB" get
is "$rc" 2 "get without an id: exit 2"

run "$SEARCH" --db "$DB" facets
is "$rc" 0 "facets: exit 0"
like "$TMP/out" "^$ndocs documents\$" "... over every document"
run "$SEARCH" --db "$DB" facets --json --facet date:year
json_lines_ok "$TMP/out" "facets --json"
like "$TMP/out" "^\\{\"documents\":$ndocs,\"facets\":\\{\"date\":\\[" "... with the counts"
like "$TMP/out" '"date":\[\{"value":"2022","label":"2022","count":4\},\{"value":"2023","label":"2023","count":6\},\{"value":"2024","label":"2024","count":6\}\]' \
    "... 4 articles of 2022, 6 of 2023 and 6 of 2024 (data/sample/README.md)"

"$INDEX" --quiet --db "$TMP/db2" "$SAMPLE"
run "$SEARCH" --db "$TMP/db2" delete articles/en-dengue-hanoi-who
is "$rc" 0 "delete: exit 0"
like "$TMP/out" '^deleted 1 document$' "... says so"
run "$SEARCH" --db "$TMP/db2" get articles/en-dengue-hanoi-who
is "$rc" 1 "... the document is gone"
run "$SEARCH" --db "$TMP/db2" dengue
is "$rc" 1 "... and no longer found"
run "$SEARCH" --db "$TMP/db2" delete articles/en-dengue-hanoi-who
is "$rc" 1 "deleting it again: exit 1"
run "$SEARCH" --db "$TMP/db2" stats --json
like "$TMP/out" "\"documents\":$((ndocs - 1))," "one document fewer"

run "$SEARCH" --db "$TMP/nothing" -- stats
is "$rc" 3 "'search -- stats' is a query, not the subcommand (so no database)"

#### where the database is ##################################################
run env SEARCH_DB="$DB" "$SEARCH" dengue
is "$rc" 0 "SEARCH_DB names the database"
mkdir "$TMP/cwd" "$TMP/empty"
(cd "$TMP/cwd" && "$INDEX" --quiet "$SAMPLE")
ok "search-index makes ./search.db by default" test -d "$TMP/cwd/search.db"
(cd "$TMP/cwd" && run "$SEARCH" dengue && echo "$rc" >"$TMP/rc")
is "$(cat "$TMP/rc")" 0 "search uses ./search.db by default"
(cd "$TMP/cwd" && run env SEARCH_DB= "$SEARCH" dengue && echo "$rc" >"$TMP/rc")
is "$(cat "$TMP/rc")" 0 "... also when SEARCH_DB is empty"
(cd "$TMP/empty" && run "$SEARCH" dengue && echo "$rc" >"$TMP/rc")
is "$(cat "$TMP/rc")" 3 "no database: exit 3"
is "$(cat "$TMP/err")" \
   "search: no database at ./search.db (set --db or SEARCH_DB; create one with search-index)" \
   "... with a message telling what to do"

done_testing

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# bad-input.sh - hostile input, row by row: terminal escapes planted in ids,
# dates, file names, titles and bodies never reach the terminal; articles
# far over the size caps (a big file, a small .gz that expands a lot, a
# huge JSON Lines record, one endless line) are cut or skipped with a
# warning naming the file, and what follows them is still indexed.
. "$top_srcdir/tests/cli/lib.sh"

ESC=$(printf '\033')
DB=$TMP/db
IN=$TMP/in
mkdir -p "$IN"

# True if FILE holds an ESC byte, a C1 control (as UTF-8) or a raw 0x9B.
has_escape() {
    LC_ALL=C grep -q "$(printf '\033')\|$(printf '\302')[$(printf '\200')-$(printf '\237')]\|$(printf '\233')" "$1"
}
no_escape() {  # FILE NAME
    if has_escape "$1"; then
        _tap_result 1 "$2"
        od -c "$1" | head -n 5 | diag
    else
        _tap_result 0 "$2"
    fi
}

# ---- terminal escapes --------------------------------------------------
printf '<DOC>\n<DOCNO>evil\033]52;c;aGk=\007id</DOCNO>\n<TEXT>\nbody\n</TEXT>\n</DOC>\n' > "$IN/id.trec"
printf '<DOC>\n<DOCNO>d1</DOCNO>\n<DATE>2020\033[2J-01-01</DATE>\n<TEXT>\nbody\n</TEXT>\n</DOC>\n' > "$IN/date.trec"
printf '\001\002\000binary\n' > "$IN/name$(printf '\033')[31m.txt"
run "$INDEX" --db "$TMP/esc.db" "$IN/id.trec" "$IN/date.trec" "$IN/name${ESC}[31m.txt"
is "$rc" 2 "escapes in DOCNO, DATE and a file name: skipped with warnings (exit 2)"
like "$TMP/err" 'date' "... and the bad date"
like "$TMP/err" 'name.*\.txt' "... and the file"
no_escape "$TMP/err" "... and no ESC reaches stderr"
no_escape "$TMP/out" "... nor stdout"
run "$SEARCH" --db "$TMP/esc.db" body
like "$TMP/out" 'evil' "search lists the article whose id holds OSC 52"
no_escape "$TMP/out" "... with the escape broken"

printf '<DOC>\n<DOCNO>c1</DOCNO>\n<TITLE>Title \302\233 31m red \233 31m raw</TITLE>\n<TEXT>\nharbour \302\2332J clear \2332J raw \033[1mplanted\033[0m bold harbour\n</TEXT>\n</DOC>\n' > "$IN/c1.trec"
run "$INDEX" --db "$DB" "$IN/c1.trec"
is "$rc" 0 "C1 controls and ESC in a title and body: indexed"
run "$SEARCH" --db "$DB" harbour
is "$rc" 0 "search finds the article"
like "$TMP/out" 'planted' "... and prints its snippet"
no_escape "$TMP/out" "... with no ESC, C1 control or raw 0x9B"
run "$SEARCH" get --db "$DB" c1
is "$rc" 0 "search get prints it"
no_escape "$TMP/out" "... with no ESC, C1 control or raw 0x9B"
run "$SEARCH" get --db "$DB" --json c1
like "$TMP/out" '\\u009b' "search get --json escapes U+009B"
no_escape "$TMP/out" "... and prints no raw control"
if have_script; then
    script -qec "NO_COLOR= TERM=xterm '$SEARCH' --db '$DB' harbour" /dev/null < /dev/null > "$TMP/tty" 2>&1
    like "$TMP/tty" "${ESC}\\[1mharbour${ESC}\\[0m" "on a terminal, matched words are bold"
    unlike "$TMP/tty" "${ESC}\\[1mplanted" "... but the ESC[1m planted in the body is not passed on"
else
    skip "on a terminal, matched words are bold" "needs util-linux script(1)"
    skip "... but the ESC[1m planted in the body is not passed on" "needs util-linux script(1)"
fi

# search eval prints run tags and topic ids from its input files: on a
# terminal through the sanitiser, to a file byte for byte (trec_eval's
# output, which tools compare exactly).
printf '1\0330 0 d1 1\n1\0330 0 d2 0\n' > "$IN/esc.qrels"
printf '1\0330 Q0 d1 1 2.0 tag\033]52;c;aGk=\007\n1\0330 Q0 d2 2 1.0 tag\033]52;c;aGk=\007\n' > "$IN/esc.run"
printf '1\0330 Q0 d2 1 2.0 other\302\233x\n1\0330 Q0 d1 2 1.0 other\302\233x\n' > "$IN/esc2.run"
run "$SEARCH" eval -q "$IN/esc.qrels" "$IN/esc.run"
is "$rc" 0 "search eval of a run whose tag and topic hold escapes: exit 0"
like "$TMP/out" "^runid +	all	tag${ESC}]52;c;aGk=" "... to a file, the run tag byte for byte"
if have_script; then
    script -qec "'$SEARCH' eval -q '$IN/esc.qrels' '$IN/esc.run'" /dev/null < /dev/null > "$TMP/tty" 2>&1
    like "$TMP/tty" "^map +	1[^	]+0	1\\.0000" "on a terminal, search eval prints the per-topic lines"
    no_escape "$TMP/tty" "... with no ESC from the run tag or topic id"
    script -qec "'$SEARCH' eval --qrels '$IN/esc.qrels' --compare '$IN/esc.run' '$IN/esc2.run'" /dev/null < /dev/null > "$TMP/tty" 2>&1
    like "$TMP/tty" "map" "on a terminal, search eval --compare prints its table"
    no_escape "$TMP/tty" "... with no escape from either run tag"
else
    skip "on a terminal, search eval prints the per-topic lines" "needs util-linux script(1)"
    skip "... with no ESC from the run tag or topic id" "needs util-linux script(1)"
    skip "on a terminal, search eval --compare prints its table" "needs util-linux script(1)"
    skip "... with no escape from either run tag" "needs util-linux script(1)"
fi

# ---- size caps ------------------------------------------------------------
# 3 MiB of our own words: over LSX_MAX_ARTICLE_BYTES (1 MiB).
words() {  # MIB
    awk -v mib="$1" 'BEGIN {
        split("harbour rice export tariff monsoon ferry council budget drought bridge", w, " ")
        n = 0; i = 0
        while (n < mib * 1048576) { s = w[i % 10 + 1] " " w[(i * 7) % 10 + 1] " tail" i; print s; n += length(s) + 1; i++ }
    }'
}
{ echo "A long article"; echo; words 3; } > "$IN/long.txt"
run "$INDEX" --db "$TMP/cap.db" "$IN/long.txt"
is "$rc" 0 "a 3 MiB article: indexed"
like "$TMP/err" 'long\.txt: article .long.: body longer than 1024 KiB; cut there' "... cut, with a warning naming the file"
run "$SEARCH" get --db "$TMP/cap.db" --json long
body=$(sed 's/.*"body":"\([^"]*\)".*/\1/' "$TMP/out" | wc -c)
ok "... the stored body is at most 1 MiB" test "$body" -le 1100000

{ echo "Compressed"; echo; words 20; } | gzip -9 > "$IN/bomb.txt.gz"
run "$INDEX" --db "$TMP/cap.db" "$IN/bomb.txt.gz"
is "$rc" 0 "a .gz expanding to 20 MiB: indexed"
like "$TMP/err" 'bomb\.txt\.gz: article .bomb.: body longer than 1024 KiB; cut there' "... cut, with a warning naming the file"

awk 'BEGIN { printf "{\"id\":\"huge\",\"body\":\""; for (i = 0; i < 300000; i++) printf "harbour "; print "\"}"; print "{\"id\":\"after\",\"body\":\"the next record\"}" }' > "$IN/huge.jsonl"
run "$INDEX" --db "$TMP/cap.db" "$IN/huge.jsonl"
is "$rc" 2 "a JSON Lines record over 2 MiB: skipped (exit 2)"
like "$TMP/err" 'huge\.jsonl:1: record longer than 2 MiB' "... with a warning naming the file and line"
run "$SEARCH" get --db "$TMP/cap.db" after
is "$rc" 0 "... and the next record is indexed"

words 3 | tr '\n' ' ' > "$IN/oneline.txt"
run "$INDEX" --db "$TMP/cap.db" "$IN/oneline.txt"
is "$rc" 0 "a 3 MiB file on one line: indexed"
like "$TMP/err" 'oneline\.txt: article .oneline.: .*longer than' "... cut, with a warning"

done_testing

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# eval.sh - `search eval`: trec_eval's output and exit codes, options,
# --json, --compare and usage errors; running topics against the sample
# corpus (--topics, --run-out, --threads, --depth, --prf, --sweep).  The
# oracle parts (what NIST trec_eval printed) need $LSX_SHARED/eval-oracle,
# the real collection $LSX_SHARED/corpora/adi; both are skipped without them.
. "$top_srcdir/tests/cli/lib.sh"

ORACLE="$LSX_SHARED/eval-oracle"
have_oracle() {
    [ -n "$LSX_SHARED" ] && [ -d "$ORACLE/edge/expected" ] && [ -d "$LSX_SHARED/corpora" ]
}

#### small files of our own ####################################################
printf '%s\n' 'q1 0 A 1' 'q1 0 B 0' 'q1 0 C 2' 'q2 0 X 1' >"$TMP/qrels"
printf '%s\n' 'q1 Q0 A 1 3 one' 'q1 Q0 B 2 2 one' 'q1 Q0 C 3 1 one' 'q2 Q0 X 1 1 one' >"$TMP/run1"
# run2: C first in q1, X missed in q2
printf '%s\n' 'q1 Q0 C 1 3 two' 'q1 Q0 A 2 2 two' 'q1 Q0 B 3 1 two' 'q2 Q0 Y 1 1 two' >"$TMP/run2"

run "$SEARCH" eval -m map -m P.2 "$TMP/qrels" "$TMP/run1"
is "$rc" 0 "QRELS RUN exits 0"
is "$(cat "$TMP/out")" "$(printf 'map                   \tall\t0.9167\nP_2                   \tall\t0.5000')" \
    "trec_eval's layout: name padded to 22, tab, all, tab, 4 decimals"
run "$SEARCH" eval -q -m map --qrels "$TMP/qrels" --run "$TMP/run1"
like "$TMP/out" '^map                   	q1	0\.8333$' "-q prints each topic (map of q1 = (1 + 2/3)/2)"
like "$TMP/out" '^map                   	q2	1\.0000$' "-q prints q2"
is "$(sed -n '$p' "$TMP/out")" "$(printf 'map                   \tall\t0.9167')" "-q ends with the summary"
run "$SEARCH" eval --qrels="$TMP/qrels" --run="$TMP/run1"
like "$TMP/out" '^runid                 	all	one$' "default measures start with runid (the run's tag)"
like "$TMP/out" '^P_1000                	all	0\.0015$' "... and end with P_1000 (trec_eval's official set)"
is "$(line_count "$TMP/out")" 30 "the official set has 30 lines"
run sh -c "cat '$TMP/run1' | '$SEARCH' eval -m num_ret '$TMP/qrels' -"
is "$(cat "$TMP/out")" "$(printf 'num_ret               \tall\t4')" "RUN '-' reads standard input"
run "$SEARCH" eval -qn -m relstring "$TMP/qrels" "$TMP/run1"
is "$(cat "$TMP/out")" "$(printf "relstring             \tq1\t'102'\nrelstring             \tq2\t'1'")" \
    "-n drops the summary; relstring per topic"

# --json
run "$SEARCH" eval --json -q -m map -m P.2 "$TMP/qrels" "$TMP/run1"
is "$rc" 0 "--json exits 0"
like "$TMP/out" '^\{"runid": "one",' "--json starts with the run id"
like "$TMP/out" '\{"qid": "q1", "map": 0\.8333333333, "P_2": 0\.5\}' "--json -q has per-topic objects"
like "$TMP/out" '"all": \{"map": 0\.9166666667, "P_2": 0\.5\}' "--json has the summary"
if have_python; then
    ok "--json output parses as JSON" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["all"]["map"] > 0.91 and len(d["queries"]) == 2' "$TMP/out"
else
    skip "--json output parses as JSON" "no python3"
fi

# --compare
run "$SEARCH" eval -m map -m P.1 --qrels "$TMP/qrels" --compare "$TMP/run1" "$TMP/run2"
is "$rc" 0 "--compare exits 0"
like "$TMP/out" '^# A = one, B = two' "--compare names the runs"
like "$TMP/out" '^measure +	A	B	diff	p\(t\)	p\(rand\)	win/tie/loss	topics$' "--compare header"
# map: one 0.8333 1.0, two 1.0 0.0 -> mean 0.9167 vs 0.5, 1 win 1 loss
like "$TMP/out" '^map +	0\.9167	0\.5000	-0\.4167	[01]\.[0-9]{4}	[01]\.[0-9]{4}	1/0/1	2$' "--compare map row"
like "$TMP/out" '^P_1 +	1\.0000	0\.5000	-0\.5000	' "--compare P_1 row"
run "$SEARCH" eval --json -m map --qrels "$TMP/qrels" --compare "$TMP/run1" "$TMP/run2"
like "$TMP/out" '"measure": "map", "topics": 2, "a": 0\.9166666667, "b": 0\.5, "diff": -0\.4166666667' \
    "--compare --json"
if have_python; then
    ok "--compare --json parses as JSON" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=d["measures"][0]; assert r["wins"]==1 and r["losses"]==1 and 0<=r["p_t"]<=1 and 0<=r["p_rand"]<=1' "$TMP/out"
else
    skip "--compare --json parses as JSON" "no python3"
fi

#### refusals ##################################################################
run "$SEARCH" eval --help
is "$rc" 0 "--help exits 0"
like "$TMP/out" '^Usage: search eval \[OPTION\]\.\.\. QRELS RUN$' "--help starts with the usage"
for word in -q -c -M -l -J -m --json --compare all_trec 'Exit status'; do
    like "$TMP/out" "$word" "--help mentions $word"
done
run "$SEARCH" eval
is "$rc" 2 "no arguments: usage error"
like "$TMP/err" "^search: eval: no qrels file" "... saying what is missing"
like "$TMP/err" "Try 'search eval --help'" "... with a hint"
run "$SEARCH" eval --bogus "$TMP/qrels" "$TMP/run1"
is "$rc" 2 "unknown option: usage error"
like "$TMP/err" "unrecognized option '--bogus'" "... naming it"
run "$SEARCH" eval --t x "$TMP/qrels" "$TMP/run1"
is "$rc" 2 "an ambiguous abbreviation: usage error"
like "$TMP/err" "ambiguous option '--t'" "... naming it"
run "$SEARCH" eval -m map "$TMP/qrels" "$TMP/run1"
cp "$TMP/out" "$TMP/short-m"
run "$SEARCH" eval --meas=map "$TMP/qrels" "$TMP/run1"
is "$rc" 0 "an abbreviated long option (--meas=map) is accepted, as getopt_long does"
is "$(cat "$TMP/out")" "$(cat "$TMP/short-m")" "... and means --measure map"
run "$SEARCH" eval "$TMP/qrels" -m map "$TMP/run1"
is "$(cat "$TMP/out")" "$(cat "$TMP/short-m")" "options may come between the files"
run "$SEARCH" eval -M0 "$TMP/qrels" "$TMP/run1"
is "$rc" 2 "-M0 is refused"
run "$SEARCH" eval -m bogus "$TMP/qrels" "$TMP/run1"
is "$rc" 2 "unknown measure: exit 2"
like "$TMP/err" "unknown measure 'bogus'" "... naming it"
run "$SEARCH" eval -m P.0 "$TMP/qrels" "$TMP/run1"
is "$rc" 2 "cut-off 0: exit 2"
run "$SEARCH" eval -m rbp "$TMP/qrels" "$TMP/run1"
is "$rc" 2 "unsupported measure: exit 2"
like "$TMP/err" "'rbp' is not supported" "... saying so"
run "$SEARCH" eval "$TMP/qrels" "$TMP/nonexistent"
is "$rc" 2 "missing run file: exit 2"
like "$TMP/err" "nonexistent" "... naming the file"
printf '%s\n' 'q1 Q0 A 1 3 r' 'q1 Q0 B 2 2 r' 'q1 Q0 A 3 1 r' 'q2 Q0 X 1 1 r' >"$TMP/dup"
run "$SEARCH" eval -q "$TMP/qrels" "$TMP/dup"
is "$rc" 2 "a document twice in a topic: exit 2"
like "$TMP/err" "dup:3: topic q1: document A was already retrieved on line 1" "... naming file and lines"
ok "... and nothing on stdout" test ! -s "$TMP/out"
run "$SEARCH" eval -M2 -m num_ret "$TMP/qrels" "$TMP/dup"
is "$(cat "$TMP/out")" "$(printf 'num_ret               \tall\t3')" "-M2 cuts before the duplicate check"
printf '%s\n' 'q1 Q0 A 1 3 r' >"$TMP/partial"
run "$SEARCH" eval -m num_q "$TMP/qrels" "$TMP/partial"
is "$rc" 2 "a judged topic missing from the run: exit 2 (as trec_eval 10)"
like "$TMP/err" "topic q2 .* no results" "... naming the topic"
run "$SEARCH" eval -c -m num_q -m map "$TMP/qrels" "$TMP/partial"
is "$rc" 0 "... but -c scores it 0"
like "$TMP/out" '^num_q                 	all	2$' "-c counts both topics"
printf '%s\n' 'q1 0 A 1 extra' >"$TMP/bad.qrels"
run "$SEARCH" eval "$TMP/bad.qrels" "$TMP/run1"
is "$rc" 2 "a malformed qrels line: exit 2"
like "$TMP/err" "bad.qrels:1: 5 fields, expected 4" "... naming file and line"

#### running topics against the index (data/sample, tests/data/eval) ##########
DB="$TMP/db"
T="$top_srcdir/tests/data/eval/topics.tsv"
Q="$top_srcdir/tests/data/eval/sample.qrels"
"$INDEX" --quiet --db "$DB" "$SAMPLE" || { echo "Bail out! cannot index $SAMPLE"; exit 1; }

run "$SEARCH" eval --db "$DB" --topics "$T" --qrels "$Q" --run-out "$TMP/sample.run" -m map -m P.5 -m num_ret
is "$rc" 0 "--topics: exit 0"
like "$TMP/out" '^map                   	all	[01]\.[0-9]{4}$' "--topics prints the measures (map)"
like "$TMP/out" '^P_5                   	all	[01]\.[0-9]{4}$' "... P_5"
is "$(line_count "$TMP/out")" 3 "... and only the summary"
nret=$(sed -n 's/^num_ret *	all	//p' "$TMP/out")
is "$(line_count "$TMP/sample.run")" "$nret" "--run-out writes every retrieved document (num_ret lines)"
ok "... every line is 'qid Q0 docno rank score lsx-k1=K-b=B'" \
    awk 'NF != 6 || $2 != "Q0" || $4 !~ /^[1-9][0-9]*$/ || $6 !~ /^lsx-k1=[0-9.]+-b=[0-9.]+$/ { exit 1 }' "$TMP/sample.run"
ok "... ranks run 1, 2, 3... within each topic" \
    awk '{ if ($1 != q) { q = $1; n = 0 } if ($4 != ++n) exit 1 }' "$TMP/sample.run"
ok "... scores do not increase down a topic" \
    awk '{ if ($1 == q && $5 + 0 > s + 0) exit 1; q = $1; s = $5 }' "$TMP/sample.run"
is "$(cut -d' ' -f1 "$TMP/sample.run" | uniq | tr '\n' ' ')" "1 2 3 4 5 6 " "... topics in the order of the topics file"
cp "$TMP/out" "$TMP/direct"
run "$SEARCH" eval -m map -m P.5 -m num_ret "$Q" "$TMP/sample.run"
is "$rc" 0 "the run file reads back"
ok "... and evaluates to the numbers --topics printed" cmp "$TMP/out" "$TMP/direct"

# topics are plain words: quotes, parentheses, AND/OR/NOT, +/-, colons are text
awk '$4 == 1 { print $1, $3 }' "$TMP/sample.run" >"$TMP/firsts"
like "$TMP/firsts" '^4 articles/vi-seagames-phnom-penh$' "topic 4's unbalanced '(' is no syntax error: SEA Games article first"
like "$TMP/firsts" '^6 en-laos-china-railway$' "topic 6's '+Laos -Vietnam' excludes nothing: the railway article first"
like "$TMP/firsts" '^3 articles/en-dengue-hanoi-who$' "topic 3's 'NOT floods title:mosquito' are words: the dengue article first"
like "$TMP/firsts" '^1 articles/en-asean-digital-danang$' "topic 1 finds the Đà Nẵng meeting first"

# the same run for any number of threads
for n in 1 3; do
    run "$SEARCH" eval --db "$DB" --topics "$T" --qrels "$Q" --threads "$n" --run-out "$TMP/run.$n" -m map
    ok "--threads $n gives the same run as 2 threads" cmp "$TMP/sample.run" "$TMP/run.$n"
done

run "$SEARCH" eval --db "$DB" --topics "$T" --qrels "$Q" --depth 2 --run-out "$TMP/run.d2" -m num_ret
is "$(sed -n 's/^num_ret *	all	//p' "$TMP/out")" "$(awk '$4 <= 2' "$TMP/sample.run" | line_count /dev/stdin)" \
    "--depth 2: at most two documents for each topic"
ok "... the run file holds the top two of the full run" \
    sh -c "awk '\$4 <= 2' '$TMP/sample.run' | cmp - '$TMP/run.d2'"

run "$SEARCH" eval --db "$DB" --topics "$T" --qrels "$Q" --k1 0.9 --b 0.4 --run-out "$TMP/run.kb" -m map
is "$(awk '{print $6}' "$TMP/run.kb" | sort -u)" "lsx-k1=0.9-b=0.4" "--k1 --b: the tag records the settings"
ok "... and the scores change" sh -c "! cmp -s '$TMP/sample.run' '$TMP/run.kb'"

run "$SEARCH" eval --db "$DB" --topics "$T" --qrels "$Q" --k1 0.9 --b 0.4 --prf 2:5:0.5 --run-out "$TMP/run.prf" -m map
is "$rc" 0 "--prf 2:5:0.5: exit 0"
like "$TMP/out" '^map  ' "... prints the measures"
is "$(awk '{print $6}' "$TMP/run.prf" | sort -u)" "lsx-k1=0.9-b=0.4-prf=2:5:0.5" "... the tag records the feedback"
ok "... more documents retrieved than without feedback" \
    test "$(line_count "$TMP/run.prf")" -gt "$(line_count "$TMP/run.kb")"

run "$SEARCH" eval --db "$DB" --topics "$T" --qrels "$Q" --json -q -m map
is "$rc" 0 "--topics --json -q: exit 0"
like "$TMP/out" '^\{"runid": "lsx-k1=[0-9.]+-b=[0-9.]+",' "--topics --json: the run id is the tag"
if have_python; then
    ok "--topics --json -q parses, six topics" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["queries"]) == 6 and 0 < d["all"]["map"] <= 1' "$TMP/out"
else
    skip "--topics --json -q parses, six topics" "no python3"
fi

run "$SEARCH" eval --db "$DB" --topics "$T" --run-out - --depth 3
is "$rc" 0 "--run-out - without --qrels: exit 0"
ok "... the run on stdout, nothing else" sh -c "awk '\$4 <= 3' '$TMP/sample.run' | cmp - '$TMP/out'"

# TREC topic files and their fields
run "$SEARCH" eval --db "$DB" --topics "$top_srcdir/tests/data/eval/topics.trec" --qrels "$Q" -c -m num_q -m num_ret --run-out "$TMP/run.title"
is "$rc" 0 "a TREC topic file: exit 0"
is "$(cut -d' ' -f1 "$TMP/run.title" | uniq | tr '\n' ' ')" "1 5 6 " "... its three topics are run"
like "$TMP/out" '^num_q                 	all	6$' "... -c scores the other judged topics 0"
run "$SEARCH" eval --db "$DB" --topics "$top_srcdir/tests/data/eval/topics.trec" --topic-field title+desc --qrels "$Q" -c --run-out "$TMP/run.desc" -m map
is "$rc" 0 "--topic-field title+desc: exit 0"
ok "... searches more words than the title alone" test "$(line_count "$TMP/run.desc")" -gt "$(line_count "$TMP/run.title")"

# a topic without words retrieves nothing, with a warning
printf '1\tASEAN digital ministers\n2\t(( "" ))\n' >"$TMP/topics.empty"
run "$SEARCH" eval --db "$DB" --topics "$TMP/topics.empty" --qrels "$Q" -c -m num_q -m num_ret
is "$rc" 0 "a topic without words: exit 0 with -c"
like "$TMP/err" "topic 2 has no words to search for" "... with a warning naming it"
like "$TMP/out" '^num_q                 	all	6$' "... and the judged topics all counted"

# --sweep
run "$SEARCH" eval --db "$DB" --topics "$T" --qrels "$Q" --sweep k1=0.5:1.5:0.5 --sweep b=0.25:0.75:0.25 -m map -m P.5
is "$rc" 0 "--sweep k1 and b: exit 0"
is "$(sed -n 1p "$TMP/out")" "$(printf 'k1\tb\tmap\tP_5')" "... a header: parameters, then measures"
is "$(grep -c '^[0-9.]*	[0-9.]*	[01]\.[0-9]\{4\}	[01]\.[0-9]\{4\}$' "$TMP/out")" 9 "... one row per setting (3 x 3)"
is "$(sed -n '2p;10p' "$TMP/out" | cut -f1,2 | tr '\n' ' ')" "0.5	0.25 1.5	0.75 " "... from the first to the last setting"
like "$TMP/out" '^best: k1=[0-9.]+ b=[0-9.]+ map=[01]\.[0-9]{4}$' "... and a best line"
best=$(sed -n 's/^best: .* map=//p' "$TMP/out")
is "$best" "$(sed -n '2,10p' "$TMP/out" | cut -f3 | sort -r | sed -n 1p)" "... whose map is the highest of the rows"
bk=$(sed -n 's/^best: k1=\([0-9.]*\) b=\([0-9.]*\) .*/\1 \2/p' "$TMP/out")
run "$SEARCH" eval --db "$DB" --topics "$T" --qrels "$Q" --k1 "${bk% *}" --b "${bk#* }" -m map
is "$(sed -n 's/^map *	all	//p' "$TMP/out")" "$best" "... and --k1/--b of the best setting give that map again"

run "$SEARCH" eval --db "$DB" --topics "$T" --qrels "$Q" --sweep k1=0.1:0.3:0.1
is "$(cut -f1 "$TMP/out" | sed -n '2,4p' | tr '\n' ' ')" "0.1 0.2 0.3 " "--sweep k1=0.1:0.3:0.1 runs 0.1, 0.2 and 0.3 (the end despite rounding)"
is "$(sed -n 1p "$TMP/out")" "$(printf 'k1\tmap')" "... one axis; map by default"
run "$SEARCH" eval --db "$DB" --topics "$T" --qrels "$Q" --sweep b=0:1:0.05
is "$(grep -c '^[0-9.]*	' "$TMP/out")" 21 "--sweep b=0:1:0.05 runs 21 settings"

run "$SEARCH" eval --db "$DB" --topics "$T" --qrels "$Q" --sweep b=0.2:0.8:0.3 --prf 2:5 --json -m map
is "$rc" 0 "--sweep --json: exit 0"
if have_python; then
    ok "... parses: three settings and the best" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["measure"] == "map" and [s["b"] for s in d["settings"]] == [0.2, 0.5, 0.8]
assert d["best"]["map"] == max(s["map"] for s in d["settings"]) and d["best"]["prf"] == "2:5:0.3"' "$TMP/out"
else
    skip "... parses: three settings and the best" "no python3"
fi

# refusals
for bad in "--sweep x=1:2:0.1|expected k1=START:END:STEP or b=START:END:STEP" "--sweep k1=2:1:0.1|END 1 is below START 2" \
           "--sweep k1=0.1:1:0|the step must be above 0" "--sweep b=0:2:0.1|b must be from 0 to 1" \
           "--sweep k1=1:2|the step is missing" "--sweep k1=a:2:0.1|'a' is not a number" \
           "--sweep k1|expected k1=START:END:STEP" "--sweep k1=0:1000:0.0001|more than 1000 values" \
           "--sweep k1=1:2:0.5 --sweep k1=1:2:0.5|k1 is swept twice" \
           "--sweep k1=1:2:0.5 --sweep b=0:1:0.5 --sweep b=0:1:0.5|at most two" \
           "--sweep k1=1:2:0.5 --k1 1|--k1 and --sweep k1=... both given" \
           "--sweep k1=1:2:0.5 -q|cannot be used with -q" \
           "--sweep k1=1:2:0.5 --run-out $TMP/x|cannot be used with --run-out" \
           "--prf 0:5|--prf: '0:5' is not DOCS:TERMS\\[:WEIGHT\\]" "--prf 5|--prf: '5' is not" \
           "--prf 5:5:0|--prf: '5:5:0' is not" "--prf 5:5:x|--prf: '5:5:x' is not" \
           "--k1 -1|--k1: '-1' is not a number" "--b 1.5|--b: '1.5' is not a number" \
           "--depth 0|--depth: '0' is not a whole number" "--threads 0|--threads: '0' is not" \
           "--threads 65|--threads: '65' is not" "--topic-field body|--topic-field: 'body' is not"; do
    args=${bad%%|*}; msg=${bad#*|}
    # shellcheck disable=SC2086 # split the options
    run "$SEARCH" eval --db "$DB" --topics "$T" --qrels "$Q" $args
    is "$rc" 2 "$args: exit 2"
    like "$TMP/err" "^search: eval: .*$msg" "... saying: $msg"
done
run "$SEARCH" eval --db "$DB" --k1 1 "$Q" "$TMP/run1"
is "$rc" 2 "--k1 without --topics: exit 2"
like "$TMP/err" "^search: eval: --db is for running topics: it needs --topics FILE" "... saying so"
run "$SEARCH" eval --topics "$T" --db "$DB"
is "$rc" 2 "--topics without --qrels or --run-out: exit 2"
run "$SEARCH" eval --topics "$T" --qrels "$Q" --run "$TMP/run1" --db "$DB"
is "$rc" 2 "--topics with --run: exit 2"
run "$SEARCH" eval --topics "$T" --qrels "$Q" --db "$DB" --run-out -
is "$rc" 2 "--run-out - with --qrels: exit 2 (both would go to stdout)"
run "$SEARCH" eval --topics "$TMP/no-such-topics" --qrels "$Q" --db "$DB"
is "$rc" 2 "a missing topics file: exit 2"
like "$TMP/err" "no-such-topics" "... naming it"
run "$SEARCH" eval --topics "$T" --qrels "$Q" --db "$TMP/no-such-db"
is "$rc" 3 "a missing database: exit 3"
like "$TMP/err" "no database at $TMP/no-such-db" "... naming it"
run "$SEARCH" eval --topics "$T" --qrels "$Q" --db "$DB" --run-out "$TMP/no/such/dir/run"
is "$rc" 2 "an unwritable --run-out: exit 2"
like "$TMP/err" "--run-out $TMP/no/such/dir/run: " "... naming the file"
run "$SEARCH" eval --topics "$TMP/partial" --qrels "$Q" --db "$DB"
is "$rc" 2 "a topics file that is not topics: exit 2"
like "$TMP/err" "partial:1: expected 'qid<TAB>query text'" "... naming file and line"

#### a real collection: adi ####################################################
if [ -n "$LSX_SHARED" ] && [ -f "$LSX_SHARED/corpora/adi/docs.trec" ]; then
    A="$LSX_SHARED/corpora/adi"
    "$INDEX" --quiet --db "$TMP/adi" "$A/docs.trec"
    run "$SEARCH" eval --db "$TMP/adi" --topics "$A/topics.tsv" --qrels "$A/qrels.txt" -c -m map -m num_q -m ndcg_cut.10
    is "$rc" 0 "adi: exit 0"
    is "$(sed -n 's/^num_q *	all	//p' "$TMP/out")" 35 "adi: 35 topics"
    map=$(sed -n 's/^map *	all	//p' "$TMP/out")
    ok "adi: map $map > 0.3 (FTS5 0.4086, Xapian 0.3759)" awk -v m="$map" 'BEGIN { exit !(m > 0.3) }'
    ndcg=$(sed -n 's/^ndcg_cut_10 *	all	//p' "$TMP/out")
    ok "adi: ndcg_cut_10 $ndcg > 0.35" awk -v m="$ndcg" 'BEGIN { exit !(m > 0.35) }'
    run "$SEARCH" eval --db "$TMP/adi" --topics "$A/topics.tsv" --qrels "$A/qrels.txt" -c -m map --prf 10:20:0.5
    pmap=$(sed -n 's/^map *	all	//p' "$TMP/out")
    ok "adi: --prf 10:20:0.5 runs (map $pmap > 0.3)" awk -v m="$pmap" 'BEGIN { exit !(m > 0.3) }'
else
    skip "adi: a real collection" "no \$LSX_SHARED/corpora/adi"
fi

#### the oracle: what trec_eval printed ##########################################
if have_oracle; then
    Q="$LSX_SHARED/corpora"
    run "$SEARCH" eval "$Q/cran/qrels.txt" "$ORACLE/real/cran.xapian.run"
    ok "cran, default measures: identical to trec_eval" cmp "$TMP/out" "$ORACLE/real/cran.xapian.default.out"
    run "$SEARCH" eval -q -c -M 100 -m all_trec "$Q/med/qrels.txt" "$ORACLE/real/med.xapian.run"
    ok "med, -q -c -M 100 -m all_trec: identical to trec_eval" cmp "$TMP/out" "$ORACLE/real/med.xapian.all_trec_qcM100.out"
    run "$SEARCH" eval -qc -mall_trec "$Q/cisi/qrels.txt" "$ORACLE/real/cisi.fts5.run"
    ok "cisi, -qc -mall_trec (bundled options): identical to trec_eval" cmp "$TMP/out" "$ORACLE/real/cisi.fts5.all_trec_qc.out"
    E="$ORACLE/edge"
    M="-m num_q -m num_ret -m num_rel -m num_rel_ret -m map -m P.5,10 -m recall.1000 -m Rprec -m recip_rank -m bpref -m ndcg -m ndcg_cut.3,5,10 -m relstring"
    # shellcheck disable=SC2086
    for c in "tie_same_score|-q|qrels.tie|run.tie" "dup_in_run_ties_M1|-q -M1|qrels.tie|run.dup2" \
             "graded_l2|-q -l2 -m num_nonrel_judged_ret -m unj.5|qrels.graded|run.graded" \
             "topics_mismatch_c|-q -c|qrels.multi|run.multi" "crlf|-q|qrels.crlf|run.crlf"; do
        name=${c%%|*}; rest=${c#*|}; opts=${rest%%|*}; rest=${rest#*|}; qrels=${rest%%|*}; runf=${rest#*|}
        run "$SEARCH" eval $opts $M "$E/$qrels" "$E/$runf"
        ok "edge/$name: identical to trec_eval" cmp "$TMP/out" "$E/expected/$name.out"
    done
    run "$SEARCH" eval -m P.5 -m P.10 "$E/qrels.order" "$E/run.order"
    ok "edge/P5_then_P10: the first -m with parameters wins" cmp "$TMP/out" "$E/expected/P5_then_P10.out"
    for c in "topics_mismatch|qrels.multi|run.multi" "dup_in_qrels|qrels.dup|run.tie" \
             "qrels_2_comment_lines|qrels.2comments|run.tie" "qrels_trailing_comment|qrels.trailcomment|run.tie" \
             "run_5_columns|qrels.tie|run.5col" "run_empty|qrels.tie|run.empty"; do
        name=${c%%|*}; rest=${c#*|}; qrels=${rest%%|*}; runf=${rest#*|}
        run "$SEARCH" eval -q "$E/$qrels" "$E/$runf"
        is "$rc" 2 "edge/$name: refused like trec_eval (exit $(cat "$E/expected/$name.rc") there), exit 2"
    done
else
    skip "oracle comparisons" "no \$LSX_SHARED/eval-oracle"
fi

done_testing

#!/bin/sh
# eval.sh - `search eval`: trec_eval's output and exit codes, options,
# --json, --compare and usage errors.  The oracle parts (what NIST
# trec_eval printed) need $LSX_SHARED/eval-oracle and are skipped without it.
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

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# shards.sh - one corpus as one database, as 3 local shards (search-index
# --shards 3), as 3 remote shards (xapian-tcpsrv on loopback, started and
# stopped here) and through xapian-progsrv: the same answers
# (tests/unit/shard-check); routing of writes; several --db; schemas that
# disagree; a shard that dies or hangs; read replicas following commits.
. "$top_srcdir/tests/cli/lib.sh"

for tool in xapian-tcpsrv xapian-progsrv xapian-metadata; do
    command -v "$tool" >/dev/null 2>&1 || skip_all "$tool is not installed (xapian-tools, see .ci/deps)"
done
CHECK="$top_builddir/tests/unit/shard-check"
PIDS=""
cleanup() {
    for p in $PIDS; do kill -9 -- "-$p" 2>/dev/null; done
    rm -rf "$TMP"
}
trap cleanup EXIT

#### the corpus: the sample, and real news when /work/shared is there ####
CORPUS="$TMP/corpus"
mkdir -p "$CORPUS"
cp -r "$SAMPLE" "$CORPUS/sample"
if have_shared && [ -f "$LSX_SHARED/corpora/reuters21578/docs.trec" ]; then
    # The first 600 Reuters and 200 VNTC articles (whole <DOC> records).
    awk '/^<DOC>/ { n++ } n > 600 { exit } { print }' "$LSX_SHARED/corpora/reuters21578/docs.trec" >"$CORPUS/reuters.trec"
    awk '/^<DOC>/ { n++ } n > 200 { exit } { print }' "$LSX_SHARED/corpora/vntc/docs.trec" >"$CORPUS/vntc.trec"
    QUERIES_SHARED='oil
bank*
"interest rates"
title:wheat
date:1987-03
kinh*
"thị trường"
lang:vi oil'

else
    skip "real news in the corpus" "$LSX_SHARED/corpora is not there: the sample only"
    QUERIES_SHARED=""
fi

ONE="$TMP/one"
THREE="$TMP/three"
run "$INDEX" --quiet --db "$ONE" "$CORPUS"
is "$rc" 0 "the corpus indexes into one database"
run "$INDEX" --quiet --shards 3 --db "$THREE" "$CORPUS"
is "$rc" 0 "search-index --shards 3 indexes it into three shards"
ok "... a stub file XAPIANDB lists them" test -f "$THREE/XAPIANDB"
is "$(grep -c '^auto shard-[012]$' "$THREE/XAPIANDB")" 3 "... one 'auto shard-N' line each"

total=$("$SEARCH" stats --db "$ONE" --json | sed 's/.*"documents":\([0-9]*\).*/\1/')
sum=0
for i in 0 1 2; do
    n=$("$SEARCH" stats --db "$THREE/shard-$i" --json | sed 's/.*"documents":\([0-9]*\).*/\1/')
    ok "shard $i holds documents ($n)" test "$n" -gt 0
    sum=$((sum + n))
done
is "$sum" "$total" "the shards hold the $total documents between them"
run "$SEARCH" stats --db "$THREE" --json
like "$TMP/out" "\"documents\":$total," "stats over the stub counts them all"

# An id lives in one shard: re-indexing replaces in place.
run "$INDEX" --quiet --force --db "$THREE" "$CORPUS"
is "$rc" 0 "re-indexing the shards with --force"
run "$SEARCH" stats --db "$THREE" --json
like "$TMP/out" "\"documents\":$total," "... replaces every document in its shard (no id twice)"
run "$INDEX" --quiet --shards 4 --db "$THREE" "$CORPUS"
is "$rc" 3 "--shards 4 on an index of 3 shards is refused"
like "$TMP/err" "has 3 shards, not 4" "... saying why"

#### local shards: the same answers ######################################
# One query a line (the phrase keeps its quotes, * is no glob).
QUERIES='*
asean
"food security"
title:asean
asea*
viet*
lang:vi
date:2023
date:2023-09..2024-03
entity:vietnam
asean -jakarta
hà*'
check() {  # LABEL DB-A DB-B: every query of QUERIES and QUERIES_SHARED
    set -f
    _ifs=$IFS
    IFS='
'
    # shellcheck disable=SC2086
    "$CHECK" "$1" "$2" "$3" $QUERIES $QUERIES_SHARED >"$TMP/check" 2>&1
    _rc=$?
    IFS=$_ifs
    set +f
    return $_rc
}
check "3 local" "$ONE" "$THREE"
is "$?" 0 "one database and 3 local shards: same top 100, scores, facets (shard-check)"
grep -c '^ok' "$TMP/check" | diag
grep '^not ok\|^#' "$TMP/check" | head -20 | diag

run "$SEARCH" --db "$THREE/shard-0" --db "$THREE/shard-1" --db "$THREE/shard-2" --json --facet entity:5 asean
cp "$TMP/out" "$TMP/several"
run "$SEARCH" --db "$ONE" --json --facet entity:5 asean
is "$(tail -2 "$TMP/several")" "$(tail -2 "$TMP/out")" "three --db give the facets and total of the one database"

#### remote shards: xapian-tcpsrv on loopback ###############################
base=$(( 20000 + ($$ % 20000) ))
start_server() {  # PORT DB: a server in its own process group
    setsid xapian-tcpsrv --interface 127.0.0.1 --port "$1" "$2" >"$TMP/srv-$1.log" 2>&1 &
    PIDS="$PIDS $!"
    LAST=$!
}
for i in 0 1 2; do
    start_server $((base + i)) "$THREE/shard-$i"
    eval "PID$i=\$LAST"
done
printf 'remote 127.0.0.1:%d\nremote 127.0.0.1:%d\nremote 127.0.0.1:%d\n' "$base" $((base + 1)) $((base + 2)) >"$TMP/remote.stub"
i=0
until "$SEARCH" stats --db "$TMP/remote.stub" >/dev/null 2>&1 || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
run "$SEARCH" stats --db "$TMP/remote.stub" --json
like "$TMP/out" "\"documents\":$total," "three remote shards (xapian-tcpsrv) count the $total documents"

check "3 remote" "$ONE" "$TMP/remote.stub"
is "$?" 0 "one database and 3 remote shards: same top 100, scores, facets (shard-check)"
grep -c '^ok' "$TMP/check" | diag
grep '^not ok\|^#' "$TMP/check" | head -20 | diag

printf 'remote :xapian-progsrv %s\nauto %s\nremote 127.0.0.1:%d\n' "$THREE/shard-0" "$THREE/shard-1" $((base + 2)) >"$TMP/mixed.stub"
"$CHECK" "progsrv+local+tcp" "$ONE" "$TMP/mixed.stub" asean "asea*" lang:vi >"$TMP/check" 2>&1
is "$?" 0 "a stub of xapian-progsrv, local and tcp shards gives the same answers"
grep '^not ok\|^#' "$TMP/check" | head -10 | diag

#### schemas that disagree ##################################################
cp -r "$THREE/shard-2" "$TMP/odd"
xapian-metadata set "$TMP/odd" libsearch.schema.table "$(xapian-metadata get "$TMP/odd" libsearch.schema.table | sed 's/^title-weight .*/title-weight 5/')"
run "$SEARCH" --db "$THREE/shard-0" --db "$THREE/shard-1" --db "$TMP/odd" asean
is "$rc" 3 "a shard written with another schema is refused"
like "$TMP/err" "shard 2 \\($TMP/odd\\) has a different schema from shard 0" "... naming the shard"
like "$TMP/err" "'title-weight 5' here, 'title-weight 3' there" "... and the difference"

#### faults ###################################################################
# A hung shard (its server stopped): an error naming it within --timeout.
kill -STOP "$PID1"
start=$(date +%s)
run "$SEARCH" --db "$TMP/remote.stub" --timeout 1000 asean
took=$(( $(date +%s) - start ))
is "$rc" 3 "a hung shard: exit status 3"
like "$TMP/err" "shard 1 \\(127\\.0\\.0\\.1:$((base + 1))\\)" "... naming the shard"
ok "... within the 1 s timeout (took ${took} s)" test "$took" -le 3
run "$SEARCH" --db "$TMP/remote.stub" --timeout 1000 --partial --json asean
is "$rc" 0 "--partial answers with the other shards"
like "$TMP/err" "partial results: shard 1 \\(127\\.0\\.0\\.1:$((base + 1))\\)" "... and names the missing one on stderr"
cp "$TMP/out" "$TMP/partial"
run "$SEARCH" --db "$THREE/shard-0" --db "$THREE/shard-2" --json asean
is "$(cat "$TMP/partial")" "$(cat "$TMP/out")" "... the results of the two shards that answered"
kill -CONT "$PID1"

# A shard killed while readers are connected (tests/unit/shard-check --fault).
printf 'auto %s\nauto %s\n' "$THREE/shard-0" "$THREE/shard-2" >"$TMP/others.stub"
"$CHECK" --fault "$PID1" "127.0.0.1:$((base + 1))" 2000 "$TMP/remote.stub" "$TMP/others.stub" asean >"$TMP/check" 2>&1
is "$?" 0 "a shard killed during a session: error naming it within the timeout; partial answers (shard-check --fault)"
diag <"$TMP/check"

done_testing

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

#### read replicas ############################################################
# A master written with changesets; xapian-replicate-server serves it, and
# xapian-replicate keeps a replica: after the first copy, 5 commits must
# reach the replica as changesets, not as full copies.
if ! command -v xapian-replicate >/dev/null 2>&1 || ! command -v xapian-replicate-server >/dev/null 2>&1; then
    skip "replicas" "xapian-replicate is not installed"
    done_testing
fi
mkdir -p "$TMP/master" "$TMP/feed"
cp -r "$SAMPLE/articles" "$TMP/feed/"
run "$INDEX" --quiet --changesets 10 --db "$TMP/master/news" "$TMP/feed"
is "$rc" 0 "search-index --changesets 10 makes a master"
is "$(xapian-metadata get "$TMP/master/news" search-index.changesets)" 10 "... which remembers it"
rport=$((base + 10))
setsid xapian-replicate-server -I 127.0.0.1 -p "$rport" "$TMP/master" >"$TMP/repsrv.log" 2>&1 &
PIDS="$PIDS $!"
i=0
until xapian-replicate -h 127.0.0.1 -p "$rport" -m news -o -r 0 -v "$TMP/replica" >"$TMP/replog0" 2>&1 || [ $i -ge 50 ]; do
    sleep 0.1
    i=$((i + 1))
done
like "$TMP/replog0" 'Update complete: 1 copies' "the replica starts as a full copy"
cat >"$TMP/commit.sh" <<EOF
#!/bin/sh
# commit N: a new article in the master, replicated; prints the master's count
printf 'Replica test article %s\n\nThe article number %s written to the master of a replica, in the harbour of Hai Phong.\n' "\$1" "\$1" >"$TMP/feed/commit-\$1.txt"
"$INDEX" --quiet --db "$TMP/master/news" "$TMP/feed" >/dev/null 2>&1
xapian-replicate -h 127.0.0.1 -p $rport -m news -o -r 0 -v "$TMP/replica" >>"$TMP/replog" 2>&1
"$SEARCH" stats --db "$TMP/master/news" --json | sed 's/.*"documents":\([0-9]*\).*/\1/'
EOF
"$CHECK" --follow "$TMP/replica" 5 "sh $TMP/commit.sh" >"$TMP/check" 2>&1
is "$?" 0 "a reader of the replica follows 5 commits by reopening (shard-check --follow)"
diag <"$TMP/check"
copies=$(sed -n 's/.*Update complete: \([0-9]*\) copies.*/\1/p' "$TMP/replog" | awk '{ s += $1 } END { print s + 0 }')
changesets=$(sed -n 's/.*copies, \([0-9]*\) changesets.*/\1/p' "$TMP/replog" | awk '{ s += $1 } END { print s + 0 }')
diag "5 commits reached the replica with $copies full copies and $changesets changesets"
is "$copies" 0 "... with no full copy"
ok "... as changesets ($changesets)" test "$changesets" -ge 5
run "$SEARCH" --db "$TMP/replica" --json --limit 1 "article number 5 harbour"
like "$TMP/out" '"id":"commit-5"' "the replica finds the last article"

done_testing

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# index.sh - end-to-end tests of search-index: options, the sample corpus,
# re-indexing, malformed and missing input, and database errors.
. "$top_srcdir/tests/cli/lib.sh"

DB="$TMP/db"

#### options ################################################################
run "$INDEX" --help
is "$rc" 0 "--help exits 0"
like "$TMP/out" '^Usage: search-index \[OPTION\]\.\.\. PATH\.\.\.' "--help starts with the usage line"
for word in --db --batch --format --quiet --version SEARCH_DB 'Exit status'; do
    like "$TMP/out" "$word" "--help mentions $word"
done
run "$INDEX" --version
is "$rc" 0 "--version exits 0"
like "$TMP/out" '^search-index \(libsearch\) [0-9]+\.[0-9]+\.[0-9]+' "--version names program and library version"
like "$TMP/out" '^libsearch [0-9]+\.[0-9]+\.[0-9]+, Xapian [0-9]+\.[0-9]+\.[0-9]+$' "--version names the libsearch and Xapian versions loaded"
run "$INDEX" -h
is "$rc" 0 "-h: exit 0"
like "$TMP/out" '^Usage: search-index ' "... prints the usage"

run "$INDEX" --bogus "$SAMPLE"
is "$rc" 2 "an unknown option is a usage error"
like "$TMP/err" "unrecognized option '--bogus'" "... naming the option"
like "$TMP/err" "Try 'search-index --help'" "... with a hint"
run "$INDEX" --db "$DB"
is "$rc" 2 "no PATH is a usage error"
like "$TMP/err" '^search-index: no PATH' "... saying so"
run "$INDEX" --db "$DB" --batch 0 "$SAMPLE"
is "$rc" 2 "--batch 0 is refused"
like "$TMP/err" "^search-index: --batch: '0' is not a whole number" "... with a message naming the option"
run "$INDEX" --db "$DB" --format xml "$SAMPLE"
is "$rc" 2 "an unknown --format is refused"
like "$TMP/err" "unknown format 'xml'" "... naming it"
ok "usage errors create no database" test ! -e "$DB"

#### the sample corpus ########################################################
run "$INDEX" --db "$DB" "$SAMPLE"
is "$rc" 0 "indexing data/sample exits 0"
like "$TMP/out" '^indexed [1-9][0-9]* documents \([0-9]+ added, 0 replaced\), 0 skipped$' "summary on stdout"
n=$(sed -n 's/^indexed \([0-9]*\) documents.*/\1/p' "$TMP/out")
like "$TMP/out" "^indexed $n documents \\($n added" "every document was new"
ok "nothing on stderr when it is not a terminal (no progress line)" test ! -s "$TMP/err"
run "$SEARCH" stats --db "$DB" --json
like "$TMP/out" "\"documents\":$n," "the database holds the $n documents"

run "$INDEX" --db "$DB" "$SAMPLE"
is "$rc" 0 "re-indexing exits 0"
like "$TMP/out" "^indexed 0 documents \\(0 added, 0 replaced\\), 0 skipped\$" "re-indexing unchanged files reads nothing"
nf=$(find "$SAMPLE" -type f ! -name 'README*' ! -name '.*' | wc -l)
like "$TMP/out" "^files: 0 added, 0 updated, $nf unchanged, 0 removed\$" "... and says the $nf files are unchanged"
run "$INDEX" --db "$DB" --force "$SAMPLE"
is "$rc" 0 "re-indexing with --force exits 0"
like "$TMP/out" "^indexed $n documents \\(0 added, $n replaced\\), 0 skipped\$" "--force reads and replaces every document"
run "$SEARCH" stats --db "$DB" --json
like "$TMP/out" "\"documents\":$n," "the document count is unchanged"

run env SEARCH_DB="$TMP/envdb" "$INDEX" --quiet --batch 1 "$SAMPLE"
is "$rc" 0 "--quiet --batch 1 with SEARCH_DB exits 0"
ok "--quiet prints nothing" test ! -s "$TMP/out" -a ! -s "$TMP/err"
ok "SEARCH_DB names the database" test -d "$TMP/envdb"
run "$SEARCH" stats --db "$TMP/envdb" --json
like "$TMP/out" "\"documents\":$n," "committing every document gives the same database"

# On a terminal stderr shows the progress line (script(1) provides one).
if have_script; then
    script -qec "'$INDEX' --db '$TMP/ttydb' '$SAMPLE'" /dev/null </dev/null >"$TMP/tty" 2>&1
    like "$TMP/tty" "[0-9]+ docs [0-9]+/s" "a progress line on a terminal"
    like "$TMP/tty" '[0-9]+%' "... with a percentage"
else
    skip "a progress line on a terminal" "needs util-linux script(1)"
    skip "... with a percentage" "needs util-linux script(1)"
fi

#### malformed and missing input ##############################################
mkdir "$TMP/in"
printf ' date 2022-03-01 Mango harvest report\nThe mango harvest was large this year.\n' \
    >"$TMP/in/good.txt"
cat >"$TMP/in/mixed.jsonl" <<'EOF'
{"id": "j1", "title": "First mango", "body": "alpha mango"}
{"id": "j2", "title": broken
{"title": "no id here", "body": "beta"}
{"id": "j4", "title": "Fourth", "body": "gamma mango", "date": "2021-05-06"}
EOF
cat >"$TMP/in/two.trec" <<'EOF'
<DOC>
<DOCNO>t1</DOCNO>
<TEXT>papaya and mango</TEXT>
</DOC>
<DOC>
<TEXT>a document without a number</TEXT>
</DOC>
EOF
run "$INDEX" --db "$TMP/db2" "$TMP/in"
is "$rc" 2 "malformed records: exit 2"
like "$TMP/err" '^search-index: warning: .*/mixed\.jsonl:2: ' "warning with file:line for invalid JSON"
like "$TMP/err" '^search-index: warning: .*/two\.trec:[0-9]+: .*DOCNO' "warning with file:line for a TREC document without DOCNO"
like "$TMP/out" '^indexed 5 documents \(5 added, 0 replaced\), 2 skipped$' "the good records are counted"
like "$TMP/out" '^skipped: 2 malformed records$' "the skip reasons are listed"
for id in good j1 mixed#3 j4 t1; do
    run "$SEARCH" get --db "$TMP/db2" "$id"
    is "$rc" 0 "good record $id was indexed"
done

mkdir "$TMP/in2"
long=$(printf '%0250d' 0 | tr 0 a)
printf '{"id": "%s", "body": "x"}\n{"id": "ok1", "body": "fine"}\n' "$long" >"$TMP/in2/long.jsonl"
run "$INDEX" --db "$TMP/db4" "$TMP/in2"
is "$rc" 2 "a record the database refuses (id too long): exit 2"
like "$TMP/err" '^search-index: warning: .*/long\.jsonl:1: skipped: .*200 bytes' "... warned with file:line and the reason"
like "$TMP/out" '^indexed 1 document \(1 added, 0 replaced\), 1 skipped$' "... the next record is indexed"
like "$TMP/out" '^skipped: 1 record refused by the index$' "... the reason is counted"

run "$INDEX" --db "$TMP/db3" "$TMP/no-such-dir" "$TMP/in/good.txt"
is "$rc" 2 "a missing PATH: exit 2"
like "$TMP/err" '^search-index: .*/no-such-dir: No such file' "... reported with its name"
like "$TMP/err" 'nothing indexed: 1 PATH not found' "... nothing is indexed"
ok "... and no database is created" test ! -e "$TMP/db3"
run "$INDEX" --db "$TMP/db2" "$TMP/no-such-dir"
is "$rc" 2 "a missing PATH with an existing database: exit 2"
run "$SEARCH" stats --db "$TMP/db2" --json
like "$TMP/out" '"documents":5,' "... the database is unchanged"

#### threads and memory ######################################################
run "$INDEX" --help
like "$TMP/out" '--threads N' "--help mentions --threads"
like "$TMP/out" '--memory MB' "--help mentions --memory"
run "$INDEX" --db "$TMP/tdb0" --threads 0 "$SAMPLE"
is "$rc" 2 "--threads 0 is refused"
like "$TMP/err" "^search-index: --threads: '0' is not a whole number from 1 to " "... with a message naming the option"
run "$INDEX" --db "$TMP/tdb0" --memory lots "$SAMPLE"
is "$rc" 2 "--memory must be a number"
like "$TMP/err" "^search-index: --memory: 'lots' is not a whole number" "... saying so"
run "$INDEX" --db "$TMP/tdb0" --threads 2 --memory 39 "$SAMPLE"
is "$rc" 2 "too little --memory for the threads is refused"
like "$TMP/err" '^search-index: --memory: 39 MB is too little for 2 threads \(at least 40 MB' "... saying how much is needed"
ok "refused options create no database" test ! -e "$TMP/tdb0"

run "$INDEX" --db "$TMP/tdb1" --threads 1 "$SAMPLE"
is "$rc" 0 "--threads 1 exits 0"
like "$TMP/out" "^indexed $n documents \\($n added, 0 replaced\\), 0 skipped\$" "... every document added"
run "$INDEX" --db "$TMP/tdb3" --threads 3 --memory 48 --batch 2 "$SAMPLE"
is "$rc" 0 "--threads 3 --memory 48 --batch 2 exits 0"
like "$TMP/out" "^indexed $n documents \\($n added, 0 replaced\\), 0 skipped\$" "... every document added"
ok "no build directory is left behind" test ! -e "$TMP/tdb3/.lsx-build"
run "$SEARCH" stats --db "$TMP/tdb3" --json
like "$TMP/out" "\"documents\":$n," "... the database holds the $n documents"
for q in 'asean' '"Đà Nẵng"' 'da nang' 'title:asean' 'lang:vi'; do
    "$SEARCH" --db "$TMP/tdb1" --json --limit 100 "$q" | json_ids /dev/stdin | sort >"$TMP/ids1"
    "$SEARCH" --db "$TMP/tdb3" --json --limit 100 "$q" | json_ids /dev/stdin | sort >"$TMP/ids3"
    ok "'$q' finds the same documents with 1 and 3 threads" cmp -s "$TMP/ids1" "$TMP/ids3"
done
run "$INDEX" --db "$TMP/tdb3" --threads 2 --force "$SAMPLE"
is "$rc" 0 "re-indexing a non-empty database with threads exits 0"
like "$TMP/out" "^indexed $n documents \\(0 added, $n replaced\\), 0 skipped\$" "... every document replaced"

# The same id twice in one run: the last one wins, even in a new database.
printf '{"id": "twice", "title": "First", "body": "apricot"}\n{"id": "other", "body": "plum"}\n{"id": "twice", "title": "Second", "body": "quince"}\n' \
    >"$TMP/twice.jsonl"
run "$INDEX" --db "$TMP/tdb4" --threads 2 "$TMP/twice.jsonl"
is "$rc" 0 "a repeated id in a new database exits 0"
like "$TMP/out" '^indexed 3 documents \(2 added, 1 replaced\), 0 skipped$' "... the repeat counts as replaced"
like "$TMP/out" 'now holds 2 documents$' "... the database holds each id once"
run "$SEARCH" --db "$TMP/tdb4" quince
like "$TMP/out" 'Second' "... the last version is indexed"
run "$SEARCH" --db "$TMP/tdb4" apricot
is "$rc" 1 "... the first version is gone"

#### database errors ##########################################################
run "$INDEX" --db "$TMP/in/good.txt" "$SAMPLE"
is "$rc" 3 "a database path that is a file: exit 3"
like "$TMP/err" '^search-index: .*good\.txt' "... the message names the path"

# Hold the writers' lock from another process, as a second writer would.
if have_python && [ -d "$DB" ]; then
    python3 -c '
import fcntl, sys, time
f = open(sys.argv[1], "a")
fcntl.flock(f, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
time.sleep(30)
' "$DB/.lsx-lock" "$TMP/locked" &
    locker=$!
    tries=0
    while [ ! -e "$TMP/locked" ] && [ $tries -lt 50 ]; do
        sleep 0.1
        tries=$((tries + 1))
    done
    run "$INDEX" --db "$DB" "$TMP/in/good.txt"
    kill "$locker" 2>/dev/null
    wait "$locker" 2>/dev/null
    is "$rc" 3 "a locked database: exit 3"
    like "$TMP/err" '^search-index: .*lock' "... saying it is locked"
else
    skip "a locked database: exit 3" "needs python3"
    skip "... saying it is locked" "needs python3"
fi

# Regression: a bulk build of one long article, then the sync state written
# into it, then a second run.  With the shards merged by Xapian's FULLER
# compaction the postlist came out unsorted and the second run never ended.
awk 'BEGIN { print "A long one"; print ""; for (i = 0; i < 60000; i++) print "harbour rice export tail" i }' \
    > "$TMP/long-one.txt"
run "$INDEX" --db "$TMP/long-one.db" "$TMP/long-one.txt"
is "$rc" 0 "one 1.6 MB article: bulk build and sync state written"
printf 'Second\n\nanother harbour note\n' > "$TMP/long-two.txt"
run timeout 60 "$INDEX" --db "$TMP/long-one.db" "$TMP/long-two.txt"
is "$rc" 0 "... a second run into it ends and succeeds"
if command -v xapian-check > /dev/null 2>&1; then
    # xapian-check does not follow the stub of a directory in generations.
    live="$TMP/long-one.db"
    [ -f "$live/XAPIANDB" ] && live="$live/$(sed -n 's/^glass //p' "$live/XAPIANDB")"
    ok "... and xapian-check finds the database sound" xapian-check "$live"
else
    skip "... and xapian-check finds the database sound" "needs xapian-check (xapian-tools)"
fi

done_testing

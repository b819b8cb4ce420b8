#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# kill9.sh - search-index killed with SIGKILL: at every step of installing a
# bulk-built index (LSX_CRASH_AT, see libsearch/dbdir.c) and at random
# moments of bulk builds and of batched writes.  After every kill the
# database must open, pass xapian-check, hold exactly what was committed
# (nothing or everything for a bulk build; whole batches, in input order,
# for the writer), and the next run must finish the work and leave no
# leftovers.
#
# Short by default (make check).  For measurements, e.g.:
#   LSX_KILLS=50 LSX_KILL_CORPUS=/path/docs.trec LSX_KILL_BULK_MS=3000 \
#   LSX_KILL_WRITER_MS=4000 top_srcdir=. top_builddir=BUILD sh tests/reliability/kill9.sh
# (LSX_KILLS random kills of each kind, at a random moment of the first
# LSX_KILL_BULK_MS / LSX_KILL_WRITER_MS ms of a run (default 400 / 500); the
# corpus must be TREC with unique DOCNOs, one tag a line; the default is a
# generated one of 400 articles).
. "$top_srcdir/tests/cli/lib.sh"

kills=${LSX_KILLS:-3}
batch=7
if command -v xapian-check > /dev/null 2>&1; then
    have_check=1
else
    have_check=0
    diag "xapian-check not found (Debian package xapian-tools): the index checks are skipped"
fi

# The corpus: generated (our own words), or the one given.
corpus=$TMP/corpus.trec
if [ -n "${LSX_KILL_CORPUS:-}" ]; then
    cp "$LSX_KILL_CORPUS" "$corpus"
else
    awk 'BEGIN {
        split("harbour rice export tariff monsoon ferry council budget drought bridge ministry vote", w, " ")
        for (i = 1; i <= 400; i++) {
            printf "<DOC>\n<DOCNO>k%05d</DOCNO>\n<DATE>2021-%02d-%02d</DATE>\n<TITLE>Report %d on %s</TITLE>\n<TEXT>\n", i, i % 12 + 1, i % 28 + 1, i, w[i % 12 + 1]
            for (j = 0; j < 40; j++) printf "%s%s", w[(i * j + j) % 12 + 1], (j % 10 == 9) ? "\n" : " "
            printf "</TEXT>\n</DOC>\n"
        }
    }' > "$corpus"
fi
ids=$TMP/ids
sed -n 's/^<DOCNO>[ ]*\([^ <]*\)[ ]*<\/DOCNO>$/\1/p' "$corpus" > "$ids"
total=$(wc -l < "$ids")
# The second half goes through the writer (added to a database holding the first).
half=$((total / 2))
head -n "$half" "$ids" > "$TMP/ids1"
awk -v h="$half" '/^<DOC>/ {n++} n <= h' "$corpus" > "$TMP/part1.trec"
awk -v h="$half" '/^<DOC>/ {n++} n > h' "$corpus" > "$TMP/part2.trec"
rest=$((total - half))

random_ms() {  # 0 .. $1-1
    echo $(( $(od -An -N4 -tu4 /dev/urandom | tr -d ' ') % $1 ))
}
sleep_ms() {
    sleep "$(awk -v ms="$1" 'BEGIN { printf "%.3f", ms / 1000 }')"
}
# Kills fall at a random moment of the first WINDOW ms of a run.
bulk_window=${LSX_KILL_BULK_MS:-400}
writer_window=${LSX_KILL_WRITER_MS:-500}

count_docs() {  # DB -> number of documents (or "open-failed")
    if "$SEARCH" stats --json --db "$1" > "$TMP/stats" 2> "$TMP/stats.err"; then
        sed 's/.*"documents":\([0-9]*\).*/\1/' "$TMP/stats"
    else
        echo "open-failed: $(head -c 200 "$TMP/stats.err")"
    fi
}

live_dir() {  # DB -> directory of the live glass database
    if [ -f "$1/iamglass" ]; then
        echo "$1"
    elif [ -f "$1/XAPIANDB" ]; then
        echo "$1/$(awk '{print $2; exit}' "$1/XAPIANDB")"
    else
        echo "$1"
    fi
}

xcheck() {  # DB NAME
    if [ $have_check -eq 1 ]; then
        if xapian-check "$(live_dir "$1")" > "$TMP/xc" 2>&1 && grep -q '^No errors found' "$TMP/xc"; then
            _tap_result 0 "$2: xapian-check clean"
        else
            _tap_result 1 "$2: xapian-check clean"
            tail -n 5 "$TMP/xc" | diag
        fi
    else
        skip "$2: xapian-check clean" "xapian-check not installed"
    fi
}

no_leftovers() {  # DB NAME
    left=$(ls -A "$1" | grep -v -E '^(\.lsx-lock|\.lsx-read|XAPIANDB|iamglass|flintlock|[a-z]+\.glass)$' | grep -v -x "$(basename "$(live_dir "$1")")")
    is "$left" "" "$2: no leftovers after the next run"
    like "$TMP/stats" '"leftovers":0,' "$2: stats counts no leftovers"
}

# A bulk build (empty database) killed: nothing or everything.
bulk_case() {  # NAME DB [env assignment]
    name=$1 db=$2
    n=$(count_docs "$db")
    case $n in
        0|"$half")
            _tap_result 0 "$name: opens, holds nothing or everything ($n)"
            xcheck "$db" "$name" ;;
        *"no database at"*)
            # Killed before the database was first created: nothing committed.
            _tap_result 0 "$name: no database yet (killed while creating it)"
            _tap_result 0 "$name: nothing to check" ;;
        *)
            _tap_result 1 "$name: opens, holds nothing or everything (got: $n)"
            xcheck "$db" "$name" ;;
    esac
    run "$INDEX" --quiet --force --db "$db" "$TMP/part1.trec"
    is "$rc" 0 "$name: the next run succeeds"
    is "$(count_docs "$db")" "$half" "$name: then holds every article"
    xcheck "$db" "$name (after the next run)"
    no_leftovers "$db" "$name"
}

steps="install-merged install-moved install-stub-written install-stub-renamed install-switched install-cleaned install-reopened"

# 1. Every install step of a first bulk build (a plain directory).
for step in $steps; do
    db=$TMP/step-$step.db
    LSX_CRASH_AT=$step "$INDEX" --quiet --db "$db" "$TMP/part1.trec" > /dev/null 2>&1
    st=$?
    is "$st" 137 "plain, killed at $step: killed"
    case $step in
        install-merged|install-moved|install-stub-*) want=0 ;;   # before the switch
        *) want=$half ;;
    esac
    is "$(count_docs "$db")" "$want" "plain, killed at $step: the switch is one step (holds $want)"
    bulk_case "plain, killed at $step" "$db"
done

# 2. Every install step of a bulk build into a database in generations,
#    emptied by deleting every article (so the indexer builds shards again).
for step in $steps; do
    db=$TMP/gen-$step.db
    "$INDEX" --quiet --db "$db" "$TMP/part1.trec" > /dev/null 2>&1
    xargs "$SEARCH" delete --db "$db" < "$TMP/ids1" > /dev/null 2>&1
    LSX_CRASH_AT=$step "$INDEX" --quiet --force --db "$db" "$TMP/part1.trec" > /dev/null 2>&1
    st=$?
    [ "$step" = install-switched ] && st=137      # no such step from generations
    is "$st" 137 "generations, killed at $step: killed"
    case $step in
        install-merged|install-moved|install-stub-written) want=0 ;;
        *) want=$half ;;
    esac
    is "$(count_docs "$db")" "$want" "generations, killed at $step: the switch is one step (holds $want)"
    bulk_case "generations, killed at $step" "$db"
done

# 3. Random kills of a bulk build.
i=0
while [ $i -lt "$kills" ]; do
    i=$((i + 1))
    db=$TMP/rb-$i.db
    "$INDEX" --quiet --db "$db" "$TMP/part1.trec" > /dev/null 2>&1 &
    pid=$!
    sleep_ms "$(random_ms "$bulk_window")"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    bulk_case "random bulk kill $i" "$db"
done

# 4. Random kills of the writer (batches of $batch) adding the second half.
base=$TMP/base.db
"$INDEX" --quiet --db "$base" "$TMP/part1.trec" > /dev/null 2>&1
i=0
while [ $i -lt "$kills" ]; do
    i=$((i + 1))
    db=$TMP/rw-$i.db
    rm -rf "$db" && cp -a "$base" "$db"
    "$INDEX" --quiet --batch $batch --threads 1 --db "$db" "$TMP/part2.trec" > /dev/null 2>&1 &
    pid=$!
    sleep_ms "$(random_ms "$writer_window")"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    name="random writer kill $i"
    n=$(count_docs "$db")
    case $n in
        *[!0-9]*) _tap_result 1 "$name: opens (got: $n)"; continue ;;
    esac
    added=$((n - half))
    if [ $added -ge 0 ] && { [ $((added % batch)) -eq 0 ] || [ $added -eq $rest ]; }; then
        _tap_result 0 "$name: whole batches of $batch ($added added)"
    else
        _tap_result 1 "$name: whole batches of $batch (got $added added)"
    fi
    # In input order: the last committed article is there, the next is not.
    if [ $added -gt 0 ]; then
        last=$(sed -n "$((half + added))p" "$ids")
        run "$SEARCH" get --db "$db" "$last"
        is "$rc" 0 "$name: the last committed article ($last) is there"
    fi
    if [ $added -lt $rest ]; then
        next=$(sed -n "$((half + added + 1))p" "$ids")
        run "$SEARCH" get --db "$db" "$next"
        is "$rc" 1 "$name: the next one ($next) is not"
    fi
    xcheck "$db" "$name"
    run "$INDEX" --quiet --batch 500 --db "$db" "$TMP/part2.trec"
    is "$rc" 0 "$name: the next run succeeds"
    is "$(count_docs "$db")" "$total" "$name: then holds every article"
    no_leftovers "$db" "$name"
done

# 5. A database whose creation was cut short (Xapian's lock and a table,
#    no version file) is created again, not left stuck.
db=$TMP/half-created.db
mkdir -p "$db" && : > "$db/flintlock" && : > "$db/postlist.glass"
run "$INDEX" --quiet --db "$db" "$TMP/part1.trec"
is "$rc" 0 "a half-created database: the next run succeeds"
is "$(count_docs "$db")" "$half" "a half-created database: then holds every article"
like "$TMP/err" 'removed 1 leftover' "a half-created database: the removal is reported"

done_testing

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/reliability/reader-writer.sh - readers beside a committing writer.
#
# Usage: reader-writer.sh BINDIR [SEARCHES] [BATCH]
#   BINDIR holds search and search-index (a build directory or an installed
#   bin/).  The corpus is reuters21578 from $LSX_SHARED/corpora (default
#   /work/shared), or the TREC file $RW_CORPUS, searched for the words of
#   $RW_WORDS (default ten English ones).  The database is first seeded with 500 articles, so that
#   the run below goes through the writer (not the shard build); then
#   `search-index --batch BATCH` (default 5) indexes the whole corpus again
#   (every article replaced or added, a commit every BATCH documents) while
#   one reader runs `search` queries, `search stats`, `search get` and a
#   facet search in turn until SEARCHES (default 1000) commands have run.
#   The writer is restarted whenever it finishes first, with --force so
#   that every run writes (otherwise a rerun finds the corpus unchanged).
# Prints progress every 100 commands (to stderr), then the commands run
# and failed by kind with their median and slowest wall time, and the
# first errors seen.
set -u
bin=${1:?usage: reader-writer.sh BINDIR [SEARCHES] [BATCH]}
want=${2:-1000}
batch=${3:-5}
shared=${LSX_SHARED:-/work/shared}
corpus=${RW_CORPUS:-$shared/corpora/reuters21578/docs.trec}
[ -r "$corpus" ] || { echo "skip: $corpus not found"; exit 77; }
tmp=$(mktemp -d)
trap 'kill $wpid 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
db=$tmp/r.db
awk '{print} /^<\/DOC>/ {n++; if (n == 500) exit}' "$corpus" > "$tmp/seed.trec"
"$bin/search-index" --quiet --db "$db" "$tmp/seed.trec" > /dev/null || { echo "seeding failed"; exit 1; }
writer() { exec "$bin/search-index" --quiet --force --batch "$batch" --db "$db" "$corpus" > /dev/null 2> "$tmp/writer.err"; }
writer & wpid=$!
runs=1
read -r -a words <<< "${RW_WORDS:-oil prices bank rates trade wheat coffee dollar yen gold}"
declare -A ran failed
: > "$tmp/errors"
for ((i = 0; i < want; i++)); do
    if ! kill -0 $wpid 2>/dev/null; then
        wait $wpid || echo "writer run $runs failed: $(head -c 300 "$tmp/writer.err")"
        writer & wpid=$!
        runs=$((runs + 1))
    fi
    w=${words[$((i % ${#words[@]}))]}
    case $((i % 4)) in
        0|1) kind=search; cmd=("$bin/search" --db "$db" --limit 5 "$w") ;;
        2) kind=stats; cmd=("$bin/search" stats --db "$db") ;;
        3) kind=facets; cmd=("$bin/search" --db "$db" --limit 3 --facet date:month --facet place:5 "$w") ;;
    esac
    ran[$kind]=$((${ran[$kind]:-0} + 1))
    t0=$EPOCHREALTIME
    "${cmd[@]}" > /dev/null 2> "$tmp/err"
    st=$?
    t1=$EPOCHREALTIME
    echo "$kind $(( (${t1/./} - ${t0/./}) / 1000 ))" >> "$tmp/times"
    # search exits 1 when nothing matched: an answer, not a failure.
    if [ $st -ne 0 ] && ! { [ $st -eq 1 ] && [ $kind != stats ] && [ ! -s "$tmp/err" ]; }; then
        failed[$kind]=$((${failed[$kind]:-0} + 1))
        tr "\n" " " < "$tmp/err" | head -c 300 >> "$tmp/errors"; echo >> "$tmp/errors"
    fi
    if (( (i + 1) % 100 == 0 )); then
        echo "... $((i + 1)) commands, $(wc -l < "$tmp/errors") failed" >&2
    fi
done
total_failed=0
for k in search stats facets; do
    ms=$(awk -v k=$k '$1 == k {print $2}' "$tmp/times" | sort -n |
         awk '{v[NR] = $1} END {if (NR) printf "median %d ms, slowest %d ms", v[int((NR + 1) / 2)], v[NR]}')
    echo "$k: ${ran[$k]:-0} run, ${failed[$k]:-0} failed${ms:+, $ms}"
    total_failed=$((total_failed + ${failed[$k]:-0}))
done
echo "total: $want commands, $total_failed failed, writer runs started: $runs (batch $batch)"
sort "$tmp/errors" | sed 's/[0-9]\+/N/g' | sort | uniq -c | sort -rn | head -5

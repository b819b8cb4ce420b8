#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/sync.sh - the cost of a second search-index run over an unchanged
# tree (the sync path: list, stat, compare with the stored state, read
# nothing) against a full build of the same tree, and against a full
# re-read of it (--force).
#
# The tree is reuters21578 split into one text file per article (the
# " date YYYY-MM-DD TITLE" header, then the body), written under the
# scratch folder; nothing is copied into the project.
#
#   bench/sync.sh [--runs N] [--tmp DIR] [TREC_FILE]
#
# Environment: BUILD is the build directory holding search-index (default
# ../build-ingest beside the project root, else ./); LSX_SHARED overrides
# ../shared; BASELINE names another search-index (e.g. one built from an
# older commit, which re-reads every file) to time its second run too.  Prints one line per measurement and the ratios; every figure
# is the median of N runs (default 3), each after a sync(1).
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
runs=3
tmp=/tmp/lsx-bench-sync
while [ $# -gt 0 ]; do
    case "$1" in
    --runs) runs=$2; shift 2 ;;
    --tmp) tmp=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) break ;;
    esac
done
shared=${LSX_SHARED:-$here/../shared}
trec=${1:-$shared/corpora/reuters21578/docs.trec}
build=${BUILD:-$here/../build-ingest}
[ -x "$build/search-index" ] || build=.
index="$build/search-index"
if [ ! -x "$index" ]; then
    echo "sync.sh: no search-index in $build (set BUILD)" >&2
    exit 2
fi
if [ ! -r "$trec" ]; then
    echo "sync.sh: $trec not found (set LSX_SHARED or give a TREC file)" >&2
    exit 2
fi

# an uninstalled build finds the gazetteer through LSX_GAZETTEER
if [ -z "${LSX_GAZETTEER:-}" ] && [ -r "$here/data/gazetteer.tsv" ]; then
    LSX_GAZETTEER="$here/data/gazetteer.tsv"
    export LSX_GAZETTEER
fi

rm -rf "$tmp"
mkdir -p "$tmp/tree"
python3 - "$trec" "$tmp/tree" <<'EOF'
import os, re, sys
src, out = sys.argv[1], sys.argv[2]
text = open(src, encoding="utf-8", errors="replace").read()
n = 0
for doc in re.findall(r"<DOC>(.*?)</DOC>", text, re.S):
    def field(tag):
        m = re.search(r"<%s>(.*?)</%s>" % (tag, tag), doc, re.S)
        return m.group(1).strip() if m else ""
    docno = field("DOCNO")
    if not docno:
        continue
    sub = os.path.join(out, "%03d" % (int(docno) // 1000 if docno.isdigit() else 0))
    os.makedirs(sub, exist_ok=True)
    head = " date %s %s\n" % (field("DATE"), " ".join(field("TITLE").split())) if field("DATE") else \
        " ".join(field("TITLE").split()) + "\n"
    with open(os.path.join(sub, docno + ".txt"), "w", encoding="utf-8") as f:
        f.write(head + field("TEXT") + "\n")
    n += 1
print("sync.sh: %d files written under %s" % (n, out), file=sys.stderr)
EOF
files=$(find "$tmp/tree" -type f | wc -l)

# time CMD...: wall seconds of one run, after a sync
seconds() {
    sync
    s=$(date +%s.%N)
    "$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; echo "sync.sh: $* failed" >&2; exit 1; }
    e=$(date +%s.%N)
    echo "$e - $s" | bc
}

median() {
    sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

full="" second="" force=""
for r in $(seq 1 "$runs"); do
    rm -rf "$tmp/db"
    full="$full $(seconds "$index" --db "$tmp/db" --quiet "$tmp/tree")"
    second="$second $(seconds "$index" --db "$tmp/db" --quiet "$tmp/tree")"
    force="$force $(seconds "$index" --db "$tmp/db" --quiet --force "$tmp/tree")"
done
base_full="" base_second=""
if [ -n "${BASELINE:-}" ]; then
    for r in $(seq 1 "$runs"); do
        rm -rf "$tmp/bdb"
        base_full="$base_full $(seconds "$BASELINE" --db "$tmp/bdb" --quiet "$tmp/tree")"
        base_second="$base_second $(seconds "$BASELINE" --db "$tmp/bdb" --quiet "$tmp/tree")"
    done
fi
mf=$(echo "$full" | tr ' ' '\n' | grep . | median)
ms=$(echo "$second" | tr ' ' '\n' | grep . | median)
mr=$(echo "$force" | tr ' ' '\n' | grep . | median)
"$index" --db "$tmp/db" "$tmp/tree" | sed 's/^/sync.sh: last run: /' >&2

echo "tree: $files files (reuters21578, one article per file), $runs runs, medians"
printf 'full build (new database)        %8.3f s\n' "$mf"
printf 'second run, nothing changed      %8.3f s   %.1f%% of the full build (%.0fx faster)\n' \
    "$ms" "$(echo "100 * $ms / $mf" | bc -l)" "$(echo "$mf / $ms" | bc -l)"
printf 'second run with --force (re-read) %7.3f s   %.1f%% of the full build\n' \
    "$mr" "$(echo "100 * $mr / $mf" | bc -l)"
if [ -n "${BASELINE:-}" ]; then
    bf=$(echo "$base_full" | tr ' ' '\n' | grep . | median)
    bs=$(echo "$base_second" | tr ' ' '\n' | grep . | median)
    printf 'baseline full build               %7.3f s   (%s)\n' "$bf" "$BASELINE"
    printf 'baseline second run               %7.3f s   this second run is %.0fx faster\n' \
        "$bs" "$(echo "$bs / $ms" | bc -l)"
fi
rm -rf "$tmp"

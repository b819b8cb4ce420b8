#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# share.sh BUILD [CORPUS] - the share of indexing time spent on entity
# extraction: builds bench/extraction/extract-time against BUILD, then in
# the same sitting (1) indexes CORPUS with BUILD's search-index in one
# thread (CPU time of the whole process) and (2) times extraction alone on
# the same articles.  CORPUS (a file, or a folder holding docs.trec)
# defaults to ../shared/corpora/reuters21578.
# Prints both figures and their ratio.  Skips (exit 0) when BUILD is not a
# built tree or the corpus is missing.
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${1:-}
corpus=${2:-${LSX_SHARED:-$top/../shared}/corpora/reuters21578}
if [ -z "$build" ] || [ ! -f "$build/libsearch/libsearch-core.la" ] || [ ! -x "$build/libtool" ]; then
    echo "share.sh: skipped: '${build:-(no argument)}' is not a built tree"
    exit 0
fi
[ -d "$corpus" ] && [ -f "$corpus/docs.trec" ] && corpus=$corpus/docs.trec
if [ ! -e "$corpus" ]; then
    echo "share.sh: skipped: no corpus at $corpus"
    exit 0
fi
build=$(cd "$build" && pwd)
cc=$(sed -n 's/^CC = //p' "$build/Makefile")
out="$build/bench/extraction"
mkdir -p "$out" || exit 2
"$build/libtool" --quiet --mode=link --tag=CC ${cc:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L \
    -D_DEFAULT_SOURCE -O2 -Wall -Wextra -I"$top/libsearch" -I"$build" \
    -o "$out/extract-time" "$here/extract-time.c" "$build/libsearch/libsearch-core.la" -lstdc++ \
    || { echo "share.sh: building extract-time failed" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lsx-share.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
LSX_GAZETTEER=$top/data/gazetteer.tsv
export LSX_GAZETTEER
sync
/usr/bin/env time -f "%U %S" -o "$tmp/time" "$build/search-index" --db "$tmp/db" --threads 1 \
    --quiet "$corpus" > "$tmp/index.log" 2>&1 || { cat "$tmp/index.log"; exit 1; }
index=$(awk '{ printf "%.3f", $1 + $2 }' "$tmp/time")
ext=$("$out/extract-time" "$corpus") || exit 1
echo "indexing (search-index --threads 1): $index s CPU"
echo "$ext"
secs=$(echo "$ext" | sed -n 's/.*extraction \([0-9.]*\) s CPU.*/\1/p')
awk -v e="$secs" -v i="$index" 'BEGIN { printf "extraction share of indexing time: %.1f%%\n", 100 * e / i }'

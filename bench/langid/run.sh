#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# run.sh BUILD - language identification accuracy of the libsearch built in
# BUILD (lsx_detect_language), per language, on:
#   - the sample articles of data/languages (th id ms tl km lo my zh) and
#     data/sample/articles (en vi), whose file names start with the language
#     code;
#   - 200 English articles of reuters21578 and 200 Vietnamese of vntc from
#     ../shared/corpora (every 107th / 168th document, so all topics are
#     met), and the same 200 Vietnamese with their diacritics removed
#     ("vi-plain": Vietnamese as often typed), when that folder is there.
# Prints one table.  Skips (exit 0) with a message when BUILD is not built.
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${1:-}
if [ -z "$build" ] || [ ! -f "$build/libsearch/libsearch.la" ] || [ ! -x "$build/libtool" ]; then
    echo "run.sh: skipped: '${build:-(no argument)}' is not a built tree"
    echo "usage: bench/langid/run.sh BUILD"
    exit 0
fi
build=$(cd "$build" && pwd)
shared=${LSX_SHARED:-$top/../shared}
cc=$(sed -n 's/^CC = //p' "$build/Makefile")
out="$build/bench/langid"
mkdir -p "$out" || exit 2
"$build/libtool" --quiet --mode=link --tag=CC ${cc:-cc} -std=c11 -O2 -Wall -Wextra \
    -I"$top/libsearch" -o "$out/langid-eval" "$here/langid-eval.c" "$build/libsearch/libsearch.la" \
    || { echo "run.sh: building langid-eval failed" >&2; exit 2; }
set --
for f in "$top"/data/languages/*.txt "$top"/data/sample/articles/*.txt; do
    b=$(basename "$f")
    set -- "$@" "${b%%-*}:$f"
done
"$out/langid-eval" "$@" | sed 's/^/sample /'
if [ -d "$shared/corpora/vntc" ] && [ -d "$shared/corpora/reuters21578" ]; then
    tmp=$(mktemp -d) || exit 2
    trap 'rm -rf "$tmp"' EXIT
    # vntc without diacritics: NFD, marks dropped, đ -> d
    python3 - "$shared/corpora/vntc/docs.trec" "$tmp/vi-plain.trec" <<'PY'
import sys, unicodedata
src, dst = sys.argv[1], sys.argv[2]
with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as o:
    for line in f:
        t = unicodedata.normalize("NFD", line)
        t = "".join(c for c in t if not unicodedata.combining(c))
        o.write(t.replace("đ", "d").replace("Đ", "D"))
PY
    "$out/langid-eval" --every 107 --max 200 "en:$shared/corpora/reuters21578/docs.trec" | sed 's/^/corpus /'
    "$out/langid-eval" --every 168 --max 200 "vi:$shared/corpora/vntc/docs.trec" | sed -n '2,$p' | sed 's/^/corpus /'
    "$out/langid-eval" --every 168 --max 200 "vi:$tmp/vi-plain.trec" | sed -n '2,$p' | sed 's/^vi    /vi-plain/; s/^/corpus /'
else
    echo "run.sh: skipped the corpora: no reuters21578 and vntc in $shared/corpora"
fi

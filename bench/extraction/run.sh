#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# run.sh BUILD [extract-eval options] - build bench/extraction/extract-eval
# against the configured and built tree BUILD and run it on the labelled set.
#   sh bench/extraction/run.sh /work/build-foo        # dates and entities
#   sh bench/extraction/run.sh /work/build-foo -v     # with per-article misses
#   sh bench/extraction/run.sh /work/build-foo -d     # dates only
# Skips (exit 0) with a message when BUILD has no built library.
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${1:-}
if [ -z "$build" ] || [ ! -f "$build/libsearch/libsearch-core.la" ] || [ ! -x "$build/libtool" ]; then
    echo "run.sh: skipped: '${build:-(no argument)}' is not a built tree" \
         "(need BUILD/libsearch/libsearch-core.la; run make in it first)"
    echo "usage: run.sh BUILD [-v] [-d]"
    exit 0
fi
build=$(cd "$build" && pwd)
shift
cc=$(sed -n 's/^CC = //p' "$build/Makefile")
out="$build/bench/extraction"
mkdir -p "$out" || exit 2
"$build/libtool" --quiet --mode=link --tag=CC ${cc:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L \
    -D_DEFAULT_SOURCE -O2 -Wall -Wextra -I"$top/libsearch" -I"$build" \
    -o "$out/extract-eval" "$here/extract-eval.c" "$build/libsearch/libsearch-core.la" -lstdc++ \
    || { echo "run.sh: building extract-eval failed" >&2; exit 2; }
exec "$out/extract-eval" -g "$top/data/gazetteer.tsv" "$@" "$here"

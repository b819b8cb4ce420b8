#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# run.sh BUILD [ner-eval options] - install the built tree BUILD into a
# scratch prefix and score its entity facets with ../shared/ner/ner-eval.py
# on the CoNLL-2003 English and VLSP 2018 Vietnamese development sets.
#   sh bench/ner/run.sh /work/build-foo
#   sh bench/ner/run.sh /work/build-foo --top 40 --details /tmp/ner.json
# The gazetteer scored is the source tree's data/gazetteer.tsv (for both
# indexing and alias crediting).  Skips (exit 0) with a message when BUILD
# is not a built tree or the data is not there.  LSX_SHARED overrides the
# location of ../shared.
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
shared=${LSX_SHARED:-$top/../shared}
build=${1:-}
if [ -z "$build" ] || [ ! -f "$build/Makefile" ] || [ ! -f "$build/libsearch/libsearch.la" ]; then
    echo "run.sh: skipped: '${build:-(no argument)}' is not a built tree (run make in it first)"
    echo "usage: run.sh BUILD [ner-eval options]"
    exit 0
fi
shift
ner=$shared/ner
if [ ! -f "$ner/ner-eval.py" ] || [ ! -f "$ner/conll2003/eng.testa" ] || [ ! -d "$ner/vlsp2018-dev" ]; then
    echo "run.sh: skipped: no named-entity data in $ner (ner-eval.py, conll2003/eng.testa, vlsp2018-dev)"
    exit 0
fi
build=$(cd "$build" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lsx-ner.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
make -C "$build" install DESTDIR="$tmp/dest" > "$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log" >&2; echo "run.sh: make install failed" >&2; exit 2; }
prefix=$(sed -n 's/^prefix = //p' "$build/Makefile")
inst=$tmp/dest$prefix
LD_LIBRARY_PATH=$inst/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export LD_LIBRARY_PATH
python3 "$ner/ner-eval.py" "$inst" "$ner/conll2003/eng.testa" "$ner/vlsp2018-dev" \
    --gazetteer "$top/data/gazetteer.tsv" "$@"

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# startup.sh BUILD [BUILD2] [N] - CPU time of one-shot `search` queries:
# installs each built tree into a scratch prefix, indexes data/sample with
# it, then runs N (default 40) one-shot queries (`search --db DB QUERY`,
# a new process each time, as a user at a shell does) and prints the mean
# CPU time (user + system) per query.  Each BUILD is measured without the
# gazetteer cache (LSX_CACHE_DIR empty: the TSV is parsed by every process)
# and with a warm cache (LSX_CACHE_DIR a scratch folder, filled by the
# indexing run).  Give two trees (e.g. main and a branch) to compare them
# in the same sitting.  The gazetteer is the source tree's data/gazetteer.tsv.
# Skips (exit 0) when BUILD is not a built tree.
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
builds=
n=40
for a in "$@"; do
    case $a in
        *[!0-9]*|'') builds="$builds $a" ;;
        *) n=$a ;;
    esac
done
[ -n "$builds" ] || { echo "startup.sh: skipped: no build tree given"; echo "usage: startup.sh BUILD [BUILD2] [N]"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lsx-startup.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
i=0
for b in $builds; do
    i=$((i + 1))
    if [ ! -f "$b/Makefile" ] || [ ! -f "$b/libsearch/libsearch.la" ]; then
        echo "startup.sh: skipped: '$b' is not a built tree"
        continue
    fi
    b=$(cd "$b" && pwd)
    make -C "$b" install DESTDIR="$tmp/dest$i" > "$tmp/install$i.log" 2>&1 ||
        { cat "$tmp/install$i.log" >&2; echo "startup.sh: make install failed in $b" >&2; exit 2; }
    prefix=$(sed -n 's/^prefix = //p' "$b/Makefile")
    inst=$tmp/dest$i$prefix
    LD_LIBRARY_PATH=$inst/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} \
    LSX_GAZETTEER=$top/data/gazetteer.tsv LSX_CACHE_DIR=$tmp/cache$i \
        python3 - "$inst" "$top/data/sample" "$tmp/db$i" "$n" "$tmp/cache$i" "$b" <<'EOF'
import os, resource, subprocess, sys
inst, sample, db, n, cache, build = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6]
out = subprocess.DEVNULL
subprocess.run([inst + "/bin/search-index", "--db", db, "--quiet", sample], check=True, stdout=out)
queries = ["asean", "Hà Nội", "ministers meeting", "title:flood", "Việt Nam economy", "entity:vietnam"]
def run(env):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    for k in range(n):
        subprocess.run([inst + "/bin/search", "--db", db, queries[k % len(queries)]],
                       stdout=out, stderr=out, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)) * 1000 / n
cold = dict(os.environ, LSX_CACHE_DIR="")
warm = dict(os.environ)
run(warm)                                   # make sure the cache is there
print("%s: one-shot search, mean CPU per query over %d: %.2f ms without the gazetteer cache, "
      "%.2f ms with it" % (build, n, run(cold), run(warm)))
EOF
done

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/run.sh - libsearch against Xapian used directly and SQLite FTS5.
#
# usage: bench/run.sh [--runs N] [--quick] [--keep] [--tmp DIR] [--queries FILE]
#                     [--scale] [--scale-sizes "N ..."] [--scale-batch N]
#                     [--shards] [CORPUS_DIR_OR_TREC ...]
#
# Builds the three programs (bench/baselines/xapian-direct.cc, bench/baselines/fts5.c,
# bench/lsx-bench.c against the libsearch build in $BUILD), then for each corpus
# builds each index N times, runs the query file at K=10 and K=1000 on each build,
# and prints one table per corpus (medians over the runs).  With no corpus on the
# command line it uses reuters21578 and vntc from ../shared/corpora, and skips
# (exit 0) when that folder is absent.  See bench/README.md.
#
# With --shards, only the shard table instead (bench_shards below): per corpus,
# one database against 4 local shards (search-index --shards 4) and the same 4
# served by xapian-tcpsrv on loopback: build time, top-10 p50/p99 plain and with
# the facets entity:10 and date:month, over the first 300 queries, as ratios to
# the one database, and the loopback bytes per faceted query.
#
# Environment: BUILD (libsearch build directory, default ../build-bench beside the
# project root; configured and built there if needed), LSX_INDEX_ARGS (extra
# arguments for `lsx-bench index`, e.g. "--batch 5000").
# Exit status: 0, or 1 if a program failed or a sanity check failed.
set -euo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
# The library finds its gazetteer in the install prefix; an uninstalled build is told where it is.
export LSX_GAZETTEER="${LSX_GAZETTEER:-$SRC/data/gazetteer.tsv}"
SHARED=${LSX_SHARED:-$SRC/../shared}
[ -d "$SHARED" ] && SHARED=$(cd "$SHARED" && pwd)
BUILD=${BUILD:-$(cd "$SRC/.." && pwd)/build-bench}
RUNS=3
QUICK=0
KEEP=0
TMP=/tmp/lsx-bench
QUERIES=
SCALE=0
SCALE_SIZES="100000 1000000"
SCALE_BATCH=10000
SHARDS=0
CORPORA=()

die() { echo "run.sh: $*" >&2; exit 1; }
say() { echo "run.sh: $*" >&2; }

while [ $# -gt 0 ]; do
    case $1 in
    --runs) RUNS=$2; shift 2 ;;
    --quick) QUICK=1; RUNS=1; shift ;;
    --keep) KEEP=1; shift ;;
    --tmp) TMP=$2; shift 2 ;;
    --queries) QUERIES=$2; shift 2 ;;
    --scale) SCALE=1; shift ;;
    --scale-sizes) SCALE_SIZES=$2; SCALE=1; shift 2 ;;
    --scale-batch) SCALE_BATCH=$2; shift 2 ;;
    --shards) SHARDS=1; shift ;;
    -h|--help) sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (try --help)" ;;
    *) CORPORA+=("$1"); shift ;;
    esac
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs wants a whole number >= 1"

if [ ${#CORPORA[@]} -eq 0 ]; then
    if [ ! -d "$SHARED/corpora" ]; then
        echo "run.sh: skipped: no corpus given and no shared corpora at $SHARED/corpora"
        exit 0
    fi
    if [ $SCALE = 0 ]; then
        CORPORA=("$SHARED/corpora/reuters21578")
        [ $QUICK = 1 ] || CORPORA+=("$SHARED/corpora/vntc")
    fi
elif [ $SCALE = 1 ] && [ ! -d "$SHARED/corpora" ]; then
    die "--scale needs the shared corpora at $SHARED/corpora"
fi

#### tools ##################################################################
missing=()
command -v g++ >/dev/null || missing+=(g++)
command -v gcc >/dev/null || missing+=(gcc)
command -v xapian-config >/dev/null || missing+=(libxapian-dev)
echo '#include <sqlite3.h>' | gcc -E - >/dev/null 2>&1 || missing+=(libsqlite3-dev)
[ -x /usr/bin/time ] || missing+=(time)
command -v python3 >/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
    die "missing packages: ${missing[*]} (apt-get install ${missing[*]})"
fi

mkdir -p "$TMP/bin"
TMP=$(cd "$TMP" && pwd)
BIN=$TMP/bin
cleanup() {
    if [ $KEEP = 1 ]; then say "kept scratch data in $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

say "building the baselines"
g++ -O2 -std=c++17 "$SRC/bench/baselines/xapian-direct.cc" -o "$BIN/xapian-direct" \
    $(xapian-config --cxxflags --libs)
gcc -O2 -std=c11 "$SRC/bench/baselines/fts5.c" -o "$BIN/fts5" -lsqlite3

say "building libsearch in $BUILD"
mkdir -p "$BUILD"
if [ ! -f "$BUILD/Makefile" ]; then
    (cd "$BUILD" && "$SRC/configure" -q) || die "configure failed in $BUILD"
fi
make -s -C "$BUILD" -j2 libsearch/libsearch.la search search-index >"$TMP/make.log" 2>&1 ||
    { tail -20 "$TMP/make.log" >&2; die "building libsearch failed (log above)"; }
gcc -O2 -std=c11 -I"$SRC/libsearch" "$SRC/bench/lsx-bench.c" -o "$BIN/lsx-bench" \
    -L"$BUILD/libsearch/.libs" -Wl,-rpath,"$BUILD/libsearch/.libs" -lsearch

# timed OUTFILE CMD...: run CMD with its stdout in OUTFILE, then add GNU time's
# wall clock and max RSS to it.
timed() {
    local out=$1; shift
    # Start every build with nothing left to write back: the previous
    # program's dirty pages (hundreds of MB) would otherwise be flushed by
    # the kernel during the next one, on one of the two cores.
    sync
    /usr/bin/time -f 'wall_seconds %e
maxrss_kb %M' -o "$out.time" "$@" >"$out" || { cat "$out.time" >&2; die "failed: $*"; }
    cat "$out.time" >>"$out"
    rm -f "$out.time"
}

# The query file for corpus NAME in folder DIR (trec file TREC), written to OUT.
pick_queries() {
    local name=$1 dir=$2 trec=$3 out=$4 src
    if [ -n "$QUERIES" ]; then src=$QUERIES
    elif [ -f "$SHARED/bench/queries/$name.tsv" ]; then src=$SHARED/bench/queries/$name.tsv
    elif [ -n "$dir" ] && [ -f "$dir/topics.tsv" ]; then src=$dir/topics.tsv
    else
        python3 "$SRC/bench/report.py" titles "$trec" 1000 "$out" ||
            die "$trec: no query file, no topics.tsv and no titles to sample"
        echo "1,000 sampled titles"; return
    fi
    if [ $QUICK = 1 ]; then head -n 200 "$src" >"$out"; else cp "$src" "$out"; fi
    echo "$src"
}

#### one corpus ################################################################
status=0
bench_corpus() {
    local arg=$1 dir= trec name
    if [ -d "$arg" ]; then
        dir=$(cd "$arg" && pwd); trec=$dir/docs.trec; name=$(basename "$dir")
        [ -f "$trec" ] || die "$arg: no docs.trec in this folder"
    else
        [ -f "$arg" ] || die "$arg: no such file or folder"
        trec=$(cd "$(dirname "$arg")" && pwd)/$(basename "$arg"); name=$(basename "$arg"); name=${name%%.*}
        # .../NAME/docs.trec is corpus NAME, with NAME/topics.tsv if there is one
        if [ "$name" = docs ]; then dir=$(dirname "$trec"); name=$(basename "$dir"); fi
    fi
    local work=$TMP/$name res=$TMP/$name/results
    rm -rf "$work"; mkdir -p "$res"
    local qsrc; qsrc=$(pick_queries "$name" "$dir" "$trec" "$work/queries.tsv")
    printf 'name %s\nqueries %s\n' "$name" "$qsrc" >"$res/info"
    # The prefix queries: the first word's first 4 characters and '*'
    # (words shorter than 5 characters are kept whole, then '*').
    python3 -c '
import sys
for line in open(sys.argv[1], encoding="utf-8"):
    qid, _, text = line.rstrip("\n").partition("\t")
    words = [w for w in text.split() if w.isalnum()]
    if words:
        w = words[0]
        print(qid + "\t" + (w[:4] if len(w) > 4 else w) + "*")
' "$work/queries.tsv" >"$work/queries-prefix.tsv"
    # Did you mean: each query with the 2nd and 3rd characters of its first
    # word of 4 or more swapped (a typo), searched with suggestions on.
    python3 -c '
import sys
for line in open(sys.argv[1], encoding="utf-8"):
    qid, _, text = line.rstrip("\n").partition("\t")
    words = text.split()
    for i, w in enumerate(words):
        if len(w) >= 4 and w.isalpha():
            words[i] = w[0] + w[2] + w[1] + w[3:]
            break
    print(qid + "\t" + " ".join(words))
' "$work/queries.tsv" >"$work/queries-typo.tsv"

    local run k
    for run in $(seq 1 "$RUNS"); do
        say "$name: run $run/$RUNS: building Xapian-direct, FTS5, libsearch"
        rm -rf "$work"/xapian.db* "$work"/fts5.db "$work"/lsx.db*
        timed "$res/xapian.build.$run" "$BIN/xapian-direct" index "$work/xapian.db" "$trec"
        timed "$res/fts5.build.$run" "$BIN/fts5" index "$work/fts5.db" "$trec"
        # shellcheck disable=SC2086
        timed "$res/lsx.build.$run" "$BIN/lsx-bench" index "$work/lsx.db" "$trec" ${LSX_INDEX_ARGS:-}
        say "$name: run $run/$RUNS: queries"
        sync   # the builds' files written back before any query is timed
        for k in 10 1000; do
            "$BIN/xapian-direct" query "$work/xapian.db.compact" "$work/queries.tsv" $k \
                >"$res/xapian.q$k.$run.tsv"
            "$BIN/fts5" query "$work/fts5.db" "$work/queries.tsv" $k >"$res/fts5.q$k.$run.tsv"
            "$BIN/lsx-bench" query "$work/lsx.db.compact" "$work/queries.tsv" $k \
                >"$res/lsx.q$k.$run.tsv"
        done
        "$BIN/lsx-bench" query "$work/lsx.db.compact" "$work/queries.tsv" 10 --facets \
            >"$res/lsx.facets.$run.tsv"
        "$BIN/lsx-bench" query "$work/lsx.db.compact" "$work/queries.tsv" 1000 --ids-only \
            >"$res/lsx.ids1000.$run.tsv"
        # Query features against the plain top 10: a prefix (each query's
        # first word cut to 4 characters, then *), and newest first.
        "$BIN/lsx-bench" query "$work/lsx.db.compact" "$work/queries-prefix.tsv" 10 \
            >"$res/lsx.prefix.$run.tsv"
        "$BIN/lsx-bench" query "$work/lsx.db.compact" "$work/queries.tsv" 10 --newest \
            >"$res/lsx.newest.$run.tsv"
        "$BIN/lsx-bench" query "$work/lsx.db.compact" "$work/queries-typo.tsv" 10 --suggest \
            >"$res/lsx.suggest.$run.tsv"
        "$BIN/lsx-bench" query "$work/lsx.db.compact" "$work/queries.tsv" 10 --recency 30 \
            >"$res/lsx.recency.$run.tsv"
    done
    rm -rf "$work"/xapian.db* "$work"/fts5.db "$work"/lsx.db*
    echo
    python3 "$SRC/bench/report.py" corpus "$res" || status=1
}

#### scale: generated corpora ##################################################
bench_scale() {
    local res=$TMP/scale n
    mkdir -p "$res"
    for n in $SCALE_SIZES; do
        say "scale: generating $n documents"
        python3 "$SRC/bench/gen-corpus.py" "$n" "$TMP/gen-$n.trec" --queries "$res/gen-$n.tsv" \
            --corpora "$SHARED/corpora"
        say "scale: indexing $n documents with libsearch (batch $SCALE_BATCH)"
        rm -rf "$TMP/gen-$n.db" "$TMP/gen-$n.db.compact"
        timed "$res/scale-$n.build" "$BIN/lsx-bench" index "$TMP/gen-$n.db" "$TMP/gen-$n.trec" \
            --batch "$SCALE_BATCH"
        rm -rf "$TMP/gen-$n.db" "$TMP/gen-$n.trec"
        sync   # as above: no write-back under the timed queries
        "$BIN/lsx-bench" query "$TMP/gen-$n.db.compact" "$res/gen-$n.tsv" 10 >"$res/scale-$n.q10.tsv"
        rm -rf "$TMP/gen-$n.db.compact"
    done
    echo
    python3 "$SRC/bench/report.py" scale "$res"
}

#### shards: one database, 4 local shards, 4 remote shards ###################
# Loopback bytes received so far (every process's: other traffic on lo adds to it).
lo_bytes() { awk '$1 == "lo:" { print $2 }' /proc/net/dev; }
bench_shards() {
    local arg=$1 trec name
    if [ -d "$arg" ]; then trec=$(cd "$arg" && pwd)/docs.trec; name=$(basename "$arg")
    else trec=$(cd "$(dirname "$arg")" && pwd)/$(basename "$arg"); name=$(basename "$(dirname "$trec")"); fi
    local work=$TMP/shards-$name res=$TMP/shards-$name/results
    rm -rf "$work"; mkdir -p "$res"
    pick_queries "$name" "$(dirname "$trec")" "$trec" "$work/all.tsv" >/dev/null
    head -n 300 "$work/all.tsv" >"$work/queries.tsv"
    say "$name: building one database and 4 shards with search-index"
    timed "$res/build.one" "$BUILD/search-index" --quiet --db "$work/one" "$trec"
    timed "$res/build.four" "$BUILD/search-index" --quiet --shards 4 --db "$work/four" "$trec"
    local base=$((40000 + ($$ % 10000))) pids=() i
    for i in 0 1 2 3; do
        # Its own session: xapian-tcpsrv signals its whole process group on exit.
        setsid xapian-tcpsrv --quiet --interface 127.0.0.1 --port $((base + i)) "$work/four/shard-$i" &
        pids+=($!)
        echo "remote 127.0.0.1:$((base + i))" >>"$work/remote.stub"
    done
    for i in $(seq 50); do "$BUILD/search" stats --db "$work/remote.stub" >/dev/null 2>&1 && break; sleep 0.1; done
    sync
    local db kind before
    for kind in one four remote; do
        case $kind in one) db=$work/one ;; four) db=$work/four ;; remote) db=$work/remote.stub ;; esac
        say "$name: queries on $kind"
        "$BIN/lsx-bench" query "$db" "$work/queries.tsv" 10 >/dev/null   # warm the caches
        before=$(lo_bytes)
        "$BIN/lsx-bench" query "$db" "$work/queries.tsv" 10 >"$res/$kind.plain.tsv"
        echo $(( $(lo_bytes) - before )) >"$res/$kind.plain.lo"
        before=$(lo_bytes)
        "$BIN/lsx-bench" query "$db" "$work/queries.tsv" 10 --facets >"$res/$kind.facets.tsv"
        echo $(( $(lo_bytes) - before )) >"$res/$kind.facets.lo"
    done
    for i in "${pids[@]}"; do kill -- "-$i" 2>/dev/null || true; done
    wait 2>/dev/null || true
    du -sb "$work/one" | cut -f1 >"$res/one.bytes"
    du -sb "$work/four" | cut -f1 >"$res/four.bytes"
    echo
    python3 "$SRC/bench/report.py" shards "$res" "$name" || status=1
}

if [ $SHARDS = 1 ]; then
    command -v xapian-tcpsrv >/dev/null || die "--shards needs xapian-tcpsrv (xapian-tools)"
    for c in "${CORPORA[@]}"; do
        bench_shards "$c"
        echo
    done
    exit $status
fi

for c in "${CORPORA[@]}"; do
    bench_corpus "$c"
    echo
done
[ $SCALE = 0 ] || bench_scale
exit $status

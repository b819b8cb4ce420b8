#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/relevance.sh - retrieval quality of libsearch on the classic test collections.
#
# usage: bench/relevance.sh [OPTION]... [BUILD_DIR]
#
# For each of adi cacm cisi cran lisa med in ../shared/corpora (those present;
# with none, it says so and exits 0) it indexes docs.trec with search-index,
# runs topics.tsv against qrels.txt with `search eval -c --depth 1000` (each
# topic's words joined by OR, 1,000 results, trec_eval's -c: the way the
# baselines below were measured) and prints one table of MAP, nDCG@10, P@10
# and recall@1000 for:
#   defaults    the library's defaults (LSX_DEFAULT_K1, _B, _TITLE_WEIGHT);
#   tuned       the best k1/b of a --sweep on that collection (by MAP);
#   global      the one k1/b with the highest mean MAP over the collections
#               (also reported: the one whose worst MAP / best-baseline ratio
#               is highest);
#   prf         pseudo-relevance feedback on top of the defaults, with the
#               setting of --prf-grid that gains the most MAP on average;
#   title=W     (with --title-weights) the defaults on an index built with
#               title weight W by the script's own small indexer;
# beside the baselines (Xapian used directly and SQLite FTS5; see
# bench/relevance.md).  Figures only: nothing is asserted.
#
# Options:
#   --collections "adi cran ..."  which collections (default: all six)
#   --k1-grid A:B:S    k1 values swept (default 0.4:2.0:0.1)
#   --b-grid A:B:S     b values swept (default 0.1:1.0:0.05)
#   --prf-grid "D:T:W ..."  feedback settings tried (default
#                      "5:10:0.3 5:20:0.3 10:10:0.3 10:20:0.3 10:25:0.3 10:20:0.5 20:20:0.3")
#   --title-weights "W ..."  also measure the defaults with these title weights
#   --no-sweep         skip the k1/b sweep (and the tuned and global rows)
#   --quick            coarse grids: k1 0.6:1.8:0.3, b 0.3:0.9:0.15, PRF 10:25:0.3
#   --threads N        search threads (default 2)
#   --tmp DIR          scratch folder (default /tmp/lsx-relevance.PID); --keep keeps it
#   BUILD_DIR          the libsearch build with `search` and `search-index`
#                      (default $BUILD, else ../build-rel beside the project)
# Environment: BUILD, LSX_SHARED (instead of ../shared).
# Exit status: 0, or 1 if a program failed.
set -euo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
# The library finds its gazetteer in the install prefix; an uninstalled build is told where it is.
export LSX_GAZETTEER="${LSX_GAZETTEER:-$SRC/data/gazetteer.tsv}"
SHARED=${LSX_SHARED:-$SRC/../shared}
BUILD=${BUILD:-$SRC/../build-rel}
COLLECTIONS="adi cacm cisi cran lisa med"
K1_GRID=0.4:2.0:0.1
B_GRID=0.1:1.0:0.05
PRF_GRID="5:10:0.3 5:20:0.3 10:10:0.3 10:20:0.3 10:25:0.3 10:20:0.5 20:20:0.3"
TITLE_WEIGHTS=
SWEEP=1
THREADS=2
TMP=
KEEP=0

die() { echo "relevance.sh: $*" >&2; exit 1; }
say() { echo "relevance.sh: $*" >&2; }

while [ $# -gt 0 ]; do
    case $1 in
    --collections) COLLECTIONS=$2; shift 2 ;;
    --k1-grid) K1_GRID=$2; shift 2 ;;
    --b-grid) B_GRID=$2; shift 2 ;;
    --prf-grid) PRF_GRID=$2; shift 2 ;;
    --title-weights) TITLE_WEIGHTS=$2; shift 2 ;;
    --no-sweep) SWEEP=0; shift ;;
    --quick) K1_GRID=0.6:1.8:0.3; B_GRID=0.3:0.9:0.15; PRF_GRID=10:25:0.3; shift ;;
    --threads) THREADS=$2; shift 2 ;;
    --tmp) TMP=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (try --help)" ;;
    *) BUILD=$1; shift ;;
    esac
done
[[ $THREADS =~ ^[1-9][0-9]*$ ]] || die "--threads wants a whole number >= 1"
for w in $TITLE_WEIGHTS; do
    [[ $w =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--title-weights: '$w' is not a number"
done

CORPORA=$SHARED/corpora
if [ ! -d "$CORPORA" ]; then
    echo "relevance.sh: skipped: no test collections at $CORPORA"
    exit 0
fi
[ -d "$BUILD" ] && BUILD=$(cd "$BUILD" && pwd)
SEARCH=$BUILD/search
INDEX=$BUILD/search-index
[ -x "$SEARCH" ] && [ -x "$INDEX" ] ||
    die "no search and search-index in $BUILD (build first: mkdir -p $BUILD && cd $BUILD && $SRC/configure && make -j2; or give BUILD_DIR)"

present=
for c in $COLLECTIONS; do
    d=$CORPORA/$c
    if [ -f "$d/docs.trec" ] && [ -f "$d/topics.tsv" ] && [ -f "$d/qrels.txt" ]; then
        present="$present $c"
    else
        say "skipping $c: no docs.trec, topics.tsv and qrels.txt in $d"
    fi
done
[ -n "$present" ] || { echo "relevance.sh: skipped: none of the collections ($COLLECTIONS) is in $CORPORA"; exit 0; }

[ -n "$TMP" ] || TMP=${TMPDIR:-/tmp}/lsx-relevance.$$
mkdir -p "$TMP" || die "cannot create $TMP"
TMP=$(cd "$TMP" && pwd)
cleanup() { [ "$KEEP" = 1 ] || rm -rf "$TMP"; }
trap cleanup EXIT

# Baselines (measured once, see bench/relevance.md): MAP and nDCG@10 of Xapian
# used directly (k1=1 b=0.5) and of SQLite FTS5 (k1=1.2 b=0.75).
baseline() {  # COLLECTION -> "xapian_map fts5_map xapian_ndcg fts5_ndcg"
    case $1 in
    adi)  echo "0.3759 0.4086 0.4394 0.4751" ;;
    cacm) echo "0.3157 0.3167 0.4491 0.4612" ;;
    cisi) echo "0.1913 0.2073 0.3421 0.3610" ;;
    cran) echo "0.2844 0.3013 0.3498 0.3623" ;;
    lisa) echo "0.3189 0.3603 0.4136 0.4598" ;;
    med)  echo "0.5217 0.5283 0.6813 0.6900" ;;
    *)    echo "- - - -" ;;
    esac
}
best_baseline() {  # COLLECTION -> the better baseline MAP, or "-"
    baseline "$1" | awk '{ if ($1 == "-") print "-"; else print ($1 > $2 ? $1 : $2) }'
}

# The measures of one run: "map ndcg_cut_10 P_10 recall_1000".
measure() {  # DB COLLECTION [search eval options...]
    local db=$1 c=$2 out
    shift 2
    out=$("$SEARCH" eval --db "$db" --topics "$CORPORA/$c/topics.tsv" --qrels "$CORPORA/$c/qrels.txt" \
        -c --depth 1000 --threads "$THREADS" -m map -m ndcg_cut.10 -m P.10 -m recall.1000 "$@") || return 1
    echo "$out" |
        awk '{ v[$1] = $3 } END { printf "%s %s %s %s\n", v["map"], v["ndcg_cut_10"], v["P_10"], v["recall_1000"] }'
}

RESULTS=$TMP/results.tsv      # collection, setting, map, ndcg, p10, r1000
: >"$RESULTS"
record() {  # COLLECTION SETTING "map ndcg p10 r1000"
    [[ $3 =~ ^[0-9.]+\ [0-9.]+\ [0-9.]+\ [0-9.]+$ ]] || die "$1, $2: search eval failed"
    printf '%s\t%s\t%s\n' "$1" "$2" "$(echo "$3" | tr ' ' '\t')" >>"$RESULTS"
}

#### the title-weight indexer (only with --title-weights) ######################
if [ -n "$TITLE_WEIGHTS" ]; then
    LIBDIR=$BUILD/libsearch/.libs
    [ -f "$LIBDIR/libsearch.so" ] || die "--title-weights needs the shared library $LIBDIR/libsearch.so"
    cat >"$TMP/tw-index.c" <<'EOF'
/* Index one file like search-index does, with a given title weight. */
#include "libsearch.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: tw-index DB FILE TITLE_WEIGHT\n");
        return 2;
    }
    lsx_db_options o = LSX_DB_OPTIONS_INIT;
    o.title_weight = atof(argv[3]);
    lsx_db *db = NULL;
    lsx_reader *r = NULL;
    int status = 0, rc;
    if (lsx_db_open(&db, argv[1], LSX_DB_WRITABLE | LSX_DB_CREATE, &o) != LSX_OK) {
        fprintf(stderr, "tw-index: %s\n", db ? lsx_db_errmsg(db) : "out of memory");
        lsx_db_free(db);
        return 3;
    }
    if (lsx_reader_open(&r, argv[2], LSX_FORMAT_AUTO) != LSX_OK) {
        fprintf(stderr, "tw-index: %s\n", r ? lsx_reader_errmsg(r) : "out of memory");
        lsx_reader_free(r);
        lsx_db_free(db);
        return 2;
    }
    lsx_article a;
    while ((rc = lsx_reader_next(r, &a)) != LSX_DONE) {
        if (rc == LSX_EPARSE || rc == LSX_EIO) {
            fprintf(stderr, "tw-index: %s\n", lsx_reader_errmsg(r));
            status = 2;
            continue;
        }
        if (rc != LSX_OK) {
            fprintf(stderr, "tw-index: %s\n", lsx_reader_errmsg(r));
            status = 2;
            break;
        }
        if (lsx_db_add(db, &a, NULL) != LSX_OK) {
            fprintf(stderr, "tw-index: %s: %s\n", a.id ? a.id : "?", lsx_db_errmsg(db));
            status = 3;
            break;
        }
    }
    if (lsx_db_commit(db) != LSX_OK) {
        fprintf(stderr, "tw-index: %s\n", lsx_db_errmsg(db));
        status = 3;
    }
    lsx_reader_free(r);
    lsx_db_free(db);
    return status;
}
EOF
    ${CC:-cc} -std=c11 -O2 -Wall -Wextra -I"$SRC/libsearch" "$TMP/tw-index.c" -o "$TMP/tw-index" \
        "$LIBDIR/libsearch.so" -Wl,-rpath,"$LIBDIR" || die "cannot build the title-weight indexer"
fi

#### measuring ###################################################################
start_all=$(date +%s)
say "build $BUILD; collections:$present; k1 $K1_GRID, b $B_GRID; PRF $PRF_GRID"
GRID=$TMP/grid.tsv            # collection, k1, b, map (the sweeps)
PRFS=$TMP/prf.tsv             # collection, setting, map
: >"$GRID"
: >"$PRFS"
for c in $present; do
    t0=$(date +%s)
    db=$TMP/$c.db
    "$INDEX" --quiet --db "$db" "$CORPORA/$c/docs.trec" || die "$c: search-index failed"
    record "$c" defaults "$(measure "$db" "$c")"
    if [ "$SWEEP" = 1 ]; then
        "$SEARCH" eval --db "$db" --topics "$CORPORA/$c/topics.tsv" --qrels "$CORPORA/$c/qrels.txt" \
            -c --depth 1000 --threads "$THREADS" -m map --sweep "k1=$K1_GRID" --sweep "b=$B_GRID" \
            >"$TMP/$c.sweep" || die "$c: the sweep failed"
        awk -v c="$c" '/^[0-9]/ { print c "\t" $1 "\t" $2 "\t" $3 }' "$TMP/$c.sweep" >>"$GRID"
        read -r k1 b <<<"$(sed -n 's/^best: k1=\([^ ]*\) b=\([^ ]*\) .*/\1 \2/p' "$TMP/$c.sweep")"
        [ -n "$k1" ] || die "$c: no best line in the sweep"
        record "$c" "tuned k1=$k1 b=$b" "$(measure "$db" "$c" --k1 "$k1" --b "$b")"
    fi
    for p in $PRF_GRID; do
        m=$(measure "$db" "$c" --prf "$p") || die "$c: search eval --prf $p failed"
        printf '%s\t%s\t%s\n' "$c" "$p" "${m%% *}" >>"$PRFS"
    done
    for w in $TITLE_WEIGHTS; do
        rm -rf "$TMP/$c.tw.db"
        "$TMP/tw-index" "$TMP/$c.tw.db" "$CORPORA/$c/docs.trec" "$w" || die "$c: tw-index failed"
        record "$c" "title weight $w" "$(measure "$TMP/$c.tw.db" "$c")"
        rm -rf "$TMP/$c.tw.db"
    done
    say "$c done in $(( $(date +%s) - t0 )) s"
done

ncoll=$(echo $present | wc -w)
# The global k1/b: highest mean MAP over the collections (every collection swept).
if [ "$SWEEP" = 1 ]; then
    read -r gk1 gb gmean <<<"$(awk -v n="$ncoll" '
        { key = $2 " " $3; sum[key] += $4; cnt[key]++; if (!(key in order)) { order[key] = ++k; keys[k] = key } }
        END { best = -1; for (i = 1; i <= k; i++) { key = keys[i]; if (cnt[key] == n && sum[key] / n > best) { best = sum[key] / n; bk = key } }
              print bk, best }' "$GRID")"
    # The k1/b whose worst ratio to the better baseline is highest.
    basefile=$TMP/base.tsv
    : >"$basefile"
    for c in $present; do printf '%s\t%s\n' "$c" "$(best_baseline "$c")" >>"$basefile"; done
    read -r rk1 rb rmin <<<"$(awk -v n="$ncoll" '
        NR == FNR { base[$1] = $2; next }
        base[$1] != "-" { key = $2 " " $3; r = $4 / base[$1]
          if (!(key in mn) || r < mn[key]) mn[key] = r; cnt[key]++; if (!(key in order)) { order[key] = ++k; keys[k] = key } }
        END { best = -1; for (i = 1; i <= k; i++) { key = keys[i]; if (mn[key] > best) { best = mn[key]; bk = key } }
              print bk, best }' "$basefile" "$GRID")"
    for c in $present; do
        record "$c" "global k1=$gk1 b=$gb" "$(measure "$TMP/$c.db" "$c" --k1 "$gk1" --b "$gb")"
    done
fi
# The PRF setting with the highest mean relative MAP gain over the defaults.
best_prf=$(awk -F'\t' '
    NR == FNR { if ($2 == "defaults") base[$1] = $3; next }
    { g = $3 / base[$1] - 1; sum[$2] += g; if (!($2 in seen)) { seen[$2] = 1; keys[++k] = $2 } }
    END { best = -1e9; for (i = 1; i <= k; i++) if (sum[keys[i]] > best) { best = sum[keys[i]]; bp = keys[i] } print bp }' \
    "$RESULTS" "$PRFS")
for c in $present; do
    record "$c" "prf $best_prf" "$(measure "$TMP/$c.db" "$c" --prf "$best_prf")"
done

#### the table ####################################################################
echo
echo "## libsearch on the classic collections ($(date +%Y-%m-%d), $(( $(date +%s) - start_all )) s)"
echo
echo "Each topic's text as plain words joined by OR, 1,000 results per topic, trec_eval -c."
echo "'vs best' is MAP relative to the better of the two baselines."
echo
echo "| collection | setting | MAP | nDCG@10 | P@10 | recall@1000 | MAP vs best baseline |"
echo "|---|---|---|---|---|---|---|"
for c in $present; do
    read -r xm fm xn fn <<<"$(baseline "$c")"
    bb=$(best_baseline "$c")
    echo "| $c | Xapian direct (k1=1 b=0.5) | $xm | $xn | - | - | |"
    echo "| $c | FTS5 (k1=1.2 b=0.75) | $fm | $fn | - | - | |"
    for kind in defaults tuned global prf title; do
        awk -F'\t' -v c="$c" -v bb="$bb" -v kind="$kind" '$1 == c && index($2, kind) == 1 {
            vs = bb == "-" ? "-" : sprintf("%+.1f%%", ($3 / bb - 1) * 100)
            printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, vs }' "$RESULTS"
    done
done
echo
if [ "$SWEEP" = 1 ]; then
    printf 'global k1/b by mean MAP: k1=%s b=%s (mean MAP %.4f)\n' "$gk1" "$gb" "$gmean"
    printf 'global k1/b by worst MAP / best baseline: k1=%s b=%s (worst ratio %.3f)\n' "$rk1" "$rb" "$rmin"
fi
echo "PRF settings tried at the defaults (MAP; the best by mean gain is used above):"
awk -F'\t' '
    NR == FNR { if ($2 == "defaults") base[$1] = $3; next }
    { if (!($2 in seen)) { seen[$2] = 1; keys[++k] = $2 } m[$2] = m[$2] sprintf(" %s %s (%+.1f%%)", $1, $3, ($3 / base[$1] - 1) * 100) }
    END { for (i = 1; i <= k; i++) print "  " keys[i] ":" m[keys[i]] }' "$RESULTS" "$PRFS"
# How the defaults and PRF meet the targets.
awk -F'\t' -v list="$present" '
    BEGIN { n = split(list, cs, " ") }
    $2 == "defaults" { d[$1] = $3 } $2 ~ /^prf / { p[$1] = $3 }
    END {
        for (i = 1; i <= n; i++) { c = cs[i]; if (p[c] >= d[c] * 1.05) gain++ }
        printf "PRF adds at least 5%% MAP on %d of %d collections\n", gain, n
    }' "$RESULTS"
for c in $present; do
    bb=$(best_baseline "$c")
    [ "$bb" = - ] && continue
    awk -F'\t' -v c="$c" -v bb="$bb" '$1 == c && $2 == "defaults" { if ($3 >= bb) ok = 1 }
        END { if (!ok) printf "defaults below the better baseline on %s (%s)\n", c, bb }' "$RESULTS"
done
if [ "$KEEP" = 1 ]; then
    echo "(scratch files kept in $TMP)"
fi

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# fuzz/run.sh - run every libFuzzer target built by `make fuzz` for a while.
#
# Usage: run.sh SRCDIR OUTDIR [SECONDS]   (default 20 per target)
# Each target starts from a copy of its seed corpus (SRCDIR/fuzz/corpus/
# TARGET, in the tree) in OUTDIR/corpus/TARGET, so the tree stays clean.
# Exit status 1 if any target found a crash (its input is left in OUTDIR).
# Long runs outside CI: FUZZ_RUNS=N runs each target for N executions
# instead of SECONDS; FUZZ_MAX_LEN bounds an input (default 65536);
# FUZZ_TARGETS="fuzz-query ..." runs only those.  The corpus in OUTDIR
# grows from run to run; its size is printed with each result.
set -u
src=$1 out=$2 secs=${3:-20}
all="fuzz-query fuzz-reader-text fuzz-reader-trec fuzz-reader-jsonl fuzz-reader-html fuzz-qrels fuzz-run
     fuzz-topics fuzz-record"
if [ -n "${FUZZ_RUNS:-}" ]; then limit=-runs=$FUZZ_RUNS; else limit=-max_total_time=$secs; fi
status=0
for t in ${FUZZ_TARGETS:-$all}; do
    mkdir -p "$out/corpus/$t"
    [ -d "$src/fuzz/corpus/$t" ] && cp -n "$src/fuzz/corpus/$t"/* "$out/corpus/$t/" 2>/dev/null
    start=$(date +%s)
    if "$out/$t" "$limit" -rss_limit_mb=2048 -max_len="${FUZZ_MAX_LEN:-65536}" \
            -artifact_prefix="$out/$t-" "$out/corpus/$t" > "$out/$t.log" 2>&1; then
        echo "fuzz: $t: $(grep -E '^Done|#[0-9]+.*DONE' "$out/$t.log" | tail -n 1)," \
             "corpus $(ls "$out/corpus/$t" | wc -l) inputs, $(( $(date +%s) - start )) s"
    else
        echo "fuzz: $t: FAILED (see $out/$t.log)"
        tail -n 30 "$out/$t.log"
        status=1
    fi
done
exit $status

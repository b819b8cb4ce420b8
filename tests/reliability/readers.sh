#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# readers.sh - readers beside a writer that commits every few documents:
# no search, facet count, get or stats may fail (the library reopens and
# retries: lsx_db_set_retry; and a reader waits while the writer writes
# blocks: a read torn by a block being written found nothing, exit 1).
# LSX_READER_ROUNDS sets the number of reads (default 120).  A short run;
# bench/reliability/reader-writer.sh measures the same on reuters21578.
. "$top_srcdir/tests/cli/lib.sh"

rounds=${LSX_READER_ROUNDS:-120}
awk 'BEGIN {
    split("harbour rice export tariff monsoon ferry council budget drought bridge ministry vote", w, " ")
    for (i = 1; i <= 3000; i++) {
        printf "<DOC>\n<DOCNO>r%05d</DOCNO>\n<DATE>2020-%02d-%02d</DATE>\n<TITLE>Note %d: %s</TITLE>\n<TEXT>\n", i, i % 12 + 1, i % 28 + 1, i, w[i % 12 + 1]
        for (j = 0; j < 30; j++) printf "%s%s", w[(i * 7 + j * 5) % 12 + 1], (j % 10 == 9) ? "\n" : " "
        printf "</TEXT>\n</DOC>\n"
    }
}' > "$TMP/all.trec"
awk '/^<DOC>/ {n++} n <= 100' "$TMP/all.trec" > "$TMP/seed.trec"
DB=$TMP/db
run "$INDEX" --quiet --db "$DB" "$TMP/seed.trec"
is "$rc" 0 "seeded the database"

# The writer: every article replaced or added, a commit every 2; --force,
# or a rerun would find the file unchanged and write nothing; exec, so that
# the kill at the end stops search-index itself, not only its subshell.
writer() {
    exec "$INDEX" --quiet --force --batch 2 --threads 1 --db "$DB" "$TMP/all.trec" > /dev/null 2> "$TMP/writer.err"
}
writer &
wpid=$!
restarts=0
failed=0
i=0
: > "$TMP/errors"
while [ $i -lt "$rounds" ]; do
    if ! kill -0 $wpid 2>/dev/null; then
        wait $wpid
        restarts=$((restarts + 1))
        writer &
        wpid=$!
    fi
    case $((i % 4)) in
        0) "$SEARCH" --db "$DB" --limit 5 rice > /dev/null 2> "$TMP/err"; st=$? ;;
        1) "$SEARCH" --db "$DB" --limit 2 --facet date:month --facet entity:5 harbour > /dev/null 2> "$TMP/err"; st=$? ;;
        2) "$SEARCH" stats --db "$DB" > /dev/null 2> "$TMP/err"; st=$? ;;
        3) "$SEARCH" get --db "$DB" r00042 > /dev/null 2> "$TMP/err"; st=$? ;;
    esac
    if [ $st -ne 0 ]; then
        failed=$((failed + 1))
        cat "$TMP/err" >> "$TMP/errors"
    fi
    i=$((i + 1))
done
kill $wpid 2>/dev/null
wait $wpid 2>/dev/null
is "$failed" 0 "$rounds reads beside a writer committing every 2 articles: none failed"
[ -s "$TMP/errors" ] && head -n 5 "$TMP/errors" | diag
diag "the writer ran $((restarts + 1)) time(s) meanwhile"
done_testing

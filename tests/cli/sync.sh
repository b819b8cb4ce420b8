#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# sync.sh - re-running search-index on the same tree: files added, changed,
# deleted and renamed between runs.  After every run the database must hold
# exactly what a fresh index of the tree as it is then holds (same ids,
# titles, dates and bodies), and the counts must say what happened.
. "$top_srcdir/tests/cli/lib.sh"

if ! have_python; then
    skip_all "needs python3 to compare the documents that search get --json prints"
fi

T="$TMP/tree"
mkdir -p "$T/2023" "$T/2024"

article() {  # FILE DATE TITLE BODY
    printf ' date %s %s\n%s Every story here mentions the harbour.\n' "$2" "$3" "$4" >"$1"
}

# dump DB: every document (id, title, date, body), sorted by id
dump() {
    "$SEARCH" --db "$1" --json --limit 1000 harbour 2>/dev/null | json_ids /dev/stdin | sort >"$TMP/ids.$2"
    : >"$TMP/dump.$2"
    while read -r id; do
        "$SEARCH" get --db "$1" --json "$id" |
            python3 -c 'import json,sys
d = json.load(sys.stdin)
print(json.dumps([d["id"], d["title"], d["date"], d["date_source"], d["body"]], ensure_ascii=False))' >>"$TMP/dump.$2"
    done <"$TMP/ids.$2"
}

# same_as_fresh NAME: the synced database equals a fresh index of the tree
same_as_fresh() {
    rm -rf "$TMP/fresh"
    "$INDEX" --db "$TMP/fresh" "$T" >"$TMP/fresh.out" 2>&1
    dump "$TMP/db" sync
    dump "$TMP/fresh" fresh
    "$SEARCH" stats --db "$TMP/db" --json | sed 's/.*"documents":\([0-9]*\),.*/\1/' >"$TMP/n.sync"
    "$SEARCH" stats --db "$TMP/fresh" --json | sed 's/.*"documents":\([0-9]*\),.*/\1/' >"$TMP/n.fresh"
    ok "$1: as many documents as a fresh index ($(cat "$TMP/n.fresh"))" cmp -s "$TMP/n.sync" "$TMP/n.fresh"
    if ok "$1: the same documents as a fresh index" cmp -s "$TMP/dump.sync" "$TMP/dump.fresh"; then :; else
        diff "$TMP/dump.sync" "$TMP/dump.fresh" | diag
    fi
}

# Ids are paths below the tree (the folder of the first run)
DB="$TMP/db"
article "$T/2023/a.txt" 2023-01-05 "Alpha ferry" "The first ferry."
article "$T/2023/b.txt" 2023-02-06 "Bravo crane" "A crane arrived."
article "$T/2024/c.txt" 2024-03-07 "Charlie tug" "The tug is new."
cat >"$T/2024/d.trec" <<'EOF'
<DOC><DOCNO>D1</DOCNO><DATE>20240401</DATE><TITLE>Delta one</TITLE><TEXT>Dredging began. Every story here mentions the harbour.</TEXT></DOC>
<DOC><DOCNO>D2</DOCNO><DATE>20240402</DATE><TITLE>Delta two</TITLE><TEXT>Dredging paused. Every story here mentions the harbour.</TEXT></DOC>
EOF

run "$INDEX" --db "$DB" "$T"
is "$rc" 0 "first run: exit 0"
like "$TMP/out" '^indexed 5 documents \(5 added, 0 replaced\), 0 skipped$' "first run: 5 documents"
like "$TMP/out" '^files: 4 added, 0 updated, 0 unchanged, 0 removed$' "first run: 4 files added"
run "$SEARCH" get --db "$DB" 2024/c
is "$rc" 0 "first run: ids are paths below the tree (2024/c)"
same_as_fresh "first run"

run "$INDEX" --db "$DB" "$T"
is "$rc" 0 "unchanged tree: exit 0"
like "$TMP/out" '^indexed 0 documents' "unchanged tree: nothing read"
like "$TMP/out" '^files: 0 added, 0 updated, 4 unchanged, 0 removed$' "unchanged tree: 4 files unchanged"

# touched but not changed: the checksum says unchanged
sleep 1
touch "$T/2023/a.txt"
run "$INDEX" --db "$DB" "$T"
like "$TMP/out" '^files: 0 added, 0 updated, 4 unchanged, 0 removed$' "a touched file with the same bytes is unchanged"

# add, change, delete, rename; a TREC file loses a document
article "$T/2024/e.txt" 2024-05-08 "Echo pier" "A pier opened."
article "$T/2023/b.txt" 2023-02-06 "Bravo crane, updated" "The crane was moved."
rm "$T/2024/c.txt"
mv "$T/2023/a.txt" "$T/2023/a-renamed.txt"
cat >"$T/2024/d.trec" <<'EOF'
<DOC><DOCNO>D1</DOCNO><DATE>20240401</DATE><TITLE>Delta one, revised</TITLE><TEXT>Dredging began again. Every story here mentions the harbour.</TEXT></DOC>
EOF
run "$INDEX" --db "$DB" "$T"
is "$rc" 0 "changes without --prune: exit 0"
like "$TMP/out" '^files: 2 added, 2 updated, 0 unchanged, 0 removed, 2 gone \(their documents kept; --prune removes them\)$' \
    "without --prune gone files are reported and kept"
run "$INDEX" --db "$DB" --prune "$T"
is "$rc" 0 "--prune: exit 0"
like "$TMP/out" '^files: 0 added, 0 updated, 4 unchanged, 2 removed$' "--prune: the 2 gone files are removed"
like "$TMP/out" 'now holds 4 documents$' "--prune: 4 documents left (a-renamed, b, d D1, e)"
same_as_fresh "after add, change, delete and rename"
run "$SEARCH" get --db "$DB" D2
is "$rc" 1 "a document gone from a changed file is removed"
run "$SEARCH" get --db "$DB" 2024/c
is "$rc" 1 "a deleted file's document is removed"

# everything in one run with --prune
article "$T/2023/f.txt" 2023-06-09 "Foxtrot buoy" "A buoy was replaced."
rm "$T/2023/b.txt"
mv "$T/2024/e.txt" "$T/2023/e.txt"
run "$INDEX" --db "$DB" --prune "$T"
is "$rc" 0 "one run with --prune: exit 0"
like "$TMP/out" '^files: 2 added, 0 updated, 2 unchanged, 2 removed$' "one run with --prune: counts"
same_as_fresh "after a second round of changes"

# a run on a subfolder prunes only below it
rm "$T/2024/d.trec"
run "$INDEX" --db "$DB" --prune "$T/2023"
like "$TMP/out" '^files: 0 added, 0 updated, 3 unchanged, 0 removed$' "--prune on a subfolder leaves files outside it alone"
run "$SEARCH" get --db "$DB" D1
is "$rc" 0 "... D1 (outside it) is still there"
run "$INDEX" --db "$DB" --prune "$T"
like "$TMP/out" '^files: 0 added, 0 updated, 3 unchanged, 1 removed$' "--prune on the root removes it"
same_as_fresh "after pruning from the root"

# --exclude
article "$T/2023/skip.bak" 2023-07-01 "Backup" "Not wanted."
run "$INDEX" --db "$DB" --exclude '*.bak' "$T"
like "$TMP/out" '^files: 0 added, 0 updated, 3 unchanged, 0 removed$' "--exclude leaves the file out"
run "$SEARCH" get --db "$DB" 2023/skip
is "$rc" 1 "... it is not indexed"

done_testing

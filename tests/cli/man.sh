#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# man.sh - the man pages format without a groff warning, and they document
# every option the programs' --help lists (and the reverse for search eval).
. "$top_srcdir/tests/cli/lib.sh"
for m in search.1 search-index.1 libsearch.3; do
    if command -v groff >/dev/null 2>&1; then
        groff -man -ww -z "$top_srcdir/man/$m" > "$TMP/groff" 2>&1
        is "$(cat "$TMP/groff")" "" "groff -man -ww: no warning in $m"
    else
        skip "groff -man -ww: no warning in $m" "no groff"
    fi
done
# Long options of --help, as the man page spells them (\-\- for --).
opts() { grep -oE -- '--[a-z][a-z0-9-]*' | sort -u; }
check() {  # PAGE HELP-COMMAND...
    page=$1; shift
    "$@" 2>/dev/null | opts > "$TMP/help-opts"
    sed 's/\\-/-/g' "$top_srcdir/man/$page" | opts > "$TMP/man-opts"
    missing=$(comm -23 "$TMP/help-opts" "$TMP/man-opts" | tr '\n' ' ')
    is "$missing" "" "$page documents every option of '$(echo "$@" | sed "s|$top_builddir/||")'"
}
check search.1 "$SEARCH" --help
check search.1 "$SEARCH" eval --help
check search-index.1 "$INDEX" --help
# -h works wherever --help does.
for cmd in "$SEARCH" "$SEARCH eval" "$INDEX"; do
    $cmd -h > "$TMP/h" 2>&1
    rc=$?
    is "$rc $(head -c 6 "$TMP/h")" "0 Usage:" "'$(echo "$cmd" | sed "s|$top_builddir/||") -h' prints the usage"
done
done_testing

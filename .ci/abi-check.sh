#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# .ci/abi-check.sh [OLD_REF] - is the working tree's libsearch.so compatible
# with the last release's?
#
# Builds the library of OLD_REF (default: the newest tag v*) and of the
# working tree as it is (tracked files, uncommitted changes included), with
# debug information, and compares the two shared objects with abidiff
# (Debian: abigail-tools), looking only at types reachable from the public
# header libsearch.h.  Exit status:
#   0  no change, or only compatible ones (functions added, structs the
#      library allocates grown at the end), or no release tag yet;
#   1  an incompatible change while the soname stayed the same (the rules
#      of docs/ABI.md were broken: raise the soname or undo the change);
#   2  the check could not run (no abidiff, a build failed).
# An incompatible change that comes with a new soname is reported and
# accepted (a new major version).
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
old=${1:-$(git describe --tags --abbrev=0 --match 'v[0-9]*' 2>/dev/null || true)}
if [ -z "$old" ]; then
    echo "abi-check: no release tag (v*) yet, nothing to compare with"
    exit 0
fi
command -v abidiff >/dev/null 2>&1 || { echo "abi-check: abidiff not found (apt-get install abigail-tools)"; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/lsx-abi.XXXXXX")
# ABI_KEEP=1 keeps the two builds and the report (their folder is printed).
if [ -n "${ABI_KEEP:-}" ]; then echo "abi-check: working in $work"; else trap 'rm -rf "$work"' EXIT; fi

mkdir -p "$work/old" "$work/new" "$work/h-old" "$work/h-new"
git archive --format=tar "$old" | tar -x -C "$work/old" || { echo "abi-check: cannot read $old"; exit 2; }
# The working tree: tracked and new (not ignored) files that exist.
git ls-files -z -c -o --exclude-standard | while IFS= read -r -d '' f; do
    [ -e "$f" ] && printf '%s\0' "$f"
done | tar --null -T - -c | tar -x -C "$work/new"

build() {  # DIR NAME
    ( cd "$1" && ./autogen.sh && ./configure --disable-static CFLAGS='-g -O1' CXXFLAGS='-g -O1' &&
      make -j2 libsearch/libsearch.la ) > "$work/$2.log" 2>&1 ||
        { echo "abi-check: building $2 failed:"; tail -n 20 "$work/$2.log"; exit 2; }
}
echo "abi-check: building $old and the working tree"
build "$work/old" "$old"
build "$work/new" "working tree"
so_old=$(readlink -f "$work/old/libsearch/.libs/libsearch.so")
so_new=$(readlink -f "$work/new/libsearch/.libs/libsearch.so")
cp "$work/old/libsearch/libsearch.h" "$work/h-old/"
cp "$work/new/libsearch/libsearch.h" "$work/h-new/"
soname() { objdump -p "$1" | awk '$1 == "SONAME" {print $2}'; }
sn_old=$(soname "$so_old")
sn_new=$(soname "$so_new")

abidiff --headers-dir1 "$work/h-old" --headers-dir2 "$work/h-new" --drop-private-types \
    "$so_old" "$so_new" > "$work/report" 2>&1
rc=$?
cat "$work/report"
# abidiff flags removed symbols as incompatible (8) but other changes (a
# moved field, a changed parameter) only as changes (4).  Under libsearch's
# rules (docs/ABI.md) a change is compatible when functions were only added
# and structs only grew at their end (data members inserted after the last
# one, none moved or changed); anything else reported counts as incompatible.
removed=$(sed -n 's/^\(Functions\|Variables\|Function symbols\|Variable symbols\) changes summary: \([0-9]*\) Removed.*/\2/p' "$work/report" |
    awk '{ r += $1 } END { print r + 0 }')
bad=$(grep -E 'data member changes?:|data member deletions?:|offset changed|enumerator (changes?|deletions?):|parameters? .*(added|removed|deleted)|type name changed|underlying type .* changed from' "$work/report" | head -n 3)
if [ $((rc & 3)) -ne 0 ]; then
    echo "abi-check: abidiff failed (status $rc)"
    exit 2
elif [ $((rc & 8)) -ne 0 ] || [ "$removed" -gt 0 ] || [ -n "$bad" ]; then
    if [ "$sn_old" = "$sn_new" ]; then
        echo "abi-check: INCOMPATIBLE change against $old with the same soname $sn_new"
        exit 1
    fi
    echo "abi-check: incompatible change against $old, with a new soname ($sn_old -> $sn_new): accepted"
elif [ $((rc & 4)) -ne 0 ]; then
    echo "abi-check: compatible changes against $old (functions added, structs grown at the end)"
else
    echo "abi-check: no ABI change against $old"
fi
exit 0

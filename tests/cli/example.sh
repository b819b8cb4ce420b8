#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# example.sh - the C example builds against the public header and works.
EX="$top_builddir/examples/basic"
if [ ! -x "$EX" ]; then
    echo "1..0 # SKIP examples/basic was not built"
    exit 0
fi
echo "1..3"
db="$top_builddir/tests/tmp/example.$$"
rm -rf "$db"
out=$("$EX" "$db" 2>&1); rc=$?
[ $rc -eq 0 ] && echo "ok 1 - example runs and finds something" || echo "not ok 1 - example exit $rc: $out"
printf '%s\n' "$out" | grep -q "floods-2023" && echo "ok 2 - finds the English article" || echo "not ok 2 - English article missing: $out"
printf '%s\n' "$out" | grep -q "lu-lut-2023" && echo "ok 3 - finds the Vietnamese article without diacritics" || echo "not ok 3 - Vietnamese article missing: $out"
rm -rf "$db"

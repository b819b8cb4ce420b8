#!/bin/sh
# symbols.sh - the shared library exports exactly the functions declared in libsearch.h.
LIB="$top_builddir/libsearch/.libs/libsearch.so"
if [ ! -f "$LIB" ] || ! command -v nm >/dev/null 2>&1; then
    echo "1..0 # SKIP no shared library or no nm"
    exit 0
fi
echo "1..3"
tmp="${TMPDIR:-/tmp}/lsx-symbols.$$"
mkdir -p "$tmp"
nm -D --defined-only "$LIB" | awk '$2 ~ /^[TDBRVW]$/ {print $3}' | sed 's/@.*//' | sort -u > "$tmp/exported"
# Declared functions: names followed by "(" on LSX_EXTERN lines (declarations may wrap).
tr '\n' ' ' < "$top_srcdir/libsearch/libsearch.h" | sed 's/;/;\n/g' | grep 'LSX_EXTERN' |
    sed -n 's/.*[ *]\(lsx_[a-z0-9_]*\)[ ]*(.*/\1/p' | sort -u > "$tmp/declared"
bad=$(grep -v '^lsx_' "$tmp/exported" | grep -v '^_' | head -5)
[ -z "$bad" ] && echo "ok 1 - only lsx_ symbols are exported" || echo "not ok 1 - foreign exports: $bad"
missing=$(comm -23 "$tmp/declared" "$tmp/exported" | tr '\n' ' ')
[ -z "$missing" ] && echo "ok 2 - every declared function is exported" || echo "not ok 2 - declared but not exported: $missing"
extra=$(comm -13 "$tmp/declared" "$tmp/exported" | grep '^lsx_' | tr '\n' ' ')
[ -z "$extra" ] && echo "ok 3 - nothing exported that the header does not declare" || echo "not ok 3 - exported but undeclared: $extra"
rm -rf "$tmp"

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# symbols.sh - what the libraries export: the shared library exactly the
# functions declared in libsearch.h (as listed in the version script); the
# static library nothing outside the public names and the reserved lsx__
# prefix, apart from C++ vague-linkage copies (templates and typeinfo of the
# standard library and Xapian, which the linker merges).
LIB="$top_builddir/libsearch/.libs/libsearch.so"
ARCHIVE="$top_builddir/libsearch/.libs/libsearch.a"
MAP="$top_srcdir/libsearch/libsearch.map"
if ! command -v nm >/dev/null 2>&1; then
    echo "1..0 # SKIP no nm"
    exit 0
fi
echo "1..7"
tmp="${TMPDIR:-/tmp}/lsx-symbols.$$"
mkdir -p "$tmp"
# Declared functions: names followed by "(" on LSX_EXTERN lines (declarations may wrap).
tr '\n' ' ' < "$top_srcdir/libsearch/libsearch.h" | sed 's/;/;\n/g' | grep 'LSX_EXTERN' |
    sed -n 's/.*[ *]\(lsx_[a-z0-9_]*\)[ ]*(.*/\1/p' | sort -u > "$tmp/declared"
sed -n 's/^ *\(lsx_[a-z0-9_]*\);$/\1/p' "$MAP" | sort -u > "$tmp/listed"
diff=$(comm -3 "$tmp/declared" "$tmp/listed" | tr -d '\t' | tr '\n' ' ')
[ -z "$diff" ] && echo "ok 1 - the version script lists exactly the declared functions" ||
    echo "not ok 1 - version script and header differ on: $diff"

if [ -f "$LIB" ]; then
    nm -D --defined-only "$LIB" | awk '$2 != "A" {print $3}' | sed 's/@.*//' | sort -u > "$tmp/exported"
    bad=$(comm -13 "$tmp/declared" "$tmp/exported" | head -5 | tr '\n' ' ')
    [ -z "$bad" ] && echo "ok 2 - the shared library exports nothing the header does not declare" ||
        echo "not ok 2 - exported but undeclared: $bad"
    missing=$(comm -23 "$tmp/declared" "$tmp/exported" | tr '\n' ' ')
    [ -z "$missing" ] && echo "ok 3 - every declared function is exported" ||
        echo "not ok 3 - declared but not exported: $missing"
    unversioned=$(nm -D --defined-only --with-symbol-versions "$LIB" 2>/dev/null | awk '$2 != "A" && $3 !~ /@@?LIBSEARCH_/ {print $3}' | head -3)
    if nm -D --with-symbol-versions /dev/null 2>&1 | grep -q "unrecognized"; then
        echo "ok 4 # SKIP nm cannot show symbol versions"
    else
        [ -z "$unversioned" ] && echo "ok 4 - every export carries a LIBSEARCH_ version" ||
            echo "not ok 4 - exports without a version: $unversioned"
    fi
else
    echo "ok 2 # SKIP no shared library (--disable-shared)"
    echo "ok 3 # SKIP no shared library (--disable-shared)"
    echo "ok 4 # SKIP no shared library (--disable-shared)"
fi

if [ -f "$ARCHIVE" ]; then
    # Strong definitions (code and data): public or lsx__.
    nm -g --defined-only "$ARCHIVE" | awk 'NF == 3 && $2 !~ /^[VWuv]$/ {print $3}' | sort -u > "$tmp/strong"
    # C++ names are read demangled: lsx__xs::fail(...) is in the reserved namespace.
    if command -v c++filt >/dev/null 2>&1; then demangle=c++filt; else demangle=cat; fi
    bad=$($demangle < "$tmp/strong" | grep -v '^lsx__' | sort | comm -23 - "$tmp/declared" | head -8 | tr '\n' ' ')
    [ -z "$bad" ] && echo "ok 5 - libsearch.a defines only public names and lsx__ ones ($(wc -l < "$tmp/strong") symbols)" ||
        echo "not ok 5 - libsearch.a defines names outside the API and lsx__: $bad"
    # Weak (vague linkage) definitions: instantiations of std, Xapian or our own lsx__ types.
    nm -g --defined-only "$ARCHIVE" | awk 'NF == 3 && $2 ~ /^[VWuv]$/ {print $3}' | sort -u > "$tmp/weak"
    if command -v c++filt >/dev/null 2>&1; then
        bad=$(c++filt < "$tmp/weak" |
            sed -E 's/^(typeinfo name for|typeinfo for|vtable for|guard variable for|VTT for) //; s/^(void|bool|int|unsigned long|char) //' |
            grep -Ev '^(std::|__gnu_cxx::|Xapian::|lsx__|DW\.ref\.)' | head -5 | tr '\n' ' ')
        [ -z "$bad" ] && echo "ok 6 - its weak definitions are standard library, Xapian or lsx__ ($(wc -l < "$tmp/weak"))" ||
            echo "not ok 6 - weak definitions outside std, Xapian and lsx__: $bad"
    else
        echo "ok 6 # SKIP no c++filt"
    fi
    bad=$(grep '^lsx_[a-z]' "$tmp/strong" | comm -23 - "$tmp/declared" | head -5 | tr '\n' ' ')
    [ -z "$bad" ] && echo "ok 7 - no undeclared lsx_ name (internal ones use lsx__)" ||
        echo "not ok 7 - undeclared lsx_ names: $bad"
else
    echo "ok 5 # SKIP no static library (--disable-static)"
    echo "ok 6 # SKIP no static library (--disable-static)"
    echo "ok 7 # SKIP no static library (--disable-static)"
fi
rm -rf "$tmp"

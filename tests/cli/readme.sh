#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# readme.sh - README.md runs as written: every command shown after "$ " in an
# indented block is run, in order, in a fresh directory that looks like the
# top of the source tree after building (data/ and tests/ of the sources,
# ./search and ./search-index of the build, LSX_GAZETTEER exported as the
# README says), and its output (stdout and stderr) must be the lines shown
# under it.  The README's C program is compiled against the public header,
# linked with the built library and run.
. "$top_srcdir/tests/cli/lib.sh"
README="$top_srcdir/README.md"
work="$TMP/work"
mkdir -p "$work" "$TMP/blocks"
ln -s "$top_srcdir/data" "$work/data"
ln -s "$top_srcdir/tests" "$work/tests"
for p in search search-index; do
    printf '#!/bin/sh\nexec "%s/%s" "$@"\n' "$top_builddir" "$p" > "$work/$p"
    chmod +x "$work/$p"
done
LSX_GAZETTEER="$top_srcdir/data/gazetteer.tsv"
export LSX_GAZETTEER

# The commands: cmd-N holds the N-th "$ " line of an indented block, with
# continuation lines ("\" at the end) joined.
awk -v dir="$TMP/blocks" '
    /^    \$ / {
        n++; cmd = dir "/cmd-" n; line = substr($0, 7)
        while (line ~ /\\$/) { getline nxt; sub(/^ +/, "", nxt); line = substr(line, 1, length(line) - 1) " " nxt }
        print line > cmd; close(cmd)
    }
' "$README"
count=$(ls "$TMP/blocks" | grep -c '^cmd-')
[ "$count" -gt 0 ] || skip_all "README.md has no \$ commands"
diag "README.md: $count commands"

# exp-N: the lines shown under the N-th command, up to the next command or
# the end of the block (blank lines inside the block kept).
awk -v dir="$TMP/blocks" '
    /^    \$ / { n++; out = dir "/exp-" n; printf "" > out; inblock = 1; held = ""
               while ($0 ~ /\\$/) getline; next }
    inblock && /^    / { printf "%s%s\n", held, substr($0, 5) > out; held = ""; next }
    inblock && /^$/ { held = held "\n"; next }
    { inblock = 0; held = "" }
' "$README"

i=1
while [ "$i" -le "$count" ]; do
    cmd=$(cat "$TMP/blocks/cmd-$i")
    # (blank lines at the end of an output are not shown in the README)
    ( cd "$work" && sh -c "$cmd" ) 2>&1 | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' > "$TMP/blocks/got-$i"
    if cmp -s "$TMP/blocks/got-$i" "$TMP/blocks/exp-$i"; then
        _tap_result 0 "README: \$ $cmd"
    else
        _tap_result 1 "README: \$ $cmd"
        diff "$TMP/blocks/exp-$i" "$TMP/blocks/got-$i" | head -n 20 | diag
    fi
    i=$((i + 1))
done

# The C program.
CC=${CC:-cc}
sed -n '/^```c$/,/^```$/p' "$README" | sed '1d;$d' > "$TMP/example.c"
want=$(sed -n 's/^It prints `\(.*\)`\. .*/\1/p' "$README")
ok "README has a C program and says what it prints" test -s "$TMP/example.c" -a -n "$want"
lib="$top_builddir/libsearch/.libs"
# (with the build's CFLAGS and LDFLAGS: a sanitizer build needs its runtime)
$CC -std=c11 -Wall -Wextra -Werror ${CFLAGS:-} -I"$top_srcdir/libsearch" -o "$TMP/example" "$TMP/example.c" \
    ${LDFLAGS:-} -L"$lib" -lsearch -Wl,-rpath,"$lib" > "$TMP/cc.log" 2>&1
ok "README's C program compiles against libsearch.h without warnings" test $? -eq 0 || diag < "$TMP/cc.log"
( cd "$work" && "$TMP/example" ) > "$TMP/out" 2>&1
is "$(cat "$TMP/out")" "$want" "README's C program prints what the README says"
done_testing

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# install.sh - an installed libsearch works on its own: `make install` into a
# staging directory (DESTDIR), then examples/basic.c is compiled against the
# installed header with pkg-config and run, linked dynamically and statically
# (pkg-config --static); the installed library holds no build-tree path, the
# docs, example and man pages are installed, and `make uninstall` leaves
# nothing behind.
. "$top_srcdir/tests/cli/lib.sh"
command -v pkg-config >/dev/null 2>&1 || skip_all "no pkg-config"
CC=${CC:-cc}
command -v "${CC%% *}" >/dev/null 2>&1 || CC=cc
MAKE=${MAKE:-make}
dest="$TMP/dest"
( cd "$top_builddir" && $MAKE install DESTDIR="$dest" ) > "$TMP/install.log" 2>&1
ok "make install DESTDIR=... succeeds" test $? -eq 0 || { diag < "$TMP/install.log"; done_testing; }

# The configured directories, as the Makefile has them.
var() { sed -n "s|^$1 = ||p" "$top_builddir/Makefile" | head -n 1; }
prefix=$(var prefix)
expand() {  # resolve ${prefix}-style references (one level at a time)
    v=$1
    for _ in 1 2 3 4; do
        v=$(printf '%s' "$v" | sed -e "s|\${prefix}|$prefix|g" -e "s|\${exec_prefix}|$prefix|g" \
            -e "s|\${datarootdir}|$prefix/share|g" -e "s|\${PACKAGE_TARNAME}|libsearch|g" \
            -e "s|\$(prefix)|$prefix|g" -e "s|\$(exec_prefix)|$prefix|g" -e "s|\$(datarootdir)|$prefix/share|g" \
            -e "s|\$(PACKAGE_TARNAME)|libsearch|g")
    done
    printf '%s' "$v"
}
libdir=$(expand "$(var libdir)")
includedir=$(expand "$(var includedir)")
docdir=$(expand "$(var docdir)")
mandir=$(expand "$(var mandir)")
pkgdatadir="$prefix/share/libsearch"

for f in "$includedir/libsearch.h" "$libdir/pkgconfig/libsearch.pc" "$pkgdatadir/gazetteer.tsv" \
         "$docdir/README.md" "$docdir/NEWS" "$docdir/LICENSE" "$docdir/COPYING" "$docdir/ABI.md" \
         "$docdir/examples/basic.c" "$mandir/man1/search.1" "$mandir/man3/libsearch.3"; do
    ok "installed: ${f#$prefix/}" test -f "$dest$f"
done

# No data path of the build or source tree in the installed library or
# programs: neither folder itself nor anything under their data/ (source file
# names are allowed: debug information and sanitizer builds name them).
for f in "$dest$libdir"/libsearch.so.*.*.* "$dest$prefix/bin/search" "$dest$prefix/bin/search-index"; do
    [ -f "$f" ] || continue
    # (read without debug information, which `strip --strip-debug` removes)
    if command -v objcopy >/dev/null 2>&1 && objcopy --strip-debug "$f" "$TMP/stripped" 2>/dev/null; then
        strings "$TMP/stripped" > "$TMP/strings"
    else
        strings "$f" > "$TMP/strings"
    fi
    leak=$(grep -F -e "$top_srcdir/data" -e "$top_builddir/data" "$TMP/strings" | head -n 2)
    leak2=$(grep -x -F -e "$top_srcdir" -e "$top_builddir" -e "$top_srcdir/" -e "$top_builddir/" "$TMP/strings" | head -n 2)
    is "$leak$leak2" "" "no build-tree data path in ${f##*/}"
done

# pkg-config from the staging directory: the sysroot prefixes -I and -L.
export PKG_CONFIG_PATH="$dest$libdir/pkgconfig"
export PKG_CONFIG_SYSROOT_DIR="$dest"
cflags=$(pkg-config --cflags libsearch)
libs=$(pkg-config --libs libsearch)
slibs=$(pkg-config --static --libs libsearch)
ok "pkg-config --static lists Xapian's own dependencies (-luuid via Requires.private)" \
    sh -c "printf '%s\n' '$slibs' | grep -q -e '-luuid'"
export LSX_GAZETTEER="$dest$pkgdatadir/gazetteer.tsv"

# Dynamic.
# (with the build's CFLAGS and LDFLAGS: a sanitizer build needs its runtime)
$CC ${CFLAGS:-} -o "$TMP/basic-dyn" "$top_srcdir/examples/basic.c" $cflags ${LDFLAGS:-} $libs > "$TMP/cc.log" 2>&1
ok "basic.c compiles against the installed header and links with pkg-config" test $? -eq 0 || diag < "$TMP/cc.log"
run env LD_LIBRARY_PATH="$dest$libdir" "$TMP/basic-dyn" "$TMP/db-dyn"
is "$rc" 0 "... it runs (exit 0)"
like "$TMP/out" '^1\. .*\((floods-2023|lu-lut-2023), ' "... and finds the articles"
ldd_out=$(env LD_LIBRARY_PATH="$dest$libdir" ldd "$TMP/basic-dyn" 2>/dev/null | grep 'libsearch\.so')
case "$ldd_out" in
    *"$dest$libdir/libsearch.so."*) _tap_result 0 "the installed libsearch.so is the one loaded" ;;
    *) _tap_result 1 "the installed libsearch.so is the one loaded"; diag "ldd: $ldd_out" ;;
esac

# Static: the same flags with --static, libsearch itself taken from libsearch.a.
if [ -f "$dest$libdir/libsearch.a" ]; then
    sflags=$(printf '%s\n' "$slibs" | sed 's/-lsearch\b/-Wl,-Bstatic -lsearch -Wl,-Bdynamic/')
    $CC ${CFLAGS:-} -o "$TMP/basic-static" "$top_srcdir/examples/basic.c" $cflags ${LDFLAGS:-} $sflags > "$TMP/cc.log" 2>&1
    ok "basic.c links statically with pkg-config --static" test $? -eq 0 || diag < "$TMP/cc.log"
    needs=$(ldd "$TMP/basic-static" 2>/dev/null | grep -c 'libsearch\.so')
    is "$needs" 0 "... without libsearch.so"
    run "$TMP/basic-static" "$TMP/db-static"
    is "$rc" 0 "... it runs (exit 0)"
    like "$TMP/out" '^1\. .*\((floods-2023|lu-lut-2023), ' "... and finds the articles"
else
    skip "static link" "no libsearch.a (--disable-static)"
fi

( cd "$top_builddir" && $MAKE uninstall DESTDIR="$dest" ) > "$TMP/uninstall.log" 2>&1
ok "make uninstall succeeds" test $? -eq 0
left=$(find "$dest$prefix" -mindepth 1 2>/dev/null | head -n 5 | tr '\n' ' ')
is "$left" "" "make uninstall leaves no file or folder under the prefix"
done_testing

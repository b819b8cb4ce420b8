#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# version.sh - one release number: LSX_VERSION_STRING in libsearch.h is the
# source; configure's version, the header's MAJOR/MINOR/PATCH, lsx_version()
# (through search --version), libsearch.pc and the man pages agree with it,
# and the shared object's name follows the libtool version in configure.ac.
. "$top_srcdir/tests/cli/lib.sh"
H="$top_srcdir/libsearch/libsearch.h"
v=$(sed -n 's/^#define LSX_VERSION_STRING "\(.*\)"$/\1/p' "$H")
maj=$(sed -n 's/^#define LSX_VERSION_MAJOR \([0-9]*\)$/\1/p' "$H")
min=$(sed -n 's/^#define LSX_VERSION_MINOR \([0-9]*\)$/\1/p' "$H")
pat=$(sed -n 's/^#define LSX_VERSION_PATCH \([0-9]*\)$/\1/p' "$H")
is "$maj.$min.$pat" "$v" "MAJOR.MINOR.PATCH spell LSX_VERSION_STRING ($v)"
pkgv=$(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' "$top_builddir/config.h")
is "$pkgv" "$v" "configure's version is the header's"
run "$SEARCH" --version
first=$(sed -n 2p "$TMP/out")
is "$first" "libsearch $v, Xapian $(xapian-config --version 2>/dev/null | sed 's/.* //')" "lsx_version() and lsx_xapian_version() at run time"
pcv=$(sed -n 's/^Version: //p' "$top_builddir/libsearch.pc")
is "$pcv" "$v" "libsearch.pc's version"
# libtool current:revision:age -> libsearch.so.(current - age)
lt=$(sed -n 's/^AC_SUBST(\[LSX_LT_VERSION\], \[\([0-9:]*\)\])$/\1/p' "$top_srcdir/configure.ac")
cur=${lt%%:*}; age=${lt##*:}
dl=$(sed -n "s/^dlname='\(.*\)'$/\1/p" "$top_builddir/libsearch/libsearch.la")
if [ -n "$dl" ]; then
    is "$dl" "libsearch.so.$((cur - age))" "the soname follows -version-info $lt"
else
    skip "the soname follows -version-info $lt" "no shared library"
fi
# The version script's newest node is this release or older (never a future one).
node=$(sed -n 's/^LIBSEARCH_\([0-9.]*\) {.*/\1/p' "$top_srcdir/libsearch/libsearch.map" | tail -n 1)
newest=$(printf '%s\n%s\n' "$node" "$v" | sort -t. -k1,1n -k2,2n -k3,3n | tail -n 1)
is "$newest" "$v" "the version script's newest node ($node) is not newer than the release"
# NEWS has an entry for this release.
ok "NEWS has an entry for $v" grep -q "^$v " "$top_srcdir/NEWS"
done_testing

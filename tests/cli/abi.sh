#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# abi.sh - programs built against an older libsearch.h keep working with
# this library (tests/abi/README.md): tests/abi/old-app, compiled against
# tests/abi/v0.2.0/libsearch.h, is run and its checks reported here.
. "$top_srcdir/tests/cli/lib.sh"
APP="$top_builddir/tests/abi/old-app-0.2.0"
[ -x "$APP" ] || skip_all "tests/abi/old-app-0.2.0 was not built"
run "$APP" "$TMP"
is "$rc" 0 "an application built against the 0.2.0 header runs with libsearch $(sed -n 's/^#define LSX_VERSION_STRING "\(.*\)"$/\1/p' "$top_srcdir/libsearch/libsearch.h")"
diag < "$TMP/out"
while IFS= read -r line; do
    case "$line" in
        "ok - "*) _tap_result 0 "0.2.0 app: ${line#ok - }" ;;
        "not ok - "*) _tap_result 1 "0.2.0 app: ${line#not ok - }" ;;
    esac
done < "$TMP/out"
done_testing

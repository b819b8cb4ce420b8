#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# licence.sh - the licence travels with the code: LICENSE and COPYING are
# there, and every source file of the library, the programs, the tests and
# the fuzz targets opens with the project's SPDX line (generated tables
# such as libsearch/names.inc are data and are left out).
. "$top_srcdir/tests/cli/lib.sh"
ok "LICENSE is there" test -s "$top_srcdir/LICENSE"
ok "COPYING holds the GPL version 2" grep -q 'GNU GENERAL PUBLIC LICENSE' "$top_srcdir/COPYING"
missing=$(cd "$top_srcdir" && find libsearch cli index tests/unit tests/abi fuzz examples bench \
              \( -name '*.c' -o -name '*.h' -o -name '*.cc' -o -name '*.hh' \) -print 2>/dev/null |
          while read -r f; do
              head -n 3 "$f" | grep -q 'SPDX-License-Identifier: GPL-2.0-or-later' || echo "$f"
          done)
is "$missing" "" "every C and C++ source file carries the SPDX line"
done_testing

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# lib.sh - helpers for the command-line tests, which speak TAP.
#
# Source it first thing:   . "$top_srcdir/tests/cli/lib.sh"
#
#   run CMD ARG...        run a command; its stdout is in $TMP/out, stderr in
#                         $TMP/err and the exit status in $rc
#   ok NAME CMD ARG...    pass if the command succeeds, e.g. ok "made db" test -d "$TMP/db"
#   is GOT WANT NAME      pass if the two strings are equal
#   like FILE REGEX NAME  pass if a line of FILE matches the extended REGEX
#   unlike FILE REGEX NAME  pass if no line does
#   diag LINE...          print lines (or standard input) as TAP comments
#   skip NAME REASON      a skipped test
#   skip_all REASON       plan no tests and exit
#   done_testing          print the plan and exit (1 if a test failed)
#   have_shared           true if $LSX_SHARED/seeds exists
#   have_python           true if python3 can be run
#   have_script           true if util-linux script(1) can give a command a terminal
#   json_lines_ok FILE NAME  pass if every line of FILE is a JSON object
#   json_ids FILE, json_field FILE NAME   fields of the result lines of search --json
#
# Paths: $SEARCH and $INDEX are the programs, $SAMPLE the sample corpus and
# $TMP a scratch directory ($top_builddir/tests/tmp/NAME), removed at exit.

if [ -z "$top_srcdir" ] || [ -z "$top_builddir" ]; then
    echo "Bail out! set top_srcdir and top_builddir (or run the test with 'make check')"
    exit 1
fi
SEARCH="$top_builddir/search"
INDEX="$top_builddir/search-index"
SAMPLE="$top_srcdir/data/sample"
TMP="$top_builddir/tests/tmp/$(basename "$0" .sh)"
# The programs must not pick up a database from the caller's environment.
unset SEARCH_DB
rm -rf "$TMP" && mkdir -p "$TMP" || { echo "Bail out! cannot create $TMP"; exit 1; }
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' HUP INT TERM

_tap_n=0
_tap_failed=0

_tap_result() {  # STATUS NAME
    _tap_n=$((_tap_n + 1))
    if [ "$1" -eq 0 ]; then
        echo "ok $_tap_n - $2"
    else
        echo "not ok $_tap_n - $2"
        _tap_failed=$((_tap_failed + 1))
    fi
    return "$1"
}

diag() {  # LINE... (or standard input when there are none)
    if [ $# -gt 0 ]; then
        printf '%s\n' "$@" | sed 's/^/# /'
    else
        sed 's/^/# /'
    fi
}

run() {
    "$@" >"$TMP/out" 2>"$TMP/err"
    rc=$?
}

ok() {  # NAME CMD...
    _ok_name=$1
    shift
    if "$@" >/dev/null 2>&1; then
        _tap_result 0 "$_ok_name"
    else
        _tap_result 1 "$_ok_name"
        diag "command failed: $*"
        return 1
    fi
}

is() {
    if [ "$1" = "$2" ]; then
        _tap_result 0 "$3"
    else
        _tap_result 1 "$3"
        diag "     got: '$1'" "expected: '$2'"
        return 1
    fi
}

like() {
    if grep -Eq -- "$2" "$1"; then
        _tap_result 0 "$3"
    else
        _tap_result 1 "$3"
        diag "no line of $1 matches /$2/; it holds:"
        head -n 20 "$1" | diag
        return 1
    fi
}

unlike() {
    if grep -Eq -- "$2" "$1"; then
        _tap_result 1 "$3"
        diag "a line of $1 matches /$2/:"
        grep -E -- "$2" "$1" | head -n 5 | diag
        return 1
    else
        _tap_result 0 "$3"
    fi
}

skip() {  # NAME REASON
    _tap_n=$((_tap_n + 1))
    echo "ok $_tap_n - $1 # SKIP $2"
}

skip_all() {
    echo "1..0 # SKIP $1"
    exit 0
}

done_testing() {
    echo "1..$_tap_n"
    [ "$_tap_failed" -eq 0 ]
    exit $?
}

have_shared() {
    [ -n "$LSX_SHARED" ] && [ -d "$LSX_SHARED/seeds" ]
}

have_python() {
    command -v python3 >/dev/null 2>&1 && python3 -c 'import json' >/dev/null 2>&1
}

# util-linux script(1), to run a command on a pseudo-terminal: script -qec CMD /dev/null
have_script() {
    script --version 2>/dev/null | grep -q util-linux
}

# The "id" fields of the JSON result lines in FILE, one a line, in order.
json_ids() {
    sed -n 's/^{"rank":[0-9]*,"id":"\([^"]*\)".*/\1/p' "$1"
}

# The value of the string field NAME in each JSON line of FILE ("null" for null).
json_field() {
    sed -n -e "s/.*\"$2\":\"\([^\"]*\)\".*/\1/p" -e "s/.*\"$2\":null.*/null/p" "$1"
}

# Pass if every line of FILE is a JSON object (parsed by python3 when there is one).
json_lines_ok() {  # FILE NAME
    if have_python; then
        python3 -c '
import json, sys
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    if not isinstance(json.loads(line), dict):
        sys.exit("line %d is not a JSON object" % n)
' "$1" >"$TMP/json-check" 2>&1
    else
        ! grep -qv '^{.*}$' "$1" >"$TMP/json-check" 2>&1
    fi
    _json_status=$?
    [ -s "$1" ] || _json_status=1
    _tap_result "$_json_status" "$2"
    [ "$_json_status" -eq 0 ] || diag <"$TMP/json-check"
}

# The number of lines in FILE.
line_count() {
    wc -l <"$1" | tr -d ' '
}

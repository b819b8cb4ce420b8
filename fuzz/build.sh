#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# fuzz/build.sh - build the libFuzzer targets (run by `make fuzz`).
#
# Usage: build.sh SRCDIR OUTDIR PKGDATADIR "CPPFLAGS" "LIBS"
# Compiles the library's sources once with clang and
# -fsanitize=fuzzer-no-link,address,undefined into OUTDIR/obj, then links
# each target in OUTDIR with -fsanitize=fuzzer,address,undefined.
# $FUZZ_CC / $FUZZ_CXX choose the compilers (default clang, clang++).
set -eu
src=$1 out=$2 pkgdata=$3 cppflags=$4 libs=$5
cc=${FUZZ_CC:-clang}
cxx=${FUZZ_CXX:-clang++}
# $FUZZ_SANITIZE picks the sanitizers (default address,undefined; long
# runs outside CI may use undefined alone, several times faster).
sanitizers=${FUZZ_SANITIZE:-address,undefined}
san="-g -O1 -fno-omit-frame-pointer -fsanitize=$sanitizers -fno-sanitize-recover=undefined"
# Small reader buffers (see reader.c): growth is exercised, runs are fast;
# the HTML reader gets its page 500 bytes at a time, so that its filter
# meets constructs cut across reads.
cflags="-DLINE_BUF_SIZE=4096 -DGZ_BUF_SIZE=8192 -DBYTES_CHUNK=500 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I$src/libsearch -I$src/fuzz $cppflags $san"
cxxflags="-std=c++17 -I$src/libsearch $cppflags $san"
command -v "$cc" > /dev/null || { echo "fuzz: $cc not found (install clang)"; exit 1; }
mkdir -p "$out/obj"
# An object is rebuilt when its source or any header is newer.
newest_h=$(ls -t "$src"/libsearch/*.h "$src"/libsearch/*.inc "$src"/libsearch/xapian/*.h "$src"/libsearch/xapian/*.hh "$src"/libsearch/cld2/*.h | head -n 1)
objs=""
for f in "$src"/libsearch/*.c "$src"/libsearch/xapian/*.cc "$src"/libsearch/cld2/*.cc; do
    base=$(basename "$f")
    o="$out/obj/${base%.*}.o"
    if [ ! -f "$o" ] || [ "$f" -nt "$o" ] || [ "$newest_h" -nt "$o" ]; then
        case $f in
            *.c) $cc $cflags "-DLSX_PKGDATADIR=\"$pkgdata\"" "-DLSX_SRCDATADIR=\"$src/data\"" \
                     -fsanitize=fuzzer-no-link -c "$f" -o "$o" ;;
            *) $cxx $cxxflags -fsanitize=fuzzer-no-link -c "$f" -o "$o" ;;
        esac
    fi
    objs="$objs $o"
done
link() {   # target source extra-flags
    $cc $cflags -fsanitize=fuzzer $3 -c "$src/fuzz/$2" -o "$out/obj/$1.o"
    $cxx $san -fsanitize=fuzzer "$out/obj/$1.o" $objs $libs -o "$out/$1"
    echo "fuzz: built $out/$1"
}
link fuzz-query fuzz-query.c ""
link fuzz-reader-text fuzz-reader.c -DFUZZ_FORMAT=LSX_FORMAT_TEXT
link fuzz-reader-trec fuzz-reader.c -DFUZZ_FORMAT=LSX_FORMAT_TREC
link fuzz-reader-jsonl fuzz-reader.c -DFUZZ_FORMAT=LSX_FORMAT_JSONL
link fuzz-reader-html fuzz-reader.c -DFUZZ_FORMAT=LSX_FORMAT_HTML
link fuzz-qrels fuzz-eval.c -DFUZZ_EVAL=1
link fuzz-run fuzz-eval.c -DFUZZ_EVAL=2
link fuzz-topics fuzz-eval.c -DFUZZ_EVAL=3
link fuzz-record fuzz-record.c ""

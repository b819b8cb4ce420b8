#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/reliability/html-pages.sh - time and peak RSS of search-index on
# HTML pages shaped like today's news sites: an inline style sheet, an
# inline script holding the page's data as JSON, the article, a tracking
# script at the end (about 1.9 MB a page, 95% scripts and styles).
#
# Usage: html-pages.sh BINDIR [BASE_BINDIR] [PAGES]    (default 100 pages)
# With BASE_BINDIR, both builds run twice, alternated, in the same sitting,
# and the articles both read are compared field by field (search get --json).
set -u
bin=${1:?usage: html-pages.sh BINDIR [BASE_BINDIR] [PAGES]}
base=${2:-}
pages=${3:-100}
[ -x /usr/bin/time ] || { echo "skip: /usr/bin/time (GNU time) not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/pages"
python3 - "$tmp/pages" "$pages" <<'PY'
import json, random, sys
out, pages = sys.argv[1], int(sys.argv[2])
random.seed(11)
words = [''.join(random.choice('abcdefghijklmnopqrstuvwxyz') for _ in range(random.randint(2, 9)))
         for _ in range(30000)]
def sent(n):
    return ' '.join(random.choice(words) for _ in range(n)).capitalize() + '.'
for k in range(pages):
    data = {'items': [{'id': i, 'title': sent(8), 'html': '<p>' + sent(10) + '</p>'} for i in range(9000)]}
    css = ''.join('.c%d{margin:%dpx;padding:0}\n' % (i, i % 17) for i in range(8000))
    with open('%s/page%03d.html' % (out, k), 'w') as f:
        f.write('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Story %d</title>\n' % k)
        f.write('<style>%s</style>\n<script>window.__DATA__ = %s;</script>\n' % (css, json.dumps(data)))
        f.write('<meta property="article:published_time" content="2024-05-%02dT10:00:00Z"></head>' % (k % 28 + 1))
        f.write('<body><nav><a href="/">Home</a></nav>\n<article><h1>Story %d</h1>' % k)
        f.write(''.join('<p>%s</p>\n' % ' '.join(sent(12) for _ in range(4)) for _ in range(30)))
        f.write('</article>\n<!-- tracking --><script>' + 'var t=1;' * 20000 + '</script></body></html>\n')
PY
echo "$pages pages, $(du -sm "$tmp/pages" | cut -f1) MB"
one() {   # BINDIR LABEL
    rm -rf "$tmp/db-$2"
    /usr/bin/time -f "%e %M" -o "$tmp/time" "$1/search-index" --quiet --db "$tmp/db-$2" "$tmp/pages" \
        2> "$tmp/warn" > /dev/null
    read -r secs kb < <(tail -n 1 "$tmp/time")
    printf '%-6s %6.2f s  %6.1f MB peak RSS  %s documents  %s warnings\n' "$2" "$secs" \
        "$(echo "$kb / 1024" | bc -l)" "$("$1/search" --db "$tmp/db-$2" stats | awk '/^documents/ {print $2}')" \
        "$(wc -l < "$tmp/warn")"
}
for round in 1 2; do
    one "$bin" new
    [ -n "$base" ] && one "$base" base
done
[ -z "$base" ] && exit 0
same=0 differ=0
for k in $(seq 0 $((pages - 1))); do
    id=$(printf 'page%03d' "$k")
    a=$("$bin/search" get --db "$tmp/db-new" --json "$id" 2>&1)
    b=$("$base/search" get --db "$tmp/db-base" --json "$id" 2>&1)
    if [ "$a" = "$b" ]; then same=$((same + 1)); else differ=$((differ + 1)); fi
done
echo "articles: $same the same in both builds, $differ different"

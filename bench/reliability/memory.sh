#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/reliability/memory.sh - peak RSS of search-index on hostile inputs.
#
# Usage: memory.sh BINDIR [MEMORY_MB]     (default --memory 64)
# Generates (in a scratch directory, our own random words): a 100 MiB
# plain-text article, the same as one TREC document, as one JSON Lines
# record, as an HTML page of paragraphs and as one of inline scripts, and
# as a single line, and a .gz of under 1 MB that expands to a
# 250 MiB article.  Prints peak RSS (GNU time), seconds, exit status and
# the warnings search-index gave for each.
set -u
bin=${1:?usage: memory.sh BINDIR [MEMORY_MB]}
mem=${2:-64}
[ -x /usr/bin/time ] || { echo "skip: /usr/bin/time (GNU time) not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
python3 - <<'PY'
import random, json, gzip
random.seed(2)
words = [''.join(random.choice('abcdefghijklmnopqrstuvwxyz') for _ in range(random.randint(2, 9)))
         for _ in range(50000)]
lines, n = [], 0
while n < 4 << 20:
    line = ' '.join(random.choice(words) for _ in range(12)) + '\n'
    lines.append(line)
    n += len(line)
chunk = ''.join(lines)
with open('big100.txt', 'w') as f:
    f.write('A very long article\n\n')
    for _ in range(25):
        f.write(chunk)
with open('big100.trec', 'w') as f:
    f.write('<DOC>\n<DOCNO>big-1</DOCNO>\n<TITLE>Big</TITLE>\n<TEXT>\n')
    for _ in range(25):
        f.write(chunk)
    f.write('</TEXT>\n</DOC>\n')
with open('big100.jsonl', 'w') as f:
    f.write(json.dumps({'id': 'huge', 'body': chunk * 25}) + '\n')
    f.write(json.dumps({'id': 'ok-2', 'body': 'after the huge record'}) + '\n')
with open('big100.html', 'w') as f:
    f.write('<html><head><title>Big page</title></head><body><article><h1>Big</h1>\n')
    for _ in range(25):
        f.write('<p>' + chunk.replace('\n', '</p>\n<p>') + '</p>\n')
    f.write('</article></body></html>\n')
with open('script100.html', 'w') as f:
    f.write('<html><head><title>Scripts</title>\n')
    for _ in range(25):
        f.write('<script>var s = "' + chunk.replace('\n', ' ') + '";</script>\n')
    f.write('</head><body><article><h1>Scripts</h1><p>the article itself</p></article></body></html>\n')
with open('oneline.txt', 'w') as f:
    f.write((chunk * 25).replace('\n', ' '))
line = b'the harbour council voted on the rice export tariff after the monsoon season ended\n'
with gzip.open('bomb.txt.gz', 'wb', 9) as f:
    f.write(b'Bomb\n\n')
    for _ in range((250 << 20) // len(line)):
        f.write(line)
PY
for f in big100.txt big100.trec big100.jsonl big100.html script100.html oneline.txt bomb.txt.gz; do
    rm -rf db
    /usr/bin/time -f "%M %e %x" -o time.out "$bin/search-index" --quiet --memory "$mem" --db db "$f" 2> warn.out > /dev/null
    read -r kb secs st < <(tail -n 1 time.out)
    printf '%-14s %7.1f MB peak RSS  %6.2f s  exit %s  (input %s bytes)\n' "$f" "$(echo "$kb / 1024" | bc -l)" "$secs" "$st" "$(stat -c %s "$f")"
    sed 's/^/    /' warn.out | cut -c1-160
done

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Generate a large synthetic news corpus by recombining real sentences.

usage: gen-corpus.py N OUT.trec [--seed S] [--queries Q.tsv] [--nqueries 1000]
                     [--corpora DIR]

Reads every DIR/*/docs.trec (default: ../shared/corpora beside the project
root), splits the bodies into sentences and writes N documents in the same
TREC layout.  Each generated document:

  - takes its sentences from one language pool (the Vietnamese vntc corpus,
    or the English corpora), the pool being chosen in proportion to its
    number of sentences;
  - has 2 to 12 sentences, each from a different source document;
  - has a title made of the first 4 to 12 words of yet another sentence;
  - has the <DATE> of the source document of its first sentence, if it had
    one;
  - has a synthetic unique docno, G0000001, G0000002, ...

The vocabulary is thus the real one, with real word frequencies.  The run is
seeded (same seed, same output).  Every document's title and body are hashed
and a document whose hash was already seen is drawn again, so no two
generated documents are identical.  The output is written as it is made, so
memory stays at the size of the sentence pools (a few hundred MB) whatever N.

With --queries, also writes NQUERIES benchmark queries "qid<TAB>text": runs
of 1 to 3 consecutive words taken from randomly chosen generated documents.
"""

import argparse
import hashlib
import os
import random
import re
import sys
from array import array

SENTENCE_END = re.compile(rb'(?<=[.!?])\s+')
WORD = re.compile(r'[^\W\d_]+')


def default_corpora():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, '..', '..', 'shared', 'corpora'))


class Pool:
    """The sentences of one language, with the source document of each."""

    def __init__(self, name):
        self.name = name
        self.sentences = []       # bytes, UTF-8
        self.doc_of = array('I')  # source document number of each sentence

    def add_document(self, doc, body):
        text = b' '.join(body.split())
        for s in SENTENCE_END.split(text):
            if 30 <= len(s) <= 600 and s.count(b' ') >= 4:
                self.sentences.append(s)
                self.doc_of.append(doc)


def read_corpora(root, pools, dates):
    """Fill the pools from root/*/docs.trec; dates[doc] is its <DATE> or b''."""
    names = sorted(d for d in os.listdir(root)
                   if os.path.isfile(os.path.join(root, d, 'docs.trec')))
    for name in names:
        pool = pools['vi'] if name == 'vntc' else pools['en']
        date, body, in_text = b'', [], False
        with open(os.path.join(root, name, 'docs.trec'), 'rb') as f:
            for line in f:
                if in_text:
                    if line.startswith(b'</TEXT>'):
                        in_text = False
                    else:
                        body.append(line)
                elif line.startswith(b'<DOC>'):
                    date, body = b'', []
                elif line.startswith(b'<DATE>'):
                    date = line[6:16]
                elif line.startswith(b'<TEXT>'):
                    in_text = True
                elif line.startswith(b'</DOC>'):
                    pool.add_document(len(dates), b''.join(body))
                    dates.append(date)
        print(f'gen-corpus: read {name}', file=sys.stderr)
    return names


def make_document(rng, pool, dates):
    """A title, a date and the body sentences of one new document."""
    n = len(pool.sentences)
    count = rng.randint(2, 12)
    picked, sources = [], set()
    while len(picked) < count:
        i = rng.randrange(n)
        if pool.doc_of[i] not in sources:
            sources.add(pool.doc_of[i])
            picked.append(i)
    words = pool.sentences[rng.randrange(n)].split()[:rng.randint(4, 12)]
    title = b' '.join(words).rstrip(b'.,;:!?')
    date = dates[pool.doc_of[picked[0]]]
    return title, date, [pool.sentences[i] for i in picked]


def query_from(rng, body):
    """1 to 3 consecutive words of a document, lower-cased (None if it has none)."""
    words = WORD.findall(b' '.join(body).decode('utf-8', 'replace'))
    if not words:
        return None
    length = min(rng.randint(1, 3), len(words))
    start = rng.randrange(len(words) - length + 1)
    return ' '.join(words[start:start + length]).lower()


def main():
    ap = argparse.ArgumentParser(description='Generate a corpus of recombined sentences.')
    ap.add_argument('n', type=int, help='number of documents')
    ap.add_argument('out', help='output TREC file')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--queries', help='also write benchmark queries to this TSV file')
    ap.add_argument('--nqueries', type=int, default=1000)
    ap.add_argument('--corpora', default=default_corpora(),
                    help='folder of <name>/docs.trec corpora (default: %(default)s)')
    args = ap.parse_args()

    if not os.path.isdir(args.corpora):
        sys.exit(f'gen-corpus: no corpora at {args.corpora}')
    pools = {'en': Pool('en'), 'vi': Pool('vi')}
    dates = []
    read_corpora(args.corpora, pools, dates)
    pools = [p for p in pools.values() if p.sentences]
    if not pools:
        sys.exit('gen-corpus: no sentences found')
    weights = [len(p.sentences) for p in pools]
    for p in pools:
        print(f'gen-corpus: {p.name}: {len(p.sentences)} sentences', file=sys.stderr)

    rng = random.Random(args.seed)
    qrng = random.Random(args.seed + 1)
    query_docs = set(qrng.sample(range(args.n), min(args.nqueries, args.n)))
    queries = []
    seen = set()
    redrawn = 0
    with open(args.out, 'wb', buffering=1 << 20) as out:
        for i in range(args.n):
            while True:
                pool = rng.choices(pools, weights)[0]
                title, date, body = make_document(rng, pool, dates)
                digest = hashlib.blake2b(title + b'\n' + b'\n'.join(body), digest_size=8).digest()
                if digest not in seen:
                    seen.add(digest)
                    break
                redrawn += 1
            out.write(b'<DOC>\n<DOCNO>G%07d</DOCNO>\n' % (i + 1))
            if date:
                out.write(b'<DATE>' + date + b'</DATE>\n')
            out.write(b'<TITLE>' + title + b'</TITLE>\n<TEXT>\n')
            out.write(b'\n'.join(body))
            out.write(b'\n</TEXT>\n</DOC>\n')
            if i in query_docs:
                q = query_from(qrng, body)
                if q:
                    queries.append(q)
            if (i + 1) % 100000 == 0:
                print(f'gen-corpus: {i + 1} documents', file=sys.stderr)

    if args.queries:
        qrng.shuffle(queries)
        with open(args.queries, 'w', encoding='utf-8') as f:
            for qid, q in enumerate(queries, 1):
                f.write(f'{qid}\t{q}\n')
    print(f'gen-corpus: wrote {args.n} distinct documents to {args.out} '
          f'({redrawn} duplicates drawn again)', file=sys.stderr)


if __name__ == '__main__':
    main()

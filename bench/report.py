#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Tables for bench/run.sh, from the files it leaves in a results folder.

usage: report.py corpus RESULTS_DIR   one corpus: libsearch against the baselines
       report.py scale RESULTS_DIR    the generated-corpus scale runs
       report.py titles TRECFILE N OUT.tsv
                                      N titles of TRECFILE (seeded sample) as queries

A results folder holds, for system S in lsx, xapian, fts5 and run R:
  S.build.R         "key value" lines: docs, input_bytes, index_seconds,
                    compact_seconds, compact_bytes, ... and maxrss_kb (GNU time)
  S.qK.R.tsv        one line per query: qid, microseconds, hits, top-10 ids
  lsx.facets.R.tsv  the top-10 queries again, with two exact facets
  lsx.ids1000.R.tsv the top-1000 queries again, hits with ids and scores only
  lsx.prefix.R.tsv  prefix queries (each query's first word cut to 4 characters + *)
  lsx.newest.R.tsv  the top-10 queries again, newest first
  lsx.suggest.R.tsv the queries with a typo in the first word, with did-you-mean
  lsx.recency.R.tsv the top-10 queries again, with a recency boost (half-life 30 days)
and a file "info" with "key value" lines (name, queries).

`corpus` exits 1 if the sanity check fails: a system that returned results
for fewer than half of the queries.
"""

import glob
import os
import random
import re
import statistics
import sys

SYSTEMS = [('lsx', 'libsearch'), ('xapian', 'Xapian'), ('fts5', 'FTS5')]


def read_keys(path):
    keys = {}
    with open(path) as f:
        for line in f:
            parts = line.split(None, 1)
            if len(parts) == 2:
                try:
                    keys[parts[0]] = float(parts[1])
                except ValueError:
                    keys[parts[0]] = parts[1].strip()
    return keys


def read_queries(path):
    """[(qid, microseconds, hits, [ids])] of one query run."""
    rows = []
    with open(path, encoding='utf-8', errors='replace') as f:
        for line in f:
            cols = line.rstrip('\n').split('\t')
            if len(cols) >= 3:
                ids = cols[3].split(',') if len(cols) > 3 and cols[3] else []
                rows.append((cols[0], float(cols[1]), int(cols[2]), ids))
    return rows


def percentile(values, p):
    """Nearest-rank percentile."""
    s = sorted(values)
    if not s:
        return None
    rank = max(1, -(-len(s) * p // 100))  # ceil(n * p / 100)
    return s[int(rank) - 1]


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def run_files(d, pattern):
    return sorted(glob.glob(os.path.join(d, pattern)))


def build_figures(d, system):
    """Median over runs of the build figures of one system (None if it never ran)."""
    runs = [read_keys(p) for p in run_files(d, system + '.build.*')]
    runs = [r for r in runs if 'index_seconds' in r]
    if not runs:
        return None
    m = lambda key: median([r.get(key) for r in runs])
    fig = {'runs': len(runs), 'docs': m('docs'), 'build': m('index_seconds'),
           'compact': m('compact_seconds'), 'rss': m('maxrss_kb') / 1024 if m('maxrss_kb') else None,
           'size': m('compact_bytes') / 1e6}
    fig['docs_s'] = median([r['docs'] / r['index_seconds'] for r in runs if r['index_seconds'] > 0])
    fig['mb_s'] = median([r['input_bytes'] / 1e6 / r['index_seconds']
                          for r in runs if r['index_seconds'] > 0])
    fig['input_mb'] = m('input_bytes') / 1e6
    return fig


def latency(d, pattern):
    """Median over runs of p50, p95 and p99; plus the rows of the first run."""
    files = run_files(d, pattern)
    per_run = [[q[1] for q in read_queries(p)] for p in files]
    per_run = [r for r in per_run if r]
    if not per_run:
        return None, []
    figs = {p: median([percentile(r, p) for r in per_run]) for p in (50, 95, 99)}
    return figs, read_queries(files[0])


def fmt(v, unit=''):
    if v is None:
        return '-'
    if unit == 'us':
        return f'{v:,.0f}'
    if v >= 1000:
        return f'{v:,.0f}'
    if v >= 100:
        return f'{v:.0f}'
    if v >= 10:
        return f'{v:.1f}'
    return f'{v:.2f}'


def ratio(a, b):
    if a is None or b is None or b == 0:
        return '-'
    return f'{a / b:.2f}x'


def agreement(rows_a, rows_b):
    """Mean share of top-10 ids two systems have in common, over queries where either found any."""
    b_by_qid = {q[0]: set(q[3]) for q in rows_b}
    shares = []
    for qid, _, _, ids in rows_a:
        a, b = set(ids), b_by_qid.get(qid, set())
        if a or b:
            shares.append(len(a & b) / max(len(a), len(b)))
    return statistics.mean(shares) if shares else None


def corpus_report(d):
    info = read_keys(os.path.join(d, 'info'))
    builds = {s: build_figures(d, s) for s, _ in SYSTEMS}
    lat = {}
    rows10 = {}
    for s, _ in SYSTEMS:
        for k in (10, 1000):
            lat[s, k], rows = latency(d, f'{s}.q{k}.*.tsv')
            if k == 10:
                rows10[s] = rows
    # libsearch's top-1000 with LSX_SEARCH_IDS_ONLY: ids and scores only,
    # what the baselines return too.
    lat['lsx-ids', 1000], _ = latency(d, 'lsx.ids1000.*.tsv')

    lines = []
    table = []  # (label, {system: value}, unit)

    def add(label, key, source, unit=''):
        table.append((label, {s: (source[s] or {}).get(key) if source[s] else None
                              for s, _ in SYSTEMS}, unit))

    add('build time (s)', 'build', builds)
    add('docs/s', 'docs_s', builds)
    add('MB/s', 'mb_s', builds)
    add('peak memory, max RSS (MB)', 'rss', builds)
    add('compaction time (s)', 'compact', builds)
    add('index size, compacted (MB)', 'size', builds)
    for k in (10, 1000):
        for p in (50, 95, 99):
            table.append((f'top-{k} p{p} (us)',
                          {s: (lat[s, k] or {}).get(p) for s, _ in SYSTEMS}, 'us'))
    if lat['lsx-ids', 1000]:
        for p in (50, 95, 99):
            vals = {s: (lat[s, 1000] or {}).get(p) for s, _ in SYSTEMS}
            vals['lsx'] = lat['lsx-ids', 1000].get(p)
            table.append((f'top-1000 ids only p{p} (us)', vals, 'us'))

    some = next((b for b in builds.values() if b), None)
    nq = len(rows10.get('lsx') or rows10.get('xapian') or [])
    runs = max((b['runs'] for b in builds.values() if b), default=0)
    lines.append(f"== {info.get('name', '?')}: "
                 f"{fmt(some['docs']) if some else '?'} docs, "
                 f"{fmt(some['input_mb']) if some else '?'} MB, {nq} queries "
                 f"({info.get('queries', '?')}), median of {runs} run(s)")
    head = ['figure', 'libsearch', 'Xapian', 'FTS5', 'lsx/Xapian', 'lsx/FTS5']
    body = []
    for label, vals, unit in table:
        body.append([label, fmt(vals['lsx'], unit), fmt(vals['xapian'], unit),
                     fmt(vals['fts5'], unit), ratio(vals['lsx'], vals['xapian']),
                     ratio(vals['lsx'], vals['fts5'])])
    widths = [max(len(r[i]) for r in [head] + body) for i in range(len(head))]
    for r in [head] + body:
        lines.append('  ' + r[0].ljust(widths[0]) + '  ' +
                     '  '.join(c.rjust(w) for c, w in zip(r[1:], widths[1:])))

    spread = []
    for s, label in SYSTEMS:
        builds_s = [read_keys(p).get('index_seconds') for p in run_files(d, s + '.build.*')]
        p50s = [percentile([q[1] for q in read_queries(p)], 50)
                for p in run_files(d, f'{s}.q10.*.tsv')]
        builds_s = [v for v in builds_s if v is not None]
        p50s = [v for v in p50s if v is not None]
        if len(builds_s) > 1 and p50s:
            spread.append(f'{label} {fmt(min(builds_s))}-{fmt(max(builds_s))} s, '
                          f'{fmt(min(p50s), "us")}-{fmt(max(p50s), "us")} us')
    if spread:
        lines.append('  spread over runs (build time, top-10 p50): ' + '; '.join(spread))
    lines.append('  (ratios are libsearch / baseline: below 1 is better for times, memory and size,'
                 ' above 1 for docs/s and MB/s)')

    # Sanity: results at all, and agreement of the top 10 with libsearch.
    ok = True
    counts = []
    for s, label in SYSTEMS:
        rows = rows10.get(s) or []
        with_hits = sum(1 for q in rows if q[2] > 0)
        counts.append(f'{label} {with_hits}/{len(rows)}')
        if not rows or with_hits * 2 < len(rows):
            ok = False
    lines.append('  sanity: queries with at least one result: ' + ', '.join(counts) +
                 (' -> OK' if ok else ' -> FAILED'))
    agree = [f'{label} {fmt(agreement(rows10["lsx"], rows10[s]))}'
             for s, label in SYSTEMS[1:] if rows10.get('lsx') and rows10.get(s)]
    if agree:
        lines.append('  top-10 ids shared with libsearch (mean share): ' + ', '.join(agree))

    # Facets: the same top-10 queries with two exact facet counts.
    facet_ratio = None
    fl, _ = latency(d, 'lsx.facets.*.tsv')
    if fl and lat['lsx', 10]:
        facet_ratio = fl[50] / lat['lsx', 10][50]
        lines.append(f'  facets (entity:10 + date:month, exact counts): top-10 p50 '
                     f'{fmt(fl[50], "us")} us vs {fmt(lat["lsx", 10][50], "us")} us plain '
                     f'-> {facet_ratio:.2f}x (p95 {fmt(fl[95], "us")} us, '
                     f'p99 {fmt(fl[99], "us")} us)')

    # Query features, as ratios to the plain top-10 query (p50).
    feature_ratios = []
    for name, label in (('prefix', 'prefix query (first word, 4 characters + *)'),
                        ('newest', 'sorted, newest first (top 10)'),
                        ('suggest', 'did you mean (first word with a typo, suggestions on)'),
                        ('recency', 'recency boost, half-life 30 days (top 10)')):
        fl2, _ = latency(d, f'lsx.{name}.*.tsv')
        if fl2 and lat['lsx', 10]:
            r = fl2[50] / lat['lsx', 10][50]
            feature_ratios.append(f'{name} {r:.2f}x')
            lines.append(f'  {label}: top-10 p50 {fmt(fl2[50], "us")} us -> {r:.2f}x plain '
                         f'(p95 {fmt(fl2[95], "us")} us, p99 {fmt(fl2[99], "us")} us)')

    # The summary line.
    def both(label, key, source):
        v = (source['lsx'] or {}).get(key)
        return (f'{label} {ratio(v, (source["xapian"] or {}).get(key))} Xapian, '
                f'{ratio(v, (source["fts5"] or {}).get(key))} FTS5')
    p50 = {s: {'p50': (lat[s, 10] or {}).get(50)} for s, _ in SYSTEMS}
    summary = [both('build time', 'build', builds), both('size', 'size', builds),
               both('top-10 p50', 'p50', p50)]
    if facet_ratio:
        summary.append(f'facets {facet_ratio:.2f}x plain')
    summary.extend(feature_ratios)
    summary.append('sanity ' + ('OK' if ok else 'FAILED'))
    lines.append(f"SUMMARY {info.get('name', '?')}: libsearch " + '; '.join(summary))
    print('\n'.join(lines))
    return 0 if ok else 1


def scale_report(d):
    head = ['docs', 'input MB', 'build s', 'docs/s', 'max RSS MB', 'size MB',
            'top-10 p50 us', 'p95 us', 'p99 us', 'with results']
    body = []
    for path in sorted(glob.glob(os.path.join(d, 'scale-*.build')),
                       key=lambda p: int(re.sub(r'\D', '', os.path.basename(p)))):
        n = re.sub(r'\D', '', os.path.basename(path))
        b = read_keys(path)
        if 'index_seconds' not in b:
            continue
        rows = read_queries(os.path.join(d, f'scale-{n}.q10.tsv')) \
            if os.path.exists(os.path.join(d, f'scale-{n}.q10.tsv')) else []
        us = [q[1] for q in rows]
        body.append([fmt(b['docs']), fmt(b['input_bytes'] / 1e6), fmt(b['index_seconds']),
                     fmt(b['docs'] / b['index_seconds']), fmt(b.get('maxrss_kb', 0) / 1024),
                     fmt(b['compact_bytes'] / 1e6), fmt(percentile(us, 50), 'us'),
                     fmt(percentile(us, 95), 'us'), fmt(percentile(us, 99), 'us'),
                     f'{sum(1 for q in rows if q[2] > 0)}/{len(rows)}'])
    print('== scale: libsearch on generated corpora (recombined sentences)')
    widths = [max(len(r[i]) for r in [head] + body) for i in range(len(head))]
    for r in [head] + body:
        print('  ' + '  '.join(c.rjust(w) for c, w in zip(r, widths)))
    return 0


def titles(trecfile, n, out):
    """Sample n non-empty titles (seeded) as queries, for corpora without a query file."""
    found = []
    with open(trecfile, encoding='utf-8', errors='replace') as f:
        for line in f:
            if line.startswith('<TITLE>'):
                t = re.sub(r'</TITLE>\s*$', '', line[7:]).strip()
                t = re.sub(r'[^\w\s]', ' ', t).lower()
                if t.split():
                    found.append(' '.join(t.split()))
    random.Random(1).shuffle(found)
    with open(out, 'w', encoding='utf-8') as f:
        for i, t in enumerate(found[:n], 1):
            f.write(f'{i}\t{t}\n')
    return 0 if found else 1


def shards_report(d, name):
    """The shard table of bench/run.sh --shards: results folder d."""
    kinds = [('one', '1 database'), ('four', '4 local shards'), ('remote', '4 remote (loopback)')]
    lat = {}
    for k, _ in kinds:
        for mode in ('plain', 'facets'):
            us = [r[1] / 1000 for r in read_queries(f'{d}/{k}.{mode}.tsv')]
            lat[k, mode] = (percentile(us, 50), percentile(us, 99), len(us))
    nq = lat['one', 'plain'][2]
    print(f'Shards, {name} ({nq} queries, top 10, ms; in brackets the ratio to one database)')
    print(f"{'':22} {'plain p50':>17} {'plain p99':>17} {'facets p50':>17} {'facets p99':>17}")
    for k, label in kinds:
        cells = []
        for mode in ('plain', 'facets'):
            for i in (0, 1):
                v, base = lat[k, mode][i], lat['one', mode][i]
                cells.append(f'{v:7.2f} ({v / base:5.2f}x)')
        print(f'{label:22} ' + ' '.join(cells))
    b1, b4 = read_keys(f'{d}/build.one')['wall_seconds'], read_keys(f'{d}/build.four')['wall_seconds']
    print(f'build with search-index: 1 database {b1:.1f} s, --shards 4 {b4:.1f} s ({b4 / b1:.2f}x)')
    sizes = {k: int(open(f'{d}/{k}.bytes').read()) for k in ('one', 'four')}
    print(f"size on disk: 1 database {sizes['one'] / 1e6:.1f} MB, 4 shards {sizes['four'] / 1e6:.1f} MB")
    for mode in ('plain', 'facets'):
        lo = int(open(f'{d}/remote.{mode}.lo').read())
        print(f'loopback bytes per query, 4 remote shards, {mode}: {lo / nq / 1e3:.1f} kB '
              '(all traffic on lo during the run)')
    return 0


def main(argv):
    if len(argv) == 4 and argv[1] == 'shards':
        return shards_report(argv[2], argv[3])
    if len(argv) == 3 and argv[1] == 'corpus':
        return corpus_report(argv[2])
    if len(argv) == 3 and argv[1] == 'scale':
        return scale_report(argv[2])
    if len(argv) == 5 and argv[1] == 'titles':
        return titles(argv[2], int(argv[3]), argv[4])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * shim-search.cc - running a query (BM25 + facet counting) and query
 * expansion from relevance feedback.
 *
 * Facets.  A search that asks for facet counts runs two passes:
 *
 *  1. the ranked pass, exactly as without facets (BM25, no match spy,
 *     checkatleast 0 whatever the caller asked), so Xapian keeps pruning
 *     and the page and its scores are those of the search without facets;
 *  2. a counting pass over the whole match set, which yields the matching
 *     docids and so the exact number of matches, which the mset then
 *     reports as its estimate and both bounds (so facet counts and totals
 *     are always exact, whatever checkatleast was).  It is the same query
 *     with BoolWeight (no scoring) in docid order, checkatleast = doccount,
 *     and one match spy that writes down each docid (which reads nothing
 *     from the document); or, when the query is a union of terms (terms
 *     under OR, SYNONYM, MAX, SCALE_WEIGHT and the left side of AND_MAYBE,
 *     which covers plain word queries) and the cache below serves the
 *     search, the posting lists read directly into a bitmap, which skips
 *     the matcher's per-document work.
 *
 * The counts then come from a per-handle cache (struct xs_facet_cache):
 * on first use, a value slot is read once with a value stream into
 * compact arrays (docid -> index of its value, or docid -> range of item
 * indices for '\n'-separated slots, items deduplicated per document, with
 * the distinct values in byte order), so counting is one increment per
 * (document, item), and the mset's facet values point into the cache
 * (which the mset keeps alive) instead of being copied.
 *
 * Cache rule: only for a read-only handle on a single chert/glass
 * database, keyed on its revision (plus doccount and last docid, for
 * good measure).  A revision never changes once committed, and a
 * reader's view moves only through xs_db_reopen, which changes the
 * revision the handle reports; so a reopened reader that sees new commits
 * rebuilds its cache on its next facet search.  A writable handle (on disk
 * or in memory) sees its own uncommitted writes, which leave the revision
 * alone (and a replace can keep doccount and last docid), so it never
 * caches.  Neither does a handle over several databases, or one whose
 * docids are very sparse (last docid > 16 x doccount + 65,536: the arrays
 * are indexed by docid).  Those run the counting pass with the older
 * value-reading match spies instead (still exact, still without scoring).
 * Memory: 4 bytes per docid for a single-valued slot, 8 per docid plus 8
 * per (document, item) for a multi-valued one (items, and the distinct
 * keys of each document for by_key counting), plus the distinct values
 * and keys (with each key's document count).
 *
 * Keyed specs (by_key, tag, limit: entity facets, whose items are
 * "<type><id>") count in integer space, each key once per document, and
 * turn only the top `limit` into strings; the spies do the same with
 * strings, so both paths give the same counts.  A match set of more than
 * half the documents is counted through its complement: each key's
 * document count minus its count over the documents left out.
 */
#include "shim-private.hh"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <numeric>
#include <string_view>
#include <vector>
#include <unordered_map>
#include <utility>

using xs::fail;

namespace xs {

/* One value slot of a database revision, read once.  `values` holds the
 * distinct values (for a multi-valued slot: the distinct items) in byte
 * order.  Single-valued: ref[did] is the index of document did's value,
 * or values.size() for none; ref has lastdocid + 1 entries.  Multi-valued
 * (CSR): the items of document did are items[ref[did] .. ref[did + 1]),
 * each an index into values, each at most once; ref has lastdocid + 2
 * entries. */
struct FacetSlot {
    bool multi = false;
    std::vector<std::string> values;
    std::vector<uint32_t> ref;
    std::vector<uint32_t> items;
    /* Multi-valued only, for by_key counting: the distinct keys (values
     * without their first byte) in byte order, each value's key index,
     * and each value's tag (first byte). */
    std::vector<std::string> keys;
    std::vector<uint32_t> key_of;
    std::vector<unsigned char> tag_of;
    /* And each document's distinct keys, laid out like ref/items (CSR):
     * counting keys of any tag is then one increment per (document, key). */
    std::vector<uint32_t> key_ref, key_items;
    /* How many documents have each key: a match set larger than half the
     * database is counted as these totals minus its complement.  And the
     * keys by that count, highest first (ties by index): no key further on
     * can have a higher count in any match set, which ends a top-N scan. */
    std::vector<uint32_t> key_docs, keys_by_docs;
    /* The same pairs the other way round: each key's documents, ascending
     * (CSR over key indices), so one key's count in a match set is a walk
     * over its documents against a bitmap of the set. */
    std::vector<uint32_t> doc_ref, doc_items;
};

}  // namespace xs

/* The slots read so far for one revision of a read-only handle's
 * database (see the rule at the top of this file). */
struct xs_facet_cache {
    Xapian::rev revision = 0;
    Xapian::doccount doccount = 0;
    Xapian::docid lastdocid = 0;
    std::map<std::pair<Xapian::valueno, bool>, std::shared_ptr<const xs::FacetSlot>> slots;
    std::map<Xapian::valueno, std::shared_ptr<const xs::ValueTable>> tables;
    /* Scratch counters for keyed counting, all zero between searches (each
     * search zeroes what it touched), so that a search does not allocate
     * and clear an array as long as the distinct values. */
    std::vector<uint32_t> counts, last;
};

namespace {

void keep_top(std::vector<xs_facet_item> &f, unsigned limit);

/* Call f(item) for each non-empty item of a '\n'-separated value. */
template <class F>
void for_each_item(std::string_view rest, F f)
{
    while (!rest.empty()) {
        size_t nl = rest.find('\n');
        std::string_view item = rest.substr(0, nl);
        if (!item.empty())
            f(item);
        if (nl == std::string_view::npos)
            break;
        rest.remove_prefix(nl + 1);
    }
}

/* Counts the items of a multi-valued slot ('\n'-separated) over the match
 * set, each item once per document however often it is listed.  The counts
 * are kept in byte order, ready to hand over, and looked up by string_view
 * so that counting an item already seen allocates nothing. */
class MultiValueSpy : public Xapian::MatchSpy {
  public:
    explicit MultiValueSpy(const xs_facet_spec &spec) : slot_(spec.slot), spec_(spec) {}

    void operator()(const Xapian::Document &doc, double) override
    {
        const std::string v = doc.get_value(slot_);
        if (v.empty())
            return;
        items_.clear();
        for_each_item(v, [this](std::string_view item) {
            if ((spec_.tag && item[0] != spec_.tag) || (spec_.by_key && item.size() < 2))
                return;
            items_.push_back(spec_.by_key ? item.substr(1) : item);
        });
        if (items_.size() > 1) {
            std::sort(items_.begin(), items_.end());
            items_.erase(std::unique(items_.begin(), items_.end()), items_.end());
        }
        for (std::string_view item : items_) {
            auto it = counts_.lower_bound(item);
            if (it != counts_.end() && it->first == item)
                ++it->second;
            else
                counts_.emplace_hint(it, std::string(item), 1);
        }
    }

    /* Move the counts out (byte order), the strings into `owned`; the spy
     * is empty afterwards. */
    void take(std::vector<xs_facet_item> &out, std::deque<std::string> &owned)
    {
        out.reserve(counts_.size());
        while (!counts_.empty()) {
            auto node = counts_.extract(counts_.begin());
            const std::string &v = owned.emplace_back(std::move(node.key()));
            out.push_back(xs_facet_item{v.c_str(), v.size(), node.mapped()});
        }
        keep_top(out, spec_.limit);
    }

  private:
    Xapian::valueno slot_;
    xs_facet_spec spec_;
    std::map<std::string, uint64_t, std::less<>> counts_;
    std::vector<std::string_view> items_;   /* scratch, reused across documents */
};

/* The counting pass's only spy: writes down each matching docid.  The
 * matcher hands spies a document that loads its values and data only
 * when asked for them, and the docid is not among those. */
class DocidSpy : public Xapian::MatchSpy {
  public:
    void operator()(const Xapian::Document &doc, double) override { ids.push_back(doc.get_docid()); }
    std::vector<Xapian::docid> ids;
};

/* The handle's facet cache for its current view, or nullptr where the
 * rule at the top of this file says not to cache. */
xs_facet_cache *facet_cache(xs_db *db)
{
    if (db->writable)
        return nullptr;
    Xapian::rev rev;
    try {
        rev = db->rdb.get_revision();
    } catch (const Xapian::LogicError &) {
        /* Not exactly one chert or glass database (several shards, a
         * remote one): no revision to key a cache on. */
        db->facet_cache.reset();
        return nullptr;
    }
    const Xapian::doccount n = db->rdb.get_doccount();
    const Xapian::docid last = db->rdb.get_lastdocid();
    if (uint64_t(last) > 16 * uint64_t(n) + 65536) {
        db->facet_cache.reset();
        return nullptr;
    }
    xs_facet_cache *c = db->facet_cache.get();
    if (!c || c->revision != rev || c->doccount != n || c->lastdocid != last) {
        db->facet_cache.reset();   /* free the old arrays before reading new ones */
        auto fresh = std::make_shared<xs_facet_cache>();
        fresh->revision = rev;
        fresh->doccount = n;
        fresh->lastdocid = last;
        db->facet_cache = fresh;
        c = fresh.get();
    }
    return c;
}

/* Read a whole value slot into a FacetSlot (see there); nullptr if the
 * item count does not fit the 32-bit offsets. */
std::unique_ptr<xs::FacetSlot> read_slot(const Xapian::Database &rdb, Xapian::valueno slot, bool multi,
                                         Xapian::docid last)
{
    const uint32_t none = std::numeric_limits<uint32_t>::max();
    std::unique_ptr<xs::FacetSlot> fs(new xs::FacetSlot);
    fs->multi = multi;
    std::vector<uint32_t> &ref = fs->ref;
    std::vector<uint32_t> &items = fs->items;
    ref.assign(size_t(last) + (multi ? 2 : 1), multi ? 0 : none);

    /* Values are numbered in order of first sight, then renumbered in byte
     * order at the end.  The map's keys stay put, so `seen` can point at
     * them. */
    std::unordered_map<std::string, uint32_t> ids;
    std::vector<const std::string *> seen;
    auto intern = [&](std::string_view v) -> uint32_t {
        auto r = ids.emplace(std::string(v), uint32_t(seen.size()));
        if (r.second)
            seen.push_back(&r.first->first);
        return r.first->second;
    };
    std::vector<uint32_t> doc;   /* scratch: one document's items */
    for (Xapian::ValueIterator it = rdb.valuestream_begin(slot), end = rdb.valuestream_end(slot);
         it != end; ++it) {
        const Xapian::docid did = it.get_docid();
        if (did == 0 || did > last)
            return nullptr;   /* cannot happen for a consistent revision */
        const std::string v = *it;
        if (!multi) {
            ref[did] = intern(v);
            continue;
        }
        doc.clear();
        for_each_item(v, [&](std::string_view item) { doc.push_back(intern(item)); });
        if (doc.size() > 1) {
            std::sort(doc.begin(), doc.end());
            doc.erase(std::unique(doc.begin(), doc.end()), doc.end());
        }
        if (items.size() + doc.size() >= none)
            return nullptr;
        items.insert(items.end(), doc.begin(), doc.end());
        ref[size_t(did) + 1] = uint32_t(doc.size());   /* counts now, offsets below */
    }
    if (seen.size() >= none)
        return nullptr;

    std::vector<uint32_t> order(seen.size());
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(),
              [&](uint32_t a, uint32_t b) { return *seen[a] < *seen[b]; });
    std::vector<uint32_t> rank(seen.size());
    fs->values.reserve(seen.size());
    for (uint32_t i = 0; i < order.size(); i++) {
        rank[order[i]] = i;
        fs->values.push_back(*seen[order[i]]);
    }
    const uint32_t nvalues = uint32_t(seen.size());
    if (multi) {
        for (uint32_t &x : items)
            x = rank[x];
        for (size_t d = 1; d < ref.size(); d++)
            ref[d] += ref[d - 1];
        items.shrink_to_fit();
        /* Keys: the values without their tag byte, sorted and deduplicated. */
        std::vector<std::string_view> keys;
        keys.reserve(nvalues);
        fs->tag_of.resize(nvalues);
        for (uint32_t i = 0; i < nvalues; i++) {
            const std::string &v = fs->values[i];
            fs->tag_of[i] = v.empty() ? 0 : (unsigned char)v[0];
            keys.push_back(v.empty() ? std::string_view() : std::string_view(v).substr(1));
        }
        std::vector<std::string_view> sorted(keys);
        std::sort(sorted.begin(), sorted.end());
        sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
        fs->key_of.resize(nvalues);
        for (uint32_t i = 0; i < nvalues; i++)
            fs->key_of[i] = uint32_t(std::lower_bound(sorted.begin(), sorted.end(), keys[i]) - sorted.begin());
        fs->keys.assign(sorted.begin(), sorted.end());
        fs->key_ref.assign(ref.size(), 0);
        fs->key_items.reserve(items.size());
        std::vector<uint32_t> mine;
        for (size_t d = 0; d + 1 < ref.size(); d++) {
            mine.clear();
            for (uint32_t i = ref[d]; i < ref[d + 1]; i++)
                mine.push_back(fs->key_of[items[i]]);
            std::sort(mine.begin(), mine.end());
            mine.erase(std::unique(mine.begin(), mine.end()), mine.end());
            fs->key_items.insert(fs->key_items.end(), mine.begin(), mine.end());
            fs->key_ref[d + 1] = uint32_t(fs->key_items.size());
        }
        fs->key_items.shrink_to_fit();
        fs->key_docs.assign(fs->keys.size(), 0);
        for (uint32_t k : fs->key_items)
            fs->key_docs[k]++;
        fs->keys_by_docs.resize(fs->keys.size());
        std::iota(fs->keys_by_docs.begin(), fs->keys_by_docs.end(), 0u);
        const std::vector<uint32_t> &kd = fs->key_docs;
        std::stable_sort(fs->keys_by_docs.begin(), fs->keys_by_docs.end(),
                         [&](uint32_t a, uint32_t b) { return kd[a] > kd[b]; });
        fs->doc_ref.assign(fs->keys.size() + 1, 0);
        for (uint32_t k = 0; k < fs->keys.size(); k++)
            fs->doc_ref[k + 1] = fs->doc_ref[k] + kd[k];
        fs->doc_items.resize(fs->key_items.size());
        std::vector<uint32_t> fill(fs->doc_ref.begin(), fs->doc_ref.end() - 1);
        for (size_t d = 0; d + 1 < fs->key_ref.size(); d++)   /* docids ascending */
            for (uint32_t i = fs->key_ref[d]; i < fs->key_ref[d + 1]; i++)
                fs->doc_items[fill[fs->key_items[i]]++] = uint32_t(d);
    } else {
        for (uint32_t &x : ref)
            x = x == none ? nvalues : rank[x];
    }
    return fs;
}

/* The whole of a value slot, for reading per hit (see xs::ValueTable). */
std::shared_ptr<const xs::ValueTable> cached_table(xs_facet_cache &c, const Xapian::Database &rdb,
                                                   Xapian::valueno slot)
{
    auto it = c.tables.find(slot);
    if (it != c.tables.end())
        return it->second;
    auto t = std::make_shared<xs::ValueTable>();
    t->off.assign(size_t(c.lastdocid) + 2, 0);
    Xapian::docid next = 1;   /* the first docid whose start is not set yet */
    for (Xapian::ValueIterator v = rdb.valuestream_begin(slot), end = rdb.valuestream_end(slot);
         v != end; ++v) {
        const Xapian::docid did = v.get_docid();
        if (did < next || did > c.lastdocid)
            return nullptr;   /* cannot happen for a consistent revision */
        for (; next <= did; next++)
            t->off[next] = t->bytes.size();
        t->bytes += *v;
    }
    for (; next <= c.lastdocid + 1; next++)
        t->off[next] = t->bytes.size();
    t->bytes.shrink_to_fit();
    c.tables.emplace(slot, t);
    return t;
}

/* The cached slots for every facet asked for, reading those not read yet;
 * false if one cannot be cached (then count with spies). */
bool cached_slots(xs_facet_cache &c, const Xapian::Database &rdb, const xs_search_params *p,
                  std::vector<std::shared_ptr<const xs::FacetSlot>> &out)
{
    out.assign(p->nfacets, nullptr);
    for (size_t k = 0; k < p->nfacets; k++) {
        const std::pair<Xapian::valueno, bool> key(p->facets[k].slot, p->facets[k].multi != 0);
        auto it = c.slots.find(key);
        if (it == c.slots.end()) {
            std::unique_ptr<xs::FacetSlot> fs = read_slot(rdb, key.first, key.second, c.lastdocid);
            if (!fs)
                return false;
            it = c.slots.emplace(key, std::move(fs)).first;
        }
        out[k] = it->second;
    }
    return true;
}

/* Count one facet over the matching docids into f (byte order, non-zero
 * counts only); false if a docid lies outside the arrays (which would mean
 * the match set and the cache came from different revisions).
 *
 * The output walks the values that were seen.  Unless the increments
 * expected outnumber the distinct values, a bitmap of the values seen,
 * kept while counting, lets it skip the values with no match; otherwise
 * it scans the counts, which is then cheaper than keeping the bitmap. */
bool count_cached(const xs::FacetSlot &fs, const std::vector<Xapian::docid> &ids,
                  std::vector<xs_facet_item> &f)
{
    const size_t nvalues = fs.values.size();
    const uint32_t *ref = fs.ref.data();
    const size_t nref = fs.ref.size();
    const double per_doc = fs.multi ? double(fs.items.size()) / double(nref) : 1.0;
    /* About 4 instructions per increment for the bitmap against 6 per
     * value for the two scans of the counts. */
    const bool sparse = double(ids.size()) * per_doc < 1.5 * double(nvalues);
    /* Index nvalues stands for "no value" (single-valued slots). */
    std::vector<uint32_t> counts(nvalues + 1);
    std::vector<uint64_t> seen(sparse ? nvalues / 64 + 1 : 0);
    auto count = [&](auto add) {
        if (fs.multi) {
            const uint32_t *items = fs.items.data();
            for (Xapian::docid did : ids) {
                if (size_t(did) + 1 >= nref)
                    return false;
                for (uint32_t i = ref[did], e = ref[did + 1]; i < e; i++)
                    add(items[i]);
            }
        } else {
            for (Xapian::docid did : ids) {
                if (did >= nref)
                    return false;
                add(ref[did]);
            }
        }
        return true;
    };
    f.clear();
    if (!sparse) {
        if (!count([&](uint32_t v) { ++counts[v]; }))
            return false;
        size_t nonzero = 0;
        for (size_t j = 0; j < nvalues; j++)
            nonzero += counts[j] != 0;
        f.reserve(nonzero);
        for (size_t j = 0; j < nvalues; j++)
            if (counts[j])
                f.push_back(xs_facet_item{fs.values[j].c_str(), fs.values[j].size(), counts[j]});
        return true;
    }
    if (!count([&](uint32_t v) {
            ++counts[v];
            seen[v >> 6] |= uint64_t(1) << (v & 63);
        }))
        return false;
    seen[nvalues >> 6] &= ~(uint64_t(1) << (nvalues & 63));   /* drop "no value" */
    size_t nonzero = 0;
    for (uint64_t w : seen)
        nonzero += size_t(__builtin_popcountll(w));
    f.reserve(nonzero);
    for (size_t w = 0; w < seen.size(); w++)
        for (uint64_t b = seen[w]; b; b &= b - 1) {
            const size_t j = w * 64 + unsigned(__builtin_ctzll(b));
            f.push_back(xs_facet_item{fs.values[j].c_str(), fs.values[j].size(), counts[j]});
        }
    return true;
}

/* Keep the `limit` items with the highest counts (ties in byte order), in
 * that order; with limit 0 leave f alone (byte order). */
void keep_top(std::vector<xs_facet_item> &f, unsigned limit)
{
    if (!limit)
        return;
    auto before = [](const xs_facet_item &a, const xs_facet_item &b) {
        if (a.count != b.count)
            return a.count > b.count;
        const int c = memcmp(a.value, b.value, std::min(a.len, b.len));
        return c ? c < 0 : a.len < b.len;
    };
    if (f.size() > limit) {
        std::nth_element(f.begin(), f.begin() + limit, f.end(), before);
        f.resize(limit);
    }
    std::sort(f.begin(), f.end(), before);
}

/* Offer group g to `sel`, a heap of the best `limit` groups so far (by
 * `before`) whose front is the worst of them. */
template <class Before>
void offer_top(std::vector<uint32_t> &sel, size_t limit, uint32_t g, const Before &before)
{
    if (sel.size() < limit) {
        sel.push_back(g);
        std::push_heap(sel.begin(), sel.end(), before);
    } else if (before(g, sel.front())) {
        std::pop_heap(sel.begin(), sel.end(), before);
        sel.back() = g;
        std::push_heap(sel.begin(), sel.end(), before);
    }
}

/* The top `limit` keys (of any tag) of a match set, with their exact counts
 * in `counts` (each counted key also in `touched`), best first in `sel`,
 * counting only keys that can still get in: keys are taken by how many
 * documents have them, highest first, each counted by walking its
 * documents against a bitmap of the match set, until the heap is full and
 * the next key's document count (a bound on its count) is below the worst
 * kept count.  A large match set's top keys are frequent ones, so this
 * stops after a few keys where the per-document count would visit every
 * (document, key) pair.  Gives up (false) once it has walked `budget`
 * documents, the cost of counting the other way. */
bool top_keys_by_bound(const xs::FacetSlot &fs, const std::vector<Xapian::docid> &ids, size_t limit,
                       uint64_t budget, std::vector<uint32_t> &counts, std::vector<uint32_t> &touched,
                       std::vector<uint32_t> &sel)
{
    const size_t nref = fs.key_ref.size();
    if (fs.doc_ref.size() != fs.keys.size() + 1 || nref == 0)
        return false;
    std::vector<uint64_t> in(nref / 64 + 1);
    for (Xapian::docid did : ids) {
        if (size_t(did) + 1 >= nref)
            return false;
        in[did / 64] |= uint64_t(1) << (did % 64);
    }
    auto before = [&](uint32_t a, uint32_t b) {
        return counts[a] != counts[b] ? counts[a] > counts[b] : a < b;
    };
    const uint32_t *docs = fs.doc_items.data();
    uint64_t spent = 0;
    sel.clear();
    for (uint32_t g : fs.keys_by_docs) {
        /* Keys further on have at most as many documents and, with as
         * many, higher indices, which lose ties. */
        if (sel.size() == limit && (fs.key_docs[g] < counts[sel.front()] ||
                                    (fs.key_docs[g] == counts[sel.front()] && g > sel.front())))
            break;
        if ((spent += fs.key_docs[g]) > budget)
            return false;
        uint32_t c = 0;
        for (uint32_t i = fs.doc_ref[g], e = fs.doc_ref[g + 1]; i < e; i++)
            c += uint32_t(in[docs[i] / 64] >> (docs[i] % 64)) & 1u;
        if (c == 0)
            continue;
        counts[g] = c;
        touched.push_back(g);
        offer_top(sel, limit, g, before);
    }
    std::sort(sel.begin(), sel.end(), before);
    return true;
}

/* count_cached for a spec with by_key, tag or limit (multi-valued slots):
 * counts per key (or per value) in integer space, each once per document,
 * then only the kept items become strings. */
bool count_cached_keyed(const xs::FacetSlot &fs, const xs_facet_spec &spec,
                        const std::vector<Xapian::docid> &ids, std::vector<uint32_t> &counts,
                        std::vector<uint32_t> &last, std::vector<xs_facet_item> &f)
{
    const bool by_key = spec.by_key != 0;
    const unsigned char tag = (unsigned char)spec.tag;
    const size_t ngroups = by_key ? fs.keys.size() : fs.values.size();
    const uint32_t *ref = fs.ref.data();
    const size_t nref = fs.ref.size();
    if (counts.size() < ngroups)
        counts.resize(ngroups, 0);
    std::vector<uint32_t> touched;
    /* Zero what this search counted, whatever way it returns. */
    struct Reset {
        std::vector<uint32_t> &counts, &last, &touched;
        ~Reset()
        {
            for (uint32_t g : touched) {
                counts[g] = 0;
                if (g < last.size())
                    last[g] = 0;
            }
        }
    } reset{counts, last, touched};
    const uint32_t *cnt = counts.data();   /* the counts the selection reads */
    std::vector<uint32_t> totals;             /* complement counting: every group's count */
    bool complement = false;
    std::vector<uint32_t> sel;
    bool selected = false;
    if (by_key && !tag && spec.limit && spec.limit <= 256) {
        /* What counting per document would visit: the (document, key)
         * pairs of the match set or of its complement, about. */
        const uint64_t pairs = fs.key_items.size(), ndocs = nref > 1 ? nref - 1 : 1;
        const uint64_t smaller = std::min<uint64_t>(ids.size(), ndocs - std::min<uint64_t>(ids.size(), ndocs));
        selected = top_keys_by_bound(fs, ids, spec.limit, pairs * smaller / ndocs, counts, touched, sel);
        if (!selected) {
            for (uint32_t g : touched)
                counts[g] = 0;
            touched.clear();
            sel.clear();
        }
    }
    if (selected) {
        /* counts and sel are ready */
    } else if (by_key && !tag) {
        /* Keys of any tag: each document's distinct keys are listed. */
        const uint32_t *kref = fs.key_ref.data(), *kitems = fs.key_items.data();
        auto add = [&](Xapian::docid did) {
            for (uint32_t i = kref[did], e = kref[did + 1]; i < e; i++)
                if (counts[kitems[i]]++ == 0)
                    touched.push_back(kitems[i]);
        };
        if (2 * ids.size() <= nref) {
            for (Xapian::docid did : ids) {
                if (size_t(did) + 1 >= nref)
                    return false;
                add(did);
            }
        } else {
            /* More than half the documents match: count the others and
             * take them from each key's total. */
            size_t j = 0;   /* ids are ascending */
            for (Xapian::docid did = 1; size_t(did) + 1 < nref; did++) {
                if (j < ids.size() && ids[j] == did)
                    j++;
                else
                    add(did);
            }
            if (j != ids.size())
                return false;   /* a docid out of range, or not ascending */
            totals.resize(ngroups);
            for (uint32_t g = 0; g < ngroups; g++)
                totals[g] = fs.key_docs[g] - counts[g];
            cnt = totals.data();
            complement = true;
        }
    } else {
        /* One tag, or values: filter the items; `last` (the docid that last
         * counted a group) counts a key once per document. */
        if (last.size() < ngroups)
            last.resize(ngroups, 0);
        for (Xapian::docid did : ids) {
            if (size_t(did) + 1 >= nref)
                return false;
            for (uint32_t i = ref[did], e = ref[did + 1]; i < e; i++) {
                const uint32_t v = fs.items[i];
                if (tag && fs.tag_of[v] != tag)
                    continue;
                const uint32_t g = by_key ? fs.key_of[v] : v;
                if (last[g] == did)
                    continue;
                last[g] = did;
                if (counts[g]++ == 0)
                    touched.push_back(g);
            }
        }
    }
    auto text = [&](uint32_t g) -> const std::string & { return by_key ? fs.keys[g] : fs.values[g]; };
    /* Group indices follow the byte order of their texts (keys and values
     * are both sorted), so ties compare indices, not strings. */
    auto before = [&](uint32_t a, uint32_t b) { return cnt[a] != cnt[b] ? cnt[a] > cnt[b] : a < b; };
    /* Each group with a count, once (`touched` stays whole: the reset
     * needs it). */
    auto each_group = [&](auto visit) {
        if (complement) {
            for (uint32_t g = 0; g < ngroups; g++)
                if (cnt[g])
                    visit(g);
        } else {
            for (uint32_t g : touched)
                visit(g);
        }
    };
    if (selected) {
        /* top_keys_by_bound chose them */
    } else if (spec.limit && spec.limit <= 256) {
        /* A heap of the best `limit` so far, its front the worst of them. */
        sel.reserve(spec.limit);
        auto offer = [&](uint32_t g) { offer_top(sel, spec.limit, g, before); };
        if (complement) {
            /* Keys by document count, highest first: once the heap is full
             * and a key's document count (a bound on its count here) is
             * below the worst kept count, no later key can get in. */
            for (uint32_t g : fs.keys_by_docs) {
                if (sel.size() == spec.limit && fs.key_docs[g] < cnt[sel.front()])
                    break;
                if (cnt[g])
                    offer(g);
            }
        } else {
            each_group(offer);
        }
        std::sort(sel.begin(), sel.end(), before);
    } else {
        each_group([&](uint32_t g) { sel.push_back(g); });
        if (spec.limit && sel.size() > spec.limit) {
            std::nth_element(sel.begin(), sel.begin() + spec.limit, sel.end(), before);
            sel.resize(spec.limit);
        }
        if (spec.limit)
            std::sort(sel.begin(), sel.end(), before);
        else
            std::sort(sel.begin(), sel.end());   /* group indices are in byte order */
    }
    const size_t keep = sel.size();
    f.clear();
    f.reserve(keep);
    for (size_t i = 0; i < keep; i++)
        f.push_back(xs_facet_item{text(sel[i]).c_str(), text(sel[i]).size(), cnt[sel[i]]});
    return true;
}

/* The counting pass: the query over the whole match set, unscored, in
 * docid order, with the given spies.  Exact: checkatleast is the
 * doccount. */
Xapian::MSet counting_pass(const Xapian::Database &rdb, const Xapian::Query &q,
                           const std::vector<Xapian::MatchSpy *> &spies, Xapian::doccount ndocs)
{
    Xapian::Enquire e(rdb);
    e.set_query(q);
    e.set_weighting_scheme(Xapian::BoolWeight());
    e.set_docid_order(Xapian::Enquire::ASCENDING);
    for (Xapian::MatchSpy *s : spies)
        e.add_matchspy(s);
    Xapian::MSet ms = e.get_mset(0, 0, ndocs);
    /* The MSet keeps Enquire internals alive; drop the borrowed spies now
     * rather than leave dangling pointers there. */
    e.clear_matchspies();
    return ms;
}

/* Whether q's match set is a plain union of posting lists: terms,
 * MatchAll and MatchNothing under OR-like operators (OR, SYNONYM, MAX,
 * SCALE_WEIGHT, and AND_MAYBE, whose right side never adds a match).  If
 * so, `terms` gets its terms and `all` is set if it holds MatchAll. */
bool term_union(const Xapian::Query &q, std::vector<std::string> &terms, bool &all, unsigned depth)
{
    if (depth > 64)
        return false;
    switch (q.get_type()) {
      case Xapian::Query::LEAF_TERM: {
        Xapian::TermIterator t = q.get_terms_begin();
        if (t == q.get_terms_end())
            return false;
        terms.push_back(*t);
        return true;
      }
      case Xapian::Query::LEAF_MATCH_ALL:
        all = true;
        return true;
      case Xapian::Query::LEAF_MATCH_NOTHING:
        return true;
      case Xapian::Query::OP_SCALE_WEIGHT:
      case Xapian::Query::OP_AND_MAYBE:
        return q.get_num_subqueries() > 0 && term_union(q.get_subquery(0), terms, all, depth + 1);
      case Xapian::Query::OP_OR:
      case Xapian::Query::OP_SYNONYM:
      case Xapian::Query::OP_MAX:
        for (size_t i = 0, n = q.get_num_subqueries(); i < n; i++)
            if (!term_union(q.get_subquery(i), terms, all, depth + 1))
                return false;
        return true;
      default:
        return false;
    }
}

/* The matching docids of a term union (see term_union), ascending, read
 * straight from the posting lists: the same set the matcher would find,
 * without its per-document work.  false if q is not such a union. */
bool union_docids(const Xapian::Database &rdb, const Xapian::Query &q, Xapian::docid last,
                  std::vector<Xapian::docid> &ids)
{
    std::vector<std::string> terms;
    bool all = false;
    if (!term_union(q, terms, all, 0))
        return false;
    ids.clear();
    if (all)
        terms.assign(1, std::string());   /* the empty term's posting list: every document */
    std::sort(terms.begin(), terms.end());
    terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
    if (terms.size() == 1) {
        for (Xapian::PostingIterator it = rdb.postlist_begin(terms[0]), end = rdb.postlist_end(terms[0]);
             it != end; ++it)
            ids.push_back(*it);
        return true;
    }
    std::vector<uint64_t> bits(size_t(last) / 64 + 1);
    size_t most = 0;
    for (const std::string &t : terms) {
        size_t n = 0;
        for (Xapian::PostingIterator it = rdb.postlist_begin(t), end = rdb.postlist_end(t); it != end;
             ++it, ++n) {
            const Xapian::docid did = *it;
            if (did > last)
                return false;   /* cannot happen for the revision `last` came from */
            bits[did >> 6] |= uint64_t(1) << (did & 63);
        }
        most = std::max(most, n);
    }
    ids.reserve(most);
    for (size_t w = 0; w < bits.size(); w++)
        for (uint64_t b = bits[w]; b; b &= b - 1)
            ids.push_back(Xapian::docid(w * 64 + unsigned(__builtin_ctzll(b))));
    return true;
}

/* Facet counts and the exact total with the cache; false if the cache
 * cannot serve this search (nothing was changed then). */
bool facets_from_cache(xs_db *db, const Xapian::Query &q, const xs_search_params *p,
                       Xapian::doccount ndocs, xs_mset &m)
{
    xs_facet_cache *c = facet_cache(db);
    std::vector<std::shared_ptr<const xs::FacetSlot>> slots;
    if (!c || !cached_slots(*c, db->rdb, p, slots))
        return false;
    /* The counting pass, or for a union of terms the posting lists alone. */
    DocidSpy spy;
    if (!union_docids(db->rdb, q, c->lastdocid, spy.ids)) {
        spy.ids.clear();
        counting_pass(db->rdb, q, {&spy}, ndocs);
    }
    std::vector<std::vector<xs_facet_item>> facets(p->nfacets);
    for (size_t k = 0; k < p->nfacets; k++) {
        const xs_facet_spec &spec = p->facets[k];
        const bool keyed = spec.multi && (spec.by_key || spec.tag || spec.limit);
        if (!(keyed ? count_cached_keyed(*slots[k], spec, spy.ids, c->counts, c->last, facets[k])
                    : count_cached(*slots[k], spy.ids, facets[k]))) {
            db->facet_cache.reset();
            return false;
        }
    }
    m.facets = std::move(facets);
    m.keep.assign(slots.begin(), slots.end());
    m.total = spy.ids.size();
    m.exact_total = true;
    return true;
}

/* Count the items of a multi-valued slot from a built-in ValueCountMatchSpy
 * over the slot's whole values: each distinct value (a document's list)
 * with the number of matching documents holding it, split here into its
 * items, which add that number to their counts (each item once per value,
 * with the spec's tag and by_key rules).  The same counts as MultiValueSpy,
 * from a spy that remote shards can run: only Xapian's own match spies can
 * be sent to xapian-tcpsrv.  What crosses the network is each shard's
 * distinct lists and their counts (measured in bench/run.sh). */
void split_value_counts(const Xapian::ValueCountMatchSpy &spy, const xs_facet_spec &spec,
                        std::vector<xs_facet_item> &out, std::deque<std::string> &owned)
{
    std::map<std::string, uint64_t, std::less<>> counts;
    std::vector<std::string_view> items;
    for (Xapian::TermIterator it = spy.values_begin(), end = spy.values_end(); it != end; ++it) {
        const std::string v = *it;
        const uint64_t n = it.get_termfreq();
        items.clear();
        for_each_item(v, [&](std::string_view item) {
            if ((spec.tag && item[0] != spec.tag) || (spec.by_key && item.size() < 2))
                return;
            items.push_back(spec.by_key ? item.substr(1) : item);
        });
        if (items.size() > 1) {
            std::sort(items.begin(), items.end());
            items.erase(std::unique(items.begin(), items.end()), items.end());
        }
        for (std::string_view item : items) {
            auto c = counts.lower_bound(item);
            if (c != counts.end() && c->first == item)
                c->second += n;
            else
                counts.emplace_hint(c, std::string(item), n);
        }
    }
    out.reserve(counts.size());
    while (!counts.empty()) {
        auto node = counts.extract(counts.begin());
        const std::string &v = owned.emplace_back(std::move(node.key()));
        out.push_back(xs_facet_item{v.c_str(), v.size(), node.mapped()});
    }
    keep_top(out, spec.limit);
}

/* Whether the top `limit` of the summed counts of facet k are exact when
 * every shard gave only its own top values (parts[i].facets[k], count
 * descending): a value missing from a shard's list that is not complete
 * counts there at most the list's last count, so a value's sum lies
 * between what the lists give and that plus the missing shards' last
 * counts.  Exact if every value kept has all its counts and no value left
 * out (nor one in no list) could reach the last kept count. */
bool top_is_exact(const std::vector<xs_mset> &parts, size_t k, unsigned asked, unsigned limit,
                  const std::vector<xs_facet_item> &kept,
                  const std::unordered_map<std::string_view, std::pair<uint64_t, uint64_t>> &sum)
{
    uint64_t slack = 0;                 /* the bound of a value in no list */
    std::vector<uint64_t> last(parts.size(), 0);
    for (size_t i = 0; i < parts.size(); i++) {
        const std::vector<xs_facet_item> &f = parts[i].facets[k];
        if (f.size() >= asked)          /* cut: values may be missing */
            last[i] = f.back().count;
        slack += last[i];
    }
    if (slack == 0)
        return true;                    /* every list complete */
    if (kept.size() < limit)
        return false;
    const uint64_t floor = kept.back().count;
    if (slack >= floor)
        return false;
    /* present: bit i set when shard i listed the value (at most 64 shards). */
    auto bound = [&](uint64_t present, uint64_t s) {
        uint64_t u = s;
        for (size_t i = 0; i < parts.size(); i++)
            if (!(present >> i & 1))
                u += last[i];
        return u;
    };
    std::unordered_map<std::string_view, bool> in_top;
    for (const xs_facet_item &it : kept) {
        auto e = sum.find(std::string_view(it.value, it.len));
        if (e == sum.end() || bound(e->second.second, e->second.first) != e->second.first)
            return false;
        in_top[e->first] = true;
    }
    for (const auto &[v, e] : sum)
        if (!in_top.count(v) && bound(e.second, e.first) >= floor)
            return false;
    return true;
}

/* Local shards of a reader: each shard counted with its own facet cache
 * (the cache rule holds for one shard alone: one database, one revision),
 * then the shards' counts summed and the top values kept.  A shard first
 * gives its top 8 x limit values (at least 200); when that cannot prove
 * the top exact (top_is_exact), every value of every shard.  So the counts
 * are exact and the same as one database's.  false (m untouched) when
 * some shard's cache cannot serve. */
bool facets_from_local_shards(xs_db *db, const Xapian::Query &q, const xs_search_params *p, xs_mset &m)
{
    if (db->shards.size() < 2 || db->shards.size() > 64 || db->remote || db->writable)
        return false;
    for (int round = 0; round < 2; round++) {
        std::vector<xs_facet_spec> specs(p->facets, p->facets + p->nfacets);
        for (xs_facet_spec &f : specs)
            f.limit = round == 0 && f.limit ? std::max(f.limit * 8, 200u) : 0;
        xs_search_params p1 = *p;
        p1.facets = specs.data();
        std::vector<xs_mset> parts;
        parts.reserve(db->shards.size());
        for (xs::Shard &s : db->shards) {
            if (s.missing)
                continue;
            if (!s.alone) {
                s.alone = std::make_shared<xs_db>();
                s.alone->rdb = s.db;
            }
            const Xapian::doccount n = s.db.get_doccount();
            parts.emplace_back();
            if (n == 0) {
                parts.back().facets.resize(p->nfacets);
                continue;
            }
            if (!facets_from_cache(s.alone.get(), q, &p1, n, parts.back()))
                return false;
        }
        std::vector<std::vector<xs_facet_item>> facets(p->nfacets);
        bool exact = true;
        for (size_t k = 0; k < p->nfacets && exact; k++) {
            /* Summed by value (with the shards that listed it), the top
             * kept; strings are copied out of the shards' tables below. */
            std::unordered_map<std::string_view, std::pair<uint64_t, uint64_t>> sum;
            size_t most = 0;
            for (const xs_mset &part : parts)
                most = std::max(most, part.facets[k].size());
            sum.reserve(most * 2);
            for (size_t i = 0; i < parts.size(); i++)
                for (const xs_facet_item &it : parts[i].facets[k]) {
                    auto &e = sum[std::string_view(it.value, it.len)];
                    e.first += it.count;
                    e.second |= uint64_t(1) << i;
                }
            std::vector<xs_facet_item> &f = facets[k];
            f.reserve(sum.size());
            for (const auto &[v, e] : sum)
                f.push_back(xs_facet_item{v.data(), v.size(), e.first});
            if (p->facets[k].limit) {
                keep_top(f, p->facets[k].limit);
                exact = round == 1 || top_is_exact(parts, k, specs[k].limit, p->facets[k].limit, f, sum);
            } else {
                std::sort(f.begin(), f.end(), [](const xs_facet_item &a, const xs_facet_item &b) {
                    return std::string_view(a.value, a.len) < std::string_view(b.value, b.len);
                });
            }
        }
        if (!exact)
            continue;
        m.facets.assign(p->nfacets, {});
        for (size_t k = 0; k < p->nfacets; k++) {
            for (xs_facet_item &it : facets[k]) {
                const std::string &own = m.owned.emplace_back(it.value, it.len);
                it.value = own.c_str();
            }
            m.facets[k] = std::move(facets[k]);
        }
        m.total = 0;
        for (const xs_mset &part : parts)
            m.total += part.total;
        m.exact_total = true;
        return true;
    }
    return false;
}

/* The fallback: the counting pass carries a value-reading spy per facet
 * (built-in ones only when some shard is remote). */
void facets_from_spies(const xs_db *db, const Xapian::Query &q, const xs_search_params *p,
                       Xapian::doccount ndocs, xs_mset &m)
{
    /* The spies are declared before the Enquire (inside counting_pass) so
     * that they outlive it (Enquire only borrows them). */
    std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> single(p->nfacets);
    std::vector<std::unique_ptr<MultiValueSpy>> multi(p->nfacets);
    std::vector<Xapian::MatchSpy *> spies;
    for (size_t k = 0; k < p->nfacets; k++) {
        if (p->facets[k].multi && !db->remote) {
            multi[k].reset(new MultiValueSpy(p->facets[k]));
            spies.push_back(multi[k].get());
        } else {
            single[k].reset(new Xapian::ValueCountMatchSpy(p->facets[k].slot));
            spies.push_back(single[k].get());
        }
    }
    Xapian::MSet ms = counting_pass(db->rdb, q, spies, ndocs);
    m.facets.assign(p->nfacets, {});
    for (size_t k = 0; k < p->nfacets; k++) {
        std::vector<xs_facet_item> &f = m.facets[k];
        if (multi[k]) {
            multi[k]->take(f, m.owned);
            continue;
        }
        const Xapian::ValueCountMatchSpy &spy = *single[k];
        if (p->facets[k].multi) {
            split_value_counts(spy, p->facets[k], f, m.owned);
            continue;
        }
        for (Xapian::TermIterator it = spy.values_begin(), end = spy.values_end(); it != end; ++it) {
            const std::string &v = m.owned.emplace_back(*it);
            f.push_back(xs_facet_item{v.c_str(), v.size(), it.get_termfreq()});
        }
    }
    /* With checkatleast = doccount the bounds are equal: the exact count. */
    m.total = ms.get_matches_estimated();
    m.exact_total = true;
}

/* Expansion terms: only unprefixed (free-text) terms.  Prefixed terms start
 * with an ASCII capital letter, which no folded word does. */
class PlainTermDecider : public Xapian::ExpandDecider {
  public:
    bool operator()(const std::string &term) const override
    {
        return !term.empty() && !(term[0] >= 'A' && term[0] <= 'Z');
    }
};

bool bad_param(double x, double lo, double hi)
{
    return !std::isfinite(x) || x < lo || x > hi;
}

}  // namespace

namespace {
xs_mset *search_once(xs_db *db, const xs_query *q, const xs_search_params *p);
}

int xs::hit_at(const xs_mset &m, size_t i, Xapian::MSetIterator &it, char *err, size_t errlen)
{
    if (i >= m.mset.size())
        return fail(err, errlen, LSX_EINVAL, "hit %zu out of range (page has %zu)", i,
                    static_cast<size_t>(m.mset.size()));
    it = m.mset[static_cast<Xapian::doccount>(i)];
    return LSX_OK;
}

extern "C" {

int xs_search(xs_db *db, const xs_query *q, const xs_search_params *p, xs_mset **out, char *err,
              size_t errlen)
{
    if (!out)
        return fail(err, errlen, LSX_EINVAL, "xs_search: no output pointer");
    *out = nullptr;
    if (!db || !q || !p)
        return fail(err, errlen, LSX_EINVAL, "xs_search: missing database, query or parameters");
    if (bad_param(p->k1, 0.0, HUGE_VAL) || bad_param(p->b, 0.0, 1.0))
        return fail(err, errlen, LSX_EINVAL, "BM25 parameters out of range (k1 = %g >= 0, 0 <= b = %g <= 1)",
                    p->k1, p->b);
    if (p->nfacets && !p->facets)
        return fail(err, errlen, LSX_EINVAL, "xs_search: facet count without facet specs");
    XS_TRY
    for (int attempt = 0;; attempt++) {
        try {
            *out = search_once(db, q, p);
            return LSX_OK;
        } catch (const Xapian::NetworkError &) {
            /* A remote shard died or timed out: find which (reconnecting
             * every remote shard), then fail naming them or, partial,
             * search again without them. */
            if (db->shards.empty() || db->writable || attempt > 0)
                throw;
            std::string failed;
            size_t nfailed = xs::recover_shards(db, failed);
            if (nfailed && !db->partial)
                return fail(err, errlen, LSX_EIO, "%s", failed.c_str());
            if (db->partial && db->rdb.size() == 0)
                return fail(err, errlen, LSX_EIO, "every shard failed: %s", failed.c_str());
        }
    }
    XS_CATCH(err, errlen)
}

}  // extern "C"

namespace {

xs_mset *search_once(xs_db *db, const xs_query *q, const xs_search_params *p)
{
    std::unique_ptr<xs_mset> m(new xs_mset);

    /* The ranked pass: the page, exactly as without facets. */
    Xapian::Enquire enquire(db->rdb);
    enquire.set_query(q->q);
    /* k2 = 0 (no query-length correction), k3 = 1 (query term frequency
     * counts linearly), min_normlen = 0.5 (Xapian's default). */
    enquire.set_weighting_scheme(Xapian::BM25Weight(p->k1, 0, 1, p->b, 0.5));
    std::unique_ptr<Xapian::MultiValueKeyMaker> keys;
    if (p->nsort_slots == 1 && p->sort_slots) {
        /* One slot: Xapian's value sort, which remote shards can run. */
        enquire.set_sort_by_value_then_relevance(p->sort_slots[0], p->sort_reverse != 0);
    } else if (p->nsort_slots && p->sort_slots) {
        keys.reset(new Xapian::MultiValueKeyMaker);
        /* Missing values sort last either way: "" after every date when
         * reversed, and a key above every date when not. */
        for (size_t i = 0; i < p->nsort_slots; i++)
            keys->add_value(p->sort_slots[i], p->sort_reverse != 0, p->sort_reverse ? "" : "\xff");
        enquire.set_sort_by_key_then_relevance(keys.get(), false);
    }
    m->mset = enquire.get_mset(p->first, p->maxitems, p->nfacets ? 0 : p->checkatleast);
    m->first = p->first;
    m->db = db->rdb;
    if (p->hit_slot_plus1 && m->mset.size() > 0) {
        if (xs_facet_cache *c = facet_cache(db)) {
            m->hit_values = cached_table(*c, db->rdb, p->hit_slot_plus1 - 1);
            m->hit_slot = p->hit_slot_plus1 - 1;
        }
    }

    /* The counting pass (see the top of this file). */
    if (p->nfacets) {
        const Xapian::doccount ndocs = db->rdb.get_doccount();
        if (ndocs == 0) {
            m->facets.resize(p->nfacets);
            m->exact_total = true;
        } else if (!facets_from_cache(db, q->q, p, ndocs, *m) &&
                   !facets_from_local_shards(db, q->q, p, *m)) {
            facets_from_spies(db, q->q, p, ndocs, *m);
        }
    }
    return m.release();
}

}  // namespace

extern "C" {

void xs_mset_free(xs_mset *m)
{
    delete m;
}

size_t xs_mset_size(const xs_mset *m)
{
    if (!m)
        return 0;
    try {
        return m->mset.size();
    } catch (...) {   /* these don't throw in 1.4, but nothing may cross into C */
        return 0;
    }
}

uint64_t xs_mset_matches_estimated(const xs_mset *m)
{
    if (!m)
        return 0;
    if (m->exact_total)
        return m->total;
    try {
        return m->mset.get_matches_estimated();
    } catch (...) {   /* these don't throw in 1.4, but nothing may cross into C */
        return 0;
    }
}

uint64_t xs_mset_matches_lower(const xs_mset *m)
{
    if (!m)
        return 0;
    if (m->exact_total)
        return m->total;
    try {
        return m->mset.get_matches_lower_bound();
    } catch (...) {   /* these don't throw in 1.4, but nothing may cross into C */
        return 0;
    }
}

uint64_t xs_mset_matches_upper(const xs_mset *m)
{
    if (!m)
        return 0;
    if (m->exact_total)
        return m->total;
    try {
        return m->mset.get_matches_upper_bound();
    } catch (...) {   /* these don't throw in 1.4, but nothing may cross into C */
        return 0;
    }
}

int xs_mset_hit(xs_mset *m, size_t i, uint32_t *docid, double *weight, char **data, size_t *dlen,
                char *err, size_t errlen)
{
    if (data)
        *data = nullptr;
    if (dlen)
        *dlen = 0;
    if (!m)
        return fail(err, errlen, LSX_EINVAL, "no result set");
    XS_TRY
    Xapian::MSetIterator it;
    if (int rc = xs::hit_at(*m, i, it, err, errlen))
        return rc;
    if (docid)
        *docid = *it;
    if (weight)
        *weight = it.get_weight();
    if (data) {
        const std::string d = m->db.get_document(*it, Xapian::DOC_ASSUME_VALID).get_data();
        if (!(*data = xs::dup_bytes(d.data(), d.size())))
            return fail(err, errlen, LSX_ENOMEM, "out of memory");
        if (dlen)
            *dlen = d.size();
    }
    return LSX_OK;
    XS_CATCH(err, errlen)
}

int xs_mset_hit_data(xs_mset *m, size_t i, const char **data, size_t *dlen, char *err,
                     size_t errlen)
{
    if (!data || !dlen)
        return fail(err, errlen, LSX_EINVAL, "xs_mset_hit_data: no output pointer");
    *data = nullptr;
    *dlen = 0;
    if (!m)
        return fail(err, errlen, LSX_EINVAL, "no result set");
    XS_TRY
    Xapian::MSetIterator it;
    if (int rc = xs::hit_at(*m, i, it, err, errlen))
        return rc;
    if (m->data.empty()) {   /* not read yet: hit_at has checked the page has hit i */
        /* Docid order: the docdata table's cursor keeps its current block,
         * so neighbours in docid order cost no further read. */
        const size_t n = m->mset.size();
        std::vector<std::pair<Xapian::docid, size_t>> order(n);
        for (size_t j = 0; j < n; j++)
            order[j] = {*m->mset[static_cast<Xapian::doccount>(j)], j};
        std::sort(order.begin(), order.end());
        std::vector<std::string> got(n);
        for (const auto &o : order)
            got[o.second] = m->db.get_document(o.first, Xapian::DOC_ASSUME_VALID).get_data();
        m->data.swap(got);
    }
    *data = m->data[i].data();
    *dlen = m->data[i].size();
    return LSX_OK;
    XS_CATCH(err, errlen)
}

size_t xs_mset_facet_size(const xs_mset *m, size_t k)
{
    return m && k < m->facets.size() ? m->facets[k].size() : 0;
}

int xs_mset_facet_value(const xs_mset *m, size_t k, size_t j, const char **val, size_t *len,
                        uint64_t *count)
{
    if (!m || k >= m->facets.size() || j >= m->facets[k].size())
        return LSX_EINVAL;
    const xs_facet_item &f = m->facets[k][j];
    if (val)
        *val = f.value;
    if (len)
        *len = f.len;
    if (count)
        *count = f.count;
    return LSX_OK;
}

/* ---- relevance feedback ------------------------------------------------- */

/* In how many of the documents `sorted` (ascending docids) the term occurs. */
static unsigned docs_with(const Xapian::Database &rdb, const std::string &term,
                          const std::vector<Xapian::docid> &sorted)
{
    unsigned r = 0;
    Xapian::PostingIterator p = rdb.postlist_begin(term), end = rdb.postlist_end(term);
    for (Xapian::docid d : sorted) {
        p.skip_to(d);
        if (p == end)
            break;
        r += *p == d;
    }
    return r;
}

int xs_expand(xs_db *db, const xs_query *q, const uint32_t *docids, size_t n, size_t nterms,
              unsigned min_docs, char ***terms, double **weights, size_t *count, char *err,
              size_t errlen)
{
    if (!terms || !weights || !count)
        return fail(err, errlen, LSX_EINVAL, "xs_expand: no output pointer");
    *terms = nullptr;
    *weights = nullptr;
    *count = 0;
    if (!db)
        return fail(err, errlen, LSX_EINVAL, "no database handle");
    if (n && !docids)
        return fail(err, errlen, LSX_EINVAL, "xs_expand: no document ids");
    if (n == 0 || nterms == 0)
        return LSX_OK;
    XS_TRY
    Xapian::RSet rset;
    for (size_t i = 0; i < n; i++)
        rset.add_document(docids[i]);
    Xapian::Enquire enquire(db->rdb);
    /* get_eset leaves out the terms of the Enquire's query by default. */
    if (q)
        enquire.set_query(q->q);
    PlainTermDecider decider;
    const Xapian::termcount want =
        nterms > 0xffffffffu ? 0xffffffffu : static_cast<Xapian::termcount>(nterms);
    /* With the min_docs rule, ask for more candidates than wanted: the
     * rule drops the terms of a single document (often the noise of an
     * off-topic feedback document). */
    const bool rule = min_docs > 1 && n >= min_docs;
    const Xapian::termcount ask = rule && want < 0x3fffffffu ? 4 * want : want;
    Xapian::ESet eset = enquire.get_eset(ask, rset, &decider);
    std::vector<Xapian::docid> sorted(docids, docids + n);
    std::sort(sorted.begin(), sorted.end());
    std::vector<std::pair<std::string, double>> kept;
    for (Xapian::ESetIterator it = eset.begin(); it != eset.end() && kept.size() < want; ++it) {
        std::string term = *it;
        if (rule && docs_with(db->rdb, term, sorted) < min_docs)
            continue;
        kept.emplace_back(std::move(term), it.get_weight());
    }
    const size_t got = kept.size();
    if (got == 0)
        return LSX_OK;

    /* Owns the arrays until they are handed over, so an exception (or a
     * failed malloc) half-way through frees what was built. */
    struct Out {
        char **t = nullptr;
        double *w = nullptr;
        size_t n = 0;
        ~Out() { xs_terms_free(t, w, n); }
    } o;
    o.t = static_cast<char **>(malloc(got * sizeof *o.t));
    o.w = static_cast<double *>(malloc(got * sizeof *o.w));
    if (!o.t || !o.w)
        return fail(err, errlen, LSX_ENOMEM, "out of memory");
    /* The ESet comes sorted by weight, best first, and so does `kept`. */
    for (const auto &[term, weight] : kept) {
        o.w[o.n] = weight;
        if (!(o.t[o.n] = xs::dup_bytes(term.data(), term.size())))
            return fail(err, errlen, LSX_ENOMEM, "out of memory");
        ++o.n;
    }
    *terms = o.t;
    *weights = o.w;
    *count = o.n;
    o.t = nullptr;
    o.w = nullptr;
    o.n = 0;
    return LSX_OK;
    XS_CATCH(err, errlen)
}

int xs_prefix_terms(xs_db *db, const char *prefix, size_t plen, size_t max, char ***terms, size_t *count,
                    char *err, size_t errlen)
{
    if (!db || !terms || !count || (!prefix && plen))
        return fail(err, errlen, LSX_EINVAL, "xs_prefix_terms: missing argument");
    *terms = nullptr;
    *count = 0;
    XS_TRY
    std::vector<std::string> found;
    const std::string pfx = xs::bytes(prefix, plen);
    for (Xapian::TermIterator it = db->rdb.allterms_begin(pfx), end = db->rdb.allterms_end(pfx);
         it != end && found.size() < max; ++it)
        found.push_back(*it);
    if (found.empty())
        return LSX_OK;
    char **out = static_cast<char **>(calloc(found.size(), sizeof *out));
    if (!out)
        throw std::bad_alloc();
    for (size_t i = 0; i < found.size(); i++) {
        if (!(out[i] = xs::dup_bytes(found[i].data(), found[i].size()))) {
            xs_terms_free(out, nullptr, i);
            throw std::bad_alloc();
        }
    }
    *terms = out;
    *count = found.size();
    return LSX_OK;
    XS_CATCH(err, errlen)
}

void xs_terms_free(char **terms, double *weights, size_t count)
{
    if (terms)
        for (size_t i = 0; i < count; i++)
            free(terms[i]);
    free(terms);
    free(weights);
}

}  // extern "C"

/*
 * shim-search.cc - running a query (BM25 + facet counting) and query
 * expansion from relevance feedback.
 */
#include "shim-private.hh"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string_view>

using xs::fail;

namespace {

/* Counts the items of a multi-valued slot ('\n'-separated) over the match
 * set, each item once per document however often it is listed.  The counts
 * are kept in byte order, ready to hand over, and looked up by string_view
 * so that counting an item already seen allocates nothing. */
class MultiValueSpy : public Xapian::MatchSpy {
  public:
    explicit MultiValueSpy(Xapian::valueno slot) : slot_(slot) {}

    void operator()(const Xapian::Document &doc, double) override
    {
        const std::string v = doc.get_value(slot_);
        if (v.empty())
            return;
        items_.clear();
        std::string_view rest(v);
        while (!rest.empty()) {
            size_t nl = rest.find('\n');
            std::string_view item = rest.substr(0, nl);
            if (!item.empty())
                items_.push_back(item);
            if (nl == std::string_view::npos)
                break;
            rest.remove_prefix(nl + 1);
        }
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

    /* Move the counts out (byte order); the spy is empty afterwards. */
    void take(std::vector<xs_facet_item> &out)
    {
        out.reserve(counts_.size());
        while (!counts_.empty()) {
            auto node = counts_.extract(counts_.begin());
            out.push_back(xs_facet_item{std::move(node.key()), node.mapped()});
        }
    }

  private:
    Xapian::valueno slot_;
    std::map<std::string, uint64_t, std::less<>> counts_;
    std::vector<std::string_view> items_;   /* scratch, reused across documents */
};

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
    std::unique_ptr<xs_mset> m(new xs_mset);

    /* The spies are declared before the Enquire so that they outlive it
     * (Enquire only borrows them). */
    std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> single(p->nfacets);
    std::vector<std::unique_ptr<MultiValueSpy>> multi(p->nfacets);

    Xapian::Enquire enquire(db->rdb);
    enquire.set_query(q->q);
    /* k2 = 0 (no query-length correction), k3 = 1 (query term frequency
     * counts linearly), min_normlen = 0.5 (Xapian's default). */
    enquire.set_weighting_scheme(Xapian::BM25Weight(p->k1, 0, 1, p->b, 0.5));
    for (size_t k = 0; k < p->nfacets; k++) {
        if (p->facets[k].multi) {
            multi[k].reset(new MultiValueSpy(p->facets[k].slot));
            enquire.add_matchspy(multi[k].get());
        } else {
            single[k].reset(new Xapian::ValueCountMatchSpy(p->facets[k].slot));
            enquire.add_matchspy(single[k].get());
        }
    }
    m->mset = enquire.get_mset(p->first, p->maxitems, p->checkatleast);
    m->first = p->first;
    /* The MSet keeps Enquire internals alive; drop the borrowed spies now
     * rather than leave dangling pointers there. */
    enquire.clear_matchspies();

    m->facets.resize(p->nfacets);
    for (size_t k = 0; k < p->nfacets; k++) {
        std::vector<xs_facet_item> &f = m->facets[k];
        if (multi[k]) {
            multi[k]->take(f);
            continue;
        }
        const Xapian::ValueCountMatchSpy &spy = *single[k];
        for (Xapian::TermIterator it = spy.values_begin(), end = spy.values_end(); it != end; ++it)
            f.push_back(xs_facet_item{*it, it.get_termfreq()});
    }
    *out = m.release();
    return LSX_OK;
    XS_CATCH(err, errlen)
}

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
    if (i >= m->mset.size())
        return fail(err, errlen, LSX_EINVAL, "hit %zu out of range (page has %zu)", i,
                    static_cast<size_t>(m->mset.size()));
    Xapian::MSetIterator it = m->mset[static_cast<Xapian::doccount>(i)];
    if (docid)
        *docid = *it;
    if (weight)
        *weight = it.get_weight();
    if (data) {
        /* Ask for the whole page's documents at once the first time one is
         * read, so backends that can batch the reads do.  Only for a page
         * that starts at rank 0: Xapian 1.4's MSet::fetch() indexes its items
         * as items[i - first] with i counting from 0, which reads out of
         * bounds (and crashed here) for any later page. */
        if (!m->fetched) {
            if (m->first == 0)
                m->mset.fetch();
            m->fetched = true;
        }
        const std::string d = it.get_document().get_data();
        if (!(*data = xs::dup_bytes(d.data(), d.size())))
            return fail(err, errlen, LSX_ENOMEM, "out of memory");
        if (dlen)
            *dlen = d.size();
    }
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
        *val = f.value.c_str();
    if (len)
        *len = f.value.size();
    if (count)
        *count = f.count;
    return LSX_OK;
}

/* ---- relevance feedback ------------------------------------------------- */

int xs_expand(xs_db *db, const xs_query *q, const uint32_t *docids, size_t n, size_t nterms,
              char ***terms, double **weights, size_t *count, char *err, size_t errlen)
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
    Xapian::ESet eset = enquire.get_eset(want, rset, &decider);
    const size_t got = eset.size();
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
    /* The ESet comes sorted by weight, best first. */
    for (Xapian::ESetIterator it = eset.begin(); it != eset.end() && o.n < got; ++it) {
        const std::string term = *it;
        o.w[o.n] = it.get_weight();
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

void xs_terms_free(char **terms, double *weights, size_t count)
{
    if (terms)
        for (size_t i = 0; i < count; i++)
            free(terms[i]);
    free(terms);
    free(weights);
}

}  // extern "C"

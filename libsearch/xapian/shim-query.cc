/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * shim-query.cc - building Xapian queries from C.
 *
 * Constructors return NULL on failure (allocation, or an argument Xapian
 * rejects); there is no error buffer because the C query builder treats any
 * failure here as out of memory or a programming error.
 */
#include "shim-private.hh"

#include <cmath>
#include <cstring>
#include <iterator>
#include <new>

namespace {

/* Random-access iterator over the C array of xs_query pointers that yields
 * the Xapian::Query inside each: lets Query(op, begin, end, window) read
 * the subqueries in place, with no temporary vector. */
class SubIter {
  public:
    typedef std::random_access_iterator_tag iterator_category;
    typedef Xapian::Query value_type;
    typedef std::ptrdiff_t difference_type;
    typedef const Xapian::Query *pointer;
    typedef const Xapian::Query &reference;

    explicit SubIter(xs_query *const *p) : p_(p) {}
    reference operator*() const { return (*p_)->q; }
    SubIter &operator++() { ++p_; return *this; }
    difference_type operator-(const SubIter &o) const { return p_ - o.p_; }
    bool operator==(const SubIter &o) const { return p_ == o.p_; }
    bool operator!=(const SubIter &o) const { return p_ != o.p_; }

  private:
    xs_query *const *p_;
};

bool map_op(xs_op op, Xapian::Query::op *out)
{
    switch (op) {
    case XS_OP_AND:       *out = Xapian::Query::OP_AND; return true;
    case XS_OP_OR:        *out = Xapian::Query::OP_OR; return true;
    case XS_OP_AND_NOT:   *out = Xapian::Query::OP_AND_NOT; return true;
    case XS_OP_AND_MAYBE: *out = Xapian::Query::OP_AND_MAYBE; return true;
    case XS_OP_FILTER:    *out = Xapian::Query::OP_FILTER; return true;
    case XS_OP_PHRASE:    *out = Xapian::Query::OP_PHRASE; return true;
    case XS_OP_NEAR:      *out = Xapian::Query::OP_NEAR; return true;
    case XS_OP_SYNONYM:   *out = Xapian::Query::OP_SYNONYM; return true;
    case XS_OP_MAX:       *out = Xapian::Query::OP_MAX; return true;
    }
    return false;
}

/* Days since 1970-01-01 of "YYYYMMDD" (the civil calendar), or false. */
bool ymd_days(const char *s, size_t n, long *out)
{
    if (n < 8)
        return false;
    long v[3] = {0, 0, 0};
    const int width[3] = {4, 2, 2};
    for (int k = 0, i = 0; k < 3; k++)
        for (int j = 0; j < width[k]; j++, i++) {
            if (s[i] < '0' || s[i] > '9')
                return false;
            v[k] = v[k] * 10 + (s[i] - '0');
        }
    long y = v[0], m = v[1], d = v[2];
    if (m < 1 || m > 12 || d < 1 || d > 31)
        return false;
    y -= m <= 2;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const long yoe = y - era * 400;
    const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    *out = era * 146097 + doe - 719468;
    return true;
}

/* weight * 0.5^(age / half_life) from a date value: the boost of recency. */
class RecencySource : public Xapian::ValuePostingSource {
  public:
    RecencySource(Xapian::valueno slot, long ref, double half_life, double weight)
        : Xapian::ValuePostingSource(slot), ref_(ref), half_life_(half_life), weight_(weight)
    {
        set_maxweight(weight);
    }
    double get_weight() const override
    {
        const std::string v = get_value();
        long days;
        if (!ymd_days(v.data(), v.size(), &days))
            return 0.0;
        const double age = days >= ref_ ? 0.0 : double(ref_ - days);
        return weight_ * std::exp2(-age / half_life_);
    }
    RecencySource *clone() const override
    {
        return new RecencySource(get_slot(), ref_, half_life_, weight_);
    }
    std::string name() const override { return "lsx::RecencySource"; }

  private:
    long ref_;
    double half_life_, weight_;
};

}  // namespace

extern "C" {

xs_query *xs_query_recency(unsigned slot, const char *ref_ymd, double half_life_days, double weight)
{
    long ref;
    if (!ref_ymd || !ymd_days(ref_ymd, strlen(ref_ymd), &ref) || !(half_life_days > 0) || !(weight >= 0))
        return nullptr;
    try {
        Xapian::PostingSource *src = new RecencySource(slot, ref, half_life_days, weight);
        return new xs_query{Xapian::Query(src->release())};
    } catch (...) {
        return nullptr;
    }
}

xs_query *xs_query_term(const char *term, size_t len, unsigned wqf)
{
    /* Xapian reads the empty term as "match everything": never what a
     * caller building a term query means. */
    if (!term || len == 0)
        return nullptr;
    try {
        return new xs_query{Xapian::Query(xs::bytes(term, len), wqf)};
    } catch (...) {
        return nullptr;
    }
}

xs_query *xs_query_combine(xs_op op, xs_query *const *subs, size_t n, unsigned window)
{
    Xapian::Query::op xop;
    if (!map_op(op, &xop) || (n && !subs))
        return nullptr;
    for (size_t i = 0; i < n; i++)
        if (!subs[i])
            return nullptr;
    /* An exact phrase is a phrase whose window is its own length. */
    if (op == XS_OP_PHRASE && window == 0)
        window = static_cast<unsigned>(n);
    try {
        return new xs_query{Xapian::Query(xop, SubIter(subs), SubIter(subs + n), window)};
    } catch (...) {
        /* e.g. UnimplementedError: PHRASE/NEAR over a non-leaf subquery. */
        return nullptr;
    }
}

xs_query *xs_query_value_range(unsigned slot, const char *lo, const char *hi)
{
    const bool has_lo = lo && *lo, has_hi = hi && *hi;
    try {
        if (has_lo && has_hi)
            return new xs_query{Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, lo, hi)};
        if (has_lo)
            return new xs_query{Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, lo)};
        if (has_hi)
            return new xs_query{Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, hi)};
        return new xs_query{Xapian::Query::MatchAll};
    } catch (...) {
        return nullptr;
    }
}

xs_query *xs_query_scale(const xs_query *q, double factor)
{
    if (!q)
        return nullptr;
    try {
        /* Throws InvalidArgumentError for a negative factor. */
        return new xs_query{Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor)};
    } catch (...) {
        return nullptr;
    }
}

xs_query *xs_query_match_all(void)
{
    try {
        return new xs_query{Xapian::Query::MatchAll};
    } catch (...) {
        return nullptr;
    }
}

xs_query *xs_query_match_nothing(void)
{
    try {
        return new xs_query{Xapian::Query()};   /* the empty query matches nothing */
    } catch (...) {
        return nullptr;
    }
}

char *xs_query_describe(const xs_query *q)
{
    if (!q)
        return nullptr;
    try {
        const std::string d = q->q.get_description();
        return xs::dup_bytes(d.data(), d.size());
    } catch (...) {
        return nullptr;
    }
}

void xs_query_free(xs_query *q)
{
    delete q;
}

}  // extern "C"

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * shim-values.cc - reading one value slot of one document: of a hit in a
 * result page, or of the document with a unique id term.  libsearch keeps
 * each article's compressed body in a slot of its own, so a results page
 * reads only the small stored record and the body is read just for the
 * hits that need a snippet.
 */
#include "shim-private.hh"

using xs::fail;

extern "C" {

static int copy_out(const std::string &v, char **val, size_t *vlen, char *err, size_t errlen)
{
    if (!(*val = xs::dup_bytes(v.data(), v.size())))
        return fail(err, errlen, LSX_ENOMEM, "out of memory");
    *vlen = v.size();
    return LSX_OK;
}

int xs_mset_hit_value(xs_mset *m, size_t i, unsigned slot, char **val, size_t *vlen, char *err,
                      size_t errlen)
{
    if (!val || !vlen)
        return fail(err, errlen, LSX_EINVAL, "xs_mset_hit_value: no output pointer");
    *val = nullptr;
    *vlen = 0;
    if (!m)
        return fail(err, errlen, LSX_EINVAL, "no result set");
    XS_TRY
    Xapian::MSetIterator it;
    if (int rc = xs::hit_at(*m, i, it, err, errlen))
        return rc;
    const Xapian::docid did = *it;
    if (m->hit_values && m->hit_slot == slot && size_t(did) + 1 < m->hit_values->off.size()) {
        const xs::ValueTable &t = *m->hit_values;
        const size_t a = size_t(t.off[did]), b = size_t(t.off[size_t(did) + 1]);
        if (!(*val = xs::dup_bytes(t.bytes.data() + a, b - a)))
            return fail(err, errlen, LSX_ENOMEM, "out of memory");
        *vlen = b - a;
        return LSX_OK;
    }
    return copy_out(m->db.get_document(did, Xapian::DOC_ASSUME_VALID).get_value(slot), val, vlen, err, errlen);
    XS_CATCH(err, errlen)
}

int xs_db_get_value(xs_db *db, const char *idterm, size_t len, unsigned slot, char **val,
                    size_t *vlen, char *err, size_t errlen)
{
    if (!val || !vlen)
        return fail(err, errlen, LSX_EINVAL, "xs_db_get_value: no output pointer");
    *val = nullptr;
    *vlen = 0;
    if (!db)
        return fail(err, errlen, LSX_EINVAL, "no database");
    XS_TRY
    Xapian::Document doc;
    if (int rc = xs::document_by_term(db->rdb, idterm, len, doc, err, errlen))
        return rc;
    return copy_out(doc.get_value(slot), val, vlen, err, errlen);
    XS_CATCH(err, errlen)
}

}  // extern "C"

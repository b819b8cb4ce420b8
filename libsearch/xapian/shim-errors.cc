/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * shim-errors.cc - turning C++ exceptions into lsx_status codes and messages.
 *
 * This is the only place that knows which exception means which status.
 * Messages are formatted straight from the exception's own strings into the
 * caller's buffer (no std::string is built), so reporting an error cannot
 * itself throw, and no pointer into a dead exception ever escapes.
 */
#include "shim-private.hh"

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

namespace {

int report_xapian(const Xapian::Error &e, int status, char *err, size_t errlen) noexcept
{
    if (!err || errlen == 0)
        return status;
    /* "Type: message", then the context and the OS error when there are any
     * (e.g. "DatabaseNotFoundError: Couldn't stat 'x' (No such file or directory)"). */
    const std::string &msg = e.get_msg();
    const std::string &ctx = e.get_context();
    const char *os = e.get_error_string();
    snprintf(err, errlen, "%s: %s%s%s%s%s%s", e.get_type(), msg.c_str(),
             ctx.empty() ? "" : " (context: ", ctx.c_str(), ctx.empty() ? "" : ")",
             os ? " - " : "", os ? os : "");
    return status;
}

}  // namespace

namespace xs {

int fail(char *err, size_t errlen, int status, const char *fmt, ...) noexcept
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return status;
}

char *dup_bytes(const char *p, size_t n) noexcept
{
    char *s = static_cast<char *>(malloc(n + 1));
    if (!s)
        return nullptr;
    if (n)
        memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

int error_from_exception(char *err, size_t errlen) noexcept
{
    /* The rethrow idiom: sort the in-flight exception by type.  Order
     * matters, subclasses before their bases. */
    try {
        throw;
    } catch (const Xapian::DatabaseLockError &e) {
        return report_xapian(e, LSX_ELOCKED, err, errlen);
    } catch (const Xapian::DatabaseModifiedError &e) {
        return report_xapian(e, LSX_EMODIFIED, err, errlen);
    } catch (const Xapian::DatabaseNotFoundError &e) {
        return report_xapian(e, LSX_ENOTFOUND, err, errlen);
    } catch (const Xapian::DatabaseVersionError &e) {
        return report_xapian(e, LSX_EVERSION, err, errlen);
    } catch (const Xapian::DatabaseCorruptError &e) {
        return report_xapian(e, LSX_ECORRUPT, err, errlen);
    } catch (const Xapian::DatabaseError &e) {
        /* Opening, Create, Closed and plain DatabaseError: the OS or the
         * file system said no. */
        return report_xapian(e, LSX_EIO, err, errlen);
    } catch (const Xapian::DocNotFoundError &e) {
        return report_xapian(e, LSX_ENOTFOUND, err, errlen);
    } catch (const Xapian::InvalidArgumentError &e) {
        return report_xapian(e, LSX_EINVAL, err, errlen);
    } catch (const Xapian::QueryParserError &e) {
        return report_xapian(e, LSX_EQUERY, err, errlen);
    } catch (const Xapian::UnimplementedError &e) {
        /* e.g. a backend without transactions or a query shape Xapian
         * cannot run: the request is valid, just not possible here. */
        return report_xapian(e, LSX_EUNSUPPORTED, err, errlen);
    } catch (const Xapian::FeatureUnavailableError &e) {
        return report_xapian(e, LSX_EUNSUPPORTED, err, errlen);
    } catch (const Xapian::Error &e) {
        return report_xapian(e, LSX_ERROR, err, errlen);
    } catch (const std::bad_alloc &) {
        return fail(err, errlen, LSX_ENOMEM, "out of memory");
    } catch (const std::exception &e) {
        return fail(err, errlen, LSX_ERROR, "C++ exception: %s", e.what());
    } catch (...) {
        return fail(err, errlen, LSX_ERROR, "unknown C++ exception");
    }
}

}  // namespace xs

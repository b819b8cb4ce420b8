/* SPDX-License-Identifier: GPL-2.0-or-later */
// xapian-direct - the "Xapian used directly" baseline of the benchmark.
//
// It uses Xapian the way an application author would, with nothing tuned:
// a TermGenerator with the English stemmer and its default stemming strategy,
// positions on, one WritableDatabase, add_document per article, one final
// commit, then Database::compact into a second directory.  Queries go through
// a QueryParser (English stemmer, default operator OR) and an Enquire with
// the default BM25Weight.
//
//   xapian-direct index DBDIR TRECFILE
//       builds DBDIR and DBDIR.compact; prints "key value" lines:
//       docs, input_bytes, index_seconds, compact_seconds, db_bytes, compact_bytes
//   xapian-direct query DBDIR QUERYFILE K
//       QUERYFILE holds "qid<TAB>text" lines; prints one line per query:
//       qid<TAB>microseconds<TAB>hits on the page<TAB>first ten docnos (comma-separated)
//
// Build: g++ -O2 -std=c++17 xapian-direct.cc -o xapian-direct $(xapian-config --cxxflags --libs)

#include <xapian.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

namespace fs = std::filesystem;

static double now_seconds()
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long long dir_bytes(const std::string &dir)
{
    unsigned long long total = 0;
    for (const auto &e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file())
            total += e.file_size();
    return total;
}

// The text between <TAG> and </TAG> on a line such as "<DOCNO>12</DOCNO>".
static bool tag_value(const std::string &line, const char *tag, std::string &out)
{
    std::string open = std::string("<") + tag + ">";
    std::string close = std::string("</") + tag + ">";
    if (line.compare(0, open.size(), open) != 0)
        return false;
    size_t end = line.rfind(close);
    if (end == std::string::npos || end < open.size())
        end = line.size();
    out = line.substr(open.size(), end - open.size());
    return true;
}

static int do_index(const std::string &dbdir, const char *trecfile)
{
    std::ifstream in(trecfile);
    if (!in) {
        std::cerr << "xapian-direct: cannot open " << trecfile << "\n";
        return 1;
    }
    double t0 = now_seconds();
    Xapian::WritableDatabase db(dbdir, Xapian::DB_CREATE_OR_OVERWRITE);
    Xapian::TermGenerator tg;
    tg.set_stemmer(Xapian::Stem("english"));

    std::string line, docno, title, text;
    bool in_text = false;
    unsigned long long docs = 0, bytes = 0;
    while (std::getline(in, line)) {
        bytes += line.size() + 1;
        if (in_text) {
            if (line == "</TEXT>") {
                in_text = false;
            } else {
                text += line;
                text += '\n';
            }
            continue;
        }
        if (line == "<DOC>") {
            docno.clear();
            title.clear();
            text.clear();
        } else if (line == "<TEXT>") {
            in_text = true;
        } else if (line == "</DOC>") {
            Xapian::Document doc;
            tg.set_document(doc);
            tg.index_text(title, 1, "S");   // title as a field ...
            tg.index_text(title);           // ... and as ordinary text
            tg.increase_termpos();
            tg.index_text(text);
            doc.add_boolean_term("Q" + docno);
            doc.set_data(docno);
            db.add_document(doc);
            docs++;
        } else if (!tag_value(line, "DOCNO", docno)) {
            tag_value(line, "TITLE", title);  // <DATE> and anything else: ignored
        }
    }
    db.commit();
    db.close();
    double t1 = now_seconds();

    std::string compact_dir = dbdir + ".compact";
    fs::remove_all(compact_dir);
    Xapian::Database(dbdir).compact(compact_dir);
    double t2 = now_seconds();

    printf("docs %llu\ninput_bytes %llu\nindex_seconds %.3f\ncompact_seconds %.3f\n"
           "db_bytes %llu\ncompact_bytes %llu\n",
           docs, bytes, t1 - t0, t2 - t1, dir_bytes(dbdir), dir_bytes(compact_dir));
    return 0;
}

static int do_query(const std::string &dbdir, const char *queryfile, unsigned k)
{
    std::ifstream in(queryfile);
    if (!in) {
        std::cerr << "xapian-direct: cannot open " << queryfile << "\n";
        return 1;
    }
    Xapian::Database db(dbdir);
    Xapian::Enquire enquire(db);
    enquire.set_weighting_scheme(Xapian::BM25Weight());
    Xapian::QueryParser qp;
    qp.set_stemmer(Xapian::Stem("english"));
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    qp.set_default_op(Xapian::Query::OP_OR);
    qp.add_prefix("title", "S");

    std::string line;
    while (std::getline(in, line)) {
        size_t tab = line.find('\t');
        if (tab == std::string::npos)
            continue;
        std::string qid = line.substr(0, tab), text = line.substr(tab + 1);
        std::string ids;
        unsigned hits = 0;
        double t0 = now_seconds();
        try {
            enquire.set_query(qp.parse_query(text));
            Xapian::MSet mset = enquire.get_mset(0, k);
            for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
                std::string docno = it.get_document().get_data();
                if (hits < 10) {
                    if (hits)
                        ids += ',';
                    ids += docno;
                }
                hits++;
            }
        } catch (const Xapian::QueryParserError &e) {
            hits = 0;  // an unparsable query counts as one without results
        }
        double us = (now_seconds() - t0) * 1e6;
        printf("%s\t%.1f\t%u\t%s\n", qid.c_str(), us, hits, ids.c_str());
    }
    return 0;
}

int main(int argc, char **argv)
{
    try {
        if (argc == 4 && strcmp(argv[1], "index") == 0)
            return do_index(argv[2], argv[3]);
        if (argc == 5 && strcmp(argv[1], "query") == 0)
            return do_query(argv[2], argv[3], (unsigned)strtoul(argv[4], NULL, 10));
    } catch (const Xapian::Error &e) {
        std::cerr << "xapian-direct: " << e.get_description() << "\n";
        return 1;
    }
    std::cerr << "usage: xapian-direct index DBDIR TRECFILE\n"
                 "       xapian-direct query DBDIR QUERYFILE K\n";
    return 2;
}

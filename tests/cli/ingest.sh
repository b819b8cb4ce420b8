#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ingest.sh - end-to-end tests of what search-index reads: TREC in the FT,
# LA Times and FBIS styles, news JSON (JSON Lines, an array file, a feed
# object), HTML pages of three site layouts (also gzip'd), dates in many
# forms with their time of day, ids that do not depend on how a path is
# typed, and honest counts for empty, blank and mismatched inputs.
. "$top_srcdir/tests/cli/lib.sh"

DATA="$top_srcdir/tests/data/ingest"
DB="$TMP/db"

if ! have_python; then
    skip_all "needs python3 to read the JSON that search get --json prints"
fi

# get ID FIELD: one field of `search get --json ID` (the body with newlines as " / ")
get() {
    "$SEARCH" get --db "$DB" --json "$1" 2>/dev/null |
        python3 -c 'import json,sys
d = json.load(sys.stdin)
v = d.get(sys.argv[1])
print("null" if v is None else str(v).replace("\n", " / "))' "$2" 2>/dev/null
}

# check ID FIELD WANT NAME: the field equals WANT
check() {
    is "$(get "$1" "$2")" "$3" "$4"
}

# body_has ID TEXT NAME / body_lacks ID TEXT NAME
body_has() {
    get "$1" body >"$TMP/body"
    ok "$3" grep -qF -- "$2" "$TMP/body"
}
body_lacks() {
    get "$1" body >"$TMP/body"
    ok "$3" sh -c '! grep -qF -- "$1" "$2"' sh "$2" "$TMP/body"
}

#### everything at once: nothing skipped ########################################
cp -R "$DATA/html" "$TMP/html"
gzip -c "$DATA/html/wire-story.html" >"$TMP/html/wire-copy.html.gz"
cp -R "$DATA/trec" "$DATA/json" "$TMP/"
run "$INDEX" --db "$DB" "$TMP/trec" "$TMP/json" "$TMP/html"
is "$rc" 0 "the samples index with exit 0"
like "$TMP/out" '^indexed 18 documents \(18 added, 0 replaced\), 0 skipped$' "18 documents, nothing skipped"
like "$TMP/err" 'json/feed\.jsonl:5: field published: cannot read the date .yesterday afternoon.' \
    "an unreadable date is a warning naming file, line and field"

#### TREC #######################################################################
check FT911-101 title "Rubber growers in Malaysia seek higher export quota" "FT: HEADLINE without its 'FT  14 MAY 91 /' prefix"
check FT911-101 date "1991-05-14" "FT: <DATE>910514 (YYMMDD) is 1991-05-14"
check FT911-101 date_source "header" "FT: the date comes from the header"
body_has FT911-101 "replanting grants" "FT: body from <TEXT>"
body_lacks FT911-101 "KAREN ELLIS" "FT: no byline in the body"
check FT911-102 title "Commodities and Agriculture: Tin price steadies in Penang" "FT: second document"
check LA010189-0042 title "HARBOR PATROL RESCUES 3 FROM CAPSIZED SAILBOAT" "LA Times: <HEADLINE><P>..</P> title"
check LA010189-0042 date "1989-01-01" "LA Times: 'January 1, 1989, Sunday, Home Edition'"
body_has LA010189-0042 "Three sailors were pulled" "LA Times: first paragraph"
body_has LA010189-0042 "released." "LA Times: last paragraph"
body_lacks LA010189-0042 "<P>" "LA Times: no <P> markup in the body"
body_lacks LA010189-0042 "118 words" "LA Times: no <LENGTH> in the body"
check FBIS3-2001 title "Hanoi Reports Record Rice Exports for 1993" "FBIS: title from <TI> inside <H3>"
check FBIS3-2001 date "1994-01-03" "FBIS: <DATE1> 3 January 1994"
body_has FBIS3-2001 "two million tonnes" "FBIS: body"
body_lacks FBIS3-2001 "<F P=105>" "FBIS: no <F> markup in the body"

#### JSON ##########################################################################
u="https://news.example.vn/economy/coffee-exports-2023-03-03.html"
check "$u" title "Coffee exports rise in the first two months" "JSON Lines: headline, url as id"
check "$u" date "2023-03-03T10:00:00Z" "JSON Lines: ISO date-time with Z kept with its time"
check "$u" lang "en" "JSON Lines: language en-US is en"
u2="https://news.example.vn/society/flood-warning-hue.html"
check "$u2" date "2023-10-14T07:45:00+07:00" "JSON Lines: ISO date-time with an offset"
check "$u2" lang "vi" "JSON Lines: language vi"
check feed-3 date "2023-03-03T16:20:00+07:00" "JSON Lines: RFC 2822 pubDate"
check feed-3 source "https://news.example.th/ports/laem-chabang" "JSON Lines: link as source"
check feed-4 date "2023-03-03" "JSON Lines: 'March 3, 2023'"
check feed-5 title "Regional airline adds Da Nang route" "an unreadable date does not cost the article"
check feed-5 date_source "unreadable-header" "... date_source says the header was unreadable"
check feed-5 date "2023-03-16" "... and the date is found in the text"
check 9001 date "2023-04-05T09:30:00+07:00" "array file: datePublished"
check 9001 title "Mekong ministers agree on drought data sharing" "array file: title"
body_has 9001 "dam release schedules" "array file: articleBody"
check 9002 date "2023-04-05T10:30:00Z" "array file: Unix seconds as a JSON number"
check 9002 title "Jakarta opens second MRT line tender" "array file: headline"
check 9003 date "2023-04-05" "array file: DD/MM/YYYY"
t="https://daily.example.my/trade-fair-2023"
check "$t" title "Kuala Lumpur hosts regional trade fair" "feed object: records in its articles array"
check "$t" date "2023-05-20T02:15:00Z" "feed object: publishedAt"

#### HTML ##########################################################################
check html/vn-portal title "Hội nghị quan chức cao cấp ASEAN họp tại Phnom Penh" "HTML portal: og:title"
check html/vn-portal date "2022-02-16T08:30:00+07:00" "HTML portal: article:published_time"
check html/vn-portal lang "vi" "HTML portal: <html lang=vi-VN>"
check html/vn-portal source "https://baomau.example.vn/the-gioi/som-asean-phnom-penh-4431.html" "HTML portal: canonical link as source"
body_has html/vn-portal "Sáng 16/2, Hội nghị quan chức cao cấp ASEAN khai mạc" "HTML portal: article text"
for junk in "Thời sự" "cookie" "Chia sẻ" "Campuchia nhận vai trò" "Đọc nhiều" "Giấy phép" "track(" "display:flex"; do
    body_lacks html/vn-portal "$junk" "HTML portal: no '$junk' (navigation, banner, sharing, related, footer, scripts)"
done
check html/wire-story title "Floods cut rail link in central Vietnam" "HTML wire: <h1> title"
check html/wire-story date "2023-10-14T09:05:00Z" "HTML wire: <time datetime>"
body_has html/wire-story "Floodwater washed away part of the north–south railway" "HTML wire: entities decoded"
for junk in "cookies" "Accept all" "Markets" "Related coverage" "high-speed rail plan" "Share on X" "Most read" "quotes delayed" "Asia Pacific"; do
    body_lacks html/wire-story "$junk" "HTML wire: no '$junk'"
done
check html/city-blog title "Penang street food festival returns" "HTML blog: <h1> title"
check html/city-blog date "2023-06-01T14:00:00+08:00" "HTML blog: JSON-LD datePublished in @graph"
check html/city-blog source "https://citynotes.example.my/2023/06/penang-food-festival/" "HTML blog: canonical link"
body_has html/city-blog "200 hawker stalls" "HTML blog: text blocks without <article> or <main>"
for junk in "Travel" "char kway teow" "You may also like" "uses cookies" "Advertisement" "Copyright" "loadAds" "position:fixed"; do
    body_lacks html/city-blog "$junk" "HTML blog: no '$junk'"
done
check html/wire-copy title "Floods cut rail link in central Vietnam" "gzip'd HTML (.html.gz) is read"

#### dates in text headers, with time #############################################
mkdir -p "$TMP/dates"
printf ' date 2023-03-03T10:00:00+07:00 With a time\nbody\n' >"$TMP/dates/a.txt"
printf ' date 03/03/2023 Day first\nbody\n' >"$TMP/dates/b.txt"
printf ' date 20230303 Compact\nbody\n' >"$TMP/dates/c.txt"
printf ' date 2023-02-30 Impossible\nOn 5 March 2023 the body gave a date.\n' >"$TMP/dates/d.txt"
run "$INDEX" --db "$TMP/ddb" "$TMP/dates"
is "$rc" 0 "text headers: exit 0, an unreadable date skips nothing"
like "$TMP/err" 'd\.txt:1: field date: cannot read the date .2023-02-30.' "... with a warning naming file, line and field"
DB="$TMP/ddb"
check a date "2023-03-03T10:00:00+07:00" "text header: date and time with offset"
check b date "2023-03-03" "text header: DD/MM/YYYY"
check c date "2023-03-03" "text header: YYYYMMDD"
check d date "2023-03-05" "text header: unreadable, the date from the text"
check d date_source "unreadable-header" "... and date_source says so"
DB="$TMP/db"

#### the time of day orders articles within a day #################################
printf '%s\n' '{"id": "t-morning", "body": "ferry news", "published": "2023-03-03T08:00:00+07:00"}' \
    '{"id": "t-day", "body": "ferry news", "published": "2023-03-03"}' \
    '{"id": "t-evening", "body": "ferry news", "published": "Fri, 03 Mar 2023 19:30:00 +0700"}' \
    '{"id": "t-next", "body": "ferry news", "published": "2023-03-04T01:00:00+07:00"}' >"$TMP/times.jsonl"
"$INDEX" --db "$TMP/timedb" --quiet "$TMP/times.jsonl" 2>/dev/null
"$SEARCH" --db "$TMP/timedb" --json --sort -date ferry | json_ids /dev/stdin | tr '\n' ' ' >"$TMP/order"
is "$(cat "$TMP/order")" "t-next t-evening t-morning t-day " "newest first: by day, then by time of day (no time last)"

#### ids: one folder through three paths ###########################################
cp -R "$DATA/tree" "$TMP/tree"
(
    cd "$TMP/tree" || exit 1
    "$INDEX" --db "$TMP/tdb" news >"$TMP/t1" 2>&1 &&
    "$INDEX" --db "$TMP/tdb" news/2023 >"$TMP/t2" 2>&1 &&
    "$INDEX" --db "$TMP/tdb" ./news/../news >"$TMP/t3" 2>&1 &&
    "$INDEX" --db "$TMP/tdb" news/2023/05/tourism.txt >"$TMP/t4" 2>&1
)
is "$?" 0 "one folder indexed through three paths (and a file in it)"
run "$SEARCH" stats --db "$TMP/tdb" --json
like "$TMP/out" '"documents":3,' "3 files are 3 documents, however the paths were typed"
like "$TMP/t2" '^files: 0 added, 0 updated, 2 unchanged, 0 removed$' "... news/2023 finds its 2 files unchanged"
like "$TMP/t3" '^files: 0 added, 0 updated, 3 unchanged, 0 removed$' "... ./news/../news finds all 3 unchanged"
like "$TMP/t4" '^files: 0 added, 0 updated, 1 unchanged, 0 removed$' "... and the file by its own path too"
"$SEARCH" --db "$TMP/tdb" --json --limit 10 'da nang OR hội OR rice' | json_ids /dev/stdin | sort >"$TMP/ids"
printf '%s\n' 2022/rice 2023/05/tourism 2023/06/hoi-an >"$TMP/want"
ok "ids are paths below the folder of the first run" cmp -s "$TMP/ids" "$TMP/want"
DB="$TMP/tdb"
check 2023/05/tourism date "2023-05-12T06:45:00+07:00" "a text header with a time keeps it"
check 2023/06/hoi-an date "2023-06-02" "a Vietnamese date in the text"
DB="$TMP/db"
touch "$TMP/tree/news/2023/06/hoi-an.txt"
printf ' date 2023-06-20 Rice prices rise\nPrices rose.\n' >"$TMP/tree/news/2022/rice.txt"
(cd "$TMP/tree/news" && "$INDEX" --db "$TMP/tdb" ../news/2022 . >"$TMP/t5" 2>&1)
like "$TMP/t5" '^files: 0 added, 1 updated, 2 unchanged, 0 removed$' "from inside the folder: a changed file is updated, a touched one unchanged"
run "$SEARCH" stats --db "$TMP/tdb" --json
like "$TMP/out" '"documents":3,' "... still 3 documents"

#### the database itself and hidden folders are never read ##########################
mkdir -p "$TMP/here/.hidden"
printf 'Visible\nbody\n' >"$TMP/here/visible.txt"
printf 'Hidden\nbody\n' >"$TMP/here/.hidden/h.txt"
(cd "$TMP/here" && "$INDEX" . >"$TMP/h1" 2>&1 && "$INDEX" . >"$TMP/h2" 2>&1)
is "$?" 0 "cd dir && search-index . twice: exit 0"
like "$TMP/h2" '^indexed 0 documents' "... the second run does not read its own search.db"
like "$TMP/h2" 'search\.db now holds 1 document$' "... which holds the one visible article"

#### honest counts ##################################################################
mkdir -p "$TMP/odd"
: >"$TMP/odd/empty.txt"
printf '  \n\n \t\n' >"$TMP/odd/blank.txt"
printf 'Fine\nbody\n' >"$TMP/odd/fine.txt"
run "$INDEX" --db "$TMP/odb" "$TMP/odd"
is "$rc" 2 "empty and blank files: exit 2"
like "$TMP/out" '^indexed 1 document \(1 added, 0 replaced\), 2 skipped$' "... counted as skipped"
like "$TMP/out" '^skipped: 2 empty files$' "... with the reason"
like "$TMP/err" 'empty\.txt: empty file' "... each named"
like "$TMP/err" 'blank\.txt: blank file' "... each named"
run "$INDEX" --db "$TMP/fdb" --format trec "$TMP/odd/fine.txt"
is "$rc" 2 "--format trec on a text file: exit 2"
like "$TMP/err" 'fine\.txt: no TREC <DOC> record found' "... an error naming the file"
like "$TMP/out" '^skipped: 1 file with no record of its format$' "... counted"
mkdir -p "$TMP/linkonly" "$TMP/target"
printf 'Through a link\nbody\n' >"$TMP/target/l.txt"
ln -s ../target "$TMP/linkonly/news"
run "$INDEX" --db "$TMP/ldb" "$TMP/linkonly"
is "$rc" 0 "a folder holding only a symlink to a folder: exit 0"
like "$TMP/out" '^indexed 1 document' "... the linked folder is read"
mkdir -p "$TMP/nothing/.git"
run "$INDEX" --db "$TMP/ndb" "$TMP/nothing"
is "$rc" 2 "a folder with no file to read: exit 2"
like "$TMP/out" '^skipped: 1 folder with no file$' "... counted, not 'indexed 0, 0 skipped'"

#### a commit that fails counts nothing it lost ######################################
# A file size limit (with SIGXFSZ ignored) makes Xapian's writes fail like a full disk.
mkdir -p "$TMP/many"
i=0
while [ $i -lt 600 ]; do
    printf 'Story %d about the harbour\nThe harbour story number %d has a body long enough to take some room in the index, %d.\n' \
        $i $i $i >"$TMP/many/s$i.txt"
    i=$((i + 1))
done
"$INDEX" --db "$TMP/fulldb" --quiet "$TMP/odd/fine.txt" >/dev/null 2>&1
(trap '' XFSZ; ulimit -f 200 && exec "$INDEX" --db "$TMP/fulldb" --threads 1 "$TMP/many") >"$TMP/out" 2>"$TMP/err"
rc=$?
if [ "$rc" -eq 3 ]; then
    is "$rc" 3 "a commit that fails (file size limit): exit 3"
    n=$("$SEARCH" stats --db "$TMP/fulldb" --json | sed 's/.*"documents":\([0-9]*\),.*/\1/')
    got=$(sed -n 's/^indexed \([0-9]*\) documents\{0,1\} before the failure.*/\1/p' "$TMP/out")
    is "$got" "$((n - 1))" "... the summary counts only the documents the database holds ($n - 1)"
    like "$TMP/out" 'were not committed' "... and says how many read were not committed"
    like "$TMP/out" '^files: none recorded' "... and records no file as read"
else
    skip "a commit that fails (file size limit): exit 3" "ulimit -f did not make the commit fail here (rc $rc)"
    skip "... the summary counts only the documents the database holds" "as above"
    skip "... and says how many read were not committed" "as above"
    skip "... and records no file as read" "as above"
fi

#### the progress line: by documents, and never wider than the terminal ##############
if have_script; then
    script -qec "stty cols 50; '$INDEX' --db '$TMP/pdb' '$TMP/many'" /dev/null </dev/null >"$TMP/tty" 2>&1
    tr '\r' '\n' <"$TMP/tty" | sed 's/\x1b\[K//g' | grep ' docs ' >"$TMP/progress" || :
    like "$TMP/progress" '^[0-9]+/600 docs ' "progress counts documents against the total when it is known"
    awk 'length($0) > 49 { bad = 1 } END { exit bad }' "$TMP/progress"
    is "$?" 0 "at 50 columns no progress line is wider than 49 (it would wrap)"
else
    skip "progress counts documents against the total when it is known" "needs util-linux script(1)"
    skip "at 50 columns no progress line is wider than 49 (it would wrap)" "needs util-linux script(1)"
fi

#### ids usable in TREC runs ########################################################
mkdir -p "$TMP/sp"
printf 'Spaces\nbody\n' >"$TMP/sp/with space.txt"
printf '{"id": "has space", "body": "x"}\n' >"$TMP/sp/r.jsonl"
run "$INDEX" --db "$TMP/sdb" "$TMP/sp"
is "$rc" 0 "ids with spaces: exit 0"
like "$TMP/err" "field id has white space or control bytes: indexed as 'has%20space'" "... a record's id is percent-encoded with a warning"
run "$SEARCH" get --db "$TMP/sdb" 'with%20space'
is "$rc" 0 "... a file's id too"

#### HTML pages whose bytes do not all fit their encoding ###########################
# libxml2 alone stopped reading at the first byte the declared charset does
# not allow (the rest of the page was lost, "encoding error" on stderr) and
# read an undeclared page as Latin-1 from its first bad byte on.
mkdir -p "$TMP/enc"
printf '<html lang="vi"><head><title>Giá lúa</title></head><body><article><h1>Giá lúa tăng</h1><p>Nông dân Đồng Tháp \377 vui mừng khi giá lúa tăng.</p></article></body></html>\n' >"$TMP/enc/undeclared.html"
printf '<html><head><meta charset="windows-1252"><title>Rice</title></head><body><article><h1>Rice up</h1><p>Farmers \201 were glad.</p><p>Traders bought more rice.</p></article></body></html>\n' >"$TMP/enc/cp1252.html"
printf '<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"><title>Menu</title></head><body><article><h1>Menu</h1><p>Caf\351 au lait at the h\364tel.</p></article></body></html>\n' >"$TMP/enc/latin1.html"
printf '<html lang="th"><head><meta charset="tis-620"><title>News</title></head><body><article><h1>News</h1><p>\242\350\322\307 today.</p></article></body></html>\n' >"$TMP/enc/thai.html"
DB=$TMP/edb
run "$INDEX" --db "$DB" "$TMP/enc"
is "$rc" 0 "pages with stray bytes: exit 0"
unlike "$TMP/err" "encoding error|I/O error" "... libxml2 writes nothing to stderr"
like "$TMP/err" "undeclared.html: 1 byte is not valid UTF-8; read as U\+FFFD" "... the stray byte is counted, naming the file"
body_has undeclared "vui mừng khi giá lúa tăng." "undeclared UTF-8: the text after a stray byte is still UTF-8"
like "$TMP/err" "cp1252.html: 1 byte is not valid windows-1252" "a byte windows-1252 lacks is counted"
body_has cp1252 "Traders bought more rice." "... and the page after it is kept"
body_has latin1 "Café au lait at the hôtel." "a page in its declared ISO-8859-1"
body_has thai "ข่าว today." "a page in its declared TIS-620"

#### HTML pages larger than the 2 MiB cap ##########################################
# A page of over 2 MiB was skipped whole ("page larger than 2 MiB"); real
# pages are mostly inline scripts and styles.  Those (JSON-LD excepted) and
# comments are now left out as the page is read, keeping line numbers, and
# a page whose markup alone is too long is cut with a warning, not lost.
mkdir -p "$TMP/bigpage"
python3 - "$TMP/bigpage" <<'PYEOF'
import sys, os
d = sys.argv[1]
def w(name, text):
    with open(os.path.join(d, name), "w", encoding="utf-8") as f:
        f.write(text)
script = "<script>\n" + "".join("var dropped%d = '<p>SCRIPTWORD</p><!--';\n" % i for i in range(60000)) + "</script>\n"
w("scripts.html", '<html lang="vi"><head><title>Trang</title>\n' + script +
  "<style>\n" + "p{color:red}\n" * 40000 + "</style>\n<!-- <script> COMMENTWORD\n-->\n" +
  '<script type="application/ld+json">{"datePublished": "2024-03-15T08:00:00+07:00"}</script>\n'
  "<SCRIPT type=text/javascript>" + "x=1;" * 300000 + "</SCRIPT>\n"
  '</head><body><article><h1>Mưa lớn ở Huế</h1>'
  "<p>Mưa lớn gây ngập nhiều tuyến phố ở Huế.</p></article>\n" + script + "</body></html>\n")
w("lines.html", '<html><head><title>Lines</title>\n' + script + "<!--\n\n\n-->\n<style>\n\n</style>\n"
  '<meta property="article:published_time" content="sometime">\n</head><body><p>Text.</p></body></html>\n')
w("markup.html", "<html><head><title>Long</title></head><body><article><h1>Long page</h1>" +
  "<p>first paragraph words</p>\n" + "<p>filler text here</p>\n" * 150000 + "<p>LASTWORD</p></article></body></html>\n")
# Each construct's end placed across 256 KiB (the read buffer) at shifts 0-9.
edge = 256 << 10
for kind, (opening, closing) in {"script": ("<script>", "</script>"), "style": ("<style>", "</style>"),
                                  "comment": ("<!--", "-->")}.items():
    for s in range(10):
        head = "<html><head><title>Edge</title></head><body><article><h1>Edge</h1><p>KEEPBEFORE</p>" + opening
        pad = edge - s - len(head.encode())
        w("edge-%s-%d.html" % (kind, s), head + ("DROPWORD " * (pad // 9)).ljust(pad) + closing +
          "<p>KEEPAFTER</p></article></body></html>\n")
    for s in range(10):              # the start tag itself across the edge
        head = "<html><head><title>Edge</title></head><body><article><h1>Edge</h1><p>KEEPBEFORE</p>"
        pad = edge - s - len(head.encode())
        w("edge-open-%s-%d.html" % (kind, s), head + "<p>" + "keep " * ((pad - 8) // 5) + "</p>" +
          opening + "DROPWORD" + closing + "<p>KEEPAFTER</p></article></body></html>\n")
PYEOF
DB=$TMP/bdb
run "$INDEX" --db "$DB" "$TMP/bigpage"
is "$rc" 0 "pages over 2 MiB: exit 0"
cp "$TMP/err" "$TMP/bigerr"
like "$TMP/out" '^indexed 63 documents \(63 added, 0 replaced\), 0 skipped$' "... none skipped"
body_has scripts "Mưa lớn gây ngập nhiều tuyến phố ở Huế." "a 5 MB page of scripts and styles: its article is read"
check scripts date "2024-03-15T08:00:00+07:00" "... the JSON-LD date after 3 MB of script"
body_lacks scripts "SCRIPTWORD" "... no script text in the body"
run "$SEARCH" --db "$DB" COMMENTWORD
like "$TMP/out" "^0 results" "... nor comment text in the index"
line=$(grep -n 'content="sometime"' "$TMP/bigpage/lines.html" | cut -d: -f1)
like "$TMP/bigerr" "lines\.html:$line: field meta article:published_time: cannot read the date 'sometime'" \
    "... a warning names the line of the file (scripts dropped, their lines kept)"
check markup title "Long page" "a page with 3.5 MB of markup is read"
like "$TMP/bigerr" "markup\.html: page longer than 2 MiB without its scripts, styles and comments; read up to there" \
    "... cut at 2 MiB with a warning"
body_has markup "first paragraph words" "... its start is in the body"
body_lacks markup "LASTWORD" "... and what is past the cap is not"
for kind in script style comment open-script open-style open-comment; do
    bad=
    for s in 0 1 2 3 4 5 6 7 8 9; do
        get "edge-$kind-$s" body >"$TMP/body"
        grep -qF KEEPBEFORE "$TMP/body" && grep -qF KEEPAFTER "$TMP/body" && ! grep -qF DROPWORD "$TMP/body" ||
            bad="$bad $s"
    done
    is "$bad" "" "$kind across the read buffer's edge: dropped, the text on both sides kept"
done

done_testing

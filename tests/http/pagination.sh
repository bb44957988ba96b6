# Every pagination style yields exactly the API's records, in order, once:
# page (with a page count, or up to the first short page), offset with a
# total, cursor, Link headers, a single unpaged response, and file:// pages
# with {dir}; kasparro fetch prints them and what the read cost.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/http.sh"

start_fixture --records 25
all=$(seq -s ' ' 1 25)
ids='" ".join(i["id"] for i in d["items"])'

api_conf "$BASE/page/page" pagination=page page_size=10 size_param=size records=data \
	pages_path=meta.pages
out=$(kas fetch --json api)
expect_eq "page: 25 records in order" "$(echo "$out" | json_get "$ids")" "$all"
expect_eq "page: 3 pages in 3 requests (the page count stops it)" \
	"$(echo "$out" | json_get '[d["pages"], d["requests"], d["retries"]]')" "[3, 3, 0]"
expect_eq "page: locations name page and record" \
	"$(echo "$out" | json_get 'd["items"][23]["location"]')" "page 3, record 4"
expect_eq "page: each fixture page was asked for once" \
	"$(fixture_stat page_hits '/page/page 1') $(fixture_stat page_hits '/page/page 3') $(fixture_stat page_hits '/page/page 4')" "1 1 0"
# a page count is no record count: 3 pages of 10 are 25 records, which the
# last page tells; a read that stops before it does not know the total
expect_eq "page count only: the total is what the pages held, not 3 x 10" \
	"$(echo "$out" | json_get 'd["total"]')" "25"
expect_match "page count only: fetch says the total" "$(kas fetch api 2>&1 | tail -n 1)" \
	"^25 items from source 'api': 3 pages, 3 requests, 0 retries, [0-9]+ bytes, total 25$"
api_conf "$BASE/page2/page" pagination=page page_size=10 size_param=size records=data \
	pages_path=meta.pages max_pages=2
expect_eq "page count only, stopped by max_pages: no total" \
	"$(kas fetch --json api | json_get '[d["count"], d["total"]]')" "[20, null]"
api_conf "$BASE/page3/page?fault=500&on=3" pagination=page page_size=10 size_param=size \
	records=data pages_path=meta.pages retries=0
expect_eq "page count only, a failing last page: no total" \
	"$(kas fetch --json api 2>/dev/null | json_get '[d["count"], d["total"]]')" "[20, null]"

api_conf "$BASE/short/page" pagination=page page_size=10 size_param=size records=data
out=$(kas fetch --json api)
expect_eq "page without a page count: ends at the short page" \
	"$(echo "$out" | json_get "$ids") $(echo "$out" | json_get 'd["error"]')" "$all null"

api_conf "$BASE/templ/page?size={limit}&page={page}" pagination=page page_size=10 \
	records=data has_more_path=meta.more
out=$(kas fetch --json api)
expect_eq "page with {page} and {limit} in the template" "$(echo "$out" | json_get "$ids")" "$all"

api_conf "$BASE/offset/offset" pagination=offset page_size=10 records=items total_path=total
out=$(kas fetch --json api)
expect_eq "offset: 25 records in order" "$(echo "$out" | json_get "$ids")" "$all"
expect_eq "offset: the total is known" "$(echo "$out" | json_get 'd["total"]')" "25"
expect_eq "offset: locations name the offset" \
	"$(echo "$out" | json_get 'd["items"][12]["location"]')" "offset 10, record 3"

api_conf "$BASE/offset20/offset?n=20" pagination=offset page_size=10 records=items \
	total_path=total
out=$(kas fetch --json api)
expect_eq "offset: a total that fills the last page needs no empty page" \
	"$(echo "$out" | json_get 'd["count"]') $(fixture_stat hits /offset20/offset)" "20 2"

api_conf "$BASE/capped/offset?cap=5" pagination=offset page_size=10 records=items \
	total_path=total
out=$(kas fetch --json api 2>&1)
expect_match "offset: an API capping its pages is an error, not skipped records" "$out" \
	"source 'api': offset 0: 5 records where page_size is 10, yet the total \(25\) says more follow.*set page_size to 5"

api_conf "$BASE/ownsize/page" pagination=page records=data total_path=meta.total
out=$(kas fetch --json api)
expect_eq "page with a total and the API's own page size (not sent)" \
	"$(echo "$out" | json_get "$ids") $(fixture_stat hits /ownsize/page)" "$all 3"

api_conf "$BASE/cursor/cursor" pagination=cursor page_size=10 limit_param=limit records=results \
	cursor_path=next
out=$(kas fetch --json api)
expect_eq "cursor: 25 records in order" "$(echo "$out" | json_get "$ids")" "$all"
expect_eq "cursor: 3 requests" "$(echo "$out" | json_get 'd["requests"]')" "3"
expect_eq "cursor: locations name the request" \
	"$(echo "$out" | json_get 'd["items"][24]["location"]')" "request 3, record 5"

api_conf "$BASE/stuck/none" pagination=cursor records=data cursor_path=data.0.title
out=$(kas fetch --json api 2>&1)
expect_match "a cursor that does not move is an error, not an endless read" "$out" \
	"source 'api': request 2: the next cursor is this page's own \('record 1'\)"

# page_param misspelt: the API answers every page number with its first
# page, and nothing says where the records end (bounded: before, it never did)
api_conf "$BASE/deaf/page" pagination=page page_param=p records=data
out=$(timeout 60 "$BIN" -c "$CONF" fetch --json api 2>&1)
expect_eq "a page that repeats the one before ends the read with exit 1" "$?" "1"
expect_match "naming both pages and the parameter to check" "$out" \
	"source 'api': page 2 is page 1 again, byte for byte: the API does not read the page number \(is page_param right\?\)"
expect_eq "the first page's records were read, once" \
	"$(echo "$out" | sed -n 1p | json_get "$ids")" "$(seq -s ' ' 1 10)"

# an API that answers a page past its end with its last page (page 3 here)
for n in 1 2; do printf '{"data": [{"id": %d, "title": "t%d"}]}' "$n" "$n" >"$T/clamp-$n.json"; done
cp "$T/clamp-2.json" "$T/clamp-3.json"
api_conf "file://$T/clamp-{page}.json" pagination=page records=data
out=$(timeout 60 "$BIN" -c "$CONF" fetch --json api 2>&1)
expect_match "a last page answered again past the end: the read fails saying so" "$out" \
	"source 'api': page 3 is page 2 again, byte for byte: the API repeats its last page past the end \(pages_path, total_path or has_more_path would say where it ends\)"

# has_more written as a string, as APIs that send every value as text do:
# "false" ends the read. Before, the page after it was asked for (here there
# is none, and the read failed), and a cursor was followed on.
printf '{"data": [{"id": 1, "title": "t1"}], "more": "true", "next": "c1"}' >"$T/more-.json"
printf '{"data": [{"id": 2, "title": "t2"}], "more": "false", "next": "c2"}' >"$T/more-c1.json"
cp "$T/more-.json" "$T/more-1.json"
cp "$T/more-c1.json" "$T/more-2.json"
api_conf "file://$T/more-{page}.json" pagination=page records=data has_more_path=more
out=$(timeout 60 "$BIN" -c "$CONF" fetch --json api 2>&1)
expect_eq "has_more \"false\" (a string) ends a page read" \
	"$(echo "$out" | json_get '[d["count"], d["error"]]')" "[2, null]"
api_conf "file://$T/more-{cursor}.json" pagination=cursor records=data has_more_path=more \
	cursor_path=next
out=$(timeout 60 "$BIN" -c "$CONF" fetch --json api 2>&1)
expect_eq "has_more \"false\" (a string) ends a cursor read" \
	"$(echo "$out" | json_get '[d["count"], d["error"]]')" "[2, null]"
# and the other ways a string says no; before, "no" and "off" were followed
# on to a page that is not there
for no in no No OFF; do
	sed "s/\"false\"/\"$no\"/" "$T/more-c1.json" >"$T/more-2.json"
	api_conf "file://$T/more-{page}.json" pagination=page records=data has_more_path=more
	out=$(timeout 60 "$BIN" -c "$CONF" fetch --json api 2>&1)
	expect_eq "has_more \"$no\" (a string) ends a page read" \
		"$(echo "$out" | json_get '[d["count"], d["error"]]')" "[2, null]"
done

# 204 No Content past the last page is a page without records: it ends the
# read (before, "empty response, expected JSON" failed it)
api_conf "$BASE/nocontent/page?empty=204" pagination=page records=data
out=$(kas fetch --json api 2>/dev/null)
expect_eq "204 No Content ends a page read" \
	"$(echo "$out" | json_get '[d["count"], d["error"]]')" "[25, null]"
expect_eq "204 No Content: page 4 was asked for and answered so" \
	"$(fixture_stat page_hits '/nocontent/page 4')" "1"

# An API written in Go answers "no records" with null (a nil slice): an
# error that names the setting, or with null_records = empty the end of the
# read, like an empty page.
printf '{"data": [{"id": 1, "title": "t1"}]}' >"$T/nil-1.json"
printf '{"data": null, "page": 2}' >"$T/nil-2.json"
api_conf "file://$T/nil-{page}.json" pagination=page records=data
out=$(timeout 60 "$BIN" -c "$CONF" fetch --json api 2>/dev/null)
expect_eq "a null record array fails the read, naming the page and the setting" \
	"$(echo "$out" | json_get '[d["count"], d["error"]]')" \
	"[1, \"source 'api': page 2: 'data' is null, not an array of records (an API that answers null for no records wants null_records = empty) (file://$T/nil-2.json)\"]"
api_conf "file://$T/nil-{page}.json" pagination=page records=data null_records=empty
out=$(timeout 60 "$BIN" -c "$CONF" fetch --json api 2>/dev/null)
expect_eq "null_records = empty: a null record array ends the read" \
	"$(echo "$out" | json_get '[d["count"], d["pages"], d["error"]]')" "[1, 2, null]"
api_conf "file://$T/nil-{cursor}.json" pagination=cursor records=data cursor_path=page \
	null_records=empty
printf '{"data": [{"id": 1, "title": "t1"}], "page": 2}' >"$T/nil-.json"
out=$(timeout 60 "$BIN" -c "$CONF" fetch --json api 2>/dev/null)
expect_eq "null_records = empty: a null record array ends a cursor read" \
	"$(echo "$out" | json_get '[d["count"], d["pages"], d["error"]]')" "[1, 2, null]"

# null one step before the records ({"data": null} for data.items) is the
# same answer: null_records covers it, and without the setting the error
# names the null and the setting (before, "no 'data.items' in the response")
printf '{"data": {"items": [{"id": 1, "title": "t1"}]}}' >"$T/pnil-1.json"
printf '{"data": null, "page": 2}' >"$T/pnil-2.json"
api_conf "file://$T/pnil-{page}.json" pagination=page records=data.items null_records=empty
out=$(timeout 60 "$BIN" -c "$CONF" fetch --json api 2>/dev/null)
expect_eq "null_records = empty: a null parent of the record array ends the read" \
	"$(echo "$out" | json_get '[d["count"], d["pages"], d["error"]]')" "[1, 2, null]"
api_conf "file://$T/pnil-{page}.json" pagination=page records=data.items
out=$(timeout 60 "$BIN" -c "$CONF" fetch --json api 2>/dev/null)
expect_eq "a null parent of the record array fails the read, naming the null and the setting" \
	"$(echo "$out" | json_get 'd["error"]')" \
	"source 'api': page 2: 'data' is null, so the response holds no 'data.items' (an API that answers null for no records wants null_records = empty) (file://$T/pnil-2.json)"
printf '{"data": {"other": null}}' >"$T/pnil-2.json"
out=$(timeout 60 "$BIN" -c "$CONF" fetch --json api 2>/dev/null)
expect_match "a missing record array under a present parent is still 'no ... in the response'" \
	"$(echo "$out" | json_get 'd["error"]')" "page 2: no 'data.items' in the response"

api_conf "$BASE/max/page" pagination=page page_size=10 size_param=size records=data max_pages=2
out=$(kas fetch --json api)
expect_eq "max_pages stops after that many pages" \
	"$(echo "$out" | json_get 'd["count"]') $(fixture_stat page_hits '/max/page 3')" "20 0"

api_conf "$BASE/link/link?size=10" pagination=link
out=$(kas fetch --json api)
expect_eq "link: 25 records in order (relative Link URLs, body is the array)" \
	"$(echo "$out" | json_get "$ids")" "$all"

api_conf "$BASE/none/none" records=data
out=$(kas fetch --json api)
expect_eq "none: one request with every record" \
	"$(echo "$out" | json_get "$ids") $(echo "$out" | json_get 'd["requests"]')" "$all 1"

api_conf "$BASE/empty/page?n=0" pagination=page page_size=10 size_param=size records=data \
	pages_path=meta.pages
out=$(kas fetch --json api)
rc=$?
expect_eq "an empty API yields nothing and succeeds" \
	"$rc $(echo "$out" | json_get 'd["count"]')" "0 0"

# file:// pages, the way the shipped sample API is served
mkdir -p "$T/api"
for p in 1 2 3; do
	python3 -c 'import json, sys
p = int(sys.argv[1])
print(json.dumps({"data": [{"id": "a%d" % i, "title": "t"} for i in range(p * 4 - 3, min(p * 4, 10) + 1)],
                  "meta": {"pages": 3}}))' $p >"$T/api/articles-$p.json"
done
api_conf "file://{dir}/api/articles-{page}.json" pagination=page pages_path=meta.pages \
	records=data
out=$(kas fetch --json api)
expect_eq "file:// pages with {dir}" "$(echo "$out" | json_get "$ids")" \
	"a1 a2 a3 a4 a5 a6 a7 a8 a9 a10"

out=$(kas fetch --limit 3 api)
expect_match "text output: location, id and the compact record" "$out" \
	'^page 1, record 2  a2  \{"id":"a2","title":"t"\}$'
expect_match "text output ends with a summary" "$out" \
	"^3 items from source 'api': 1 page, 1 request, 0 retries, [0-9]+ bytes"
expect_exit "an unknown source is a usage error" 2 kas fetch nosuch

printf 'id,title\n1,one\n2,"two, quoted"\n3\n' >"$T/c.csv"
printf '[schema]\ntitle = text, required\n[source c]\nkind = csv\npath = c.csv\nid = id\nmap.title = title\n' \
	>"$T/c.conf"
out=$(CONF="$T/c.conf" kas fetch --json c)
expect_eq "fetch reads a CSV source too, bad rows marked" \
	"$(echo "$out" | json_get '[(i["location"], i["id"], i.get("error")) for i in d["items"]]')" \
	'[["line 2", "1", null], ["line 3", "2", null], ["line 4", null, "1 field, expected 2 as in the header"]]'

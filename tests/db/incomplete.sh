# Only a read that saw the whole source deletes. Every way a read can stop
# short of that keeps every record: a malformed CSV line (quarantined, the
# rest read on), a record that cannot be identified, a page limit that cut
# the read (while one the API ended within still deletes), a failed page, a
# resumed read. A record quarantined with a readable id is not missing, and
# ids are compared exactly as the source wrote them.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/http.sh"
new_db
start_fixture --records 25

cat >"$T/k.conf" <<'CONF'
[schema]
title = text, required
body = text
[source shop]
kind = csv
path = shop.csv
id = id
max_delete_ratio = 1
map.title = title
map.body = body
[source blanks]
kind = csv
path = blanks.csv
id = id
trim = false
map.title = title
[matching]
enabled = false
CONF
CONF="$T/k.conf"
live() { sql "SELECT count(*) FROM kasparro.records WHERE source = '${1:-shop}' AND NOT is_deleted"; }
last_run() { sql "SELECT max(id) FROM kasparro.runs"; }
col() { sql "SELECT $1 FROM kasparro.run_sources WHERE run_id = $(last_run) AND source = '${2:-shop}'"; }

# rows N [LINE_FOR_ID_500]: a 1,000-row CSV, row 500 replaced when given
rows() {
	echo "id,title,body"
	awk -v bad="$1" 'BEGIN { for (i = 1; i <= 1000; i++)
		if (i == 500 && bad != "") print bad; else printf "%d,Title %d,body %d\n", i, i, i }'
}
rows "" >"$T/shop.csv"
check "a first read loads 1,000 records" kas run shop
expect_eq "all 1,000 are live" "$(live)" 1000
expect_match "sources --json: the read was complete" "$(kas sources --json shop)" '"last_incomplete":null'

# --- an unclosed quote in the middle of the file
rows '500,"Title 500,body 500' >"$T/shop.csv"
out=$(kas run shop 2>&1)
expect_eq "an unclosed quote: the run succeeds (1 of 1,000 is within the error ratio)" \
	"$(col status)" succeeded
expect_eq "1 quarantined, 999 read, 0 deleted" "$(col "quarantined || ' ' || fetched - quarantined || ' ' || soft_deleted")" \
	"1 999 0"
expect_eq "every record is still live" "$(live)" 1000
expect_eq "record 501 was read on its own, not swallowed by the quote" \
	"$(sql "SELECT title FROM kasparro.records WHERE source = 'shop' AND source_id = '501'")" "Title 501"
expect_eq "the quarantined line is line 501, kept as it was" \
	"$(sql "SELECT location || ' | ' || raw FROM kasparro.quarantine WHERE run_id = $(last_run)")" \
	"line 501 ($T/shop.csv) | 500,\"Title 500,body 500"
expect_match "with the reason" "$(sql "SELECT reason FROM kasparro.quarantine WHERE run_id = $(last_run)")" \
	"malformed CSV: the quoted field opened on line 501 is never closed"
expect_eq "the read is not complete" "$(col complete)" f
expect_match "show-run says nothing was deleted, and why" "$out" \
	"shop: not a complete read, so nothing was deleted: 1 record could not be identified \(line 501 \($T/shop.csv\): malformed CSV"
expect_match "sources --json says why the source's latest read was not complete" "$(kas sources --json shop)" \
	"\"last_incomplete\":\"1 record could not be identified \\(line 501 \\($T/shop.csv\\): malformed CSV"

# --- a quote inside an unquoted field, and text after a closing quote
rows '500,Title "500",body' >"$T/shop.csv"
kas run shop >/dev/null 2>&1
expect_eq "a quote inside an unquoted field: 1 quarantined, 0 deleted" \
	"$(col "quarantined || ' ' || soft_deleted")" "1 0"
rows '500,"Title" 500,body' >"$T/shop.csv"
kas run shop >/dev/null 2>&1
expect_eq "text after a closing quote: 1 quarantined, 0 deleted" \
	"$(col "quarantined || ' ' || soft_deleted")" "1 0"

# --- a row with the wrong number of fields cannot be identified either
rows '500,Title 500' >"$T/shop.csv"
kas run shop >/dev/null 2>&1
expect_eq "a short row: 1 quarantined, 0 deleted" "$(col "quarantined || ' ' || soft_deleted")" "1 0"

# --- a record whose id is readable but which cannot be mapped is not missing
rows '500,,body 500' >"$T/shop.csv"
kas run shop >/dev/null 2>&1
expect_eq "a record missing its required title is quarantined, and the read is complete" \
	"$(col "quarantined || ' ' || complete || ' ' || soft_deleted")" "1 true 0"
expect_eq "record 500 stays live: it is in the source, only unreadable today" \
	"$(sql "SELECT is_deleted FROM kasparro.records WHERE source = 'shop' AND source_id = '500'")" f

# --- a record without an id could be any stored record
rows ',Title 500,body 500' >"$T/shop.csv"
kas run shop >/dev/null 2>&1
expect_eq "a record without an id: quarantined, the read not complete, 0 deleted" \
	"$(col "quarantined || ' ' || complete || ' ' || soft_deleted")" "1 false 0"

# --- control: a clean file without record 500 deletes exactly it
rows '' | grep -v '^500,' >"$T/shop.csv"
kas run shop >/dev/null 2>&1
expect_eq "a complete read of 999 deletes the one missing record" \
	"$(col "complete || ' ' || soft_deleted")" "true 1"

# --- ids are compared as written: " a" and "a" are two records with trim = false
printf 'id,title\n" a",spaced\na,plain\n' >"$T/blanks.csv"
kas run blanks >/dev/null 2>&1
expect_eq "' a' and 'a' are two records" \
	"$(sql "SELECT string_agg('[' || source_id || ']', ' ' ORDER BY source_id) FROM kasparro.records WHERE source = 'blanks'")" \
	"[ a] [a]"

# --- HTTP: a page limit that cuts the read deletes nothing
cat >>"$CONF" <<CONF
[source api]
kind = http_json
url = $BASE/limit/page
pagination = page
page_size = 10
size_param = size
records = data
id = id
max_delete_ratio = 1
retry_base = 20ms
retries = 0
map.title = title
CONF
kas run api >/dev/null 2>&1
expect_eq "the API's 25 records are loaded" "$(live api)" 25
sed -i 's/^page_size = 10$/page_size = 10\nmax_pages = 2/' "$CONF"
out=$(kas run api 2>&1)
expect_eq "max_pages = 2 reads 20 records and deletes none" \
	"$(col "fetched || ' ' || complete || ' ' || soft_deleted" api)" "20 false 0"
expect_eq "all 25 stay live" "$(live api)" 25
expect_match "show-run says the page limit stopped it" "$out" \
	"api: not a complete read, so nothing was deleted: max_pages = 2 stopped the read before the API said it had no more pages"
# a limit the API ends within is no cut: its 20 records end on a short page
sed -i "s|^url = $BASE/limit/page\$|url = $BASE/limit/page?n=20|; s/^max_pages = 2$/max_pages = 5/" "$CONF"
kas run api >/dev/null 2>&1
expect_eq "max_pages = 5 over an API that ends at page 3 is complete: the 5 gone are deleted" \
	"$(col "fetched || ' ' || complete || ' ' || soft_deleted" api)" "20 true 5"

# cursor pagination: the limit drops a next cursor
sed -i "s|^url = .*limit/page.*\$|url = $BASE/climit/cursor|; s/^pagination = page$/pagination = cursor\ncursor_path = next\nlimit_param = limit/; s/^records = data$/records = results/; s/^max_pages = 5$/max_pages = 1/" "$CONF"
kas run api >/dev/null 2>&1
expect_eq "cursor pages cut by max_pages = 1: 10 read, not complete, 0 deleted" \
	"$(col "fetched || ' ' || complete || ' ' || soft_deleted" api)" "10 false 0"

# a page that fails after its retries: the read failed, nothing is deleted
sed -i "s|^url = .*climit/cursor\$|url = $BASE/fail2/cursor?fault=500\&on=2|; s/^max_pages = 1$//" "$CONF"
expect_exit "a page failing mid-read fails the run" 1 kas run api
expect_eq "10 read, not complete, 0 deleted" \
	"$(col "fetched || ' ' || complete || ' ' || soft_deleted" api)" "10 false 0"

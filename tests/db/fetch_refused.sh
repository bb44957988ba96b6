# `fetch` stops where `run` stops a source's read because of its mapping,
# with the run's message and exit 1: a CSV header whose mapped name only
# two other cases spell, a source without map. lines whose header names
# none of [schema]'s fields, and JSON records none of which carries one.
# Before, fetch showed the rows with id '-' (or their ids) and succeeded.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/http.sh"
new_db

csv_source_config shop
printf '[source auto]\nkind = csv\npath = auto.csv\nid = id\n' >>"$CONF"
# fetch_as_run SOURCE DESC PATTERN: a run stops SOURCE's read with a
# message matching PATTERN, and fetch fails (exit 1) with that message; the
# run's report says "NAME: MESSAGE", fetch's error "source 'NAME': MESSAGE".
# Sets $said (the run's message) and $out (what fetch wrote).
fetch_as_run() {
	said=$(kas run "$1" 2>/dev/null | sed -n "s/^$1: //p")
	expect_match "run: $2" "$said" "$3"
	out=$(kas fetch "$1" 2>&1)
	expect_eq "... fetch fails as the run does (exit 1)" "$?" 1
	expect_eq "... with the run's message, naming the source" \
		"$(printf '%s\n' "$out" | grep -cF "kasparro: source '$1': $said")" 1
}

printf 'id,Title,TITLE\n1,Lamp,Lamp v2\n2,Desk,Desk v2\n' >"$T/shop.csv"
fetch_as_run shop "a mapped name only in two other cases stops the read" \
	"^the header of $T/shop.csv has no column 'title' but two in other cases"
expect_no_match "... and shows no row" "$out" 'Lamp|line 2'
out=$(kas fetch --json shop 2>/dev/null)
expect_eq "fetch --json: the error, no items" \
	"$(printf '%s' "$out" | json_get '[d["error"], d["count"]]')" "[\"source 'shop': $said\", 0]"
expect_eq "... nothing of it was loaded" \
	"$(sql "SELECT count(*) FROM kasparro.records WHERE source = 'shop'")" 0
printf 'id,Title,title\n1,Lamp v2,Lamp\n' >"$T/shop.csv"
expect_match "with the exact name among them, fetch shows the row by its id" \
	"$(kas fetch shop 2>&1)" '^line 2  1  '

printf 'id,name\n1,Lamp\n' >"$T/auto.csv"
fetch_as_run auto "a header without any of the fields stops an automatic source" \
	"^no map. lines, .* the header of $T/auto.csv has none of them"
expect_no_match "... and shows no row" "$out" 'Lamp'

# JSON records without any of the fields: judged with the run's first batch,
# or at the end of a shorter read.
start_fixture --records 3
printf '[schema]\nname = text\n[source api]\nkind = http_json\nurl = %s\nid = id\nrecords = data\n' \
	"$BASE/auto/none" >"$T/api.conf"
CONF="$T/api.conf"
fetch_as_run api "JSON records none of which has a field stop an automatic source" \
	"^no map. lines, .* none of the first 3 records of $BASE/auto/none has any of them"
expect_eq "... after the records it read" "$(printf '%s\n' "$out" | grep -c '^page 1, record')" 3
printf '[kasparro]\nbatch_size = 2\n' >>"$CONF"
out=$(kas fetch --limit 5 api 2>&1)
expect_eq "with a batch of 2, fetch stops after the first batch, as the run would" \
	"$(printf '%s\n' "$out" | grep -c '^page 1, record [12]  ')" 2
expect_match "... counting both, then failing" "$out" "^2 items from source 'api': .*; then it failed$"
printf '[schema]\ntitle = text\n[source api]\nkind = http_json\nurl = %s\nid = id\nrecords = data\n' \
	"$BASE/auto2/none" >"$CONF"
expect_exit "records that carry a field: fetch succeeds" 0 kas fetch api

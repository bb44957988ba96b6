# `fetch` stops where `run` stops a source's read because of its mapping,
# for the run's reasons and with exit 1: a CSV header whose mapped name
# only two other cases spell, a source without map. lines whose header
# names none of [schema]'s fields, and JSON records none of which carries
# one. Before, fetch showed the rows with id '-' (or their ids) and
# succeeded. Where the run says "nothing was loaded", fetch, which never
# loads, says "a run would stop here and load nothing" (it said "nothing
# was loaded" too). The run's first batch counts the records it
# quarantines, and so does fetch's judgement (it counted only the records
# with an id, and so judged later than a run or never). --limit ending the
# read before that judgement, with none of the records read carrying a
# field, is a warning (it was silent); the read succeeds, as a later record
# of the batch may carry one.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/http.sh"
new_db

csv_source_config shop
printf '[source auto]\nkind = csv\npath = auto.csv\nid = id\n' >>"$CONF"
# fetch_as_run SOURCE DESC PATTERN: a run stops SOURCE's read with a
# message matching PATTERN, and fetch fails (exit 1) for its reasons; the
# run's report says "NAME: WHY; nothing was loaded: REMEDY", fetch's error
# "source 'NAME': WHY; a run would stop here and load nothing: REMEDY".
# Sets $said (the run's message), $fetched (fetch's) and $out (what fetch
# wrote).
fetch_as_run() {
	said=$(kas run "$1" 2>/dev/null | sed -n "s/^$1: //p")
	expect_match "run: $2" "$said" "$3"
	expect_match "... saying nothing was loaded" "$said" '; nothing was loaded: [a-z]'
	fetched="${said%%; nothing was loaded: *}; a run would stop here and load nothing: ${said#*; nothing was loaded: }"
	out=$(kas fetch "$1" 2>&1)
	expect_eq "... fetch fails as the run does (exit 1)" "$?" 1
	expect_eq "... for the run's reasons, naming the source, saying what a run would do" \
		"$(printf '%s\n' "$out" | grep -cxF "kasparro: source '$1': $fetched")" 1
	expect_no_match "... and not that nothing was loaded: fetch never loads" "$out" \
		'[Nn]othing was loaded'
}

printf 'id,Title,TITLE\n1,Lamp,Lamp v2\n2,Desk,Desk v2\n' >"$T/shop.csv"
fetch_as_run shop "a mapped name only in two other cases stops the read" \
	"^the header of $T/shop.csv has no column 'title' but two in other cases"
expect_no_match "... and shows no row" "$out" 'Lamp|line 2'
out=$(kas fetch --json shop 2>/dev/null)
expect_eq "fetch --json: the error, no items" \
	"$(printf '%s' "$out" | json_get '[d["error"], d["count"]]')" "[\"source 'shop': $fetched\", 0]"
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

# The run's first batch counts the records it quarantines (here one without
# an id): with a batch of 2, the run judges after the second record, and
# so does fetch.
printf '{"data": [{"id": 1, "name": "a"}, {"name": "no id"}, {"id": 3, "title": "x"}]}' \
	>"$T/quarantined.json"
printf '[kasparro]\nbatch_size = 2\n[schema]\ntitle = text\n[source q]\nkind = http_json\nurl = file://%s\nid = id\nrecords = data\n' \
	"$T/quarantined.json" >"$CONF"
fetch_as_run q "a first batch of two, one quarantined, none with a field, stops the read" \
	"^no map. lines, .* the one record of file://$T/quarantined.json \(page 1, record 1\) has none of them"
expect_eq "... fetch shows the batch's two records, then fails" \
	"$(printf '%s\n' "$out" | grep -c '^page 1, record')" 2
expect_match "... counting both" "$out" "^2 items from source 'q': .*; then it failed$"
expect_eq "... and the run loaded nothing" \
	"$(sql "SELECT count(*) FROM kasparro.records WHERE source = 'q'")" 0

# --limit ends fetch's read before the run's judgement (a batch of 100):
# none of the two records read carries a field, and a run of all three
# would stop. fetch shows them, warns, and succeeds.
printf '{"data": [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}, {"id": 3, "name": "c"}]}' \
	>"$T/none.json"
printf '[kasparro]\nbatch_size = 100\n[schema]\ntitle = text\n[source n]\nkind = http_json\nurl = file://%s\nid = id\nrecords = data\n' \
	"$T/none.json" >"$CONF"
expect_match "a run of the whole source stops" "$(kas run n 2>&1)" \
	"^n: no map. lines, .* none of the first 3 records of file://$T/none.json has any of them"
out=$(kas fetch --limit 2 n 2>&1)
expect_eq "fetch --limit 2 short of the run's judgement succeeds" "$?" 0
expect_eq "... showing the two records" "$(printf '%s\n' "$out" | grep -c '^page 1, record [12]  [12]  ')" 2
expect_eq "... then warning after its summary that a run judges more and may load nothing" \
	"$(printf '%s\n' "$out" | sed -n '4p')" \
	"warning: source 'n': no map. lines, so each field of [schema] reads the key of its own name, but none of the first 2 records of file://$T/none.json has any of them: expected 'title' (in any case); the first (page 1, record 1) has 'id', 'name'; a run judges its first 100 records (batch_size), more than --limit let fetch read, and loads nothing if none of them has one either: map the source's own names with map.KEY = FIELD lines in [source n]"
out=$(kas fetch --limit 2 --json n 2>/dev/null)
expect_eq "... fetch --json says it as its warning, with no error" \
	"$(printf '%s' "$out" | json_get '[d["count"], d["error"], d["warning"].startswith("no map. lines, ")]')" \
	'[2, null, true]'
# Records that carry a field by the limit: no warning.
printf '{"data": [{"id": 1}, {"id": 2, "title": "b"}, {"id": 3}]}' >"$T/none.json"
out=$(kas fetch --limit 2 n 2>&1)
expect_eq "records with a field by the limit: fetch succeeds" "$?" 0
expect_no_match "... with no warning" "$out" 'warning'
out=$(kas fetch --limit 2 --json n 2>/dev/null)
expect_eq "... none in --json either" "$(printf '%s' "$out" | json_get 'd["warning"]')" null

# A source without map. lines maps every field of [schema] from the column
# or key of the same name (exactly, else in any case), and `config check`
# says so. A read whose CSV header, or whose first batch of JSON records,
# carries none of the schema's fields fails naming the source, its file or
# URL, and the fields expected: nothing is loaded, nothing deleted, and the
# next read starts from the beginning. A JSON record is judged with its
# batch: an API whose first record is {"id": 1} loads. Before, a source
# without map. lines was a configuration error.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/http.sh"
new_db

CONF="$T/k.conf"
cat >"$CONF" <<'CONF'
[schema]
title = text, required
n = integer
born = timestamp
[source a]
kind = csv
path = a.csv
id = id
[source b]
kind = csv
path = b.csv
id = id
map.name = title
[matching]
enabled = false
[scheduler]
enabled = false
CONF
printf '%s\n' 'id,Title,n,extra' '1,Heat,170,x' '2,Ran,160,y' '3,Alien,,z' >"$T/a.csv"
printf '%s\n' 'id,name' '9,Nine' >"$T/b.csv"

out=$(kas config check 2>&1)
expect_exit "a source without map. lines checks clean" 0 kas config check
expect_match "config check says the mapping of a is automatic" "$out" \
	"source a +csv, mapping automatic"
expect_no_match "and not for b, which maps its field" "$out" "source b .*automatic"
expect_eq "config check --json says so too" \
	"$(kas config check --json | json_get '",".join(s["name"] + ":" + s["mapping"] for s in d["sources"])')" \
	"a:automatic,b:explicit"

out=$(kas run 2>&1)
expect_match "the run loads a's three records" "$out" "a +succeeded +3 +3"
expect_eq "each field from its column, in any case; an empty one is null" \
	"$(sql "SELECT string_agg(source_id || '=' || title || '/' || coalesce(n::text, '-'), ' ' ORDER BY source_id) FROM kasparro.records WHERE source = 'a'")" \
	"1=Heat/170 2=Ran/160 3=Alien/-"
show=$(kas show-run 1 2>&1)
expect_match "the column no field names is drift" "$show" "field 'extra' is in the data but not mapped"
expect_no_match "a field the file lacks is no drift" "$show" "'born' was in no record"

# the export changes shape: none of its columns is a field
printf '%s\n' 'ID,Name,Minutes' '1,Heat,170' '4,Up,96' >"$T/a.csv"
out=$(kas run 2>&1)
rc=$?
expect_eq "a read with none of the schema's fields fails the run" "$rc" 1
msg="a: no map. lines, so each field of \[schema\] reads the column of its own name, but the header of $T/a.csv has none of them: expected 'title', 'n' or 'born' \(in any case\); it has 'ID', 'Name', 'Minutes'"
expect_match "the message names the source, the file and the fields expected" "$out" "$msg"
expect_match "show-run gives the same" "$(kas show-run 2 2>&1)" "$msg"
expect_eq "nothing loaded, nothing deleted" \
	"$(sql "SELECT count(*) FILTER (WHERE NOT is_deleted) || '/' || count(*) FROM kasparro.records WHERE source = 'a'")" "3/3"
expect_eq "no record of a was written by run 2" \
	"$(sql "SELECT count(*) FROM kasparro.records WHERE source = 'a' AND last_changed_run = 2")" 0
expect_eq "b still loads" "$(sql "SELECT title FROM kasparro.records WHERE source = 'b'")" "Nine"

# the export is fixed: the next read starts at its first line
printf '%s\n' 'id,title,n' '1,Heat,170' '2,Ran,160' '3,Alien,117' >"$T/a.csv"
out=$(kas run a 2>&1)
expect_match "the fixed file loads from its first line" "$out" "a +succeeded +3 "
expect_eq "and the value it gained is there" \
	"$(sql "SELECT n FROM kasparro.records WHERE source = 'a' AND source_id = '3'")" 117

# an API: the same with its URL
start_fixture --records 3
CONF="$T/api.conf"
printf '[schema]\nheadline = text\n[source api]\nkind = http_json\nurl = %s\nid = id\nrecords = data\n[matching]\nenabled = false\n' \
	"$BASE/auto/none" >"$CONF"
new_db _api
out=$(kas run 2>&1)
expect_match "an API whose records lack the fields fails naming the URL and the keys" "$out" \
	"api: no map. lines, so each field of \[schema\] reads the key of its own name, but none of the first 3 records of $BASE/auto/none has any of them: expected 'headline' \(in any case\); the first \(page 1, record 1\) has 'id', 'title'"
expect_eq "nothing of it loaded" "$(sql "SELECT count(*) FROM kasparro.records")" 0

# an API that writes only the keys a record has a value for
printf '{"data": [{"id": 1}, {"id": 2, "title": "Two"}, {"id": 3, "Title": "Three", "n": 3}]}\n' >"$T/sparse.json"
printf '[schema]\ntitle = text\nn = integer\n[source api]\nkind = http_json\nurl = file://%s/sparse.json\nid = id\nrecords = data\n[matching]\nenabled = false\n' \
	"$T" >"$CONF"
new_db _sparse
out=$(kas run 2>&1)
expect_match "a first record with only its id does not fail the read" "$out" "api +succeeded +3 +3"
expect_eq "each record's fields from its keys, the missing ones null" \
	"$(sql "SELECT string_agg(source_id || '=' || coalesce(title, '-') || '/' || coalesce(n::text, '-'), ' ' ORDER BY source_id) FROM kasparro.records")" \
	"1=-/- 2=Two/- 3=Three/3"
# the first batch is what is judged: nothing of it is written before
printf '{"data": [{"id": 1}, {"id": 2, "name": "Two"}, {"id": 3, "title": "Late"}]}\n' >"$T/sparse.json"
sed 's/^title = text$/title = text, required/' "$CONF" >"$CONF.new" && mv "$CONF.new" "$CONF"
printf '[kasparro]\nbatch_size = 2\n' >>"$CONF"
new_db _batch
out=$(kas run 2>&1)
expect_match "a first batch none of whose records has a field fails the read" "$out" \
	"api: no map. lines, so each field of \[schema\] reads the key of its own name, but none of the first 2 records of file://$T/sparse.json has any of them: expected 'title' or 'n' \(in any case\); the first \(page 1, record 1\) has 'id'; nothing was loaded: map"
expect_eq "... and loads nothing" "$(sql "SELECT count(*) FROM kasparro.records")" 0
expect_eq "... not even the records it would have quarantined (title is required)" \
	"$(sql "SELECT count(*) FROM kasparro.quarantine")" 0
printf '{"data": [{"id": 7}]}\n' >"$T/sparse.json"
out=$(kas run 2>&1)
expect_match "a read of one record without a field names it" "$out" \
	"but the one record of file://$T/sparse.json \(page 1, record 1\) has none of them: expected 'title' or 'n' \(in any case\); it has 'id'; nothing was loaded: map"
expect_eq "... and loads nothing" "$(sql "SELECT count(*) FROM kasparro.records")" 0
printf '[schema]\nTITLE = text\n[source api]\nkind = http_json\nurl = %s\nid = id\nrecords = data\n[matching]\nenabled = false\n' \
	"$BASE/auto/none" >"$CONF"
new_db _api2
kas run >/dev/null 2>&1
expect_eq "a field named in another case reads the key" \
	"$(sql "SELECT string_agg(\"TITLE\", ',' ORDER BY source_id) FROM kasparro.records")" \
	"record 1,record 2,record 3"

# a run stopped before its first batch was judged writes none of its records
printf '[schema]\nheadline = text\n[source api]\nkind = http_json\nurl = %s\nid = id\nrecords = data\npagination = page\npage_size = 2\nsize_param = size\n[matching]\nenabled = false\n' \
	"$BASE/stopped/page?n=10&fault=slow&on=2&delay=120" >"$CONF"
new_db _stopped
"$BIN" -c "$CONF" run >"$T/stopped.out" 2>&1 &
pid=$!
page2_asked() { [ "$(fixture_stat page_hits '/stopped/page 2')" -ge 1 ]; }
wait_for "the run reads page 1 and waits on page 2" 60 page2_asked
kill -TERM "$pid"
wait "$pid"
expect_eq "the stopped run is interrupted" \
	"$(sql "SELECT status FROM kasparro.run_sources ORDER BY run_id DESC LIMIT 1")" interrupted
expect_eq "... and wrote none of page 1's records, which carry no field" \
	"$(sql "SELECT count(*) FROM kasparro.records")" 0

# Raw payloads are stored as text (migration 19): a database whose payloads
# are json takes the change in place with every payload kept byte for byte,
# and the payloads every way of loading writes afterwards (a first load's
# binary COPY, a re-sync's upsert of a changed row) read back as the JSON
# kasparro wrote, through show-record, GET /data/{source}/{id} and a cast.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
new_db
csv_source_config shop
api_keys
api_section
cat >"$T/shop.csv" <<'CSV'
id,title
1,"Café ""quoted"", back\slash"
2,"two
lines	and a tab"
3,Plain
CSV
kas run >/dev/null 2>&1

# The database as the kasparro before left it: payloads in a json column,
# migration 19 not applied.
sql "ALTER TABLE kasparro.raw_records ALTER COLUMN payload TYPE json USING payload::json;
     DELETE FROM kasparro.schema_migrations WHERE version >= 19" >/dev/null
stored() { sql "SELECT string_agg(r.source_id || '=' || w.payload::text, '|' ORDER BY r.id)
                FROM kasparro.raw_records w JOIN kasparro.records r ON r.id = w.record_id"; }
before=$(stored)
out=$(LOG_LEVEL=info kas db migrate 2>&1)
expect_match "a database with json payloads is upgraded in place" "$out" \
	"applied schema migration 019_raw_payload_text"
expect_eq "... its payloads are text" "$(sql "SELECT format_type(atttypid, atttypmod) FROM pg_attribute
	WHERE attrelid = 'kasparro.raw_records'::regclass AND attname = 'payload'")" text
expect_eq "... every payload kept byte for byte" "$(stored)" "$before"
expect_eq "... and still JSON to a cast" "$(sql "SELECT w.payload::json->>'title' FROM kasparro.raw_records w
	JOIN kasparro.records r ON r.id = w.record_id WHERE r.source_id = '1'")" 'Café "quoted", back\slash'

# A first load (the binary COPY) of another source, and a re-sync that
# changes one row (the upsert).
csv_source fresh
cp "$T/shop.csv" "$T/fresh.csv"
sed -i 's/^3,Plain$/3,"Plain, changed ""now"""/' "$T/shop.csv"
expect_exit "both sources load" 0 kas run
expect_eq "the fresh source's payloads are what the old source's were" \
	"$(sql "SELECT string_agg(w.payload, '|' ORDER BY r.source_id) FROM kasparro.raw_records w
	        JOIN kasparro.records r ON r.id = w.record_id WHERE r.source = 'fresh'")" \
	"$(printf "%s\n" "$before" | tr '|' '\n' | sed 's/^[0-9]*=//' | paste -sd'|')"
expect_eq "the changed row's payload is its new JSON" "$(sql "SELECT w.payload::json->>'title'
	FROM kasparro.raw_records w JOIN kasparro.records r ON r.id = w.record_id
	WHERE r.source = 'shop' AND r.source_id = '3'")" 'Plain, changed "now"'

out=$(kas show-record --json fresh/2)
expect_eq "show-record --json gives the payload as an object" \
	"$(printf '%s' "$out" | python3 -c 'import json, sys; print(json.load(sys.stdin)["payload"]["title"])')" \
	"$(printf 'two\nlines\tand a tab')"
expect_match "show-record prints it" "$(kas show-record fresh/1)" '"title": "Café \\"quoted\\", back\\\\slash"'
start_daemon
get /data/shop/3
expect_eq "GET /data/{source}/{id} answers" "$CODE" 200
expect_eq "... with the payload as an object" "$(jq_ 'd["data"]["payload"]["title"]')" 'Plain, changed "now"'
stop_daemon

# kasparro writes only JSON there; a payload written by hand that is not
# JSON reads as null, and the reply stays JSON.
sql "UPDATE kasparro.raw_records w SET payload = 'not {json' FROM kasparro.records r
     WHERE r.id = w.record_id AND r.source = 'shop' AND r.source_id = '1'" >/dev/null
start_daemon
get /data/shop/1
expect_eq "a payload that is no JSON: GET /data/{source}/{id} answers" "$CODE" 200
expect_eq "... with a null payload and the record's fields" "$(jq_ '[d["data"]["payload"], d["data"]["fields"]["title"]]')" \
	'[null, "Caf\u00e9 \"quoted\", back\\slash"]'
expect_eq "show-record --json has it null too" \
	"$(kas show-record --json shop/1 | python3 -c 'import json, sys; print(json.load(sys.stdin)["payload"])')" None
stop_daemon

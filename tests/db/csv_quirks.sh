# CSV files as real exports write them, loaded with a real run: what the
# operator reads in the run's report and in kasparro quarantine names the
# file's line and the field, and no record is lost or silently replaced.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

csv_source_config shop

# Old Mac line ends ('\r' only): each record has its own line number, a
# malformed one is quarantined with its text, and the records after it on
# the "same line" of '\n' terms are read, not skipped by the resync.
printf 'id,title\r1,Lamp\r2,De"sk\r\r3,Bed\r4,"Two\rlines"\r5,Rug,extra\r6,Cup\r' >"$T/shop.csv"
out=$(kas run 2>&1)
expect_match "'\\\\r' line ends: the malformed record names its line" "$out" \
	"shop line 3 \($T/shop.csv\): malformed CSV: a quote inside an unquoted field"
expect_match "'\\\\r' line ends: the ragged record names its line" "$out" \
	"shop line 8 \($T/shop.csv\): 3 fields, expected 2 as in the header"
expect_eq "'\\\\r' line ends: every record after the malformed one is loaded" \
	"$(sql "SELECT string_agg(source_id, ',' ORDER BY source_id) FROM kasparro.records")" "1,3,4,6"
expect_eq "'\\\\r' line ends: a quoted line end stays in its field" \
	"$(sql "SELECT title = E'Two\\rlines' FROM kasparro.records WHERE source_id = '4'")" "t"
expect_eq "'\\\\r' line ends: the quarantine keeps each bad record's text" \
	"$(sql "SELECT string_agg(location || '=' || raw, ';' ORDER BY id) FROM kasparro.quarantine")" \
	"line 3 ($T/shop.csv)=2,De\"sk;line 8 ($T/shop.csv)=5,Rug,extra"

# An id that a file gives twice: the later row is loaded, as before, and the
# run's report says so, naming the id and both lines, with a count.
printf 'id,title\n1,Lamp\n2,Desk\n1,Lamp v2\n' >"$T/shop.csv"
out=$(kas run 2>&1)
expect_match "a repeated id: the report names it and both lines" "$out" \
	"shop: repeated id: id '1' was read twice, at line 2 and at line 4: the later record was loaded"
expect_eq "a repeated id: the later row is the record" \
	"$(sql "SELECT title FROM kasparro.records WHERE source_id = '1'")" "Lamp v2"
printf 'id,title\n1,a\n2,b\n1,c\n2,b\n3,a\n3,b\n3,c\n4,d\n' >"$T/shop.csv"
out=$(kas run 2>&1)
expect_match "repeated ids: counted, the first named" "$out" \
	"shop: repeated id: 4 records repeat the id of a record read before them, and the later was loaded each time: id '1' at line 2 and at line 4, id '2' at line 3 and at line 5, id '3' at line 6 and at line 7, and 1 more"
expect_eq "repeated ids: the run's report keeps the count" \
	"$(kas show-run --json "$(sql "SELECT max(id) FROM kasparro.runs")" | python3 -c 'import json, sys
d = json.load(sys.stdin)
print([(w["kind"], w["field"], w["count"]) for s in d["sources"] for w in s["drift"]])')" \
	"[('repeated_id', 'id', 4)]"
printf 'id,title\n1,a\n2,b\n3,c\n4,d\n' >"$T/shop.csv"
expect_no_match "ids read once: no such warning" "$(kas run 2>&1)" "repeated id"

# The same for an API whose pages shifted while they were read: the record
# that moved onto the next page is read twice.
printf '{"data": [{"id": 1, "title": "a"}, {"id": 2, "title": "b"}]}' >"$T/p-1.json"
printf '{"data": [{"id": 2, "title": "b"}, {"id": 3, "title": "c"}]}' >"$T/p-2.json"
printf '{"data": []}' >"$T/p-3.json"
cat >>"$CONF" <<'CONF'
[source api]
kind = http_json
url = file://{dir}/p-{page}.json
pagination = page
concurrency = 1
records = data
id = id
map.title = title
CONF
expect_match "a repeated JSON id names both pages and records" "$(kas run api 2>&1)" \
	"api: repeated id: id '2' was read twice, at page 1, record 2 and at page 2, record 1"

# Windows "ANSI" exports are windows-1252: read as latin-1, their quotes and
# euro sign are control characters, which a read warns of once, naming the
# line, the column and the setting; encoding = windows-1252 reads them.
csv_source_config ansi
printf 'id,title\n1,Plain\n2,\223Caf\351\224 \200 5\n3,\223Again\224\n' >"$T/ansi.csv"
sed -i 's/^kind = csv$/kind = csv\nencoding = latin-1/' "$CONF"
out=$(kas fetch ansi 2>&1 >/dev/null)
expect_match "latin-1 holding windows-1252 bytes: a warning names the line, column and setting" \
	"$out" "'$T/ansi.csv' line 3, column 'title': byte 0x93 is a control character in latin-1 \(is the file windows-1252, as Windows programs write it\? then set encoding = windows-1252 in \[source ansi\]\)"
expect_eq "latin-1 holding windows-1252 bytes: warned once" \
	"$(printf '%s\n' "$out" | grep -c 'control character in latin-1')" "1"
sed -i 's/^encoding = latin-1$/encoding = cp1252/' "$CONF"
expect_match "encoding = windows-1252 (as cp1252) is a valid setting" "$(kas run 2>&1)" \
	"ansi +succeeded +3 +3"
expect_eq "windows-1252: quotes, accents and the euro sign arrive as themselves" \
	"$(sql "SELECT title FROM kasparro.records WHERE source = 'ansi' AND source_id = '2'")" \
	"“Café” € 5"

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
	"shop line 3: malformed CSV: a quote inside an unquoted field"
expect_match "'\\\\r' line ends: the ragged record names its line" "$out" \
	"shop line 8: 3 fields, expected 2 as in the header"
expect_eq "'\\\\r' line ends: every record after the malformed one is loaded" \
	"$(sql "SELECT string_agg(source_id, ',' ORDER BY source_id) FROM kasparro.records")" "1,3,4,6"
expect_eq "'\\\\r' line ends: a quoted line end stays in its field" \
	"$(sql "SELECT title = E'Two\\rlines' FROM kasparro.records WHERE source_id = '4'")" "t"
expect_eq "'\\\\r' line ends: the quarantine keeps each bad record's text" \
	"$(sql "SELECT string_agg(location || '=' || raw, ';' ORDER BY id) FROM kasparro.quarantine")" \
	'line 3=2,De"sk;line 8=5,Rug,extra'

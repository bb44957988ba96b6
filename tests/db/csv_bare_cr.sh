# A bare '\r' (no '\n' after it) inside a line of a '\n' file ends a record
# there, as libcsv reads it: the record after it starts on the same line of
# the file, and what the run and kasparro quarantine say about it names
# that line, not the next; the lines after it keep their own numbers.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

csv_source_config shop

printf 'id,title\n1,Lamp\n2,Desk\n3,Bed\r4,Rug,extra\n5,Cup\n6,Pen,extra\n' >"$T/shop.csv"
out=$(kas run 2>&1)
expect_match "the record after a bare CR names its own line" "$out" \
	"shop line 4 \($T/shop.csv\): 3 fields, expected 2 as in the header"
expect_match "a later line keeps its number" "$out" \
	"shop line 6 \($T/shop.csv\): 3 fields, expected 2 as in the header"
expect_eq "the quarantine says the same" \
	"$(sql "SELECT string_agg(location || '=' || raw, ';' ORDER BY id) FROM kasparro.quarantine")" \
	"line 4 ($T/shop.csv)=4,Rug,extra;line 6 ($T/shop.csv)=6,Pen,extra"
expect_eq "the records on both sides of the CR are loaded" \
	"$(sql "SELECT string_agg(source_id || '=' || title, ',' ORDER BY source_id) FROM kasparro.records")" \
	"1=Lamp,2=Desk,3=Bed,5=Cup"

# the same with a malformed record after the CR, and an id read twice
printf 'id,title\n1,Lamp\n2,Desk\r3,De"sk\n4,Bed\r1,Lamp v2\n' >"$T/shop.csv"
out=$(kas run 2>&1)
expect_match "a malformed record after a bare CR names its line" "$out" \
	"shop line 3 \($T/shop.csv\): malformed CSV: a quote inside an unquoted field"
expect_match "a repeated id after a bare CR names its line" "$out" \
	"id '1' was read twice, at line 2 and at line 4"

# a malformed record before a bare CR costs itself only: the record after
# the CR is read, with its own line; a quoted CR stays in its field
printf 'id,title\n1,De"sk\r2,Bed\n3,"Two\rlines"\n4,Rug,extra\n' >"$T/shop.csv"
out=$(kas run 2>&1)
expect_match "a malformed record before a bare CR names its line" "$out" \
	"shop line 2 \($T/shop.csv\): malformed CSV: a quote inside an unquoted field"
expect_match "the lines after it keep their numbers" "$out" \
	"shop line 4 \($T/shop.csv\): 3 fields, expected 2 as in the header"
expect_eq "the record after the CR is read, a quoted CR kept" \
	"$(sql "SELECT string_agg(source_id || '=' || replace(title, E'\\r', '<CR>'), ',' ORDER BY source_id)
		FROM kasparro.records WHERE source_id IN ('2', '3')")" "2=Bed,3=Two<CR>lines"
cleanup_test

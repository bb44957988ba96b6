# Real-world files and APIs that look fine until something reads them: a
# CSV header that names a column twice, a latin-1 header in a file read as
# UTF-8, JSON ids that are objects or booleans. Each is loaded with a real
# run, and what the operator sees (the run's report, kasparro quarantine)
# names the file, the line or record, and the field.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

csv_source_config shop
sed -i 's/^title = text, required$/&\nstock = integer/; s/^map.title = title$/&\nmap.stock = stock/' "$CONF"

# Which of two 'stock' columns is the stock is not for kasparro to guess:
# the read fails at the header (tests/db/csv_header_twice.sh), before any
# record is loaded or quarantined.
printf 'id,title,stock,note,stock\n1,Lamp,3,x,4\n2,Desk,5,y,6\n' >"$T/shop.csv"
out=$(kas run 2>&1)
expect_match "a doubled column: the read fails naming both columns" "$out" \
	"shop: '$T/shop.csv' line 1, the header, names 'stock' twice \(columns 3 and 5\)"
expect_eq "a doubled column: nothing is loaded or quarantined" \
	"$(sql "SELECT (SELECT count(*) FROM kasparro.records) + (SELECT count(*) FROM kasparro.quarantine)")" "0"

# A latin-1 export whose rows are ASCII and whose header is not: the read
# fails before the database sees a byte, naming the file, line and column.
printf 'id;title;Gr\366\337e\n1;Lamp;3\n' >"$T/shop.csv"
out=$(kas run 2>&1)
expect_match "a latin-1 header: the read fails naming file, line, column and the setting" "$out" \
	"shop: '$T/shop.csv' line 1, the header: invalid UTF-8 in column 3 \(is the file latin-1\? then set encoding = latin-1 in \[source shop\]\)"
expect_no_match "a latin-1 header: no database error" "$out" "invalid byte sequence"
printf 'encoding = latin-1\n' >"$T/enc"
sed -i '/^map.stock/r '"$T/enc" "$CONF"
out=$(kas run 2>&1)
expect_match "with encoding = latin-1 it loads" "$out" "shop +succeeded +1 +1 "
expect_match "with encoding = latin-1 the column has its name" "$out" \
	"field 'Größe' is in the data but not mapped"

# JSON ids: a string or a number. An object or a boolean taken as text
# would make every record with the id {} or true one record.
cat >"$T/api.json" <<'JSON'
{"data": [{"id": {"sku": 1}, "title": "Lamp"}, {"id": true, "title": "Desk"},
 {"id": [2], "title": "Bed"}, {"id": 4, "title": "Rug"}, {"id": "5", "title": "Cup"}]}
JSON
cat >>"$CONF" <<'CONF'
[source api]
kind = http_json
url = file://{dir}/api.json
records = data
id = id
map.title = title
error_ratio = 1
CONF
out=$(kas run 2>&1)
expect_match "JSON ids: the number and the string load" "$out" "api +succeeded +5 +2 .* 3 "
# each names the page's URL, which a cursor's or a link's request number
# alone would not give
expect_match "an object id is quarantined, saying what it was and where" "$(kas quarantine)" \
	"api +page 1, record 1 \(file://$T/api.json\) +- +id +unreadable id \(field 'id'\): an object \{\"sku\":1\}, not a string or a number"
expect_match "a boolean id too" "$(kas quarantine)" \
	"api +page 1, record 2 \(file://$T/api.json\) +- +id +unreadable id \(field 'id'\): a boolean true, not a string or a number"
expect_match "an array id too" "$(kas quarantine)" \
	"api +page 1, record 3 \(file://$T/api.json\) +- +id +unreadable id \(field 'id'\): an array \[2\], not a string or a number"
expect_eq "only the readable ids are records" \
	"$(sql "SELECT string_agg(source_id, ',' ORDER BY source_id) FROM kasparro.records WHERE source = 'api'")" "4,5"

# A mapping that names a column the header does not have misses it in every
# record: the reason says so once per record, with the columns there are.
printf 'ID,Titel\n1,Lamp\n' >"$T/ref.csv"
cat >>"$CONF" <<'CONF'
[source ref]
kind = csv
path = ref.csv
id = sku
map.title = title
CONF
expect_match "an id column the header lacks: the reason names it and the header" \
	"$(kas run 2>&1)" "ref line 2 \($T/ref.csv\): missing id \(field 'sku'\): the header has no column 'sku' \(it has 'ID', 'Titel'\)"
sed -i 's/^id = sku$/id = id/' "$CONF"
expect_match "a required field's column the header lacks: the same" "$(kas run 2>&1)" \
	"ref line 2 \($T/ref.csv\): missing required field 'title': the header has no column 'title' \(it has 'ID', 'Titel'\)"

# A [schema] field is a column of kasparro.records, and PostgreSQL keeps
# the first 63 bytes of a column's name: a longer field name was cut
# without a word (a run then warned that the field had no column yet), and
# two fields sharing their first 63 bytes would have been one column.
# `config check` and a run refuse such a name, naming its line; a name of
# exactly 63 characters is a column as written.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
long=$(printf 'x%.0s' $(seq 1 64))
max=$(printf 'y%.0s' $(seq 1 63))
csv_source_config shop
sed -i "s/^title = text, required\$/&\n$long = text/" "$CONF"
printf 'id,title\n1,Lamp\n' >"$T/shop.csv"
out=$(kas config check 2>&1)
expect_eq "config check refuses a field name of 64 characters (exit 2)" "$?" 2
expect_match "... naming its line and the limit" "$out" \
	"line 3: field name 'xxxxxxxxxxxxxxxxxxxx…' is 64 characters long; .*PostgreSQL keeps to 63: shorten it"
expect_exit "a run refuses the configuration too (exit 2)" 2 kas run
expect_eq "... and loads nothing" "$(sql "SELECT count(*) FROM pg_tables WHERE tablename = 'records'")" 0

sed -i "s/^$long = text\$/$max = text/" "$CONF"
printf 'id,title,%s\n1,Lamp,bright\n' "$max" >"$T/shop.csv"
sed -i "s/^map.title = title\$/&\nmap.$max = $max/" "$CONF"
check "a field name of 63 characters passes" kas config check
check "... and a run loads it" kas run
expect_eq "... into a column of that whole name" \
	"$(sql "SELECT $max FROM kasparro.records WHERE source_id = '1'")" bright

# A timestamp's year is written with four digits, and its microseconds are
# read as whole numbers: the year 1 ("0001-01-01") once went to PostgreSQL
# as "1-01-01", which it reads as 2001, and the last microsecond of 9999
# was rounded through a double into the year 10000. A time outside the
# years 1 to 9999 (UTC) is refused as an unreadable value is: NULL and a
# drift report when the field is optional, quarantined naming the file,
# line and field when it is required. A first load (COPY binary) and an
# upsert (text) store the same values.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

CONF="$T/k.conf"
printf '[kasparro]\nerror_ratio = 0.5\n[schema]\ntitle = text\nat = timestamp\nmust = timestamp, required\n' >"$CONF"
for src in fresh:rows upsert:up; do
	printf '[source %s]\nkind = csv\npath = %s.csv\nid = id\nmap.title = title\nmap.at = at\nmap.must = must\n' \
		"${src%:*}" "${src#*:}"
done >>"$CONF"
printf '[matching]\nenabled = false\n' >>"$CONF"
cat >"$T/rows.csv" <<'CSV'
id,title,at,must
1,year one,0001-01-01T00:00:00Z,2024-01-01
2,year 999,0999-06-15T12:00:00Z,2024-01-01
3,last microsecond,9999-12-31T23:59:59.999999Z,2024-01-01
4,first microsecond,0001-01-01T00:00:00.000001Z,2024-01-01
5,a microsecond in 9999,9999-06-30T10:00:00.000001+02:00,2024-01-01
6,before the year 1,0001-01-01T00:30:00+01:00,2024-01-01
7,after 9999,2024-01-01,9999-12-31T23:00:00-02:00
CSV
head -n 2 "$T/rows.csv" >"$T/up.csv"
kas run >/dev/null 2>&1
cp "$T/rows.csv" "$T/up.csv"
out=$(kas run 2>&1)
expect_match "the upsert source takes the rest through the upsert" "$out" "upsert +succeeded +7 +5 +0 +1 +1"

stored() {
	sql "SELECT string_agg(source_id || ' ' || coalesce(to_char(at AT TIME ZONE 'UTC',
		'YYYY-MM-DD HH24:MI:SS.US'), 'NULL'), ', ' ORDER BY source_id)
		FROM kasparro.records WHERE source = '$1'"
}
want="1 0001-01-01 00:00:00.000000, 2 0999-06-15 12:00:00.000000, 3 9999-12-31 23:59:59.999999, 4 0001-01-01 00:00:00.000001, 5 9999-06-30 08:00:00.000001, 6 NULL"
expect_eq "the first load stores each year and microsecond as written" "$(stored fresh)" "$want"
expect_eq "the upsert stores the same" "$(stored upsert)" "$want"
expect_match "show-record shows the year 1 as such" "$(kas show-record fresh/1)" "0001-01-01"
show=$(kas show-run 1)
expect_match "a time before the year 1 is an unreadable value, stored as NULL" "$show" \
	"field 'at': 1 value could not be read and was stored as NULL: '0001-01-01T00:30:00\\+01:00' is not a timestamp within the years 1 to 9999 \\(UTC\\)"
expect_no_match "... with no 'format.at' hint: no format would help" "$show" \
	"years 1 to 9999 \\(UTC\\) \\(a 'format"
q=$(kas quarantine --json)
expect_match "a required one after 9999 is quarantined naming file, line and field" "$q" \
	'"location":"line 8 \('"$T"'/rows.csv\)","source_id":"7","field":"must","reason":"[^"]*'"'"'9999-12-31T23:00:00-02:00'"'"' is not a timestamp within the years 1 to 9999 \(UTC\)'
cleanup_test

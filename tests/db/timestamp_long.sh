# A timestamp of 64 characters or more was cut to its first 63 before it
# was read: a fraction of a second written to many digits lost the zone
# after it and was read as UTC, hours off, or the value was refused as no
# timestamp. Such a value is read whole now; one longer than any timestamp
# (256 characters) is refused saying so and how long it is: quarantined,
# naming the field, when the field is required.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

CONF="$T/k.conf"
printf '[schema]\ntitle = text\nat = timestamp\nmust = timestamp, required\n' >"$CONF"
printf '[source s]\nkind = csv\npath = s.csv\nid = id\nmap.title = title\nmap.at = at\nmap.must = must\n' >>"$CONF"
printf '[matching]\nenabled = false\n' >>"$CONF"
digits=$(printf '%050d' 0 | tr 0 7)                     # 50 sevens
zeros=$(printf '%0280d' 0)
long="2024-05-01T12:00:00.123456$digits+02:00"          # 82 characters
at64="2024-05-01T12:00:00.1234565$(printf '%031d' 0)-05:00" # 64 characters
over="2024-05-01T12:00:00.$zeros+02:00"                 # 306 characters
{
	echo "id,title,at,must"
	echo "1,a long fraction,$long,2024-01-01"
	echo "2,sixty-four,$at64,2024-01-01"
	echo "3,too long,2024-01-01,$over"
} >"$T/s.csv"
expect_eq "the values are 82, 64 and 306 characters" "${#long} ${#at64} ${#over}" "82 64 306"
kas run >/dev/null 2>&1

expect_eq "a long fraction keeps its zone and its microseconds; so does one of 64 characters" \
	"$(sql "SELECT string_agg(source_id || ' ' || to_char(at AT TIME ZONE 'UTC',
		'YYYY-MM-DD HH24:MI:SS.US'), ', ' ORDER BY source_id) FROM kasparro.records")" \
	"1 2024-05-01 10:00:00.123457, 2 2024-05-01 17:00:00.123457"
expect_eq "the over-long one is not loaded" \
	"$(sql "SELECT count(*) FROM kasparro.records WHERE source_id = '3'")" 0
q=$(kas quarantine --json)
expect_match "it is quarantined naming the field and its length" "$q" \
	'"source_id":"3","field":"must","reason":"field '"'must'"': '"'"'2024-05-01T12:00:00\.0+…'"'"' is too long for a timestamp: 306 characters \(at most 256\)'

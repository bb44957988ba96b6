# A source's first load COPYs its records in binary (loader_write.c): each
# declared type converted by kasparro, not by the server from text. The
# same rows loaded through the upsert (text, cast by the server) must store
# the same values: text with tabs, newlines, backslashes and quotes, empty
# and NULL fields, integers, numbers at the edges of a double, booleans,
# timestamps with and without microseconds, a leap day, the first and last
# microseconds of the years 1 to 9999 (once written "1-01-01", which the
# server read as 2001, and rounded into the year 10000), URLs.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

CONF="$T/k.conf"
printf '[kasparro]\nbatch_size = 3\n[schema]\ntitle = text\nn = integer\nx = number\nok = boolean\nat = timestamp\nlink = url\n' >"$CONF"
for src in fresh:rows upsert:up; do
	printf '[source %s]\nkind = csv\npath = %s.csv\nid = id\n' "${src%:*}" "${src#*:}"
	for f in title n x ok at link; do echo "map.$f = $f"; done
done >>"$CONF"
printf '[matching]\nenabled = false\n' >>"$CONF"
cat >"$T/rows.csv" <<'CSV'
id,title,n,x,ok,at,link
1,"tab	and ""quotes"", a back\slash",-9223372036854775808,0.1,yes,2024-02-29T23:59:59.000001Z,https://example.com/a?b=c
2,"two
lines",9223372036854775807,-1.7976931348623157e308,false,1970-01-01,http://example.org/
3,,0,4.9406564584124654e-324,t,2003-05-17T10:20:30+02:00,
4,\N,12,123456789.123456789,0,1899-12-31T23:59:59Z,https://x.test/\N
5,é ü 漢字,-1,-0,on,1600-03-01T00:00:00.5Z,https://y.test/
6,plain,7,1e-5,n,,https://z.test/
7,year ten thousand,1,2,true,9999-12-31T23:59:59.999999Z,https://w.test/
8,year one,2,3,false,0001-01-01T00:00:00Z,https://v.test/
CSV
head -n 2 "$T/rows.csv" >"$T/up.csv"
out=$(kas run 2>&1)
expect_match "both sources load" "$out" "upsert +succeeded +1 +1 "
cp "$T/rows.csv" "$T/up.csv"
out=$(kas run 2>&1)
expect_match "the upsert source takes the rest through the upsert" "$out" "upsert +succeeded +8 +7 +0 +1 "
expect_match "the fresh source is unchanged" "$out" "fresh +succeeded +8 +0 +0 +8 "

values() {
	sql "SELECT string_agg(source_id || ': ' || row(title, n, x, ok, at, link)::text, E'\n' ORDER BY source_id)
		FROM kasparro.records WHERE source = '$1'"
}
fresh=$(values fresh)
expect_eq "a first load in binary stores what the upsert's text stores" "$fresh" "$(values upsert)"
expect_eq "typed values as the server read them from text" "$(sql "SELECT x::text || '|' || n || '|' || ok || '|' ||
	to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') FROM kasparro.records WHERE source = 'fresh' AND source_id = '1'")" \
	"0.1|-9223372036854775808|true|2024-02-29 23:59:59.000001"
expect_eq "text keeps its tab, quotes and backslash; an empty field is NULL" \
	"$(sql "SELECT title || '|' || coalesce((SELECT title FROM kasparro.records WHERE source = 'fresh' AND source_id = '3'), 'NULL')
		FROM kasparro.records WHERE source = 'fresh' AND source_id = '1'")" \
	"$(printf 'tab\tand "quotes", a back\\slash|NULL')"
expect_eq "a literal \\N is text, not NULL" \
	"$(sql "SELECT title FROM kasparro.records WHERE source = 'fresh' AND source_id = '4'")" '\N'
expect_eq "the years 9999 and 1 are stored as written, to the microsecond" \
	"$(sql "SELECT string_agg(to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), ' ' ORDER BY source_id)
		FROM kasparro.records WHERE source = 'fresh' AND source_id IN ('7', '8')")" \
	"9999-12-31 23:59:59.999999 0001-01-01 00:00:00.000000"
cleanup_test

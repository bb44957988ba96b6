# Dates known only to their month or year, read from the source: a
# catalogue writes release months ("1995-06"), an archive release years
# ("2015"), a shop full dates for the same 40 films. With nothing
# configured but the schema, each film is merged with its own; a month is
# compared by month (June against 20 July is "within 31 days", though 49
# days lie between 1 June and 20 July), a year by year (2015 against
# 1 February 2016 is "within 366 days", not "different"), and the
# explanation shows the month and the year as they were compared. The
# shop's own firsts of a month (one in 40) stay days.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

awk -v dir="$T" 'BEGIN {
	split("amber river night garden silver winter harbour empty quiet falling", w, " ")
	m = dir "/months.csv"; y = dir "/years.csv"; d = dir "/days.csv"
	print "id,title,released" > m; print "id,title,released" > y; print "sku,name,date" > d
	for (i = 0; i < 40; i++) {
		t = sprintf("%s %s %s %c%d", w[i % 10 + 1], w[(i * 3 + 1) % 10 + 1], w[(i * 7 + 2) % 10 + 1], 65 + i % 26, i)
		yr = 1980 + i; mo = i % 12 + 1
		if (i < 20)
			printf "m%d,%s,%d-%02d\n", i, t, yr, mo > m
		else
			printf "y%d,%s,%d\n", i, t, yr > y
		day = sprintf("%d-%02d-%02d", yr, mo, i % 2 ? 28 : 3)
		if (i == 5) day = "1985-07-20"   # 49 days after 1 June
		if (i == 25) day = "2006-02-01"  # 396 days after 1 January 2005
		if (i == 7) day = "1987-08-01"   # a first of a month among days
		printf "d%d,%s,%s\n", i, t, day > d
	}
}'
CONF="$T/k.conf"
printf '[schema]\ntitle = text\nreleased = timestamp\n' >"$CONF"
for s in catalogue:months archive:years; do
	printf '[source %s]\nkind = csv\npath = %s.csv\nid = id\nunique = true\n' "${s%:*}" "${s#*:}"
	printf 'map.title = title\nmap.released = released\n'
done >>"$CONF"
printf '[source shop]\nkind = csv\npath = days.csv\nid = sku\nunique = true\n' >>"$CONF"
printf 'map.name = title\nmap.date = released\n' >>"$CONF"
kas run >/dev/null 2>&1
expect_eq "the run exits 0" "$?" 0
expect_eq "every film is merged with its own and nothing else" \
	"$(sql "SELECT count(*) FROM (SELECT m.entity_id
		FROM kasparro.entity_members m JOIN kasparro.records r ON r.id = m.record_id WHERE m.live
		GROUP BY m.entity_id HAVING count(*) = 2 AND count(DISTINCT substr(r.source_id, 2)) = 1) e")" 40

# released X Y: the explanation's released row of the candidate X–Y:
# "A-value | B-value | label | weight > 0"
released() {
	_cand=$(sql "SELECT c.id FROM kasparro.match_candidates c JOIN kasparro.records r ON r.id = c.rec_a
		JOIN kasparro.records s ON s.id = c.rec_b WHERE (r.source_id, s.source_id) IN (('$1', '$2'), ('$2', '$1'))")
	kas show-match "$_cand" --json | X="$1" python3 -c 'import json, os, sys
c = json.load(sys.stdin)
for f in c["fields"]:
    if f["field"] == "released":
        a, b = (f["a"], f["b"]) if c["a"]["source_id"] == os.environ["X"] else (f["b"], f["a"])
        print(a, b, f["label"], f["weight"] > 0, sep=" | ")'
}
expect_eq "a month is compared and shown as the month" "$(released m5 d5)" \
	"1985-06 | 1985-07-20T00:00:00Z | within 31 days | True"
expect_eq "a year is compared and shown as the year" "$(released y25 d25)" \
	"2005 | 2006-02-01T00:00:00Z | within 366 days | False"
expect_eq "a source writing days keeps its first of a month a day" "$(released m7 d7)" \
	"1987-08 | 1987-08-01T00:00:00Z | within 31 days | True"

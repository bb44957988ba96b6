# Editions told apart by the numbers in their titles: two sources list 24
# products, each in two editions (a pack of 3 users and one of 5) — maker
# first in one source, last in the other. With nothing configured, each
# edition is merged with its own and never with the other; a title that
# differs from its only candidate just by a number (Zephyr's pack of 3
# against a pack of 5) is not merged, while the same title with the same
# numbers (Quasar's) is. The explanation shows the numbers' own row.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

awk -v dir="$T" 'BEGIN {
	split("Acme Vortex Nimbus Orbit Lumen Sonic", maker, " ")
	split("Photo Audio Video Office Tax Map Garden Chess", kind, " ")
	split("Studio Suite Deluxe", line, " ")
	a = dir "/a.csv"; b = dir "/b.csv"
	print "id,title,price" > a
	print "sku,name,cost" > b
	for (i = 1; i <= 24; i++) {
		m = maker[i % 6 + 1]; k = kind[i % 8 + 1]; l = line[i % 3 + 1]; y = 2000 + i
		for (n = 3; n <= 5; n += 2) {
			p = 20 + i * 3 + n
			printf "a%d-%d,%s %s %s %d Pack %d,%.2f\n", i, n, m, k, l, y, n, p > a
			printf "b%d-%d,%s %s %d Pack %d %s,%.2f\n", i, n, k, l, y, n, m, p * 1.1 > b
		}
	}
	print "az-3,Zephyr Weather Planner 2031 Pack 3,40.00" > a
	print "bz-5,Weather Planner 2031 Pack 5 Zephyr,44.00" > b
	print "aq-3,Quasar Weather Planner 2032 Pack 3,40.00" > a
	print "bq-3,Weather Planner 2032 Pack 3 Quasar,44.00" > b
}'
CONF="$T/k.conf"
cat >"$CONF" <<'CONF'
[schema]
title = text
price = number
[source a]
kind = csv
path = a.csv
id = id
unique = true
map.title = title
map.price = price
[source b]
kind = csv
path = b.csv
id = sku
unique = true
map.name = title
map.cost = price
CONF

kas run >/dev/null 2>&1
expect_eq "the run exits 0" "$?" 0
groups=$(sql "SELECT string_agg(g, ' ' ORDER BY g) FROM (SELECT string_agg(r.source_id, ',' ORDER BY r.source) AS g
	FROM kasparro.entity_members m JOIN kasparro.records r ON r.id = m.record_id WHERE m.live
	GROUP BY m.entity_id HAVING count(*) > 1) e")
expect_eq "every edition is merged with its own (48 pairs and Quasar's)" \
	"$(echo "$groups" | tr ' ' '\n' | grep -c .)" 49
expect_eq "... and never with another edition" \
	"$(echo "$groups" | tr ' ' '\n' | awk -F, '{ sub(/^a/, "", $1); sub(/^b/, "", $2); if ($1 != $2) n++ } END { print n + 0 }')" 0
ent() { sql "SELECT m.entity_id FROM kasparro.entity_members m JOIN kasparro.records r ON r.id = m.record_id WHERE r.source_id = '$1' AND m.live"; }
expect_eq "the same title with the same numbers is merged (aq-3 with bq-3)" \
	"$(test "$(ent aq-3)" = "$(ent bq-3)" && echo yes)" yes
expect_eq "a title that differs only by a number is not (az-3, bz-5)" \
	"$(test "$(ent az-3)" != "$(ent bz-5)" && echo yes)" yes
cand=$(sql "SELECT c.id FROM kasparro.match_candidates c JOIN kasparro.records r ON r.id IN (c.rec_a, c.rec_b)
	JOIN kasparro.records s ON s.id IN (c.rec_a, c.rec_b) AND s.id <> r.id WHERE r.source_id = 'a1-3' AND s.source_id = 'b1-3'")
expect_eq "the explanation weighs the title's numbers on a row of their own" \
	"$(kas show-match "$cand" --json | python3 -c 'import json, sys
for f in json.load(sys.stdin)["fields"]:
    if f["field"] == "title (numbers)":
        print(f["comparator"], f["label"], f["weight"] > 0)')" "numbers the same numbers True"

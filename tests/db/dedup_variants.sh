# Variants told apart by words their titles differ in, learnt from the
# data: two sources, each listing each thing once, list 24 products in two
# editions named in words (Standard and Deluxe, Home and Business, Mac and
# Windows) — maker first in one source, last in the other. Nothing names
# these words: a unique source that lists a title with one word and with
# another says those words tell its things apart. With nothing configured,
# each edition is merged with its own and never with the other; a title
# that differs from its only candidate just by such a word (Zephyr's Deluxe
# against a Standard) is not merged, while the same title with the same
# word (Quasar's) is. The explanation shows the variant words' own row.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

awk -v dir="$T" 'BEGIN {
	split("Acme Vortex Nimbus Orbit Lumen Sonic", maker, " ")
	split("Photo Audio Video Office Tax Map Garden Chess", kind, " ")
	split("Studio Suite Planner", line, " ")
	split("Standard Home Mac", one, " "); split("Deluxe Business Windows", two, " ")
	a = dir "/a.csv"; b = dir "/b.csv"
	print "id,title,price" > a
	print "sku,name,cost" > b
	for (i = 1; i <= 24; i++) {
		m = maker[i % 6 + 1]; k = kind[i % 8 + 1]; l = line[i % 3 + 1]; v = i % 3 + 1
		for (e = 1; e <= 2; e++) {
			w = e == 1 ? one[v] : two[v]; p = 20 + i * 3 + e * 7
			printf "a%d-%d,%s %s %s %s,%.2f\n", i, e, m, k, l, w, p > a
			printf "b%d-%d,%s %s %s %s,%.2f\n", i, e, k, l, w, m, p * 1.1 > b
		}
	}
	print "az-2,Zephyr Weather Planner Deluxe,40.00" > a
	print "bz-1,Weather Planner Standard Zephyr,44.00" > b
	print "aq-2,Quasar Weather Planner Deluxe,40.00" > a
	print "bq-2,Weather Planner Deluxe Quasar,44.00" > b
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
expect_eq "the same title with the same edition is merged (aq-2 with bq-2)" \
	"$(test "$(ent aq-2)" = "$(ent bq-2)" && echo yes)" yes
expect_eq "a title that differs only by its edition is not (az-2, bz-1)" \
	"$(test "$(ent az-2)" != "$(ent bz-1)" && echo yes)" yes
cand=$(sql "SELECT c.id FROM kasparro.match_candidates c JOIN kasparro.records r ON r.id IN (c.rec_a, c.rec_b)
	JOIN kasparro.records s ON s.id IN (c.rec_a, c.rec_b) AND s.id <> r.id WHERE r.source_id = 'a1-1' AND s.source_id = 'b1-1'")
expect_eq "the explanation weighs the title's variant words on a row of their own" \
	"$(kas show-match "$cand" --json | python3 -c 'import json, sys
for f in json.load(sys.stdin)["fields"]:
    if f["field"] == "title (variant words)":
        print(f["comparator"], f["label"], f["weight"] > 0)')" "variants the same variant words True"

# tests/lib/editions.sh — the fixture of the tests on editions told apart
# (db/dedup_numbers.sh, db/dedup_variants.sh), sourced after lib.sh. Two
# sources, both unique: a ($T/a.csv: id,title,price) and b ($T/b.csv:
# sku,name,cost), in which a record aX of a and bX of b are one edition
# of one product; the test writes them.
#
#   editions_run N [FIELD]
#                      writes $CONF, runs with nothing configured, and checks
#                      that the run exits 0 and that N pairs are merged, each
#                      aX with its bX and never with another; FIELD: a text
#                      field a alone has (its column FIELD), b none
#   editions_same X Y WHAT, editions_apart X Y WHAT
#                      records X and Y are (not) in one entity
#   editions_candidate X Y COLUMN
#                      a column of the candidate X–Y (status, id, ...)
#   editions_row X Y FIELD EXPECTED
#                      the explanation of the candidate X–Y has a row FIELD
#                      whose comparator, label and "weight > 0" print EXPECTED
#   editions_shops N [I...]
#                      writes N products, "Brand Type CODE Colour" in a and
#                      "CODE Brand Type" in b at 2% more, but for products I
#                      (the test appends its own aI and bI)

editions_run() {
	CONF="$T/k.conf"
	{
		printf '[schema]\ntitle = text\n'
		[ -z "${2:-}" ] || printf '%s = text\n' "$2"
		printf 'price = number\n[source a]\nkind = csv\npath = a.csv\nid = id\nunique = true\n'
		printf 'map.title = title\n'
		[ -z "${2:-}" ] || printf 'map.%s = %s\n' "$2" "$2"
		printf 'map.price = price\n[source b]\nkind = csv\npath = b.csv\nid = sku\nunique = true\n'
		printf 'map.name = title\nmap.cost = price\n'
	} >"$CONF"
	kas run >/dev/null 2>&1
	expect_eq "the run exits 0" "$?" 0
	_groups=$(sql "SELECT string_agg(g, ' ' ORDER BY g) FROM (SELECT string_agg(r.source_id, ',' ORDER BY r.source) AS g
		FROM kasparro.entity_members m JOIN kasparro.records r ON r.id = m.record_id WHERE m.live
		GROUP BY m.entity_id HAVING count(*) > 1) e")
	expect_eq "every edition is merged with its own ($1 pairs)" \
		"$(echo "$_groups" | tr ' ' '\n' | grep -c .)" "$1"
	expect_eq "... and never with another edition" \
		"$(echo "$_groups" | tr ' ' '\n' | awk -F, '{ sub(/^a/, "", $1); sub(/^b/, "", $2); if ($1 != $2) n++ } END { print n + 0 }')" 0
}

editions_same() {
	expect_eq "$3 ($1 with $2)" "$(test "$(entity_of "$1")" = "$(entity_of "$2")" && echo yes)" yes
}

editions_apart() {
	expect_eq "$3 ($1, $2)" "$(test "$(entity_of "$1")" != "$(entity_of "$2")" && echo yes)" yes
}

editions_candidate() {
	sql "SELECT c.$3 FROM kasparro.match_candidates c JOIN kasparro.records r ON r.id IN (c.rec_a, c.rec_b)
		JOIN kasparro.records s ON s.id IN (c.rec_a, c.rec_b) AND s.id <> r.id WHERE r.source_id = '$1' AND s.source_id = '$2'"
}

editions_row() {
	_cand=$(editions_candidate "$1" "$2" id)
	expect_eq "the explanation weighs the title's $3 on a row of their own" \
		"$(kas show-match "$_cand" --json | FIELD="title ($3)" python3 -c 'import json, os, sys
for f in json.load(sys.stdin)["fields"]:
    if f["field"] == os.environ["FIELD"]:
        print(f["comparator"], f["label"], f["weight"] > 0)')" "$4"
}

editions_shops() {
	_n=$1
	shift
	awk -v dir="$T" -v n="$_n" -v skip=" $* " 'BEGIN {
		split("Sony Acme Vortex Nimbus", brand, " ")
		split("Player Headphones Speaker Camera Router", type, " ")
		split("Black White Silver", colour, " ")
		print "id,title,price" > (dir "/a.csv")
		print "sku,name,cost" > (dir "/b.csv")
		for (i = 1; i <= n; i++) {
			if (index(skip, " " i " "))
				continue
			code = sprintf("%c%c%d%c", 65 + i % 7, 75 + i % 5, 100 + i * 7, 80 + i % 3)
			words = brand[i % 4 + 1] " " type[i % 5 + 1]
			printf "a%d,%s %s %s,%.2f\n", i, words, code, colour[i % 3 + 1], 20 + i * 3 >> (dir "/a.csv")
			printf "b%d,%s %s,%.2f\n", i, code, words, (20 + i * 3) * 1.02 >> (dir "/b.csv")
		}
	}'
}

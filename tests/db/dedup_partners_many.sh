# Eight shops that each list the same products once (`unique = true`):
# the model keeps, for every ordered pair of them, how likely a record of
# one has its partner among its candidates in the other (the per-record
# prior, docs/matching.md) — 8 x 7 = 56 rates. The model had room for 32:
# past them a direction silently had no rate, and its pairs went by the
# pairwise prior, so a pair of moderate evidence and no rival that merges
# between two shops waited for an operator between two others.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
CONF="$T/k.conf"
SHOPS="1 2 3 4 5 6 7 8"

# 30 products in every shop, "Brand Type CODE Colour" in the odd ones and
# "CODE Brand Type" in the even ones, the price a little off from shop to
# shop; product 31 only in shops 7 and 8, by a name instead of a code and
# in the other order (moderate evidence, no rival as good)
{
	printf '[schema]\ntitle = text\nprice = number\n'
	for s in $SHOPS; do
		printf '[source shop%s]\nkind = csv\npath = s%s.csv\nid = id\nunique = true\n' "$s" "$s"
		printf 'map.title = title\nmap.price = price\n'
	done
} >"$CONF"
for s in $SHOPS; do
	awk -v s="$s" 'BEGIN {
		split("Sony Acme Vortex Nimbus", brand, " ")
		split("Player Headphones Speaker Camera Router", type, " ")
		split("Black White Silver", colour, " ")
		print "id,title,price"
		for (i = 1; i <= 30; i++) {
			code = sprintf("%c%c%d%c", 65 + i % 7, 75 + i % 5, 100 + i * 7, 80 + i % 3)
			words = brand[i % 4 + 1] " " type[i % 5 + 1]
			price = (20 + i * 3) * (1 + s / 100)
			if (s % 2)
				printf "s%dp%d,%s %s %s,%.2f\n", s, i, words, code, colour[i % 3 + 1], price
			else
				printf "s%dp%d,%s %s,%.2f\n", s, i, code, words, price
		}
	}' >"$T/s$s.csv"
done
printf 's7p31,Acme Speaker Zephyr White,131.00\n' >>"$T/s7.csv"
printf 's8p31,Zephyr Acme Speaker,157.20\n' >>"$T/s8.csv"

# the pairwise prior's weight, log2 of its odds
pairwise() {
	sql "SELECT round((ln(p / (1 - p)) / ln(2))::numeric, 4) FROM (SELECT (model->>'prior')::float8 AS p
		FROM kasparro.dedup_state) m"
}
# the candidates between two shops that start from the pairwise prior
# rather than a per-record one above it
on_pairwise() {
	sql "SELECT count(*) FROM kasparro.match_candidates WHERE prior_weight <= $(pairwise) + 0.001"
}
candidate() { # candidate X Y: the id of the candidate between records X and Y
	sql "SELECT c.id FROM kasparro.match_candidates c JOIN kasparro.records x ON x.id IN (c.rec_a, c.rec_b)
		JOIN kasparro.records y ON y.id IN (c.rec_a, c.rec_b) AND y.id <> x.id
		WHERE x.source_id = '$1' AND y.source_id = '$2'"
}
# the (prior) weight show-match gives the candidate X-Y, above the pairwise one
prior_above() {
	kas show-match "$(candidate "$1" "$2")" --json | PAIRWISE=$(pairwise) python3 -c 'import json, os, sys
print(json.load(sys.stdin)["prior_weight"] > float(os.environ["PAIRWISE"]) + 1)'
}

check "the first run" kas run
expect_eq "the model keeps a partner rate for every ordered pair of the eight shops (56)" \
	"$(sql "SELECT count(*), count(DISTINCT (p->>'source', p->>'other')),
		bool_and(p->>'source' <> p->>'other' AND p->>'source' LIKE 'shop_' AND p->>'other' LIKE 'shop_')
		FROM kasparro.dedup_state, jsonb_array_elements(model->'partners') p")" "56|56|t"
expect_eq "... each estimated on its records: most of them have their partner" \
	"$(sql "SELECT count(*) FROM kasparro.dedup_state, jsonb_array_elements(model->'partners') p
		WHERE (p->>'q')::float8 BETWEEN 0.5 AND 1 AND (p->>'n')::float8 >= 1")" 56
expect_eq "every candidate between two shops starts from the per-record prior" "$(on_pairwise)" 0
expect_eq "the explanation of s7p31-s8p31 starts from it, above the pairwise prior" \
	"$(prior_above s7p31 s8p31)" True

# an incremental run scores new records with the stored rates, all of them
model=$(sql "SELECT model FROM kasparro.dedup_state")
printf 's7p32,Nimbus Router Orbit Black,50.00\n' >>"$T/s7.csv"
printf 's8p32,Orbit Nimbus Router,60.00\n' >>"$T/s8.csv"
out=$(kas run 2>&1)
expect_eq "a second run with one product more in shops 7 and 8 exits 0" "$?" 0
expect_eq "... without estimating the model again" "$(sql "SELECT model FROM kasparro.dedup_state")" "$model"
expect_eq "... and the new pair starts from the stored per-record prior" "$(prior_above s7p32 s8p32)" True
expect_eq "... as every candidate still does" "$(on_pairwise)" 0
expect_eq "the stored model still holds the 56 rates" \
	"$(sql "SELECT jsonb_array_length(model->'partners') FROM kasparro.dedup_state")" 56

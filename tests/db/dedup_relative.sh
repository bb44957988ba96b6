# Numbers compared with no compare line (`relative`): two catalogues list
# the same 40 things with a year, a price and a pack count.
# - Years sit far from zero and spread little, so a difference counts as a
#   share of the field's span (1960-1999 here), not of the year itself:
#   paper 5's year one off is "within 5% of the field's span", paper 25's
#   seven off "within 25%" — shares of the year (0.05% and 0.35%) put both
#   in one level with the same year.
# - A price (`number`) keeps its shares of the larger value, with a level
#   "within 50%" below "within 25%": shops price one thing apart by a third
#   as often as not. Product 5 at 40% less is "within 50%", product 9 at a
#   third of the price "different".
# - A count (`integer`) half apart is another one: 4 against 6 "different".
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

awk -v dir="$T" 'BEGIN {
	split("amber river night garden silver winter harbour empty quiet falling", w, " ")
	a = dir "/a.csv"; b = dir "/b.csv"
	print "id,title,year,price,pack" > a; print "id,title,year,price,pack" > b
	for (i = 0; i < 40; i++) {
		t = sprintf("%s %s %s %c%d", w[i % 10 + 1], w[(i * 3 + 1) % 10 + 1], w[(i * 7 + 2) % 10 + 1], 65 + i % 26, i)
		yr = 1960 + i; price = 100 + 10 * i; pack = 6
		printf "a%d,%s,%d,%.2f,%d\n", i, t, yr, price, pack > a
		if (i == 5) { yr += 1; price *= 0.6; pack = 4 }
		if (i == 9) price /= 3
		if (i == 25) yr += 7
		printf "b%d,%s,%d,%.2f,%d\n", i, t, yr, price, pack > b
	}
}'
unique_pair_config title=text year=integer price=number pack=integer
kas run >/dev/null 2>&1
expect_eq "the run exits 0" "$?" 0

# label X Y FIELD: the explanation's label of FIELD for the candidate X–Y
label() {
	_cand=$(sql "SELECT c.id FROM kasparro.match_candidates c JOIN kasparro.records r ON r.id = c.rec_a
		JOIN kasparro.records s ON s.id = c.rec_b WHERE (r.source_id, s.source_id) IN (('$1', '$2'), ('$2', '$1'))")
	kas show-match "$_cand" --json | F="$3" python3 -c 'import json, os, sys
c = json.load(sys.stdin)
print(*[f["label"] for f in c["fields"] if f["field"] == os.environ["F"]])'
}
expect_eq "a year one off is within 5% of the years' span" "$(label a5 b5 year)" \
	"within 5% of the field's span"
expect_eq "seven years off is farther: within 25% of the span" "$(label a25 b25 year)" \
	"within 25% of the field's span"
expect_eq "the same year is identical" "$(label a7 b7 year)" "identical"
expect_eq "a price 40% lower is within 50%" "$(label a5 b5 price)" "within 50%"
expect_eq "a third of the price is different" "$(label a9 b9 price)" "different"
expect_eq "the same price is identical" "$(label a7 b7 price)" "identical"
expect_eq "a count 4 against 6 is different" "$(label a5 b5 pack)" "different"

# Amounts two shops quote apart: a `number` field (a price) compared with
# no compare line has a level "within 50%" below "within 25%", since shops
# price one thing apart by a third as often as not; an `integer` field (a
# count, an episode number) keeps "different" beyond 25%: half apart is
# another one. A shop lists 40 products at the catalogue's price but
# product 5 at 40% less, product 9 at a third of it; its pack counts agree
# but for product 5's (4 against 6).
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

awk -v dir="$T" 'BEGIN {
	split("amber river night garden silver winter harbour empty quiet falling", w, " ")
	a = dir "/a.csv"; b = dir "/b.csv"
	print "id,title,price,pack" > a; print "id,title,price,pack" > b
	for (i = 0; i < 40; i++) {
		t = sprintf("%s %s %s %c%d", w[i % 10 + 1], w[(i * 3 + 1) % 10 + 1], w[(i * 7 + 2) % 10 + 1], 65 + i % 26, i)
		price = 100 + 10 * i; pack = 6
		printf "a%d,%s,%.2f,%d\n", i, t, price, pack > a
		if (i == 5) { price *= 0.6; pack = 4 }
		if (i == 9) price /= 3
		printf "b%d,%s,%.2f,%d\n", i, t, price, pack > b
	}
}'
CONF="$T/k.conf"
printf '[schema]\ntitle = text\nprice = number\npack = integer\n' >"$CONF"
for s in a b; do
	printf '[source %s]\nkind = csv\npath = %s.csv\nid = id\nunique = true\n' "$s" "$s"
	printf 'map.title = title\nmap.price = price\nmap.pack = pack\n'
done >>"$CONF"
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
expect_eq "a price 40% lower is within 50%" "$(label a5 b5 price)" "within 50%"
expect_eq "a third of the price is different" "$(label a9 b9 price)" "different"
expect_eq "the same price is identical" "$(label a7 b7 price)" "identical"
expect_eq "a count 4 against 6 is different" "$(label a5 b5 pack)" "different"

# Two shops that list the same products, each once (`unique = true`): a
# pair too weak to reach review on its own evidence, whose two records
# have no other candidate and are each unlikely to have no partner at
# all, is shown to an operator — what both records' alternatives make
# likely together — but never merged unseen (docs/matching.md, "Both
# records' alternatives at once"). Without partner rates (b may list a
# thing twice) the same pair stays below review.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/editions.sh"
new_db

# 40 products, "Brand Type CODE Colour" in a and "CODE Brand Type" in b;
# a37 is "Pulse Brand Type" and b37 "Pulse Deluxe Edition" at a tenth
# more: one shared word, nothing else.
awk -v dir="$T" 'BEGIN {
	n = split("Sony Acme Vortex Nimbus", brand, " ")
	split("Player Headphones Speaker Camera Router", type, " ")
	split("Black White Silver", colour, " ")
	print "id,title,price" > (dir "/a.csv")
	print "sku,name,cost" > (dir "/b.csv")
	for (i = 1; i <= 40; i++) {
		code = sprintf("%c%c%d%c", 65 + i % 7, 75 + i % 5, 100 + i * 7, 80 + i % 3)
		words = brand[i % n + 1] " " type[i % 5 + 1]
		if (i == 37) {
			printf "a37,Pulse %s,%.2f\n", words, 20 + i * 3 >> (dir "/a.csv")
			printf "b37,Pulse Deluxe Edition,%.2f\n", (20 + i * 3) * 1.1 >> (dir "/b.csv")
			continue
		}
		printf "a%d,%s %s %s,%.2f\n", i, words, code, colour[i % 3 + 1], 20 + i * 3 >> (dir "/a.csv")
		printf "b%d,%s %s,%.2f\n", i, code, words, (20 + i * 3) * 1.02 >> (dir "/b.csv")
	}
}'

# 39 pairs merged: every product but a37
editions_run 39
expect_eq "the weak pair waits for an operator (a37-b37)" \
	"$(editions_candidate a37 b37 status)" pending
editions_apart a37 b37 "it is not merged"
expect_eq "its probability alone is below review" \
	"$(editions_candidate a37 b37 probability | awk '{ print ($1 < 0.6) }')" 1
expect_match "the note says why it is shown" \
	"$(editions_candidate a37 b37 note)" "neither record has another candidate as likely"
expect_eq "the queue lists it" \
	"$(kas queue --json | python3 -c 'import json, sys
print(sorted(c["a"]["source_id"] + "-" + c["b"]["source_id"] for c in json.load(sys.stdin)))')" \
	"['a37-b37']"

# the same records where b may list a thing twice: no partner rates
new_db _repeats
sed -i '/^path = b.csv/,$ s/^unique = true/unique = false/' "$CONF"
check "a run with b not unique" kas run
expect_eq "the weak pair is no candidate" "$(editions_candidate a37 b37 status)" ""

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
editions_shops 40 37
echo "a37,Pulse Acme Speaker,131.00" >>"$T/a.csv"
echo "b37,Pulse Deluxe Edition,144.10" >>"$T/b.csv"

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

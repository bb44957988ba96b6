# Editions told apart by the numbers in their titles: two sources list 24
# products, each in two editions (a pack of 3 users and one of 5) — maker
# first in one source, last in the other. With nothing configured, each
# edition is merged with its own and never with the other; a title that
# differs from its only candidate just by a number (Zephyr's pack of 3
# against a pack of 5) is not merged, while the same title with the same
# numbers (Quasar's) is. The explanation shows the numbers' own row, and
# a title too long for show-match's table is printed in full once.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/editions.sh"
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
	print "al-7,Lumen Garden Planner Professional Edition 2045 with Seasonal Extras Pack 7,60.00" > a
	print "bl-7,Garden Planner Professional Edition 2045 with Seasonal Extras Pack 7 Lumen,66.00" > b
}'
editions_run 50
editions_same aq-3 bq-3 "the same title with the same numbers is merged"
editions_apart az-3 bz-5 "a title that differs only by a number is not"
editions_row a1-3 b1-3 "numbers" "numbers the same numbers True"

cand=$(sql "SELECT c.id FROM kasparro.match_candidates c JOIN kasparro.records r ON r.id = c.rec_a
	JOIN kasparro.records s ON s.id = c.rec_b WHERE '{al-7,bl-7}' @> ARRAY[r.source_id, s.source_id]")
show=$(COLUMNS=250 kas show-match "$cand")
expect_eq "show-match prints a long title in full once, not again for its numbers" \
	"$(printf '%s\n' "$show" | grep ' in full$')" "title in full"
expect_match "... and whole" "$show" \
	"^  [AB]: Lumen Garden Planner Professional Edition 2045 with Seasonal Extras Pack 7$"

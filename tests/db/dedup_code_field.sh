# A model number given in one shop's field of codes and only in the other
# shop's title: shop a lists each product with a `model` column and a
# title that leaves the code out, shop b (no model column) writes the
# code in its title. A maker's family of three models shares one title in
# a and one price in both, so the titles' words, numbers and the price
# tie every record of a family with the three listings of the other; only the
# code tells them apart. The code a's field gives, found in b's title
# where b gives no model, is the title's numbers' top level ("one's code
# field in the other's title", docs/matching.md "Evidence across
# fields"): each pair is merged and never another. Before, the missing
# field said nothing and the pairs tied: none was merged.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/editions.sh"
new_db

awk -v dir="$T" 'BEGIN {
	split("Vortex Nimbus Orbit Lumen Sonic Acme Pulse Zenith", maker, " ")
	split("Receiver Speaker Amplifier Subwoofer Headset Recorder Player Tuner", kind, " ")
	split("Compact Digital Stereo Premium Wireless Portable Black Silver", word, " ")
	a = dir "/a.csv"; b = dir "/b.csv"
	print "id,title,model,price" > a
	print "sku,name,cost" > b
	for (i = 1; i <= 24; i++) {
		f = int((i - 1) / 3); m = maker[f + 1]; k = kind[f + 1]
		code = substr("QRS", (i - 1) % 3 + 1, 1) substr("ABCDEFGH", f + 1, 1) (100 * (f % 4 + 1)) "M"
		t = m " " k " " (f % 3 + 5) " Channel " word[f + 1] " " word[(f + 3) % 8 + 1] " Edition"
		printf "a%d,%s,%s,%.2f\n", i, t, code, 50 + 10 * f > a
		printf "b%d,%s %s %s %d CH %s,%.2f\n", i, toupper(m), code, toupper(k), f % 3 + 5, toupper(word[f + 1]),
			50 + 10 * f > b
	}
}'
editions_run 24 model
editions_row a1 b1 "numbers" "numbers one's code field in the other's title True"
expect_match "show-match tells the operator where the code was found" \
	"$(kas show-match "$(editions_candidate a4 b4 id)")" "one's code field in the other's title"

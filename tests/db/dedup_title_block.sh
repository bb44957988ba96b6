# Blocking derived from the data ranks each record's neighbours by the
# words of all its compared text fields, and long descriptions drown a
# title: a catalogue's "zephyr quill notebook deluxe" describes itself in
# a shop's boilerplate that twelve other shop listings share, and the
# shop's "zephyr quill notebook" in the catalogue's boilerplate that twelve
# other catalogue entries share. Each record's ten best neighbours are
# then the boilerplate's, and the two were never compared. The title's
# words (without numbers) now rank three neighbours of their own: the pair
# is compared (how it scores is the model's business). Two hundred listings of
# other things in each source make the words that few share rare.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

awk -v dir="$T" 'BEGIN {
	a = dir "/a.csv"; b = dir "/b.csv"
	print "id,title,description" > a; print "id,title,description" > b
	for (k = 0; k < 20; k++) { b1 = b1 " shopword" sprintf("%c%c", 97 + k, 98 + k); b2 = b2 " catword" sprintf("%c%c", 97 + k, 99 + k) }
	print "a0,zephyr quill notebook deluxe," b1 > a
	print "b0,zephyr quill notebook," b2 > b
	for (i = 0; i < 200; i++) { # listings of other things, so that words shared by few are rare
		w = sprintf("%c%c%c", 97 + i % 26, 97 + int(i / 26), 120 + i % 3)
		printf "fa%d,%sfa %sfb,%sfc %sfd\n", i, w, w, w, w > a
		printf "fb%d,%sfe %sff,%sfg %sfh\n", i, w, w, w, w > b
	}
	for (i = 1; i <= 12; i++) {
		w = sprintf("%c%c%c", 97 + i, 100 + i, 103 + i)
		printf "a%d,%sa plain %sb item,%s %sx\n", i, w, w, b2, w > a
		printf "b%d,%sc other %sd thing,%s %sy\n", i, w, w, b1, w > b
	}
}'
unique_pair_config title=text description=text
kas run >/dev/null 2>&1
expect_eq "the run exits 0" "$?" 0
check "dedup --rescan --blocked-pairs FILE" kas dedup --rescan --blocked-pairs "$T/blocked.tsv"
rec() { sql "SELECT id FROM kasparro.records WHERE source_id = '$1'"; }
compared() { awk -F'\t' -v x="$(rec "$1")" -v y="$(rec "$2")" \
	'($1 == x && $2 == y) || ($1 == y && $2 == x) { n++ } END { print n + 0 }' "$T/blocked.tsv"; }
expect_eq "the two zephyr quill notebooks are compared" "$(compared a0 b0)" 1
expect_eq "... and so are the boilerplate's pairs" "$(compared a0 b1)$(compared b0 a1)" 11

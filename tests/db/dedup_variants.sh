# Variants told apart by words their titles differ in, learnt from the
# data: two sources, each listing each thing once, list 24 products in two
# editions named in words (Standard and Deluxe, Home and Business, Mac and
# Windows) — maker first in one source, last in the other. Nothing names
# these words: a unique source that lists a title with one word and with
# another says those words tell its things apart. With nothing configured,
# each edition is merged with its own and never with the other; a title
# that differs from its only candidate just by such a word (Zephyr's Deluxe
# against a Standard) is not merged, while the same title with the same
# word (Quasar's) is. The explanation shows the variant words' own row, and
# a rescan's debug log times learning them as a phase of its own.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/editions.sh"
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
editions_run 49
editions_same aq-2 bq-2 "the same title with the same edition is merged"
editions_apart az-2 bz-1 "a title that differs only by its edition is not"
editions_row a1-1 b1-1 "variant words" "variants the same variant words True"

LOG_LEVEL=debug kas dedup --rescan >"$T/rescan.log" 2>&1
expect_eq "a rescan's debug log times the variant words apart from loading the records" \
	"$(grep -o 'matching: [a-z ]* in [0-9.]*s' "$T/rescan.log" | sed 's/^matching: //; s/ in [0-9.]*s$//' |
		grep -E '^(records loaded|texts indexed|variant words learnt|pairs scored)$' | tr '\n' ,)" \
	"records loaded,texts indexed,variant words learnt,pairs scored,"

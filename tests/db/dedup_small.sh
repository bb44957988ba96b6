# A first trial with a handful of records. With fewer than 30 pairs in
# all, u (how non-matches look) keeps its defaults rather than being counted
# on pairs that are mostly the candidates themselves: two sources listing
# the same three products, or one person each, identical, merge rather than
# wait in the queue. A schema without a text field (codes, amounts, dates) is
# blocked on its values, rather than nothing being compared.
. "$KASPARRO_TOP/tests/lib/lib.sh"

# two_csv FIELD=TYPE... : sources c and d over c.csv and d.csv, every field
# mapped from its column
two_csv() {
	CONF="$T/k.conf"
	{
		echo "[schema]"
		for f in "$@"; do echo "${f%=*} = ${f#*=}"; done
		for s in c d; do
			printf '[source %s]\nkind = csv\npath = %s.csv\nid = id\n' $s $s
			for f in "$@"; do echo "map.${f%=*} = ${f%=*}"; done
		done
	} >"$CONF"
}

new_db
# twins: the rows on stdin as c.csv, and again as d.csv, ids prefixed
twins() {
	rows=$(cat)
	for s in c d; do printf '%s\n' "$rows" | sed "2,\$s/^/$s/" >"$T/$s.csv"; done
}

printf 'id,sku,price,added\n1,1001,9.99,2024-01-02\n2,1002,19.5,2024-02-03\n3,1003,5,2024-03-04\n' | twins
two_csv sku=integer price=number added=timestamp
out=$(kas run 2>&1)
expect_match "a schema of numbers and dates is compared and its twins merge" "$out" \
	"matching: 6 records, 3 pairs compared, 3 merged automatically, 0 queued"
same=0
for i in 1 2 3; do [ -n "$(entity_of c$i)" ] && [ "$(entity_of c$i)" = "$(entity_of d$i)" ] && same=$((same + 1)); done
expect_eq "each product's two records are one entity" "$same" 3

new_db _one
printf 'id,name,email\n1,Anna Moreau,anna@example.org\n' | twins
two_csv name=text email=text
out=$(kas run 2>&1)
expect_match "one person in each source, identical: merged" "$out" \
	"matching: 2 records, 1 pair compared, 1 merged automatically, 0 queued"
expect_match "the model says it had one pair to learn from, in the singular" "$out" \
	"warning: only 1 pair to learn from: default m, default u"

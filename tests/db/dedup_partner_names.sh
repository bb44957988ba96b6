# Between two unique sources the model keeps, per source and direction,
# how likely a record has its partner in the other (db/dedup_partner.sh),
# under the sources' names. The same records must give the same
# probabilities whatever the names' length: the model kept the names in 64
# bytes, so a source named by 64 or more was never found again and its
# pairs went by the pairwise prior. And a source older kasparro stored
# under its name cut at 42 bytes, renamed to its whole name at a run's
# start (db/source_name_upgrade.sh), keeps its partner rates: the new
# records of the run that renames it are scored as if it had always had
# its whole name.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/editions.sh"
CONF="$T/k.conf"
long_a=a-first-shop-catalogue-exported-nightly-from-its-erp-system-for-the-eu
long_b=b-other-shop-catalogue-exported-nightly-from-its-erp-system-for-the-eu
cut_a=$(printf %s "$long_a" | cut -c1-42)
cut_b=$(printf %s "$long_b" | cut -c1-42)

conf() {
	printf '[schema]\ntitle = text\nprice = number\n' >"$CONF"
	printf '[source %s]\nkind = csv\npath = a.csv\nid = id\nunique = true\nmap.title = title\nmap.price = price\n' \
		"$1" >>"$CONF"
	printf '[source %s]\nkind = csv\npath = b.csv\nid = sku\nunique = true\nmap.name = title\nmap.cost = price\n' \
		"$2" >>"$CONF"
}

# every candidate: its records, probability and status
cands() {
	sql "SELECT string_agg(x.source_id || '-' || y.source_id || ':' || round(c.probability::numeric, 9)
		|| ':' || c.status, ' ' ORDER BY x.source_id, y.source_id) FROM kasparro.match_candidates c
		JOIN kasparro.records x ON x.id IN (c.rec_a, c.rec_b)
		JOIN kasparro.records y ON y.id IN (c.rec_a, c.rec_b) AND y.source > x.source"
}

# the model's partner rates, each way, with the names given for a and b
partners() {
	sql "SELECT string_agg(replace(replace(p->>'source' || '>' || (p->>'other'), '$1', 'A'), '$2', 'B')
		|| ':' || round((p->>'q')::numeric, 9) || '/' || round((p->>'n')::numeric, 9), ' '
		ORDER BY p->>'source', p->>'other') FROM kasparro.dedup_state, jsonb_array_elements(model->'partners') p"
}

# steps DB A1 B1 A2 B2: 40 products without 37 and 38 read with the
# sources named A1 and B1, then 37 and 38 added (a pair with moderate
# evidence and no rival, which the per-record prior merges) and read with
# them named A2 and B2; the candidates after each into first_DB, second_DB
steps() {
	new_db "$1"
	editions_shops 40 37 38
	conf "$2" "$3"
	kas run >/dev/null 2>&1
	expect_eq "$1: the first run exits 0" "$?" 0
	eval "first_$1=\$(cands)"
	eval "partners_$1=\$(partners '$2' '$3')"
	printf 'a37,Acme Speaker Zephyr White,131.00\na38,Vortex Camera Quasar Silver,134.00\n' >>"$T/a.csv"
	printf 'b37,Zephyr Acme Speaker,157.20\nb38,Quasar Vortex Camera,160.80\n' >>"$T/b.csv"
	conf "$4" "$5"
	kas run >/dev/null 2>&1
	expect_eq "$1: the second run exits 0" "$?" 0
	eval "second_$1=\$(cands)"
}

steps short a b a b
steps long "$long_a" "$long_b" "$long_a" "$long_b"
steps renamed "$cut_a" "$cut_b" "$long_a" "$long_b"

expect_match "names a and b: the model keeps a partner rate each way" "$partners_short" \
	'^A>B:0\.[0-9]+/[0-9.]+ B>A:0\.[0-9]+/[0-9.]+$'
expect_eq "names of 70 bytes: the same partner rates, under the whole names" \
	"$partners_long" "$partners_short"
expect_match "names a and b: the pair of moderate evidence merges automatically" "$second_short" \
	' a37-b37:[0-9.]+:auto '
expect_eq "names of 70 bytes: the same candidates at the same probabilities, first run" \
	"$first_long" "$first_short"
expect_eq "... and after the records added" "$second_long" "$second_short"
expect_eq "a source renamed from its cut name: the same candidates, first run" \
	"$first_renamed" "$first_short"
expect_eq "... and the records added in the run that renames it are scored alike" \
	"$second_renamed" "$second_short"
expect_eq "the renamed sources' partner rates carry their whole names, none the cut ones" \
	"$(partners "$long_a" "$long_b")" "$partners_short"

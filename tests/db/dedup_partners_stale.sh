# A stored model's partner rates (how likely a record of one unique source
# has its partner in another, db/dedup_partner.sh) are looked up by the
# sources' names. Older kasparro left rates under names no configured
# source has: it kept the names in 64 bytes, and a source named by more
# gave a junk rate per record under the cut name (32 of them, the whole
# table); and a source renamed from the name older kasparro cut at 42
# bytes kept its rates under the cut name. Such rates were kept as they
# were until a rescan: the junk took the room of the real rates, and the
# renamed sources' pairs went by the pairwise prior. Now a pass drops the
# rates that name no configured source, takes a cut name for the whole
# one, says so, and stores what is left.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/editions.sh"
CONF="$T/k.conf"
long_a=a-first-shop-catalogue-exported-nightly-from-its-erp-system-for-the-eu
long_b=b-other-shop-catalogue-exported-nightly-from-its-erp-system-for-the-eu
conf() {
	printf '[schema]\ntitle = text\nprice = number\n' >"$CONF"
	printf '[source %s]\nkind = csv\npath = a.csv\nid = id\nunique = true\nmap.title = title\nmap.price = price\n' \
		"$long_a" >>"$CONF"
	printf '[source %s]\nkind = csv\npath = b.csv\nid = sku\nunique = true\nmap.name = title\nmap.cost = price\n' \
		"$long_b" >>"$CONF"
}
partners() { # the stored rates, each way: names, q and n
	sql "SELECT string_agg(p->>'source' || '>' || (p->>'other') || ':' || round((p->>'q')::numeric, 9) || '/'
		|| round((p->>'n')::numeric, 9), ' ' ORDER BY p->>'source', p->>'other')
		FROM kasparro.dedup_state, jsonb_array_elements(model->'partners') p"
}
# stored STEP SQL: a database whose 40 products without 37 and 38 were
# matched, its model's partners then replaced by the jsonb SQL gives (in
# it, r: the rates the pass estimated), then 37 and 38 added (a pair of
# moderate evidence and no rival each, which the per-record prior merges)
# and read by a run that scores them with the stored model; its output in
# $out, the rates the first run estimated in $estimated
stored() {
	new_db "$1"
	editions_shops 40 37 38
	conf
	check "$1: the first run" kas run
	estimated=$(partners)
	sql "UPDATE kasparro.dedup_state SET model = jsonb_set(model, '{partners}', ($2)) FROM
		(SELECT model->'partners' AS r FROM kasparro.dedup_state) s" >/dev/null
	printf 'a37,Acme Speaker Zephyr White,131.00\na38,Vortex Camera Quasar Silver,134.00\n' >>"$T/a.csv"
	printf 'b37,Zephyr Acme Speaker,157.20\nb38,Quasar Vortex Camera,160.80\n' >>"$T/b.csv"
	out=$(LOG_LEVEL=info kas run 2>&1)
	expect_eq "$1: the run that adds 37 and 38 exits 0" "$?" 0
}

# the model as older kasparro stored it for names of 70 bytes: 32 junk
# rates under the names cut at 63, then one towards a source removed from
# the configuration (the real rates after them)
junk="(SELECT jsonb_agg(j ORDER BY i) FROM (SELECT i, jsonb_build_object('source',
	left(CASE WHEN i % 2 = 0 THEN '$long_a' ELSE '$long_b' END, 63), 'other',
	left(CASE WHEN i % 2 = 0 THEN '$long_b' ELSE '$long_a' END, 63), 'q', 0.01, 'n', 1) AS j
	FROM generate_series(1, 32) i UNION ALL SELECT 33, jsonb_build_object('source', 'shop-gone',
	'other', '$long_a', 'q', 0.9, 'n', 1)) x) || r"
stored junk "$junk"
expect_match "the rates naming no configured source are dropped, and said" "$out" \
	"matching model: 33 stored partner rates dropped, naming no configured source or said twice \(the first: '$(printf %.63s "$long_b")' towards '$(printf %.63s "$long_a")'\); 'kasparro dedup --rescan' estimates the rates of the configured ones again"
expect_eq "the stored model keeps the rates estimated, nothing else" "$(partners)" "$estimated"
editions_same a37 b37 "the pair of moderate evidence merges automatically on them"
editions_same a38 b38 "(and the other)"
out=$(kas run 2>&1)
expect_no_match "the next run has nothing to drop" "$out" "partner rate"

# the model as kasparro 0c325e9..ea9c5cb left it: the sources renamed from
# the names cut at 42 bytes, their rates not
cut="SELECT jsonb_agg(p || jsonb_build_object('source', left(p->>'source', 42), 'other',
	left(p->>'other', 42))) FROM jsonb_array_elements(r) p"
stored cut "$cut"
expect_match "the rates under the cut names take the whole names, said" "$out" \
	"matching model: 2 stored partner rates under a source's name cut by older kasparro now carry its whole name"
expect_eq "the stored model holds them under the whole names" "$(partners)" "$estimated"
editions_same a37 b37 "the pair of moderate evidence merges automatically on them"
editions_same a38 b38 "(and the other)"

# Older kasparro read "[source NAME]" through inih, which kept 49 bytes of
# the header's text: "source", the blanks after it, then the name. A long
# name was stored under its first 42 bytes after one blank, and under
# fewer after more ("[source   NAME]": 40), which the configuration reader
# accepts alike. The first run after the upgrade renames what is stored
# under the cut name to the whole one — records, run history and the
# matching model's partner rates — whatever the blanks; it did so only
# after one blank, and loaded every record of the others again as a new
# source's, the old ones left live beside them.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/editions.sh"
new_db
CONF="$T/k.conf"
long_a=a-first-shop-catalogue-exported-nightly-from-its-erp-system
long_b=b-other-shop-catalogue-exported-nightly-from-its-erp-system
cut_a=$(printf %.40s "$long_a") # after "[source   "
cut_b=$(printf %.41s "$long_b") # after "[source  "
conf() { # conf HEADER_A HEADER_B: two unique shops under those headers
	printf '[schema]\ntitle = text\nprice = number\n' >"$CONF"
	printf '%s\nkind = csv\npath = a.csv\nid = id\nunique = true\nmap.title = title\nmap.price = price\n' \
		"$1" >>"$CONF"
	printf '%s\nkind = csv\npath = b.csv\nid = sku\nunique = true\nmap.name = title\nmap.cost = price\n' \
		"$2" >>"$CONF"
}
partner_names() {
	sql "SELECT string_agg(p->>'source' || '>' || (p->>'other'), ' ' ORDER BY p->>'source')
		FROM kasparro.dedup_state, jsonb_array_elements(model->'partners') p"
}

# the database as older kasparro left it: each shop under its cut name
editions_shops 40
conf "[source $cut_a]" "[source $cut_b]"
check "older kasparro's run" kas run
expect_eq "its partner rates are under the cut names" "$(partner_names)" "$cut_a>$cut_b $cut_b>$cut_a"

conf "[source   $long_a]" "[source  $long_b]"
check "the headers read as the two whole names" kas config check
out=$(kas run 2>&1)
expect_eq "the first run after the upgrade exits 0" "$?" 0
expect_match "... saying that the shop after three blanks took its whole name" "$out" \
	"source '$long_a': its 40 records and 1 runs, stored by older kasparro under '$cut_a' \(its name cut at 40 bytes\), now carry its whole name"
expect_match "... and the one after two blanks" "$out" \
	"source '$long_b': its 40 records and 1 runs, stored by older kasparro under '$cut_b' \(its name cut at 41 bytes\)"
expect_eq "every record carries its whole name, none loaded again" \
	"$(sql "SELECT string_agg(source || ':' || n, ' ' ORDER BY source) FROM (SELECT source, count(*) AS n
		FROM kasparro.records GROUP BY source) s")" "$long_a:40 $long_b:40"
expect_eq "the run counts nothing new" \
	"$(sql "SELECT sum(inserted) FROM kasparro.run_sources WHERE run_id = 2")" 0
expect_eq "the partner rates carry the whole names" "$(partner_names)" "$long_a>$long_b $long_b>$long_a"

# A unique source added to the configuration after the partner rates
# between unique sources were estimated (db/dedup_partner.sh) got none
# towards the others: the stored model still fit, so its pairs went by the
# pairwise prior at every run until a 'dedup --rescan'. The model keeps the
# unique sources its rates were estimated for; one added since makes the
# next pass estimate it again, once, and the new source has its rates
# both ways. A source with nothing to estimate from does not make every
# pass a full one.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/editions.sh"
new_db
CONF="$T/k.conf"
printf '[schema]\ntitle = text\nprice = number\n' >"$CONF"
printf '[source a]\nkind = csv\npath = a.csv\nid = id\nunique = true\nmap.title = title\nmap.price = price\n' >>"$CONF"
printf '[source b]\nkind = csv\npath = b.csv\nid = sku\nunique = true\nmap.name = title\nmap.cost = price\n' >>"$CONF"
rates() { # which rates the stored model holds, each way
	sql "SELECT string_agg(p->>'source' || '>' || (p->>'other'), ' ' ORDER BY p->>'source', p->>'other')
		FROM kasparro.dedup_state, jsonb_array_elements(model->'partners') p"
}
editions_shops 40
check "the first run" kas run
expect_eq "rates between a and b" "$(rates)" "a>b b>a"

sed 's/^b/c/' "$T/b.csv" >"$T/c.csv"
printf '[source c]\nkind = csv\npath = c.csv\nid = sku\nunique = true\nmap.name = title\nmap.cost = price\n' >>"$CONF"
out=$(LOG_LEVEL=info kas run 2>&1)
expect_match "a unique source added: the next run estimates the model again, saying why" "$out" \
	"unique source 'c' has no partner rates"
expect_eq "... and c has its rates both ways" "$(rates)" "a>b a>c b>a b>c c>a c>b"
expect_eq "... the model names the unique sources it was estimated for" \
	"$(sql "SELECT model->'unique_sources' FROM kasparro.dedup_state")" '["a", "b", "c"]'
out=$(LOG_LEVEL=info kas run 2>&1)
expect_no_match "the run after does not estimate it again" "$out" "no partner rates|estimating it again"

# d: unique, but nothing of it blocks with the others: no rate to estimate
printf 'id,title,price\nd1,Zzyzx Qwerty Flange,1.00\n' >"$T/d.csv"
printf '[source d]\nkind = csv\npath = d.csv\nid = id\nunique = true\nmap.title = title\nmap.price = price\n' >>"$CONF"
out=$(LOG_LEVEL=info kas run 2>&1)
expect_match "d added: estimated again once" "$out" "unique source 'd' has no partner rates"
out=$(LOG_LEVEL=info kas run 2>&1)
expect_no_match "... and not at every run though it has no rate" "$out" "no partner rates|estimating it again"

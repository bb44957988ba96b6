# Matching with nothing configured but the schema and two product
# sources: comparisons and blocking come from the field types and the data;
# a shared model number (written "BL-107Q" in one source, "BL107Q" in the
# other) outweighs shared common words; one-to-one between unique sources
# settles a two-candidate conflict to the better pair and queues the other;
# the run reports what matching did, and its queued count is what the queue
# holds; decisions are labels that change the model and the decisions on
# other pairs at the next pass. `config check` rejects a [matching] that names an unknown blocking
# function or a field not in the schema, with the line.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

# a: 40 products "Brand Type CODE Colour"; b: products 1-20 as "CO-DE Brand"
# (the code and the brand only), 21-40 word for word but dearer; e1-e10:
# other products with the very words of a1-a10 but no code; x1: a1 again,
# word for word but dearer, rival to b1 (b is unique: it lists a1 twice,
# and the better evidence must win); y2: b2 again under another sku, as
# good a match for a2 as b2 is.
awk -v dir="$T" 'BEGIN {
	split("Sony Acme Vortex Nimbus", brand, " ")
	split("Player Headphones Speaker Camera Router", type, " ")
	split("Black White Silver", color, " ")
	a = dir "/a.csv"; b = dir "/b.csv"
	print "id,title,brand,price" > a
	print "sku,name,maker,cost" > b
	for (i = 1; i <= 40; i++) {
		br = brand[i % 4 + 1]; ty = type[i % 5 + 1]; co = color[i % 3 + 1]
		code = sprintf("%c%c%d%c", 65 + i % 7, 75 + i % 5, 100 + i * 7, 80 + i % 3)
		p = 20 + i * 3
		printf "a%d,%s %s %s %s,%s,%.2f\n", i, br, ty, code, co, br, p > a
		if (i <= 20)
			printf "b%d,%s %s,%s,%.2f\n", i, substr(code, 1, 2) "-" substr(code, 3), br, br, p > b
		else
			printf "b%d,%s %s %s %s,%s,%.2f\n", i, br, ty, code, co, br, p * 1.15 > b
		if (i <= 10)
			printf "e%d,%s %s %s,%s,%.2f\n", i, br, ty, co, br, p * 3 > b
	}
	print "x1,Acme Headphones BL-107Q White,Acme,25.00" > b
	print "y2,CM-114R Vortex,Vortex,26.00" > b
}'
CONF="$T/k.conf"
cat >"$CONF" <<'CONF'
[schema]
title = text
brand = text
price = number
[source a]
kind = csv
path = a.csv
id = id
unique = true
map.title = title
map.brand = brand
map.price = price
[source b]
kind = csv
path = b.csv
id = sku
unique = true
map.name = title
map.maker = brand
map.cost = price
CONF

out=$(kas run 2>&1)
expect_eq "a run with no compare keys exits 0" "$?" 0
expect_match "and reports matching" "$out" "matching: 92 records, [0-9]+ pairs compared, [0-9]+ merged automatically"
groups=$(sql "SELECT string_agg(g, ' ' ORDER BY g) FROM (SELECT string_agg(r.source_id, ',' ORDER BY r.source) AS g
	FROM kasparro.entity_members m JOIN kasparro.records r ON r.id = m.record_id WHERE m.live
	GROUP BY m.entity_id HAVING count(*) > 1) e")
expect_eq "the derived defaults link each product across the sources (39 pairs, a2 aside)" \
	"$(echo "$groups" | tr ' ' '\n' | grep -c .)" 39
expect_eq "... and only its own listing" \
	"$(echo "$groups" | tr ' ' '\n' | awk -F, '{ sub(/^a/, "", $1); sub(/^[bx]/, "", $2); if ($1 != $2) n++ } END { print n + 0 }')" 0
expect_eq "a shared model number outweighs shared common words (a3 with b3, not e3)" \
	"$(test "$(entity_of a3)" = "$(entity_of b3)" && test "$(entity_of a3)" != "$(entity_of e3)" && echo yes)" yes
p_code=$(sql "SELECT c.probability FROM kasparro.match_candidates c JOIN kasparro.records r ON r.id IN (c.rec_a, c.rec_b)
	JOIN kasparro.records s ON s.id IN (c.rec_a, c.rec_b) AND s.id <> r.id WHERE r.source_id = 'a5' AND s.source_id = 'b5'")
p_words=$(sql "SELECT coalesce(max(c.probability), 0) FROM kasparro.match_candidates c JOIN kasparro.records r ON r.id IN (c.rec_a, c.rec_b)
	JOIN kasparro.records s ON s.id IN (c.rec_a, c.rec_b) AND s.id <> r.id WHERE r.source_id = 'a5' AND s.source_id = 'e5'")
expect_eq "the code-only listing scores above the same-words one ($p_code > $p_words)" \
	"$(awk -v a="$p_code" -v b="$p_words" 'BEGIN { print (a > b) }')" 1

# one-to-one: a1 has two candidates in b, both strong alone
expect_eq "the better of two rivals merges (a1 with b1)" "$(entity_of a1)" "$(entity_of b1)"
expect_eq "the other stays out of the entity" "$(test "$(entity_of a1)" != "$(entity_of x1)" && echo out)" out
rival=$(sql "SELECT c.status || ' ' || coalesce(c.note, '') FROM kasparro.match_candidates c
	JOIN kasparro.records r ON r.id IN (c.rec_a, c.rec_b) JOIN kasparro.records s ON s.id IN (c.rec_a, c.rec_b)
	WHERE r.source_id = 'a1' AND s.source_id = 'x1'")
expect_match "... and waits in the queue, saying why" "$rival" "^pending one-to-one"
cand() {
	sql "SELECT c.$3 FROM kasparro.match_candidates c JOIN kasparro.records r ON r.id IN (c.rec_a, c.rec_b)
		JOIN kasparro.records s ON s.id IN (c.rec_a, c.rec_b) WHERE r.source_id = '$1' AND s.source_id = '$2'"
}
expect_eq "two rivals as good as each other both wait (a2-b2)" "$(cand a2 b2 status)" pending
expect_eq "(a2-y2)" "$(cand a2 y2 status)" pending
expect_match "... and say it is a tie, not that a better match exists" "$(cand a2 b2 note)" \
	"^one-to-one: a record of it has another candidate as likely in the other's source$"
expect_match "the worse of two rivals says a better one exists" \
	"$(cand a1 x1 note)" "^one-to-one: a record of it already has a better match"
expect_eq "a2 is in no entity with either" "$(test "$(entity_of a2)" != "$(entity_of b2)" && test "$(entity_of a2)" != "$(entity_of y2)" && echo apart)" apart

# the reported count is what the queue holds
run=$(sql "SELECT max(id) FROM kasparro.runs")
queued=$(kas show-run --json "$run" | python3 -c 'import json,sys; print(json.load(sys.stdin)["matching"]["queued"])')
listed=$(kas queue --json --limit 100000 | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
expect_eq "the run's queued count equals what queue --json lists ($queued)" "$queued" "$listed"
expect_match "show-run reports matching" "$(kas show-run "$run")" \
	"matching: 92 records, [0-9]+ pairs compared, [0-9]+ merged automatically, [0-9]+ queued for review \(the queue holds $listed\)"
expect_match "runs lists what matching merged and queued" "$(kas runs --json)" '"merged":[0-9]+,"queued":[0-9]+'

# decisions are labels: rejecting a2-y2 leaves a2-b2 without a rival; the
# next run learns from the decision (a new estimate that counts it) and
# merges a2-b2 on its own
expect_match "before any decision the queue says the model learnt from the records alone" \
	"$(kas queue --limit 1)" "no decisions yet: the model was estimated from the records alone, at [0-9-]+T"
model_before=$(sql "SELECT model - 'learned_at' FROM kasparro.dedup_state")
check "reject a2-y2" kas reject "$(cand a2 y2 id)"
out=$(kas run 2>&1)
expect_match "the next run re-estimates the model" "$out" "model re-estimated"
expect_eq "the model learnt from the decision" "$(sql "SELECT model->>'labels' FROM kasparro.dedup_state")" 1
expect_eq "... and its parameters changed" \
	"$(test "$(sql "SELECT model - 'learned_at' FROM kasparro.dedup_state")" != "$model_before" && echo changed)" changed
expect_eq "the queued pair a2-b2 is now merged automatically" "$(cand a2 b2 status)" auto
expect_eq "a2 and b2 share an entity" "$(entity_of a2)" "$(entity_of b2)"
q=$(kas queue --json --limit 1)
expect_match "the queue says how many decisions the model learnt from, and when" "$q" \
	'"labels":1,"learned_at":"[0-9-]+T[0-9:]+Z","decisions":1'
expect_match "... and in words" "$(kas queue --limit 1)" "the model learnt from the 1 pair the decisions label, last at [0-9-]+T[0-9:]+Z$"

# a rescan scores the rejected pair again, and it stays rejected: what the
# rescan reports as queued is what the queue then holds
q=$(kas dedup --rescan 2>&1 | sed -n 's/.* \([0-9]*\) queued for review (the queue holds \([0-9]*\)).*/\1 \2/p')
expect_eq "a rescan after a rejection reports as queued what the queue holds ($q)" \
	"$(echo "$q" | awk 'NF == 2 { print ($1 == $2) }')" 1

# config check names the line of a bad [matching]: bad_matching LINES...
# appends a [matching] section and runs config check on it
bad_matching() {
	{ cat "$CONF"; printf '[matching]\n'; printf '%s\n' "$@"; } >"$T/bad.conf"
	kas -c "$T/bad.conf" config check 2>&1
}
line=$(($(wc -l <"$CONF") + 2))
out=$(bad_matching "blocking = title:prefix4, brand:soundex")
expect_eq "an unknown blocking function is a configuration error" "$?" 2
expect_match "... named with its line" "$out" \
	"bad.conf' line $line: \[matching\] blocking: unknown key function 'soundex'"
out=$(bad_matching "title_field = title" "compare.colour = text")
expect_eq "so is a compared field not in the schema" "$?" 2
expect_match "... named with its line" "$out" \
	"bad.conf' line $((line + 1)): \[matching\] compare: 'colour' is not a field of \[schema\]"
out=$(bad_matching "key_fields = title, sku")
expect_match "and a key field not in the schema" "$out" \
	"bad.conf' line $line: \[matching\] key_fields: 'sku' is not a field of \[schema\]"
out=$(bad_matching "auto = 0.9" "url_tracking_params = utm_*, ref*x")
expect_eq "a tracking parameter with a '*' inside is a configuration error" "$?" 2
expect_match "... named with its line" "$out" \
	"bad.conf' line $((line + 1)): \[matching\] url_tracking_params: 'ref\*x': a '\*' ends a prefix"

# dedup --blocked-pairs: every pair blocking let through, with its match
# weight and probability, so a labelled set can be scored beyond the
# thresholds; a3-b3 (one model number) ranks above a3-e3 (its other words)
check "dedup --rescan --blocked-pairs FILE" kas dedup --rescan --blocked-pairs "$T/blocked.tsv"
pairs=$(sql "SELECT (stats->>'pairs')::int FROM kasparro.dedup_state")
expect_eq "one line per pair compared ($pairs)" "$(wc -l <"$T/blocked.tsv")" "$pairs"
expect_eq "each: two records, the weight and its probability" "$(awk -F'\t' '
	NF != 4 || $1 !~ /^[0-9]+$/ || $2 !~ /^[0-9]+$/ || $4 < 0 || $4 > 1 ||
	($3 < 20 && $3 > -20 && (2 ^ $3 / (1 + 2 ^ $3) - $4 > 1e-4 || $4 - 2 ^ $3 / (1 + 2 ^ $3) > 1e-4)) { bad++ }
	END { print bad + 0 }' "$T/blocked.tsv")" 0
rec() { sql "SELECT id FROM kasparro.records WHERE source_id = '$1'"; }
prob() { awk -F'\t' -v x="$(rec "$1")" -v y="$(rec "$2")" \
	'($1 == x && $2 == y) || ($1 == y && $2 == x) { p = $4 } END { print p + 0 }' "$T/blocked.tsv"; }
expect_eq "the shared model number ranks above the shared words ($(prob a3 b3) > $(prob a3 e3))" \
	"$(awk -v a="$(prob a3 b3)" -v b="$(prob a3 e3)" 'BEGIN { print (a > b) }')" 1

# a decision the model has not learnt from yet: the queue says so, and what
# learns from it. The one pair queued is a1-x1, the rival of the merged
# a1-b1: approving it would settle a1-b1 (one-to-one) and leave the queue
# empty, so the decision is a rejection of a1-b1
check "reject the merged pair a1-b1" kas reject "$(cand a1 b1 id)"
expect_match "the queue counts the decision the model has not learnt from" "$(kas queue --limit 1)" \
	"the model learnt from 1 labelled pair, at [0-9-]+T[0-9:]+Z; the decisions now label 2: the next run or dedup --rescan learns from them"

# A stored model that no longer fits the comparisons is estimated again at
# the next pass: one with a level fewer for a comparison (as a database
# estimated before the title's numbers gained "a rare code shared" has),
# and one without the partner rates between two unique sources (stored
# before they were kept). The fresh estimate equals what a rescan gives,
# and the operators' decisions are kept and learnt from. A model that fits
# is not estimated again (docs/matching.md, "The model").
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/editions.sh"
new_db

# 30 products, "Brand Type CODE Colour" in a and "CODE Brand Type" in b
editions_shops 30
editions_run 30

# an operator's decision, then the estimate a rescan gives
check "reject a1-b1" kas reject "$(editions_candidate a1 b1 id)"
check "dedup --rescan" kas dedup --rescan
model() { sql "SELECT model - 'learned_at' FROM kasparro.dedup_state"; }
scores() { sql "SELECT string_agg(rec_a || '-' || rec_b || ':' || status || ':' || round(probability::numeric, 6), ' '
	ORDER BY rec_a, rec_b) FROM kasparro.match_candidates"; }
fresh=$(model)
fresh_scores=$(scores)
expect_eq "the model learnt from the decision" "$(sql "SELECT model->>'labels' FROM kasparro.dedup_state")" 1
numbers=$(sql "SELECT i - 1 FROM kasparro.dedup_state, jsonb_array_elements(model->'fields') WITH ORDINALITY f(o, i)
	WHERE o->>'comparator' = 'numbers'")
expect_match "the title's numbers are a comparison of the model" "$numbers" "^[0-9]+$"
levels=$(sql "SELECT jsonb_array_length(model->'fields'->$numbers->'m') FROM kasparro.dedup_state")

# the numbers' comparison with its last level missing, as stored by a
# build that had one level fewer
sql "UPDATE kasparro.dedup_state SET model = jsonb_set(jsonb_set(model,
	'{fields,$numbers,m}', (model->'fields'->$numbers->'m') - -1),
	'{fields,$numbers,u}', (model->'fields'->$numbers->'u') - -1)" >/dev/null
expect_eq "(the stored model has a level fewer there)" \
	"$(sql "SELECT jsonb_array_length(model->'fields'->$numbers->'m') FROM kasparro.dedup_state")" $((levels - 1))
out=$(LOG_LEVEL=info kas run 2>&1)
expect_match "the next run estimates the model again" "$out" "model re-estimated"
expect_match "... and says why" "$out" \
	"the stored model does not fit the comparisons \('title \(numbers\)' has $levels levels, the stored model $((levels - 1))\)"
expect_eq "the model equals the fresh estimate" "$(model)" "$fresh"
expect_eq "... and so do the candidates' scores" "$(scores)" "$fresh_scores"
expect_eq "the decision is kept" "$(sql "SELECT count(*) FROM kasparro.links")" 1
expect_eq "a1-b1 stays rejected" "$(editions_candidate a1 b1 status)" rejected

out=$(kas run 2>&1)
expect_no_match "a model that fits is not estimated again" "$out" "model re-estimated"

# a model stored before the partner rates between unique sources were kept
sql "UPDATE kasparro.dedup_state SET model = model - 'partners'" >/dev/null
out=$(LOG_LEVEL=info kas run 2>&1)
expect_match "a model without partner rates between unique sources is estimated again" "$out" \
	"no partner rates between the unique sources"
expect_match "(the run reports it)" "$out" "model re-estimated"
expect_eq "... and equals the fresh estimate" "$(model)" "$fresh"
expect_eq "... and so do the candidates' scores" "$(scores)" "$fresh_scores"

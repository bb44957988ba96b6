# Two shops that list the same products, each once (`unique = true`):
# nearly every record has its partner in the other, so "no partner" is
# itself improbable and a candidate without rivals needs less evidence to
# merge (the per-record bipartite prior, docs/matching.md). A record with
# two candidates as good as each other still waits for an operator.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/editions.sh"
new_db

# 40 products, "Brand Type CODE Colour" in a and "CODE Brand Type" in b;
# a37 and a38 have a name instead of a code, and their b37 and b38 say
# "Name Brand Type" at a fifth more (moderate evidence, no rival as good);
# b41 lists a39 a second time, word for word (two equally good candidates).
editions_shops 40 37 38
printf 'a37,Acme Speaker Zephyr White,131.00\na38,Vortex Camera Quasar Silver,134.00\n' >>"$T/a.csv"
printf 'b37,Zephyr Acme Speaker,157.20\nb38,Quasar Vortex Camera,160.80\n' >>"$T/b.csv"
grep '^b39,' "$T/b.csv" | sed 's/^b39,/b41,/' >>"$T/b.csv"

# 39 pairs: every product but a39, a37 and a38 with them
editions_run 39
editions_same a37 b37 "a pair with moderate evidence and no rival merges automatically"
editions_same a38 b38 "(and the other)"
expect_eq "a record with two candidates as good as each other waits (a39-b39)" \
	"$(editions_candidate a39 b39 status)" pending
expect_eq "(a39-b41)" "$(editions_candidate a39 b41 status)" pending
editions_apart a39 b39 "a39 is in no entity with either"
editions_apart a39 b41 "(nor the other)"
expect_eq "the model keeps how likely a record has its partner, each way" \
	"$(sql "SELECT string_agg(p->>'source' || '>' || (p->>'other') || ':' || ((p->>'q')::float8 BETWEEN 0.5 AND 1), ' ' ORDER BY p->>'source')
		FROM kasparro.dedup_state, jsonb_array_elements(model->'partners') p")" "a>b:true b>a:true"
expect_match "the explanation starts from the per-record prior, which is for a match" \
	"$(kas show-match "$(editions_candidate a37 b37 id)")" "\(prior\) +[0-9.]+$"

# the same records where b may list a thing twice: no per-record prior
new_db _repeats
sed -i '/^path = b.csv/,$ s/^unique = true/unique = false/' "$CONF"
check "a run with b not unique" kas run
expect_eq "the model keeps no partner rate" \
	"$(sql "SELECT jsonb_array_length(model->'partners') FROM kasparro.dedup_state")" 0

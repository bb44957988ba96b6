# Entity unification end to end on two CSV sources: exact and fuzzy
# matches become entities, uncertain pairs wait in the queue, ids are stable
# across runs, approve / reject / undo / split round-trip with audit rows, a
# rejected pair never returns (re-ingestion, rescan), soft deletes leave and
# restores return, and two operators racing on one candidate.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

cat >"$T/k.conf" <<'CONF'
[schema]
title = text, required
author = text
published_at = timestamp
url = text
[source a]
kind = csv
path = a.csv
id = id
map.title = title
map.author = author
map.published_at = published_at
map.url = url
[source b]
kind = csv
path = b.csv
id = id
map.title = title
map.author = author
map.published_at = published_at
map.url = url
[matching]
key_fields = title, author
title_field = title
compare.title = jaro_winkler
compare.author = jaro_winkler
compare.published_at = date:2
compare.url = exact
blocking = title:prefix4, title:sorted6, url
prior = 0.2
auto = 0.95
review = 0.40
CONF
CONF="$T/k.conf"
cat >"$T/a.csv" <<'CSV'
id,title,author,published_at,url
a1,The Python Guide,Ann Lee,2026-01-01,https://x.org/python
a2,Café Culture in Paris,Bob Roy,2026-01-02,https://x.org/cafe
a3,Rust for Beginners,Cy Dee,2026-01-03,https://x.org/rust
a4,Gardening Tips,Di Fox,2026-01-04,https://x.org/garden
a5,Winter Recipes,Ed Gum,2026-01-05,https://x.org/winter
CSV
cat >"$T/b.csv" <<'CSV'
id,title,author,published_at,url
b1,the python guide!,ANN LEE,2026-01-01,https://y.org/p
b2,CAFE CULTURE IN PARIS,bob roy,2026-01-02,https://y.org/c
b3,Rust for Beginers,Cy Dee,2026-01-03,https://x.org/rust
b4,Gardening Tricks,Dee Fox,2026-02-20,https://y.org/g
b5,Quantum Computing,Zed Ox,2026-03-01,https://y.org/q
CSV
out=$(kas run 2>&1)
expect_match "the run matches after loading" "$out" "succeeded"
echo "$out" >&2
sql "SELECT e.id, e.key, e.title, e.size FROM kasparro.entities e ORDER BY id" >&2
sql "SELECT m.record_id, r.source_id, m.entity_id, m.method, m.confidence FROM kasparro.entity_members m JOIN kasparro.records r ON r.id = m.record_id ORDER BY 1" >&2
sql "SELECT id, rec_a, rec_b, round(probability::numeric,3), status, note FROM kasparro.match_candidates" >&2
sql "SELECT model FROM kasparro.dedup_state" >&2

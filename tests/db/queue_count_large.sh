# The queue's count past 1,000 pending pairs: `queue`, `queue --json` and a
# page past the first say the real number (1,234 here), not one capped or
# floored by the page or a bound; the Review screen's title takes the same
# count (tests/console). A guard: this was found right when checked, with no change needed.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
csv_source_config shop
title_rows 1 1300 >"$T/shop.csv"
kas run >/dev/null 2>&1
sql "INSERT INTO kasparro.match_candidates (rec_a, rec_b, probability, weight, fields, status)
     SELECT a.id, a.id + 1, 0.3 + (a.id % 400) / 1000.0, 0.1, '{}', 'pending'
     FROM kasparro.records a WHERE a.id < (SELECT max(id) FROM kasparro.records)
     ORDER BY a.id LIMIT 1234" >/dev/null
expect_match "queue: 50 of 1,234" "$(kas queue)" '^50 of 1,234 pending candidates shown; '
expect_eq "queue --json: every row's in_range and total 1234" \
	"$(kas queue --json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(len(d), {r["in_range"] for r in d}, {r["total"] for r in d})')" \
	"50 {1234} {1234}"
expect_eq "queue --json --limit all: 1234 rows" \
	"$(kas queue --json --limit all | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')" 1234
expect_match "a page past 1,000: the same count" "$(kas queue --offset 1100)" \
	'^1,101-1,150 of 1,234 pending candidates shown; --offset 1150 shows the next$'
expect_match "--order score: the same count" "$(kas queue --order score --limit 10)" '^10 of 1,234 pending'

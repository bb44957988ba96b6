# The queue's P column trimmed trailing zeros: 0.85329 beside 0.664632, so
# the digits of a column did not line up and 0.85329 read as less precise.
# P has six decimals always, right-aligned, in queue, show-match and
# show-record (the Review screen prints it the same way).
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
sample_queued
ids=$(sql "SELECT id FROM kasparro.match_candidates WHERE status = 'pending' ORDER BY id LIMIT 3" | tr '\n' ' ')
set -- $ids
sql "UPDATE kasparro.match_candidates SET probability = 0.85329 WHERE id = $1" >/dev/null
sql "UPDATE kasparro.match_candidates SET probability = 0.664632 WHERE id = $2" >/dev/null
sql "UPDATE kasparro.match_candidates SET probability = 0.5 WHERE id = $3" >/dev/null
out=$(kas queue --limit all)
expect_match "0.85329 is printed 0.853290" "$out" "^ *$1  0\\.853290  "
expect_match "0.5 is printed 0.500000" "$out" "^ *$3  0\\.500000  "
expect_eq "every P ends in the same column" \
	"$(printf '%s\n' "$out" | awk 'NR > 1 && /^ *[0-9]+  [0-9.]+~?  / { print index($0, $2) + length($2) }' | sort -u | wc -l)" 1
expect_match "show-match too" "$(kas show-match "$1")" "probability 0\\.853290 "
rec=$(sql "SELECT rec_a FROM kasparro.match_candidates WHERE id = $1")
expect_match "show-record's pairs too" "$(kas show-record "$rec")" "candidate $1 · [a-z]+ · p 0\\.853290 "

# show-match printed "probability 1.000" for a pair stored at exactly 1
# (+30 bits): the model caps there, it does not know the pair for certain,
# and "1.000" read as certainty. A probability that would read 1 is
# printed ">0.999999" (one that would read 0, "<0.000001") wherever P is:
# show-match, show-record's pairs, the queue.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
sample_queued
ids=$(sql "SELECT id FROM kasparro.match_candidates WHERE status = 'pending' ORDER BY id LIMIT 3" | tr '\n' ' ')
set -- $ids
sql "UPDATE kasparro.match_candidates SET probability = 1 WHERE id = $1" >/dev/null
sql "UPDATE kasparro.match_candidates SET probability = 0.9999996 WHERE id = $2" >/dev/null
sql "UPDATE kasparro.match_candidates SET probability = 0 WHERE id = $3" >/dev/null
expect_match "show-match of a pair stored at 1: >0.999999" "$(kas show-match "$1")" \
	"^candidate $1: pending, probability >0\\.999999 \\(weight "
expect_no_match "... nowhere 1.000" "$(kas show-match "$1" | head -1)" "1\\.000"
expect_match "one that rounds to 1 reads the same" "$(kas show-match "$2")" "probability >0\\.999999 "
expect_match "one stored at 0: <0.000001" "$(kas show-match "$3")" "probability <0\\.000001 "
rec=$(sql "SELECT rec_a FROM kasparro.match_candidates WHERE id = $1")
expect_match "show-record's pairs" "$(kas show-record "$rec")" "candidate $1 · [a-z]+ · p >0\\.999999 "
expect_match "the queue" "$(kas queue --limit all)" "^ *$1  >0\\.999999  "

# Decision ids run without gaps: operators type them (`undo 3`) and read
# them in `decisions` and the audit trail, where a missing number looks
# like a decision removed. A command that records nothing — approving a
# candidate already decided, one that does not exist, `approve --above`
# that settles nothing, a restore of a run that deleted nothing — leaves
# no number behind; the next decision takes the one after the last.
. "$KASPARRO_TOP/tests/lib/lib.sh"
auto_pairs_fixture
pair_id() {
	sql "SELECT id FROM kasparro.match_candidates WHERE rec_a = least($(pair_rec "$1"), $(pair_rec "$2")) AND rec_b = greatest($(pair_rec "$1"), $(pair_rec "$2"))"
}
ids() { kas decisions --json | python3 -c 'import json, sys; print(" ".join(str(d["id"]) for d in reversed(json.load(sys.stdin))))'; }

c1=$(pair_id a1 b1)
expect_match "reject the automatic pair a1-b1: decision 1" "$(kas reject "$c1" 2>&1)" "decision 1\)"
expect_exit "rejecting it again fails" 1 kas reject "$c1"
expect_exit "approving it fails" 1 kas approve "$c1"
expect_exit "approving a candidate that does not exist fails" 1 kas approve 999999
expect_match "approve --above that settles nothing records no decision" \
	"$(kas approve --above 0.999999 2>&1)" "^no "
expect_match "restoring the records of a run that deleted none restores nothing" \
	"$(kas restore --run 1 2>&1)" "^kasparro: nothing to restore"
out=$(kas split "$(sql "SELECT key FROM kasparro.entities WHERE id = $(entity_of a2)")" "$(pair_rec b2)" 2>&1)
expect_match "the next decision, a split, is decision 2" "$out" "\(decision 2\)"
expect_match "undoing it is decision 3" "$(kas undo 2 2>&1)" "\(decision 3\)"
expect_eq "decisions lists 1, 2 and 3" "$(ids)" "1 2 3"
expect_eq "the audit trail names the same decisions" \
	"$(sql "SELECT string_agg(DISTINCT decision_id::text, ' ') FROM kasparro.audit_log WHERE decision_id IS NOT NULL")" "1 2 3"

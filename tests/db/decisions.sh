# Operator decisions are traceable and whole: candidates approved on one
# command line, or by `approve --above`, are one decision that one undo
# reverts; `decisions` lists them with ids; audit rows carry the decision
# id, so `audit --object decision:N` finds the approve and its undo, and
# text lines summarise the change instead of printing JSON.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
sample_queued # the sample with thresholds that leave a queue to review
members() { sql "SELECT string_agg(record_id || ':' || entity_id, ',' ORDER BY record_id) FROM kasparro.entity_members WHERE live"; }
pending() { sql "SELECT count(*) FROM kasparro.match_candidates WHERE status = 'pending'"; }
# the three strongest that share no record: approving one settles no other
ids=$(kas queue --json --order score --limit all | python3 -c 'import json, sys
ids, seen = [], set()
for c in json.load(sys.stdin):
    if len(ids) < 3 and not {c["a"]["id"], c["b"]["id"]} & seen:
        ids.append(str(c["id"]))
        seen |= {c["a"]["id"], c["b"]["id"]}
print(" ".join(ids))')
set -- $ids
[ $# -eq 3 ] || not_ok "the sample leaves three candidates to review" "queue: $ids"
before=$(members)
p0=$(pending)

# three ids on one line: one decision
out=$(kas approve "$@" 2>&1)
expect_match "three candidates approved as one decision" "$out" \
	"^3 candidates approved as decision [0-9]+ \(one undo reverts them all\): $1, $2, $3\$"
d=$(echo "$out" | sed -n 's/.*as decision \([0-9]*\).*/\1/p')
expect_eq "each candidate names that decision" \
	"$(sql "SELECT count(*) FROM kasparro.match_candidates WHERE decision_id = $d AND status = 'approved'")" 3
expect_match "decisions lists it with its id, actor and what" "$(kas decisions)" \
	"^ *$d  [0-9-]+ [0-9:]+  [a-z]+ +approve  3 candidates: $1, $2, $3"
check "undo reverts the whole decision" kas undo "$d"
expect_eq "all three are pending again, and the pairs they settled" "$(pending)" "$p0"
expect_eq "and every record is back in its entity" "$(members)" "$before"
u=$(sql "SELECT undone_by FROM kasparro.decisions WHERE id = $d")
expect_match "decisions shows which decision undid it" "$(kas decisions --json)" \
	"\"id\":$d,[^}]*\"undone_by\":$u"

# audit: the approve and its undo under one object, short lines
a=$(kas audit --object "decision:$d")
expect_match "audit --object decision:N finds the undo" "$a" "^ *[0-9]+ .* undo +decision +$d +- +$u "
expect_match "and the approve it reverted" "$a" "^ *[0-9]+ .* approve +decision +$d +- +$d "
expect_match "text lines summarise the change" "$a" "record [0-9]+: entity [0-9]+ → [0-9]+"
expect_eq "no audit text line is longer than 200 characters" \
	"$(kas audit --limit all | awk 'length > 200' | wc -l)" 0
expect_match "--json keeps before and after whole" "$(kas audit --object "decision:$d" --json)" \
	'"decision":[0-9]+,.*"before":\{"members":\[\['
expect_match "audit --object candidate:N finds the set decision that decided it" \
	"$(kas audit --object "candidate:$2")" " approve +decision +$d "

# a set fails whole: one decided candidate leaves the others pending
check "approve one" kas approve "$1"
expect_match "decisions names one candidate's records as commands take them, SOURCE/ID" \
	"$(kas decisions --limit 1)" "approve +candidate $1: [a-z-]+/[^ ]+ ↔ [a-z-]+/[^ ]+ "
expect_exit "a set with a decided candidate is refused" 1 kas approve "$2" "$1"
expect_match "naming it, and saying nothing was approved" "$(kas approve "$2" "$1" 2>&1)" \
	"none of the 2 candidates was approved: candidate $1 already decided by"
expect_eq "the other stays pending" "$(sql "SELECT status FROM kasparro.match_candidates WHERE id = $2")" pending
check "undo it" kas undo

# bulk approve: a dry run by default with the exact count and threshold, one decision
n=$(sql "SELECT count(*) FROM kasparro.match_candidates c JOIN kasparro.records a ON a.id = c.rec_a AND NOT a.is_deleted JOIN kasparro.records b ON b.id = c.rec_b AND NOT b.is_deleted WHERE c.status = 'pending' AND c.probability >= 0.00015")
expect_exit "approve --above without --yes is a dry run" 0 kas approve --above 0.00015
expect_match "stating the exact threshold and count" "$(kas approve --above 0.00015)" \
	"^$n pending candidates at or above 0.00015 would be approved"
expect_eq "and approving nothing" "$(pending)" "$p0"
expect_eq "a threshold no candidate reaches says so, without asking for --yes" \
	"$(kas approve --above 1)" "no pending candidate is at or above 1: nothing to approve"
out=$(kas approve --above 0.00015 --yes 2>&1)
expect_match "--yes approves them as one decision" "$out" "^approved [0-9]+ candidates at or above 0.00015 as decision [0-9]+"
check "one undo reverts the bulk approval" kas undo
expect_eq "every bulk-approved candidate is pending again" "$(pending)" "$p0"
expect_eq "and every record back in its entity" "$(members)" "$before"
sql "UPDATE kasparro.match_candidates SET probability = 0.99985 WHERE id = $1"
expect_exit "queue --min above --max is a usage error" 2 kas queue --min 0.9 --max 0.1
expect_match "... saying so" "$(kas queue --min 0.9 --max 0.1 2>&1)" \
	"option '--min': 0.9 is above --max 0.1: no candidate lies between them"
expect_match "a probability below 1 never shows as 1.000" "$(kas queue --min 0.9998 --max 0.9999)" \
	"^ *$1 +0.999850  "
expect_match "show-match too" "$(kas show-match "$1")" "probability 0.999850 "

# A body member given as null is a member not given: "reason": null decides
# with no reason, as a body without "reason" does (it was 400 "'reason' must
# be a string"). A reason of another type is still refused.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
sample_api
start_daemon

set -- $(sql "SELECT id FROM kasparro.match_candidates WHERE status = 'pending' ORDER BY id LIMIT 2")
expect_eq "the sample has pairs to decide" "$#" 2
req POST "/queue/$1/reject" "$OPS_KEY" -d '{"reason": null}'
expect_eq "reject with reason null: 200" "$CODE $(jq_ 'd["data"]["status"]')" "200 rejected"
expect_eq "... recorded with no reason" \
	"$(sql "SELECT status, coalesce(reason, '(none)') FROM kasparro.match_candidates WHERE id = $1")" \
	"rejected|(none)"
req POST "/queue/$2/approve" "$OPS_KEY" -d '{"reason": 5}'
expect_eq "a reason that is a number: still 400" "$CODE $(jq_ 'd["error"]["message"]')" \
	"400 body: 'reason' must be a string"
req POST "/queue/$2/approve" "$OPS_KEY" -d '{"reasons": null}'
expect_eq "a misspelt member is named even when null" "$CODE $(jq_ 'd["error"]["message"]')" \
	"400 body: unknown member 'reasons' for POST /queue/{id}/approve (it takes reason)"
stop_daemon

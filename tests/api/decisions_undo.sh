# GET /decisions and POST /decisions/{id}/undo: the decisions listed as
# `kasparro decisions` lists them, with its filters, and a decision undone
# as `kasparro undo ID` undoes it — an approve (the pair back in the
# queue) and a restore (its records deleted again) — with its message and
# its audit under the key's name; 404 for no such decision, 409 for one
# undone already, 403 for a viewer key. The API had no way to undo a
# decision or to list them.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
sample_api
# a restore: the partner's cut export deletes records, one comes back
sed "s|^path = sample/partner.csv\$|path = $T/share/sample/partner-cut.csv|" "$CONF" >"$T/cut.conf"
"$BIN" -c "$T/cut.conf" run --allow-mass-delete partner-feed >/dev/null 2>&1
gone=$(sql "SELECT min(id) FROM kasparro.records WHERE is_deleted")
kas restore "$gone" >/dev/null 2>&1
restore=$(sql "SELECT max(id) FROM kasparro.decisions")
start_daemon

cand=$(sql "SELECT min(c.id) FROM kasparro.match_candidates c JOIN kasparro.records a ON a.id = c.rec_a \
	JOIN kasparro.records b ON b.id = c.rec_b WHERE c.status = 'pending' AND NOT a.is_deleted AND NOT b.is_deleted")
req POST "/queue/$cand/approve" "$OPS_KEY" -d '{"reason": "same article"}'
expect_eq "an operator approves a pair" "$CODE" 200
approve=$(jq_ 'd["data"]["decision"]')
get /decisions
expect_eq "GET /decisions: 200, newest first" "$CODE $(jq_ '[x["id"] for x in d["data"]][:2]')" \
	"200 [$approve, $restore]"
expect_eq "... as 'kasparro decisions --json' lists them" \
	"$(jq_ 'd["data"]' | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin), sort_keys=True))')" \
	"$(kas decisions --json | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin), sort_keys=True))')"
get "/decisions?action=restore"
expect_eq "?action= filters" "$(jq_ '[x["action"] for x in d["data"]]')" '["restore"]'
get "/decisions?actor=api:OPS_KEY&limit=1"
expect_eq "?actor= and ?limit= too" "$(jq_ '[x["id"] for x in d["data"]]')" "[$approve]"
get "/decisions?action=merge"
expect_eq "an unknown action: 400 naming the parameter, its value and the choices" \
	"$CODE $(jq_ 'd["error"]["code"]') $(jq_ 'd["error"]["message"]')" \
	"400 bad_parameter parameter 'action': 'merge' is not one of approve, reject, split, restore or undo"
get "/decisions?since=tomorrow"
expect_eq "a since that is no time: 400" "$CODE" 400

# a pass while the approval stands: the undo leaves its pairs' scores stale
kas dedup >/dev/null 2>&1
req POST "/decisions/$approve/undo" "$VIEW_KEY"
expect_eq "a viewer key may not undo: 403" "$CODE" 403
req POST "/decisions/$approve/undo" "$OPS_KEY"
expect_eq "an operator undoes the approval: 200" \
	"$CODE $(jq_ '[d["data"]["undone"], d["data"]["action"]]')" "200 [$approve, \"approve\"]"
undo=$(jq_ 'd["data"]["decision"]')
expect_match "... with the message 'kasparro undo' gives" "$(jq_ 'd["data"]["message"]')" \
	"^decision $approve undone \\(decision $undo\\): approve "
expect_eq "... the pair waits in the queue again" \
	"$(sql "SELECT status FROM kasparro.match_candidates WHERE id = $cand")" pending
expect_eq "... the undo recorded under the key's name" \
	"$(sql "SELECT actor, action, undoes FROM kasparro.decisions WHERE id = $undo")" "api:OPS_KEY|undo|$approve"
expect_eq "... and audited so" \
	"$(sql "SELECT count(*) FROM kasparro.audit_log WHERE actor = 'api:OPS_KEY' AND action = 'undo' AND decision_id = $undo")" 1
get "/queue/$cand"
expect_eq "GET /queue/{id}: the pair's score is stale, and says why" \
	"$(jq_ '[d["data"]["stale"], d["data"]["stale_note"]]')" \
	"[true, \"scored while decision $approve stood, since undone (decision $undo): the next run or dedup --rescan scores it again\"]"
get "/queue?limit=500"
expect_eq "GET /queue marks it too, and no pair of another record" \
	"$(jq_ 'sorted(set(x["stale"] for x in d["data"] if x["id"] == '"$cand"'))') $(jq_ 'all(isinstance(x["stale"], bool) for x in d["data"])')" \
	"[true] true"
req POST "/decisions/$approve/undo" "$OPS_KEY"
expect_eq "undoing it again: 409 conflict" "$CODE $(jq_ 'd["error"]["code"]')" "409 conflict"
expect_match "... saying it is undone" "$(jq_ 'd["error"]["message"]')" "undone"
req POST /decisions/999999/undo "$OPS_KEY"
expect_eq "no such decision: 404" "$CODE $(jq_ 'd["error"]["code"]')" "404 not_found"
req POST /decisions/abc/undo "$OPS_KEY"
expect_eq "an id that is not a number: 400" "$CODE" 400

req POST "/decisions/$restore/undo" "$OPS_KEY"
expect_eq "undoing the restore: 200, its record deleted again" \
	"$CODE $(jq_ '[d["data"]["action"], d["data"]["deleted"]]')" '200 ["restore", 1]'
expect_match "... said as 'kasparro undo' says it" "$(jq_ 'd["data"]["message"]')" \
	"^decision $restore undone \\(decision [0-9]+\\): restore .*: 1 record deleted again"
expect_eq "... the record is deleted" \
	"$(sql "SELECT is_deleted FROM kasparro.records WHERE id = $gone")" t

get /openapi.json
expect_eq "/openapi.json describes both" \
	"$(jq_ '[sorted(d["paths"]["/decisions"].keys()), sorted(d["paths"]["/decisions/{id}/undo"].keys())]')" \
	'[["get"], ["post"]]'
expect_eq "... and the queue's stale field" "$(jq_ '"stale: true" in d["paths"]["/queue"]["get"]["summary"]')" true
stop_daemon
expect_eq "the daemon stops: exit 0" "$DAEMON_RC" 0

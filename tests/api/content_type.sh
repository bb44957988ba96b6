# A POST body is JSON only when it says so: application/json, with at most
# a UTF-8 charset. Anything else (a form, curl -d's default; text; no
# Content-Type at all) is 415 naming the route and the type received,
# whatever Accept asks for, and before the body is read: a body sent in
# another encoding used to be parsed as JSON all the same. A POST without
# a body needs no Content-Type.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
api_fixture '1,one,1'
start_daemon
msg() { echo "$CODE $(jq_ 'd["error"]["code"]') $(jq_ 'd["error"]["message"]')"; }

req POST /runs "$OPS_KEY" -d '{"sources": ["a"]}' -H 'Content-Type: application/x-www-form-urlencoded'
expect_eq "a form body: 415 naming the route and the type" "$(msg)" \
	"415 unsupported_media_type POST /runs takes a JSON body (Content-Type: application/json), not 'application/x-www-form-urlencoded'"
expect_eq "... and no run started" "$(sql 'SELECT count(*) FROM kasparro.runs')" 1
req POST /runs "$OPS_KEY" -d '{"sources": ["a"]}' -H 'Content-Type: text/plain' -H 'Accept: text/html'
expect_eq "text/plain, whatever Accept asks: 415 in JSON" \
	"$(msg) $(grep -i '^Content-Type:' "$T/headers" | tr -d '\r')" \
	"415 unsupported_media_type POST /runs takes a JSON body (Content-Type: application/json), not 'text/plain' Content-Type: application/json"
req POST /runs "$OPS_KEY" -d '{"sources": ["a"]}' -H 'Content-Type:'
expect_eq "no Content-Type: 415 saying so" "$(msg)" \
	"415 unsupported_media_type POST /runs takes a JSON body (Content-Type: application/json); this one came without a Content-Type"
req POST /runs "$OPS_KEY" -d '{"sources": ["a"]}' -H 'Content-Type: application/json; charset=latin1'
expect_eq "a charset other than UTF-8: 415" "$CODE" 415
req POST /runs "$OPS_KEY" -d '{"sources": ["a"]}' -H 'Content-Type: application/jsonx'
expect_eq "a type that only begins like JSON's: 415" "$CODE" 415
req POST /queue/999/approve "$OPS_KEY" -d '{"reason": "x"}' -H 'Content-Type: text/plain'
expect_eq "on approve too, before the candidate is looked up" "$(msg)" \
	"415 unsupported_media_type POST /queue/{id}/approve takes a JSON body (Content-Type: application/json), not 'text/plain'"

req POST /runs "$OPS_KEY" -d '{"sources": ["a"]}' -H 'Content-Type: Application/JSON ; charset="UTF-8"'
expect_eq "application/json with a UTF-8 charset, any case: started" "$CODE" 202
wait_for "the run ends" 60 sql_is "SELECT count(*) FROM kasparro.runs WHERE status = 'running'" 0
req POST /runs "$OPS_KEY"
expect_eq "no body, no Content-Type: started" "$CODE" 202
wait_for "the run ends" 60 sql_is "SELECT count(*) FROM kasparro.runs WHERE status = 'running'" 0

get /openapi.json
expect_eq "/openapi.json: every operation that takes a body may answer 415" \
	"$(jq_ 'sorted(m.upper() + " " + p for p, i in d["paths"].items() for m, op in i.items() if "415" in op["responses"])')" \
	'["POST /queue/{id}/approve", "POST /queue/{id}/reject", "POST /runs"]'
stop_daemon

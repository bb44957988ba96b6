# The error code beside the status: a failure on the server's side (a
# statement the database refused) is 500 "internal", whatever the route
# expected to fail with; what a route foresees keeps its own code (404
# not_found, 409 conflict). Such a failure used to answer 500 under the
# code "conflict", and on a route that looks a thing up 404 "not_found",
# as if the thing did not exist.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
api_fixture 1,one,1 2,two,2
start_daemon

get /entities/999
expect_eq "an unknown entity: 404 not_found" "$CODE $(jq_ 'd["error"]["code"]')" "404 not_found"
req POST /queue/999/approve "$OPS_KEY"
expect_eq "approving an unknown candidate: 404 not_found" "$CODE $(jq_ 'd["error"]["code"]')" \
	"404 not_found"
get /runs/999
expect_eq "an unknown run: 404 not_found" "$CODE $(jq_ 'd["error"]["code"]')" "404 not_found"

# the tables away: every statement on them fails at the server
away() { sql "ALTER TABLE kasparro.$1 RENAME TO ${1}_away" >/dev/null; }
back() { sql "ALTER TABLE kasparro.${1}_away RENAME TO $1" >/dev/null; }
away entities
get /entities
expect_eq "/entities failing at the server: 500 internal" "$CODE $(jq_ 'd["error"]["code"]')" \
	"500 internal"
expect_match "... the message the server's" "$(jq_ 'd["error"]["message"]')" "entities"
get /entities/1
expect_eq "/entities/{id} likewise, not 404" "$CODE $(jq_ 'd["error"]["code"]')" "500 internal"
back entities
away match_candidates
get /queue
expect_eq "/queue: 500 internal" "$CODE $(jq_ 'd["error"]["code"]')" "500 internal"
get /queue/1
expect_eq "/queue/{id}: 500 internal, not 404" "$CODE $(jq_ 'd["error"]["code"]')" "500 internal"
req POST /queue/1/approve "$OPS_KEY"
expect_eq "approving: 500 internal, not 404" "$CODE $(jq_ 'd["error"]["code"]')" "500 internal"
back match_candidates
away runs
get /runs
expect_eq "/runs: 500 internal" "$CODE $(jq_ 'd["error"]["code"]')" "500 internal"
get /runs/1
expect_eq "/runs/{id}: 500 internal, not 404" "$CODE $(jq_ 'd["error"]["code"]')" "500 internal"
back runs
get /runs/1
expect_eq "the tables back: 200 again" "$CODE" 200

get /openapi.json
expect_eq "/openapi.json: every operation may answer 500" \
	"$(jq_ 'all("500" in op["responses"] for p in d["paths"].values() for op in p.values())')" true
stop_daemon
expect_eq "the daemon stops: exit 0" "$DAEMON_RC" 0

# A query the database ends at the time limit it keeps for the API's
# sessions (a statement_timeout of the database or role kasparro connects
# as) answers 503 "timeout" with a Retry-After header and a message naming
# the limit, not 500 "internal": the server is busy, not broken, and a
# client can act on it by waiting. The OpenAPI description says so.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
api_fixture 1,one,1 2,two,2
# the API's sessions take the database's bounds back; kasparro's own work
# (runs, matching) turns them off for itself
sql "ALTER DATABASE \"$(sql 'SELECT current_database()')\" SET statement_timeout = '500ms'" >/dev/null
start_daemon

get /data
expect_eq "before: /data answers" "$CODE" 200

# another session holds the records table: /data waits for it until the
# database's statement_timeout ends the query
hold_table "a report holds kasparro.records" records
get /data
expect_eq "a query ended by statement_timeout: 503 timeout" "$CODE $(jq_ 'd["error"]["code"]')" \
	"503 timeout"
expect_match "the message names the limit and the server's reason" "$(jq_ 'd["error"]["message"]')" \
	"statement_timeout.*canceling statement due to statement timeout"
expect_match "with a Retry-After header" "$(tr -d '\r' <"$T/headers")" "^Retry-After: [0-9]+$"
get /data/a/1
expect_eq "a lookup route too, not 404 or 500" "$CODE $(jq_ 'd["error"]["code"]')" "503 timeout"
get /entities
expect_eq "the entities beside the held table still answer" "$CODE" 200
expect_no_match "and carry no Retry-After" "$(tr -d '\r' <"$T/headers")" "^Retry-After"
release_table
get /data
expect_eq "the table released: /data answers again" "$CODE" 200

get /openapi.json
expect_eq "/openapi.json: every route that asks the database may answer 503 (a scrape answers 200 without it)" \
	"$(jq_ 'all("503" in op["responses"] for path, p in d["paths"].items() for op in p.values() if path not in ("/openapi.json", "/metrics"))')" true
expect_match "... describing the timeout and its Retry-After" \
	"$(jq_ 'd["paths"]["/data"]["get"]["responses"]["503"]')" \
	'statement_timeout.*Retry-After'

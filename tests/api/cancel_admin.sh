# A request's query that another session cancels (an administrator's
# SELECT pg_cancel_backend(pid)) answers 503 "cancelled", saying so, with
# Retry-After: not "timeout", the database's time limit, though SQL state
# 57014 says both, and the session has a statement_timeout (of the
# database) that could have ended it, only not this soon. A query the limit
# does end is still "timeout" (tests/api/timeouts.sh).
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/api.sh"
api_fixture 1,one,1 2,two,2
sql "ALTER DATABASE \"$(sql 'SELECT current_database()')\" SET statement_timeout = '10min'" >/dev/null
start_daemon

hold_table "another session holds the records table" records
at_exit release_table
get /data >/dev/null 2>&1 &
getter=$!
at_exit "kill $getter 2>/dev/null"
waiting="SELECT pid FROM pg_stat_activity WHERE application_name = 'kasparro' AND wait_event_type = 'Lock'"
wait_for "a /data request waits for the table" 60 \
	sh -c "psql -XAtq '$KASPARRO_DATABASE_URL' -c \"$waiting\" | grep -q ."
expect_eq "an administrator cancels its query" "$(sql "SELECT pg_cancel_backend(pid) FROM ($waiting) w")" t
wait "$getter"
CODE=$(sed -n 's/^HTTP\/[0-9.]* \([0-9]*\).*/\1/p' "$T/headers" | tail -1)
expect_eq "the request is answered 503 cancelled, not timeout" "$CODE $(jq_ 'd["error"]["code"]')" \
	"503 cancelled"
expect_match "... saying another session cancelled it" "$(jq_ 'd["error"]["message"]')" \
	"cancelled at another session's request \(pg_cancel_backend, or a client's cancel\), not by kasparro"
expect_match "... with a Retry-After header" "$(tr -d '\r' <"$T/headers")" "^Retry-After: [0-9]+$"
release_table
get /data
expect_eq "the table free again, /data answers" "$CODE" 200
get /openapi.json
expect_match "/openapi.json describes the 503 cancelled" \
	"$(jq_ 'd["paths"]["/data"]["get"]["responses"]["503"]["description"]')" 'cancelled: pg_cancel_backend'

# The database goes away under a running daemon (a restart, a failover,
# an administrator closing its sessions): the API answers 503
# "database_unavailable" with a Retry-After header — the request lost its
# connection, or a new one is refused — not 500, and answers again once
# the database takes connections.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
api_fixture 1,one,1 2,two,2
start_daemon

# admin SQL: from the cluster's maintenance database, which the test's own
# database refusing connections does not touch
admin() { psql -X -A -t -q -v ON_ERROR_STOP=1 -h "$PGHOST_TEST" -U kasparro -d postgres -c "$1"; }
at_exit "admin 'ALTER DATABASE $DBNAME ALLOW_CONNECTIONS true' >/dev/null 2>&1"

get /data
expect_eq "before: /data answers" "$CODE" 200

admin "ALTER DATABASE $DBNAME ALLOW_CONNECTIONS false" >/dev/null
admin "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '$DBNAME'" >/dev/null
wait_for "the daemon's sessions are closed" 30 sh -c \
	"test \"\$(psql -XAtq -h '$PGHOST_TEST' -U kasparro -d postgres -c \"SELECT count(*) FROM pg_stat_activity WHERE datname = '$DBNAME'\")\" = 0"

# /health answers its report, status unavailable, with the Retry-After of
# every route's 503: it had none when the pool held a connection the outage
# had broken (the first request after it)
for n in 1 2; do
	get /health
	expect_eq "/health $n without the database: 503, unavailable" \
		"$CODE $(jq_ 'd["data"]["status"]')" "503 unavailable"
	expect_match "... with a Retry-After header" "$(tr -d '\r' <"$T/headers")" "^Retry-After: [0-9]+$"
done

# a request that finds its pooled connection closed, or no connection to
# be had, is answered the same
for n in 1 2; do
	get /data
	expect_eq "request $n without the database: 503 database_unavailable" \
		"$CODE $(jq_ 'd["error"]["code"]')" "503 database_unavailable"
	expect_match "... with a Retry-After header" "$(tr -d '\r' <"$T/headers")" "^Retry-After: [0-9]+$"
done

admin "ALTER DATABASE $DBNAME ALLOW_CONNECTIONS true" >/dev/null
get /data
expect_eq "the database back: /data answers again" "$CODE" 200
expect_no_match "... without Retry-After" "$(tr -d '\r' <"$T/headers")" "^Retry-After"

get /openapi.json
expect_match "/openapi.json: a 503 for an unreachable database comes with Retry-After too" \
	"$(jq_ 'd["paths"]["/data"]["get"]["responses"]["503"]')" \
	'database_unavailable.*shutting_down.*each with a Retry-After'

# A newer kasparro migrated the database under a running daemon (a rolling
# upgrade): this daemon can open no new connection and start no run, so
# /health must stop saying "ok" and answer 503 with the reason, and `db
# status` (the container's health check without a key) exit 4 saying why.
# Once the schema is one it knows again, both are healthy again.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
new_db
csv_config 100 a
api_keys
api_section "open=/health"
kas db migrate >/dev/null

start_daemon
req GET /health ""
expect_eq "/health on the schema this kasparro knows: 200 ok" "$CODE $(jq_ 'd["data"]["status"]')" "200 ok"
expect_exit "db status: exit 0" 0 kas db status

known=$(sql 'SELECT max(version) FROM kasparro.schema_migrations')
sql "INSERT INTO kasparro.schema_migrations (version, name) VALUES (9999, '9999_future')" >/dev/null
req GET /health ""
expect_eq "/health once a newer kasparro migrated it: 503 incompatible" \
	"$CODE $(jq_ 'd["data"]["status"]')" "503 incompatible"
expect_eq "... the database still reachable, at the version it holds" \
	"$(jq_ '[d["data"]["database"][k] for k in ("reachable", "schema_version", "schema_expected")]')" \
	"[true, 9999, $known]"
expect_match "... and why this kasparro cannot use it" "$(jq_ 'd["data"]["database"]["error"]')" \
	"schema migration 9999, which this kasparro does not know.*upgrade kasparro"
out=$(kas db status 2>&1)
expect_eq "db status: exit 4" "$?" 4
expect_match "... its schema line says why" "$out" \
	"schema: +version 9999 \(this kasparro knows $known\): .*upgrade kasparro"
expect_match "... in JSON too" "$(kas db status --json)" '"schema_error":".*upgrade kasparro"'

sql "DELETE FROM kasparro.schema_migrations WHERE version = 9999" >/dev/null
req GET /health ""
expect_eq "/health on the known schema again: 200 ok" "$CODE $(jq_ 'd["data"]["status"]')" "200 ok"
stop_daemon
expect_eq "the daemon stops with exit 0" "$DAEMON_RC" 0

# The timeouts a DBA sets on a database (or role) for interactive clients:
# a run's sessions turn them off, since a load that waits its turn or a
# long statement must not fail half-way; the HTTP API's sessions keep the
# statement and lock bounds, so a request stuck behind a lock answers an
# error instead of holding a server thread.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/api.sh"
new_db
csv_config 10 a
printf 'id,title,n\n' >"$T/a.csv"
seq 1 40 | awk '{ printf "%d,Title %d,%d\n", $1, $1, $1 }' >>"$T/a.csv"
api_keys
api_section
kas db migrate >/dev/null
for s in "statement_timeout = '1s'" "lock_timeout = '1s'" "idle_in_transaction_session_timeout = '1ms'"; do
	sql "ALTER DATABASE $DBNAME SET $s" >/dev/null
done
start_daemon

# Another session holds the records table.
hold_table "another session holds the records table" records

kas run >"$T/run.out" 2>&1 &
run=$!
at_exit "kill $run 2>/dev/null"
wait_for "the run waits for the table three times longer than the database's bounds" 60 sh -c \
	"psql -XAtq '$KASPARRO_DATABASE_URL' -c \"SELECT count(*) FROM pg_stat_activity \
	WHERE application_name = 'kasparro' AND wait_event_type = 'Lock' \
	AND query_start < now() - interval '3 seconds'\" | grep -qx 1"

get "/data?limit=5" --max-time "$(slow 30)"
expect_match "a request stuck behind the lock answers an error within the database's bound" \
	"$CODE" '^5[0-9][0-9]$'

release_table
wait "$run"
expect_eq "the run goes on once the table is free: exit 0" "$?" 0
expect_eq "... and loaded every record" "$(sql "SELECT count(*) FROM kasparro.records")" 40
get "/data?limit=5"
expect_eq "the API answers again" "$CODE" 200
stop_daemon
expect_eq "the daemon stops cleanly" "$DAEMON_RC" 0

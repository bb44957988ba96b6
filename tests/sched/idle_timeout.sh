# Never two runs at once, on a server that ends idle sessions
# (idle_session_timeout, which DBAs and managed PostgreSQL set). The run
# lock is a session advisory lock on a connection that runs nothing while
# the run loads: the server used to end that session, releasing the lock,
# so a second run started beside the first and marked it abandoned.
# kasparro's sessions now turn the timeout off for themselves.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
csv_source_config a
title_rows 1 50 >"$T/a.csv"
kas db migrate >/dev/null
sql "ALTER DATABASE $DBNAME SET idle_session_timeout = '1s'" >/dev/null

# The first run takes the run lock, then waits on a table another session
# holds: its lock connection sits idle for as long as we like.
hold_table "another session holds the raw payloads table" raw_records
kas run >"$T/run1.out" 2>&1 &
run1=$!
at_exit "kill $run1 2>/dev/null"
# the session holding the run lock, idle three times the server's timeout
wait_for "the run lock's session outlives the server's idle_session_timeout" 60 sh -c \
	"psql -XAtq '$KASPARRO_DATABASE_URL' -c \"SELECT count(*) FROM pg_locks l \
	JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted \
	AND l.objid = $((0x6b617302)) AND a.state = 'idle' \
	AND a.state_change < now() - interval '3 seconds'\" | grep -qx 1"

out=$(kas run 2>&1)
expect_eq "a second run meanwhile is refused: exit 3" "$?" 3
expect_match "... naming the run in progress" "$out" "another run is in progress: run 1 "

release_table
wait "$run1"
expect_eq "the first run goes on and ends: exit 0" "$?" 0
expect_eq "it is recorded succeeded, and no run was marked abandoned" \
	"$(sql "SELECT string_agg(id || ' ' || status, ',' ORDER BY id) FROM kasparro.runs")" "1 succeeded"

# A run whose run lock is lost stops, and ends failed saying so. The lock
# is a session advisory lock: when the server ends that session
# (pg_terminate_backend, as here; a network failure the server noticed)
# the lock is free, and a second run used to start beside the first, mark
# it abandoned, and load while the first went on and then recorded itself
# succeeded over the second's verdict.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
csv_source_config a
title_rows 1 50 >"$T/a.csv"
kas db migrate >/dev/null

# The run takes the run lock, then waits on a table another session holds.
hold_table "another session holds the raw payloads table" raw_records
LOG_LEVEL=info kas run >"$T/run1.out" 2>&1 &
run1=$!
at_exit "kill $run1 2>/dev/null"
wait_for "the run holds the run lock and waits for the table" 60 sh -c "psql -XAtq '$KASPARRO_DATABASE_URL' -c \
	\"SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation \
	WHERE c.relname = 'raw_records' AND NOT l.granted\" | grep -qx 1"

sql "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted \
	AND objid = $((0x6b617302))" >/dev/null
# The table stays locked: the run must notice on its own, not when its load
# gets through.
wait_for "the run stops while its load still waits" 30 sh -c "! kill -0 $run1"
release_table
wait "$run1"
expect_eq "... exit 1" "$?" 1
out=$(cat "$T/run1.out")
expect_match "... saying the run lock was lost" "$out" \
	'"level":"error".*run 1: the run lock was lost: its database session ended'
expect_eq "... recorded failed with the reason, its source not left running" \
	"$(sql "SELECT r.status || ' ' || (r.error LIKE '%the run lock was lost%') || ' ' || s.status \
	FROM kasparro.runs r JOIN kasparro.run_sources s ON s.run_id = r.id WHERE r.id = 1")" \
	"failed true failed"

expect_exit "the next run starts and loads" 0 kas run
expect_eq "run 1 keeps its verdict, no run was marked abandoned" \
	"$(sql "SELECT string_agg(id || ' ' || status, ',' ORDER BY id) FROM kasparro.runs")" \
	"1 failed,2 succeeded"
expect_eq "the records were loaded once" "$(sql "SELECT count(*) FROM kasparro.records")" 50

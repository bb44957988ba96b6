# Stopping a run reaches the server. Another session holds row locks that
# the orphan check needs (on a held set of deletions the next read prunes),
# so the check waits at the server as a long statement would; stopping the
# run — SIGTERM or Ctrl-C (SIGINT) to `kasparro run`, C
# in the console — cancels that statement (PQcancel), and the run ends
# 'interrupted' within 5 seconds, its source too, the statement gone from
# the server and nothing deleted. Without the cancel the run would wait for
# the lock, here ten minutes.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/http.sh"
. "$TOP/tests/lib/console.sh"
new_db

csv_source_config shop
title_rows 1 100 >"$T/shop.csv"
check "a first run loads 100 records" kas run
head -n 41 "$T/shop.csv" >"$T/shop40.csv" && mv "$T/shop40.csv" "$T/shop.csv"
expect_exit "a read of 40 holds the 60 deletions for an operator" 1 kas run
title_rows 1 100 >"$T/shop.csv"
live() { sql "SELECT count(*) FROM kasparro.records WHERE NOT is_deleted"; }
last_run() { sql "SELECT max(id) FROM kasparro.runs"; }
waiting() { [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'kasparro' AND wait_event_type = 'Lock'")" -ge 1 ]; }
active() { sql "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'kasparro' AND state <> 'idle'"; }

# hold_lock: a session that locks the held set's rows, which the next full
# read prunes (it sees those records again) before it looks for orphans
hold_lock() {
	psql -X -q "$KASPARRO_DATABASE_URL" -c "BEGIN" \
		-c "SELECT record_id FROM kasparro.pending_delete_records FOR UPDATE" \
		-c "SELECT pg_sleep(600)" >/dev/null 2>&1 &
	LOCKER=$!
	at_exit "kill $LOCKER 2>/dev/null"
	wait_for "another session holds the lock" 20 sh -c "[ \$(psql -XAtq '$KASPARRO_DATABASE_URL' -c \"SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(600)%' AND state = 'active'\") -ge 1 ]"
}
release_lock() {
	kill "$LOCKER" 2>/dev/null
	wait "$LOCKER" 2>/dev/null
}

for sig in TERM INT; do
	hold_lock
	"$BIN" -c "$CONF" run >"$T/run.out" 2>&1 &
	pid=$!
	wait_for "SIG$sig: the run's orphan check waits at the server" 30 waiting
	t0=$(now)
	kill -"$sig" "$pid"
	wait "$pid"
	rc=$?
	expect_seconds "SIG$sig: kasparro run ends within 5 seconds" "$t0" "" "$(slow 5)"
	expect_eq "SIG$sig: it exits 1, the run interrupted" "$rc" 1
	run=$(last_run)
	expect_eq "SIG$sig: the run and its source are 'interrupted', not left running" \
		"$(sql "SELECT r.status || ' ' || s.status FROM kasparro.runs r JOIN kasparro.run_sources s ON s.run_id = r.id WHERE r.id = $run")" \
		"interrupted interrupted"
	expect_eq "SIG$sig: the statement is gone from the server" "$(active)" 0
	expect_eq "SIG$sig: nothing was deleted" "$(live)" 100
	release_lock
done

# the console's C: the console answers while the run stops
hold_lock
console_start
wait_screen "the console is up" 'Runs'
send r
wait_for "console: the run's orphan check waits at the server" 30 waiting
send C
wait_screen "C asks before cancelling" 'cancel run [0-9]+, the run in progress\? \(y/n\)'
t0=$(now)
send y
wait_screen "y: the run ends interrupted within 5 seconds" "^Run $(last_run) interrupted" 5
expect_seconds "console: the run ended within 5 seconds" "$t0" "" "$(slow 5)"
expect_eq "console: the source is 'interrupted' too" \
	"$(sql "SELECT status FROM kasparro.run_sources WHERE run_id = $(last_run)")" interrupted
expect_eq "console: the statement is gone from the server" "$(active)" 0
send 7
wait_screen "the console still answers keys" 'Log: info and above'
release_lock
expect_eq "nothing was deleted" "$(live)" 100

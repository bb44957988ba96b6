# A stop is bounded even while the scheduler thread waits on a lock. Its
# statements carry no lock timeout (a claim may rightly wait for another
# scheduler's), so one queued behind a session that never lets go of the
# scheduler's table waited for ever, and SIGTERM with it: the daemon
# stopped only when systemd's TimeoutStopSec or a container's grace period
# killed it (SIGKILL: no log line, no 'interrupted' run). The stop now
# cancels the statement at the server, says so, and exits 0.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
. "$TOP/tests/lib/sched.sh"
tick_daemon
hold_table "another session holds the scheduler's table" scheduler
wait_for "the scheduler's next pass waits for it (/health: 503 stalled)" 60 health_is 503 stalled
check "... a statement of the daemon's waits on a lock of the scheduler's table" \
	sh -c "psql -XAtq '$KASPARRO_DATABASE_URL' -c \"SELECT count(*) FROM pg_stat_activity \
	WHERE application_name = 'kasparro' AND wait_event_type = 'Lock' \
	AND query LIKE '%kasparro.scheduler%'\" | grep -qx 1"

started=$(date +%s)
kill -TERM "$DAEMON_PID"
wait_for "SIGTERM: the daemon exits within 10 s, the lock still held" 10 sh -c "! kill -0 $DAEMON_PID"
took=$(($(date +%s) - started))
release_table # the old build's daemon goes on only now
wait_for "(the daemon is gone)" 30 sh -c "! kill -0 $DAEMON_PID"
kill -KILL "$DAEMON_PID" 2>/dev/null
wait "$DAEMON_PID"
expect_eq "... exit 0" "$?" 0
echo "# stop took ${took}s"
log=$(cat "$T/daemon.log")
expect_match "the log says what the stop cut short" "$log" \
	'"stopping: the scheduler'"'"'s statement in progress is cancelled \(it waited [0-9.]+s\)'
expect_match "... and that the daemon stopped" "$log" '"daemon stopped"'
expect_no_match "... with no error for the cancelled statement" "$log" \
	'"level":"error".*canceling statement'

# `daemon --once` (an external cron's or a systemd timer's pass): the same
# wait, the same stop; nothing was claimed, so exit 0.
hold_table "another session holds the scheduler's table again" scheduler
: >"$T/once.log"
LOG_LEVEL=info "$BIN" -c "$CONF" daemon --once >>"$T/once.log" 2>&1 &
once=$!
at_exit "kill $once 2>/dev/null"
wait_for "daemon --once waits for the table" 60 sh -c "psql -XAtq '$KASPARRO_DATABASE_URL' -c \
	\"SELECT count(*) FROM pg_stat_activity WHERE application_name = 'kasparro' \
	AND wait_event_type = 'Lock' AND query LIKE '%kasparro.scheduler%'\" | grep -qx 1"
kill -TERM "$once"
wait_for "SIGTERM: daemon --once exits within 10 s, the lock still held" 10 sh -c "! kill -0 $once"
release_table
wait_for "(daemon --once is gone)" 30 sh -c "! kill -0 $once"
kill -KILL "$once" 2>/dev/null
wait "$once"
expect_eq "... exit 0" "$?" 0
expect_match "... saying so" "$(cat "$T/once.log")" \
	'"stopping: the scheduler'"'"'s statement in progress is cancelled: .*; no fire time claimed"'

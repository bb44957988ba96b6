# A stopped run does not wait on another session's lock. The run is
# stopped (SIGINT) while its worker waits for its source's first bytes;
# then the source flows and the statements the stopped run still sends
# meet a lock another session holds on kasparro.checkpoints. The stop
# cancels a statement begun after it once it has run for a few seconds:
# the run ends 'interrupted' (exit 1) while the lock is still held, says
# why in its log, and loses nothing (the next run loads every record once).
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/workers.sh"
new_db
workers_config 1 100 gated:3000
kas db migrate >/dev/null
gate gated
LOG_LEVEL=debug "$BIN" -c "$CONF" run >"$T/run.out" 2>&1 &
pid=$!
at_exit "kill -9 $pid 2>/dev/null"
wait_for "the run's worker waits in its source" 60 holds gated "$pid"
hold_table "another session holds kasparro.checkpoints" checkpoints SHARE
# the worker's connection, the one holding the source's lease
backend=$(sql "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted
	AND objid = hashtext('gated')::oid AND objsubid = 2")
kill -INT "$pid"
wait_for "the worker's connection sees the stop (nothing in progress to cancel yet)" 30 grep -q \
	"stopping: asked the server to cancel the statement in progress (backend $backend)" "$T/run.out"
open_gate gated
# (when it does not, the lock goes, so the run can end and be waited for)
wait_for "the stopped run ends while the lock is still held" 60 sh -c "! kill -0 $pid" ||
	release_table
wait "$pid"
expect_eq "... exit 1" "$?" 1
expect_eq "the lock was held all along" \
	"$(sql "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'tableholder'")" 1
expect_match "the log says why the statement was cancelled" "$(cat "$T/run.out")" \
	'"level":"warn".*stopping: a statement begun after the stop was still running after 5s \(waiting for a lock another session holds\?\): asked the server to cancel it \(backend '"$backend"'\)'
expect_eq "the run is recorded interrupted" "$(sql "SELECT status FROM kasparro.runs WHERE id = 1")" \
	interrupted
release_table
rm -f "$T/gated.csv" # the FIFO: a plain file again
cp "$T/gated.data" "$T/gated.csv"
check "the next run" kas run
expect_loaded_once gated 3000

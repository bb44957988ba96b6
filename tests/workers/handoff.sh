# The daemon that started a run is stopped (SIGTERM, as a deploy does)
# while another daemon loads one of the run's sources: the run is not
# ended 'interrupted' but left to the other daemon, which holds the run
# lock at once (no other run can start meanwhile), resumes the stopped
# daemon's source from its checkpoint, runs the per-run steps and records
# the run's end — one run, every source loaded once.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/api.sh"
. "$KASPARRO_TOP/tests/lib/workers.sh"
new_db

# big first: the run's own daemon, alone when the run starts, takes it;
# gated waits in its file, so the daemon that joins stays inside it
sources="big:200000 gated:1500 s1:500"
workers_config 1 200 $sources
api_keys
api_section
kas db migrate >/dev/null
gate gated

start_daemon
a=$DAEMON_PID
req POST /runs "$OPS_KEY"
expect_eq "the run is started on daemon a" "$CODE" 202
wait_for "a's worker holds big" 60 holds big "$a"
"$BIN" -c "$CONF" daemon >"$T/b.log" 2>&1 &
b=$!
at_exit "kill $b 2>/dev/null"
wait_for "b joins and waits inside gated" 60 holds gated "$b"

kill -TERM "$a"
wait "$a"
expect_eq "a stops cleanly" "$?" 0
expect_match "a says the run goes on with b's worker" "$(cat "$T/daemon.log")" \
	"this process stops; the run goes on with the workers loading its sources \\([^)]*:$b/1\\)"
expect_eq "the run is not ended: b still loads gated" \
	"$(sql "SELECT count(*) || ' ' || min(status) FROM kasparro.runs")" "1 running"
expect_eq "the source a was loading went back to the queue" \
	"$(sql "SELECT status FROM kasparro.run_sources WHERE source = 'big'")" "pending"
wait_for "b holds the run lock" 60 grep -q "holds the run lock and takes the run over" "$T/b.log"
timeout 120 "$BIN" -c "$CONF" run >"$T/run.out" 2>&1 # a run that started would wait in gated
expect_eq "meanwhile no other run starts: busy" "$?" 3
expect_match "and it says by whom" "$(cat "$T/run.out")" "another run is in progress"

open_gate gated
expect_run_finished_by "$b" b 300 $sources
expect_eq "big was taken twice (a, then b), the others once" \
	"$(sql "SELECT string_agg(source || '=' || claims, ' ' ORDER BY ord) FROM kasparro.run_sources")" \
	"big=2 gated=1 s1=1"
expect_eq "b finished every source" "$(owner_pid big) $(owner_pid gated) $(owner_pid s1)" "$b $b $b"
kill -TERM "$b"
wait "$b"
expect_eq "b stops cleanly" "$?" 0

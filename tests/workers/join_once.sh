# An idle daemon that joined a run whose only source is held by the run's
# own process looks again every few seconds whether a source came free. It
# says it joined the run once; every look after that is a debug line, not
# an info line an operator would read as news every five seconds.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/workers.sh"
new_db

workers_config 1 100 gated:300
sed -i 's/^\[kasparro\]$/[kasparro]\nlog_level = debug/' "$CONF"
kas db migrate >/dev/null
gate gated # the run's own worker waits inside its one source

"$BIN" -c "$CONF" run >"$T/run.out" 2>&1 &
run_pid=$!
at_exit "kill $run_pid 2>/dev/null"
wait_for "the run's own worker holds the gated source" 60 holds gated "$run_pid"
"$BIN" -c "$CONF" daemon >"$T/d.log" 2>&1 &
daemon=$!
at_exit "kill $daemon 2>/dev/null"

# looks COUNT: the daemon has looked at run 1 at least COUNT times
looks() {
	[ "$(grep -cE 'run 1: (joining it with 1 worker|looking again for a source to load)' \
		"$T/d.log")" -ge "$1" ]
}
wait_for "the daemon looks at the run three times" 90 looks 3
expect_eq "it says it joined run 1 once" "$(grep -c 'run 1: joining it with 1 worker' "$T/d.log")" 1
expect_eq "the source is still the run's own process's" "$(owner_pid gated)" "$run_pid"

open_gate gated
wait "$run_pid"
expect_eq "the run succeeds" "$?" 0
kill -TERM "$daemon"
wait "$daemon"
expect_eq "the daemon stops cleanly" "$?" 0
expect_eq "... having said it joined run 1 once" \
	"$(grep -c 'run 1: joining it with 1 worker' "$T/d.log")" 1

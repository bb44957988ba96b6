# A daemon started before kasparro.conf was edited joins a run that
# `kasparro run` started with the edited file. It loads only the sources
# both files load alike and leaves the edited one to the run's own process,
# saying so once, instead of loading it by its older mapping. When the
# run's process dies and the daemon carries the run on, the source it
# cannot load alike fails with the reason instead of ending 'skipped'.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/workers.sh"
new_db

workers_config 1 100 gated:300 edited:200 same:200
kas db migrate >/dev/null
old_conf="$T/old.conf"
cp "$CONF" "$old_conf"
# the edit: source 'edited' no longer maps n
awk '/^\[/ { in_edited = $0 == "[source edited]" }
	!(in_edited && $0 == "map.n = n")' "$old_conf" >"$CONF"
expect_eq "the edited file maps n for two sources, the old one for three" \
	"$(grep -c '^map\.n' "$CONF") $(grep -c '^map\.n' "$old_conf")" "2 3"

# run_with CONF: `kasparro run` in the background, its pid in $run_pid
run_with() {
	"$BIN" -c "$1" run >"$T/run.out" 2>&1 &
	run_pid=$!
	at_exit "kill $run_pid 2>/dev/null"
}

gate gated # the run's own worker waits inside the first source
run_with "$CONF"
wait_for "the run's own worker holds the gated source" 60 holds gated "$run_pid"
"$BIN" -c "$old_conf" daemon >"$T/d.log" 2>&1 &
daemon=$!
at_exit "kill $daemon 2>/dev/null"
wait_for "the daemon joins and loads the source configured alike" 60 sql_is \
	"SELECT status || ' ' || split_part(split_part(owner, ':', 2), '/', 1)
	 FROM kasparro.run_sources WHERE source = 'same'" "succeeded $daemon"
wait_for "... and says it leaves the edited one to others" 60 grep -q \
	"run 1: source 'edited' is configured differently here than in the process that started the run (pid $run_pid on " \
	"$T/d.log"
expect_eq "the edited source waits for the run's own worker" \
	"$(sql "SELECT status || ' ' || claims FROM kasparro.run_sources WHERE source = 'edited'")" \
	"pending 0"
open_gate gated
wait "$run_pid"
expect_eq "the run succeeds" "$?" 0
expect_eq "the edited source was loaded by the run's own process, by the edited mapping" \
	"$(owner_pid edited) $(sql "SELECT count(*) || ' ' || count(n) FROM kasparro.records WHERE source = 'edited'")" \
	"$run_pid 200 0"
expect_eq "the other sources hold n as both files map it" \
	"$(sql "SELECT count(n) FROM kasparro.records WHERE source IN ('gated', 'same')")" 500
expect_eq "the daemon said it once" \
	"$(grep -c "source 'edited' is configured differently here" "$T/d.log")" 1

# The run's process dies inside the gated source: the daemon carries the
# run on; it cannot load 'edited' alike, and says why in the run.
gate gated
run_with "$CONF"
wait_for "run 2: the run's own worker holds the gated source" 60 holds gated "$run_pid"
wait_for "run 2: the daemon loads the source configured alike" 60 sql_is \
	"SELECT status FROM kasparro.run_sources WHERE source = 'same' AND run_id = 2" succeeded
kill -9 "$run_pid"
wait "$run_pid" 2>/dev/null
open_gate gated
wait_for "run 2 ends, carried on by the daemon" 120 sql_is \
	"SELECT status <> 'running' AND pid = $daemon FROM kasparro.runs WHERE id = 2" t
expect_match "the edited source failed, saying why" \
	"$(sql "SELECT status || ': ' || error FROM kasparro.run_sources WHERE run_id = 2 AND source = 'edited'")" \
	"^failed: not loaded: the process that carried the run on \\(pid $daemon on .*\\) is configured differently for this source than the one that started it\$"
expect_eq "the gated source was finished by the daemon" \
	"$(sql "SELECT status FROM kasparro.run_sources WHERE run_id = 2 AND source = 'gated'")" succeeded
expect_match "runs shows the run partial, with the reason" "$(kas runs --json)" \
	'"status":"partial".*not loaded: the process that carried the run on'
kill -TERM "$daemon"
wait "$daemon"
expect_eq "the daemon stops cleanly" "$?" 0

# [kasparro] workers = 3 in one process: the run's six sources are shared by
# three workers, each on its own connection; every source is loaded once by
# one of them, and the run is one run.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/workers.sh"
new_db

workers_config 3 500 a:2000 b:2000 c:2000 d:3000 e:1000 f:2500
kas db migrate >/dev/null
# the first three wait in their files until every worker holds one: the
# work was shared, whatever the machine's load
for s in a b c; do gate $s; done
"$BIN" -c "$CONF" run >"$T/run.out" 2>"$T/run.err" &
run=$!
at_exit "kill $run 2>/dev/null"
wait_for "three workers each hold a source" 60 sql_is \
	"SELECT count(DISTINCT owner) FROM kasparro.run_sources WHERE status = 'running'" 3
expect_eq "the others wait their turn" \
	"$(sql "SELECT string_agg(source, ' ' ORDER BY source) FROM kasparro.run_sources WHERE status = 'pending'")" \
	"d e f"
for s in a b c; do open_gate $s; done
wait "$run"
expect_eq "the run succeeds" "$?" 0
expect_eq "one run" "$(sql "SELECT count(*) || ' ' || min(status) FROM kasparro.runs")" "1 succeeded"
for spec in a:2000 b:2000 c:2000 d:3000 e:1000 f:2500; do
	expect_loaded_once "${spec%%:*}" "${spec#*:}"
done
expect_eq "each source was taken once" \
	"$(sql "SELECT count(*) FROM kasparro.run_sources WHERE claims = 1")" 6
expect_eq "by this run's process, three workers in all" \
	"$(sql "SELECT count(DISTINCT split_part(owner, '/', 1)) || ' ' || count(DISTINCT owner) || ' ' ||
		count(*) FILTER (WHERE split_part(split_part(owner, ':', 2), '/', 1) = '$run') FROM kasparro.run_sources")" "1 3 6"
out=$(kas show-run 1)
expect_match "show-run names the worker of each source" "$out" "$(hostname):$run/[123]"

# a second run while one goes on is refused, as with one worker
gate a
"$BIN" -c "$CONF" run a >/dev/null 2>&1 &
run=$!
wait_for "the next run holds source a" 60 sql_is \
	"SELECT count(*) FROM kasparro.run_sources WHERE run_id = 2 AND status = 'running'" 1
expect_exit "another kasparro run is refused: busy" 3 kas run b
open_gate a
wait "$run"
expect_eq "and the run goes on to succeed" "$?" 0

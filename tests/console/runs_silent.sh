# A run whose process died stays 'running' in the database until the next
# run marks it abandoned. Once its heartbeat is older than the bound after
# which a daemon no longer takes a run over (RUN_ADOPT_WITHIN_S, 10
# minutes), the Runs board, its row and the status line say "no heartbeat
# for 10m" instead of a stage it is no longer in, without any news from the
# database (a dead process sends none); its detail (show-run) says what that
# means and what clears it, and so do `kasparro runs` and `show-run` in a
# shell. A silent run whose run lock a session still holds is said to be
# stuck, not gone.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
console_fixture run
# run 2: its process (pid 99999 on gone-host) died 9m57s ago, mid-run
sql "INSERT INTO kasparro.runs (trigger, actor, started_at, heartbeat_at, status, host, pid)
	VALUES ('manual', 'ann', now() - interval '20 minutes', now() - interval '597 seconds',
	'running', 'gone-host', 99999)" >/dev/null
sql "INSERT INTO kasparro.run_sources (run_id, source, ord, status) VALUES (2, 'books', 1, 'running')" >/dev/null
CONSOLE_COLS=120 console_start
wait_screen "the run is on the board while its heartbeat is recent" \
	'^Run 2 running · manual by ann · sources · '
wait_screen "ten minutes after its last heartbeat the board says so, with no news" \
	'^Run 2 running · manual by ann · no heartbeat for 10m · ' 15
wait_screen "... and where to look" 'Enter on its row says why and how it is cleared'
wait_screen "... and so does the status line" 'run 2: no heartbeat for 10m'
wait_screen "its row says it too" '^.? +2 running .*no heartbeat for 10m \(Enter: why\)' 15
send Enter
wait_screen "its detail says the process is gone and what marks the run abandoned" \
	"no heartbeat for 10m: its process \(pid 99999 on gone-host\) is gone; the next run \('run'\) marks it abandoned"
send q

out=$(kas runs 2>&1)
expect_match "kasparro runs says it as well" "$out" \
	"running .*no heartbeat for 10m: its process \(pid 99999 on gone-host\) is gone; the next run \('kasparro run'\) marks it abandoned"
out=$(kas show-run 2 2>&1)
expect_match "... and show-run, with the heartbeat's time" "$out" \
	"^warning: no heartbeat for 10m: its process \(pid 99999 on gone-host\) is gone; the next run \('kasparro run'\) marks it abandoned \(last heartbeat [0-9-]+ [0-9:]+ UTC\)"
expect_match "runs --json has the silence in seconds, the error stays null" \
	"$(kas runs --json | python3 -c 'import json,sys; r=json.load(sys.stdin)[0]; print(r["id"], r["status"], int(r["silent_seconds"]) >= 600, r["error"])')" \
	'^2 running True None$'
expect_match "... show-run --json too" \
	"$(kas show-run 2 --json | python3 -c 'import json,sys; r=json.load(sys.stdin); print(int(r["silent_seconds"]) >= 600, r["run_lock_held"])')" \
	'^True False$'
expect_match "a finished run is never silent" \
	"$(kas show-run 1 --json | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["silent_seconds"])')" '^None$'

hold_lock "a session holds the run lock" 1801548546
expect_match "while a session holds the run lock, the run is said stuck, not gone" "$(kas show-run 2 2>&1)" \
	"no heartbeat for 10m, yet a process \(the run's, pid 99999 on gone-host, or one taking it over\) holds the run lock"
release_lock

kas run >/dev/null 2>&1
wait_screen "the next run marks it abandoned, and the board moves on" '^Run 3 succeeded · ' 30
wait_screen "... its row says abandoned" '^.? +2 abandoned ' 15
wait_no_screen "... and nothing says no heartbeat any more" 'no heartbeat' 10

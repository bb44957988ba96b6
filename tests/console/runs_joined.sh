# A run this console started, joined by a daemon: the board shows the
# source the daemon loads as it goes (its records and rate, from its row),
# not "waiting" at 0 until the run ends, which is all the console's engine
# learns of it by itself.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
. "$KASPARRO_TOP/tests/lib/workers.sh"
new_db
workers_config 1 500 gated:100 big:40000
kas db migrate >/dev/null
gate gated # the console's one worker takes it first and waits in it
console_start
wait_screen "the console is up" 'connected' 30
send r
wait_screen "r starts run 1" '^Run 1 running · manual by ' 30
wait_for "the console's worker holds gated" 60 sh -c \
	"[ -n \"\$(psql -XAtq '$KASPARRO_DATABASE_URL' -c \"SELECT owner FROM kasparro.run_sources WHERE source = 'gated' AND status = 'running'\")\" ]"
"$BIN" -c "$CONF" daemon >"$T/d.log" 2>&1 &
d=$!
at_exit "kill $d 2>/dev/null"
wait_for "the daemon joins and takes big" 60 holds big "$d"
wait_screen "the board shows big's records as the daemon loads them" \
	'^  big +(fetching|done) .* [1-9][0-9]* rec +[0-9]+/s' 60
wait_no_screen "... not waiting at 0" '^  big +waiting' 5
open_gate gated
wait_screen "run 1 ends" '^Run 1 succeeded · ' 120
wait_screen "... with big's whole count" '^  big +succeeded .* 40000 rec' 10
kill -TERM "$d"
wait "$d"
send q
wait_screen "q quits" 'console exited 0'

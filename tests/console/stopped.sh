# The private database stopped under a console that is reviewing: the first
# action after `kasparro db stop` says what did not happen, that the
# database is stopped and how to start it (not what the server said as it
# went), the status line never says "connected" meanwhile, and nothing the
# console does starts the database again. Once the operator starts it, the
# console reconnects and the same key does what it should. At 80x24 and
# at 200x60.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
unset KASPARRO_DATABASE_URL
export XDG_STATE_HOME="$T/st"
at_exit '"$BIN" db stop >/dev/null 2>&1'
sample_config
kas run >/dev/null 2>&1
[ $? -le 1 ] || not_ok "the sample loads into the private database"
# psql to the private cluster (the tests' shared server is not used here)
status_of() {
	KASPARRO_DATABASE_URL="host=$T/st/kasparro/pg user=kasparro dbname=kasparro" \
		sql "SELECT status FROM kasparro.match_candidates WHERE id = $1"
}
# last_rows_say REGEX: the last three rows, joined, match (the message is
# read once its last row is drawn too, not only the first the wait saw)
last_rows_say() { screen | tail -n 3 | tr '\n' ' ' | tr -s ' ' | grep -Eq -- "$1"; }
running() { kas db status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["running"])'; }

for size in 80x24 200x60; do
	CONSOLE_COLS=${size%x*} CONSOLE_ROWS=${size#*x}
	console_start
	wait_screen "$size: the console is up" '^ connected' 30 || break
	send 3
	wait_screen "$size: the Review screen shows a candidate" '^candidate [0-9]+ · pending' 30 || break
	id=$(screen | sed -n 's/^candidate \([0-9]*\) · pending.*/\1/p')

	kas db stop >/dev/null 2>&1
	send a
	wait_screen "$size: a says the approve was not done: the database is stopped" \
		"^approve $id not done: the private database in"
	# at 80 columns the message wraps onto more rows, nothing cut
	wait_for "$size: ... and how to start it" 10 last_rows_say \
		"approve $id not done: the private database in '[^']*' is stopped; 'db start' starts it"
	expect_no_match "$size: not what the server said as it went" "$(screen)" 'FATAL|terminating connection|closed the connection'
	wait_screen "$size: the status line says the database is stopped, and the command" \
		"^ database stopped — 'db start' starts it"
	wait_no_screen "$size: ... and never that it is connected" '^ connected' 2
	expect_eq "$size: the console did not start the database again" "$(running)" False

	kas db start >/dev/null 2>&1
	expect_eq "$size: the candidate is still pending: the approve did not happen" \
		"$(status_of "$id")" pending
	wait_screen "$size: the console reconnects once the operator started it" '^ connected' 60
	wait_screen "$size: the Review screen is back on the candidate" "^candidate $id · pending" 30
	send a
	wait_screen "$size: now a approves it" "candidate $id approved"
	expect_eq "$size: the database has it approved" \
		"$(status_of "$id")" approved
	kas undo >/dev/null 2>&1 # the same candidate for the next size
	send q
	wait_screen "$size: q quits" 'console exited 0'
	console_stop
done

# What other processes do appears in the console without a keypress
# (LISTEN/NOTIFY), the console follows the terminal's size, and it survives
# the database going away: "disconnected — retrying", then back.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
console_fixture run

console_start
wait_screen "the console shows run 1" '^ +1 succeeded +manual'
kas run >/dev/null 2>&1
wait_screen "a run made in a shell appears without a keypress, untouched" '^!? +2 succeeded +manual' 30
send 6
wait_screen "the Sources screen shows books with 3 records" '^books +csv +full yes +3 '
printf '4,Fourth,Dee\n5,Fifth,Eve\n' >>"$T/fx/books.csv"
kas run books >/dev/null 2>&1
wait_screen "records loaded by a shell command appear on the Sources screen" \
	'^books +csv +full yes +5 +0 +3 succeeded' 30
send 1
wait_screen "the Runs screen caught up while hidden" '^!? +3 succeeded +manual'

resize 100 30
wait_for "at 100x30 the status line is on line 29" 10 \
	sh -c "tmux -u -L '$TMUX_SOCKET' capture-pane -p | sed -n 29p | grep -q '? keys'"
wait_screen "the wider Runs table gains the ERROR column" 'MATCHED ERROR'
resize 80 24
wait_no_screen "back at 80x24 it goes again" 'MATCHED ERROR'
wait_for "and the status line is line 23 again" 10 \
	sh -c "tmux -u -L '$TMUX_SOCKET' capture-pane -p | sed -n 23p | grep -q '? keys'"
send q
wait_screen "q quits" 'console exited 0'
console_stop

# the private cluster, stopped and started under the console
unset KASPARRO_DATABASE_URL
export XDG_STATE_HOME="$T/st"
at_exit '"$BIN" db stop >/dev/null 2>&1'
kas run >/dev/null 2>&1 || not_ok "a run on the private cluster"
console_start
wait_screen "the console on the private cluster" '^ +1 succeeded +manual'
kas db stop >/dev/null 2>&1
wait_screen "a stopped database shows as stopped, with the command that starts it" \
	"database stopped — 'db start' starts it" 10
send 6
wait_screen "keys still work without the database" 'Sources'
wait_no_screen "libpq's notices never reach the screen" 'FATAL|terminating connection|server closed' 2
resize 200 24 # the message names a long folder
send :
send_text 'approve 1'
send Enter
wait_screen "an action that fails because of it says so, and that it was not done" \
	"^approve 1 not done: the private database in '.*' is stopped; 'db start' starts it"
send 1
send r
wait_screen "so does a run" "^run not started: the private database in '.*' is stopped; 'db start'"
resize 80 24
expect_eq "and nothing the console did started the database again" \
	"$(kas db status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["running"])')" False
kas db start >/dev/null 2>&1
wait_screen "it reconnects by itself when the database is back" '^ connected' 60
send 1
wait_screen "and reloads what it shows" '^ +1 succeeded +manual'
kas run >/dev/null 2>&1
wait_screen "notifications work again after the reconnect" '^!? +2 succeeded +manual' 30
send q
wait_screen "q quits" 'console exited 0'

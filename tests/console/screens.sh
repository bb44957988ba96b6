# The console opens on a database with data, shows every screen, lists its
# keys on ?, and quits on q.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
console_fixture run

console_start
wait_screen "the tab bar lists the eight screens" \
	'1 Runs +2 Schedule +3 Review +4 Entities +5 Deleted +6 Sources +7 Log +8 Audit'
wait_screen "the Runs screen shows the run" '^ +1 succeeded +manual .* 5 +5 '
wait_screen "the status line says the database is connected" '^ connected .*\? keys'

send 2
wait_screen "2 shows the Schedule screen" 'Schedule|schedule'
send 3
wait_screen "3 shows the Review screen" 'queue|Review'
send 4
wait_screen "4 shows the Entities screen" 'Entities ·|no entities'
send 5
wait_screen "5 shows the Deleted screen" 'delete'
send 6
wait_screen "6 shows the Sources screen" '^books +csv +full yes +3 '
wait_screen "... with both sources" '^notes +csv +full yes +2 '
send j
wait_screen "j selects the next source, whose detail shows" '^notes · csv, full sync'
wait_screen "... its file, whose delimiter is found in it (none is set)" \
	'^  file .*notes\.csv · delimiter from the fil'
send h
wait_screen "h lists the runs that read the source, in the pager" '^ +runs --source notes +1-'
wait_screen "... the run with the source's own status" '^ +1 +succeeded +[0-9-]+ [0-9:]+ '
expect_match "... leaving out what show-run has: who started it, SECONDS, the unchanged counts" \
	"$(screen | grep '^RUN ')" '^RUN +STATUS +STARTED \(UTC\) +FETCHED +NEW +BAD +DELETED '
expect_match "... a table: its header one row, the run the next, not wrapped" \
	"$(screen | grep -A1 '^RUN ' | tail -n 1)" '^ +1 +succeeded +[0-9-]+ [0-9:]+ '
send q
send 7
wait_screen "7 shows the Log screen" 'Log: info and above'
wait_screen "the log has the console's start" 'info .*console started'
send Tab
wait_screen "Tab goes on to the Audit screen" '^Audit · 0 decisions'
wait_screen "... which says how to make one" '^no decisions yet'
send f
send_text split
send Enter
wait_screen "kept to one action, it says that none has it" '^no split decisions$'
send f Enter
wait_screen "... and every action again" '^no decisions yet'
send Tab
wait_screen "Tab wraps around to Runs" '^ +1 succeeded +manual'
send BTab
wait_screen "BTab goes back to Audit" '^Audit · 0 decisions'
send BTab
wait_screen "... and to Log" 'Log: info and above'
send 1
send '?'
wait_screen "? lists this screen's keys (at 80 columns, without their commands)" 'runs +Enter +the run in detail *$'
send G
wait_screen "... and the global ones (G goes to the end)" 'global +q +quit'
send q
wait_screen "q closes the key list" '^ +1 succeeded +manual'
send Enter
wait_screen "Enter shows the run in detail" 'run 1: succeeded, manual by'
send Escape
send x
wait_screen "an unbound key says so" 'x is not bound here; \? lists the keys'
send q
wait_screen "q quits" 'console exited 0'

# colour, and none with NO_COLOR (the same meaning in bold and reverse)
console_stop
console_start
wait_screen "the console is up again" '^ connected'
colours() { tm capture-pane -p -e | grep -c "$(printf '\033')\\[[0-9;]*[34][0-7][;m]"; }
expect_match "it uses colour on a colour terminal" "$(colours)" '^[1-9]'
send q
wait_screen "q quits" 'console exited 0'
console_stop
NO_COLOR=1 console_start
wait_screen "the console is up with NO_COLOR" '^ connected'
expect_eq "no colour with NO_COLOR" "$(colours)" 0
# (on a screen without a selected row: capture-pane -e only prints changes)
send 2
reverse_status() {
	e=$(printf '\033')
	tm capture-pane -p -e | grep -Eq "$e\\[[0-9;]*7m($e\\[[0-9;]*m)* connected"
}
wait_for "reverse video still marks the status line" 10 reverse_status

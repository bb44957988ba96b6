# The mouse: the console asks the terminal for mouse reports; a click on a
# row selects it and the wheel moves the selection three rows a notch (what
# y then copies shows where the selection is). `mouse = no` in the
# configuration, read again with :reload, gives the mouse back to the
# terminal. The reports are sent as a terminal sends them (xterm's X10
# encoding, which TERM=screen declares). At 80x24 and at 200x60.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
console_fixture run

# report BUTTON X Y: a mouse report for button code BUTTON at cell (X, Y), 0-based
report() { tm send-keys -H 1b 5b 4d "$(printf %x $((32 + $1)))" "$(printf %x $((33 + $2)))" "$(printf %x $((33 + $3)))"; }
click() { report 0 "$1" "$2"; report 3 "$1" "$2"; }
# row_of REGEX: the 0-based screen row of the first line matching REGEX
row_of() { screen | grep -nE -- "$1" | head -n 1 | cut -d: -f1 | awk '{ print $1 - 1 }'; }
mouse_flag() { [ "$(tm display -p '#{mouse_standard_flag}')" = "$1" ]; }

for size in 80x24 200x60; do
	CONSOLE_COLS=${size%x*} CONSOLE_ROWS=${size#*x}
	sed -i '/^mouse = /d' "$CONF"
	console_start
	wait_screen "$size: the console is up" '^ connected' 30 || break
	wait_for "$size: the console asks the terminal for mouse reports" 10 mouse_flag 1

	send 6
	wait_screen "$size: Sources lists the sources" '^notes +csv' 30
	click 3 "$(row_of '^notes +csv')"
	send y
	wait_screen "$size: a click selects the row clicked" 'copied notes to the clipboard'
	click 3 "$(row_of '^books +csv')"
	send y
	wait_screen "$size: ... and another" 'copied books to the clipboard'

	send 4
	wait_screen "$size: Entities lists the entities" 'hello-001' 30
	fourth=$(screen | grep -E '^ *[0-9]+ [a-z]' | sed -n 4p | awk '{ print $2 }')
	send g
	report 65 10 "$(row_of 'hello-001')"
	send y
	wait_screen "$size: a notch of the wheel moves the selection three rows down" "copied $fourth to the clipboard"
	report 64 10 "$(row_of 'hello-001')"
	send y
	wait_screen "$size: ... and up" 'copied hello-001 to the clipboard'

	sed -i 's/^\[kasparro\]$/[kasparro]\nmouse = no/' "$CONF"
	send :
	send_text reload
	send Enter
	wait_screen "$size: the configuration is read again" 'configuration reloaded'
	wait_for "$size: mouse = no gives the mouse back to the terminal" 10 mouse_flag 0
	send q
	wait_screen "$size: q quits" 'console exited 0'
	console_stop
done

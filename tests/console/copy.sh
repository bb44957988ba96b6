# y copies the selected row's id to the terminal's clipboard with OSC 52:
# tmux, with set-clipboard on, keeps what the console sent as a paste
# buffer (show-buffer reads it back). The message line says what was
# copied; Sources copies the name and Entities the key, which are what one
# types. `clipboard = off` in the configuration sends nothing and says so.
# At 80x24 and at 200x60.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
console_fixture run

# buffer_is TEXT: tmux's newest paste buffer holds exactly TEXT
buffer_is() { [ "$(tm show-buffer 2>/dev/null)" = "$1" ]; }

for size in 80x24 200x60; do
	CONSOLE_COLS=${size%x*} CONSOLE_ROWS=${size#*x}
	sed -i '/^clipboard = /d' "$CONF"
	console_start
	tm set -s set-clipboard on
	wait_screen "$size: the console is up" '^ connected' 30 || break

	wait_screen "$size: Runs lists the run" '^ +1 succeeded' 30
	send y
	wait_screen "$size: y on Runs says it copied the run's id" 'copied 1 to the clipboard'
	wait_for "$size: ... and the terminal (tmux) received it" 10 buffer_is 1

	send 6
	wait_screen "$size: Sources lists the sources" '^notes +csv' 30
	# the list's last row; G selects it, and the detail below the list
	# names the selected source: wait for it before copying
	name=$(screen | sed -n 's/^\(notes\|books\) \+csv .*/\1/p' | tail -n 1)
	send G
	wait_screen "$size: G selects the last source, $name" "^$name · csv"
	send y
	wait_screen "$size: y on Sources copies the selected source's name" "copied $name to the clipboard"
	wait_for "$size: ... which tmux received" 10 buffer_is "$name"

	send 4
	wait_screen "$size: Entities lists the entities" 'hello-001' 30
	send g
	send y
	wait_screen "$size: y on Entities copies the entity's key, the id one types" \
		'copied hello-001 to the clipboard'
	wait_for "$size: ... which tmux received" 10 buffer_is hello-001

	sed -i 's/^\[kasparro\]$/[kasparro]\nclipboard = off/' "$CONF"
	while tm delete-buffer 2>/dev/null; do :; done # every buffer
	send :
	send_text reload
	send Enter
	wait_screen "$size: the configuration is read again" 'configuration reloaded'
	send y
	wait_screen "$size: with clipboard = off, y says copying is off" \
		'copy: copying is off \(clipboard = off in the configuration\)'
	check "$size: ... and sends nothing" sh -c "! tmux -u -L '$TMUX_SOCKET' show-buffer"

	send q
	wait_screen "$size: q quits" 'console exited 0'
	console_stop
done

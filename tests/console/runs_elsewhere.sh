# A run another process carries (here a shell's `kasparro run`) has the
# same live board on the Runs screen as one the console started: its
# sources' rows and rates, then matching's phase, read from the database
# on its news (runs.stage/step, run_sources, NOTIFY), not by polling; its
# time moves on while matching takes its time, and the board says how it
# ended. The shell's own live line says the phase too. The board's ticks
# rewrite only what changed: no line is erased and drawn again.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
console_up
big_csv 200000
fixture_source big
hold_table "another session holds the match candidates against writers" match_candidates SHARE
tm new-window -d -n shell "env TERM=screen LC_ALL=C.UTF-8 sh -c '\"$BIN\" -c \"$CONF\" run >/dev/null'; echo shell exited \$?; exec sleep 600"
shell_screen() { tm capture-pane -p -t shell; }
wait_screen "run 2, started in a shell, has a board in the console" \
	'^Run 2 running · manual by [^ ]+ · (sources|dedup)' 30
wait_screen "... with its sources' rows: big's records and rate" \
	'^  big +(fetching|done|succeeded) .* [0-9]+ rec +[0-9]+/s' 30
wait_screen "the board says what matching does, as the process carrying it wrote it" \
	'^Run 2 running · manual by [^ ]+ · dedup: writing candidates · ' 60
wait_screen "... and so does the status line" 'run 2: dedup: writing candidates'
wait_for "the shell's live line says the phase too" 10 \
	sh -c "tmux -u -L '$TMUX_SOCKET' capture-pane -p -t shell | grep -q '^run 2: dedup: writing candidates'" ||
	echo "#   $(shell_screen)"
t1=$(screen_value 's/^ *2 running  *manual  *[0-9-]* [0-9:]* *\([0-9.]*[smh][0-9s]*\) .*/\1/p')
wait_screen "run 2's TIME moves on while matching takes its time (was $t1)" \
	"^ *2 running +manual +[0-9-]+ [0-9:]+ +[0-9]" 5
t2=$(screen_value 's/^ *2 running  *manual  *[0-9-]* [0-9:]* *\([0-9.]*[smh][0-9s]*\) .*/\1/p' "$t1")
[ -n "$t2" ] && ok "... it went from $t1 to $t2" || not_ok "run 2's TIME stayed $t1" "$(screen)"

# the board's ticks while nothing but the clock moves: what reaches the terminal
tm pipe-pane -t "$(tm display -p '#{pane_id}')" "cat >'$T/ticks'"
board=$(screen_value 's/^Run 2 running .* · *\([0-9.]*[smh][0-9s]*\)$/\1/p')
wait_no_screen "the board's clock moves on" "^Run 2 running .* · *$board\$" 5
board=$(screen_value 's/^Run 2 running .* · *\([0-9.]*[smh][0-9s]*\)$/\1/p')
wait_no_screen "... and again" "^Run 2 running .* · *$board\$" 5
tm pipe-pane -t "$(tm display -p '#{pane_id}')"
if grep -q "$(printf '\033')\[[0-9]*[JK]\|$(printf '\033')\[[0-9]*X" "$T/ticks"; then
	not_ok "a tick erases nothing" "$(od -c "$T/ticks" | head -20)"
else
	ok "a tick erases nothing ($(wc -c <"$T/ticks") bytes for two ticks)"
fi
[ "$(wc -c <"$T/ticks")" -lt 400 ] && ok "two ticks send under 400 bytes" ||
	not_ok "two ticks send under 400 bytes" "$(od -c "$T/ticks" | head -30)"

release_table
wait_screen "the board says how run 2 ended" '^Run 2 succeeded · manual by [^ ]+ · finished · ' 60
wait_screen "... and the history has it" '^.? +2 succeeded +manual' 10
wait_no_screen "the status line no longer says a run" 'run 2: ' 5
send q
wait_screen "q quits" 'console exited 0'

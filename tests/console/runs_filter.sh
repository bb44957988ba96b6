# On Runs, f keeps the runs of one status (`runs --status`): a line above
# the list says so, the list holds only those runs, a status that is not
# one is refused naming the statuses (on two rows when one is too narrow
# for it, wrapped between words), and f with nothing typed shows every
# run again. `runs --status` refuses the same way. At 80x24 and 200x60.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
# screen_says REGEX: the screen, its rows joined, matches (a message on more
# than one row is read once its last row is drawn too)
screen_says() { screen | tr '\n' ' ' | tr -s ' ' | grep -Eq -- "$1"; }
csv_source_config shop
title_rows 1 3 >"$T/shop.csv"
kas run >/dev/null 2>&1
mv "$T/shop.csv" "$T/shop.away"
kas run >/dev/null 2>&1
mv "$T/shop.away" "$T/shop.csv"
kas run >/dev/null 2>&1
st=$(kas runs --json | python3 -c 'import json,sys; print(" ".join(r["status"] for r in json.load(sys.stdin)))')
expect_eq "three runs, the middle one failed (its file was missing)" "$st" "succeeded failed succeeded"

out=$(kas runs --status sucess 2>&1) && rc=0 || rc=$?
expect_eq "runs --status with a word that is not a status exits 2" "$rc" 2
expect_match "... naming every status" "$out" \
	"'sucess' is not a run status \(running, succeeded, partial, failed, interrupted, abandoned, missed or skipped\)"

for size in 80x24 200x60; do
	CONSOLE_COLS=${size%x*} CONSOLE_ROWS=${size#*x}
	console_start
	wait_screen "$size: the console is up" '^ connected' 30 || break
	wait_screen "$size: Runs lists the three runs" '^ +1 succeeded' 30
	send f
	wait_screen "$size: f asks for a status" 'status \(Enter for all\):'
	send_text failed
	send Enter
	wait_screen "$size: f failed: a line says only failed runs are shown" '^Only failed runs \(f, then Enter, shows all\)'
	wait_screen "$size: ... the failed run is listed" '^ +2 failed'
	wait_no_screen "$size: ... the succeeded ones are not" '^ +[13] succeeded'
	send f
	send_text sucess
	send Enter
	wait_screen "$size: a word that is not a status is refused" 'the Runs screen keeps the runs of one status'
	wait_for "$size: ... the message names every status, nothing cut" 10 screen_says \
		"\(running, succeeded, partial, failed, interrupted, abandoned, missed or skipped\), not 'sucess'"
	if [ "$size" = 80x24 ]; then
		rows=$(screen | tail -n 2)
		expect_match "$size: ... too wide for one row: the message takes two, the status line above" \
			"$(screen | tail -n 3 | head -n 1)" '^ connected'
		whole=0
		for w in running succeeded partial failed interrupted abandoned missed skipped; do
			printf '%s\n' "$rows" | grep -Eq -- "(^|[ (])$w([ ,)]|$)" && whole=$((whole + 1))
		done
		expect_eq "$size: ... wrapped between words: every status whole on one row" "$whole" 8
	fi
	check "$size: ... and the filter stays" sh -c "tmux -u -L '$TMUX_SOCKET' capture-pane -p | grep -Eq '^ +2 failed'"
	send f
	send Enter
	wait_screen "$size: f with nothing typed shows every run again" '^!? +3 succeeded'
	wait_no_screen "$size: ... and the line goes" '^Only failed runs'
	send q
	wait_screen "$size: q quits" 'console exited 0'
	console_stop
done

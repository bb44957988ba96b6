# The Runs screen says how long a run took in as few cells as say it: 42s,
# not 0m42s (the history's TIME, the chart of the last runs, the run in
# progress); and its header's "›", which says columns were left out, is not
# drawn for an ERROR column that no run has anything to put in: at 80
# columns every run succeeded and "›" said something was hidden.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
console_fixture run
kas run >/dev/null 2>&1 || not_ok "run 2 succeeds"
sql "UPDATE kasparro.runs SET finished_at = started_at + interval '42 seconds' WHERE id = 1;
	UPDATE kasparro.runs SET finished_at = started_at + interval '9 minutes 5 seconds' WHERE id = 2" >/dev/null

for size in 80x24 120x30; do
	CONSOLE_COLS=${size%x*} CONSOLE_ROWS=${size#*x}
	console_start
	wait_screen "$size: the Runs screen lists run 1" '^ +1 succeeded ' 30 || break
	wait_screen "$size: a run of 42 seconds took 42s" '^ +1 succeeded .* 42s '
	wait_screen "$size: one of 9 minutes 5 seconds took 9m05s" '^ +2 succeeded .* 9m05s '
	wait_screen "$size: the chart says it so too" '^  time .* last 9m05s · max 9m05s'
	expect_no_match "$size: nothing says 0m42s" "$(screen)" '0m42s'
	wait_screen "$size: the header ends with its last column" '^! RUN STATUS .* MATCHED( ERROR)? *$'
	expect_no_match "$size: ... no › where no column was left out for its values" \
		"$(screen | sed -n '/^! RUN/p')" '›'
	send q
	wait_screen "$size: q quits" 'console exited 0'
	console_stop
done

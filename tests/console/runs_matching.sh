# A run's matching says what it is doing, live, on the run board and the
# status line: its phase (blocking, comparing and scoring N pairs,
# clustering, writing candidates), not only "dedup" beside the sources'
# counts. Here another session holds the match candidates against
# writers, so the run's matching waits in the phase that writes them.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
console_up
printf '4,Hello,Ann\n' >>"$T/fx/books.csv" # a record for run 2 to match
hold_table "another session holds the match candidates against writers" match_candidates SHARE
send r
wait_screen "r starts run 2" '^Run 2 running · manual by '
wait_screen "the board says what matching does, past the phases it went through" \
	'^Run 2 running · manual by [^ ]+ · dedup: (writing candidates|clustering [0-9]+ pairs) · ' 30
wait_screen "... and so does the status line" 'run 2: dedup: (writing candidates|clustering [0-9]+ pairs)'
release_table
wait_screen "run 2 ends once the table is free" '^ +2 succeeded ' 30
wait_no_screen "... and the board no longer says a phase" '^Run 2 .* · dedup: '
send q
wait_screen "q quits" 'console exited 0'

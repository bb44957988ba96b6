# C on the Runs screen with no run in progress says so at once; it used to
# ask "cancel the run in progress? (y/n)" and, on y, say there was none.
# With a run going, its question names the run.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
console_up
send C
wait_screen "C with no run says there is none" '^no run is in progress in this console'
expect_no_match "... without asking first" "$(screen)" '\(y/n\)'

printf '4,Fourth,Dee\n' >>"$T/fx/books.csv" # a record for run 2 to write
hold_table "another session holds the records table against writers" records SHARE
send r
wait_screen "r starts run 2, which waits" '^Run 2 running · manual by '
send C
wait_screen "C asks, naming the run" '^cancel run 2, the run in progress\? \(y/n\)'
send y
wait_screen "y asks it to stop" 'run 2 is stopping'
release_table
wait_screen "run 2 ends interrupted" '^Run 2 interrupted' 30
send q
wait_screen "q quits" 'console exited 0'

# The run this console is doing: its row in the history counts its time as
# the header above it does. The row, as last loaded, used to keep the time
# the run had taken then (0.1s) while a source or matching took its time
# and the header counted on. Here another session holds the records table
# against writers, so the run waits in its first source.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
console_up
printf '4,Fourth,Dee\n' >>"$T/fx/books.csv" # a record for run 2 to write
hold_table "another session holds the records table against writers" records SHARE
send r
wait_screen "r starts run 2, which waits" '^Run 2 running · manual by '
wait_screen "the header counts past 5 seconds" '^Run 2 running · .* · [5-9]\.[0-9]s$' 30
wait_screen "... and so does run 2's row" '^ +2 running .* [5-9]\.[0-9]s +[0-9-]+ '
release_table
wait_screen "run 2 ends once the table is free" '^ +2 succeeded ' 30
send q
wait_screen "q quits" 'console exited 0'

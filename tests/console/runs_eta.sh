# At 80 columns the run board's source row keeps its ETA whole: the
# progress bar takes what the counts and the ETA leave. Here another
# session holds the records table against writers, so the run waits with
# a share of its file read, the ETA growing.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
. "$KASPARRO_TOP/tests/lib/fixtures.sh"
new_db
console_loaded '[matching]' 'enabled = false' # run 1 read the fixture
console_start
wait_screen "the console is up" '^ +1 succeeded '
awk 'BEGIN { print "id,title,author"; for (i = 1; i <= 50000; i++) printf "%d,Title %d,Author %d\n", i, i, i }' \
	>"$T/fx/books.csv"
hold_table "another session holds the records table against writers" records SHARE
send r
wait_screen "r starts run 2, which waits" '^Run 2 running · manual by '
# the ETA grows while the run waits: past a minute it is at its longest
wait_screen "books' row shows the share read and its ETA, whole" \
	'^  books +[a-z]+ .* [0-9]+% +[0-9]+ rec +[0-9]+/s ETA [0-9]+m[0-9][0-9]s *$' 90
release_table
wait_screen "run 2 ends once the table is free" '^.? +2 succeeded ' 60
send q
wait_screen "q quits" 'console exited 0'

# The Runs history keeps its columns where they are as counts grow: a run
# that reads thousands of records after runs of a few keeps every column
# title (and so every column) in place, and so does the next one, which
# finds them all unchanged (SAME) and some changed (UPD). They used to
# take the width of their widest value, and moved sideways each time a
# count in a run (the one in progress) took another digit: FETCHED and NEW
# first, then UPD, SAME and TIME.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
. "$KASPARRO_TOP/tests/lib/fixtures.sh"
new_db
console_loaded '[matching]' 'enabled = false' # run 1 read the fixture
CONSOLE_COLS=120 CONSOLE_ROWS=24
console_start
wait_screen "the Runs screen lists run 1" '^ +1 succeeded ' 30
head=$(screen_value '/^! RUN /p')
awk 'BEGIN { print "id,title,author"; for (i = 1; i <= 23456; i++) printf "%d,Title %d,Author %d\n", i, i, i }' \
	>"$T/fx/books.csv"
kas run >/dev/null 2>&1 || not_ok "run 2 reads 23,456 records"
wait_screen "run 2 shows in the history, its counts five digits long" '^.? +2 succeeded .* 2345[0-9] ' 30
expect_eq "the column titles stay where they were" "$(screen_value '/^! RUN /p')" "$head"
awk 'BEGIN { print "id,title,author"; for (i = 1; i <= 23456; i++) printf "%d,Title %d,Author %d\n", i, i, i % 1000 ? i : i + 1 }' \
	>"$T/fx/books.csv"
kas run >/dev/null 2>&1 || not_ok "run 3 reads them again, 23 changed"
wait_screen "run 3 shows in the history, its SAME five digits long" '^.? +3 succeeded .* 23 +2343[0-9] ' 30
expect_eq "the column titles still stay where they were" "$(screen_value '/^! RUN /p')" "$head"
send q
wait_screen "q quits" 'console exited 0'

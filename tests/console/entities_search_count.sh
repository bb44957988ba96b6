# The Entities screen's search counts as `entities --search` does, up to
# 1,000: a count that stopped there reads "of more than 1,000 entities"
# (the listing's "total" of 1,001 is no count), and a view written with E
# leaves its "total_exact" out with the listing's other counts.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
console_fixture run
sql "INSERT INTO kasparro.entities (key, title, size) SELECT 'harbour-' || g, 'Harbour ' || g, 1
	FROM generate_series(1, 1500) g"
(cd "$T" && console_start)
wait_screen "the console is up" '^ +1 succeeded' 30
send 4
wait_screen "the Entities list" '^ *ID KEY +RECORDS TITLE' 30
send /
send_text harbour
send Enter
wait_screen "a search whose count stopped says so" 'of more than 1,000 entities'
wait_no_screen "... and no count of 1,001" '1,001'
send E
wait_screen "E asks for a file" 'write the rows shown to'
send_text entities.csv
send Enter
wait_for "the view is written" 30 test -s "$T/entities.csv"
expect_no_match "... without the listing's total_exact" "$(head -n 1 "$T/entities.csv")" \
	'(^|,)total_exact(,|$)'
send q
wait_screen "q quits" 'console exited 0'

# Tab completes a record named SOURCE/ID, as detail, show-record, restore
# and split take it: a record argument offers each source with its '/', and
# after the '/' the ids of that source, looked up off the UI thread (the
# first 200 that start with what is typed) and completed when they arrive;
# a source without records completes to nothing, without an error.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
console_fixture
fixture_source big
big_csv 1000
kas run >/dev/null 2>&1 || not_ok "kasparro run loads the fixture"

CONSOLE_COLS=120 console_start
wait_screen "the console is up" '^ +1 succeeded +manual'

send :
send_text 'detail '
send Tab
wait_screen "a record argument offers the sources with their '/'" '^ .*big/ +books/ +notes/'
send_text 'bo'
send Tab
wait_screen "a source name completes with its '/'" '^:detail books/$'
wait_cursor "and no space after it" "14 23"
send Tab
wait_screen "the next Tab lists that source's ids" '^ *books/1 +books/2 +books/3 *$'
wait_screen "and the line keeps what was typed" '^:detail books/$'
send_text 3
send Tab
wait_screen "an id completes" '^:detail books/3$'
wait_cursor "with a space after it" "16 23"

send C-u
send_text 'show-record notes/n'
send Tab
wait_screen "ids that start with what is typed: a notes id" '^ *notes/n1 +notes/n2 *$'
send_text 2
send Tab
wait_screen "show-record completes SOURCE/ID too" '^:show-record notes/n2$'
send Enter
wait_screen "and the record it names is shown" 'Note two'
send q

send :
send_text 'restore big/99'
send Tab
wait_screen "a source of 1000 records: the ids that start with 99" \
	'^ *big/99 +big/990 +big/991 +big/992 +big/993 +big/994 +big/995 +big/996 +big/997 +big/998 +big/999 *$'
send C-u
send_text 'restore big/'
send Tab
wait_screen "the whole source: the first ids in order, not all 1000" '^ *big/1 +big/10 +big/100 +big/1000 +big/101 '
send C-u
send_text 'restore big/5'
send Tab
wait_screen "a longer prefix than a cut-short list asks again" '^ *big/5 +big/50 +big/500 +big/501 '
send C-u
# the records held: the lookup waits, so its question shows on the screen
# until the answer comes, and what the screen shows then is the answer's
hold_table "another session holds the records" records
send_text 'restore nosuch/'
send Tab
wait_screen "a source without records: its ids are looked up" 'looking up the ids of nosuch\.\.\.'
release_table
wait_no_screen "... and the answer comes" 'looking up the ids of nosuch'
expect_no_match "it completes to nothing, and says nothing is wrong" "$(screen)" \
	'no ids of|nosuch/[^ ]|(big|books|notes)/'
wait_screen "the line keeps what was typed" '^:restore nosuch/$'
send C-c

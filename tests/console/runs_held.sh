# The Runs screen says that a run's deletions were held and how many
# (DEL said 0), and once an operator decided, what became of them: DEL
# "discarded", and the error, which told how to decide, says so as
# show-run does; so does the panel above, which shows how the console's
# last run ended. At 200x30, and at 80x24 (DEL at the least).
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
console_fixture run
# run 2, from the console: the notes come back empty; the guard holds
# their 2 deletions
printf 'id,title,author\n' >"$T/fx/notes.csv"
CONSOLE_COLS=200 CONSOLE_ROWS=30
console_start
wait_screen "200x30: the console is up" '^ +1 succeeded' 30
send :
send_text "run notes"
send Enter
wait_screen "run 2 says held 2" '^ +2 partial .* held 2 ' 30
expect_eq "... as the database has it" \
	"$(sql "SELECT held_deletes FROM kasparro.run_sources WHERE run_id = 2")" 2
wait_screen "... its error says they are held" \
	"^ +2 partial .* notes: deletions held: the source returned no records"
wait_screen "... and so does the panel of the run's end" \
	"^  notes: deletions held: the source returned no records"
send :
send_text "discard-deletes 2"
send Enter
wait_screen "the operator discards them from the console" 'discarded the deletions run 2 held'
wait_screen "run 2's DEL then says discarded" '^ +2 partial .* discarded +[0-9]+/[0-9]+ +notes: '
wait_screen "... and its error what became of them" \
	'^ +2 partial .* notes: the held deletions were discarded by [^ ]+ at [0-9T:-]+Z: nothing wa'
wait_screen "... so does the panel" '^  notes: the held deletions were discarded by '
wait_no_screen "... nothing says they are held any more" "deletions held:"
console_stop

CONSOLE_COLS=80 CONSOLE_ROWS=24
console_start
wait_screen "80x24: DEL says discarded" '^ +2 partial .* discarded( |$)' 30
console_stop
kas run notes >/dev/null 2>&1
console_start
wait_screen "80x24: run 3 holds them again: DEL held 2" '^ +3 partial .* held 2( |$)' 30

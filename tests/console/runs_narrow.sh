# The Runs screen at 80 columns leaves columns out as `kasparro runs` does
# on a terminal, by rank: TRIGGER, UPD and SAME first, then TIME and
# MATCHED, so that ERROR keeps room for the start of the error and a long
# DEL ("1, held 2") pushes no count off the edge. It used to draw columns
# from the left until one did not fit: ERROR never showed at 80 columns,
# and a long DEL pushed MATCHED off too. A held read's error names the
# commands that decide as the console types them ('apply-deletes 2', not
# 'kasparro apply-deletes 2') in the list, in show-run and on the Sources
# screen; a shell keeps 'kasparro apply-deletes 2'. At 100 columns, where
# ERROR had some 18 cells and showed 'notes: deletion…', the optional
# columns leave for the clause that says what to do, since that lets it
# show; at 80, where even that would not, they stay.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
. "$KASPARRO_TOP/tests/lib/fixtures.sh"
new_db
console_loaded '[deletes]' 'max_ratio = 0.5' # run 1 read the fixture
# run 2: books loses one record of three (deleted); notes comes back empty
# (the guard holds its two deletions)
printf 'id,title,author\n1,Hello,Ann\n2,Zürich 東京,Bob\n' >"$T/fx/books.csv"
printf 'id,title,author\n' >"$T/fx/notes.csv"
kas run >/dev/null 2>&1
expect_eq "run 2 deleted one of books and held two of notes" \
	"$(sql "SELECT string_agg(source || ':' || soft_deleted || ':' || held_deletes, ' ' ORDER BY source) FROM kasparro.run_sources WHERE run_id = 2")" \
	"books:1:0 notes:0:2"
expect_match "the shell's runs names 'kasparro apply-deletes 2'" "$(kas runs)" \
	"notes: deletions held: .*; 'kasparro apply-deletes 2' or 'kasparro discard-deletes 2'$"
expect_match "... and so does its show-run" "$(kas show-run 2)" \
	"^notes: deletions held: .*; 'kasparro apply-deletes 2' or 'kasparro discard-deletes 2'$"

CONSOLE_COLS=80 CONSOLE_ROWS=24
console_start
wait_screen "80x24: the Runs screen lists run 2" '^ +2 partial ' 30
wait_screen "the header keeps DEL, MATCHED and ERROR; TRIGGER, UPD and SAME left out" \
	'^! RUN STATUS +STARTED +(TIME +)?FETCHED +NEW +BAD +DEL MATCHED ERROR *$'
wait_screen "run 2: its DEL whole, its MATCHED, and the start of its error" \
	'^ +2 partial .* 1, held 2 +0/0 notes: deletio'
wait_screen "a run without an error has its MATCHED too" '^ +1 succeeded .* +0 +0/0 *$'
expect_no_match "... nothing cut at the edge" "$(screen | sed -n '/^! RUN/p')" '›'
console_stop

CONSOLE_COLS=100 CONSOLE_ROWS=24
console_start
wait_screen "100x24: the Runs screen lists run 2" '^ +2 partial ' 30
wait_screen "run 2's error ends with what to do, whole" \
	"^ +2 partial .* 1, held 2 .*'apply-deletes 2' or 'discard-deletes 2' *\$"
wait_screen "the optional columns left for it, DEL and ERROR kept" \
	'^! RUN STATUS +STARTED +FETCHED +NEW +BAD +DEL ERROR *$'
expect_no_match "... and it is not cut before that clause" "$(screen)" '^ +2 partial .*… *$'
console_stop

CONSOLE_COLS=200 CONSOLE_ROWS=30
console_start
wait_screen "200x30: every column has room" \
	'^! RUN STATUS +TRIGGER STARTED +TIME +FETCHED +NEW +UPD +SAME +BAD +DEL MATCHED ERROR *$' 30
wait_screen "run 2's error says the hold in the console's words" \
	"^ +2 partial .* notes: deletions held: the source returned no records"
expect_no_match "... with no 'kasparro' before a command" "$(screen)" "'kasparro "
send Enter
wait_screen "show-run names the commands as the console types them" \
	"^notes: deletions held: .*; 'apply-deletes 2' or 'discard-deletes 2' *$"
expect_no_match "... and nowhere 'kasparro '" "$(screen)" "'kasparro "
send q
send 6
wait_screen "the Sources screen lists notes" '^ *notes '
send :
send_text 'sources notes'
send Enter
wait_screen "the source in detail: its last run's error as the console types it" \
	"^  error: deletions held: .*; 'apply-deletes 2' or 'discard-deletes 2' *$"
expect_no_match "... and nowhere 'kasparro '" "$(screen)" "'kasparro "
console_stop

# A record in detail stays open while its key asks, and after "no": x asks
# before splitting, and n (or Escape) used to close the detail with the
# question, the record gone from under the operator who had said no. It
# closes once the answer's command went ahead. r on a live record says it
# is live, at once; it used to ask "restore record N? (y/n)" and then say
# it was not deleted, and the title offered "r restore" on every record.
# X asks for a reason: Escape keeps the detail too. At 80x24 and 200x60.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
sample_queued
status() { sql "SELECT status FROM kasparro.match_candidates WHERE id = $1"; }
detail_open() { screen | grep -q "^record $1 · "; }

for size in 80x24 200x60; do
	CONSOLE_COLS=${size%x*} CONSOLE_ROWS=${size#*x}
	console_start
	wait_screen "$size: the console is up" '^ connected' 30 || break
	send 3
	wait_screen "$size: a pair is selected" '^candidate [0-9]+ · pending' 30 || break
	cand=$(screen_value 's/^candidate \([0-9]*\) · pending.*/\1/p')
	a=$(sql "SELECT rec_a FROM kasparro.match_candidates WHERE id = $cand")
	send d
	wait_screen "$size: d shows record A, live" "^record $a · [a-z-]+ '[^']+' · live\$"
	wait_screen "$size: ... titled with the keys that act on a live record, r not among them" \
		"^ record $a: x split, a approve, X reject the pair "

	send r
	wait_screen "$size: r on a live record says it is live" "^record $a is live: nothing to restore"
	expect_no_match "$size: ... without asking to restore it" "$(screen)" 'restore record [0-9]+\?'
	check "$size: ... and the detail stays open" detail_open "$a"

	send x
	wait_screen "$size: x asks before splitting" "^split record $a out of [a-z0-9-]+\\? \\(y/n\\)"
	check "$size: ... with the record still shown" detail_open "$a"
	send n
	wait_no_screen "$size: n answers" 'out of [a-z0-9-]+\? \(y/n\)'
	check "$size: ... and leaves the record in detail" detail_open "$a"
	send x
	wait_screen "$size: x asks again" "^split record $a out of [a-z0-9-]+\\? \\(y/n\\)"
	send Escape
	wait_no_screen "$size: Escape answers no" 'out of [a-z0-9-]+\? \(y/n\)'
	check "$size: ... and leaves the record in detail too" detail_open "$a"

	send X
	wait_screen "$size: X asks for a reason" "^reason for rejecting $cand \\(Enter for none\\):"
	send Escape
	wait_no_screen "$size: Escape abandons the reason" '^reason for rejecting'
	check "$size: ... and the detail stays" detail_open "$a"
	expect_eq "$size: the pair is still pending" "$(status "$cand")" pending

	send X
	wait_screen "$size: X again" "^reason for rejecting $cand \\(Enter for none\\):"
	send_text 'not the same'
	send Enter
	wait_screen "$size: a reason given rejects the pair" "candidate $cand rejected"
	wait_no_screen "$size: ... and closes the detail" "^record $a · "
	expect_eq "$size: the database has it rejected" "$(status "$cand")" rejected
	kas undo >/dev/null 2>&1 # the same pair for the next size
	send q
	wait_screen "$size: q quits" 'console exited 0'
	console_stop
done

# The console an operator can trust, at 80x24 and at 200x60: a resize or
# C-l repaints the whole terminal; ids are never cut; the Review screen says
# when fields did not fit and totals every field; an undo puts the cursor
# back on the pair it brought back; a key bound with {id} acts on the row
# selected when it is pressed; the Audit screen lists decisions and undoes
# one; Entities offers the selected member to split; a run refused because
# another process holds the run lock says so; the bulk question states its
# threshold as typed.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
sample_config
# a queue to review; two more compared fields (seven in all) and a field
# name longer than twelve cells
sed -i 's/^auto = .*/auto = 0.99999/; s/^review = .*/review = 0.05/
	s/^description = text/article_description = text/; s/= description$/= article_description/
	s/^compare\.description = \(.*\)/compare.article_description = \1\
compare.category = exact\
compare.content = jaccard/' "$CONF"
# ids as long as a big installation's
kas db migrate >/dev/null 2>&1
sql "SELECT setval('kasparro.records_id_seq', 3362000), setval('kasparro.match_candidates_id_seq', 1205000)" >/dev/null
kas run >/dev/null 2>&1
fields=$(kas show-match --json "$(sql "SELECT min(id) FROM kasparro.match_candidates")" |
	python3 -c 'import json,sys; print(len(json.load(sys.stdin)["fields"]))')
expect_eq "the candidates compare seven fields" "$fields" 7
scribble() {
	printf '\033[12;5HSCRIBBLED ON THE TERMINAL' >"$(tm display -p '#{pane_tty}')"
	poll_screen MATCH 'SCRIBBLED' 1
}
# the candidate the Review screen's detail pane shows
selected_candidate() { screen | sed -n 's/^candidate \([0-9]*\) · pending.*/\1/p'; }
selected_is_not() { _c=$(selected_candidate) && [ -n "$_c" ] && [ "$_c" != "$1" ]; }
# the second member the Entities screen lists
second_member() { screen | sed -n 's/^ *\(3362[0-9]*\) \(articles-api\|articles-csv\|partner-feed\) .*/\1/p' | sed -n 2p; }
has_second_member() { [ -n "$(second_member)" ]; }
tabs='^ 1 Runs +2 Schedule +3 Review +4 Entities +5 Deleted +6 Sources +7 Log +8 Audit'

for size in 80x24 200x60; do
	CONSOLE_COLS=${size%x*} CONSOLE_ROWS=${size#*x}
	if [ "$size" = 80x24 ]; then other="120 40"; else other="80 24"; fi
	console_start
	wait_screen "$size: the console is up" '^ connected' || break

	resize $other
	wait_screen "$size: resized to $other, the tab bar is drawn whole" "$tabs"
	wait_screen "$size: ... and the status line" '^ connected .*q quit$'
	resize "$CONSOLE_COLS" "$CONSOLE_ROWS"
	wait_screen "$size: back to $size, the tab bar again" "$tabs"
	wait_screen "$size: ... and the Runs screen's columns" '^! +RUN STATUS +TRIGGER'
	if [ "$size" = 80x24 ]; then
		# columns as wide as their values, not their declared widths: at 80
		# columns DEL and MATCHED used to be left out
		wait_screen "80x24: the Runs screen shows every count, DEL and MATCHED too" \
			'^! +RUN STATUS +TRIGGER +STARTED +TIME +FETCHED +NEW +UPD +SAME +BAD +DEL +MATCHED'
		expect_no_match "80x24: ... and a column with no room for its title is left out, not cut" \
			"$(screen | sed -n '/^! *RUN/p')" 'E…'
	fi
	# in the middle of the screen, where no live figure redraws it; again
	# if the repaint that follows the resize was still under way and wiped it
	wait_for "$size: (another program writes on the terminal)" 30 scribble
	send C-l
	wait_no_screen "$size: C-l repaints every cell" 'SCRIBBLED'
	wait_screen "$size: ... and the screen is whole" "$tabs"

	send 3
	wait_screen "$size: the Review screen" '^Review · [0-9]+ pending'
	wait_screen "$size: candidate ids are shown whole" '^ *1205[0-9]{3} +[01]\.[0-9]'
	expect_no_match "$size: no id is cut" "$(screen | sed -n '4,8p')" '^ *[0-9]*…'
	wait_screen "$size: the selected candidate's records, ids whole" '^A record 3362[0-9]{3} · '
	wait_screen "$size: a field name longer than twelve cells is whole" '^article_description '
	weight=$(screen | sed -n 's/^candidate [0-9]* · .* · weight \([-+][0-9.]*\) bits.*/\1/p')
	wait_screen "$size: the total is every field's, the candidate's weight ($weight)" \
		"^\\(total\\) +\\$weight = p "
	if [ "$size" = 80x24 ]; then
		wait_screen "$size: the fields that do not fit are counted, not dropped" \
			'^… [0-9]+ more fields? \(Enter shows all\) +[-+][0-9]'
	else
		wait_screen "$size: every field fits" '^content '
		wait_no_screen "$size: ... and none is said to be missing" 'more fields?'
	fi

	first=$(selected_candidate)
	send a
	wait_screen "$size: a approves $first" "candidate $first approved"
	wait_no_screen "$size: the cursor moves on" "^candidate $first · "
	send u
	wait_screen "$size: u undoes it and says what came back" \
		"^decision [0-9]+ undone \\(decision [0-9]+\\): approve of candidate $first"
	wait_screen "$size: the cursor is back on the pair that came back" "^candidate $first · pending"

	send :
	send_text "bind -s review y 'echo picked {id}'"
	send Enter
	send y
	wait_screen "$size: a key bound with {id} acts on the selection" "^picked $first\$"
	send j
	# the detail pane follows the cursor once its load arrives: wait for
	# the next pair's own line, not merely for the first one's to go
	wait_for "$size: (the selection moves)" 10 selected_is_not "$first"
	second=$(selected_candidate)
	send y
	wait_screen "$size: ... the one selected when the key is pressed" "^picked $second\$"

	send r
	wait_screen "$size: r asks why" "^reason for rejecting $second"
	send Enter
	wait_screen "$size: $second is rejected" "candidate $second rejected"
	send 8
	wait_screen "$size: the Audit screen lists the decisions with their ids" \
		"^ *[0-9]+ [0-9-]+ [0-9:]+ +[^ ]+ +reject +- candidate $second: "
	wait_screen "$size: ... and which decision undid which" \
		"^ *[0-9]+ [0-9-]+ [0-9:]+ +[^ ]+ +approve +[0-9]+ candidate $first: "
	send g
	send u
	wait_screen "$size: u asks before undoing the selected decision" \
		'^undo decision [0-9]+\? \(y/n\)'
	send y
	wait_screen "$size: ... and undoes it" \
		"^decision [0-9]+ undone \\(decision [0-9]+\\): reject of candidate $second"
	wait_screen "$size: the undo is the newest decision" '^ *[0-9]+ [0-9-]+ [0-9:]+ +[^ ]+ +undo '

	send 4
	wait_screen "$size: Entities, with the selected one's members" \
		'^ *3362[0-9]{3} (articles-api|articles-csv|partner-feed) '
	# read before h j act, once the whole list of members is drawn
	wait_for "$size: (the entity has a second member)" 10 has_second_member
	member=$(second_member)
	send h j
	send x
	wait_screen "$size: x offers the selected member to split" \
		"^split which record out of [a-z0-9-]+\\? $member\$"
	send C-u Tab Tab
	wait_screen "$size: ... and Tab completes the members' ids" "^ *3362[0-9]{3} +3362[0-9]{3}"
	send Escape
	wait_no_screen "$size: Escape closes the line" '^split which record'
	send 3

	send A
	send_text 0.99
	send Enter
	wait_screen "$size: the bulk question states the threshold as typed" \
		'^approve [0-9]+ candidates? with probability 0.99 or more\? \(y/n\)'
	wait_no_screen "$size: ... and the counting line is gone" 'counting the candidates'
	send n

	send 1
	hold_lock "$size: another process holds the run lock" 1801548546
	send r
	wait_screen "$size: r says the run was refused, and why" \
		'^run not started: another run is in progress'
	release_lock
	send q
	wait_screen "$size: q quits" 'console exited 0'
	console_stop
done

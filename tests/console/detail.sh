# The record detail, at 80x24 and at 200x60, on the shipped sample (pairs to
# review, the partner's cut export read with the guard lifted): Enter on
# Deleted, d on Entities (the selected member) and d/D on Review (record A
# and B of the pair) show one record in full — what `show-record` prints:
# fields, payload, entity, pairs, history — and act from there: r restores
# it, x splits it out of its entity (after a question), a approves and X
# rejects the pair it was opened from; acting closes the detail, q closes
# it without acting.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"

is_deleted() { sql "SELECT is_deleted FROM kasparro.records WHERE id = $1"; }
entity_of() { sql "SELECT entity_id FROM kasparro.entity_members WHERE record_id = $1"; }
status() { sql "SELECT status FROM kasparro.match_candidates WHERE id = $1"; }

for size in 80x24 200x60; do
	CONSOLE_COLS=${size%x*} CONSOLE_ROWS=${size#*x}
	new_db "_$CONSOLE_COLS"
	sample_config
	sed -i 's/^auto = .*/auto = 0.99999/; s/^review = .*/review = 0.05/' "$CONF"
	kas run >/dev/null 2>&1
	sed "s|^path = sample/partner.csv\$|path = $T/share/sample/partner-cut.csv|" "$CONF" >"$T/cut.conf"
	"$BIN" -c "$T/cut.conf" run --allow-mass-delete partner-feed >/dev/null 2>&1

	console_start
	wait_screen "$size: the console is up" '^ connected' || break

	# Deleted: Enter shows the record; r restores it, after a question
	send 5
	wait_screen "$size: the Deleted screen lists records" '^Deleted · [0-9,]+ records'
	rec=$(screen_value 's/^ *\([0-9][0-9]*\) partner-feed .*/\1/p')
	send Enter
	wait_screen "$size: Enter shows the record in full" \
		"^record $rec · partner-feed '[^']+' · DELETED at [0-9T:-]+Z by"
	wait_screen "$size: ... its fields" '^Fields$'
	wait_screen "$size: ... titled with its keys" "record $rec: r restore, x split"
	send /
	send_text History
	send Enter
	wait_screen "$size: ... and its history, with the soft delete" '^  [0-9-]+ [0-9:]+  [^ ]+  soft_delete \(run 2\)'
	send r
	wait_screen "$size: r asks first" "^restore record $rec\\? \\(y/n\\)"
	send y
	wait_screen "$size: y restores it from the detail" '^restored 1 record'
	wait_screen "$size: ... saying that its source deletes it again if still missing" \
		'next complete read still lacks it$'
	# wider than 80 columns, the message takes two rows; no pager to close
	expect_no_match "$size: ... on the message line, not in the pager" "$(screen)" 'q closes'
	wait_no_screen "$size: ... and closes the detail" "^record $rec · "
	expect_eq "$size: the database has it live" "$(is_deleted "$rec")" f

	# Entities: d shows the selected member; x splits it out
	send 4
	wait_screen "$size: the Entities screen shows members" '^ *[0-9]+ (articles-api|articles-csv|partner-feed) '
	key=$(screen_value 's/^ *[0-9][0-9]* \([a-z0-9-]*-[0-9][0-9][0-9]\) .*/\1/p')
	member=$(sql "SELECT m.record_id FROM kasparro.entity_members m JOIN kasparro.entities e ON e.id = m.entity_id WHERE e.key = '$key' AND m.live ORDER BY m.record_id LIMIT 1")
	before=$(entity_of "$member")
	[ "$(sql "SELECT count(*) FROM kasparro.entity_members WHERE live AND entity_id = $before")" -ge 2 ] ||
		not_ok "$size: the first entity has members to split"
	send d
	wait_screen "$size: d shows the selected member in full" "^record $member · [a-z-]+ '[^']+' · live\$"
	wait_screen "$size: ... with its entity" "^entity [0-9]+ $key · [0-9]+ live records"
	send q
	wait_no_screen "$size: q closes the detail without acting" "^record $member · "
	expect_eq "$size: nothing was split" "$(entity_of "$member")" "$before"
	send d
	wait_screen "$size: d again" "^record $member · [a-z-]+ '[^']+' · live\$"
	send a
	wait_screen "$size: a, in a detail not opened from a pair, says there is none" 'no candidate here'
	check "$size: ... and the detail stays open" sh -c \
		"tmux -u -L '$TMUX_SOCKET' capture-pane -p | grep -q '^record $member · '"
	send '?'
	wait_screen "$size: ? in a detail lists the record's keys first" \
		'^record +a +approve the pair it was opened from'
	check "$size: ... then the pager's and the global ones, not the screen's" sh -c \
		"tmux -u -L '$TMUX_SOCKET' capture-pane -p | grep -q '^pager ' && ! tmux -u -L '$TMUX_SOCKET' capture-pane -p | grep -q '^entities '"
	send q
	wait_no_screen "$size: q closes the list of keys" '^record +a +approve'
	send d
	wait_screen "$size: shown again" "^record $member · "
	send x
	wait_screen "$size: x asks before splitting" "^split record $member out of $key\\? \\(y/n\\)"
	send y
	wait_screen "$size: y splits it" "record $member split from entity '$key' \\(decision [0-9]+\\)"
	expect_eq "$size: the record is alone in its entity now" \
		"$(sql "SELECT count(*) FROM kasparro.entity_members WHERE live AND entity_id = (SELECT entity_id FROM kasparro.entity_members WHERE record_id = $member)")" 1

	# Review: d shows record A of the pair, a approves the pair
	send 3
	wait_screen "$size: a pair is selected" '^candidate [0-9]+ · pending'
	cand=$(screen | sed -n 's/^candidate \([0-9]*\) · pending.*/\1/p')
	a=$(sql "SELECT rec_a FROM kasparro.match_candidates WHERE id = $cand")
	b=$(sql "SELECT rec_b FROM kasparro.match_candidates WHERE id = $cand")
	send d
	wait_screen "$size: d shows record A" "^record $a · "
	wait_screen "$size: ... saying which keys act on the pair" "record $a: x split, a approve"
	send q
	send D
	wait_screen "$size: D shows record B" "^record $b · "
	send /
	send_text Pairs
	send Enter
	wait_screen "$size: ... with the pair it is in" "^  candidate $cand · pending · p [0-9.]+ · with record $a "
	send a
	wait_screen "$size: a approves the pair from the detail" "candidate $cand approved"
	expect_eq "$size: the database has it approved" "$(status "$cand")" approved
	wait_no_screen "$size: the detail is closed" "^record $b · "
	wait_no_screen "$size: the next pair is selected" "^candidate $cand · "
	# the detail pane shows the next pair once its load arrives: read its
	# own line, not whatever the pane shows as the approved one's goes
	cand=$(screen_value 's/^candidate \([0-9]*\) · pending.*/\1/p' "$cand") ||
		{ not_ok "$size: another pair waits" "$(screen)"; break; }
	a=$(sql "SELECT rec_a FROM kasparro.match_candidates WHERE id = $cand")
	send d
	wait_screen "$size: record A of the next pair" "^record $a · "
	send X
	wait_screen "$size: X asks for a reason" "^reason for rejecting $cand \\(Enter for none\\):"
	send Enter
	wait_screen "$size: ... and rejects the pair" "candidate $cand rejected"
	expect_eq "$size: the database has it rejected" "$(status "$cand")" rejected

	# a detail opened from a record, not a pair, has no pair to approve
	send 5
	wait_screen "$size: back on Deleted" '^Deleted · '
	send Enter
	wait_screen "$size: a deleted record in detail" '· DELETED at '
	send a
	wait_screen "$size: a says there is no pair" 'record [0-9]+: r restore, x split: no candidate here'
	check "$size: ... and leaves the detail open" sh -c \
		"tmux -u -L '$TMUX_SOCKET' capture-pane -p | grep -q '· DELETED at '"
	send q
	wait_no_screen "$size: q closes it" '· DELETED at '
	send q
	wait_screen "$size: q quits" 'console exited 0'
	console_stop
done

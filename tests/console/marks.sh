# Marks (Space), at 80x24 and at 200x60, on the shipped sample (its pairs to
# review, then the partner's cut export read with the guard lifted, so
# records are soft-deleted): Space marks the selected row and moves down, a
# mark column shows them and the headline counts them; a approves the marked
# pairs after ONE question that counts them, as one decision that ONE undo
# reverts; r rejects the marked pairs (one question, then the reason);
# marks outlive a reload for the rows still listed and leave with their
# rows; M marks every row shown (again: none); on Deleted, r restores the
# marked records after one question.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"

status() { sql "SELECT string_agg(status, ' ' ORDER BY id) FROM kasparro.match_candidates WHERE id IN ($1)"; }
pending() { sql "SELECT count(*) FROM kasparro.match_candidates WHERE status = 'pending'"; }
deleted() { sql "SELECT count(*) FROM kasparro.records WHERE is_deleted"; }
# the ids of the marked rows on screen, comma-separated, in screen order
marked_ids() { screen | sed -n 's/^\* *\([0-9][0-9]*\) .*/\1/p' | paste -sd, -; }
has_marks() { [ "$(marked_ids | tr ',' '\n' | grep -c .)" = "$1" ]; }
marks_are() { [ "$(marked_ids)" = "$1" ]; }

for size in 80x24 200x60; do
	CONSOLE_COLS=${size%x*} CONSOLE_ROWS=${size#*x}
	new_db "_$CONSOLE_COLS"
	sample_config
	kas run >/dev/null 2>&1
	n=$(pending)
	[ "$n" -ge 8 ] && ok "$size: the sample has pairs to review ($n)" ||
		not_ok "$size: the sample has pairs to review" "pending $n"

	console_start
	wait_screen "$size: the console is up" '^ connected' || break
	send 3
	wait_screen "$size: the Review screen lists the queue" "^Review · $n pending · most uncertain first"
	wait_screen "$size: a candidate is selected" '^candidate [0-9]+ · pending'
	send Space
	wait_screen "$size: Space marks the pair: the headline counts it" "^Review · $n pending · 1 marked · "
	wait_for "$size: ... and a mark column shows it" 10 has_marks 1
	send Space
	wait_screen "$size: Space again marks the next pair (it moved down)" "^Review · $n pending · 2 marked · "
	wait_for "$size: two rows carry the mark" 10 has_marks 2
	ids=$(marked_ids)
	send a
	wait_screen "$size: a asks once, counting the marked pairs" '^approve 2 marked pairs\? \(y/n\)'
	send n
	wait_no_screen "$size: n approves nothing" '\(y/n\)'
	expect_eq "$size: both are still pending" "$(status "$ids")" "pending pending"
	wait_screen "$size: the marks stay after n" "^Review · $n pending · 2 marked · "
	send a
	wait_screen "$size: asked again" '^approve 2 marked pairs\? \(y/n\)'
	send y
	wait_screen "$size: y approves both as one decision" \
		'^2 candidates approved as decision [0-9]+ \(one undo reverts them all\)'
	expect_eq "$size: the database has both approved" "$(status "$ids")" "approved approved"
	wait_no_screen "$size: the marks are gone with their rows" '^Review · [0-9]+ pending · [0-9]+ marked'
	wait_for "$size: no row carries a mark" 10 has_marks 0
	send u
	wait_screen "$size: one undo" 'undone'
	wait_for "$size: ... reverts both" 10 sh -c "[ \"\$(psql -XAtq '$KASPARRO_DATABASE_URL' -c \
		\"SELECT string_agg(status, ' ' ORDER BY id) FROM kasparro.match_candidates WHERE id IN ($ids)\")\" = 'pending pending' ]"
	wait_screen "$size: the queue has them back" "^Review · $n pending · most uncertain first"

	# marks outlive a reload where their rows are still listed
	send g Space
	wait_screen "$size: a pair is marked" "^Review · $n pending · 1 marked · "
	wait_for "$size: (its row carries the mark)" 10 has_marks 1
	one=$(marked_ids)
	other=$(sql "SELECT min(id) FROM kasparro.match_candidates WHERE status = 'pending' AND id <> $one")
	kas reject "$other" >/dev/null 2>&1
	wait_screen "$size: another process decides another pair: the queue reloads" \
		"^Review · $((n - 1)) pending · 1 marked · "
	wait_for "$size: ... and the mark is still on its pair" 10 marks_are "$one"
	send C-l
	wait_screen "$size: a refresh keeps it too" "^Review · $((n - 1)) pending · 1 marked · "
	kas approve "$one" >/dev/null 2>&1
	wait_no_screen "$size: the marked pair decided elsewhere leaves, and its mark with it" \
		'^Review · [0-9]+ pending · [0-9]+ marked'
	n=$(pending)
	wait_screen "$size: the queue counts what is left" "^Review · $n pending · most uncertain"

	# reject the marked: one question, then the optional reason
	send g Space Space
	wait_screen "$size: two pairs marked" "^Review · $n pending · 2 marked · "
	wait_for "$size: (their rows carry the mark)" 10 has_marks 2
	ids=$(marked_ids)
	send r
	wait_screen "$size: r asks once, counting the marked pairs" '^reject 2 marked pairs\? \(y/n\)'
	send y
	wait_screen "$size: then asks for the reason" "^reason for rejecting $(echo "$ids" | tr , ' ') \\(Enter for none\\):"
	send_text 'different articles'
	send Enter
	wait_screen "$size: both are rejected as one decision" '^2 candidates rejected as decision [0-9]+'
	expect_eq "$size: the database has both rejected with the reason" \
		"$(sql "SELECT string_agg(status || ': ' || reason, ', ' ORDER BY id) FROM kasparro.match_candidates WHERE id IN ($ids)")" \
		"rejected: different articles, rejected: different articles"
	n=$(pending)
	wait_screen "$size: the queue lost both, no marks left" "^Review · $n pending · most uncertain"

	# M: every row shown, then none
	send M
	wait_screen "$size: M marks every pair shown" "^Review · $n pending · $n marked · "
	send M
	wait_screen "$size: M again unmarks them" "^Review · $n pending · most uncertain"
	send Space
	wait_screen "$size: Space marks one" "^Review · $n pending · 1 marked · "
	send_text ':mark --none'
	send Enter
	wait_screen "$size: mark --none clears the marks" "^Review · $n pending · most uncertain"

	# Deleted: restore the marked records (the partner's cut export, read
	# with the guard lifted, deletes most of its records)
	sed "s|^path = sample/partner.csv\$|path = $T/share/sample/partner-cut.csv|" "$CONF" >"$T/cut.conf"
	"$BIN" -c "$T/cut.conf" run --allow-mass-delete partner-feed >/dev/null 2>&1
	gone=$(deleted)
	[ "$gone" -ge 3 ] && ok "$size: the cut export deleted records ($gone)" ||
		not_ok "$size: the cut export deleted records" "deleted: $gone"
	send 5
	wait_screen "$size: the Deleted screen counts the deleted records" "^Deleted · $gone records \\("
	send Space Space Space
	wait_screen "$size: three records marked" "^Deleted · $gone records · 3 marked \\("
	wait_for "$size: (their rows carry the mark)" 10 has_marks 3
	recs=$(marked_ids)
	send r
	wait_screen "$size: r asks once, counting the marked records" '^restore 3 marked records\? \(y/n\)'
	send y
	wait_screen "$size: y restores the three" '^restored 3 records'
	wait_screen "$size: ... saying that their source deletes them again if still missing" \
		'next complete read still lacks them$'
	# wider than 80 columns, the message takes two rows; no pager to close
	expect_no_match "$size: ... on the message line, not in the pager" "$(screen)" 'q closes'
	expect_eq "$size: the database has them live" \
		"$(sql "SELECT string_agg(is_deleted::text, ' ') FROM kasparro.records WHERE id IN ($recs)")" \
		"false false false"
	wait_screen "$size: the screen counts the rest, no marks left" "^Deleted · $((gone - 3)) records \\("
	send q
	wait_screen "$size: q quits" 'console exited 0'
	console_stop
done

keys=$(kas keys)
expect_match "the key table lists Space on Review" "$keys" 'review +Space +mark the pair'
expect_match "... and on Deleted" "$keys" 'deleted +Space +mark the record'

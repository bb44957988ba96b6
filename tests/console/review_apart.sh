# The Review screen's pair says what show-match says beyond its numbers:
# the decision that keeps its records apart (a split here: who, when, why,
# and the undo that lets them match), and its note, on rows of their own,
# wrapped rather than cut at 80 columns. The detail showed neither the
# decision nor more of the note than the headline's end left. A queue of
# one pair keeps no empty list rows over it: the pair is whole at 80x24.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
auto_pairs_fixture
key=$(sql "SELECT e.key FROM kasparro.entities e JOIN kasparro.entity_members m ON m.entity_id = e.id AND m.live WHERE m.record_id = $(pair_rec a2)")
check "split b2 from a2's entity" kas split "$key" "$(pair_rec b2)" --reason 'not the same'
c2=$(sql "SELECT id FROM kasparro.match_candidates WHERE rec_a = least($(pair_rec a2), $(pair_rec b2)) AND rec_b = greatest($(pair_rec a2), $(pair_rec b2))")
note=$(sql "SELECT note FROM kasparro.match_candidates WHERE id = $c2")
tail=$(printf '%s\n' "$note" | awk '{ print $(NF - 1), $NF }')
for size in 80x24 120x40; do
	console_stop
	CONSOLE_COLS=${size%x*} CONSOLE_ROWS=${size#*x}
	console_start
	wait_screen "$size: the console is up" '^ +1 succeeded' 30 || continue
	send 3
	send_text "/$c2"
	send Enter
	wait_screen "$size: candidate $c2 is shown" "^candidate $c2 · pending" 30 || continue
	wait_screen "$size: the decision that keeps its records apart, as show-match says it" \
		"^kept apart by decision 1: split by [^ ]+ at [0-9T:-]+Z: not the same;" 10
	wait_screen "$size: ... its undo whole" "'undo 1' lets them be matched again\$" 10
	if [ -n "$note" ]; then
		wait_screen "$size: the note to its end ('$tail')" "$tail\$" 10
	fi
	wait_no_screen "$size: no note cut at the edge" '…$' 5
	# one pair in the queue: the list keeps no empty rows over a pair cut short
	wait_screen "$size: the pair whole, down to its total" '^\(total\) ' 5
	wait_no_screen "$size: ... no field left out" 'more fields' 5
	send q
	wait_screen "$size: q quits" 'console exited 0'
done

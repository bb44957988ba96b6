# The Review screen's list takes the rows the selected pair leaves: on a
# tall terminal it used to keep a third of the pane (18 of the sample's 24
# pairs at 200x60) above a pair that needs a dozen rows, the rest empty.
# At 80x24 the pair is still drawn whole, down to its total.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
sample_queued
pending=$(sql "SELECT count(*) FROM kasparro.match_candidates WHERE status = 'pending'")
[ "$pending" -ge 20 ] || not_ok "the sample leaves 20 pairs or more to review" "$pending pending"
# the pairs the list shows: its rows that start with an id and a probability
pairs_shown() { screen | grep -cE '^ *[0-9]+ [01]\.[0-9]{6} '; }
pairs_at_least() { [ "$(pairs_shown)" -ge "$1" ]; }

CONSOLE_COLS=200 CONSOLE_ROWS=60
console_start
wait_screen "200x60: the console is up" '^ connected' 30
send 3
wait_screen "200x60: the selected pair, whole down to its total" '^\(total\) +[-+][0-9.]+ = p '
wait_for "200x60: the list shows every pair ($pending), in the rows the pair leaves" 10 \
	pairs_at_least "$pending"
send q
wait_screen "200x60: q quits" 'console exited 0'
console_stop

CONSOLE_COLS=80 CONSOLE_ROWS=24
console_start
wait_screen "80x24: the console is up" '^ connected' 30
send 3
wait_screen "80x24: the selected pair down to its total" '^\(total\) +[-+][0-9.]+ = p '
wait_for "80x24: the list shows 6 pairs or more" 10 pairs_at_least 6
send q
wait_screen "80x24: q quits" 'console exited 0'

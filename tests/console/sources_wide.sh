# The Sources screen's detail uses the terminal's width and wraps what is
# wider still onto the next rows, rather than cutting it at the pane's edge:
# the configuration line keeps its id and mapping, the last run's error its
# end (an error names the file first and says what went wrong last), at 160
# columns and at 80 (where the location alone is wider than a row, and
# keeps its end, as before).
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
console_fixture run
long=a-rather-long-folder-name-for-the-files/and-another-level-below-it/notes-not-there.csv
sed -i "s|path = notes.csv|path = $long|" "$CONF"
kas run >/dev/null 2>&1
for cols in 160 80; do
	CONSOLE_COLS=$cols console_start
	wait_screen "$cols columns: the console is up" '^ +2 partial '
	send 6
	wait_screen "... Sources lists notes" '^notes +csv'
	send Down
	wait_screen "... its detail says where it reads" '^notes · csv, full sync'
	wait_screen "... the configuration line keeps its id and mapping, on the next row" \
		'^  .*id id · 2 fields mapped$'
	wait_screen "... the last run's error begins on its row" \
		"^  last run 2: failed: source 'notes': unable to"
	wait_screen "... and its end is on the rows after, not cut" "^  .*directory$"
	# at 80 columns the location alone is wider than a row: it keeps its end
	[ "$cols" = 160 ] && expect_no_match "... nothing is cut with an ellipsis" \
		"$(screen | sed -n '/^notes · csv/,$p')" '…'
	console_stop
done

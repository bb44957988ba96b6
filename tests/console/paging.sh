# Counts that do not lie, at 80x24 and at 200x60: Entities and Deleted say
# how many of how many they show, and moving past the last row loaded loads
# the next page; a held set shows all its records; the pager wraps a long
# line and Right scrolls sideways instead.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
console_fixture
sed -i '/^\[source books\]/,$d' "$CONF" # one source: big
fixture_source big
printf '[matching]\nkey_fields = title\ntitle_field = title\ncompare.title = exact\nblocking = author\n' >>"$CONF"
big_csv 1200
kas run >/dev/null 2>&1
expect_eq "1,200 records make 1,200 entities" "$(kas entities --json --limit 1 |
	python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["total"])')" 1200
# A source that lost most of its records: the guard holds the deletions.
hold() {
	head -101 "$T/fx/big.csv" >"$T/fx/b" && mv "$T/fx/b" "$T/fx/big.csv"
	kas run >/dev/null 2>&1
	held_run=$(sql "SELECT max(run_id) FROM kasparro.pending_deletes")
}
hold

for size in 80x24 200x60; do
	CONSOLE_COLS=${size%x*} CONSOLE_ROWS=${size#*x}
	console_start
	wait_screen "$size: the console is up" '^ connected' || break

	send 4
	wait_screen "$size: Entities counts them all" '^Entities · 500 of 1,200 entities'
	send G
	wait_screen "$size: past the last one loaded, the next page" '^Entities · 1,000 of 1,200 entities'
	send G
	wait_screen "$size: ... and the rest" '^Entities · 1,200 entities'

	send 5
	wait_screen "$size: the held set awaits a decision" '^Held deletions awaiting a decision: 1'
	send h i
	# 1,100 records, their header, and the held set's summary above them (a
	# row at a time where the pane cannot show its reason)
	wait_screen "$size: i shows every record it holds" ' 1-[0-9]+ of 11[01][0-9] +q closes'
	send G
	wait_screen "$size: ... to the last one" ' [0-9]+-([0-9]+) of \1 +q closes'
	send q
	kas apply-deletes --source big "$held_run" >/dev/null 2>&1
	wait_screen "$size: Deleted counts every deleted record" \
		'^Deleted · 1,000 of 1,100 records'
	send G
	wait_screen "$size: past the last one loaded, the rest" '^Deleted · 1,100 records'

	send :
	send_text "echo $(printf 'word%.0s ' $(seq 100))END"
	send Enter
	wait_screen "$size: a long line opens the pager" ' q closes'
	if [ "$size" = 80x24 ]; then
		wait_screen "$size: ... wrapped: its end is in sight" 'END$'
		send Right
		wait_no_screen "$size: Right scrolls sideways instead of wrapping" 'END$'
		send Left
		wait_screen "$size: Left back to the start wraps again" 'END$'
	else
		wait_screen "$size: ... whole" 'word END$'
	fi
	send q
	send q
	wait_screen "$size: q quits" 'console exited 0'
	console_stop
	kas restore --run "$held_run" >/dev/null 2>&1
	hold
done

# Every list narrows and orders: / shows the rows containing a text (case
# and accents ignored, over every row loaded, said above the list with the
# count), Enter on an empty / shows all again, and the filter stays through
# a reload; s orders by the next column, up then down, the title marked.
# On Sources and Runs, which have no filter of their own, and on Review,
# whose f filters by probability; the pager's / still searches. At 80x24
# and at 200x60.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
console_fixture run
fixture_source zurich
printf 'id,title,author\nz1,Grüezi,Ueli\n' >"$T/fx/zurich.csv"
kas run >/dev/null 2>&1

# line_of REGEX: the first screen line matching it (grep -n), or 0
line_of() { screen | grep -nE -- "$1" | head -n 1 | cut -d: -f1 | grep . || echo 0; }
# above REGEX REGEX: both are on the screen, the first above the second (the
# rows are redrawn after the title that says the new order: polled)
above() { _a=$(line_of "$1") _b=$(line_of "$2"); [ "$_a" -gt 0 ] && [ "$_b" -gt 0 ] && [ "$_a" -lt "$_b" ]; }
# first_run_is ID: the first run row on the screen is run ID
first_run_is() { screen | grep -E '^ *[0-9]+ +succeeded' | head -n 1 | grep -Eq "^ +$1 "; }

for size in 80x24 200x60; do
	CONSOLE_COLS=${size%x*} CONSOLE_ROWS=${size#*x}
	console_start
	wait_screen "$size: the console is up" '^ connected' 30 || break
	send 6
	wait_screen "$size: Sources lists the three sources" '^zurich +csv' 30
	send /
	send_text 'ZÜRI'
	send Enter
	wait_screen "$size: / narrows the list to the rows containing the text, case and accents ignored" \
		"^rows containing 'ZÜRI': 1 of 3"
	wait_no_screen "$size: ... the others are not shown" '^(books|notes) +csv'
	check "$size: ... the matching one is" sh -c "tmux -u -L '$TMUX_SOCKET' capture-pane -p | grep -Eq '^zurich +csv'"
	printf 'z2,Chuchichäschtli,Vreni\n' >>"$T/fx/zurich.csv"
	kas run zurich >/dev/null 2>&1
	wait_screen "$size: a reload keeps the filter" '^zurich +csv +full +yes +2 '
	check "$size: ... and its line" sh -c "tmux -u -L '$TMUX_SOCKET' capture-pane -p | grep -q \"^rows containing 'ZÜRI': 1 of 3\""
	send /
	send Enter
	wait_screen "$size: an empty / shows every row again" '^books +csv'
	wait_no_screen "$size: ... and the filter's line goes" '^rows containing'

	send s
	wait_screen "$size: s orders by the first column, the title marked" '^SOURCE▲ '
	wait_for "$size: ... books before zurich" 10 above '^books ' '^zurich ' || screen | sed 's/^/#   /'
	send s
	wait_screen "$size: s again: the other way round" '^SOURCE▼ '
	wait_for "$size: ... zurich before books" 10 above '^zurich ' '^books ' || screen | sed 's/^/#   /'

	send 1
	wait_screen "$size: Runs lists the runs" '^!? +3 succeeded'
	send /
	send_text 'no such run'
	send Enter
	wait_screen "$size: / on Runs" "^rows containing 'no such run': 0 of [0-9]+"
	wait_screen "$size: ... says that no row contains it (not that there are no runs)" \
		"^no row contains 'no such run'"
	send /
	send Enter
	wait_screen "$size: ... and back" '^ +1 succeeded'
	send :
	send_text 'sort run'
	send Enter
	wait_screen "$size: sort names a column by its title" ' RUN▲ '
	wait_for "$size: ... the lowest run first" 10 first_run_is 1 || screen | sed 's/^/#   /'

	send 3
	wait_screen "$size: Review" '^Review'
	send /
	send_text 'no such text anywhere'
	send Enter
	wait_screen "$size: / on Review, whose f filters by probability" \
		"^rows containing 'no such text anywhere': 0 of [0-9]+"
	send /
	send Enter
	wait_no_screen "$size: ... and back" '^rows containing'

	send 7
	wait_screen "$size: Log" 'LEVEL'
	send /
	send_text x
	send Enter
	wait_screen "$size: the Log screen filters by level, and says so" 'not filtered by text'
	send q
	wait_screen "$size: q quits" 'console exited 0'
	console_stop
done

# The Runs screen shows the recent runs at a glance: a chart each of how
# long they took, how many rows a second they read and how long the review
# queue was after them, one cell a run, oldest on the left, each line ending
# with the newest value and the largest; the list of runs stays below. In a
# locale that is not UTF-8 the charts are ASCII. At 80x24 and at 200x60.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
sample_config
kas run >/dev/null 2>&1
kas run >/dev/null 2>&1
# deciding two pairs shortens the queue the next run leaves
for id in $(kas queue --json --limit 2 | python3 -c 'import json,sys; print(" ".join(str(c["id"]) for c in json.load(sys.stdin)))'); do
	kas approve "$id" >/dev/null 2>&1
done
kas run >/dev/null 2>&1
depths=$(kas runs --json | python3 -c 'import json,sys; print(" ".join(str(r["queue_depth"]) for r in reversed(json.load(sys.stdin))))')
set -- $depths
[ $# -eq 3 ] && [ "$1" -gt "$3" ] && ok "runs --json has each run's queue depth ($depths)" ||
	not_ok "runs --json has each run's queue depth" "$depths"
first=$1 last=$3

# chart LABEL: the cells of a chart line (between its label and "last")
chart() { screen | sed -n "s/^  $1 *\(.*[^ ]\) *  last .*/\1/p" | head -n 1; }

for size in 80x24 200x60; do
	CONSOLE_COLS=${size%x*} CONSOLE_ROWS=${size#*x}
	console_start
	wait_screen "$size: the console is up" '^ connected' 30 || break
	wait_screen "$size: the Runs screen titles its charts" '^The last 3 runs, oldest on the left, the selected one marked' 30 || continue
	wait_screen "$size: ... time, with the newest and the largest value" '^  time +[▁▂▃▄▅▆▇█ ]+ +last [0-9.]+s · max [0-9.]+s'
	wait_screen "$size: ... rows a second" '^  rows/s +[▁▂▃▄▅▆▇█ ]+ +last [0-9,]+/s · max [0-9,]+/s'
	wait_screen "$size: ... the queue each run left, newest and largest" \
		"^  queue +[▁▂▃▄▅▆▇█ ]+ +last $last · max $first\$"
	cells=$(chart queue | python3 -c 'import sys; print(" ".join(sys.stdin.read().rstrip("\n")))')
	expect_match "$size: ... one cell a run, the oldest (the longest queue) full height" "$cells" '^█ [▁▂▃▄▅▆▇█] [▁▂▃▄▅▆▇█]$'
	wait_screen "$size: the list of runs stays below the charts" '^!? +3 succeeded'
	send q
	wait_screen "$size: q quits" 'console exited 0'
	console_stop
done

# Not UTF-8: ASCII charts
tm new-session -d -x 80 -y 24 \
	"env TERM=screen LC_ALL=C NO_COLOR=1 INPUTRC=/dev/null '$BIN' -c '$CONF'; echo \"console exited \$?\"; exec sleep 600"
wait_screen "C locale: the charts are drawn in ASCII" '^  queue +[_.:=+*#-]+ +last ' 30
expect_no_match "C locale: ... with no block characters" "$(screen | grep '^  \(time\|rows/s\|queue\) ')" '[▁▂▃▄▅▆▇█]'
send q
wait_screen "C locale: q quits" 'console exited 0'
console_stop

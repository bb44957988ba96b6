# Two schedulers against one database — a daemon and a second daemon, as
# with a daemon and a console — over several fire times: exactly one run per
# fire time, and every fire time accounted for. The clock runs 60 times
# faster, so the every-minute schedule fires every second for both.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/sched.sh"
new_db

small_config "* * * * *"
kas db migrate >/dev/null

fast_clock
"$BIN" -c "$CONF" daemon >"$T/a.log" 2>&1 &
a=$!
"$BIN" -c "$CONF" daemon >"$T/b.log" 2>&1 &
b=$!
at_exit "kill $a $b 2>/dev/null"
wait_count "eight fire times pass" 40 8 \
	"SELECT count(DISTINCT scheduled_for) FROM kasparro.runs WHERE trigger = 'schedule'"
kill -TERM "$a" "$b"
wait "$a"
ra=$?
wait "$b"
rb=$?
expect_eq "both daemons stop cleanly" "$ra $rb" "0 0"

# a fire time one of them claimed just before it stopped is settled by the
# next scheduler to look, so the history has no hole
"$BIN" -c "$CONF" daemon --once 2>>"$T/once.log"
expect_eq "no claim is left unsettled" \
	"$(sql "SELECT count(*) FROM kasparro.scheduler WHERE dispatched_for IS NOT NULL")" 0

expect_eq "no fire time has two rows" \
	"$(sql "SELECT count(*) FROM (SELECT scheduled_for FROM kasparro.runs WHERE trigger = 'schedule' GROUP BY 1 HAVING count(*) > 1) d")" 0
expect_eq "every fire time from the first to the last has its row, none left out" \
	"$(sql "SELECT count(*) = 1 + extract(epoch FROM max(scheduled_for) - min(scheduled_for)) / 60 FROM kasparro.runs WHERE trigger = 'schedule'")" t
expect_eq "no two runs overlapped" \
	"$(sql "SELECT count(*) FROM kasparro.runs x JOIN kasparro.runs y ON x.id < y.id AND x.started_at < y.finished_at AND y.started_at < x.finished_at WHERE x.status = 'succeeded' AND y.status = 'succeeded'")" 0
runs=$(sql "SELECT count(*) FROM kasparro.runs WHERE trigger = 'schedule' AND status = 'succeeded'")
if [ "$runs" -ge 6 ]; then ok "most fire times ran ($runs)"; else not_ok "most fire times ran" "only $runs succeeded"; fi

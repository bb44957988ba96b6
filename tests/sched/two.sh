# Two schedulers against one database — a daemon and a second daemon, as
# with a daemon and a console — over several fire times: exactly one run per
# fire time, and every fire time accounted for. The clock runs 60 times
# faster, so the every-minute schedule fires every second for both. How
# many fire times find a run still going (skipped) depends on how fast the
# machine is, so the test waits for runs that succeed, and checks that
# every fire time that did not run says why.
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
wait_count "eight fire times pass" 120 8 \
	"SELECT count(DISTINCT scheduled_for) FROM kasparro.runs WHERE trigger = 'schedule'"
wait_count "three of them ran to success" 120 3 \
	"SELECT count(*) FROM kasparro.runs WHERE trigger = 'schedule' AND status = 'succeeded'"
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
expect_eq "every fire time that did not run was skipped or missed, saying why" \
	"$(sql "SELECT scheduled_for, status, error FROM kasparro.runs WHERE trigger = 'schedule' AND status NOT IN ('succeeded', 'interrupted') AND NOT (status IN ('skipped', 'missed') AND error ~ '^(skipped|missed): .+')")" ""
expect_eq "a run was interrupted only by the stop, one at the most per daemon" \
	"$(sql "SELECT count(*) <= 2 FROM kasparro.runs WHERE trigger = 'schedule' AND status = 'interrupted'")" t
succeeded=$(sql "SELECT to_char(scheduled_for AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') FROM kasparro.runs WHERE trigger = 'schedule' AND status = 'succeeded'")
said=$(for t in $succeeded; do grep -h "fire time $t" "$T/a.log" "$T/b.log" | grep 'did not start'; done)
expect_eq "neither log says a fire time whose run succeeded did not start" "$said" ""

# The database restarts while the daemon runs: it says so, keeps running,
# reconnects, and the next scheduled run succeeds; fire times that fell due
# during the outage are accounted for. The test runs its own private
# cluster (the shared one must not be stopped) and reaches it as a
# configured server, so only `kasparro db stop/start` moves it.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/sched.sh"

export KASPARRO_PGDATA="$T/pg"
unset KASPARRO_DATABASE_URL
check "a private cluster for this test starts" "$BIN" db start
db() { env -u KASPARRO_DATABASE_URL KASPARRO_PGDATA="$T/pg" "$BIN" db "$1"; }
at_exit "db stop >/dev/null 2>&1" # not through KASPARRO_DATABASE_URL, set below
export KASPARRO_DATABASE_URL="host=$T/pg user=kasparro dbname=kasparro"

small_config "* * * * *"
kas db migrate >/dev/null

fast_clock
"$BIN" -c "$CONF" daemon >"$T/d.log" 2>&1 &
pid=$!
at_exit "kill $pid 2>/dev/null"
# events, each: the daemon is up, then a fire time's run has succeeded (the
# bounds only say when to give up on a machine that is very busy)
wait_for "the daemon starts" 60 grep -q '"daemon started' "$T/d.log"
wait_count "a scheduled run succeeds" 60 1 "SELECT count(*) FROM kasparro.runs WHERE status = 'succeeded'"

# a fire time falling due while the scheduler works (every second, on this
# clock) is no error: it runs at once, not after a minute's back-off
expect_eq "while the database is up, nothing is logged as an error" \
	"$(grep '"level":"error"' "$T/d.log")" ""
check "the database stops" db stop
wait_for "the daemon notices the outage" 30 grep -q '"scheduler: database unreachable, retrying' "$T/d.log"
check "the daemon keeps running without its database" kill -0 "$pid"
check "the database starts again" db start
after_restart=$(date +%s)
wait_for "the daemon reconnects" 60 grep -q '"scheduler: database reachable again"' "$T/d.log"
wait_count "and the next scheduled run succeeds" 60 1 \
	"SELECT count(*) FROM kasparro.runs WHERE status = 'succeeded' AND started_at >= to_timestamp($after_restart)"
check "the daemon is still running" kill -0 "$pid"
kill -TERM "$pid"
wait "$pid"
expect_eq "and stops with exit 0" "$?" 0
expect_eq "every fire time from the first to the last has exactly one row" \
	"$(sql "SELECT count(*) = count(DISTINCT scheduled_for) AND count(*) = 1 + extract(epoch FROM max(scheduled_for) - min(scheduled_for)) / 60 FROM kasparro.runs WHERE trigger = 'schedule'")" t
expect_eq "no run was left running" "$(sql "SELECT count(*) FROM kasparro.runs WHERE status = 'running'")" 0

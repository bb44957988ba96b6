# tests/lib/sched.sh — helpers for the scheduler's tests (tests/sched/*.sh),
# sourced after lib.sh.
#
#   small_config CRON   $T/k.conf with one small CSV source and CRON; sets CONF
#   fast_clock [RATE]   the wall clock runs RATE (default 60) times faster
#                       from about now: at 60 an every-minute schedule fires
#                       every second
#   wait_count DESC SECONDS N QUERY   poll until QUERY's number is >= N
#   tick_daemon         (with api.sh) a new database and a daemon on
#                       small_config "0 3 * * *", /health open and a 1 s
#                       tick (KASPARRO_SCHED_TICK): a pass stuck two seconds
#                       past its start is 'stalled'; returns once /health
#                       says the scheduler is waiting
#   health_is CODE STATE   /health answers CODE, the scheduler in STATE
#   fire_times_fixture  on $CONF with a [scheduler] section "0 */6 * * *",
#                       grace 15m, coalesce on, `daemon --once` at chosen
#                       moments records: run 1 succeeded, 2 missed (found
#                       20 minutes late), 3 skipped (another session held
#                       the run lock), 4 and 5 missed (coalesced into the
#                       fire time of 6), 6 succeeded

small_config() {
	csv_source_config small
	printf '[scheduler]\ncron = %s\n' "$1" >>"$CONF"
	printf 'id,title\n1,a\n2,b\n3,c\n' >"$T/small.csv"
}

fast_clock() {
	KASPARRO_CLOCK_RATE=${1:-60}
	KASPARRO_CLOCK_OFFSET=$(python3 -c 'import sys, time; k = int(sys.argv[1]); r = time.time(); print(int(r - k * r))' "$KASPARRO_CLOCK_RATE")
	export KASPARRO_CLOCK_RATE KASPARRO_CLOCK_OFFSET
}

wait_count() {
	wait_for "$1" "$2" sh -c '[ "$(psql -XAtq "$KASPARRO_DATABASE_URL" -c "$1")" -ge "$2" ]' \
		sh "$4" "$3"
}

tick_daemon() {
	new_db
	small_config "0 3 * * *"
	api_keys
	api_section "open=/health"
	kas db migrate >/dev/null
	export KASPARRO_SCHED_TICK=1
	start_daemon
	wait_for "/health: 200, the scheduler waiting" 60 health_is 200 waiting
}

health_is() {
	req GET /health ""
	[ "$CODE" = "$1" ] && [ "$(jq_ 'd["data"]["scheduler"]["state"]')" = "$2" ]
}

fire_times_fixture() {
	_ft_once() { KASPARRO_NOW="$1" kas daemon --once 2>>"$T/daemon.log"; }
	_ft_once 2026-11-28T10:00:00Z
	_ft_once 2026-11-28T12:05:00Z
	_ft_once 2026-11-28T18:20:00Z
	hold_lock "another session holds the run lock" 1801548546
	_ft_once 2026-11-29T00:05:00Z
	release_lock
	_ft_once 2026-11-29T18:10:00Z
	expect_eq "the fire times were recorded as planned" \
		"$(sql "SELECT string_agg(id || ' ' || status, ', ' ORDER BY id) FROM kasparro.runs")" \
		"1 succeeded, 2 missed, 3 skipped, 4 missed, 5 missed, 6 succeeded"
}

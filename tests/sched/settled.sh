# A fire time is settled once. Its run starts only while the scheduler's
# claim still names it: when another scheduler, finding the claiming
# process gone, records the fire time 'skipped' between the claim and the
# run's first row, the run does not start after all, and the fire time
# keeps that one row (two daemons stopping together under load did write
# both). Interleaved for certain: a session holds kasparro.runs while the
# claiming pass waits to write, settles the fire time as the other
# scheduler would, and lets go.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/sched.sh"
new_db
small_config "0 */6 * * *"
once() { KASPARRO_NOW="$1" kas daemon --once 2>>"$T/daemon.log"; }
fires() {
	sql "SELECT to_char(scheduled_for AT TIME ZONE 'UTC', 'MM-DD\"T\"HH24:MI') || ' ' || status
	     FROM kasparro.runs WHERE trigger = 'schedule' ORDER BY scheduled_for, id" | tr '\n' ' '
}
once 2026-11-28T10:00:00Z
expect_eq "the job is stored, nothing due yet" "$(fires)" ""

# the other scheduler: waits (at most 120 s) for the claim marker, then
# settles the fire time as resolve_marker does for a dead claimer
psql -XAtq -v ON_ERROR_STOP=1 "$KASPARRO_DATABASE_URL" >"$T/other.log" 2>&1 <<'SQL' &
BEGIN;
LOCK TABLE kasparro.runs IN SHARE ROW EXCLUSIVE MODE;
DO $$
DECLARE n int := 0;
BEGIN
  WHILE NOT EXISTS (SELECT 1 FROM kasparro.scheduler WHERE dispatched_for IS NOT NULL) LOOP
    n := n + 1;
    IF n > 2400 THEN RAISE EXCEPTION 'the claim never came'; END IF;
    PERFORM pg_sleep(0.05);
  END LOOP;
END $$;
SELECT pg_sleep(0.5);
UPDATE kasparro.scheduler SET dispatched_for = NULL, dispatched_backend = NULL, dispatched_at = NULL;
INSERT INTO kasparro.runs (trigger, actor, scheduled_for, started_at, finished_at, heartbeat_at,
  status, host, pid, error) VALUES ('schedule', 'scheduler', '2026-11-28 12:00:00+00', now(), now(),
  now(), 'skipped', 'other', 1, 'skipped: the run did not start: the process that claimed it stopped first');
COMMIT;
SQL
other=$!
# the claiming pass starts only once that session holds the table: under
# load, a pass started with it could write its run row first
wait_for "the other session holds kasparro.runs" 60 sql_is \
	"SELECT count(*) FROM pg_locks WHERE relation = 'kasparro.runs'::regclass AND mode = 'ShareRowExclusiveLock' AND granted" 1
once 2026-11-28T12:05:00Z && rc=0 || rc=$?
wait "$other" && orc=0 || orc=$?
expect_eq "the other scheduler settled the fire time while the run was starting" "$orc" 0
expect_eq "the fire time keeps one row, the other scheduler's" "$(fires)" "11-28T12:00 skipped "
expect_eq "no run of the fire time loaded anything" \
	"$(sql "SELECT count(*) FROM kasparro.records")" 0
expect_match "the claiming pass says why its run did not start" "$(cat "$T/daemon.log")" \
	'fire time .*12:00.* was settled by another scheduler while this run started'
expect_eq "the claim marker is gone" \
	"$(sql "SELECT count(*) FROM kasparro.scheduler WHERE dispatched_for IS NOT NULL")" 0

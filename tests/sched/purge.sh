# Retention after scheduled runs: a scheduled run ends by purging records
# soft-deleted longer than keep_deleted ([retention] purge_after_run, on by
# default); a manual run never purges, and neither does a scheduled run
# before the records are old enough. The purge is audited with the
# scheduled run's id. Time is moved with KASPARRO_NOW.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/sched.sh"
new_db

small_config "0 */6 * * *"
printf '[retention]\nkeep_deleted = 90d\n[deletes]\nmax_ratio = 0.5\n' >>"$CONF"
once() { KASPARRO_NOW="$1" kas daemon --once 2>>"$T/daemon.log"; }
at() { when=$1; shift; KASPARRO_NOW=$when kas "$@"; }
kept() { sql "SELECT count(*) FROM kasparro.records WHERE source_id = '3'"; }
last_run() { sql "SELECT max(id) FROM kasparro.runs WHERE status = 'succeeded'"; }

check "a manual run loads three records" at 2026-01-01T01:00:00Z run
printf 'id,title\n1,a\n2,b\n' >"$T/small.csv"
check "the next full read soft-deletes record 3" at 2026-01-01T01:00:00Z run
expect_eq "record 3 is soft-deleted" \
	"$(sql "SELECT is_deleted FROM kasparro.records WHERE source_id = '3'")" t
check "the daemon stores the schedule" once 2026-01-01T01:00:00Z

check "a scheduled run at 06:00" once 2026-01-01T06:01:00Z
expect_eq "it ran as a scheduled run" \
	"$(sql "SELECT trigger FROM kasparro.runs WHERE id = $(last_run)")" schedule
expect_eq "it does not purge a record deleted hours ago" "$(kept)" 1

check "a manual run 100 days later" at 2026-04-11T10:00:00Z run
expect_eq "a manual run never purges" "$(kept)" 1

check "a scheduled run 100 days later" once 2026-04-11T12:01:00Z
run=$(last_run)
expect_eq "that one is scheduled" "$(sql "SELECT trigger FROM kasparro.runs WHERE id = $run")" \
	schedule
expect_eq "and purges the record deleted 100 days before" "$(kept)" 0
expect_eq "the purge is audited with the scheduled run's id and the scheduler as actor" \
	"$(sql "SELECT actor || ' ' || run_id FROM kasparro.audit_log WHERE action = 'purge' AND object_id IS NOT NULL")" \
	"scheduler $run"
expect_eq "the live records are untouched" \
	"$(sql "SELECT count(*) FROM kasparro.records WHERE NOT is_deleted")" 2

# The scheduler's decisions against a real database, with an injected clock
# (KASPARRO_NOW) and `kasparro daemon --once`, which claims what is due at
# that moment, runs it and exits: a restart keeps a due fire time, misfires
# inside and outside grace, coalescing, a fire time during another process's
# run recorded 'skipped', config reloads and `schedule set` that never drop
# a due tick, pause and resume (audited), catch-up without coalesce, and
# three processes racing for each of several fire times.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/sched.sh"
new_db

small_config "0 */6 * * *"
printf 'grace = 15m\ncoalesce = true\n' >>"$CONF"
cat >>"$CONF" <<'CONF'
[source big]
kind = csv
path = big.csv
id = id
enabled = false
map.title = title
CONF
python3 -c '
import sys
with open(sys.argv[1], "w") as f:
    f.write("id,title\n")
    for i in range(300000): f.write("%d,record %d\n" % (i, i))' "$T/big.csv"

once() { KASPARRO_NOW="$1" kas daemon --once 2>>"$T/daemon.log"; }
fires() { # fire time and status of every schedule row, oldest first
	sql "SELECT to_char(scheduled_for AT TIME ZONE 'UTC', 'MM-DD\"T\"HH24:MI') || ' ' || status
	     FROM kasparro.runs WHERE trigger = 'schedule' ORDER BY scheduled_for, id" | tr '\n' ' '
}
anchor() { sql "SELECT to_char(next_fire_at AT TIME ZONE 'UTC', 'MM-DD\"T\"HH24:MI') FROM kasparro.scheduler"; }

expect_exit "a first pass before any fire time exits 0" 0 once 2026-11-28T10:00:00Z
expect_eq "it stores the job with the next fire time after now" "$(anchor)" "11-28T12:00"
expect_eq "and runs nothing" "$(fires)" ""
expect_match "... and its log says nothing was due, and when the next fire time is" \
	"$(tail -n 1 "$T/daemon.log")" '"nothing due: the next fire time is due at 2026-11-28T12:00:00Z"'
json=$(KASPARRO_NOW=2026-11-28T10:00:00Z kas schedule --json)
expect_eq "schedule --json lists the next five fire times" \
	"$(printf '%s' "$json" | python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin)["upcoming"]))')" \
	"2026-11-28T12:00:00Z 2026-11-28T18:00:00Z 2026-11-29T00:00:00Z 2026-11-29T06:00:00Z 2026-11-29T12:00:00Z"

# nothing ran at 12:00 (no process was up); a process starting at 12:05 runs it
once 2026-11-28T12:05:00Z
expect_eq "a restart within grace runs the fire time that fell due while down" "$(fires)" \
	"11-28T12:00 succeeded "
expect_eq "and the anchor moves on" "$(anchor)" "11-28T18:00"

once 2026-11-28T18:20:00Z
expect_eq "found 20 minutes late (grace 15m): recorded missed, not run" "$(fires)" \
	"11-28T12:00 succeeded 11-28T18:00 missed "
expect_match "the missed row says why" \
	"$(sql "SELECT error FROM kasparro.runs WHERE status = 'missed'")" \
	"missed: found 20m after its time, beyond the 15m grace"

# four fire times pass unseen; at 18:10 the next day one run covers them
once 2026-11-29T18:10:00Z
expect_eq "coalesce: one run for the latest, the three before it missed" "$(fires)" \
	"11-28T12:00 succeeded 11-28T18:00 missed 11-29T00:00 missed 11-29T06:00 missed 11-29T12:00 missed 11-29T18:00 succeeded "
expect_eq "each coalesced row names the run's fire time" \
	"$(sql "SELECT count(*) FROM kasparro.runs WHERE error = 'missed: coalesced into the fire time 2026-11-29T18:00:00Z'")" 3

# another process is mid-run when 00:00 falls due: skipped, not queued.
# The run waits at its first batch (another session keeps the writers out
# of kasparro.checkpoints, which every batch writes) until the pass has
# looked: a fast machine loads the big file before the pass starts.
hold_table "(a run's first batch will wait)" checkpoints SHARE
"$BIN" -c "$CONF" run big >"$T/big.out" 2>&1 &
bigpid=$!
wait_count "a manual run of the big source is going" 30 1 \
	"SELECT count(*) FROM kasparro.runs WHERE status = 'running'"
once 2026-11-30T00:01:00Z
release_table
running=$(sql "SELECT id FROM kasparro.runs WHERE trigger = 'manual'")
expect_match "a fire time during another process's run is recorded skipped" "$(fires)" \
	"11-29T18:00 succeeded 11-30T00:00 skipped $"
expect_match "naming the run that was going" \
	"$(sql "SELECT error FROM kasparro.runs WHERE status = 'skipped'")" \
	"^skipped: run $running \\(pid $bigpid on .*\\) was still in progress$"
wait "$bigpid"
expect_eq "the manual run was not disturbed" \
	"$(sql "SELECT status FROM kasparro.runs WHERE id = $running")" succeeded
expect_eq "nothing was queued behind it" "$(anchor)" "11-30T06:00"

# the config changes while 06:00 is due: the due tick is honoured, the times
# after it follow the new expression
sed -i 's|^cron = .*|cron = 30 */6 * * *|' "$CONF"
once 2026-11-30T06:05:00Z
expect_match "a config change does not drop the due fire time" "$(fires)" "11-30T06:00 succeeded $"
expect_eq "the next fire time follows the new expression" "$(anchor)" "11-30T06:30"

# set, from a shell: recomputed from now when nothing is due
out=$(KASPARRO_NOW=2026-11-30T06:10:00Z kas schedule set '*/20 * * * *')
expect_match "schedule set confirms and names the next fire time" "$out" \
	"schedule set to '\*/20 \* \* \* \*' \(UTC\); next fire time 2026-11-30T06:20:00Z"
expect_eq "the anchor is recomputed from now" "$(anchor)" "11-30T06:20"
# ... and honours a due one
KASPARRO_NOW=2026-11-30T06:25:00Z kas schedule set '0 0 * * *' >/dev/null
expect_eq "set while a fire time is due keeps it" "$(anchor)" "11-30T06:20"
once 2026-11-30T06:26:00Z
expect_match "and the due fire time runs" "$(fires)" "11-30T06:20 succeeded $"
expect_eq "then the new expression takes over" "$(anchor)" "12-01T00:00"
once 2026-11-30T07:00:00Z
expect_eq "an unchanged config file does not undo 'schedule set'" \
	"$(sql "SELECT cron FROM kasparro.scheduler")" "0 0 * * *"
expect_eq "set is audited with the expression before and after" \
	"$(sql "SELECT actor = '$(id -un)', before->>'cron', after->>'cron' FROM kasparro.audit_log WHERE action = 'schedule.set' ORDER BY id LIMIT 1" | tr '|' ' ')" \
	"t 30 */6 * * * */20 * * * *"
expect_exit "an invalid expression is refused (exit 2)" 2 kas schedule set '0 */6 * *'
expect_match "naming the field at fault" "$(kas schedule set '61 * * * *' 2>&1)" \
	"cron '61 \* \* \* \*': minute: 61 is out of range 0-59"
expect_match "an unknown time zone is refused" \
	"$(kas schedule set '0 0 * * *' --timezone Mars/Olympus 2>&1)" \
	"time zone 'Mars/Olympus' is unknown"

# pause over a fire time; resume starts from the next one after resuming
KASPARRO_NOW=2026-11-30T23:00:00Z kas schedule pause >/dev/null
expect_match "pausing twice says so" "$(kas schedule pause)" "schedule already paused"
once 2026-12-01T00:05:00Z
expect_match "paused: the due fire time neither runs nor is recorded" "$(fires)" "11-30T06:20 succeeded $"
expect_match "... and the pass's log says the schedule is paused" "$(tail -n 1 "$T/daemon.log")" \
	"nothing to run: the schedule is paused"
expect_match "schedule shows the pause" "$(KASPARRO_NOW=2026-12-01T00:05:00Z kas schedule)" \
	"paused: +since 2026-11-30T23:00:00Z, by $(id -un)"
KASPARRO_NOW=2026-12-01T00:10:00Z kas schedule resume >/dev/null
expect_eq "resume starts from the next fire time after now" "$(anchor)" "12-02T00:00"
expect_eq "pause and resume are audited once each" \
	"$(sql "SELECT string_agg(action || ':' || (after->>'paused'), ' ' ORDER BY id) FROM kasparro.audit_log WHERE action IN ('schedule.pause', 'schedule.resume')")" \
	"schedule.pause:true schedule.resume:false"

out=$(KASPARRO_NOW=2026-12-01T12:00:00Z kas schedule)
expect_match "schedule shows the last run" "$out" "last run: +[0-9]+ succeeded"
expect_match "and the missed count" "$out" "missed: +4"
expect_match "and the skipped count" "$out" "skipped: +1"
skipped_id=$(sql "SELECT id FROM kasparro.runs WHERE status = 'skipped'")
expect_match "and what became of recent fire times, a skipped one with its row's id" "$out" \
	"2026-11-30T00:00:00Z +skipped +$skipped_id +skipped: run"

# the config file changes again: now it wins over 'schedule set'
sed -i 's|^cron = .*|cron = 15 * * * *|; s|^coalesce = .*|coalesce = false|; s|^grace = .*|grace = 3h|' "$CONF"
once 2026-12-01T12:00:00Z
expect_eq "an edited config file replaces the expression set by command" \
	"$(sql "SELECT cron || ' ' || coalesce FROM kasparro.scheduler")" "15 * * * * false"
expect_eq "recomputed from now" "$(anchor)" "12-01T12:15"
# without coalesce, three fire times due at once each run in turn
once 2026-12-01T14:20:00Z
once 2026-12-01T14:21:00Z
once 2026-12-01T14:22:00Z
once 2026-12-01T14:23:00Z
expect_match "without coalesce each fire time within grace gets its own run" "$(fires)" \
	"12-01T12:15 succeeded 12-01T13:15 succeeded 12-01T14:15 succeeded $"
expect_eq "and then none is left" "$(anchor)" "12-01T15:15"

# a process claimed 16:15 and died before its run started (kill -9 between
# the claim and the run): the next scheduler records it, it is not lost
sql "UPDATE kasparro.scheduler SET next_fire_at = '2026-12-01T16:15Z', dispatched_for = '2026-12-01T15:15Z', dispatched_backend = 999999, dispatched_at = now()"
once 2026-12-01T16:15:30Z
expect_match "a claim whose process died first is recorded skipped" "$(fires)" \
	"12-01T15:15 skipped 12-01T16:15 succeeded $"
expect_eq "saying why" "$(sql "SELECT error FROM kasparro.runs WHERE scheduled_for = '2026-12-01T15:15Z'")" \
	"skipped: the run did not start: the process that claimed it stopped first"
# ... while a claimer that is still connected is starting its run: busy
psql -XAtq "$KASPARRO_DATABASE_URL" -c "SELECT pg_sleep(30)" >/dev/null 2>&1 &
sleeper=$!
at_exit "kill $sleeper 2>/dev/null"
wait_count "a session to stand for a live claimer" 10 1 \
	"SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)'"
sql "UPDATE kasparro.scheduler SET dispatched_for = '2026-12-01T17:00Z', dispatched_at = now(), dispatched_backend = (SELECT pid FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)')" 
once 2026-12-01T17:15:30Z
expect_match "a fire time while another process's claimed run is starting is skipped" \
	"$(fires)" "12-01T17:15 skipped $"
expect_eq "saying which" "$(sql "SELECT error FROM kasparro.runs WHERE scheduled_for = '2026-12-01T17:15Z'")" \
	"skipped: the run for fire time 2026-12-01T17:00:00Z was starting"
kill "$sleeper" 2>/dev/null
wait "$sleeper" 2>/dev/null
sql "UPDATE kasparro.scheduler SET dispatched_for = NULL"

# trigger: the scheduled job now, in this process, without moving the schedule
anchor_before=$(anchor)
out=$(kas schedule trigger 2>&1)
expect_exit "schedule trigger runs the job now" 0 true
expect_match "and shows the run" "$out" "small +succeeded"
expect_eq "recorded as a scheduled run by the operator, with no fire time" \
	"$(sql "SELECT trigger || ' ' || actor || ' ' || (scheduled_for IS NULL) FROM kasparro.runs ORDER BY id DESC LIMIT 1")" \
	"schedule $(id -un) true"
expect_eq "the schedule did not move" "$(anchor)" "$anchor_before"
hold_table "(a run's first batch will wait)" checkpoints SHARE
"$BIN" -c "$CONF" run big >/dev/null 2>&1 &
bigpid=$!
wait_count "another run is going" 30 1 "SELECT count(*) FROM kasparro.runs WHERE status = 'running'"
expect_exit "trigger while another run holds the run lock exits 3" 3 kas schedule trigger
release_table
wait "$bigpid"

# several processes race for each fire time: exactly one run per fire time
before=$(sql "SELECT count(*) FROM kasparro.runs")
for h in 18 19 20 21 22; do
	for p in 1 2 3; do once "2026-12-01T$h:15:30Z" & done
	wait
done
expect_eq "three processes per fire time, five fire times: five runs" \
	"$(sql "SELECT count(*) FROM kasparro.runs") - $before" "$((before + 5)) - $before"
expect_eq "one row per fire time, each a successful run" \
	"$(sql "SELECT count(DISTINCT scheduled_for) || ' ' || count(*) FILTER (WHERE status = 'succeeded') FROM kasparro.runs WHERE scheduled_for >= '2026-12-01T18:00Z'")" "5 5"

# a time zone: 02:30 Berlin time does not exist on 2027-03-28 (clocks go
# from 02:00 to 03:00): it fires when the gap ends, 01:00 UTC
# (months later: the hourly fire times since are settled first)
once 2027-03-27T11:50:00Z
expect_match "thousands of missed fire times end in one summary row" \
	"$(sql "SELECT error FROM kasparro.runs WHERE error LIKE '%too many%'")" \
	"^missed: [0-9]{4} fire times from 2026-12-01T23:15:00Z to before 2027-0[23]-.*, too many to record one by one$"
KASPARRO_NOW=2027-03-27T12:00:00Z kas schedule pause >/dev/null
KASPARRO_NOW=2027-03-27T12:00:00Z kas schedule resume >/dev/null
KASPARRO_NOW=2027-03-27T12:00:00Z kas schedule set '30 2 * * *' --timezone Europe/Berlin >/dev/null
expect_eq "a schedule in a time zone fires at the end of a skipped hour, then on local time" \
	"$(KASPARRO_NOW=2027-03-27T12:00:00Z kas schedule --json | python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin)["upcoming"][:3]))')" \
	"2027-03-28T01:00:00Z 2027-03-29T00:30:00Z 2027-03-30T00:30:00Z"

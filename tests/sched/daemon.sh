# `kasparro daemon`: refuses to start without a database (exit 4, bounded
# wait); SIGTERM mid-run leaves a consistent database and an 'interrupted'
# run, exit 0; fire times during its own run are 'skipped'; SIGHUP reloads
# the configuration and keeps the running one when the new file is bad.
# The clock runs 600 times faster (KASPARRO_CLOCK_RATE), so an every-minute
# schedule fires ten times a second: two fire times fall during the run
# well before it has loaded its 400,000 rows, however fast the machine
# (at 60 times, a quiet machine loaded them all in the two seconds the
# test waited for those fire times, and SIGTERM found nothing left).
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/fixtures.sh"
. "$KASPARRO_TOP/tests/lib/sched.sh"
new_db

start=$(date +%s)
out=$(KASPARRO_DATABASE_URL="host=$T/nowhere port=5432 user=kasparro dbname=x" \
	"$BIN" daemon --wait-db 2s 2>&1)
rc=$?
expect_eq "with no database the daemon exits 4" "$rc" 4
expect_match "saying it gave up after the bounded wait" "$out" \
	"kasparro: daemon: not starting, gave up after 2s: database 'host=$T/nowhere port=5432 user=kasparro dbname=x' is unreachable"
elapsed=$(($(date +%s) - start))
# it waited its 2 s, and gave up long before the default 30 s
if [ "$elapsed" -ge 2 ] && [ "$elapsed" -le 20 ]; then ok "after the wait (${elapsed}s)"; else
	not_ok "after the wait" "took ${elapsed}s"; fi

# A schema this kasparro refuses (a newer kasparro migrated it) is exit 4
# too, but waiting does not mend it: no wait, however long --wait-db is.
kas db migrate >/dev/null
sql "INSERT INTO kasparro.schema_migrations (version, name) VALUES (9999, 'from_the_future')" >/dev/null
out=$(LOG_LEVEL=info timeout "$(slow 60)" "$BIN" daemon --wait-db 10m 2>&1)
expect_eq "a database migrated by a newer kasparro: the daemon exits 4 at once" "$?" 4
expect_match "... saying why" "$out" \
	"kasparro: daemon: not starting: database .* has schema migration 9999, which this kasparro does not know"
expect_no_match "... without waiting for the database" "$out" "waiting up to"
sql "DELETE FROM kasparro.schema_migrations WHERE version = 9999" >/dev/null

big_csv_config 5000
printf '[scheduler]\ncron = * * * * *\n' >>"$CONF"
rows=400000
python3 -c '
import sys
with open(sys.argv[1], "w") as f:
    f.write("id,title,n\n")
    for i in range(int(sys.argv[2])): f.write("%d,record %d,%d\n" % (i, i, i % 7))' "$T/big.csv" "$rows"
kas db migrate >/dev/null

fast_clock 600
"$BIN" -c "$CONF" daemon >"$T/d1.log" 2>&1 &
pid=$!
at_exit "kill $pid 2>/dev/null"
wait_count "the daemon starts a scheduled run" 90 1 \
	"SELECT count(*) FROM kasparro.runs WHERE status = 'running' AND trigger = 'schedule'"
# (a fire time that falls while the run is still starting says so instead)
wait_count "fire times during its own run are recorded skipped, naming the run of this process" 90 2 \
	"SELECT count(*) FROM kasparro.runs WHERE status = 'skipped' AND error ~ '^skipped: run [0-9]+ \\(this process\\) was still in progress$'"
wait_count "the run commits batches" 120 20000 "SELECT count(*) FROM kasparro.records"
kill -TERM "$pid"
stopped=""
for i in $(seq 1 300); do
	if ! kill -0 "$pid" 2>/dev/null; then stopped=yes; break; fi
	sleep 0.1
done
if [ -n "$stopped" ]; then ok "SIGTERM stops the daemon within 30s"; else not_ok "SIGTERM stops the daemon within 30s"; fi
wait "$pid"
expect_eq "and it exits 0" "$?" 0
run=$(sql "SELECT id FROM kasparro.runs WHERE trigger = 'schedule' AND status NOT IN ('missed', 'skipped') ORDER BY id DESC LIMIT 1")
expect_eq "the run is recorded interrupted" "$(sql "SELECT status FROM kasparro.runs WHERE id = $run")" interrupted
loaded=$(sql "SELECT count(*) FROM kasparro.records")
if [ "$loaded" -gt 0 ] && [ "$loaded" -lt "$rows" ]; then ok "it stopped part way ($loaded of $rows)"; else
	not_ok "it stopped part way" "$loaded of $rows loaded"; fi
expect_eq "what it committed is exactly what its counters say" \
	"$(sql "SELECT inserted FROM kasparro.run_sources WHERE run_id = $run")" "$loaded"
expect_eq "every committed record has its payload" "$(sql "SELECT count(*) FROM kasparro.raw_records")" "$loaded"
expect_eq "nothing is left 'running'" "$(sql "SELECT count(*) FROM kasparro.runs WHERE status = 'running'")" 0
expect_match "the log says it interrupted the run" "$(cat "$T/d1.log")" \
	"\"stopping: interrupting run $run at its next batch\""
expect_match "and that it stopped" "$(tail -n 1 "$T/d1.log")" "\"msg\":\"daemon stopped\""
expect_eq "every log line is JSON" \
	"$(python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]; print("ok")' "$T/d1.log" 2>&1)" ok

# SIGHUP: a new schedule is applied; a broken file is refused, the old kept.
# The file is named by KASPARRO_CONFIG this time, so the reload finds it
# through the running configuration (which it then replaces).
KASPARRO_CONFIG="$CONF" "$BIN" daemon >"$T/d2.log" 2>&1 &
pid=$!
at_exit "kill $pid 2>/dev/null"
wait_for "a second daemon starts" 60 grep -q '"daemon started' "$T/d2.log"
sed -i 's|^cron = .*|cron = 0 3 * * *|' "$CONF"
kill -HUP "$pid"
wait_for "SIGHUP reloads the configuration" 60 grep -qF "reload: configuration '$CONF' loaded (1 source, schedule '0 3 * * *')" "$T/d2.log"
wait_count "and its scheduler applies the new expression" 60 1 \
	"SELECT count(*) FROM kasparro.scheduler WHERE cron = '0 3 * * *'"
sed -i 's|^cron = .*|cron = 0 25 * * *|' "$CONF"
kill -HUP "$pid"
line=$(grep -n '^cron' "$CONF" | cut -d: -f1)
wait_for "a bad configuration is logged with its line" 60 grep -q "reload: config '$CONF' line $line: cron '0 25 \* \* \*': hour: 25 is out of range 0-23; keeping the running configuration" "$T/d2.log"
check "and the daemon keeps running" kill -0 "$pid"
expect_eq "with the schedule it had" "$(sql 'SELECT cron FROM kasparro.scheduler')" "0 3 * * *"
kill -TERM "$pid"
wait "$pid"
expect_eq "then stops with exit 0" "$?" 0

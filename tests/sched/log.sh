# The daemon's log says which schedule it acts on: at start, and whenever
# it changes — `schedule set` from another process (over the file's),
# `schedule pause` and `resume`, a reload with a new cron line. The
# effective schedule lives in the database, so the configuration's own
# cron cannot say it: the "daemon started" line names none.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/sched.sh"
new_db
small_config '0 3 * * *'
kas db migrate >/dev/null

KASPARRO_HTTP_LISTEN=off "$BIN" -c "$CONF" daemon >"$T/d.log" 2>&1 &
pid=$!
at_exit "kill $pid 2>/dev/null"
said() { # DESC PATTERN: wait for a scheduler line (JSON-escaped) in the log
	wait_for "$1" 60 grep -qE "\"msg\":\"scheduler: $2" "$T/d.log"
}
said "at start: the file's schedule and its next fire time" \
	"schedule '0 3 \* \* \*' \(UTC\); next fire time [0-9-]+T03:00:00Z\""

kas schedule set '*/20 * * * *' --timezone Europe/Paris >/dev/null
said "schedule set by another process: the new one, over the file's" \
	"schedule '\*/20 \* \* \* \*' \(Europe/Paris\), put over the file's '0 3 \* \* \*' by 'kasparro schedule set'; next fire time [0-9-]+T[0-9:]+Z\""

kas schedule pause >/dev/null
said "a pause, and who made the last change" \
	"schedule '\*/20 \* \* \* \*' \(Europe/Paris\) paused \(last changed by [^)]+\): no fire time is claimed until 'kasparro schedule resume'\""
kas schedule resume >/dev/null
wait_for "a resume says the schedule again" 60 sh -c \
	"[ \$(grep -c \"scheduler: schedule '\*/20 \* \* \* \*' (Europe/Paris), put over\" '$T/d.log') -eq 2 ]"

sed -i 's|^cron = .*|cron = 15 4 * * *|' "$CONF"
kill -HUP "$pid"
said "a reload with a new cron line: the file wins again" \
	"schedule '15 4 \* \* \*' \(UTC\); next fire time [0-9-]+T04:15:00Z\""
expect_eq "one line per change, none repeated while nothing changes" \
	"$(grep -c '"msg":"scheduler: ' "$T/d.log")" 5
kill -TERM "$pid"
wait "$pid"
expect_eq "the daemon stops with exit 0" "$?" 0

# A daemon started while `schedule set` is in force: its start line used
# to name the file's cron as its schedule; only the scheduler's line, which
# has read the database, says one.
kas schedule set '0 7 * * *' >/dev/null
KASPARRO_HTTP_LISTEN=off "$BIN" -c "$CONF" daemon >"$T/d2.log" 2>&1 &
pid=$!
at_exit "kill $pid 2>/dev/null"
wait_for "a daemon started under schedule set: the scheduler says the schedule in force" 60 \
	grep -qE "\"msg\":\"scheduler: schedule '0 7 \* \* \*' \(UTC\), put over the file's '15 4 \* \* \*'" \
	"$T/d2.log"
expect_match "... the start line says the scheduler runs" "$(grep '"daemon started' "$T/d2.log")" \
	"scheduler on\""
expect_no_match "... and names no schedule the daemon does not act on" "$(cat "$T/d2.log")" \
	"schedule '15 4"
kill -TERM "$pid"
wait "$pid"
expect_eq "it stops with exit 0" "$?" 0

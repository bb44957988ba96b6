# A fire time that falls due while the scheduler is still at work is no
# error: the scheduler goes on at once. On a clock 3600 times faster an
# every-minute schedule falls due 60 times a second, so every pass ends
# past the next fire time; the daemon must keep running back to back (the
# fire times it cannot run skipped or coalesced, with a warning) and log no
# error.
# Before this held, such a pass logged an empty "scheduler: " error and
# slept a minute of real time.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/sched.sh"
new_db
small_config "* * * * *"
kas db migrate >/dev/null

KASPARRO_CLOCK_RATE=3600
KASPARRO_CLOCK_OFFSET=$(python3 -c 'import time; r = time.time(); print(int(r - 3600 * r))')
export KASPARRO_CLOCK_RATE KASPARRO_CLOCK_OFFSET
"$BIN" -c "$CONF" daemon >"$T/d.log" 2>&1 &
pid=$!
at_exit "kill $pid 2>/dev/null"
wait_count "the daemon runs fire time after fire time" 120 20 \
	"SELECT count(*) FROM kasparro.runs WHERE status = 'succeeded'"
kill -TERM "$pid"
wait "$pid"
expect_eq "and stops with exit 0" "$?" 0
expect_eq "nothing was logged as an error" "$(grep '"level":"error"' "$T/d.log" | head -3)" ""
# which warning a fire time gets depends on when the scheduler saw it:
# falling due while a run was going (skipped) or found late, past its
# grace, beside a later one (missed: coalesced); a quiet machine sees only
# the first, a busy one both
expect_match "the fire times it could not run were warned of as skipped or coalesced" \
	"$(grep '"level":"warn"' "$T/d.log")" \
	'"msg":"fire time [0-9TZ:-]+ (skipped: run [0-9]+ \(this process\) was still in progress|missed: coalesced into the fire time)'

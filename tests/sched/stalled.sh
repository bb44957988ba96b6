# /health sees a stuck scheduler thread. The thread gives a sign of life
# before each pass and each sleep, saying by when it will give the next;
# a pass that waits on a lock nobody releases leaves that behind, and
# /health answers 503 'stalled' with the reason, while the rest of the
# process still answers. It used to go on saying 'ok' with the scheduler
# 'waiting' for as long as the lock was held, claiming no fire time.
# KASPARRO_SCHED_TICK=1 shortens the tick (the longest sleep) from 60 s,
# so 'stuck' means two seconds past a pass's start here.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
. "$TOP/tests/lib/sched.sh"
tick_daemon

hold_table "another session holds the scheduler's table" scheduler
wait_for "/health: 503 once a pass has waited on it beyond two ticks" 60 health_is 503 stalled
expect_eq "... status 'stalled', the database reachable" \
	"$(jq_ '[d["data"]["status"], d["data"]["database"]["reachable"]]')" '["stalled", true]'
expect_match "... saying why" "$(jq_ 'd["data"]["scheduler"]["error"]')" \
	"^the scheduler thread has given no sign of life for [0-9]+s \(2 ticks of 1s past its sleep\): it is stuck, and claims no fire time$"
expect_match "... and how long since its last sign" "$(jq_ 'd["data"]["scheduler"]["heartbeat_age_seconds"]')" \
	"^[2-9]|^[1-9][0-9]"

release_table
wait_for "/health: 200 again once the pass goes on" 60 health_is 200 waiting
expect_eq "... status ok" "$(jq_ 'd["data"]["status"]')" ok
stop_daemon
expect_eq "the daemon stops: exit 0" "$DAEMON_RC" 0

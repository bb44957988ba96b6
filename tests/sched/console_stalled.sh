# The Schedule screen says when the console's scheduler thread is stuck,
# as /health does for a daemon's (tests/sched/stalled.sh): a pass waiting
# on a lock nobody releases publishes nothing, and the screen went on
# saying 'waiting' for as long as the lock was held. It reads the thread's
# heartbeat when it draws, and the console wakes when the heartbeat falls
# due. KASPARRO_SCHED_TICK=1: stuck means two seconds past a pass's start.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
console_fixture
kas db migrate >/dev/null
export KASPARRO_SCHED_TICK=1
console_start
wait_screen "the console is up" '^ connected'
send 2
wait_screen "the Schedule screen: the console's scheduler waiting" "^this console's scheduler: waiting"
hold_table "another session holds the scheduler's table" scheduler
wait_screen "once a pass has waited on it beyond two ticks: stalled, and why, without a keypress" \
	"^this console's scheduler: stalled · stuck for [0-9]+s, claims no fire time" 30
release_table
wait_screen "waiting again once the lock goes" "^this console's scheduler: waiting" 30
send q
wait_screen "q quits" 'console exited 0'

# A decision still going when the console is asked to quit is let finish:
# `q` says the console closes once it is done (30 seconds at most), and it
# does, saying on the terminal that it is done; a second `q` closes at
# once, and the terminal then says the decision was not done. Before, `q`
# cancelled it on exit without a word: the operator's approval was lost.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
sample_queued
ids=$(kas queue --json --limit 2 | python3 -c 'import json,sys; print(" ".join(str(c["id"]) for c in json.load(sys.stdin)))')
c1=${ids% *} c2=${ids#* }
status() { sql "SELECT status FROM kasparro.match_candidates WHERE id = $1"; }
expect_eq "two pairs wait for review ($c1, $c2)" "$(status "$c1") $(status "$c2")" "pending pending"

CONSOLE_COLS=160 console_start
wait_screen "the console is up" '^ +1 succeeded' 30
send 3 # the Review screen follows a decision's result
wait_screen "Review lists the pair" "^ *$c1 " 30
hold_lock "another session holds the matching lock: a decision waits for it" 1801548549
send :
send_text "approve $c1"
send Enter
waiting() { sql_is "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 1801548549 AND NOT granted" 1; }
wait_for "the approval is going, waiting for the lock" 15 waiting
send q
wait_screen "q says the console closes once the approval is done" \
	"closing once 'approve $c1' is done \(30s at most\); q again: close now, cancel it"
expect_eq "... and it has not closed" "$(screen | grep -c 'console exited')" 0
release_lock
wait_screen "once the approval is done the console closes" 'console exited 0' 30
wait_screen "... and the terminal says it was done" "kasparro: 'approve $c1' is done"
expect_eq "the pair is approved" "$(status "$c1")" approved

console_stop
CONSOLE_COLS=160 console_start
wait_screen "the console is up again" '^ +1 succeeded' 30
hold_lock "the matching lock is held again" 1801548549
send :
send_text "reject $c2"
send Enter
wait_for "the rejection is going, waiting for the lock" 15 waiting
send q
wait_screen "q waits for it" "closing once 'reject $c2' is done"
send q
wait_screen "a second q closes at once" 'console exited 0' 15
wait_screen "... and the terminal says the rejection was not done" \
	"kasparro: 'reject $c2' was not done: it was still running when the console closed, and was cancelled"
release_lock
expect_eq "the pair still waits for review" "$(status "$c2")" pending

# The Schedule screen and the scheduler thread inside the console: the
# stored schedule with its next fire times; p pauses and r resumes it for
# every process (the database says so); t runs the job now on the console's
# engine, and the run is a scheduled one.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
console_fixture
console_start
wait_screen "the console is up" '^ connected'
send 2
wait_screen "the Schedule screen shows the expression and that it is active" \
	'^Schedule 0 3 29 2 \* \(UTC\) · active'
wait_screen "the policy in the words the shell's 'schedule' uses" \
	"^policy: grace 15m, coalesce on, jitter none\$"
wait_screen "the next fire times" '^next: +[0-9-]+T[0-9:]+Z +in ([0-9]+d([0-9]+h)?|[0-9]+h[0-9]{2}m)$'
wait_screen "the console runs the scheduler thread" "^this console's scheduler: waiting"
wait_screen "no run has come from the schedule yet" '^last run: none from the schedule yet'
send p
wait_screen "p pauses the schedule" '^Schedule .* · PAUSED'
expect_eq "for everyone: the database has it paused" \
	"$(sql 'SELECT paused FROM kasparro.scheduler')" t
expect_match "and a shell sees it" "$(kas schedule)" 'paused: +since'
wait_screen "paused, the fire times are what resuming gives, no 'in' to one" \
	'^on resume: [0-9-]+T[0-9:]+Z$'
wait_no_screen "... and none is labelled next" '^next:'
expect_match "the shell's schedule labels them so" "$(kas schedule)" '^on resume: [0-9-]+T[0-9:]+Z$'
expect_no_match "... and no 'next:'" "$(kas schedule)" '^next:'
send r
wait_screen "r resumes it" '^Schedule .* · active'
expect_eq "the database has it running" "$(sql 'SELECT paused FROM kasparro.scheduler')" f
kas schedule pause >/dev/null
wait_screen "a pause made in a shell shows without a keypress" '^Schedule .* · PAUSED' 30
kas schedule resume >/dev/null
wait_screen "and so does the resume" '^Schedule .* · active' 30
send t
wait_screen "t runs the job now" '^last run: 1 succeeded' 30
expect_eq "the run is a scheduled one" "$(sql 'SELECT trigger FROM kasparro.runs WHERE id = 1')" \
	schedule
wait_screen "and listed with the fire times" '^\(triggered\) +succeeded +1 '
send q
wait_screen "q quits" 'console exited 0'

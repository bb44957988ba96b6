# :run inside the console goes to the engine thread: the Runs screen shows
# the run live (per-source progress bars, counts, rate), then how it ended,
# and the history row with the final counts; the console answers keys all
# the while.
#
# A run is watched while it goes, however fast the machine: another session
# keeps the writers out of kasparro.checkpoints, which every batch writes,
# so the run waits at its first batch until the test has seen what it
# watches (it used to count on 150,000 rows taking long enough, and a
# quiet machine could load them before the screen was looked at).
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
console_fixture
# big first: a run reads its sources in order, and big's first batch is
# the one that waits
sed -i '/^\[source books\]/,$d' "$CONF"
fixture_source big
fixture_source books
fixture_source notes
big_csv 150000
# what is watched is the console during runs, not matching their records
printf '[matching]\nenabled = false\n' >>"$CONF"
hold() { hold_table "(a run's next batch waits)" checkpoints SHARE; }
# (the tables made before the console starts, so the first hold finds them)
kas db migrate >/dev/null

console_start
wait_screen "an empty database says how to start" 'no runs yet; r runs every source now'
hold
send :
send_text run
send Enter
wait_screen "the run shows up live" '^Run 1 running · manual by '
wait_screen "with a progress bar for the file source" \
	'^  big +fetching +\[#*\.+\] +[0-9]+% +[0-9]+ rec +[0-9]+/s'
send 7
wait_screen "keys work while the run goes: the Log screen" 'Log: info and above'
release_table
send 1
wait_screen "the run ends, and says so" '^Run 1 succeeded · manual by .* finished' 60
wait_screen "each source shows its final count" '^  big +succeeded +\[#+\] 100% +150000 rec'
wait_screen "... the small ones too" '^  books +succeeded .* 3 rec'
# (TRIGGER left out at 80 columns when TIME is wide, as for run 2 below: a
# run that took ten seconds or more)
wait_screen "the history row has the totals" '^!? +1 succeeded .* 150005 +150005 '
wait_screen "the message line says how it went" '^run 1 succeeded'
expect_eq "the database has the records" "$(sql 'SELECT count(*) FROM kasparro.records')" 150005

hold
send r
wait_screen "r starts another run" '^Run 2 running'
send :
send_text run
send Enter
wait_screen "a second run while one goes is refused, with the reason" \
	'run 2 is in progress|a run is about to start' 20
release_table
wait_screen "run 2 ends" '^Run 2 succeeded' 60
# (at 80 columns the counts this wide leave TRIGGER out, as runs does on a terminal)
wait_screen "its rows were unchanged" '^!? +2 succeeded .* 150005 +0 +0 +150005 '
send :
send_text 'run nosuch'
send Enter
wait_screen "an unknown source fails with its name" "nosuch"

hold
send R
wait_screen "R starts a full run" '^Run 3 running'
send C
wait_screen "C asks before cancelling" 'cancel run [0-9]+, the run in progress\? \(y/n\)'
send y
wait_screen "y asks the run to stop" 'run 3 is stopping'
release_table
wait_screen "y cancels: the run stops at its next batch" '^Run 3 interrupted' 30
expect_eq "the database says so too" "$(sql 'SELECT status FROM kasparro.runs WHERE id = 3')" \
	interrupted

# a longer run for what follows: the file changed, so it is read from the start
big_csv 500000
hold
send R
wait_screen "another run starts" '^Run 4 running'
send q
wait_screen "q during a run asks what to do with it" \
	'^run 4 is in progress: f finish it in the background, c cancel it, s stay'
send s
wait_no_screen "s stays" 'is in progress: f'
send q
wait_screen "q asks again" 'is in progress: f'
send c
# released at once: c's cancel may find the run between two statements, and
# the next, waiting for the lock, is then not cancelled at the server; the
# run stops at its next batch
release_table
wait_screen "c cancels the run and quits" 'console exited 0' 30
expect_eq "the run ended interrupted" "$(sql 'SELECT status FROM kasparro.runs WHERE id = 4')" \
	interrupted

# f: the console closes, the run finishes, then the process exits
console_stop
big_csv 400000 "Another title"
console_start
wait_screen "the console is up again" '^ +4 interrupted'
hold
send R
wait_screen "a run starts" '^Run 5 running'
send q
wait_screen "q asks" 'run 5 is in progress: f finish'
send f
wait_screen "f closes the console and says the run goes on" 'waiting for the run to finish'
expect_eq "... while it goes on" "$(sql 'SELECT status FROM kasparro.runs WHERE id = 5')" running
release_table
wait_screen "the process exits when the run has finished" 'console exited 0' 60
expect_eq "the run finished" "$(sql 'SELECT status FROM kasparro.runs WHERE id = 5')" succeeded

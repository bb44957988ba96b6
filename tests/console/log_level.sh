# The Log screen filtered to a level above every line it keeps says so, and
# how many lines are below it; it used to say "no log lines yet" above a
# console that had logged its start.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
console_up
send 7
wait_screen "the Log screen shows the console's start" ' info .* console started$'
send w
wait_screen "w keeps warnings and errors" '^Log: warn and above'
wait_screen "... and says the lines kept are all below it" \
	'^no line at warn or above; [0-9]+ below it \(d shows every line\)$'
expect_no_match "... not that there are none yet" "$(screen)" 'no log lines yet'
send i
wait_screen "i shows them again" ' info .* console started$'
send q
wait_screen "q quits" 'console exited 0'

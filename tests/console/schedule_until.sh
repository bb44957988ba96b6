# The Schedule screen says how far the next fire time is in days and hours
# when it is a day or more away: the fixture's schedule fires on 29
# February, and the screen used to say "in 10765h24m". Less than a day
# away, hours and minutes as before.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
console_fixture

export KASPARRO_NOW=2027-03-01T00:00:00Z # the console's clock, in the tmux server it starts
console_start
wait_screen "the console is up" '^ connected'
send 2
wait_screen "a fire time a year away, in days and hours" \
	'^next: +2028-02-29T03:00:00Z +in 365d3h$'
send q
wait_screen "q quits" 'console exited 0'
console_stop

export KASPARRO_NOW=2028-02-28T12:30:00Z
console_start
wait_screen "the console is up again" '^ connected'
send 2
wait_screen "one less than a day away, in hours and minutes" \
	'^next: +2028-02-29T03:00:00Z +in 14h30m$'
send q
wait_screen "q quits" 'console exited 0'

# A fire time that never ran (missed past its grace, coalesced into a later
# one, skipped while another process held the run lock) shows "-" for its
# duration and counts on the Runs screen, as `kasparro runs` does (it
# showed 0.0s and zeros); a run that ran keeps its numbers. The Schedule
# screen gives each fire time's run id, missed or not, as the shell's
# `schedule` and --json do (the shell used to say "-"); Enter shows that
# run, which says why it never ran.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
. "$KASPARRO_TOP/tests/lib/sched.sh"
new_db
console_fixture
sed -i 's|^cron = .*|cron = 0 */6 * * *\ngrace = 15m\ncoalesce = true|' "$CONF"
fire_times_fixture
# the console's own scheduler would act on the fire times due by the real
# clock: this test is about those recorded
sed -i 's|^cron = .*|&\nenabled = false|' "$CONF"

CONSOLE_COLS=200 CONSOLE_ROWS=30
console_start
wait_screen "the Runs screen lists the runs" '^ +6 succeeded +schedule ' 30
dashes=' +- +- +- +- +- +- +- +- +'
wait_screen "a missed fire time: no time, no counts, no matching" \
	"^ +2 missed +schedule +[0-9-]+ [0-9:]+$dashes""missed: found 20m after"
wait_screen "... a skipped one" "^ +3 skipped +schedule +[0-9-]+ [0-9:]+$dashes""skipped: "
wait_screen "... a coalesced one" "^ +5 missed +schedule +[0-9-]+ [0-9:]+$dashes""missed: coalesced"
wait_screen "a run that ran keeps its time and counts" \
	'^ +1 succeeded +schedule +[0-9-]+ [0-9:]+ +[0-9.]+s +5 +5 +0 +0 +0 +0 +0/0 *$'
expect_no_match "no missed or skipped run says 0.0s" \
	"$(screen | grep -E '^ +[0-9]+ (missed|skipped) ')" " 0\.0s "
send 2
wait_screen "the Schedule screen lists the fire times" '^2026-11-29T18:00:00Z +succeeded +6 '
wait_screen "a missed fire time with its run id, as the shell's schedule gives it" \
	'^2026-11-28T18:00:00Z +missed +2 '
wait_screen "... a skipped one" '^2026-11-29T00:00:00Z +skipped +3 '
send Down
send Enter
wait_screen "Enter shows the missed fire time's run: its fire time, no duration" \
	'^run 5: missed, schedule by scheduler, fire time 2026-11-29T12:00:00Z, recorded '
wait_screen "... and why it was missed" '^error: missed: coalesced into the fire time 2026-11-29T18:00:00Z'
send q
shell=$(kas schedule)
expect_match "the shell's schedule gives the same ids" "$shell" \
	'^2026-11-28T18:00:00Z +missed +2 .*'
expect_match "... for the skipped one too" "$shell" '^2026-11-29T00:00:00Z +skipped +3 '
console_stop

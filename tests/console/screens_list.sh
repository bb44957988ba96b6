# The console's ':screen' with a name it does not know lists every screen
# there is, the eighth (Audit) too, and each of them opens by its number.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
console_fixture run

# wide enough for the line that lists the screens
CONSOLE_COLS=160 console_start
wait_screen "the console is up" '^ +1 succeeded +manual'
send :
send_text 'screen nosuch'
send Enter
wait_screen "an unknown screen lists them all, the Audit screen too" \
	"^unknown screen 'nosuch' \\(runs, schedule, review, entities, deleted, sources, log, audit, 1-8, next or previous\\)$"
send :
send_text 'screen 8'
send Enter
wait_screen "... and 8 is one of them" '^Audit · 0 decisions'

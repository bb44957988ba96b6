# Tab completes an option's value by what the option names, from the
# command table: a source (configured, and a removed one whose records are
# still there, as a source argument does), a run, or one of the words the
# option takes (runs --status, queue --order, export --format, audit and
# decisions --action), after --NAME, -N or --NAME=. These offered nothing
# useful before (restore --retired offered record names, SOURCE/). A
# retired source (its records all deleted) is offered from the Deleted
# screen; it was offered nowhere.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
. "$KASPARRO_TOP/tests/lib/complete.sh"
new_db
console_fixture
fixture_source gone
printf 'id,title,author\ng1,Gone one,Fa\n' >"$T/fx/gone.csv"
kas run >/dev/null 2>&1 || not_ok "kasparro run loads the fixture"
awk '/^\[/ { skip = ($0 == "[source gone]") } !skip' "$CONF" >"$T/without-gone.conf"
CONF="$T/without-gone.conf"

CONSOLE_COLS=120 console_start
wait_screen "the console is up" '^ +1 succeeded +manual'
send 6
wait_screen "Sources lists the removed source" '^gone +- +- +- +1 '
send 1
wait_screen "back on Runs" '^ +1 succeeded +manual'

offers 'deleted --source ' '^ *books +gone +notes *$' \
	"deleted --source offers the sources, the removed one with records too"
completes 'restore --retired g' 'restore --retired gone' \
	"restore --retired completes a source name, not a record's SOURCE/"
completes 'runs --source=n' 'runs --source=notes' "--NAME=VALUE completes the value"
offers 'runs --status ' \
	'^ *abandoned +failed +interrupted +missed +partial +running +skipped +succeeded *$' \
	"runs --status offers the run statuses"
completes 'runs --status su' 'runs --status succeeded' "... and completes one"
offers 'queue --order ' '^ *score +uncertainty *$' "queue --order offers the orders"
completes 'export records -f j' 'export records -f jsonl' "export -f completes a format"
completes 'audit --action supe' 'audit --action supersede_deletes' \
	"audit --action completes an action"
offers 'decisions --action ' '^ *approve +reject +restore +split +undo *$' \
	"decisions --action offers the decisions"
completes 'deleted --run ' 'deleted --run 1' "deleted --run completes the run the Runs screen shows"
send :
send_text 'queue --offset '
send Tab
send_text x
wait_screen "a value of no kind (a number) completes to nothing" '^:queue --offset x$'
close_line

# once retired, a source has no live record (Sources no longer lists it):
# restore --retired offers it from the Deleted screen's records, where it
# offered only the configured sources
send :
send_text 'retire --yes gone'
send Enter
wait_screen "retire soft-deletes gone's record" "retired source 'gone': 1 live record soft-deleted"
send 6
wait_no_screen "Sources no longer lists gone" '^gone '
send 5
wait_screen "the Deleted screen lists gone's record, retired" '^ *[0-9]+ +gone +g1 .* retired '
offers 'restore --retired ' '^ *books +gone +notes *$' \
	"restore --retired offers the retired source with the configured ones"
completes 'restore --retired g' 'restore --retired gone' "... and completes it"
send 1
wait_screen "back on Runs" '^ +1 succeeded +manual'

# the words completion offers are the ones the command takes
send :
send_text 'queue --order score'
send Enter
wait_screen "a completed order runs" 'the review queue is empty'
console_stop

# The Sources screen lists, after the configured sources, a source removed
# from the configuration whose records are still live: its name in the
# warning colour, no settings, what `retire` does about it; X asks, then
# retires it (tests/db/retire.sh has the command itself). Such a source
# used to be shown nowhere but `stats`. Once retired, `sources b` names
# how to get the records back, as the console types it.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
auto_pairs_fixture
live() { sql "SELECT count(*) FROM kasparro.records WHERE source = '$1' AND NOT is_deleted"; }
awk '/^\[/ { skip = ($0 == "[source b]") } !skip' "$CONF" >"$T/without-b.conf"
CONF="$T/without-b.conf"

CONSOLE_COLS=120 console_start
wait_screen "the console is up" 'succeeded +manual'
send 6
wait_screen "Sources lists the removed source after the configured one" \
	"^b +- +- +- +2 +0 .*removed from the configuration: 'retire b' soft-deletes its 2 live"
expect_match "... the configured one as before" "$(screen)" '^a +csv +full +yes '
send Down
wait_screen "selected, its detail says it is not in the configuration" '^b · not in the configuration'
wait_screen "... with its records and last read" '^  2 live, 0 deleted records · last read by run 1: succeeded'
send X
wait_screen "X asks first, naming the count and the source" \
	'^soft-delete the 2 live records of b\? \(y/n\)'
send n
wait_no_screen "n answers no" '^soft-delete the'
expect_eq "... and nothing is deleted" "$(live b)" 2
send X
send y
wait_screen "y retires it, saying how to bring the records back" \
	"retired source 'b': 2 live records soft-deleted; 'restore --retired b' brings them back"
expect_eq "the database has its records soft-deleted" "$(live b) $(live a)" "0 2"
wait_no_screen "the list no longer shows it" '^b +- '
console_stop

# `sources b` on the ':' line names the restore as the console types it
CONSOLE_COLS=160 console_start
wait_screen "the console is up again" 'succeeded +manual'
send :
send_text 'sources b'
send Enter
wait_screen "sources b names 'restore --retired b', without 'kasparro '" \
	"^source b · removed from the configuration; no live record left: 'restore --retired b' brings back its 2 retired records"
console_stop

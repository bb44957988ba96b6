# The Deleted screen on the records of a retired source (a source removed
# from the configuration whose records `retire` soft-deleted, under no
# run): RUN says "retired", as `deleted` does, and R restores what the
# retire deleted (restore --retired SOURCE) after the question R asks for
# a run. It used to show RUN empty and answer R with "the selected row has
# no run; h (focus) moves to the deleted screen's other list", pointing at
# held sets there were none of. u names the retire's restore it undoes;
# on a record a run deleted, R restores the run's deletions as before.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
auto_pairs_fixture
live() { sql "SELECT count(*) FROM kasparro.records WHERE source = '$1' AND NOT is_deleted"; }
retired() { sql "SELECT count(*) FROM kasparro.records WHERE source = '$1' AND is_deleted AND deleted_by_run IS NULL"; }
# a read deletes a2 (a run's deletion); then b leaves the configuration and is retired
grep -v '^a2,' "$T/a.csv" >"$T/a.new" && mv "$T/a.new" "$T/a.csv"
kas run --allow-mass-delete a >/dev/null 2>&1
run_a=$(sql "SELECT deleted_by_run FROM kasparro.records WHERE source_id = 'a2'")
awk '/^\[/ { skip = ($0 == "[source b]") } !skip' "$CONF" >"$T/without-b.conf"
CONF="$T/without-b.conf"
kas retire --yes b >/dev/null 2>&1
expect_eq "the fixture: b's two records retired, a2 deleted by run $run_a" \
	"$(retired b) $(live b) $(live a) $run_a" "2 0 1 2"

CONSOLE_COLS=120 console_start
wait_screen "the console is up" '^ connected'
send 5
wait_screen "the Deleted screen shows a retired record's RUN as 'retired'" \
	'^ *[0-9]+ +b +b2 +[0-9-]+ [0-9:]+ +retired +A History of Teas'
expect_match "... and a run's deletion with its run" "$(screen)" \
	"^ *[0-9]+ +a +a2 +[0-9-]+ [0-9:]+ +$run_a +A History of Tea"
expect_match "... its headline says what R does" "$(screen)" \
	'\(r restores, R all its run or retire deleted\)'
send R
wait_screen "R on a retired record asks to restore what the retire deleted" \
	'^restore every record retiring source b deleted\? \(y/n\)'
send n
wait_no_screen "n answers no" '^restore every record'
expect_eq "... and nothing is restored" "$(retired b)" 2
send R
wait_screen "R asks again" '^restore every record retiring source b deleted\? \(y/n\)'
send y
wait_screen "y restores them, saying so as the shell does" \
	"restored 2 records of retired source 'b' \(decision [0-9]+; 'undo [0-9]+' reverts it\)"
expect_eq "the database has b's records live" "$(live b) $(retired b)" "2 0"
wait_no_screen "the list no longer shows them" '^ *[0-9]+ +b +b[12] '
dec=$(sql "SELECT max(id) FROM kasparro.decisions WHERE action = 'restore'")
send u
wait_screen "u names the retire's restore it undoes" \
	"^undo restore decision $dec \\(the 2 records retiring source b deleted\\), deleting them again\\? \\(y/n\\)"
send y
wait_screen "y retires them again" 'restore the 2 records retiring source b deleted: 2 records deleted again'
expect_eq "... under no run, as the retire left them" "$(retired b) $(live b)" "2 0"
wait_screen "the list shows them again, retired" '^ *[0-9]+ +b +b[12] +[0-9-]+ [0-9:]+ +retired '

# on the record run N deleted, R restores that run's deletions as before
send f
send_text a
send Enter
wait_screen "filtered by a, a2 alone is listed" "^ *[0-9]+ +a +a2 .* $run_a "
wait_no_screen "... b's records are not" '^ *[0-9]+ +b +b[12] '
send R
wait_screen "R on it asks to restore what run $run_a deleted" \
	"^restore every record run $run_a deleted\\? \\(y/n\\)"
send y
wait_screen "y restores it" "restored 1 record deleted by run $run_a"
expect_eq "the database has a2 live, b's still retired" "$(live a) $(retired b)" "2 2"
console_stop

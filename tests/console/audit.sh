# The Audit screen shows the decisions (a restore among them), and, one h
# away, the whole audit log: the deletions and decisions on held deletions
# besides the decisions. Enter lists the entries of the object a row is
# about; u undoes only a row's decision; f keeps one action of the log.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
. "$KASPARRO_TOP/tests/lib/fixtures.sh"
new_db
books_deleted # books' record 2 soft-deleted by a full sync: $rec
expect_eq "a full sync soft-deleted the vanished record" "$(sql "SELECT is_deleted FROM kasparro.records WHERE id = $rec")" t

console_start
wait_screen "the console is up" '^ connected'
send 8
wait_screen "the Audit screen opens on the decisions, saying h shows the whole log" \
	'^Audit · 0 decisions \(.*h the whole log\)'
send h
wait_screen "h shows the audit log, the soft delete in it" \
	"^ *[0-9]+ [0-9-]+ [0-9:]+ +[^ ]+ +soft_delete +record:$rec +- "
wait_screen "... counted in its headline" '^Audit log · 1 entry \(Enter shows'
check "the restore is done from a shell" kas restore "$rec"
wait_screen "the restore appears without a keypress, the newest first" \
	"^ *[0-9]+ [0-9-]+ [0-9:]+ +[^ ]+ +restore +record:$rec "
wait_screen "... and the headline counts both" '^Audit log · 2 entries'
send Enter
wait_screen "Enter lists the entries of the record the row is about" "audit --object record:$rec"
wait_screen "... both of them" '1-[0-9]+ of [0-9]+ +q closes'
send q
wait_no_screen "q closes the list" 'q closes'
send u
wait_screen "u on a row that is no decision says so, and undoes nothing" \
	'^the selected row has no decision; h \(focus\) moves'
send f
send_text restore
send Enter
wait_no_screen "f keeps one action of the log" ' soft_delete '
wait_screen "... naming it" '^Audit log of restore · 1 entry'
send f
send_text bogus
send Enter
wait_screen "an action the log has not is refused, naming it" "the audit log has no action 'bogus'"
send h
wait_screen "h goes back to the decisions" '^Audit · 1 decision'
wait_screen "... the restore one of them, saying what it restored" \
	"^ *[0-9]+ [0-9-]+ [0-9:]+ +[^ ]+ +restore +- record $rec"
send q
wait_screen "q quits" 'console exited 0'

# On the whole audit log, Enter on a decision's row (a restore) lists the
# entries of the object the row is about (the record), as it does on any
# other row and as kasparro(1) says, not those of the decision: its
# OBJECT column is what Enter follows.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
. "$KASPARRO_TOP/tests/lib/fixtures.sh"
new_db
books_deleted # books' record 2 soft-deleted by a full sync: $rec
check "the soft-deleted record is restored from a shell" kas restore "$rec"

console_start
wait_screen "the console is up" '^ connected'
send 8
wait_screen "the Audit screen opens on the decisions" '^Audit · 1 decision'
send h
wait_screen "h shows the whole log, the restore the newest row" \
	"^Audit log · 2 entries"
send Home
wait_screen "... selected" "^ *[0-9]+ [0-9-]+ [0-9:]+ +[^ ]+ +restore +record:$rec +[0-9]+ "
send Enter
wait_screen "Enter on the restore lists the entries of its record" "audit --object record:$rec"
wait_screen "... the soft delete among them" " soft_delete "
expect_no_match "... not those of its decision" "$(screen)" 'audit --object decision:'
send q
wait_no_screen "q closes the list" 'q closes'
send q
wait_screen "q quits" 'console exited 0'

# The Deleted screen: a record that vanished from a complete full sync is
# soft-deleted (the deletes part of kasparro); the screen lists it with the
# run that deleted it, r restores it, and the database agrees.
# Waits for: orphan detection in runs, and the `deleted` (--json with id,
# source, source_id, deleted_at, deleted_by_run) and `restore` commands.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
console_fixture run
grep -v '^2,' "$T/fx/books.csv" >"$T/fx/books.new" && mv "$T/fx/books.new" "$T/fx/books.csv"
kas run --allow-mass-delete books >/dev/null 2>&1
expect_eq "the full sync soft-deleted the vanished record" \
	"$(sql "SELECT is_deleted FROM kasparro.records WHERE source = 'books' AND source_id = '2'")" t

console_start
send 5
wait_screen "the Deleted screen lists it with the run that deleted it" \
	'^ +[0-9]+ books +2 +[0-9-]+ [0-9:]+.* 2 +Zürich 東京'
send r
wait_screen "r restores it" 'restored'
expect_eq "the database has it live again" \
	"$(sql "SELECT is_deleted FROM kasparro.records WHERE source = 'books' AND source_id = '2'")" f
wait_screen "the screen no longer lists it" 'no record is soft-deleted'
send q
wait_screen "q quits" 'console exited 0'

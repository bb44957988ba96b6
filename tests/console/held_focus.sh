# The Deleted screen as `make run` leaves it: a held deletion to decide and
# no record deleted yet. The keys its headline names (i shows, a applies,
# x discards) act on the held set at once; they used to act on the empty
# list of records below and say "nothing selected on the deleted screen",
# until h. h has nowhere to go then and says so, and the headline does not
# offer it. Once records are deleted, h moves between the lists again.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
. "$KASPARRO_TOP/tests/lib/fixtures.sh"
new_db
console_loaded '[deletes]' 'max_ratio = 0.5' # run 1 read the fixture
printf 'id,title,author\n' >"$T/fx/notes.csv"
kas run notes >/dev/null 2>&1 # run 2: the guard holds notes' two deletions
expect_eq "run 2 held two deletions of notes, deleted nothing" \
	"$(sql "SELECT held_deletes || ':' || soft_deleted FROM kasparro.run_sources WHERE run_id = 2")" "2:0"

console_start
wait_screen "the console is up" '^ connected' 30
send 5
wait_screen "the Deleted screen shows the held set" '^ +2 notes +2 '
wait_screen "... its keys, without an h that has nowhere to go" \
	'^Held deletions awaiting a decision: 1 \(i shows, a applies, x discards\)'
send i
wait_screen "i shows the records the held set would delete" '^ held --limit all --source notes 2 '
send q
send h
wait_screen "h says there is no record to go to" \
	'^no record is soft-deleted: the held deletions keep the focus'
send Enter
wait_screen "Enter, which shows a record, says a held set is none, and what i shows" \
	'^a held set is not a record, and no record is soft-deleted; i shows the records'
send a
wait_screen "a asks before applying the held set" '^delete the records run 2 held from notes\? \(y/n\)'
send y
wait_screen "y applies it" '^applied the deletions run 2 held: 2 records soft-deleted'
wait_screen "the records are listed as deleted" '^ +[0-9]+ notes +n[12] '
wait_no_screen "... and the held set is gone" '^Held deletions awaiting'
send q
wait_screen "q quits" 'console exited 0'

# The Deleted screen: a record that vanished from a complete full sync is
# soft-deleted; the screen lists it with the run that deleted it and r
# restores it, after a question, saying that books's next complete read
# deletes it again if it still lacks it, on two rows of the message line
# under the status line at 80x24 (it opened the pager, which q closed
# after every restore); u undoes the latest restore, after a
# question that names it (it used to say only "the latest restore"),
# deleting the record again. A larger drop is held by the mass-delete guard: the screen
# shows the held set, i lists its records, a applies it (after a question),
# R restores what that run deleted, and x discards a held set. f filters by
# a source taken out of the configuration too.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
console_fixture run
is_deleted() { sql "SELECT is_deleted FROM kasparro.records WHERE source = '$1' AND source_id = '$2'"; }
grep -v '^2,' "$T/fx/books.csv" >"$T/fx/books.new" && mv "$T/fx/books.new" "$T/fx/books.csv"
kas run --allow-mass-delete books >/dev/null 2>&1
expect_eq "a full sync soft-deleted the vanished record" "$(is_deleted books 2)" t

console_start
wait_screen "the console is up" '^ connected'
send 5
wait_screen "the Deleted screen lists it with the run that deleted it" \
	'^ *[0-9]+ books +2 +[0-9-]+ [0-9:]+ +2 Zürich 東京'
send f
send_text notes
send Enter
wait_screen "filtered by a source with nothing deleted, the list says so, naming it" \
	'^no record from notes is soft-deleted'
send f Enter
wait_screen "the filter cleared, the record is listed again" '^ *[0-9]+ books +2 '
send r
wait_screen "r asks first, even for the one selected record" \
	'^restore record [0-9]+\? \(y/n\)'
send n
wait_no_screen "n answers no" '^restore record'
expect_eq "... and the record stays deleted" "$(is_deleted books 2)" t
send r
wait_screen "r asks again" '^restore record [0-9]+\? \(y/n\)'
send y
wait_screen "y restores it" 'restored 1 record'
wait_screen "... saying, as the shell does, that the source's next complete read deletes it again" \
	"^again if its next complete read still lacks it"
msg=$(screen | tail -n 2 | tr '\n' ' ' | sed 's/ *$//')
expect_match "... the message whole on the two rows under the status line, wrapped between words" \
	"$msg" "^restored 1 record \\(decision [0-9]+; 'undo [0-9]+' reverts it\\); source 'books' deletes it again if its next complete read still lacks it\$"
expect_match "... the status line above them" "$(screen | tail -n 3 | head -n 1)" '^ connected'
expect_no_match "... not in the pager: no q to press after a restore" "$(screen)" 'q closes'
expect_eq "the database has it live again" "$(is_deleted books 2)" f
wait_screen "the screen no longer lists it, under the message" 'no record is soft-deleted'
dec=$(sql "SELECT max(id) FROM kasparro.decisions WHERE action = 'restore'")
rid=$(sql "SELECT id FROM kasparro.records WHERE source = 'books' AND source_id = '2'")
send u
wait_screen "u asks before undoing the latest restore, naming it" \
	"^undo restore decision $dec \\(record $rid\\), deleting them again\\? \\(y/n\\)"
send y
wait_screen "y undoes it, saying what was deleted again" \
	'restore record [0-9]+: 1 record deleted again$'
expect_eq "the database has it deleted again" "$(is_deleted books 2)" t
wait_screen "the screen lists it again" '^ *[0-9]+ books +2 '
send r
wait_screen "r asks again" '^restore record [0-9]+\? \(y/n\)'
send y
wait_screen "y restores it once more" 'restored 1 record'
expect_no_match "... on the message line again, no pager" "$(screen)" 'q closes'
expect_eq "live again" "$(is_deleted books 2)" f

# the notes source loses both its records: the guard holds the deletions
printf 'id,title,author\n' >"$T/fx/notes.csv"
kas run notes >/dev/null 2>&1
wait_screen "the held set appears without a keypress" '^Held deletions awaiting a decision: 1' 30
wait_screen "with its run, source and count" '^ +3 notes +2 '
wait_screen "no record being deleted, the focus is on the held sets" \
	'^Held deletions awaiting a decision: 1 \(i shows, a applies, x discards\)'
send Enter
wait_screen "Enter, which shows a record, says a held set is none and what i shows" \
	'^a held set is not a record, and no record is soft-deleted; i shows the records'
send i
wait_screen "i lists the records the set would delete" 'Note one'
send q
send a
wait_screen "a asks first" "^delete the records run 3 held from notes\\? \\(y/n\\)"
send y
wait_screen "y applies the deletions" 'applied the deletions run 3 held: 2 records soft-deleted'
expect_eq "the records are soft-deleted" "$(is_deleted notes n1)$(is_deleted notes n2)" tt
wait_screen "the records are listed as deleted by run 3" '^ *[0-9]+ notes +n1 .* 3 Note one'
send R
wait_screen "R asks before restoring what the run deleted" \
	"^restore every record run 3 deleted\\? \\(y/n\\)"
send y
wait_screen "y restores them" 'restored 2 records deleted by run 3'
wait_screen "... saying that notes deletes them again" "^'notes' deletes them again if its next complete read still lacks them"
expect_no_match "... on two rows too, no pager" "$(screen)" 'q closes'
expect_eq "both are live again" "$(is_deleted notes n1)$(is_deleted notes n2)" ff
kas run notes >/dev/null 2>&1
wait_screen "another drop is held" '^Held deletions awaiting a decision: 1' 30
send h x
wait_screen "x asks first" "^keep the records run 4 held from notes\\? \\(y/n\\)"
send y
wait_screen "y discards: the records stay" 'kept'
expect_eq "nothing was deleted" "$(is_deleted notes n1)$(is_deleted notes n2)" ff
wait_no_screen "the held set is gone from the screen" '^Held deletions'
send q
wait_screen "q quits" 'console exited 0'

# a source taken out of the configuration: its deleted records keep its name
kas run --allow-mass-delete books >/dev/null 2>&1
expect_eq "the vanished record is deleted again" "$(is_deleted books 2)" t
console_stop
awk '/^\[/ { skip = ($0 == "[source books]") } !skip' "$CONF" >"$T/fx/no-books.conf"
CONF="$T/fx/no-books.conf"
console_start
wait_screen "the console is up without books" '^ connected'
send 5
wait_screen "without books in the configuration, its deleted record is listed" '^ *[0-9]+ books +2 '
send f
send_text books
send Enter
wait_screen "... and f filters by that source still" '^Deleted from books · 1 record'
send f
send_text nosuch
send Enter
wait_screen "a source never read is refused" "no source 'nosuch' is configured or was ever read"
wait_screen "... naming the configured ones, the message wrapped rather than cut" \
	'^ +\(configured: notes\)$'
wait_no_screen "... and the records of the filter before are not shown as its" '^ *[0-9]+ books +2 '
send f Enter
wait_screen "f Enter lists every deleted record again" '^ *[0-9]+ books +2 '

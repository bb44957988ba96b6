# The rows a list shows go to a file: E (or `export-view FILE`) writes the
# current list as narrowed (/) and ordered (s), every field of its listing,
# CSV or JSON lines by the file's name or --format; the message names the
# file and says when the list holds only part of a larger listing; a path
# that cannot be written is a clear error and leaves nothing behind. At
# 80x24 and at 200x60.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
console_fixture
fixture_source big
printf '[matching]\nkey_fields = title\ntitle_field = title\ncompare.title = exact\nblocking = author\n' >>"$CONF"
big_csv 600
kas run >/dev/null 2>&1
entities=$(kas entities --json --limit 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["total"])')
[ "$entities" -gt 500 ] && ok "more entities ($entities) than the Entities screen loads at once" ||
	not_ok "more entities than the Entities screen loads at once" "$entities"

# csv_col FILE COLUMN: the column's values, one a line (python's csv reader)
csv_col() {
	python3 -c 'import csv,sys; [print(r[sys.argv[2]]) for r in csv.DictReader(open(sys.argv[1], newline=""))]' "$1" "$2"
}
# wait_said DESC TEXT: poll until the screen says TEXT, blanks ignored (a
# message that fits is on the message line; the pager wraps a longer one
# at the screen's edge, in a word or between two)
wait_said() {
	_said=$(printf '%s' "$2" | tr -d ' ')
	_said_end=$(($(date +%s) + $(slow 10)))
	until screen | tr -d ' \n' | grep -qF -- "$_said"; do
		if [ "$(date +%s)" -ge "$_said_end" ]; then
			not_ok "$1" "the screen never said: $2" "$(screen)"
			return 1
		fi
		sleep 0.05
	done
	ok "$1"
}
# dismiss the message (or the pager a long one opened)
dismiss() { send :; send_text close; send Enter; }

for size in 80x24 200x60; do
	CONSOLE_COLS=${size%x*} CONSOLE_ROWS=${size#*x}
	out="$T/$size"
	mkdir -p "$out"
	(cd "$out" && console_start) # relative names are the console's folder's
	wait_screen "$size: the console is up" '^ connected' 30 || break

	send 6
	wait_screen "$size: Sources lists the sources" '^big +csv' 30
	send /
	send_text 'O'
	send Enter
	wait_screen "$size: / narrows Sources to the rows containing o" "^rows containing 'O': 2 of 3"
	send s
	wait_screen "$size: s orders them by name" '^SOURCE▲ '
	send E
	wait_screen "$size: E asks for a file" 'write the rows shown to'
	send_text sources.csv
	send Enter
	wait_said "$size: the message names the file and the rows" \
		"2 rows written to 'sources.csv' (CSV), those containing 'O'" || continue
	dismiss
	expect_eq "$size: the CSV holds the rows shown, in the order shown" \
		"$(csv_col "$out/sources.csv" name | tr '\n' ' ')" "books notes "
	expect_eq "$size: ... with every field of the listing, not only the columns on screen" \
		"$(head -n 1 "$out/sources.csv" | tr ',' '\n' | grep -cxE 'name|kind|records|last_run|last_status')" 5
	expect_no_match "$size: ... but not the listing's own count" "$(head -n 1 "$out/sources.csv")" '(^|,)total(,|$)'

	send s
	wait_screen "$size: s again: the other way round" '^SOURCE▼ '
	send :
	send_text "export-view $out/sources.txt --format jsonl"
	send Enter
	wait_said "$size: --format jsonl writes JSON lines whatever the name" \
		"2 rows written to '$out/sources.txt' (JSON lines)"
	dismiss
	expect_eq "$size: ... one object a line, in the order shown" \
		"$(python3 -c 'import json,sys; print(" ".join(json.loads(l)["name"] for l in open(sys.argv[1])))' "$out/sources.txt")" \
		"notes books"

	send 4
	wait_screen "$size: Entities loads a page of the entities" "^Entities · 500 of $entities entities" 30
	send :
	send_text "export-view entities.jsonl"
	send Enter
	wait_said "$size: exporting a page says the list holds only part of the listing" \
		"500 rows written to 'entities.jsonl' (JSON lines); the list holds 500 of $entities: its last row loads more"
	dismiss
	expect_eq "$size: ... and the file has the rows loaded" "$(wc -l <"$out/entities.jsonl")" 500

	send :
	send_text "export-view no/such/x.csv"
	send Enter
	wait_said "$size: a path that cannot be written is a clear error naming it" \
		"export-view: unable to create a file beside 'no/such/x.csv'"
	dismiss
	send :
	send_text "export-view x.csv --format xml"
	send Enter
	wait_said "$size: an unknown format is an error" "option '--format': 'xml' is not a format (csv, jsonl)"
	dismiss
	expect_eq "$size: ... and neither left a file behind" "$(ls "$out")" "$(printf 'entities.jsonl\nsources.csv\nsources.txt')"

	send q
	wait_screen "$size: q quits" 'console exited 0'
	console_stop
done

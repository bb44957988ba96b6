# A listing stays a table at 80 columns: its label column (a record's name,
# an entity's title, an audit note) is cut with "…" to the cells the other
# columns leave, and the ids beside it stay whole; rows come one at a time
# only when even the columns that are never cut do not fit. At 80 columns
# `audit` and `deleted` came out a row at a time in a shell, and `queue`
# and `entities` in the console's pager, 50 blocks for 50 rows. Piped, and
# with --json, every cell is whole.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
. "$KASPARRO_TOP/tests/lib/fixtures.sh"
new_db
sample_applied # run 2 held the partner's deletions; applied: records deleted
reason='the same study: the partner reordered the words of its title'
approve_first "$reason"
me=$(id -un)

out=$(shell_output 80 queue)
expect_match "at 80 columns queue is a table" "$out" '^ *ID +P +RECORD A +RECORD B$'
expect_match "... its records' labels cut with '…', the pair's id and probability whole" \
	"$out" '^ *[0-9]+ +0\.[0-9]+ +[0-9]+ articles-[a-z]+: [^…]*… +[0-9]+ partner-feed: [^…]*…$'
expect_no_match "... not a row at a time" "$out" '^RECORD A +[0-9]'
expect_eq "... its lines as wide as the terminal, no wider" \
	"$(widest "$(printf '%s\n' "$out" | grep -E '^ *([0-9]+|ID) ')")" 80

out=$(shell_output 80 entities)
expect_match "at 80 columns entities is a table" "$out" '^ *ID +KEY +RECORDS +TITLE$'
expect_match "... long titles cut with '…', the id, key and size whole" "$out" \
	'^ *[0-9]+ +[a-z0-9-]+-[0-9]{3} +[0-9]+ +[^ ].*…$'
expect_no_match "... not a row at a time" "$out" '^TITLE +'

out=$(shell_output 80 audit)
expect_match "at 80 columns audit is a table, RUN, DECISION and CHANGE left out" "$out" \
	'^ID +AT \(UTC\) +ACTOR +ACTION +TYPE +OBJECT +REASON$'
expect_match "... the operator's reason cut with '…', the entry's object whole" "$out" \
	"^ *[0-9]+ +[0-9-]+ [0-9:]+ +$me +approve +candidate +$pair +the same [^…]*…\$"
expect_no_match "... not a row at a time" "$out" '^REASON +'
out=$(shell_output 160 audit)
expect_match "at 160 columns audit has room for every column" "$out" \
	'^ID +AT \(UTC\) +ACTOR +ACTION +TYPE +OBJECT +RUN +DECISION +REASON +CHANGE$'

out=$(shell_output 80 deleted)
expect_match "at 80 columns deleted is a table, PURGED AFTER left out" "$out" \
	'^ *ID +SOURCE +RECORD +TITLE +DELETED \(UTC\) +RUN$'
expect_match "... its titles cut, the record's source id whole" "$out" \
	'^ *[0-9]+ +partner-feed +PF-[0-9]{2}-[0-9]{4} +[^ ].*… +[0-9-]+ [0-9:]+ +2$'

# Not a terminal, or --json: nothing is cut, whatever the terminal's width.
expect_no_match "written to a pipe, queue's labels are whole" "$(kas queue)" '…'
expect_match "... and audit keeps every column and the whole reason" "$(kas audit)" \
	"^ *[0-9]+ .* approve +candidate +$pair +- +[0-9]+ +$reason +"
# a cell longer than 1 KiB was cut with "…" even in a pipe
long=$(printf 'not the same %04d ' $(seq 1 90))
other=$(first_pending)
kas reject "$other" --reason "$long" >/dev/null || not_ok "candidate $other is rejected"
expect_match "... and decisions a reason of $(printf %s "$long" | wc -c) bytes" "$(kas decisions)" \
	"^ *[0-9]+ .* reject +candidate $other.* +$long +-\$"
out=$(shell_output 80 audit --json)
expect_match "with --json on a terminal, the reason is whole" "$out" "\"reason\":\"$reason\""

# The console's pager at 80x24: the same tables, cut to the pane.
console_stop
CONSOLE_COLS=80 CONSOLE_ROWS=24
console_start
wait_screen "the console is up" '^ connected' 30
for what in queue entities; do
	send :
	send_text "$what"
	send Enter
	case $what in
	queue) head='^ *ID +P +RECORD A +RECORD B$' row='^ *[0-9]+ +0\.[0-9]+ +[0-9]+ articles-.*…$' ;;
	entities) head='^ *ID +KEY +RECORDS +TITLE$' row='^ *[0-9]+ +[a-z0-9-]+ +[0-9]+ +[^ ].*…$' ;;
	esac
	wait_screen ":$what in the pager is a table" "$head"
	# (polled: the rows are drawn after the header the wait saw)
	wait_screen "... its rows cut with '…' at the pane's edge, ids first" "$row"
	expect_no_match "... not a row at a time" "$(screen)" '^(RECORD A|TITLE) +[^ ]'
	send q
	wait_no_screen "... q closes it" "$head"
done

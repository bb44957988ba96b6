# The pager cuts a table's lines at the pane's edge ("…") and scrolls them
# sideways, where it wraps prose: `show-run` at 80 columns prints the
# sources' table (81 cells wide with a source's long name, even with the
# columns it leaves out at 80 columns) above the source's long "not a
# complete read" line. Wrapped, the table's header and rows broke at different
# columns and its columns no longer lined up.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
csv_source_config shop-catalogue-export-of-the-partner-feeds
{ title_rows 1 20; echo ',No id here'; } >"$T/shop-catalogue-export-of-the-partner-feeds.csv"
kas run >/dev/null 2>&1 || not_ok "kasparro run loads the fixture"

console_start
wait_screen "the console is up" '^ connected'
send :
send_text 'show-run 1'
send Enter
wait_screen "show-run opens in the pager" '^SOURCE +STATUS'
# the table is read once the pager has drawn the prose line below it
wait_screen "the prose line below still wraps: its end is in sight" "'id'\\)\\)"
rows=$(screen)
header=$(echo "$rows" | grep -A1 '^SOURCE ')
expect_match "the table's header is one row, cut with '…'" "$header" '^SOURCE .* BAD +DEL[A-Z]*…$'
expect_match "... and the next row is the source's, not the header's rest" \
	"$(echo "$header" | sed -n 2p)" '^shop-catalogue-export-of-the-partner-feeds +succeeded +21 '
expect_no_match "no row holds the header's cut-off columns" "$rows" '^ *[A-Z]*ETED$'
expect_no_match "... its rows whole, none cut with '…'" "$(echo "$rows" | sed -n '/not a complete read/,$p')" '…'
send Right
send Right
wait_screen "Right scrolls the table sideways" 'BAD +DELETED *$'
send Left
send Left
wait_screen "Left back to the first column cuts it again" '^SOURCE .*…$'

# A table whose last column begins in the first half of the pane (help's
# summaries) wraps under that column instead: nothing is cut from it.
send q
send :
send_text 'help'
send Enter
wait_screen "help opens in the pager" '^COMMAND +SUMMARY'
rows=$(screen | sed -n '/^COMMAND /,/ connected /p' | sed '$d')
col=$(echo "$rows" | head -1 | awk '{ print index($0, "SUMMARY") - 1 }')
expect_no_match "... no summary cut with '…'" "$rows" '…'
expect_match "... a long summary goes on in the next row" "$rows" "
 {$col}[^ ]"
expect_eq "... each such row hanging under SUMMARY ($col cells in)" \
	"$(echo "$rows" | grep -Evc "^[a-zA-Z]|^ {$col}[^ ]|^\$")" 0

# A table that cutting would rob of its text (quarantine's reasons, past
# the edge at 80 columns) is shown a row at a time instead, as
# "TITLE  value" lines, each value whole.
send q
send :
send_text 'quarantine'
send Enter
wait_screen "quarantine opens in the pager, a row at a time" '^REASON +empty id'
wait_screen "... its source on a line of its own" '^SOURCE +shop-catalogue-export-of-the-partner-feeds$'
rows=$(screen)
expect_match "... its reason whole" "$rows" "^REASON +empty id \(field 'id'\)\$"
expect_no_match "... nothing cut with '…'" "$rows" '…'

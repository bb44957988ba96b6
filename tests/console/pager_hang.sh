# The pager wraps a long "  label    value" line with its continuation rows
# hanging under the value, as the command line's detail views indent them:
# `sources SOURCE`'s mapping line at 100 columns. They began at the pane's
# first column, under the label.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
mkdir -p "$T/fx"
CONF="$T/fx/kasparro.conf"
{
	printf '[schema]\n'
	for i in 1 2 3 4 5 6 7 8 9; do printf 'field_%s = text\n' "$i"; done
	printf '[source wide]\nkind = csv\npath = wide.csv\nid = id\n'
	for i in 1 2 3 4 5 6 7 8 9; do printf 'map.column_number_%s = field_%s\n' "$i" "$i"; done
	printf '[matching]\nenabled = false\n'
} >"$CONF"
printf 'id,column_number_1,column_number_2,column_number_3,column_number_4,column_number_5,column_number_6,column_number_7,column_number_8,column_number_9\n1,a,b,c,d,e,f,g,h,i\n' >"$T/fx/wide.csv"
kas run >/dev/null 2>&1 || not_ok "kasparro run loads the fixture"

CONSOLE_COLS=100 console_start
wait_screen "the console is up" '^ connected'
send :
send_text 'sources wide'
send Enter
wait_screen "sources wide opens in the pager" '^  mapping     column_number_1'
# the rows below the mapping line are read once the line after them is drawn
wait_screen "... the line after the mapping's is drawn" '^  records '
rows=$(screen | sed -n '/^  mapping /,/^  records /p' | sed '1d;$d')
expect_match "the mapping line wraps" "$rows" "column_number_9"
expect_eq "... each continuation row hanging under the value (14 cells in)" \
	"$(echo "$rows" | grep -cv '^              [^ ]')" 0

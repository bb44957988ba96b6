# :reload reads the configuration file again while the console runs: a new
# source shows on the Sources screen and the engine runs it; a file that
# does not load changes nothing and says which file and line, in full (on
# more than one row when it is wider than the screen) and on the Log screen, where Enter shows the whole message
# (on the message line's two rows, as a result of two rows is shown).
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
# last_rows_say TEXT: the message line's two rows, joined, say TEXT (read
# once the second row is drawn too, not only the first the wait saw)
last_rows_say() { screen | tail -n 2 | tr '\n' ' ' | tr -s ' ' | grep -Eq -- "$1"; }
console_up

fixture_source extra
printf 'id,title,author\ne1,Extra one,Fay\n' >"$T/fx/extra.csv"
send :
send_text reload
send Enter
wait_screen ":reload reads the file again and says what it found" \
	"^configuration reloaded: 3 sources, schedule '0 3 29 2 \\*'"
send 6
wait_screen "the Sources screen lists the new source" '^extra +csv +full '
send :
send_text 'run extra'
send Enter
send 1
wait_screen "the engine runs the new source" '^!? +2 succeeded +manual'
expect_eq "its record is loaded" \
	"$(sql "SELECT title FROM kasparro.records WHERE source = 'extra'")" "Extra one"

printf 'bogus_key = 1\n' >>"$CONF"
line=$(wc -l <"$CONF")
send :
send_text reload
send Enter
wait_screen "a file that does not load is refused with its file and line" \
	"^reload: config '.*kasparro.conf' line $line:"
# wider than 80 columns: the message wraps onto a second row, nothing cut
wait_for "... in full, on two rows" 10 last_rows_say \
	"line $line: unknown key 'bogus_key' in \\[source extra\\]; keeping the running configuration"
send 7
wait_screen "... and stays on the Log screen as a warning" '^[0-9:]+ warn .* reload: config '
send End
wait_no_screen "(the reload's message leaves the message line in its time)" "^reload: config " 30
send Enter
wait_screen "Enter on the line shows its whole message" "^reload: config '.*kasparro.conf' line $line"
wait_for "... on two rows of the message line, as it came, not in the pager" 10 last_rows_say \
	"line $line: unknown key 'bogus_key' in \\[source extra\\]; keeping the running configuration"
expect_no_match "... (no pager to close)" "$(screen)" 'q closes'
send 6
wait_screen "the running configuration stays" '^extra +csv +full '
console_stop

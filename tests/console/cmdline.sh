# The ':' command line: GNU readline inside the console. Tab completes
# command names, options, subcommands and ids; a UTF-8 line with wide
# characters keeps the cursor where it belongs; Up and C-r (with a
# multibyte pattern) find earlier lines; the history outlives the console.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
console_up

send :
wait_cursor "':' opens the line with the cursor after the prompt" "1 23"
send_text ec
send Tab
wait_screen "Tab completes a unique command name" '^:echo ?$'
send_text 'Zürich 東京'
wait_screen "UTF-8 and wide characters are shown as typed" '^:echo Zürich 東京$'
wait_cursor "the cursor column counts display cells (東京 takes four)" "17 23"
send Left Left
wait_cursor "Left moves over whole wide characters" "13 23"
send Enter
wait_screen "the line runs: echo shows its text in the message line" '^Zürich 東京$'

send :
send_text c
send Tab
wait_screen "an ambiguous Tab lists the candidates" '^ .*cancel .*close .*confirm'
send C-u
send_text 'show-run '
send Tab
wait_screen "a run id completes from the runs the screen loaded" '^:show-run 1 ?$'
send C-u
send_text 'run '
send Tab
wait_screen "a source argument lists the configured sources" '^ books +notes'
send C-u
send_text 'runs --li'
send Tab
wait_screen "options complete" '^:runs --limit ?$'
send C-u
send_text 'move page-d'
send Tab
wait_screen "subcommands complete" '^:move page-down ?$'
send C-u
send Up
wait_screen "Up brings back the last line" '^:echo Zürich 東京$'
send C-c
wait_no_screen "C-c closes the line" '^:'
send : C-r
send_text 'Zü'
wait_screen "C-r searches the history with a multibyte pattern" \
	"^\(reverse-i-search\)\`Zü': echo Zürich 東京"
send Escape
wait_no_screen "Escape leaves the search and the line" 'reverse-i-search'
send :
send_text 'nosuch'
send Enter
wait_screen "an unknown command says so" "unknown command 'nosuch'"
send :
send_text 'show-run 99'
send Enter
wait_screen "a command's error shows in the message line" 'no run 99'
send :
send_text 'help approve'
send C-c
wait_no_screen "C-c abandons the line" '^:help'
send q
wait_screen "q quits" 'console exited 0'
check "the history is saved under XDG_DATA_HOME" grep -q 'echo Zürich 東京' "$XDG_DATA_HOME/kasparro/history"
expect_no_match "an abandoned line is not in the history" "$(cat "$XDG_DATA_HOME/kasparro/history")" 'help approve'

console_stop
console_start
wait_screen "the console is up again" '^ +1 succeeded +manual'
send : Up
wait_screen "the history from the last session is there" '^:show-run 99$'

# A theme: color.ELEMENT lines in [kasparro] replace how the console draws
# an element (here the status line), :reload applies a changed line at once,
# NO_COLOR still wins, and `config check` refuses an unknown element or
# colour with its file and line.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
console_fixture
sed -i 's/^log_level = info$/log_level = info\ncolor.status = white red bold/' "$CONF"
e=$(printf '\033')
# status_sgr CODE: the status line is drawn with SGR parameter CODE
status_sgr() {
	tm capture-pane -p -e | grep ' connected' | grep -Eq "$e\\[([0-9]+;)*$1(;[0-9]+)*m"
}
expect_eq "config check takes the line" "$(kas config check >/dev/null 2>&1; echo $?)" 0

console_start
wait_screen "the console is up" '^ connected'
wait_for "the status line has the theme's red background" 10 status_sgr 41
if status_sgr 47; then not_ok "... not the built-in white one"; else ok "... not the built-in white one"; fi
wait_for "... in bold" 10 status_sgr 1
sed -i 's/^color.status = .*/color.status = black green/' "$CONF"
send :
send_text reload
send Enter
wait_for ":reload applies a changed line: a green background" 10 status_sgr 42
send q
wait_screen "q quits" 'console exited 0'
console_stop

NO_COLOR=1 console_start
wait_screen "the console is up with NO_COLOR" '^ connected'
send 2
wait_for "NO_COLOR: the status line keeps its reverse video" 10 status_sgr 7
if status_sgr 42; then not_ok "... and no colour"; else ok "... and no colour"; fi
send q
wait_screen "q quits" 'console exited 0'
console_stop

line=$(grep -n '^color.status' "$CONF" | cut -d: -f1)
sed -i 's/^color.status = .*/color.status = white purple/' "$CONF"
out=$(kas config check 2>&1)
expect_eq "config check refuses a colour it does not know" "$?" 2
expect_match "... naming the file, the line and the word" "$out" \
	"kasparro\\.conf' line $line: color.status: 'purple' is not a colour or an attribute"
sed -i 's/^color.status = .*/color.statsu = red/' "$CONF"
out=$(kas config check 2>&1)
expect_match "and an element it does not know, with a guess" "$out" \
	"line $line: color.statsu: unknown element 'statsu' \\(did you mean 'status'\\?\\)"

# tests/lib/complete.sh — Tab on the console's ':' line, for the
# tests/console/complete_*.sh scripts (after lib.sh and console.sh, with the
# console started):
#
#   offers LINE REGEX DESC       Tab lists the candidates (REGEX) on the status line
#   completes LINE DONE DESC [0] Tab makes the line DONE, a space after it
#                                (0: the cursor right after it, no space)
#   completes_text LINE DONE DESC [0]
#                                completes, DONE the line's text as it is
#                                (no regex: a backslash is one)
#   nothing LINE DESC            Tab adds nothing to LINE
#   close_line                   closes the line, and waits until it is

close_line() {
	send C-u
	send C-c
	wait_no_screen "... and the line is closed" '^:'
}
offers() {
	send :
	send_text "$1"
	send Tab
	wait_screen "$3" "$2"
	close_line
}
completes() {
	send :
	send_text "$1"
	send Tab
	wait_screen "$3" "^:$2\$"
	wait_cursor "... the cursor after it${4:+ (no space)}" "$((${#2} + 1 + ${4:-1})) 23"
	close_line
}
completes_text() {
	send :
	send_text "$1"
	send Tab
	wait_screen "$3" "^:$(printf '%s' "$2" | sed 's/[][\\.*^$+?(){}|]/\\&/g')\$"
	wait_cursor "... the cursor after it${4:+ (no space)}" "$((${#2} + 1 + ${4:-1})) 23"
	close_line
}
nothing() {
	send :
	send_text "$1"
	send Tab
	send_text '~'
	wait_screen "$2" "^:$1~\$"
	close_line
}

# A run's error as the console shows it live (the engine's last error, the
# run's progress, the message line): kept as the run keeps it, up to 4 KiB,
# and a longer one cut on a whole UTF-8 character ending in "… [cut]". It
# was cut at 512 bytes mid-character, so a long error in a language other
# than English ended in a broken character and lost its end. The message
# line takes up to six rows: at 480 columns they hold 4 KiB of Japanese.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
# a path of $1 folders named with 3-byte characters, under $T
deep_path() {
	p="$T"
	for i in $(seq "$1"); do p="$p/東京東京東京東京東京"; done
	printf %s "$p"
}
# true when $1 is valid UTF-8 (what the terminal showed, byte for byte)
valid_utf8() { printf %s "$1" | python3 -c 'import sys; sys.stdin.buffer.read().decode("utf-8")' 2>/dev/null; }
# msg_of RUN: the message line's rows from "run RUN failed: " down, joined
msg_of() { screen | sed -n "/^run $1 failed: /,\$p" | tr -d '\n'; }
# msg_ends RUN REGEX: ... and it ends as REGEX says (its last row drawn too)
msg_ends() { msg_of "$1" | grep -Eq -- "$2"; }
long=$(deep_path 30)    # about 1 KiB: the error fits whole
longer=$(deep_path 140) # more than 4 KiB: the error is cut
CONF="$T/k.conf"
{
	printf '[schema]\ntitle = text, required\n'
	printf '[source a]\nkind = csv\npath = %s/end.csv\nid = id\nmap.title = title\n' "$long"
	printf '[source b]\nkind = csv\npath = %s/end.csv\nid = id\nmap.title = title\n' "$longer"
	printf '[matching]\nenabled = false\n[scheduler]\nenabled = false\n'
} >"$CONF"

CONSOLE_COLS=480 CONSOLE_ROWS=30
console_start
wait_screen "the console is up" 'no runs yet' 30
send :
send_text 'run a'
send Enter
wait_screen "a source's failure ends the run, and the message line says so" '^run 1 failed: ' 30
# the message line wraps on the screen: join its rows to read it, once the
# last of them is drawn (the wait saw the first)
wait_for "... with the error whole, to its last word ($(printf %s "$long" | wc -c)-byte path)" 10 \
	msg_ends 1 "東京/end\\.csv': No such file or directory\$" || msg_of 1 | sed 's/^/#   /'
msg=$(msg_of 1)
check "... and no character broken" valid_utf8 "$msg"
expect_match "the run kept the same error" \
	"$(sql "SELECT error FROM kasparro.runs WHERE id = 1")" "東京/end\.csv': No such file or directory\$"

send :
send_text 'run b'
send Enter
wait_screen "a failure beyond 4 KiB ends the run too" '^run 2 failed: ' 30
wait_for "... its message cut after a whole character, and says so" 10 \
	msg_ends 2 "'$T/東京[東京/]*… \\[cut\\]\$" || msg_of 2 | sed 's/^/#   /'
msg=$(msg_of 2)
check "... no character broken" valid_utf8 "$msg"
expect_match "the run's stored error is cut the same way" \
	"$(sql "SELECT right(error, 12) FROM kasparro.runs WHERE id = 2")" "[東京/]… \\[cut\\]\$"

# A configuration line longer than 64 KiB (its line end aside) is refused
# whole, with its file and line: `config check` lists it among the other
# mistakes, and run and the daemon refuse the file (exit 2). Before, inih
# cut such a line where its buffer ended: the value was set short without a
# word, its tail was named as a malformed next line, and the line numbers
# after it were one off, so a truly malformed line below went unsaid.
. "$KASPARRO_TOP/tests/lib/lib.sh"

CONF="$T/k.conf"
long_value() { python3 -c "import sys; sys.stdout.write('x' * int(sys.argv[1]))" "$1"; }
{
	printf '[kasparro]\nlog_level = info\n[matching]\n'
	printf 'url_tracking_params = %s\n' "$(long_value 70000)"
	printf 'not a key\n[schema]\ntitle = text\n'
} >"$CONF"
out=$(kas config check 2>&1)
expect_eq "config check on a line over 64 KiB exits 2" "$?" 2
expect_eq "... naming the long line, then the malformed line after it, at its own number" \
	"$(printf '%s\n' "$out" | sed -n "s/^kasparro: config '[^']*'//p")" \
	" line 4: line longer than 65536 bytes (70022): not read
 line 5: not a 'key = value' line or a [section]
: 2 wrong lines"

for cmd in run daemon; do
	out=$(timeout 60 "$BIN" -c "$CONF" $cmd 2>&1)
	expect_eq "$cmd refuses the file (exit 2)" "$?" 2
	expect_match "... naming the long line first" "$out" \
		"line 4: line longer than 65536 bytes \(70022\): not read \(and 1 more wrong line: "
done

# A line of exactly 65536 bytes is read whole: only the line after it is wrong.
{
	printf '[kasparro]\nlog_level = info\n[matching]\n'
	printf 'url_tracking_params = %s\r\n' "$(long_value $((65536 - 22)))"
	printf 'not a key\n'
} >"$CONF"
out=$(kas config check 2>&1)
expect_eq "a line of 65536 bytes (and CR LF) is read whole" "$out" \
	"kasparro: config '$CONF' line 5: not a 'key = value' line or a [section]"

# Lines that are neither 'key = value' nor a [section] (no '=', a header
# without its ']', said as such): `config check` names every one, in the file's order
# among the other mistakes, and counts them all; from a pipe too. Every
# other command, the daemon and a run refuse the file (exit 2), naming the
# first and how many more. Before, inih's first such line was the only one
# said: the others were neither listed nor counted.
. "$KASPARRO_TOP/tests/lib/lib.sh"

CONF="$T/k.conf"
cat >"$CONF" <<'CONF'
[kasparro]
log_level = info
log_level is debug
[schema
title = text
[schema]
title = text
[source shop]
kind = csv
path = shop.csv
header = false
columns = id title
id = id
kind csv
CONF
out=$(kas config check 2>&1)
expect_eq "config check on malformed lines exits 2" "$?" 2
expect_eq "... naming every one, in order among the other mistakes, then how many" \
	"$(printf '%s\n' "$out" | sed -n "s/^kasparro: config '[^']*'//p" | cut -c1-40)" \
	" line 3: not a 'key = value' line or a [
 line 4: section header '[schema' has no
 line 14: not a 'key = value' line or a 
: 3 wrong lines"
out=$(kas config check 2>&1 | grep -c "not a 'key = value' line or a \[section\]\$")
expect_eq "... each said once" "$out" 2

out=$(kas config check --json 2>&1)
expect_eq "config check --json exits 2 as well" "$?" 2

out=$(cat "$CONF" | "$BIN" -c /dev/stdin config check 2>&1)
expect_match "from a pipe, every malformed line still counts" "$out" \
	"^kasparro: config '/dev/stdin': 3 wrong lines\$"
expect_match "... the last of them named" "$out" \
	"^kasparro: config '/dev/stdin' line 14: not a 'key = value' line or a \[section\]\$"

for cmd in runs run daemon; do
	out=$(timeout 60 "$BIN" -c "$CONF" $cmd 2>&1)
	expect_eq "$cmd refuses the file (exit 2)" "$?" 2
	expect_match "... naming the first malformed line and how many more" "$out" \
		"line 3: not a 'key = value' line or a \[section\] \(and 2 more wrong lines: 'kasparro config check' lists every one\)\$"
done

# Only malformed lines, at the start and the end (no newline after it).
printf 'first\nsecond\n[kasparro]\nlog_level = info\n\nlast' >"$T/only.conf"
out=$("$BIN" -c "$T/only.conf" config check 2>&1)
expect_eq "malformed lines alone: each named, the first and the last included" \
	"$(printf '%s\n' "$out" | sed -n "s/^kasparro: config '[^']*' line \([0-9]*\): .*/\1/p" | tr '\n' ' ')" \
	"1 2 6 "
expect_match "... and counted" "$out" "^kasparro: config '[^']*': 3 wrong lines\$"

# One malformed line is said alone, as before.
printf '[kasparro]\nlog_level = info\noops\n' >"$T/one.conf"
out=$("$BIN" -c "$T/one.conf" config check 2>&1)
expect_eq "one malformed line: said alone" "$out" \
	"kasparro: config '$T/one.conf' line 3: not a 'key = value' line or a [section]"

# A [section] header is one wherever inih, which reads the keys, takes it
# for one: after a carriage return, form feed or vertical tab at the start
# of its line (as after blanks), and after a UTF-8 byte order mark on the
# first line. kasparro's own line reader skipped only blanks, so a header
# after such a byte was a header to inih alone: its keys were given to a
# [source] that was never begun, and kasparro crashed (a write through a
# null pointer). A header's name is kept whole: inih keeps 49 bytes of it,
# and a source named by more than 42 characters was read as another one,
# cut short without a word (two such sources sharing those 42 clashed).
. "$KASPARRO_TOP/tests/lib/lib.sh"

CONF="$T/k.conf"
src() { # src NAME: a CSV source's keys
	printf 'kind = csv\npath = %s.csv\nid = id\nmap.title = title\n' "$1"
}
{
	printf '[schema]\ntitle = text\n\r[source cr]\n'; src cr
	printf '\f[source ff]\n'; src ff
	printf '\v [source vt]\n'; src vt
} >"$CONF"
out=$(kas config check 2>&1)
expect_eq "headers after a CR, a form feed, a vertical tab: config check exits 0 (no crash)" "$?" 0
expect_eq "... each read as its source's header" \
	"$(echo "$out" | sed -n 's/^  source \([a-z]*\) .*/\1/p' | tr '\n' ' ')" "cr ff vt "

printf '[schema]\ntitle = text\n\r[source]\nid = id\n' >"$CONF"
out=$(kas config check 2>&1)
expect_eq "a nameless [source] after a CR: refused (exit 2), not a crash" "$?" 2
expect_eq "... as a header with no name" "$out" \
	"kasparro: config '$CONF' line 3: [source] needs a name: [source NAME]"

printf '\357\273\277[schema\ntitle = text\n[source a]\n' >"$CONF"
src a >>"$CONF"
out=$(kas config check 2>&1)
expect_eq "an unclosed first header after a byte order mark: named as such" "$out" \
	"kasparro: config '$CONF' line 1: section header '[schema' has no closing ']': the keys under it are not read"

long=a-source-whose-name-is-well-over-forty-two-characters
{
	printf '[schema]\ntitle = text\n[source %s-1]\n' "$long"; src one
	printf '[source %s-2]\n' "$long"; src two
} >"$CONF"
out=$(kas config check 2>&1)
expect_eq "two sources named alike for 53 characters: both read (exit 0)" "$?" 0
expect_eq "... each by its whole name" \
	"$(echo "$out" | sed -n 's/^  source \([^ ]*\) .*/\1/p' | tr '\n' ' ')" "$long-1 $long-2 "
printf 'id,title\n1,One\n' >"$T/one.csv"
new_db
out=$(kas run "$long-1" 2>&1)
expect_match "kasparro run NAME finds the source by its whole name" "$out" "^$long-1 +succeeded +1 "
expect_eq "... and loads its record under that name" \
	"$(sql "SELECT source || ' ' || source_id FROM kasparro.records")" "$long-1 1"

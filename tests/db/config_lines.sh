# A configuration with several wrong lines: `config check` names every one,
# in the file's order, then how many; other commands name the first and
# how many more. A wrong [section] is said once, on its own line, and one
# said twice is a mistake of its header that does not end the check. The
# checks across lines follow once every line reads, every mistake of each
# source and of [matching] listed alike.
. "$KASPARRO_TOP/tests/lib/lib.sh"
cat >"$T/bad.conf" <<'CONF'
[kasparro]
log_level = chatty
[scheme]
title = text
[schema]
title = text
price = money
[source shop]
kind = csv
path = shop.csv
delimeter = semicolon
CONF
out=$("$BIN" -c "$T/bad.conf" config check 2>&1)
expect_eq "config check on a file with wrong lines exits 2" "$?" 2
expect_eq "... naming each wrong line once, in order, then how many" \
	"$(echo "$out" | sed -n "s/^kasparro: config '[^']*'\(.*\)/\1/p" | cut -c1-30)" \
	" line 2: key 'log_level': 'cha
 line 3: unknown section [sche
 line 7: field 'price': unknow
 line 11: unknown key 'delimet
: 4 wrong lines"
out=$("$BIN" -c "$T/bad.conf" runs 2>&1)
expect_eq "another command refuses the file too (exit 2)" "$?" 2
expect_match "... naming the first wrong line and how many more" "$out" \
	"line 2: key 'log_level': .* \(and 3 more wrong lines: 'kasparro config check' lists every one\)\$"
sed -i 's/chatty/info/; s/^\[scheme\]/[schema2]/; s/money/number/; s/delimeter/delimiter/' "$T/bad.conf"
out=$("$BIN" -c "$T/bad.conf" config check 2>&1)
expect_match "one wrong line left: said alone" "$out" \
	"^kasparro: config '[^']*' line 3: unknown section \[schema2\] \(did you mean 'schema'\?\)\$"
sed -i '3s/.*/; (a section was here)/; 4s/.*/;/' "$T/bad.conf"
cat >>"$T/bad.conf" <<'CONF'
map.cost = prize
[source api]
kind = http_json
url = http://127.0.0.1:9/items?page={page}
[matching]
blocking = title:prefix99
CONF
out=$("$BIN" -c "$T/bad.conf" config check 2>&1)
expect_eq "lines that read but do not fit together: every source's and [matching]'s, in order" \
	"$(echo "$out" | sed -n "s/^kasparro: config '[^']*' \(line [0-9]*\): .*/\1/p")" \
	"line 8
line 12
line 13
line 17"
expect_match "... the sources' saying what is wrong" "$out" \
	"line 13: source 'api': 'id' names no source field"
expect_match "... and [matching]'s" "$out" "line 17: \[matching\] blocking: unknown key function 'prefix99'"
expect_match "... a source's wrong mapping beside its missing id" "$out" \
	"line 12: source 'shop': map.cost: 'prize' is not a field of \[schema\] \(did you mean 'price'\?\)"
expect_match "... then how many" "$out" "^kasparro: config '[^']*': 4 wrong lines\$"

# [matching] with a wrong comparison, two wrong blocking keys on one line
# and its thresholds the wrong way round: every one, each with its line.
cat >>"$T/bad.conf" <<'CONF'
compare.titel = exact
review = 0.99
CONF
sed -i 's/^blocking = .*/blocking = title:prefix99, prise/' "$T/bad.conf"
out=$("$BIN" -c "$T/bad.conf" config check 2>&1)
expect_eq "every mistake of [matching], not only its first" \
	"$(echo "$out" | sed -n "s/^kasparro: config '[^']*' line \([0-9]*\): \[matching\] \(.\{0,30\}\).*/\1 \2/p")" \
	"17 blocking: unknown key function
17 blocking: 'prise' is not a fie
18 compare: 'titel' is not a fiel
19 review (0.99) is above auto (0"
expect_match "... counted as mistakes on lines" "$out" "^kasparro: config '[^']*': 7 mistakes on 6 lines\$"

# A section said twice ends nothing: what follows it is checked too.
cat >"$T/twice.conf" <<'CONF'
[kasparro]
log_level = info
[schema]
title = text
[source shop]
kind = csv
path = shop.csv
id = sku
[kasparro]
log_level = info
workers = 0
[source shop]
kind = csv
kind = csv
[matching]
auto = 2
CONF
out=$("$BIN" -c "$T/twice.conf" config check 2>&1)
expect_eq "a section said twice is one wrong line, and the lines after it are checked" \
	"$(echo "$out" | sed -n "s/^kasparro: config '[^']*'\(.*\)/\1/p" | cut -c1-36)" \
	" line 9: [kasparro] is declared twic
 line 11: key 'workers': 0 is not 1 
 line 12: [source shop] is declared 
 line 14: key 'kind' is given twice 
 line 16: key 'auto': '2' is not a n
: 5 wrong lines"
expect_match "... naming both lines" "$out" "line 12: \[source shop\] is declared twice \(first on line 5\)"

# config check reads the file once: from a pipe it still lists every line.
out=$(cat "$T/twice.conf" | "$BIN" -c /dev/stdin config check 2>&1)
expect_match "config check reads a configuration from a pipe once, listing every wrong line" \
	"$out" "^kasparro: config '/dev/stdin': 5 wrong lines\$"

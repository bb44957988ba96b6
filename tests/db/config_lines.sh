# A configuration with several wrong lines: `config check` names every one,
# in the file's order, then how many; other commands name the first and
# how many more. A wrong [section] is said once, on its own line. The
# checks across lines follow once every line reads, each source's and
# [matching]'s listed alike.
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
expect_eq "lines that read but do not fit together: each source's and [matching]'s, in order" \
	"$(echo "$out" | sed -n "s/^kasparro: config '[^']*' \(line [0-9]*\): .*/\1/p")" \
	"line 8
line 13
line 17"
expect_match "... the sources' saying what is wrong" "$out" \
	"line 13: source 'api': 'id' names no source field"
expect_match "... and [matching]'s" "$out" "line 17: \[matching\] blocking: unknown key function 'prefix99'"
expect_match "... then how many" "$out" "^kasparro: config '[^']*': 3 wrong lines\$"

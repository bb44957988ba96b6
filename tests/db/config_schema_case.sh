# Two [schema] fields whose names differ only in case ('title' and 'Title')
# are two columns to PostgreSQL, which kasparro quotes, yet one name to
# every lookup that finds a column or key in any case: mapped
# automatically, both read the same column. `config check` refuses the
# second, naming both lines; they used to be taken as two fields.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
cat >"$T/k.conf" <<'CONF'
[schema]
title = text
price = number
Title = text
[source shop]
kind = csv
path = shop.csv
id = id
[matching]
enabled = false
CONF
printf 'id,title\n1,Lamp\n' >"$T/shop.csv"
out=$("$BIN" -c "$T/k.conf" config check 2>&1)
expect_eq "config check refuses the file (exit 2)" "$?" 2
expect_eq "... naming both fields and both lines" \
	"$(echo "$out" | sed -n "s/^kasparro: config '[^']*'//p")" \
	" line 4: field 'Title' is field 'title' (line 2) in another case: kasparro finds columns and keys in any case, so both would read the same one; rename one"
expect_exit "a run refuses the configuration too (exit 2)" 2 "$BIN" -c "$T/k.conf" run
expect_eq "... and loads nothing" "$(sql "SELECT count(*) FROM pg_tables WHERE tablename = 'records'")" 0

# Any two cases: the first field declared is the one named.
sed -i 's/^Title = text$/TITLE = text/' "$T/k.conf"
expect_match "upper case is refused alike" "$("$BIN" -c "$T/k.conf" config check 2>&1)" \
	"line 4: field 'TITLE' is field 'title' \(line 2\) in another case"
sed -i '/^TITLE = text$/d' "$T/k.conf"
check "one field per name passes" "$BIN" -c "$T/k.conf" config check

# A CSV source without a header whose columns = names one column twice is
# a mistake of the configuration: `config check` names the file, the line
# of columns = and both columns, and exits 2, as every other command does,
# before any file is read. Case tells two names apart, as in a header.
# Before, the file was valid and only a read of the source refused it.
. "$KASPARRO_TOP/tests/lib/lib.sh"

CONF="$T/k.conf"
cat >"$CONF" <<'CONF'
[schema]
title = text, required

[source shop]
kind = csv
path = shop.csv
header = false
id = id
map.title = title
columns = id, title,  title
[matching]
enabled = false
CONF
printf '1,Lamp,x\n' >"$T/shop.csv"

out=$(kas config check 2>&1)
expect_eq "config check: columns = naming one column twice exits 2" "$?" 2
expect_eq "... naming the file, the line of columns =, the name and both columns" \
	"$(printf '%s\n' "$out" | grep -cxF "kasparro: config '$CONF' line 10: source 'shop': 'columns =' names 'title' twice (columns 2 and 3); rename or remove one of them")" 1
out=$(kas fetch shop 2>&1)
expect_eq "fetch refuses the configuration too (exit 2)" "$?" 2
expect_match "... with the same line" "$out" "line 10: source 'shop': 'columns =' names 'title' twice"
expect_no_match "... and reads nothing" "$out" 'Lamp'

sed -i 's/^columns = .*/columns = id, title, Title/' "$CONF"
expect_exit "two cases are two names: valid" 0 kas config check
sed -i 's/^columns = .*/columns = id, title, note/' "$CONF"
expect_exit "distinct names: valid" 0 kas config check
expect_match "... and read by their names" "$(kas fetch shop 2>&1)" '^line 1  1  \{"id":"1","title":"Lamp","note":"x"\}'

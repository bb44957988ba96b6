# A CSV source without a header whose columns = names one column twice is
# a mistake of the configuration: `config check` names the file, the line
# of columns = and both columns, and exits 2, as every other command does,
# before any file is read. Case tells two names apart, as in a header.
# Before, the file was valid and only a read of the source refused it.
# So is a name left empty (two commas with nothing between, a comma at
# either end), which was read as the key "" in every record's payload.
# columns = gives as many names as it lists: past the 512th they were
# dropped, so every line of a wider file was unreadable ("600 fields,
# expected 512") and a name twice among them went unseen.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/http.sh" # json_get

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

printf '1,x,Lamp\n' >"$T/shop.csv"
refused() { # DESC COLUMNS: config check and fetch refuse columns = COLUMNS, saying DESC
	sed -i "s/^columns = .*/columns = $2/" "$CONF"
	out=$(kas config check 2>&1)
	expect_eq "config check: columns = $2 exits 2" "$?" 2
	expect_eq "... naming the file, the line of columns =, the source and the column" \
		"$out" "kasparro: config '$CONF' line 10: source 'shop': 'columns =' gives $1; name it or remove the comma"
	out=$(kas fetch shop 2>&1)
	expect_eq "... fetch refuses the configuration too (exit 2)" "$?" 2
	expect_match "... with the same line, reading nothing" "$out" \
		"^kasparro: config '[^']*' line 10: source 'shop': 'columns =' gives column"
}
refused "column 2 no name (nothing between two commas)" "id,,title"
refused "column 2 no name (nothing between two commas)" "id,  ,title"
refused "column 3 no name (nothing after the last comma)" "id, title,"
refused "column 1 no name (nothing before the first comma)" ",id, title"
expect_no_match "... and no record was shown" "$out" 'Lamp'

# 600 names: every one is a column, the last too.
names=$(awk 'BEGIN { printf "id,title"; for (i = 3; i <= 600; i++) printf ",c%d", i }')
values=$(awk 'BEGIN { printf "1,Lamp"; for (i = 3; i <= 600; i++) printf ",v%d", i }')
sed -i "s/^columns = .*/columns = $names/" "$CONF"
printf '%s\n' "$values" >"$T/shop.csv"
expect_exit "600 names in columns =: valid" 0 kas config check
out=$(kas fetch --json shop 2>&1)
expect_eq "... each read as its own column, the 600th too" \
	"$(printf '%s' "$out" | json_get '[d["count"], d["error"], d["items"][0]["id"], len(d["items"][0]["record"]), d["items"][0]["record"]["c600"]]')" \
	'[1, null, "1", 600, "v600"]'

# A name twice past the 512th is seen too.
sed -i "s/,c590,/,c550,/" "$CONF"
out=$(kas config check 2>&1)
expect_eq "a name twice among 600: refused (exit 2)" "$?" 2
expect_eq "... naming both columns" "$out" \
	"kasparro: config '$CONF' line 10: source 'shop': 'columns =' names 'c550' twice (columns 550 and 590); rename or remove one of them"

# A csv source's file is looked for by `config check`, never by reading the
# configuration: a misspelt path is a warning that names the line of the
# path key and the file of a similar name, the file stays valid (exit 0,
# the export may arrive before the first run), and a run still fails the
# source naming the file.
. "$KASPARRO_TOP/tests/lib/lib.sh"

csv_source_config shop
title_rows 1 2 >"$T/shop.csv"
out=$(kas config check 2>"$T/err")
expect_eq "a file that is there: no warning" "$(cat "$T/err")" ""
expect_eq "a file that is there: --json has no warnings" \
	"$(kas config check --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["warnings"])')" "[]"

sed -i 's/^path = shop.csv$/path = shpo.csv/' "$CONF"
out=$(kas config check 2>"$T/err")
rc=$?
expect_eq "a misspelt path: the file is still valid (exit 0)" "$rc" "0"
expect_match "a misspelt path: still summarised" "$out" "source shop +csv"
expect_eq "a misspelt path: a warning with the path key's line and the near name" "$(cat "$T/err")" \
	"warning: config '$CONF' line 5: source 'shop': no file '$T/shpo.csv' (did you mean 'shop.csv'?); a run fails on it unless it is there by then"
expect_match "a misspelt path: --json carries the warning" "$(kas config check --json 2>/dev/null)" \
	"\"warnings\":\\[\"config '[^']*' line 5: source 'shop': no file"
out=$(kas fetch shop 2>&1)
expect_match "a misspelt path: reading the source names the file" "$out" \
	"source 'shop': unable to open '$T/shpo.csv': No such file or directory"

# the key may come anywhere in its section, and a folder is no file
printf '[schema]\ntitle = text\n[source shop]\nkind = csv\nid = id\nmap.title = title\n\npath = exports\n' >"$CONF"
mkdir "$T/exports"
kas config check >/dev/null 2>"$T/err"
expect_eq "a folder: the warning says so, at the path key's line" "$(cat "$T/err")" \
	"warning: config '$CONF' line 8: source 'shop': '$T/exports' is a folder, not a file"

# a disabled source is not read, so its file is not looked for
printf 'enabled = false\n' >>"$CONF"
kas config check >/dev/null 2>"$T/err"
expect_eq "a disabled source: no warning" "$(cat "$T/err")" ""

# A quarantined CSV row names its file beside its line, as an API's names
# its page's URL: `quarantine` (text and --json), the run's report and
# show-run say "line 3 (/path/of/shop.csv)", the path the run opened, so
# an operator goes to the row whatever the source's path is today. Before,
# "line 3" and the source's name were all: which file, after the path had
# changed or for a relative one, was left to guess.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
csv_source_config shop
printf 'id,title\n1,Lamp\n2,De"sk\n3,\n' >"$T/shop.csv"
out=$(kas run 2>&1)
expect_match "the run's report names the file beside the line" "$out" \
	"shop line 3 \($T/shop.csv\): malformed CSV: a quote inside an unquoted field"
expect_match "show-run too" "$(kas show-run 1 2>&1)" \
	"shop line 4 \($T/shop.csv\): missing required field 'title'"
out=$(kas quarantine 2>&1)
expect_match "quarantine names file and line" "$out" " line 3 \($T/shop.csv\) "
expect_match "... each row" "$out" " line 4 \($T/shop.csv\) +3 "
out=$(kas quarantine --json 2>&1)
expect_eq "quarantine --json: the location holds the file" \
	"$(printf '%s' "$out" | python3 -c 'import json,sys; print(" ".join(i["location"] for i in sorted(json.load(sys.stdin), key=lambda i: i["id"])))')" \
	"line 3 ($T/shop.csv) line 4 ($T/shop.csv)"

# The path the run read, not the one configured now.
mkdir "$T/new"
printf 'id,title\n5,\n' >"$T/new/shop.csv"
sed -i 's|^path = shop.csv$|path = new/shop.csv|' "$CONF"
kas run >/dev/null 2>&1
expect_eq "each run's rows name the file that run read" \
	"$(sql "SELECT string_agg(location, ' ' ORDER BY id) FROM kasparro.quarantine")" \
	"line 3 ($T/shop.csv) line 4 ($T/shop.csv) line 2 ($T/new/shop.csv)"

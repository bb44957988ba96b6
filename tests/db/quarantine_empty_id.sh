# A record whose id is written but empty ("" in JSON, an empty CSV cell,
# or only blanks) is quarantined as an empty id, with its place (the page
# and record with the URL, the line with the file) and the id's field, as
# every quarantined record is; one without the key, or whose id is null,
# is still a missing id. Before, "" and an empty cell were said to be
# missing too, which sent the operator looking for a key the record has.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
CONF="$T/k.conf"
printf '[schema]\ntitle = text\n[source api]\nkind = http_json\nurl = file://%s/e.json\nid = id\nrecords = data\nmap.title = title\nerror_ratio = 1\n' "$T" >"$CONF"
printf '[source shop]\nkind = csv\npath = shop.csv\nid = id\nmap.title = title\nerror_ratio = 1\n[matching]\nenabled = false\n' >>"$CONF"
printf '{"data": [{"id": 1, "title": "One"}, {"id": "", "title": "Two"}, {"id": "  ", "title": "Three"}, {"title": "Four"}, {"id": null, "title": "Five"}]}\n' >"$T/e.json"
printf 'id,title\n1,One\n,Two\n"  ",Three\n' >"$T/shop.csv"
kas run >/dev/null 2>&1
q() { sql "SELECT location || ' | ' || field || ' | ' || reason FROM kasparro.quarantine WHERE source = '$1' ORDER BY id"; }
expect_eq "JSON: an id of \"\" is empty, one of blanks too; an absent or null one is missing" "$(q api)" \
	"page 1, record 2 (file://$T/e.json) | id | empty id (field 'id')
page 1, record 3 (file://$T/e.json) | id | empty id (field 'id'): only blanks
page 1, record 4 (file://$T/e.json) | id | missing id (field 'id')
page 1, record 5 (file://$T/e.json) | id | missing id (field 'id')"
expect_eq "CSV: an empty id cell is an empty id, a quoted one of blanks too" "$(q shop)" \
	"line 3 ($T/shop.csv) | id | empty id (field 'id')
line 4 ($T/shop.csv) | id | empty id (field 'id'): only blanks"
expect_eq "the read is not whole, naming the first such record so" \
	"$(sql "SELECT incomplete FROM kasparro.run_sources WHERE source = 'shop'")" \
	"2 records could not be identified (the first, line 3 ($T/shop.csv): empty id (field 'id'))"
expect_match "kasparro quarantine shows the reason" "$(kas quarantine --source api 2>&1)" "empty id \(field 'id'\)"

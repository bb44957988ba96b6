# A read that quarantined a record without an id is not whole, and says
# why with the first such record: "1 record could not be identified
# (line 3 (PATH): REASON)". That text was cut at 255 bytes, so a
# file deep in a tree lost its reason, or its path mid-name; it is kept
# whole, however long the path.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
deep="$T/exports/partner-catalogue-exports-received-by-sftp/2026/december/week-49"
deep="$deep/of-the-partner-shop-with-its-very-long-and-descriptive-folder-names"
deep="$deep/one-more-level-of-folders-that-an-archive-tool-made-for-each-export-it-kept"
mkdir -p "$deep"
CONF="$T/k.conf"
printf '[schema]\ntitle = text\n[source shop]\nkind = csv\npath = %s/shop.csv\nid = id\nmap.title = title\nerror_ratio = 1\n[matching]\nenabled = false\n' "$deep" >"$CONF"
printf 'id,title\n1,One\n2,Two,extra\n3,Three\n' >"$deep/shop.csv"
kas run >/dev/null 2>&1
want="1 record could not be identified (line 3 ($deep/shop.csv): 3 fields, expected 2 as in the header)"
expect_eq "the path is long enough to have been cut" "$([ ${#want} -gt 256 ] && echo long)" long
expect_eq "why the read was not whole names the first record, path and reason whole" \
	"$(sql "SELECT incomplete FROM kasparro.run_sources WHERE source = 'shop'")" "$want"
expect_match "... and show-run says it so" "$(kas show-run 1 2>&1 | tr -d '\n ')" \
	"$(printf '%s' "$want" | tr -d ' ' | sed 's/[().]/\\&/g')"

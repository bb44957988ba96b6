# A quarantined row of a latin-1 or windows-1252 CSV file shows its raw
# text in UTF-8, as its loaded fields are, so an operator reads "café"
# where the row said it; it used to keep the file's byte, escaped
# ("caf\xe9"). A byte the encoding does not define keeps the file's text.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
csv_source_config shop
raw_of() {
	sql "SELECT raw FROM kasparro.quarantine WHERE run_id = (SELECT max(id) FROM kasparro.runs) AND location = '$1 ($T/shop.csv)'"
}
use_encoding() {
	sed -i '/^encoding = /d' "$CONF"
	sed -i "/^\[source shop\]/a encoding = $1" "$CONF"
}

printf 'id,title\n1,caf\351\n,cr\350me br\373l\351e\n3,\351t\351,b\n' >"$T/shop.csv"
use_encoding latin-1
kas run --full shop >/dev/null 2>&1
expect_eq "latin-1: a row without its id is quarantined in UTF-8" "$(raw_of 'line 3')" ",crème brûlée"
expect_eq "latin-1: so is a row with a field too many" "$(raw_of 'line 4')" "3,été,b"
expect_match "kasparro quarantine shows it so" "$(kas quarantine --json)" '"raw": *",crème brûlée"'
expect_eq "the loaded row reads the same way" "$(sql "SELECT title FROM kasparro.records WHERE source_id = '1'")" "café"

printf 'id,title\n1,fine\n,\200 5 \226 cheap\n,undefined \201 byte\n' >"$T/shop.csv"
use_encoding windows-1252
kas run --full shop >/dev/null 2>&1
expect_eq "windows-1252: the euro sign and the dash in UTF-8" "$(raw_of 'line 3')" ",€ 5 – cheap"
expect_eq "windows-1252: a byte it does not define keeps the file's text, escaped" \
	"$(raw_of 'line 4')" ',undefined \x81 byte'

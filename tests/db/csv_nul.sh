# A NUL byte in a CSV field makes its row unreadable (PostgreSQL text holds
# none), and the row's reason says so, naming the column, in a UTF-8 file
# as in a latin-1 one. Before, a UTF-8 file's said "invalid UTF-8 or a NUL
# byte" and suggested encoding = latin-1, which reads a NUL no better.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
csv_source_config s
sed -i '/^\[source s\]/a error_ratio = 1' "$CONF"
printf 'id,title\n1,a\n2,c\000d\n3,f\351g\n' >"$T/s.csv"
reason() {
	sql "SELECT reason FROM kasparro.quarantine WHERE run_id = $1 AND location = 'line $2 ($T/s.csv)'"
}
kas run >/dev/null 2>&1
expect_eq "a NUL byte: the row's reason names it and the column, and no encoding" \
	"$(reason 1 3)" "NUL byte in column 'title'"
expect_eq "a byte that is no UTF-8: latin-1 is still the hint" "$(reason 1 4)" \
	"invalid UTF-8 in column 'title' (is the file latin-1? then set encoding = latin-1)"
expect_eq "the readable row loads" "$(sql "SELECT string_agg(source_id, ' ') FROM kasparro.records")" 1
sed -i '/^\[source s\]/a encoding = latin-1' "$CONF"
kas run >/dev/null 2>&1
expect_eq "in a latin-1 file, the same words" "$(reason 2 3)" "NUL byte in column 'title'"

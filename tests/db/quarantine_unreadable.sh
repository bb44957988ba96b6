# A CSV row quarantined for an unreadable field (a NUL byte, invalid UTF-8)
# is named by its id in `kasparro quarantine`, like every other
# quarantined record, when the id itself is readable; it used to show
# RECORD "-" (only its line said which row it was). A row whose id is the
# unreadable field has no id to give.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
csv_source_config shop
printf 'id,title\n1,fine\n2,with a \000 byte\n3,caf\351\n\3514,bad id\n5,also fine\n' >"$T/shop.csv"
for enc in utf-8 latin-1; do
	sed -i '/^encoding = /d' "$CONF"
	sed -i "/^\[source shop\]/a encoding = $enc" "$CONF"
	kas run --full shop >/dev/null 2>&1
	run=$(sql "SELECT max(id) FROM kasparro.runs")
	got=$(sql "SELECT location || '=' || coalesce(source_id, '-') FROM kasparro.quarantine WHERE run_id = $run ORDER BY id" | tr '\n' ' ')
	case $enc in
	utf-8) want="line 3 ($T/shop.csv)=2 line 4 ($T/shop.csv)=3 line 5 ($T/shop.csv)=- " ;;
	latin-1) want="line 3 ($T/shop.csv)=2 " ;; # latin-1 reads é; the NUL stays unreadable
	esac
	expect_eq "$enc: the rows with an unreadable field are named by their ids" "$got" "$want"
	expect_match "$enc: ... and the reason names the column" \
		"$(sql "SELECT reason FROM kasparro.quarantine WHERE run_id = $run AND source_id = '2'")" "NUL byte.* column 'title'"
done
expect_match "kasparro quarantine lists record 2 by its id" "$(kas quarantine --run "$run")" \
	" line 3 \($T/shop.csv\) +2 +.*NUL byte"
expect_eq "the readable rows load (latin-1 reads the last id)" \
	"$(sql "SELECT string_agg(source_id, ' ' ORDER BY source_id) FROM kasparro.records WHERE NOT is_deleted")" "1 3 5 é4"

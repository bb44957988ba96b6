# A read that ends before the end its API announced is no complete read.
# An empty page ends a read; but when the API's total or page count says
# records follow it (a page the server failed to fill, records shifting
# while they are read), or its own has_more says so, the records it did not
# reach are not gone: the run says why the read was not whole and deletes
# nothing. Page, offset and cursor pagination alike; fetch says it too.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/http.sh"
new_db
start_fixture --records 25

live() { sql "SELECT count(*) FROM kasparro.records WHERE source = 'api' AND NOT is_deleted"; }
col() { sql "SELECT $1 FROM kasparro.run_sources WHERE run_id = (SELECT max(id) FROM kasparro.runs) AND source = 'api'"; }
# gap_conf URL [KEY=VALUE...]: the source 'api', deletions allowed up to all
gap_conf() { api_conf "$@" max_delete_ratio=1 retries=0 "[matching]" "enabled = false"; }
# expect_gap DESC N REASON: a run reads N of the 25 records, is not
# complete, deletes none, and says REASON
expect_gap() {
	kas run >/dev/null 2>&1
	expect_eq "$1: $2 read, not complete, none deleted" \
		"$(col "fetched || ' ' || complete || ' ' || soft_deleted") $(live)" "$2 false 0 25"
	expect_eq "$1: the reason" "$(col incomplete)" "$3"
}

paged="pagination=page page_size=10 size_param=size records=data"
gap_conf "$BASE/total/page" $paged total_path=meta.total
kas run >/dev/null 2>&1
expect_eq "a whole read loads the API's 25 records" "$(col "complete") $(live)" "t 25"

gap_conf "$BASE/total/page?hole=2" $paged total_path=meta.total
out=$(kas run 2>&1)
expect_eq "page 2 empty of 3 by the total: 10 read, not complete, none deleted" \
	"$(col "fetched || ' ' || complete || ' ' || soft_deleted") $(live)" "10 false 0 25"
expect_match "the run says why the read was not whole, naming the page and the total" "$out" \
	"api: not a complete read, so nothing was deleted: page 2 was empty where the API's total \(25 records\) says page 3 is its last"
expect_match "show-run says it too" "$(kas show-run "$(sql "SELECT max(id) FROM kasparro.runs")")" \
	"page 2 was empty where the API's total \(25 records\) says page 3 is its last"
expect_match "fetch says the read was not the whole source" "$(kas fetch api 2>&1 | tail -n 1)" \
	"^10 items from source 'api': .*; not the whole source: page 2 was empty where the API's total \(25 records\) says page 3 is its last$"
expect_eq "fetch --json carries it" "$(kas fetch --json api | json_get 'd["cut_short"]')" \
	"page 2 was empty where the API's total (25 records) says page 3 is its last"

gap_conf "$BASE/pages/page?hole=3" $paged pages_path=meta.pages
expect_gap "the last page empty by the page count" 20 \
	"page 3 was empty where the API's page count (3) says page 3 is its last"

gap_conf "$BASE/offset/offset?hole=2" pagination=offset page_size=10 records=items \
	total_path=total
expect_gap "offset 10 empty" 10 \
	"offset 10 was empty where the API's total (25 records) says offset 20 is its last"

gap_conf "$BASE/cursor/cursor?hole=2" pagination=cursor page_size=10 limit_param=limit \
	records=results cursor_path=next total_path=total
expect_gap "cursor: request 2 empty of a total of 25" 10 \
	"request 2 was empty, yet the API's total (25) says 15 more records follow"

# an empty page whose own has_more says more follow: no total needed
# (before, the read ended there as complete and deleted the 15 after it)
gap_conf "$BASE/more/page?hole=2" $paged has_more_path=meta.more
expect_gap "page 2 empty, its has_more true" 10 \
	"page 2 was empty, yet the API's meta.more says more follow"

# an empty page at the announced end is the end: the whole read deletes
gap_conf "$BASE/shrunk/page?n=20" $paged total_path=meta.total
kas run >/dev/null 2>&1
expect_eq "a whole read of 20 (the API's total) is complete and deletes the 5 gone" \
	"$(col "fetched || ' ' || complete || ' ' || soft_deleted") $(live)" "20 true 5 20"

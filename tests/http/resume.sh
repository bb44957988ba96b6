# Resuming: the position after the k-th record, given back with --resume,
# continues exactly after it in every pagination style: nothing repeated,
# nothing skipped, and pages before it are not asked for again. A Ctrl-C
# during a slow request stops the read promptly.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/http.sh"

start_fixture --records 25
all=$(seq -s ' ' 1 25)
ids='" ".join(i["id"] for i in d["items"])'

for style in page offset cursor link; do
	for k in 7 10 13; do
		case $style in
		page) api_conf "$BASE/r$k/page" pagination=page page_size=10 size_param=size \
			records=data pages_path=meta.pages ;;
		offset) api_conf "$BASE/r$k/offset" pagination=offset page_size=10 records=items \
			total_path=total ;;
		cursor) api_conf "$BASE/r$k/cursor" pagination=cursor page_size=10 \
			limit_param=limit records=results cursor_path=next ;;
		link) api_conf "$BASE/r$k/link?size=10" pagination=link ;;
		esac
		first=$(kas fetch --json --limit $k api)
		pos=$(echo "$first" | json_get 'd["position"]')
		rest=$(kas fetch --json --resume "$pos" api)
		expect_eq "$style: resumed after record $k at $pos" \
			"$(echo "$first" | json_get "$ids") $(echo "$rest" | json_get "$ids")" "$all"
	done
done

expect_eq "page: the first position names page and skip" \
	"$(api_conf "$BASE/p/page" pagination=page page_size=10 size_param=size records=data \
		pages_path=meta.pages; kas fetch --json --limit 13 api | json_get 'd["position"]')" \
	'{"page": 2, "skip": 3}'
expect_eq "page: the resumed read did not ask for page 1 again" \
	"$(fixture_stat page_hits '/r13/page 1')" "1"

expect_exit "a position that is not JSON is a usage error" 2 kas fetch --resume 'page 4' api

api_conf "$BASE/stuck/page?fault=slow&delay=20" pagination=page records=data timeout=60s
"$BIN" -c "$CONF" fetch api >"$T/out" 2>"$T/err" &
pid=$!
reached() { [ "$(fixture_stat hits /stuck/page)" -ge 1 ]; }
wait_for "the slow request reached the server" 60 reached
t0=$(now)
kill -INT $pid
wait $pid
rc=$?
expect_seconds "Ctrl-C stops a waiting read promptly" "$t0" "" "$(slow 2)"
expect_eq "a stopped read exits 1" "$rc" "1"
expect_match "and says it was stopped" "$(cat "$T/err")" \
	"source 'api': page 1: stopped before the end"

# Rate limit and concurrency: 10 requests at rate_limit=5 take at least
# ~1.6 s; with concurrency > 1 pages are fetched in parallel (the server
# sees several at once) and still come out in order, even when an early
# page is the slowest; with concurrency = 1 one at a time.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/http.sh"

start_fixture --records 80
paged="pagination=page page_size=10 size_param=size records=data pages_path=meta.pages"
in_order='[int(i["id"]) for i in d["items"]] == list(range(1, 81))'

api_conf "$BASE/rate/page?n=100" $paged rate_limit=5 concurrency=4
t0=$(now)
out=$(kas fetch --json api)
expect_seconds "rate limit: 10 requests at 5/s take at least 1.6 s" "$t0" 1.6 ""
expect_eq "rate limit: 10 pages, 10 requests" "$(echo "$out" | json_get 'd["count"], d["requests"]')" \
	"[100, 10]"

api_conf "$BASE/burst/page?n=100" $paged rate_limit=5 burst=10 concurrency=4
t0=$(now)
kas fetch api >/dev/null
expect_seconds "a burst of 10 lets 10 requests through at once" "$t0" "" 1.5

api_conf "$BASE/par/page?delay=0.3" $paged concurrency=4
out=$(kas fetch --json api)
expect_eq "concurrency 4: every record, in order" "$(echo "$out" | json_get "$in_order")" "True"
inflight=$(fixture_stat max_inflight /par/page)
if [ "$inflight" -ge 3 ]; then ok "concurrency 4: the server saw $inflight requests at once"; else
	not_ok "concurrency 4: requests in parallel" "max in flight: $inflight"; fi

api_conf "$BASE/late2/page?fault=slow&on=2&delay=0.6" $paged concurrency=4
out=$(kas fetch --json api)
expect_eq "page 2 answers last: records still in order" "$(echo "$out" | json_get "$in_order")" \
	"True"

api_conf "$BASE/seq/page?delay=0.1" $paged concurrency=1
out=$(kas fetch --json api)
expect_eq "concurrency 1: every record, in order" "$(echo "$out" | json_get "$in_order")" "True"
expect_eq "concurrency 1: one request at a time" "$(fixture_stat max_inflight /seq/page)" "1"

api_conf "$BASE/cur/cursor?delay=0.1" pagination=cursor page_size=10 limit_param=limit \
	records=results cursor_path=next concurrency=4
out=$(kas fetch --json api)
expect_eq "cursor pagination stays sequential" \
	"$(echo "$out" | json_get "$in_order") $(fixture_stat max_inflight /cur/cursor)" "True 1"

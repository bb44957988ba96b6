# What goes wrong with real APIs, and what kasparro does about it: 429 with
# Retry-After and 5xx are retried (after the advertised wait, never beyond
# retry_max); timeouts, truncated bodies, malformed JSON, HTML error pages
# and bodies over max_body end the read with a message that names the
# source and the page, exit 1, never a crash. Records read before a failing
# page were yielded.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/http.sh"

start_fixture --records 25
paged="pagination=page page_size=10 size_param=size records=data pages_path=meta.pages"

# fetch_api URL [KEY=VALUE...]: runs fetch --json; $out, $err, $rc
fetch_api() {
	api_conf "$@"
	out=$(kas fetch --json api 2>"$T/err")
	rc=$?
	err=$(cat "$T/err")
}

t0=$(now)
fetch_api "$BASE/t429/page?fault=429&times=1&retry_after=1" $paged retries=3
expect_seconds "429 + Retry-After: waited the advertised second" "$t0" 0.9 ""
expect_eq "429 + Retry-After: retried, then all 25 records" \
	"$rc $(echo "$out" | json_get 'd["count"], d["retries"]')" "0 [25, 1]"
expect_eq "429: the server saw the retry" "$(fixture_stat page_hits '/t429/page 1')" "2"
expect_match "429: the retry is logged with status and wait" "$err" \
	'"level":"warn".*"status":429.*"wait_ms":1000'

# Retries have a deadline: an API that keeps asking for another second is
# given up on once the next wait would end past retry_deadline after the
# first attempt, rather than after every retry (here 8 seconds of waits;
# how many fit in 2.5 depends on how fast the fixture answers). The time
# bound scales for a slow (sanitized, loaded) run like every other here;
# there it may pass without a deadline, and the count of requests below is
# what shows the deadline held.
t0=$(now)
fetch_api "$BASE/late/page?fault=429&retry_after=1" $paged retries=8 retry_deadline=2500ms
expect_seconds "retry_deadline: gave up long before the retries ran out" "$t0" "" "$(slow 6)"
# in the order of every other HTTP error: what happened, what the server
# said, the URL; then why the retries stopped (before, the deadline came
# between the status and the server's words)
expect_match "retry_deadline: the message names the attempts, the body, the URL, then the deadline" \
	"$(echo "$err" | tail -n 1)" \
	"^kasparro: source 'api': page 1: HTTP 429 after [23] attempts: 'try again' \($BASE/late/page\?fault=429&retry_after=1&page=1&size=10\); retry_deadline \(2500ms\) leaves no time for the next wait \(1.0s\)$"
expect_match "retry_deadline: fewer requests than retries = 8 makes" \
	"$rc $(fixture_stat hits /late/page)" "^1 [23]$"

t0=$(now)
fetch_api "$BASE/huge/page?fault=429&times=1&retry_after=3600" $paged retry_max=300ms
expect_seconds "retry_max: the capped wait was short" "$t0" "" "$(slow 3)"
expect_eq "a Retry-After of an hour is capped by retry_max" \
	"$rc $(echo "$out" | json_get 'd["count"]')" "0 25"
expect_match "retry_max: the log says 300 ms" "$err" '"wait_ms":300'

fetch_api "$BASE/t500/page?fault=500&times=2" $paged retries=3
expect_eq "500 twice then success: 25 records after 2 retries" \
	"$rc $(echo "$out" | json_get 'd["count"], d["retries"]')" "0 [25, 2]"

fetch_api "$BASE/t503/page?fault=503" $paged retries=2
expect_eq "503 for good: exit 1" "$rc" "1"
expect_match "503: the message names source, page, status and attempts" "$err" \
	"^kasparro: source 'api': page 1: HTTP 503 after 3 attempts"
expect_eq "503: retries=2 means 3 requests" "$(fixture_stat hits /t503/page)" "3"

fetch_api "$BASE/t500p3/page?fault=500&on=3" $paged retries=1
expect_eq "a failing page 3: the 20 records before it were yielded" \
	"$rc $(echo "$out" | json_get 'd["count"]')" "1 20"
expect_match "a failing page 3: the message names page 3" "$err" \
	"source 'api': page 3: HTTP 500 after 2 attempts"
expect_eq "a failing page 3: --json carries the error" \
	"$(echo "$out" | json_get 'd["error"]')" "$(echo "$err" | tail -n 1 | sed 's/^kasparro: //')"

# the bound and the server's delay scale alike for a slow (sanitized)
# build: waiting for the server would still take longer than the bound
t0=$(now)
fetch_api "$BASE/slow/page?fault=slow&delay=$(slow 5)" $paged timeout=300ms retries=1
expect_seconds "timeout: did not wait for the slow server" "$t0" "" "$(slow 3)"
expect_eq "timeout: exit 1" "$rc" "1"
expect_match "timeout: a clear message" "$err" \
	"^kasparro: source 'api': page 1: operation timed out after [0-9]+ milliseconds.*gave up after 2 attempts"

fetch_api "$BASE/trunc1/page?fault=truncated&times=1&bytes=50" $paged
expect_eq "a truncated body once: retried, then all records" \
	"$rc $(echo "$out" | json_get 'd["count"], d["retries"]')" "0 [25, 1]"
fetch_api "$BASE/trunc/page?fault=truncated&bytes=50" $paged retries=2
expect_eq "a body truncated every time: exit 1" "$rc" "1"
expect_match "truncated: the message says so" "$err" \
	"source 'api': page 1: transfer closed with 100 bytes remaining to read; gave up after 3 attempts"

fetch_api "$BASE/malformed/page?fault=malformed" $paged
expect_eq "malformed JSON: exit 1" "$rc" "1"
expect_match "malformed JSON: the byte is named" "$err" \
	"source 'api': page 1: malformed JSON near byte 3[0-9]"
expect_eq "malformed JSON is not retried" "$(fixture_stat hits /malformed/page)" "1"

fetch_api "$BASE/html200/page?fault=200html" $paged
expect_match "an HTML page with 200: says what came instead" "$err" \
	"source 'api': page 1: expected JSON, got text/html; charset=utf-8: 'Bad Gateway 502 Bad Gateway nginx'"
expect_eq "an HTML page with 200: exit 1, not retried" \
	"$rc $(fixture_stat hits /html200/page)" "1 1"
# JSON under another label: object stores serve JSON files as
# application/octet-stream, web apps often as text/html; the body decides
fetch_api "$BASE/octet/page?ctype=application/octet-stream" $paged
expect_eq "JSON served as application/octet-stream: all 25 records" \
	"$rc $(echo "$out" | json_get 'd["count"]')" "0 25"
fetch_api "$BASE/htmljson/page?ctype=text/html" $paged
expect_eq "JSON served as text/html: all 25 records" \
	"$rc $(echo "$out" | json_get 'd["count"]')" "0 25"
fetch_api "$BASE/html502/page?fault=502html" $paged retries=1
expect_match "an HTML 502 page: retried, then named" "$err" \
	"source 'api': page 1: HTTP 502 after 2 attempts: 'Bad Gateway 502 Bad Gateway nginx'"

fetch_api "$BASE/big/page?fault=big&bytes=5000" $paged max_body=1k
expect_match "a body over max_body (Content-Length): not retried" \
	"$rc $(fixture_stat hits /big/page) $err" "^1 1 .*page 1: response larger than max_body \(1k\)"
fetch_api "$BASE/bigch/page?fault=bigchunked&bytes=50000" $paged max_body=10k
expect_match "a chunked body over max_body: stopped while reading" \
	"$rc $(echo "$out" | json_get 'd["bytes"] < 20000') $err" \
	"^1 True .*page 1: response larger than max_body \(10k\)"

fetch_api "$BASE/bigerr/page?fault=502html" $paged max_body=50 retries=1
expect_match "an error page over max_body is still its status, retried" \
	"$rc $(echo "$err" | tail -n 1)" \
	"^1 .*page 1: HTTP 502 after 2 attempts"

fetch_api "$BASE/norec/page" $(echo "$paged" | sed 's/records=data/records=items/')
expect_match "no record array where 'records' says: the response is quoted" "$err" \
	"source 'api': page 1: no 'items' in the response: '\{\"data\""
fetch_api "$BASE/obj/page" $(echo "$paged" | sed 's/records=data/records=meta/')
expect_match "'records' naming an object" "$err" "'meta' is an object, not an array of records"

api_conf "http://127.0.0.1:1/nothing/page" $paged retries=1
expect_exit "a refused connection: exit 1" 1 kas fetch api
expect_match "a refused connection: named" "$(kas fetch api 2>&1)" \
	"source 'api': page 1: (failed to connect|couldn't connect).*gave up after 2 attempts"

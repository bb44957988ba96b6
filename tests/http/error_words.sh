# An HTTP error's body is quoted by what it says, not by its first bytes:
# an HTML error page by its words (its title, then its text, tags left out,
# a heading that repeats the title once), a JSON error body by its code and
# message. Before, the quote was the page's first line with text
# ('<title>Error response') or the JSON as written ('{"error": ...}').
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/http.sh"
new_db
start_fixture --records 3
paged="pagination=page page_size=10 size_param=size records=data pages_path=meta.pages"

api_conf "$BASE/p404/page?fault=404page" $paged retries=0
out=$(kas fetch api 2>&1)
expect_eq "Python's 404 page: fetch fails (exit 1)" "$?" 1
expect_match "... quoting the page's words, the message among them" "$out" \
	"^kasparro: source 'api': page 1: HTTP 404: 'Error response Error code: 404 Message: No such page\. Error code explanation: 4…' \($BASE/p404/page\?fault=404page&page=1&size=10\)$"
expect_no_match "... no markup" "$out" "<title>|<h1>|<p>|DOCTYPE"
out=$(kas run api 2>/dev/null)
expect_match "a run's report quotes the same words" "$out" \
	"api: page 1: HTTP 404: 'Error response Error code: 404 Message: No such page\."
expect_match "... and so does the run's stored error" \
	"$(sql "SELECT error FROM kasparro.run_sources WHERE source = 'api'")" \
	"HTTP 404: 'Error response Error code: 404 Message: No such page\."

api_conf "$BASE/nginx/page?fault=502html" $paged retries=0
expect_match "nginx's 502 page: its title, then its text" "$(kas fetch api 2>&1)" \
	"page 1: HTTP 502: 'Bad Gateway 502 Bad Gateway nginx'"

api_conf "$BASE/j400/page?fault=400json" $paged
expect_match "a JSON error body: its code and message" "$(kas fetch api 2>&1)" \
	"page 1: HTTP 400: 'invalid_cursor: cursor 'x' is unknown' \($BASE/j400/page"
api_conf "$BASE/j429/page?fault=429" $paged retries=0
expect_match "{\"error\": \"try again\"}: its message" "$(kas fetch api 2>&1)" \
	"page 1: HTTP 429: 'try again' \("

# Authentication: the header value comes from the environment variable that
# auth_header_env names, reaches the server, and appears in no output or
# log line, not even at LOG_LEVEL=debug; a missing variable is named, by a
# run and as a warning by config check. URLs
# in messages have secret-looking query values masked.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/http.sh"

secret="Bearer s3cr3t-k4sp4rr0-t0k3n"
start_fixture --records 15 --token "$secret"
paged="pagination=page page_size=10 size_param=size records=data pages_path=meta.pages"

api_conf "$BASE/secure/page?auth=1" $paged auth_header_env=KAS_TEST_TOKEN
unset KAS_TEST_TOKEN
expect_exit "an unset auth variable is a configuration error" 2 kas fetch api
expect_match "the message names the variable" "$(kas fetch api 2>&1)" \
	"source 'api': auth_header_env names the environment variable 'KAS_TEST_TOKEN', which is not set"
out=$(kas config check 2>&1)
expect_eq "config check: valid, exit 0" "$?" 0
expect_match "... warning that a run here would fail, with the key's line" "$out" \
	"^warning: config '$CONF' line [0-9]+: source 'api': auth_header_env names 'KAS_TEST_TOKEN', which is not set here; a run in this environment fails on it\$"
line=$(grep -n '^auth_header_env' "$CONF" | cut -d: -f1)
expect_match "... the line of auth_header_env" "$out" "line $line: source 'api'"
expect_match "an empty variable is called empty" "$(KAS_TEST_TOKEN= kas fetch api 2>&1)" \
	"'KAS_TEST_TOKEN', which is empty"
expect_match "... by config check too" "$(KAS_TEST_TOKEN= kas config check --json)" \
	"'KAS_TEST_TOKEN', which is empty here"

export KAS_TEST_TOKEN="$secret"
all=$(LOG_LEVEL=debug kas fetch --json api 2>"$T/log")
rc=$?
expect_eq "with the variable set: all 15 records" \
	"$rc $(echo "$all" | json_get 'd["count"]')" "0 15"
expect_eq "the server saw the header on both pages" "$(fixture_stat auth_ok /secure/page)" "2"
expect_match "debug logging was on" "$(cat "$T/log")" '"level":"debug".*page 1: 10 records'
expect_no_match "the value is in no output" "$all" "s3cr3t"
expect_no_match "the value is in no log line" "$(cat "$T/log")" "s3cr3t"
text=$(LOG_LEVEL=debug kas fetch api 2>&1)
expect_no_match "nor in the text output" "$text" "s3cr3t"

export KAS_TEST_TOKEN="Bearer wr0ng-v4lu3"
out=$(LOG_LEVEL=debug kas fetch api 2>&1)
expect_match "a wrong value: HTTP 401, named" "$out" "source 'api': page 1: HTTP 401"
expect_no_match "a wrong value is not printed either" "$out" "wr0ng-v4lu3"

api_conf "$BASE/secure2/page?auth=1" $paged
expect_match "401 without auth configured: a hint" "$(kas fetch api 2>&1)" \
	"HTTP 401.*the API may want auth_header_env"

api_conf "$BASE/keyed/page?api_key=t0ps3cr3t&fault=503" $paged retries=1
out=$(LOG_LEVEL=debug kas fetch api 2>&1)
expect_match "a key in the URL is masked in messages" "$out" \
	"page 1: HTTP 503 after 2 attempts.*api_key=\*\*\*"
expect_no_match "and in logs" "$out" "t0ps3cr3t"

# Link pagination sends the header with every page: a next link to another
# host (here localhost, not 127.0.0.1) would hand it the secret, as a
# redirect would. It is not followed; a link to the same host is.
export KAS_TEST_TOKEN="$secret"
port=${BASE##*:}
api_conf "$BASE/hop/link?size=10&auth=1&link_base=http://localhost:$port" pagination=link \
	auth_header_env=KAS_TEST_TOKEN
out=$(timeout 60 "$BIN" -c "$CONF" fetch api 2>&1)
expect_match "a next link to another host is refused with the auth header" "$out" \
	"source 'api': request 1: the next link goes to another host \('http://localhost:$port/hop/link\?.*'\), which is not followed with an auth header"
expect_eq "the other host never saw a request" "$(fixture_stat page_hits '/hop/link 2')" "0"
expect_eq "the records of the page that links away are read before the read fails" \
	"$(timeout 60 "$BIN" -c "$CONF" fetch --json api 2>/dev/null | json_get '[r["id"] for r in d["items"]]')" \
	"[\"1\", \"2\", \"3\", \"4\", \"5\", \"6\", \"7\", \"8\", \"9\", \"10\"]"
api_conf "$BASE/hop2/link?size=10&auth=1&link_base=$BASE" pagination=link \
	auth_header_env=KAS_TEST_TOKEN
expect_eq "an absolute link to the same host is followed: all 15 records" \
	"$(kas fetch --json api | json_get 'd["count"]')" "15"


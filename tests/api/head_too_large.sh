# A request whose target (path and query) or headers are too large is
# answered in JSON like every other error: 414 and 431 with a code, and a
# message giving the size and the limit. libmicrohttpd answered both itself,
# with an HTML page a client reading JSON choked on, and neither reached the
# access log. What fits still serves as before.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
api_fixture 1,one,1
start_daemon

long=$(python3 -c 'print("x" * 40000)')
get "/data?q=$long"
expect_eq "a 40 kB query: 414 in JSON" "$CODE $(jq_ 'd["error"]["code"]')" "414 uri_too_long"
expect_eq "... saying its size and the limit" "$(jq_ 'd["error"]["message"]')" \
	"the request's target (path and query) is 40008 bytes, over the 32768 this server takes"
expect_match "... sent as JSON" "$(grep -i '^content-type:' "$T/headers")" "application/json"

get /runs -H "X-Padding: $long"
expect_eq "40 kB of headers: 431 in JSON" "$CODE $(jq_ 'd["error"]["code"]')" "431 headers_too_large"
expect_match "... saying their size and the limit" "$(jq_ 'd["error"]["message"]')" \
	"^the request's headers are [0-9]+ bytes, over the 32768 this server takes$"

req POST /runs "$OPS_KEY" -H "X-Padding: $long" --data-binary '{"sources": ["a"]}'
expect_eq "... with a body too, answered without reading it" "$CODE $(jq_ 'd["error"]["code"]')" \
	"431 headers_too_large"
expect_eq "... and no run started" "$(sql 'SELECT count(*) FROM kasparro.runs')" 1

fits=$(python3 -c 'print("x" * 30000)')
get "/data?q=$fits"
expect_eq "a 30 kB query still serves" "$CODE" 200
get /runs -H "X-Padding: $fits"
expect_eq "... and 30 kB of headers" "$CODE" 200

expect_match "the 414 is in the access log" "$(grep '"msg":"http request"' "$T/daemon.log")" '"status":414'
stop_daemon

# A NUL byte (%00) in a request's path is 400 naming it: the decoded path
# used to end there, so /sources/a%00b answered for source 'a' and
# /health%00 as /health. An escaped percent sign (%2500) is no NUL.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
api_fixture 1,one,1
start_daemon

msg() { echo "$CODE $(jq_ 'd["error"]["code"]') $(jq_ 'd["error"]["message"]')"; }

get "/sources/a%00b"
expect_eq "/sources/a%00b: 400 naming the NUL and where it is" "$(msg)" \
	"400 bad_request the path holds a NUL byte (%00) at byte 11 of 12, which no path may"
get "/health%00"
expect_eq "/health%00 is not /health" "$(msg)" \
	"400 bad_request the path holds a NUL byte (%00) at byte 8 of 8, which no path may"
get "/data/a/%c3%a9%00?limit=1"
expect_eq "... counted in decoded bytes, the query aside" "$(msg)" \
	"400 bad_request the path holds a NUL byte (%00) at byte 11 of 11, which no path may"
req GET "/runs%00" ""
expect_eq "... before the key is asked for" "$CODE" 400
get "/sources/a%2500b"
expect_eq "an escaped percent sign is text: no such source" "$(msg)" \
	"404 not_found unknown source 'a%00b' (did you mean 'a'?); GET /sources lists them"
get "/sources/a"
expect_eq "the source itself still serves" "$CODE" 200
stop_daemon

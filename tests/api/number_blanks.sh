# A number in a path or a query parameter is digits alone: /runs/1%20,
# limit=%205 and min=%200.5 were taken as 1, 5 and 0.5 (the parser skips
# blanks around a number), where "1x" is refused; they are 400 naming the
# value now, as a field filter on an integer field is. An empty piece of a
# query ("?&&", a trailing "&") was "unknown parameter ''": it is nothing,
# as a form sends it, and a value with no name ("?=5") says so.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
api_fixture 1,one,1 2,two,2
start_daemon
msg() { echo "$CODE $(jq_ 'd["error"]["code"]') $(jq_ 'd["error"]["message"]')"; }

get "/runs/1"
expect_eq "the fixture: /runs/1" "$CODE" 200
get "/runs/1%20"
expect_eq "/runs/1%20: 400 naming the id as sent" "$(msg)" \
	"400 bad_parameter '1 ' is not a run id (a positive number)"
get "/runs/%201"
expect_eq "... a blank before it too" "$CODE" 400
get "/queue/%201"
expect_eq "... a candidate's id too" "$(msg)" \
	"400 bad_parameter ' 1' is not a candidate id (a positive number)"
get "/runs?limit=%205"
expect_eq "limit=%205: 400 naming the parameter" "$(msg)" \
	"400 bad_parameter parameter 'limit': ' 5' is not an integer from 1 to 1000"
get "/runs?limit=5%20"
expect_eq "... or a blank after it" "$CODE" 400
get "/runs?limit=%2B5"
expect_eq "... or a '+'" "$CODE" 400
get "/queue?min=%200.5"
expect_eq "min=%200.5: 400 as well" "$(msg)" \
	"400 bad_parameter parameter 'min': ' 0.5' is not a number from 0 to 1"
get "/data?n=%201"
expect_eq "a field filter on an integer field: 400 too" "$CODE" 400
get "/runs?limit=5"
expect_eq "limit=5: 200" "$CODE" 200

get "/runs?&&"
expect_eq "?&&: nothing, 200" "$CODE" 200
get "/data?&limit=1&"
expect_eq "an empty piece around a parameter: the parameter alone" "$CODE $(jq_ 'd["meta"]["count"]')" "200 1"
next=$(jq_ 'd["meta"]["next"]')
get "/data?limit=1&cursor=$next&&"
expect_eq "... its cursor goes on without them" "$CODE $(jq_ '[r["source_id"] for r in d["data"]]')" '200 ["2"]'
get "/runs?=5"
expect_eq "?=5: a value with no name" "$(msg)" "400 bad_parameter a parameter has a value and no name ('=5')"
stop_daemon

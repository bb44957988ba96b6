# Text that is not UTF-8, or holds a NUL (%00), in a path parameter, a
# query parameter's name or value, or a body: 400 naming which and the
# first bad byte, before any handler. Such a value used to reach
# PostgreSQL, whose refusal came back as 500 "internal" with the
# database's words, or was quoted in a message that made the reply (and
# the access-log line) no JSON at all. Every reply here is JSON.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
api_fixture 1,one,1 2,été,2
start_daemon

# strict JSON (python's json reads bytes as UTF-8, or fails); prints the
# status and the error's code and message
reply() {
	python3 -c 'import json, sys
d = json.loads(open(sys.argv[1], "rb").read())
e = d.get("error", {})
print(sys.argv[2], e.get("code", ""), e.get("message", ""))' "$T/body" "$CODE" 2>&1
}

get "/sources/%FF"
expect_eq "a path parameter: 400 naming it and the byte" "$(reply)" \
	"400 bad_parameter path parameter 'name' is not UTF-8: byte 1 of 1 is 0xff"
get "/data/a/x%FEy"
expect_eq "... the tail of /data/{source}/{source_id} too" "$(reply)" \
	"400 bad_parameter path parameter 'source_id' is not UTF-8: byte 2 of 3 is 0xfe"
get "/entities/%C3"
expect_eq "... a character cut short" "$(reply)" \
	"400 bad_parameter path parameter 'id' is not UTF-8: byte 1 of 1 is 0xc3"
get "/data?q=ab%FF"
expect_eq "a query value (it was 500 with PostgreSQL's words)" "$(reply)" \
	"400 bad_parameter parameter 'q' is not UTF-8: byte 3 of 3 is 0xff"
get "/runs?source=%FF"
expect_eq "... of every route" "$(reply)" \
	"400 bad_parameter parameter 'source' is not UTF-8: byte 1 of 1 is 0xff"
get "/data?title=%E9t%E9"
expect_eq "... a field filter (latin-1 sent for UTF-8)" "$(reply)" \
	"400 bad_parameter parameter 'title' is not UTF-8: byte 1 of 3 is 0xe9"
get "/data?q=ab%00cd"
expect_eq "a NUL in a value: named, not cut there" "$(reply)" \
	"400 bad_parameter parameter 'q' holds a NUL byte (%00) at byte 3 of 5, which no text may"
get "/data?%FF=1"
expect_eq "a parameter's name" "$(reply)" \
	"400 bad_parameter a parameter's name is not UTF-8: byte 1 of 1 is 0xff"
req POST /runs "$OPS_KEY" --data-binary "$(printf '{"sources": ["a\377"]}')"
expect_eq "a body: 400 before it is read as JSON" "$(reply)" \
	"400 bad_body the body is not UTF-8: byte 16 of 19 is 0xff"

printf '{"sources": ["a"]}\000' >"$T/nul.json"
req POST /runs "$OPS_KEY" --data-binary @"$T/nul.json"
expect_eq "... a NUL in it" "$(reply)" \
	"400 bad_body the body holds a NUL byte at byte 19 of 19, which no text may"

# what the client sent is still quoted, its bad bytes written \xNN
get "/%FF"
expect_eq "a path no route serves: 404 in JSON" "$(reply)" \
	"404 not_found no route GET /\\xff; GET /openapi.json lists them"
req GET "/%FF" ""
expect_eq "... and 401 without a key" "$(reply)" \
	"401 unauthorized /\\xff needs an API key: 'Authorization: Bearer KEY'"

# UTF-8 goes on working
get "/data?q=%C3%89T%C3%89"
expect_eq "UTF-8 is searched as before" "$CODE $(jq_ '[r["source_id"] for r in d["data"]]')" '200 ["2"]'
get "/data?title=%C3%A9t%C3%A9"
expect_eq "... and filtered" "$CODE $(jq_ 'd["meta"]["count"]')" "200 1"

bad=$(python3 -c 'import json, sys
for n, line in enumerate(open(sys.argv[1], "rb"), 1):
    try:
        json.loads(line)
    except ValueError as e:
        print(n, e)' "$T/daemon.log")
expect_eq "every line of the daemon's log is JSON" "$bad" ""
expect_match "... the path logged with its bad byte written \\xNN" \
	"$(grep '"msg":"http request"' "$T/daemon.log" | grep '"status":404')" '"path":"/\\\\xff"'
stop_daemon

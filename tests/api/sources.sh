# GET /sources lists the configured sources as `sources --json` does (the
# command itself answers), a source with neither records nor runs too,
# which /stats leaves out; GET /sources/NAME is one of them, 404 for a name
# nothing knows (tests/api/sources_removed.sh has those removed from the
# configuration). No route listed them before.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
new_db
csv_config 100 a b
printf 'id,title,n\n1,one,1\n2,two,2\n' >"$T/a.csv"
printf 'id,title,n\n' >"$T/b.csv"
api_keys
api_section
kas run a >/dev/null
start_daemon
same() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1])) == json.load(open(sys.argv[2])))' "$1" "$2"; }

get /sources
jq_ 'd["data"]' >"$T/api.json"
kas sources --json >"$T/cli.json"
expect_eq "GET /sources: 200, what 'sources --json' says" "$CODE $(same "$T/api.json" "$T/cli.json")" "200 True"
expect_eq "... both sources, b that never ran too" "$(jq_ '[s["name"] for s in d["data"]]')" '["a", "b"]'
expect_eq "... a's records" "$(jq_ '[s["records"] for s in d["data"]]')" '[2, 0]'
get /stats
expect_no_match "(which /stats does not name)" "$(cat "$T/body")" '"b"'

get /sources/b
jq_ 'd["data"]' >"$T/api1.json"
kas sources --json b | python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)[0]))' >"$T/cli1.json"
expect_eq "GET /sources/b: the row alone" "$CODE $(same "$T/api1.json" "$T/cli1.json")" "200 True"
get /sources/nope
expect_eq "GET /sources/nope: 404 naming it" "$CODE $(jq_ 'd["error"]["code"]')" "404 not_found"
expect_match "... in the configuration's words" "$(jq_ 'd["error"]["message"]')" "nope"
req GET /sources ""
expect_eq "without a key: 401" "$CODE" 401
get /openapi.json
expect_eq "/openapi.json describes both" \
	"$(jq_ 'sorted(p for p in d["paths"] if p.startswith("/sources"))')" '["/sources", "/sources/{name}"]'
stop_daemon

# GET /sources lists the sources removed from the configuration whose
# records are live ("configured": false), as `sources --json` does, but
# GET /sources/NAME answered 404 for them, as for a name nothing knows. It
# is the command's row now; a removed source with no live record left (its
# runs still name it: `sources NAME` says "removed from the configuration;
# no record left") is 410 pointing at its runs; 404 only for a name nothing
# knows.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
new_db
csv_config 100 a b c
printf 'id,title,n\n1,one,1\n2,two,2\n' >"$T/a.csv"
printf 'id,title,n\n1,uno,1\n' >"$T/b.csv"
printf 'id,title,n\n' >"$T/c.csv"
kas run >/dev/null
csv_config 100 a # b and c removed from the configuration
api_keys
api_section
start_daemon
same() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1])) == json.load(open(sys.argv[2])))' "$1" "$2"; }
msg() { echo "$CODE $(jq_ 'd["error"]["code"]') $(jq_ 'd["error"]["message"]')"; }

get /sources
expect_eq "the fixture: GET /sources lists b, removed" "$(jq_ '[[s["name"], s["configured"]] for s in d["data"]]')" \
	'[["a", true], ["b", false]]'
get /sources/b
jq_ 'd["data"]' >"$T/api.json"
kas sources --json b | python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)[0]))' >"$T/cli.json"
expect_eq "GET /sources/b: 200, the row 'sources b --json' gives" "$CODE $(same "$T/api.json" "$T/cli.json")" "200 True"
expect_eq "... configured: false, with what it left" "$(jq_ '[d["data"]["configured"], d["data"]["records"]]')" \
	'[false, 1]'
expect_match "(the command says so of c, read but with no record)" "$(kas sources c)" \
	"removed from the configuration; no record left"
get /sources/c
expect_eq "GET /sources/c: 410 pointing at its runs" "$(msg)" \
	"410 gone source 'c' was removed from the configuration and has no live record left; GET /runs?source=c lists the runs that read it"
get "/runs?source=c"
expect_eq "... which does list them" "$CODE $(jq_ 'd["meta"]["count"]')" "200 1"
get /sources/nosuch
expect_eq "GET /sources/nosuch: 404, a name nothing knows" "$(msg)" \
	"404 not_found unknown source 'nosuch'; GET /sources lists them"
get /openapi.json
expect_eq "/openapi.json: 404 and 410 for /sources/{name}" \
	"$(jq_ '[s in d["paths"]["/sources/{name}"]["get"]["responses"] for s in ("404", "410")]')" '[true, true]'
expect_eq "... both summaries speak of removed sources, not the configured ones only" \
	"$(jq_ '[("removed from the configuration" in d["paths"][p]["get"]["summary"]) for p in ("/sources", "/sources/{name}")]')" \
	'[true, true]'
stop_daemon

# A query parameter naming a source nothing knows is one answer on every
# route a source filters: /runs?source=nosuch was 400 bad_parameter naming
# the parameter while /data?source=nosuch was 404 not_found, and /data
# called unknown a source a run read but left no record of, which /runs
# lists. Both are now 400 bad_parameter with the words of the commands'
# --source; so is /data?entity= an entity that does not exist. A path
# naming a thing that is not there stays 404.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
new_db
csv_config 100 a b
printf 'id,title,n\n1,one,1\n' >"$T/a.csv"
printf 'id,title,n\n' >"$T/b.csv"
kas run >/dev/null
csv_config 100 a # b, read once, removed from the configuration
api_keys
api_section
start_daemon
msg() { echo "$CODE $(jq_ 'd["error"]["code"]') $(jq_ 'd["error"]["message"]')"; }

want="400 bad_parameter parameter 'source': no source 'nosuch' is configured or was ever read (configured: a)"
get "/runs?source=nosuch"
expect_eq "/runs?source=nosuch: 400 naming the parameter" "$(msg)" "$want"
get "/data?source=nosuch"
expect_eq "/data?source=nosuch: the same answer" "$(msg)" "$want"
get "/data?entity=nosuch"
expect_eq "/data?entity=nosuch: 400 naming the parameter too" "$(msg)" \
	"400 bad_parameter parameter 'entity': no entity 'nosuch'; GET /entities lists them"

# b was read but left no record: known to both, an empty list on both
get "/runs?source=b"
expect_eq "/runs?source=b (read, no record): its run" "$CODE $(jq_ 'd["meta"]["count"]')" "200 1"
get "/data?source=b"
expect_eq "/data?source=b: no record, not unknown" "$CODE $(jq_ 'd["meta"]["count"]')" "200 0"

get "/data/nosuch/1"
expect_eq "a path naming an unknown source stays 404" "$CODE $(jq_ 'd["error"]["code"]')" "404 not_found"
get /openapi.json
expect_match "/openapi.json: /data says 400 for them" \
	"$(jq_ 'd["paths"]["/data"]["get"]["summary"]')" "a source or entity nothing knows is 400 bad_parameter"
stop_daemon

# What the API answers about things that are not there speaks HTTP: a
# /data filter on a source that neither the configuration, a run nor a
# record knows, or on an entity that does not exist, is 400 naming the
# parameter, as /runs?source= (tests/api/filter_unknown.sh; an empty list
# would read as "no records yet"), a source the configuration no longer
# names still lists what it left; a
# missing run points at GET /runs, a candidate at GET /queue, a decision
# at GET /decisions, an entity at GET /entities and a missing source at
# GET /sources
# (GET /stats also lists sources the configuration no longer names, which
# POST /runs refuses), not at a shell command; and
# /compare-runs takes both runs, b alone (the completed run before it) or
# neither, and refuses a alone (which could compare a run with itself) and
# a run with itself, instead of answering an empty comparison.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
api_fixture 1,one,1 2,two,2
kas run >/dev/null
start_daemon

msg() { echo "$CODE $(jq_ 'd["error"]["code"]') $(jq_ 'd["error"]["message"]')"; }

get "/data?source=nope"
expect_eq "/data?source=nope: 400 naming the parameter and the source" "$(msg)" \
	"400 bad_parameter parameter 'source': no source 'nope' is configured or was ever read (configured: a)"
get "/sources/nope"
expect_eq "/sources/nope: 404 pointing at the route that lists the configured sources" "$(msg)" \
	"404 not_found unknown source 'nope'; GET /sources lists them"
get "/data?source=a"
expect_eq "/data?source=a: 200 with its records" "$CODE $(jq_ 'd["meta"]["count"]')" "200 2"
get "/data?entity=nope"
expect_eq "/data?entity=nope: 400 naming the parameter and the entity" "$(msg)" \
	"400 bad_parameter parameter 'entity': no entity 'nope'; GET /entities lists them"
get "/data?entity=424242"
expect_eq "... or an id no entity has" "$CODE" 400
e=$(sql "INSERT INTO kasparro.entities (key, title, size) VALUES ('one-001', 'one', 1) RETURNING id")
sql "INSERT INTO kasparro.entity_members (record_id, entity_id, method, seq) SELECT id, $e, 'manual', \
	change_seq FROM kasparro.records WHERE source_id = '1'" >/dev/null
get "/data?entity=one-001"
expect_eq "an entity by its key: 200 with its record" "$CODE $(jq_ 'd["meta"]["count"]')" "200 1"
get "/data?entity=$e"
expect_eq "... or by its id" "$CODE $(jq_ 'd["meta"]["count"]')" "200 1"
sql "UPDATE kasparro.records SET source = 'gone' WHERE source_id = '2'" >/dev/null
get "/data?source=gone"
expect_eq "a source only the records still name: 200 with them" "$CODE $(jq_ 'd["meta"]["count"]')" "200 1"

get /runs/99
expect_eq "an unknown run points at GET /runs" "$(msg)" \
	"404 not_found no run 99; GET /runs lists them"
get "/compare-runs?a=99&b=1"
expect_eq "/compare-runs with an unknown run likewise" "$(msg)" \
	"404 not_found no run 99; GET /runs lists them"

# a candidate, a decision or an entity missing points at its listing route
get /queue/99999
expect_eq "an unknown candidate points at GET /queue" "$(msg)" \
	"404 not_found no candidate 99999; GET /queue lists them"
req POST /queue/99999/approve "$OPS_KEY" -d '{}'
expect_eq "... approving one too" "$(msg)" "404 not_found no candidate 99999; GET /queue lists them"
req POST /decisions/99999/undo "$OPS_KEY"
expect_eq "an unknown decision points at GET /decisions" "$(msg)" \
	"404 not_found no decision 99999; GET /decisions lists them"
get /entities/nope
expect_eq "an unknown entity points at GET /entities" "$(msg)" \
	"404 not_found no entity 'nope'; GET /entities lists them"

get "/compare-runs?a=2"
expect_eq "/compare-runs?a= alone: 400 saying what it takes" "$(msg)" \
	"400 bad_parameter parameter 'a' needs 'b': give both runs, b alone (compared with the completed run before it) or neither (the last two completed runs)"
get "/compare-runs?a=2&b=2"
expect_eq "/compare-runs of a run with itself: 400 saying so" "$(msg)" \
	"400 bad_parameter parameters 'a' and 'b' are both run 2: a run compared with itself has no differences"
get "/compare-runs?b=2"
expect_eq "/compare-runs?b= alone: the run before it" \
	"$CODE $(jq_ 'd["data"]["a"]["id"]') $(jq_ 'd["data"]["b"]["id"]')" "200 1 2"
get "/compare-runs"
expect_eq "/compare-runs: the last two" \
	"$CODE $(jq_ 'd["data"]["a"]["id"]') $(jq_ 'd["data"]["b"]["id"]')" "200 1 2"
stop_daemon

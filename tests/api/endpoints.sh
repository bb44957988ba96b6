# The HTTP API of `kasparro daemon`, with curl against the real server on
# 127.0.0.1: every endpoint and its error statuses, the envelope (meta with
# request_id and api_latency_ms, X-Request-Id), keys and roles (401 vs 403),
# open routes, bad parameters named in a 400, body limit, one JSON access-log
# line per request that never holds a key, /openapi.json in step with the
# routes served, and /metrics passing promtool.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
new_db
sample_config
api_keys
api_section "open=/health, /metrics" "max_body=1k"
kas run >/dev/null 2>&1
start_daemon
# the scheduler thread starts beside the HTTP server: /health says
# "starting" until it has read the schedule
wait_for "the daemon's scheduler waits for its next fire time" 30 sh -c \
	"curl -s '$API/health' | grep -q '\"state\": *\"waiting\"'"

get /health
expect_eq "/health: 200" "$CODE" 200
expect_eq "/health: the database is reachable at the schema the binary knows" \
	"$(jq_ '[d["data"]["database"]["reachable"], d["data"]["database"]["schema_version"] == d["data"]["database"]["schema_expected"]]')" "[true, true]"
expect_eq "/health: the last run and the scheduler" \
	"$(jq_ '[d["data"]["last_run"]["status"], d["data"]["scheduler"]["state"]]')" '["succeeded", "waiting"]'
expect_match "... both ages in seconds to a tenth, as a number" \
	"$(jq_ '[d["data"]["last_run"]["age_seconds"], d["data"]["scheduler"]["heartbeat_age_seconds"]]')" \
	'^\[[0-9]+(\.[0-9])?, [0-9]+(\.[0-9])?\]$'
expect_match "every response has meta.request_id and meta.api_latency_ms" \
	"$(jq_ 'sorted(d["meta"].keys())')" '"api_latency_ms", "request_id"'
expect_eq "... and the same id in X-Request-Id" \
	"$(tr -d '\r' <"$T/headers" | sed -n 's/^X-Request-Id: //p')" "$(jq_ 'd["meta"]["request_id"]')"
req GET /health "" -H "X-Request-Id: trace-42"
expect_eq "an incoming X-Request-Id is kept" "$(jq_ 'd["meta"]["request_id"]')" trace-42
req GET /health ""
expect_eq "/health is open by configuration: no key needed" "$CODE" 200

# keys and roles
req GET /data ""
expect_eq "no key: 401" "$CODE" 401
expect_match "... saying how to give one" "$(cat "$T/body")" "Authorization: Bearer KEY"
expect_match "... with WWW-Authenticate" "$(cat "$T/headers")" "WWW-Authenticate: Bearer"
expect_no_match "... with no error attribute: no key was sent (RFC 6750)" "$(cat "$T/headers")" "error="
req GET /data "not-a-key-at-all-0000"
expect_eq "a wrong key: 401" "$CODE" 401
expect_match "... its challenge saying the key is not valid (RFC 6750 invalid_token)" \
	"$(tr -d '\r' <"$T/headers")" '^WWW-Authenticate: Bearer realm="kasparro", error="invalid_token"$'
req POST /runs "$VIEW_KEY"
expect_eq "a viewer key on an operator route: 403" "$CODE" 403
expect_eq "... with an error code and message" "$(jq_ 'd["error"]["code"]')" forbidden
req POST /queue/1/approve "$VIEW_KEY"
expect_eq "a viewer may not approve: 403" "$CODE" 403
req GET /stats "$OPS_KEY"
expect_eq "an operator key reads too" "$CODE" 200
req GET /openapi.json ""
expect_eq "/openapi.json is not open unless [http] open says so" "$CODE" 401

# /data
get "/data?limit=5"
expect_eq "/data: 200 with 5 records" "$CODE $(jq_ 'len(d["data"])')" "200 5"
expect_eq "records carry source, source_id, change_seq, entity and typed fields" \
	"$(jq_ 'sorted(d["data"][0].keys())')" \
	'["change_seq", "deleted", "entity", "fields", "id", "source", "source_id", "updated_at"]'
expect_match "a next cursor when there is more" "$(jq_ 'd["meta"]["next"]')" '^[A-Za-z0-9_-]+$'
get "/data?source=articles-csv&category=travel&fields=title,category&limit=1000"
expect_eq "field equality filter and projection" \
	"$(jq_ 'sorted(set((r["source"], r["fields"]["category"], tuple(sorted(r["fields"]))) for r in d["data"]))')" \
	'[["articles-csv", "travel", ["category", "title"]]]'
expect_eq "... the same records as in the database" "$(jq_ 'len(d["data"])')" \
	"$(sql "SELECT count(*) FROM kasparro.records WHERE source = 'articles-csv' AND category = 'travel' AND NOT is_deleted")"
word=$(sql "SELECT title FROM kasparro.records ORDER BY id LIMIT 1" | cut -d' ' -f2 | tr -dc 'A-Za-z')
lower=$(echo "$word" | tr 'A-Z' 'a-z')
get "/data?q=$(echo "$word" | tr 'a-z' 'A-Z')&fields=title"
expect_eq "q searches titles, case ignored" \
	"$(jq_ "len(d['data']) > 0 and all('$lower' in r['fields']['title'].lower() for r in d['data'])")" true
get "/data?limit=0"
expect_eq "limit 0: 400" "$CODE" 400
expect_match "... naming the parameter" "$(jq_ 'd["error"]["message"]')" "parameter 'limit'"
get "/data?limit=1001"
expect_eq "limit above 1000: 400" "$CODE" 400
get "/data?colour=red"
expect_eq "an unknown parameter: 400 naming it" "$CODE $(jq_ 'd["error"]["message"]')" \
	"400 unknown parameter 'colour' for GET /data"
get "/data?fields=title,nope"
expect_match "an unknown projected field: 400" "$CODE $(jq_ 'd["error"]["message"]')" \
	"^400 parameter 'fields': 'nope' is not a declared field"
get "/data?published_at=yesterday"
expect_match "a filter value of the wrong type: 400 naming the field" \
	"$CODE $(jq_ 'd["error"]["message"]')" "^400 parameter 'published_at': 'yesterday' is not a timestamp"
get "/data?cursor=garbage"
expect_eq "a cursor this server did not give: 400" "$CODE" 400
get "/data?limit=2"
next=$(jq_ 'd["meta"]["next"]')
get "/data?limit=2&source=articles-api&cursor=$next"
expect_match "a cursor used with other filters: 400" "$CODE $(jq_ 'd["error"]["message"]')" \
	"^400 parameter 'cursor': it belongs to a query with other filters"
get "/data?updated_after=1h&limit=1"
expect_eq "updated_after takes a duration ago" "$CODE $(jq_ 'len(d["data"])')" "200 1"
get "/data?updated_after=2100-01-01T00:00:00Z"
expect_eq "... or a time" "$CODE $(jq_ 'len(d["data"])')" "200 0"

sid=$(sql "SELECT source_id FROM kasparro.records WHERE source = 'articles-api' ORDER BY id LIMIT 1")
get "/data/articles-api/$sid"
expect_eq "/data/{source}/{id}: the record with its raw payload" \
	"$CODE $(jq_ '[d["data"]["source_id"], str(d["data"]["payload"]["id"])]')" "200 [\"$sid\", \"$sid\"]"
get "/data/articles-api/no-such-id"
expect_eq "an unknown record: 404" "$CODE" 404
get "/data/nowhere/1"
expect_eq "an unknown source: 404" "$CODE" 404

# entities and the queue
get "/entities?limit=3"
expect_eq "/entities: 200, at most 3" "$CODE $(jq_ 'len(d["data"]) <= 3 and len(d["data"]) > 0')" "200 true"
key=$(jq_ 'd["data"][0]["key"]')
id=$(jq_ 'd["data"][0]["id"]')
get "/entities/$key"
expect_eq "/entities/{key} with members" "$CODE $(jq_ '[d["data"]["id"], len(d["data"]["members"]) > 0]')" "200 [$id, true]"
get "/entities/$id"
expect_eq "/entities/{id} too" "$CODE $(jq_ 'd["data"]["key"]')" "200 $key"
get "/entities/no-such-entity"
expect_eq "an unknown entity: 404" "$CODE" 404
get "/queue?limit=5&order=score"
expect_eq "/queue: 200" "$CODE" 200
get "/queue?order=random"
expect_eq "a bad order: 400 naming the parameter and the values it takes" \
	"$CODE $(jq_ '[d["error"]["code"], d["error"]["message"]]')" \
	"400 [\"bad_parameter\", \"parameter 'order': 'random' is not one of uncertainty or score\"]"
# the values a command checks are the route's: refused as the parameter they
# are, not as the command's option (they used to answer "runs: --status
# 'bogus' ...", code bad_request)
get "/runs?status=bogus"
expect_eq "/runs?status= not a run status: 400 naming the parameter" \
	"$CODE $(jq_ '[d["error"]["code"], d["error"]["message"]]')" \
	"400 [\"bad_parameter\", \"parameter 'status': 'bogus' is not one of running, succeeded, partial, failed, interrupted, abandoned, missed or skipped\"]"
get "/decisions?action=bogus"
expect_eq "/decisions?action= not a decision: 400 naming the parameter" \
	"$CODE $(jq_ '[d["error"]["code"], d["error"]["message"]]')" \
	"400 [\"bad_parameter\", \"parameter 'action': 'bogus' is not one of approve, reject, split, restore or undo\"]"
get "/decisions?action=reject&limit=5"
expect_eq "... and one that is: 200" "$CODE" 200
get "/queue?min=2"
expect_match "min above 1: 400 naming it" "$CODE $(jq_ 'd["error"]["message"]')" "^400 parameter 'min'"
get "/queue?min=0.9&max=0.1"
expect_eq "min above max: 400 naming both, as 'kasparro queue' refuses it (not an empty queue)" \
	"$CODE $(jq_ 'd["error"]["message"]')" \
	"400 parameters 'min' and 'max': 0.9 is above 0.1, and no candidate lies between them"
cand=$(sql "SELECT id FROM kasparro.match_candidates ORDER BY id LIMIT 1")
get "/queue/$cand"
expect_eq "/queue/{id}: the explanation" "$CODE $(jq_ 'len(d["data"]["fields"]) > 0')" "200 true"
get "/queue/999999"
expect_eq "an unknown candidate: 404" "$CODE" 404
get "/queue/abc"
expect_eq "a candidate id that is not a number: 400" "$CODE" 400

# decisions: a pending pair made by hand, approved once, then a conflict
sql "UPDATE kasparro.match_candidates SET status = 'pending', decided_by = NULL, decided_at = NULL WHERE id = $cand" >/dev/null
req POST "/queue/$cand/reject" "$OPS_KEY" -H 'Content-Type: application/json' -d '{"reason": "different editions"}'
expect_eq "an operator rejects: 200 with the decision" "$CODE $(jq_ '[d["data"]["candidate"], d["data"]["status"]]')" "200 [$cand, \"rejected\"]"
expect_eq "the audit names the key, never the key itself" \
	"$(sql "SELECT decided_by, reason FROM kasparro.match_candidates WHERE id = $cand")" "api:OPS_KEY|different editions"
req POST "/queue/$cand/approve" "$OPS_KEY"
expect_eq "deciding it again: 409" "$CODE $(jq_ 'd["error"]["code"]')" "409 conflict"
expect_match "... saying who decided" "$(jq_ 'd["error"]["message"]')" "already decided by api:OPS_KEY"
req POST /queue/999999/approve "$OPS_KEY"
expect_eq "approving an unknown candidate: 404" "$CODE" 404
req POST "/queue/$cand/approve" "$OPS_KEY" -d 'not json'
expect_eq "a body that is not JSON: 400" "$CODE $(jq_ 'd["error"]["code"]')" "400 bad_body"
# what is wrong with a body is named: where it stops being JSON, what it is
# when it is not an object, a member the route does not take (a misspelt
# "source" used to be ignored: a run of every source)
req POST "/queue/$cand/approve" "$OPS_KEY" -d '{"reason": "x",}'
expect_eq "... naming the byte where it stops being JSON" "$CODE $(jq_ 'd["error"]["message"]')" \
	"400 the body is not valid JSON: at byte 16 of 16 ('}')"
req POST "/queue/$cand/approve" "$OPS_KEY" -d '{"reason": "x"} {"reason": "y"}'
expect_eq "a body with more after its JSON value: 400 saying where" \
	"$CODE $(jq_ 'd["error"]["message"]')" \
	"400 the body is not one JSON value (more follows): at byte 17 of 31 ('{\"reason\": \"y\"}')"
req POST "/queue/$cand/approve" "$OPS_KEY" -d '["x"]'
expect_eq "a body that is not an object: 400 saying what it is" \
	"$CODE $(jq_ 'd["error"]["message"]')" "400 the body is an array, not a JSON object"
req POST "/queue/$cand/approve" "$OPS_KEY" -d '{"reasons": "typo"}'
expect_eq "a member the route does not take: 400 naming it" \
	"$CODE $(jq_ 'd["error"]["message"]')" \
	"400 body: unknown member 'reasons' for POST /queue/{id}/approve (it takes reason)"
runs_before=$(sql "SELECT count(*) FROM kasparro.runs")
req POST /runs "$OPS_KEY" -d '{"source": ["articles-csv"]}'
expect_eq "POST /runs with 'source' for 'sources': 400 naming it" \
	"$CODE $(jq_ 'd["error"]["message"]')" \
	"400 body: unknown member 'source' for POST /runs (it takes sources, full, allow_mass_delete)"
expect_eq "... and no run of every source" "$(sql "SELECT count(*) FROM kasparro.runs")" "$runs_before"
req POST /runs "$OPS_KEY" -d '{"sources": []}'
expect_eq "POST /runs with an empty 'sources': 400, not a run of every source" \
	"$CODE $(jq_ 'd["error"]["message"]')" \
	"400 body: 'sources' is empty; leave it out to run every source"
expect_eq "... and no run started" "$(sql "SELECT count(*) FROM kasparro.runs")" "$runs_before"
head -c 2000 /dev/zero | tr '\0' 'x' >"$T/big"
req POST "/queue/$cand/approve" "$OPS_KEY" --data-binary @"$T/big"
expect_eq "a body over max_body: 413" "$CODE" 413

# runs
req POST /runs "$OPS_KEY" -d '{"sources": ["nope"]}'
expect_match "a run of an unknown source: 400 naming it" "$CODE $(jq_ 'd["error"]["message"]')" "^400 .*source 'nope'"
req POST /runs "$OPS_KEY" -d '{"sources": ["articles-csv"], "full": true}'
expect_eq "POST /runs: 202" "$CODE" 202
run=$(jq_ 'd["data"]["run_id"]')
expect_match "... with the run id and its Location" "$(tr -d '\r' <"$T/headers")" "Location: /runs/$run"
expect_eq "... a run recorded by the key's name" \
	"$(sql "SELECT actor, trigger FROM kasparro.runs WHERE id = $run")" "api:OPS_KEY|manual"
wait_for "the run ends" 60 sh -c "[ \"\$(psql -XAtq '$KASPARRO_DATABASE_URL' -c \"SELECT status FROM kasparro.runs WHERE id = $run\")\" != running ]"
get "/runs?limit=2"
expect_eq "/runs: newest first" "$CODE $(jq_ 'd["data"][0]["id"]')" "200 $run"
get "/runs?status=succeeded&limit=1000"
expect_eq "/runs?status=: only those" "$(jq_ 'sorted(set(r["status"] for r in d["data"]))')" '["succeeded"]'
get "/runs/$run"
expect_eq "/runs/{id}: per-source counts, drift and quarantine" \
	"$CODE $(jq_ '[d["data"]["id"], [s["source"] for s in d["data"]["sources"]], "count" in d["data"]["quarantine"], "drift" in d["data"]["sources"][0]]')" \
	"200 [$run, [\"articles-csv\"], true, true]"
get /runs/999999
expect_eq "an unknown run: 404" "$CODE" 404
get /stats
expect_eq "/stats: overall and per source" \
	"$CODE $(jq_ '[d["data"]["overall"]["records_live"] > 0, sorted(s["source"] for s in d["data"]["sources"]), sorted(d["data"]["sources"][0].keys())]')" \
	'200 [true, ["articles-api", "articles-csv", "partner-feed"], ["configured", "duration_p50", "duration_p95", "last_failure_at", "last_success_at", "quarantined", "recent_reads", "records_deleted", "records_live", "rows_per_second", "source"]]'
expect_eq "kasparro stats --json says what /stats says" \
	"$(kas stats --json | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin), sort_keys=True))')" \
	"$(jq_ 'd["data"]' | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin), sort_keys=True))')"
expect_match "kasparro stats: a row per source and one for all" "$(kas stats)" \
	"^\(all\) +$(jq_ 'd["data"]["overall"]["records_live"]') +0 "
get /compare-runs
expect_eq "/compare-runs: the last two completed runs" "$CODE $(jq_ '[d["data"]["b"]["id"], d["data"]["a"]["id"] < d["data"]["b"]["id"]]')" "200 [$run, true]"
get "/compare-runs?a=999998&b=999999"
expect_eq "comparing unknown runs: 404" "$CODE" 404
req DELETE /runs "$VIEW_KEY"
expect_eq "a method a path does not serve: 405" "$CODE" 405
expect_match "... with Allow, HEAD among them (GET routes answer it)" \
	"$(tr -d '\r' <"$T/headers")" "^Allow: GET, HEAD, POST, OPTIONS$"
req POST /stats "$OPS_KEY"
expect_eq "POST on a GET route: 405" "$CODE" 405
expect_match "... its Allow naming HEAD" "$(tr -d '\r' <"$T/headers")" "^Allow: GET, HEAD, OPTIONS$"
CODE=$(curl -s -o "$T/body" -D "$T/headers" -w '%{http_code} %{size_download}' -I \
	-H "Authorization: Bearer $VIEW_KEY" "$API/stats")
expect_eq "HEAD: the status and headers of GET, no body" "$CODE" "200 0"
expect_match "... with the length GET's body has" "$(tr -d '\r' <"$T/headers")" "^Content-Length: [1-9]"
get /no/such/route
expect_eq "an unknown path: 404" "$CODE" 404

# /metrics passes promtool and counts what happened
req GET /metrics ""
expect_eq "/metrics is open by configuration" "$CODE" 200
expect_match "... in the Prometheus text format" "$(cat "$T/headers")" "Content-Type: text/plain; version=0.0.4"
check "promtool check metrics accepts it" sh -c "promtool check metrics <'$T/body'"
for m in 'kasparro_database_up 1' 'kasparro_runs\{status="succeeded"\} [0-9]' \
	'kasparro_records\{source="articles-csv",state="live"\} [0-9]' 'kasparro_queue_depth ' \
	'kasparro_run_duration_seconds_bucket\{le="\+Inf"\}' 'kasparro_scheduler_lag_seconds ' \
	'kasparro_source_rows_per_second\{source="articles-api"\}' \
	'kasparro_http_requests_total\{route="data",status="400"\} [1-9]' \
	'kasparro_http_requests_total\{route="run_start",status="202"\} 1' \
	'kasparro_http_request_duration_seconds_bucket\{route="health",le="\+Inf"\} [1-9]'; do
	expect_match "metrics: $m" "$(cat "$T/body")" "^$m"
done
# kasparro(1) lists every family served, with its type, for whoever writes
# the alerts
undocumented=$(sed -n 's/^# TYPE \([a-z_]*\) \([a-z]*\)$/\1 \2/p' "$T/body" | while read -r name type; do
	grep -Eq "^\.It Li $name(\{[a-z,]*\})? No $type\$" "$TOP/man/kasparro.1" || echo "$name ($type)"
done)
expect_eq "kasparro(1) documents every metric family with its type" "$undocumented" ""

# /openapi.json: generated from the route table, in step with what is served
req GET /openapi.json "$VIEW_KEY"
cp "$T/body" "$T/openapi.json"
expect_eq "/openapi.json is OpenAPI 3" "$(jq_ 'd["openapi"][:2]')" "3."
python3 - "$T/openapi.json" >"$T/ops" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for path, item in sorted(d["paths"].items()):
    for method, op in item.items():
        print(method.upper(), path, ",".join(p["name"] for p in op["parameters"] if p["in"] == "query"))
PY
expect_eq "it describes 20 operations" "$(wc -l <"$T/ops" | tr -d ' ')" 20
expect_match "declared fields are /data's filters" "$(grep '^GET /data ' "$T/ops")" "category"
cp "$T/openapi.json" "$T/body"
expect_eq "/health's 503 is described as its report, not an error" \
	"$(jq_ 'd["paths"]["/health"]["get"]["responses"]["503"]["content"]["application/json"]["schema"]["$ref"]')" \
	"#/components/schemas/Envelope"
expect_eq "a parameter with fixed values lists them as its schema's enum" \
	"$(jq_ '{p["name"]: p["schema"].get("enum") for path in ("/runs", "/decisions", "/queue") for p in d["paths"][path]["get"]["parameters"] if p["name"] in ("status", "action", "order")}')" \
	'{"status": ["running", "succeeded", "partial", "failed", "interrupted", "abandoned", "missed", "skipped"], "action": ["approve", "reject", "split", "restore", "undo"], "order": ["uncertainty", "score"]}'
expect_eq "every operation that takes a body may answer 413" \
	"$(jq_ 'sorted(m.upper() + " " + p for p, i in d["paths"].items() for m, op in i.items() if "413" in op["responses"])')" \
	'["POST /queue/{id}/approve", "POST /queue/{id}/reject", "POST /runs"]'
bad=""
while read -r method path params; do
	p=$(echo "$path" | sed "s|{source}|articles-api|; s|{source_id}|$sid|; s|{id}|1|; s|{name}|articles-api|")
	req "$method" "$p" "$OPS_KEY" -H 'X-Probe: 1'
	case "$CODE" in 404 | 405) [ "$path" = /queue/{id}/approve ] || [ "$path" = /queue/{id}/reject ] || bad="$bad $method $path=$CODE" ;; esac
	for q in $(echo "$params" | tr ',' ' '); do
		req GET "$p?$q=zz" "$OPS_KEY"
		case "$(jq_ 'd.get("error", {}).get("message", "")' 2>/dev/null)" in
		*"unknown parameter '$q'"*) bad="$bad $path?$q" ;;
		esac
	done
done <"$T/ops"
expect_eq "every described operation is served, with every described parameter" "$bad" ""
req GET "/data?undescribed=1" "$OPS_KEY"
expect_eq "and a parameter it does not describe is refused" "$CODE" 400

# the access log: one JSON line per request, the key's name and never the key
n=$(grep -c '"msg":"http request"' "$T/daemon.log")
if [ "$n" -ge 60 ]; then ok "one access-log line per request ($n)"; else not_ok "one access-log line per request" "$n lines"; fi
expect_match "a line has method, route, status, latency and key name" \
	"$(grep '"msg":"http request"' "$T/daemon.log" | grep '"status":202' | head -n 1)" \
	'"method":"POST".*"route":"/runs".*"status":202.*"latency_ms":[0-9.]+.*"key":"OPS_KEY"'
expect_no_match "no key ever reaches the log" "$(cat "$T/daemon.log")" "$VIEW_KEY|$OPS_KEY"
expect_no_match "probes and scrapes answered 200 log at debug level only" \
	"$(grep '"msg":"http request"' "$T/daemon.log")" '"route":"/(health|metrics|openapi.json)".*"status":200'

stop_daemon
expect_eq "SIGTERM stops the daemon and its server: exit 0" "$DAEMON_RC" 0
expect_exit "the port is free again" 7 curl -s "$API/health"

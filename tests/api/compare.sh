# Run comparison: a source whose read drops by 80% is flagged as an anomaly
# by `kasparro compare-runs` (text and --json), by GET /compare-runs, in
# `runs --json` (what the console's Runs screen marks) and by a warning in
# the log when the run ends; a steady re-read is not.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
new_db
csv_config 10000 shop blog
rows() { python3 -c 'import sys
print("id,title,n")
for i in range(int(sys.argv[1])): print(f"{i},item {i},{i}")' "$1" >"$T/$2.csv"; }
rows 500 shop
rows 100 blog
expect_exit "compare-runs with no run yet: exit 1" 1 kas compare-runs
kas run >/dev/null 2>&1
out=$(kas compare-runs 2>&1)
expect_match "with one run: nothing to compare it with" "$out" "has no completed run before it"
LOG_LEVEL=warn kas run >/dev/null 2>"$T/run2.log"
expect_eq "a steady re-read is no anomaly" "$(kas compare-runs --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["anomaly"])')" False
expect_no_match "... and logs no warning" "$(cat "$T/run2.log")" "anomaly"

rows 100 shop # 80% of the shop's records vanish
LOG_LEVEL=warn kas run >/dev/null 2>"$T/run3.log"
out=$(kas compare-runs)
expect_match "compare-runs flags the 80% drop" "$out" "^anomaly: source 'shop': fetched fell 80% \\(500 -> 100\\)$"
expect_match "... marking the row" "$out" "^shop +fetched +500 +100 +-400 +-80% +ANOMALY$"
expect_no_match "the steady source is not flagged" "$out" "source 'blog'"
kas compare-runs --json >"$T/cmp.json"
expect_eq "--json: the runs, the flag and the reason" "$(python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
s = {x["source"]: x for x in d["sources"]}
print(d["b"]["id"] - d["a"]["id"], d["anomaly"], s["shop"]["counts"]["fetched"]["change"], s["shop"]["anomaly"], s["blog"]["anomaly"])' "$T/cmp.json")" "1 True -0.8 True False"
expect_match "the run logged a warning naming it" "$(cat "$T/run3.log")" \
	'"level":"warn".*"msg":"run 3: anomaly: source .shop.: fetched fell 80% \(500 -> 100\)'
expect_eq "compare-runs A B compares those two" \
	"$(kas compare-runs --json 1 3 | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["a"]["id"], d["b"]["id"], d["anomaly"])')" "1 3 True"
expect_exit "a run that does not exist: exit 1" 1 kas compare-runs 1 99
expect_exit "one run alone is a usage error" 2 kas compare-runs 3
expect_eq "runs --json carries each run's anomalies" \
	"$(kas runs --json | python3 -c 'import json,sys; print([(r["id"], len(r["anomalies"] or [])) for r in json.load(sys.stdin)])')" \
	"[(3, 1), (2, 0), (1, 0)]"

api_keys
api_section
start_daemon
get /compare-runs
expect_eq "GET /compare-runs flags it too" "$CODE $(jq_ 'd["data"]["anomalies"]')" \
	"200 [\"source 'shop': fetched fell 80% (500 -> 100)\"]"
get "/compare-runs?a=1&b=2"
expect_eq "... and compares the runs asked for" "$(jq_ '[d["data"]["a"]["id"], d["data"]["b"]["id"], d["data"]["anomaly"]]')" "[1, 2, false]"
get "/compare-runs?b=0"
expect_match "a run id below 1: 400 naming it" "$CODE $(jq_ 'd["error"]["message"]')" "^400 parameter 'b'"
get /runs
expect_eq "GET /runs shows the anomalies" "$(jq_ '[len(r["anomalies"] or []) for r in d["data"]]')" "[1, 0, 0]"
stop_daemon

# The daemon keeps serving while a 1,000,000-row run is in progress: /health,
# /data and /runs answer 200 from the HTTP threads while the engine loads,
# and the run it reports is the one going. The latencies are printed, not
# asserted (make bench measures speed).
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
new_db
csv_config 10000 big
python3 -c '
import sys
with open(sys.argv[1], "w") as f:
    f.write("id,title,n\n")
    for i in range(1000000): f.write("%d,record number %d,%d\n" % (i, i, i % 97))' "$T/big.csv"
api_keys
api_section
kas db migrate >/dev/null
start_daemon
req POST /runs "$OPS_KEY"
expect_eq "a 1,000,000-row run starts" "$CODE" 202
run=$(jq_ 'd["data"]["run_id"]')
wait_for "it is loading" 120 sh -c \
	"[ \"\$(psql -XAtq '$KASPARRO_DATABASE_URL' -c 'SELECT count(*) FROM kasparro.records')\" -ge 20000 ]"
python3 - "$API" "$VIEW_KEY" "$T/probe" <<'PY'
import json, sys, time, urllib.request
api, key, out = sys.argv[1:]
codes, lat = {}, []
for i in range(60):
    for path in ("/health", "/data?limit=100", "/runs?limit=1"):
        req = urllib.request.Request(api + path, headers={"Authorization": "Bearer " + key})
        t0 = time.monotonic()
        with urllib.request.urlopen(req) as r:
            body = json.load(r)
            codes[r.status] = codes.get(r.status, 0) + 1
        lat.append(time.monotonic() - t0)
        if path.startswith("/runs"):
            last = body["data"][0]
lat.sort()
with open(out, "w") as f:
    f.write(f'{sorted(codes.items())} {last["id"]} {last["status"]}\n')
    f.write(f"p50 {lat[len(lat)//2]*1000:.1f} ms, p99 {lat[int(len(lat)*0.99)]*1000:.1f} ms\n")
PY
expect_eq "180 requests answered 200 during the run, which it reports running" \
	"$(head -n 1 "$T/probe")" "[(200, 180)] $run running"
echo "# latencies while loading: $(tail -n 1 "$T/probe")"
loaded=$(sql "SELECT count(*) FROM kasparro.records")
if [ "$loaded" -lt 1000000 ]; then ok "the run was still loading when the probes ended ($loaded rows)"; else
	not_ok "the run was still loading when the probes ended" "$loaded rows"; fi
stop_daemon
expect_eq "SIGTERM interrupts the run and stops the server: exit 0" "$DAEMON_RC" 0
expect_eq "the run is recorded interrupted" "$(sql "SELECT status FROM kasparro.runs WHERE id = $run")" interrupted

#!/bin/sh
# bench/bench-http.sh — the HTTP API under load (make bench hook).
#
# On one database of BENCH_HTTP_ROWS article records (default 100,000),
# side by side: GET /data?limit=100 and GET /health with wrk (2 threads,
# 64 connections, BENCH_HTTP_SECONDS each, default 30) against
#   (a) kasparro daemon's HTTP API,
#   (b) the same query served by FastAPI + uvicorn + psycopg2
#       (bench/fastapi_app.py, 2 workers: one per core; 40 connections each,
#       one per request thread),
#   (c) the bare query through pgbench -f (-M prepared; at 64 clients, the
#       same concurrency, and at 4, which suits 2 cores better: the limit is
#       the faster of the two),
# and prints requests/s, p50 and p99 latency of each, the ratios, and the
# daemon's resident memory before and after the /data load.
# Goals: kasparro >= 10x FastAPI on /data, >= 0.5x the bare query, p99
# <= 20 ms at 64 connections, memory flat.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/bench/hook.sh"
BIN=${KASPARRO_BIN:-$top/kasparro}
ROWS=${BENCH_HTTP_ROWS:-100000}
SECS=${BENCH_HTTP_SECONDS:-30}
TMP=${BENCH_TMP:-$(mktemp -d)}
for tool in wrk pgbench uvicorn; do
	command -v $tool >/dev/null || { echo "bench-http: $tool is missing (make deps)" >&2; exit 2; }
done
say() { printf "bench: %s\n" "$*" >&2; }
pids=""
trap 'for p in $pids; do kill $p 2>/dev/null; done; wait 2>/dev/null' EXIT

say "http: $ROWS records"
python3 "$top/bench/gen-articles.py" "$ROWS" >"$TMP/http.csv"
FIELDS=title,description,content,author,published_at,url,category
cat >"$TMP/http.conf" <<CONF
[kasparro]
log_level = warn
[schema]
title = text, required
description = text
content = text
author = text
published_at = timestamp
url = url
category = text
[source bench]
kind = csv
path = $TMP/http.csv
id = id
$(for f in $(echo $FIELDS | tr , ' '); do echo "map.$f = $f"; done)
$(serve_sections)
CONF
"$BIN" -c "$TMP/http.conf" run >/dev/null
psql -X -q -c "VACUUM ANALYZE" "$KASPARRO_DATABASE_URL"

export BENCH_KEY=bench-key-0123456789abcdef
kport=$(free_port)
KASPARRO_HTTP_LISTEN=127.0.0.1:$kport "$BIN" -c "$TMP/http.conf" daemon >"$TMP/daemon.log" 2>&1 &
kpid=$!
pids="$pids $kpid"
fport=$(free_port)
(cd "$top/bench" && FIELDS=$FIELDS exec uvicorn --workers 2 --log-level warning --no-access-log \
	--port "$fport" fastapi_app:app) >"$TMP/uvicorn.log" 2>&1 &
pids="$pids $!"
wait_http "http://127.0.0.1:$kport/health" "$TMP"/*.log
wait_http "http://127.0.0.1:$fport/health" "$TMP"/*.log
# both answer /data with the same records
k=$(curl -s -H "Authorization: Bearer $BENCH_KEY" "http://127.0.0.1:$kport/data?limit=100" |
	python3 -c 'import json,sys; print([r["source_id"] for r in json.load(sys.stdin)["data"]])')
f=$(curl -s "http://127.0.0.1:$fport/data?limit=100" |
	python3 -c 'import json,sys; print([r["source_id"] for r in json.load(sys.stdin)["data"]])')
[ "$k" = "$f" ] || { echo "bench-http: kasparro and FastAPI answer different records" >&2; exit 1; }

# wrk's "Requests/sec" and its 50% and 99% latencies, in ms
wrk_run() { # NAME URL [HEADER]
	_n=$1 _u=$2
	shift 2
	wrk -t2 -c64 -d"${SECS}s" --latency "$@" "$_u" >"$TMP/wrk.$_n" 2>&1
	awk -v name="$_n" '
		function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
		$1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) } $1 == "Requests/sec:" { rps = $2 }
		/Non-2xx/ { bad = $NF }
		END { printf "%s %.0f %.2f %.2f %s\n", name, rps, p50, p99, bad + 0 }' "$TMP/wrk.$_n"
}
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$kpid/status"; }

auth="Authorization: Bearer $BENCH_KEY"
say "http: wrk, ${SECS}s each"
rss0=$(rss)
wrk_run kasparro-data "http://127.0.0.1:$kport/data?limit=100" -H "$auth" >"$TMP/res"
rss1=$(rss)
wrk_run kasparro-health "http://127.0.0.1:$kport/health" >>"$TMP/res"
wrk_run fastapi-data "http://127.0.0.1:$fport/data?limit=100" >>"$TMP/res"
wrk_run fastapi-health "http://127.0.0.1:$fport/health" >>"$TMP/res"

# both servers go before pgbench: their idle connections would count
# against the cluster's max_connections
for p in $pids; do kill $p 2>/dev/null; done
wait 2>/dev/null || true
pids=""

# the bare queries: what kasparro's /data and /health run (/health's three)
fields=""
for f in $(echo $FIELDS | tr , ' '); do fields="$fields, to_json(r.\"$f\")"; done
cat >"$TMP/data.sql" <<SQL
SELECT r.id, r.source, r.source_id, r.change_seq, r.is_deleted, to_json(r.updated_at), em.entity_id, e.key$fields FROM kasparro.records r LEFT JOIN kasparro.entity_members em ON em.record_id = r.id AND em.live LEFT JOIN kasparro.entities e ON e.id = em.entity_id WHERE true AND NOT r.is_deleted AND r.id > 0 ORDER BY r.id LIMIT 101;
SQL
cat >"$TMP/health.sql" <<'SQL'
SELECT to_regclass('kasparro.schema_migrations') IS NOT NULL;
SELECT version FROM kasparro.schema_migrations ORDER BY version;
SELECT id, status, extract(epoch FROM now() - coalesce(finished_at, started_at)) FROM kasparro.runs WHERE status NOT IN ('missed', 'skipped') ORDER BY id DESC LIMIT 1;
SQL
pgb() { # NAME FILE CLIENTS
	rm -f "$TMP"/pgb.log*
	pgbench -n -M prepared -f "$2" -c "$3" -j 2 -T "$SECS" --log --log-prefix="$TMP/pgb.log" \
		"$KASPARRO_DATABASE_URL" >"$TMP/pgbench.$1" 2>&1
	cat "$TMP"/pgb.log* | awk '{ print $3 / 1000 }' | sort -n >"$TMP/lat"
	n=$(wc -l <"$TMP/lat")
	printf "%s %.0f %.2f %.2f 0\n" "$1" "$(awk '/^tps/ { print $3; exit }' "$TMP/pgbench.$1")" \
		"$(sed -n "$((n / 2 + 1))p" "$TMP/lat")" "$(sed -n "$((n * 99 / 100 + 1))p" "$TMP/lat")"
}
say "http: pgbench, ${SECS}s each"
pgb pgbench-data-c64 "$TMP/data.sql" 64 >>"$TMP/res"
pgb pgbench-data-c4 "$TMP/data.sql" 4 >>"$TMP/res"
pgb pgbench-health-c64 "$TMP/health.sql" 64 >>"$TMP/res"
pgb pgbench-health-c4 "$TMP/health.sql" 4 >>"$TMP/res"

echo "http: $ROWS records, GET /data?limit=100 (100 records, all 7 fields) and GET /health;"
echo "http: wrk -t2 -c64 -d${SECS}s; pgbench -M prepared -j2 -T$SECS"
awk '{ printf "http %-20s %9s req/s   p50 %7s ms   p99 %7s ms%s\n", $1, $2, $3, $4, $5 ? "   non-2xx " $5 : "" }' "$TMP/res"
awk '
	{ rps[$1] = $2; p99[$1] = $4 }
	END {
		for (e = 0; e < 2; e++) {
			ep = e ? "health" : "data"
			bare = rps["pgbench-" ep "-c64"] > rps["pgbench-" ep "-c4"] ? rps["pgbench-" ep "-c64"] : rps["pgbench-" ep "-c4"]
			printf "http %-6s kasparro/fastapi %.1fx (goal >= 10x on /data)   kasparro/bare query %.2f (goal >= 0.5)   kasparro p99 %.1f ms (goal <= 20)\n",
				ep, rps["kasparro-" ep] / rps["fastapi-" ep], rps["kasparro-" ep] / bare, p99["kasparro-" ep]
		}
	}' "$TMP/res"
echo "http memory: kasparro daemon RSS $((rss0 / 1024)) MiB before the /data load, $((rss1 / 1024)) MiB after ${SECS}s of it"

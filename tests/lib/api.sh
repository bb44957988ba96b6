# tests/lib/api.sh — kasparro's own HTTP API under test (tests/api/*.sh);
# sourced after lib.sh.
#
#   csv_config BATCH SOURCE...
#                          $CONF: fields title (required) and n (integer), one
#                          csv source per name reading $T/NAME.csv (id,title,n),
#                          matching and the schedule off
#   api_keys               exports VIEW_KEY and OPS_KEY (random, 32 hex digits)
#   api_fixture ROW...     a new database with source 'a' loaded from these
#                          id,title,n rows; $CONF: csv_config 100 a, the keys
#                          and api_section
#   sample_api [KEY=VALUE...]
#                          a new database with the sample sources read once;
#                          $CONF: the sample's, the keys and api_section
#                          with these settings
#   sample_listings        a new database with the sample sources read three
#                          times (three runs) and three pairs rejected (three
#                          decisions); $CONF: the sample's, the keys and
#                          api_section
#   api_section [KEY=VALUE...]
#                          appends an [http] section to $CONF: both keys, port 0
#   start_daemon [ARGS...] `kasparro daemon` in the background, log in
#                          $T/daemon.log; waits for "http: listening on" and
#                          sets $API (http://127.0.0.1:PORT) and $DAEMON_PID
#   stop_daemon            SIGTERM, and waits for it to exit
#   get PATH [CURL ARGS...]   GET with the viewer key; body in $T/body,
#                          status in $CODE, headers in $T/headers
#   req METHOD PATH KEY [CURL ARGS...]   any request with KEY ("" none); a
#                          body (-d, --data-binary) goes as application/json
#                          unless the arguments name a Content-Type
#   jq_ EXPR               evaluates EXPR on the JSON in $T/body (as d)
#   hold_report DESC / end_report   another session reads kasparro.records
#                          in a transaction it keeps open (a long report):
#                          readers go on, an ALTER TABLE waits
#   walk_list PATH QUERY OUT [BETWEEN]
#                          follows PATH?QUERY page by page with the viewer
#                          key, one id per line in OUT; runs the shell
#                          command BETWEEN after the first page, whose ids
#                          are then in $T/served; prints the number of
#                          pages, or "error CODE MESSAGE"
#   walk QUERY OUT         follows /data?QUERY page by page with the viewer
#                          key, one "id source source_id change_seq" per
#                          record in OUT; prints "PAGES WATERMARK"

csv_config() {
	CONF="$T/k.conf"
	printf '[schema]\ntitle = text, required\nn = integer\n[kasparro]\nbatch_size = %s\n' "$1" >"$CONF"
	shift
	for s in "$@"; do
		printf '[source %s]\nkind = csv\npath = %s.csv\nid = id\nmap.title = title\nmap.n = n\n' \
			"$s" "$s" >>"$CONF"
	done
	printf '[matching]\nenabled = false\n[scheduler]\nenabled = false\n' >>"$CONF"
}

api_keys() {
	VIEW_KEY=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
	OPS_KEY=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
	export VIEW_KEY OPS_KEY
}

api_section() {
	{
		printf '\n[http]\nlisten = 127.0.0.1:0\nviewer_keys_env = VIEW_KEY\n'
		printf 'operator_keys_env = OPS_KEY\n'
		for kv in "$@"; do printf '%s\n' "$kv" | sed 's/=/ = /'; done
	} >>"$CONF"
}

api_fixture() {
	new_db
	csv_config 100 a
	{ echo 'id,title,n'; printf '%s\n' "$@"; } >"$T/a.csv"
	api_keys
	api_section
	kas run >/dev/null
}

sample_api() {
	new_db
	sample_config
	api_keys
	api_section "$@"
	kas run >/dev/null 2>&1
}

sample_listings() {
	sample_api
	kas run >/dev/null 2>&1
	kas run >/dev/null 2>&1
	for c in $(sql "SELECT c.id FROM kasparro.match_candidates c WHERE c.status = 'pending' ORDER BY c.id LIMIT 3"); do
		kas reject "$c" >/dev/null 2>&1
	done
}

start_daemon() {
	: >"$T/daemon.log"
	KASPARRO_HTTP_LISTEN= LOG_LEVEL=${LOG_LEVEL:-info} "$BIN" -c "$CONF" daemon "$@" \
		>>"$T/daemon.log" 2>&1 &
	DAEMON_PID=$!
	at_exit "kill $DAEMON_PID 2>/dev/null"
	wait_for "the daemon serves HTTP" 60 grep -q '"http: listening on' "$T/daemon.log" || {
		cat "$T/daemon.log" | sed 's/^/#   /'
		exit 1
	}
	API="http://$(sed -n 's/.*"http: listening on \([^ ]*\) .*/\1/p' "$T/daemon.log" | head -n 1)"
}

stop_daemon() {
	kill -TERM "$DAEMON_PID" 2>/dev/null
	wait "$DAEMON_PID"
	DAEMON_RC=$?
}

req() {
	_m=$1 _p=$2 _k=$3 _body= _typed=
	shift 3
	for _a in "$@"; do
		case $_a in
		-d | --data | --data-binary) _body=1 ;;
		Content-Type:* | content-type:*) _typed=1 ;;
		esac
	done
	if [ -n "$_body" ] && [ -z "$_typed" ]; then set -- -H 'Content-Type: application/json' "$@"; fi
	if [ -n "$_k" ]; then set -- -H "Authorization: Bearer $_k" "$@"; fi
	CODE=$(curl -s -o "$T/body" -D "$T/headers" -w '%{http_code}' -X "$_m" "$@" "$API$_p")
}

get() {
	_p=$1
	shift
	req GET "$_p" "$VIEW_KEY" "$@"
}

jq_() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[2]))
r = eval(sys.argv[1])
print(json.dumps(r) if not isinstance(r, str) else r)' "$1" "$T/body"
}

walk_list() {
	python3 - "$API" "$VIEW_KEY" "$1" "$2" "$3" "${4:-}" "$T/served" <<'PY'
import json, subprocess, sys, urllib.error, urllib.request
api, key, path, query, out, between, served = sys.argv[1:]
cursor, pages = None, 0
with open(out, "w") as f:
    while True:
        url = f"{api}{path}?{query}" + (f"&cursor={cursor}" if cursor else "")
        req = urllib.request.Request(url, headers={"Authorization": "Bearer " + key})
        try:
            d = json.load(urllib.request.urlopen(req))
        except urllib.error.HTTPError as e:
            print("error", e.code, json.load(e)["error"]["message"])
            sys.exit(0)
        for x in d["data"]:
            f.write(f'{x["id"]}\n')
        if d["meta"].get("count") != len(d["data"]):
            print("error meta.count", d["meta"].get("count"), "for", len(d["data"]))
            sys.exit(0)
        pages += 1
        if "next" not in d["meta"]:
            print("error no meta.next")
            sys.exit(0)
        cursor = d["meta"]["next"]
        if pages == 1 and between:
            f.flush()
            with open(out) as o, open(served, "w") as s:
                s.write(o.read())
            subprocess.run(between, shell=True, check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        if cursor is None or pages > 10000:
            break
print(pages)
PY
}

walk() {
	python3 - "$API" "$VIEW_KEY" "$1" "$2" <<'PY'
import json, sys, urllib.request
api, key, query, out = sys.argv[1:]
cursor, pages, wm = None, 0, None
with open(out, "w") as f:
    while True:
        url = f"{api}/data?{query}" + (f"&cursor={cursor}" if cursor else "")
        req = urllib.request.Request(url, headers={"Authorization": "Bearer " + key})
        d = json.load(urllib.request.urlopen(req))
        for r in d["data"]:
            f.write(f'{r["id"]} {r["source"]} {r["source_id"]} {r["change_seq"]}\n')
        pages += 1
        wm = d["meta"].get("watermark", wm)
        cursor = d["meta"]["next"]
        if cursor is None:
            break
print(pages, wm if wm is not None else "")
PY
}

hold_report() {
	psql -X -q "$KASPARRO_DATABASE_URL application_name=longreport" >/dev/null 2>&1 <<SQL &
SET statement_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
BEGIN;
SELECT count(*) FROM kasparro.records;
SELECT pg_sleep(600);
SQL
	REPORT=$!
	at_exit "kill $REPORT 2>/dev/null"
	wait_for "$1" 60 sql_is "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a \
		ON a.pid = l.pid WHERE a.application_name = 'longreport' \
		AND l.relation = 'kasparro.records'::regclass AND l.granted" 1
}
end_report() {
	sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'longreport'" >/dev/null
	wait "$REPORT" 2>/dev/null
}

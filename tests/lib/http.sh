# tests/lib/http.sh — the HTTP fixture for tests/http/*.sh; sourced after
# lib.sh.
#
#   start_fixture [ARGS...]   starts tests/lib/httpfixture.py on 127.0.0.1
#                             (stopped at exit); sets $BASE
#   api_conf URL [KEY=VALUE...]
#                             $CONF: a config with one http_json source 'api'
#                             (id = id, map.title = title, short retry waits)
#   fixture_stat TABLE KEY    a value from the fixture's /_stats (0 if none;
#                             $FIXTURE_CA: the certificate of an HTTPS one)
#   json_get EXPR             evaluates EXPR on the JSON from stdin (as d)
#   now; since T0             a timestamp; the seconds since it (fractional)
#   expect_seconds DESC T0 MIN MAX
#                             ok when the seconds since T0 are within
#                             [MIN, MAX] (either may be "": no bound)

start_fixture() {
	python3 "$TOP/tests/lib/httpfixture.py" "$T/fixture.port" "$@" >"$T/fixture.log" 2>&1 &
	FIXTURE_PID=$!
	at_exit "kill $FIXTURE_PID 2>/dev/null"
	wait_for "the HTTP fixture listens" 60 test -s "$T/fixture.port" || exit 1
	BASE="http://127.0.0.1:$(cat "$T/fixture.port")"
}

api_conf() {
	CONF="$T/api.conf"
	{
		printf '[schema]\ntitle = text, required\n\n[source api]\nkind = http_json\n'
		printf 'url = %s\nid = id\nmap.title = title\nretry_base = 20ms\n' "$1"
		shift
		for kv in "$@"; do printf '%s\n' "$kv"; done
	} >"$CONF"
}

json_get() {
	python3 -c 'import json, sys
d = json.load(sys.stdin)
v = eval(sys.argv[1])
print(json.dumps(v) if isinstance(v, (dict, list, tuple)) or v is None else v)' "$1"
}

fixture_stat() {
	python3 -c 'import json, os, ssl, sys, urllib.request
tls = ssl.create_default_context(cafile=os.environ.get("FIXTURE_CA"))
s = json.load(urllib.request.urlopen(sys.argv[1] + "/_stats", context=tls))
print(s[sys.argv[2]].get(sys.argv[3], 0))' "$BASE" "$1" "$2"
}

now() { date +%s.%N; }
since() { awk -v a="$(date +%s.%N)" -v b="$1" 'BEGIN { printf "%.2f\n", a - b }'; }

expect_seconds() {
	_ks_took=$(since "$2")
	if awk -v t="$_ks_took" -v lo="$3" -v hi="$4" \
		'BEGIN { exit !((lo == "" || t >= lo) && (hi == "" || t <= hi)) }'; then
		ok "$1 (${_ks_took}s)"
	else
		not_ok "$1" "took ${_ks_took}s, expected between ${3:-0} and ${4:-any}"
	fi
}

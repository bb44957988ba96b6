# /openapi.json says what the server does: every operation, asked as a
# client generated from the description would, answers a status the
# description lists, with its media type and the shape it names (the
# envelope, the error, the document itself); the bounds of every number
# are the ones the server checks (a value past them 400, naming them), a
# limit's default is what a page holds without one, and a path id
# described as an integer is refused when it is none. The description used
# to give /openapi.json's own answer as an envelope it does not have, no
# bounds or defaults at all, ids as any string, and /metrics a 503 it
# never answers (a scrape without the database is 200, database_up 0).
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
api_fixture $(seq 1 120 | sed 's/.*/&,t&,&/')
start_daemon
get /openapi.json
cp "$T/body" "$T/openapi.json"

# prints one line per disagreement, under the heading of its kind
python3 - "$API" "$OPS_KEY" "$T/openapi.json" >"$T/found" <<'PY'
import json, sys, urllib.error, urllib.request
api, key, doc = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
found = {k: [] for k in ("status", "media", "shape", "bounds", "default", "ids")}

def ask(method, path, body=None):
    req = urllib.request.Request(api + path, method=method, data=body,
                                 headers={"Authorization": "Bearer " + key})
    if body is not None:
        req.add_header("Content-Type", "application/json")
    try:
        r = urllib.request.urlopen(req, timeout=60)
    except urllib.error.HTTPError as e:
        r = e
    return r.status, r.headers.get("Content-Type", ""), r.read()

def shape_ok(schema, data):
    if "$ref" in schema:
        d = json.loads(data)
        meta = isinstance(d.get("meta"), dict) and "request_id" in d["meta"]
        if schema["$ref"].endswith("/Envelope"):
            return "data" in d and meta
        e = d.get("error", {})
        return isinstance(e.get("code"), str) and isinstance(e.get("message"), str) and meta
    if schema.get("type") == "object":
        return isinstance(json.loads(data), dict)
    return True

def fill(path):
    return (path.replace("{source}", "a").replace("{source_id}", "1")
            .replace("{name}", "a").replace("{id}", "1"))

for path, item in sorted(doc["paths"].items()):
    for method, op in item.items():
        m, where = method.upper(), method.upper() + " " + path
        status, ctype, data = ask(m, fill(path), b"{}" if "requestBody" in op else None)
        resp = op["responses"].get(str(status))
        if resp is None:
            found["status"].append(f"{where}: {status}, not described")
            continue
        media = ctype.split(";")[0].strip()
        if media not in resp["content"]:
            found["media"].append(f"{where}: {status} as {media}, described as {list(resp['content'])}")
        elif not shape_ok(resp["content"][media]["schema"], data):
            found["shape"].append(f"{where}: {status} is not {resp['content'][media]['schema']}")
        for p in op["parameters"]:
            s = p["schema"]
            if p["in"] == "path":
                bad = [] if s["type"] == "string" else ["x", "0"]
                for v in bad:
                    st = ask(m, fill(path.replace("{" + p["name"] + "}", v)))[0]
                    if st != 400:
                        found["ids"].append(f"{where}: {p['name']}={v} answered {st}")
                if s["type"] == "string" and p["name"] == "id":
                    st = ask(m, fill(path.replace("{id}", "x")))[0]
                    if st == 400:
                        found["ids"].append(f"{where}: id=x refused, described as any string")
                continue
            if s["type"] not in ("integer", "number") or p["description"].startswith("declared field"):
                continue
            if "minimum" not in s or "maximum" not in s:
                found["bounds"].append(f"{where}?{p['name']}: no minimum and maximum")
                continue
            lo, hi = s["minimum"], s["maximum"]
            if s["type"] == "integer":
                lo, hi = int(lo), int(hi)
            step = 1 if s["type"] == "integer" else 0.5
            for v in (lo - step, hi + step):
                st, _, body = ask("GET", f"{path}?{p['name']}={v}")
                if st != 400 or p["name"] not in json.loads(body)["error"]["message"]:
                    found["bounds"].append(f"{where}?{p['name']}={v}: {st}, described from {lo} to {hi}")
            if "default" in s:
                st, _, body = ask("GET", f"{path}?{p['name']}={hi}")
                more = json.loads(body)["meta"].get("count", 0) if st == 200 else 0
                st, _, body = ask("GET", path)
                got = json.loads(body)["meta"].get("count", 0) if st == 200 else None
                if more > s["default"] and got != s["default"]:
                    found["default"].append(f"{where}: {got} without {p['name']}, described {s['default']}")
for kind, lines in found.items():
    print("==", kind)
    for l in lines:
        print(l)
PY
section() { sed -n "/^== $1\$/,/^== /p" "$T/found" | grep -v '^== '; }
expect_eq "every answer's status is described" "$(section status)" ""
expect_eq "... with its media type" "$(section media)" ""
expect_eq "... and its shape (/openapi.json's is the document, not an envelope)" "$(section shape)" ""
expect_eq "every number's bounds are described, and are the ones checked" "$(section bounds)" ""
expect_eq "a listing's page without limit holds the described default" "$(section default)" ""
expect_eq "a path id described as an integer is refused when it is none" "$(section ids)" ""
get /data
expect_eq "(the default was tried: /data holds more than one page)" "$(jq_ 'd["meta"]["count"]')" 100

cp "$T/openapi.json" "$T/body"
expect_eq "/metrics is described without a 503 ..." \
	"$(jq_ '"503" in d["paths"]["/metrics"]["get"]["responses"]')" false
admin() { psql -X -A -t -q -v ON_ERROR_STOP=1 -h "$PGHOST_TEST" -U kasparro -d postgres -c "$1"; }
at_exit "admin 'ALTER DATABASE $DBNAME ALLOW_CONNECTIONS true' >/dev/null 2>&1"
admin "ALTER DATABASE $DBNAME ALLOW_CONNECTIONS false" >/dev/null
admin "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '$DBNAME'" >/dev/null
get /metrics
expect_eq "... as it answers 200 without the database" "$CODE" 200
expect_match "... saying so" "$(cat "$T/body")" "^kasparro_database_up 0$"
admin "ALTER DATABASE $DBNAME ALLOW_CONNECTIONS true" >/dev/null
stop_daemon
expect_eq "the daemon stops: exit 0" "$DAEMON_RC" 0

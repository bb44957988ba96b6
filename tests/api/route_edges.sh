# Every route of the HTTP API, from /openapi.json (a route added to the
# table is checked without touching this test), answers the edges a
# demanding client meets one way:
# - a path id that names nothing: 404 not_found, worded as the commands
#   word it ("no KIND ID", a source "unknown source 'NAME'") and pointing
#   at the GET route that lists them (GET /data/{source}/{source_id} said
#   "source 'a' has no record '99999'", /data?entity= "entity 'nope' does
#   not exist"); an id that is no id: 400 bad_parameter;
# - every error body is {"error": {"code", "message"}, "meta"} and nothing
#   else;
# - HEAD answers as GET does, without a body; OPTIONS answers 200 with the
#   methods in Allow (it was a 405), and a 405's Allow names OPTIONS too;
# - a 200 to GET carries an ETag, and If-None-Match with it is a 304
#   without a body until the answer changes.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
api_fixture 1,one,1 2,two,2
start_daemon

python3 - "$API" "$VIEW_KEY" "$OPS_KEY" >"$T/checks" 2>&1 <<'PY'
import http.client, json, re, sys, urllib.parse
api, view, ops = sys.argv[1:]
host, port = urllib.parse.urlparse(api).hostname, urllib.parse.urlparse(api).port

def call(method, path, key=view, body=None, headers=None):
    c = http.client.HTTPConnection(host, port, timeout=60)
    h = {"Authorization": "Bearer " + key}
    if body is not None:
        h["Content-Type"] = "application/json"
    h.update(headers or {})
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, data

def check(desc, ok, detail=""):
    print(("ok - " if ok else "not ok - ") + desc)
    if not ok and detail:
        print("#   " + str(detail).replace("\n", "\n#   "))

def error_shape(desc, status, body):
    try:
        d = json.loads(body)
        ok = (sorted(d) == ["error", "meta"] and sorted(d["error"]) == ["code", "message"]
              and "request_id" in d["meta"])
    except ValueError:
        ok, d = False, body
    check(desc + ": the error body is {error: {code, message}, meta}", ok, d)
    return d if ok else {"error": {"code": "", "message": ""}}

_, _, doc = call("GET", "/openapi.json")
paths = json.loads(doc)["paths"]
listers = {p for p, ops_ in paths.items() if "get" in ops_ and "{" not in p}
missing = {"id": "99999", "source": "a", "source_id": "99999", "name": "nope"}
said = re.compile(r"^(no (run|candidate|decision|entity|record) '?[^ ]+'?|unknown source '[^ ]+')"
                  r"( \(.*\))?; GET (/[a-z-]+) lists them$")

for path, item in sorted(paths.items()):
    params = re.findall(r"{([a-z_]+)}", path)
    for method, op in sorted(item.items()):
        m = method.upper()
        key = ops if m == "POST" else view
        body = "{}" if "requestBody" in op else None
        if params:
            p = path
            for n in params:
                p = p.replace("{%s}" % n, missing[n])
            status, _, b = call(m, p, key, body)
            d = error_shape("%s %s" % (m, p), status, b)
            check("%s %s: 404 not_found" % (m, p), (status, d["error"]["code"]) == (404, "not_found"),
                  (status, d))
            g = said.match(d["error"]["message"])
            check("%s %s: says what is missing as the commands do" % (m, p), g is not None,
                  d["error"]["message"])
            check("%s %s: the route it points at lists them" % (m, p),
                  g is not None and g.group(4) in listers, d["error"]["message"])
            for n in params:
                schema = next(x["schema"] for x in op["parameters"] if x["name"] == n)
                if schema["type"] != "integer":
                    continue
                for bad in ("abc", "0"):
                    status, _, b = call(m, path.replace("{%s}" % n, bad), key, body)
                    d = error_shape("%s %s with %s" % (m, path, bad), status, b)
                    check("%s %s with '%s': 400 bad_parameter naming it" % (m, path, bad),
                          (status, d["error"]["code"]) == (400, "bad_parameter") and
                          d["error"]["message"].startswith("'%s' is not a" % bad), (status, d))
        if m != "GET":
            continue
        p = path
        for n in params:
            p = p.replace("{%s}" % n, {"id": "1", "source": "a", "source_id": "1",
                                       "name": "a"}[n])
        gs, gh, gb = call("GET", p)
        hs, hh, hb = call("HEAD", p)
        check("HEAD %s: the status GET answers (%d)" % (p, gs), hs == gs, hs)
        check("HEAD %s: no body" % p, hb == b"", hb[:80])
        check("HEAD %s: GET's Content-Type" % p, hh.get("content-type") == gh.get("content-type"),
              (hh.get("content-type"), gh.get("content-type")))
        if gs == 200 and gh.get("content-type") == "application/json" and p != "/openapi.json":
            etag = gh.get("etag", "")
            check("GET %s: an ETag" % p, re.match(r'^W/"[0-9a-f]{16}"$', etag) is not None, gh)
            s2, h2, b2 = call("GET", p, headers={"If-None-Match": etag})
            if p in ("/health", "/metrics", "/stats"):
                continue  # what they say moves on its own (clock, latency)
            check("GET %s with If-None-Match: its ETag: 304 without a body" % p,
                  (s2, b2) == (304, b"") and h2.get("etag") == etag, (s2, h2, b2[:200]))
            s3, _, b3 = call("GET", p, headers={"If-None-Match": 'W/"0000000000000000", ' + etag})
            check("... among others in the list too", s3 == 304, s3)
            s4, _, b4 = call("GET", p, headers={"If-None-Match": 'W/"0000000000000000"'})
            check("... another ETag: 200 with the body", s4 == 200 and len(b4) > 0, s4)

    methods = sorted(x.upper() for x in item)
    allowed = set(methods) | {"OPTIONS"} | ({"HEAD"} if "GET" in methods else set())
    p = path
    for n in params:
        p = p.replace("{%s}" % n, "1")
    status, h, b = call("OPTIONS", p)
    got = {x.strip() for x in h.get("allow", "").split(",") if x.strip()}
    check("OPTIONS %s: 200 with Allow: %s" % (p, ", ".join(sorted(allowed))),
          status == 200 and got == allowed, (status, h.get("allow"), b))
    try:
        data = set(json.loads(b)["data"]["allow"])
    except (ValueError, KeyError, TypeError):
        data = None
    check("OPTIONS %s: data.allow the same" % p, data == allowed, b)
    wrong = "DELETE"
    status, h, b = call(wrong, p)
    d = error_shape("%s %s" % (wrong, p), status, b)
    got = {x.strip() for x in h.get("allow", "").split(",") if x.strip()}
    check("%s %s: 405 whose Allow names OPTIONS too" % (wrong, p),
          status == 405 and got == allowed, (status, h.get("allow")))
PY
while IFS= read -r line; do
	case $line in
	"ok - "*) ok "${line#ok - }" ;;
	"not ok - "*) not_ok "${line#not ok - }" ;;
	*) echo "$line" ;;
	esac
done <"$T/checks"
expect_match "the routes were walked" "$(grep -c '^ok - \|^not ok - ' "$T/checks")" '^[0-9]{3,}$'

# the filters of /data say a missing entity as the routes do, 400 naming
# the parameter (the route is there; what it filters by is not)
msg() { echo "$CODE $(jq_ 'd["error"]["code"]') $(jq_ 'd["error"]["message"]')"; }
get "/data?entity=nope"
expect_eq "/data?entity=nope: 400 naming the parameter, worded as a missing entity" "$(msg)" \
	"400 bad_parameter parameter 'entity': no entity 'nope'; GET /entities lists them"
get /data/x/1
expect_eq "/data/x/1: a source nothing configures is said" "$(msg)" \
	"404 not_found no record 'x/1' (no source 'x' is configured); GET /data lists them"

# a 304 holds while nothing changes, and the next change is a new ETag
get /runs
tag=$(sed -n 's/^[Ee][Tt]ag: *\([^[:space:]]*\).*/\1/p' "$T/headers")
get /runs -H "If-None-Match: $tag"
expect_eq "GET /runs with its ETag: 304" "$CODE" 304
kas run >/dev/null
get /runs -H "If-None-Match: $tag"
expect_eq "... a run later: 200 with the new run" "$CODE $(jq_ 'd["meta"]["count"]')" "200 2"

stop_daemon
expect_eq "the daemon stops cleanly" "$DAEMON_RC" 0

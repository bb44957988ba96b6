# What a request must be before a route is served, in the order a client
# can rely on: the key first (401 before 404, 405 or 413, so a client
# without a key learns neither which routes exist nor their limits; an open
# route still needs none), a Host header in HTTP/1.1 (RFC 9112: 400 without
# one, or with two), the path exactly as the route table writes it (a
# trailing or doubled slash is 404, saying which path is meant), and a body
# member at most once (400 naming it, rather than the first value kept).
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
api_fixture 1,one,1 2,two,2
printf 'open = /health\nmax_body = 1024\n' >>"$CONF"
start_daemon

msg() { echo "$CODE $(jq_ 'd["error"]["code"]')"; }

# the key before anything about routes
req GET /nowhere ""
expect_eq "no key, a path that is no route: 401, not 404" "$(msg)" "401 unauthorized"
req GET /nowhere "not-a-key"
expect_eq "a wrong key, a path that is no route: 401" "$(msg)" "401 unauthorized"
req DELETE /runs ""
expect_eq "no key, a method the route does not serve: 401, not 405" "$(msg)" "401 unauthorized"
head -c 4096 /dev/zero | tr '\0' 'x' >"$T/big"
req POST /runs "" --data-binary @"$T/big" -H 'Content-Type: application/json'
expect_eq "no key, a body beyond max_body: 401, not 413" "$(msg)" "401 unauthorized"
req POST /runs "$VIEW_KEY" --data-binary @"$T/big" -H 'Content-Type: application/json'
expect_eq "a viewer's key, an operator's route with a big body: 403" "$(msg)" "403 forbidden"
req POST /runs "$OPS_KEY" --data-binary @"$T/big" -H 'Content-Type: application/json'
expect_eq "the operator's key, the big body: 413" "$(msg)" "413 body_too_large"
get /nowhere
expect_eq "a key, no such route: 404" "$(msg)" "404 not_found"
req DELETE /runs "$VIEW_KEY"
expect_eq "a key, a method not served: 405 with Allow" \
	"$(msg) $(grep -i '^Allow:' "$T/headers" | tr -d '\r')" "405 method_not_allowed Allow: GET, HEAD, POST, OPTIONS"
req GET /health ""
expect_eq "/health, open, without a key: 200" "$CODE" 200

# Host
raw() {
	python3 - "$API" "$1" <<'PY'
import socket, sys
host, port = sys.argv[1].split("//")[1].rsplit(":", 1)
s = socket.create_connection((host, int(port)))
s.sendall(sys.argv[2].encode().decode("unicode_escape").encode())
data = b""
while True:
    b = s.recv(65536)
    if not b:
        break
    data += b
print(data.split(b"\r\n")[0].decode().split(" ")[1], data.split(b"\r\n\r\n", 1)[1].decode())
PY
}
auth="Authorization: Bearer $VIEW_KEY"
set -- $(raw "GET /runs HTTP/1.1\r\n$auth\r\nConnection: close\r\n\r\n")
expect_eq "HTTP/1.1 without Host: 400" "$1" 400
expect_match "... saying why" "$*" '"code":"bad_request".*Host'
set -- $(raw "GET /runs HTTP/1.1\r\nHost: a\r\nHost: b\r\n$auth\r\nConnection: close\r\n\r\n")
expect_eq "HTTP/1.1 with two Host headers: 400" "$1" 400
set -- $(raw "GET /runs HTTP/1.1\r\nHost: a\r\n$auth\r\nConnection: close\r\n\r\n")
expect_eq "HTTP/1.1 with one: 200" "$1" 200
set -- $(raw "GET /runs HTTP/1.0\r\n$auth\r\n\r\n")
expect_eq "HTTP/1.0 needs none: 200" "$1" 200

# the path as the table writes it
for p in /runs/ //health /runs//1 /runs/1/ /entities/ /data//a/1; do
	get "$p"
	expect_eq "GET $p: 404" "$(msg)" "404 not_found"
done
get /runs/
expect_eq "... naming the path meant" "$(jq_ 'd["error"]["message"]')" \
	"no route GET /runs/ (did you mean /runs?); GET /openapi.json lists them"
get /runs/1
expect_eq "GET /runs/1 still: 200" "$CODE" 200
get /data/a/1
expect_eq "GET /data/a/1 still: 200" "$CODE" 200
req GET //health ""
expect_eq "//health without a key: 401 (no open route)" "$CODE" 401

# a body member twice
req POST /runs "$OPS_KEY" -d '{"sources": ["a"], "full": false, "sources": ["nope"]}'
expect_eq "a body member twice: 400 naming it" "$(msg) $(jq_ 'd["error"]["message"]')" \
	"400 bad_body body: member 'sources' is given twice"
cand=$(sql "SELECT count(*) FROM kasparro.runs")
expect_eq "... and no run started" "$cand" 1
stop_daemon

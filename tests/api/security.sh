# Keys from a key file of hashes, HTTPS with the configured certificate, and
# the start-up errors an operator can make: a key variable that is not set, a
# bad line in the key file, a route that cannot be opened, an address already
# in use — each refuses to start with a message naming what is wrong. A
# reload names the settings that take effect only on restart.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
new_db
small() {
	CONF="$T/k.conf"
	printf '[schema]\ntitle = text\n[source s]\nkind = csv\npath = s.csv\nid = id\nmap.title = title\n' >"$CONF"
	printf '[scheduler]\nenabled = false\n' >>"$CONF"
	printf 'id,title\n1,a\n' >"$T/s.csv"
}
small
kas db migrate >/dev/null

# a key file holds hashes, never keys
KEY=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
{
	echo "# reporting keys"
	echo "reports viewer sha256:$(printf %s "$KEY" | sha256sum | cut -d' ' -f1)"
} >"$T/keys"
printf '\n[http]\nlisten = 127.0.0.1:0\nkey_file = keys\n' >>"$CONF"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$T/key.pem" -out "$T/cert.pem" \
	>"$T/openssl.log" 2>&1 || { not_ok "make a self-signed certificate" "$(cat "$T/openssl.log")"; exit 1; }
printf 'tls_cert = cert.pem\ntls_key = key.pem\n' >>"$CONF"
start_daemon
API=$(echo "$API" | sed 's/^http:/https:/')
expect_match "the log says it serves TLS" "$(cat "$T/daemon.log")" '"http: listening on 127.0.0.1:[0-9]+ with TLS'
req GET /stats "$KEY" --cacert "$T/cert.pem"
expect_eq "HTTPS with the certificate, and a key from the key file" "$CODE" 200
expect_exit "plain HTTP to the TLS port gets no answer" 0 sh -c "! curl -s -f 'http://${API#https://}/health'"
req GET /stats "${KEY}x" --cacert "$T/cert.pem"
expect_eq "another key: 401" "$CODE" 401

# What the server reads only at start: a reload that changes nothing of it
# says nothing; a renewed certificate or a new thread count is named, since
# the running server keeps what it has until the daemon restarts.
kill -HUP "$DAEMON_PID"
wait_for "a reload" 60 grep -q '"reload: configuration' "$T/daemon.log"
expect_no_match "a reload that changes no start-only setting warns of none" "$(cat "$T/daemon.log")" \
	'changed: the server keeps its running settings'
mv "$T/cert.pem" "$T/cert.old.pem"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$T/key.pem" -out "$T/cert.pem" \
	>"$T/openssl.log" 2>&1 || { not_ok "renew the certificate" "$(cat "$T/openssl.log")"; exit 1; }
printf 'threads = 2\n' >>"$CONF"
kill -HUP "$DAEMON_PID"
wait_for "a reload after the certificate was renewed and threads changed names them" 60 grep -q \
	'"http: \[http\] tls_cert, tls_key, threads changed: the server keeps its running settings until the process restarts"' \
	"$T/daemon.log"
req GET /stats "$KEY" --cacert "$T/cert.old.pem"
expect_eq "... and the server still serves the certificate it started with" "$CODE" 200
stop_daemon

# start-up errors (the runner turns the HTTP API off; these daemons need it on)
unset KASPARRO_HTTP_LISTEN
small
printf '\n[http]\nlisten = 127.0.0.1:0\noperator_keys_env = NOT_SET_ANYWHERE\n' >>"$CONF"
out=$(kas daemon 2>&1)
expect_eq "a key variable that is not set: exit 2" "$?" 2
expect_match "... naming it" "$out" "operator_keys_env names 'NOT_SET_ANYWHERE', which is not set"
small
printf 'bob admin sha256:00\n' >"$T/keys"
printf '\n[http]\nlisten = 127.0.0.1:0\nkey_file = keys\n' >>"$CONF"
out=$(kas daemon 2>&1)
expect_match "a bad key file line: its file and line" "$out" "key file '.*/keys' line 1: role 'admin' is not viewer or operator"
small
printf '\n[http]\nlisten = 127.0.0.1:0\nopen = /data\n' >>"$CONF"
out=$(kas daemon 2>&1)
expect_match "only /health, /metrics and /openapi.json can be opened" "$out" "key 'open': '/data' cannot be opened"
small
python3 -c 'import socket, time, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
open(sys.argv[1], "w").write(str(s.getsockname()[1])); time.sleep(600)' "$T/busy.port" &
holder=$!
at_exit "kill $holder 2>/dev/null"
wait_for "a port is taken" 60 test -s "$T/busy.port"
printf '\n[http]\nlisten = 127.0.0.1:%s\n' "$(cat "$T/busy.port")" >>"$CONF"
out=$(kas daemon 2>&1)
expect_eq "an address in use: exit 1" "$?" 1
expect_match "... naming the address, once" "$out" "^kasparro: http: unable to listen on '127.0.0.1:$(cat "$T/busy.port")'"
small
printf '\n[http]\nlisten = nowhere\n' >>"$CONF"
expect_exit "listen without a port: exit 2" 2 kas daemon
small
printf '\n[http]\nlisten = 127.0.0.1:0\n' >>"$CONF"
out=$(KASPARRO_HTTP_LISTEN=off kas daemon --once 2>&1)
expect_eq "KASPARRO_HTTP_LISTEN=off overrides [http] listen" "$?:$(echo "$out" | grep -c listening)" "0:0"

# `config check` refuses, with the file and line, the [http] values the
# daemon's HTTP server would refuse when it starts, and the daemon refuses
# them the same way (a TLS certificate without its key was refused only at
# the daemon's start, with no line). Files and variables [http] names (key_file, TLS, the
# keys' variables) are the server's to read, not the check's.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/api.sh"
new_db
csv_config 10 a
cp "$CONF" "$T/base.conf"

refused() { # DESC LINE MESSAGE-REGEX: the [http] line at the end of the file
	printf '[http]\n%s\n' "$2" >>"$CONF"
	line=$(wc -l <"$CONF")
	out=$(kas config check 2>&1)
	expect_eq "config check refuses $1: exit 2" "$?" 2
	expect_match "... naming the file and line" "$out" \
		"^kasparro: config '$CONF' line $line: key '[a-z_]+': $3"
	out=$(KASPARRO_HTTP_LISTEN= timeout -k 5 "$(slow 20)" "$BIN" -c "$CONF" daemon --wait-db 1s 2>&1)
	expect_eq "... and so does the daemon: exit 2" "$?" 2
	expect_match "... with the same words" "$out" "line $line: key '[a-z_]+': $3"
	cp "$T/base.conf" "$CONF"
}
refused "a route [http] open cannot serve without a key" "open = /health, /data" \
	"'/data' cannot be opened \(only /health, /metrics and /openapi.json can\)"
refused "a port out of range" "listen = 127.0.0.1:99999" "'127.0.0.1:99999' is not HOST:PORT"
refused "an address with no port" "listen = localhost" "'localhost' is not HOST:PORT"
refused "no request thread" "threads = 0" "0 is not 1 or more"
refused "no connection allowed" "max_connections = 0" "0 is not 1 or more"
refused "an idle timeout of 0, which the server would take as none" "timeout = 0s" \
	"0s is not 1s or more \(an idle connection must be closed some time\)"
refused "a certificate without its key" "tls_cert = server.pem" \
	"no 'tls_key' beside it: HTTPS needs both the certificate \(tls_cert\) and its private key"
refused "a key without its certificate" "tls_key = server.key" \
	"no 'tls_cert' beside it: HTTPS needs both"

printf '[http]\nopen = /health, /metrics, /openapi.json\nlisten = [::1]:0\nthreads = 1\n' >>"$CONF"
printf 'key_file = keys-only-the-server-reads\n' >>"$CONF"
check "what the server accepts passes, a key file it alone reads included" kas config check

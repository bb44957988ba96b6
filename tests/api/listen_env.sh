# KASPARRO_HTTP_LISTEN with a port out of range, or not a number, stops the
# daemon at start (exit 2) naming the variable, as [http] listen does
# naming its line. A port past 65535 was taken modulo 65536: 99999 listened
# on 34463, where no client looked for it.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/api.sh"
api_fixture 1,one,1

# a daemon that starts would run until the bound: 124
for v in 127.0.0.1:99999 127.0.0.1:65536 127.0.0.1:8x 127.0.0.1:-1; do
	out=$(KASPARRO_HTTP_LISTEN=$v timeout -k 5 "$(slow 20)" "$BIN" -c "$CONF" daemon --wait-db 1s 2>&1)
	expect_eq "KASPARRO_HTTP_LISTEN=$v: the daemon does not start, exit 2" "$?" 2
	expect_match "... naming the variable and what a port is" "$out" \
		"^kasparro: http: listen '$v' \(KASPARRO_HTTP_LISTEN\) is not HOST:PORT with a port 0-65535"
	expect_no_match "... and never listening" "$out" "listening on"
done

# a good one still serves
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
KASPARRO_HTTP_LISTEN=127.0.0.1:$port "$BIN" -c "$CONF" daemon >"$T/daemon.log" 2>&1 &
DAEMON_PID=$!
at_exit "kill $DAEMON_PID 2>/dev/null"
wait_for "KASPARRO_HTTP_LISTEN=127.0.0.1:$port serves there" 60 grep -q "\"http: listening on 127.0.0.1:$port " "$T/daemon.log"
API=http://127.0.0.1:$port
get /health
expect_eq "... and answers" "$CODE" 200
stop_daemon
expect_eq "the daemon stops: exit 0" "$DAEMON_RC" 0

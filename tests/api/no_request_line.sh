# Bytes that are no HTTP request line (GARBAGE, a line without a blank)
# are closed by libmicrohttpd without an answer, a log message or a call
# of any callback for a request: they left no trace. The access log now
# has a line for each such connection (its client and the bytes it sent,
# status null) and the metrics count them as status "none"; a connection
# that sent nothing (a port probe) is not logged.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
api_fixture 1,one,1
start_daemon
port=${API##*:}

raw() { python3 "$TOP/tests/lib/rawhttp.py" "$port" send "$1"; }
lines() { grep -c '"error":"no HTTP request line' "$T/daemon.log"; }

expect_eq "a connection that sends nothing: closed" "$(raw nothing)" closed
expect_eq "GARBAGE: closed without an answer" "$(raw garbage)" closed
wait_for "... in the access log" 30 sh -c "grep -q 'no HTTP request line in the 11 bytes' '$T/daemon.log'"
expect_match "... with its client, status null, answered by libmicrohttpd" \
	"$(grep -F 'no HTTP request line in the 11 bytes' "$T/daemon.log")" \
	'"msg":"http request".*"method":null,"route":"\(none\)","path":null,"status":null,"key":null,"client":"127.0.0.1","answered_by":"libmicrohttpd","error":"no HTTP request line in the 11 bytes received; closed without an answer"'
expect_eq "two bytes that are no text: closed too" "$(raw binary)" closed
wait_for "... and logged" 30 sh -c "grep -q 'no HTTP request line in the 6 bytes' '$T/daemon.log'"
expect_eq "HELLO, then the end of the connection: closed" "$(raw hello)" closed
wait_for "... and logged, its bytes counted without the end" 30 \
	sh -c "grep -q 'no HTTP request line in the 5 bytes' '$T/daemon.log'"
get /metrics
expect_match "the three counted in the metrics as status \"none\"" \
	"$(grep -F 'kasparro_http_requests_total{route="unmatched",status="none"}' "$T/body")" ' 3$'
get /health
expect_eq "a request on a connection of its own is not such a line" "$CODE" 200

stop_daemon
expect_eq "the daemon stops cleanly" "$DAEMON_RC" 0
expect_eq "once stopped (every connection closed), three such lines: not the one that sent nothing" \
	"$(lines)" 3

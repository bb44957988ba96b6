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

# sends $1 (Python escapes) on a new connection, and with $2 "eof" ends
# it there (or when $1 is empty); prints the first line of the answer, or
# "closed" when the server closed without one
send() {
	python3 - "$port" "$1" "${2:-}" <<-'PY'
		import socket, sys
		s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=30)
		s.sendall(sys.argv[2].encode().decode("unicode_escape").encode("latin-1"))
		if not sys.argv[2] or sys.argv[3] == "eof":
		    s.shutdown(socket.SHUT_WR)  # nothing more: the server reads its end
		got = b""
		try:
		    while b"\r\n" not in got:
		        d = s.recv(4096)
		        if not d:
		            break
		        got += d
		except (ConnectionResetError, socket.timeout):
		    pass
		print(got.split(b"\r\n")[0].decode() if b"\r\n" in got else "closed")
	PY
}
lines() { grep -c '"error":"no HTTP request line' "$T/daemon.log"; }

expect_eq "a connection that sends nothing: closed" "$(send '')" closed
expect_eq "GARBAGE: closed without an answer" "$(send 'GARBAGE\r\n\r\n')" closed
wait_for "... in the access log" 30 sh -c "grep -q 'no HTTP request line in the 11 bytes' '$T/daemon.log'"
expect_match "... with its client, status null, answered by libmicrohttpd" \
	"$(grep -F 'no HTTP request line in the 11 bytes' "$T/daemon.log")" \
	'"msg":"http request".*"method":null,"route":"\(none\)","path":null,"status":null,"key":null,"client":"127.0.0.1","answered_by":"libmicrohttpd","error":"no HTTP request line in the 11 bytes received; closed without an answer"'
expect_eq "two bytes that are no text: closed too" "$(send '\x01\x02\r\n\r\n')" closed
wait_for "... and logged" 30 sh -c "grep -q 'no HTTP request line in the 6 bytes' '$T/daemon.log'"
expect_eq "HELLO, then the end of the connection: closed" "$(send HELLO eof)" closed
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

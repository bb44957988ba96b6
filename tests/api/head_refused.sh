# What libmicrohttpd answers itself, with its own HTML page that no option
# of it replaces (a request line or headers over the connection's memory,
# 128 KiB; HTTP/2.0 sent as text), is in the access log all the same, with
# the status it sent: those requests left no trace. The metrics count each
# under its status (they were all "other").
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
api_fixture 1,one,1
start_daemon
port=${API##*:}
raw() { python3 "$TOP/tests/lib/rawhttp.py" "$port" "$@"; }
logged() { grep '"msg":"http request"' "$T/daemon.log" | grep -F "\"status\":$1," | tail -n 1; }

expect_eq "a request line over 128 KiB: libmicrohttpd's 414" "$(raw send bigline)" \
	"HTTP/1.1 414 URI Too Long"
wait_for "... in the access log" 10 sh -c "grep -q '\"status\":414,' '$T/daemon.log'"
expect_match "... saying who answered and why" "$(logged 414)" \
	'"answered_by":"libmicrohttpd","error":"request line over the connection.s memory"'
expect_eq "headers over 128 KiB: libmicrohttpd's 431" "$(raw send bighead)" \
	"HTTP/1.1 431 Request Header Fields Too Large"
wait_for "... in the access log" 10 sh -c "grep -q '\"status\":431,' '$T/daemon.log'"
expect_match "... with the path and the client" "$(logged 431)" \
	'"path":"/runs".*"client":"127.0.0.1","answered_by":"libmicrohttpd"'
expect_eq "HTTP/2.0 as text: libmicrohttpd's 505" "$(raw send http2)" \
	"HTTP/1.1 505 HTTP Version Not Supported"
wait_for "... in the access log" 10 sh -c "grep -q '\"status\":505,' '$T/daemon.log'"
expect_match "... saying why" "$(logged 505)" '"error":"HTTP version not supported'
get /metrics
expect_eq "... none of them counted again as a request with no answer" \
	"$(grep -cF 'status="none"' "$T/body")" 0
for s in 414 431 505; do
	expect_match "... $s counted in the metrics under its status" \
		"$(grep -F "route=\"unmatched\",status=\"$s\"" "$T/body")" ' 1$'
done

stop_daemon
expect_eq "the daemon stops cleanly" "$DAEMON_RC" 0
expect_eq "... each logged once, not again as bytes with no request line" \
	"$(grep -c 'no HTTP request line' "$T/daemon.log")" 0

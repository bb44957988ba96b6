# A client address holds at most [http] max_connections_per_client
# connections (default 128): one more is closed as soon as accepted, with a
# warning naming the setting. It was served, so one client opening
# connections and sending nothing (or a byte at a time, which no idle
# timeout ends) could hold every place the server has.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
api_fixture 1,one,1
start_daemon
port=${API##*:}

# 128 idle connections, the default's, each served once (so each was accepted)
mkfifo "$T/hold"
python3 "$TOP/tests/lib/rawhttp.py" "$port" hold 128 "$VIEW_KEY" <"$T/hold" >"$T/held" 2>&1 &
holder=$!
exec 9>"$T/hold"
at_exit "exec 9>&-; kill $holder 2>/dev/null"
wait_for "a client holds 128 connections" 60 grep -q '^held 128$' "$T/held"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $VIEW_KEY" "$API/health")
expect_eq "one more from the same address is closed with no answer" "$code" "000"
wait_for "... with a warning naming the setting" 10 \
	grep -q 'max_connections_per_client (128) already' "$T/daemon.log"
exec 9>&-
wait "$holder"
wait_for "once they close, the client is served again" 30 sh -c \
	"curl -sf -o /dev/null -H 'Authorization: Bearer $VIEW_KEY' '$API/health'"
stop_daemon
expect_eq "the daemon stops cleanly" "$DAEMON_RC" 0

printf '[http]\nmax_connections_per_client = 0\n' >"$T/zero.conf"
expect_exit "0 is refused when the file is read" 2 kas -c "$T/zero.conf" config check
expect_match "... naming the line" "$(kas -c "$T/zero.conf" config check 2>&1)" \
	"line 2.*max_connections_per_client.*0 is not 1 or more"

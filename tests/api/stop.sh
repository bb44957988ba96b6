# The daemon stops on SIGTERM whatever its [http] limits: with fewer
# connections allowed than request threads, libmicrohttpd left a thread
# with no connection to serve and waited for it for ever on stop, and the
# daemon never exited (systemd's stop timeout then killed it).
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/api.sh"
new_db
csv_config 10 a
api_keys
api_section "max_connections=2" "threads=4"
start_daemon
expect_match "the log says how many threads serve: no more than connections" \
	"$(cat "$T/daemon.log")" '"http: listening on [^ ]+ \(2 threads\)"'
get "/health"
expect_eq "it serves" "$CODE" 200
kill -TERM "$DAEMON_PID"
wait_for "SIGTERM stops it" 30 sh -c "! kill -0 $DAEMON_PID"
kill -KILL "$DAEMON_PID" 2>/dev/null
wait "$DAEMON_PID"
expect_eq "... exit 0" "$?" 0

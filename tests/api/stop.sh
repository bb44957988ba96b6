# The daemon stops on SIGTERM whatever its [http] limits: with fewer
# connections allowed than request threads, libmicrohttpd left a thread
# with no connection to serve and waited for it for ever on stop, and the
# daemon never exited (systemd's stop timeout then killed it). A stop lets
# the requests in flight be answered: it used to close their connections
# with no answer, which a deploy's restart did to every client mid-request.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/api.sh"
new_db
csv_config 10 a
printf 'id,title,n\n1,a,1\n' >"$T/a.csv"
kas run >/dev/null
api_keys
api_section "max_connections=2" "threads=4"
start_daemon
expect_match "the log says how many threads serve: no more than connections" \
	"$(cat "$T/daemon.log")" '"http: listening on [^ ]+ \(2 threads\)"'
get "/health"
expect_eq "it serves" "$CODE" 200

# A request in flight when the stop comes: it waits for a table another
# session holds.
hold_table "another session holds the records table" records
curl -s -o "$T/slow.body" -w '%{http_code}' --max-time "$(slow 60)" \
	-H "Authorization: Bearer $VIEW_KEY" "$API/data?limit=5" >"$T/slow.code" &
slow=$!
at_exit "kill $slow 2>/dev/null"
wait_for "a request is in flight, waiting for the table" 60 sh -c "psql -XAtq '$KASPARRO_DATABASE_URL' -c \
	\"SELECT count(*) FROM pg_stat_activity WHERE application_name = 'kasparro' \
	AND wait_event_type = 'Lock'\" | grep -qx 1"
kill -TERM "$DAEMON_PID"
wait_for "SIGTERM: the daemon stops taking connections" 30 sh -c \
	"grep -q '\"stopping: signal received' '$T/daemon.log' && ! curl -s -o /dev/null --max-time 5 '$API/health'"
release_table
wait "$slow"
expect_eq "the request in flight is answered" "$(cat "$T/slow.code")" 200
expect_match "... with its records" "$(cat "$T/slow.body")" '"source_id":"1"'
wait_for "then the daemon stops" 30 sh -c "! kill -0 $DAEMON_PID"
kill -KILL "$DAEMON_PID" 2>/dev/null
wait "$DAEMON_PID"
expect_eq "... exit 0" "$?" 0

# A stop whose request outlasts the drain cancels the request's query and
# answers it 503 shutting_down with Retry-After, and the daemon exits. A
# query waiting on a lock used to keep the daemon from stopping for as long
# as the lock was held, and a cancel (SQL state 57014) was answered as the
# database's time limit ("timeout").
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/api.sh"
new_db
csv_config 10 a
printf 'id,title,n\n1,a,1\n' >"$T/a.csv"
kas run >/dev/null
api_keys
api_section
start_daemon

hold_table "another session holds the records table" records
at_exit release_table
curl -s -o "$T/slow.body" -D "$T/slow.head" -w '%{http_code}' --max-time "$(slow 60)" \
	-H "Authorization: Bearer $VIEW_KEY" "$API/data?limit=5" >"$T/slow.code" &
slow=$!
at_exit "kill $slow 2>/dev/null"
wait_for "a request is in flight, waiting for the table" 60 sh -c "psql -XAtq '$KASPARRO_DATABASE_URL' -c \
	\"SELECT count(*) FROM pg_stat_activity WHERE application_name = 'kasparro' \
	AND wait_event_type = 'Lock'\" | grep -qx 1"
kill -TERM "$DAEMON_PID"
# the table stays held: only the stop's cancel ends the request
wait "$slow"
expect_eq "the request outlasting the drain is answered 503 shutting_down" \
	"$(cat "$T/slow.code") $(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["error"]["code"])' "$T/slow.body")" \
	"503 shutting_down"
expect_match "... saying the server is stopping, not a time limit" "$(cat "$T/slow.body")" \
	'"message":"the server is stopping and cancelled this request.s query; try again once it is back"'
expect_match "... with Retry-After" "$(tr -d '\r' <"$T/slow.head")" '^Retry-After: [0-9]+$'
wait_for "the daemon stops while the table is still held" 30 sh -c "! kill -0 $DAEMON_PID"
kill -KILL "$DAEMON_PID" 2>/dev/null
wait "$DAEMON_PID"
expect_eq "... exit 0" "$?" 0
expect_match "the log says it cancelled the query" "$(cat "$T/daemon.log")" \
	'"http: 1 request still in flight after [0-9]+s; cancelled 1 query"'

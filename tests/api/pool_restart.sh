# The server ends the daemon's idle connections (a restart, a failover, an
# administrator's pg_terminate_backend) and is there again at once: no
# request is answered 503. The pool used to hand out each connection the
# server had closed while it sat idle, and each answered one request 503
# "connection lost" before it was replaced — one per request thread (four
# by default).
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
api_fixture 1,one,1 2,two,2
# the daemon's sessions
sessions() {
	sql "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() \
		AND application_name = 'kasparro' AND pid <> pg_backend_pid()"
}
# one request thread: the pool's one connection is the one every request
# takes (with more, libmicrohttpd gives a connection to any thread)
sed -i 's/^\[http\]$/[http]\nthreads = 1/' "$CONF"
start_daemon
before=$(sessions)
for i in 1 2 3; do get "/data?limit=1"; done
expect_eq "requests are answered" "$CODE" 200
expect_eq "the pool keeps a connection" "$(($(sessions) - before))" 1

# the server ends it while it sits idle
pids=$(sql "SELECT string_agg(pid::text, ',') FROM pg_stat_activity WHERE datname = \
	current_database() AND application_name = 'kasparro' AND pid <> pg_backend_pid()")
sql "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE pid IN ($pids)" >/dev/null
wait_for "the server has ended its sessions" 30 sh -c "psql -XAtq '$KASPARRO_DATABASE_URL' -c \
	\"SELECT count(*) FROM pg_stat_activity WHERE pid IN ($pids)\" | grep -qx 0"

codes=""
for i in 1 2 3 4 5 6; do
	get "/data?limit=1"
	codes="$codes $CODE"
done
expect_eq "the requests after it are answered, none 503" "$codes" " 200 200 200 200 200 200"
get /health
expect_eq "/health: ok" "$CODE $(jq_ 'd["data"]["status"]')" "200 ok"
expect_no_match "nothing was answered 'connection lost'" \
	"$(grep '"msg":"http request"' "$T/daemon.log")" '"status":503'
stop_daemon
expect_eq "the daemon stops: exit 0" "$DAEMON_RC" 0

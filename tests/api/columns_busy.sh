# A new field's column is added when a command opens the database and when
# the daemon starts, so listings and the HTTP API answer it before the
# first run. That ALTER TABLE waits for every transaction on
# kasparro.records (a long report, a pg_dump): it used to wait without
# bound, so a command as small as 'kasparro runs' hung as long as the
# report did, and a daemon did not start. It now waits 2 s at most, says
# which field has no column and which session holds the table, and goes
# on without it; the daemon tries again every 15 s (and a run adds it).
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
api_fixture 1,one,1
sed -i '/^\[schema\]/a extra = text' "$CONF"
has_column() { sql_is "SELECT count(*) FROM pg_attribute WHERE attrelid = 'kasparro.records'::regclass AND attname = '$1'" 1; }

hold_report "a long report holds kasparro.records"

out=$(timeout "$(slow 30)" "$BIN" -c "$CONF" runs 2>&1)
expect_eq "a command is not held up by it: 'runs' exits 0" "$?" 0
expect_match "... saying which field has no column, and which session holds the table" "$out" \
	"the column of field 'extra' is not added: kasparro.records was in use by another session for longer than 2s \(pid [0-9]+ 'longreport', (idle in transaction|active) for [0-9]+s\); going on without it: it reads as null until it is added \(the next run adds it\)"
check "... and the column is not there" sh -c "! psql -XAtq '$KASPARRO_DATABASE_URL' -c \
	\"SELECT 1 FROM pg_attribute WHERE attrelid = 'kasparro.records'::regclass AND attname = 'extra'\" | grep -q 1"

: >"$T/daemon.log"
API=http://127.0.0.1:9 # until it listens
KASPARRO_HTTP_LISTEN= LOG_LEVEL=info timeout "$(slow 120)" "$BIN" -c "$CONF" daemon >>"$T/daemon.log" 2>&1 &
DAEMON_PID=$!
at_exit "kill $DAEMON_PID 2>/dev/null"
if wait_for "the daemon starts and serves, the report still going" 30 grep -q '"http: listening on' "$T/daemon.log"; then
	API="http://$(sed -n 's/.*"http: listening on \([^ ]*\) .*/\1/p' "$T/daemon.log" | head -n 1)"
	expect_match "... its log says the column waits, and that it tries again" "$(cat "$T/daemon.log")" \
		"the column of field 'extra' is not added: kasparro.records was in use by another session .*'longreport'.*; going on without it: it reads as null until it is added \(trying again every 15s; a run adds it too\)"
fi
end_report
wait_for "once the report ends, the daemon adds the column" 60 has_column extra
wait_for "... and says so" 30 grep -q '"start: kasparro.records has a column for every field of \[schema\]"' "$T/daemon.log"
expect_eq "... the warning said once" "$(grep -c 'is not added' "$T/daemon.log")" 1
get "/data?limit=1"
expect_eq "/data now answers with the new field" "$CODE $(jq_ '"extra" in d["data"][0]["fields"]')" "200 true"
kill -TERM "$DAEMON_PID" 2>/dev/null
wait_for "the daemon stops" 30 sh -c "! kill -0 $DAEMON_PID"
kill -KILL "$DAEMON_PID" 2>/dev/null
wait "$DAEMON_PID"
expect_eq "... exit 0" "$?" 0

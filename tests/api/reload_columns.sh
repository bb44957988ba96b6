# A reload that declares a new field adds its column to kasparro.records
# without holding up the daemon. The ALTER TABLE waits for every
# transaction using the table (a run, a long report, a pg_dump); it used to
# run on the daemon's main thread, so the reload was not applied, and a
# SIGTERM not served, until that transaction ended — 12.6 s for a SIGTERM
# behind a 15 s report. Now it runs on a thread of its own, waits for the
# table at most 2 s at a time (a queued ALTER holds up every reader behind
# it), tries again every 15 s, and a stop cancels it.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
api_fixture 1,one,1
cp "$CONF" "$T/base.conf"
field() { # NAME...: the configuration with these text fields added to [schema]
	for f in "$@"; do printf '%s = text\n' "$f"; done >"$T/fields"
	sed "/^\[schema\]/r $T/fields" "$T/base.conf" >"$CONF"
}
reloads() { [ "$(grep -c '"reload: configuration' "$T/daemon.log")" -ge "$1" ]; }
has_column() { sql_is "SELECT count(*) FROM pg_attribute WHERE attrelid = 'kasparro.records'::regclass AND attname = '$1'" 1; }

start_daemon
field extra
kill -HUP "$DAEMON_PID"
wait_for "a reload with a new field is applied" 60 reloads 1
wait_for "... and its column added" 60 grep -q '"reload: kasparro.records has a column for every field of \[schema\]"' "$T/daemon.log"
check "... in the database" has_column extra
get "/data?limit=1"
expect_eq "/data answers with the new field" "$CODE $(jq_ '"extra" in d["data"][0]["fields"]')" "200 true"

# The table is held by another session: the reload applies at once; the
# column waits for the table 2 s at most and is tried again until it is
# there.
hold_table "another session holds kasparro.records" records
field extra more
kill -HUP "$DAEMON_PID"
wait_for "with the table held, the reload is applied at once" 30 reloads 2
wait_for "... the column gives up after its lock timeout, saying so once, naming the field and the holder" 60 grep -Eq \
	'"reload: the columns of the new fields are not added yet, trying again every 15s \(a run adds them too\); they read as null until then: the column of field .more. is not added: kasparro.records was in use by another session for longer than 2s \(pid [0-9]+ .tableholder., [a-z ]+ for [0-9]+s\)"' \
	"$T/daemon.log"
release_table
wait_for "once the table is free, it is tried again and added" 60 has_column more
expect_eq "... said once" "$(grep -c 'not added yet' "$T/daemon.log")" 1

# A stop while the column waits for the table: served at once.
hold_table "the table is held again" records
field extra more third
kill -HUP "$DAEMON_PID"
wait_for "another reload is applied at once" 30 reloads 3
wait_for "... its ALTER TABLE waits for the table" 60 sql_is \
	"SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'records' AND l.mode = 'AccessExclusiveLock' AND NOT l.granted" 1
kill -TERM "$DAEMON_PID"
if wait_for "a SIGTERM meanwhile stops the daemon, the table still held" 30 sh -c "! kill -0 $DAEMON_PID"; then
	wait "$DAEMON_PID"
	expect_eq "... exit 0" "$?" 0
else
	kill -KILL "$DAEMON_PID"
fi
check "the table was still held" sql_is "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'tableholder'" 1
release_table
kas run >/dev/null
check "the next run adds the column" has_column third

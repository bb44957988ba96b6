# A first load writes each batch's payloads on a second connection, whose
# transaction commits just before the one with the batch's records and
# checkpoint. Every way of stopping between or before those two commits
# loses nothing and doubles nothing, and no reader ever sees what was left:
#  - kasparro killed (kill -9) after a batch's payloads committed and before
#    its records did: the payloads stay, unseen, until the next load deletes
#    them and loads the batch again;
#  - the records' backend killed at that same point: the run fails, the
#    next one cleans up the same way;
#  - the payloads' backend killed before its commit: nothing of the batch
#    commits;
#  - a stop (SIGTERM) while the payloads' statement waits at the server:
#    cancelled there, the run interrupted at once.
# A purge removes what such a stop left of a source nobody loads now (one
# since removed from the configuration has no next load), never of one that
# loads. And a server that refuses the second connection: the load goes on
# one.
# Each point is reached by another session holding a table lock that the
# next statement there needs (kasparro.checkpoints for the records'
# transaction, kasparro.raw_pending for the payloads'): the test waits for
# the statement to wait, never for time.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/fixtures.sh"
. "$TOP/tests/lib/http.sh" # now, expect_seconds
new_db

rows=20000
seq 1 $rows | awk 'BEGIN { print "id,title,n" } { printf "%d,record %d,%d\n", $1, $1, $1 % 7 }' \
	>"$T/big.csv"
big_csv_config 2000
kas db migrate >/dev/null

count() { sql "SELECT count(*) FROM kasparro.$1"; }
# lock_table TABLE: another session holds TABLE in EXCLUSIVE mode (reads
# go on, writes wait) until unlock_table
lock_table() {
	psql -X -q "$KASPARRO_DATABASE_URL application_name=locker" -c "BEGIN" \
		-c "LOCK TABLE kasparro.$1 IN EXCLUSIVE MODE" -c "SELECT pg_sleep(600)" >/dev/null 2>&1 &
	LOCKER=$!
	at_exit "kill $LOCKER 2>/dev/null"
	wait_for "another session locks $1" 20 sh -c "[ \$(psql -XAtq '$KASPARRO_DATABASE_URL' -c \"SELECT count(*) FROM pg_stat_activity WHERE application_name = 'locker' AND query LIKE 'SELECT pg_sleep%'\") -ge 1 ]"
}
unlock_table() {
	sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'locker'" >/dev/null
	wait "$LOCKER" 2>/dev/null
}
# waits_on TABLE: the pid of kasparro's backend that waits for TABLE's lock
waits_on() {
	sql "SELECT a.pid FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid AND NOT l.granted
		WHERE a.application_name = 'kasparro' AND l.relation = 'kasparro.$1'::regclass"
}
waiting() { [ -n "$(waits_on "$1")" ]; }
# kasparro's sessions in this database, the lock holder's aside
sessions() { sql "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name <> 'locker'"; }
settled() { [ "$(sessions)" = 0 ]; }
# load_until_waiting TABLE OUT WHAT: a first load (the tables emptied) runs
# in the background ($pid, its output in $T/OUT) until its backend waits
# for TABLE, which another session holds
load_until_waiting() {
	sql "TRUNCATE kasparro.records, kasparro.raw_records, kasparro.checkpoints" >/dev/null
	lock_table "$1"
	"$BIN" -c "$CONF" run >"$T/$2" 2>&1 &
	pid=$!
	wait_for "$3" 60 waiting "$1"
}
# kill_waiting TABLE: that backend is terminated; $rc is the run's exit code
kill_waiting() {
	sql "SELECT pg_terminate_backend($(waits_on "$1"))" >/dev/null
	wait "$pid"
	rc=$?
	unlock_table
}
# exactly: every source record once, each with its payload, no payload
# without its record, no marker left
exactly() {
	expect_eq "$1: every record loaded exactly once" \
		"$(sql "SELECT count(*) || ' ' || count(DISTINCT source_id) || ' ' || sum(n) FROM kasparro.records")" \
		"$rows $rows $(seq 1 $rows | awk '{ s += $1 % 7 } END { print s }')"
	expect_eq "$1: each with its payload, once" \
		"$(sql "SELECT count(*) FROM kasparro.records r JOIN kasparro.raw_records w ON w.record_id = r.id WHERE w.payload::json->>'id' = r.source_id")" \
		"$rows"
	expect_eq "$1: no payload without its record" \
		"$(sql "SELECT count(*) FROM kasparro.raw_records w WHERE NOT EXISTS (SELECT 1 FROM kasparro.records r WHERE r.id = w.record_id)")" 0
	expect_eq "$1: no batch left half-committed" "$(count raw_pending)" 0
}

# 1. kill -9 between the two commits
load_until_waiting checkpoints run1.out "the first batch's records wait, its payloads committed"
expect_eq "the payloads of that batch are committed, its records are not" \
	"$(count raw_records) $(count records) $(count raw_pending)" "2000 0 1"
kill -9 "$pid"
wait "$pid" 2>/dev/null
unlock_table
wait_for "the killed run's sessions end" 30 settled
expect_eq "no reader sees the left payloads: export has no record" \
	"$(kas export records --format jsonl | wc -l)" 0
LOG_LEVEL=info kas run >"$T/run2.out" 2>&1
expect_match "the next load removes them first" "$(cat "$T/run2.out")" \
	"source 'big': removed 2000 payloads whose records never committed \\(a load stopped between the two commits of 1 batch\\)"
expect_match "and loads every record" "$(cat "$T/run2.out")" "big +succeeded +$rows +$rows "
exactly "after kill -9"

# 2. the records' backend killed between the two commits (emptied tables
# make each case a first load again)
load_until_waiting checkpoints run3.out "the records wait again, the payloads committed"
kill_waiting checkpoints
expect_eq "the run whose records' backend was killed fails" "$rc" 1
expect_eq "leaving that batch's payloads only" "$(count raw_records) $(count records)" "2000 0"
wait_for "its sessions end" 30 settled
check "the next run loads the source" kas run
exactly "after the records' backend was killed"

# 3. the payloads' backend killed before its commit
load_until_waiting raw_pending run4.out "the payloads' transaction waits before its commit"
kill_waiting raw_pending
expect_eq "the run whose payloads' backend was killed fails" "$rc" 1
expect_match "naming the source" "$(cat "$T/run4.out")" "big +failed"
expect_eq "and nothing of the batch is committed" \
	"$(count raw_records) $(count records) $(count raw_pending)" "0 0 0"
wait_for "its sessions end" 30 settled
check "the next run loads the source" kas run
exactly "after the payloads' backend was killed"

# 4. a stop while the payloads' statement waits at the server
load_until_waiting raw_pending run5.out "the payloads' transaction waits at the server"
t0=$(now)
kill -TERM "$pid"
wait "$pid"
rc=$?
expect_seconds "SIGTERM: the run ends within 5 seconds" "$t0" "" "$(slow 5)"
expect_eq "SIGTERM: it exits 1, interrupted" "$rc" 1
expect_eq "SIGTERM: the payloads' statement is gone from the server" "$(waits_on raw_pending)" ""
unlock_table
expect_eq "SIGTERM: nothing of the batch is committed" \
	"$(count raw_records) $(count records) $(count raw_pending)" "0 0 0"
check "the next run loads the source" kas run
exactly "after a stop"

# 5. a purge removes what a stopped first load left, of sources nobody
# loads now: not while the source loads, but once its load was killed and
# the source removed from the configuration (no next load would)
load_until_waiting checkpoints run8.out "a first load waits with a batch's payloads committed"
LOG_LEVEL=info kas purge >"$T/purge1.out" 2>&1
expect_eq "a purge meanwhile exits 0" "$?" 0
expect_eq "... and leaves the loading source's batch alone" \
	"$(count raw_records) $(count raw_pending)" "2000 1"
unlock_table
wait "$pid"
expect_eq "that load then succeeds" "$?" 0
exactly "after a purge during the load"
load_until_waiting checkpoints run9.out "a first load waits again"
kill -9 "$pid"
wait "$pid" 2>/dev/null
unlock_table
wait_for "the killed run's sessions end" 30 settled
printf 'id,title\n1,one\n' >"$T/small.csv"
sed -e 's/^\[source big\]/[source small]/' -e 's/^path = big.csv/path = small.csv/' \
	-e '/^map.n = n/d' "$CONF" >"$T/other.conf"
LOG_LEVEL=info kas -c "$T/other.conf" purge >"$T/purge2.out" 2>&1
expect_eq "with 'big' removed from the configuration, a purge exits 0" "$?" 0
expect_match "... and says it removed the batch 'big' left" "$(cat "$T/purge2.out")" \
	"source 'big': removed 2000 payloads whose records never committed \\(a load stopped between the two commits of 1 batch\\)"
expect_eq "... none left, nor their marker" "$(count raw_records) $(count raw_pending)" "0 0"

# 6. a server that refuses the second connection (a role's connection
# limit): the payloads go on the loader's connection, the load is whole.
# The limit is the number of sessions a first load holds, less one: counted
# while one waits, as above, under a role that owns kasparro's tables.
role="lim_$DBNAME"
sql "CREATE ROLE $role LOGIN" >/dev/null
sql "ALTER SCHEMA kasparro OWNER TO $role" >/dev/null
sql "DO \$\$ DECLARE t record; BEGIN FOR t IN SELECT tablename FROM pg_tables
	WHERE schemaname = 'kasparro' LOOP EXECUTE format('ALTER TABLE kasparro.%I OWNER TO $role',
	t.tablename); END LOOP; END \$\$" >/dev/null
sql "GRANT ALL ON ALL SEQUENCES IN SCHEMA kasparro TO $role" >/dev/null
sql "TRUNCATE kasparro.records, kasparro.raw_records, kasparro.checkpoints" >/dev/null
as_role="$KASPARRO_DATABASE_URL user=$role"
role_sessions() { sql "SELECT count(*) FROM pg_stat_activity WHERE usename = '$role'"; }
lock_table checkpoints
KASPARRO_DATABASE_URL=$as_role "$BIN" -c "$CONF" run >"$T/run6.out" 2>&1 &
pid=$!
wait_for "a first load under that role waits with its payloads committed" 60 waiting checkpoints
held=$(role_sessions)
kill -9 "$pid"
wait "$pid" 2>/dev/null
unlock_table
wait_for "its sessions end" 30 settled
sql "ALTER ROLE $role CONNECTION LIMIT $((held - 1))" >/dev/null
KASPARRO_DATABASE_URL=$as_role LOG_LEVEL=info "$BIN" -c "$CONF" run >"$T/run7.out" 2>&1
rc=$?
expect_eq "with one connection fewer allowed, the load succeeds" "$rc" 0
expect_match "the log says the payloads share the records' connection" "$(cat "$T/run7.out")" \
	"source 'big': its payloads share the records' connection \\(a second connection failed: .*too many connections"
exactly "on one connection"

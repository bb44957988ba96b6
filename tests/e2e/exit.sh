# Every documented exit status (kasparro(1), EXIT STATUS) is what a shell
# sees, whatever the path that failed: 0 success, 1 the operation failed,
# 2 usage or configuration, 3 busy, 4 database unreachable; never 255.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
two_sources_config
printf 'id,title,author,published_at,url\n1,A title,Ann,2024-01-01,https://a.example/1\n' >"$T/a.csv"
printf 'id,title,author,published_at,url\n' >"$T/b.csv"

# 0
expect_exit "0: a command that succeeds" 0 kas run
expect_exit "0: help" 0 kas help
expect_exit "0: a listing" 0 kas runs --json

# 1
expect_exit "1: a run whose source cannot be read" 1 sh -c "rm '$T/b.csv' && '$BIN' -c '$CONF' run"
expect_exit "1: approving a candidate that does not exist" 1 kas approve 999999
expect_exit "1: undoing a decision that does not exist" 1 kas undo 999999

# 2
expect_exit "2: an unknown command" 2 kas frobnicate
expect_exit "2: an unknown option" 2 kas runs --frob
expect_exit "2: a bad option value" 2 kas runs --limit x
expect_exit "2: a missing argument" 2 kas approve
expect_exit "2: a console-only command in a shell" 2 kas screen runs
expect_exit "2: the console without a terminal (before: 255)" 2 sh -c "'$BIN' -c '$CONF' console </dev/null"
expect_exit "2: a configuration that does not load" 2 "$BIN" -c "$T/nowhere.conf" runs
expect_exit "2: --size that is not COLSxROWS" 2 kas console --script /dev/null --size big
expect_exit "2: a usage error a command finds itself (schedule set without a cron)" 2 \
	kas schedule set

# 3: another session holds the run lock
hold_lock "another session holds the run lock" 1801548546
printf 'id,title,author,published_at,url\n' >"$T/b.csv"
expect_exit "3: a run while another holds the run lock" 3 kas run
out=$(kas run 2>&1)
expect_match "... saying who holds it" "$out" "another run is in progress"
release_lock

# 4
nowhere="host=$T/nowhere port=5432 user=kasparro dbname=x"
expect_exit "4: a listing with the database unreachable" 4 env KASPARRO_DATABASE_URL="$nowhere" "$BIN" -c "$CONF" runs
expect_exit "4: a run with the database unreachable" 4 env KASPARRO_DATABASE_URL="$nowhere" "$BIN" -c "$CONF" run
expect_exit "4: the daemon, after its bounded wait" 4 \
	env KASPARRO_DATABASE_URL="$nowhere" "$BIN" -c "$CONF" daemon --wait-db 1s

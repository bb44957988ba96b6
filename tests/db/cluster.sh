# The private cluster as a new user meets it: created on first use in
# $XDG_STATE_HOME, started on demand by any command, stopped and started
# again; two processes starting it at once do not race.
. "$KASPARRO_TOP/tests/lib/lib.sh"
unset KASPARRO_DATABASE_URL
export XDG_STATE_HOME="$T/st"
at_exit '"$BIN" db stop >/dev/null 2>&1'

expect_match "db status before first use says not created" "$(kas db status)" "not created yet"
kas db migrate >"$T/a.out" 2>&1 &
kas db migrate >"$T/b.out" 2>&1 &
wait
check "first process creates, starts and migrates" grep -q "schema at version" "$T/a.out"
check "second process, started at the same time, too" grep -q "schema at version" "$T/b.out"
check "the cluster lives under XDG_STATE_HOME" test -f "$XDG_STATE_HOME/kasparro/pg/PG_VERSION"
expect_match "it listens on no TCP port" \
	"$(grep -E "^listen_addresses" "$XDG_STATE_HOME/kasparro/pg/postgresql.conf")" "''"
check "db stop stops it" kas db stop
expect_match "status says stopped" "$(kas db status)" "stopped"
check "any command starts it again on demand" kas db migrate
expect_match "status says running" "$(kas db status)" "running"
expect_eq "db status --json is valid JSON with the state" \
	"$(kas db status --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["private"], d["running"], d["reachable"])')" \
	"True True True"
expect_match "db status says how to reach it with psql" "$(kas db status)" \
	"^psql: +psql -h $XDG_STATE_HOME/kasparro/pg -U kasparro -d kasparro$"
expect_eq "... and that psql command works" \
	"$(psql -XAtq -h "$XDG_STATE_HOME/kasparro/pg" -U kasparro -d kasparro -c 'SELECT 1')" 1
expect_eq "db status --json names the socket folder, role and database" \
	"$(kas db status --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["socket_directory"], d["role"], d["database"])')" \
	"$XDG_STATE_HOME/kasparro/pg kasparro kasparro"
expect_exit "db status exits 0 when it is reachable" 0 kas db status
check "db stop stops it again" kas db stop
expect_exit "db status exits 4 when it is stopped" 4 kas db status
expect_match "db stop when it is stopped says so" "$(kas db stop 2>&1)" "was already stopped"
expect_exit "... and succeeds" 0 kas db stop
out=$(XDG_STATE_HOME="$T/none" "$BIN" db stop 2>&1)
expect_eq "db stop where there is no cluster is an error (exit 1)" "$?" 1
expect_match "... naming the folder" "$out" "there is no private database in '$T/none/kasparro/pg' to stop"
expect_exit "db status where there is no cluster exits 4" 4 env XDG_STATE_HOME="$T/none" "$BIN" db status

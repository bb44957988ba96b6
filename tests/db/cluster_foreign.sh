# A private-cluster folder whose postgresql.conf is not kasparro's (another
# cluster, or KASPARRO_PGDATA pointed at the wrong folder) is neither started
# nor stopped; a server kasparro started but cannot reach is not left running.
. "$KASPARRO_TOP/tests/lib/lib.sh"
unset KASPARRO_DATABASE_URL
export KASPARRO_PGDATA="$T/pg"
at_exit '"$BIN" db stop >/dev/null 2>&1'
conf="$KASPARRO_PGDATA/postgresql.conf"
running() { [ -f "$KASPARRO_PGDATA/postmaster.pid" ]; }
# what a cluster someone else made looks like: its socket elsewhere, no
# settings block of kasparro's (no TCP port, so nothing here can collide)
make_foreign() {
	mkdir -p "$T/elsewhere" && chmod 777 "$T/elsewhere"
	grep -v -e '^# kasparro: private cluster' -e '^unix_socket_directories' "$conf.kasparro" >"$conf"
	echo "unix_socket_directories = '$T/elsewhere'" >>"$conf"
}

check "kasparro creates its own cluster" kas db migrate
check "and stops it" kas db stop
cp "$conf" "$conf.kasparro"
make_foreign
out=$(kas db start 2>&1)
expect_eq "db start on a cluster kasparro did not create exits 4" "$?" 4
expect_match "... naming the folder and why" "$out" \
	"'$KASPARRO_PGDATA' holds a PostgreSQL cluster kasparro did not create.*does not start it"
expect_match "... and what to do instead" "$out" "KASPARRO_DATABASE_URL"
check "... and the server was not started" sh -c "! test -f '$KASPARRO_PGDATA/postmaster.pid'"
expect_exit "any other command refuses it the same way (exit 4)" 4 kas runs

# kasparro's own block, with the socket moved after it: started, unreachable
sed "s|^unix_socket_directories = '$KASPARRO_PGDATA'|unix_socket_directories = '$T/elsewhere'|" \
	"$conf.kasparro" >"$conf"
out=$(kas db start 2>&1)
expect_eq "a server started but unreachable is an error (exit 4)" "$?" 4
expect_match "... that says kasparro stopped it again, and which settings to check" "$out" \
	"stopped the server it had started.*unix_socket_directories and port in '$conf'"
check "... and it is not left running" sh -c "! test -f '$KASPARRO_PGDATA/postmaster.pid'"

cp "$conf.kasparro" "$conf"
check "with kasparro's settings back, it starts" kas db start
expect_match "db status says running" "$(kas db status)" "running"
make_foreign
out=$(kas db stop 2>&1)
expect_eq "db stop on a running cluster kasparro did not create exits 4" "$?" 4
expect_match "... saying it does not stop it" "$out" "does not stop it"
check "... and it still runs" running
cp "$conf.kasparro" "$conf"
check "with the settings back, db stop stops it" kas db stop

# A cluster another process is still creating (it holds the lock beside the
# folder from initdb until its settings block is written) is waited for,
# not taken for someone else's.
grep -v '^# kasparro: private cluster' "$conf.kasparro" >"$conf"
mkfifo "$T/go"
flock "$KASPARRO_PGDATA.lock" sh -c "touch '$T/held'; cat '$T/go' >/dev/null" &
holder=$!
wait_for "another process holds the folder's lock" 30 test -f "$T/held"
kas db start >"$T/start.out" 2>&1 &
starter=$!
ino=$(stat -c %i "$KASPARRO_PGDATA.lock")
waits() { grep -q -- "-> FLOCK .*:$ino " /proc/locks || ! kill -0 "$starter"; }
wait_for "db start waits for the lock (or has given up)" 30 waits
cp "$conf.kasparro" "$conf"
echo go >"$T/go"
wait "$holder"
wait "$starter"
expect_eq "once the block is written, db start starts it (exit 0)" "$?" 0
check "... and the server runs" running
expect_no_match "... without calling it foreign" "$(cat "$T/start.out")" "did not create"
check "db stop" kas db stop

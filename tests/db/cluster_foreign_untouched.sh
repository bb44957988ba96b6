# A private-cluster folder holding someone else's cluster is refused without
# writing anything beside it: no kasparro lock file, no setup log, left in
# that person's folder (db start and every other command alike). Only a
# lock file a kasparro creating the cluster holds makes it wait and look
# again (tests/db/cluster_foreign.sh).
. "$KASPARRO_TOP/tests/lib/lib.sh"
unset KASPARRO_DATABASE_URL
mkdir -p "$T/theirs/pg"
export KASPARRO_PGDATA="$T/theirs/pg"
# what kasparro sees of a cluster: PG_VERSION, and a postgresql.conf
# without its settings block
echo 15 >"$KASPARRO_PGDATA/PG_VERSION"
printf "port = 5433\nunix_socket_directories = '/var/run/postgresql'\n" >"$KASPARRO_PGDATA/postgresql.conf"
before=$(ls -A "$T/theirs")
out=$(kas db start 2>&1)
expect_eq "db start on someone else's cluster exits 4" "$?" 4
expect_match "... saying kasparro did not create it" "$out" "holds a PostgreSQL cluster kasparro did not create"
expect_eq "... and writes nothing beside it" "$(ls -A "$T/theirs")" "$before"
expect_exit "another command refuses it the same way (exit 4)" 4 kas runs
expect_eq "... and writes nothing either" "$(ls -A "$T/theirs")" "$before"
expect_eq "nothing in the folder changed" "$(ls -A "$KASPARRO_PGDATA" | tr '\n' ' ')" "PG_VERSION postgresql.conf "

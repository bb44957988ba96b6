# Migrations: applied once, recorded, safe when processes start together,
# and a database from a newer kasparro is refused. Exit codes for an
# unreachable database.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

# Five processes open the same empty database at once.
for i in 1 2 3 4 5; do
	kas db migrate >"$T/m$i.out" 2>&1 &
done
wait
fails=0
for i in 1 2 3 4 5; do grep -q "schema at version" "$T/m$i.out" || fails=$((fails + 1)); done
expect_eq "five concurrent migrations all succeed" "$fails" 0
known=$(kas db status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["known_version"])')
expect_eq "each migration is recorded once" \
	"$(sql 'SELECT count(*) = count(DISTINCT version) FROM kasparro.schema_migrations')" t
expect_eq "the schema is at the version the binary knows" \
	"$(sql 'SELECT max(version) FROM kasparro.schema_migrations')" "$known"
expect_match "db status reports the schema version" "$(kas db status)" "schema: +version $known"

sql "INSERT INTO kasparro.schema_migrations (version, name) VALUES (9999, '9999_future')"
expect_exit "a database with an unknown migration is refused (exit 4)" 4 kas db migrate
expect_match "the refusal says to upgrade" "$(kas db migrate 2>&1)" \
	"schema migration 9999, which this kasparro does not know.*upgrade kasparro"
sql "DELETE FROM kasparro.schema_migrations WHERE version = 9999"

KASPARRO_DATABASE_URL="host=$T/nowhere port=5432 user=kasparro dbname=x" \
	expect_exit "an unreachable database exits 4" 4 kas db migrate
out=$(KASPARRO_DATABASE_URL="postgresql://etl:hunter2@127.0.0.1:1/x" kas db migrate 2>&1)
expect_match "the message names the database" "$out" "database 'postgresql://etl:\*\*\*@127.0.0.1:1/x' is unreachable"
expect_no_match "the password never appears" "$out" "hunter2"
out=$(env -u KASPARRO_DATABASE_URL DB_HOST=127.0.0.1 DB_PORT=1 DB_USER=etl DB_PASSWORD=s3cr3t DB_NAME=x \
	"$BIN" db migrate 2>&1)
expect_match "DB_* variables are used" "$out" "host='127.0.0.1' port='1' user='etl' password=\*\*\* dbname='x'"
expect_no_match "DB_PASSWORD never appears" "$out" "s3cr3t"
mkdir -p "$T/dotenv"
printf 'DB_HOST=127.0.0.1\nDB_PORT=2\nexport DB_NAME="fromdotenv"\n' >"$T/dotenv/.env"
out=$(cd "$T/dotenv" && env -u KASPARRO_DATABASE_URL "$BIN" db migrate 2>&1)
expect_match ".env supplies unset variables" "$out" "port='2'.*dbname='fromdotenv'"
out=$(cd "$T/dotenv" && env -u KASPARRO_DATABASE_URL DB_PORT=3 "$BIN" db migrate 2>&1)
expect_match ".env never overrides the environment" "$out" "port='3'"

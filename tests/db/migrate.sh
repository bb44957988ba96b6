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

# Strict order. A database migrated when migrations were numbered by module
# (001, 010, 020, 030) is renumbered once and brought up to date; its data
# and applied times stay.
new_db legacy
psql -X -q -v ON_ERROR_STOP=1 "$KASPARRO_DATABASE_URL" -c "CREATE SCHEMA kasparro" -c \
	"CREATE TABLE kasparro.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
i=0
for old in 001_core 010_entities 020_deletes 030_scheduler; do
	i=$((i + 1))
	file=$(ls "$TOP"/share/kasparro/sql/00${i}_*.sql)
	psql -X -q -1 -v ON_ERROR_STOP=1 "$KASPARRO_DATABASE_URL" -c "SET search_path = kasparro, public" \
		-f "$file" -c "INSERT INTO kasparro.schema_migrations (version, name) VALUES (${old%%_*}, '$old')" \
		>/dev/null || not_ok "the legacy database takes migration $old"
done
sql "INSERT INTO kasparro.runs (trigger, actor, status) VALUES ('manual', 'before', 'succeeded')" >/dev/null
before=$(sql "SELECT string_agg(applied_at::text, ',' ORDER BY applied_at) FROM kasparro.schema_migrations")
out=$(LOG_LEVEL=info kas db migrate 2>&1)
expect_match "a database numbered by module is renumbered" "$out" "schema migrations renumbered 1 to 4"
expect_match "... and brought up to date" "$out" "schema at version $known"
expect_eq "its migrations are numbered 1, 2, 3... with this kasparro's names" \
	"$(sql "SELECT string_agg(version || ' ' || name, ',' ORDER BY version) FROM kasparro.schema_migrations")" \
	"$(ls "$TOP/share/kasparro/sql" | sed 's/\.sql$//; s/^0*\([0-9]*\)_/\1 &/' | paste -sd,)"
expect_eq "the times they were applied are kept" \
	"$(sql "SELECT string_agg(applied_at::text, ',' ORDER BY applied_at) FROM kasparro.schema_migrations WHERE version <= 4")" "$before"
expect_eq "its data is kept" "$(sql "SELECT actor FROM kasparro.runs")" before
expect_exit "and it is used as it is from then on" 0 kas runs

# Whatever is not this binary's first migrations in order is refused.
refused() { # DESC SQL REGEX: after SQL on a fresh, migrated database
	new_db "$(echo "$1" | tr -dc a-z | cut -c1-12)"
	kas db migrate >/dev/null 2>&1
	sql "$2" >/dev/null
	out=$(kas runs 2>&1)
	rc=$?
	expect_eq "$1: refused (exit 4)" "$rc" 4
	expect_match "... saying why" "$out" "$3"
}
refused "a gap" "DELETE FROM kasparro.schema_migrations WHERE version = 3" \
	"migration 4 \(004_scheduler\) is applied but not 3 \(003_deletes\): there is a gap; kasparro applies its migrations only in order"
refused "another build's migration under a number" \
	"UPDATE kasparro.schema_migrations SET name = '005_something_else' WHERE version = 5" \
	"its migration 5 is '005_something_else', but this kasparro's is '005_raw_payload_json'"
refused "migrations applied out of order" \
	"UPDATE kasparro.schema_migrations SET applied_at = applied_at - interval '1 day' WHERE version = 4" \
	"migration 4 \(004_scheduler\) was applied before 3 \(003_deletes\): out of order"
refused "a legacy numbering with a gap" \
	"UPDATE kasparro.schema_migrations SET version = -version WHERE version > 1; UPDATE kasparro.schema_migrations SET version = 10 * (-version - 1), name = to_char(10 * (-version - 1), 'FM000') || substr(name, 4) WHERE version < 0; DELETE FROM kasparro.schema_migrations WHERE version = 20" \
	"migration 30 \(030_scheduler\) is applied but not 20 \(020_deletes\): there is a gap"

# The build refuses a gap or a repeated number, naming the files.
gen() { (sh "$TOP/tools/gen-sql.sh" "$@" 2>&1 >/dev/null; echo "exit $?") | tr '\n' ' '; }
mkdir -p "$T/sql"
for f in 001_a 002_b 002_c 004_d; do echo "SELECT 1;" >"$T/sql/$f.sql"; done
expect_match "two migrations with one number fail the build" "$(gen "$T/sql/001_a.sql" "$T/sql/002_b.sql" "$T/sql/002_c.sql")" \
	"expected 3, found 2 \(.*002_b.sql .*002_c.sql \); renumber yours to the next free number exit 1"
expect_match "a gap fails the build" "$(gen "$T/sql/001_a.sql" "$T/sql/002_b.sql" "$T/sql/004_d.sql")" \
	"expected 3, found 4 .* exit 1"

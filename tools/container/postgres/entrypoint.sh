#!/bin/sh
# The PostgreSQL image's entrypoint: on the first start of an empty PGDATA,
# initdb with POSTGRES_USER (default postgres) and POSTGRES_PASSWORD
# (required), password (scram-sha-256) authentication from other hosts,
# and POSTGRES_DB (default: the user's name) created; then the server in
# the foreground, as PID 1, listening on every address.
set -eu
: "${PGDATA:=/var/lib/postgresql/data}"
if [ "${1:-}" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
	if [ -z "${POSTGRES_PASSWORD:-}" ]; then
		echo "postgres: POSTGRES_PASSWORD is not set: the database needs a superuser password" >&2
		exit 1
	fi
	user=${POSTGRES_USER:-postgres}
	db=${POSTGRES_DB:-$user}
	pwfile=$(mktemp)
	printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
	initdb -D "$PGDATA" --username="$user" --pwfile="$pwfile" --encoding=UTF8 \
		--locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256
	rm -f "$pwfile"
	echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
	if [ "$db" != postgres ]; then
		# a server on the unix socket only: no client sees it half-made
		pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
		echo 'CREATE DATABASE :"db"' | psql -X -q -v ON_ERROR_STOP=1 -U "$user" -d postgres -v db="$db"
		pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
	fi
	echo "postgres: initialised $PGDATA (user $user, database $db)"
fi
if [ "${1:-}" = postgres ]; then
	shift
	exec postgres -c listen_addresses='*' "$@"
fi
exec "$@"

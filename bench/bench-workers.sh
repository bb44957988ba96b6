#!/bin/sh
# bench/bench-workers.sh — one run's sources shared by workers (make bench
# hook; BENCH_ONLY=workers runs it alone).
#
# Six csv sources of BENCH_WORKERS_ROWS article rows each (default 200,000;
# bench/gen-articles.py), each measured into a fresh database of the bench's
# cluster, side by side:
#   1. kasparro run with [kasparro] workers = 1 (one source after another),
#   2. kasparro run with workers = 2 (two sources at once, two connections),
#   3. two processes with one worker each: a kasparro daemon that joins the
#      run, and the kasparro run that started it,
#   4. psql \copy of the same six files into six equivalent tables (the same
#      columns typed as kasparro types them, a UNIQUE index on id), over two
#      connections: two psql processes at once, three files each.
# Prints seconds, rows/s, the speed-up over one worker and the ratio to the
# two-connection COPY. Whether a second connection pays on this machine is
# read off line 2 against line 1 (the same rows, one connection or two).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/bench/hook.sh"
BIN=${KASPARRO_BIN:-$top/kasparro}
ROWS=${BENCH_WORKERS_ROWS:-200000}
PGH=${BENCH_PGHOST:?run through make bench}
TMP=${BENCH_TMP:-$(mktemp -d)}
SOURCES="s1 s2 s3 s4 s5 s6"
TOTAL=$((ROWS * 6))
say() { printf "bench: %s\n" "$*" >&2; }
psql_on() {
	_db=$1
	shift
	psql -X -q -A -t -v ON_ERROR_STOP=1 -h "$PGH" -U kasparro -d "$_db" "$@"
}
daemon=""
trap '[ -z "$daemon" ] || kill $daemon 2>/dev/null; wait 2>/dev/null' EXIT

say "workers: six sources of $ROWS rows"
python3 "$top/bench/gen-articles.py" "$ROWS" >"$TMP/articles.csv"
for s in $SOURCES; do ln -sf "$TMP/articles.csv" "$TMP/$s.csv"; done

# $TMP/N.conf: the six sources, N workers
write_conf() {
	{
		printf '[kasparro]\nlog_level = warn\nworkers = %s\n' "$1"
		printf '[schema]\ntitle = text, required\ndescription = text\ncontent = text\n'
		printf 'author = text\npublished_at = timestamp\nurl = url\ncategory = text\n'
		for s in $SOURCES; do
			printf '[source %s]\nkind = csv\npath = %s.csv\nid = id\n' "$s" "$s"
			for f in title description content author published_at url category; do
				printf 'map.%s = %s\n' "$f" "$f"
			done
		done
		printf '[matching]\nenabled = false\n[scheduler]\nenabled = false\n'
	} >"$TMP/$1.conf"
}
write_conf 1
write_conf 2
url() { echo "host=$PGH user=kasparro dbname=$1"; }
fresh() {
	psql_on postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
	KASPARRO_DATABASE_URL=$(url "$1") "$BIN" -c "$TMP/1.conf" db migrate >/dev/null
	psql_on postgres -c "CHECKPOINT" >/dev/null
}
# `timed NAME CMD...`: wall seconds of CMD in $TMP/NAME.time
timed() {
	_name=$1
	shift
	_t0=$(date +%s.%N)
	"$@" >"$TMP/$_name.log" 2>&1 || { say "$_name failed: $*"; tail -n 20 "$TMP/$_name.log" >&2; exit 1; }
	awk -v a="$(date +%s.%N)" -v b="$_t0" 'BEGIN { printf "%.2f\n", a - b }' >"$TMP/$_name.time"
}
expect_rows() {
	got=$(psql_on "$1" -c "SELECT count(*) || ' ' || count(DISTINCT source) FROM kasparro.records")
	[ "$got" = "$TOTAL 6" ] || { say "$1 holds '$got' records/sources, expected '$TOTAL 6'"; exit 1; }
}
run_kas() { # NAME WORKERS: a kasparro run into database NAME
	fresh "$1"
	timed "$1" env KASPARRO_DATABASE_URL="$(url "$1")" "$BIN" -c "$TMP/$2.conf" run
	expect_rows "$1"
}

say "workers: kasparro run, workers = 1"
run_kas w1 1
say "workers: kasparro run, workers = 2"
run_kas w2 2
say "workers: kasparro run and a daemon, one worker each"
fresh d2
KASPARRO_HTTP_LISTEN=off LOG_LEVEL=info KASPARRO_DATABASE_URL=$(url d2) "$BIN" -c "$TMP/1.conf" daemon \
	>"$TMP/daemon.log" 2>&1 &
daemon=$!
until grep -q "daemon started" "$TMP/daemon.log"; do
	kill -0 $daemon 2>/dev/null || { say "the daemon did not start"; cat "$TMP/daemon.log" >&2; exit 1; }
	sleep 0.1
done
timed d2 env KASPARRO_DATABASE_URL="$(url d2)" "$BIN" -c "$TMP/1.conf" run
expect_rows d2
owners=$(psql_on d2 -c "SELECT count(DISTINCT split_part(owner, '/', 1)) FROM kasparro.run_sources")
kill $daemon
wait $daemon || true
daemon=""

say "workers: psql \\copy of the six files over two connections"
psql_on postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS copy2" -c "CREATE DATABASE copy2" >/dev/null
for s in $SOURCES; do
	psql_on copy2 -c "CREATE TABLE $s (id text NOT NULL, title text, description text,
		content text, author text, published_at timestamptz, url text, category text);
		CREATE UNIQUE INDEX ${s}_id ON $s (id)"
done
psql_on postgres -c "CHECKPOINT" >/dev/null
copy_three() {
	for s in "$@"; do
		psql_on copy2 -c "\\copy $s FROM '$TMP/$s.csv' WITH (FORMAT csv, HEADER true)" || return 1
	done
}
copy_two() {
	copy_three s1 s3 s5 &
	_one=$!
	copy_three s2 s4 s6 || return 1
	wait $_one
}
timed copy2 copy_two
got=$(for s in $SOURCES; do psql_on copy2 -c "SELECT count(*) FROM $s"; done | awk '{ n += $1 } END { print n }')
[ "$got" = "$TOTAL" ] || { say "copy2 holds $got rows, expected $TOTAL"; exit 1; }

s1=$(cat "$TMP/w1.time") s2=$(cat "$TMP/w2.time") sd=$(cat "$TMP/d2.time") sc=$(cat "$TMP/copy2.time")
rate() { awk -v s="$1" -v n="$TOTAL" 'BEGIN { printf "%.0f", n / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "workers: six csv sources of $ROWS rows ($TOTAL in all), $(nproc) cores"
printf '  %-44s %8s %9s %8s %8s\n' "" seconds rows/s "vs w=1" "vs COPY"
line() { printf '  %-44s %8s %9s %8s %8s\n' "$1" "$2" "$(rate "$2")" "$(ratio "$s1" "$2")" "$(ratio "$sc" "$2")"; }
line "kasparro run, workers = 1" "$s1"
line "kasparro run, workers = 2" "$s2"
line "kasparro run + a daemon, 1 worker each" "$sd"
line "psql \\copy, 6 tables, 2 connections" "$sc"
echo "  (run + daemon: sources loaded by $owners processes)"
echo

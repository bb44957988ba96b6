#!/bin/sh
# bench/run.sh — make bench: measurements, not tests (make check never runs it).
#
# The ingest part (issue 2's benchmark): BENCH_ROWS (default 1,000,000)
# synthetic article rows as CSV (bench/gen-articles.py), then
#   1. `kasparro run` of one csv source into an empty database,
#   2. `psql \copy` of the same file into an equivalent table (the same
#      columns typed as kasparro types them, the same UNIQUE index on id),
#   3. `kasparro run` again over the unchanged file (the re-sync),
#   4. peak RSS of kasparro for BENCH_ROWS/10 rows against BENCH_ROWS rows,
# all in one private PostgreSQL cluster in a temporary folder (a CHECKPOINT
# before each step, VACUUM ANALYZE before the re-sync, a CHECKPOINT after
# each step counted in its CPU), and prints a
# table with the goals: kasparro/COPY >= 0.5, re-sync faster than COPY, RSS
# flat. Entity unification is switched off for these runs: it has its own
# benchmark. On a shared machine one pair says little: BENCH_REPEAT=N runs
# steps 1 and 2 back to back N times (each into a fresh database and a fresh
# table) and reports the medians, the ratio being the median of the pairs'.
#
# Hooks: afterwards every executable bench/*.d/*.sh and bench/bench-*.sh
# runs in turn, with KASPARRO_BIN, BENCH_ROWS, KASPARRO_DATABASE_URL (a
# fresh empty database of its own), BENCH_PGHOST (the socket folder of the
# running cluster, superuser kasparro, for more databases) and BENCH_TMP (a
# private scratch folder) in the environment.
#
# BENCH_ONLY=NAMES runs only the parts named, separated by commas:
# "ingest", or a hook by its file name with or without "bench-" (er,
# match-scale, workers, search, ...); BENCH_KEEP=1 keeps the scratch folder.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
BIN=${KASPARRO_BIN:-$top/kasparro}
ROWS=${BENCH_ROWS:-1000000}
SMALL=${BENCH_SMALL_ROWS:-$((ROWS / 10))}
REPEAT=${BENCH_REPEAT:-1}
ONLY=${BENCH_ONLY:-}
export LC_ALL=C.UTF-8 TZ=UTC
unset KASPARRO_DATABASE_URL DATABASE_URL DB_HOST DB_PORT DB_USER DB_PASSWORD DB_NAME \
	KASPARRO_CONFIG KASPARRO_SHARE PGHOST PGPORT PGUSER PGDATABASE
export LOG_LEVEL=warn

case $ROWS$SMALL$REPEAT in *[!0-9]*) echo "bench: BENCH_ROWS and BENCH_REPEAT must be numbers" >&2; exit 2 ;; esac
[ -x "$BIN" ] || { echo "bench: no kasparro binary at '$BIN' (run make first)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (make deps installs 'time')" >&2; exit 2; }

W=$(mktemp -d /tmp/kasparro-bench.XXXXXX)
chmod 755 "$W" # the server account must reach the socket when we are root
export KASPARRO_PGDATA="$W/pg"
cleanup() {
	"$BIN" db stop >/dev/null 2>&1 || true
	if [ "${BENCH_KEEP:-}" = 1 ]; then echo "bench: files kept in $W" >&2; else rm -rf "$W"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf "bench: %s\n" "$*" >&2; }
# names WORD PART: whether WORD names PART (a hook by its file name with or
# without "bench-": er, bench-er)
names() { [ "$1" = "$2" ] || [ "bench-$1" = "$2" ]; }
# wanted PART: whether BENCH_ONLY is empty or names the part
wanted() {
	[ -z "$ONLY" ] && return 0
	for _w in $(echo "$ONLY" | tr ',' ' '); do
		if names "$_w" "$1"; then return 0; fi
	done
	return 1
}
hooks() {
	for _h in "$top"/bench/*.d/*.sh "$top"/bench/bench-*.sh; do
		[ -f "$_h" ] && [ -x "$_h" ] && echo "$_h"
	done
}
# a word of BENCH_ONLY that names no part is a typo, not "run nothing"
parts="ingest $(hooks | sed 's|.*/||; s|\.sh$||' | tr '\n' ' ')"
for _w in $(echo "$ONLY" | tr ',' ' '); do
	_known=no
	for _p in $parts; do if names "$_w" "$_p"; then _known=yes; fi; done
	[ $_known = yes ] || { echo "bench: BENCH_ONLY: '$_w' is no part of the bench ($parts)" >&2; exit 2; }
done
psql_on() {
	_db=$1
	shift
	psql -X -q -A -t -v ON_ERROR_STOP=1 -h "$W/pg" -U kasparro -d "$_db" "$@"
}
new_database() { psql_on postgres -c "CREATE DATABASE $1" >/dev/null; }
# Before each measurement: the last one's dirty buffers are written out
# (CHECKPOINT), and tables just loaded are vacuumed as autovacuum would have
# done by the next scheduled sync, so no step pays for the one before it.
settle() {
	[ $# -eq 0 ] || psql_on "$1" -c "VACUUM ANALYZE" >/dev/null
	psql_on postgres -c "CHECKPOINT" >/dev/null
}

# CPU time of the server's backends: what the postmaster has reaped of its
# children (/proc's cutime and cstime), so a step's figure is the CPU of
# the connections it opened and closed, autovacuum workers included.
postmaster() { head -n 1 "$W/pg/postmaster.pid"; }
reaped_ticks() { awk '{ print $16 + $17 }' "/proc/$(postmaster)/stat"; }
children() { ps -o pid= --ppid "$(postmaster)" | tr -d ' ' | sort; }
# The server's own processes, which live on across steps (the WAL writer,
# the checkpointer, the background writer): the CPU they have used so far.
# Backends and autovacuum workers are not among them: their CPU is reaped.
background_ticks() {
	for _p in $(ps -o pid=,args= --ppid "$(postmaster)" |
		awk '/postgres: (checkpointer|background writer|walwriter)/ { print $1 }'); do
		cat "/proc/$_p/stat" 2>/dev/null
	done | awk '{ t += $14 + $15 } END { print t + 0 }'
}
ticks_to_s() { awk -v t="$1" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }'; }
# `timed NAME CMD...`: runs CMD, keeps wall seconds, peak RSS (KiB), the
# command's user and system CPU seconds, its backends' CPU seconds, the
# server's own processes' CPU seconds and the wall seconds of a CHECKPOINT
# right after it in $W/NAME.time as "seconds kib user sys backends
# background checkpoint"; the command's output goes to $W/NAME.log. The
# checkpoint writes what the step left dirty in shared_buffers, so the
# background figure counts the writing a step leaves to the server, however
# large its buffers (the checkpoint's wall time is not in the step's).
# Under load the CPU figures move far less than the wall time: they say
# what a change saves, the wall time what it is worth here.
timed() {
	_name=$1
	shift
	children >"$W/$_name.children"
	_t0=$(reaped_ticks)
	_b0=$(background_ticks)
	if ! /usr/bin/time -f '%e %M %U %S' -o "$W/$_name.time" "$@" >"$W/$_name.log" 2>&1; then
		say "$_name failed: $*"
		tail -n 20 "$W/$_name.log" >&2
		exit 1
	fi
	_c0=$(date +%s.%N)
	psql_on postgres -c "CHECKPOINT" >/dev/null
	_ckpt=$(awk -v a="$_c0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
	_bg=$(ticks_to_s $(($(background_ticks) - _b0)))
	# the backends it opened are reaped once they have exited (bounded)
	_i=0
	while [ $_i -lt 50 ] && [ -n "$(children | comm -13 "$W/$_name.children" -)" ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	_cpu=$(ticks_to_s $(($(reaped_ticks) - _t0)))
	echo "$(cat "$W/$_name.time") $_cpu $_bg $_ckpt" >"$W/$_name.time.new"
	mv "$W/$_name.time.new" "$W/$_name.time"
}
seconds() { cut -d' ' -f1 "$W/$1.time"; }
# client, backends' and the server's own processes' CPU seconds together
cpu() { awk '{ printf "%.2f", $3 + $4 + $5 + $6 }' "$W/$1.time"; }
# the command's own CPU seconds (user and system), without its backends'
client_cpu() { awk '{ printf "%.2f", $3 + $4 }' "$W/$1.time"; }
# the server's own processes' CPU seconds, and the closing checkpoint's wall seconds
background() { awk '{ printf "%s s, checkpoint %s s", $6, $7 }' "$W/$1.time"; }
rss_mib() { awk '{ printf "%.1f", $2 / 1024 }' "$W/$1.time"; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# $W/DB.conf: one csv source reading FILE; `kas DB ARGS...` runs kasparro
# with it against database DB, `timed_kas NAME DB ARGS...` the same, timed.
write_conf() {
	_db=$1 _file=$2
	cat >"$W/$_db.conf" <<-CONF
		[kasparro]
		log_level = warn
		[schema]
		title = text, required
		description = text
		content = text
		author = text
		published_at = timestamp
		url = url
		category = text
		[source bench]
		kind = csv
		path = $_file
		id = id
		map.title = title
		map.description = description
		map.content = content
		map.author = author
		map.published_at = published_at
		map.url = url
		map.category = category
		[matching]
		enabled = false
	CONF
}
kas() {
	_db=$1
	shift
	env KASPARRO_DATABASE_URL="host=$W/pg user=kasparro dbname=$_db" "$BIN" -c "$W/$_db.conf" "$@"
}
timed_kas() {
	_name=$1 _db=$2
	shift 2
	timed "$_name" env KASPARRO_DATABASE_URL="host=$W/pg user=kasparro dbname=$_db" \
		"$BIN" -c "$W/$_db.conf" "$@"
}

# Rows kasparro holds for the bench source; must be exactly the file's.
expect_rows() {
	got=$(psql_on "$1" -c "SELECT count(*) FROM $2")
	[ "$got" = "$3" ] || { say "$1: $2 holds $got rows, expected $3"; exit 1; }
}

# One pair: kasparro's first load of the big file into a fresh database,
# then psql \copy of it into a fresh equivalent table; appends "kasparro
# copy" seconds to $W/pairs. The last pair's database stays for the re-sync.
first_load_and_copy() {
	if [ "$1" -gt 1 ]; then
		psql_on postgres -c "DROP DATABASE bench_kasparro" -c "DROP DATABASE bench_copy" >/dev/null
		new_database bench_kasparro
		new_database bench_copy
	fi
	# schema creation is set-up on both sides, not ingest
	kas bench_kasparro db migrate >/dev/null
	psql_on bench_copy -c "CREATE TABLE articles (id text NOT NULL, title text, description text,
		content text, author text, published_at timestamptz, url text, category text);
		CREATE UNIQUE INDEX articles_id ON articles (id)"

	say "kasparro run: $ROWS rows into an empty database ($1 of $REPEAT)"
	settle
	timed_kas first bench_kasparro run
	grep -Eq "bench +succeeded +$ROWS +$ROWS +0 +0 +0 " "$W/first.log" ||
		{ say "the first run did not insert every row:"; cat "$W/first.log" >&2; exit 1; }
	expect_rows bench_kasparro "kasparro.records WHERE source = 'bench'" "$ROWS"
	say "psql \\copy: the same file into an equivalent table"
	settle
	timed copy psql -X -q -v ON_ERROR_STOP=1 -h "$W/pg" -U kasparro -d bench_copy -c "\\copy articles FROM '$W/articles.csv' WITH (FORMAT csv, HEADER true)"
	expect_rows bench_copy articles "$ROWS"
	echo "$(seconds first) $(seconds copy) $(cpu first) $(cpu copy)" \
		"$(cut -d' ' -f6,7 "$W/first.time" | tr ' ' :) $(cut -d' ' -f6,7 "$W/copy.time" | tr ' ' :)" \
		"$(client_cpu first)" >>"$W/pairs"
}

bench_ingest() {
	say "generating $ROWS rows (and $SMALL for the memory comparison)"
	python3 "$top/bench/gen-articles.py" "$ROWS" >"$W/articles.csv"
	python3 "$top/bench/gen-articles.py" "$SMALL" >"$W/small.csv"
	mib=$(du -m "$W/articles.csv" | cut -f1)

	for db in bench_kasparro bench_copy bench_small; do new_database $db; done
	write_conf bench_kasparro articles.csv
	write_conf bench_small small.csv
	kas bench_small db migrate >/dev/null
	: >"$W/pairs"
	round=1
	while [ "$round" -le "$REPEAT" ]; do
		first_load_and_copy "$round"
		round=$((round + 1))
	done
	say "kasparro run: the unchanged file again"
	settle bench_kasparro
	timed_kas resync bench_kasparro run
	grep -Eq "bench +succeeded +$ROWS +0 +0 +$ROWS " "$W/resync.log" ||
		{ say "the re-sync did not find every row unchanged:"; cat "$W/resync.log" >&2; exit 1; }
	say "kasparro run: $SMALL rows, for memory"
	settle
	timed_kas small bench_small run
	expect_rows bench_small "kasparro.records WHERE source = 'bench'" "$SMALL"

	k=$(cut -d' ' -f1 "$W/pairs" | median) c=$(cut -d' ' -f2 "$W/pairs" | median)
	kcpu=$(cut -d' ' -f3 "$W/pairs" | median) ccpu=$(cut -d' ' -f4 "$W/pairs" | median)
	r=$(seconds resync)
	echo
	echo "ingest: $ROWS article rows, $mib MiB of CSV, one private cluster, $(nproc) cores"
	printf '  %-36s %9s %11s\n' "" seconds rows/s
	printf '  %-36s %9s %11s\n' "kasparro run, empty database" "$k" "$(rate "$ROWS" "$k")"
	printf '  %-36s %9s %11s\n' "psql \\copy, same table and index" "$c" "$(rate "$ROWS" "$c")"
	printf '  %-36s %9s %11s\n' "kasparro re-sync, unchanged file" "$r" "$(rate "$ROWS" "$r")"
	[ "$REPEAT" -eq 1 ] || echo "  medians of $REPEAT pairs, kasparro/COPY seconds each:" \
		"$(awk '{ printf "%s%s/%s", (NR > 1 ? ", " : ""), $1, $2 }' "$W/pairs")"
	echo "  CPU seconds, client + backends + server's own processes: kasparro $kcpu, COPY $ccpu," \
		"re-sync $(cpu resync) (each pair: $(awk '{ printf "%s%s/%s", (NR > 1 ? ", " : ""), $3, $4 }' "$W/pairs"))"
	echo "  of which kasparro's own process (client), each pair:" \
		"$(awk '{ printf "%s%s", (NR > 1 ? ", " : ""), $7 }' "$W/pairs")"
	echo "  of which the server's own processes (WAL writer, checkpointer, background writer)," \
		"CPU s:wall s of the checkpoint after the step, kasparro/COPY each pair:" \
		"$(awk '{ printf "%s%s/%s", (NR > 1 ? ", " : ""), $5, $6 }' "$W/pairs"); re-sync $(background resync)"
	echo "  load average: $(cat /proc/loadavg)"
	printf '  %-36s %9s   %s\n' "ratio kasparro/COPY (rows/s)" \
		"$(awk '{ printf "%.2f\n", $2 / $1 }' "$W/pairs" | median)" "goal >= 0.5"
	printf '  %-36s %9s   %s\n' "ratio re-sync/COPY (time)" "$(ratio "$r" "$c")" "goal < 1 (faster)"
	printf '  %-36s %9s   %s\n' "peak RSS kasparro, $SMALL rows" "$(rss_mib small)" MiB
	printf '  %-36s %9s   %s\n' "peak RSS kasparro, $ROWS rows" "$(rss_mib first)" MiB
	printf '  %-36s %9s   %s\n' "ratio RSS large/small" \
		"$(ratio "$(cut -d' ' -f2 "$W/first.time")" "$(cut -d' ' -f2 "$W/small.time")")" \
		"goal ~1 (flat)"
	echo
}

"$BIN" db start >/dev/null
failed=0
if wanted ingest; then bench_ingest; fi
for hook in $(hooks); do
	name=$(basename "$hook" .sh)
	wanted "$name" || continue
	say "running $name"
	mkdir -p "$W/hooks/$name"
	hook_db=hook_$(echo "$name" | tr -c 'a-zA-Z0-9\n' _)
	new_database "$hook_db"
	if ! KASPARRO_BIN="$BIN" BENCH_ROWS="$ROWS" BENCH_PGHOST="$W/pg" BENCH_TMP="$W/hooks/$name" \
		KASPARRO_DATABASE_URL="host=$W/pg user=kasparro dbname=$hook_db" "$hook"; then
		say "$name failed"
		failed=1
	fi
done
exit $failed

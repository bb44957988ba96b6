#!/bin/sh
# bench/bench-orphans.sh — the first full load of a source into a database
# that already holds another source's BENCH_ROWS records (default
# 1,000,000), against the same load into an empty database. A complete read
# ends with orphan detection, an anti-join of the source's records against
# the ids it saw; with statistics that do not know the new source yet that
# anti-join used to be a nested loop over every record (100,000 records:
# minutes). Goal: the busy load takes at most 1.5 times the empty one.
# Both loads read the same file; the other source's records are analysed
# before the load (as autovacuum would have done by then), the new ones
# are not.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/bench/hook.sh"
BIN=${KASPARRO_BIN:-$top/kasparro}
ROWS=${BENCH_ROWS:-1000000}
: "${BENCH_PGHOST:?run through bench/run.sh}" "${BENCH_TMP:?}"
say() { printf "bench: %s\n" "$*" >&2; }
on() { psql -X -A -t -q -v ON_ERROR_STOP=1 -h "$BENCH_PGHOST" -U kasparro -d "$1" -c "$2"; }

conf() { # conf FILE SOURCE...: one csv source per name, all reading articles.csv
	_f=$1
	shift
	{
		printf '[kasparro]\nlog_level = warn\n[matching]\nenabled = false\n[schema]\n'
		printf 'title = text, required\ndescription = text\ncontent = text\nauthor = text\n'
		printf 'published_at = timestamp\nurl = url\ncategory = text\n'
		for s in "$@"; do
			printf '[source %s]\nkind = csv\npath = articles.csv\nid = id\n' "$s"
			for f in title description content author published_at url category; do
				printf 'map.%s = %s\n' "$f" "$f"
			done
		done
	} >"$_f"
}
# load NAME DB CONF SOURCE: a timed run; seconds in $BENCH_TMP/NAME.time
load() {
	env KASPARRO_DATABASE_URL="host=$BENCH_PGHOST user=kasparro dbname=$2" \
		/usr/bin/time -f '%e' -o "$BENCH_TMP/$1.time" "$BIN" -c "$3" run "$4" \
		>"$BENCH_TMP/$1.log" 2>&1 || { say "$1 failed"; cat "$BENCH_TMP/$1.log" >&2; exit 1; }
	grep -Eq "^$4 +succeeded +$ROWS +$ROWS " "$BENCH_TMP/$1.log" ||
		{ say "$1 did not insert every row"; cat "$BENCH_TMP/$1.log" >&2; exit 1; }
}

say "orphans: generating $ROWS rows"
python3 "$top/bench/gen-articles.py" "$ROWS" >"$BENCH_TMP/articles.csv"
conf "$BENCH_TMP/empty.conf" fresh
conf "$BENCH_TMP/busy.conf" other fresh
on postgres "CREATE DATABASE orphans_empty"
on postgres "CREATE DATABASE orphans_busy"

say "orphans: $ROWS rows into an empty database"
on postgres "CHECKPOINT"
load empty orphans_empty "$BENCH_TMP/empty.conf" fresh
say "orphans: $ROWS rows of another source first"
load other orphans_busy "$BENCH_TMP/busy.conf" other
on orphans_busy "VACUUM ANALYZE"
on postgres "CHECKPOINT"
say "orphans: $ROWS rows into the database that holds them"
load busy orphans_busy "$BENCH_TMP/busy.conf" fresh

e=$(cat "$BENCH_TMP/empty.time") b=$(cat "$BENCH_TMP/busy.time")
echo
echo "orphans: first full load of $ROWS rows, orphan detection included"
printf '  %-44s %9s\n' "" seconds
printf '  %-44s %9s\n' "into an empty database" "$e"
printf '  %-44s %9s\n' "into a database holding $ROWS other rows" "$b"
printf '  %-44s %9s   %s\n' "ratio busy/empty" "$(awk -v a="$b" -v b="$e" 'BEGIN { printf "%.2f", a / b }')" \
	"goal <= 1.5"
echo

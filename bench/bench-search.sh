#!/bin/sh
# bench/bench-search.sh — searches over many records and entities (make
# bench hook; BENCH_ONLY=search).
#
# BENCH_SEARCH_ROWS records (default 400,000) of one csv source whose titles
# look like names of things: 70% ASCII words, 30% holding an accented
# Latin, a Greek or a Cyrillic name, one in 10,000 a rare word (Zanzibar,
# Šibenik, Ярославль, 東京タワー); matching off, and as many entities made from them
# by SQL (key e-N, the record's title), as a matched installation holds.
# Then, for a few needles — rare, common (a few percent of the records or
# more) and found nowhere, where a scan reads every record; accented, Greek,
# Cyrillic and CJK (no trigram in a C-ctype database); two letters, which no
# trigram serves — the seconds of
#   `kasparro entities --search NEEDLE` (the whole command: the first page
#       and its count, which stops at 1,000),
#   `kasparro entities --search NEEDLE --count` (the same, counting every
#       match: what the command did before it stopped at 1,000),
#   `GET /data?q=NEEDLE` (the daemon's first page of 100 records),
# each the best of BENCH_SEARCH_REPEAT (default 3), with how many entities
# match. About three minutes at 400,000 on two busy cores.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/bench/hook.sh"
BIN=${KASPARRO_BIN:-$top/kasparro}
ROWS=${BENCH_SEARCH_ROWS:-400000}
REPEAT=${BENCH_SEARCH_REPEAT:-3}
TMP=${BENCH_TMP:-$(mktemp -d)}
case $ROWS$REPEAT in *[!0-9]*) echo "bench-search: BENCH_SEARCH_ROWS and BENCH_SEARCH_REPEAT must be numbers" >&2; exit 2 ;; esac
say() { printf "bench: %s\n" "$*" >&2; }
dpid=""
trap '[ -z "$dpid" ] || { kill $dpid 2>/dev/null; wait $dpid 2>/dev/null; }' EXIT

say "search: generating $ROWS records"
python3 - "$ROWS" >"$TMP/search.csv" <<'PY'
import csv, random, sys
random.seed(1000003)
n = int(sys.argv[1])
words = ("harbour ledger circuit studio archive forest garden market river engine bridge "
         "museum orbit kitchen library festival signal window theory season island").split()
adjs = "quiet hidden new old fast slow strange brave open small long bright broken".split()
names = ["Müller", "Núñez", "Lefèvre", "Dvořák", "Weiß", "Søren", "Москва", "Кузнецов",
         "Иванова", "Παπαδόπουλος", "Αθήνα", "Çelik", "Łukasz", "Ærø"]
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(["id", "title", "city"])
for i in range(1, n + 1):
    t = [random.choice(adjs).capitalize(), random.choice(words), random.choice(words)]
    if random.random() < 0.3:
        t.insert(random.randrange(4), random.choice(names))
    if i % 10007 == 0:
        t.append("Zanzibar")
    if i % 9973 == 0:
        t.append("Šibenik")
    if i % 9967 == 0:
        t.append("Ярославль")
    if i % 9949 == 0:
        t.append("東京タワー")
    w.writerow([i, " ".join(t), random.choice(words)])
PY
cat >"$TMP/search.conf" <<CONF
[kasparro]
log_level = warn
[schema]
title = text, required
city = text
[source search]
kind = csv
path = $TMP/search.csv
id = id
map.title = title
map.city = city
$(serve_sections)
CONF
t0=$(date +%s)
"$BIN" -c "$TMP/search.conf" run >"$TMP/run.log" 2>&1 || { cat "$TMP/run.log" >&2; exit 1; }
psql -X -q -v ON_ERROR_STOP=1 "$KASPARRO_DATABASE_URL" -c "INSERT INTO kasparro.entities (key, title, size)
	SELECT 'e-' || id, title, 1 FROM kasparro.records" -c "VACUUM ANALYZE"
say "search: loaded in $(($(date +%s) - t0)) s"

export BENCH_KEY=bench-key-0123456789abcdef
port=$(free_port)
KASPARRO_HTTP_LISTEN=127.0.0.1:$port "$BIN" -c "$TMP/search.conf" daemon >"$TMP/daemon.log" 2>&1 &
dpid=$!
wait_http "http://127.0.0.1:$port/health" "$TMP/daemon.log"

# The daemon builds the index /data?q= reads as it starts (CONCURRENTLY,
# host/label_index.c): the searches are timed once it is valid. A build
# without it has none to wait for (5 s to show up).
sql() { psql -X -A -t -v ON_ERROR_STOP=1 -c "$1" "$KASPARRO_DATABASE_URL"; }
label_index() {
	sql "SELECT coalesce(bool_and(i.indisvalid), false) FROM pg_index i JOIN pg_class c
		ON c.oid = i.indexrelid WHERE c.relname LIKE 'records\_label\_%'"
}
t0=$(date +%s)
i=0
while [ "$(sql "SELECT count(*) FROM pg_class WHERE relname LIKE 'records\_label\_%'")" = 0 ] &&
	[ $i -lt 50 ]; do
	i=$((i + 1))
	sleep 0.1
done
built="none (a scan of every record)"
if [ $i -lt 50 ]; then
	until [ "$(label_index)" = t ]; do
		[ $(($(date +%s) - t0)) -lt 900 ] || { echo "bench-search: the label index is not built" >&2; exit 1; }
		sleep 0.5
	done
	built="built in about $(($(date +%s) - t0)) s (CONCURRENTLY, as the daemon started)"
	# then the daemon analyzes the table for the index's statistics, which
	# decide between the index and a walk in id order (a build that does
	# not: 30 s, then the searches are timed without them)
	t1=$(date +%s)
	until [ "$(sql "SELECT count(*) FROM pg_stats WHERE tablename LIKE 'records\_label\_%'")" != 0 ]; do
		[ $(($(date +%s) - t1)) -lt 30 ] || break
		sleep 0.5
	done
	if [ "$(sql "SELECT count(*) FROM pg_stats WHERE tablename LIKE 'records\_label\_%'")" != 0 ]; then
		built="$built, its statistics $(($(date +%s) - t1)) s later"
	else
		built="$built, no statistics"
	fi
fi

# best NAME CMD...: the least wall seconds of REPEAT runs of CMD
best() {
	_b=""
	for _r in $(seq "$REPEAT"); do
		_s=$("$@")
		_b=$(awk -v a="$_s" -v b="$_b" 'BEGIN { print (b == "" || a + 0 < b + 0) ? a : b }')
	done
	echo "$_b"
}
entities_s() { # NEEDLE [OPTION]
	/usr/bin/time -f %e -o "$TMP/e.time" "$BIN" -c "$TMP/search.conf" entities --search "$@" \
		>"$TMP/e.out" 2>&1 || { cat "$TMP/e.out" >&2; exit 1; }
	cat "$TMP/e.time"
}
data_s() {
	curl -sf -o "$TMP/d.out" -w '%{time_total}\n' -H "Authorization: Bearer $BENCH_KEY" \
		--get --data-urlencode "q=$1" --data-urlencode limit=100 "http://127.0.0.1:$port/data"
}
matches() { # the entities the search finds, as `entities --search` decides
	psql -X -A -t -v ON_ERROR_STOP=1 -v "n=$1" "$KASPARRO_DATABASE_URL" <<'SQL'
SELECT count(*) FROM kasparro.entities e WHERE e.deleted_at IS NULL
	AND (kasparro.fold(e.title) LIKE '%' || kasparro.fold(:'n') || '%' OR e.key LIKE '%' || :'n' || '%')
SQL
}

say "search: timing, best of $REPEAT"
echo
echo "search: $ROWS records and as many entities, seconds (best of $REPEAT)"
echo "search: the records' label index: $built"
printf '  %9s %18s %9s %10s   %s\n' matches "entities --search" "--count" "/data?q=" needle
for needle in zanzibar sibenik ярославль 東京タワー nowhere müller москва παπαδοπουλος harbour ez qz; do
	printf '  %9s %18.2f %9.2f %10.3f   %s\n' "$(matches "$needle")" \
		"$(best entities_s "$needle")" "$(best entities_s "$needle" --count)" \
		"$(best data_s "$needle")" "$needle"
done
echo

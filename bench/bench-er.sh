#!/bin/sh
# bench/bench-er.sh — match quality on every labelled set in ../shared/data
# (bench/er.sh says how each is configured: the same default matcher
# settings for all), one table:
#   records, true pairs, blocking recall (true pairs blocking let through),
#   precision / recall / F1 of the automatic merges, F1 after an operator
#   accepts the true pairs in the review queue, the queue as a share of the
#   records, F1 of the automatic merges after 50 operator labels (the 50
#   first of the queue, approved or rejected as the truth says, then a run
#   that learns from them), wall time and peak RSS of the run that loaded
#   and matched.
# Each set gets a database of its own on BENCH_PGHOST (make bench's
# cluster). ER_SETS="restaurants febrl" picks sets; ER_LABELS the labels.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
BIN=${KASPARRO_BIN:-$top/kasparro}
DATA=${ER_DATA:-$top/../shared/data}
LABELS=${ER_LABELS:-50}
. "$top/bench/er.sh"
SETS=${ER_SETS:-$ER_ALL}
tmp=${BENCH_TMP:-$(mktemp -d)}
mkdir -p "$tmp"
say() { printf "bench: %s\n" "$*" >&2; }
sql() { psql -X -A -t -q -v ON_ERROR_STOP=1 "$KASPARRO_DATABASE_URL" -c "$1"; }
val() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }

# The oracle: labels the first $1 candidates of the queue as the truth says.
label_queue() {
	sql "SELECT c.id, EXISTS (SELECT 1 FROM bench_truth t, bench_sources s
	       WHERE (ra.source = s.first AND rb.source = s.second AND t.a = ra.source_id AND t.b = rb.source_id)
	          OR (rb.source = s.first AND ra.source = s.second AND t.a = rb.source_id AND t.b = ra.source_id))
	     FROM kasparro.match_candidates c JOIN kasparro.records ra ON ra.id = c.rec_a
	     JOIN kasparro.records rb ON rb.id = c.rec_b
	     WHERE c.id IN ($("$BIN" -c "$conf" queue --json --limit "$1" |
		python3 -c 'import json,sys; print(",".join(str(c["id"]) for c in json.load(sys.stdin)) or "0")'))" |
	while IFS='|' read -r id truth; do
		if [ "$truth" = t ]; then "$BIN" -c "$conf" approve "$id" >/dev/null 2>&1 || true
		else "$BIN" -c "$conf" reject "$id" >/dev/null 2>&1 || true; fi
	done
}

printf '%-15s %8s %6s %6s %6s %6s %6s %7s %6s %7s %7s %7s\n' SET RECORDS TRUE BLOCK \
	AUTO_P AUTO_R AUTO_F1 REVIEW_F1 QUEUE% F1_LBL SECONDS RSS_MIB >"$tmp/table"
for set in $SETS; do
	say "er: $set"
	db=er_$(echo "$set" | tr -c 'a-z0-9\n' _)
	psql -X -q -h "$BENCH_PGHOST" -U kasparro -d postgres -c "DROP DATABASE IF EXISTS $db" \
		-c "CREATE DATABASE $db" >/dev/null
	export KASPARRO_DATABASE_URL="host=$BENCH_PGHOST user=kasparro dbname=$db"
	conf=$tmp/$set.conf
	er_config "$set" "$DATA" >"$conf"
	"$BIN" -c "$conf" db migrate >/dev/null
	er_truth "$set" "$DATA"
	/usr/bin/time -f '%e %M' -o "$tmp/$set.time" env LOG_LEVEL=warn \
		"$BIN" -c "$conf" run >"$tmp/$set.run" 2>&1 || { cat "$tmp/$set.run" >&2; exit 1; }
	er_score >"$tmp/$set.score"
	# the same pass again, to see which pairs blocking let through
	"$BIN" -c "$conf" dedup --rescan --blocked-pairs "$tmp/$set.blocked" >/dev/null
	blocked=$(psql -X -A -t -q -v ON_ERROR_STOP=1 "$KASPARRO_DATABASE_URL" <<-SQL
		CREATE TEMP TABLE b (a bigint, b bigint);
		\copy b FROM '$tmp/$set.blocked'
		SELECT round(count(*)::numeric / greatest((SELECT count(*) FROM bench_truth), 1), 4)
		FROM bench_truth t, bench_sources s, kasparro.records ra, kasparro.records rb
		WHERE ra.source = s.first AND ra.source_id = t.a AND rb.source = s.second AND rb.source_id = t.b
		AND EXISTS (SELECT 1 FROM b WHERE (b.a = ra.id AND b.b = rb.id) OR (b.a = rb.id AND b.b = ra.id));
	SQL
	)
	label_queue "$LABELS"
	"$BIN" -c "$conf" dedup >/dev/null 2>&1
	er_score >"$tmp/$set.learned"
	read -r secs kib <"$tmp/$set.time"
	printf '%-15s %8s %6s %6s %6s %6s %6s %7s %6s %7s %7s %7s\n' "$set" \
		"$(val records "$tmp/$set.score")" "$(val true_pairs "$tmp/$set.score")" "$blocked" \
		"$(val auto_precision "$tmp/$set.score")" "$(val auto_recall "$tmp/$set.score")" \
		"$(val auto_f1 "$tmp/$set.score")" "$(val review_f1 "$tmp/$set.score")" \
		"$(awk -v q="$(val queue_share "$tmp/$set.score")" 'BEGIN { printf "%.1f", 100 * q }')" \
		"$(val auto_f1 "$tmp/$set.learned")" "$secs" "$((kib / 1024))" >>"$tmp/table"
done
cat "$tmp/table"

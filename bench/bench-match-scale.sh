#!/bin/sh
# bench/bench-match-scale.sh — entity unification at scale: BENCH_ROWS
# synthetic person records (default 1,000,000; bench/gen-people.py, with
# known duplicates) loaded with matching off, then matched from scratch
# (`dedup --rescan`: wall time, peak RSS, blocking recall, precision and
# recall of the automatic merges), then 1% more records arrive and a run
# matches only those (incremental time against the full time, its phases,
# and digests of what it decided), then `dedup --rescan` once more over the
# stored entities and candidates (what re-matching everything costs when
# most of it is already stored).
# Needs a PostgreSQL reachable through KASPARRO_DATABASE_URL (a scratch
# database: it is filled).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/bench/hook.sh"
BIN=${KASPARRO_BIN:-$top/kasparro}
ROWS=${BENCH_ROWS:-1000000}
EXTRA=$((ROWS / 100))
. "$top/bench/febrl.sh"
. "$top/bench/outcome.sh"
sql() { psql -X -A -t -q -v ON_ERROR_STOP=1 "$KASPARRO_DATABASE_URL" -c "$1"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
say() { printf "bench: %s\n" "$*" >&2; }
# the load averages beside a time: on a shared machine it says what the time is worth
load() { cut -d' ' -f1-3 /proc/loadavg; }

say "match-scale: generating $ROWS person records (+$EXTRA later)"
python3 "$top/bench/gen-people.py" "$ROWS" "$tmp" --extra "$EXTRA"
febrl_config "$tmp/match.conf" "$tmp"
cp "$tmp/match.conf" "$tmp/load.conf"
echo "enabled = false" >>"$tmp/load.conf"

say "match-scale: loading with matching off"
"$BIN" -c "$tmp/load.conf" run >/dev/null
say "match-scale: dedup --rescan"
# at debug level the pass logs how long each phase took: printed below
LOG_LEVEL=debug /usr/bin/time -f '%e %M' -o "$tmp/rescan.time" "$BIN" -c "$tmp/match.conf" \
	dedup --rescan >"$tmp/rescan.out" 2>"$tmp/rescan.log" ||
	{ tail -n 20 "$tmp/rescan.log" >&2; exit 1; }

# Scored in SQL that stays linear in the number of records: a true pair
# is two records of one person (the N in rec-N-...) in different sources.
quality() {
	sql "
CREATE TEMP TABLE rec AS SELECT r.id, r.source, split_part(r.source_id, '-', 2) AS person, m.entity_id
  FROM kasparro.records r JOIN kasparro.entity_members m ON m.record_id = r.id AND m.live;
CREATE TEMP TABLE truth AS SELECT a.id AS x, b.id AS y, a.entity_id = b.entity_id AS merged
  FROM rec a JOIN rec b ON a.person = b.person AND a.source = 'febrl-a' AND b.source = 'febrl-b';
WITH merged AS (SELECT count(*) AS n FROM rec a JOIN rec b ON a.entity_id = b.entity_id
                 AND a.source = 'febrl-a' AND b.source = 'febrl-b'),
     found AS (SELECT count(*) AS n FROM truth t WHERE t.merged OR EXISTS (SELECT 1
                 FROM kasparro.match_candidates c WHERE c.rec_a = least(t.x, t.y) AND c.rec_b = greatest(t.x, t.y)))
SELECT 'records ' || (SELECT count(*) FROM rec) || E'\n' ||
       'true_pairs ' || (SELECT count(*) FROM truth) || E'\n' ||
       'auto_precision ' || round((SELECT count(*) FROM truth WHERE merged)::numeric / greatest((SELECT n FROM merged), 1), 4) || E'\n' ||
       'auto_recall ' || round((SELECT count(*) FROM truth WHERE merged)::numeric / greatest((SELECT count(*) FROM truth), 1), 4) || E'\n' ||
       'queue ' || (SELECT count(*) FROM kasparro.match_candidates WHERE status = 'pending') || E'\n' ||
       'blocking_recall ' || round((SELECT n FROM found)::numeric / greatest((SELECT count(*) FROM truth), 1), 4)"
}
quality | sed 's/^/match-scale /'
read -r full_s rss_kib <"$tmp/rescan.time"
echo "match-scale rescan_seconds $full_s   goal <= 60   load $(load)"
echo "match-scale rescan_peak_rss_mib $((rss_kib / 1024))"
echo "match-scale rescan_outcome $(outcome)   (partition, candidates: md5)"
grep -o 'matching: [a-z ]* in [0-9.]*s\( (cpu [0-9.]*s)\)\?' "$tmp/rescan.log" | sed 's/^matching: /match-scale rescan phase: /'

say "match-scale: $EXTRA more records arrive; a run matches them"
mv "$tmp/dataset4b-extra.csv" "$tmp/dataset4b.csv"
start=$(date +%s.%N)
LOG_LEVEL=debug "$BIN" -c "$tmp/match.conf" run >/dev/null 2>"$tmp/incr.log"
end=$(date +%s.%N)
incr_s=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
echo "match-scale incremental_run_seconds $incr_s (re-sync of both files and matching $EXTRA new records)   load $(load)"
line=$(grep -o '"msg":"matching: [0-9]* records[^"]*"' "$tmp/incr.log" | sed 's/^"msg":"//; s/"$//')
echo "match-scale incremental $line"
match_s=$(echo "$line" | sed -n 's/.* in \([0-9.]*\)s$/\1/p')
echo "match-scale incremental_match_seconds ${match_s:-?}   goal: a small fraction of the rescan"
grep -o 'matching: [a-z ]* in [0-9.]*s\( (cpu [0-9.]*s)\)\?' "$tmp/incr.log" | sed 's/^matching: /match-scale incremental phase: /'
echo "match-scale incremental_share_of_rescan $(awk -v a="${match_s:-0}" -v b="$full_s" 'BEGIN { printf "%.3f", a / b }')"

# What the incremental pass decided, as digests (bench/outcome.sh).
echo "match-scale incremental_outcome $(outcome)   (partition, candidates: md5)"

say "match-scale: dedup --rescan over the matched records"
LOG_LEVEL=debug /usr/bin/time -f '%e %M' -o "$tmp/rescan2.time" "$BIN" -c "$tmp/match.conf" \
	dedup --rescan >/dev/null 2>"$tmp/rescan2.log" ||
	{ tail -n 20 "$tmp/rescan2.log" >&2; exit 1; }
read -r again_s rss_kib <"$tmp/rescan2.time"
echo "match-scale rescan_again_seconds $again_s (every record re-matched, the candidates already stored)   load $(load)"
grep -o 'matching: [a-z ]* in [0-9.]*s\( (cpu [0-9.]*s)\)\?' "$tmp/rescan2.log" | sed 's/^matching: /match-scale rescan again phase: /'

# stats: the durations (p50, p95) and the throughput are those of whole
# reads, as compare-runs takes a duration's median: a failed read and a
# resumed one are left out (they were in, and skewed both), per source and
# overall (a run counts when every read of it was whole). The last success
# is the last read whose records loaded, a read whose deletions the guard
# held included (it was the last read that succeeded). The output says
# what the figures cover.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
csv_source_config shop
title_rows 1 100 >"$T/shop.csv"
kas run >/dev/null 2>&1                      # 1: succeeded, 100 records
mv "$T/shop.csv" "$T/shop.away"
kas run >/dev/null 2>&1                      # 2: failed, no file
mv "$T/shop.away" "$T/shop.csv"
kas run >/dev/null 2>&1                      # 3: succeeded; made a resumed read below
kas run >/dev/null 2>&1                      # 4: succeeded
title_rows 1 50 >"$T/shop.csv"
kas run >/dev/null 2>&1                      # 5: the guard holds 50 deletions
expect_eq "five reads: succeeded, failed, succeeded, succeeded, partial (held)" \
	"$(sql "SELECT string_agg(status || ':' || held_deletes, ' ' ORDER BY run_id) FROM kasparro.run_sources")" \
	"succeeded:0 failed:0 succeeded:0 succeeded:0 partial:50"
# Known times: run k starts at k o'clock and lasts 10s, 1000s, 500s, 30s
# and 20s; run 3's read took up an interrupted one.
sql "WITH t(run, secs) AS (VALUES (1, 10), (2, 1000), (3, 500), (4, 30), (5, 20)),
  a AS (UPDATE kasparro.runs r SET started_at = timestamptz '2026-01-01 00:00:00Z' + r.id * interval '1 hour',
    finished_at = timestamptz '2026-01-01 00:00:00Z' + r.id * interval '1 hour' + t.secs * interval '1 second'
    FROM t WHERE t.run = r.id RETURNING 1)
  UPDATE kasparro.run_sources s SET started_at = timestamptz '2026-01-01 00:00:00Z' + s.run_id * interval '1 hour',
    finished_at = timestamptz '2026-01-01 00:00:00Z' + s.run_id * interval '1 hour' + t.secs * interval '1 second',
    resumed = s.run_id = 3
    FROM t WHERE t.run = s.run_id" >/dev/null
js() { kas stats --json | python3 -c "import json, sys; d = json.load(sys.stdin); s = [x for x in d['sources'] if x['source'] == 'shop'][0]; o = d['overall']; print($1)"; }
expect_eq "the source's p50 and p95: runs 1, 4 and 5 (10s, 30s, 20s), not the failed or the resumed read" \
	"$(js "s['duration_p50'], s['duration_p95']")" "20 29"
expect_eq "... records a second over the same reads: 250 in 60s" "$(js "round(s['rows_per_second'], 3)")" 4.167
expect_eq "... over 3 reads" "$(js "s['recent_reads']")" 3
expect_eq "overall: runs 1, 4 and 5 too" "$(js "o['duration_p50'], o['duration_p95'], o['recent_runs']")" "20 29 3"
expect_eq "the last success is run 5's read, whose deletions were held: its records loaded" \
	"$(js "s['last_success_at'], o['last_success_at']")" "2026-01-01T05:00:20Z 2026-01-01T05:00:20Z"
expect_eq "the last failure is run 2's" "$(js "s['last_failure_at'], o['last_failure_at']")" \
	"2026-01-01T02:16:40Z 2026-01-01T02:16:40Z"
out=$(kas stats)
expect_match "stats: shop's row" "$out" "^shop +100 +0 +2026-01-01 05:00:20 +2026-01-01 02:16:40 +20.0 +29.0 +4 +0$"
expect_match "... the figures say what they cover" "$(printf '%s\n' "$out" | tail -n 3 | tr '\n' ' ')" \
	"^P50 S, P95 S, ROWS/S: each source's last 20 whole reads \(succeeded, or held deletions; not failed, not resumed\); overall, the last 20 runs of whole reads "
expect_match "... and what a success is" "$out" \
	"^LAST SUCCESS: the last read whose records loaded, held deletions included$"
expect_eq "... in lines that fit 80 columns" "$(printf '%s\n' "$out" | tail -n 3 | wc -L)" 77
# a run with a failed read is no success overall, though it was partial
title_rows 1 100 >"$T/shop.csv"
printf '[source gone]\nkind = csv\npath = gone.csv\nid = id\nmap.title = title\n' >>"$CONF"
kas run >/dev/null 2>&1
expect_eq "run 6: shop succeeded, gone failed: partial" "$(sql "SELECT status FROM kasparro.runs WHERE id = 6")" partial
expect_eq "... shop's last success is run 6's, the overall one still run 5's" \
	"$(js "s['last_success_at'] > '2026-01-02', o['last_success_at']")" "True 2026-01-01T05:00:20Z"

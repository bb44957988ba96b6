# Anomalies set each source's read against an earlier read that can stand
# as its baseline: one that succeeded, of the same kind (full or
# incremental). The first read after a failed one is not flagged, nor a
# full read of an incremental source that deletes what its incremental
# reads could not; compare-runs says why a pair of reads was not compared,
# and which read each source was set against. A duration is judged against
# the median of at least three earlier successful reads, and says how many.
# A read whose deletions the guard held is no baseline.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
CONF="$T/k.conf"
cat >"$CONF" <<'CONF'
[schema]
title = text, required
n = integer
[source shop]
kind = csv
path = shop.csv
id = id
map.title = title
[source inc]
kind = csv
path = inc.csv
id = id
sync = incremental
cursor_field = n
map.title = title
map.n = n
[matching]
enabled = false
CONF
inc_rows() { echo "id,title,n"; seq "$1" "$2" | awk '{ printf "%d,Item %d,%d\n", $1, $1, $1 }'; }
inc_rows 1 500 >"$T/inc.csv"

# run 1: the shop's file is missing, the run fails for it
kas run >/dev/null 2>&1
expect_eq "run 1's read of the shop failed" "$(sql "SELECT status FROM kasparro.run_sources WHERE run_id = 1 AND source = 'shop'")" failed
title_rows 1 500 >"$T/shop.csv"
inc_rows 1 510 >"$T/inc.csv"
LOG_LEVEL=warn kas run >/dev/null 2>"$T/run2.log"
expect_no_match "the first read after a failed one: no anomaly logged" "$(cat "$T/run2.log")" "anomaly"
out=$(kas compare-runs)
expect_match "compare-runs: no anomaly" "$out" "^no anomaly$"
expect_match "... the shop has no earlier successful read" "$out" \
	"^note: source 'shop': no earlier successful full read to compare with$"
expect_match "... inc is compared with its read in run 1" "$out" "^inc +fetched +500 +510 +10 +\\+2% *$"
out=$(kas compare-runs 1 2)
expect_match "compare-runs 1 2: the failed read is no baseline" "$out" \
	"^note: source 'shop': run 1's read failed; counts not compared$"
expect_match "... nothing is flagged" "$out" "^no anomaly$"
expect_no_match "... on no row" "$out" "ANOMALY"

# run 3: a full read of inc deletes the 40 records gone from its file,
# which its incremental reads could not
inc_rows 41 510 >"$T/inc.csv"
LOG_LEVEL=warn kas run --full inc >/dev/null 2>"$T/run3.log"
expect_eq "run 3 read inc in full and deleted 40" \
	"$(sql "SELECT sync, soft_deleted FROM kasparro.run_sources WHERE run_id = 3")" "full|40"
expect_no_match "a full read after incremental ones: no anomaly logged" "$(cat "$T/run3.log")" "anomaly"
expect_match "... compare-runs says why" "$(kas compare-runs)" \
	"^note: source 'inc': no earlier successful full read to compare with$"

# run 4: the shop loses 80% (flagged), inc's incremental read is set
# against run 2's; run 5: inc's next full read against run 3's, not
# against run 4's incremental one
title_rows 1 100 >"$T/shop.csv"
LOG_LEVEL=warn kas run --allow-mass-delete >/dev/null 2>"$T/run4.log"
kas compare-runs --json >"$T/cmp.json"
expect_eq "compare-runs --json: the shop's drop flagged; a_run, compared and note per source" \
	"$(python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print(d["anomalies"], [(s["source"], s["a_run"], s["compared"], s["note"]) for s in d["sources"]])' "$T/cmp.json")" \
	"[\"source 'shop': fetched fell 80% (500 -> 100)\", \"source 'shop': deleted rose from 0 to 400\"] [('inc', 2, True, \"source 'inc': compared with run 2, its last successful incremental read\"), ('shop', 2, True, \"source 'shop': compared with run 2, its last successful full read\")]"
inc_rows 81 510 >"$T/inc.csv"
LOG_LEVEL=warn kas run --full inc >/dev/null 2>"$T/run5.log"
expect_no_match "deleted 40 -> 40 between full reads: no anomaly logged" "$(cat "$T/run5.log")" "anomaly"
out=$(kas compare-runs)
expect_match "... compare-runs names the read it was set against" "$out" \
	"^note: source 'inc': compared with run 3, its last successful full read$"
expect_match "... and compares its counts" "$out" "^inc +deleted +40 +40 +0 +\\+0% *$"

# Durations: the shop's reads made to take 0.2 s, then one 5 s.
dur() { sql "UPDATE kasparro.run_sources SET finished_at = started_at + interval '$2' WHERE run_id = $1 AND source = 'shop'" >/dev/null; }
kas run shop >/dev/null 2>&1
dur 2 '0.2 s'; dur 4 '0.2 s'; dur 6 '5 s'
out=$(kas compare-runs 4 6)
expect_no_match "5 s against the median of two earlier successful reads: not flagged" "$out" "took"
expect_eq "... --json says how many reads the median has" \
	"$(kas compare-runs --json 4 6 | python3 -c 'import json,sys
d = {s["source"]: s for s in json.load(sys.stdin)["sources"]}
print(d["shop"]["duration"]["median_reads"], d["shop"]["duration"]["anomaly"])')" "2 False"
kas run shop >/dev/null 2>&1
dur 6 '0.2 s'; dur 7 '5 s'
out=$(kas compare-runs 6 7)
expect_match "with three earlier successful reads it is, saying so" "$out" \
	"^anomaly: source 'shop': took 5.0s, 25.0 times the median 0.2s of its last 3 successful reads$"

# A cut export the mass-delete guard holds is flagged; the whole file after
# it is not: a held read is no baseline.
title_rows 1 20 >"$T/shop.csv"
LOG_LEVEL=warn kas run shop >/dev/null 2>"$T/run8.log"
expect_eq "run 8's read of the shop was held" "$(sql "SELECT status FROM kasparro.run_sources WHERE run_id = 8")" partial
expect_match "the cut export is flagged" "$(cat "$T/run8.log")" "run 8: anomaly: source .shop.: fetched fell 80% \\(100 -> 20\\)"
title_rows 1 100 >"$T/shop.csv"
LOG_LEVEL=warn kas run shop >/dev/null 2>"$T/run9.log"
expect_no_match "the whole file after it is not" "$(cat "$T/run9.log")" "anomaly"
expect_match "... compare-runs sets it against the read before the held one" "$(kas compare-runs)" \
	"^note: source 'shop': compared with run 7, its last successful full read$"

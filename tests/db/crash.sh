# Crash safety: kill -9 the process during a large ingest, several times,
# then let a run finish: the table matches the source exactly, nothing lost
# and nothing doubled, and every killed run is recorded as abandoned.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/fixtures.sh"
new_db

rows=${CRASH_ROWS:-120000}
python3 - "$T/big.csv" "$rows" <<'PY'
import csv, sys
with open(sys.argv[1], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["id", "title", "n"])
    for i in range(1, int(sys.argv[2]) + 1):
        w.writerow([i, "record %d" % i, i % 1000])
PY
big_csv_config 2000

committed() { sql "SELECT count(*) FROM kasparro.records"; }
kas db migrate >/dev/null
kas config check >/dev/null
kills=0
for round in 1 2 3; do
	before=$(committed)
	"$BIN" -c "$CONF" run >/dev/null 2>&1 &
	pid=$! # kasparro itself (not a subshell), so kill -9 hits it
	# wait until this run has committed a few batches, then kill it hard
	target=$((before + 6000))
	wait_for "round $round: the run commits batches" 60 \
		sh -c "[ \$(psql -XAtq '$KASPARRO_DATABASE_URL' -c 'SELECT count(*) FROM kasparro.records') -ge $target ]" ||
		break
	if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
	wait "$pid" 2>/dev/null
done
expect_eq "the run was killed three times mid-load" "$kills" 3
partial=$(committed)
if [ "$partial" -lt "$rows" ]; then ok "the killed runs left a partial load ($partial of $rows)"; else
	not_ok "the killed runs left a partial load" "all $rows rows were already loaded"; fi

check "a run after the crashes finishes" kas run
expect_eq "every source record is loaded exactly once" \
	"$(sql "SELECT count(*) || ' ' || count(DISTINCT source_id) FROM kasparro.records")" "$rows $rows"
expect_eq "with its raw payload, exactly once" "$(sql "SELECT count(*) FROM kasparro.raw_records")" "$rows"
expect_eq "and its values intact" \
	"$(sql "SELECT sum(n) FROM kasparro.records")" \
	"$(python3 -c "print(sum(i % 1000 for i in range(1, $rows + 1)))")"
expect_eq "the killed runs are recorded as abandoned" \
	"$(sql "SELECT count(*) FROM kasparro.runs WHERE status = 'abandoned'")" 3
expect_eq "the last killed run's work was resumed, not redone from the start" \
	"$(sql "SELECT resumed FROM kasparro.run_sources ORDER BY run_id DESC LIMIT 1")" t
out=$(kas run)
expect_match "a further run finds everything unchanged" "$out" "big +succeeded +$rows +0 +0 +$rows +0"
expect_eq "and the checkpoint holds no unfinished position" \
	"$(sql "SELECT position IS NULL FROM kasparro.checkpoints WHERE source = 'big'")" t

# A read that resumes an interrupted one never deletes: its seen set lacks
# the records read before the crash, so without this rule it would delete
# (here, with --allow-mass-delete, it would) records that are still in the
# source. The crash is real: kasparro is killed -9 between batches, which a
# trigger on kasparro.checkpoints spaces out so the kill lands mid-read.
# The next plain complete read then deletes exactly the missing records.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

csv_source_config big
printf '[kasparro]\nbatch_size = 100\n' >>"$CONF"
live() { sql "SELECT count(*) FROM kasparro.records WHERE NOT is_deleted"; }

title_rows 1 2000 >"$T/big.csv"
check "a first read loads 2000 records" kas run
title_rows 1 1900 >"$T/big.csv"

sql "CREATE FUNCTION public.slow_checkpoint() RETURNS trigger LANGUAGE plpgsql AS
     'BEGIN PERFORM pg_sleep(0.2); RETURN NEW; END';
     CREATE TRIGGER slow BEFORE UPDATE ON kasparro.checkpoints
     FOR EACH ROW EXECUTE FUNCTION public.slow_checkpoint()" >/dev/null
"$BIN" -c "$CONF" run >/dev/null 2>&1 &
pid=$!
wait_for "the second read commits a few batches" 30 \
	sh -c "[ \$(psql -XAtq '$KASPARRO_DATABASE_URL' -c \"SELECT coalesce(max(fetched), 0) FROM kasparro.run_sources WHERE run_id = 2\") -ge 500 ]"
kill -9 "$pid"
wait "$pid" 2>/dev/null
sql "DROP TRIGGER slow ON kasparro.checkpoints" >/dev/null
expect_eq "it was killed mid-read, leaving a resume position" \
	"$(sql "SELECT position IS NOT NULL FROM kasparro.checkpoints WHERE source = 'big'")" t

check "the next run resumes and completes" kas run --allow-mass-delete
expect_eq "it resumed, read to the end and succeeded, yet is no complete read" \
	"$(sql "SELECT resumed || ' ' || complete || ' ' || status FROM kasparro.run_sources WHERE run_id = 3")" \
	"true false succeeded"
expect_match "show-run says why nothing was deleted" "$(kas show-run 3)" \
	"big: not a complete read, so nothing was deleted: it resumed an interrupted read"
expect_eq "and deleted nothing, not even the 100 really missing" "$(live)" 2000
expect_eq "no deletion was audited" "$(sql "SELECT count(*) FROM kasparro.audit_log WHERE action = 'soft_delete'")" 0
expect_eq "the killed run is recorded as abandoned" "$(sql "SELECT status FROM kasparro.runs WHERE id = 2")" abandoned

check "the next complete read succeeds" kas run
expect_eq "and deletes exactly the 100 missing" \
	"$(sql "SELECT count(*) || ' ' || min(source_id::int) || ' ' || max(source_id::int) FROM kasparro.records WHERE is_deleted AND deleted_by_run = 4")" \
	"100 1901 2000"

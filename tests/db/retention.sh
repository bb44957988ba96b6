# Retention: records soft-deleted longer ago than keep_deleted are purged
# with their raw payloads, in batches, each leaving an audit row with its
# key fields; 89 days is kept, 91 is purged; --dry-run changes nothing; one
# purge at a time. Time is moved with KASPARRO_NOW: deletions are stamped
# with kasparro's clock, and the purge measures age against it.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

deletions_fixture "batch = 2"
count() { sql "SELECT count(*) FROM kasparro.$1"; }
expect_eq "deletions are stamped with kasparro's clock" \
	"$(sql "SELECT string_agg(source_id || '@' || to_char(deleted_at AT TIME ZONE 'UTC', 'MM-DD'), ' ' ORDER BY source_id::int) FROM kasparro.records WHERE is_deleted")" \
	"1@01-01 2@01-01 3@01-01 4@01-03 5@01-03"
expect_eq "deleted shows when each will be purged" \
	"$(kas deleted --json | python3 -c 'import json,sys; print(" ".join(sorted(r["purge_after"] for r in json.load(sys.stdin)))[:41])')" \
	"2026-04-01T00:00:00Z 2026-04-01T00:00:00Z"

snapshot() { sql "SELECT (SELECT count(*) FROM kasparro.records) || ' ' || (SELECT count(*) FROM kasparro.raw_records) || ' ' || (SELECT count(*) FROM kasparro.audit_log)"; }
before=$(snapshot)
expect_match "after 89 days nothing is due" "$(at $((t0 + 89 * day)) purge)" \
	"^purged 0 records soft-deleted before 2025-12-31T00:00:00Z$"
expect_eq "and nothing was purged" "$(snapshot)" "$before"

out=$(at $((t0 + 91 * day)) purge --dry-run --json)
expect_match "a dry run after 91 days counts the three deleted on day 0" "$out" \
	'"dry_run":true,"would_purge":3,"deleted_before":"2026-01-02T00:00:00Z"'
expect_eq "and changes nothing" "$(snapshot)" "$before"

out=$(at $((t0 + 91 * day)) purge --json)
expect_match "the purge after 91 days purges those three, in batches of 2" "$out" \
	'"purged":3,"deleted_before":"2026-01-02T00:00:00Z","batches":2'
expect_eq "the records are gone" \
	"$(sql "SELECT string_agg(source_id, ' ' ORDER BY source_id::int) FROM kasparro.records")" "4 5 6 7 8 9 10"
expect_eq "with their raw payloads" \
	"$(sql "SELECT count(*) FROM kasparro.raw_records WHERE record_id NOT IN (SELECT id FROM kasparro.records)")" 0
expect_eq "the raw payloads of the others stay" "$(count raw_records)" 7
expect_eq "each purged record leaves an audit row with its key fields and deletion time" \
	"$(sql "SELECT string_agg((before->>'source') || '/' || (before->>'source_id') || '/' || (before->>'title') || '/' || left(before->>'deleted_at', 10), ' ' ORDER BY (before->>'source_id')::int) FROM kasparro.audit_log WHERE action = 'purge'")" \
	"shop/1/Title 1/2026-01-01 shop/2/Title 2/2026-01-01 shop/3/Title 3/2026-01-01"
expect_match "the audit rows say why" \
	"$(kas audit --action purge --limit 1)" "purge +record +[0-9]+ +- +- +soft-deleted more than 90 days ago \(before 2026-01-02T00:00:00Z\)"
expect_match "audit --object finds a purged record's history" \
	"$(kas audit --object "record:$(sql "SELECT object_id FROM kasparro.audit_log WHERE action = 'purge' AND before->>'source_id' = '1'")" --json)" \
	'"action":"purge".*"action":"soft_delete"'

expect_match "--older-than overrides keep_deleted" "$(at $((t0 + 91 * day)) purge --older-than 88d --yes)" \
	"^purged 2 records soft-deleted before"
expect_eq "only deleted records are ever purged" "$(count records)" 5
expect_exit "a bad --older-than is a usage error" 2 kas purge --older-than soon

# one purge at a time: another session holds the purge lock
shop_csv 10 >"$T/shop.csv"
kas run --allow-mass-delete >/dev/null
hold_lock "another session holds the purge lock" 1801548548
expect_exit "a second purge exits 3" 3 kas purge --older-than 0s
expect_match "and says why" "$(kas purge --older-than 0s 2>&1)" "another purge is in progress"
expect_eq "and purged nothing" "$(count records)" 5
release_lock
expect_match "once it is free the purge runs" "$(kas purge --older-than 0s --yes)" "^purged 4 records"

# The retention purge prunes what restores remember of their records
# (kasparro.restored_records, what an undo of a restore would delete
# again): the rows of records it purges, and those of restores older than
# the retention. They used to stay for ever, growing with every restore.
# An undo of such a restore is refused, naming the decision and why (it
# used to succeed, saying only "0 records deleted again"). The purge finds
# a record's rows through an index on record_id (it read the whole table
# for each batch).
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
csv_source_config shop
printf '[deletes]\nmax_ratio = 0.5\n[retention]\nkeep_deleted = 90d\n' >>"$CONF"
day=86400
now=$(date +%s)
at() { when=$1; shift; KASPARRO_NOW=$when kas "$@"; }
rows() { sql "SELECT count(*) FROM kasparro.restored_records"; }
rid() { sql "SELECT id FROM kasparro.records WHERE source = 'shop' AND source_id = '$1'"; }

title_rows 1 6 >"$T/shop.csv"
at "$now" run >/dev/null 2>&1
title_rows 1 3 >"$T/shop.csv"
at "$now" run --allow-mass-delete >/dev/null 2>&1
run=$(sql "SELECT max(id) FROM kasparro.runs")
at "$now" restore --run "$run" >/dev/null 2>&1
dec=$(sql "SELECT max(id) FROM kasparro.decisions WHERE action = 'restore'")
expect_eq "a restore of run $run's three records remembers them" "$(rows)" 3
# the source still lacks them: the next read deletes them again
at "$now" run >/dev/null 2>&1
expect_eq "a later read deletes them again" \
	"$(sql "SELECT count(*) FROM kasparro.records WHERE is_deleted")" 3

at "$((now + 10 * day))" purge >/dev/null 2>&1
expect_eq "a purge with nothing due keeps them" "$(rows)" 3
# 4 and 5 come back and stay; 6 is purged
printf '4,Title 4\n5,Title 5\n' >>"$T/shop.csv"
at "$now" run >/dev/null 2>&1
id6=$(rid 6)
out=$(at "$((now + 91 * day))" purge 2>&1)
expect_match "91 days on, the purge purges record 6" "$out" "^purged 1 record"
expect_eq "... the restore's row of 6 goes with it" \
	"$(sql "SELECT count(*) FROM kasparro.restored_records WHERE record_id = $id6")" 0
expect_eq "... and, the restore older than the retention, its other rows too" "$(rows)" 0
expect_exit "undoing that restore 91 days on is refused" 1 at "$((now + 91 * day))" undo "$dec"
expect_match "... naming the decision and the retention" "$(at "$((now + 91 * day))" undo "$dec" 2>&1)" \
	"^kasparro: decision $dec \\(a restore at [0-9-]+ [0-9:]+ UTC\\) is older than \\[retention\\] keep_deleted \\(90 days\\) and cannot be undone"
expect_exit "... and today too, its rows purged (a purge told it was later)" 1 kas undo "$dec"
expect_match "... saying so" "$(kas undo --restore 2>&1)" \
	"^kasparro: decision $dec \\(a restore at .*\\) cannot be undone: a purge has removed what it kept of its records$"
expect_eq "... the restore stays as it is" \
	"$(sql "SELECT undone_by IS NULL FROM kasparro.decisions WHERE id = $dec")" t
expect_eq "... 4 and 5 stay live" \
	"$(sql "SELECT count(*) FROM kasparro.records WHERE source_id IN ('4', '5') AND NOT is_deleted")" 2
expect_eq "the purge finds a record's rows in restores by an index" \
	"$(sql "SELECT indexdef FROM pg_indexes WHERE schemaname = 'kasparro' AND tablename = 'restored_records' AND indexdef LIKE '%(record_id)'")" \
	"CREATE INDEX restored_records_record_idx ON kasparro.restored_records USING btree (record_id)"

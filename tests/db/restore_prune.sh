# The retention purge prunes what restores remember of their records
# (kasparro.restored_records, what an undo of a restore would delete
# again): the rows of records it purges, and those of restores older than
# the retention. They used to stay for ever, growing with every restore.
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
expect_match "undoing that restore deletes nothing again" "$(kas undo "$dec" 2>&1)" \
	"^decision $dec undone \\(decision [0-9]+\\): restore .*: 0 records deleted again$"
expect_eq "... 4 and 5 stay live" \
	"$(sql "SELECT count(*) FROM kasparro.records WHERE source_id IN ('4', '5') AND NOT is_deleted")" 2

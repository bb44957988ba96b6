# One rule for a command asked to change what needs no change or cannot
# take it: it changes nothing, says why, and exits 1 (kasparro(1), EXIT
# STATUS). restore of a live record exited 0 ("restored 0 records; 1 named
# was not deleted") while apply-deletes of a decided hold, approve of a
# decided pair, undo of an undone decision and split of a record not in
# the entity exited 1. The records of one restore are one decision, as the
# candidates of one approve are: a live one among them fails it whole.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
csv_source_config shop
printf '[deletes]\nmax_ratio = 0.9\n' >>"$CONF"
rid() { sql "SELECT id FROM kasparro.records WHERE source = 'shop' AND source_id = '$1'"; }
live() { sql "SELECT count(*) FROM kasparro.records WHERE NOT is_deleted"; }
restores() { sql "SELECT count(*) FROM kasparro.decisions WHERE action = 'restore'"; }

title_rows 1 4 >"$T/shop.csv"
kas run >/dev/null
title_rows 1 2 >"$T/shop.csv"
kas run >/dev/null
del_run=$(sql "SELECT max(id) FROM kasparro.runs")
r1=$(rid 1) r3=$(rid 3) r4=$(rid 4)
expect_eq "the fixture: 3 and 4 deleted" "$(live)" 2

expect_exit "restore of a live record exits 1" 1 kas restore "$r1"
expect_eq "... saying so" "$(kas restore "$r1" 2>&1)" \
	"kasparro: record $r1 is not deleted: nothing to restore"
expect_exit "restore of a deleted and a live record exits 1" 1 kas restore "$r3" shop/1
expect_eq "... naming the live one" "$(kas restore "$r3" shop/1 2>&1)" \
	"kasparro: record $r1 is not deleted: none of the 2 records named was restored"
expect_eq "... restoring none and recording no decision" "$(live) $(restores)" "2 0"
expect_exit "restore --run of a run whose deletions are all live again..." 0 kas restore --run "$del_run"
expect_exit "... a second time exits 1" 1 kas restore --run "$del_run"
expect_match "... saying there is nothing to restore" "$(kas restore --run "$del_run" 2>&1)" \
	"^kasparro: nothing to restore: no record run $del_run deleted is deleted now$"
expect_eq "the restore --json of a deleted record still says ok" \
	"$(kas undo --restore >/dev/null; kas restore --json "$r4" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["ok"], d["restored"], d["not_deleted"])')" \
	"True 1 0"

# the same rule elsewhere (these held before)
dec=$(sql "SELECT max(id) FROM kasparro.decisions")
kas undo --restore >/dev/null
expect_exit "undo of an undone decision exits 1" 1 kas undo --restore "$dec"
ent=$(sql "SELECT e.key FROM kasparro.entities e JOIN kasparro.entity_members m ON m.entity_id = e.id WHERE m.record_id = $r1 AND m.live")
expect_exit "split of a record not in the entity exits 1" 1 kas split "$ent" "$(rid 2)"

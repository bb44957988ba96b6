# A restore is a decision that undo reverts: restore prints its decision id,
# decisions lists it, and undo deletes again, exactly as they were deleted
# (deleted_at, deleted_by_run), the records still as the restore left them.
# A record changed since, or read again by a complete read of its source,
# stays and is named; one a later read held for deletion was not read again
# and is deleted. Each deletion is audited as a soft_delete under the undo's
# decision, the undo on the restore's. Before, a restore had no undo.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
csv_source_config shop
printf '[deletes]\nmax_ratio = 0.1\n' >>"$CONF"
me=$(id -un)
last_run() { sql "SELECT max(id) FROM kasparro.runs"; }
rid() { sql "SELECT id FROM kasparro.records WHERE source = 'shop' AND source_id = '$1'"; }
deletion() { sql "SELECT is_deleted, deleted_at, deleted_by_run FROM kasparro.records WHERE id = $1"; }

title_rows 1 10 >"$T/shop.csv"
kas run shop >/dev/null
title_rows 1 6 >"$T/shop.csv"
kas run --allow-mass-delete shop >/dev/null
del_run=$(last_run)
id7=$(rid 7) id8=$(rid 8) id9=$(rid 9) id10=$(rid 10)
before7=$(deletion "$id7") before10=$(deletion "$id10")
expect_match "run $del_run deleted records 7 to 10" "$before7" "^t\|.*\|$del_run$"

out=$(kas restore --run "$del_run")
dec=$(echo "$out" | sed -n "s/.*(decision \([0-9]*\); 'undo [0-9]*' reverts it).*/\1/p")
expect_match "restore names the decision that undo reverts" "$out" \
	"^restored 4 records deleted by run $del_run \(decision [0-9]+; 'undo [0-9]+' reverts it\); source 'shop' deletes them again if its next complete read still lacks them$"
expect_match "decisions lists the restore" "$(kas decisions)" \
	"^ *$dec .* $me +restore +the 4 records run $del_run deleted"
expect_eq "its records' audit rows carry the decision" \
	"$(sql "SELECT count(*) FROM kasparro.audit_log WHERE action = 'restore' AND decision_id = $dec")" 4

# the source changes 8, still has 9 unchanged and still lacks 7 and 10:
# the guard holds those two (a complete read that did not see them)
{ title_rows 1 6; echo "8,Title 8 revised"; echo "9,Title 9"; } >"$T/shop.csv"
kas run shop >/dev/null 2>&1
expect_eq "a later read held 7 and 10 for deletion" \
	"$(sql "SELECT string_agg(r.source_id, ' ' ORDER BY r.source_id::int) FROM kasparro.pending_delete_records p JOIN kasparro.records r ON r.id = p.record_id")" "7 10"

out=$(kas undo "$dec")
expect_match "undo of the restore deletes again what is as the restore left it, naming what stays" \
	"$out" "^decision $dec undone \(decision [0-9]+\): restore the 4 records run $del_run deleted: 2 records deleted again; 2 kept: record $id8 changed since, record $id9 read again since$"
undo=$(sql "SELECT undone_by FROM kasparro.decisions WHERE id = $dec")
expect_eq "7 is deleted again as it was deleted" "$(deletion "$id7")" "$before7"
expect_eq "10 too" "$(deletion "$id10")" "$before10"
expect_eq "8 (changed) and 9 (read again) stay live" \
	"$(sql "SELECT count(*) FROM kasparro.records WHERE id IN ($id8, $id9) AND NOT is_deleted")" 2
expect_eq "one soft_delete audit row per record deleted again, under the undo's decision" \
	"$(sql "SELECT string_agg(object_id, ' ' ORDER BY object_id::bigint) FROM kasparro.audit_log WHERE action = 'soft_delete' AND decision_id = $undo AND run_id = $del_run AND actor = '$me' AND reason = 'deleted again by $me: undo of restore decision $dec'")" \
	"$id7 $id10"
expect_match "the undo is audited on the restore's decision" \
	"$(kas audit --object "decision:$dec")" "$me +undo +decision +$dec .* $undo +2 deleted again, 2 kept"
hist=$(kas show-record "$id10" | sed -n '/^History/,$p')
expect_match "the record's history names the restore's decision and its undo" "$hist" \
	"restore \(run $del_run\) decision $dec: the 4 records run $del_run deleted .* undone by decision $undo"
expect_match "... and the deletion again under the undo's" "$hist" \
	"soft_delete \(run $del_run\) decision $undo: undo of decision $dec"
expect_match "deleted lists them again, deleted by their run" "$(kas deleted)" \
	"^ *$id10 +shop +10 .* $del_run "
expect_exit "a restore is undone once" 1 kas undo "$dec"
expect_match "... saying by which decision" "$(kas undo "$dec" 2>&1)" \
	"decision $dec is already undone \(decision $undo\)"

# undo without an id never takes a restore, even the latest decision (the
# Review screen's u runs it: it must not delete again what a colleague
# restored); --restore takes the latest restore
out=$(kas restore --json "$id7")
dec2=$(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["decision"])')
expect_match "restore --json gives the decision" "$dec2" '^[0-9]+$'
expect_match "a lone restore reads as its record" "$(kas decisions --action restore --limit 1)" \
	" restore +record $id7 "
expect_exit "undo with no id leaves the restore, the latest decision, alone" 1 kas undo
expect_match "... there being no approve, reject or split to undo" "$(kas undo 2>&1)" \
	"no approve, reject or split left to undo"
expect_eq "... and record 7 stays live" "$(sql "SELECT is_deleted FROM kasparro.records WHERE id = $id7")" f
j=$(kas undo --restore --json)
expect_eq "undo --restore undoes the latest restore" \
	"$(echo "$j" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["undone"], d["action"], d["deleted"], d["kept"])')" \
	"$dec2 restore 1 0"
expect_eq "record 7 is deleted again" "$(deletion "$id7")" "$before7"
expect_exit "undo --restore with no restore left to undo fails" 1 kas undo --restore
expect_match "... saying so" "$(kas undo --restore 2>&1)" "no restore left to undo"
expect_match "restoring a live record fails, restoring nothing and recording no decision" \
	"$(kas restore "$id8" 2>&1)" "^kasparro: record $id8 is not deleted: nothing to restore$"
expect_eq "... none" "$(sql "SELECT count(*) FROM kasparro.decisions WHERE action = 'restore'")" 2

# a record deleted again by a later read since the restore is left as it is
kas restore "$id10" >/dev/null
dec3=$(sql "SELECT max(id) FROM kasparro.decisions WHERE action = 'restore'")
kas run --allow-mass-delete shop >/dev/null 2>&1
again=$(deletion "$id10")
expect_match "a later read deleted 10 again" "$again" '^t\|'
expect_match "undo --restore leaves it, saying why" "$(kas undo --restore)" \
	"^decision $dec3 undone \(decision [0-9]+\): restore record $id10: 0 records deleted again; 1 kept: record $id10 deleted since$"
expect_eq "... as that read deleted it" "$(deletion "$id10")" "$again"

# a restore older than [retention] keep_deleted (90 days by default) is
# not undone, its records left live, even before a purge removed its rows:
# it used to delete them again, to deletions due to be purged at once
kas restore "$id10" >/dev/null
dec4=$(sql "SELECT max(id) FROM kasparro.decisions WHERE action = 'restore'")
later=$(($(date +%s) + 91 * 86400))
expect_exit "undo of a restore 91 days old is refused" 1 env KASPARRO_NOW=$later "$BIN" -c "$CONF" undo "$dec4"
expect_match "... naming the decision and why" \
	"$(KASPARRO_NOW=$later kas undo --restore 2>&1)" \
	"^kasparro: decision $dec4 \(a restore at .*\) is older than \[retention\] keep_deleted \(90 days\) and cannot be undone"
expect_eq "... record 10 stays live, the restore not undone" \
	"$(sql "SELECT r.is_deleted, d.undone_by IS NULL FROM kasparro.records r, kasparro.decisions d WHERE r.id = $id10 AND d.id = $dec4")" "f|t"

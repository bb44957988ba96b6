# Soft deletes end to end on CSV sources: a complete full read deletes
# exactly the records it did not see, and they come back when they
# reappear; failed, resumed and incremental reads delete nothing; the
# mass-delete guard holds an empty read and a 30% drop, which an operator
# lists, applies or discards; --allow-mass-delete; restore by id and by
# run; every step leaves its audit rows; a read that names as many records
# as are live (a repeated id standing in for a missing one) still deletes
# exactly the missing one.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

cat >"$T/k.conf" <<'CONF'
[kasparro]
batch_size = 25
error_ratio = 0.2
[schema]
title = text, required
n = integer
[source shop]
kind = csv
path = shop.csv
id = id
map.title = title
map.n = n
[source inc]
kind = csv
path = inc.csv
id = id
sync = incremental
cursor_field = n
map.title = title
map.n = n
[source loose]
kind = csv
path = loose.csv
id = id
max_delete_ratio = 0.35
map.title = title
map.n = n
[matching]
enabled = false
CONF
CONF="$T/k.conf"

# rows FROM TO [ID...]: the CSV of records FROM..TO without the ids listed
rows() {
	from=$1 to=$2
	shift 2
	echo "id,title,n"
	seq "$from" "$to" | grep -vxF -e 0 $(for i in "$@"; do printf -- '-e %s ' "$i"; done) |
		awk '{ printf "%d,Title %d,%d\n", $1, $1, $1 }'
}
live() { sql "SELECT count(*) FROM kasparro.records WHERE source = '${1:-shop}' AND NOT is_deleted"; }
deleted_ids() { sql "SELECT string_agg(source_id, ' ' ORDER BY source_id::int) FROM kasparro.records WHERE source = 'shop' AND is_deleted"; }
last_run() { sql "SELECT max(id) FROM kasparro.runs"; }
me=$(id -un)

rows 1 100 >"$T/shop.csv"
check "a first full read loads 100 records" kas run shop
expect_eq "all 100 are live" "$(live)" 100

# --- a full sync missing 3 of 100 deletes exactly those 3
rows 1 100 10 20 30 >"$T/shop.csv"
seq_before=$(sql "SELECT max(change_seq) FROM kasparro.records")
out=$(kas run shop)
run=$(last_run)
expect_match "the run succeeds and counts 3 deletions" "$out" "shop +succeeded +97 +0 +0 +97 +0 +3"
expect_eq "exactly the 3 missing records are soft-deleted" "$(deleted_ids)" "10 20 30"
expect_eq "each names the run that deleted it and when" \
	"$(sql "SELECT count(*) FROM kasparro.records WHERE is_deleted AND deleted_by_run = $run AND deleted_at IS NOT NULL")" 3
expect_eq "each took a new change_seq (incremental matching sees it)" \
	"$(sql "SELECT count(*) FROM kasparro.records WHERE is_deleted AND change_seq > $seq_before")" 3
expect_eq "the run's source row counts them" \
	"$(sql "SELECT soft_deleted FROM kasparro.run_sources WHERE run_id = $run")" 3
expect_eq "one soft_delete audit row per record, with the key fields before" \
	"$(sql "SELECT string_agg(before->>'source_id' || ':' || (before->>'title') || ':' || (after->>'is_deleted'), ' ' ORDER BY id) FROM kasparro.audit_log WHERE action = 'soft_delete' AND run_id = $run")" \
	"10:Title 10:true 20:Title 20:true 30:Title 30:true"
expect_eq "the audit rows name the actor and why" \
	"$(sql "SELECT DISTINCT actor || ' / ' || reason FROM kasparro.audit_log WHERE action = 'soft_delete' AND run_id = $run")" \
	"$me / missing from a complete read of source 'shop'"
d=$(kas deleted --json)
expect_match "deleted --json lists them with the run that deleted them" "$d" \
	"\"source_id\":\"30\",\"title\":\"Title 30\",\"deleted_at\":\"[0-9-]+T[0-9:]+Z\",\"deleted_by_run\":$run"
expect_eq "deleted --json lists three" "$(echo "$d" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 3
expect_match "deleted shows a table with the declared title" "$(kas deleted --source shop)" "Title 20 +[0-9-]+ [0-9:]+ +$run"
expect_eq "deleted --source filters" "$(kas deleted --source inc)" "no deleted record matches"
expect_eq "deleted --since a future time lists none" "$(kas deleted --since 2999-01-01)" "no deleted record matches"
expect_match "deleted --since 1h lists them" "$(kas deleted --since 1h --json)" '"source_id":"10"'
expect_exit "a bad --since is a usage error" 2 kas deleted --since yesterday
expect_match "and says what it accepts" "$(kas deleted --since yesterday 2>&1)" "is not a time .* or a duration ago"
expect_eq "a second identical read deletes nothing more" \
	"$(kas run shop >/dev/null; sql "SELECT soft_deleted FROM kasparro.run_sources WHERE run_id = $(last_run)")" 0

# --- they come back when they reappear
rows 1 100 >"$T/shop.csv"
out=$(kas run shop)
run=$(last_run)
expect_eq "reappearing records are restored" "$(live)" 100
expect_eq "by the loader, counted on the run" "$(sql "SELECT restored FROM kasparro.run_sources WHERE run_id = $run")" 3
expect_eq "and audited" \
	"$(sql "SELECT count(*) FROM kasparro.audit_log WHERE action = 'restore' AND run_id = $run AND reason = 'reappeared in source shop'")" 3

# --- an incremental read never deletes
printf 'id,title,n\n1,a,1\n2,b,2\n3,c,3\n' >"$T/inc.csv"
kas run inc >/dev/null
printf 'id,title,n\n3,c,3\n4,d,4\n' >"$T/inc.csv"
check "an incremental read that lacks records succeeds" kas run inc
expect_eq "and deletes nothing" "$(live inc)" 4

# --- a failed read deletes nothing (the error ratio fails the source)
{ rows 1 50; seq 1 20 | awk '{ printf "bad%d,,x\n", $1 }'; } >"$T/shop.csv"
expect_exit "a read above its error ratio fails the run" 1 kas run shop
expect_eq "its source failed" "$(sql "SELECT status FROM kasparro.run_sources WHERE run_id = $(last_run)")" failed
expect_eq "and nothing was deleted, though 50 records were missing" "$(live)" 100
# --- a source that cannot be read deletes nothing
rm "$T/shop.csv"
mkdir "$T/shop.csv"
expect_exit "a source whose file is a folder fails" 1 kas run shop
expect_eq "and deletes nothing" "$(live)" 100
rmdir "$T/shop.csv"

# --- the guard: an empty read deletes nothing and is held
rows 1 0 >"$T/shop.csv"
expect_exit "an empty CSV ends the run partial (exit 1)" 1 kas run shop
empty_run=$(last_run)
expect_eq "nothing was deleted" "$(live)" 100
expect_match "the run says why and what to do" "$(kas show-run "$empty_run")" \
	"deletions held: the source returned no records: would delete all 100 live records .*'kasparro apply-deletes $empty_run' or 'kasparro discard-deletes $empty_run'"
expect_eq "the run is partial" "$(sql "SELECT status FROM kasparro.runs WHERE id = $empty_run")" partial
expect_match "held lists the held set" "$(kas held)" "$empty_run +shop +100 +100 +100 +held"
# a later complete read decides afresh: the empty read's hold is superseded
rows 1 100 >"$T/shop.csv"
check "a complete read after the empty one succeeds" kas run shop
expect_eq "the empty read's hold is superseded" \
	"$(sql "SELECT decision || ' ' || superseded_by_run FROM kasparro.pending_deletes WHERE run_id = $empty_run")" \
	"superseded $(last_run)"
expect_match "show-run of the empty read says what became of its hold" "$(kas show-run "$empty_run")" \
	"^shop: the held deletions were superseded by run $(last_run) at [0-9T:-]+Z, which read the source completely and decided afresh\$"
expect_exit "apply-deletes on a superseded hold fails" 1 kas apply-deletes "$empty_run"
expect_match "and says it was superseded" "$(kas apply-deletes "$empty_run" 2>&1)" \
	"the deletions run $empty_run held for source 'shop' were superseded by run $(last_run)"
expect_eq "no deletions are held now" "$(kas held)" \
	"no deletions are held; 'kasparro held --all' shows past ones"

# --- a 30% drop is held, visible, then applied by command
rows 1 70 >"$T/shop.csv"
expect_exit "a 30% drop ends the run partial" 1 kas run shop
held_run=$(last_run)
expect_eq "nothing was deleted" "$(live)" 100
expect_match "show-run says how many and why" "$(kas show-run "$held_run")" \
	"deletions held: would delete 30 of 100 live records \(30%\), above max_ratio 10%; 'kasparro apply-deletes $held_run' or 'kasparro discard-deletes $held_run'"
expect_match "show-run marks the source's deletions as held" "$(kas show-run "$held_run")" "shop +partial +70 .* held "
expect_eq "the run's source row counts 30 held" \
	"$(sql "SELECT held_deletes || ' ' || soft_deleted FROM kasparro.run_sources WHERE run_id = $held_run")" "30 0"
expect_match "held --json shows the set" "$(kas held --json)" \
	"\"run\":$held_run,\"source\":\"shop\",\"held\":30,\"would_delete\":30,\"live\":100,\"state\":\"held\""
h=$(kas held "$held_run" --json)
expect_eq "held RUN lists the 30 records" "$(echo "$h" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(len(r), sorted({x["state"] for x in r}), min(int(x["source_id"]) for x in r))')" \
	"30 ['held'] 71"
expect_eq "the hold is audited" \
	"$(sql "SELECT actor || ' ' || (after->>'held') FROM kasparro.audit_log WHERE action = 'hold_deletes' AND object_id = '$held_run'")" "$me 30"
# two of them come back in a read that then fails: they leave the held set
{ rows 71 72; rows 1 70 | tail -n +2; seq 1 30 | awk '{ printf "bad%d,,x\n", $1 }'; } >"$T/shop.csv"
expect_exit "a failing read that sees two held records again" 1 kas run shop
expect_eq "the held set shrinks to 28" \
	"$(sql "SELECT held_deletes FROM kasparro.run_sources WHERE run_id = $held_run")" 28
out=$(kas held)
expect_match "held names its columns: still held, missed by the run, live" "$out" \
	"^RUN +SOURCE +HELD +MISSED +LIVE "
expect_match "... 28 still held of the 30 the run missed" "$out" "^ *$held_run +shop +28 +30 +100 +held "
expect_eq "the failing read did not supersede the hold" \
	"$(sql "SELECT coalesce(decision, 'open') FROM kasparro.pending_deletes WHERE run_id = $held_run")" open
# the failed run is now the source's latest: the hold it did not decide
# still shows beside that run's own error, with the commands that decide it
out=$(kas sources shop --json)
expect_match "sources: deletions an earlier run held still show after a later run failed" "$out" \
	"\"last_error\":\"[^\"]+; deletions held by run $held_run \(28 still held\): would delete 30 of 100 live records \(30%\), above max_ratio 10%; 'kasparro apply-deletes $held_run' or 'kasparro discard-deletes $held_run'\""
expect_match "... and name the holding run" "$out" "\"held_run\":$held_run[,}]"
expect_match "... in the text listing too" "$(kas sources shop)" "deletions held by run $held_run \(28 still held\)"
out=$(kas apply-deletes "$held_run")
expect_match "apply-deletes deletes the 28 still missing" "$out" \
	"applied the deletions run $held_run held: 28 records soft-deleted, 2 kept"
expect_eq "exactly those" "$(deleted_ids)" "$(seq 73 100 | tr '\n' ' ' | sed 's/ $//')"
expect_eq "the two seen again stay live" \
	"$(sql "SELECT count(*) FROM kasparro.records WHERE source_id IN ('71', '72') AND NOT is_deleted")" 2
expect_eq "deleted by the run that held them" \
	"$(sql "SELECT count(*) FROM kasparro.records WHERE is_deleted AND deleted_by_run = $held_run")" 28
expect_eq "the run's source row now counts them deleted" \
	"$(sql "SELECT held_deletes || ' ' || soft_deleted FROM kasparro.run_sources WHERE run_id = $held_run")" "0 28"
expect_eq "the decision is recorded with the actor" \
	"$(sql "SELECT decision || ' ' || decided_by || ' ' || applied FROM kasparro.pending_deletes WHERE run_id = $held_run")" \
	"applied $me 28"
expect_eq "and audited, with one soft_delete row per record" \
	"$(sql "SELECT (SELECT count(*) FROM kasparro.audit_log WHERE action = 'apply_deletes' AND object_id = '$held_run' AND actor = '$me') || ' ' || (SELECT count(*) FROM kasparro.audit_log WHERE action = 'soft_delete' AND run_id = $held_run AND reason LIKE 'held by the mass-delete guard in run $held_run%')")" \
	"1 28"
expect_match "show-run says who applied the held deletions, when, and how many" "$(kas show-run "$held_run")" \
	"^shop: the held deletions were applied by $me at [0-9T:-]+Z: 28 deleted\$"
expect_eq "... --json too" "$(kas show-run --json "$held_run" | python3 -c 'import json,sys
h = json.load(sys.stdin)["sources"][0]["hold"]
print(h["would_delete"], h["decision"], h["applied"])')" "30 applied 28"
expect_exit "applying it twice fails" 1 kas apply-deletes "$held_run"
expect_match "naming who applied it and when" "$(kas apply-deletes "$held_run" 2>&1)" \
	"were already applied by $me at [0-9-]+T[0-9:]+Z"
expect_exit "discarding an applied hold fails too" 1 kas discard-deletes "$held_run"
expect_exit "a run that held nothing" 1 kas apply-deletes 1
expect_match "says so" "$(kas apply-deletes 1 2>&1)" "run 1 held no deletions"
expect_match "held --all still shows the applied set" "$(kas held --all)" "$held_run +shop +28 +30 +100 +applied +$me"
out=$(kas sources shop --json)
expect_no_match "sources: once applied, a hold a later run followed is not shown stale" "$out" "deletions held"
expect_match "... and no run's deletions wait" "$out" '"held_run":null'

# --- restore by run undoes what the run deleted
out=$(kas restore --run "$held_run" --json)
expect_match "restore --run restores the 28" "$out" '"restored":28,"not_deleted":0,"decision":[0-9]+,"deleted_again_if_missing":28,"ok":true'
expect_eq "all 100 are live again" "$(live)" 100
expect_eq "each restore is audited with the record as it was" \
	"$(sql "SELECT count(*) FROM kasparro.audit_log WHERE action = 'restore' AND actor = '$me' AND run_id = $held_run AND before->>'is_deleted' = 'true' AND before->>'deleted_by_run' = '$held_run' AND reason LIKE '%undo of the deletions of run $held_run'")" 28
expect_exit "restore --run of an unknown run fails" 1 kas restore --run 99999
expect_exit "restore with neither ids nor --run is a usage error" 2 kas restore

# --- new data: held again, then discarded by command
rows 1 100 $(seq 41 80) >"$T/shop.csv"
expect_exit "a 40% drop is held" 1 kas run shop
discard_run=$(last_run)
# two operators discard at once while a third session holds the hold's row:
# both wait; exactly one decides, the other is told who did and when
psql -X -q "$KASPARRO_DATABASE_URL application_name=rowholder" >/dev/null 2>&1 <<SQL &
BEGIN;
SELECT id FROM kasparro.pending_deletes WHERE run_id = $discard_run FOR UPDATE;
SELECT pg_sleep(60);
SQL
holder=$!
at_exit "kill $holder 2>/dev/null"
wait_for "a third session locks the held set" 60 \
	sh -c "psql -XAtq '$KASPARRO_DATABASE_URL' -c \"SELECT count(*) FROM pg_stat_activity WHERE application_name = 'rowholder' AND state = 'active' AND query LIKE '%pg_sleep%'\" | grep -qx 1"
kas discard-deletes "$discard_run" --json >"$T/op1" 2>&1 &
op1=$!
kas discard-deletes "$discard_run" --json >"$T/op2" 2>&1 &
op2=$!
wait_for "both operators wait for the lock" 60 \
	sh -c "psql -XAtq '$KASPARRO_DATABASE_URL' -c \"SELECT count(*) FROM pg_stat_activity WHERE application_name = 'kasparro' AND wait_event_type = 'Lock'\" | grep -qx 2"
sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'rowholder'" >/dev/null
wait $holder 2>/dev/null
wait $op1; rc1=$?
wait $op2; rc2=$?
expect_eq "exactly one operator's discard succeeds" "$(echo $rc1 $rc2 | tr ' ' '\n' | sort | tr '\n' ' ')" "0 1 "
out=$(cat "$T/op1" "$T/op2")
expect_match "discard-deletes keeps them all" "$out" '"kept":40,"ok":true'
expect_match "the other is told who decided first" "$out" \
	"the deletions run $discard_run held for source 'shop' were already discarded by $me at [0-9T:-]+Z"
expect_eq "nothing was deleted" "$(live)" 100
expect_match "show-run says the held deletions were discarded" "$(kas show-run "$discard_run")" \
	"^shop: the held deletions were discarded by $me at [0-9T:-]+Z: nothing was deleted\$"
expect_eq "the decision is recorded" \
	"$(sql "SELECT decision || ' ' || decided_by FROM kasparro.pending_deletes WHERE run_id = $discard_run")" "discarded $me"
expect_eq "and audited" \
	"$(sql "SELECT count(*) FROM kasparro.audit_log WHERE action = 'discard_deletes' AND object_id = '$discard_run'")" 1
expect_eq "nothing is held any more" "$(sql "SELECT held_deletes FROM kasparro.run_sources WHERE run_id = $discard_run")" 0
expect_match "sources: the latest run's held deletions say they were discarded since" \
	"$(kas sources shop --json)" \
	"\"last_error\":\"deletions held: would delete 40 of 100 .* \(since discarded by $me at [0-9T:-]+Z\)\""

# --- --allow-mass-delete deletes anyway, audited as such
check "run --allow-mass-delete succeeds" kas run --allow-mass-delete shop
mass_run=$(last_run)
expect_eq "the 40 are deleted" "$(live)" 60
expect_eq "the audit rows say the guard was overridden" \
	"$(sql "SELECT count(*) FROM kasparro.audit_log WHERE action = 'soft_delete' AND run_id = $mass_run AND reason LIKE '%overridden with --allow-mass-delete: would delete 40 of 100 live records (40%), above max_ratio 10%'")" 40
expect_eq "nothing was held" "$(sql "SELECT count(*) FROM kasparro.pending_deletes WHERE run_id = $mass_run")" 0

# --- every change is followed by NOTIFY kasparro, so consoles refresh
mkfifo "$T/listen.in"
psql -X -q "$KASPARRO_DATABASE_URL" <"$T/listen.in" >"$T/listen.out" 2>&1 &
listener=$!
exec 3>"$T/listen.in"
at_exit "exec 3>&-; kill $listener 2>/dev/null"
echo "LISTEN kasparro; SELECT 'listening';" >&3
wait_for "a listener is ready" 60 grep -q listening "$T/listen.out"
kas restore --run "$mass_run" >/dev/null
echo "SELECT 'poll';" >&3
wait_for "restore notifies listeners" 60 grep -q 'payload "records"' "$T/listen.out"
kas run --allow-mass-delete shop >/dev/null
mass_run=$(last_run)
echo "SELECT 'poll';" >&3
wait_for "a run's deletions notify listeners" 60 grep -q "payload \"run:$mass_run\"" "$T/listen.out"

# --- restore by id
id41=$(sql "SELECT id FROM kasparro.records WHERE source = 'shop' AND source_id = '41'")
id42=$(sql "SELECT id FROM kasparro.records WHERE source = 'shop' AND source_id = '42'")
id1=$(sql "SELECT id FROM kasparro.records WHERE source = 'shop' AND source_id = '1'")
expect_exit "restoring an unknown id fails" 1 kas restore "$id41" 99999
expect_match "naming it" "$(kas restore "$id41" 99999 2>&1)" "no record 99999"
expect_exit "a SOURCE/ID no record has fails too" 1 kas restore shop/41 shop/no-such
expect_match "... naming the source and the id" "$(kas restore shop/no-such 2>&1)" \
	"no record 'shop/no-such'; 'kasparro deleted' lists deleted records\$"
expect_eq "and restores nothing" "$(live)" 60
out=$(kas restore shop:41 2>&1)
expect_eq "a record named another way is a usage error (exit 2)" "$?" 2
expect_match "... that says both ways a record is named" "$out" \
	"'shop:41' is not a record \(an id, or SOURCE/ID as the source names it\)"
expect_exit "a live record among those named fails the restore" 1 kas restore "$id41" shop/42 "$id1"
expect_match "... naming it" "$(kas restore "$id41" shop/42 "$id1" 2>&1)" \
	"^kasparro: record $id1 is not deleted: none of the 3 records named was restored$"
expect_eq "... and restores none" "$(live)" 60
out=$(kas restore "$id41" shop/42)
expect_match "restore by id (or SOURCE/ID) restores them" "$out" \
	"^restored 2 records \(decision [0-9]+; 'undo [0-9]+' reverts it\); source 'shop' deletes them again if its next complete read still lacks them$"
expect_eq "they are live" "$(sql "SELECT string_agg(source_id, ' ' ORDER BY source_id) FROM kasparro.records WHERE id IN ($id41, $id42) AND NOT is_deleted AND deleted_at IS NULL AND deleted_by_run IS NULL")" "41 42"
expect_eq "audited per record" \
	"$(sql "SELECT count(*) FROM kasparro.audit_log WHERE action = 'restore' AND object_id IN ('$id41', '$id42') AND reason = 'restored by $me'")" 2

# --- audit listing
a=$(kas audit --object "record:$id41" --json)
expect_eq "audit --object record:ID shows its history, newest first" \
	"$(echo "$a" | python3 -c 'import json,sys; print(" ".join(x["action"] for x in json.load(sys.stdin)))')" \
	"restore soft_delete restore soft_delete"
expect_match "with before and after as JSON" "$a" '"before":\{"n":41,.*"source_id":"41".*"after":\{"deleted_at":null'
expect_match "the audit names a record the way commands take it, SOURCE/ID" \
	"$(kas audit --object "record:$id41" --limit 1)" " shop/41, deleted_at: "
expect_match "audit --action filters" "$(kas audit --action discard_deletes)" \
	"$me +discard_deletes +run +$discard_run +$discard_run +- +discarded the deletions held for source 'shop': 0 of 40"
expect_eq "audit --run --limit" "$(kas audit --run "$mass_run" --limit 3 --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 3
expect_eq "audit --since the future lists nothing" "$(kas audit --since 2999-01-01)" "no audit entries match"

# --- a source's own max_delete_ratio overrides [deletes] max_ratio
rows 1 100 >"$T/loose.csv"
kas run loose >/dev/null
rows 1 70 >"$T/loose.csv"
check "a 30% drop is within source loose's max_delete_ratio of 35%" kas run loose
expect_eq "and is deleted" "$(live loose)" 70
rows 1 40 >"$T/loose.csv"
expect_exit "a 43% drop is not" 1 kas run loose
expect_match "the reason names the source's own key" "$(kas show-run "$(last_run)")" \
	"would delete 30 of 70 live records \(42.9%\), above max_delete_ratio 35%"

# --- [deletes] on_empty trusts an empty read
{ cat "$T/k.conf"; printf '[deletes]\non_empty = true\n'; } >"$T/empty.conf"
rows 1 0 >"$T/loose.csv"
check "with on_empty an empty read succeeds" "$BIN" -c "$T/empty.conf" run loose
expect_eq "and deletes every record of the source" "$(live loose)" 0
expect_eq "saying why" \
	"$(sql "SELECT DISTINCT reason FROM kasparro.audit_log WHERE action = 'soft_delete' AND run_id = $(last_run)")" \
	"missing from a complete read of source 'loose', which returned no records ([deletes] on_empty is on)"
expect_eq "the hold of the 43% drop is superseded" \
	"$(sql "SELECT decision FROM kasparro.pending_deletes WHERE source = 'loose'")" superseded

# --- reads that name as many records as the source holds live, yet miss one:
# exactly the missing one is deleted (batches of 25: the repeats land in
# other batches than their first)
{ cat "$T/k.conf"; printf '[source twice]\nkind = csv\npath = twice.csv\nid = id\nmap.title = title\nmap.n = n\n'; } >"$T/twice.conf"
twice() { "$BIN" -c "$T/twice.conf" run twice; }
twice_deleted() { sql "SELECT string_agg(source_id, ' ' ORDER BY source_id::int) FROM kasparro.records WHERE source = 'twice' AND is_deleted"; }
rows 1 100 >"$T/twice.csv"
twice >/dev/null
{ rows 1 100 57; echo "7,Title 7,7"; } >"$T/twice.csv"
expect_match "a read of 100 rows, id 7 twice and id 57 missing, deletes one" "$(twice)" \
	"twice +succeeded +100 +0 +0 +100 +0 +1 "
expect_eq "id 57" "$(twice_deleted)" 57
{ rows 1 101 57 62; echo "7,Title 7,7"; } >"$T/twice.csv"
expect_match "a read with one new record, 7 twice and 62 missing deletes 62" "$(twice)" \
	"twice +succeeded +100 +1 +0 +99 +0 +1 +0 "
expect_eq "id 62, 57 staying deleted" "$(twice_deleted)" "57 62"
{ rows 1 101 57 62 63 64; echo "64,,64"; echo "65,Title 65,65"; } >"$T/twice.csv"
expect_match "a read that quarantines 64, repeats 65 and misses 63 deletes 63 alone" "$(twice)" \
	"twice +succeeded +99 +0 +0 +98 +1 +1 +0 "
expect_eq "63 (64 could not be read today, it is not missing)" "$(twice_deleted)" "57 62 63"
rows 1 101 >"$T/twice.csv"
expect_match "the whole file again restores the three and deletes nothing" "$(twice)" \
	"twice +succeeded +101 +0 +0 +101 +0 +0 +3 "
expect_eq "none deleted" "$(twice_deleted)" ""

# Undo of a restore keeps a record that any read of its source returned
# since the restore, an incremental or an incomplete one too, and names it
# ("read again since"), as it keeps one a complete read saw. Such a read
# leaves no mark on an unchanged record's row; the undo used to delete it
# again although the source had just shown it. A record no read returned
# since is deleted again.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
CONF="$T/k.conf"
printf '[schema]\ntitle = text, required\nn = integer\n' >"$CONF"
printf '[source inc]\nkind = csv\npath = inc.csv\nid = id\nsync = incremental\n' >>"$CONF"
printf 'cursor_field = n\nmap.title = title\nmap.n = n\n' >>"$CONF"
printf '[deletes]\nmax_ratio = 0.9\n[matching]\nenabled = false\n' >>"$CONF"
rows() { echo "id,title,n"; for i in "$@"; do echo "$i,Title $i,$i"; done; }
rid() { sql "SELECT id FROM kasparro.records WHERE source = 'inc' AND source_id = '$1'"; }
live() { sql "SELECT string_agg(source_id, ' ' ORDER BY source_id::int) FROM kasparro.records WHERE NOT is_deleted"; }

rows 1 2 3 4 5 6 >"$T/inc.csv"
kas run inc >/dev/null
rows 1 2 >"$T/inc.csv"
kas run --full --allow-mass-delete inc >/dev/null
del_run=$(sql "SELECT max(id) FROM kasparro.runs")
expect_eq "a complete full read deleted 3 to 6" "$(live)" "1 2"
dec=$(kas restore --json --run "$del_run" | python3 -c 'import json,sys; print(json.load(sys.stdin)["decision"])')
expect_eq "the restore brought them back" "$(live)" "1 2 3 4 5 6"

# an incremental read returns 1 to 4 unchanged, not 5 and 6: it cannot
# delete, and it names no missing record
rows 1 2 3 4 >"$T/inc.csv"
check "an incremental read" kas run inc
expect_eq "... read 1 to 4 again, unchanged" \
	"$(sql "SELECT fetched, unchanged, sync FROM kasparro.run_sources WHERE run_id = (SELECT max(id) FROM kasparro.runs)")" \
	"4|4|incremental"
id3=$(rid 3) id4=$(rid 4) id5=$(rid 5) id6=$(rid 6)
out=$(kas undo "$dec")
expect_match "undo keeps and names the records the incremental read returned" "$out" \
	"^decision $dec undone \(decision [0-9]+\): restore the 4 records run $del_run deleted: 2 records deleted again; 2 kept: record $id3 read again since, record $id4 read again since$"
expect_eq "... 3 and 4 stay live, 5 and 6 are deleted again" "$(live)" "1 2 3 4"
expect_eq "... as the read deleted them" \
	"$(sql "SELECT count(*) FROM kasparro.records WHERE id IN ($id5, $id6) AND is_deleted AND deleted_by_run = $del_run")" 2

# a full read cut short (an unreadable line) is not complete; a record it
# returned was shown again all the same
rows 1 2 3 4 5 6 >"$T/inc.csv"
kas run --full inc >/dev/null 2>&1
expect_eq "the full read brought 5 and 6 back" "$(live)" "1 2 3 4 5 6"
rows 1 2 3 4 >"$T/inc.csv"
kas run --full --allow-mass-delete inc >/dev/null
del2=$(sql "SELECT max(id) FROM kasparro.runs")
dec2=$(kas restore --json --run "$del2" | python3 -c 'import json,sys; print(json.load(sys.stdin)["decision"])')
{ rows 1 2 3 4 5; printf '"7,broken\n'; } >"$T/inc.csv"
kas run --full inc >/dev/null 2>&1
expect_eq "a full read that is not complete" \
	"$(sql "SELECT complete, sync FROM kasparro.run_sources WHERE run_id = (SELECT max(id) FROM kasparro.runs)")" "f|full"
out=$(kas undo --json "$dec2")
expect_eq "undo keeps 5, which that read returned, and deletes 6 again" \
	"$(echo "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["deleted"], d["kept"], [k["why"] for k in d["kept_records"]], [k["record"] for k in d["kept_records"]])')" \
	"1 1 ['read again since'] [$id5]"
expect_eq "... 6 alone is deleted" "$(live)" "1 2 3 4 5"

# a read that returns a restored record only as a quarantined row (its id
# read, a value not) shows it in the source all the same: the undo keeps
# it. It used to be marked only when it loaded, and was deleted again.
rows 1 2 3 4 5 6 >"$T/inc.csv"
kas run --full inc >/dev/null 2>&1
rows 1 2 3 4 >"$T/inc.csv"
kas run --full --allow-mass-delete inc >/dev/null
del3=$(sql "SELECT max(id) FROM kasparro.runs")
dec3=$(kas restore --json --run "$del3" | python3 -c 'import json,sys; print(json.load(sys.stdin)["decision"])')
expect_eq "a third restore brought 5 and 6 back" "$(live)" "1 2 3 4 5 6"
{ rows 1 2 3 4; echo "5,,5"; } >"$T/inc.csv"
kas run inc >/dev/null 2>&1
expect_eq "an incremental read quarantines 5: its title is missing" \
	"$(sql "SELECT source_id FROM kasparro.quarantine WHERE run_id = (SELECT max(id) FROM kasparro.runs)")" 5
out=$(kas undo --json "$dec3")
expect_eq "undo keeps 5, which that read returned quarantined, and deletes 6 again" \
	"$(echo "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["deleted"], [k["why"] for k in d["kept_records"]], [k["record"] for k in d["kept_records"]])')" \
	"1 ['read again since'] [$id5]"
expect_eq "... 6 alone is deleted" "$(live)" "1 2 3 4 5"

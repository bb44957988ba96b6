# A restore says when its records come back only until their source's next
# complete read: a source whose complete reads soft-delete what they miss
# (full, or incremental with full_sync_every) deletes again a restored
# record it still lacks, as kasparro(1) says. The message said nothing of
# it, and an operator took the record as back for good. It is said (and
# counted in --json: deleted_again_if_missing) only where it holds: not for
# a source that now reads incrementally only, nor one no longer configured.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
csv_source_config shop
csv_source box
printf '[deletes]\nmax_ratio = 0.9\n' >>"$CONF"
full_conf=$CONF
rid() { sql "SELECT id FROM kasparro.records WHERE source = '$1' AND source_id = '$2'"; }
deleted() { sql "SELECT is_deleted FROM kasparro.records WHERE id = $1"; }
again() { python3 -c 'import json,sys; print(json.load(sys.stdin)["deleted_again_if_missing"])'; }

title_rows 1 4 >"$T/shop.csv"
title_rows 1 4 >"$T/box.csv"
kas run >/dev/null
title_rows 1 2 >"$T/shop.csv"
title_rows 1 2 >"$T/box.csv"
kas run >/dev/null
del_run=$(sql "SELECT max(id) FROM kasparro.runs")
s3=$(rid shop 3) s4=$(rid shop 4) b3=$(rid box 3)
expect_eq "the fixture: a complete read deleted shop 3" "$(deleted "$s3")" t

out=$(kas restore "$s3")
expect_match "restoring a record of a full source says its next complete read deletes it again" \
	"$out" "^restored 1 record \(decision [0-9]+; 'undo [0-9]+' reverts it\); source 'shop' deletes it again if its next complete read still lacks it$"
kas run shop >/dev/null 2>&1
expect_eq "... which that read does" "$(deleted "$s3")" t

out=$(kas restore --run "$del_run") # shop 4, box 3 and 4: shop 3 went with a later run
expect_match "restore --run says it of the records of both sources" "$out" \
	"^restored 3 records deleted by run $del_run \(decision [0-9]+; 'undo [0-9]+' reverts it\); sources 'box', 'shop' delete them again if their next complete read still lacks them$"
kas run >/dev/null 2>&1
out=$(kas restore --json "$s4" "$b3" | again)
expect_eq "--json counts them" "$out" 2

# shop now reads incrementally, with no complete read to come
sed 's/^map.title = title$/&\nsync = incremental\ncursor_field = title/' "$full_conf" >"$T/inc.conf"
awk '/^\[source box\]/ { box = 1 } /^\[source shop\]/ { box = 0 } !(box && /^sync|^cursor_field/)' \
	"$T/inc.conf" >"$T/inc2.conf"
CONF="$T/inc2.conf"
expect_match "the configuration: shop incremental, box full" "$(kas sources)" "shop .*incremental"
kas run --allow-mass-delete --full >/dev/null 2>&1
expect_eq "a full read of both deleted shop 4 and box 3 again" "$(deleted "$s4")$(deleted "$b3")" tt
out=$(kas restore "$s4" "$b3")
expect_match "restoring a record of each says it of box's alone" "$out" \
	"^restored 2 records \(decision [0-9]+; 'undo [0-9]+' reverts it\); source 'box' deletes 1 of them again if its next complete read still lacks it$"
kas run --allow-mass-delete --full >/dev/null 2>&1
out=$(kas restore "$s4")
expect_match "a record of the incremental source alone: nothing said" "$out" \
	"^restored 1 record \(decision [0-9]+; 'undo [0-9]+' reverts it\)$"
kas run --allow-mass-delete --full >/dev/null 2>&1
expect_eq "... --json: 0" "$(kas restore --json "$s4" | again)" 0

# incremental with full_sync_every: its complete reads delete
sed 's/^cursor_field = title$/&\nfull_sync_every = 1d/' "$T/inc2.conf" >"$T/every.conf"
CONF="$T/every.conf"
kas run --allow-mass-delete --full >/dev/null 2>&1
expect_match "incremental with full_sync_every: said again" "$(kas restore "$s4")" \
	"; source 'shop' deletes it again if its next complete read still lacks it$"

# a source no longer configured reads nothing
kas run --allow-mass-delete --full >/dev/null 2>&1
awk '/^\[/ { skip = ($0 == "[source shop]") } !skip' "$full_conf" >"$T/no-shop.conf"
CONF="$T/no-shop.conf"
expect_match "a source taken out of the configuration: nothing said" "$(kas restore "$s4")" \
	"^restored 1 record \(decision [0-9]+; 'undo [0-9]+' reverts it\)$"

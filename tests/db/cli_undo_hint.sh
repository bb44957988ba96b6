# undo with nothing left to undo said only "no decision to undo", though a
# restore stood that 'undo --restore' reverts (a bare undo never takes a
# restore: the Review screen's u runs it). It names that restore and how to
# undo it; with nothing at all left, where the decisions are listed.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
csv_source_config shop
printf '[deletes]\nmax_ratio = 0.9\n' >>"$CONF"
title_rows 1 4 >"$T/shop.csv"
kas run >/dev/null
title_rows 1 2 >"$T/shop.csv"
kas run >/dev/null
kas restore shop/3 >/dev/null
dec=$(sql "SELECT max(id) FROM kasparro.decisions WHERE action = 'restore'")

expect_exit "a bare undo with only a restore standing exits 1" 1 kas undo
expect_eq "... pointing at undo --restore and the restore's decision" "$(kas undo 2>&1)" \
	"kasparro: no approve, reject or split left to undo; a restore is undone by 'kasparro undo --restore' (the latest: decision $dec)"
kas undo --restore >/dev/null
expect_exit "undo --restore with nothing left exits 1" 1 kas undo --restore
expect_eq "... saying nothing else is left either, and where decisions are listed" \
	"$(kas undo --restore 2>&1)" \
	"kasparro: no restore left to undo, nor any approve, reject or split; 'kasparro decisions' lists what was decided"
expect_eq "a bare undo then says where decisions are listed" "$(kas undo 2>&1)" \
	"kasparro: no decision left to undo; 'kasparro decisions' lists what was decided"

# A bare number names kasparro's record id. Given a source's own id
# instead (copied from a ticket or the source), split said "record 77662
# is not a live member of entity ...", show-record "record 77662 does not
# exist": nothing told the operator it was the wrong kind of id. Every
# command that takes a RECORD says there is no such record and names the
# records that carry that source id, as SOURCE/ID.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
csv_source_config shop
title_rows 101 103 >"$T/shop.csv"
kas run >/dev/null
r1=$(sql "SELECT id FROM kasparro.records WHERE source_id = '101'")
r2=$(sql "SELECT id FROM kasparro.records WHERE source_id = '102'")
# an entity that is there (matching is off: one made by hand), so what
# split says is about the record (with both missing it names the entity)
ent=shop-101
e=$(sql "INSERT INTO kasparro.entities (key, title, size) VALUES ('$ent', 'Title 101', 1) RETURNING id")
sql "INSERT INTO kasparro.entity_members (record_id, entity_id, method, seq) SELECT id, $e, 'manual', \
	change_seq FROM kasparro.records WHERE id = $r1" >/dev/null
hint="no record 102; as the source names it, did you mean shop/102 \\(record $r2\\)\\?"

expect_exit "split ENTITY SOURCE-ID exits 1" 1 kas split "$ent" 102
expect_match "... saying no record 102 exists and naming shop/102" "$(kas split "$ent" 102 2>&1)" "^kasparro: $hint\$"
expect_match "show-record 102 says the same" "$(kas show-record 102 2>&1)" "^kasparro: $hint\$"
expect_match "restore 102 too" "$(kas restore 102 2>&1)" "^kasparro: $hint\$"
expect_eq "a number no source uses either: no record" "$(kas show-record 999 2>&1)" \
	"kasparro: no record 999; 'kasparro export records' lists them"
expect_match "the record's id still works" "$(kas show-record "$r2")" "^record $r2 · shop '102'"

# restore says where deleted records are listed, rather than live ones,
# only when the id names nothing at all (it decides on why the lookup
# missed, not on the message)
expect_eq "restore 999: no record, and where the deleted ones are listed" "$(kas restore 999 2>&1)" \
	"kasparro: no record 999; 'kasparro deleted' lists deleted records"
expect_eq "restore shop/999: the source's own id names nothing, the same hint" \
	"$(kas restore shop/999 2>&1)" "kasparro: no record 'shop/999'; 'kasparro deleted' lists deleted records"
expect_exit "restore shop/: not a record, a usage error" 2 kas restore 'shop/'

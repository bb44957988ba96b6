# Commands while a declared field has no column yet: the configuration
# declares it while a long report keeps kasparro.records busy, so its
# column waits (etl/schema.c). No record has a value for it: every reader
# reads it as null, as /data does (tests/api/pending_field.sh), and one
# warning says why and that it reads as null (there used to be two: the
# column not added, then the field read as null). export records, show-record, queue, show-match
# and the matching after an approval used to exit 1 ("column r.extra
# does not exist") until the report ended.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
new_db
sample_config
kas run >/dev/null 2>&1
cand=$(sql "SELECT min(id) FROM kasparro.match_candidates WHERE status = 'pending'")
rec=$(sql "SELECT rec_a FROM kasparro.match_candidates WHERE id = $cand")
hold_report "a long report holds kasparro.records"
# a compared text field (so it names records and is matched on) and a time
sed -i '/^\[schema\]/a extra = text\nseen = timestamp' "$CONF"
sed -i '/^\[matching\]/a compare.extra = exact' "$CONF"

pending() { # CMD...: runs it; $out stdout, $err stderr, $rc
	out=$(timeout "$(slow 60)" "$BIN" -c "$CONF" "$@" 2>"$T/err")
	rc=$?
	err=$(cat "$T/err")
}
said() { # DESC: the pending fields are said once each, in one warning
	expect_eq "$1: one warning names 'extra'" "$(grep -c "'extra'" "$T/err")" 1
	expect_match "... it says why, and that the field reads as null" "$(grep "'extra'" "$T/err")" \
		"the column of field 'extra', 'seen' is not added: kasparro.records was in use by another session.*it reads as null until it is added"
}

pending export records
expect_eq "export records exits 0" "$rc" 0
expect_eq "... every live record" "$(printf '%s\n' "$out" | sed 1d | wc -l)" \
	"$(sql "SELECT count(*) FROM kasparro.records WHERE NOT is_deleted")"
said "export records"
pending show-record --json "$rec"
expect_eq "show-record exits 0" "$rc" 0
expect_eq "... both fields null" "$(printf '%s' "$out" | python3 -c \
	'import json,sys; f=json.load(sys.stdin)["fields"]; print(f["extra"], f["seen"])')" "None None"
expect_match "... the stored fields as ever" "$out" '"title": *"[^"]'
said "show-record"
expect_eq "... 'seen' in the same warning" "$(grep -c "'seen'" "$T/err")" 1
pending queue
expect_eq "queue exits 0" "$rc" 0
expect_match "... and lists the pair" "$out" "(^| )$cand "
pending show-match "$cand"
expect_eq "show-match exits 0" "$rc" 0
expect_match "... the pair with its fields" "$out" "title"
pending approve "$cand"
expect_eq "approve exits 0" "$rc" 0
expect_no_match "... and its matching did not fail" "$err" "does not exist|not updated"
expect_eq "... the pair's records are one entity" \
	"$(sql "SELECT count(DISTINCT m.entity_id) FROM kasparro.entity_members m JOIN kasparro.match_candidates c ON m.record_id IN (c.rec_a, c.rec_b) WHERE c.id = $cand AND m.live")" 1

end_report
kas entities >/dev/null 2>&1 # a command adds the columns once the table is free
wait_for "once the report ends, the columns are added" 30 sql_is \
	"SELECT count(*) FROM pg_attribute WHERE attrelid = 'kasparro.records'::regclass AND attname IN ('extra', 'seen')" 2
pending show-record --json "$rec"
expect_eq "show-record then: exit 0, nothing said" "$rc $(printf '%s' "$err" | grep -c 'no column')" "0 0"

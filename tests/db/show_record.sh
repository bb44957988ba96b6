# `kasparro show-record RECORD` (an id, or SOURCE/ID): one record in full — every schema field, the
# payload as stored, its entity, the runs that saw and changed it, the pairs
# it is in and its history (decisions about its pairs, soft delete,
# restore), as text and --json; an unknown record is an error.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
sample_queued # the sample with thresholds that leave a queue to review

cand=$(sql "SELECT min(id) FROM kasparro.match_candidates WHERE status = 'pending'")
rec=$(sql "SELECT rec_a FROM kasparro.match_candidates WHERE id = $cand")
other=$(sql "SELECT rec_b FROM kasparro.match_candidates WHERE id = $cand")
src=$(sql "SELECT source || ' ''' || source_id || '''' FROM kasparro.records WHERE id = $rec")
kas approve "$cand" --reason 'same article' >/dev/null 2>&1
decision=$(sql "SELECT max(id) FROM kasparro.decisions")

out=$(kas show-record "$rec")
expect_match "the headline: id, source and id there, live" "$out" "^record $rec · $src · live\$"
title=$(sql "SELECT title FROM kasparro.records WHERE id = $rec")
expect_match "its title" "$out" "^title: $(printf '%s' "$title" | sed 's/[][\.*^$()+?{}|]/\\&/g')\$"
key=$(sql "SELECT e.key FROM kasparro.entity_members m JOIN kasparro.entities e ON e.id = m.entity_id WHERE m.record_id = $rec")
size=$(sql "SELECT count(*) FROM kasparro.entity_members m JOIN kasparro.entities e ON e.id = m.entity_id WHERE e.key = '$key' AND m.live")
expect_match "its entity with its live members and how it joined" "$out" \
	"^entity [0-9]+ $key · $size live records · joined manual, confidence 1\$"
expect_match "the runs that saw and changed it" "$out" \
	'^runs: first seen in run 1, last changed in run 1, payload read in run 1 at '
for f in $(sed -n '/^\[schema\]/,/^\[/s/^\([a-z_]*\) *=.*/\1/p' "$CONF"); do
	expect_match "field $f is listed" "$out" "^  $f +"
done
sid=$(sql "SELECT source_id FROM kasparro.records WHERE id = $rec")
expect_match "the payload, pretty-printed as stored" "$out" "^Payload \\(as read from the source\\)"
expect_match "... with the record's own id in it, indented" "$out" "^    \"[a-z_]+\": \"?$sid\"?,?\$"
expect_match "the pair it is in, decided" "$out" "^  candidate $cand · approved · p [0-9.]+ · with record $other "
expect_match "its history: the approval, with its decision and reason" "$out" \
	"^  [0-9-]+ [0-9:]+  [^ ]+  approve decision $decision: candidate $cand: .* · same article\$"
kas undo >/dev/null 2>&1
expect_match "an undo is in the history too, and says what it undid" "$(kas show-record "$rec")" \
	"approve decision $decision: .* · undone by decision $((decision + 1))"
expect_match "... as its own row" "$(kas show-record "$rec")" "  undo decision $((decision + 1)): undo of decision $decision"

# soft delete and restore
sed "s|^path = sample/partner.csv\$|path = $T/share/sample/partner-cut.csv|" "$CONF" >"$T/cut.conf"
"$BIN" -c "$T/cut.conf" run --allow-mass-delete partner-feed >/dev/null 2>&1
gone=$(sql "SELECT min(id) FROM kasparro.records WHERE is_deleted")
run=$(sql "SELECT deleted_by_run FROM kasparro.records WHERE id = $gone")
out=$(kas show-record "$gone")
expect_match "a deleted record says when and by which run" "$out" \
	"^record $gone · partner-feed '[^']+' · DELETED at [0-9T:-]+Z by run $run\$"
expect_match "... and its history has the soft delete" "$out" "  soft_delete \\(run $run\\)"
gone_sid=$(sql "SELECT source_id FROM kasparro.records WHERE id = $gone")
expect_eq "a record is named as SOURCE/ID too, as its source names it, deleted or not" \
	"$(kas show-record "partner-feed/$gone_sid")" "$out"
expect_exit "a SOURCE/ID that no record has: exit 1" 1 kas show-record partner-feed/no-such-id
expect_match "... naming the source and the id" "$(kas show-record partner-feed/no-such-id 2>&1)" \
	"no record 'partner-feed/no-such-id'; 'kasparro export records' lists them\$"
expect_match "... and an unknown source as such" "$(kas show-record nope/1 2>&1)" \
	"no record 'nope/1' \(no source 'nope' is configured\); 'kasparro export records' lists them\$"
expect_exit "SOURCE/ID without a source is a usage error" 2 kas show-record /1
kas restore "$gone" >/dev/null 2>&1
out=$(kas show-record "$gone")
expect_match "restored: live again" "$out" "^record $gone · partner-feed '[^']+' · live\$"
expect_match "... and the restore is in its history, after the delete" \
	"$(printf '%s\n' "$out" | sed -n '/^History/,$p' | grep -E 'soft_delete|restore' | tr '\n' ' ')" \
	"soft_delete .* restore"

json=$(kas show-record --json "$rec")
expect_eq "--json has every part" "$(printf '%s' "$json" | python3 -c '
import json, sys
r = json.load(sys.stdin)
print(r["id"], r["source"], sorted(r["entity"]), type(r["payload"]).__name__,
      [c["id"] for c in r["candidates"]][:1], [h["action"] for h in r["history"]])')" \
	"$rec ${src%% *} ['confidence', 'id', 'key', 'live', 'method', 'size'] dict [$cand] ['approve', 'undo']"

out=$(kas show-record 99999999 2>&1)
expect_eq "an unknown record exits 1" "$?" 1
expect_match "... saying so" "$out" "no record 99999999; 'kasparro export records' lists them\$"
kas show-record abc >/dev/null 2>&1
expect_eq "a word that is not an id is a usage error (2)" "$?" 2

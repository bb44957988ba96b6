# Undoing a rejection recorded before decisions listed the pairs they
# queued. Rejecting an automatic pair of an entity of three records keeps
# two of them apart, and the automatic pair through the third that would
# join them again goes back to the queue; the rejection's before lists it
# as "requeued", for the undo to make it automatic again. A rejection
# recorded before that list existed has none: its undo finds the pair as
# the rejection's transaction left it (pending, with the cannot-link note,
# updated at the decision's time, among the members of its entities), as
# the undo of such a split does (undo_old_split.sh); a pair another
# decision queued stays queued.
. "$KASPARRO_TOP/tests/lib/lib.sh"
auto_pairs_fixture
printf '[source c]\nkind = csv\npath = c.csv\nid = id\n' >>"$CONF"
for f in title author published_at url; do printf 'map.%s = %s\n' "$f" "$f" >>"$CONF"; done
printf 'id,title,author,published_at,url\nc1,Cooking with Cast-Iron Pans,Ann Lee,2026-01-01,https://x.org/iron\n' >"$T/c.csv"
kas run >/dev/null 2>&1
key_of() { sql "SELECT key FROM kasparro.entities WHERE id = $(entity_of "$1")"; }
pair_id() {
	sql "SELECT id FROM kasparro.match_candidates WHERE rec_a = least($(pair_rec "$1"), $(pair_rec "$2")) AND rec_b = greatest($(pair_rec "$1"), $(pair_rec "$2"))"
}
expect_eq "the fixture: a1, b1 and c1 merged automatically, pairwise" \
	"$(pair_status a1 b1) $(pair_status a1 c1) $(pair_status b1 c1)" "auto auto auto"
e1=$(entity_of a1)
k1=$(key_of a1)
expect_eq "... into one entity" "$(entity_of b1) $(entity_of c1)" "$e1 $e1"

# a rejection as an older kasparro recorded it: no "requeued" in its before
check "reject the automatic pair a1-b1" kas reject "$(pair_id a1 b1)"
d1=$(sql "SELECT max(id) FROM kasparro.decisions WHERE action = 'reject'")
queued=$(sql "SELECT id FROM kasparro.match_candidates WHERE status = 'pending' AND note ~ 'kept apart' AND $(pair_rec c1) IN (rec_a, rec_b)")
expect_match "the rejection queued one automatic pair through c1" "$queued" '^[0-9]+$'
expect_eq "... and listed it" "$(sql "SELECT before->'requeued' FROM kasparro.decisions WHERE id = $d1")" "[$queued]"
sql "UPDATE kasparro.decisions SET before = before - 'requeued' WHERE id = $d1" >/dev/null
expect_eq "the rejection's before lists no requeued pairs" \
	"$(sql "SELECT before ? 'requeued' FROM kasparro.decisions WHERE id = $d1")" f
expect_eq "... and a1 and b1 are in two entities" \
	"$([ "$(entity_of a1)" != "$(entity_of b1)" ] && echo apart)" apart
# a later split, of the other entity: its queued pair is not the rejection's
kas split "$(key_of a2)" "$(pair_rec b2)" >/dev/null
expect_eq "a later split queued a2-b2" "$(pair_status a2 b2)" pending

check "undo the old rejection by its id" kas undo "$d1"
expect_eq "the rejected pair is automatic again" "$(pair_status a1 b1)" auto
expect_eq "... and so is the pair the rejection queued" \
	"$(sql "SELECT status || ' ' || coalesce(note, '-') FROM kasparro.match_candidates WHERE id = $queued")" "auto -"
expect_eq "the three records are one entity again" "$(entity_of a1) $(entity_of b1) $(entity_of c1)" \
	"$e1 $e1 $e1"
expect_match "... under the same key" "$(kas show-entity "$k1")" " c1 "
expect_no_match "the queue no longer shows the pair" "$(kas queue)" "Cast.Iron"
expect_eq "the later split's pair stays queued" "$(pair_status a2 b2)" pending
expect_match "... and the queue shows it" "$(kas queue)" "History of Teas"

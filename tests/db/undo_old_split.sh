# Undoing a split recorded before decisions listed the pairs they queued.
# A split queues the automatic pairs that cross its cannot-link and its
# before's "requeued" lists them, for the undo to make them automatic
# again; a decision recorded before that list existed has none, and its
# undo left the pairs queued at 0.99 and the record in an entity of its
# own until a rescan. The undo now finds them as the decision's
# transaction left them: pending, with the cannot-link note, updated at
# the decision's time, among the members of its entities; a pair another
# decision queued stays queued.
. "$KASPARRO_TOP/tests/lib/lib.sh"
auto_pairs_fixture
key_of() { sql "SELECT key FROM kasparro.entities WHERE id = $(entity_of "$1")"; }
expect_eq "the fixture: a1-b1 and a2-b2 merged automatically" "$(pair_status a1 b1) $(pair_status a2 b2)" "auto auto"
e1=$(entity_of a1) e2=$(entity_of a2)
k1=$(key_of a1) k2=$(key_of a2)

# a split as an older kasparro recorded it: no "requeued" in its before
kas split "$k1" "$(pair_rec b1)" >/dev/null
d1=$(sql "SELECT max(id) FROM kasparro.decisions WHERE action = 'split'")
sql "UPDATE kasparro.decisions SET before = before - 'requeued' WHERE id = $d1" >/dev/null
expect_eq "the split's before lists no requeued pairs" \
	"$(sql "SELECT before ? 'requeued' FROM kasparro.decisions WHERE id = $d1")" f
expect_eq "... and it queued the automatic pair it undid" "$(pair_status a1 b1)" pending
# another split, later, of the other entity: its queued pair is not the first's
kas split "$k2" "$(pair_rec b2)" >/dev/null
expect_eq "a later split queued a2-b2" "$(pair_status a2 b2)" pending

check "undo the old split by its id" kas undo "$d1"
expect_eq "its pair is automatic again" "$(pair_status a1 b1)" auto
expect_eq "... with its note gone" \
	"$(sql "SELECT coalesce(note, '-') FROM kasparro.match_candidates WHERE rec_a = least($(pair_rec a1), $(pair_rec b1)) AND rec_b = greatest($(pair_rec a1), $(pair_rec b1))")" -
expect_eq "the record is back in its entity" "$(entity_of b1)" "$e1"
expect_match "... under the same key" "$(kas show-entity "$k1")" " b1 "
expect_no_match "the queue no longer shows the pair" "$(kas queue)" "Cast Iron Pan"
expect_eq "the later split's pair stays queued" "$(pair_status a2 b2)" pending
expect_match "... and the queue shows it" "$(kas queue)" "History of Teas"
expect_eq "... its record stays out of the entity" \
	"$([ "$(entity_of b2)" != "$e2" ] && echo out)" out

# Undoing a split or a rejection puts back the automatic merges it undid.
# A split (or a rejection) queues the automatic pairs that cross its
# cannot-link ("would join records kept apart by a rejection or split");
# its undo used to remove the cannot-link but leave those pairs in the
# queue, so the record split out stayed in an entity of its own and its
# pairs waited for review at 0.99 — not where it was before the split, as
# `undo` promises.
. "$KASPARRO_TOP/tests/lib/lib.sh"
auto_pairs_fixture
expect_eq "the fixture: a1 and b1 merged automatically" "$(pair_status a1 b1)" auto
expect_eq "... and one entity" "$(entity_of a1)" "$(entity_of b1)"
e1=$(entity_of a1)
key=$(sql "SELECT key FROM kasparro.entities WHERE id = $e1")

# split, then undo
kas split "$key" "$(pair_rec b1)" >/dev/null
expect_eq "the split queues the automatic pair it undid" "$(pair_status a1 b1)" pending
expect_match "... and the queue shows it" "$(kas queue)" "Cast Iron Pan"
check "undo the split" kas undo
expect_eq "after the undo the pair is automatic again" "$(pair_status a1 b1)" auto
expect_eq "... the record is back in its entity" "$(entity_of b1)" "$e1"
expect_match "... under the same key" "$(kas show-entity "$key")" " b1 "
expect_no_match "... and the queue no longer shows the pair" "$(kas queue)" "Cast Iron Pan"
expect_eq "... with its note gone" \
	"$(sql "SELECT coalesce(note, '-') FROM kasparro.match_candidates WHERE rec_a = least($(pair_rec a1), $(pair_rec b1)) AND rec_b = greatest($(pair_rec a1), $(pair_rec b1))")" -

# an incremental pass after the split re-scores nothing of it (its records
# did not change): the undo still finds the pair as the split left it
kas split "$key" "$(pair_rec b1)" >/dev/null
kas dedup >/dev/null 2>&1
check "undo the split after an incremental pass" kas undo
expect_eq "the pair is automatic again" "$(pair_status a1 b1)" auto
expect_eq "... and the record back" "$(entity_of b1)" "$e1"

# a rescan after the split re-scores the pair (queued, the cannot-link
# standing): its score stands, marked stale, until the next pass, which
# the next run's incremental pass is (the stale note says so; it used to
# take a rescan, the pair's records being unchanged)
kas split "$key" "$(pair_rec b1)" >/dev/null
kas dedup --rescan >/dev/null 2>&1
check "undo the split after a rescan" kas undo
expect_eq "the pair the rescan re-scored waits for the next pass" "$(pair_status a1 b1)" pending
expect_match "... marked stale in the queue" "$(kas queue)" "~ .*Cast Iron Pan"
kas dedup >/dev/null 2>&1
expect_eq "... which the next incremental pass merges again" "$(pair_status a1 b1)" auto
expect_eq "... into its entity" "$(entity_of b1)" "$e1"


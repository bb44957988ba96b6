# Two records an operator's rejection or split keeps apart (a cannot-link)
# scored as the same in show-match with nothing to say why no entity joins
# them: a split pair read "pending, probability >0.999999" and a note, no
# decision; show-entity said nothing of the records its members are kept
# from. show-match now says which decision keeps them apart (who, when,
# why, and the undo that lets them match), with a "(kept apart)" row in
# its table, and --json "kept_apart"; show-entity lists its members' cannot-links
# with the other record's entity and the decision.
. "$KASPARRO_TOP/tests/lib/lib.sh"
auto_pairs_fixture
cand() { sql "SELECT id FROM kasparro.match_candidates WHERE rec_a = least($(pair_rec "$1"), $(pair_rec "$2")) AND rec_b = greatest($(pair_rec "$1"), $(pair_rec "$2"))"; }
key_of() { sql "SELECT key FROM kasparro.entities WHERE id = $(entity_of "$1")"; }
c1=$(cand a1 b1)
c2=$(cand a2 b2)
a1=$(pair_rec a1)
b1=$(pair_rec b1)
me=$(id -un)

out=$(kas show-match "$c1")
expect_no_match "an automatic pair: nothing kept apart" "$out" 'kept apart'
expect_eq "... --json kept_apart null" \
	"$(kas show-match --json "$c1" | python3 -c 'import json, sys; print(json.load(sys.stdin)["kept_apart"])')" None

check "reject a1-b1" kas reject "$c1" --reason 'different editions'
out=$(kas show-match "$c1")
expect_match "show-match names the rejection that keeps them apart" "$out" \
	"^kept apart by decision 1: rejected by $me at [0-9T:-]+Z: different editions; 'kasparro undo 1' lets them be matched again\$"
expect_match "... and a row of its table says so under the total" "$out" \
	'^\(kept apart\) +decision 1 \(reject\)$'
expect_eq "... --json kept_apart: the decision" \
	"$(kas show-match --json "$c1" | python3 -c 'import json, sys; k = json.load(sys.stdin)["kept_apart"]; print(k["decision"], k["action"], k["reason"])')" \
	"1 reject different editions"
out=$(kas show-entity "$(key_of a1)")
expect_match "show-entity lists the record its member is kept from, with the decision" "$out" \
	"^  record $a1 from record $b1 \(b 'b1', entity $(key_of b1)\): decision 1, rejected by $me at [0-9T:-]+Z: different editions\$"
expect_eq "... --json kept_apart" \
	"$(kas show-entity --json "$(key_of b1)" | python3 -c 'import json, sys; k = json.load(sys.stdin)["kept_apart"]; print([(x["record"], x["other"]["id"], x["decision"]) for x in k])')" \
	"[($b1, $a1, 1)]"

ent=$(key_of a2)
check "split b2 from a2's entity" kas split "$ent" "$(pair_rec b2)" --reason 'not the same'
out=$(kas show-match "$c2")
expect_match "a split pair, pending again: show-match names the split" "$out" \
	"^kept apart by decision 2: split by $me at [0-9T:-]+Z: not the same; 'kasparro undo 2'"
expect_match "... its row too" "$out" '^\(kept apart\) +decision 2 \(split\)$'
expect_match "show-entity of what is left names the split" "$(kas show-entity "$ent")" \
	"^  record $(pair_rec a2) from record $(pair_rec b2) \(b 'b2', entity [a-z0-9-]+\): decision 2, split by $me"

check "undo 1" kas undo 1
expect_no_match "undone: show-match says nothing kept apart" "$(kas show-match "$c1")" 'kept apart'
expect_no_match "... nor show-entity" "$(kas show-entity "$(key_of a1)")" 'kept apart'

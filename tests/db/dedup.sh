# Entity unification end to end on two CSV sources: exact and fuzzy
# matches become entities, uncertain pairs wait in the queue, ids are stable
# across runs, approve / reject / undo / split round-trip with audit rows, a
# rejected pair never returns (re-ingestion, rescan), soft deletes leave and
# restores return, and two operators racing on one candidate.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

two_sources_config
cat >"$T/a.csv" <<'CSV'
id,title,author,published_at,url
a1,The Python Guide,Ann Lee,2026-01-01,https://x.org/python
a2,Café Culture in Paris,Bob Roy,2026-01-02,https://x.org/cafe
a3,Rust for Beginners,Cy Dee,2026-01-03,https://x.org/rust
a4,Gardening Tips,Di Fox,2026-01-04,https://x.org/garden
a5,Winter Recipes,Ed Gum,2026-01-05,https://x.org/winter
CSV
cat >"$T/b.csv" <<'CSV'
id,title,author,published_at,url
b1,the python guide!,ANN LEE,2026-01-01,https://y.org/p
b2,CAFE CULTURE IN PARIS,bob roy,2026-01-02,https://y.org/c
b3,Rust for Beginers,Cy Dee,2026-01-03,https://x.org/rust
b4,Gardening Tricks,Di Fox,2026-01-04,https://y.org/g
b5,Quantum Computing,Zed Ox,2026-03-01,https://y.org/q
CSV
out=$(kas run 2>&1)
expect_match "the run matches after loading" "$out" "succeeded"
expect_eq "every live record has one entity" "$(sql 'SELECT count(*) FROM kasparro.entity_members WHERE live')" 10
expect_eq "accents, case and punctuation match exactly" "$(entity_of a2)" "$(entity_of b2)"
expect_eq "the exact stage links the python guide" "$(entity_of a1)" "$(entity_of b1)"
expect_eq "a typo merges automatically" "$(entity_of a3)" "$(entity_of b3)"
expect_eq "method of an exact link" "$(sql "SELECT method FROM kasparro.entity_members m JOIN kasparro.records r ON r.id = m.record_id WHERE r.source_id = 'a1'")" exact
expect_match "entity keys are slugs with a sequence" "$(kas entities)" "the-python-guide-001"
expect_eq "unrelated records stay apart" "$(test "$(entity_of a5)" != "$(entity_of b5)" && echo apart)" apart
before=$(sql "SELECT string_agg(record_id || ':' || entity_id, ',' ORDER BY record_id) FROM kasparro.entity_members")
keys=$(sql "SELECT string_agg(key, ',' ORDER BY id) FROM kasparro.entities")

# the gardening pair is uncertain: it waits in the queue
q=$(kas queue --json)
expect_match "an uncertain pair waits in the queue" "$q" "Gardening"
cid=$(sql "SELECT c.id FROM kasparro.match_candidates c JOIN kasparro.records r ON r.id = c.rec_a WHERE r.source_id = 'a4' AND c.status = 'pending'")
expect_match "show-match explains field by field" "$(kas show-match "$cid")" "title .*Gardening Tips.*Gardening Tricks"
expect_match "show-match --json has per-field weights" "$(kas show-match --json "$cid")" '"weight":'
expect_exit "bulk approve without --yes is a dry run" 0 kas approve --above 0.0
expect_match "the count is stated" "$(kas approve --above 0.0 2>&1)" "1 pending candidate at or above"

# a second run changes nothing: ids stable
kas run >/dev/null 2>&1
expect_eq "entity ids are stable across a second run" \
	"$(sql "SELECT string_agg(record_id || ':' || entity_id, ',' ORDER BY record_id) FROM kasparro.entity_members")" "$before"
kas dedup --rescan >/dev/null 2>&1
expect_eq "a rescan keeps ids and keys" "$(sql "SELECT string_agg(key, ',' ORDER BY id) FROM kasparro.entities WHERE deleted_at IS NULL")" "$keys"

# approve and undo
out=$(kas approve "$cid" 2>&1)
expect_match "approve merges" "$out" "candidate $cid approved"
expect_eq "the two records share an entity" "$(entity_of a4)" "$(entity_of b4)"
expect_eq "the audit log has the approval with before and after" \
	"$(sql "SELECT count(*) FROM kasparro.audit_log WHERE action = 'approve' AND object_id = '$cid' AND before ? 'members' AND after ? 'members'")" 1
expect_match "approving again says who decided and when" "$(kas approve "$cid" 2>&1)" \
	"already decided by [a-z]+ at [0-9-]+T[0-9:]+Z \(approved\)"
check "undo reverts the approval" kas undo
expect_eq "undo restores memberships, ids and keys exactly" \
	"$(sql "SELECT string_agg(record_id || ':' || entity_id, ',' ORDER BY record_id) FROM kasparro.entity_members")" "$before"
expect_eq "the candidate is pending again" "$(sql "SELECT status FROM kasparro.match_candidates WHERE id = $cid")" pending

# two operators at once: exactly one decision wins
KASPARRO_ACTOR=x kas approve "$cid" >"$T/op1.out" 2>&1 &
p1=$!
kas reject "$cid" >"$T/op2.out" 2>&1 &
p2=$!
wait $p1; s1=$?
wait $p2; s2=$?
expect_eq "exactly one of two racing operators succeeds" "$((s1 + s2 > 0 && s1 * s2 == 0))" 1
expect_match "the other is told who decided and when" "$(cat "$T/op1.out" "$T/op2.out")" \
	"already decided by [a-z]+ at [0-9-]+T[0-9:]+Z"
expect_eq "one decision is recorded" \
	"$(sql "SELECT count(*) FROM kasparro.decisions WHERE candidate_id = $cid AND undone_by IS NULL")" 1
check "undo the winner" kas undo

# reject: never proposed again, even after re-ingestion and rescan
check "reject" kas reject --reason "different articles" "$cid"
expect_eq "the rejection is audited with its reason" \
	"$(sql "SELECT reason FROM kasparro.audit_log WHERE action = 'reject' AND object_id = '$cid' ORDER BY id DESC LIMIT 1")" "different articles"
sed -i 's/Gardening Tricks,Di Fox/Gardening Tips,Di Fox/' "$T/b.csv"
kas run >/dev/null 2>&1
kas dedup --rescan >/dev/null 2>&1
expect_eq "a rejected pair is not merged after re-ingestion (now identical) and rescan" \
	"$(test "$(entity_of a4)" != "$(entity_of b4)" && echo apart)" apart
expect_eq "and not proposed again" "$(sql "SELECT status FROM kasparro.match_candidates WHERE id = $cid")" rejected
expect_no_match "the queue does not show it" "$(kas queue)" "Gardening"

# split and undo
key=$(sql "SELECT e.key FROM kasparro.entities e JOIN kasparro.entity_members m ON m.entity_id = e.id JOIN kasparro.records r ON r.id = m.record_id WHERE r.source_id = 'a1'")
rb1=$(sql "SELECT id FROM kasparro.records WHERE source_id = 'b1'")
check "split a record out" kas split "$key" "$rb1"
expect_eq "the record left the entity" "$(test "$(entity_of a1)" != "$(entity_of b1)" && echo apart)" apart
expect_eq "the entity keeps its key" "$(sql "SELECT count(*) FROM kasparro.entities WHERE key = '$key' AND size = 1")" 1
kas dedup --rescan >/dev/null 2>&1
expect_eq "a split is remembered by the next rescan" "$(test "$(entity_of a1)" != "$(entity_of b1)" && echo apart)" apart
check "undo the split" kas undo
expect_eq "after undo the record is back" "$(entity_of a1)" "$(entity_of b1)"
expect_match "show-entity lists members" "$(kas show-entity "$key")" "b1"

# soft delete leaves, restore returns
ra3=$(sql "SELECT id FROM kasparro.records WHERE source_id = 'a3'")
e3=$(entity_of a3)
sql "UPDATE kasparro.records SET is_deleted = true, deleted_at = now(), change_seq = nextval('kasparro.record_change_seq') WHERE source_id IN ('a3', 'b3')"
kas dedup >/dev/null 2>&1
expect_eq "deleted records leave their entity" "$(sql "SELECT count(*) FROM kasparro.entity_members WHERE entity_id = $e3 AND live")" 0
expect_eq "an entity without live members is deleted" "$(sql "SELECT deleted_at IS NOT NULL FROM kasparro.entities WHERE id = $e3")" t
sql "UPDATE kasparro.records SET is_deleted = false, deleted_at = NULL, change_seq = nextval('kasparro.record_change_seq') WHERE source_id IN ('a3', 'b3')"
kas dedup >/dev/null 2>&1
expect_eq "restored records return to their entity" "$(entity_of a3),$(entity_of b3)" "$e3,$e3"
expect_eq "the entity is back with its key" "$(sql "SELECT deleted_at IS NULL AND size = 2 FROM kasparro.entities WHERE id = $e3")" t


# Soft deletes and entities together, through the real paths: a run that
# deletes records takes them out of their entities in the same run (orphans
# run before matching); `restore` and `apply-deletes` update entities at
# once, without waiting for a run; a purge removes the purged records'
# memberships, candidates and operator links, and entities left with no
# member at all, and the next run still matches.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

two_sources_config
cat >>"$CONF" <<'CONF'
[deletes]
max_ratio = 0.45
[retention]
keep_deleted = 90d
CONF
csv_a() {
	echo "id,title,author,url,published_at"
	for id in "$@"; do
		case $id in
		a1) echo "a1,The Python Guide,Ann Lee,https://x.org/python,2026-01-01" ;;
		a2) echo "a2,Cafe Culture in Paris,Bob Roy,https://x.org/cafe,2026-01-02" ;;
		a3) echo "a3,Rust for Beginners,Cy Dee,https://x.org/rust,2026-01-03" ;;
		a4) echo "a4,Gardening Tips,Di Fox,https://x.org/garden,2026-01-04" ;;
		a5) echo "a5,Winter Recipes,Ed Gum,https://x.org/winter,2026-01-05" ;;
		esac
	done
}
csv_b() {
	echo "id,title,author,url,published_at"
	for id in "$@"; do
		case $id in
		b1) echo "b1,the python guide!,ANN LEE,https://y.org/p,2026-01-01" ;;
		b2) echo "b2,CAFE CULTURE IN PARIS,bob roy,https://y.org/c,2026-01-02" ;;
		b3) echo "b3,Rust for Beginers,Cy Dee,https://x.org/rust,2026-01-03" ;;
		b4) echo "b4,Gardening Tricks,Di Fox,https://y.org/g,2026-01-04" ;;
		b5) echo "b5,Quantum Computing,Zed Ox,https://y.org/q,2026-03-01" ;;
		esac
	done
}
at() { when=$1; shift; KASPARRO_NOW=$when kas "$@"; }
entity_gone() { sql "SELECT deleted_at IS NOT NULL FROM kasparro.entities WHERE id = $1"; }
last_run() { sql "SELECT max(id) FROM kasparro.runs"; }
day=86400
t0=1767225600 # 2026-01-01T00:00:00Z

csv_a a1 a2 a3 a4 a5 >"$T/a.csv"
csv_b b1 b2 b3 b4 b5 >"$T/b.csv"
check "the first run loads and matches both sources" at $t0 run
e3=$(entity_of a3)
expect_eq "the rust pair is one entity" "$(entity_of b3)" "$e3"
cid=$(kas queue --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
check "the operator approves the gardening pair" at $t0 approve "$cid"
expect_eq "the approval leaves a must-link" "$(sql 'SELECT count(*) FROM kasparro.links')" 1

# a run that deletes: the deleted records leave their entity in that run
csv_a a1 a2 a4 a5 >"$T/a.csv"
csv_b b1 b2 b4 b5 >"$T/b.csv"
check "a full sync without a3 and b3" at $t0 run
r1=$(last_run)
expect_eq "both are soft-deleted" \
	"$(sql "SELECT string_agg(source_id, ' ' ORDER BY source_id) FROM kasparro.records WHERE is_deleted")" "a3 b3"
expect_eq "they are no longer live members" "$(entity_of a3)$(entity_of b3)" ""
expect_eq "their entity, left without live members, is marked deleted" "$(entity_gone "$e3")" t
expect_match "show-entity marks the deleted members" "$(kas show-entity "$e3")" "deleted"

# restore brings them back into their entity at once, with no run
check "restore --run" kas restore --run "$r1"
expect_eq "restored records are back in their entity" "$(entity_of a3),$(entity_of b3)" "$e3,$e3"
expect_eq "the entity is live again with both members" \
	"$(sql "SELECT deleted_at IS NULL AND size = 2 FROM kasparro.entities WHERE id = $e3")" t

# held deletions applied by the operator update entities at once
csv_a a1 a2 >"$T/a.csv"
expect_exit "a full sync that would delete 3 of 5 (a3, a4, a5) is held: the run is partial" 1 \
	at $((t0 + day)) run
r2=$(last_run)
expect_eq "b3, 1 of 5, is deleted again" "$(entity_of b3)" ""
expect_eq "a3 is still a live member while its deletion is held" "$(entity_of a3)" "$e3"
check "apply-deletes" at $((t0 + day)) apply-deletes "$r2"
expect_eq "applied deletions leave their entities at once" "$(entity_of a3)$(entity_of a4)$(entity_of a5)" ""
expect_eq "the rust entity is deleted again" "$(entity_gone "$e3")" t

# purge: memberships, candidates, links and emptied entities go too
out=$(at $((t0 + 100 * day)) purge --json)
expect_match "the purge takes all four deleted records" "$out" '"purged":4'
expect_eq "no membership of a purged record remains" \
	"$(sql 'SELECT count(*) FROM kasparro.entity_members m WHERE NOT EXISTS (SELECT 1 FROM kasparro.records r WHERE r.id = m.record_id)')" 0
expect_eq "no candidate of a purged record remains" \
	"$(sql 'SELECT count(*) FROM kasparro.match_candidates c WHERE NOT EXISTS (SELECT 1 FROM kasparro.records r WHERE r.id = c.rec_a) OR NOT EXISTS (SELECT 1 FROM kasparro.records r WHERE r.id = c.rec_b)')" 0
expect_eq "the must-link of a purged record is gone" "$(sql 'SELECT count(*) FROM kasparro.links')" 0
expect_eq "an entity left with no member at all is gone" \
	"$(sql "SELECT count(*) FROM kasparro.entities WHERE id = $e3")" 0
expect_eq "the gardening entity keeps its live member b4" \
	"$(sql "SELECT size FROM kasparro.entities WHERE id = $(entity_of b4)")" 1
expect_eq "the decisions stay in the audit history" \
	"$(sql "SELECT count(*) FROM kasparro.decisions WHERE action = 'approve'")" 1

csv_a a1 a2 a3 >"$T/a.csv"
check "the next run after a purge matches again" at $((t0 + 100 * day)) run
expect_eq "a3 returns as a new record and stands alone (b3 was purged)" \
	"$(sql "SELECT size FROM kasparro.entities WHERE id = $(entity_of a3)")" 1
expect_eq "every live record has exactly one live membership" \
	"$(sql 'SELECT count(*) FROM kasparro.records r WHERE NOT is_deleted AND (SELECT count(*) FROM kasparro.entity_members m WHERE m.record_id = r.id AND m.live) <> 1')" 0

# decisions.id was a bigserial whose sequence nothing used: every decision
# takes the next id after the largest, under a lock, so ids run without
# gaps (db.h: SQL_DECISION_ID). A migration drops the sequence and the
# default that drew from it: an insert that forgot the id fails, rather
# than take 1 again beside decisions 1, 2, 3. A database with decisions
# takes it in place, and decisions go on from the largest id.
. "$KASPARRO_TOP/tests/lib/lib.sh"
auto_pairs_fixture
cand() { sql "SELECT id FROM kasparro.match_candidates WHERE rec_a = least($(pair_rec "$1"), $(pair_rec "$2")) AND rec_b = greatest($(pair_rec "$1"), $(pair_rec "$2"))"; }

expect_eq "a new database has no decisions_id_seq" "$(sql "SELECT to_regclass('kasparro.decisions_id_seq') IS NULL")" t
expect_eq "... and decisions.id no default" \
	"$(sql "SELECT column_default IS NULL FROM information_schema.columns WHERE table_schema = 'kasparro' AND table_name = 'decisions' AND column_name = 'id'")" t
expect_match "reject a1-b1: decision 1" "$(kas reject "$(cand a1 b1)" 2>&1)" "decision 1\)"

# The database as the kasparro before left it: the bigserial's sequence and
# default there, that migration not applied (nor any after it).
sql "CREATE SEQUENCE kasparro.decisions_id_seq OWNED BY kasparro.decisions.id;
     ALTER TABLE kasparro.decisions ALTER COLUMN id SET DEFAULT nextval('kasparro.decisions_id_seq');
     DELETE FROM kasparro.schema_migrations WHERE version >= (SELECT version
       FROM kasparro.schema_migrations WHERE name LIKE '%_decisions_without_sequence')" >/dev/null
expect_match "a database with the sequence is upgraded in place" "$(LOG_LEVEL=info kas db migrate 2>&1)" \
	"applied schema migration [0-9]+_decisions_without_sequence"
expect_eq "... the sequence gone" "$(sql "SELECT to_regclass('kasparro.decisions_id_seq') IS NULL")" t
expect_eq "... its decision kept" "$(sql "SELECT string_agg(id || ' ' || action, ',') FROM kasparro.decisions")" "1 reject"
if sql "INSERT INTO kasparro.decisions (action, actor) VALUES ('approve', 'x')" >"$T/insert.out" 2>&1; then
	not_ok "an insert without an id fails" "$(cat "$T/insert.out")"
else
	ok "an insert without an id fails"
fi
expect_match "the next decision is 2" "$(kas undo 1 2>&1)" "\(decision 2\)"

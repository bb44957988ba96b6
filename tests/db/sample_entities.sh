# Entity unification on the shipped sample: the three sample sources loaded
# with the shipped configuration become the articles that
# share/kasparro/sample/truth.csv says they are. Quality is counted over
# pairs of loaded records: precision is the share of pairs kasparro put in
# one entity that are one article, recall the share of pairs of one article
# that kasparro put in one entity; few pairs are left to the review queue.
. "$KASPARRO_TOP/tests/lib/lib.sh"
SAMPLE="$TOP/share/kasparro/sample"

new_db
sample_config
sql "CREATE TABLE truth (source text, source_id text, location text, article text,
	variation text, malformed text, expect text)"
psql -X -q -v ON_ERROR_STOP=1 "$KASPARRO_DATABASE_URL" \
	-c "\\copy truth FROM '$SAMPLE/truth.csv' WITH (FORMAT csv, HEADER true)"

out=$(kas run 2>&1)
expect_eq "kasparro run of the sample exits 0" "$?" 0
expect_eq "every loaded record belongs to one entity" \
	"$(sql "SELECT count(*) FROM kasparro.records r WHERE r.deleted_at IS NULL AND
		(SELECT count(*) FROM kasparro.entity_members m WHERE m.record_id = r.id AND m.live) <> 1")" 0

# "entities articles precision recall queue", precision and recall over pairs
quality() {
	sql "
	WITH rec AS (SELECT r.id, t.article, m.entity_id
	             FROM kasparro.records r
	             JOIN truth t USING (source, source_id)
	             JOIN kasparro.entity_members m ON m.record_id = r.id AND m.live),
	same AS (SELECT a.id AS x, b.id AS y FROM rec a JOIN rec b ON a.article = b.article AND a.id < b.id),
	merged AS (SELECT a.id AS x, b.id AS y FROM rec a JOIN rec b ON a.entity_id = b.entity_id AND a.id < b.id)
	SELECT (SELECT count(DISTINCT entity_id) FROM rec) || ' ' ||
	       (SELECT count(DISTINCT article) FROM rec) || ' ' ||
	       round((SELECT count(*) FROM merged JOIN same USING (x, y))::numeric /
	             greatest((SELECT count(*) FROM merged), 1), 4) || ' ' ||
	       round((SELECT count(*) FROM merged JOIN same USING (x, y))::numeric /
	             greatest((SELECT count(*) FROM same), 1), 4) || ' ' ||
	       (SELECT count(*) FROM kasparro.match_candidates WHERE status = 'pending')"
}
set -- $(quality)
echo "# entities $1 (articles $2), precision $3, recall $4, queue $5"
expect_eq "the sample's records are linked precisely (precision $3 >= 0.95)" \
	"$(awk "BEGIN{print ($3 >= 0.95)}")" 1
expect_eq "the sample's duplicates are found (recall $4 >= 0.95)" \
	"$(awk "BEGIN{print ($4 >= 0.95)}")" 1
expect_eq "about one entity per article ($1 entities, $2 articles)" \
	"$(awk "BEGIN{print ($1 >= $2 * 0.95 && $1 <= $2 * 1.05)}")" 1
expect_eq "few pairs are left for review (queue $5 <= 10)" "$(awk "BEGIN{print ($5 <= 10)}")" 1

# a full rescan, which estimates the model afresh, keeps the quality
kas dedup --rescan >/dev/null 2>&1
set -- $(quality)
echo "# after a rescan: entities $1, precision $3, recall $4, queue $5"
expect_eq "a rescan keeps the quality (precision $3, recall $4)" \
	"$(awk "BEGIN{print ($3 >= 0.95 && $4 >= 0.95)}")" 1

# Entity unification on the shipped sample: the three sample sources loaded
# with the shipped configuration become the articles that
# share/kasparro/sample/truth.csv says they are. Quality is counted over
# pairs of loaded records: precision is the share of pairs kasparro put in
# one entity that are one article, recall the share of pairs of one article
# that kasparro put in one entity or left in the review queue for a person.
# The queue is what a newcomer's first console offers to review: about a
# dozen pairs, with a copy of every kind the sample plants (several typos,
# abbreviations, reordered words) and a near miss to reject (a sister piece:
# another article that only looks like one).
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/fixtures.sh"
SAMPLE="$TOP/share/kasparro/sample"

new_db
sample_config
sample_truth_table # the sample's truth.csv as table truth

out=$(kas run 2>&1)
expect_eq "kasparro run of the sample exits 0" "$?" 0
expect_eq "every loaded record belongs to one entity" \
	"$(sql "SELECT count(*) FROM kasparro.records r WHERE r.deleted_at IS NULL AND
		(SELECT count(*) FROM kasparro.entity_members m WHERE m.record_id = r.id AND m.live) <> 1")" 0

# "entities articles precision recall queue queued-duplicates": precision
# and recall over pairs; queued-duplicates: pending pairs of one article
quality() {
	sql "
	WITH rec AS (SELECT r.id, t.article, m.entity_id
	             FROM kasparro.records r
	             JOIN truth t USING (source, source_id)
	             JOIN kasparro.entity_members m ON m.record_id = r.id AND m.live),
	same AS (SELECT a.id AS x, b.id AS y FROM rec a JOIN rec b ON a.article = b.article AND a.id < b.id),
	merged AS (SELECT a.id AS x, b.id AS y FROM rec a JOIN rec b ON a.entity_id = b.entity_id AND a.id < b.id),
	queued AS (SELECT rec_a AS x, rec_b AS y FROM kasparro.match_candidates WHERE status = 'pending'),
	found AS (SELECT * FROM merged UNION SELECT * FROM queued)
	SELECT (SELECT count(DISTINCT entity_id) FROM rec) || ' ' ||
	       (SELECT count(DISTINCT article) FROM rec) || ' ' ||
	       round((SELECT count(*) FROM merged JOIN same USING (x, y))::numeric /
	             greatest((SELECT count(*) FROM merged), 1), 4) || ' ' ||
	       round((SELECT count(*) FROM found JOIN same USING (x, y))::numeric /
	             greatest((SELECT count(*) FROM same), 1), 4) || ' ' ||
	       (SELECT count(*) FROM queued) || ' ' ||
	       (SELECT count(*) FROM queued JOIN same USING (x, y))"
}
# every check of the quality; $1: when ("" or "after a rescan: ")
expect_quality() {
	set -- "$1" $(quality)
	echo "# ${1}entities $2 (articles $3), precision $4, recall $5, queue $6 ($7 duplicates)"
	expect_eq "${1}the sample's records are linked precisely (precision $4 >= 0.95)" \
		"$(awk "BEGIN{print ($4 >= 0.95)}")" 1
	expect_eq "${1}the sample's duplicates are merged or queued for review (recall $5 >= 0.95)" \
		"$(awk "BEGIN{print ($5 >= 0.95)}")" 1
	expect_eq "${1}about one entity per article once the queue is decided ($2 entities - $7, $3 articles)" \
		"$(awk "BEGIN{e = $2 - $7; print (e >= $3 * 0.95 && e <= $3 * 1.05)}")" 1
	expect_eq "${1}about a dozen pairs wait for review (queue $6, 8 to 20)" \
		"$(awk "BEGIN{print ($6 >= 8 && $6 <= 20)}")" 1
}
expect_quality ""

# The queue a newcomer reviews: "KIND PAIRS" per planted kind, the pending
# pairs of one article whose one record has that variation, and "near-miss
# PAIRS", pending pairs of two articles one of which is a sister piece.
queue_kinds() {
	sql "
	WITH rec AS (SELECT r.id, t.article, t.variation FROM kasparro.records r
	             JOIN truth t USING (source, source_id)),
	pair AS (SELECT a.article = b.article AS same, coalesce(a.variation, '') || ';' || coalesce(b.variation, '') AS v
	         FROM kasparro.match_candidates c JOIN rec a ON a.id = c.rec_a
	         JOIN rec b ON b.id = c.rec_b WHERE c.status = 'pending')
	SELECT k || ' ' || (SELECT count(*) FROM pair WHERE same AND v ~ k) FROM
	  unnest(ARRAY['title-typos', 'title-abbreviated', 'title-reordered']) k
	UNION ALL SELECT 'near-miss ' || count(*) FROM pair WHERE NOT same AND v ~ 'sister-piece'"
}
kinds=$(queue_kinds)
echo "$kinds" | sed 's/^/# queued: /'
for kind in title-typos title-abbreviated title-reordered near-miss; do
	expect_match "the queue holds a pair of kind $kind" "$kinds" "^$kind [1-9][0-9]*\$"
done
expect_eq "no near miss is merged into the article it resembles" "$(sql "
	SELECT count(*) FROM kasparro.records r JOIN truth t USING (source, source_id)
	JOIN kasparro.entity_members m ON m.record_id = r.id AND m.live
	JOIN kasparro.entity_members o ON o.entity_id = m.entity_id AND o.live AND o.record_id <> r.id
	JOIN kasparro.records ro ON ro.id = o.record_id
	JOIN truth ot ON ot.source = ro.source AND ot.source_id = ro.source_id
	WHERE t.variation ~ 'sister-piece' AND ot.article <> t.article")" 0

# a full rescan, which estimates the model afresh, keeps the quality
kas dedup --rescan >/dev/null 2>&1
expect_quality "after a rescan: "

# show-match on a pair of articles: the bodies are cut in the side-by-side
# table and printed in full below it, so no line is a whole article wide
cid=$(sql "SELECT min(c.id) FROM kasparro.match_candidates c
	JOIN kasparro.records a ON a.id = c.rec_a JOIN kasparro.records b ON b.id = c.rec_b
	WHERE c.status = 'pending' AND length(a.content) > 200 AND length(b.content) > 200")
show=$(kas show-match "$cid")
expect_eq "show-match $cid: no line of its table is wider than 200 characters" \
	"$(printf '%s\n' "$show" | awk '/ in full$/ { exit } length($0) > 200 { n++ } END { print n + 0 }')" 0
expect_eq "... and the content of A is there in full, below the table" \
	"$(printf '%s\n' "$show" | sed -n '/^content in full$/,/^  B: /p' | sed -n '/^  A: /,/^  B: /p' |
		sed '$d; s/^  A: //; s/^     //')" \
	"$(sql "SELECT a.content FROM kasparro.match_candidates c JOIN kasparro.records a ON a.id = c.rec_a WHERE c.id = $cid")"

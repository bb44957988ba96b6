# bench/febrl.sh — shared by bench/bench-match-scale.sh, bench/er.sh and
# tests/db/dedup_febrl.sh: febrl_sources prints the schema and the two CSV
# sources of Febrl dataset4a/4b (as a user maps them), febrl_schema and
# febrl_source the parts; febrl_config writes
# them with a [matching] section tuned for persons into $1; febrl_quality
# prints precision, recall, f1 of the automatic merges, the same with true
# queued pairs accepted, queue size and blocking recall, as "name value"
# lines.

FEBRL_FIELDS="given_name surname street_number address_1 address_2 suburb postcode state
date_of_birth soc_sec_id"

febrl_schema() {
	printf '[schema]\n'
	for f in $FEBRL_FIELDS; do printf '%s = text\n' "$f"; done
}

# febrl_source NAME FILE [EXTRA]: one Febrl file as a csv source; EXTRA is
# added to it ("unique = true").
febrl_source() {
	printf '[source %s]\nkind = csv\npath = %s\nid = rec_id\n' "$1" "$2"
	[ -z "${3:-}" ] || printf '%s\n' "$3"
	for f in $FEBRL_FIELDS; do printf 'map.%s = %s\n' "$f" "$f"; done
}

# febrl_sources DATA [EXTRA]: the schema and dataset4a/4b as febrl-a and
# febrl-b, EXTRA added to each.
febrl_sources() {
	febrl_schema
	for s in a b; do febrl_source "febrl-$s" "$1/dataset4$s.csv" "${2:-}"; done
}

febrl_config() {
	{
	febrl_sources "$2"
	cat <<CONF
[matching]
key_fields = given_name, surname, date_of_birth
title_field = surname
compare.given_name = jaro_winkler
compare.surname = jaro_winkler
compare.street_number = exact
compare.address_1 = jaro_winkler
compare.suburb = jaro_winkler
compare.postcode = levenshtein
compare.state = exact
compare.date_of_birth = levenshtein
compare.soc_sec_id = levenshtein
blocking = given_name, surname, date_of_birth, soc_sec_id, postcode+street_number, given_name:prefix3+surname:prefix3
auto = 0.95
review = 0.30
CONF
	} >"$1"
}

# The truth: rec-N-org and rec-N-dup-k are the same person.
febrl_quality() {
	sql "
WITH rec AS (SELECT r.id, r.source, split_part(r.source_id, '-', 2) AS person, m.entity_id
             FROM kasparro.records r JOIN kasparro.entity_members m ON m.record_id = r.id AND m.live),
truth AS (SELECT a.id AS x, b.id AS y FROM rec a JOIN rec b ON a.person = b.person AND a.source = 'febrl-a' AND b.source = 'febrl-b'),
merged AS (SELECT a.id AS x, b.id AS y FROM rec a JOIN rec b ON a.entity_id = b.entity_id AND a.source = 'febrl-a' AND b.source = 'febrl-b'),
queued AS (SELECT least(c.rec_a, c.rec_b) AS p, greatest(c.rec_a, c.rec_b) AS q FROM kasparro.match_candidates c WHERE c.status = 'pending'),
queued_true AS (SELECT t.x, t.y FROM truth t JOIN queued ON (p = least(t.x, t.y) AND q = greatest(t.x, t.y))),
after AS (SELECT x, y FROM merged UNION SELECT x, y FROM queued_true),
n AS (SELECT (SELECT count(*) FROM truth) AS t,
             (SELECT count(*) FROM merged) AS m, (SELECT count(*) FROM merged JOIN truth USING (x, y)) AS mt,
             (SELECT count(*) FROM after) AS a, (SELECT count(*) FROM after JOIN truth USING (x, y)) AS at,
             (SELECT count(*) FROM queued) AS qn,
             (SELECT count(*) FROM truth t WHERE EXISTS (SELECT 1 FROM kasparro.match_candidates c WHERE c.rec_a = least(t.x, t.y) AND c.rec_b = greatest(t.x, t.y)) OR (SELECT entity_id FROM rec WHERE id = t.x) = (SELECT entity_id FROM rec WHERE id = t.y)) AS found,
             (SELECT count(*) FROM rec) AS records)
SELECT 'auto_precision ' || round(mt::numeric / greatest(m, 1), 4) || E'\n' ||
       'auto_recall ' || round(mt::numeric / greatest(t, 1), 4) || E'\n' ||
       'auto_f1 ' || round(2 * mt::numeric / greatest(m + t, 1), 4) || E'\n' ||
       'review_precision ' || round(at::numeric / greatest(a, 1), 4) || E'\n' ||
       'review_recall ' || round(at::numeric / greatest(t, 1), 4) || E'\n' ||
       'review_f1 ' || round(2 * at::numeric / greatest(a + t, 1), 4) || E'\n' ||
       'queue ' || qn || E'\n' || 'queue_share ' || round(qn::numeric / greatest(records, 1), 4) || E'\n' ||
       'found_pairs_share ' || round(found::numeric / greatest(t, 1), 4) FROM n"
}

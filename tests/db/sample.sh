# The shipped sample sources: tools/gen-sample.py writes exactly the
# committed files, and kasparro with the shipped configuration reads them as
# share/kasparro/sample/truth.csv says: every record loaded or quarantined
# (with the right reason) as planned, bad optional values stored as NULL,
# and the same article reading the same from every source that did not
# change it (latin-1, day-first dates, time zones, JSON paths).
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/fixtures.sh"
SAMPLE="$TOP/share/kasparro/sample"

python3 "$TOP/tools/gen-sample.py" "$T/gen"
out=$(diff -r -x README "$T/gen" "$SAMPLE" 2>&1 | head -n 5)
expect_eq "tools/gen-sample.py writes exactly the committed sample files" "$out" ""

new_db
sample_config
sample_truth_table # the sample's truth.csv as table truth
sql "UPDATE truth SET variation = coalesce(variation, ''), malformed = coalesce(malformed, '')"

for src in articles-csv partner-feed articles-api; do
	out=$(kas run "$src" 2>&1)
	expect_eq "$src: kasparro run exits 0" "$?" 0
	expect_match "$src: the run succeeds" "$out" "^$src +succeeded "

	expect_eq "$src: fetched, loaded and quarantined as the truth counts them" \
		"$(sql "SELECT fetched || ' ' || inserted || ' ' || quarantined FROM kasparro.run_sources
			WHERE source = '$src' ORDER BY run_id DESC LIMIT 1")" \
		"$(sql "SELECT count(*) || ' ' || count(*) FILTER (WHERE expect = 'loaded') || ' ' ||
			count(*) FILTER (WHERE expect = 'quarantined') FROM truth WHERE source = '$src'")"

	expect_eq "$src: the records loaded are exactly the truth's" "$(sql "
		SELECT left(string_agg(coalesce(t.source_id, r.source_id), ' '), 200)
		FROM (SELECT source_id FROM truth WHERE source = '$src' AND expect = 'loaded') t
		FULL JOIN (SELECT source_id FROM kasparro.records WHERE source = '$src') r
		  ON r.source_id = t.source_id
		WHERE t.source_id IS NULL OR r.source_id IS NULL")" ""

	expect_eq "$src: the malformed records are quarantined where and why the truth says" "$(sql "
		SELECT string_agg(coalesce(t.location, q.location) || ': ' ||
		                  coalesce(q.reason, 'not quarantined'), '; ')
		FROM (SELECT * FROM truth WHERE source = '$src' AND expect = 'quarantined') t
		FULL JOIN (SELECT reason, split_part(location, ' (', 1) AS location -- less the page's URL
		  FROM kasparro.quarantine WHERE source = '$src') q
		  ON q.location = t.location
		WHERE t.location IS NULL OR q.location IS NULL OR q.reason !~ CASE t.malformed
		  WHEN 'missing-title' THEN '^missing required field .title.'
		  WHEN 'missing-id' THEN '^(missing|empty) id'
		  WHEN 'wrong-field-count' THEN 'fields, expected' END")" ""

	got=$(sql "
		SELECT count(*) || ' ' || coalesce(string_agg(r.source_id, ' ') FILTER (WHERE
		  (r.published_at IS NULL) <> (t.malformed = 'bad-date') OR
		  (r.url IS NULL) <> (t.malformed = 'bad-url' OR t.variation ~ 'no-url') OR
		  (r.author IS NULL) <> (t.variation ~ 'no-author')), '')
		FROM kasparro.records r JOIN truth t USING (source, source_id)
		WHERE r.source = '$src'")
	expect_match "$src: unreadable dates and URLs, missing links and authors are NULL, nothing else" \
		"$got" "^[1-9][0-9]* $"
done

# Pairs of copies of one article in two sources, where neither copy changed
# FIELD: "compared mismatched" (the first must be > 0, the second 0).
same_across_sources() {
	sql "WITH x AS (
		SELECT t.article, t.source, t.variation AS v, r.$1 AS value
		FROM truth t JOIN kasparro.records r USING (source, source_id))
		SELECT count(*) || ' ' || count(*) FILTER (WHERE a.value IS DISTINCT FROM b.value)
		FROM x a JOIN x b ON a.article = b.article AND a.source < b.source
		WHERE a.v !~ '$2' AND b.v !~ '$2' AND a.value IS NOT NULL AND b.value IS NOT NULL"
}
for pair in "title title-" "author author-|no-author" "published_at time-shift" \
	"description teaser" "content body"; do
	set -- $pair
	got=$(same_across_sources "$1" "$2")
	expect_match "an unchanged $1 reads the same from every source ($got: pairs, differing)" \
		"$got" "^[1-9][0-9]* 0$"
done

# The held deletion the sample shows (its README): the partner's next
# export, cut short, read as partner-feed through a copy of the
# configuration made as the README says, is a complete read that would
# delete every partner record it lacks, far above max_ratio: the guard holds
# exactly those, deletes nothing, and the run ends partial. Reading
# partner.csv again takes them all out of the held set.
cut_ids=$(python3 - "$SAMPLE/partner-cut.csv" <<'PY'
import csv, io, sys
data = open(sys.argv[1], "rb").read()
assert data.startswith(b"\xef\xbb\xbf"), "no byte order mark"
rows = list(csv.reader(io.StringIO(data[3:].decode("latin-1"), newline=""), delimiter=";"))
print(",".join(r[0] for r in rows[1:]))
PY
)
missing="SELECT id FROM kasparro.records WHERE source = 'partner-feed' AND NOT is_deleted
	AND source_id <> ALL (string_to_array('$cut_ids', ','))"
live=$(sql "SELECT count(*) FROM kasparro.records WHERE source = 'partner-feed' AND NOT is_deleted")
n=$(sql "SELECT count(*) FROM ($missing) m")
[ "$n" -gt $((live / 10)) ] && ok "the cut export lacks more than a tenth of the partner's records ($n of $live)" ||
	not_ok "the cut export lacks more than a tenth of the partner's records" "$n of $live"
(cd "$T/share" && sed 's|^path = sample/partner.csv$|path = sample/partner-cut.csv|' \
	kasparro.conf >cut.conf)
out=$("$BIN" -c "$T/share/cut.conf" run partner-feed 2>&1)
expect_eq "the cut export's run exits 1 (partial)" "$?" 1
expect_match "it ends partial with its deletions held" "$out" "^partner-feed +partial +[0-9]+ .* held "
expect_match "... saying how many of how many, and how to decide" "$out" \
	"deletions held: would delete $n of $live live records .*'kasparro apply-deletes [0-9]+'"
expect_eq "nothing is deleted" "$(sql "SELECT count(*) FROM kasparro.records WHERE is_deleted")" 0
run=$(sql "SELECT max(id) FROM kasparro.runs")
held_set="SELECT p.record_id FROM kasparro.pending_delete_records p
	JOIN kasparro.pending_deletes h ON h.id = p.pending_id WHERE h.run_id = $run AND h.decision IS NULL"
expect_eq "the held set is exactly the records the cut export lacks" \
	"$(sql "SELECT count(*) FROM (($missing) EXCEPT ($held_set)) a") $(sql "SELECT count(*) FROM (($held_set) EXCEPT ($missing)) b") $(sql "SELECT count(*) FROM ($held_set) h")" "0 0 $n"
expect_match "kasparro held lists it" "$(kas held)" "^ *$run +partner-feed +$n +$n +$live +held "
kas run partner-feed >/dev/null 2>&1
expect_eq "reading partner.csv again takes every record out of the held set" \
	"$(sql "SELECT count(*) FROM ($held_set) h")" 0

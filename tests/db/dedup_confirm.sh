# The unspent review budget (docs/matching.md, "The unspent budget:
# confirming automatic merges"): when a pass's queue is shorter than an
# operator reviews (a tenth of the records) by at least a session's worth
# (50 pairs), the automatic merges worth a look wait there too: those
# some field argues against first (the most contested first), then the
# least probable, as many as the room holds, none the model is certain of
# (24 bits and more, where a float's probability is 1). They stay merged, are marked by the to_confirm column (queue
# --json, show-match, the queue's "="), and an operator's rejection splits
# them, an approval keeps them; an undo lists them again; decisions
# elsewhere in their entity and the pass that learns keep the others
# merged. An incremental pass lists its own new merges where the budget
# has room. A queue left with less room, and [matching] review_budget =
# 0, list none; a database migrated from a note-only listing gets the
# column from the note.
. "$KASPARRO_TOP/tests/lib/lib.sh"

# shops FIRST N: products FIRST.. of two shops a and b (appended), b's
# title the same as a's, one word short, one word other or two of four
# alike, its price up to 6% more; titles are three words of a shared
# vocabulary of 200 and one of their own, so the merges spread from a few
# bits (two words alike) to twenty and more
shops() {
	python3 - "$T" "$1" "$2" <<-'PY'
	import os, random, sys
	out, first, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
	r = random.Random(11 + first)
	def word():
	    return "".join(r.choice("bcdfghklmnprstvz") + r.choice("aeiou") for _ in range(3)).capitalize()
	vocab = [word() for _ in range(200)]
	new = not os.path.exists(out + "/a.csv")
	with open(out + "/a.csv", "a") as a, open(out + "/b.csv", "a") as b:
	    if new:
	        a.write("id,title,price\n")
	        b.write("id,title,price\n")
	    for i in range(first, first + n):
	        words = [r.choice(vocab) for _ in range(3)] + [word()]
	        p = 20 + r.random() * 200
	        a.write("a%d,%s,%.2f\n" % (i, " ".join(words), p))
	        k = i % 4 if first == 0 else 3
	        if k == 1:
	            words = words[:3]
	        if k == 2:
	            words = words[:3] + [word()]
	        if k == 3:
	            words = words[:2] + [word()]
	        b.write("b%d,%s,%.2f\n" % (i, " ".join(words), p * (1 + 0.01 * (i % 7))))
	PY
	CONF="$T/k.conf"
	printf '[schema]\ntitle = text\nprice = number\n' >"$CONF"
	for s in a b; do
		printf '[source %s]\nkind = csv\npath = %s.csv\nid = id\nunique = true\nmap.title = title\nmap.price = price\n' \
			$s $s >>"$CONF"
	done
}
listed() { sql "SELECT count(*) FROM kasparro.match_candidates WHERE status = 'pending' AND to_confirm"; }
pending() { sql "SELECT count(*) FROM kasparro.match_candidates WHERE status = 'pending'"; }
# split_pairs: the listed pairs whose two records are not in one entity
split_pairs() {
	sql "SELECT count(*) FROM kasparro.match_candidates c
		JOIN kasparro.entity_members x ON x.record_id = c.rec_a AND x.live
		JOIN kasparro.entity_members y ON y.record_id = c.rec_b AND y.live
		WHERE c.status = 'pending' AND c.to_confirm AND x.entity_id <> y.entity_id"
}
# the listed pair at OFFSET in id order, as "id source_id_a source_id_b"
listed_pair() {
	sql "SELECT c.id || ' ' || ra.source_id || ' ' || rb.source_id FROM kasparro.match_candidates c
		JOIN kasparro.records ra ON ra.id = c.rec_a JOIN kasparro.records rb ON rb.id = c.rec_b
		WHERE c.status = 'pending' AND c.to_confirm ORDER BY c.id OFFSET $1 LIMIT 1"
}
together() { test -n "$(entity_of "$1")" && test "$(entity_of "$1")" = "$(entity_of "$2")" && echo yes || echo no; }

new_db
shops 0 1000 # 2000 records: a budget of 200 pairs
out=$(kas run 2>&1)
expect_eq "the run exits 0" "$?" 0
queued=$(sql "SELECT count(*) FROM kasparro.match_candidates WHERE status = 'pending' AND NOT to_confirm")
room=$((200 - queued))
n=$(listed)
expect_eq "the queue leaves room: at least 50 of the 200 pairs" "$((room >= 50))" 1
expect_eq "automatic merges are listed to confirm" "$((n >= 10))" 1
expect_eq "... each still merged" "$(split_pairs)" 0
# contested: some field's evidence (or a rival's, under one-to-one) is
# against the merge, as its explanation shows
contested="EXISTS (SELECT 1 FROM json_each(fields) e(k, v) WHERE (v->>'weight')::float < 0)"
expect_eq "the fixture has contested merges (a price apart) among the sure ones" \
	"$(sql "SELECT count(*) >= 10 FROM kasparro.match_candidates WHERE (status = 'auto' OR to_confirm)
		AND $contested AND weight >= 12 AND weight < 24")" t
expect_eq "... the contested merges are listed first, however probable" \
	"$(sql "SELECT count(*) FROM kasparro.match_candidates WHERE status = 'auto' AND weight < 24
		AND $contested")" 0
expect_eq "... then the least probable of the others" \
	"$(sql "SELECT max(probability) <= (SELECT min(probability) FROM kasparro.match_candidates
		WHERE status = 'auto') FROM kasparro.match_candidates WHERE status = 'pending' AND to_confirm
		AND NOT $contested")" t
expect_eq "... none of 24 bits or more, where the model has no doubt left" \
	"$(sql "SELECT count(*) FROM kasparro.match_candidates WHERE to_confirm AND weight >= 24")" 0
expect_eq "... as many as the room holds" "$n" \
	"$(sql "SELECT least($room, count(*)) FROM kasparro.match_candidates
		WHERE (status = 'auto' OR to_confirm) AND weight < 24")"
expect_eq "the note still says why each waits" \
	"$(sql "SELECT count(*) FROM kasparro.match_candidates WHERE to_confirm
		AND note LIKE 'merged automatically, among the merges the model is least sure of%'
		AND NOT $contested")" \
	"$(sql "SELECT count(*) FROM kasparro.match_candidates WHERE to_confirm AND NOT $contested")"
expect_eq "... a contested one that some of the evidence is against" \
	"$(sql "SELECT count(*) FROM kasparro.match_candidates WHERE to_confirm
		AND note LIKE 'merged automatically, though some of the evidence is against it%'
		AND $contested")" \
	"$(sql "SELECT count(*) FROM kasparro.match_candidates WHERE to_confirm AND $contested")"
first=$(listed_pair 0)
expect_match "show-match --json has the column" "$(kas show-match "${first%% *}" --json)" \
	'"to_confirm": *true'
expect_match "show-match says the pending pair is merged, to confirm" \
	"$(kas show-match "${first%% *}")" "^candidate ${first%% *}: pending and merged, to confirm, "
expect_eq "queue --json lists them all" "$(kas queue --json --limit all | python3 -c '
import json, sys
print(len(json.load(sys.stdin)))')" "$(pending)"
expect_eq "queue --json marks the listed merges, to_confirm and merged" \
	"$(kas queue --json --limit all | python3 -c '
import json, sys
rows = json.load(sys.stdin)
print(sum(1 for r in rows if r["to_confirm"] is True and r["merged"] is True))')" "$n"
expect_eq "export queue marks them, to_confirm true" \
	"$(kas export queue --format jsonl | python3 -c '
import json, sys
print(sum(1 for l in sys.stdin if json.loads(l)["to_confirm"] is True))')" "$n"
queue_text=$(kas queue --limit all)
expect_eq "the queue's table marks each listed merge's P with =" \
	"$(printf '%s\n' "$queue_text" | awk '$1 ~ /^[0-9]+$/ && $2 ~ /=$/' | wc -l)" "$n"
expect_match "... and says what = means under the table" "$queue_text" \
	"= merged automatically and listed for an operator to confirm"
run=$(sql "SELECT max(id) FROM kasparro.runs")
expect_match "show-run's text counts them among the queued" "$(kas show-run "$run")" \
	"queued for review \\($n of them merged, to confirm; the queue holds $(pending)\\)"
expect_eq "the run's report counts them among the queued and the merged" \
	"$(kas show-run "$run" --json | python3 -c '
import json, sys
m = json.load(sys.stdin)["matching"]
print(m["to_confirm"], m["queued"], m["auto_merges"] >= m["to_confirm"])')" "$n $(pending) True"

# an operator widens the budget, and an incremental pass over 40 new
# products, each pair two words alike of four, lists its own new merges
# as the full pass would, the queue beside them counted from the table
before=$(listed)
shops 5000 40
printf '[matching]\nreview_budget = 0.3\n' >>"$CONF"
check "an incremental run" kas run
expect_eq "the pass was incremental" \
	"$(sql "SELECT (matching->>'changed')::int < 200 FROM kasparro.runs ORDER BY id DESC LIMIT 1")" t
new_listed=$(sql "SELECT count(*) FROM kasparro.match_candidates c
	JOIN kasparro.records r ON r.id = c.rec_a WHERE c.status = 'pending' AND c.to_confirm
	AND r.source_id ~ '^[ab]50[0-9][0-9]$'")
expect_eq "the incremental pass lists new merges to confirm" "$((new_listed >= 1))" 1
expect_eq "... still merged" "$(split_pairs)" 0
expect_eq "the listed merges of before stay listed" "$(($(listed) - new_listed))" "$before"
expect_eq "... within the budget of 624 pairs" "$(($(pending) <= 624))" 1
run=$(sql "SELECT max(id) FROM kasparro.runs")
expect_eq "its report counts them" \
	"$(kas show-run "$run" --json | python3 -c '
import json, sys
print(json.load(sys.stdin)["matching"]["to_confirm"] >= 1)')" True

# an operator rejects one (undoes that, rejects it again) and approves
# another
set -- $(listed_pair 0)
rid=$1 ra=$2 rb=$3
set -- $(listed_pair 1)
aid=$1 aa=$2 ab=$3
check "reject the first listed merge" kas reject "$rid"
expect_eq "the rejection splits it" "$(together "$ra" "$rb")" no
check "undo the rejection" kas undo
expect_eq "the undo merges it again" "$(together "$ra" "$rb")" yes
expect_eq "... and lists it again" \
	"$(sql "SELECT status, to_confirm FROM kasparro.match_candidates WHERE id = $rid")" "pending|t"
check "reject it again" kas reject "$rid"
expect_eq "the rejection splits it again" "$(together "$ra" "$rb")" no
check "approve the second" kas approve "$aid"
expect_eq "the approval keeps it" "$(together "$aa" "$ab")" yes
expect_eq "the other listed merges are still merged after the decisions" "$(split_pairs)" 0

# the pass that learns from the decisions re-matches every record: the
# rejected pair stays apart, the approved one together
check "the learning pass" kas dedup
expect_eq "the rejected pair stays apart" "$(together "$ra" "$rb")" no
expect_eq "the approved pair stays together" "$(together "$aa" "$ab")" yes
expect_eq "the listed merges are merged" "$(split_pairs)" 0
expect_eq "... and listed" "$(($(listed) >= 10))" 1

# a database listed by an older kasparro, by the note alone, gets the
# column from it when migrated (its later migrations, idempotent, again)
sql "UPDATE kasparro.match_candidates SET to_confirm = false WHERE status = 'pending'
	AND note LIKE 'merged automatically, among%'" >/dev/null
sql "DELETE FROM kasparro.schema_migrations WHERE version >= 23" >/dev/null
check "migrate again" kas db migrate
expect_eq "the migration marks the listed merges by their note" "$(($(listed) >= 10))" 1

# a queue with less room than a session's worth lists none: 400 records,
# a budget of 40 pairs
new_db _small
rm "$T/a.csv" "$T/b.csv"
shops 0 200
check "a run over 400 records" kas run
expect_eq "no merge is listed" "$(listed)" 0

# review_budget = 0: no budget, nothing listed
new_db _off
rm "$T/a.csv" "$T/b.csv"
shops 0 1000
printf '[matching]\nreview_budget = 0\n' >>"$CONF"
check "a run with review_budget = 0" kas run
expect_eq "no merge is listed" "$(listed)" 0

# The unspent review budget (docs/matching.md, "The unspent budget:
# confirming automatic merges"): when a full pass's queue is shorter than
# an operator reviews (a tenth of the records) by at least a session's
# worth (50 pairs), the least probable automatic merges fill it. They stay
# merged, wait in the queue with a note saying so, and an operator's
# rejection splits them, an approval keeps them; decisions elsewhere in
# their entity, an incremental pass and the pass that learns from the
# decisions keep the others merged. A queue left with less room, and
# [matching] review_budget = 0, list none.
. "$KASPARRO_TOP/tests/lib/lib.sh"

# shops N: two shops a and b listing N products each, b's title the same
# as a's or one word short, its price the same or up to a tenth more:
# every pair merges automatically, some more surely than others
shops() {
	python3 - "$T" "$1" <<-'PY'
	import random, sys
	r = random.Random(11)
	out, n = sys.argv[1], int(sys.argv[2])
	def word():
	    return "".join(r.choice("bcdfghklmnprstvz") + r.choice("aeiou") for _ in range(3)).capitalize()
	with open(out + "/a.csv", "w") as a, open(out + "/b.csv", "w") as b:
	    a.write("id,title,price\n")
	    b.write("id,title,price\n")
	    for i in range(n):
	        words = [word() for _ in range(4)]
	        p = 20 + r.random() * 200
	        a.write("a%d,%s,%.2f\n" % (i, " ".join(words), p))
	        if i % 3 == 1:
	            words = words[:3]
	        b.write("b%d,%s,%.2f\n" % (i, " ".join(words), p * (1 + (i % 5) * 0.025)))
	PY
	CONF="$T/k.conf"
	printf '[schema]\ntitle = text\nprice = number\n' >"$CONF"
	for s in a b; do
		printf '[source %s]\nkind = csv\npath = %s.csv\nid = id\nunique = true\nmap.title = title\nmap.price = price\n' \
			$s $s >>"$CONF"
	done
}
note="merged automatically, among the merges the model is least sure of"
listed() { sql "SELECT count(*) FROM kasparro.match_candidates WHERE status = 'pending' AND note LIKE '$note%'"; }
pending() { sql "SELECT count(*) FROM kasparro.match_candidates WHERE status = 'pending'"; }
# split_pairs: the listed pairs whose two records are not in one entity
split_pairs() {
	sql "SELECT count(*) FROM kasparro.match_candidates c
		JOIN kasparro.entity_members x ON x.record_id = c.rec_a AND x.live
		JOIN kasparro.entity_members y ON y.record_id = c.rec_b AND y.live
		WHERE c.status = 'pending' AND c.note LIKE '$note%' AND x.entity_id <> y.entity_id"
}
# the listed pair at OFFSET in id order, as "id source_id_a source_id_b"
listed_pair() {
	sql "SELECT c.id || ' ' || ra.source_id || ' ' || rb.source_id FROM kasparro.match_candidates c
		JOIN kasparro.records ra ON ra.id = c.rec_a JOIN kasparro.records rb ON rb.id = c.rec_b
		WHERE c.status = 'pending' AND c.note LIKE '$note%' ORDER BY c.id OFFSET $1 LIMIT 1"
}
together() { test -n "$(entity_of "$1")" && test "$(entity_of "$1")" = "$(entity_of "$2")" && echo yes || echo no; }

new_db
shops 300 # 600 records: a budget of 60 pairs
out=$(kas run 2>&1)
expect_eq "the run exits 0" "$?" 0
expect_eq "every product is one entity" \
	"$(sql "SELECT count(DISTINCT entity_id) FROM kasparro.entity_members WHERE live")" 300
expect_eq "the queue holds the budget: 60 pairs" "$(pending)" 60
expect_eq "... most of them automatic merges listed to confirm" "$(listed | awk '{ print ($1 >= 50) }')" 1
expect_eq "... each still merged" "$(split_pairs)" 0
expect_eq "... the least probable of the merges" \
	"$(sql "SELECT max(probability) <= (SELECT min(probability) FROM kasparro.match_candidates
		WHERE status = 'auto') FROM kasparro.match_candidates WHERE note LIKE '$note%'")" t
first=$(listed_pair 0)
expect_match "show-match says why a listed merge waits" "$(kas show-match "${first%% *}" --json)" \
	"\"note\": *\"$note: approve to keep it, reject to split it\""
expect_eq "queue --json lists them" "$(kas queue --json --limit all | python3 -c '
import json, sys
print(len(json.load(sys.stdin)))')" 60
expect_eq "queue --json marks the listed merges as merged, with their note" \
	"$(kas queue --json --limit all | python3 -c '
import json, sys
rows = json.load(sys.stdin)
print(sum(1 for r in rows if r["merged"] is True and r["note"].startswith("merged automatically")))')" \
	"$(listed)"
queue_text=$(kas queue --limit all)
expect_eq "the queue's table marks each listed merge's P with =" \
	"$(printf '%s\n' "$queue_text" | awk '$1 ~ /^[0-9]+$/ && $2 ~ /=$/' | wc -l)" "$(listed)"
expect_match "... and says what = means under the table" "$queue_text" \
	"= merged automatically and listed for an operator to confirm"
run=$(sql "SELECT max(id) FROM kasparro.runs")
expect_match "show-run's text counts them among the queued" "$(kas show-run "$run")" \
	"queued for review \\($(listed) of them merged, to confirm; the queue holds 60\\)"
expect_eq "the run's report counts them among the queued and the merged" \
	"$(kas show-run "$run" --json | python3 -c '
import json, sys
m = json.load(sys.stdin)["matching"]
print(m["to_confirm"], m["queued"], m["auto_merges"] >= 300)')" "$(listed) 60 True"

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
expect_eq "... and lists it again" "$(sql "SELECT status FROM kasparro.match_candidates WHERE id = $rid")" pending
check "reject it again" kas reject "$rid"
expect_eq "the rejection splits it again" "$(together "$ra" "$rb")" no
check "approve the second" kas approve "$aid"
expect_eq "the approval keeps it" "$(together "$aa" "$ab")" yes
expect_eq "the other listed merges are still merged after the decisions" "$(split_pairs)" 0

# an incremental pass over a new product keeps them as they are
echo "a9000,Zoravu Kelimo Dapuse Ritova,99.00" >>"$T/a.csv"
echo "b9000,Zoravu Kelimo Dapuse Ritova,99.00" >>"$T/b.csv"
check "an incremental run" kas run
expect_eq "the new product merges" "$(together a9000 b9000)" yes
expect_eq "the listed merges stay merged" "$(split_pairs)" 0
expect_eq "... and listed" "$(listed | awk '{ print ($1 >= 50) }')" 1

# the pass that learns from the decisions re-matches every record: the
# rejected pair stays apart, the approved one together, and the queue
# holds the budget less the two decided
check "the learning pass" kas dedup
expect_eq "the rejected pair stays apart" "$(together "$ra" "$rb")" no
expect_eq "the approved pair stays together" "$(together "$aa" "$ab")" yes
expect_eq "the listed merges are merged" "$(split_pairs)" 0
expect_eq "the queue holds the budget of 61 (602 records) less the 2 decided" "$(pending)" 59

# a queue with less room than a session's worth lists none: 400 records,
# a budget of 40 pairs
new_db _small
shops 200
check "a run over 400 records" kas run
expect_eq "no merge is listed" "$(listed)" 0

# merges the model has no doubt of are not listed: the same shops with a
# maker, a code and a colour each product has its own of, alike in both,
# weigh more than 2^24 to one, a probability of 1 as stored
new_db _sure
shops 300
python3 - "$T" <<-'PY'
	import random, sys
	r = random.Random(5)
	extra = ["%s,%s%06d,%s" % (r.choice(["Orvex", "Calid", "Mupra", "Zenta"]) + str(i),
	         r.choice("QWXZ"), r.randrange(10 ** 6), r.choice(["teal", "ochre", "slate"]) + str(i))
	         for i in range(300)]
	for s in "ab":
	    rows = open("%s/%s.csv" % (sys.argv[1], s)).read().splitlines()
	    with open("%s/%s.csv" % (sys.argv[1], s), "w") as f:
	        f.write(rows[0] + ",maker,code,colour\n")
	        for i, row in enumerate(rows[1:]):
	            f.write(row + "," + extra[i] + "\n")
	PY
sed -i 's/^price = number$/price = number\nmaker = text\ncode = text\ncolour = text/; s/^map.price = price$/map.price = price\nmap.maker = maker\nmap.code = code\nmap.colour = colour/' "$CONF"
check "a run with three more fields alike" kas run
expect_eq "every product is one entity" \
	"$(sql "SELECT count(DISTINCT entity_id) FROM kasparro.entity_members WHERE live")" 300
expect_eq "every merge weighs more than 24 bits" \
	"$(sql "SELECT count(*) FROM kasparro.match_candidates WHERE status IN ('auto', 'pending') AND weight < 24")" 0
expect_eq "the queue leaves the budget room: at most 10 of 60 pairs" "$(pending | awk '{ print ($1 <= 10) }')" 1
expect_eq "no merge is listed" "$(listed)" 0

# review_budget = 0: no budget, nothing listed
new_db _off
shops 300
printf '[matching]\nreview_budget = 0\n' >>"$CONF"
check "a run with review_budget = 0" kas run
expect_eq "no merge is listed" "$(listed)" 0

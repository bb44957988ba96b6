# The review budget (docs/matching.md, "The review budget"): when the
# pairs between `review` and `auto` are more than an operator reviews (a
# tenth of the records, at least 50 pairs), a full pass merges the most
# probable of them automatically until the rest fits, keeping the
# automatic merges' mean probability at least `auto`, says so at warn
# level, and keeps the threshold it found with the model for incremental
# passes. Operators' decisions come off the budget: the pass that learns
# from them keeps the undecided queue within what is left, so that
# deciding the queue's first pairs does not raise the threshold. A queue
# within the budget is left as it was, and so is any with
# [matching] review_budget = 0. A run's report (show-run) says how many of
# its automatic merges were below auto and at which threshold, incremental
# passes included, and keeps the budget's line whole however many warnings
# the model has.
. "$KASPARRO_TOP/tests/lib/lib.sh"

# shop S M: two shops a and b (not unique) listing S products alike (the
# same title and price) and M more whose title in b may name another
# colour and whose price in b is up to half more, or three times as much
# (another pack): evidence from strong to weak, so that many pairs fall
# between review and auto. Some true pairs' prices must be
# "different": were every true pair's prices within 50% of each other,
# a "different" price would tell non-matches apart alone, and the weak
# pairs would all score above auto.
shop() {
	python3 - "$T" "$1" "$2" <<-'PY'
	import random, sys
	r = random.Random(7)
	brand = "Acme Vortex Nimbus Sony Orion Zenith Apex Nova".split()
	kind = "Speaker Player Router Camera Headphones Keyboard Monitor Charger Lamp Drive".split()
	col = "Black White Silver Red Blue Green".split()
	def word():
	    return "".join(r.choice("bcdfghklmnprstvz") + r.choice("aeiou") for _ in range(3)).capitalize()
	out, s, m = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
	with open(out + "/a.csv", "w") as a, open(out + "/b.csv", "w") as b:
	    a.write("id,title,price\n")
	    b.write("id,title,price\n")
	    for i in range(s + m):
	        c = r.choice(col)
	        t = "%s %s %s" % (r.choice(brand), r.choice(kind), word())
	        p = "%.2f" % (20 + r.random() * 200)
	        a.write("a%d,%s %s,%s\n" % (i, t, c, p))
	        other = r.choice([x for x in col if x != c])
	        if i < s:
	            b.write("b%d,%s %s,%s\n" % (i, t, c, p))
	        else:
	            q = float(p) * (1 + r.choice([0, 0.01, 0.03, 0.1, 0.2, 0.3, 0.5, 2]))
	            b.write("b%d,%s %s,%.2f\n" % (i, t, r.choice([c, other]), q))
	PY
	CONF="$T/k.conf"
	printf '[schema]\ntitle = text\nprice = number\n' >"$CONF"
	for s in a b; do
		printf '[source %s]\nkind = csv\npath = %s.csv\nid = id\nmap.title = title\nmap.price = price\n' \
			$s $s >>"$CONF"
	done
}
# same_fields N: N more fields f0.. that every record has alike ("same"):
# no evidence of a match, a warning of the model's each
same_fields() {
	python3 - "$T" "$CONF" "$1" <<-'PY'
	import sys
	d, conf, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
	names = ["f%d" % i for i in range(n)]
	for s in "ab":
	    rows = open("%s/%s.csv" % (d, s)).read().splitlines()
	    with open("%s/%s.csv" % (d, s), "w") as f:
	        f.write(",".join([rows[0]] + names) + "\n")
	        for r in rows[1:]:
	            f.write(",".join([r] + ["same"] * n) + "\n")
	c = open(conf).read()
	c = c.replace("price = number\n", "price = number\n" + "".join(x + " = text\n" for x in names))
	c = c.replace("map.price = price\n",
	              "map.price = price\n" + "".join("map.%s = %s\n" % (x, x) for x in names))
	open(conf, "w").write(c)
	PY
}
# decide_first N: an operator decides the queue's first N pairs as the
# shops say (a and b of one number are one product)
decide_first() {
	kas queue --json --limit "$1" | python3 -c '
import json, sys
for c in json.load(sys.stdin):
    same = c["a"]["source_id"][1:] == c["b"]["source_id"][1:]
    print(("approve " if same else "reject ") + str(c["id"]))' >"$T/decisions"
	expect_eq "$1 pairs to decide" "$(wc -l <"$T/decisions")" "$1"
	while read -r verb id; do kas "$verb" "$id" >/dev/null 2>&1 || not_ok "$verb $id"; done <"$T/decisions"
}
last_run() { sql "SELECT max(id) FROM kasparro.runs"; }
# pending, below_auto: the queue's length; the pairs merged automatically
# below the configured auto (0.95)
pending() { sql "SELECT count(*) FROM kasparro.match_candidates WHERE status = 'pending'"; }
below_auto() {
	sql "SELECT count(*) FROM kasparro.match_candidates WHERE status = 'auto' AND probability < 0.95"
}

new_db
shop 100 400 # 1,000 records: a budget of 100 pairs, about 200 between review and auto
out=$(kas run 2>&1)
expect_eq "the run exits 0" "$?" 0
expect_match "the run says the queue would exceed the budget" "$out" \
	"warning: the queue would hold [0-9]+ pairs, more than the 100 an operator reviews \(review_budget 0\.1 of the 1000 records, at least 50\); its [0-9]+ most probable merged automatically, down to p = 0\.[0-9]+"
expect_eq "the queue holds at most the budget" "$(pending | awk '{ print ($1 <= 100) }')" 1
expect_eq "pairs below auto were merged automatically" "$(below_auto | awk '{ print ($1 > 0) }')" 1
expect_eq "... the most probable of the queue: none pending without a note is more probable" \
	"$(sql "SELECT count(*) FROM kasparro.match_candidates WHERE status = 'pending' AND note IS NULL
		AND probability > (SELECT min(probability) FROM kasparro.match_candidates WHERE status = 'auto')")" 0
expect_eq "the automatic merges' mean probability is at least auto" \
	"$(sql "SELECT avg(probability) >= 0.95 FROM kasparro.match_candidates WHERE status = 'auto'")" t
lowest=$(sql "SELECT min(probability) FROM kasparro.match_candidates WHERE status = 'auto'")
expect_eq "the model keeps the threshold for incremental passes" \
	"$(sql "SELECT (model->>'auto_budget')::float8 <= $lowest + 1e-6 AND (model->>'auto_budget')::float8 >= 0.6
		FROM kasparro.dedup_state")" t
budget=$(sql "SELECT round((model->>'auto_budget')::numeric, 3) FROM kasparro.dedup_state")
expect_match "show-run says how many merges were below auto, down to which p" "$(kas show-run "$(last_run)")" \
	"^matching: .*, [0-9]+ merged automatically \($(below_auto) below auto 0\.95, down to the review budget's p = $budget\), "

# an incremental pass: a new product in both shops, listed as the most
# probable pair merged below auto was (its titles with another name,
# its prices), is merged with the threshold the full pass found rather
# than queued
top=$(sql "SELECT ra.source_id || ' ' || rb.source_id FROM kasparro.match_candidates c
	JOIN kasparro.records ra ON ra.id = c.rec_a JOIN kasparro.records rb ON rb.id = c.rec_b
	WHERE c.status = 'auto' AND c.probability < 0.95 ORDER BY c.probability DESC, c.id LIMIT 1")
if [ -z "$top" ]; then
	not_ok "the new pair is merged automatically (no pair was merged below auto to list again)"
else
	for x in "a ${top% *}" "b ${top#* }"; do
		set -- $x
		grep "^$2," "$T/$1.csv" | awk -F, -v OFS=, -v id="${1}9000" \
			'{ split($2, w, " "); $1 = id; $2 = w[1] " " w[2] " Quokkazu " w[4]; print }' >>"$T/$1.csv"
	done
	check "an incremental run" kas run
	expect_eq "the new pair is merged automatically" \
		"$(test -n "$(entity_of a9000)" && test "$(entity_of a9000)" = "$(entity_of b9000)" && echo yes)" yes
	# the incremental pass merged it below auto, at the full pass's
	# threshold: its report says so, as the full pass's warning did
	inc=$(last_run)
	expect_match "show-run of the incremental run says the merge was below auto" "$(kas show-run "$inc")" \
		"^matching: [0-9]+ records, [0-9]+ pairs? compared, [0-9]+ merged automatically \(1 below auto 0\.95, down to the review budget's p = $budget\), "
	expect_eq "... and so does its --json: below_auto, auto, auto_budget" \
		"$(kas show-run "$inc" --json | python3 -c '
import json, sys
m = json.load(sys.stdin)["matching"]
print(m["below_auto"], m["auto"], "%.3f" % m["auto_budget"])')" "1 0.95 $budget"
fi

# decisions come off the budget: an operator decides the queue's first 20
# pairs as the shops say (a and b of one number are one product), and the
# pass that learns from them keeps at most the 80 left of the 100 pending
new_db _decided
shop 100 400
check "the run before any decision" kas run
decide_first 20
out=$(kas dedup 2>&1)
expect_eq "the learning pass exits 0" "$?" 0
expect_match "it says the decisions came off the budget" "$out" \
	"warning: the queue would hold [0-9]+ pairs, more than the 80 an operator reviews \(review_budget 0\.1 of the 1000 records, less 20 decided, at least 50\)"
expect_eq "the queue holds at most the 80 left" "$(pending | awk '{ print ($1 <= 80) }')" 1

# the same shops with fewer weak pairs: a queue within the budget
new_db _within
shop 200 100 # 600 records: 60 pairs
out=$(kas run 2>&1)
expect_eq "within the budget the run exits 0" "$?" 0
expect_eq "... says nothing of it" "$(echo "$out" | grep -c 'an operator reviews')" 0
expect_eq "... and merges nothing below auto" "$(below_auto)" 0
expect_eq "... the queue as it was: every pair between review and auto" \
	"$(sql "SELECT count(*) FROM kasparro.match_candidates WHERE status = 'pending'
		AND probability >= 0.6 AND probability < 0.95")" "$(pending)"

# review_budget = 0: the same long queue stays a queue; nothing merges
# below auto, now or in the incremental pass after
new_db _off
shop 100 400
printf '[matching]\nreview_budget = 0\n' >>"$CONF"
out=$(kas run 2>&1)
expect_eq "with review_budget = 0 the run exits 0" "$?" 0
expect_eq "... says nothing of a budget" "$(echo "$out" | grep -c 'an operator reviews')" 0
expect_eq "... merges nothing below auto" "$(below_auto)" 0
expect_eq "... and keeps every pair between review and auto in the queue, more than a tenth" \
	"$(pending | awk '{ print ($1 > 100) }')" 1

# many warnings: nine fields all records have alike are a warning of the
# model's each, more than a run keeps; the budget's line is kept all the
# same, whole though long (a share written with many digits, decisions off
# the budget), and the report says how many more only the log has
new_db _warned
shop 100 400
same_fields 9
printf '[matching]\nreview_budget = 1.00001e-05\n' >>"$CONF"
check "the run with nine fields alike" kas run
out=$(kas show-run "$(last_run)")
expect_match "show-run keeps the budget's line" "$out" \
	"^matching: warning: the queue would hold [0-9]+ pairs, more than the 50 an operator reviews"
expect_match "... and says how many more warnings only the log has" "$out" \
	"^matching: warning: and 2 more warnings of the model, in the log only$"
expect_eq "... seven of the model's kept" "$(echo "$out" | grep -c "^matching: warning: identical values of 'f")" 7
decide_first 20
check "the run that learns from the decisions" kas run
out=$(kas show-run "$(last_run)")
expect_match "the learning run's budget line is whole, however long" "$out" \
	"^matching: warning: the queue would hold [0-9]+ pairs, .*review_budget 1\.00001e-05 of the 1000 records, less 20 decided, at least 50\); its [0-9]+ most probable merged automatically, down to p = 0\.[0-9]{3} \(the automatic merges' expected precision [01]\.[0-9]{3}\)$"
# (the learning run may warn of more than the nine fields: EM's rounds)
rest=$(echo "$out" | sed -n 's/^matching: warning: and \([0-9][0-9]*\) more warnings of the model, in the log only$/\1/p')
expect_eq "... in --json too, with the count of the rest the text says" \
	"$(kas show-run "$(last_run)" --json | python3 -c '
import json, sys
m = json.load(sys.stdin)["matching"]
print(len(m["warnings"]), m["warnings"][-1].endswith(")"), m["warnings_dropped"])')" "8 True ${rest:-(none said)}"

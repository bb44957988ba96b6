# The review queue's two orders are walked from indexes (migrations 17 and
# 18), an existing database takes them in place, and the order is the one
# the queue has always had: most uncertain first in quarter-bit bands, the
# most contradictory first within a band, then nearest p = 0.5, then the
# id; or by score. `queue --offset` and `entities --offset` page in that
# order and every page carries the whole count. GET /queue pages by the
# last pair's place in the order: its pages joined are the order, and a
# pair decided during a walk neither repeats another nor pushes one out.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
new_db
sample_config
api_keys
api_section
kas run >/dev/null 2>&1

# A database that applied migration 16 and not 17, as the kasparro before
# left it: the queue's probability index, no order index.
sql "DROP INDEX IF EXISTS kasparro.match_candidates_uncertain_idx;
     DROP INDEX IF EXISTS kasparro.match_candidates_score_idx;
     CREATE INDEX IF NOT EXISTS match_candidates_queue_idx ON kasparro.match_candidates (probability)
       WHERE status = 'pending';
     DELETE FROM kasparro.schema_migrations WHERE version >= 17" >/dev/null
pending=$(sql "SELECT count(*) FROM kasparro.match_candidates WHERE status = 'pending'")
check "the sample leaves pairs to review" [ "$pending" -gt 5 ]
out=$(LOG_LEVEL=info kas db migrate 2>&1)
expect_match "a database at version 16 is upgraded in place" "$out" "applied schema migration 017_queue_order_index"
expect_match "... and takes the indexes a page after a key starts at" "$out" \
	"applied schema migration 018_listing_keyset_index"
expect_eq "... whose columns all run one way" \
	"$(sql "SELECT count(*) FROM pg_indexes WHERE schemaname = 'kasparro'
	        AND indexname IN ('match_candidates_uncertain_idx', 'match_candidates_score_idx',
	                          'entities_listed_idx')
	        AND indexdef NOT LIKE '% DESC%'")" 3
expect_eq "... both orders have their index, the probability index is gone" \
	"$(sql "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes
	        WHERE schemaname = 'kasparro' AND tablename = 'match_candidates' AND indexname LIKE '%queue%'
	           OR indexname IN ('match_candidates_uncertain_idx', 'match_candidates_score_idx')")" \
	"match_candidates_score_idx,match_candidates_uncertain_idx"
expect_eq "... its pairs are kept" \
	"$(sql "SELECT count(*) FROM kasparro.match_candidates WHERE status = 'pending'")" "$pending"

# Enough pending pairs that a page walks the index rather than sorting a
# few rows: copies of the sample's pairs' scores on other pairs of its
# records, ties included (the id breaks them), and a deleted record whose
# pairs the queue leaves out.
sql "SELECT setseed(0.5);
     INSERT INTO kasparro.match_candidates (rec_a, rec_b, probability, weight, fields, status, disagreement)
     SELECT a.id, b.id, s.probability, s.weight, s.fields, 'pending', s.disagreement
       FROM kasparro.records a JOIN kasparro.records b ON a.id < b.id
       JOIN LATERAL (SELECT * FROM kasparro.match_candidates m WHERE m.status = 'pending'
                     ORDER BY m.id OFFSET ((a.id * 7 + b.id) % $pending) LIMIT 1) s ON true
      ORDER BY random() LIMIT 3000
     ON CONFLICT (rec_a, rec_b) DO NOTHING;
     UPDATE kasparro.records SET is_deleted = true, deleted_at = now()
      WHERE id = (SELECT min(id) FROM kasparro.records);
     ANALYZE kasparro.match_candidates; ANALYZE kasparro.records" >/dev/null
LIVE="c.status = 'pending' AND NOT EXISTS (SELECT 1 FROM kasparro.records r
      WHERE r.id IN (c.rec_a, c.rec_b) AND r.is_deleted)"
in_queue=$(sql "SELECT count(*) FROM kasparro.match_candidates c WHERE $LIVE")
check "thousands of pairs wait" [ "$in_queue" -gt 2000 ]

ids() { python3 -c 'import json, sys; [print(x["id"]) for x in json.load(sys.stdin)]'; }
totals() { python3 -c 'import json, sys; print(" ".join(sorted({str(x["total"]) for x in json.load(sys.stdin)})))'; }
expect_eq "the queue lists most uncertain first, by band, disagreement, |weight|, id" \
	"$(kas queue --json --limit all | ids | md5sum)" \
	"$(sql "SELECT c.id FROM kasparro.match_candidates c WHERE $LIVE
	        ORDER BY floor(abs(c.weight) * 4), c.disagreement DESC, abs(c.weight), c.id" | md5sum)"
expect_eq "--order score lists by probability, weight, id" \
	"$(kas queue --json --limit all --order score | ids | md5sum)" \
	"$(sql "SELECT c.id FROM kasparro.match_candidates c WHERE $LIVE
	        ORDER BY c.probability DESC, c.weight DESC, c.id" | md5sum)"

# A page walks its order's index (the statistics count the scans once the
# session that made them has ended).
scans() { sql "SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelname = '$1'"; }
for ix in uncertain:queue score:"queue --order score"; do
	name=match_candidates_${ix%%:*}_idx
	before=$(scans "$name")
	kas ${ix#*:} --limit 20 >/dev/null
	scanned() { [ "$(scans "$name")" -gt "$before" ]; }
	wait_for "'${ix#*:}' reads its first page from $name" 10 scanned
done

# --offset: the pages, one after the other, are the whole list in order,
# and each row's total counts all of it.
for args in "" "--order score" "--min 0.2 --max 0.9"; do
	kas queue --json --limit all $args | ids >"$T/all"
	n=$(wc -l <"$T/all" | tr -d ' ')
	: >"$T/paged"
	off=0
	tot=""
	while [ "$off" -lt "$n" ]; do
		kas queue --json --limit 700 --offset "$off" $args >"$T/page"
		ids <"$T/page" >>"$T/paged"
		tot="$tot $(totals <"$T/page")"
		off=$((off + 700))
	done
	expect_eq "queue $args: pages of --offset are the list in order" \
		"$(md5sum <"$T/paged")" "$(md5sum <"$T/all")"
	expect_eq "... every page's total is the whole queue ($n)" \
		"$(echo $tot | tr ' ' '\n' | sort -u)" "$n"
done
expect_eq "--offset past the end lists nothing" "$(kas queue --json --offset 100000)" "[]"
expect_eq "... and says so" "$(kas queue --offset 100000)" \
	"no pending candidates after the first 100000"
expect_match "the text footer counts the whole queue, the rows shown and the next page's offset" \
	"$(kas queue --limit 3 --offset 10)" \
	"^11-13 of $(python3 -c "print(f'{$in_queue:,}')") pending candidates shown; --offset 13 shows the next\$"
expect_exit "a negative --offset is a usage error" 2 kas queue --offset -1
expect_match "help names --offset" "$(kas help queue)" "--offset N"

# entities page alike
kas entities --json --limit all | ids >"$T/ents"
ne=$(wc -l <"$T/ents" | tr -d ' ')
expect_eq "entities --offset: the second page follows the first" \
	"$( (kas entities --json --limit 4 | ids; kas entities --json --limit 4 --offset 4 | ids) | md5sum)" \
	"$(head -n 8 "$T/ents" | md5sum)"
expect_eq "... its total is every entity" "$(kas entities --json --limit 4 --offset 4 | totals)" "$ne"
expect_eq "the last page's footer names its rows, and no next page" \
	"$(kas entities --offset $((ne - 2)) | tail -n 1)" "$((ne - 1))-$ne of $ne entities shown"
expect_eq "entities --offset past the end says so" "$(kas entities --offset "$ne")" \
	"no entities after the first $ne"
expect_match "help names --offset" "$(kas help entities)" "--offset N"

# GET /queue walks by the last pair's place: pages of 137 joined are the
# whole order, each pair once, in both orders and in a probability range.
start_daemon
for args in "" "order=score" "min=0.2&max=0.9"; do
	cli=$(echo "$args" | sed 's/^/--/; s/&/ --/g; s/=/ /g; s/^--$//')
	kas queue --json --limit all $cli | ids >"$T/all"
	n=$(wc -l <"$T/all" | tr -d ' ')
	expect_eq "/queue?$args: pages of 137 by cursor" "$(walk_list /queue "limit=137${args:+&$args}" "$T/walked")" \
		$(((n + 136) / 137))
	expect_eq "... are the whole order, each pair once" "$(md5sum <"$T/walked")" "$(md5sum <"$T/all")"
done

# decide_ahead ORDER: after the first page, the last pair served and the
# two after it are rejected (and one further on), as an operator working
# the queue from another screen would.
for order in uncertainty score; do
	kas queue --json --limit all --order $order | ids >"$T/all"
	set -- $(sed -n '50p; 51p; 52p; 400p' "$T/all")
	expect_eq "/queue?order=$order walked while pairs are rejected" \
		"$(walk_list /queue "limit=50&order=$order" "$T/walked" \
			"for c in $*; do '$BIN' -c '$CONF' reject \$c; done")" "$(((in_queue - 3 + 49) / 50))"
	kas queue --json --limit all --order $order | ids >"$T/after"
	expect_eq "... the rejections took those four pairs out of the queue, no other" \
		"$(grep -vxF -e "$1" -e "$2" -e "$3" -e "$4" "$T/all" | md5sum)" "$(md5sum <"$T/after")"
	expect_eq "... the walk served each pair once, the first page and then the rest in order" \
		"$( (cat "$T/served"; grep -vxF -f "$T/served" "$T/after") | md5sum)" "$(md5sum <"$T/walked")"
	in_queue=$((in_queue - 4))
done

get "/queue?limit=2"
next=$(jq_ 'd["meta"]["next"]')
get "/queue?limit=2&cursor=$next"
expect_eq "a cursor pages on with its own filters" "$CODE $(jq_ 'd["meta"]["count"]')" "200 2"
for other in "order=score" "min=0.1" "max=0.95"; do
	get "/queue?limit=2&$other&cursor=$next"
	expect_eq "... and is refused with $other" "$CODE $(jq_ 'd["error"]["message"]')" \
		"400 parameter 'cursor': it belongs to a query with other filters; start again without a cursor"
done
get "/entities?limit=2&cursor=$next"
expect_eq "... or on /entities" "$CODE" 400

# /entities walks by the last entity's place (size, id) alike
for args in "" "search=a"; do
	kas entities --json --limit all ${args:+--search a} | ids >"$T/all"
	n=$(wc -l <"$T/all" | tr -d ' ')
	expect_eq "/entities?$args: pages of 3 by cursor" \
		"$(walk_list /entities "limit=3${args:+&$args}" "$T/walked")" $(((n + 2) / 3))
	expect_eq "... are the whole listing, largest first, each entity once" \
		"$(md5sum <"$T/walked")" "$(md5sum <"$T/all")"
done
stop_daemon

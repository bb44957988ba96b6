#!/bin/sh
# bench/bench-er.sh — match quality on every labelled set in ../shared/data,
# one table; bench/er.sh says how each set is configured (the same default
# matcher settings for all; pairs across the two sources, or inside the
# one source of a set of duplicates). Per set:
#   RECORDS, TRUE      records loaded, true pairs among them
#   BLOCK              blocking recall: true pairs blocking let through
#   BEST_F1            the best F1 any threshold on the pairs' probabilities
#                      reaches: how well the model ranks the blocked pairs
#   AUTO_P/_R/_F1      precision, recall, F1 of the automatic entities
#   REVIEW_F1          F1 after an operator accepts the true pairs in the
#                      review queue and rejects the others
#   REVIEW10           the same when the operator reviews no more pairs than
#                      a tenth of the records, the first ones `queue` lists
#                      (its default order): the goals' review budget
#   FP_AUTO, UNLISTED  false automatic pairs, and how many of them join two
#                      records that no true pair names (the truth is silent
#                      there rather than saying otherwise: on these sets
#                      mostly pairs it left out, docs/matching.md)
#   QUEUE%             the queue as a share of the records
#   F1_50              automatic F1 after 50 operator decisions: the 50 first
#                      of the queue (most informative first) approved or
#                      rejected as the truth says, then `dedup`, which
#                      learns from them
#   SECONDS, RSS_MIB   wall time and peak RSS of the `run` that loaded and
#                      matched the set
# Scores come from `kasparro export records|queue` and
# `dedup --blocked-pairs` (bench/er_score.py). Each set gets a database of
# its own on BENCH_PGHOST (make bench's cluster); derived sets' files go in
# its temporary folder. ER_SETS="restaurants febrl" picks sets, ER_LABELS the decisions (0: none), ER_DATA the data folder,
# ER_UNIQUE=false configures every source as not unique.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/bench/hook.sh"
BIN=${KASPARRO_BIN:-$top/kasparro}
DATA=${ER_DATA:-$top/../shared/data}
LABELS=${ER_LABELS:-50}
. "$top/bench/febrl.sh"
. "$top/bench/er.sh"
SETS=${ER_SETS:-$ER_ALL}
tmp=${BENCH_TMP:-$(mktemp -d)}
mkdir -p "$tmp"
export ER_WORK=$tmp
say() { printf "bench: %s\n" "$*" >&2; }
val() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }
kas() { "$BIN" -c "$conf" "$@"; }

# score NAME [BLOCKED]: exports and scores the current state into $tmp/$set.NAME
score() {
	kas export records --output "$tmp/$set.records.csv" >/dev/null
	kas export queue --output "$tmp/$set.queue.csv" >/dev/null
	kas queue --json --limit all >"$tmp/$set.listed.json"
	python3 "$top/bench/er_score.py" $truth $sources "$tmp/$set.records.csv" \
		"$tmp/$set.queue.csv" "${2:--}" "$tmp/$set.listed.json" >"$tmp/$set.$1"
}

# The operator: decides the first $1 candidates of the queue as the truth
# says, one by one.
label_queue() {
	kas queue --json --limit "$1" >"$tmp/$set.labels.json"
	python3 - "$top/bench" "$tmp/$set.labels.json" $truth $sources <<-'PY' |
	import json, sys
	sys.path.insert(0, sys.argv[1])
	from er_score import pair_of, read_truth
	queue, truth_file, delim, first, second = sys.argv[2:7]
	truth = read_truth(truth_file, delim, first, second)
	for c in json.load(open(queue)):
	    pair = pair_of(first, second, (c["a"]["source"], c["a"]["source_id"]),
	                   (c["b"]["source"], c["b"]["source_id"]))
	    print(("approve " if pair in truth else "reject ") + str(c["id"]))
	PY
	while read -r verb id; do kas "$verb" "$id" >/dev/null 2>&1 || true; done
}

row() {
	printf '%-21s %8s %6s %6s %7s %6s %6s %7s %9s %8s %7s %8s %6s %6s %7s %7s\n' "$@"
}
row SET RECORDS TRUE BLOCK BEST_F1 AUTO_P AUTO_R AUTO_F1 REVIEW_F1 REVIEW10 FP_AUTO UNLISTED QUEUE% \
	F1_50 SECONDS RSS_MIB \
	>"$tmp/table"
for set in $SETS; do
	say "er: $set"
	db=er_$(echo "$set" | tr -c 'a-z0-9\n' _)
	psql -X -q -h "$BENCH_PGHOST" -U kasparro -d postgres -c "DROP DATABASE IF EXISTS $db" \
		-c "CREATE DATABASE $db" >/dev/null 2>&1
	export KASPARRO_DATABASE_URL="host=$BENCH_PGHOST user=kasparro dbname=$db"
	conf=$tmp/$set.conf
	er_config "$set" "$DATA" >"$conf"
	truth=$(er_truth "$set" "$DATA")
	sources=$(er_sources "$set")
	kas db migrate >/dev/null
	/usr/bin/time -f '%e %M' -o "$tmp/$set.time" env LOG_LEVEL=warn "$BIN" -c "$conf" run \
		>"$tmp/$set.run" 2>&1 || { cat "$tmp/$set.run" >&2; exit 1; }
	# the same pass again, to see which pairs blocking let through
	kas dedup --rescan --blocked-pairs "$tmp/$set.blocked" >/dev/null 2>&1
	score score "$tmp/$set.blocked"
	# ER_LABELS=0: no decisions, F1_50 is the pass again without them
	if [ "$LABELS" -gt 0 ]; then label_queue "$LABELS"; fi
	kas dedup >/dev/null 2>&1
	score learned
	read -r secs kib <"$tmp/$set.time"
	s=$tmp/$set.score
	row "$set" "$(val records "$s")" "$(val true_pairs "$s")" "$(val blocking_recall "$s")" \
		"$(val best_f1 "$s")" "$(val auto_precision "$s")" "$(val auto_recall "$s")" "$(val auto_f1 "$s")" \
		"$(val review_f1 "$s")" "$(val review10_f1 "$s")" "$(val auto_false "$s")" \
		"$(val auto_false_unlisted "$s")" \
		"$(awk -v q="$(val queue_share "$s")" 'BEGIN { printf "%.1f", 100 * q }')" \
		"$(val auto_f1 "$tmp/$set.learned")" "$secs" "$((kib / 1024))" >>"$tmp/table"
done
echo
echo "entity matching: labelled sets, default matcher settings, $(nproc) cores"
cat "$tmp/table"

# Febrl 4a/4b (5000 + 5000 person records, 5000 true links) loaded as two
# CSV sources with `kasparro run`: automatic merges are precise and find
# nearly every true pair, and the queue is small. Thresholds are loose;
# bench/bench-match.sh has the numbers.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/bench/febrl.sh"
data="$TOP/../shared/data/febrl"
if [ ! -f "$data/dataset4a.csv" ]; then
	ok "# SKIP no Febrl data in $data"
	exit 0
fi
new_db
febrl_config "$T/febrl.conf" "$data"
CONF="$T/febrl.conf"
out=$(kas run 2>&1)
expect_match "both Febrl files load and are matched" "$out" "febrl-b +succeeded +5000 +5000"
q=$(febrl_quality)
echo "$q" | sed 's/^/# /'
val() { echo "$q" | awk -v k="$1" '$1 == k {print $2}'; }
expect_eq "automatic precision is at least 0.99" "$(awk "BEGIN{print ($(val auto_precision) >= 0.99)}")" 1
expect_eq "automatic recall is at least 0.95" "$(awk "BEGIN{print ($(val auto_recall) >= 0.95)}")" 1
expect_eq "recall after review is at least 0.95" "$(awk "BEGIN{print ($(val review_recall) >= 0.95)}")" 1
expect_eq "the queue holds at most 15% of the records" "$(awk "BEGIN{print ($(val queue_share) <= 0.15)}")" 1

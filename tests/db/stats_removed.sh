# A source removed from the configuration, then retired and purged, keeps
# its runs, so `stats` and `sources NAME` still know it. `stats` listed it
# as a configured source with "0 0" records; `sources NAME` said "removed
# from the configuration; no live record left" but `sources NAME --json`
# printed [] (GET /sources/NAME answers 410 there). Both say it is removed
# now: stats has "(removed)" after its name and "configured": false, and
# `sources --json NAME` is its row, "configured": false, ERROR what is left.
. "$KASPARRO_TOP/tests/lib/lib.sh"
auto_pairs_fixture
awk '/^\[/ { skip = ($0 == "[source b]") } !skip' "$CONF" >"$T/without-b.conf"
CONF="$T/without-b.conf"
row() { kas sources --json b | python3 -c "import json, sys; l = json.load(sys.stdin); print(len(l), $1)"; }
stat() { kas stats --json | python3 -c "import json, sys; s = {x['source']: x for x in json.load(sys.stdin)['sources']}; print($1)"; }

expect_match "stats: b removed from the configuration, its records live" "$(kas stats)" \
	'^b \(removed\) +2 +0 '
expect_eq "stats --json: configured false for b, true for a" \
	"$(stat "s['a']['configured'], s['b']['configured'], s['b']['records_live']")" "True False 2"
check "retire --yes b" kas retire --yes b
expect_eq "sources --json b, retired: its row, removed, what is left" \
	"$(row "l[0]['configured'], l[0]['records'], l[0]['deleted'], l[0]['kind']")" "1 False 0 2 None"
expect_match "... its ERROR says it is removed, and how to get the records back" \
	"$(row "l[0]['last_error']")" \
	"^1 removed from the configuration; no live record left: 'kasparro restore --retired b' brings back its 2 retired records$"
expect_match "... as the text says" "$(kas sources b)" \
	"^source b · removed from the configuration; no live record left: 'kasparro restore --retired b'"
expect_eq "... and the listing still leaves it out (no live record)" \
	"$(kas sources --json | python3 -c 'import json, sys; print([s["name"] for s in json.load(sys.stdin)])')" "['a']"

sql "DELETE FROM kasparro.records WHERE source = 'b'" >/dev/null # as the purge leaves it
expect_match "stats, b purged: still said removed, not a source with 0 records" "$(kas stats)" \
	'^b \(removed\) +0 +0 '
expect_no_match "... no bare 'b' row" "$(kas stats)" '^b +0'
expect_eq "sources --json b, purged: its row, no record left" \
	"$(row "l[0]['configured'], l[0]['records'], l[0]['deleted'], l[0]['last_error']")" \
	"1 False 0 0 removed from the configuration; no record left"
expect_match "... as the text says" "$(kas sources b)" \
	"^source b · removed from the configuration; no record left$"
expect_exit "sources --json nosuch: a usage error, as before" 2 kas sources --json nosuch
expect_exit "sources nosuch: the same" 2 kas sources nosuch

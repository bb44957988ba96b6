#!/bin/sh
# bench/bench-variants-scale.sh — the variant words (src/dedup/variants.c)
# at scale: BENCH_VARIANTS_ROWS (default 1,000,000) synthetic product
# listings of a catalogue marked `unique` and a reseller's feed
# (bench/gen-products.py; titles of 4 to 14 words, near-twin editions),
# loaded with matching off, then matched from scratch (`dedup --rescan`),
# then 1% more listings arrive and a run matches them. Prints the records,
# wall time, the variant words' own time (they are learnt from every title
# of the unique source at every pass, the incremental one too), peak RSS,
# how many words were learnt from how many keys, and digests of what each
# pass decided, by which two builds can be compared on the same data.
# BENCH_VARIANTS_UNIQUE=false marks no source unique: nothing is learnt,
# and the same passes show what matching costs without the variant words.
# Needs a PostgreSQL reachable through KASPARRO_DATABASE_URL (a scratch
# database: it is filled).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/bench/hook.sh"
BIN=${KASPARRO_BIN:-$top/kasparro}
ROWS=${BENCH_VARIANTS_ROWS:-1000000}
UNIQUE=${BENCH_VARIANTS_UNIQUE:-true}
EXTRA=$((ROWS / 100))
if [ -n "${BENCH_TMP:-}" ]; then
	tmp=$BENCH_TMP
	mkdir -p "$tmp"
else
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
fi
. "$top/bench/outcome.sh"
sql() { psql -X -A -t -q -v ON_ERROR_STOP=1 "$KASPARRO_DATABASE_URL" -c "$1"; }
say() { printf "bench: %s\n" "$*" >&2; }
out() { echo "variants-scale $*"; }

say "variants-scale: generating $ROWS product listings (+$EXTRA later)"
python3 "$top/bench/gen-products.py" "$ROWS" "$tmp" --extra "$EXTRA"
{
	printf '[schema]\ntitle = text\nbrand = text\nmodel = text\nprice = number\n'
	for s in shop:$UNIQUE feed:false; do
		printf '[source %s]\nkind = csv\npath = %s/%s.csv\nid = id\nunique = %s\n' \
			"${s%:*}" "$tmp" "${s%:*}" "${s#*:}"
		for f in title brand model price; do printf 'map.%s = %s\n' $f $f; done
	done
	printf '[matching]\ntitle_field = title\nblocking = model\n'
} >"$tmp/match.conf"
cp "$tmp/match.conf" "$tmp/load.conf"
echo "enabled = false" >>"$tmp/load.conf"

say "variants-scale: loading with matching off"
"$BIN" -c "$tmp/load.conf" run >/dev/null

# measure NAME ARGS...: `kasparro ARGS` at debug level, which logs how
# long each phase of the pass took and what the variant words learnt
measure() {
	_name=$1
	shift
	LOG_LEVEL=debug /usr/bin/time -f '%e %M' -o "$tmp/$_name.time" "$BIN" -c "$tmp/match.conf" \
		"$@" >/dev/null 2>"$tmp/$_name.log" || { tail -n 20 "$tmp/$_name.log" >&2; exit 1; }
	read -r _secs _kib <"$tmp/$_name.time"
	out "$_name seconds $_secs   load $(cut -d' ' -f1-3 /proc/loadavg)"
	out "$_name peak_rss_mib $((_kib / 1024))"
	grep -o '"msg":"matching: [0-9]* records[^"]*"' "$tmp/$_name.log" |
		sed "s/^\"msg\":\"matching: /variants-scale $_name /; s/\"\$//"
	grep -o 'matching: [a-z ]* in [0-9.]*s' "$tmp/$_name.log" |
		sed "s/^matching: /variants-scale $_name phase: /"
	grep -oE 'matching: [0-9]+ variant words from [0-9]+ twin keys in [0-9]+ pass(es)?( of at most [0-9]+)?' \
		"$tmp/$_name.log" | sed "s/^matching: /variants-scale $_name learnt: /"
	out "$_name outcome $(outcome)   (partition, candidates: md5)"
}

say "variants-scale: dedup --rescan"
out "records $(sql "SELECT count(*) FROM kasparro.records WHERE deleted_at IS NULL")" \
	"(the unique source's: $ROWS)"
measure rescan dedup --rescan
say "variants-scale: $EXTRA more listings arrive; a run matches them"
mv "$tmp/feed-extra.csv" "$tmp/feed.csv"
measure incremental run

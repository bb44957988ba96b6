#!/bin/sh
# bench/bench-match.sh — match quality on Febrl 4a/4b (precision, recall,
# F1 of automatic merges and after accepting true queued pairs, queue
# size, share of true pairs found by blocking) and the matching time.
# Needs a PostgreSQL reachable through KASPARRO_DATABASE_URL (a scratch
# database: it is filled). Matching at 1,000,000 records is measured by
# bench/bench-match-scale.sh.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
BIN=${KASPARRO_BIN:-$top/kasparro}
. "$top/bench/febrl.sh"
sql() { psql -X -A -t -q -v ON_ERROR_STOP=1 "$KASPARRO_DATABASE_URL" -c "$1"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
febrl_config "$tmp/febrl.conf" "$top/../shared/data/febrl"
"$BIN" -c "$tmp/febrl.conf" run >/dev/null
start=$(date +%s.%N)
"$BIN" -c "$tmp/febrl.conf" dedup --rescan
end=$(date +%s.%N)
febrl_quality | sed 's/^/febrl /'
echo "febrl rescan_seconds $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')"

#!/bin/sh
# make run: start the private database, load the sample sources, then read
# the partner's next export, which arrives cut short, and open the console
# (or, without a terminal, print the two runs and stop there).
#
# The cut export (sample/partner-cut.csv) is read as partner-feed through a
# copy of the configuration that differs in that source's path alone: a
# complete read that would delete most of the partner's records, so the
# mass-delete guard holds them and the console opens with a held deletion
# to decide (on its Deleted screen) as well as pairs to review. Only the
# shipped configuration has that path; with another one, make run loads it
# and stops there.
set -e
BIN=${1:-./kasparro}
CONF=${KASPARRO_CONFIG:?}
"$BIN" db start
echo "loading the sample sources..."
"$BIN" run || [ $? -eq 3 ]
runs=1
sample=$(cd "$(dirname "$CONF")" && pwd)/sample
if [ -f "$sample/partner-cut.csv" ] && grep -qx 'path = sample/partner.csv' "$CONF"; then
	echo "reading the partner's next export, cut short (sample/partner-cut.csv)..."
	cut=$(mktemp)
	to=$(printf '%s/partner-cut.csv' "$sample" | sed 's/[&|\\]/\\&/g')
	sed "s|^path = sample/partner.csv\$|path = $to|" "$CONF" >"$cut"
	rc=0
	"$BIN" -c "$cut" run partner-feed || rc=$?
	rm -f "$cut"
	# the held deletion ends the run partial (exit 1; it says so); 3: busy
	case $rc in 0 | 1 | 3) ;; *) exit "$rc" ;; esac
	runs=2
fi
if [ -t 0 ] && [ -t 1 ] && "$BIN" help console >/dev/null 2>&1; then
	exec "$BIN"
fi
"$BIN" runs --limit $runs

#!/bin/sh
# make run: start the private database, load the sample sources, and open
# the console (or, without a terminal, print the run and stop there).
set -e
BIN=${1:-./kasparro}
"$BIN" db start
echo "loading the sample sources..."
"$BIN" run || [ $? -eq 3 ]
if [ -t 0 ] && [ -t 1 ] && "$BIN" help console >/dev/null 2>&1; then
	exec "$BIN"
fi
"$BIN" runs --limit 1

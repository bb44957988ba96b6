#!/bin/sh
# bench/bench-console.sh — the console's side of make bench: keypress to
# redraw while a 1,000,000-row ingest runs in its engine thread, and CPU
# used when idle (bench/console.py; it runs its own private cluster and
# tmux server, so the hook's scratch database stays unused).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
python3 "$top/bench/console.py" "${KASPARRO_BIN:-$top/kasparro}" | sed 's/^/console /'

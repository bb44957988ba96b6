#!/bin/sh
# Prints the console's default key bindings as mdoc, for kasparro(1)'s
# "Keys" subsection, from the key table itself (`kasparro keys --json`):
# the tables in its order, titled as it titles them (the console's screen
# table, src/tui/tui-private.h, names and orders the screens).
# tests/console/man.sh checks that the manual holds exactly this text;
# after changing a default binding, run
#   sh tools/man-keys.sh ./kasparro
# and paste the output between the "keys:" markers in man/kasparro.1.
BIN=${1:-./kasparro}
"$BIN" keys --json | python3 -c '
import json, sys

keys = json.load(sys.stdin)
order = []
for k in keys:
    if k["table"] not in order:
        order.append(k["table"])
for table in order:
    rows = [k for k in keys if k["table"] == table]
    print(".It " + rows[0]["title"])
    print(".Bl -tag -width Escape -compact")
    for k in rows:
        key = k["key"].replace("\\", "\\e")
        print(".It Cm \\&" + key)
        print("\\&" + (k["note"] or "").replace("\\", "\\e"))
        print(".Pq Ql \"" + k["command"].replace("\\", "\\e").replace("\"", "\\(dq") + "\"")
    print(".El")
'

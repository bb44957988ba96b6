#!/bin/sh
# Prints the console's default key bindings as mdoc, for kasparro(1)'s
# "Keys" subsection, from the key table itself (`kasparro keys --json`).
# tests/console/man.sh checks that the manual holds exactly this text;
# after changing a default binding, run
#   sh tools/man-keys.sh ./kasparro
# and paste the output between the "keys:" markers in man/kasparro.1.
BIN=${1:-./kasparro}
"$BIN" keys --json | python3 -c '
import json, sys

titles = {
    "global": "Everywhere",
    "pager": "The pager (command output, this help)",
    "runs": "Runs", "schedule": "Schedule", "review": "Review", "entities": "Entities",
    "deleted": "Deleted", "sources": "Sources", "log": "Log",
}
order = ["global", "pager", "runs", "schedule", "review", "entities", "deleted", "sources", "log"]
keys = json.load(sys.stdin)
for table in order:
    rows = [k for k in keys if k["table"] == table]
    if not rows:
        continue
    print(".It " + titles[table])
    print(".Bl -tag -width Escape -compact")
    for k in rows:
        key = k["key"].replace("\\", "\\e")
        print(".It Cm \\&" + key)
        print("\\&" + (k["note"] or "").replace("\\", "\\e"))
        print(".Pq Ql \"" + k["command"].replace("\\", "\\e").replace("\"", "\\(dq") + "\"")
    print(".El")
'

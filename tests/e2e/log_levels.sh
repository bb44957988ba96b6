# How a run and each source end is logged: a failed run at error, a
# partial one at warn, a succeeded one at info, each with its status (and
# a source with its counts) as fields of the JSON line, not only in the
# message. A failed run used to be an info line like any other.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
csv_source_config a
cat >>"$CONF" <<'CONF'
[source b]
kind = csv
path = b.csv
id = id
map.title = title
CONF
title_rows 1 3 >"$T/a.csv"
title_rows 4 5 >"$T/b.csv"
kas db migrate >/dev/null

line() { # MESSAGE-PREFIX: the log line whose msg starts so, as "level fields..."
	python3 - "$T/log" "$1" <<-'PY'
		import json, sys
		for l in open(sys.argv[1]):
		    if not l.startswith("{"): continue  # the command's own last word
		    d = json.loads(l)
		    if d["msg"].startswith(sys.argv[2]):
		        keys = ("status", "fetched", "inserted", "updated", "unchanged", "quarantined")
		        print(d["level"], *[f"{k}={d[k]}" for k in keys if k in d])
	PY
}

LOG_LEVEL=info kas run >/dev/null 2>"$T/log"
expect_eq "a run that succeeded: info, its status a field" "$(line 'run 1 succeeded')" "info status=succeeded"
expect_eq "a source that succeeded: info, its counts fields" "$(line "source 'a' ")" \
	"info status=succeeded fetched=3 inserted=3 updated=0 unchanged=0 quarantined=0"

rm "$T/b.csv"
LOG_LEVEL=info kas run >/dev/null 2>"$T/log"
expect_eq "a partial run (one source failed): warn" "$(line 'run 2 partial')" "warn status=partial"
expect_eq "the failed source: error, with its counts" "$(line "source 'b' ")" \
	"error status=failed fetched=0 inserted=0 updated=0 unchanged=0 quarantined=0"
expect_eq "the other source: info, unchanged" "$(line "source 'a' ")" \
	"info status=succeeded fetched=3 inserted=0 updated=0 unchanged=3 quarantined=0"

rm "$T/a.csv"
LOG_LEVEL=info kas run >/dev/null 2>"$T/log"
expect_eq "a failed run: error" "$(line 'run 3 failed')" "error status=failed"
expect_match "... its error a field too" "$(python3 -c '
import json, sys
for l in open(sys.argv[1]):
    d = json.loads(l) if l.startswith("{") else {"msg": ""}
    if d["msg"].startswith("run 3 "): print(d.get("error", ""))' "$T/log")" "^a: .*; b: "

# Every time a command writes with --json is one format, ISO 8601 in UTC
# with its offset ("2026-11-28T10:00:00Z"), whichever command wrote it: a
# script that reads runs, deletions, the audit log, decisions, held sets,
# quarantine and sources parses one format; a record's timestamp fields
# too (show-record, show-match), their fraction of a second kept. The
# payload is the data as the source gave it and is not rewritten. The text
# tables go on showing "2026-11-28 10:00:00" under a "(UTC)" header.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

two_sources_config
printf 'id,title,author,published_at,url\na1,The Python Guide,Ann Lee,2026-01-01,https://x.org/python\n' >"$T/a.csv"
printf 'a2,Cooking with Gas,Bo Chen,2026-02-01T10:00:00.25+02:00,https://x.org/gas\n' >>"$T/a.csv"
printf 'a3,,No Title,2026-02-01,https://x.org/none\n' >>"$T/a.csv"
printf 'id,title,author,published_at,url\nb1,the python guide!,ANN LEE,2026-01-01,https://y.org/p\n' >"$T/b.csv"
kas run >/dev/null 2>&1
# a record's timestamp field: in UTC with Z, its fraction kept (show-match
# writes its records' fields the same way: db/dedup_dates.sh)
field_time() { # CMD ID PYTHON-PATH
	kas "$1" --json "$2" | python3 -c "import json, sys; o = json.load(sys.stdin); print(o$3)"
}
expect_eq "show-record --json writes a timestamp field as it writes every time" \
	"$(field_time show-record "$(sql "SELECT id FROM kasparro.records WHERE source_id = 'a2'")" \
		'["fields"]["published_at"]')" "2026-02-01T08:00:00.25Z"
# a decision (split), a deletion, a held set, a quarantined record
key=$(sql "SELECT key FROM kasparro.entities WHERE id = $(entity_of a1)")
kas split "$key" "$(sql "SELECT id FROM kasparro.records WHERE source_id = 'a1'")" >/dev/null
printf 'id,title,author,published_at,url\na1,The Python Guide,Ann Lee,2026-01-01,https://x.org/python\n' >"$T/a.csv"
kas run --allow-mass-delete a >/dev/null 2>&1
printf 'id,title,author,published_at,url\n' >"$T/b.csv"
kas run b >/dev/null 2>&1
expect_eq "there is a decision, a deletion, a held set and a quarantined record" \
	"$(sql "SELECT concat((SELECT count(*) FROM kasparro.decisions), (SELECT count(*) FROM kasparro.records WHERE is_deleted), (SELECT count(*) FROM kasparro.pending_deletes), (SELECT least(count(*), 1) FROM kasparro.quarantine))")" \
	1111

# dated(CMD...): "key=value" for every string in CMD's JSON that begins like
# a date, but in records' values: their fields, payload, and the audit
# log's copies of them before and after (the data, as stored)
dated() {
	kas "$@" --json | python3 -c '
import json, re, sys
def walk(o, path):
    if isinstance(o, dict):
        for k, v in o.items():
            if k not in ("fields", "payload", "before", "after"):
                walk(v, k)
    elif isinstance(o, list):
        for v in o:
            walk(v, path)
    elif isinstance(o, str) and re.match(r"\d{4}-\d\d-\d\d", o):
        print("%s=%s" % (path, o))
walk(json.load(sys.stdin), "")'
}
for cmd in runs "show-run 1" stats sources decisions audit deleted "held --all" quarantine \
	"show-record 1" "schedule show"; do
	# shellcheck disable=SC2086 # the command and its arguments
	got=$(dated $cmd)
	if [ -z "$got" ]; then
		not_ok "$cmd --json writes a time to check"
		continue
	fi
	expect_no_match "$cmd --json writes every time as ISO 8601 in UTC" "$got" \
		'=([0-9]{4}-[0-9]{2}-[0-9]{2}$|.*[0-9]{2} [0-9]{2}:|.*T[0-9:]+$|.*T[0-9:.]+[+-])'
	expect_match "... such as $(printf '%s\n' "$got" | head -1)" "$(printf '%s\n' "$got" | head -1)" \
		'=[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'
done
expect_match "the text tables show the same times without T and Z" "$(kas audit --limit 1)" \
	'^ *[0-9]+ +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} '
expect_match "... as stats does under its (UTC) headers" "$(kas stats | grep '^a ')" \
	'^a +[0-9]+ +[0-9]+ +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} '

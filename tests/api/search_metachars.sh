# LIKE's own characters (% _ \) in a search are taken literally, end to
# end: GET /data?q= with the label index (host/label_index.c) and without
# it, and `entities --search` with entities_search_idx and by a scan (a
# needle too short for trigrams). A backslash in a title is found by a
# needle holding it ("a\back", "\%", "\\"), a needle ending in one finds
# it, and none of them is an escape that changes what else matches.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
new_db

csv_source_config s
printf '[scheduler]\nenabled = false\n' >>"$CONF"
api_keys
api_section
# a heredoc, not echo: sh's echo makes "\b" a backspace
cat >"$T/s.csv" <<'CSV'
id,title
b1,snake_case and a\back
b2,a back
b3,C:\temp\%done
b4,two\\slashes here
b5,ends with a slash\
p1,100% Organic
p2,100 Organic
u1,snake_case
u2,snakeXcase
u3,50\_50 odds
CSV
# many others, so that the planner reads the index, as on an installation
seq 1 20000 | awk '{ printf "x%d,Filler record %d harbour\n", $1, $1 }' >>"$T/s.csv"
kas run >/dev/null 2>&1
sql "INSERT INTO kasparro.entities (key, title, size) SELECT 'e-' || source_id,
	title, 1 FROM kasparro.records; ANALYZE kasparro.records; ANALYZE kasparro.entities"
expect_eq "the backslashes are in the titles as the file has them" \
	"$(sql "SELECT title FROM kasparro.records WHERE source_id IN ('b1', 'b4') ORDER BY 1")" \
	'snake_case and a\back
two\\slashes here'

# NEEDLE=EXPECTED per line: the needle URL-encoded, the source ids found
CASES='a%5Cback=b1
A%5CBACK=b1
%5Cback=b1
a%5Cb=b1
%5C=b1 b3 b4 b5 u3
%5C%5C=b4
o%5C%5Cs=b4
%5C%25=b3
temp%5C%25done=b3
%5C_=u3
50%5C_50=u3
slash%5C=b5
%25=b3 p1
100%25=p1
0%25%20o=p1
_=b1 u1 u3
e_c=b1 u1
snake_case=b1 u1
%25d=b3'

ids() { # the records /data?q=$1 finds, sorted
	get "/data?limit=1000&q=$1"
	[ "$CODE" = 200 ] || { echo "HTTP $CODE $(cat "$T/body")"; return; }
	jq_ '" ".join(sorted(r["source_id"] for r in d["data"]))'
}
titles() { # the entities `entities --search` finds, by their records' ids, sorted
	kas entities --search "$1" --limit all --json | python3 -c 'import json, sys
print(" ".join(sorted(e["key"][2:] for e in json.load(sys.stdin))))'
}
decode() { python3 -c 'import sys, urllib.parse; print(urllib.parse.unquote(sys.argv[1]))' "$1"; }
each_case() { # each_case WHAT FUNCTION [DECODE]
	printf '%s\n' "$CASES" | while IFS='=' read -r needle want; do
		n=$needle
		[ -z "${3:-}" ] || n=$(decode "$needle")
		expect_eq "$1: '$(decode "$needle")' finds $want" "$($2 "$n")" "$want"
	done
}

start_daemon
label_valid() {
	sql_is "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
		WHERE c.relname LIKE 'records\_label\_%' AND i.indisvalid" 1
}
wait_for "the daemon builds the label index" 60 label_valid
each_case "/data?q= with the label index" ids
sql "DROP INDEX kasparro.$(sql "SELECT relname FROM pg_class WHERE relname LIKE 'records\_label\_%'")"
each_case "/data?q= reading every record" ids
stop_daemon
each_case "entities --search" titles decode

# What kasparro decided, for programs outside it: `export records` writes
# every live record with its entity, `export queue` the pending candidates
# with both sides' source ids (CSV or JSON lines, to a file only when
# complete); `entities --members` lists each entity's records; listings
# take --limit all and count over every row, not the shown ones. An empty
# CSV export is its header line.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

two_sources_config
cat >"$T/a.csv" <<'CSV'
id,title,author,published_at,url
a1,The Python Guide,Ann Lee,2026-01-01,https://x.org/python
a2,"Café Culture, in ""Paris""",Bob Roy,2026-01-02,https://x.org/cafe
a3,Rust for Beginners,Cy Dee,2026-01-03,https://x.org/rust
a4,Gardening Tips,Di Fox,2026-01-04,https://x.org/garden
a5,Winter Recipes,Ed Gum,2026-01-05,https://x.org/winter
CSV
cat >"$T/b.csv" <<'CSV'
id,title,author,published_at,url
b1,the python guide!,ANN LEE,2026-01-01,https://y.org/p
b2,"CAFE CULTURE, IN ""PARIS""",bob roy,2026-01-02,https://y.org/c
b3,Rust for Beginers,Cy Dee,2026-01-03,https://x.org/rust
b4,Gardening Tricks,Di Fox,2026-01-04,https://y.org/g
b5,Quantum Computing,Zed Ox,2026-03-01,https://y.org/q
CSV
kas run >/dev/null 2>&1
sql "UPDATE kasparro.records SET is_deleted = true, deleted_at = now(), change_seq = nextval('kasparro.record_change_seq') WHERE source_id = 'a5'"
kas dedup >/dev/null 2>&1

# export records: every live record once, with its entity
kas export records >"$T/records.csv"
expect_eq "export records exits 0" "$?" 0
py_csv() {
	python3 -c 'import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
print("\n".join(sorted(r["source"] + ":" + r["source_id"] + "=" + r["entity"] for r in rows)))' "$1"
}
expected=$(for id in a1 a2 a3 a4 b1 b2 b3 b4 b5; do
	src=a
	case $id in b*) src=b ;; esac
	echo "$src:$id=$(entity_of $id)"
done | sort)
expect_eq "every live record once, with its entity (the deleted one left out)" "$(py_csv "$T/records.csv")" "$expected"
expect_eq "the header names the columns" "$(head -1 "$T/records.csv")" \
	"record,source,source_id,entity,entity_key,method,confidence,title"
expect_eq "a title with a comma and quotes survives CSV quoting" \
	"$(python3 -c 'import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline="")):
    if r["source_id"] == "a2": print(r["title"])' "$T/records.csv")" 'Café Culture, in "Paris"'
expect_eq "merged records share the entity in the export" \
	"$(grep -c ",$(entity_of a1),the-python-guide-001," "$T/records.csv")" 2

kas export records --format jsonl >"$T/records.jsonl"
expect_eq "JSON lines: one object per live record" \
	"$(python3 -c 'import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print(len(rows), sorted(rows[0]))' "$T/records.jsonl")" \
	"9 ['confidence', 'entity', 'entity_key', 'method', 'record', 'source', 'source_id', 'title']"

# export queue: the pending pair with both source ids
q=$(kas export queue --format jsonl)
expect_match "the queue export names both sides' sources and source ids" "$q" \
	'"a_source":"a","a_source_id":"a4",.*"b_source":"b","b_source_id":"b4"'
expect_eq "as many rows as the queue holds" "$(echo "$q" | grep -c candidate)" \
	"$(kas queue --json --limit all | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"

# --output: written whole, then renamed; a bad path leaves nothing
out=$(kas export records --output "$T/out.jsonl" 2>&1)
expect_match "export --output says how many rows went where, and the format" "$out" \
	"^9 live records written to '$T/out.jsonl' \(JSON lines\)"
expect_eq "the file has them" "$(wc -l <"$T/out.jsonl")" 9
expect_eq "no temporary file is left beside it" "$(ls "$T" | grep -c 'out.jsonl.')" 0
expect_exit "an unwritable output exits 1" 1 kas export records --output "$T/no/such/dir/x.csv"
expect_match "naming the file" "$(kas export records --output "$T/no/x.csv" 2>&1)" \
	"export: unable to create a file beside '$T/no/x.csv'"
expect_exit "export of something else is a usage error" 2 kas export everything
expect_exit "an unknown format is a usage error" 2 kas export records --format xml

# entities --members
m=$(kas entities --members --json --limit all)
expect_match "entities --members --json lists each entity's records with source ids" "$m" \
	'"key":"the-python-guide-001".*"members":\[\{"record":[0-9]+,"source":"a","source_id":"a1","method":"[a-z]+","confidence":[0-9.]+,"title":"The Python Guide"\},\{"record":[0-9]+,"source":"b","source_id":"b1"'
expect_match "and in text, a MEMBERS column" "$(kas entities --members)" "MEMBERS.*
.*a:a1, b:b1"

# --limit all and counts over all rows
n=$(sql "SELECT count(*) FROM kasparro.entities WHERE deleted_at IS NULL")
expect_match "a cut listing says how many there are in all" "$(kas entities --limit 2)" \
	"^2 of $n entities shown; --limit N or --limit all shows more\$"
expect_eq "every --json row carries the total" \
	"$(kas entities --limit 2 --json | python3 -c 'import json,sys; print(sorted({r["total"] for r in json.load(sys.stdin)}))')" "[$n]"
expect_eq "--limit all lists every entity" \
	"$(kas entities --limit all --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" "$n"
expect_no_match "and says nothing of more" "$(kas entities --limit all)" "shown;"
sql "UPDATE kasparro.records SET is_deleted = true, deleted_at = now() WHERE source_id = 'b5'"
expect_match "deleted: 1 of 2 shown" "$(kas deleted --limit 1)" "^1 of 2 deleted records shown"
for c in runs quarantine audit queue held deleted entities; do
	expect_exit "$c --limit all is accepted" 0 kas $c --limit all
	expect_exit "$c --limit 0 is a usage error" 2 kas $c --limit 0
done
expect_match "the message says what --limit takes" "$(kas runs --limit lots 2>&1)" \
	"option '--limit': 'lots' is not a count \(1 or more\) or 'all'"

# an empty export still names its columns: once the queue is decided, the
# queue's CSV is its header line alone
for c in $(kas queue --json --limit all | python3 -c 'import json,sys; print(" ".join(str(r["id"]) for r in json.load(sys.stdin)))'); do
	kas reject "$c" >/dev/null 2>&1
done
expect_eq "an empty queue exports as its header line" "$(kas export queue)" \
	"candidate,probability,weight,a_record,a_source,a_source_id,b_record,b_source,b_source_id,a_title,b_title,to_confirm,note"
kas export queue --output "$T/empty.csv" >/dev/null
expect_eq "... to a file too" "$(cat "$T/empty.csv")" \
	"candidate,probability,weight,a_record,a_source,a_source_id,b_record,b_source,b_source_id,a_title,b_title,to_confirm,note"
expect_eq "... and as JSON lines, as nothing" "$(kas export queue --format jsonl | wc -c)" 0

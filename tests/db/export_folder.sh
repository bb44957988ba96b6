# `export --output` names a file: a folder given instead is a usage error
# said before any row is written (it was written whole to a temporary
# file beside the folder, then the rename failed), with a name the
# operator could have meant. Nothing is left beside the folder.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
sample_config
kas run >/dev/null 2>&1
mkdir "$T/out"
out=$(kas export records --output "$T/out" 2>&1)
expect_eq "a folder as --output is a usage error (exit 2)" "$?" 2
expect_eq "... naming it and a file in it" "$out" \
	"kasparro: option '--output': '$T/out' is a folder; name a file, such as '$T/out/records.csv'"
expect_eq "... leaving nothing beside it" "$(ls "$T" | grep -c '^out\.')" 0
expect_match "a JSON lines export suggests a .jsonl name" \
	"$(kas export queue --format jsonl --output "$T/out/" 2>&1)" "such as '$T/out/queue\.jsonl'\$"
check "a file in the folder is written" kas export records --output "$T/out/records.csv"
expect_eq "... whole" "$(python3 -c 'import csv, sys; print(sum(1 for _ in csv.DictReader(open(sys.argv[1]))))' "$T/out/records.csv")" \
	"$(sql "SELECT count(*) FROM kasparro.records WHERE NOT is_deleted")"

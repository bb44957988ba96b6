# kasparro fetch shows each item under the id a run loads it by: the id
# column is found as loading finds it (an exact header first, else one that
# differs only in case), so what an operator checks with fetch is what the
# records table then holds. Before, fetch matched the header exactly and
# showed "-" for every row of a file whose header said ID where the
# configuration says id.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
csv_source_config shop
printf 'ID,title\nA-1,First\nB-2,Second\n' >"$T/shop.csv"

out=$(kas fetch shop 2>&1)
expect_match "fetch shows the id of a column whose case differs (line 2)" "$out" \
	'^line 2  A-1  \{"ID":"A-1","title":"First"\}$'
expect_match "fetch shows the id of a column whose case differs (line 3)" "$out" \
	'^line 3  B-2  \{"ID":"B-2","title":"Second"\}$'
expect_eq "fetch --json gives the ids" \
	"$(kas fetch --json shop | python3 -c 'import json, sys; print(" ".join(str(i["id"]) for i in json.load(sys.stdin)["items"]))')" \
	"A-1 B-2"
kas run shop >/dev/null 2>&1
expect_eq "a run loads the rows under the same ids" \
	"$(sql "SELECT string_agg(source_id, ' ' ORDER BY source_id) FROM kasparro.records WHERE source = 'shop'")" \
	"A-1 B-2"

# an exact header wins over one that differs in case, for both
printf 'ID,id,title\nx,A-1,First\n' >"$T/shop.csv"
expect_match "with both ID and id, fetch takes the exact one, as a run does" \
	"$(kas fetch shop 2>&1)" '^line 2  A-1  '

# a row without the id still shows "-"
printf 'ID,title\n,Nameless\n' >"$T/shop.csv"
expect_match "a row without an id shows -" "$(kas fetch shop 2>&1)" '^line 2  -  '

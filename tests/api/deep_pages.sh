# A page of /runs or /decisions reads its own items, not the ones before
# it: the cursor resumes after the id of the last item served (runs
# --before, decisions --before), where it used to read the listing from
# its top down to the page. Probed with a newer item made unreadable after
# the first page: the next page is still served. /entities resumes after
# the last entity's place (size, id): a cursor past the end serves
# nothing, and meta.total still counts every entity, as it does on every
# page of a search.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
sample_listings
ids() { python3 -c 'import json, sys; print(" ".join(str(x["id"]) for x in json.load(sys.stdin)))'; }

set -- $(sql "SELECT id FROM kasparro.runs ORDER BY id DESC")
expect_eq "runs --before: the runs older than one" "$(kas runs --json --before "$1" | ids)" "$2 $3"
expect_eq "... with --limit" "$(kas runs --json --before "$1" --limit 1 | ids)" "$2"
expect_match "... none older than the first: said so" "$(kas runs --before "$3")" "^no run before run $3"
expect_exit "... not a run id: usage error" 2 kas runs --before x
set -- $(sql "SELECT id FROM kasparro.decisions ORDER BY id DESC")
expect_eq "decisions --before: the decisions older than one" \
	"$(kas decisions --json --before "$1" | ids)" "$2 $3"

# second_page ROUTE TABLE SET: after the first page of /ROUTE?limit=1, its
# item is made unreadable (UPDATE kasparro.TABLE SET SET) and the command
# ROUTE fails on it; $PAGE: "CODE COUNT OLDER" of the next page, OLDER
# whether its item is older than the first page's.
second_page() {
	get "/$1?limit=1"
	_first=$(jq_ 'd["data"][0]["id"]')
	_next=$(jq_ 'd["meta"]["next"]')
	sql "UPDATE kasparro.$2 SET $3 WHERE id = $_first" >/dev/null
	expect_exit "($1 cannot read the newest item now)" 1 kas "$1"
	get "/$1?limit=1&cursor=$_next"
	PAGE="$CODE $(jq_ 'len(d["data"])') $(jq_ 'all(x["id"] < '"$_first"' for x in d["data"])')"
}
start_daemon
second_page runs runs "matching = coalesce(matching, '{}') || '{\"auto_merges\": \"x\"}'"
expect_eq "/runs: the second page is served without reading the first" "$PAGE" "200 1 true"
second_page decisions decisions "before = '{\"candidates\": [{\"id\": \"x\"}]}'"
expect_eq "/decisions: the second page is served without reading the first" "$PAGE" "200 1 true"

n=$(sql "SELECT count(*) FROM kasparro.entities WHERE deleted_at IS NULL")
cur=$(python3 -c 'import base64, sys; print(base64.urlsafe_b64decode(sys.argv[1] + "==").decode())' \
	"$(curl -s -H "Authorization: Bearer $VIEW_KEY" "$API/entities?limit=1" |
		python3 -c 'import json, sys; print(json.load(sys.stdin)["meta"]["next"])')")
past=$(printf '%s' "${cur%%.*}.k.999999999,0" | python3 -c 'import base64, sys; print(base64.urlsafe_b64encode(sys.stdin.buffer.read()).decode().rstrip("="))')
get "/entities?limit=1&cursor=$past"
expect_eq "/entities: a cursor past the end serves nothing, and the total" \
	"$CODE $(jq_ 'd["meta"]["count"]') $(jq_ 'd["meta"]["next"]') $(jq_ 'd["meta"]["total"]')" \
	"200 0 null $n"
get "/entities?limit=1&search=a"
searched=$(jq_ 'd["meta"]["total"]')
check "a search finds entities" [ "$searched" -gt 1 ]
get "/entities?limit=1&search=a&cursor=$(jq_ 'd["meta"]["next"]')"
expect_eq "... its second page counts them all too" "$CODE $(jq_ 'd["meta"]["total"]')" "200 $searched"
stop_daemon

# Cursor pagination whose cursors go round (a, b, a, ...) is read forever
# unless the read remembers the cursors it was fetched with: a next cursor
# that an earlier page had fails the read, naming both, as one that is the
# page's own does. A read whose cursors do not come back is read whole.
. "$KASPARRO_TOP/tests/lib/lib.sh"

page() { # FILE NEXT ID
	printf '{"data": [{"id": %s, "title": "t%s"}], "next": %s}' "$3" "$3" "$2" >"$T/$1"
}
page c-.json '"a"' 1
page c-a.json '"b"' 2
page c-b.json '"a"' 3
CONF="$T/k.conf"
printf '[schema]\ntitle = text\n[source api]\nkind = http_json\nurl = file://%s/c-{cursor}.json\n' "$T" >"$CONF"
printf 'pagination = cursor\nrecords = data\nid = id\ncursor_path = next\n' >>"$CONF"
out=$(timeout 60 "$BIN" -c "$CONF" fetch api 2>&1)
rc=$?
expect_eq "cursors that go round end the read with exit 1 (before: read until killed)" "$rc" 1
expect_match "... naming the cursor and the request it was fetched with" "$out" \
	"source 'api': request 3: the next cursor \('a'\) is the one request 2 was fetched with; the API's cursors go round"
expect_match "... after the pages before it" "$out" "^2 items from source 'api': 3 pages, 3 requests"

page c-b.json null 3
out=$(timeout 60 "$BIN" -c "$CONF" fetch --json api 2>&1)
expect_eq "cursors that end are read whole" \
	"$(printf '%s' "$out" | python3 -c 'import json,sys; print(" ".join(i["id"] for i in json.load(sys.stdin)["items"]))')" "1 2 3"

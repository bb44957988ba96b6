# Cursors of /runs and /decisions hold the last item served and nothing
# else ("FINGERPRINT.b.ID"): they used to carry a count of the items
# served too, which no page read. Such a cursor, given by an older server
# in the middle of a walk, still resumes after its id. A cursor older
# still, which paged by that count under a fingerprint of the route and
# filters alone — every listing's before they paged by key, /queue's and
# /entities' until migration 18 — is refused with a 400 that says so and
# sends the client back to the first page; it used to be refused as one
# "of other filters" (/runs, /decisions) or as one "this server did not
# give" (/queue, /entities). So is an older server's cursor given with
# other filters than its own (it was refused as one of other filters, or
# as none this server gave): dropping the filters would not make it read.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
sample_listings
start_daemon

# unwrap CURSOR: the text a cursor wraps; wrap TEXT: a cursor of it
unwrap() { python3 -c 'import base64, sys; c = sys.argv[1]; print(base64.urlsafe_b64decode(c + "=" * (-len(c) % 4)).decode())' "$1"; }
wrap() { python3 -c 'import base64, sys; print(base64.urlsafe_b64encode(sys.argv[1].encode()).decode().rstrip("="))' "$1"; }
# fp TEXT: a cursor's fingerprint of a route and its filters (FNV-1a, 32 bits)
fp() { python3 -c 'import sys
h = 2166136261
for b in sys.argv[1].encode(): h = ((h ^ b) * 16777619) & 0xffffffff
print("%08x" % h)' "$1"; }
old_msg="parameter 'cursor': its format is an older server's, which this one no longer reads; start again from the first page, without a cursor"

for route in runs decisions; do
	case $route in runs) other=status=succeeded ;; *) other=action=reject ;; esac
	get "/$route?limit=1"
	first=$(jq_ '[x["id"] for x in d["data"]]')
	next=$(jq_ 'd["meta"]["next"]')
	last=$(jq_ 'd["data"][0]["id"]')
	expect_eq "/$route: the cursor holds the last id served, no count" "$(unwrap "$next")" \
		"$(fp "keyset:$route?").b.$last"
	get "/$route?limit=1&cursor=$next"
	expect_eq "... and serves the page after it" "$CODE $(jq_ '[x["id"] < '"$last"' for x in d["data"]]')" "200 [true]"
	page2=$(jq_ 'd["data"]')
	get "/$route?limit=1&cursor=$(wrap "$(fp "keyset:$route?").1.$last")"
	expect_eq "/$route: an older server's cursor with the count resumes after its id" \
		"$CODE $(jq_ 'd["data"]')" "200 $page2"
	get "/$route?limit=1&cursor=$(wrap "$(fp "$route?").1.$last")"
	expect_eq "/$route: a cursor that paged by the count is refused as an older server's" \
		"$CODE $(jq_ 'd["error"]["message"]')" "400 $old_msg"
	get "/$route?limit=1&cursor=$(wrap "$(fp "$route?").1.")"
	expect_eq "... one without an anchor too" "$CODE $(jq_ 'd["error"]["message"]')" "400 $old_msg"
	get "/$route?limit=1&cursor=$(wrap "$(fp "keyset:$route?").b.x")"
	expect_eq "... a cursor that is none: 400, not a cursor this server gave" \
		"$CODE $(jq_ 'd["error"]["message"]')" \
		"400 parameter 'cursor': not a cursor this server gave (use meta.next of the previous page)"
	get "/$route?limit=1&$other&cursor=$next"
	expect_match "... a cursor of other filters is still refused as such" \
		"$CODE $(jq_ 'd["error"]["message"]')" "^400 parameter 'cursor': it belongs to a query with other filters"
	get "/$route?limit=1&$other&cursor=$(wrap "$(fp "$route?").1.$last")"
	expect_eq "/$route: a cursor that paged by the count, given with other filters: an older server's" \
		"$CODE $(jq_ 'd["error"]["message"]')" "400 $old_msg"
	get "/$route?limit=1&$other&cursor=$(wrap "$(fp "$route?").1.")"
	expect_eq "... one without an anchor too" "$CODE $(jq_ 'd["error"]["message"]')" "400 $old_msg"
	get "/$route?limit=1&$other&cursor=$(wrap "$(fp "keyset:$route?").1.$last")"
	expect_eq "... and one with the count beside the last id" \
		"$CODE $(jq_ 'd["error"]["message"]')" "400 $old_msg"
done

# /queue and /entities paged by the count of items served until migration 18
for route in queue entities; do
	get "/$route?limit=1"
	expect_match "/$route: its cursor holds a place" "$(unwrap "$(jq_ 'd["meta"]["next"]')")" \
		"^$(fp "key:$route?")\\.k\\."
	get "/$route?limit=1&cursor=$(wrap "$(fp "$route?").1.")"
	expect_eq "/$route: a cursor from before migration 18 is refused as an older server's" \
		"$CODE $(jq_ 'd["error"]["message"]')" "400 $old_msg"
	get "/$route?limit=1&cursor=$(wrap "$(fp "$route?").1.7")"
	expect_eq "... one with an anchor too" "$CODE $(jq_ 'd["error"]["message"]')" "400 $old_msg"
done
get "/queue?limit=1&order=score&cursor=$(wrap "$(fp "queue?order=score&").2.")"
expect_eq "/queue: an old cursor of a filtered walk too" "$CODE $(jq_ 'd["error"]["message"]')" \
	"400 $old_msg"
get "/queue?limit=1&order=score&cursor=$(wrap "$(fp "queue?").1.7")"
expect_eq "/queue: an old cursor given with other filters than its own too" \
	"$CODE $(jq_ 'd["error"]["message"]')" "400 $old_msg"

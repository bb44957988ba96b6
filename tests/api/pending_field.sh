# /data and /data/{source}/{id} while a declared field has no column yet:
# a reload declared it while a long report kept kasparro.records busy, so
# the column waits (host/columns.c). No record has a value for the field,
# so it is null, as it is once the column is there and before a run loads
# it, and meta.pending_fields names it. Every /data request that did not
# leave the field out used to answer 500 ("column r.extra does not
# exist", under the code "conflict") until the report ended. The log says
# it once (it said it again at the first read of the field).
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
api_fixture 1,one,1 2,two,2
start_daemon
hold_report "a long report holds kasparro.records"
sed -i '/^\[schema\]/a extra = integer' "$CONF"
kill -HUP "$DAEMON_PID"
wait_for "a reload declares a field; its column waits for the table" 60 \
	grep -q 'the columns of the new fields are not added yet' "$T/daemon.log"

get "/data?limit=5"
expect_eq "/data answers 200" "$CODE" 200
expect_eq "... the field null in every record" "$(jq_ '[r["fields"]["extra"] for r in d["data"]]')" "[null, null]"
expect_eq "... and the log warned once of the field, when its column waited" \
	"$(grep -c "'extra'" "$T/daemon.log")" 1
expect_eq "... the other fields as ever" "$(jq_ '[r["fields"]["n"] for r in d["data"]]')" "[1, 2]"
expect_eq "... meta.pending_fields names it" "$(jq_ 'd["meta"].get("pending_fields")')" '["extra"]'
get "/data?extra=3"
expect_eq "a filter on it: 200, no record has the value" "$CODE $(jq_ 'd["meta"]["count"]')" "200 0"
get "/data?fields=title"
expect_eq "a request leaving it out: 200, nothing pending" "$CODE $(jq_ '"pending_fields" in d["meta"]')" "200 false"
get "/data?limit=1"
next=$(jq_ 'd["meta"]["next"]')
get "/data?limit=1&cursor=$next"
expect_eq "... its cursor pages on" "$CODE $(jq_ '[r["source_id"] for r in d["data"]]')" '200 ["2"]'
get "/data/a/1"
expect_eq "/data/a/1: 200, the field null" "$CODE $(jq_ 'd["data"]["fields"]["extra"]')" "200 null"
expect_eq "... meta.pending_fields names it" "$(jq_ 'd["meta"].get("pending_fields")')" '["extra"]'

end_report
wait_for "once the report ends, the column is added" 60 \
	grep -q '"reload: kasparro.records has a column for every field of \[schema\]"' "$T/daemon.log"
get "/data?limit=5"
expect_eq "/data: the field null still (no run loaded it), nothing pending" \
	"$CODE $(jq_ '[r["fields"]["extra"] for r in d["data"]]') $(jq_ '"pending_fields" in d["meta"]')" \
	"200 [null, null] false"
stop_daemon
expect_eq "the daemon stops: exit 0" "$DAEMON_RC" 0

# Comma lists of any length: a client's ?fields= and the configuration's
# key lists were split into fixed arrays (256 and 32 items) and then read
# past their end, so ?fields= with more than 256 items could crash the
# daemon, and a 33rd key name was never read. Now every item counts: a
# long list of declared fields is served, an unknown one at its end is a
# 400 naming it, and the 40th of 40 keys named in viewer_keys_env opens.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
new_db
csv_config 100 shop
title_rows 1 3 >"$T/shop.csv"
api_keys
names=VIEW_KEY
for i in $(seq 1 39); do
	eval "export EXTRA_KEY_$i=extra-key-number-$i-0123456789"
	names="$names, EXTRA_KEY_$i"
done
api_section "viewer_keys_env=$names"
sed -i '0,/^viewer_keys_env = VIEW_KEY$/{//d}' "$CONF"
kas run >/dev/null 2>&1
start_daemon

long=$(python3 -c 'print(",".join(["title"] * 400))')
get "/data?fields=$long"
expect_eq "?fields= naming title 400 times: 200" "$CODE" 200
expect_eq "... and the records with their title" "$(jq_ 'len(d["data"])')" 3
get "/data?fields=$long,nope"
expect_match "... and with an unknown field as its 401st item: 400 naming it" \
	"$CODE $(jq_ 'd["error"]["message"]')" "^400 parameter 'fields': 'nope' is not a declared field"
get /health
expect_eq "the daemon still serves" "$CODE" 200

req GET "/data?fields=title" "extra-key-number-39-0123456789"
expect_eq "the 40th key named in viewer_keys_env opens /data" "$CODE" 200
req GET "/data?fields=title" "extra-key-number-40-0123456789"
expect_eq "a key no variable holds does not" "$CODE" 401
stop_daemon

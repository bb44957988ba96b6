# Blanks after the key in 'Authorization: Bearer KEY ' are the header's
# (RFC 9110 5.5), not the key's: the key is taken. libmicrohttpd keeps
# them, and a key pasted with a trailing blank (read from a file, a
# template) was refused as not valid.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
api_fixture 1,one,1
start_daemon

req GET /runs "" -H "Authorization: Bearer $VIEW_KEY "
expect_eq "a blank after the key: taken" "$CODE" 200
req GET /runs "" -H "$(printf 'Authorization: Bearer %s\t\t' "$VIEW_KEY")"
expect_eq "... tabs too" "$CODE" 200
req GET /runs "" -H "Authorization: Bearer   $VIEW_KEY"
expect_eq "... and blanks before it, as before" "$CODE" 200
req GET /runs "" -H "Authorization: Bearer ${VIEW_KEY}x "
expect_eq "another key with a blank after it is still refused" "$CODE $(jq_ 'd["error"]["code"]')" \
	"401 unauthorized"
req GET /runs "" -H "Authorization: Bearer ${VIEW_KEY%?} "
expect_eq "... and so is a key cut short" "$CODE" 401
stop_daemon
expect_no_match "no key reaches the log" "$(cat "$T/daemon.log")" "$VIEW_KEY"

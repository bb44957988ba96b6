# An Authorization header of another scheme than Bearer (Basic, as curl -u
# sends, or a token scheme of another API) is 401 saying that this API takes
# only Bearer keys, naming the scheme and never what follows it; it was the
# message of a wrong key. Bearer is taken in any case of letters.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
api_fixture 1,one,1
start_daemon

msg() { echo "$CODE $(jq_ 'd["error"]["message"]')"; }

CODE=$(curl -s -o "$T/body" -D "$T/headers" -w '%{http_code}' -u operator:hunter2-secret "$API/runs")
expect_eq "Basic: 401 saying only Bearer keys are taken" "$(msg)" \
	"401 the Authorization header uses the scheme 'Basic'; this API takes only Bearer keys ('Authorization: Bearer KEY')"
expect_eq "... the challenge names the Bearer scheme, no invalid_token" \
	"$(grep -i '^www-authenticate:' "$T/headers" | tr -d '\r')" 'WWW-Authenticate: Bearer realm="kasparro"'
req GET /runs "" -H "Authorization: Token $VIEW_KEY"
expect_eq "another token scheme: named" "$(msg)" \
	"401 the Authorization header uses the scheme 'Token'; this API takes only Bearer keys ('Authorization: Bearer KEY')"
expect_no_match "... the key never in the answer" "$(cat "$T/body")" "$VIEW_KEY"
req GET /runs "" -H "Authorization: Bearer"
expect_eq "Bearer and no key: said so" "$(msg)" "401 the Authorization header holds no key after 'Bearer'"
req GET /runs "" -H "Authorization: Bearer not-a-key-of-ours-at-all"
expect_eq "a wrong Bearer key: not valid, as before" "$(msg)" \
	"401 the API key is not valid (expected 'Authorization: Bearer KEY')"
req GET /runs "" -H "Authorization: bearer $VIEW_KEY"
expect_eq "bearer in lower case: served" "$CODE" 200
expect_no_match "the Basic password is in no log line" "$(cat "$T/daemon.log")" "hunter2|b3BlcmF0b3I6aHVudGVyMi1zZWNyZXQ"
stop_daemon

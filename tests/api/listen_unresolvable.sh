# An [http] listen whose host does not resolve stops the daemon before
# anything starts: exit 2 (a configuration error), the message naming the
# file, the line and the setting. The daemon used to wait for the database,
# start the engine and the scheduler (logging the schedule), and only then
# fail.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
api_fixture 1,one,1
sed -i 's/^listen = .*/listen = nohost.invalid:8000/' "$CONF"
line=$(grep -n '^listen = nohost' "$CONF" | cut -d: -f1)

out=$(KASPARRO_HTTP_LISTEN= LOG_LEVEL=info timeout -k 5 "$(slow 30)" "$BIN" -c "$CONF" daemon --wait-db 1s 2>&1)
expect_eq "the daemon does not start: exit 2" "$?" 2
expect_match "... naming the file, the line, the setting and the host" "$out" \
	"^kasparro: http: config '$CONF' line $line: \[http\] listen 'nohost.invalid:8000': host 'nohost.invalid' does not resolve"
expect_no_match "... before the scheduler or the engine started" "$out" "schedule|daemon started|engine"

out=$(KASPARRO_HTTP_LISTEN=nohost.invalid:1 LOG_LEVEL=info timeout -k 5 "$(slow 30)" "$BIN" -c "$CONF" daemon --wait-db 1s 2>&1)
expect_eq "KASPARRO_HTTP_LISTEN with such a host: exit 2 too" "$?" 2
expect_match "... naming the variable" "$out" \
	"^kasparro: http: listen 'nohost.invalid:1' \(KASPARRO_HTTP_LISTEN\): host 'nohost.invalid' does not resolve"

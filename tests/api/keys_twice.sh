# One key given twice — the same secret in viewer_keys_env and
# operator_keys_env, or one hash on two lines of the key file — is refused
# with both names, at start and on reload. Only the first ever matched:
# the operator's key was taken as the viewer's, and its requests answered
# 403 under the other key's name.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
api_fixture 1,one,1
# the key file's part: no key from the environment
keyless=$(grep -v '_keys_env' "$CONF")

# a daemon that starts would run until the bound: 124
daemon_exit() { KASPARRO_HTTP_LISTEN= timeout "$(slow 20)" "$BIN" -c "$CONF" daemon >"$T/out" 2>&1; }

VIEW_KEY=$OPS_KEY
daemon_exit
expect_eq "the same key as viewer's and operator's: the daemon does not start, exit 2" "$?" 2
expect_match "... naming both" "$(cat "$T/out")" \
	"http: the key in 'OPS_KEY' is the key of 'VIEW_KEY' \(viewer\) as well; a key has one name and one role, so give each its own"
api_keys

hash() { printf %s "$1" | sha256sum | cut -d' ' -f1; }
printf 'alice operator sha256:%s\n# reporting\nreports viewer sha256:%s\n' \
	"$(hash "$OPS_KEY")" "$(hash "$OPS_KEY")" >"$T/keys"
printf '%s\nkey_file = keys\n' "$keyless" >"$CONF"
daemon_exit
expect_eq "one hash on two lines of the key file: exit 2" "$?" 2
expect_match "... naming the file, the line and the first name" "$(cat "$T/out")" \
	"http: key file '.*/keys' line 3 \('reports'\) is the key of 'alice' \(operator\) as well"

# a reload that brings a key twice is refused, and the keys in use stay
printf 'alice operator sha256:%s\n' "$(hash "$OPS_KEY")" >"$T/keys"
start_daemon
req POST /queue/1/reject "$OPS_KEY"
expect_eq "alice's key is an operator's" "$CODE $(jq_ 'd["error"]["code"]')" "404 not_found"
printf 'reports viewer sha256:%s\n' "$(hash "$OPS_KEY")" >>"$T/keys"
kill -HUP "$DAEMON_PID"
wait_for "a reload that gives a key twice is refused" 60 grep -q \
	"reload: config '$CONF': http: key file '.*/keys' line 2 ('reports') is the key of 'alice' (operator) as well.*; keeping the running configuration" \
	"$T/daemon.log"
req POST /queue/1/reject "$OPS_KEY"
expect_eq "... and the key is still alice's, an operator's" "$CODE $(jq_ 'd["error"]["code"]')" "404 not_found"
stop_daemon
expect_eq "the daemon stops: exit 0" "$DAEMON_RC" 0

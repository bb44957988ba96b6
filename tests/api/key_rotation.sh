# A key [http] viewer_keys_env names, set by the .env file of the daemon's
# folder, is rotated without a restart: edit .env, send SIGHUP, and the new
# key is taken and the old refused. It used to be read once, at start. A key
# from the process's own environment stays what it was; a .env that no
# longer sets the variable is refused by the reload, which keeps the keys
# in force.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
api_fixture 1,one,1
OLD=$VIEW_KEY
NEW=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
unset VIEW_KEY
mkdir "$T/run"
printf '# the API keys\nVIEW_KEY=%s\n' "$OLD" >"$T/run/.env"
cd "$T/run" || exit 1
start_daemon

req GET /runs "$OLD"
expect_eq "the key .env sets is taken" "$CODE" 200

printf '# the API keys\nVIEW_KEY="%s"\n' "$NEW" >"$T/run/.env"
kill -HUP "$DAEMON_PID"
wait_for "the reload is applied" 60 grep -q '"reload: configuration' "$T/daemon.log"
req GET /runs "$NEW"
expect_eq "after SIGHUP the key rotated in .env is taken" "$CODE" 200
req GET /runs "$OLD"
expect_eq "... and the old one refused" "$CODE" 401
req GET /runs "$OPS_KEY"
expect_eq "a key from the environment still serves" "$CODE" 200

printf '# emptied\n' >"$T/run/.env"
kill -HUP "$DAEMON_PID"
wait_for "a .env that no longer sets it: the reload is refused, saying why" 60 grep -q \
	"reload: config '$CONF': http: \[http\] viewer_keys_env names 'VIEW_KEY', which is not set in the environment (nor in .env); keeping the running configuration" \
	"$T/daemon.log"
req GET /runs "$NEW"
expect_eq "... the key in force still serves" "$CODE" 200
stop_daemon
expect_eq "the daemon stops: exit 0" "$DAEMON_RC" 0

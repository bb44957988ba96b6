# A reload of a file with nothing to ingest (an editor's save that emptied
# it, a cut copy) is refused, as the daemon refuses to start on it: it used
# to load with no source and no key, and the daemon went on with nothing to
# run and an API that let no one in. The running configuration is kept, all
# of it, and a good file after it loads.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
new_db
KEY=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
echo "reports viewer sha256:$(printf %s "$KEY" | sha256sum | cut -d' ' -f1)" >"$T/keys"
CONF="$T/k.conf"
printf '[schema]\ntitle = text\n[source s]\nkind = csv\npath = s.csv\nid = id\nmap.title = title\n' >"$T/good.conf"
printf '[scheduler]\ncron = 0 3 * * *\n[http]\nlisten = 127.0.0.1:0\nkey_file = keys\n' >>"$T/good.conf"
cp "$T/good.conf" "$CONF"
printf 'id,title\n1,a\n' >"$T/s.csv"
kas db migrate >/dev/null
start_daemon
wait_for "the scheduler acts on the file's schedule" 60 grep -q '"scheduler: schedule .0 3 \* \* \*.' "$T/daemon.log"

: >"$CONF"
kill -HUP "$DAEMON_PID"
wait_for "a reload of an emptied file is refused" 60 grep -q \
	"reload: config '$CONF' has nothing to ingest: .*; keeping the running configuration" "$T/daemon.log"
expect_eq "... and nothing was loaded" "$(grep -c '"reload: configuration' "$T/daemon.log")" 0
req GET /stats "$KEY"
expect_eq "the API still takes the key it had" "$CODE" 200

printf '[schema]\ntitle = text\n' >"$CONF"
kill -HUP "$DAEMON_PID"
wait_for "so is a file with fields and no source" 60 grep -q \
	"reload: config '$CONF' declares no source: .*; keeping the running configuration" "$T/daemon.log"

cp "$T/good.conf" "$CONF"
kill -HUP "$DAEMON_PID"
wait_for "a good file after them loads" 60 grep -q '"reload: configuration .* loaded (1 source' "$T/daemon.log"
stop_daemon
expect_eq "the daemon stops: exit 0" "$DAEMON_RC" 0

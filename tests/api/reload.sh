# A reload applies to everything or nothing. A file that loads but that
# the HTTP server cannot take up (its key file is gone) used to reach the
# engine and the scheduler while the server kept its old settings: one
# process ran two configurations. Now nothing takes it, and the log says
# the running configuration is kept, all of it.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
new_db
KEY=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
echo "reports viewer sha256:$(printf %s "$KEY" | sha256sum | cut -d' ' -f1)" >"$T/keys"
write_conf() { # CRON KEY_FILE
	CONF="$T/k.conf"
	printf '[schema]\ntitle = text\n[source s]\nkind = csv\npath = s.csv\nid = id\nmap.title = title\n' >"$CONF"
	printf '[scheduler]\ncron = %s\n[http]\nlisten = 127.0.0.1:0\nkey_file = %s\n' "$1" "$2" >>"$CONF"
}
printf 'id,title\n1,a\n' >"$T/s.csv"
write_conf "0 3 * * *" keys
kas db migrate >/dev/null
start_daemon
wait_for "the scheduler acts on the file's schedule" 60 grep -q '"scheduler: schedule .0 3 \* \* \*.' "$T/daemon.log"

write_conf "0 4 * * *" keys.gone
kill -HUP "$DAEMON_PID"
wait_for "a reload the HTTP server cannot take up is refused, all of it" 60 grep -q \
	"reload: config '$CONF': http: \[http\] key_file: unable to open '.*/keys.gone': No such file or directory; keeping the running configuration, all of it" \
	"$T/daemon.log"
req GET /stats "$KEY"
expect_eq "the API still takes the key it had" "$CODE" 200

# A good reload next; the scheduler says each schedule it takes, in order.
write_conf "0 5 * * *" keys
kill -HUP "$DAEMON_PID"
wait_for "a good reload after it applies" 60 grep -q '"scheduler: schedule .0 5 \* \* \*.' "$T/daemon.log"
expect_no_match "the scheduler never took the refused file's schedule" "$(cat "$T/daemon.log")" \
	"schedule '0 4 \* \* \*'"
expect_eq "one reload was applied" "$(grep -c '"reload: configuration' "$T/daemon.log")" 1
stop_daemon
expect_eq "the daemon stops: exit 0" "$DAEMON_RC" 0

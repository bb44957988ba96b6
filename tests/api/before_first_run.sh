# Before the first run: a fresh database holds none of the columns of the
# configured fields yet, and kasparro adds them when it opens the database,
# so the HTTP API of a daemon waiting for its first fire time and the
# listings answer with nothing rather than "column r.title does not exist".
# A field added later and reloaded with SIGHUP is served at once too; a
# field whose type changed is refused by a run, not by the listings.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
new_db
csv_config 100 a
printf 'id,title,n\n1,One,1\n' >"$T/a.csv"
api_keys
api_section

start_daemon
get "/data"
expect_eq "/data before any run: 200" "$CODE" 200
expect_eq "... and no records" "$(jq_ 'd["data"]')" "[]"
get "/queue"
expect_eq "/queue before any run: 200, empty" "$CODE $(jq_ 'd["data"]')" "200 []"

sed -i 's/^n = integer$/n = integer\nshelf = text/' "$CONF"
kill -HUP "$DAEMON_PID"
wait_for "SIGHUP reloads the configuration with its new field" 60 \
	grep -qF "reload: configuration '$CONF' loaded" "$T/daemon.log"
get "/data?shelf=top"
expect_eq "/data filters on the new field before any run has loaded it" "$CODE $(jq_ 'd["data"]')" "200 []"
stop_daemon

expect_eq "queue before any run: empty, exit 0" "$(kas queue 2>&1; echo "exit $?")" \
	"the review queue is empty
exit 0"
expect_eq "export records before any run: exit 0" "$(kas export records >/dev/null 2>&1; echo $?)" 0
expect_exit "show-record of a record that does not exist: exit 1" 1 kas show-record 1
expect_match "... saying so" "$(kas show-record 1 2>&1)" "no record 1; 'kasparro export records' lists them$"

# a field whose type changed is refused by a run, which would store it,
# not by the listings, which only read
sed -i 's/^n = integer$/n = text/' "$CONF"
expect_exit "a run refuses a field whose column holds another type: exit 2" 2 kas run
expect_match "... and says what to do" "$(kas run 2>&1)" \
	"line 3: field 'n' is declared text, but column kasparro.records.n holds bigint; kasparro does not convert stored data"
expect_eq "the queue still answers" "$(kas queue 2>&1)" "the review queue is empty"

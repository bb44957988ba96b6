# The console serves the HTTP API when [http] listen asks, on its own engine:
# a run triggered with POST /runs shows on the console's Runs screen, a run
# started from the console is what GET /runs reports, and the server stops
# with the console. Without [http] listen the console serves nothing (the
# daemon's default address is the daemon's alone).
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/api.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
csv_config 100 books
printf 'id,title,n\n1,one,1\n2,two,2\n3,three,3\n' >"$T/books.csv"
api_keys
api_section
kas db migrate >/dev/null
# tests/run.sh turns the API off for every test; this one asks for it
KASPARRO_HTTP_LISTEN=
export KASPARRO_HTTP_LISTEN

console_start
wait_screen "the console is up" '^ connected' 30
send 7
wait_screen "the console says where it serves HTTP (Log screen)" \
	'http: listening on 127\.0\.0\.1:[0-9]+' 30
API="http://$(screen | grep -Eo 'listening on 127\.0\.0\.1:[0-9]+' | head -n 1 | sed 's/.* //')"
get /health
expect_eq "GET /health answers from the console's server" "$CODE" 200
expect_eq "... and reaches the console's database" "$(jq_ 'd["data"]["database"]["reachable"]')" true

req POST /runs "$OPS_KEY"
expect_eq "POST /runs is accepted by the console's engine" "$CODE" 202
run=$(jq_ 'd["data"]["run_id"]')
send 1
wait_screen "the console shows the run the API started, ended" "^Run $run succeeded" 60
get "/runs/$run"
expect_eq "GET /runs/ID reports it succeeded" "$(jq_ 'd["data"]["status"]')" succeeded

send r
wait_screen "a run started from the console" "^Run $((run + 1)) succeeded" 60
get "/runs?limit=1"
expect_eq "is the latest run GET /runs lists" "$(jq_ 'd["data"][0]["id"]')" "$((run + 1))"
req POST /runs "$VIEW_KEY"
expect_eq "a viewer key may not start a run" "$CODE" 403
# the console's own exit, not only its terminal's: killing tmux leaves the
# console its SIGHUP to handle, which takes a moment on a busy machine
send q
wait_screen "q quits the console" 'console exited 0' 30
console_stop
if curl -s -o /dev/null "$API/health"; then
	not_ok "the server stops with the console" "$API still answers"
else ok "the server stops with the console"; fi

# the same configuration without [http]: the console serves nothing
csv_config 100 books
console_start
wait_screen "a console without [http] listen starts" '^ connected' 30
send 1
wait_screen "... and shows its runs" "^ +$((run + 1)) succeeded"
send 7
# (the Log screen looked at once it shows, not the Runs screen before it)
wait_screen "... its Log screen" 'Log: info and above'
expect_no_match "and starts no HTTP server" "$(screen)" 'http: listening'
console_stop

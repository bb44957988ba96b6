# The console opened where there is no private database yet, as on a new
# machine: it creates and starts one, and connects, whoever runs it (root's
# database server account must reach the folders the console makes).
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
unset KASPARRO_DATABASE_URL
export XDG_STATE_HOME="$T/st"
mkdir -p "$XDG_STATE_HOME"
at_exit '"$BIN" db stop >/dev/null 2>&1'
console_fixture

console_start
wait_screen "the console connects to a database it created" '^ connected ' 60
wait_screen "... and shows the Runs screen" '^no runs yet'
expect_no_match "... without saying there is no database" "$(screen)" 'no private database'
send q
wait_screen "q closes the console" '^console exited 0$'
expect_match "db status finds the database running" "$(kas db status 2>&1)" "running"

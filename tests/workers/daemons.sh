# Three daemons share one run: the daemon the run was asked of loads with
# its worker and the other two join it. One of them is killed with -9 in the
# middle of a source, then the run's own daemon too: the last one resumes
# both sources from their checkpoints, takes the run over, and the data and
# the counts come out exactly as from a clean load — one run row, every
# source loaded once, the worker of every source recorded.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/api.sh"
. "$KASPARRO_TOP/tests/lib/workers.sh"
new_db

sources="gated:1500 big:60000 other:40000 s1:500 s2:800 s3:1200"
workers_config 1 1000 $sources
api_keys
api_section
kas db migrate >/dev/null
gate gated # the first source waits in its file: its worker stays inside it

start_daemon # a, serving the API; b and c start later and join
a=$DAEMON_PID
req POST /runs "$OPS_KEY"
expect_eq "the run is started on daemon a" "$CODE" 202
wait_for "a's worker holds the first source" 60 holds gated "$a"

"$BIN" -c "$CONF" daemon >"$T/b.log" 2>&1 &
b=$!
"$BIN" -c "$CONF" daemon >"$T/c.log" 2>&1 &
c=$!
at_exit "kill $b $c 2>/dev/null"
wait_for "b and c join: three daemons each hold a source" 60 sql_is \
	"SELECT count(DISTINCT split_part(owner, '/', 1)) FROM kasparro.run_sources WHERE status = 'running'" 3
wait_for "big has committed batches" 120 sh -c "[ \"\$(psql -XAtq '$KASPARRO_DATABASE_URL' -c \
	\"SELECT count(*) FROM kasparro.records WHERE source = 'big'\")\" -ge 5000 ]"
victim=$(owner_pid big)
case $victim in
"$b") survivor=$c ;;
"$c") survivor=$b ;;
*) not_ok "big is loaded by b or c" "owner pid: $victim" ;;
esac
kill -9 "$victim"
wait "$victim" 2>/dev/null
loaded=$(sql "SELECT count(*) FROM kasparro.records WHERE source = 'big'")
if [ "$loaded" -lt 60000 ]; then ok "the killed daemon left big half loaded ($loaded)"; else
	not_ok "the killed daemon left big half loaded" "all of it was loaded"; fi
kill -9 "$a" # the run's own daemon, inside the gated source
wait "$a" 2>/dev/null
open_gate gated

expect_run_finished_by "$survivor" "the daemon left" 180 $sources
expect_eq "the two sources left by killed workers were taken twice, the rest once" \
	"$(sql "SELECT string_agg(source || '=' || claims, ' ' ORDER BY ord) FROM kasparro.run_sources")" \
	"gated=2 big=2 other=1 s1=1 s2=1 s3=1"
expect_eq "big and gated were finished by the daemon left" \
	"$(owner_pid big) $(owner_pid gated)" "$survivor $survivor"
expect_eq "every source names its worker" \
	"$(sql "SELECT count(*) FROM kasparro.run_sources WHERE owner ~ ':[0-9]+/[0-9]+\$'")" 6
expect_match "the daemon left says it took the run over" "$(cat "$T/b.log" "$T/c.log")" \
	"ended before the run did; this process takes it over"
kill -TERM "$survivor"
wait "$survivor"
expect_eq "the daemon left stops cleanly" "$?" 0

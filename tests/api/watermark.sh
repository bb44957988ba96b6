# An incremental walk of GET /data (since) must not hand out a watermark
# above a change still in flight: a run's batch draws its change numbers
# before it commits, so a walk that passed the record meanwhile would miss
# the change, and the next walk, from the watermark, would skip it as well.
# Here a run's batch is held mid-transaction (another session locks the
# record it updates); the walk's first page waits for the batch, and both
# walks together hold every change.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/api.sh"
new_db
csv_config 100 base
printf 'id,title,n\n' >"$T/base.csv"
seq 1 20 | awk '{ printf "r%d,record %d,%d\n", $1, $1, $1 }' >>"$T/base.csv"
api_keys
api_section
kas run base >/dev/null 2>&1
expect_eq "20 records to walk" "$(sql "SELECT count(*) FROM kasparro.records")" 20
first=$(sql "SELECT id FROM kasparro.records WHERE source_id = 'r1'")
start_daemon

# a session locks record r1 and keeps its transaction open
mkfifo "$T/holder.sql"
psql -X -q -v ON_ERROR_STOP=1 "$KASPARRO_DATABASE_URL application_name=holder" \
	<"$T/holder.sql" >"$T/holder.out" 2>&1 &
HOLDER=$!
exec 7>"$T/holder.sql"
at_exit "exec 7>&-; kill $HOLDER 2>/dev/null"
echo "BEGIN; SELECT 1 FROM kasparro.records WHERE id = $first FOR UPDATE;" >&7
wait_for "another session holds record r1" 60 sh -c \
	"psql -XAtq '$KASPARRO_DATABASE_URL' -c \"SELECT count(*) FROM pg_stat_activity \
	WHERE application_name = 'holder' AND state = 'idle in transaction'\" | grep -qx 1"

# a run changes r1: its batch waits on that lock, its change drawn, uncommitted
sed -i 's/^r1,record 1,/r1,record one,/' "$T/base.csv"
kas run base >"$T/run.out" 2>&1 &
RUN=$!
at_exit "kill $RUN 2>/dev/null"
wait_for "the run's batch waits for record r1" 60 sh -c \
	"psql -XAtq '$KASPARRO_DATABASE_URL' -c \"SELECT count(*) FROM pg_locks \
	WHERE locktype = 'transactionid' AND NOT granted\" | grep -qx 1"

walk "since=0&limit=5" "$T/walk1" >"$T/walk1.out" &
WALK=$!
at_exit "kill $WALK 2>/dev/null"
wait_for "the walk's first page waits for the batch in flight" 60 sh -c \
	"psql -XAtq '$KASPARRO_DATABASE_URL' -c \"SELECT count(*) FROM pg_locks \
	WHERE locktype = 'advisory' AND objid = 1801548551 AND mode = 'ExclusiveLock' AND NOT granted\" |
	grep -qx 1"
if kill -0 "$WALK" 2>/dev/null; then ok "... and has not finished"; else not_ok "... and has not finished"; fi
echo "COMMIT;" >&7
exec 7>&-
wait "$HOLDER"
expect_eq "the holder committed" "$?" 0
wait "$RUN"
expect_eq "the run succeeded" "$?" 0
wait "$WALK"
expect_eq "the walk finished" "$?" 0
read -r pages wm <"$T/walk1.out"
seq_first=$(sql "SELECT change_seq FROM kasparro.records WHERE id = $first")
expect_eq "the run changed r1" "$(sql "SELECT title FROM kasparro.records WHERE id = $first")" \
	"record one"
expect_eq "the walk's watermark covers that change" \
	"$([ "${wm:-0}" -ge "$seq_first" ] && echo yes || echo "no: $wm < $seq_first")" yes
expect_eq "... and the walk returned r1 at that change" \
	"$(awk -v id="$first" '$1 == id { print $4 }' "$T/walk1")" "$seq_first"
expect_eq "20 records in $pages pages" "$(wc -l <"$T/walk1" | tr -d ' ') $pages" "20 4"

sed -i 's/^r2,record 2,/r2,record two,/' "$T/base.csv"
kas run base >/dev/null 2>&1
walk "since=$wm&limit=5" "$T/walk2" >/dev/null
expect_eq "the next walk, from the watermark, takes the change after it" \
	"$(awk '{ print $3, $4 }' "$T/walk2")" \
	"$(sql "SELECT source_id || ' ' || change_seq FROM kasparro.records WHERE change_seq > $wm")"
expect_eq "the two walks together: every record at its latest change" \
	"$(cat "$T/walk1" "$T/walk2" | sort -k1,1n -k4,4nr | sort -u -k1,1n | awk '{print $1, $4}' | md5sum)" \
	"$(sql "SELECT id || ' ' || change_seq FROM kasparro.records ORDER BY id" | md5sum)"
stop_daemon

# An incremental walk of GET /data (since) must not hand out a watermark
# above a change still in flight: a writer draws its change number before it
# commits, so a walk that passed the record meanwhile would miss the change,
# and the next walk, from the watermark, would skip it as well. The first
# page waits for the writer; both walks together then hold every change.
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
first=$(sql "SELECT min(id) FROM kasparro.records")
last=$(sql "SELECT max(id) FROM kasparro.records")
start_daemon

# a writer changes the first record and keeps its transaction open, as a
# run's batch does until it commits
mkfifo "$T/writer.sql"
psql -X -q -v ON_ERROR_STOP=1 "$KASPARRO_DATABASE_URL application_name=writer" \
	<"$T/writer.sql" >"$T/writer.out" 2>&1 &
WRITER=$!
exec 7>"$T/writer.sql"
at_exit "exec 7>&-; kill $WRITER 2>/dev/null"
echo "BEGIN; UPDATE kasparro.records SET change_seq = nextval('kasparro.record_change_seq') \
WHERE id = $first;" >&7
wait_for "a writer holds a change to record $first, uncommitted" 60 sh -c \
	"psql -XAtq '$KASPARRO_DATABASE_URL' -c \"SELECT count(*) FROM pg_stat_activity \
	WHERE application_name = 'writer' AND state = 'idle in transaction'\" | grep -qx 1"
# a later change, committed, lifts the sequence past the one in flight
sql "UPDATE kasparro.records SET change_seq = nextval('kasparro.record_change_seq') WHERE id = $last"

walk "since=0&limit=5" "$T/walk1" >"$T/walk1.out" &
WALK=$!
at_exit "kill $WALK 2>/dev/null"
wait_for "the walk's first page waits for the change in flight" 60 sh -c \
	"psql -XAtq '$KASPARRO_DATABASE_URL' -c \"SELECT count(*) FROM pg_locks \
	WHERE relation = 'kasparro.records'::regclass AND mode = 'ShareLock' AND NOT granted\" | grep -qx 1"
if kill -0 "$WALK" 2>/dev/null; then ok "... and has not finished"; else not_ok "... and has not finished"; fi
echo "COMMIT;" >&7
exec 7>&-
wait "$WRITER"
expect_eq "the writer committed" "$?" 0
wait "$WALK"
expect_eq "the walk finished" "$?" 0
read -r pages wm <"$T/walk1.out"
seq_first=$(sql "SELECT change_seq FROM kasparro.records WHERE id = $first")
expect_eq "its watermark covers the change that was in flight" \
	"$([ "${wm:-0}" -ge "$seq_first" ] && echo yes || echo "no: $wm < $seq_first")" yes
expect_eq "... and the walk returned record $first at that change" \
	"$(awk -v id="$first" '$1 == id { print $4 }' "$T/walk1")" "$seq_first"
expect_eq "20 records in $pages pages" "$(wc -l <"$T/walk1" | tr -d ' ') $pages" "20 4"

sql "UPDATE kasparro.records SET change_seq = nextval('kasparro.record_change_seq') WHERE id = $first"
walk "since=$wm&limit=5" "$T/walk2" >/dev/null
expect_eq "the next walk, from the watermark, takes the change after it" \
	"$(awk '{ print $1, $4 }' "$T/walk2")" \
	"$(sql "SELECT id || ' ' || change_seq FROM kasparro.records WHERE id = $first")"
expect_eq "the two walks together: every record at its latest change" \
	"$(cat "$T/walk1" "$T/walk2" | sort -k1,1n -k4,4nr | sort -u -k1,1n | awk '{print $1, $4}' | md5sum)" \
	"$(sql "SELECT id || ' ' || change_seq FROM kasparro.records ORDER BY id" | md5sum)"
stop_daemon

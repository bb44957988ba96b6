# A statement of a run that another session cancels (an administrator's
# SELECT pg_cancel_backend(pid)) is said to be that, in the command's error
# and in the run's stored error: neither kasparro's own stop nor a time
# limit (SQL state 57014 is all three). The run ends failed, as any source
# whose statement failed.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/api.sh"
new_db
csv_config 10 a
printf 'id,title,n\n1,a,1\n' >"$T/a.csv"
check "a first run loads the source" kas run
printf 'id,title,n\n1,a,1\n2,b,2\n' >"$T/a.csv"

# the next run waits at the server for a table another session holds
hold_table "another session holds the records table" records
at_exit release_table
kas run >"$T/run.out" 2>&1 &
runner=$!
at_exit "kill $runner 2>/dev/null"
waiting="SELECT pid FROM pg_stat_activity WHERE application_name = 'kasparro' AND wait_event_type = 'Lock'"
wait_for "the run's statement waits for the table" 60 \
	sh -c "psql -XAtq '$KASPARRO_DATABASE_URL' -c \"$waiting\" | grep -q ."
expect_eq "an administrator cancels it" "$(sql "SELECT pg_cancel_backend(pid) FROM ($waiting) w")" t
wait "$runner"
expect_eq "the run fails (exit 1)" "$?" 1
out=$(cat "$T/run.out")
expect_match "the command says another session cancelled the statement" "$out" \
	"database: the statement was cancelled at another session's request \(pg_cancel_backend, or a client's cancel\), not by kasparro: "
expect_no_match "... not a time limit" "$out" "statement_timeout|time limit"
expect_match "the run's stored error says the same" \
	"$(sql "SELECT error FROM kasparro.runs WHERE id = 2")" \
	"^a: database: the statement was cancelled at another session's request"
expect_eq "... and the source's" \
	"$(sql "SELECT status || ': ' || left(error, 48) FROM kasparro.run_sources WHERE run_id = 2")" \
	"failed: database: the statement was cancelled at another"
release_table
check "the table free again, the next run succeeds" kas run

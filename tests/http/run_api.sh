# kasparro run with an http_json source against the fixture: 100 records in
# 10 pages are loaded, each raw payload the record's JSON text, and a second
# run finds them unchanged; a source whose page 4 fails ends the run failed with the message in show-run, keeps the
# 30 records before it and the position after them, and the next run
# resumes there instead of starting over (its counts, the rest of a read,
# are not compared with a whole one). A failed read deletes nothing; a
# Ctrl-C during a slow request ends the run interrupted, not failed.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/http.sh"
new_db
start_fixture --records 100

paged="pagination=page page_size=10 size_param=size records=data pages_path=meta.pages"
api_conf "$BASE/run/page" $paged "[matching]" "enabled = false"
out=$(kas run 2>&1)
expect_eq "a run of the API source succeeds" "$?" "0"
expect_match "it reports 100 new records" "$out" "api +succeeded +100 +100 +0 +0 +0"
expect_eq "100 records are in the table" \
	"$(sql "SELECT count(*) FROM kasparro.records WHERE source = 'api'")" "100"
expect_eq "the last one is typed from the JSON" \
	"$(sql "SELECT title FROM kasparro.records WHERE source = 'api' AND source_id = '100'")" \
	"record 100"
expect_eq "the raw payload is the record's own JSON text, keys in the source's order" \
	"$(sql "SELECT p.payload FROM kasparro.raw_records p JOIN kasparro.records r ON r.id = p.record_id WHERE r.source = 'api' AND r.source_id = '7'")" \
	'{"id":7,"title":"record 7"}'
expect_eq "pages, requests and the total are recorded" \
	"$(sql "SELECT pages, requests, retries, total FROM kasparro.run_sources WHERE source = 'api'")" \
	"10|10|0|100"
out=$(kas run 2>&1)
expect_match "a second run finds them unchanged" "$out" "api +succeeded +100 +0 +0 +100 +0"

api_conf "$BASE/fail/page?fault=500&on=4" $paged retries=1 "[matching]" "enabled = false"
out=$(kas run 2>&1)
rc=$?
expect_eq "a source failing on page 4 of 10 fails the run (exit 1)" "$rc" "1"
run=$(sql "SELECT max(id) FROM kasparro.runs")
show=$(kas show-run "$run")
expect_match "show-run: the source failed after the 30 records before page 4" "$show" \
	"api +failed +30 "
expect_match "show-run: the message names source, page and status" "$show" \
	"api: page 4: HTTP 500 after 2 attempts"
expect_eq "the run is recorded as failed" \
	"$(sql "SELECT status FROM kasparro.runs WHERE id = $run")" "failed"
expect_match "... its error names the source once, then page and status" \
	"$(sql "SELECT error FROM kasparro.runs WHERE id = $run")" "^api: page 4: HTTP 500 after 2 attempts"
expect_no_match "show-run says the run's error only through its source's" "$show" "^error:"
expect_eq "a read that failed on page 4 deletes none of the 70 it did not see" \
	"$(sql "SELECT count(*) FROM kasparro.records WHERE source = 'api' AND is_deleted")" "0"
expect_eq "the checkpoint holds the position after record 30" \
	"$(sql "SELECT position->>'page', position->>'skip' FROM kasparro.checkpoints WHERE source = 'api'")" \
	"3|10"

api_conf "$BASE/fixed/page" $paged "[matching]" "enabled = false"
out=$(kas run 2>&1)
expect_eq "once the API recovers the run succeeds" "$?" "0"
expect_eq "it resumed after record 30: 70 fetched, page 1 and 2 not asked for" \
	"$(sql "SELECT resumed, fetched FROM kasparro.run_sources WHERE run_id = (SELECT max(id) FROM kasparro.runs)") $(fixture_stat page_hits '/fixed/page 1')" \
	"t|70 0"
expect_eq "still exactly 100 records" \
	"$(sql "SELECT count(*) FROM kasparro.records WHERE source = 'api'")" "100"
out=$(kas compare-runs)
expect_match "compare-runs: a resumed read's counts are not compared" "$out" \
	"^note: source 'api': run $((run + 1))'s read resumed an interrupted one; counts not compared\$"
expect_match "... and not flagged" "$out" "^no anomaly\$"

api_conf "$BASE/stuck/page?fault=slow&delay=30" $paged timeout=60s "[matching]" "enabled = false"
"$BIN" -c "$CONF" run >"$T/stuck.out" 2>&1 &
pid=$!
reached() { [ "$(fixture_stat hits /stuck/page)" -ge 1 ]; }
wait_for "the run's slow request reached the server" 60 reached
t0=$(now)
kill -INT $pid
wait $pid
rc=$?
expect_seconds "Ctrl-C stops a run waiting on a request promptly" "$t0" "" "$(slow 3)"
run=$(sql "SELECT max(id) FROM kasparro.runs")
expect_eq "the run and its source are interrupted, not failed" \
	"$(sql "SELECT r.status || ' ' || s.status FROM kasparro.runs r JOIN kasparro.run_sources s ON s.run_id = r.id WHERE r.id = $run")" \
	"interrupted interrupted"
expect_no_match "no HTTP error is reported for a stop" "$(kas show-run "$run")" "failed|error"
expect_eq "nothing is deleted by an interrupted read" \
	"$(sql "SELECT count(*) FROM kasparro.records WHERE source = 'api' AND is_deleted")" "0"

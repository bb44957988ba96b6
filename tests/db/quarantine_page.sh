# `quarantine` counted what matches with a window over its page's query
# (count(*) OVER ()), which made the server read every quarantined row,
# raw text and all, into the window's store and sort them before keeping
# the newest 50: at 400,000 rows 0.33 s for 50 and 0.46 s for --run 1
# --limit 10, where reading the page alone from the primary key and
# counting apart takes 0.03 s. The store spilled to temporary files past
# work_mem; the page read alone writes none. The counts shown are the same.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
csv_source_config shop
title_rows 1 3 >"$T/shop.csv"
kas run >/dev/null 2>&1
sql "INSERT INTO kasparro.quarantine (run_id, source, location, source_id, field, reason, raw)
     SELECT 1, 'shop', 'line ' || g, g::text, 'title', 'missing required field ''title''',
     repeat('x', 300) || g FROM generate_series(1, 60000) g" >/dev/null
temp_files() { sql "SELECT temp_files FROM pg_stat_database WHERE datname = current_database()"; }
# a session's statistics reach pg_stat_database when it ends, before it
# leaves pg_stat_activity
sessions_gone() { sql_is "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'kasparro%'" 0; }

before=$(temp_files)
out=$(kas quarantine --limit 10)
wait_for "the command's session has ended" 10 sessions_gone
expect_eq "quarantine --limit 10 writes no temporary file on the server" "$(temp_files)" "$before"
expect_match "... and says how many there are in all" "$out" \
	'^10 of 60,000 quarantined records shown; --limit N or --limit all shows more$'
expect_match "... the newest first" "$out" '^ *60000 +1 +shop +line 60000 '
expect_eq "--json: each row's total the same" \
	"$(kas quarantine --json --limit 2 | python3 -c 'import json, sys; print([r["total"] for r in json.load(sys.stdin)])')" \
	"[60000, 60000]"
expect_match "--source: its count" "$(kas quarantine --source shop --limit 1)" '^1 of 60,000 quarantined'
expect_eq "a page not full: no count line, every row" \
	"$(kas quarantine --run 1 --limit all | grep -c 'shown')" 0
expect_eq "--run 2 (no such run): a usage error, as before" \
	"$(kas quarantine --run 2 >/dev/null 2>&1; echo $?)" 1

# Ingestion end to end on CSV sources: first run inserts, a second is all
# unchanged, a changed record is updated; bad records are quarantined with
# where and why; drift is reported; the error ratio fails a source; a second
# concurrent run exits 3 naming the first; incremental cursors are saved.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

cat >"$T/k.conf" <<'CONF'
[kasparro]
error_ratio = 0.3
batch_size = 4
[schema]
title = text, required
author = text
published_at = timestamp
views = integer
[source shop]
kind = csv
path = shop.csv
id = id
map.title = title
map.auther = author
map.published = published_at
map.views = views
[source bad]
kind = csv
path = bad.csv
id = id
map.title = title
[source inc]
kind = csv
path = inc.csv
id = id
sync = incremental
cursor_field = published_at
map.title = title
map.published = published_at
[matching]
enabled = false
CONF
CONF="$T/k.conf"
cat >"$T/shop.csv" <<'CSV'
id,title,author,published,views
1,First,Ann,2026-01-01,10
2,"Second
with a newline",Bob,2026-01-02T10:00:00+02:00,20
3,,Cy,2026-01-03,30
4,Fourth,Di,not a date,1.040
5,Fifth,Ed,2026-01-05,50
6,Sixth,Fay,2026-01-06,60
CSV
printf 'id,title,published\n1,a,2026-01-01\n2,b,2026-03-01\n3,c,2026-02-01\n' >"$T/inc.csv"

out=$(kas run shop 2>&1)
expect_exit "first run succeeds" 0 true
expect_match "first run inserts the five good records" "$out" "shop +succeeded +6 +5 +0 +0 +1"
expect_eq "five records are in the table" "$(sql "SELECT count(*) FROM kasparro.records WHERE source = 'shop'")" 5
expect_eq "each has its raw payload" "$(sql "SELECT count(*) FROM kasparro.raw_records")" 5
expect_eq "values are typed and normalized (UTC)" \
	"$(sql "SELECT published_at AT TIME ZONE 'UTC' FROM kasparro.records WHERE source_id = '2'")" \
	"2026-01-02 08:00:00"
expect_eq "the quoted newline survives" \
	"$(sql "SELECT title FROM kasparro.records WHERE source_id = '2'")" "Second
with a newline"
expect_eq "the raw payload keeps the source's own names" \
	"$(sql "SELECT p.payload::json->>'published' FROM kasparro.raw_records p JOIN kasparro.records r ON r.id = p.record_id WHERE r.source_id = '1'")" \
	"2026-01-01"
expect_eq "an unreadable optional value is stored as NULL" \
	"$(sql "SELECT coalesce(published_at::text, 'null') || coalesce(views::text, 'null') FROM kasparro.records WHERE source_id = '4'")" \
	"nullnull"
q=$(kas quarantine --json)
expect_match "the quarantined record names line, field and reason" "$q" \
	'"location":"line 5 \('"$T"'/shop.csv\)","source_id":"3","field":"title","reason":"missing required field '"'"'title'"'"'"'
expect_match "and keeps its raw text" "$q" '"raw":"3,,Cy,2026-01-03,30"'
show=$(kas show-run 1)
expect_match "show-run reports the drift guess" "$show" \
	"field 'author' is in the data but not mapped .*it looks like 'auther'"
expect_match "show-run reports unreadable values" "$show" \
	"field 'published_at': 1 value could not be read and was stored as NULL: 'not a date' is not a timestamp"
expect_match "... and a number written the source's way points to format.FIELD" "$show" \
	"field 'views': 1 value could not be read and was stored as NULL: '1.040' is not an integer \\(a 'format.views' line in \\[source shop\\] declares how the source writes numbers\\)"
expect_eq "drift is kept on the run as JSON" \
	"$(sql "SELECT count(*) FROM kasparro.run_sources, jsonb_array_elements(drift) d WHERE run_id = 1 AND d->>'kind' = 'unmapped' AND d->>'guess' = 'auther'")" 1

out=$(kas run shop)
expect_match "a second run of the same data is all unchanged" "$out" "shop +succeeded +6 +0 +0 +5 +1"
expect_eq "unchanged records are not rewritten" \
	"$(sql "SELECT max(last_changed_run) FROM kasparro.records")" 1

sed -i 's/^5,Fifth,/5,Fifth edition,/' "$T/shop.csv"
out=$(kas run shop)
expect_match "a changed record is updated, the rest unchanged" "$out" "shop +succeeded +6 +0 +1 +4 +1"
expect_eq "the update is recorded on the record" \
	"$(sql "SELECT title || ' ' || last_changed_run FROM kasparro.records WHERE source_id = '5'")" \
	"Fifth edition 3"
expect_eq "and its raw payload follows" \
	"$(sql "SELECT p.payload::json->>'title' FROM kasparro.raw_records p JOIN kasparro.records r ON r.id = p.record_id WHERE r.source_id = '5'")" \
	"Fifth edition"

printf 'id,title\n1,\n2,\n3,\n4,\n9,ok\n' >"$T/bad.csv"
expect_exit "a source above its error ratio fails the run (exit 1)" 1 kas run bad
expect_match "and says why" "$(kas show-run 4)" \
	"quarantined 4 of 5 records \(80%\), above error_ratio 30%"
show=$(kas show-run 4)
expect_match "the four quarantined records are all listed" "$show" \
	"^4 quarantined records \('kasparro quarantine --run 4' lists them\):$"
expect_eq "... one line each" "$(printf '%s\n' "$show" | grep -c '^  bad line ')" 4
printf 'id,title\n1,\n2,\n3,\n4,\n5,\n6,\n7,\n9,ok\n' >"$T/bad.csv"
kas run bad >/dev/null 2>&1
show=$(kas show-run 5)
expect_match "of seven, show-run says it lists the first five" "$show" \
	"^7 quarantined records, the first 5 \('kasparro quarantine --run 5' lists them all\):$"
expect_eq "... and lists five" "$(printf '%s\n' "$show" | grep -c '^  bad line ')" 5

expect_exit "an unknown source is a usage error (exit 2)" 2 kas run shpo
expect_match "with a suggestion" "$(kas run shpo 2>&1)" "unknown source 'shpo' \(did you mean 'shop'\?\)"
expect_match "sources names the nearest one too" "$(kas sources shpo 2>&1)" "unknown source 'shpo' \(did you mean 'shop'\?\); 'kasparro sources' lists them"

# incremental: the cursor is the greatest value seen, saved once the read completes
kas run inc >/dev/null
expect_eq "an incremental source saves its cursor" \
	"$(sql "SELECT cursor FROM kasparro.checkpoints WHERE source = 'inc'")" "2026-03-01T00:00:00Z"
expect_eq "its sync mode is recorded on the run" \
	"$(sql "SELECT sync FROM kasparro.run_sources WHERE source = 'inc' ORDER BY run_id DESC LIMIT 1")" \
	"incremental"
kas run --full inc >/dev/null
expect_eq "--full reads an incremental source in full" \
	"$(sql "SELECT sync FROM kasparro.run_sources WHERE source = 'inc' ORDER BY run_id DESC LIMIT 1")" "full"

# one run at a time, across processes: hold the run lock from another session
psql -X -q "$KASPARRO_DATABASE_URL application_name=lockholder" >/dev/null 2>&1 <<'SQL' &
INSERT INTO kasparro.runs (trigger, actor, status, host, pid) VALUES ('manual', 'other', 'running', 'elsewhere', 4242);
SELECT pg_advisory_lock(1801548546);
SELECT pg_sleep(30);
SQL
holder=$!
at_exit "kill $holder 2>/dev/null"
wait_for "the other session holds the run lock" 60 \
	sh -c "psql -XAtq '$KASPARRO_DATABASE_URL' -c \"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 1801548546\" | grep -q 1"
expect_exit "a second run exits 3 while another holds the lock" 3 kas run shop
expect_match "and names the run and process that holds it" "$(kas run shop 2>&1)" \
	"another run is in progress: run [0-9]+ \(pid 4242 on elsewhere, started"
# the holder's process dies; its session (and so its lock) ends with it
sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'lockholder'" >/dev/null
wait $holder 2>/dev/null
out=$(kas run shop 2>&1)
expect_match "once the lock is free the next run marks the dead one abandoned and runs" \
	"$(kas runs --json)" '"status":"abandoned"'
expect_eq "the abandoned run says why" \
	"$(sql "SELECT error LIKE 'its process (pid 4242 on elsewhere) ended without finishing%' FROM kasparro.runs WHERE status = 'abandoned'")" t

j=$(kas sources --json)
expect_match "sources --json shows each source's records and last status" "$j" \
	'"name":"shop".*"records":5'
expect_match "runs --json lists the runs" "$(kas runs --json --limit 1)" '^\[\{"id":[0-9]+,"status":"succeeded"'

# title_source NAME ROWS: one more csv source, NAME.csv holding ROWS
# (printf's format: \n, \t, \\), its id and title mapped
title_source() {
	printf '[source %s]\nkind = csv\npath = %s.csv\nid = id\nmap.title = title\n' "$1" "$1" >>"$T/k.conf"
	printf "$2" >"$T/$1.csv"
}

# a source that repeats ids, within a batch and across batches, on its first
# load: the last occurrence wins and nothing is doubled
title_source rep 'id,title\n1,a1\n2,b1\n1,a2\n3,c1\n4,d1\n5,e1\n2,b2\n6,f1\n7,g1\n8,h1\n9,i1\n3,c2\n'
out=$(kas run rep)
expect_match "a first load with repeated ids succeeds" "$out" "rep +succeeded +12 +9 +"
expect_eq "each id is stored once, with its last version" \
	"$(sql "SELECT string_agg(source_id || '=' || title, ' ' ORDER BY source_id) FROM kasparro.records WHERE source = 'rep'")" \
	"1=a2 2=b2 3=c2 4=d1 5=e1 6=f1 7=g1 8=h1 9=i1"
expect_eq "and one raw payload each, the last one" \
	"$(sql "SELECT count(*) || ' ' || max(p.payload::json->>'title') FILTER (WHERE r.source_id = '3') FROM kasparro.raw_records p JOIN kasparro.records r ON r.id = p.record_id WHERE r.source = 'rep'")" \
	"9 c2"

# a soft-deleted record that appears again, unchanged, is restored and audited
sql "UPDATE kasparro.records SET is_deleted = true, deleted_at = now() WHERE source = 'rep' AND source_id = '4'"
out=$(kas run rep)
expect_match "the run counts one restored record" "$out" "rep +succeeded +12 +0 +[0-9]+ +[0-9]+ +0 +0 +1"
expect_eq "the record is live again" \
	"$(sql "SELECT is_deleted FROM kasparro.records WHERE source = 'rep' AND source_id = '4'")" f
expect_eq "the restore is in the audit log" \
	"$(sql "SELECT count(*) FROM kasparro.audit_log WHERE action = 'restore' AND reason = 'reappeared in source rep'")" 1

# a first load COPYs payloads in binary: the source's characters come back
# exactly, escapes, tabs, newlines and UTF-8 included
title_source odd 'id,title\n"a\\b","back\\slash, tab\t, ""quoted"", Grüße\nnext line"\nplain,x\n'
odd=$(printf 'back\\slash, tab\t, "quoted", Grüße\nnext line')
out=$(kas run odd)
expect_match "a first load of odd characters succeeds" "$out" "odd +succeeded +2 +2 +"
expect_eq "its payload holds every character the source wrote" \
	"$(sql "SELECT p.payload::json->>'title' FROM kasparro.raw_records p JOIN kasparro.records r ON r.id = p.record_id WHERE r.source = 'odd' AND r.source_id = 'a\\b'")" \
	"$odd"
expect_eq "and its typed row the same" \
	"$(sql "SELECT title FROM kasparro.records WHERE source = 'odd' AND source_id = 'a\\b'")" \
	"$odd"

# a re-read sends each batch's ids in binary and keeps them for orphan
# detection: ids with a backslash, a tab, a newline or UTF-8 are found
# again exactly, so nothing is updated, doubled or deleted by mistake
title_source oddids 'id,title\n"a\\b",1\n"t\tab",2\n"n\nl",3\nGrüße,4\n'
out=$(kas run oddids)
expect_match "a first load of odd ids succeeds" "$out" "oddids +succeeded +4 +4 +0 +0 +0 +0 "
out=$(kas run oddids)
expect_match "a re-read finds every odd id unchanged" "$out" "oddids +succeeded +4 +0 +0 +4 +0 +0 "
printf 'id,title\n"a\\b",1\n"t\tab",two\nGrüße,4\n' >"$T/oddids.csv"
out=$(kas run --allow-mass-delete oddids) # one of four is above the guard's ratio
expect_match "a changed odd id is updated, a missing one deleted" "$out" \
	"oddids +succeeded +3 +0 +1 +2 +0 +1 "
expect_eq "each odd id is stored once, the missing one deleted" \
	"$(sql "SELECT string_agg(replace(replace(source_id, E'\t', '<t>'), E'\n', '<n>') || '=' || title || CASE WHEN is_deleted THEN '(deleted)' ELSE '' END, ' ' ORDER BY source_id) FROM kasparro.records WHERE source = 'oddids'")" \
	'Grüße=4 a\b=1 n<n>l=3(deleted) t<t>ab=two'

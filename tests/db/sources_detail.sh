# `kasparro sources SOURCE` on a reader: the source in detail — what it
# reads and how (from the configuration as loaded), its records and
# checkpoint, and its latest run whole: counts, held deletions, why the
# read was not complete, every drift warning, none cut to a terminal's
# width. --json keeps the listing's one row. The console's Sources screen
# opens it with Enter.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
sample_config
kas run >/dev/null 2>&1

out=$(kas sources partner-feed)
expect_match "the headline: name, kind, sync" "$out" '^source partner-feed · csv, full sync$'
expect_match "where it reads" "$out" "^  location    $T/share/sample/partner.csv\$"
expect_match "how it reads: the delimiter, encoding and header the file declares" "$out" \
	'^  reading     delimiter semicolon · latin-1 · header row$'
expect_match "its id column" "$out" '^  id          Ref$'
expect_match "its mapping, column to field" "$out" '^  mapping     Headline → title, Teaser → description, '
live=$(sql "SELECT count(*) FROM kasparro.records WHERE source = 'partner-feed' AND NOT is_deleted")
expect_match "its records, as the database holds them" "$out" "^  records     $live live, 0 deleted\$"
expect_match "its checkpoint" "$out" '^  checkpoint  cursor - · unfinished read no · last full sync never$'
expect_match "its latest run" "$out" '^last run 1: succeeded, started [0-9T:-]+Z$'
fetched=$(sql "SELECT fetched FROM kasparro.run_sources WHERE run_id = 1 AND source = 'partner-feed'")
expect_match "... with its counts" "$out" "^  $fetched fetched · [0-9]+ new · 0 updated · 0 same · [0-9]+ bad · 0 deleted"
expect_match "... and why its read was not complete, whole" "$out" \
	"^  not a complete read, so nothing was deleted: $(sql "SELECT incomplete FROM kasparro.run_sources WHERE run_id = 1 AND source = 'partner-feed'" | sed 's/[][\.*^$()+?{}|]/\\&/g')\$"

out=$(kas sources articles-api)
expect_match "an API: its paging, pace, retries and timeout" "$out" \
	'^  reading     pagination page · no rate limit · 4 pages at once · 5 retries · timeout 60s$'
expect_match "an API's mapping keeps the key paths" "$out" 'author\.name → author'
drift=$(sql "SELECT d->>'message' FROM kasparro.run_sources, jsonb_array_elements(drift) d WHERE run_id = 1 AND source = 'articles-api' LIMIT 1")
expect_match "each drift warning, whole" "$out" "^  drift: $(printf '%s' "$drift" | sed 's/[][\.*^$()+?{}|]/\\&/g')\$"
expect_match "--json keeps the listing's row" "$(kas sources articles-api --json)" \
	'^\[\{"name":"articles-api","kind":"http_json",'

# an incremental source: what its cursor is and when it reads everything
cat >>"$CONF" <<'INC'
[source weekly]
kind = csv
path = sample/articles.csv
id = id
sync = incremental
cursor_field = published_at
full_sync_every = 7d
map.title = title
map.published_at = published_at
INC
expect_match "an incremental source: its cursor and its full syncs" "$(kas sources weekly)" \
	'^  cursor      the largest published_at read; a full sync every 7d$'
sed -i '/^full_sync_every = 7d$/d' "$CONF"
expect_match "... or none but the one asked for" "$(kas sources weekly)" \
	"^  cursor      the largest published_at read; no full sync but 'run --full'\$"
expect_match "... and no run has read it yet" "$(kas sources weekly)" '^no run has read it yet$'
sed -i '/^\[source weekly\]$/,$d' "$CONF"

# an API whose cursor names the next page: one page at a time, whatever
# concurrency says
cat >>"$CONF" <<'CUR'
[source cursored]
kind = http_json
url = http://127.0.0.1:9/items
pagination = cursor
cursor_param = after
cursor_path = next
concurrency = 8
id = id
CUR
expect_match "an API paged by cursor reads one page at a time" "$(kas sources cursored)" \
	'^  reading     pagination cursor · no rate limit · one page at a time · 5 retries · timeout 60s$'
sed -i '/^\[source cursored\]$/,$d' "$CONF"

# held deletions: the partner's cut export
cp "$T/share/sample/partner-cut.csv" "$T/share/sample/partner.csv"
kas run partner-feed >/dev/null 2>&1
held=$(sql "SELECT held_deletes FROM kasparro.run_sources WHERE run_id = 2 AND source = 'partner-feed'")
check "the cut export held deletions" test "${held:-0}" -gt 0
out=$(kas sources partner-feed)
expect_match "held deletions are counted as held" "$out" "^  [0-9]+ fetched .* · $held deletions held · "
expect_match "... and the error says what to do" "$out" "^  error: deletions held: .*apply-deletes 2"

# a later run that fails: the hold still waits, and the detail says so
mv "$T/share/sample/partner.csv" "$T/share/sample/partner.gone"
kas run partner-feed >/dev/null 2>&1
out=$(kas sources partner-feed)
expect_match "a later failed run: its own error" "$out" "^last run 3: failed, .*"
expect_match "... and the hold run 2 left, still waiting, on its own line" "$out" \
	"^  deletions held by run 2 \($held still held\): .*'kasparro apply-deletes 2' or 'kasparro discard-deletes 2'\$"
mv "$T/share/sample/partner.gone" "$T/share/sample/partner.csv"

# the console: Enter on Sources
CONSOLE_COLS=80 CONSOLE_ROWS=24
console_start
wait_screen "the console is up" '^ connected' 30
send 6
wait_screen "Sources lists the sources" '^articles-api +http_json' 30
send Enter
wait_screen "Enter opens the selected source in detail" '^ *source articles-api · http_json, full sync' 30
wait_screen "... with its settings" '^ *reading +pagination page · no rate limit'
console_stop

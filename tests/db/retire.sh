# A source removed from kasparro.conf is read by no run again, so no
# complete read ever deletes its records: they stayed live for ever, in
# entities, in exports, and only `stats` showed them. Now `sources` lists
# such a source, marked, with the command that retires it; `retire SOURCE`
# soft-deletes its live records (only with --yes; --dry-run counts), in one
# transaction through the soft-delete machinery: audited, entities updated
# at once, restorable (`restore --retired`, one by one, `undo --restore`),
# purged after keep_deleted. A configured source is refused.
. "$KASPARRO_TOP/tests/lib/lib.sh"
auto_pairs_fixture
printf 'b3,Gardening for Beginners,Cy Dee,2024-05-05,https://y.org/garden\n' >>"$T/b.csv"
printf 'a3,Winter Soup Recipes,Ed Gum,2025-01-05,https://x.org/soup\n' >>"$T/a.csv"
printf 'b4,Winter Soups and Recipes,E. Gum,2025-02-05,https://y.org/s\n' >>"$T/b.csv"
printf '[retention]\nkeep_deleted = 90d\n' >>"$CONF"
sed -i 's/^auto = .*/auto = 0.99999/; s/^review = .*/review = 0.05/' "$CONF" # a pair to review
t0=1767225600 # 2026-01-01T00:00:00Z
day=86400
at() { when=$1; shift; KASPARRO_NOW=$when kas "$@"; }
at $t0 run >/dev/null 2>&1
live() { sql "SELECT count(*) FROM kasparro.records WHERE source = '$1' AND NOT is_deleted"; }
e1=$(entity_of a1)
queued() { kas queue --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
expect_eq "the fixture: 3 live records of a, 4 of b, a1 and b1 one entity, a3-b4 to review" \
	"$(live a) $(live b) $(entity_of b1) $(queued)" "3 4 $e1 1"

# the operator removes [source b] from the configuration
full=$CONF
awk '/^\[/ { skip = ($0 == "[source b]") } !skip' "$full" >"$T/without-b.conf"
CONF="$T/without-b.conf"
line_a=$(grep -n '^\[source a\]$' "$CONF" | cut -d: -f1)

out=$(kas sources 2>&1)
expect_match "sources lists the removed source with its live records" "$out" \
	"^b +- +- +- +- +4 +0 .*removed from the configuration: 'kasparro retire b' soft-deletes its 4 live records"
expect_match "... after the configured one, unchanged" "$out" "^a +csv +full +yes "
json=$(kas sources --json)
expect_eq "--json marks it configured: false, the configured one true" \
	"$(printf '%s' "$json" | python3 -c 'import json,sys; print(" ".join("%s:%s:%s" % (s["name"], s["configured"], s["records"]) for s in json.load(sys.stdin)))')" \
	"a:True:3 b:False:4"
expect_match "sources b shows it in detail" "$(kas sources b 2>&1)" \
	"^source b · removed from the configuration: 'kasparro retire b' soft-deletes its 4 live records"
expect_match "... with its records and last run" "$(kas sources b 2>&1)" "records +4 live, 0 deleted"

# refusals, which change nothing
expect_exit "retire of a configured source exits 1" 1 kas retire --yes a
expect_eq "... saying why and what to do" "$(kas retire --yes a 2>&1)" \
	"kasparro: source 'a' is configured ($CONF, line $line_a): only a source removed from the configuration is retired, since its next run would load every record again; remove its section first (or, to stop reading it and keep its records, set enabled = false there)"
expect_exit "retire of a name no record has exits 2" 2 kas retire --yes nosuch
# a run loading b (a process whose configuration still names it) holds its
# lease: DB_LOCK_SOURCE with hashtext('b')
psql -X -q "$KASPARRO_DATABASE_URL application_name=lockholder" >/dev/null 2>&1 <<'SQL' &
SELECT pg_advisory_lock(1801548550, hashtext('b'));
SELECT pg_sleep(600);
SQL
HOLDER=$!
at_exit "kill $HOLDER 2>/dev/null"
wait_for "another session takes b's lease" 60 sql_is "SELECT count(*) FROM pg_locks WHERE \
	locktype = 'advisory' AND classid = 1801548550 AND objsubid = 2 AND granted" 1
expect_exit "retire while a run loads the source exits 3" 3 kas retire --yes b
expect_match "... saying why" "$(kas retire --yes b 2>&1)" "source 'b' is being loaded by a run right now"
release_lock
expect_eq "... and nothing changed" "$(live b)" 4

out=$(at $t0 retire b 2>&1)
expect_eq "retire without --yes exits 0" "$?" 0
expect_eq "... stating the count and asking for --yes" "$out" \
	"would retire source 'b': soft-delete its 4 live records; add --yes to retire it"
expect_match "--dry-run --json counts" "$(at $t0 retire --dry-run --json b)" \
	'"dry_run":true,"would_delete":4'
expect_eq "... and nothing changed" "$(live a) $(live b) $(entity_of b1) $(queued)" "3 4 $e1 1"
expect_eq "... nothing audited" "$(sql "SELECT count(*) FROM kasparro.audit_log WHERE action IN ('soft_delete', 'retire_source')")" 0

# retire --yes
out=$(at $((t0 + day)) retire --yes b 2>&1)
expect_eq "retire --yes exits 0" "$?" 0
expect_eq "... saying what it did and how to undo it" "$out" \
	"retired source 'b': 4 live records soft-deleted; 'kasparro restore --retired b' brings them back until the purge removes them (keep_deleted 90d)"
expect_eq "every record of b is soft-deleted, under no run, at the retire's time" \
	"$(sql "SELECT count(*) FILTER (WHERE is_deleted AND deleted_by_run IS NULL AND deleted_at = to_timestamp($t0 + $day)) FROM kasparro.records WHERE source = 'b'")" 4
expect_eq "... the other source untouched" "$(live a)" 3
expect_eq "one soft_delete audit row per record, with who and why" \
	"$(sql "SELECT count(*) FROM kasparro.audit_log WHERE action = 'soft_delete' AND actor = '$(id -un)' AND run_id IS NULL AND reason = 'source ''b'' retired by $(id -un): removed from the configuration' AND before->>'source' = 'b'")" 4
expect_eq "one retire_source audit row on the source" \
	"$(sql "SELECT object_id || ' ' || (after->>'deleted') FROM kasparro.audit_log WHERE action = 'retire_source' AND object_type = 'source'")" "b 4"
expect_match "audit shows it" "$(kas audit --action retire_source)" "retire_source +source +b"
expect_eq "b1 left its entity at once, as a deleted record does" "$(entity_of b1)" ""
expect_eq "... a1 is still in it" "$(entity_of a1)" "$e1"
expect_eq "... which has one live member" \
	"$(sql "SELECT size FROM kasparro.entities WHERE id = $e1")" 1
expect_eq "the review queue no longer offers the pair a3-b4" "$(queued)" 0
expect_no_match "export records has no record of b" "$(kas export records 2>/dev/null)" "(^|,)b,"
expect_no_match "sources no longer lists b" "$(kas sources)" "^b "
expect_match "deleted --source b lists them, RUN retired" "$(kas deleted --source b)" "^ *[0-9]+ +b +b4 .* retired +2026-04-02"
expect_exit "retiring it again exits 1: nothing left to retire" 1 kas retire --yes b
expect_match "... saying so" "$(kas retire --yes b 2>&1)" "source 'b' has no live record left \(4 soft-deleted\): nothing to retire"

# restorable: all at once, undone, one by one
out=$(at $((t0 + 2 * day)) restore --retired b 2>/dev/null)
expect_match "restore --retired b restores the four" "$out" "^restored 4 records of retired source 'b' \(decision [0-9]+;"
expect_eq "... b1 is back in its entity, a3-b4 in the queue" "$(live b) $(entity_of b1) $(queued)" "4 $e1 1"
check "undo --restore retires them again" at $((t0 + 2 * day)) undo --restore
expect_eq "... as they were: under no run, at the retire's time" \
	"$(sql "SELECT count(*) FILTER (WHERE is_deleted AND deleted_by_run IS NULL AND deleted_at = to_timestamp($t0 + $day)) FROM kasparro.records WHERE source = 'b'")" 4
check "restore one record of it" at $((t0 + 2 * day)) restore b/b2
expect_eq "... that one is live" "$(live b)" 1
expect_exit "restore --retired of a source with nothing retired exits 1" 1 kas restore --retired a

# purged after keep_deleted like any soft delete
expect_match "a purge 91 days on removes the three still retired" \
	"$(at $((t0 + 92 * day)) purge 2>/dev/null)" "^purged 3 records"
expect_eq "... b2 stays" "$(sql "SELECT string_agg(source_id, ' ') FROM kasparro.records WHERE source = 'b'")" b2

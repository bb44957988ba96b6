# What the listings say of a retired source's records, and the exit codes
# of what an operator types about it (tests/db/retire.sh has retire and
# restore --retired themselves). `deleted` showed such a record's RUN as
# "-" and --json only a null deleted_by_run: it says "retired" now, and
# "retired": true, as show-record --json does. `decisions` showed the
# restore --retired as "2 records: 3, 4"; it names the retired source as a
# run restore names its run. `restore --retired` of a name no source ever
# had exited 1, where every other command exits 2 for an unknown source.
# Once the purge removed every record of a retired source, `sources NAME`
# called it unknown (exit 2) and `retire NAME` said it had no record in
# the database (exit 2) while `stats` and `runs --source` still list it.
. "$KASPARRO_TOP/tests/lib/lib.sh"
auto_pairs_fixture
printf '[retention]\nkeep_deleted = 90d\n' >>"$CONF"
t0=1767225600 # 2026-01-01T00:00:00Z
day=86400
# a read deletes a2 from a (a run deletion, for comparison)
grep -v '^a2,' "$T/a.csv" >"$T/a.new" && mv "$T/a.new" "$T/a.csv"
at $t0 run --allow-mass-delete a >/dev/null 2>&1
run_a=$(sql "SELECT deleted_by_run FROM kasparro.records WHERE source_id = 'a2'")
expect_match "the fixture: a run deleted a2" "$run_a" '^[0-9]+$'

# the operator removes [source b] from the configuration and retires it
awk '/^\[/ { skip = ($0 == "[source b]") } !skip' "$CONF" >"$T/without-b.conf"
CONF="$T/without-b.conf"
check "retire --yes b" at $((t0 + day)) retire --yes b

out=$(kas deleted)
expect_match "deleted says 'retired' under RUN for a retired record" "$out" \
	"^ *[0-9]+ +b +b1 .* 2026-01-02 00:00:00 +retired +2026-04-02"
expect_match "... and the run for the record a run deleted" "$out" \
	"^ *[0-9]+ +a +a2 .* 2026-01-01 00:00:00 +$run_a +2026-04-01"
json=$(kas deleted --json)
by_id() { printf '%s' "$json" | python3 -c "import json,sys; print(' '.join('%s:%s:%s' % (r['source_id'], r['deleted_by_run'], r['retired']) for r in json.load(sys.stdin)))"; }
expect_eq "deleted --json: retired true, deleted_by_run null; a run's: false, its id" \
	"$(by_id)" "b2:None:True b1:None:True a2:$run_a:False"
expect_match "deleted --source b lists them so too" "$(kas deleted --source b)" \
	"^ *[0-9]+ +b +b2 .* retired +2026-04-02"
rec=$(kas show-record --json b/b1)
expect_eq "show-record --json says retired too" \
	"$(printf '%s' "$rec" | python3 -c 'import json,sys; r = json.load(sys.stdin); print(r["deleted"], r["deleted_by_run"], r["retired"])')" \
	"True None True"
expect_eq "... and false for the record a run deleted" \
	"$(kas show-record --json a/a2 | python3 -c 'import json,sys; print(json.load(sys.stdin)["retired"])')" False
expect_match "show-record's text as before" "$(kas show-record b/b1)" "DELETED at .*: its source was retired$"

# exit codes: an unknown name is a usage error, as for --source and retire
expect_exit "restore --retired of a name no source ever had exits 2" 2 kas restore --retired nosuch
expect_eq "... naming the option and the configured sources, as deleted --source does" \
	"$(kas restore --retired nosuch 2>&1)" \
	"kasparro: option '--retired': no source 'nosuch' is configured or was ever read (configured: a)"
expect_eq "deleted --source says the same of it" "$(kas deleted --source nosuch 2>&1)" \
	"kasparro: option '--source': no source 'nosuch' is configured or was ever read (configured: a)"
expect_exit "restore --retired of a source with nothing retired still exits 1" 1 kas restore --retired a

# decisions names the retired source, as a run restore names its run
check "restore --retired b" at $((t0 + 2 * day)) restore --retired b
dec=$(sql "SELECT max(id) FROM kasparro.decisions WHERE action = 'restore'")
expect_match "decisions names the retired source" "$(kas decisions)" \
	"^ +$dec .* restore +the 2 records retiring source b deleted "
expect_eq "... in --json too" \
	"$(kas decisions --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["what"])')" \
	"the 2 records retiring source b deleted"
expect_match "undo says which restore it undid" "$(at $((t0 + 2 * day)) undo --restore 2>&1)" \
	"^decision $dec undone \(decision [0-9]+\): restore the 2 records retiring source b deleted: 2 records deleted again$"
check "restore --run as before" at $((t0 + 2 * day)) restore --run "$run_a"
expect_match "... named by its run" "$(kas decisions)" "restore +the 1 record run $run_a deleted "

# the purge removes the retired records: the source keeps its runs
expect_match "a purge 92 days on removes b's records" "$(at $((t0 + 93 * day)) purge 2>/dev/null)" \
	"^purged 2 records"
expect_eq "... none left" "$(sql "SELECT count(*) FROM kasparro.records WHERE source = 'b'")" 0
expect_match "stats still lists b, removed from the configuration" "$(kas stats)" "^b \(removed\) +0 +0 "
out=$(kas sources b 2>&1)
expect_eq "sources b exits 0" "$?" 0
expect_match "... saying it is removed and has no record left" "$out" \
	"^source b · removed from the configuration; no record left$"
expect_match "... with the last run that read it" "$out" "^last run 1: succeeded"
expect_exit "retire b then exits 1: nothing to retire" 1 kas retire --yes b
expect_eq "... saying so and where its runs are" "$(kas retire --yes b 2>&1)" \
	"kasparro: source 'b' has no record left: nothing to retire ('kasparro runs --source b' lists the runs that read it)"
expect_exit "restore --retired b exits 1: nothing to restore" 1 kas restore --retired b
expect_exit "retire of a name no run ever read still exits 2" 2 kas retire --yes nosuch
expect_exit "sources of such a name too" 2 kas sources nosuch

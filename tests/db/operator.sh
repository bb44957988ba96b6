# What an operator sees on the command line while deciding pairs and held
# deletions: a split leaves the entity (its id and key) to the records that
# stay, whichever record is taken out, and with --json names the entity the
# record went to; `held RUN`, `apply-deletes RUN` and `discard-deletes RUN`
# name a run that does not exist, and say once, naming the run, that it
# held nothing; `held --source` picks the held sets of one source, and
# apply-deletes and discard-deletes check theirs as every --source is
# checked; `export --json` writes JSON.
# A list filtered to nothing says that nothing matches, not that there is
# nothing; `run a a` reads a once. One record or pair is counted in the
# singular.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db

two_sources_config
printf 'id,title,author,published_at,url\na1,The Python Guide,Ann Lee,2026-01-01,https://x.org/python\n' >"$T/a.csv"
printf 'id,title,author,published_at,url\nb1,the python guide!,ANN LEE,2026-01-01,https://y.org/p\n' >"$T/b.csv"

# a source named twice
out=$(kas run a a 2>&1)
expect_match "run a a succeeds" "$out" "^run [0-9]+: succeeded"
expect_eq "... and reads a once" "$(printf '%s\n' "$out" | grep -c '^a  ')" 1
expect_match "... and counts its one record in the singular" "$out" "^matching: 1 record, 0 pairs compared"
out=$(kas run 2>&1)
expect_match "one pair compared is said in the singular" "$out" "^matching: 2 records, 1 pair compared"
expect_match "... in show-run too" "$(kas show-run 2)" "^matching: 2 records, 1 pair compared"
expect_match "... and by dedup --rescan" "$(kas dedup --rescan)" \
	"^rescan: 2 records, 2 matched, 0 left their entity, 1 pair compared, "
expect_eq "the two copies are one entity" "$(entity_of a1)" "$(entity_of b1)"

# split: the record named leaves, the entity stays with the other one (a
# two-record entity is where the record taken out used to keep it)
key=$(sql "SELECT key FROM kasparro.entities WHERE id = $(entity_of a1)")
ra1=$(sql "SELECT id FROM kasparro.records WHERE source_id = 'a1'")
out=$(kas split --json "$key" "$ra1" 2>&1)
expect_eq "split --json names the entity the record left and the one it went to" \
	"$(printf '%s' "$out" | python3 -c 'import json,sys; o=json.load(sys.stdin); print(o["from"]["key"], o["to"]["id"], o["to"]["key"])')" \
	"$key $(entity_of a1) $(sql "SELECT key FROM kasparro.entities WHERE id = $(entity_of a1)")"
shown=$(kas show-entity "$key" 2>&1)
expect_no_match "the record split out is no longer a member of the entity" "$shown" "^ *$ra1 +a +a1 "
expect_match "the record that stayed keeps the entity" "$shown" " b1 "
expect_match "the record split out is in an entity of its own" "$(kas show-record "$ra1")" \
	"^entity [0-9]+ [^ ]+ · 1 live record"
check "undo the split" kas undo
expect_eq "undo puts the record back" "$(entity_of a1)" "$(entity_of b1)"
expect_match "... under the same key" "$(kas show-entity "$key")" "^ *$ra1 +a +a1 "

# a list filtered to nothing
expect_eq "decisions filtered to nothing say nothing matches" "$(kas decisions --actor nobody)" \
	"no decisions match"
expect_eq "... as deleted and quarantine do" "$(kas deleted --source a; kas quarantine --source a)" \
	"no deleted record matches
no quarantined record matches"
expect_eq "... and entities searched for what no entity has" "$(kas entities --search zzzz)" \
	"no entity matches"

# a filter's value is checked: a misspelt one is not a list of nothing
expect_exit "deleted --source of a source that does not exist is a usage error" 2 kas deleted --source nosuch
expect_eq "... naming the configured sources" "$(kas deleted --source nosuch 2>&1)" \
	"kasparro: option '--source': no source 'nosuch' is configured or was ever read (configured: a, b)"
expect_exit "... as for quarantine" 2 kas quarantine --source nosuch
expect_exit "... and held" 2 kas held --source nosuch
awk '/^\[/ { skip = ($0 == "[source b]") } !skip' "$CONF" >"$T/no-b.conf"
expect_eq "a source taken out of the configuration still filters: its records keep its name" \
	"$("$BIN" -c "$T/no-b.conf" deleted --source b 2>&1)" "no deleted record matches"
expect_exit "deleted --run of a run that does not exist fails" 1 kas deleted --run 99999
expect_eq "... naming it" "$(kas quarantine --run 99999 2>&1)" "kasparro: no run 99999; 'kasparro runs' lists them"
expect_exit "audit --object of an unknown type is a usage error" 2 kas audit --object bogus
expect_match "... listing the types" "$(kas audit --object bogus 2>&1)" \
	"^kasparro: option '--object': 'bogus' is not an object type \(record, run, candidate, decision, .*\)$"
expect_exit "audit --object record:ID with an id that is no number is a usage error" 2 \
	kas audit --object record:abc
expect_exit "audit --action of an unknown action is a usage error" 2 kas audit --action sofdelete
expect_match "... listing the actions" "$(kas audit --action sofdelete 2>&1)" \
	"is not an action \(soft_delete, purge, "
expect_eq "an action that nothing did yet lists nothing" "$(kas audit --action purge)" "no audit entries match"

# a held deletion of source b: its one record vanishes (100% of it)
printf 'id,title,author,published_at,url\n' >"$T/b.csv"
expect_exit "the guard holds the deletion (the run ends partial)" 1 kas run b
run=$(sql "SELECT max(run_id) FROM kasparro.pending_deletes")
expect_match "held RUN lists what it held" "$(kas held "$run")" "b1 .*held"
expect_exit "held for a run that does not exist fails" 1 kas held 99999
expect_match "... naming the run" "$(kas held 99999 2>&1)" "^kasparro: no run 99999; 'kasparro runs' lists them$"
expect_eq "a run that held nothing says so once, naming the run" "$(kas held 1 2>&1)" \
	"run 1 held no deletions; 'kasparro held --all' lists what was held"
expect_eq "... and is an empty list in JSON" "$(kas held --json 1)" "[]"
expect_eq "restore --run of a run that deleted nothing (still deleted) fails: there is nothing to restore" \
	"$(kas restore --run 1 2>&1; echo "exit $?")" "kasparro: nothing to restore: no record run 1 deleted is deleted now
exit 1"
expect_exit "apply-deletes of a run that does not exist fails" 1 kas apply-deletes 99999
expect_eq "... naming the run, not saying it held nothing" "$(kas apply-deletes 99999 2>&1)" \
	"kasparro: no run 99999; 'kasparro runs' lists them"
expect_eq "... as discard-deletes does" "$(kas discard-deletes 99999 2>&1)" \
	"kasparro: no run 99999; 'kasparro runs' lists them"
expect_eq "a run that exists and held nothing still says so" "$(kas discard-deletes 1 2>&1)" \
	"kasparro: run 1 held no deletions; 'kasparro held' lists what is held"
expect_exit "apply-deletes --source of a source that does not exist is a usage error" 2 \
	kas apply-deletes --source nosuch "$run"
expect_exit "... as for discard-deletes" 2 kas discard-deletes --source nosuch "$run"
expect_match "held --source lists that source's held sets" "$(kas held --source b)" "^ *$run +b +1 "
expect_eq "held --source of another source lists none" "$(kas held --source a)" \
	"no deletions are held; 'kasparro held --all' shows past ones"

# export --json: the rows, as JSON lines
out=$(kas export records --json)
expect_eq "export records --json writes one JSON object a record" \
	"$(printf '%s\n' "$out" | python3 -c 'import json, sys; print(sum(1 for l in sys.stdin if json.loads(l)["record"]))')" 2
expect_exit "export --json --format csv is a usage error" 2 kas export records --json --format csv

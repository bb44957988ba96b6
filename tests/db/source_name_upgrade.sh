# Older kasparro read a source named by more than 42 bytes under its first
# 42 (inih kept 49 bytes of "[source NAME]"), and stored its records so.
# Now that the name is read whole, the first run renames what is stored
# under the cut name to the whole one, in one transaction with an audit
# row: the records are the same records (not loaded again as new ones), a
# complete read soft-deletes the one that vanished, and `sources` lists one
# source. Before, the whole name was a new source: every record was loaded
# again and the old ones stayed live for ever beside them. When two
# configured names share the 42 bytes, or the whole name holds records of
# its own, nothing is renamed and the run says why.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
CONF="$T/k.conf"
long=partner-catalogue-exported-nightly-from-the-erp-system
cut=$(printf %s "$long" | cut -c1-42)
conf() {
	printf '[schema]\ntitle = text\n[matching]\nenabled = false\n' >"$CONF"
	for name in "$@"; do
		printf '[source %s]\nkind = csv\npath = s.csv\nid = id\nmax_delete_ratio = 1\n' "$name" >>"$CONF"
	done
}
printf 'id,title\n1,a\n2,b\n3,c\n' >"$T/s.csv"

# the database as older kasparro left it: the source under its cut name
conf "$cut"
kas run >/dev/null 2>&1
expect_eq "older kasparro's records are under the cut name" \
	"$(sql "SELECT source, count(*) FROM kasparro.records GROUP BY source")" "$cut|3"

conf "$long"
printf 'id,title\n1,a\n2,b\n' >"$T/s.csv"
out=$(kas run 2>&1)
expect_eq "the first run after the upgrade succeeds" "$?" 0
expect_match "... saying the records took the whole name" "$out" \
	"source '$long': its 3 records and 1 runs, stored by older kasparro under '$cut' \(its name cut at 42 bytes\), now carry its whole name"
expect_eq "every record now carries the whole name, none loaded again" \
	"$(sql "SELECT source, count(*), count(*) FILTER (WHERE is_deleted) FROM kasparro.records GROUP BY source")" \
	"$long|3|1"
expect_eq "... and the complete read soft-deleted the one that vanished" \
	"$(sql "SELECT source_id FROM kasparro.records WHERE is_deleted")" 3
expect_eq "the run counts nothing new" \
	"$(sql "SELECT inserted || ' ' || unchanged || ' ' || soft_deleted FROM kasparro.run_sources WHERE run_id = 2")" \
	"0 2 1"
expect_eq "no table names the cut source any more" \
	"$(sql "SELECT (SELECT count(*) FROM kasparro.run_sources WHERE source = '$cut') + (SELECT count(*) FROM kasparro.checkpoints WHERE source = '$cut') + (SELECT count(*) FROM kasparro.runs WHERE '$cut' = ANY (sources))")" 0
expect_eq "the old run's history is the source's" \
	"$(sql "SELECT string_agg(run_id::text, ' ' ORDER BY run_id) FROM kasparro.run_sources WHERE source = '$long'")" "1 2"
out=$(kas audit --object source --json 2>&1)
expect_eq "one audit row: the rename, its before and after" \
	"$(printf '%s' "$out" | python3 -c 'import json, sys
rows = json.load(sys.stdin)
print(len(rows), *[(r["action"], r["object_id"], r["before"]["name"], r["after"]["name"], r["after"]["records"]) for r in rows])' 2>&1)" \
	"1 ('rename_source', '$long', '$cut', '$long', 3)"
out=$(kas run 2>&1)
expect_no_match "a later run renames nothing" "$out" "older kasparro"

# two configured names share the 42 bytes: whose the records are is unknown
new_db 2
conf "$cut"
printf 'id,title\n1,a\n' >"$T/s.csv"
kas run >/dev/null 2>&1
conf "$long" "$long-eu"
out=$(kas run 2>&1)
expect_match "two names sharing the cut one: not renamed, said with both names" "$out" \
	"source '$cut' in the database is no configured source: older kasparro read source names cut at 42 bytes, and both '$long' and '$long-eu' begin with it, so its 1 records are renamed to neither"
expect_eq "... its records stay where they were" \
	"$(sql "SELECT count(*) FROM kasparro.records WHERE source = '$cut'")" 1

# the whole name already holds records of its own: no merge
new_db 3
conf "$cut" "$long"
kas run >/dev/null 2>&1
conf "$long"
out=$(kas run 2>&1)
expect_match "the whole name holding records of its own: not merged, said" "$out" \
	"but '$long' already holds records of its own, so its 1 records are not merged into them"
expect_eq "... both stay" "$(sql "SELECT count(*) FROM kasparro.records")" 2

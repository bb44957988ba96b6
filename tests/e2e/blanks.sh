# What kasparro prints for a reader is plain text without trailing blanks:
# a table whose last column is empty on some rows (a flag, a weight bar, a
# field one record lacks) and a multi-line field's blank lines end where
# their text does, so a diff, a grep for ' $' or a pasted listing carries no
# invisible padding. Every listing and detail view of the sample, after a
# run, a second run and a decision.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
sample_config
kas run >/dev/null 2>&1
kas run >/dev/null 2>&1
cand=$(sql "SELECT min(id) FROM kasparro.match_candidates WHERE status = 'pending'")
rec=$(sql "SELECT min(id) FROM kasparro.records WHERE content LIKE '%' || chr(10) || chr(10) || '%'")
entity=$(sql "SELECT max(entity_id) FROM kasparro.entity_members")
kas reject "$cand" --reason 'not the same' >/dev/null 2>&1
check "the sample holds a pending pair, a record with a blank line and an entity" \
	test -n "$cand" -a -n "$rec" -a -n "$entity"

for c in runs sources stats queue entities deleted audit decisions quarantine "held --all" \
	"show-run 1" "show-run 2" "show-entity $entity" "show-match $cand" "show-record $rec" \
	compare-runs "schedule show" help "help run" keys "config keys" "export records" "export queue"; do
	# shellcheck disable=SC2086 # the command's words
	out=$(kas $c 2>&1)
	expect_no_match "'kasparro $c' ends no line in a blank" "$out" ' $'
done

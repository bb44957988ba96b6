# A listing's optional columns leave before its notes are cut to a stub:
# `audit` at 100 columns in a shell leaves out DECISION too, where it cut
# its reason and change to 12 cells each. Piped, every cell is whole.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
sample_held # run 2 held the partner's deletions: a run with an error
pair=$(kas queue --json --limit 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
kas approve "$pair" --reason 'the same study: the partner reordered the words of its title' \
	>/dev/null || not_ok "candidate $pair is approved"

out=$(shell_output 100 audit)
expect_match "at 100 columns audit leaves out DECISION, keeps REASON and CHANGE" "$out" \
	'^ID +AT \(UTC\) +ACTOR +ACTION +TYPE +OBJECT +REASON +CHANGE$'
expect_match "... the reason readable" "$out" "candidate +$pair +the same study"

# Not a terminal: nothing is cut.
expect_match "written to a pipe, audit keeps DECISION and the whole reason" "$(kas audit)" \
	"candidate +$pair +- +1 +the same study: the partner reordered the words of its title +"

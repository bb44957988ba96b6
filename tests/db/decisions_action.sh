# decisions --action names the decisions in the form audit --action names
# the actions, both from the one list the audit log's actions come from
# (before, decisions wrote its own "--action must be approve, reject, split
# or undo").
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
csv_source_config shop
expect_exit "decisions --action of no decision is a usage error" 2 kas decisions --action bogus
expect_eq "... naming the decisions as audit names its actions" \
	"$(kas decisions --action bogus 2>&1)" \
	"kasparro: option '--action': 'bogus' is not a decision (approve, reject, split, restore, undo)"
expect_match "audit --action lists the same decisions among its actions" \
	"$(kas audit --action bogus 2>&1)" \
	"^kasparro: option '--action': 'bogus' is not an action \(.*, approve, reject, split, restore, undo, .*\)$"
expect_match "help decisions lists them too" "$(kas help decisions 2>&1)" \
	"--action ACTION +only this decision, one of approve, reject, split, restore, undo$"

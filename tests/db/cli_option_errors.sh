# A bad option value is a usage error (exit 2) worded one way, whichever
# command it is given to: "option '--NAME': 'VALUE' is not WHAT (CHOICES)".
# queue --order, export --format, keys --screen, runs --status and others
# each had a wording of their own ("queue: --order must be uncertainty or
# score, not 'BAD'", "unknown key table 'BAD'"); an operator, or a script
# reading standard error, met a different sentence for the same mistake.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
csv_source_config shop
title_rows 1 3 >"$T/shop.csv"
kas run >/dev/null

# bad: DESC OPTION REGEX-AFTER-THE-OPTION COMMAND...
bad() {
	_desc=$1 _opt=$2 _rest=$3
	shift 3
	expect_exit "$_desc: exit 2" 2 kas "$@"
	expect_match "$_desc: worded as every option error is" "$(kas "$@" 2>&1)" \
		"^kasparro: option '--$_opt': $_rest\$"
}
bad "queue --order BAD" order "'BAD' is not an order \(uncertainty, score\)" queue --order BAD
bad "export --format BAD" format "'BAD' is not a format \(csv, jsonl\)" export records --format BAD
bad "export --json --format csv" format "'csv' is not what --json writes to standard output \(JSON lines\)" \
	export records --json --format csv
bad "keys --screen BAD" screen "'BAD' is not a key table \(global, pager, .*\)" keys --screen BAD
bad "runs --status BAD" status "'BAD' is not a run status \(running, .*\)" runs --status BAD
bad "decisions --action BAD" action "'BAD' is not a decision \(approve, .*\)" decisions --action BAD
bad "queue --min above --max" min "0.9 is above --max 0.1: no candidate lies between them" \
	queue --min 0.9 --max 0.1
bad "deleted --run x" run "'x' is not a run id \(a positive number\)" deleted --run x
bad "schedule show --timezone" timezone "goes with 'schedule set', not 'schedule show'" \
	schedule show --timezone UTC
bad "approve ids and --above" above "give candidate ids or --above, not both" approve 1 --above 0.5
bad "fetch --resume x" resume "'x' is not a position as 'kasparro fetch --json' prints it \(a JSON object\)" \
	fetch shop --resume x
bad "runs --limit x (as before)" limit "'x' is not a count \(1 or more\) or 'all'" runs --limit x

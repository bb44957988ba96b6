# `decisions` on an 80-column terminal stays a table that says what was
# decided: the time loses its seconds (ls -l's "12-07 05:26"), UNDONE BY
# leaves and REASON yields its cells before WHAT is cut, so each row names
# the candidate and its first record whole. A row at a time (a terminal too
# narrow for a table) keeps the whole time; --json is untouched.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/fixtures.sh"
new_db
sample_queued
c=$(first_pending)
check "approve a candidate" kas approve "$c"
first=$(kas decisions --json --limit 1 | python3 -c 'import json, sys
w = json.load(sys.stdin)[0]["what"]; print(w.split(" ↔ ")[0])')
# at COLS: kasparro decisions on a terminal that wide
at() { script -qc "stty cols $1; \"$BIN\" -c \"$CONF\" decisions" /dev/null | tr -d '\r'; }

out=$(at 80)
expect_eq "at 80 columns no line is wider than the terminal" \
	"$(printf '%s\n' "$out" | python3 -c 'import sys; print(sum(len(l.rstrip("\n")) > 80 for l in sys.stdin))')" 0
expect_match "the time is written short, without seconds" "$out" \
	"^ *[0-9]+  [0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}  [a-z]+ +approve  "
expect_match "WHAT names the candidate and its first record whole" "$out" "approve  $first ↔ "
expect_no_match "UNDONE BY leaves before WHAT is cut" "$out" "UNDONE BY"
expect_match "REASON stays" "$out" "^ID .* REASON$"

out=$(at 160)
expect_match "a wide terminal has the whole time and UNDONE BY" "$out" \
	"^ *[0-9]+  [0-9-]{10} [0-9:]{8}  .*$first ↔ [^ ]+ +- +-$"
out=$(at 40)
expect_match "a row at a time keeps the whole time" "$out" "^AT \(UTC\) +[0-9-]{10} [0-9:]{8}$"
expect_match "--json keeps the ISO time" "$(kas decisions --json)" '"at":"[0-9-]{10}T[0-9:]{8}Z"'

# show-match's waterfall ended in a "(total)" line with the weight alone:
# the probability that weight makes was only in the headline, and the
# Review screen's total said "= p 0.998". The total line says it too, as
# P is printed everywhere (six decimals, ">0.999999" for a pair the model
# caps), the same number --json gives as "probability", in the table and
# in the stacked layout of a narrow reader (the console's pager).
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
sample_queued
set -- $(sql "SELECT id FROM kasparro.match_candidates WHERE status = 'pending' ORDER BY id LIMIT 2")
c=$1 capped=$2
# the probability as P is printed, from --json
p_of() {
	kas show-match "$1" --json | python3 -c 'import json, sys
p = "%.6f" % json.load(sys.stdin)["probability"]
print(">0.999999" if float(p) >= 1 else "<0.000001" if float(p) <= 0 else p)'
}
p=$(p_of "$c")
expect_match "--json gives the probability" "$p" '^[<>]?[01]\.[0-9]{6}$'
total=$(kas show-match "$c" | grep '^(total)')
expect_match "the total line ends in the probability --json gives" "$total" \
	"^\\(total\\) +-?[0-9]+\\.[0-9]{2}  = p $p\$"
expect_match "... the one the headline says" "$(kas show-match "$c" | head -n 1)" \
	"^candidate $c: [a-z]+, probability $p "

sql "UPDATE kasparro.match_candidates SET probability = 1 WHERE id = $capped" >/dev/null
expect_match "a pair stored at 1: its total says >0.999999, not 1" \
	"$(kas show-match "$capped" | grep '^(total)')" '  = p >0\.999999$'

# the console's pager at 80 columns: the fields stacked, the total too
printf 'wait-for connected\n:show-match %s\nwait\n:dump-screen %s\n' "$c" "$T/pager.txt" >"$T/pager.script"
kas console --script "$T/pager.script" --size 80x60 >/dev/null 2>&1
expect_match "the pager at 80 columns stacks the fields" "$(cat "$T/pager.txt" 2>&1)" "^  A: "
expect_match "... and the total line says it too" "$(cat "$T/pager.txt" 2>&1)" \
	"^\\(total\\) +[-+] *[0-9]+\\.[0-9]{2}  = p $p *\$"

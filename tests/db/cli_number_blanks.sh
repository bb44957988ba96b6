# A number on the command line is digits (a '-' before them, for a fraction
# a '.' and an exponent): blanks around it or a '+' sign are a usage error
# (exit 2) naming the option, or the argument, and the value as typed.
# strtoll and strtod took " 42", "42 " and "+5" as 42 and 5: `approve " 42"`
# approved candidate 42, `runs --limit +5` listed five.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
sample_queued
cand=$(sql "SELECT min(id) FROM kasparro.match_candidates WHERE status = 'pending'")
[ -n "$cand" ] || not_ok "the sample leaves candidates to review"

# re TEXT: TEXT as a regex that matches it
re() { printf '%s' "$1" | sed 's/[][\\.*^$+?(){}|]/\\&/g'; }
# bad DESC REGEX COMMAND...: exit 2, and the one line of standard error
bad() {
	_desc=$1 _re=$2
	shift 2
	expect_exit "$_desc: exit 2" 2 kas "$@"
	expect_match "$_desc: says what is wrong" "$(kas "$@" 2>&1)" "^kasparro: $_re"
}
for v in " 5" "5 " "+5"; do
	bad "runs --limit '$v'" "option '--limit': '$(re "$v")' is not a count \(1 or more\) or 'all'\$" \
		runs --limit "$v"
	bad "runs --before '$v'" "option '--before': '$(re "$v")' is not an integer of at least 1\$" \
		runs --before "$v"
	bad "queue --offset '$v'" "option '--offset': '$(re "$v")' is not an integer of at least 0\$" \
		queue --offset "$v"
	bad "deleted --run '$v'" "option '--run': '$(re "$v")' is not a run id \(a positive number\)\$" \
		deleted --run "$v"
	bad "show-run '$v'" "'$(re "$v")' is not a run id \(a positive number\)\$" show-run "$v"
	bad "compare-runs '$v' 1" "'$(re "$v")' is not a run id \(a positive number\)\$" compare-runs "$v" 1
	bad "held '$v'" "'$(re "$v")' is not a run id \(a positive number\)\$" held "$v"
	bad "undo '$v'" "'$(re "$v")' is not a decision id \(a positive number\)\$" undo "$v"
	bad "restore --run '$v'" "option '--run': '$(re "$v")' is not a run id \(a positive number\)\$" \
		restore --run "$v"
	bad "console --size '${v}x24'" "option '--size': '$(re "$v")x24' is not COLSxROWS \(at least 20x5\)\$" \
		console --script /dev/null --size "${v}x24"
	bad "console --size '80x$v'" "option '--size': '80x$(re "$v")' is not COLSxROWS \(at least 20x5\)\$" \
		console --script /dev/null --size "80x$v"
	bad "audit --object 'run:$v'" "option '--object': '$(re "$v")' is not a run id \(a positive number\)\$" \
		audit --object "run:$v"
done
for v in " $cand" "$cand " "+$cand" "#+$cand"; do
	bad "approve '$v'" "'$(re "$v")' is not a candidate id \(a positive number\)\$" approve "$v"
	bad "show-match '$v'" "'$(re "$v")' is not a candidate id \(a positive number\)\$" show-match "$v"
	bad "show-record '$v'" "'$(re "$v")' is not a record \(an id, or SOURCE/ID as the source names it\)\$" \
		show-record "$v"
done
expect_eq "no candidate was approved" \
	"$(sql "SELECT status FROM kasparro.match_candidates WHERE id = $cand")" pending
for v in " 0.5" "0.5 " "+0.5" "0x1p-1"; do
	bad "queue --min '$v'" "option '--min': '$(re "$v")' is not a number from 0 to 1\$" queue --min "$v"
	bad "approve --above '$v'" "option '--above': '$(re "$v")' is not a number from 0 to 1\$" \
		approve --above "$v"
done

# the console's bulk-approve PROBABILITY and screen N
printf 'wait-for connected\n:bulk-approve " 0.5"\n:dump-screen %s\n' "$T/bulk.txt" >"$T/bulk.script"
kas console --script "$T/bulk.script" >/dev/null 2>&1
expect_match "bulk-approve ' 0.5': not a probability" "$(tail -n 2 "$T/bulk.txt")" \
	"' 0\.5' is not a probability \(0 to 1\)"
expect_eq "... and nothing was approved" \
	"$(sql "SELECT count(*) FROM kasparro.match_candidates WHERE status = 'approved'")" 0
printf 'wait-for connected\n:screen " 3"\n:dump-screen %s\n' "$T/screen.txt" >"$T/screen.script"
kas console --script "$T/screen.script" >/dev/null 2>&1
expect_match "screen ' 3': no screen" "$(tail -n 2 "$T/screen.txt")" "unknown screen ' 3'"

# what a number is stays one
check "runs --limit 5" kas runs --limit 5
check "queue --min .5 --max 1e0" kas queue --min .5 --max 1e0
check "queue --offset 0" kas queue --offset 0
check "show-match #$cand" kas show-match "#$cand"
check "show-run 1" kas show-run 1
check "console --size 100x30" kas console --script /dev/null --size 100x30
expect_exit "runs --before -1: still refused by its minimum" 2 kas runs --before -1

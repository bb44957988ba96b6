# The Runs screen at 200 columns cut a held read's error before its
# "'apply-deletes N' or 'discard-deletes N'", the part the operator needs
# to act. The cut keeps that last clause and falls before it.
. "$KASPARRO_TOP/tests/lib/lib.sh"
new_db
sample_held
cat >"$T/runs.script" <<SCRIPT
wait-for connected
wait
:dump-screen $T/runs.txt
key q
SCRIPT
kas console --script "$T/runs.script" --size 200x30 --max-iterations 3000 >"$T/console.out" 2>&1
row=$(grep -E '^.? +2 partial ' "$T/runs.txt")
expect_match "run 2's error keeps what to do" "$row" \
	"partner-feed: deletions held: .*…; 'apply-deletes 2' or 'discard-deletes 2'\$"
expect_eq "... within 200 columns" "$(printf '%s\n' "$row" | python3 -c 'import sys; print(len(sys.stdin.read().rstrip("\n")) <= 200)')" True

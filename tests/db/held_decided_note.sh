# A run whose deletions were held tells the operator what to do with them
# (apply-deletes or discard-deletes) only while they are held: once an
# operator decided, show-run says what was done and no longer advises a
# command that would now fail (its --json keeps the error as the run ended
# it, with the hold's decision beside it).
. "$KASPARRO_TOP/tests/lib/lib.sh"

new_db
sample_held
expect_match "while held, show-run advises the two commands" "$(kas show-run 2)" \
	"'kasparro apply-deletes 2' or 'kasparro discard-deletes 2'"
check "apply the held deletions" kas apply-deletes 2
out=$(kas show-run 2)
expect_match "once applied, show-run still says why the run held" "$out" \
	"^partner-feed: deletions held: would delete 48 of 71 live records \\(67\\.6%\\), above max_ratio 10%\$"
expect_no_match "... without the commands that would now fail" "$out" "apply-deletes 2' or"
expect_match "... and says what was done" "$out" \
	"^partner-feed: the held deletions were applied by [^ ]+ at [^ ]+: 48 deleted\$"
expect_match "the run's --json keeps the error as the run ended it" "$(kas show-run 2 --json)" \
	"'kasparro apply-deletes 2' or 'kasparro discard-deletes 2'"

# The Review screen marks a pair whose score is stale: scored while an
# approval stood that was undone since. Its P ends in ~ and the candidate's
# line says why, beside the pair's own note, until the next pass scores it
# again. The stale score used to replace the pair's note, and the list
# showed nothing.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
. "$KASPARRO_TOP/tests/lib/fixtures.sh"
new_db
sample_queued # the sample with thresholds that leave a queue to review
# the pair the Review screen selects first (most uncertain): approved, a
# pass, undone; the pair is back, its score the pass's under the approval
first=$(first_pending)
kas approve "$first" >/dev/null 2>&1
kas dedup >/dev/null 2>&1
kas undo >/dev/null 2>&1
appr=$(sql "SELECT max(id) FROM kasparro.decisions WHERE action = 'approve'")
expect_eq "the pair is pending again, its score stale" \
	"$(sql "SELECT status, stale_undo IS NOT NULL FROM kasparro.match_candidates WHERE id = $first")" "pending|t"

# wide enough for the candidate's whole line
CONSOLE_COLS=200 console_start
wait_screen "the console is up" '^ connected'
send 3
wait_screen "the Review screen's P column marks the stale pair with ~" "^ +$first +[0-9.]+~ "
send /
send_text "$first"
send Enter
wait_screen "the candidate's line says why" \
	"^candidate $first · pending · .* · stale: scored while decision $appr stood"
console_stop

kas dedup --rescan >/dev/null 2>&1
console_start
wait_screen "the console is up again" '^ connected'
send 3
wait_screen "after the next pass the Review screen is up" "^Review · "
# (no mark is looked for once the list shows its pairs, not before)
wait_screen "... listing the pairs" '^ *[0-9]+ +[0-9.]+ '
wait_no_screen "... and marks no pair" "^ *[0-9]+ +[0-9.]+~ "
console_stop

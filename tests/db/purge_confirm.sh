# A purge that reaches records the retention still keeps (--older-than
# shorter than keep_deleted; --older-than 0 is every soft-deleted record)
# asks for --yes as `approve --above` does: without it, it is a dry run
# stating how many it would purge and how many of those are within
# keep_deleted, in a shell and in the console. One that reaches only
# records past keep_deleted needs no --yes. It used to purge at once.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
new_db
deletions_fixture
deleted() { sql "SELECT count(*) FROM kasparro.records WHERE is_deleted"; }
expect_eq "five records are soft-deleted (three on day 0, two on day 2)" "$(deleted)" 5

out=$(at $((t0 + 10 * day)) purge --older-than 0 2>&1)
expect_eq "purge --older-than 0 without --yes exits 0" "$?" 0
expect_eq "... stating the counts and asking for --yes" "$out" \
	"would purge 5 records soft-deleted before 2026-01-11T00:00:00Z, 5 of them deleted less than keep_deleted (90d) ago; add --yes to purge them"
expect_eq "... and purges nothing" "$(deleted)" 5
expect_match "--json says it was a dry run" "$(at $((t0 + 10 * day)) purge --older-than 0 --json)" \
	'"dry_run":true,"would_purge":5,"within_retention":5,"deleted_before":"2026-01-11T00:00:00Z"'
expect_eq "... and purges nothing" "$(deleted)" 5

# on day 91, the three of day 0 are past keep_deleted, the two of day 2 not
expect_match "a purge reaching two records within keep_deleted asks too" \
	"$(at $((t0 + 91 * day)) purge --older-than 1d)" "^would purge 5 records .*, 2 of them deleted less"

export KASPARRO_NOW=$((t0 + 91 * day)) # the console's clock too
CONSOLE_COLS=160 console_start
wait_screen "the console is up" 'succeeded +manual'
send :
send_text 'purge --older-than 0'
send Enter
wait_screen "in the console, purge --older-than 0 asks for --yes the same way" \
	'would purge 5 records .* add --yes to purge them'
console_stop
unset KASPARRO_NOW
expect_eq "... and purges nothing" "$(deleted)" 5

expect_match "with --yes it purges them" "$(at $((t0 + 91 * day)) purge --older-than 1d --yes)" \
	"^purged 5 records soft-deleted before"
expect_eq "... all five" "$(deleted)" 0

# records past keep_deleted only: nothing to confirm
shop_csv 6 7 8 >"$T/shop.csv"
at $((t0 + 92 * day)) run >/dev/null
expect_match "a purge that reaches only records past keep_deleted needs no --yes" \
	"$(at $((t0 + 200 * day)) purge --older-than 30d)" "^purged 2 records soft-deleted before"

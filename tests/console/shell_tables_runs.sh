# show-run and stats stay tables at 80 columns, as runs and sources do:
# show-run leaves out what did not change (as the sample needs), then what
# was restored, the time taken and what was updated; stats the records
# deleted and quarantined, then p95. They came out a row at a time, a block of ten
# lines per source. Wider, every column is there; piped, too.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
. "$KASPARRO_TOP/tests/lib/fixtures.sh"
new_db
sample_applied # run 2 held the partner's deletions, applied

out=$(shell_output 80 show-run 1)
expect_match "at 80 columns show-run is a table, SAME left out" "$out" \
	'^SOURCE +STATUS +FETCHED +NEW +UPDATED +BAD +DELETED +RESTORED +SECONDS$'
expect_match "... a row per source" "$out" '^articles-api +succeeded +122 +120 +0 +2 +0 +0 +[0-9.]+$'
expect_no_match "... not a row at a time" "$out" '^FETCHED +[0-9]'
expect_eq "... its table within the 80 columns" \
	"$(widest "$(printf '%s\n' "$out" | grep -E '^(SOURCE|articles|partner) ')" | awk '$1 <= 80 { print "fits" }')" fits
out=$(shell_output 80 show-run 2)
expect_match "... the applied hold too, its DELETED saying so" "$out" \
	'^partner-feed +partial +23 +0 +0 +0 +applied 48 +0 +[0-9.]+$'
out=$(shell_output 160 show-run 1)
expect_match "at 160 columns show-run has every column" "$out" \
	'^SOURCE +STATUS +FETCHED +NEW +UPDATED +SAME +BAD +DELETED +RESTORED +SECONDS$'

out=$(shell_output 80 stats)
expect_match "at 80 columns stats is a table, DELETED, P95 S and BAD left out" "$out" \
	'^SOURCE +LIVE +LAST SUCCESS \(UTC\) +LAST FAILURE \(UTC\) +P50 S +ROWS/S$'
expect_match "... a row per source" "$out" '^articles-api +120 +[0-9-]+ [0-9:]+ +- +[0-9.]+ +[0-9]+$'
expect_match "... and one for all" "$out" '^\(all\) +241 +[0-9-]+ [0-9:]+ +- +[0-9.]+ +[0-9]+$'
expect_no_match "... not a row at a time" "$out" '^LIVE +[0-9]'
expect_eq "... every line within the 80 columns" "$(widest "$out" | awk '$1 <= 80 { print "fits" }')" fits
out=$(shell_output 160 stats)
expect_match "at 160 columns stats has every column" "$out" \
	'^SOURCE +LIVE +DELETED +LAST SUCCESS \(UTC\) +LAST FAILURE \(UTC\) +P50 S +P95 S +ROWS/S +BAD$'
expect_match "piped, show-run has every column" "$(kas show-run 1)" \
	'^SOURCE +STATUS +FETCHED +NEW +UPDATED +SAME +BAD +DELETED +RESTORED +SECONDS$'
expect_match "... and so has stats" "$(kas stats)" \
	'^SOURCE +LIVE +DELETED +LAST SUCCESS \(UTC\) +LAST FAILURE \(UTC\) +P50 S +P95 S +ROWS/S +BAD$'

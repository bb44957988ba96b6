# At 100 columns in a shell `runs` cut a held read's error to its first
# words ("partner-feed: dele…") and kept MERGED and QUEUED, where the
# console's Runs screen at 100 columns leaves out TIME and MATCHED so that
# the error keeps what to do ("…'apply-deletes 2' or 'discard-deletes 2'").
# The shell does the same now: the start is written short first, and a
# clause too long as a shell writes it ("'kasparro apply-deletes 2' or
# ...") is shown as the console names the commands when that fits. Wide
# enough for it, the clause is the shell's own; piped, the error is whole.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/console.sh"
. "$KASPARRO_TOP/tests/lib/fixtures.sh"
new_db
sample_held # run 2 held the partner's deletions

out=$(shell_output 100 runs)
expect_match "at 100 columns runs keeps what to do about run 2's held deletions" "$out" \
	"^ *2 +partial +[0-9-]+ [0-9:]+ +23 +0 +0 +held 48 +…'apply-deletes 2' or 'discard-deletes 2'\$"
expect_match "... the optional columns out, as on the console's Runs screen" "$out" \
	'^RUN +STATUS +STARTED \(UTC\) +FETCHED +NEW +BAD +DELETED +ERROR$'
expect_match "... the start written short" "$out" '^ *1 +succeeded +[0-9]{2}-[0-9]{2} [0-9:]{5} +296 '
expect_eq "... within the 100 columns" "$(widest "$out" | awk '$1 <= 100 { print "fits" }')" fits

out=$(shell_output 200 runs)
expect_match "at 200 columns the clause as a shell types it, after the error's first words" "$out" \
	"held 48 .* partner-feed: [^;]*…; 'kasparro apply-deletes 2' or 'kasparro discard-deletes 2'\$"
expect_match "piped, the error is whole" "$(kas runs)" \
	"; 'kasparro apply-deletes 2' or 'kasparro discard-deletes 2'\$"

# Cut to fit a terminal, a held read's reason and a run's error kept their
# start and lost their end, the part the operator needs: `held` at 80
# columns cut REASON to 13 cells ("would delete 48 …"), losing why it was
# held (above max_ratio 10%); `runs` cut the error before its
# "'kasparro apply-deletes N' or 'kasparro discard-deletes N'". A cut now
# keeps such a text's last clause, cutting before it; at 80 columns held's
# MISSED (the reason says it) and BY leave first to give it room.
. "$KASPARRO_TOP/tests/lib/lib.sh"
. "$KASPARRO_TOP/tests/lib/fixtures.sh"
new_db
sample_held
at() { script -qc "stty cols $1; \"$BIN\" -c \"$CONF\" $2" /dev/null | tr -d '\r'; }

out=$(at 80 held)
expect_match "held at 80: the reason keeps why it was held" "$out" \
	"^ +2 +partner-feed +48 +71 +held +[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} +…above max_ratio 10%\$"
expect_eq "... within 80 columns" "$(widest "$out")" "$(widest "$out" | awk '$1 <= 80')"
out=$(at 100 held)
expect_match "at 100: its start too, cut before the clause" "$out" \
	" +would delete 48 of [0-9 a-z]*…, above max_ratio 10%\$"
expect_match "a wide terminal has it whole, and MISSED and BY" "$(at 200 held)" \
	"^ +2 +partner-feed +48 +48 +71 +held +- +.* would delete 48 of 71 live records \\(67\\.6%\\), above max_ratio 10%\$"
out=$(at 200 runs)
expect_match "runs at 200: the held read's error keeps what to do" "$out" \
	"^ +2 +partial .* partner-feed: [^;]*…; 'kasparro apply-deletes 2' or 'kasparro discard-deletes 2'\$"
expect_eq "... within 200 columns" "$(widest "$out" | awk '$1 <= 200')" "$(widest "$out")"
